import {
  DescribeVpnConnectionsCommand,
  GetVpnTunnelReplacementStatusCommand,
  ModifyVpnTunnelOptionsCommand,
  ReplaceVpnTunnelCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { useDemoTwin } from './helpers.js';

const { seoul, busan } = DEMO;

const h = useDemoTwin();

describe('tunnel endpoint replacement on the twin clock', () => {
  const telemetry = async (vpnId: string) =>
    (await h.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }))).VpnConnections?.[0]
      ?.VgwTelemetry;

  it('ReplaceVpnTunnel: DOWN now, UP again two minutes later, pending maintenance applied', async () => {
    const tunnel = h.world.vpnConnections[0]?.tunnels[0];
    if (tunnel !== undefined)
      tunnel.maintenance = { pending: true, autoAppliedAfter: '2026-04-01T00:00:00.000Z' };
    const out = await h.ec2.send(
      new ReplaceVpnTunnelCommand({
        VpnConnectionId: seoul.primary.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.10',
        ApplyPendingMaintenance: true,
      }),
    );
    expect(out.Return).toBe(true);
    expect((await telemetry(seoul.primary.vpnId))?.[0]).toMatchObject({
      Status: 'DOWN',
      StatusMessage: 'IPSEC IS DOWN',
      LastStatusChange: new Date('2026-03-02T10:00:00Z'),
    });
    h.clock.advance(119_000);
    expect((await telemetry(seoul.primary.vpnId))?.[0]?.Status).toBe('DOWN');
    h.clock.advance(1_000);
    expect((await telemetry(seoul.primary.vpnId))?.[0]).toMatchObject({
      Status: 'UP',
      LastStatusChange: new Date('2026-03-02T10:02:00Z'),
    });
    expect(h.world.replacements).toEqual([
      expect.objectContaining({
        outsideIp: '198.51.100.10',
        cause: 'ReplaceVpnTunnel',
        completedAt: '2026-03-02T10:02:00.000Z',
      }),
    ]);
    const status = await h.ec2.send(
      new GetVpnTunnelReplacementStatusCommand({
        VpnConnectionId: seoul.primary.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.10',
      }),
    );
    expect(status.MaintenanceDetails).toEqual({
      PendingMaintenance: 'None',
      LastMaintenanceApplied: new Date('2026-03-02T10:02:00Z'),
    });
    const unknownTunnel = h.ec2.send(
      new ReplaceVpnTunnelCommand({
        VpnConnectionId: seoul.primary.vpnId,
        VpnTunnelOutsideIpAddress: '192.0.2.1',
      }),
    );
    await expect(unknownTunnel).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('ModifyVpnTunnelOptions: updates and echoes the options, and bounces the tunnel', async () => {
    const out = await h.ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: busan.bgp.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.31',
        TunnelOptions: {
          DPDTimeoutSeconds: 45,
          DPDTimeoutAction: 'clear',
          StartupAction: 'add',
          IKEVersions: [{ Value: 'ikev1' }, { Value: 'ikev2' }],
        },
      }),
    );
    expect(out.VpnConnection?.Options?.TunnelOptions?.[1]).toMatchObject({
      OutsideIpAddress: '198.51.100.31',
      DpdTimeoutSeconds: 45,
      DpdTimeoutAction: 'clear',
      StartupAction: 'add',
      IkeVersions: [{ Value: 'ikev1' }, { Value: 'ikev2' }],
    });
    expect(out.VpnConnection?.VgwTelemetry?.[1]?.Status).toBe('DOWN');
    h.clock.advance(120_000);
    // StartupAction=add: AWS does not start IKE on the new endpoint; the customer gateway does, 30 s later.
    expect((await telemetry(busan.bgp.vpnId))?.[1]?.Status).toBe('DOWN');
    h.clock.advance(30_000);
    expect((await telemetry(busan.bgp.vpnId))?.[1]?.Status).toBe('UP');
    const tooShort = h.ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: busan.bgp.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.31',
        TunnelOptions: { DPDTimeoutSeconds: 10 },
      }),
    );
    await expect(tooShort).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await h.ec2.send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: busan.bgp.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.30',
        TunnelOptions: { EnableTunnelLifecycleControl: false },
        SkipTunnelReplacement: true,
      }),
    );
    expect(h.world.vpnConnections[2]?.tunnels[0]).toMatchObject({
      status: 'UP',
      options: { enableTunnelLifecycleControl: false },
    });
  });
});
