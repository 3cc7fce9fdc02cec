import { caseInsensitive } from './ignore-case.js';
import {
  describe,
  expectNonEmptyList,
  expectString,
  fail,
  isRecord,
  keyPath,
  singleEntry,
} from './validate.js';
import { compileWildcard } from './wildcard.js';

type StringTest = (value: string) => boolean;

/**
 * Compiles the operand of `anything-but`. The returned predicate is only ever applied to values that
 * are present in the event, which is what makes anything-but fail on a missing field.
 *
 * Semantics chosen here (AWS flattens events and tests each value independently):
 * - For an array in the event the leaf matches when ANY element is not excluded, so
 *   `{"anything-but": "a"}` matches `["a", "b"]` but not `["a"]`.
 * - Exclusions are type-aware: strings only exclude strings and numbers only exclude numbers
 *   (numerically), so a value of a different type (including null and booleans) is "anything but"
 *   and matches.
 */
export function compileAnythingBut(operand: unknown, path: string): (value: unknown) => boolean {
  if (typeof operand === 'string' || typeof operand === 'number') return exclusionList([operand], path);
  if (Array.isArray(operand)) return exclusionList(operand, path);
  if (isRecord(operand)) {
    const excluded = compileStringExclusion(operand, path);
    return (value) => typeof value !== 'string' || !excluded(value);
  }
  return fail(
    path,
    `anything-but expects a string, number, list or operator object, got ${describe(operand)}`,
  );
}

function exclusionList(values: unknown[], path: string): (value: unknown) => boolean {
  const checked = expectNonEmptyList(values, path, 'anything-but list', (item, itemPath) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    return fail(itemPath, `anything-but values must be strings or finite numbers, got ${describe(item)}`);
  });
  const kinds = new Set(checked.map((item) => typeof item));
  // AWS rejects mixed lists; accepting them would hide a likely quoting mistake such as [1, "1"].
  if (kinds.size > 1) fail(path, 'anything-but list must contain only strings or only numbers');
  const excluded = new Set<string | number>(checked);
  return (value) => !((typeof value === 'string' || typeof value === 'number') && excluded.has(value));
}

function compileStringExclusion(operand: Record<string, unknown>, path: string): StringTest {
  const [key, inner] = singleEntry(operand, path);
  const innerPath = keyPath(path, key);
  const itemPath = (i: number): string => (Array.isArray(inner) ? `${innerPath}[${i}]` : innerPath);
  switch (key) {
    case 'prefix': {
      const prefixes = nonEmptyAffixes(inner, innerPath, key, itemPath);
      return (value) => prefixes.some((prefix) => value.startsWith(prefix));
    }
    case 'suffix': {
      const suffixes = nonEmptyAffixes(inner, innerPath, key, itemPath);
      return (value) => suffixes.some((suffix) => value.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const tests = stringOrList(inner, innerPath, key).map((item) => caseInsensitive(item, 'whole'));
      return (value) => tests.some((test) => test(value));
    }
    case 'wildcard': {
      const tests = stringOrList(inner, innerPath, key).map((item, i) => compileWildcard(item, itemPath(i)));
      return (value) => tests.some((test) => test(value));
    }
    default:
      return fail(innerPath, `unsupported operator "${key}" inside anything-but`);
  }
}

/**
 * `anything-but` prefix/suffix take a string or a list of them (ACMachineTest.testAnythingButPrefixSet). An
 * empty one would exclude every string; AWS refuses it ("Null prefix/suffix not allowed").
 */
function nonEmptyAffixes(
  inner: unknown,
  path: string,
  what: string,
  itemPath: (i: number) => string,
): string[] {
  const affixes = stringOrList(inner, path, what);
  affixes.forEach((affix, i) => {
    if (affix === '') fail(itemPath(i), `anything-but ${what} must not be empty (AWS refuses "")`);
  });
  return affixes;
}

function stringOrList(value: unknown, path: string, what: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) fail(path, `anything-but ${what} must be a string or a list of strings`);
  return expectNonEmptyList(value, path, `anything-but ${what}`, (item, itemPath) =>
    expectString(item, itemPath, `anything-but ${what} value`),
  );
}
