/**
 * Reading EC2 query-protocol parameters: `Name=value` pairs, lists as `Name.1`, `Name.2`, filters as
 * `Filter.1.Name` / `Filter.1.Value.1`. Bad or missing values become the EC2 errors AWS answers with.
 */
import { createHash } from 'node:crypto';
import { parseIpv4Cidr } from '../config/cidr.js';
import { Ec2ApiError } from './errors.js';

export type Params = Readonly<Record<string, string>>;

export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** The form body as a record; Object.fromEntries keeps a parameter named `__proto__` a parameter. */
export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

export function optional(params: Params, name: string): string | undefined {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

export function required(params: Params, name: string): string {
  const value = optional(params, name);
  if (value === undefined || value === '') {
    throw new Ec2ApiError('MissingParameter', `The request must contain the parameter ${name}`);
  }
  return value;
}

/** `Name.1`, `Name.2`, … in index order (`Name.N.Value` for lists of structures, with `suffix`). */
export function list(params: Params, name: string, suffix = ''): string[] {
  const pattern = new RegExp(`^${escapeRegExp(name)}\\.(\\d+)${escapeRegExp(suffix)}$`);
  return Object.keys(params)
    .flatMap((key) => {
      const index = pattern.exec(key)?.[1];
      return index === undefined ? [] : [[Number(index), params[key] ?? ''] as const];
    })
    .sort((a, b) => a[0] - b[0])
    .map(([, value]) => value);
}

export function filters(params: Params): Filter[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(params)) {
    const index = /^Filter\.(\d+)\./.exec(key)?.[1];
    if (index !== undefined) indexes.add(Number(index));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => ({ name: required(params, `Filter.${i}.Name`), values: list(params, `Filter.${i}.Value`) }));
}

export function bool(params: Params, name: string): boolean | undefined {
  const value = optional(params, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidValue(name, value);
}

export function int(params: Params, name: string, min: number, max: number): number | undefined {
  const value = optional(params, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Value ( ${value} ) for parameter ${lowerFirst(name)} is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
  return n;
}

/** CreateRoute-style destinations are canonicalised: host bits are cleared. */
export function cidrParam(params: Params, name = 'DestinationCidrBlock'): string {
  const value = required(params, name);
  const parsed = parseIpv4Cidr(value);
  if (parsed === undefined) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Value (${value}) for parameter ${lowerFirst(name)} is invalid. This is not a valid CIDR block.`,
    );
  }
  return parsed.canonical;
}

export function invalidValue(name: string, value: string): Ec2ApiError {
  return new Ec2ApiError('InvalidParameterValue', `Invalid value '${value}' for ${lowerFirst(name)}`);
}

/**
 * Keeps the items every filter matches; a filter matches when one of the item's values for it matches
 * one of the filter's values (`*` and `?` are wildcards, as in EC2). `valuesOf` returns undefined for a
 * filter name the action does not know, which EC2 rejects.
 */
export function applyFilters<T>(
  items: readonly T[],
  given: readonly Filter[],
  valuesOf: (item: T, filterName: string) => readonly string[] | undefined,
): T[] {
  return items.filter((item) =>
    given.every((f) => {
      const have = valuesOf(item, f.name);
      if (have === undefined)
        throw new Ec2ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      const patterns = f.values.map(wildcard);
      return have.some((v) => patterns.some((p) => p.test(v)));
    }),
  );
}

/** `tag:Key` and `tag-key` filters over a tag record; undefined for any other filter name. */
export function tagFilterValues(
  tags: Readonly<Record<string, string>>,
  filterName: string,
): string[] | undefined {
  if (filterName === 'tag-key') return Object.keys(tags);
  if (!filterName.startsWith('tag:')) return undefined;
  const key = filterName.slice('tag:'.length);
  return Object.hasOwn(tags, key) ? [tags[key] ?? ''] : [];
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Explicit ids must all exist; EC2 names the missing ones. */
export function requireIds<T>(
  ids: readonly string[],
  find: (id: string) => T | undefined,
  code: string,
  noun: string,
): T[] {
  const missing = ids.filter((id) => find(id) === undefined);
  if (missing.length === 1) throw new Ec2ApiError(code, `The ${noun} ID '${missing[0]}' does not exist`);
  if (missing.length > 1) throw new Ec2ApiError(code, `The ${noun} IDs '${missing.join(', ')}' do not exist`);
  return ids.flatMap((id) => {
    const found = find(id);
    return found === undefined ? [] : [found];
  });
}

/**
 * One page and the token for the next. Tokens are opaque (base64 of the offset and a digest of the
 * query), so a token is refused with another query or after it was tampered with.
 */
export function paginate<T>(
  items: readonly T[],
  params: Params,
  min: number,
  max: number,
): { page: T[]; nextToken?: string } {
  const maxResults = int(params, 'MaxResults', min, max);
  const query = createHash('sha256')
    .update(
      JSON.stringify(
        Object.entries(params)
          .filter(([k]) => k !== 'NextToken' && k !== 'MaxResults')
          .sort(),
      ),
    )
    .digest('hex')
    .slice(0, 16);
  const token = optional(params, 'NextToken');
  let offset = 0;
  if (token !== undefined && token !== '') {
    const [digest, at] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    offset = Number(at);
    if (digest !== query || !Number.isInteger(offset) || offset < 0 || offset > items.length) {
      throw new Ec2ApiError(
        'InvalidPaginationToken',
        'The specified pagination token is not valid or is expired.',
      );
    }
  }
  const end = maxResults === undefined ? items.length : offset + maxResults;
  const page = items.slice(offset, end);
  return end < items.length
    ? { page, nextToken: Buffer.from(`${query}:${end}`).toString('base64url') }
    : { page };
}
