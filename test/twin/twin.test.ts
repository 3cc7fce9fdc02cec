import { afterEach, describe, expect, it } from 'vitest';
import { effectiveTgwRoutes } from '../../lib/twin/routing.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { Twin } from '../../lib/twin/twin.js';
import { loadEvent } from '../helpers/fixtures.js';

let twin: Twin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

function seoulRoute(t: Twin) {
  return effectiveTgwRoutes(t.world, 'tgw-rtb-0a1b2c3d4e5f60001').find(
    (r) => r.destination === '10.3.0.0/20',
  );
}

describe('the twin runs the real functions behind the packaged rules', () => {
  it('fails seoul-dc over when its primary dies and back after the hold-down, with one incident', async () => {
    twin = await Twin.start();
    for (const ip of ['198.51.100.10', '198.51.100.11'])
      setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
    // CloudWatch alarms 3 minutes later: the down minute, the period, the publishing delay.
    await twin.advance(2 * 60_000);
    expect(seoulRoute(twin)).toMatchObject({ attachmentId: 'tgw-attach-0a1b2c3d4e5f60001' });
    await twin.advance(60_000);
    expect(seoulRoute(twin)).toMatchObject({ attachmentId: 'tgw-attach-0a1b2c3d4e5f60002' });
    expect(await twin.incidents.current('seoul-dc')).toMatchObject({
      status: 'open',
      kind: 'connection-down',
    });
    for (const ip of ['198.51.100.10', '198.51.100.11'])
      setTunnelStatus(twin.world, ip, 'UP', twin.clock.now());
    await twin.advance(5 * 60_000);
    expect(seoulRoute(twin)).toMatchObject({ attachmentId: 'tgw-attach-0a1b2c3d4e5f60002' });
    await twin.advance(10 * 60_000);
    expect(seoulRoute(twin)).toMatchObject({ attachmentId: 'tgw-attach-0a1b2c3d4e5f60001' });
    expect(await twin.incidents.current('seoul-dc')).toMatchObject({ status: 'resolved' });
    const published = twin.bus.filter((e) => e.source === 'tunnel-warden').map((e) => e.detailType);
    expect(published).toContain('Incident Opened');
    expect(published.at(-1)).toBe('Incident Resolved');
    // Every call was made by a function and granted by its packaged role; keepalive called nothing.
    const calls = [...twin.ec2.calls, ...twin.dynamo.calls, ...twin.services.calls];
    expect(
      calls.filter((c) => /Unauthorized|AccessDenied|AuthorizationError/.test(c.errorCode ?? '')),
    ).toEqual([]);
    expect(calls.filter((c) => c.caller === undefined || c.caller === 'keepalive')).toEqual([]);
    expect(new Set(twin.ec2.calls.map((c) => c.caller))).toEqual(new Set(['onTunnelAlarm', 'healthCheck']));
  });

  it('retries a failed alarm run 1 and 2 minutes later in twin time, then dead-letters it', async () => {
    twin = await Twin.start();
    await expect(twin.advance(24 * 3_600_000 + 1)).rejects.toThrow('advance: 86400001 ms is not a duration');
    const event = loadEvent('malformed/alarm-unknown-state.json');
    const first = await twin.putEvents(event);
    expect(first).toEqual([
      expect.objectContaining({ function: 'onTunnelAlarm', outcome: 'retrying', attempts: 1 }),
    ]);
    expect(twin.pendingRetries).toEqual([
      { function: 'onTunnelAlarm', attempt: 2, at: '2026-03-02T10:01:00.000Z' },
    ]);
    const failedAttempts = () => twin?.deliveries.filter((d) => d.function === 'onTunnelAlarm') ?? [];
    await twin.advance(60_000);
    expect(failedAttempts().map((d) => [d.attempts, d.at, d.outcome])).toEqual([
      [1, '2026-03-02T10:00:00.000Z', 'retrying'],
      [2, '2026-03-02T10:01:00.000Z', 'retrying'],
    ]);
    await twin.advance(60_000);
    expect(twin.deadLetters).toEqual([]);
    await twin.advance(60_000);
    expect(failedAttempts().map((d) => [d.attempts, d.at, d.outcome])).toEqual([
      [1, '2026-03-02T10:00:00.000Z', 'retrying'],
      [2, '2026-03-02T10:01:00.000Z', 'retrying'],
      [3, '2026-03-02T10:03:00.000Z', 'failed'],
    ]);
    expect(twin.deadLetters).toEqual([
      expect.objectContaining({
        function: 'onTunnelAlarm',
        eventId: event.id,
        attempts: 3,
        errorType: 'EventParseError',
      }),
    ]);
  });
});
