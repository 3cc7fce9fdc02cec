import { DEFAULT_TWIN_START } from '../twin/clock.js';
import { setTrafficPassing, setTunnelStatus } from '../twin/tunnels.js';
import { MODE_PARAMETER, Twin } from '../twin/twin.js';
import { check } from './checks.js';
import { describeStep, tunnelLabels } from './describe.js';
import { type FaultMark, isFault } from './detection.js';
import { expectedFailures, unexpectedFailure } from './failures.js';
import type { LoadedScenario } from './load.js';
import { isQuiet, narrateDelivery, narrateIncident, type TimelineLine, toneOf } from './narrate.js';
import type { ScenarioStep } from './schema.js';
import {
  type IncidentSummary,
  incidentSummaries,
  type RouteChange,
  routeChanges,
  routeSnapshot,
  targetLabels,
  watchedRoutes,
} from './summary.js';

export interface StepOutcome {
  readonly index: number;
  readonly label: string;
  readonly ok: boolean;
  readonly expected?: string;
  readonly actual?: string;
}

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

export { describeStep } from './describe.js';

async function perform(
  twin: Twin,
  step: ScenarioStep,
  event: Record<string, unknown> | undefined,
): Promise<void> {
  if ('tunnel' in step) setTunnelStatus(twin.world, step.tunnel.ip, step.tunnel.status, twin.clock.now());
  else if ('traffic' in step) setTrafficPassing(twin.world, step.traffic.ip, step.traffic.passing);
  else if ('event' in step && event !== undefined) await twin.putEvents(structuredClone(event));
  else if ('advance' in step) await twin.advance(step.advance);
  else if ('kill-switch' in step) {
    const value = step['kill-switch'];
    if (typeof value === 'string') twin.setMode(value);
    else twin.services.parameters.set(MODE_PARAMETER, value.value);
  } else if ('invoke' in step) await twin.invoke(step.invoke.function, step.invoke.payload);
  else if ('faults' in step) {
    const { service, kind, action, rate, count, latencyMs } = step.faults;
    twin.faults.add({
      service,
      kind,
      ...(action === undefined ? {} : { action }),
      ...(rate === undefined ? {} : { rate }),
      ...(count === undefined ? {} : { count }),
      ...(latencyMs === undefined ? {} : { latencyMs }),
    });
  }
}

/** The step's outcome when it could not run at all (a twin refusal, a bug): the drill fails there. */
function stepError(index: number, label: string, error: unknown): StepOutcome {
  return {
    index,
    label,
    ok: false,
    expected: 'the step to run',
    actual: `it threw: ${error instanceof Error ? error.message : String(error)}`,
  };
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
  const steps: StepOutcome[] = [];
  const lines: TimelineLine[] = [];
  const moves: RouteChange[] = [];
  const timeline = {
    push(...added: TimelineLine[]): void {
      lines.push(...added);
      for (const line of added) options.onLine?.(line);
    },
  };
  let seenDeliveries = 0;
  let seenBus = 0;
  let routes = routeSnapshot(twin, watched);
  let incidents: IncidentSummary[] = [];
  /** The latest step that broke a tunnel or its traffic: what `detected` measures from. */
  let fault: FaultMark | undefined;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const label = describeStep(step, labels);
      const at = twin.clock.now().toISOString();
      if (!('expect' in step)) {
        timeline.push({ at, kind: 'step', text: label });
        if (isFault(step)) fault = { at: twin.clock.now().getTime(), deliveries: twin.deliveries.length };
        let thrown: StepOutcome | undefined;
        try {
          await perform(twin, step, loaded.events.get(index));
        } catch (error) {
          thrown = stepError(index, label, error);
        }
        const delivered = twin.deliveries.slice(seenDeliveries);
        const happened: TimelineLine[] = [
          ...delivered
            .filter((d) => !isQuiet(d))
            .map((d): TimelineLine => {
              const tone = toneOf(d);
              return {
                at: d.at,
                kind: 'delivery',
                text: narrateDelivery(d),
                ...(tone === undefined ? {} : { tone }),
              };
            }),
          ...twin.bus
            .slice(seenBus)
            .filter((b) => b.source === 'tunnel-warden')
            .map(
              (e): TimelineLine => ({
                at: new Date(e.time).toISOString(),
                kind: 'incident',
                text: narrateIncident(e),
              }),
            ),
        ];
        // Stable: at the same minute a function's line comes before the incident change it caused.
        timeline.push(...happened.sort((a, b) => a.at.localeCompare(b.at)));
        seenDeliveries = twin.deliveries.length;
        seenBus = twin.bus.length;
        const now = routeSnapshot(twin, watched);
        moves.push(...routeChanges(at, delivered, watched, routes, now));
        routes = now;
        const failure = unexpectedFailure(delivered, accounted);
        const outcome =
          thrown ??
          (failure === undefined ? { index, label, ok: true } : { index, label, ok: false, ...failure });
        steps.push(outcome);
        if (!outcome.ok) {
          timeline.push({
            at: twin.clock.now().toISOString(),
            kind: 'expect',
            text: `${label}: expected ${outcome.expected ?? ''}, got ${outcome.actual ?? ''}`,
            ok: false,
          });
          break;
        }
        continue;
      }
      const result = await check(twin, step.expect, fault);
      const outcome: StepOutcome = {
        index,
        label,
        ok: result.ok,
        expected: result.expected,
        actual: result.actual,
      };
      steps.push(outcome);
      timeline.push({
        at,
        kind: 'expect',
        text: `${label}: ${result.ok ? 'holds' : `expected ${result.expected}, got ${result.actual}`}`,
        ok: result.ok,
      });
      if (!result.ok) break;
    }
    incidents = await incidentSummaries(twin);
  } finally {
    await twin.close();
  }
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
