import { compileLeaf } from './operators.js';
import { describe, fail, indexPath, isRecord, keyPath } from './validate.js';

export type EventPattern = Record<string, unknown>;

type EventObject = Readonly<Record<string, unknown>>;
type ObjectMatcher = (event: EventObject) => boolean;

// Stand-in for a missing or non-object parent, so nested `exists: false` still sees "absent".
const EMPTY: EventObject = Object.freeze({});

/**
 * Validates a pattern (throws InvalidEventPatternError naming the JSON path of the bad part and why)
 * and returns a compiled matcher. All parsing happens here; the matcher only walks the event.
 */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  const root = compileObject(pattern, '');
  return (event) => isRecord(event) && root(event);
}

/** One-shot convenience; prefer compilePattern when the same pattern is applied to many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

function compileObject(pattern: unknown, path: string): ObjectMatcher {
  if (!isRecord(pattern)) fail(path, `pattern must be a JSON object, got ${describe(pattern)}`);
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'pattern object must have at least one field');
  const fields: ObjectMatcher[] = [];
  let alternatives: ObjectMatcher[] = [];
  for (const [key, value] of entries) {
    const fieldPath = keyPath(path, key);
    if (key === '$or') alternatives = compileOr(value, fieldPath);
    else fields.push(compileField(key, value, fieldPath));
  }
  // `$or` branches are merged with their siblings: every sibling AND at least one branch.
  return (event) =>
    fields.every((field) => field(event)) &&
    (alternatives.length === 0 || alternatives.some((alternative) => alternative(event)));
}

function compileOr(value: unknown, path: string): ObjectMatcher[] {
  if (!Array.isArray(value)) fail(path, `$or must be an array of pattern objects, got ${describe(value)}`);
  if (value.length < 2) fail(path, '$or must contain at least two patterns');
  return value.map((branch: unknown, i) => {
    const branchPath = indexPath(path, i);
    if (!isRecord(branch)) fail(branchPath, `$or entries must be pattern objects, got ${describe(branch)}`);
    return compileObject(branch, branchPath);
  });
}

function compileField(key: string, value: unknown, path: string): ObjectMatcher {
  if (Array.isArray(value)) {
    const leaf = compileLeaf(value, path);
    return (event) => leaf(leafValues(fieldOf(event, key), []));
  }
  if (isRecord(value)) {
    const nested = compileObject(value, path);
    return (event) => matchNested(nested, fieldOf(event, key));
  }
  return fail(path, `expected an array of match values or a nested pattern object, got ${describe(value)}`);
}

function fieldOf(event: EventObject, key: string): unknown {
  // Own properties only: a field named "constructor" must not resolve to Object.prototype's.
  return Object.hasOwn(event, key) ? event[key] : undefined;
}

/**
 * Values a leaf pattern is tested against. Arrays (nested ones too) are flattened so any element
 * may match; objects are skipped because operators, `exists` included, only apply to leaf values.
 * An empty array therefore counts as absent.
 */
function leafValues(value: unknown, out: unknown[]): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) leafValues(item, out);
  } else if (value !== undefined && !isRecord(value)) {
    out.push(value);
  }
  return out;
}

/**
 * A nested pattern applied through an array matches when a single element satisfies all of it, so
 * `{name: ["a"], qty: [1]}` is not satisfied by `[{name: "a"}, {qty: 1}]`. With no object to descend
 * into, the pattern is tested against an empty object so `exists: false` below it can still match.
 */
function matchNested(matcher: ObjectMatcher, value: unknown): boolean {
  if (isRecord(value)) return matcher(value);
  if (!Array.isArray(value)) return matcher(EMPTY);
  const objects = objectsIn(value, []);
  return objects.length === 0 ? matcher(EMPTY) : objects.some(matcher);
}

function objectsIn(values: readonly unknown[], out: EventObject[]): EventObject[] {
  for (const item of values) {
    if (isRecord(item)) out.push(item);
    else if (Array.isArray(item)) objectsIn(item, out);
  }
  return out;
}
