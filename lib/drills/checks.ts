import { incidentDurations } from '../incidents/model.js';
import { probe } from '../twin/probe.js';
import { pathsBetween } from '../twin/return-path.js';
import { effectiveTgwRoutes, effectiveVpcRoutes } from '../twin/routing.js';
import type { Twin } from '../twin/twin.js';
import { type FaultMark, firstDetection } from './detection.js';
import { isFinalFailure } from './failures.js';
import type { ScenarioStep } from './schema.js';

export interface CheckResult {
  readonly ok: boolean;
  readonly expected: string;
  readonly actual: string;
}

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

/** The effective route for a destination: what the table would forward with (static beats propagated). */
export function effectiveTarget(twin: Twin, table: string, destination: string): string {
  if (table.startsWith('tgw-rtb-')) {
    const route = effectiveTgwRoutes(twin.world, table).find((r) => r.destination === destination);
    if (route === undefined) return 'none';
    return route.state === 'blackhole' || route.attachmentId === undefined ? 'blackhole' : route.attachmentId;
  }
  const routes = effectiveVpcRoutes(twin.world, table).filter((r) => r.destination === destination);
  const route = routes.find((r) => r.origin === 'CreateRoute') ?? routes[0];
  return route === undefined ? 'none' : route.state === 'blackhole' ? 'blackhole' : route.target.id;
}

function compare(expected: Record<string, unknown>, actual: Record<string, unknown>): CheckResult {
  const keys = Object.keys(expected);
  const ok = keys.every((k) => expected[k] === actual[k]);
  const show = (o: Record<string, unknown>) => keys.map((k) => `${k}=${String(o[k] ?? '—')}`).join(' ');
  return { ok, expected: show(expected), actual: show(actual) };
}

/**
 * Checks one expectation against the twin's state now; `fault` is where the drill's latest fault step
 * left the twin (for `detected`).
 */
export async function check(twin: Twin, expectation: Expectation, fault?: FaultMark): Promise<CheckResult> {
  if (expectation.detected !== undefined) return checkDetected(twin, expectation.detected, fault);
  if (expectation.route !== undefined) return checkRoute(twin, expectation.route);
  if (expectation.incident !== undefined) return await checkIncident(twin, expectation.incident);
  if (expectation.published !== undefined) return checkPublished(twin, expectation.published);
  if (expectation.probe !== undefined) return checkProbe(twin, expectation.probe);
  const failures = expectation['dead-letters'] ?? expectation.failed;
  if (failures !== undefined) {
    const pool: readonly FailedDelivery[] =
      expectation['dead-letters'] === undefined ? twin.deliveries.filter(isFinalFailure) : twin.deadLetters;
    return checkFailures(pool, failures);
  }
  if (expectation.calls !== undefined) return checkCalls(twin, expectation.calls);
  if (expectation.asymmetry !== undefined) return checkAsymmetry(twin, expectation.asymmetry);
  return { ok: false, expected: 'a known expectation', actual: 'none' };
}

type Part<K extends keyof Expectation> = NonNullable<Expectation[K]>;

function checkRoute(twin: Twin, { table, destination, target }: Part<'route'>): CheckResult {
  return compare({ target }, { target: effectiveTarget(twin, table, destination) });
}

async function checkIncident(twin: Twin, expected: Part<'incident'>): Promise<CheckResult> {
  const { site, vpn, status, ...rest } = expected;
  const incident = await twin.incidents.current(site ?? `vpn:${vpn ?? ''}`);
  const actual =
    incident === undefined ? { status: 'none' } : { ...incident, ...incidentDurations(incident) };
  return compare({ status, ...rest }, actual);
}

function checkPublished(twin: Twin, expected: Part<'published'>): CheckResult {
  const detailType = expected['detail-type'];
  const count = twin.bus.filter((e) => e.source === 'tunnel-warden' && e.detailType === detailType).length;
  return compare({ count: expected.count }, { count });
}

