import { compileAnythingBut } from './anything-but.js';
import { compileCidr } from './cidr.js';
import { compileNumeric } from './numeric.js';
import { describe, expectString, fail, indexPath, isRecord, keyPath, singleEntry } from './validate.js';
import { compileWildcard } from './wildcard.js';

type ValueTest = (value: unknown) => boolean;

/** Decides a leaf from every value found at its path (arrays flattened, objects skipped). */
export type LeafMatcher = (values: readonly unknown[]) => boolean;

type Compiled = { kind: 'exists'; exists: boolean } | { kind: 'value'; test: ValueTest };

/** A leaf's elements, sorted: exact values go into sets so a long allow-list costs one lookup, not a scan. */
interface LeafParts {
  readonly strings: Set<string>;
  readonly numbers: Set<number>;
  readonly literals: Set<boolean | null>;
  readonly tests: ValueTest[];
  existsTrue: boolean;
  existsFalse: boolean;
}

/** Compiles a leaf array such as `["a", {"prefix": "b"}]`; its elements are OR-ed. */
export function compileLeaf(elements: unknown[], path: string): LeafMatcher {
  if (elements.length === 0) fail(path, 'match list must not be empty');
  const parts: LeafParts = {
    strings: new Set(),
    numbers: new Set(),
    literals: new Set(),
    tests: [],
    existsTrue: false,
    existsFalse: false,
  };
  elements.forEach((element: unknown, i) => {
    addElement(parts, element, indexPath(path, i));
  });
  const { strings, numbers, literals, tests, existsTrue, existsFalse } = parts;
  const matchesValue = (value: unknown): boolean => {
    if (typeof value === 'string' ? strings.has(value) : typeof value === 'number' && numbers.has(value)) {
      return true;
    }
    if ((typeof value === 'boolean' || value === null) && literals.has(value)) return true;
    return tests.some((test) => test(value));
  };
  // With no values at the path only `exists: false` can hold; otherwise `exists: true` or any value test.
  return (values) => (values.length === 0 ? existsFalse : existsTrue || values.some(matchesValue));
}

/** Sorts one element of a leaf into its parts, or fails naming it. */
function addElement(parts: LeafParts, element: unknown, elementPath: string): void {
  if (typeof element === 'string') {
    parts.strings.add(element);
  } else if (typeof element === 'number') {
    if (!Number.isFinite(element)) fail(elementPath, 'numbers must be finite');
    parts.numbers.add(element);
  } else if (typeof element === 'boolean' || element === null) {
    parts.literals.add(element);
  } else if (isRecord(element)) {
    const compiled = compileOperator(element, elementPath);
    if (compiled.kind === 'value') parts.tests.push(compiled.test);
    else if (compiled.exists) parts.existsTrue = true;
    else parts.existsFalse = true;
  } else {
    fail(
      elementPath,
      `match values must be strings, numbers, booleans, null or operators, got ${describe(element)}`,
    );
  }
}

function compileOperator(element: Record<string, unknown>, path: string): Compiled {
  const [key, operand] = singleEntry(element, path);
  const operandPath = keyPath(path, key);
  switch (key) {
    case 'exists':
      if (typeof operand !== 'boolean') {
        fail(operandPath, `exists must be true or false, got ${describe(operand)}`);
      }
      return { kind: 'exists', exists: operand };
    case 'prefix':
      return stringTest(affix(operand, operandPath, 'prefix', (v, p) => v.startsWith(p)));
    case 'suffix':
      return stringTest(affix(operand, operandPath, 'suffix', (v, s) => v.endsWith(s)));
    case 'equals-ignore-case': {
      const expected = expectString(operand, operandPath, 'equals-ignore-case').toLowerCase();
      return stringTest((value) => value.toLowerCase() === expected);
    }
    case 'wildcard':
      return stringTest(compileWildcard(operand, operandPath));
    case 'cidr':
      return stringTest(compileCidr(operand, operandPath));
    case 'numeric':
      return { kind: 'value', test: compileNumeric(operand, operandPath) };
    case 'anything-but':
      return { kind: 'value', test: compileAnythingBut(operand, operandPath) };
    default:
      return fail(operandPath, `unknown operator "${key}"`);
  }
}

function stringTest(test: (value: string) => boolean): Compiled {
  return { kind: 'value', test: (value) => typeof value === 'string' && test(value) };
}

/** prefix/suffix take a string or `{"equals-ignore-case": string}`. */
function affix(
  operand: unknown,
  path: string,
  what: string,
  compare: (value: string, affixText: string) => boolean,
): (value: string) => boolean {
  if (typeof operand === 'string') return (value) => compare(value, operand);
  if (!isRecord(operand)) {
    return fail(path, `${what} must be a string or {"equals-ignore-case": string}, got ${describe(operand)}`);
  }
  const [key, inner] = singleEntry(operand, path);
  if (key !== 'equals-ignore-case') fail(keyPath(path, key), `unsupported operator "${key}" inside ${what}`);
  const lowered = expectString(inner, keyPath(path, key), `${what} equals-ignore-case`).toLowerCase();
  return (value) => compare(value.toLowerCase(), lowered);
}
