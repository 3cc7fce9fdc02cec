import { checkWildcardComplexity } from './complexity.js';
import {
  type ArrayMembership,
  type FlatValue,
  flattenEvent,
  mergeMemberships,
  pathsToVisit,
} from './flatten.js';
import type { Leaf } from './operators.js';
import { compileSubRules } from './sub-rules.js';
import { isRecord } from './validate.js';

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
  const visitPaths = pathsToVisit(compiled.flatMap((fields) => fields.map((field) => field.name)));
  return (event) => {
    if (!isRecord(event)) return false;
    const flat = flattenEvent(event, visitPaths);
    return compiled.some((fields) => new Search(fields, flat).satisfies(0, new Map()));
  };
}

/** One-shot convenience; prefer compilePattern when the same pattern is applied to many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

/**
 * Chooses one value per field, in order, such that no two come from different elements of one array.
 * Dead ends are remembered by field and chosen elements, so an event with large arrays costs at most
 * fields × distinct element choices rather than every combination.
 */
class Search {
  private readonly failed = new Set<string>();

  constructor(
    private readonly fields: readonly Field[],
    private readonly flat: ReadonlyMap<string, readonly FlatValue[]>,
  ) {}

  satisfies(index: number, membership: ArrayMembership): boolean {
    const field = this.fields[index];
    if (field === undefined) return true;
    const memo = `${index}|${[...membership]
      .sort(([a], [b]) => a - b)
      .map(([array, element]) => `${array}:${element}`)
      .join(',')}`;
    if (this.failed.has(memo)) return false;
    const values = this.flat.get(field.name) ?? [];
    for (const candidate of values) {
      if (!field.leaf.matches(candidate.value)) continue;
      const merged = mergeMemberships(membership, candidate.membership);
      if (merged !== undefined && this.satisfies(index + 1, merged)) return true;
    }
    // Absent means: no value of this field in the array elements the match is already committed to.
    const absent = values.every(
      (candidate) => mergeMemberships(membership, candidate.membership) === undefined,
    );
    if (field.leaf.existsFalse && absent && this.satisfies(index + 1, membership)) return true;
    this.failed.add(memo);
    return false;
  }
}
