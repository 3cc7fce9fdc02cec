/**
 * Parity of the pattern matcher with event-ruler, the library EventBridge runs (issue 12, item 7). Every case
 * here is our own, modelled on a case of event-ruler's published tests or README (github.com/aws/event-ruler,
 * cited per case as file + test name) or on an AWS answer recorded in public; each one failed on the matcher
 * before this change.
 */
import { describe, expect, it } from 'vitest';
import { wildcardComplexity } from '../../lib/eventbridge/complexity.js';
import { InvalidEventPatternError } from '../../lib/eventbridge/errors.js';
import { compilePattern, type EventPattern, matchesPattern } from '../../lib/eventbridge/pattern.js';

type Case = [name: string, pattern: EventPattern, event: unknown, expected: boolean];

function runCases(cases: Case[]): void {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
}

function rejection(pattern: unknown): InvalidEventPatternError {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
}

function expectRejected(pattern: unknown, path: string, reason: RegExp): void {
  const error = rejection(pattern);
  expect(error.path).toBe(path);
  expect(error.message).toMatch(reason);
}

describe('anything-but with prefix and suffix lists (ACMachineTest.testAnythingButPrefixSet, testAnythingButSuffixSet)', () => {
  const notPrefixed = { a: [{ 'anything-but': { prefix: ['tmp-', 'test-'] } }] };
  const notSuffixed = { a: [{ 'anything-but': { suffix: ['.tmp', '.bak'] } }] };
  runCases([
    ['prefix list: neither prefix', notPrefixed, { a: 'prod-1' }, true],
    ['prefix list: a prefix in the middle is not a prefix', notPrefixed, { a: 'x-tmp-1' }, true],
    ['prefix list: first prefix', notPrefixed, { a: 'tmp-1' }, false],
    ['prefix list: second prefix', notPrefixed, { a: 'test-1' }, false],
    [
      'prefix list: one prefixed array element is enough to keep another',
      notPrefixed,
      { a: ['tmp-1', 'ok'] },
      true,
    ],
    ['suffix list: neither suffix', notSuffixed, { a: 'report.csv' }, true],
    ['suffix list: first suffix', notSuffixed, { a: 'report.tmp' }, false],
    ['suffix list: second suffix', notSuffixed, { a: 'report.bak' }, false],
    ['suffix list: a number is anything but a suffixed string', notSuffixed, { a: 5 }, true],
  ]);

  // JsonRuleCompiler.processAnythingButValuesSetMatchExpression: "Null prefix/suffix not allowed".
  it.each([
    [{ a: [{ 'anything-but': { prefix: '' } }] }, 'a[0].anything-but.prefix'],
    [{ a: [{ 'anything-but': { suffix: '' } }] }, 'a[0].anything-but.suffix'],
    [{ a: [{ 'anything-but': { prefix: ['ok', ''] } }] }, 'a[0].anything-but.prefix[1]'],
    [{ a: [{ 'anything-but': { suffix: [''] } }] }, 'a[0].anything-but.suffix[0]'],
  ])('rejects an empty anything-but prefix/suffix: %j', (pattern, path) => {
    expectRejected(pattern, path, /must not be empty/);
  });

  it('still accepts an empty plain prefix and an anything-but of the empty string', () => {
    expect(matchesPattern({ a: [{ prefix: '' }] }, { a: 'x' })).toBe(true);
    expect(matchesPattern({ a: [{ 'anything-but': '' }] }, { a: '' })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': '' }] }, { a: 'x' })).toBe(true);
  });
});

describe('keys with dots (README "Caveat: Compiled rules and JSON keys with dots")', () => {
  const nested = { detail: { state: { status: ['running'] } } };
  const dotted = { detail: { 'state.status': ['running'] } };
  runCases([
    ['nested pattern, nested event', nested, { detail: { state: { status: 'running' } } }, true],
    ['nested pattern, dotted event key', nested, { detail: { 'state.status': 'running' } }, true],
    ['dotted pattern key, nested event', dotted, { detail: { state: { status: 'running' } } }, true],
    ['dotted pattern key, dotted event key', dotted, { detail: { 'state.status': 'running' } }, true],
    ['dotted pattern key, other value', dotted, { detail: { state: { status: 'stopped' } } }, false],
    [
      'dotted at the root',
      { 'detail.state.status': ['running'] },
      { detail: { state: { status: 'running' } } },
      true,
    ],
    ['dotted key through an array', { 'items.name': ['a'] }, { items: [{ name: 'b' }, { name: 'a' }] }, true],
  ]);

  it('lets the later spelling of the same field win, as a repeated key does', () => {
    const both = JSON.parse('{"a.b": ["x"], "a": {"b": ["y"]}}') as EventPattern;
    expect(matchesPattern(both, { a: { b: 'y' } })).toBe(true);
    expect(matchesPattern(both, { a: { b: 'x' } })).toBe(false);
  });
});

describe('$or and arrays (README "JSON Array Matching": no two fields from different elements of one array)', () => {
  const pattern: EventPattern = {
    items: { name: ['a'] },
    $or: [{ items: { qty: [1] } }, { other: ['z'] }],
  };
  runCases([
    ['branch and sibling in the same element', pattern, { items: [{ name: 'a', qty: 1 }] }, true],
    [
      'branch satisfied only by another element than the sibling',
      pattern,
      {
        items: [
          { name: 'a', qty: 2 },
          { name: 'b', qty: 1 },
        ],
      },
      false,
    ],
    ['other branch outside the array', pattern, { items: [{ name: 'a' }], other: 'z' }, true],
    [
      'two branches, each in its own element, still need one element per sub-rule',
      { $or: [{ items: { name: ['a'], qty: [1] } }, { items: { name: ['b'], qty: [2] } }] },
      {
        items: [
          { name: 'a', qty: 2 },
          { name: 'b', qty: 1 },
        ],
      },
      false,
    ],
    [
      'nested arrays: same inner element',
      { a: { b: { c: [1] } }, $or: [{ a: { b: { d: [2] } } }, { x: [1] }] },
      { a: [{ b: [{ c: 1, d: 2 }] }] },
      true,
    ],
    [
      'nested arrays: different inner elements',
      { a: { b: { c: [1] } }, $or: [{ a: { b: { d: [2] } } }, { x: [1] }] },
      { a: [{ b: [{ c: 1 }, { d: 2 }] }] },
      false,
    ],
    [
      // Fields are walked in name order, so `name` picks the element before `tag` is looked for in it.
      'exists:false looks only in the element already chosen',
      { items: { name: ['b'], tag: [{ exists: false }] } },
      { items: [{ tag: 1 }, { name: 'b' }] },
      true,
    ],
  ]);
});

describe('a field repeated inside an $or branch (JsonRuleCompilerTest.testWithRuleOverride)', () => {
  const pattern: EventPattern = {
    name: ['a', 'b'],
    $or: [{ name: [{ 'anything-but': 'a' }] }, { condition1: ['x'] }],
  };
  runCases([
    ['second branch keeps the outer field', pattern, { name: 'a', condition1: 'x' }, true],
    ['first branch replaces the outer field', pattern, { name: 'c' }, true],
    ['first branch still excludes its value', pattern, { name: 'a' }, false],
    [
      'a field written after the $or replaces it in every branch',
      { $or: [{ name: ['c'] }, { other: ['x'] }], name: ['a'] },
      { name: 'c' },
      false,
    ],
  ]);
});

describe('reserved words as field names inside $or (README "The $or Primitive", Constants)', () => {
  it.each([
    [{ $or: [{ numeric: [123] }, { prefix: ['abc'] }] }, '$or[0].numeric'],
    [{ $or: [{ a: ['x'] }, { b: { cidr: ['10.0.0.0/8'] } }] }, '$or[1].b.cidr'],
    [{ detail: { $or: [{ exists: [true] }, { c: [1] }] } }, 'detail.$or[0].exists'],
    [{ $or: [{ a: ['x'] }, { '>=': [1] }] }, '$or[1][">="]'],
  ])('rejects %j', (pattern, path) => {
    expectRejected(pattern, path, /reserved word/);
  });

  it('accepts the same names outside $or, where they are plain fields', () => {
    expect(
      matchesPattern(
        { numeric: [123], detail: { prefix: ['abc'] } },
        { numeric: 123, detail: { prefix: 'abc' } },
      ),
    ).toBe(true);
  });
});

describe('numeric ranges (JsonRuleCompiler.completeNumericRange, Range.ensureValidRange)', () => {
  it.each([
    [['<', 10, '>=', 5], /lower bound first/],
    [['<=', 10, '>', 5], /lower bound first/],
    [['>=', 5, '<=', 5], /bottom must be below its top/],
    [['>', 5, '<', 5], /bottom must be below its top/],
  ])('rejects %j', (range, reason) => {
    expectRejected({ x: [{ numeric: range }] }, 'x[0].numeric', reason);
  });

  it('accepts the nearest valid ranges', () => {
    expect(matchesPattern({ x: [{ numeric: ['>=', 5, '<', 10] }] }, { x: 5 })).toBe(true);
    expect(matchesPattern({ x: [{ numeric: ['>=', 5, '<=', 5.000001] }] }, { x: 5 })).toBe(true);
  });
});

describe('CIDR blocks (CIDR.cidr: "IPv4 mask bits must be < 32", "IPv6 mask bits must be < 128")', () => {
  it.each([
    ['10.0.0.1/32', /0 to 31.*refuses \/32/],
    ['2001:db8::1/128', /0 to 127.*refuses \/128/],
    // A dotted IPv4 tail is not an address to event-ruler ("Nonstandard IP address").
    ['::ffff:10.0.0.0/120', /valid IPv4 or IPv6/],
  ])('rejects %s', (block, reason) => {
    expectRejected({ ip: [{ cidr: block }] }, 'ip[0].cidr', reason);
  });

  runCases([
    ['/31 holds both addresses', { ip: [{ cidr: '10.0.0.0/31' }] }, { ip: '10.0.0.1' }, true],
    ['/127 holds both addresses', { ip: [{ cidr: '2001:db8::/127' }] }, { ip: '2001:db8::1' }, true],
    // MachineTest.testIPAddressOfCIDRIsEqualToMaximumOfRange: the top address of a block is inside it.
    ['top of the block', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' }, true],
    // Java's InetAddress turns an IPv4-mapped IPv6 address into the IPv4 one.
    [
      'mapped address in hex groups is the IPv4 address',
      { ip: [{ cidr: '10.0.0.0/24' }] },
      { ip: '::ffff:a00:1' },
      true,
    ],
    [
      'mapped address with a dotted tail is text',
      { ip: [{ cidr: '10.0.0.0/24' }] },
      { ip: '::ffff:10.0.0.1' },
      false,
    ],
    ['upper-case IPv6 in the event', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:DB8::1' }, true],
  ]);
});

describe('IP addresses in exact matches (MachineTest.testIpExactMatch, CIDR.ipToRangeIfPossible)', () => {
  runCases([
    [
      'IPv6 written out in full',
      { ip: ['2001:db8::ff00:42:8329'] },
      { ip: '2001:0db8:0000:0000:0000:ff00:0042:8329' },
      true,
    ],
    ['IPv6 in upper case', { ip: ['2400:6500:ff00::36fb:1f80'] }, { ip: '2400:6500:FF00::36FB:1F80' }, true],
    ['the unspecified address in two spellings', { ip: ['::0'] }, { ip: '::' }, true],
    ['IPv4 by its mapped IPv6 form', { ip: ['10.0.0.1'] }, { ip: '::ffff:a00:1' }, true],
    [
      'neighbouring IPv6 address',
      { ip: ['2001:db8::ff00:42:8329'] },
      { ip: '2001:db8::ff00:42:832a' },
      false,
    ],
    ['neighbouring IPv4 address', { ip: ['54.240.196.255'] }, { ip: '54.240.196.254' }, false],
    ['a time that looks like IPv6 stays text', { t: ['12:30'] }, { t: '12:30' }, true],
  ]);
});

describe('Unicode case folding in equals-ignore-case (ByteMachineTest.testEqualsIgnoreCase*DifferentByteLength*)', () => {
  runCases([
    ['ß also matches its upper case SS', { a: [{ 'equals-ignore-case': 'straße' }] }, { a: 'STRASSE' }, true],
    [
      'ΰ matches its three-code-point upper case',
      { a: [{ 'equals-ignore-case': '\u03B0' }] },
      { a: '\u03A5\u0308\u0301' },
      true,
    ],
    // Bytes are compared, not normalised forms: Ϋ (U+03AB) + acute is another spelling event-ruler does not fold.
    [
      'ΰ does not match a precomposed spelling',
      { a: [{ 'equals-ignore-case': '\u03B0' }] },
      { a: '\u03AB\u0301' },
      false,
    ],
    ['ῆ matches Η͂', { a: [{ 'equals-ignore-case': 'ῆ' }] }, { a: 'Η͂' }, true],
    ['Kelvin sign matches k', { a: [{ 'equals-ignore-case': '\u212A' }] }, { a: 'k' }, true],
    [
      'Kelvin sign does not match the letter K',
      { a: [{ 'equals-ignore-case': '\u212A' }] },
      { a: 'K' },
      false,
    ],
    ['prefix: ß then anything', { a: [{ prefix: { 'equals-ignore-case': 'groß' } }] }, { a: 'GROSSE' }, true],
    ['suffix: ends in ß', { a: [{ suffix: { 'equals-ignore-case': 'ß' } }] }, { a: 'FLUSS' }, true],
    [
      'anything-but ignore case excludes SS for ß',
      { a: [{ 'anything-but': { 'equals-ignore-case': 'ß' } }] },
      { a: 'SS' },
      false,
    ],
    ['ASCII still folds both ways', { a: [{ 'equals-ignore-case': 'AlIcE' }] }, { a: 'aLiCe' }, true],
  ]);
});

describe('numbers that overflow a double (ComparableNumber.generate refuses them)', () => {
  const event = JSON.parse('{"x": 1e400}') as unknown;
  runCases([
    ['never inside a numeric range', { x: [{ numeric: ['>', 0] }] }, event, false],
    ['never inside the widest range', { x: [{ numeric: ['>=', -1e308, '<=', 1.7e308] }] }, event, false],
  ]);

  it('accepts an overflowing literal in an exact match, as AWS does, and matches it', () => {
    const pattern = JSON.parse('{"x": [1e400]}') as EventPattern;
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { x: 1 })).toBe(false);
  });
});

describe('wildcard complexity (MachineComplexityEvaluatorTest; AWS refuses "Rule is too complex")', () => {
  // Expected values are MachineComplexityEvaluatorTest's, one per test named in the comment.
  it.each([
    [['*'], 1], // testEvaluateOnlyWildcard
    [['*', 'ab*c'], 3], // testEvaluateOnlyWildcardWithWildcardMatch
    [['abc'], 1], // testEvaluateWildcardPatternWithoutWildcards
    [['*aa'], 3], // testEvaluateOneWildcardLeadingCharTwoTrailingCharactersEqual
    [['aa*'], 2], // testEvaluateOneWildcardTrailingChar
    [['a*bbb'], 4], // testEvaluateOneWildcardNormalPositionThreeTrailingCharactersEqual
    [['*ab*ad'], 4], // testEvaluateTwoWildcardsLeadingCharAndNormalPosition
    [['a*b*bb'], 5], // testEvaluateTwoWildcardsBothNormalPositionTwoTrailingCharactersEqual
    [['a*b*cd'], 3], // testEvaluateTwoWildcardsBothNormalPositionTwoTrailingCharactersDifferentLastCharUnique
    [['ab*c', 'x*xx'], 3], // testEvaluateTwoWildcardsNoCommonPrefix
    [['*abc', '*abcde'], 4], // testEvaluateTwoWildcardsBothLeadingOneIsPrefixOfOther
    [['a*aaa', 'aa*aa'], 7], // testEvaluateTwoWildcardsBothNormalPositionAllSameCharacter
    [['a*aax', 'aaa*x'], 5], // testEvaluateTwoWildcardsOneNormalPositionAndOneSecondLastCharacterAllSameCharacterButLast
    [['abc*', 'abcde*'], 3], // testEvaluateTwoWildcardsBothTrailingCharOneIsPrefixOfOther
    [['ab*cd', 'ab*wx', 'ab*yz'], 6], // testEvaluateThreeWildcardsTransitionFromSameState
    [['*ab*b*b*'], 7], // testEvaluateFourWildcardsLeadingCharNormalPositionThirdLastCharAndTrailingChar
    [['*ab'], 2], // testEvaluateOneWildcardLeadingCharTwoTrailingCharactersDifferent
    [['a*b'], 2], // testEvaluateOneWildcardSecondLastChar
    [['a*bc'], 2], // testEvaluateOneWildcardNormalPositionTwoTrailingCharactersDifferent
    [['a*bb'], 3], // testEvaluateOneWildcardNormalPositionTwoTrailingCharactersEqual
    [['a*bcb'], 3], // testEvaluateOneWildcardNormalPositionThreeTrailingCharactersDifferent
    [['*ab*d'], 3], // testEvaluateTwoWildcardsLeadingCharAndSecondLastChar
    [['*aba*'], 4], // testEvaluateTwoWildcardsLeadingCharAndTrailingChar
    [['a*b*cb'], 4], // testEvaluateTwoWildcardsBothNormalPositionTwoTrailingCharactersDifferent
    [['a*b*b'], 4], // testEvaluateTwoWildcardsNormalPositionAndSecondLastChar
    [['a*bb*'], 4], // testEvaluateTwoWildcardsNormalPositionAndTrailingChar
    [['ab*b*'], 3], // testEvaluateTwoWildcardsThirdLastCharAndTrailingChar
    [['a*bcd', 'ab*cd'], 4], // testEvaluateTwoWildcardsBothNormalPosition
    [['a*bc', 'a*bcde'], 4], // testEvaluateTwoWildcardsBothNormalPositionOneIsPrefixOfOther
    [['a*bc', 'abc*d'], 4], // testEvaluateTwoWildcardsOneNormalPositionAndOneSecondLastCharacter
    [['a*aaa', 'aaa*a'], 6], // testEvaluateTwoWildcardsOneNormalPositionAndOneSecondLastCharacterAllSameCharacter
    [['a*bc', 'abc*'], 4], // testEvaluateTwoWildcardsOneNormalPositionAndOneTrailing
    [['a*aa', 'aaa*'], 5], // testEvaluateTwoWildcardsOneNormalPositionAndOneTrailingAllSameCharacter
  ])('scores %j as %d', (texts, expected) => {
    expect(wildcardComplexity(texts)).toBe(expected);
  });

  // vals-ai/Valkyrie#278: AWS refused a rule with four `*:stack/<name>/*` wildcards on one field and took it
  // with three (stack names here are illustrative).
  const stacks = ['Shared', 'Api', 'Data', 'Monitoring'].map((name) => ({
    wildcard: `*:stack/${name}Stack/*`,
  }));

  it('accepts three stack wildcards on one field', () => {
    expect(() => compilePattern({ detail: { 'stack-id': stacks.slice(0, 3) } })).not.toThrow();
  });

  it('rejects four, naming the field', () => {
    expectRejected({ detail: { 'stack-id': stacks } }, 'detail.stack-id', /too complex/);
  });

  it('counts anything-but wildcards and wildcards spread over $or branches on the same field', () => {
    const spread = {
      $or: [
        { id: [stacks[0], stacks[1]] },
        { id: [{ 'anything-but': { wildcard: [stacks[2]?.wildcard ?? '', stacks[3]?.wildcard ?? ''] } }] },
      ],
    };
    expect(rejection(spread).message).toMatch(/too complex/);
  });

  it('does not add up wildcards on different fields', () => {
    expect(() => compilePattern({ a: stacks.slice(0, 3), b: stacks.slice(0, 3) })).not.toThrow();
  });
});

describe('events the matcher must not choke on', () => {
  it('ignores parts of the event no pattern reads, even cyclic or 40,000 deep', () => {
    const cyclic: Record<string, unknown> = { x: '1' };
    cyclic.self = cyclic;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40_000; i++) deep = { deep };
    expect(matchesPattern({ detail: { x: ['1'] } }, { detail: cyclic, extra: deep })).toBe(true);
    expect(matchesPattern({ source: ['s'] }, { source: 's', detail: cyclic })).toBe(true);
  });

  it('decides a pattern over large arrays without trying every combination', () => {
    const n = 400;
    const items = Array.from({ length: n }, (_, i) => ({ a: i % 2, b: (i + 1) % 2, c: i }));
    const pattern = { items: { a: [1], b: [1] }, other: { c: [{ numeric: ['>=', 0] }] } };
    const started = Date.now();
    expect(matchesPattern(pattern, { items, other: items })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
