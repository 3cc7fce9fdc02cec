import { InvalidEventPatternError } from './errors.js';

// Keys that read unambiguously after a dot; anything else is rendered as a quoted bracket segment.
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function keyPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function fail(path: string, reason: string, cause?: unknown): never {
  throw new InvalidEventPatternError(path, reason, cause === undefined ? undefined : { cause });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function expectString(value: unknown, path: string, what: string): string {
  if (typeof value !== 'string') fail(path, `${what} must be a string, got ${describe(value)}`);
  return value;
}

/** Operator objects such as `{"prefix": "x"}` carry exactly one key; returns that key and its operand. */
export function singleEntry(value: Record<string, unknown>, path: string): [string, unknown] {
  const entries = Object.entries(value);
  const [first] = entries;
  if (first === undefined || entries.length !== 1) {
    fail(path, `operator object must have exactly one key, got ${entries.length}`);
  }
  return first;
}

/** A non-empty array whose every element passes `check`; used for operand lists. */
export function expectNonEmptyList<T>(
  value: unknown,
  path: string,
  what: string,
  check: (item: unknown, itemPath: string) => T,
): T[] {
  if (!Array.isArray(value)) fail(path, `${what} must be an array, got ${describe(value)}`);
  if (value.length === 0) fail(path, `${what} must not be empty`);
  return value.map((item: unknown, i) => check(item, indexPath(path, i)));
}
