import { describe, expect, it } from 'vitest';
import { managedVpnIds, siteRouteScope, siteVpnIds, vpnOfPath } from '../../lib/config/site.js';
import { snapshotAt } from '../../lib/domain/snapshot.js';
import { config, site, steadySnapshot, T0 } from '../policy/builders.js';

describe('site helpers', () => {
  it("name a site's VPN connections in path order, and every managed one once", () => {
    expect(siteVpnIds(site('busan-dc'))).toEqual(['vpn-0a1b2c3d4e5f60003', 'vpn-0a1b2c3d4e5f60004']);
    expect(managedVpnIds(config)).toEqual([
      'vpn-0a1b2c3d4e5f60001',
      'vpn-0a1b2c3d4e5f60002',
      'vpn-0a1b2c3d4e5f60003',
      'vpn-0a1b2c3d4e5f60004',
    ]);
  });

  it("scope the route tables to the site's own: VPC tables whole, its prefixes (and routes covering them) in each TGW table", () => {
    expect(siteRouteScope(site('seoul-dc'))).toEqual({
      vpcRouteTableIds: [],
      tgwRouteTables: [
        { routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001', destinations: ['10.3.0.0/20'], covering: true },
      ],
    });
    expect(siteRouteScope(site('busan-dc'))).toEqual({
      vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
      tgwRouteTables: [],
    });
  });

  it("find a path's VPN in what was observed, and nothing for a path without one or a VPN not found", () => {
    const vpns = steadySnapshot().vpnConnections;
    const [bgp, , tgw] = site('busan-dc').paths;
    if (bgp === undefined || tgw === undefined) throw new Error('paths missing');
    expect(vpnOfPath(bgp, vpns)?.vpnId).toBe('vpn-0a1b2c3d4e5f60003');
    expect(vpnOfPath(tgw, vpns)).toBeUndefined();
    expect(vpnOfPath(bgp, {})).toBeUndefined();
  });

  it('assemble a snapshot stamped with the time it was taken', () => {
    const routes = { vpcRouteTables: {}, tgwRouteTables: {} };
    expect(snapshotAt(new Date(T0), {}, routes)).toEqual({
      takenAt: '2026-03-02T10:00:00.000Z',
      vpnConnections: {},
      ...routes,
    });
  });
});
