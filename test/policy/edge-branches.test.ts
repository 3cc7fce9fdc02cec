import { describe, expect, it } from 'vitest';
import type { RouteAction } from '../../lib/domain/actions.js';
import type { TgwRoute, VpcRoute } from '../../lib/domain/snapshot.js';
import { repairDrift } from '../../lib/policy/converge.js';
import { probeAddressOf, tgwRouteForAddress, vpcRouteForAddress } from '../../lib/policy/longest-prefix.js';
import { type HandsOff, respectOperator } from '../../lib/policy/operator.js';
import { site, steadySnapshot, vpn } from './builders.js';

const busan = site('busan-dc');
const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const VGW = 'vgw-0a1b2c3d4e5f60001';

describe('longest prefix on input that is not an address', () => {
  const vpcRoute: VpcRoute = {
    destination: '0.0.0.0/0',
    target: { kind: 'vpn-gateway', id: VGW },
    origin: 'CreateRoute',
    state: 'active',
  };
  const tgwRoute: TgwRoute = {
    destination: '0.0.0.0/0',
    attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
    type: 'static',
    state: 'active',
  };

  it('routes no address that does not parse, even under a default route', () => {
    expect(vpcRouteForAddress([vpcRoute], '10.4.0.1')).toBe(vpcRoute);
    expect(vpcRouteForAddress([vpcRoute], '10.4.0.256')).toBeUndefined();
    expect(tgwRouteForAddress([tgwRoute], '10.4.0.1')).toBe(tgwRoute);
    expect(tgwRouteForAddress([tgwRoute], 'busan')).toBeUndefined();
  });

  it('has no probe address without a probe address, a prefix, or a parseable first prefix', () => {
    expect(probeAddressOf({ prefixes: [] })).toBeUndefined();
    expect(probeAddressOf({ prefixes: ['10.4.0.0/33'] })).toBeUndefined();
    expect(probeAddressOf({ prefixes: ['10.4.0.0/20'] })).toBe('10.4.0.1');
  });
});

describe('drift repair: the static routes of a static VPN on a VGW', () => {
  /** busan's first path as a static VPN on its VGW, with these static routes. */
  const withStatic = (staticRoutes: { destination: string; state: string }[]) => {
    const steady = steadySnapshot();
    const current = steady.vpnConnections[BUSAN_BGP];
    if (current === undefined) throw new Error('busan BGP VPN missing from the steady snapshot');
    const staticVpn = vpn(BUSAN_BGP, [...current.tunnels], { vpnGatewayId: VGW, staticRoutes });
    return { ...steady, vpnConnections: { ...steady.vpnConnections, [BUSAN_BGP]: staticVpn } };
  };
  const staticRouteActions = (staticRoutes: { destination: string; state: string }[]) =>
    repairDrift(busan, withStatic(staticRoutes), 'bgp-primary').actions.filter(
      (a) => a.type === 'vpn-static-route',
    );

  it('adds each site prefix the VPN has no live static route for (deleted or deleting ones count as missing)', () => {
    expect(
      staticRouteActions([
        { destination: '10.4.0.0/20', state: 'available' },
        { destination: '10.4.16.0/24', state: 'deleted' },
      ]),
    ).toEqual([{ type: 'vpn-static-route', vpnId: BUSAN_BGP, destination: '10.4.16.0/24' }]);
    expect(
      staticRouteActions([
        { destination: '10.4.0.0/20', state: 'deleting' },
        { destination: '10.4.16.0/24', state: 'pending' },
      ]),
    ).toEqual([{ type: 'vpn-static-route', vpnId: BUSAN_BGP, destination: '10.4.0.0/20' }]);
    expect(staticRouteActions([])).toEqual([
      { type: 'vpn-static-route', vpnId: BUSAN_BGP, destination: '10.4.0.0/20' },
      { type: 'vpn-static-route', vpnId: BUSAN_BGP, destination: '10.4.16.0/24' },
    ]);
  });
});

describe('respectOperator: actions without a destination', () => {
  const owned = (tables: string[]): HandsOff => ({
    siteHeld: false,
    tables: new Set(tables),
    paths: new Set(['static-secondary']),
    overrides: new Set(),
    findings: [],
  });
  const propagation: RouteAction = {
    type: 'vgw-propagation',
    routeTableId: 'rtb-0a1b2c3d4e5f60001',
    gatewayId: VGW,
  };

  it('keeps VGW propagation on a table no operator holds, and leaves it out on a held one', () => {
    expect(respectOperator([propagation], busan, steadySnapshot(), owned([]), 'bgp-primary')).toEqual({
      actions: [propagation],
      left: 0,
    });
    expect(
      respectOperator(
        [propagation],
        busan,
        steadySnapshot(),
        owned(['rtb-0a1b2c3d4e5f60001']),
        'bgp-primary',
      ),
    ).toEqual({ actions: [], left: 1 });
  });

  it('leaves out the static routes and tunnel replacements of a held path’s VPN, keeps the others’', () => {
    const heldVpn = 'vpn-0a1b2c3d4e5f60004'; // static-secondary, held
    const actions: RouteAction[] = [
      { type: 'vpn-static-route', vpnId: heldVpn, destination: '10.4.0.0/20' },
      { type: 'vpn-static-route', vpnId: BUSAN_BGP, destination: '10.4.0.0/20' },
      { type: 'tunnel-replacement', vpnId: heldVpn, outsideIp: '198.51.100.40' },
      { type: 'tunnel-replacement', vpnId: BUSAN_BGP, outsideIp: '198.51.100.30' },
    ];
    expect(respectOperator(actions, busan, steadySnapshot(), owned([]), undefined)).toEqual({
      actions: [actions[1], actions[3]],
      left: 2,
    });
  });
});
