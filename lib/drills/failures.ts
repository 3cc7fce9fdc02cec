/**
 * Handler failures fail a drill unless the drill says it expects them. Before this, a failed `invoke` or
 * an event Lambda dead-lettered still let every expectation hold: a drill could pass while the code it
 * rehearses threw.
 */
import type { Delivery } from '../twin/deliver.js';
import type { Scenario } from './schema.js';

/** A run that ended in failure as its caller sees it: an `invoke` that threw, or an event's last attempt. */
export const isFinalFailure = (delivery: Delivery): boolean => delivery.outcome === 'failed';

/**
 * The functions whose failures the drill accounts for: those a `failed` or `dead-letters` expectation
 * with a count above 0 names (one that names no function accounts for every function); that expectation
 * checks how many. `count: 0` claims nothing: a failure after it still fails the drill.
 */
export function expectedFailures(scenario: Scenario): (fn: string) => boolean {
  const owned = new Set<string>();
  let all = false;
  for (const step of scenario.steps) {
    if (!('expect' in step)) continue;
    const stated = step.expect.failed ?? step.expect['dead-letters'];
    if (stated === undefined || stated.count === 0) continue;
    if (stated.function === undefined) all = true;
    else owned.add(stated.function);
  }
  return (fn) => all || owned.has(fn);
}

/** The first failure no expectation accounts for, in words; undefined when there is none. */
export function unexpectedFailure(
  deliveries: readonly Delivery[],
  accounted: (fn: string) => boolean,
): { readonly expected: string; readonly actual: string } | undefined {
  const failure = deliveries.find((d) => isFinalFailure(d) && !accounted(d.function));
  if (failure === undefined) return undefined;
  const how =
    failure.detailType === 'Invocation'
      ? 'the invocation threw'
      : `its last attempt (${failure.attempts}) failed on ${failure.detailType}`;
  return {
    expected: `no handler failure (or expect: { failed: { function: ${failure.function}, count: … } })`,
    actual: `${failure.function} failed — ${how}: ${failure.error ?? 'no error message'}`,
  };
}
