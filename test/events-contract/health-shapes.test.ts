import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import { parseHealthEvent } from '../../lib/events/parse.js';
import { idempotencyKeyOf } from '../helpers/dedupe.js';
import { loadEvent } from '../helpers/fixtures.js';

function signalOf(event: unknown): Signal {
  const outcome = parseHealthEvent(event);
  if (outcome.type !== 'signal') throw new Error(`expected a signal, got: ${outcome.reason}`);
  return outcome.signal;
}

type Detail = Record<string, unknown>;

describe('AWS Health events as AWS really sends them', () => {
  it("keeps an organizational-view event's member account, scope and page on the evidence", () => {
    const signal = signalOf(loadEvent('aws.health/vpn-redundancy-loss-org-view.json'));
    expect(signal).toMatchObject({
      kind: 'endpoint-replaced',
      origin: { account: '111122223333' },
      targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60009' }],
      health: {
        affectedAccount: '444455556666',
        eventScopeCode: 'ACCOUNT_SPECIFIC',
        page: 1,
        totalPages: 2,
      },
    });
  });

  it('records an event whose endTime is "" (an open event), with no end time', () => {
    const signal = signalOf(loadEvent('aws.health/vpn-single-tunnel-empty-endtime.json'));
    expect(signal).toMatchObject({
      kind: 'single-tunnel',
      health: { startTime: '2026-06-01T00:00:00.000Z' },
    });
    expect(signal).not.toHaveProperty('health.endTime');
  });

  it.each(['startTime', 'lastUpdatedTime', 'communicationId', 'eventScopeCode', 'affectedAccount'])(
    'treats an empty %s as absent rather than refusing the event',
    (field) => {
      const event = loadEvent('aws.health/vpn-redundancy-loss.json');
      (event.detail as Detail)[field] = '';
      expect(parseHealthEvent(event).type).toBe('signal');
    },
  );
});

describe('Health events are deduplicated as AWS advises: eventArn + communicationId, updates processed', () => {
  const base = () => loadEvent('aws.health/vpn-redundancy-loss.json');

  it('runs one delivery of an event once, whatever its EventBridge id and delivery Region', () => {
    const first = base();
    const second = base();
    second.id = 'ffffffff-0000-4000-8000-000000000002';
    second.region = 'us-west-2';
    expect(idempotencyKeyOf(signalOf(second))).toEqual(idempotencyKeyOf(signalOf(first)));
  });

  it('processes an update of the same event (newer lastUpdatedTime), even under the same EventBridge id', () => {
    const first = base();
    const update = base();
    (update.detail as Detail).lastUpdatedTime = 'Sun, 10 May 2026 07:30:00 GMT';
    expect(idempotencyKeyOf(signalOf(update))).not.toEqual(idempotencyKeyOf(signalOf(first)));
  });

  it('processes each page of a multi-page event (communicationId -1, -2)', () => {
    const page1 = base();
    const page2 = base();
    (page2.detail as Detail).communicationId = String((page1.detail as Detail).communicationId).replace(
      /-1$/,
      '-2',
    );
    expect(idempotencyKeyOf(signalOf(page2))).not.toEqual(idempotencyKeyOf(signalOf(page1)));
  });

  it('keeps the events of two member accounts apart', () => {
    const a = loadEvent('aws.health/vpn-redundancy-loss-org-view.json');
    const b = loadEvent('aws.health/vpn-redundancy-loss-org-view.json');
    (b.detail as Detail).affectedAccount = '777788889999';
    expect(idempotencyKeyOf(signalOf(b))).not.toEqual(idempotencyKeyOf(signalOf(a)));
  });
});
