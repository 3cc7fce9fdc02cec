import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError } from '../../lib/eventbridge/errors.js';
import { compilePattern, type EventPattern, matchesPattern } from '../../lib/eventbridge/pattern.js';

type Case = [name: string, pattern: EventPattern, event: unknown, expected: boolean];

const on = (field: unknown): Case[2] => ({ source: 'aws.ec2', detail: { field } });
const at = (...elements: unknown[]): EventPattern => ({ detail: { field: elements } });

function runCases(cases: Case[]): void {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
}

describe('exact values, nesting and arrays', () => {
  runCases([
    ['string equal', at('running'), on('running'), true],
    ['string differs', at('running'), on('stopped'), false],
    ['strings are case-sensitive', at('running'), on('Running'), false],
    ['empty string', at(''), on(''), true],
    ['300 matches 300.0', at(300), JSON.parse('{"detail":{"field":300.0}}'), true],
    ['3e2 matches 300', at(3e2), on(300), true],
    ['number does not match numeric string', at(300), on('300'), false],
    ['string does not match number', at('300'), on(300), false],
    ['true matches true', at(true), on(true), true],
    ['true does not match false', at(true), on(false), false],
    ['true does not match "true"', at(true), on('true'), false],
    ['null matches null', at(null), on(null), true],
    ['null does not match missing', at(null), { detail: {} }, false],
    ['null does not match "null"', at(null), on('null'), false],
    ['OR within a list', at('a', 'b', 3), on(3), true],
    ['missing field', at('a'), { detail: { other: 'a' } }, false],
    ['missing parent', at('a'), { source: 'x' }, false],
    ['leaf pattern against object value', at('a'), on({ a: 'a' }), false],
    ['nested pattern against primitive', { detail: { field: { x: ['a'] } } }, on('a'), false],
    [
      'AND across keys: all match',
      { source: ['s'], detail: { a: [1] } },
      { source: 's', detail: { a: 1 } },
      true,
    ],
    [
      'AND across keys: one fails',
      { source: ['s'], detail: { a: [1] } },
      { source: 's', detail: { a: 2 } },
      false,
    ],
    ['event array: any element', { resources: ['r2'] }, { resources: ['r1', 'r2'] }, true],
    ['event array: no element', { resources: ['r3'] }, { resources: ['r1', 'r2'] }, false],
    ['event array: empty', { resources: ['r1'] }, { resources: [] }, false],
    ['nested event arrays are flattened', at(3), on([[1, 2], [3]]), true],
    [
      'pattern keys apply through arrays of objects',
      { detail: { items: { name: ['a'] } } },
      { detail: { items: [{ name: 'b' }, { name: 'a' }] } },
      true,
    ],
    [
      'array of objects: no element matches',
      { detail: { items: { name: ['c'] } } },
      { detail: { items: [{ name: 'b' }, { name: 'a' }] } },
      false,
    ],
    [
      'array of objects: all keys must hold in one element',
      { items: { name: ['a'], qty: [1] } },
      {
        items: [
          { name: 'a', qty: 2 },
          { name: 'b', qty: 1 },
        ],
      },
      false,
    ],
    [
      'array of objects: one element holds all keys',
      { items: { name: ['a'], qty: [1] } },
      { items: [{ name: 'a', qty: 1 }] },
      true,
    ],
    ['own properties only', { constructor: ['x'] }, {}, false],
    ['keys with dots are literal', { 'a.b': ['x'] }, { 'a.b': 'x' }, true],
  ]);
});

