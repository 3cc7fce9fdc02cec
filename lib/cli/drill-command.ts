import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { ScenarioError } from '../drills/errors.js';
import { type LoadedScenario, loadScenario } from '../drills/load.js';
import type { TimelineLine } from '../drills/narrate.js';
import { drillReportHtml, type InvalidDrill } from '../drills/report-html.js';
import { type DrillResult, runDrill } from '../drills/runner.js';
import { ensurePackaged } from '../eventbridge/package.js';

export interface DrillOptions {
  readonly root: string;
  readonly json: boolean;
  /** Where to write the HTML report, if anywhere. */
  readonly report?: string;
  readonly out: (text: string) => void;
  /** Where a scenario's validation errors go; default stderr. */
  readonly err?: (text: string) => void;
}

const MARK: Readonly<Record<TimelineLine['kind'], string>> = {
  step: '▸',
  delivery: '⚙',
  incident: '!',
  expect: '?',
};

export function formatLine(line: TimelineLine): string {
  const mark =
    line.kind === 'expect' ? (line.ok === true ? '✓' : '✗') : line.tone === 'bad' ? '⚠' : MARK[line.kind];
  return `  ${line.at.slice(11, 19)}  ${mark} ${line.text}`;
}

export function formatVerdict(result: DrillResult): string {
  const calls = Object.values(result.ec2Calls).reduce((a, b) => a + b, 0);
  if (result.passed)
    return `✓ ${result.name}: ${result.steps.length} steps, every expectation holds (${calls} EC2 calls)`;
  const f = result.failed;
  return `✗ ${result.name}: step ${(f?.index ?? 0) + 1} (${f?.label ?? ''}): expected ${f?.expected ?? ''}, got ${f?.actual ?? ''}`;
}

/** Loads every scenario; one that is invalid is reported and left out, never stopping the others. */
function loadAll(
  files: readonly string[],
  root: string,
  err: (text: string) => void,
): { loaded: LoadedScenario[]; invalid: InvalidDrill[] } {
  const loaded: LoadedScenario[] = [];
  const invalid: InvalidDrill[] = [];
  for (const file of files) {
    try {
      loaded.push(loadScenario(file, { root }));
    } catch (error) {
      if (!(error instanceof ScenarioError || error instanceof ConfigError)) throw error;
      // Inside the project, named relative to it (as typed); outside it, by its full path.
      const inside = relative(root, file);
      const shown = inside.startsWith('..') || isAbsolute(inside) ? file : inside;
      const message = error.message.replaceAll(file, shown);
      invalid.push({ file: shown, message });
      err(`tunnel-warden: ${message}`);
    }
  }
  return { loaded, invalid };
}

/**
 * `tunnel-warden drill <scenario.yml>...`: validates every scenario first — its shape and everything it
 * names, against its topology and configuration — then runs each valid one on a fresh twin, streaming
 * its timeline. An invalid scenario is reported (file, step, field) and does not run, but never stops
 * the others. Exit 2 when a scenario is invalid, else 1 when an expectation did not hold, else 0.
 */
export async function drillCommand(files: readonly string[], options: DrillOptions): Promise<number> {
  const err = options.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  const { loaded, invalid } = loadAll(files, options.root, err);
  // The twin routes events through the packaged rules: build them first, and say so (it takes seconds).
  if (loaded.length > 0) ensurePackaged(options.root, options.json ? () => undefined : options.out);
  const results = await runAll(loaded, options);
  if (options.report !== undefined) {
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, drillReportHtml(results, new Date(), invalid));
    if (!options.json) options.out(`\nreport: ${relative(options.root, options.report)}`);
  }
  if (options.json) printJson(results, invalid, options.out);
  else if (results.length + invalid.length > 1) printTally(results, invalid, options.out);
  if (invalid.length > 0) return 2;
  return results.every((r) => r.passed) ? 0 : 1;
}

type Invalid = ReturnType<typeof loadAll>['invalid'][number];

/** Runs each valid scenario in turn; unless the output is JSON, streams each timeline and verdict. */
async function runAll(
  loaded: ReturnType<typeof loadAll>['loaded'],
  options: DrillOptions,
): Promise<DrillResult[]> {
  const results: DrillResult[] = [];
  for (const scenario of loaded) {
    if (!options.json)
      options.out(`\n▶ ${scenario.scenario.name} (${relative(options.root, scenario.file)})`);
    const result = await runDrill(scenario, {
      root: options.root,
      ...(options.json ? {} : { onLine: (line: TimelineLine) => options.out(formatLine(line)) }),
    });
    results.push(result);
    if (!options.json) options.out(formatVerdict(result));
  }
  return results;
}

function printJson(
  results: readonly DrillResult[],
  invalid: readonly Invalid[],
  out: DrillOptions['out'],
): void {
  out(
    JSON.stringify(
      [...results, ...invalid.map((i) => ({ file: i.file, passed: false, invalid: i.message }))],
      null,
      2,
    ),
  );
}

function printTally(
  results: readonly DrillResult[],
  invalid: readonly Invalid[],
  out: DrillOptions['out'],
): void {
  out(
    `\n${results.filter((r) => r.passed).length} of ${results.length + invalid.length} drills passed${invalid.length === 0 ? '' : `, ${invalid.length} invalid (not run)`}`,
  );
}
