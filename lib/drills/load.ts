import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { parseYamlWith } from '../config/yaml.js';
import { DEFAULT_TWIN_START } from '../twin/clock.js';
import { TopologyError } from '../twin/errors.js';
import { demoWorld } from '../twin/topologies/demo.js';
import { parseTopology, type TopologyFactory } from '../twin/topologies/file.js';
import { ScenarioError, ScenarioProblemsError } from './errors.js';
import { type Scenario, ScenarioSchema } from './schema.js';
import { validateScenario } from './validate.js';

export interface LoadOptions {
  /** Where the default configuration is looked up (as the twin does): default the working directory. */
  readonly root?: string;
  /** The configuration a scenario without `config:` runs with; default tunnel-warden.yml under root. */
  readonly configFile?: string;
}

export interface LoadedScenario {
  readonly file: string;
  /** As written, but `config`, when given, is resolved against the scenario file's folder. */
  readonly scenario: Scenario;
  /** The twin world each run starts from: the demo, or the scenario's topology file. */
  readonly world: TopologyFactory;
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

/** The scenario's choices for what AWS leaves undocumented, laid over each world the topology builds. */
function withUndocumented(
  topology: TopologyFactory,
  undocumented: Scenario['undocumented'],
): TopologyFactory {
  if (undocumented === undefined) return topology;
  const { networkEventDelay, ...settings } = undocumented;
  const delay = networkEventDelay === undefined ? {} : { networkEventDelayMs: networkEventDelay };
  return (start) => Object.assign(topology(start), settings, delay);
}

/** `demo`, or a topology file relative to the scenario: read and validated now, built fresh for each run. */
function resolveTopology(file: string, topology: string): TopologyFactory {
  if (topology === 'demo') return demoWorld;
  const full = resolve(dirname(file), topology);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new ScenarioError(
      file,
      'topology',
      `cannot read the topology file ${topology} (expected demo, or a topology file's path relative to the scenario)`,
      { cause: error },
    );
  }
  try {
    return parseTopology(text, full);
  } catch (error) {
    // The twin reports its own file and field; for the drill it is one more scenario problem (exit 2).
    if (!(error instanceof TopologyError)) throw error;
    throw new ScenarioError(error.file, error.fieldPath, error.problem, { cause: error });
  }
}

/**
 * The scenario's tunnel-warden configuration, relative to the scenario, validated now so a bad one stops
 * the drill before anything runs (a ConfigError names the configuration file and its field).
 */
function resolveConfig(file: string, config: string): { readonly file: string; readonly config: Config } {
  const full = resolve(dirname(file), config);
  try {
    readFileSync(full, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, 'config', `cannot read the configuration file ${config}`, { cause: error });
  }
  return { file: full, config: loadConfig(full) };
}

/**
 * Reads and validates a scenario — its shape, then everything it names against its topology, its
 * configuration and the known vocabularies — before anything runs; any problem is a ScenarioError
 * naming the file and the field (a ScenarioProblemsError lists them all).
 */
export function loadScenario(file: string, options: LoadOptions = {}): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, '', 'cannot read the scenario file', { cause: error });
  }
  const parsed = parseYamlWith(ScenarioSchema, text, ({ fieldPath, problem, cause }) => {
    throw new ScenarioError(file, fieldPath, problem, { cause });
  });
  const config =
    parsed.config === undefined
      ? { file: resolve(options.root ?? process.cwd(), options.configFile ?? 'tunnel-warden.yml') }
      : resolveConfig(file, parsed.config);
  const scenario = parsed.config === undefined ? parsed : { ...parsed, config: config.file };
  const world = withUndocumented(resolveTopology(file, scenario.topology), scenario.undocumented);
  const problems = validateScenario(scenario, world(DEFAULT_TWIN_START), {
    file: config.file,
    config: 'config' in config ? config.config : loadConfig(config.file),
  });
  // The likeliest cause of a whole configuration missing from a topology: no `config:` at all.
  if (parsed.config === undefined && problems.some((p) => p.fieldPath === 'config'))
    problems.unshift({
      fieldPath: 'config',
      problem: `not given, so the default ${config.file} is used, and it describes another network than ${scenario.topology}: add config: naming this topology's configuration`,
    });
  const [first, ...rest] = problems;
  if (first !== undefined) throw new ScenarioProblemsError(file, [first, ...rest]);
  const events = new Map<number, Record<string, unknown>>();
  scenario.steps.forEach((step, i) => {
    if (!('event' in step)) return;
    events.set(
      i,
      typeof step.event === 'string' ? readJsonEvent(file, `steps[${i}].event`, step.event) : step.event,
    );
  });
  return { file, scenario, world, events };
}
