import fc, { type JsonValue } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../lib/events/errors.js';
import { EVENT_LIMITS } from '../../lib/events/limits.js';
import {
  parseAlarmEvent,
  parseDrillInput,
  parseHealthEvent,
  parseScheduleEvent,
} from '../../lib/events/parse.js';
import { redact } from '../../lib/incidents/redact.js';
import { listEvents, loadEvent } from '../helpers/fixtures.js';

/**
 * Bad input, bounded: real fixtures with one value anywhere replaced by something hostile (deep
 * nesting, long strings, wrong types, JSON text of any depth where reasonData goes). Each parser
 * returns a Signal or "ignored", or throws an EventParseError — never another error, and never a Signal
 * that the recorder's recursive walks (redaction, JSON) cannot take.
 */

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const INVOCATION = {
  requestId: 'req-1',
  account: '111122223333',
  region: 'us-east-1',
  now: '2026-03-02T10:00:00Z',
};

/** Nested arrays or objects, built iteratively. */
function deep(levels: number, asObject: boolean): JsonValue {
  let value: JsonValue = [];
  for (let i = 1; i < levels; i += 1) value = asObject ? { k: value } : [value];
  return value;
}

const hostile: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.tuple(fc.integer({ min: 20, max: 50_000 }), fc.boolean()).map(([n, o]) => deep(n, o)),
  fc.integer({ min: 0, max: 300 * 1024 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  // What reasonData must be (a JSON object in a string), at any depth.
  fc.integer({ min: 1, max: 50_000 }).map((n) => `{"d":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1, max: 50 }).map((n) => `{"a":${'{"b":'.repeat(n)}1${'}'.repeat(n)}}`),
  fc.constantFrom(null, '', 0, -1, true, 'vpn-0a1b2c3d4e5f60001', 'not a date', '{', '{}', '[]'),
);

/**
 * Replaces (or adds) one value at a path into the event: a number picks among what is there, a name
 * is taken as is (so the fields a parser reads deeply are hit often, not once in thousands of runs).
 */
function plant(value: JsonValue, path: readonly (number | string)[], replacement: JsonValue): JsonValue {
  const [step, ...rest] = path;
  if (step === undefined || typeof value !== 'object' || value === null) return replacement;
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement];
    const i = typeof step === 'number' ? step % value.length : 0;
    return value.map((item, j) => (j === i ? plant(item, rest, replacement) : item));
  }
  const keys = Object.keys(value);
  const key = typeof step === 'string' ? step : (keys[step % (keys.length + 1)] ?? `extra${step}`);
  return { ...value, [key]: plant(value[key] ?? null, rest, replacement) };
}

const READ_DEEPLY: readonly (readonly (number | string)[])[] = [
  ['detail', 'state', 'reasonData'],
  ['detail', 'previousState', 'reasonData'],
  ['detail', 'state', 'reason'],
  ['detail', 'configuration', 'metrics', 0, 'metricStat', 'metric', 'dimensions'],
  ['detail', 'eventDescription', 0, 'latestDescription'],
  ['detail', 'affectedEntities', 0],
  ['detail'],
  ['id'],
];
const anyPath = fc.oneof(fc.array(fc.nat(), { maxLength: 7 }), fc.constantFrom(...READ_DEEPLY));

const PARSERS = [
  ['aws.cloudwatch', parseAlarmEvent],
  ['aws.health', parseHealthEvent],
  ['aws.events', (e: unknown) => parseScheduleEvent(e, 'sweep')],
  ['tunnel-warden.drill', (e: unknown) => parseDrillInput(e, INVOCATION)],
] as const;

describe('parsers under hostile input', () => {
  it.each(PARSERS)('%s: a Signal, ignored, or an EventParseError; nothing else', (folder, parse) => {
    const fixtures = listEvents(folder);
    const mutated = fc
      .record({
        fixture: fc.constantFrom(...fixtures),
        path: anyPath,
        replacement: hostile,
      })
      .map(({ fixture, path, replacement }) => plant(loadEvent(fixture) as JsonValue, path, replacement));
    fc.assert(
      fc.property(mutated, (event) => {
        let outcome: ReturnType<typeof parse>;
        try {
          outcome = parse(event);
        } catch (error) {
          expect(error).toBeInstanceOf(EventParseError);
          expect((error as Error).message.length).toBeLessThan(2 * EVENT_LIMITS.maxReasonDataChars);
          return;
        }
        if (outcome.type === 'signal')
          expect(JSON.stringify(redact(outcome.signal)).length).toBeGreaterThan(0);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
