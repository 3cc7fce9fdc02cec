import { describe, expect, it } from 'vitest';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { signalCondition } from '../../lib/incidents/condition.js';
import { loadEvent } from '../helpers/fixtures.js';

describe('the condition of a connection of no configured site, from its signal alone', () => {
  it('records an alarm whose meaning is unknown as neither healthy nor down, saying why', () => {
    const event = loadEvent('aws.cloudwatch/alarm-vpn-any-tunnel-down.json');
    const detail = event.detail as Record<string, Record<string, unknown>>;
    // Neither reason names the comparison: what the alarm means cannot be read.
    (detail.state as Record<string, unknown>).reason = 'test';
    (detail.previousState as Record<string, unknown>).reason = 'Unchecked: Initial alarm creation';
    const outcome = parseAlarmEvent(event);
    if (outcome.type !== 'signal') throw new Error(outcome.reason);
    expect(outcome.signal.kind).toBe('alarm-unclear');
    expect(signalCondition(outcome.signal)).toEqual({
      healthy: false,
      kind: 'redundancy-lost',
      severity: 'info',
      summary: expect.stringContaining('no comparison in its state reason'),
    });
  });
});