describe('string operators', () => {
  runCases([
    ['prefix match', at({ prefix: 'us-' }), on('us-east-1'), true],
    ['prefix mismatch', at({ prefix: 'us-' }), on('eu-west-1'), false],
    ['prefix is case-sensitive', at({ prefix: 'us-' }), on('US-east-1'), false],
    ['prefix on a number', at({ prefix: '1' }), on(12), false],
    ['prefix on any array element', at({ prefix: 'us-' }), on(['eu-1', 'us-1']), true],
    ['prefix ignore case', at({ prefix: { 'equals-ignore-case': 'EventB' } }), on('eventbridge'), true],
    ['prefix ignore case mismatch', at({ prefix: { 'equals-ignore-case': 'EventB' } }), on('bridge'), false],
    ['suffix match', at({ suffix: '.png' }), on('a.png'), true],
    ['suffix mismatch', at({ suffix: '.png' }), on('a.PNG'), false],
    ['suffix on null', at({ suffix: 'null' }), on(null), false],
    ['suffix ignore case', at({ suffix: { 'equals-ignore-case': '.png' } }), on('A.PNG'), true],
    ['suffix ignore case mismatch', at({ suffix: { 'equals-ignore-case': '.png' } }), on('a.jpg'), false],
    ['equals-ignore-case match', at({ 'equals-ignore-case': 'alice' }), on('ALICE'), true],
    ['equals-ignore-case mismatch', at({ 'equals-ignore-case': 'alice' }), on('alicia'), false],
    ['equals-ignore-case on a boolean', at({ 'equals-ignore-case': 'true' }), on(true), false],
  ]);
});

describe('anything-but', () => {
  runCases([
    ['string: other value', at({ 'anything-but': 'init' }), on('running'), true],
    ['string: excluded value', at({ 'anything-but': 'init' }), on('init'), false],
    ['string: missing field does not match', at({ 'anything-but': 'init' }), { detail: {} }, false],
    ['string: null value is not excluded', at({ 'anything-but': 'init' }), on(null), true],
    ['string: number value is not excluded', at({ 'anything-but': '5' }), on(5), true],
    [
      'number: excluded numerically',
      at({ 'anything-but': 300 }),
      JSON.parse('{"detail":{"field":300.0}}'),
      false,
    ],
    ['number: other number', at({ 'anything-but': 300 }), on(301), true],
    ['string list: excluded', at({ 'anything-but': ['stopped', 'overloaded'] }), on('overloaded'), false],
    ['string list: other', at({ 'anything-but': ['stopped', 'overloaded'] }), on('running'), true],
    ['number list: excluded', at({ 'anything-but': [100, 200] }), on(200), false],
    ['array event: some element not excluded', at({ 'anything-but': 'a' }), on(['a', 'b']), true],
    ['array event: every element excluded', at({ 'anything-but': ['a', 'b'] }), on(['a', 'b']), false],
    ['prefix: not prefixed', at({ 'anything-but': { prefix: 'init' } }), on('running'), true],
    ['prefix: prefixed', at({ 'anything-but': { prefix: 'init' } }), on('initializing'), false],
    ['suffix: other', at({ 'anything-but': { suffix: '.png' } }), on('a.jpg'), true],
    ['suffix: excluded', at({ 'anything-but': { suffix: '.png' } }), on('a.png'), false],
    ['ignore case: excluded', at({ 'anything-but': { 'equals-ignore-case': 'Init' } }), on('INIT'), false],
    [
      'ignore case list: excluded',
      at({ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }),
      on('b'),
      false,
    ],
    ['ignore case list: other', at({ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }), on('c'), true],
    ['wildcard: excluded', at({ 'anything-but': { wildcard: '*/lib/*' } }), on('src/lib/x.ts'), false],
    ['wildcard: other', at({ 'anything-but': { wildcard: '*/lib/*' } }), on('src/bin/x.ts'), true],
    ['wildcard list: excluded', at({ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }), on('a.jpg'), false],
  ]);
});

