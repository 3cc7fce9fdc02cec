/**
 * Every EC2 action the twin answers, by name: the reads of ec2-describe.ts and the guarded writes of
 * ec2-mutate.ts. Each is declared once, in its file's table; the lists here are derived from them.
 */
import type { Ec2Action } from './ec2-actions.js';
import { DESCRIBE_ACTIONS } from './ec2-describe.js';
import { MUTATE_ACTIONS } from './ec2-mutate.js';

const REGISTRY: Readonly<Record<string, Ec2Action>> = { ...DESCRIBE_ACTIONS, ...MUTATE_ACTIONS };

/** The actions the twin answers (drills check action names against it). */
export const EC2_ACTIONS: readonly string[] = Object.keys(REGISTRY);

/** The writes: each refused on a resource not tagged managed. */
export const EC2_WRITE_ACTIONS: readonly string[] = Object.keys(MUTATE_ACTIONS);

/** The action by its `Action` parameter; undefined when the twin does not answer it. */
export function ec2Action(name: string): Ec2Action | undefined {
  return Object.hasOwn(REGISTRY, name) ? REGISTRY[name] : undefined;
}
