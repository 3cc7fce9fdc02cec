/** A drill's steps in words, with tunnels named by site, path and VPN rather than bare IPs. */
import type { Config } from '../config/schema.js';
import type { TwinWorld } from '../twin/state.js';
import type { ScenarioStep } from './schema.js';

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

/** Outside IP → `seoul-dc primary (vpn-…1 tunnel 1)`; a VPN of no configured site is named by its id. */
export type TunnelLabels = ReadonlyMap<string, string>;

export function tunnelLabels(world: TwinWorld, config: Config): TunnelLabels {
  const labels = new Map<string, string>();
  for (const vpn of world.vpnConnections) {
    const site = config.sites.find((s) => s.paths.some((p) => p.vpn === vpn.id));
    const path = site?.paths.find((p) => p.vpn === vpn.id);
    vpn.tunnels.forEach((tunnel, i) => {
      const where = site === undefined || path === undefined ? '' : `${site.name} ${path.name}, `;
      labels.set(tunnel.outsideIp, `${tunnel.outsideIp} (${where}${vpn.id} tunnel ${i + 1})`);
    });
  }
  return labels;
}

const range = (c: { count?: number | undefined; min?: number | undefined; max?: number | undefined }) =>
  [
    c.count === undefined ? '' : `= ${c.count}`,
    c.min === undefined ? '' : `≥ ${c.min}`,
    c.max === undefined ? '' : `≤ ${c.max}`,
  ]
    .filter((part) => part !== '')
    .join(', ');

export function describeExpectation(e: Expectation): string {
  if (e.route !== undefined) return `route ${e.route.destination} in ${e.route.table} → ${e.route.target}`;
  if (e.incident !== undefined) return describeIncident(e.incident);
  if (e.published !== undefined) return `${e.published.count} × "${e.published['detail-type']}" published`;
  if (e.asymmetry !== undefined) return describeAsymmetry(e.asymmetry);
  if (e.probe !== undefined)
    return `${e.probe.to} ${e.probe.reachable ? 'reachable' : 'unreachable'} from ${e.probe.from}`;
  const failures = e['dead-letters'] ?? e.failed;
  if (failures !== undefined) {
    const what = e['dead-letters'] === undefined ? 'failed invocation(s)' : 'dead-lettered';
    return describeFailures(what, failures);
  }
  if (e.calls !== undefined) return `${e.calls.service ?? 'ec2'} ${e.calls.action} calls ${range(e.calls)}`;
  if (e.detected !== undefined)
    return `detected by ${e.detected.by} within ${Math.round(e.detected.within / 1000)} s of the fault`;
  return 'nothing';
}

function describeIncident(incident: NonNullable<Expectation['incident']>): string {
  const extra = [incident.kind, incident.severity].filter(Boolean).join(', ');
  return `incident of ${incident.site ?? `vpn ${incident.vpn ?? ''}`} ${incident.status}${extra === '' ? '' : ` (${extra})`}`;
}

function describeFailures(what: string, failures: NonNullable<Expectation['failed']>): string {
  const from = failures.function === undefined ? '' : ` of ${failures.function}`;
  const why = failures.reason === undefined ? '' : ` with "${failures.reason}"`;
  return `${failures.count} ${what}${from}${why}`;
}

type StepOf<K extends string> = Extract<ScenarioStep, Record<K, unknown>>;

export function describeStep(step: ScenarioStep, labels: TunnelLabels = new Map()): string {
  const tunnel = (ip: string) => labels.get(ip) ?? ip;
  if ('tunnel' in step) return `tunnel ${tunnel(step.tunnel.ip)} → ${step.tunnel.status}`;
  if ('traffic' in step)
    return `traffic through ${tunnel(step.traffic.ip)} ${step.traffic.passing ? 'passes' : 'stops (gray failure)'}`;
  if ('event' in step) return `event ${typeof step.event === 'string' ? step.event : 'inline'}`;
  if ('advance' in step) return `advance ${Math.round(step.advance / 60_000)} min`;
  if ('kill-switch' in step) return describeKillSwitch(step);
  if ('invoke' in step) return describeInvoke(step);
  if ('faults' in step) return describeFaults(step);
  return `expect ${describeExpectation(step.expect)}`;
}

function describeKillSwitch(step: StepOf<'kill-switch'>): string {
  const value = step['kill-switch'];
  return typeof value === 'string' ? `kill switch → ${value}` : `kill switch → "${value.value}" (as written)`;
}

function describeInvoke({ invoke }: StepOf<'invoke'>): string {
  // key=value for plain values: a label is read by people, not parsed.
  const fields = Object.entries(invoke.payload).map(([k, v]) =>
    typeof v === 'object' && v !== null ? `${k}=…` : `${k}=${String(v)}`,
  );
  return `invoke ${invoke.function}${fields.length === 0 ? '' : ` (${fields.join(', ')})`}`;
}

function describeFaults({ faults }: StepOf<'faults'>): string {
  const on = faults.action === undefined ? '' : ` on ${faults.action}`;
  const times = faults.count === undefined ? '' : ` × ${faults.count}`;
  return `inject ${faults.service} ${faults.kind}${on}${times}`;
}

function describeAsymmetry({ from, to, min, max }: NonNullable<Expectation['asymmetry']>): string {
  const bounds = [min === undefined ? '' : `≥ ${min / 1000} s`, max === undefined ? '' : `≤ ${max / 1000} s`];
  return `asymmetric window ${from} ⇄ ${to} ${bounds.join(' ').trim()}`;
}
