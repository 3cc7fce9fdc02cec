import { afterEach, describe, expect, it } from 'vitest';
import { effectiveTgwRoutes } from '../../lib/twin/routing.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { Twin } from '../../lib/twin/twin.js';

let twin: Twin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';
const PRIMARY_ATTACHMENT = 'tgw-attach-0a1b2c3d4e5f60001';

function seoulAttachment(t: Twin): string | undefined {
  return effectiveTgwRoutes(t.world, 'tgw-rtb-0a1b2c3d4e5f60001').find((r) => r.destination === '10.3.0.0/20')
    ?.attachmentId;
}

function withhold(t: Twin, vpnId: string): void {
  const vpn = t.world.vpnConnections.find((v) => v.id === vpnId);
  if (vpn === undefined) throw new Error(`no ${vpnId} in the demo`);
  vpn.telemetryWithheld = true;
}

describe('a VPN that DescribeVpnConnections returns without VgwTelemetry', () => {
  it('keeps traffic on the primary through sweeps, and the incident says what is missing', async () => {
    twin = await Twin.start();
    withhold(twin, SEOUL_PRIMARY);
    await twin.advance(15 * 60_000);
    expect(seoulAttachment(twin)).toBe(PRIMARY_ATTACHMENT);
    expect(twin.ec2.calls.map((c) => c.action)).not.toContain('ReplaceTransitGatewayRoute');
    const incident = await twin.incidents.current('seoul-dc');
    expect(incident).toMatchObject({ status: 'open', kind: 'redundancy-lost', severity: 'minor' });
    expect(incident?.summary).toContain(`${SEOUL_PRIMARY}: VgwTelemetry (missing)`);
    const plans = (await twin.incidents.timeline(incident?.id ?? '')).filter((e) => e.type === 'plan');
    expect(JSON.stringify(plans[0]?.detail)).toContain('"code":"telemetry-missing"');
  });

  it('does not act on a TunnelState alarm alone while the snapshot cannot confirm it', async () => {
    twin = await Twin.start();
    withhold(twin, SEOUL_PRIMARY);
    for (const ip of ['198.51.100.10', '198.51.100.11'])
      setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
    await twin.advance(3 * 60_000);
    // The alarm fired, but the fresh snapshot says nothing about the tunnels: nothing moves on it.
    expect(twin.deliveries.map((d) => d.function)).toContain('onTunnelAlarm');
    expect(seoulAttachment(twin)).toBe(PRIMARY_ATTACHMENT);
    // Once the telemetry is back and says DOWN, the failover happens.
    const vpn = twin.world.vpnConnections.find((v) => v.id === SEOUL_PRIMARY);
    if (vpn !== undefined) vpn.telemetryWithheld = false;
    await twin.advance(5 * 60_000);
    expect(seoulAttachment(twin)).toBe('tgw-attach-0a1b2c3d4e5f60002');
  });
});
