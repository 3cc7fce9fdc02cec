/**
 * Tunnel state changes remembered between invocations, so that decide() can damp a flapping path:
 * one invocation only sees each tunnel's latest LastStatusChange, never the ones in between.
 *
 * Item: pk `SITE#<site>`, sk `HISTORY`; `transitions` is a DynamoDB list of maps
 * `{ vpnId: S, tunnelIp: S, at: S }` (readable in the console, well under the item size limit at 500
 * entries); `version` (N) guards the read-merge-write; `expiresAt` lets TTL drop a site gone quiet.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SiteHistory, TunnelTransition } from '../policy/plan.js';
import type { HistoryStore } from '../usecases/ports.js';
import { epochSeconds, isConditionFailure, StoreError, siteKey } from './table.js';

/** More than any flap threshold needs; bounds the item size if a tunnel bounces every few seconds. */
export const MAX_TRANSITIONS = 500;
/** One write plus up to five retries after losing a race to another invocation. */
const MAX_ATTEMPTS = 6;
const HISTORY_SORT_KEY = 'HISTORY';

function instant(transition: TunnelTransition): number {
  const ms = Date.parse(transition.at);
  if (Number.isNaN(ms)) {
    throw new StoreError(
      `transition of ${transition.vpnId} ${transition.tunnelIp} has no valid time: ${transition.at}`,
    );
  }
  return ms;
}

// Keyed on the instant, not the string, so `...00Z` and `...00.000Z` from two API paths count once.
const identity = (t: TunnelTransition): string => JSON.stringify([t.vpnId, t.tunnelIp, instant(t)]);

/** The pure merge both stores share; `changed` says whether the result differs from `stored`. */
export function mergeTransitions(
  stored: readonly TunnelTransition[],
  observed: readonly TunnelTransition[],
  now: Date,
  windowMs: number,
): { transitions: TunnelTransition[]; changed: boolean } {
  const byId = new Map<string, TunnelTransition>();
  for (const t of stored) byId.set(identity(t), t);
  const added = new Set<TunnelTransition>();
  for (const t of observed) {
    const id = identity(t);
    if (byId.has(id)) continue;
    const copy = { vpnId: t.vpnId, tunnelIp: t.tunnelIp, at: t.at };
    byId.set(id, copy);
    added.add(copy);
  }
  const oldest = now.getTime() - windowMs;
  const transitions = [...byId.values()]
    .filter((t) => instant(t) >= oldest)
    // Ties broken on the tunnel so that the order (and the cap below) never depends on arrival order.
    .sort(
      (a, b) =>
        instant(a) - instant(b) || a.vpnId.localeCompare(b.vpnId) || a.tunnelIp.localeCompare(b.tunnelIp),
    )
    .slice(-MAX_TRANSITIONS);
  // A new entry that the window or the cap dropped at once changes nothing worth a write.
  return {
    transitions,
    changed: transitions.length !== stored.length || transitions.some((t) => added.has(t)),
  };
}

function fromItem(site: string, value: AttributeValue | undefined): TunnelTransition[] {
  if (value === undefined) return [];
  if (value.L === undefined) throw new StoreError(`history of site ${site}: transitions is not a list`);
  return value.L.map((entry, i) => {
    const vpnId = entry.M?.vpnId?.S;
    const tunnelIp = entry.M?.tunnelIp?.S;
    const at = entry.M?.at?.S;
    // Refuse rather than skip: silently losing history would weaken flap damping without anyone noticing.
    if (vpnId === undefined || tunnelIp === undefined || at === undefined) {
      throw new StoreError(
        `history of site ${site}: transitions[${i}] is malformed; delete the item to reset it`,
      );
    }
    return { vpnId, tunnelIp, at };
  });
}

const toItem = (t: TunnelTransition): AttributeValue => ({
  M: { vpnId: { S: t.vpnId }, tunnelIp: { S: t.tunnelIp }, at: { S: t.at } },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoHistoryStore implements HistoryStore {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  public async recordAndLoad(
    site: string,
    observed: readonly TunnelTransition[],
    now: Date,
    windowMs: number,
  ): Promise<SiteHistory> {
    const key = { pk: { S: siteKey(site) }, sk: { S: HISTORY_SORT_KEY } };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const item = await this.read(site, key);
      const version = item?.version?.N;
      const merged = mergeTransitions(fromItem(site, item?.transitions), observed, now, windowMs);
      // Nothing new and nothing pruned: skip the write, which also keeps concurrent callers from colliding.
      if (!merged.changed) return { transitions: merged.transitions };
      const written = await this.write(site, key, merged.transitions, version, { now, windowMs });
      if (written) return { transitions: merged.transitions };
      // Another invocation wrote first: re-read and merge on top of theirs; jitter so racers spread out.
      if (attempt < MAX_ATTEMPTS) await pause(Math.random() * 20 * attempt);
    }
    throw new StoreError(`history of site ${site}: gave up after ${MAX_ATTEMPTS} conflicting writes`);
  }

  private async read(
    site: string,
    key: Record<string, AttributeValue>,
  ): Promise<Record<string, AttributeValue> | undefined> {
    try {
      // Consistent: an eventually consistent read would hand us a stale version and waste a retry.
      const { Item } = await this.client.send(
        new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return Item;
    } catch (error) {
      throw new StoreError(`could not read the history of site ${site}`, { cause: error });
    }
  }

  /** Writes the merged history over the version read; false when another invocation wrote first. */
  private async write(
    site: string,
    key: Record<string, AttributeValue>,
    transitions: readonly TunnelTransition[],
    version: string | undefined,
    { now, windowMs }: { readonly now: Date; readonly windowMs: number },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key,
            transitions: { L: transitions.map(toItem) },
            version: { N: String(Number(version ?? 0) + 1) },
            updatedAt: { S: now.toISOString() },
            // Every entry has left the window by then, so the item is worthless and TTL may drop it.
            expiresAt: { N: String(epochSeconds(now.getTime() + windowMs)) },
          },
          // Absent version (first write, or no item at all) must stay absent; else it must be the one we read.
          ExpressionAttributeNames: { '#version': 'version' },
          ...(version === undefined
            ? { ConditionExpression: 'attribute_not_exists(#version)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeValues: { ':expected': { N: version } },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not write the history of site ${site}`, { cause: error });
    }
  }
}

/** The same merge in memory, for the CLI and for pure tests; single-threaded, so no version check. */
export class InMemoryHistoryStore implements HistoryStore {
  private readonly sites = new Map<string, TunnelTransition[]>();

  public async recordAndLoad(
    site: string,
    observed: readonly TunnelTransition[],
    now: Date,
    windowMs: number,
  ): Promise<SiteHistory> {
    const { transitions } = mergeTransitions(this.sites.get(site) ?? [], observed, now, windowMs);
    this.sites.set(site, transitions);
    return { transitions: [...transitions] };
  }
}
