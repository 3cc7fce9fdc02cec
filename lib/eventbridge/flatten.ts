import { isRecord } from './validate.js';

/** Array id → element index, for every array a value sits inside. */
export type ArrayMembership = ReadonlyMap<number, number>;

/** One leaf value of an event and the array elements it came from. */
export interface FlatValue {
  readonly value: unknown;
  readonly membership: ArrayMembership;
}

/**
 * Every dotted path worth descending into for these field names: `detail.state.status` gives `detail`,
 * `detail.state` and itself. A key that reaches none of them is skipped, so the parts of an event no
 * pattern reads — however deep, large or cyclic — cost nothing.
 */
export function pathsToVisit(fieldNames: Iterable<string>): ReadonlySet<string> {
  const paths = new Set<string>();
  for (const name of fieldNames) {
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1))
      paths.add(name.slice(0, dot));
    paths.add(name);
  }
  return paths;
}

/**
 * Flattens an event as event-ruler does (Event.java): keys joined with "." (so `{"a.b": 1}` and
 * `{"a": {"b": 1}}` both give the field `a.b`), arrays crushed into their parent field, and each value
 * tagged with the array elements it came from so a match can be held to one element per array.
 * Objects and empty arrays contribute no value of their own. Only paths in `visit` are followed.
 */
export function flattenEvent(
  event: Readonly<Record<string, unknown>>,
  visitPaths: ReadonlySet<string>,
): Map<string, FlatValue[]> {
  const flattening: Flattening = { fields: new Map(), visitPaths, nextArrayId: 0 };
  visitValue(flattening, event, undefined, new Map());
  return flattening.fields;
}

/** What one flattening carries through its walk: the fields found so far and the next array's id. */
interface Flattening {
  readonly fields: Map<string, FlatValue[]>;
  readonly visitPaths: ReadonlySet<string>;
  nextArrayId: number;
}

// `path` is undefined only at the root, so an empty key still adds a step ({"": {"": 1}} gives ".").
function visitValue(
  flattening: Flattening,
  value: unknown,
  path: string | undefined,
  membership: ArrayMembership,
): void {
  if (Array.isArray(value)) visitArrayElements(flattening, value, path, membership);
  else if (isRecord(value)) visitWantedKeys(flattening, value, path, membership);
  else if (value !== undefined && path !== undefined)
    addLeafValue(flattening.fields, path, { value, membership });
}

/** An array adds no step to the path; each element is tagged with its index in this array. */
function visitArrayElements(
  flattening: Flattening,
  items: readonly unknown[],
  path: string | undefined,
  membership: ArrayMembership,
): void {
  const arrayId = flattening.nextArrayId++;
  items.forEach((item: unknown, index) => {
    visitValue(flattening, item, path, new Map(membership).set(arrayId, index));
  });
}

function visitWantedKeys(
  flattening: Flattening,
  record: Readonly<Record<string, unknown>>,
  path: string | undefined,
  membership: ArrayMembership,
): void {
  for (const [key, child] of Object.entries(record)) {
    const childPath = path === undefined ? key : `${path}.${key}`;
    if (flattening.visitPaths.has(childPath)) visitValue(flattening, child, childPath, membership);
  }
}

function addLeafValue(fields: Map<string, FlatValue[]>, path: string, flat: FlatValue): void {
  const values = fields.get(path);
  if (values === undefined) fields.set(path, [flat]);
  else values.push(flat);
}

/**
 * The union of two memberships, or undefined when they place the match in different elements of the same
 * array — the one thing event-ruler's array-consistent matching refuses (ArrayMembership.checkArrayConsistency).
 */
export function mergeMemberships(a: ArrayMembership, b: ArrayMembership): ArrayMembership | undefined {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const merged = new Map(a);
  for (const [arrayId, index] of b) {
    const existing = merged.get(arrayId);
    if (existing !== undefined && existing !== index) return undefined;
    merged.set(arrayId, index);
  }
  return merged;
}
