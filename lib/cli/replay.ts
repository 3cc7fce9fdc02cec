import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isQuiet, narrateDelivery, narrateIncident } from '../drills/narrate.js';
import type { Delivery } from '../twin/deliver.js';
import type { BusEntry } from '../twin/services/server.js';
import { setTunnelStatus } from '../twin/tunnels.js';
import { Twin } from '../twin/twin.js';
import { InputError } from './errors.js';

export interface ReplayResult {
  readonly file: string;
  readonly eventId: string;
  readonly deliveries: readonly Delivery[];
  readonly published: readonly BusEntry[];
}

/** The envelope every EventBridge event carries; the rules match on it, so replay refuses events without it. */
const ENVELOPE_STRINGS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region'] as const;
const ENVELOPE_FIELDS = [...ENVELOPE_STRINGS, 'resources', 'detail'] as const;

/** What is wrong with an object as an EventBridge event, or an empty list when nothing is. */
export function envelopeProblems(event: Record<string, unknown>): string[] {
  const missing = ENVELOPE_FIELDS.filter((field) => !(field in event));
  const problems = missing.length === 0 ? [] : [`missing envelope fields: ${missing.join(', ')}`];
  for (const field of ENVELOPE_STRINGS)
    if (field in event && typeof event[field] !== 'string') problems.push(`${field}: expected a string`);
  if ('resources' in event && !Array.isArray(event.resources)) problems.push('resources: expected an array');
  const detail = event.detail;
  if ('detail' in event && (typeof detail !== 'object' || detail === null || Array.isArray(detail)))
    problems.push('detail: expected an object');
  return problems;
}

function readEvent(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: not a readable JSON event`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${file}: expected one EventBridge event (a JSON object)`);
  }
  const event = parsed as Record<string, unknown>;
  const problems = envelopeProblems(event);
  if (problems.length > 0) throw new InputError(`${file}: not an EventBridge event: ${problems.join('; ')}`);
  return event;
}

/**
 * Puts each event on the bus of a fresh demo twin — through the packaged rules to the functions that
 * match, as in AWS — after taking the given tunnels down. An event no rule matches reaches nothing.
 */
export async function replayOnTwin(
  root: string,
  files: readonly string[],
  tunnelsDown: readonly string[],
): Promise<ReplayResult[]> {
  const events = files.map((file) => ({ file, event: readEvent(file) }));
  const twin = await Twin.start({ root });
  try {
    for (const ip of tunnelsDown) {
      if (!twin.world.vpnConnections.some((v) => v.tunnels.some((t) => t.outsideIp === ip))) {
        throw new InputError(`--tunnel-down ${ip}: no tunnel with that outside IP in the demo topology`);
      }
      setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
    }
    const results: ReplayResult[] = [];
    for (const { file, event } of events) {
      const seen = twin.bus.length;
      const deliveries = await twin.putEvents(structuredClone(event));
      const published = twin.bus.slice(seen).filter((e) => e.source === 'tunnel-warden');
      results.push({
        file: relative(root, file),
        eventId: String(event.id ?? '(no id)'),
        deliveries,
        published,
      });
    }
    return results;
  } finally {
    await twin.close();
  }
}

/** A handler that failed (or is left retrying when the twin closes) makes the replay exit 1. */
export function replayFailed(results: readonly ReplayResult[]): boolean {
  return results.some((r) => r.deliveries.some((d) => d.outcome === 'failed' || d.outcome === 'retrying'));
}

export function formatReplay(results: readonly ReplayResult[]): string {
  return results
    .map((r) => {
      if (r.deliveries.length === 0)
        return `· ${r.file}\n    no rule matches: EventBridge delivers it nowhere`;
      const lines = [
        ...r.deliveries.map(
          (d) =>
            `    ${d.outcome === 'failed' || d.outcome === 'retrying' ? '✗' : isQuiet(d) ? '·' : '✓'} ${narrateDelivery(d)}`,
        ),
        ...r.published.map((e) => `    ! ${narrateIncident(e)}`),
      ];
      return [`· ${r.file}`, ...lines].join('\n');
    })
    .join('\n');
}
