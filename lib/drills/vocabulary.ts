/**
 * The names a drill may use for AWS actions, derived from the code that answers them, never typed by
 * hand: a misspelt action in `calls: { …, count: 0 }` would otherwise hold by construction.
 */
import * as DynamoDb from '@aws-sdk/client-dynamodb';
import { EC2_ACTIONS } from '../twin/ec2-registry.js';
import type { FaultService } from '../twin/faults.js';
import { EVENTS_ACTIONS } from '../twin/services/eventbridge.js';
import { SNS_ACTIONS } from '../twin/services/sns.js';
import { SSM_ACTIONS } from '../twin/services/ssm.js';

/**
 * DynamoDB's operations as the SDK models them (one `<Action>Command` per operation): the twin's
 * DynamoDB is dynalite, which answers the whole data plane rather than a registry of its own.
 */
const DYNAMODB_ACTIONS: readonly string[] = Object.keys(DynamoDb)
  .filter((name) => name.endsWith('Command') && name !== 'Command')
  .map((name) => name.slice(0, -'Command'.length));

/** Per service, the actions the twin answers (EC2, SSM, SNS, EventBridge: the twin's own registries). */
export const KNOWN_ACTIONS: Readonly<Record<FaultService, readonly string[]>> = {
  ec2: EC2_ACTIONS,
  dynamodb: DYNAMODB_ACTIONS,
  ssm: SSM_ACTIONS,
  events: EVENTS_ACTIONS,
  sns: SNS_ACTIONS,
};

/** Edit distance, to suggest the name that was meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** "did you mean X?" for the closest known name within a few edits, else the list (when short). */
export function suggestion(name: string, known: readonly string[]): string {
  const ranked = [...known]
    .map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const best = ranked[0];
  if (best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 4)))
    return `did you mean ${best.k}?`;
  return known.length <= 12
    ? `known: ${known.join(', ')}`
    : `${known.length} known names, e.g. ${known.slice(0, 6).join(', ')}`;
}
