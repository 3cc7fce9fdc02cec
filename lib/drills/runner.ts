import { DEFAULT_TWIN_START } from '../twin/clock.js';
import { setTrafficPassing, setTunnelStatus } from '../twin/tunnels.js';
import { MODE_PARAMETER, Twin } from '../twin/twin.js';
import { check } from './checks.js';
import type { LoadedScenario } from './load.js';
import { isQuiet, narrateDelivery, narrateIncident, type TimelineLine } from './narrate.js';
import type { ScenarioStep } from './schema.js';

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
}

export interface RunOptions {
  readonly root?: string;
  readonly configFile?: string;
  readonly log?: (line: string) => void;
  /** Called with each timeline line as it happens: progress on long runs. */
  readonly onLine?: (line: TimelineLine) => void;
}

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

function describeExpectation(e: Expectation): string {
  if (e.route !== undefined) return `route ${e.route.destination} in ${e.route.table} → ${e.route.target}`;
  if (e.incident !== undefined) {
    const extra = [e.incident.kind, e.incident.severity].filter(Boolean).join(', ');
    return `incident of ${e.incident.site ?? `vpn ${e.incident.vpn ?? ''}`} ${e.incident.status}${extra === '' ? '' : ` (${extra})`}`;
  }
  if (e.published !== undefined) return `${e.published.count} × "${e.published['detail-type']}" published`;
  if (e.probe !== undefined)
    return `${e.probe.to} ${e.probe.reachable ? 'reachable' : 'unreachable'} from ${e.probe.from}`;
  if (e['dead-letters'] !== undefined)
    return `${e['dead-letters'].count} dead-lettered${e['dead-letters'].function === undefined ? '' : ` from ${e['dead-letters'].function}`}`;
  if (e.calls !== undefined)
    return `${e.calls.service ?? 'ec2'} ${e.calls.action} calls ${JSON.stringify({ count: e.calls.count, min: e.calls.min, max: e.calls.max })}`;
  return 'nothing';
}

export function describeStep(step: ScenarioStep): string {
  if ('tunnel' in step) return `tunnel ${step.tunnel.ip} → ${step.tunnel.status}`;
  if ('traffic' in step)
    return `traffic through ${step.traffic.ip} ${step.traffic.passing ? 'passes' : 'stops (gray failure)'}`;
  if ('event' in step) return `event ${typeof step.event === 'string' ? step.event : 'inline'}`;
  if ('advance' in step) return `advance ${Math.round(step.advance / 60_000)} min`;
  if ('kill-switch' in step) {
    const value = step['kill-switch'];
    return typeof value === 'string'
      ? `kill switch → ${value}`
      : `kill switch → ${JSON.stringify(value.value)} (as written)`;
  }
  if ('invoke' in step) return `invoke ${step.invoke.function} ${JSON.stringify(step.invoke.payload)}`;
  if ('faults' in step)
    return `inject ${step.faults.service} ${step.faults.kind}${step.faults.action === undefined ? '' : ` on ${step.faults.action}`}${step.faults.count === undefined ? '' : ` × ${step.faults.count}`}`;
  return `expect ${describeExpectation(step.expect)}`;
}

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

/** Runs a scenario on a fresh twin; stops at the first expectation that does not hold. */
export async function runDrill(loaded: LoadedScenario, options: RunOptions = {}): Promise<DrillResult> {
  const { scenario } = loaded;
  const twin = await Twin.start({
    ...(options.root === undefined ? {} : { root: options.root }),
    configFile: scenario.config ?? options.configFile ?? 'tunnel-warden.yml',
    mode: scenario.mode === 'live' ? 'enabled' : 'dry-run',
    world: loaded.world(DEFAULT_TWIN_START),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const steps: StepOutcome[] = [];
  const lines: TimelineLine[] = [];
  const timeline = {
    push(...added: TimelineLine[]): void {
      lines.push(...added);
      for (const line of added) options.onLine?.(line);
    },
  };
  let seenDeliveries = 0;
  let seenBus = 0;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const label = describeStep(step);
      const at = twin.clock.now().toISOString();
      if (!('expect' in step)) {
        timeline.push({ at, kind: 'step', text: label });
        await perform(twin, step, loaded.events.get(index));
        const happened: TimelineLine[] = [
          ...twin.deliveries
            .slice(seenDeliveries)
            .filter((d) => !isQuiet(d))
            .map(
              (d): TimelineLine => ({
                at: d.at,
                kind: 'delivery',
                text: narrateDelivery(d),
                ok: d.outcome === 'handled' || d.outcome === 'ignored',
              }),
            ),
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
        steps.push({ index, label, ok: true });
        continue;
      }
      const result = await check(twin, step.expect);
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
  };
}
