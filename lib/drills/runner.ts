import { DEFAULT_TWIN_START } from '../twin/clock.js';
import { Twin } from '../twin/twin.js';
import { describeStep, tunnelLabels } from './describe.js';
import { expectedFailures } from './failures.js';
import type { LoadedScenario } from './load.js';
import type { TimelineLine } from './narrate.js';
import { type StepOutcome, StepRunner } from './step-runner.js';
import {
  type IncidentSummary,
  incidentSummaries,
  type RouteChange,
  targetLabels,
  watchedRoutes,
} from './summary.js';

export type { StepOutcome } from './step-runner.js';

export interface DrillResult {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly passed: boolean;
  readonly steps: readonly StepOutcome[];
  readonly failed?: StepOutcome;
  readonly timeline: readonly TimelineLine[];
  /** EC2 API calls the functions made, by action. */
  readonly ec2Calls: Readonly<Record<string, number>>;
  /** Every incident the drill left, with its durations. */
  readonly incidents: readonly IncidentSummary[];
  /** Each managed route that moved, when, from what to what. */
  readonly routeChanges: readonly RouteChange[];
  /** Route target id → the site and path it belongs to, for readable labels. */
  readonly targetLabels: Readonly<Record<string, string>>;
}

export interface RunOptions {
  readonly root?: string;
  readonly configFile?: string;
  readonly log?: (line: string) => void;
  /** Called with each timeline line as it happens: progress on long runs. */
  readonly onLine?: (line: TimelineLine) => void;
}

/**
 * Runs a scenario on a fresh twin; stops at the first expectation that does not hold, the first step
 * that cannot run, or the first handler failure the drill does not expect.
 */
export async function runDrill(loaded: LoadedScenario, options: RunOptions = {}): Promise<DrillResult> {
  const { scenario } = loaded;
  const twin = await Twin.start({
    ...(options.root === undefined ? {} : { root: options.root }),
    configFile: scenario.config ?? options.configFile ?? 'tunnel-warden.yml',
    mode: scenario.mode === 'live' ? 'enabled' : 'dry-run',
    world: loaded.world(DEFAULT_TWIN_START),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const labels = tunnelLabels(twin.world, twin.config);
  const watched = watchedRoutes(twin.config);
  const accounted = expectedFailures(scenario);
  const runner = new StepRunner(twin, watched, accounted, options.onLine);
  runner.watchAsymmetry(scenario.steps);
  let incidents: IncidentSummary[] = [];
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const label = describeStep(step, labels);
      if (!(await runner.run(index, step, label, loaded.events.get(index)))) break;
    }
    incidents = await incidentSummaries(twin);
  } finally {
    await twin.close();
  }
  const { steps, lines, moves } = runner;
  const failed = steps.find((s) => !s.ok);
  const ec2Calls: Record<string, number> = {};
  for (const call of twin.ec2.calls) ec2Calls[call.action] = (ec2Calls[call.action] ?? 0) + 1;
  return {
    name: scenario.name,
    file: loaded.file,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    passed: failed === undefined,
    steps,
    ...(failed === undefined ? {} : { failed }),
    timeline: lines,
    ec2Calls,
    incidents,
    routeChanges: moves,
    targetLabels: Object.fromEntries(targetLabels(twin.config)),
  };
}
