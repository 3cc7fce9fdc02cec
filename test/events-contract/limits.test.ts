import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../lib/events/errors.js';
import { checkJsonTextBounds, checkValueBounds, EVENT_LIMITS } from '../../lib/events/limits.js';
import {
  parseAlarmEvent,
  parseDrillInput,
  parseHealthEvent,
  parseScheduleEvent,
} from '../../lib/events/parse.js';
import { EVENTS_DIR, loadEvent } from '../helpers/fixtures.js';

const INVOCATION = {
  requestId: 'req-1',
  account: '111122223333',
  region: 'us-east-1',
  now: '2026-03-02T10:00:00Z',
};

/** `levels` nested arrays, built without recursion (a recursive builder would overflow first). */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i += 1) value = [value];
  return value;
}
const nestedText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

function rejection(parse: () => unknown): EventParseError {
  try {
    parse();
  } catch (error) {
    if (error instanceof EventParseError) return error;
    throw error;
  }
  throw new Error('expected an EventParseError');
}

function alarmWith(
  mutate: (detail: { state: Record<string, unknown>; configuration: Record<string, unknown> }) => void,
) {
  const event = loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json');
  mutate(event.detail as { state: Record<string, unknown>; configuration: Record<string, unknown> });
  return event;
}

function allFixtures(dir = EVENTS_DIR): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = join(dir, f);
    return statSync(full).isDirectory() ? allFixtures(full) : full.endsWith('.json') ? [full] : [];
  });
}

describe('event size and depth bounds', () => {
  it('real AWS events stay far inside every bound', () => {
    for (const file of allFixtures()) {
      const event: unknown = JSON.parse(readFileSync(file, 'utf8'));
      expect(
        checkValueBounds(event, { maxBytes: EVENT_LIMITS.maxEventBytes / 64, maxDepth: 8 }),
        file,
      ).toBeUndefined();
      const detail = (event as { detail?: { state?: { reasonData?: unknown } } }).detail;
      const reasonData = detail?.state?.reasonData;
      if (typeof reasonData === 'string') {
        expect(checkJsonTextBounds(reasonData, { maxChars: 4000, maxDepth: 2 }), file).toBeUndefined();
      }
    }
  });

  it('refuses a 40,000-deep reasonData before parsing it, naming the event and the field', () => {
    const event = alarmWith((d) => {
      d.state.reasonData = `{"deep":${nestedText(40_000)}}`;
    });
    const error = rejection(() => parseAlarmEvent(event));
    expect(error.eventId).toBe('5e2a9f0c-1d7b-4c55-9b1f-0f3c2d8e7a11');
    expect(error.fieldPath).toBe('detail.state.reasonData');
    // 80,000 characters: the length bound trips before the depth scan would.
    expect(error.message).toContain('detail.state.reasonData: is longer than 16384 characters');
  });

  it('accepts reasonData at the depth bound and refuses one level more', () => {
    const at = (levels: number) =>
      alarmWith((d) => {
        d.state.reasonData = `{"x":${nestedText(levels - 1)}}`;
      });
    expect(parseAlarmEvent(at(EVENT_LIMITS.maxDepth)).type).toBe('signal');
    expect(rejection(() => parseAlarmEvent(at(EVENT_LIMITS.maxDepth + 1))).fieldPath).toBe(
      'detail.state.reasonData',
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const event = alarmWith((d) => {
      d.state.reasonData = JSON.stringify({ note: `"${'['.repeat(100)}\\"{{{` });
    });
    expect(parseAlarmEvent(event).type).toBe('signal');
  });

  it('refuses an over-long reasonData', () => {
    const event = alarmWith((d) => {
      d.state.reasonData = JSON.stringify({ pad: 'x'.repeat(EVENT_LIMITS.maxReasonDataChars) });
    });
    const error = rejection(() => parseAlarmEvent(event));
    expect(error.fieldPath).toBe('detail.state.reasonData');
    expect(error.message).toContain('is longer than 16384 characters');
  });

  it('refuses an event nested too deep anywhere, even where the schema would ignore it', () => {
    const event = alarmWith((d) => {
      d.configuration.extra = nested(40_000);
    });
    const error = rejection(() => parseAlarmEvent(event));
    expect(error.fieldPath).toBe('detail.configuration.extra[0][0][0]…');
    expect(error.message).toMatch(
      /^Invalid aws\.cloudwatch event 5e2a9f0c-[\w-]+: detail\.configuration\.extra/,
    );
  });

  it('refuses an event over 256 KiB', () => {
    const event = alarmWith((d) => {
      d.configuration.description = 'x'.repeat(EVENT_LIMITS.maxEventBytes);
    });
    const error = rejection(() => parseAlarmEvent(event));
    expect(error.fieldPath).toBe('');
    expect(error.message).toContain('the event: is larger than 262144 bytes as JSON');
  });

  it('refuses a cyclic value (infinitely deep) without hanging', () => {
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    const detail = event.detail as Record<string, unknown>;
    detail.loop = detail;
    expect(rejection(() => parseHealthEvent(event)).message).toContain('nests deeper than 32 levels');
  });

  it.each([
    [
      'a Health event',
      () => parseHealthEvent({ ...loadEvent('aws.health/vpn-redundancy-loss.json'), extra: nested(50) }),
    ],
    [
      'a scheduled event',
      () =>
        parseScheduleEvent(
          { ...loadEvent('aws.events/scheduled-health-check.json'), detail: { a: nested(50) } },
          'sweep',
        ),
    ],
    [
      'a drill invocation',
      () => parseDrillInput({ site: 'seoul-dc', scenario: 'failback', x: nested(50) }, INVOCATION),
    ],
  ])('bounds %s too', (_, parse) => {
    expect(rejection(parse).message).toContain('nests deeper than 32 levels');
  });

  it('shows a long event id cut', () => {
    const event = alarmWith((d) => {
      d.state.reasonData = nestedText(100);
    });
    event.id = 'i'.repeat(10_000);
    const error = rejection(() => parseAlarmEvent(event));
    expect(error.eventId).toBe(`${'i'.repeat(128)}… (10000 characters)`);
  });
});
