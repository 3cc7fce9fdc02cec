import { type LocalDynamo, startLocalDynamo } from '../../lib/twin/dynamo.js';

export type LocalTable = LocalDynamo;

/** A fresh dynalite and table per caller, so test files in parallel workers never share state. */
export function startDynalite(label: string): Promise<LocalTable> {
  return startLocalDynamo(label);
}
