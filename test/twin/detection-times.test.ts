import { afterEach, describe, expect, it } from 'vitest';
import { effectiveTgwRoutes } from '../../lib/twin/routing.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { Twin, type TwinOptions } from '../../lib/twin/twin.js';

let twin: Twin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

/**
 * Minutes from both tunnels of seoul-dc's primary dying (`phase` minutes after the stack's schedules
 * started) to its route on the backup attachment, by what detects it.
 */
async function minutesToRestore(cloudwatch: NonNullable<TwinOptions['cloudwatch']>, phase: number) {
  twin = await Twin.start({ cloudwatch });
  if (phase > 0) await twin.advance(phase * 60_000);
  for (const ip of ['198.51.100.10', '198.51.100.11'])
    setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
  for (let minute = 1; minute <= 10; minute += 1) {
    await twin.advance(60_000);
    const route = effectiveTgwRoutes(twin.world, 'tgw-rtb-0a1b2c3d4e5f60001').find(
      (r) => r.destination === '10.3.0.0/20',
    );
    if (route?.attachmentId === 'tgw-attach-0a1b2c3d4e5f60002') {
      const triggers = twin.deliveries.filter((d) => d.function !== 'keepalive').map((d) => d.function);
      await twin.close();
      twin = undefined;
      return { minute, by: triggers.at(-1) };
    }
  }
  throw new Error('not restored within 10 minutes');
}

describe('detection time by trigger, both tunnels of the primary down', () => {
  it.each([
    // The stack's Metrics Insights contributors: the down minute, the period, one minute's publishing delay.
    ['faithful', 0, { minute: 3, by: 'onTunnelAlarm' }],
    ['faithful', 1, { minute: 3, by: 'onTunnelAlarm' }],
    // The sweep alone (rate 5 minutes): whenever the next tick is.
    ['none', 0, { minute: 5, by: 'healthCheck' }],
    ['none', 2, { minute: 3, by: 'healthCheck' }],
    ['none', 4, { minute: 1, by: 'healthCheck' }],
    // The old instant alarm: one minute, kinder than CloudWatch can be.
    ['instant', 0, { minute: 1, by: 'onTunnelAlarm' }],
  ] as const)(
    '%s alarms, failure %i min into the sweep cycle: restored after %o',
    async (cloudwatch, phase, expected) => {
      expect(await minutesToRestore(cloudwatch, phase)).toEqual(expected);
    },
  );
});
