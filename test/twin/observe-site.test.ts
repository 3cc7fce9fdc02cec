import { describe, expect, it } from 'vitest';
import { sdkEc2Port } from '../../lib/aws/port.js';
import { loadConfig } from '../../lib/config/load.js';
import { decide } from '../../lib/policy/decide.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { observeSite } from '../../lib/usecases/observe-site.js';
import { actionsOf, useDemoTwin } from './helpers.js';

const config = loadConfig('tunnel-warden.yml');
const siteNamed = (name: string) => config.sites.find((s) => s.name === name) ?? (undefined as never);
const h = useDemoTwin();

describe('observeSite against the demo twin: a blind path is followed through the transit gateway', () => {
  it("reads busan-dc's TGW backup down to the tunnels of vpn-…60004, in four bounded calls more", async () => {
    const snapshot = await observeSite(sdkEc2Port(h.ec2), siteNamed('busan-dc'), h.clock.now());
    expect(actionsOf(h.twin).sort()).toEqual([
      'DescribeRouteTables',
      'DescribeTransitGatewayAttachments',
      'DescribeTransitGatewayAttachments',
      'DescribeVpnConnections',
      'DescribeVpnConnections',
      'SearchTransitGatewayRoutes',
    ]);
    expect(snapshot.tgwAttachments?.[DEMO.busan.vpcAttachmentId]).toMatchObject({
      resourceType: 'vpc',
      resourceId: DEMO.vpcId,
      associatedRouteTableId: DEMO.tgwRouteTableId,
    });
    expect(snapshot.tgwAttachments?.[DEMO.busan.backup.attachmentId]).toMatchObject({
      resourceType: 'vpn',
      resourceId: DEMO.busan.backup.vpnId,
    });
    expect(snapshot.vpnConnections[DEMO.busan.backup.vpnId]?.tunnels).toHaveLength(2);
  });

  it('makes no extra call for a site whose paths all have a VPN', async () => {
    await observeSite(sdkEc2Port(h.ec2), siteNamed('seoul-dc'), h.clock.now());
    // The site's TGW table is searched for the exact prefix, the routes covering it and those inside it.
    expect(actionsOf(h.twin).sort()).toEqual([
      'DescribeVpnConnections',
      'SearchTransitGatewayRoutes',
      'SearchTransitGatewayRoutes',
      'SearchTransitGatewayRoutes',
    ]);
  });

  it('sees the backup die with the VPN behind it', async () => {
    const site = siteNamed('busan-dc');
    const health = async () => {
      const snapshot = await observeSite(sdkEc2Port(h.ec2), site, h.clock.now());
      const plan = decide({
        site,
        policy: {
          holdDownMs: 600_000,
          flapping: { maxTransitions: 4, windowMs: 1_800_000 },
          maxChangesPerRun: 20,
        },
        snapshot,
        history: { transitions: [] },
        mode: 'dry-run',
        now: h.clock.now().getTime(),
      });
      return plan.paths.find((p) => p.name === 'tgw-backup')?.health;
    };
    expect(await health()).toBe('healthy');
    for (const ip of DEMO.busan.backup.tunnels) setTunnelStatus(h.world, ip, 'DOWN', h.clock.now());
    expect(await health()).toBe('down');
  });
});
