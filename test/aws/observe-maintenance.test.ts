import { describe, expect, it } from 'vitest';
import { ObserveError } from '../../lib/aws/errors.js';
import { isPending, observeTunnelMaintenance } from '../../lib/aws/observe-maintenance.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { useDemoTwin } from '../twin/helpers.js';

const h = useDemoTwin();
const vpnId = DEMO.seoul.primary.vpnId;

describe('GetVpnTunnelReplacementStatus through the real SDK (the twin answers it)', () => {
  it('reads pending maintenance and its auto-apply date', async () => {
    const tunnel = h.world.vpnConnections.find((v) => v.id === vpnId)?.tunnels[0];
    if (tunnel === undefined) throw new Error('no tunnel');
    tunnel.maintenance = { pending: true, autoAppliedAfter: '2026-04-01T00:00:00.000Z' };
    expect(await observeTunnelMaintenance(h.ec2, vpnId, tunnel.outsideIp)).toEqual({
      vpnId,
      tunnelIp: tunnel.outsideIp,
      pending: true,
      pendingMaintenance: 'Available',
      autoAppliedAfter: '2026-04-01T00:00:00.000Z',
    });
  });

  it('reads "None" as nothing pending', async () => {
    const tunnel = h.world.vpnConnections.find((v) => v.id === vpnId)?.tunnels[1];
    if (tunnel === undefined) throw new Error('no tunnel');
    expect(await observeTunnelMaintenance(h.ec2, vpnId, tunnel.outsideIp)).toMatchObject({
      pending: false,
      pendingMaintenance: 'None',
    });
  });

  it('names the API, the VPN and the tunnel when the call fails', async () => {
    await expect(observeTunnelMaintenance(h.ec2, vpnId, '192.0.2.99')).rejects.toThrow(ObserveError);
    await expect(observeTunnelMaintenance(h.ec2, vpnId, '192.0.2.99')).rejects.toThrow(
      new RegExp(`GetVpnTunnelReplacementStatus ${vpnId}, 192.0.2.99 failed`),
    );
  });

  it.each([
    [undefined, false],
    ['', false],
    ['None', false],
    ['none ', false],
    ['Available', true],
  ])('PendingMaintenance %j is pending: %s', (value, pending) => {
    expect(isPending(value)).toBe(pending);
  });
});
