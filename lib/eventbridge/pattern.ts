import { checkWildcardComplexity } from './complexity.js';
import { type ArrayMembership, type FlatValue, flattenEvent, mergeMemberships } from './flatten.js';
import type { Leaf } from './operators.js';
import { compileSubRules } from './sub-rules.js';
import { isRecord } from './validate.js';

export { InvalidEventPatternError } from './errors.js';

export type EventPattern = Record<string, unknown>;

type Field = { readonly name: string; readonly leaf: Leaf };

/**
 * Validates a pattern (throws InvalidEventPatternError naming the JSON path of the bad part and why)
 * and returns a compiled matcher. All parsing happens here; the matcher only walks the event.
 *
 * The semantics are event-ruler's (the library EventBridge runs): the pattern is expanded into sub-rules
 * (one per `$or` alternative), the event is flattened into dotted field names, and a sub-rule matches when
 * every field finds a value such that no two of them come from different elements of the same array — an
 * `$or` branch included, so it cannot be satisfied by another element than its siblings.
 */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  const subRules = compileSubRules(pattern);
  checkWildcardComplexity(subRules);
  // event-ruler walks fields in name order; exists:false is judged against the elements chosen so far.
  const compiled: Field[][] = subRules.map((rule) =>
    [...rule.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, field]) => ({ name, leaf: field.leaf })),
  );
  return (event) => {
    if (!isRecord(event)) return false;
    const flat = flattenEvent(event);
    return compiled.some((fields) => satisfies(fields, 0, flat, new Map()));
  };
}

/** One-shot convenience; prefer compilePattern when the same pattern is applied to many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

function satisfies(
  fields: readonly Field[],
  index: number,
  flat: ReadonlyMap<string, readonly FlatValue[]>,
  membership: ArrayMembership,
): boolean {
  const field = fields[index];
  if (field === undefined) return true;
  const values = flat.get(field.name) ?? [];
  for (const candidate of values) {
    if (!field.leaf.matches(candidate.value)) continue;
    const merged = mergeMemberships(membership, candidate.membership);
    if (merged !== undefined && satisfies(fields, index + 1, flat, merged)) return true;
  }
  // Absent means: no value of this field in the array elements the match is already committed to.
  const absent = values.every(
    (candidate) => mergeMemberships(membership, candidate.membership) === undefined,
  );
  return field.leaf.existsFalse && absent && satisfies(fields, index + 1, flat, membership);
}
