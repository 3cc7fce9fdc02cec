/**
 * The `Route Moved` event, schema version 1.0: one per managed route that tunnel-warden moved, published
 * at the instant of the move for on-prem automation (e.g. to move the customer side's static routes or
 * local-pref with it, so both directions take the same path). Additive changes keep 1.x; anything else
 * is a new major version. Delivery is at least once: consumers dedupe on `moveId`.
 */
import { z } from 'zod';
import { firstIssue } from '../events/zod-issues.js';
import { PublishError } from './errors.js';
import { redact } from './redact.js';

export const ROUTE_MOVED_DETAIL_TYPE = 'Route Moved';
export const ROUTE_MOVED_SCHEMA_VERSION = '1.0';

/** Why the route moved: the plan's decision. */
export const MOVE_REASONS = ['failover', 'failback', 'repair', 'no-healthy-path'] as const;
/**
 * What happened to the route: `replaced` (a static route now points elsewhere), `override-added`
 * (a static route now overrides what BGP propagates), `override-removed` (the static route is gone and
 * the propagated route carries the prefix again).
 */
export const MOVE_CHANGES = ['replaced', 'override-added', 'override-removed'] as const;

const timestamp = z.iso.datetime({ offset: true });

/** One end of a move: the configured path (null when the route pointed at nothing of the site) and its target. */
export const RouteEndSchema = z.object({
  path: z.string().min(1).nullable(),
  /** An attachment (`tgw-attach-…`) or VPC target (`vgw-`, `tgw-`, `eni-…`); null for a propagated route or none. */
  target: z.string().min(1).nullable(),
  routing: z.enum(['static', 'propagated', 'none']),
});

export const RouteMovedDetailSchema = z.object({
  schemaVersion: z.literal(ROUTE_MOVED_SCHEMA_VERSION),
  /** `<event id>#move#<route table>|<prefix>`: the same move published twice has the same id. */
  // Not a pattern: a move that landed must never fail its recording over the shape of an event id.
  moveId: z.string().min(1),
  site: z.string().min(1),
  prefix: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/),
  routeTable: z.object({
    id: z.string().regex(/^(tgw-rtb|rtb)-[0-9a-f]{8,17}$/),
    kind: z.enum(['transit-gateway', 'vpc']),
  }),
  from: RouteEndSchema,
  to: RouteEndSchema,
  reason: z.enum(MOVE_REASONS),
  change: z.enum(MOVE_CHANGES),
  /** The incident the move belongs to (its timeline has the whole story); null when none was open. */
  incidentId: z.string().min(1).nullable(),
  movedAt: timestamp,
});

export type RouteMovedDetail = z.infer<typeof RouteMovedDetailSchema>;
export type RouteEnd = z.infer<typeof RouteEndSchema>;
/** A move as the run saw it, before it is attached to the incident that carries it. */
export type RouteMove = Omit<RouteMovedDetail, 'incidentId' | 'schemaVersion'>;

/** The whole event as a consumer receives it; other envelope fields (id, time, account…) are stripped. */
export const RouteMovedEventSchema = z.object({
  source: z.literal('tunnel-warden'),
  'detail-type': z.literal(ROUTE_MOVED_DETAIL_TYPE),
  detail: RouteMovedDetailSchema,
});

/** The detail for one move, redacted and validated; throws PublishError when it breaks the schema. */
export function routeMovedDetail(move: RouteMove, incidentId: string | undefined): RouteMovedDetail {
  const draft = { schemaVersion: ROUTE_MOVED_SCHEMA_VERSION, ...move, incidentId: incidentId ?? null };
  const parsed = RouteMovedDetailSchema.safeParse(redact(draft));
  if (parsed.success) return parsed.data;
  const { path, problem } = firstIssue(parsed.error);
  throw new PublishError(
    `move ${move.moveId} breaks the Route Moved schema ${ROUTE_MOVED_SCHEMA_VERSION} at ${path}: ${problem}`,
    { codes: ['SchemaViolation'], cause: parsed.error },
  );
}