describe('numeric', () => {
  runCases([
    ['> match', at({ numeric: ['>', 0] }), on(1), true],
    ['> boundary', at({ numeric: ['>', 0] }), on(0), false],
    ['>= boundary', at({ numeric: ['>=', 0] }), on(0), true],
    ['< match', at({ numeric: ['<', 0] }), on(-0.5), true],
    ['<= boundary', at({ numeric: ['<=', 5] }), on(5), true],
    ['= match 300.0', at({ numeric: ['=', 300] }), JSON.parse('{"detail":{"field":300.0}}'), true],
    ['= mismatch', at({ numeric: ['=', 300] }), on(300.5), false],
    ['range inside', at({ numeric: ['>', 0, '<=', 5] }), on(5), true],
    ['range below', at({ numeric: ['>', 0, '<=', 5] }), on(0), false],
    ['range above', at({ numeric: ['>', 0, '<=', 5] }), on(5.01), false],
    ['numeric string does not match', at({ numeric: ['>', 0] }), on('5'), false],
    ['any array element in range', at({ numeric: ['>', 10] }), on([1, 20]), true],
    ['missing field', at({ numeric: ['>', 0] }), { detail: {} }, false],
  ]);
});

describe('exists', () => {
  runCases([
    ['true: present', at({ exists: true }), on('x'), true],
    ['true: present null', at({ exists: true }), on(null), true],
    ['true: missing', at({ exists: true }), { detail: {} }, false],
    ['true: object value is not a leaf', at({ exists: true }), on({ a: 1 }), false],
    ['true: empty array has no values', at({ exists: true }), on([]), false],
    ['false: missing', at({ exists: false }), { detail: {} }, true],
    ['false: missing parent', at({ exists: false }), {}, true],
    ['false: primitive parent', at({ exists: false }), { detail: 'x' }, true],
    ['false: present', at({ exists: false }), on(0), false],
    ['false: object value is not a leaf', at({ exists: false }), on({ a: 1 }), true],
    [
      'false: through array of objects',
      { items: { id: [{ exists: false }] } },
      { items: [{ id: 1 }] },
      false,
    ],
    ['false OR a value', at({ exists: false }, 'x'), on('x'), true],
  ]);
});

describe('cidr', () => {
  runCases([
    ['v4 inside', at({ cidr: '10.0.0.0/24' }), on('10.0.0.255'), true],
    ['v4 outside', at({ cidr: '10.0.0.0/24' }), on('10.0.1.0'), false],
    ['v4 /31', at({ cidr: '192.168.1.6/31' }), on('192.168.1.7'), true],
    ['v4 /0', at({ cidr: '0.0.0.0/0' }), on('8.8.8.8'), true],
    ['v6 inside', at({ cidr: '2001:db8::/32' }), on('2001:db8:ffff::1'), true],
    ['v6 outside', at({ cidr: '2001:db8::/32' }), on('2001:db9::1'), false],
    ['v4 address against v6 block', at({ cidr: '2001:db8::/32' }), on('10.0.0.1'), false],
    ['not an IP', at({ cidr: '10.0.0.0/8' }), on('10.0.0'), false],
    ['number value', at({ cidr: '10.0.0.0/8' }), on(10), false],
  ]);
});

describe('wildcard', () => {
  runCases([
    ['star in the middle', at({ wildcard: 'a*b' }), on('axyzb'), true],
    ['star matches empty run', at({ wildcard: 'a*b' }), on('ab'), true],
    ['anchored at the end', at({ wildcard: 'a*b' }), on('abc'), false],
    ['several stars', at({ wildcard: 'dir/*.png' }), on('dir/sub/x.png'), true],
    ['leftmost segment search', at({ wildcard: '*ab*ab' }), on('abab'), true],
    ['segments may not overlap', at({ wildcard: 'aba*aba' }), on('ababa'), false],
    ['no star is exact', at({ wildcard: 'abc' }), on('abc'), true],
    ['escaped star is literal', at({ wildcard: 'a\\*b' }), on('a*b'), true],
    ['escaped star does not glob', at({ wildcard: 'a\\*b' }), on('axb'), false],
    ['escaped backslash', at({ wildcard: 'a\\\\*' }), on('a\\zz'), true],
    ['non-string value', at({ wildcard: '*' }), on(1), false],
  ]);
});

