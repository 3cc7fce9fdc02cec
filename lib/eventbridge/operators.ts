import { compileAnythingBut } from './anything-but.js';
import { compileCidr } from './cidr.js';
import { caseInsensitive } from './ignore-case.js';
import { ipAddressBytes, sameBytes } from './ip.js';
import { compileNumeric } from './numeric.js';
import { describe, expectString, fail, indexPath, isRecord, keyPath, singleEntry } from './validate.js';
import { compileWildcard } from './wildcard.js';

type ValueTest = (value: unknown) => boolean;

/**
 * A compiled leaf list: which single event values satisfy it, and its `exists` terms. `wildcards` are the
 * wildcard texts it holds (plain and under anything-but), for the complexity check AWS makes at PutRule.
 */
export interface Leaf {
  readonly matches: ValueTest;
  /** `{"exists": true}`: any value present at the path satisfies the leaf. */
  readonly existsTrue: boolean;
  /** `{"exists": false}`: the leaf also holds when no value is present at the path. */
  readonly existsFalse: boolean;
  readonly wildcards: readonly string[];
}

type Compiled =
  | { kind: 'exists'; exists: boolean }
  | { kind: 'value'; test: ValueTest; wildcards?: readonly string[] };

/** Compiles a leaf array such as `["a", {"prefix": "b"}]`; its elements are OR-ed. */
export function compileLeaf(elements: unknown[], path: string): Leaf {
  if (elements.length === 0) fail(path, 'match list must not be empty');
  const parts: LeafParts = {
    strings: new Set(),
    numbers: new Set(),
    literals: new Set(),
    tests: [],
    wildcards: [],
    existsTrue: false,
    existsFalse: false,
  };
  elements.forEach((element: unknown, i) => {
    addElement(parts, element, indexPath(path, i));
  });
  const { existsTrue, existsFalse, wildcards } = parts;
  return { matches: leafMatcher(parts), existsTrue, existsFalse, wildcards };
}

/** A leaf list's elements sorted by kind as they are compiled. */
interface LeafParts {
  // Exact values go into sets so a long allow-list costs one lookup rather than a scan.
  readonly strings: Set<string>;
  readonly numbers: Set<number>;
  readonly literals: Set<boolean | null>;
  readonly tests: ValueTest[];
  readonly wildcards: string[];
  existsTrue: boolean;
  existsFalse: boolean;
}

function addElement(parts: LeafParts, element: unknown, elementPath: string): void {
  if (typeof element === 'string') addString(parts, element);
  else if (typeof element === 'number') {
    // A literal too large for a double (1e400) parses to Infinity; event-ruler accepts it and matches it
    // as text, which here means against an event number that overflowed the same way.
    parts.numbers.add(element);
  } else if (typeof element === 'boolean' || element === null) parts.literals.add(element);
  else if (isRecord(element)) addOperator(parts, compileOperator(element, elementPath));
  else {
    fail(
      elementPath,
      `match values must be strings, numbers, booleans, null or operators, got ${describe(element)}`,
    );
  }
}

function addString(parts: LeafParts, element: string): void {
  // event-ruler compiles an address literal into an address range (CIDR.ipToRangeIfPossible), so
  // "2001:db8::1" also matches "2001:0DB8:0:0:0:0:0:1" and "10.0.0.1" matches "::ffff:a00:1".
  const address = ipAddressBytes(element);
  if (address === undefined) parts.strings.add(element);
  else parts.tests.push((value) => typeof value === 'string' && sameAddress(address, value));
}

function addOperator(parts: LeafParts, compiled: Compiled): void {
  if (compiled.kind === 'value') {
    parts.tests.push(compiled.test);
    parts.wildcards.push(...(compiled.wildcards ?? []));
  } else if (compiled.exists) parts.existsTrue = true;
  else parts.existsFalse = true;
}

function leafMatcher(parts: LeafParts): ValueTest {
  const { strings, numbers, literals, tests, existsTrue } = parts;
  return (value: unknown): boolean => {
    if (existsTrue) return true;
    if (typeof value === 'string' ? strings.has(value) : typeof value === 'number' && numbers.has(value)) {
      return true;
    }
    if ((typeof value === 'boolean' || value === null) && literals.has(value)) return true;
    return tests.some((test) => test(value));
  };
}

function sameAddress(address: Uint8Array, value: string): boolean {
  const other = ipAddressBytes(value);
  return other !== undefined && sameBytes(address, other);
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
    case 'equals-ignore-case':
      return stringTest(caseInsensitive(expectString(operand, operandPath, 'equals-ignore-case'), 'whole'));
    case 'wildcard':
      return { ...stringTest(compileWildcard(operand, operandPath)), wildcards: [operand as string] };
    case 'cidr':
      return stringTest(compileCidr(operand, operandPath));
    case 'numeric':
      return { kind: 'value', test: compileNumeric(operand, operandPath) };
    case 'anything-but':
      return {
        kind: 'value',
        test: compileAnythingBut(operand, operandPath),
        wildcards: anythingButWildcards(operand),
      };
    default:
      return fail(operandPath, `unknown operator "${key}"`);
  }
}

function stringTest(test: (value: string) => boolean): { kind: 'value'; test: ValueTest } {
  return { kind: 'value', test: (value) => typeof value === 'string' && test(value) };
}

/** The texts of `{"anything-but": {"wildcard": …}}`, already validated by compileAnythingBut. */
function anythingButWildcards(operand: unknown): string[] {
  if (!isRecord(operand)) return [];
  const texts: unknown = operand.wildcard;
  if (typeof texts === 'string') return [texts];
  return Array.isArray(texts) ? texts.filter((text): text is string => typeof text === 'string') : [];
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
  const text = expectString(inner, keyPath(path, key), `${what} equals-ignore-case`);
  return caseInsensitive(text, what === 'prefix' ? 'start' : 'end');
}
