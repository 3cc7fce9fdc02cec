/**
 * On the twin, end to end through the packaged rules and the real handlers: a scheduledChange Health
 * event and the daily check find pending maintenance with GetVpnTunnelReplacementStatus; a Network
 * Manager IPsec-down event moves traffic only when the config registers the global network.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TWIN_START } from '../../lib/twin/clock.js';
import { DEMO, demoWorld } from '../../lib/twin/topologies/demo.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { Twin } from '../../lib/twin/twin.js';
import { loadEvent } from '../helpers/fixtures.js';

let twin: Twin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

const primary = DEMO.seoul.primary.vpnId;

function pendingOn(t: Twin, tunnelIndex: number, autoAppliedAfter: string) {
  const tunnel = t.world.vpnConnections.find((v) => v.id === primary)?.tunnels[tunnelIndex];
  if (tunnel === undefined) throw new Error('no such tunnel');
  tunnel.maintenance = { pending: true, autoAppliedAfter };
  return tunnel.outsideIp;
}

describe('pending maintenance on the twin', () => {
  it('a scheduledChange Health event records the pending maintenance GetVpnTunnelReplacementStatus reports', async () => {
    twin = await Twin.start();
    const ip = pendingOn(twin, 0, '2026-04-01T00:00:00.000Z');
    const [delivery] = await twin.putEvents(loadEvent('aws.health/vpn-scheduled-change-other-code.json'));
    expect(delivery).toMatchObject({ function: 'onHealthEvent', outcome: 'handled' });
    const record = await twin.incidents.current(`maintenance:${primary}`);
    expect(record?.summary).toContain('auto-applied after 2026-04-01T00:00:00.000Z');
    expect(record?.summary).toContain(ip);
    expect(twin.ec2.calls.filter((c) => c.action === 'GetVpnTunnelReplacementStatus')).toHaveLength(2);
  });

  it('the daily maintenanceCheck finds it without any Health event', async () => {
    twin = await Twin.start();
    pendingOn(twin, 1, '2026-04-02T00:00:00.000Z');
    // Its rule fires once a day (packaged-rules.test.ts); a simulated day of sweeps and keepalives is
    // slow, so the scheduled event is delivered to it directly.
    const delivery = await twin.invoke(
      'maintenanceCheck',
      loadEvent('aws.events/scheduled-health-check.json'),
    );
    expect(delivery).toMatchObject({ outcome: 'handled' });
    expect((await twin.incidents.current(`maintenance:${primary}`))?.summary).toContain('2026-04-02');
  });
});

describe('Network Manager events on the twin', () => {
  function configWithNetworkManager(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tw-nm-'));
    const file = join(dir, 'tunnel-warden.yml');
    const base = readFileSync('tunnel-warden.yml', 'utf8');
    writeFileSync(
      file,
      `${base}\nnetworkManager:\n  globalNetwork: global-network-0a1b2c3d4e5f60001\n  transitGateways: [${DEMO.tgwId}]\n`,
    );
    return file;
  }

  const bothPrimaryTunnelsDown = (t: Twin) => {
    const at = t.clock.now();
    for (const tunnel of t.world.vpnConnections.find((v) => v.id === primary)?.tunnels ?? [])
      setTunnelStatus(t.world, tunnel.outsideIp, 'DOWN', at);
  };

  it('an IPsec-down event of the registered global network moves seoul-dc to its backup', async () => {
    twin = await Twin.start({ configFile: configWithNetworkManager(), cloudwatch: 'none', mode: 'enabled' });
    bothPrimaryTunnelsDown(twin);
    const [delivery] = await twin.putEvents(loadEvent('aws.networkmanager/vpn-ipsec-down.json'));
    expect(delivery).toMatchObject({ function: 'onNetworkEvent', outcome: 'handled' });
    expect((await twin.incidents.current('seoul-dc'))?.status).toBe('open');
    expect(
      twin.ec2.calls.some((c) => c.caller === 'onNetworkEvent' && c.action === 'ReplaceTransitGatewayRoute'),
    ).toBe(true);
  });

  it('the twin itself publishes the documented event a minute after both primary tunnels die, and it moves the route', async () => {
    twin = await Twin.start({ configFile: configWithNetworkManager(), cloudwatch: 'none', mode: 'enabled' });
    const fault = twin.clock.now().getTime();
    bothPrimaryTunnelsDown(twin);
    await twin.advance(60_000);
    const events = twin.bus.filter((e) => e.source === 'aws.networkmanager');
    const fixture = loadEvent('aws.networkmanager/vpn-ipsec-down.json');
    expect(events.map((e) => (e.detail as { outsideIpAddress?: string }).outsideIpAddress)).toEqual([
      '198.51.100.10',
      '198.51.100.11',
    ]);
    const [first] = events;
    // The fixture is AWS's documented example for this very VPN: the same shape and values, but for
    // the id and time.
    expect({ ...first, id: 'x', time: 'x' }).toEqual({
      id: 'x',
      time: 'x',
      source: fixture.source,
      detailType: fixture['detail-type'],
      account: fixture.account,
      region: 'us-west-2',
      resources: fixture.resources,
      detail: { ...(fixture.detail as object) },
      eventBusName: 'default',
    });
    expect(Date.parse(first?.time ?? '')).toBe(fault + 60_000);
    expect(twin.deliveries.find((d) => d.eventId === first?.id)).toMatchObject({
      function: 'onNetworkEvent',
      outcome: 'handled',
    });
    expect(
      twin.ec2.calls.some((c) => c.caller === 'onNetworkEvent' && c.action === 'ReplaceTransitGatewayRoute'),
    ).toBe(true);
  });

  it('publishes BGP changes of a BGP VPN after the configured delay, and nothing for a VPN on a VGW', async () => {
    twin = await Twin.start({
      configFile: configWithNetworkManager(),
      world: { ...demoWorld(DEFAULT_TWIN_START), networkEventDelayMs: 3 * 60_000 },
      cloudwatch: 'none',
      mode: 'dry-run',
    });
    const backup = twin.world.vpnConnections.find((v) => v.id === DEMO.seoul.backup.vpnId);
    if (backup === undefined) throw new Error('no backup VPN');
    backup.staticRoutesOnly = false;
    backup.advertisedPrefixes = ['10.3.0.0/20'];
    const [tunnel] = backup.tunnels;
    if (tunnel === undefined) throw new Error('no tunnel');
    setTunnelStatus(twin.world, tunnel.outsideIp, 'UP', twin.clock.now()); // telemetry with its BGP routes
    await twin.advance(60_000);
    setTunnelStatus(twin.world, tunnel.outsideIp, 'DOWN', twin.clock.now());
    // busan-dc's BGP VPN is on the VGW, in no global network: Network Manager says nothing of it.
    setTunnelStatus(twin.world, DEMO.busan.bgp.tunnels[0], 'DOWN', twin.clock.now());
    await twin.advance(2 * 60_000);
    expect(twin.bus.filter((e) => e.source === 'aws.networkmanager')).toEqual([]);
    await twin.advance(60_000);
    const changes = twin.bus
      .filter((e) => e.source === 'aws.networkmanager')
      .map((e) => (e.detail as { changeType?: string }).changeType);
    // Nothing for making it a BGP VPN: that is the test's set-up, not a session coming up.
    expect(changes).toEqual(['VPN-CONNECTION-IPSEC-DOWN', 'VPN-CONNECTION-BGP-DOWN']);
  });

  it('is ignored without networkManager in the configuration', async () => {
    twin = await Twin.start({ cloudwatch: 'none', mode: 'enabled' });
    bothPrimaryTunnelsDown(twin);
    const [delivery] = await twin.putEvents(loadEvent('aws.networkmanager/vpn-ipsec-down.json'));
    expect(delivery).toMatchObject({ function: 'onNetworkEvent', outcome: 'ignored' });
    expect(twin.ec2.calls.filter((c) => c.caller === 'onNetworkEvent')).toEqual([]);
  });
});
