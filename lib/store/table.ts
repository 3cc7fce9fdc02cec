/**
 * The single DynamoDB table tunnel-warden keeps its state in. Keys are generic (`pk`/`sk` strings) so
 * that locks, flap history and, later, incidents share one table: every item of a site lives under
 * `pk = SITE#<site>` and the sort key says what it is (`LOCK`, `HISTORY`, ...).
 */
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { TunnelWardenError } from '../errors.js';

/** A state store that cannot be read or written. Nothing should act on a site whose state is unknown. */
export class StoreError extends TunnelWardenError {}

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Epoch seconds; DynamoDB's TTL deletes the item some time after it (lazily, so never rely on it for logic). */
export const TTL_ATTRIBUTE = 'expiresAt';

export const TABLE_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
  { AttributeName: SORT_KEY, KeyType: 'RANGE' },
];

export const TABLE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { AttributeName: PARTITION_KEY, AttributeType: 'S' },
  { AttributeName: SORT_KEY, AttributeType: 'S' },
];

export const TABLE_ENV = 'TUNNEL_WARDEN_TABLE';

type Env = Readonly<Record<string, string | undefined>>;

/** The partition key of everything that belongs to one site. */
export function siteKey(site: string): string {
  return `SITE#${site}`;
}

/** Seconds since the epoch, rounded up so a TTL never fires before the moment it stands for. */
export function epochSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** The table name the deployment gives the function; a missing one is a deployment bug, so say which variable. */
export function tableName(env: Env = process.env): string {
  const name = env[TABLE_ENV]?.trim();
  if (name === undefined || name === '') {
    throw new StoreError(
      `${TABLE_ENV} is not set: it must name the DynamoDB table that holds locks and history`,
    );
  }
  return name;
}

/** A condition that did not hold: the expected outcome of a lost race, not a failure. */
export function isConditionFailure(error: unknown): boolean {
  // Compare names, not classes: a second copy of the SDK (or a mock) would defeat instanceof.
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
