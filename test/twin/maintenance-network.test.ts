/**
 * On the twin, end to end through the packaged rules and the real handlers: a scheduledChange Health
 * event and the daily check find pending maintenance with GetVpnTunnelReplacementStatus; a Network
 * Manager IPsec-down event moves traffic only when the config registers the global network.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../lib/twin/topologies/demo.js';
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

  it('is ignored without networkManager in the configuration', async () => {
    twin = await Twin.start({ cloudwatch: 'none', mode: 'enabled' });
    bothPrimaryTunnelsDown(twin);
    const [delivery] = await twin.putEvents(loadEvent('aws.networkmanager/vpn-ipsec-down.json'));
    expect(delivery).toMatchObject({ function: 'onNetworkEvent', outcome: 'ignored' });
    expect(twin.ec2.calls.filter((c) => c.caller === 'onNetworkEvent')).toEqual([]);
  });
});
