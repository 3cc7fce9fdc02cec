import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { loadScenario } from '../drills/load.js';
import type { TimelineLine } from '../drills/narrate.js';
import { drillReportHtml } from '../drills/report-html.js';
import { type DrillResult, runDrill } from '../drills/runner.js';
import { ensurePackaged } from '../eventbridge/package.js';

export interface DrillOptions {
  readonly root: string;
  readonly json: boolean;
  /** Where to write the HTML report, if anywhere. */
  readonly report?: string;
  readonly out: (text: string) => void;
}

const MARK: Readonly<Record<TimelineLine['kind'], string>> = {
  step: '▸',
  delivery: '⚙',
  incident: '!',
  expect: '?',
};

export function formatLine(line: TimelineLine): string {
  const mark = line.kind === 'expect' ? (line.ok === true ? '✓' : '✗') : MARK[line.kind];
  return `  ${line.at.slice(11, 19)}  ${mark} ${line.text}`;
}

export function formatVerdict(result: DrillResult): string {
  const calls = Object.values(result.ec2Calls).reduce((a, b) => a + b, 0);
  if (result.passed)
    return `✓ ${result.name}: ${result.steps.length} steps, every expectation holds (${calls} EC2 calls)`;
  const f = result.failed;
  return `✗ ${result.name}: step ${(f?.index ?? 0) + 1} (${f?.label ?? ''}): expected ${f?.expected ?? ''}, got ${f?.actual ?? ''}`;
}

/**
 * `tunnel-warden drill <scenario.yml>...`: validates every scenario first (a bad one is exit 2 before
 * anything runs), then runs each on a fresh twin, streaming its timeline. Exit 0 when every
 * expectation holds, 1 when one does not.
 */
export async function drillCommand(files: readonly string[], options: DrillOptions): Promise<number> {
  const loaded = files.map((file) => loadScenario(file));
  // The twin routes events through the packaged rules: build them first, and say so (it takes seconds).
  ensurePackaged(options.root, options.json ? () => undefined : options.out);
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
  if (options.report !== undefined) {
    mkdirSync(dirname(options.report), { recursive: true });
    writeFileSync(options.report, drillReportHtml(results, new Date()));
    if (!options.json) options.out(`\nreport: ${relative(options.root, options.report)}`);
  }
  if (options.json) options.out(JSON.stringify(results, null, 2));
  else if (results.length > 1)
    options.out(`\n${results.filter((r) => r.passed).length} of ${results.length} drills passed`);
  return results.every((r) => r.passed) ? 0 : 1;
}