function checkProbe(twin: Twin, { from, to, reachable }: Part<'probe'>): CheckResult {
  const result = probe(
    twin.world,
    from.startsWith('vpc-') ? { to, fromVpcId: from } : { to, fromTgwRouteTableId: from },
  );
  const checked = compare({ reachable }, { reachable: result.reachable });
  return { ...checked, actual: `${checked.actual} (${result.reason})` };
}

interface FailedDelivery {
  readonly function: string;
  readonly error?: string;
}

function checkFailures(pool: readonly FailedDelivery[], expected: Part<'failed'>): CheckResult {
  const { function: fn, count, reason } = expected;
  const matching = pool.filter(
    (d) =>
      (fn === undefined || d.function === fn) && (reason === undefined || (d.error ?? '').includes(reason)),
  );
  const checked = compare({ count }, { count: matching.length });
  // When the count is off, say what did fail: the reason an author would match on.
  const others = pool.filter((d) => fn === undefined || d.function === fn).map((d) => d.error ?? '');
  return checked.ok || others.length === 0
    ? checked
    : { ...checked, actual: `${checked.actual} (errors: ${[...new Set(others)].join(' | ')})` };
}

function checkCalls(twin: Twin, expected: Part<'calls'>): CheckResult {
  const { service = 'ec2', action, count, min, max } = expected;
  const calls: readonly { readonly action: string }[] =
    service === 'ec2'
      ? twin.ec2.calls
      : service === 'dynamodb'
        ? twin.dynamo.calls
        : twin.services.calls.filter((c) => c.service === service);
  const n = calls.filter((c) => c.action === action).length;
  const ok =
    (count === undefined || n === count) &&
    (min === undefined || n >= min) &&
    (max === undefined || n <= max);
  const wanted = [
    count === undefined ? '' : `=${count}`,
    min === undefined ? '' : `≥${min}`,
    max === undefined ? '' : `≤${max}`,
  ]
    .join(' ')
    .trim();
  return { ok, expected: `${action} calls ${wanted}`, actual: `${action} calls =${n}` };
}

/** `180 s` rather than a bare number: a detection time is read next to its bound. */
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The first trigger after the latest fault is the one named, no later than its bound. */
function checkDetected(twin: Twin, detected: Part<'detected'>, fault: FaultMark | undefined): CheckResult {
  const expected = `detected by ${detected.by} within ${seconds(detected.within)}`;
  // The validator refuses a `detected` with no fault step before it; this only guards the type.
  if (fault === undefined) return { ok: false, expected, actual: 'no fault step before it' };
  const first = firstDetection(fault, twin.deliveries, twin.bus);
  if (first === undefined)
    return {
      ok: false,
      expected,
      actual: `not detected after ${seconds(twin.clock.now().getTime() - fault.at)}`,
    };
  return {
    ok: first.trigger === detected.by && first.afterMs <= detected.within,
    expected,
    actual: `detected by ${first.trigger} after ${seconds(first.afterMs)}`,
  };
}

/** The longest asymmetric window so far (sampled every twin minute and after every step) against its bounds. */
function checkAsymmetry(twin: Twin, { from, to, max, min }: Part<'asymmetry'>): CheckResult {
  const now = twin.clock.now().getTime();
  const longest = twin.asymmetry.longestMs(from, to, now);
  const wanted = [min === undefined ? '' : `≥ ${seconds(min)}`, max === undefined ? '' : `≤ ${seconds(max)}`]
    .join(' ')
    .trim();
  const expected = `asymmetric window ${from} ⇄ ${to} ${wanted}`;
  if (longest === undefined) return { ok: false, expected, actual: 'the pair was not watched' };
  const ok = (min === undefined || longest >= min) && (max === undefined || longest <= max);
  const { forward, back } = pathsBetween(twin.world, from, to);
  const where = `now AWS → on-prem over ${forward.vpnId ?? 'none'}, on-prem → AWS over ${back.vpnId ?? 'none'}`;
  return { ok, expected, actual: `longest asymmetric window ${seconds(longest)} (${where})` };
}