describe('$or', () => {
  const pattern: EventPattern = { source: ['s'], $or: [{ a: ['1'] }, { b: [{ numeric: ['>', 5] }] }] };
  runCases([
    ['first branch', pattern, { source: 's', a: '1' }, true],
    ['second branch', pattern, { source: 's', b: 9 }, true],
    ['no branch', pattern, { source: 's', a: '2', b: 1 }, false],
    ['branch matches but sibling fails', pattern, { source: 't', a: '1' }, false],
    ['nested $or', { detail: { $or: [{ x: [1] }, { y: [2] }] } }, { detail: { y: 2 } }, true],
    ['$or inside $or', { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] }, { c: 3 }, true],
  ]);
});

describe('events that are not objects', () => {
  it.each([null, undefined, 'text', 42, true, [{ source: 's' }]])('%j never matches', (event) => {
    expect(matchesPattern({ source: [{ exists: false }] }, event)).toBe(false);
  });
});

describe('validation', () => {
  const invalid: [pattern: unknown, path: string, reason: RegExp][] = [
    [null, '', /JSON object/],
    [['a'], '', /JSON object/],
    [{}, '', /at least one field/],
    [{ source: 'aws.ec2' }, 'source', /array of match values/],
    [{ source: [] }, 'source', /must not be empty/],
    [{ detail: {} }, 'detail', /at least one field/],
    [{ detail: { state: { value: [['nested']] } } }, 'detail.state.value[0]', /match values must be/],
    [{ x: [{ numeric: ['>', Number.POSITIVE_INFINITY] }] }, 'x[0].numeric[1]', /finite/],
    [{ x: ['ok', { contains: 'a' }] }, 'x[1].contains', /unknown operator "contains"/],
    [{ x: [{}] }, 'x[0]', /exactly one key/],
    [{ x: [{ prefix: 'a', suffix: 'b' }] }, 'x[0]', /exactly one key/],
    [{ x: [{ prefix: 1 }] }, 'x[0].prefix', /prefix must be a string/],
    [{ x: [{ prefix: { wildcard: 'a' } }] }, 'x[0].prefix.wildcard', /inside prefix/],
    [{ x: [{ suffix: { 'equals-ignore-case': 2 } }] }, 'x[0].suffix.equals-ignore-case', /must be a string/],
    [{ x: [{ 'equals-ignore-case': ['a'] }] }, 'x[0].equals-ignore-case', /must be a string/],
    [{ x: [{ exists: 'yes' }] }, 'x[0].exists', /true or false/],
    [{ x: [{ numeric: '>' }] }, 'x[0].numeric', /\[operator, number\]/],
    [{ x: [{ numeric: ['>', '1'] }] }, 'x[0].numeric[1]', /finite number/],
    [{ x: [{ numeric: ['!=', 1] }] }, 'x[0].numeric[0]', /unknown numeric operator/],
    [{ x: [{ numeric: ['>', 1, '>', 2] }] }, 'x[0].numeric', /one of ">"/],
    [{ x: [{ numeric: ['=', 1, '<', 2] }] }, 'x[0].numeric', /one of ">"/],
    [{ x: [{ numeric: ['>', 5, '<', 1] }] }, 'x[0].numeric', /empty/],
    [{ x: [{ cidr: 10 }] }, 'x[0].cidr', /must be a string/],
    [{ x: [{ cidr: '10.0.0.0' }] }, 'x[0].cidr', /prefix-length/],
    [{ x: [{ cidr: '10.0.0.0/33' }] }, 'x[0].cidr', /0 to 31/],
    [{ x: [{ cidr: '2001:db8::/129' }] }, 'x[0].cidr', /0 to 127/],
    [{ x: [{ cidr: '10.0.0.0/2a' }] }, 'x[0].cidr', /prefix length/],
    [{ x: [{ cidr: '10.0.0.256/8' }] }, 'x[0].cidr', /valid IPv4 or IPv6/],
    [{ x: [{ wildcard: 'a**b' }] }, 'x[0].wildcard', /consecutive/],
    [{ x: [{ wildcard: 'a\\b' }] }, 'x[0].wildcard', /invalid escape/],
    [{ x: [{ wildcard: 'a\\' }] }, 'x[0].wildcard', /invalid escape/],
    [{ x: [{ wildcard: ['a*'] }] }, 'x[0].wildcard', /must be a string/],
    [{ x: [{ 'anything-but': null }] }, 'x[0].anything-but', /anything-but expects/],
    [{ x: [{ 'anything-but': true }] }, 'x[0].anything-but', /anything-but expects/],
    [{ x: [{ 'anything-but': [] }] }, 'x[0].anything-but', /must not be empty/],
    [{ x: [{ 'anything-but': [1, '1'] }] }, 'x[0].anything-but', /only strings or only numbers/],
    [{ x: [{ 'anything-but': ['a', null] }] }, 'x[0].anything-but[1]', /strings or finite numbers/],
    [{ x: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'x[0].anything-but.numeric', /unsupported operator/],
    [{ x: [{ 'anything-but': { prefix: [1] } }] }, 'x[0].anything-but.prefix[0]', /must be a string/],
    [
      { x: [{ 'anything-but': { 'equals-ignore-case': [1] } }] },
      'x[0].anything-but.equals-ignore-case[0]',
      /string/,
    ],
    [
      { x: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] },
      'x[0].anything-but.wildcard[1]',
      /consecutive/,
    ],
    [{ $or: [{ a: ['1'] }] }, '$or', /at least two/],
    [{ $or: { a: ['1'] } }, '$or', /array of pattern objects/],
    [{ $or: [{ a: ['1'] }, 'b'] }, '$or[1]', /pattern objects/],
    [{ detail: { $or: [{ a: [1] }, { b: { c: 'bad' } }] } }, 'detail.$or[1].b.c', /array of match values/],
    [{ 'a.b': 'x' }, '["a.b"]', /array of match values/],
  ];

  it.each(invalid)('rejects %j at %s', (pattern, path, reason) => {
    let thrown: unknown;
    try {
      compilePattern(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    const error = thrown as InvalidEventPatternError;
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path === '' ? '<root>' : path);
    expect(error.message).toMatch(reason);
  });

  it('carries a cause and is an Error', () => {
    const cause = new Error('root cause');
    const error = new InvalidEventPatternError('detail.x', 'bad', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Invalid event pattern at detail.x: bad');
  });
});

describe('compiled matcher', () => {
  it('is reusable and does not depend on later pattern mutation', () => {
    const pattern = { detail: { state: ['running'] } };
    const matches = compilePattern(pattern);
    pattern.detail.state = ['stopped'];
    expect(matches({ detail: { state: 'running' } })).toBe(true);
    expect(matches({ detail: { state: 'stopped' } })).toBe(false);
  });
});

/** Builds an exact-value pattern from values the event itself contains (null when nothing usable). */
function patternFrom(event: Record<string, unknown>): EventPattern | null {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '$or') continue;
    const sub = fieldPattern(value);
    if (sub !== null) entries.push([key, sub]);
  }
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

function fieldPattern(value: unknown): unknown {
  if (Array.isArray(value)) {
    const objects = value.filter((item): item is Record<string, unknown> => isObject(item));
    const nested = objects.length > 0 && objects[0] !== undefined ? patternFrom(objects[0]) : null;
    if (nested !== null) return nested;
    const leaf = value.flat(Number.POSITIVE_INFINITY).find((item: unknown) => !isObject(item));
    return leaf === undefined ? null : [leaf];
  }
  return isObject(value) ? patternFrom(value) : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('property: a pattern built from an event matches that event', () => {
  it('holds for random JSON events', () => {
    const event = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    fc.assert(
      fc.property(event, (generated) => {
        const json = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
        const pattern = patternFrom(json);
        fc.pre(pattern !== null);
        expect(compilePattern(pattern)(json)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
