import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { firstIssue } from '../events/zod-issues.js';
import { ScenarioError } from './errors.js';
import { type Scenario, ScenarioSchema } from './schema.js';

export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  /** Event steps resolved to objects: a file path is read relative to the scenario. */
  readonly events: ReadonlyMap<number, Record<string, unknown>>;
}

function readJsonEvent(file: string, stepPath: string, path: string): Record<string, unknown> {
  const full = resolve(dirname(file), path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new ScenarioError(file, stepPath, `cannot read the event file ${path} as JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScenarioError(file, stepPath, `${path} is not one EventBridge event (a JSON object)`);
  }
  return parsed as Record<string, unknown>;
}

/** Reads and validates a scenario; any problem is a ScenarioError naming the file and the field. */
export function loadScenario(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, '', 'cannot read the scenario file', { cause: error });
  }
  const document = parseDocument(text);
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const at = yamlError.linePos?.[0];
    throw new ScenarioError(
      file,
      '',
      `${at === undefined ? '' : `line ${at.line}, column ${at.col}: `}invalid YAML: ${yamlError.code}`,
      { cause: yamlError },
    );
  }
  const result = ScenarioSchema.safeParse(document.toJS());
  if (!result.success) {
    const { path, problem } = firstIssue(result.error);
    throw new ScenarioError(file, path, problem, { cause: result.error });
  }
  const scenario = result.data;
  if (scenario.topology !== 'demo')
    throw new ScenarioError(file, 'topology', `unknown topology "${scenario.topology}" (available: demo)`);
  const events = new Map<number, Record<string, unknown>>();
  scenario.steps.forEach((step, i) => {
    if (!('event' in step)) return;
    events.set(
      i,
      typeof step.event === 'string' ? readJsonEvent(file, `steps[${i}].event`, step.event) : step.event,
    );
  });
  return { file, scenario, events };
}
