import { describe, expect, it } from 'vitest';
import type { RouteAction } from '../../lib/domain/actions.js';
import type { ActionResult } from '../../lib/domain/apply-result.js';
import type { TgwRoute, VpcRoute } from '../../lib/domain/snapshot.js';
import type { Plan } from '../../lib/policy/plan.js';
import {
  checkScope,
  effectiveRouteFindings,
  type RouteCheck,
  routeChecks,
} from '../../lib/policy/verify-effective.js';
import { site, T0 } from './builders.js';

// seoul-dc: 10.3.0.0/20 on tgw-rtb-…0001, paths primary/backup by TGW attachment.
// busan-dc: 10.4.0.0/20 and 10.4.16.0/24 on VPC tables; tgw-backup has a VPC target only.
const seoul = site('seoul-dc');
const busan = site('busan-dc');
const TGW_RTB = 'tgw-rtb-0a1b2c3d4e5f60001';
const RTB = 'rtb-0a1b2c3d4e5f60001';
const BACKUP_ATTACH = 'tgw-attach-0a1b2c3d4e5f60002';
const PRIMARY_ATTACH = 'tgw-attach-0a1b2c3d4e5f60001';
const TGW = 'tgw-0a1b2c3d4e5f60001';

const planFor = (siteName: string, desiredPath: string): Plan => ({
  site: siteName,
  decidedAt: new Date(T0).toISOString(),
  mode: 'enabled',
  decision: 'failover',
  paths: [],
  desiredPath,
  actions: [],
  deferred: [],
  findings: [],
});
const landed = (action: RouteAction): ActionResult => ({ action, outcome: 'changed', calls: [], detail: '' });

describe('routeChecks: every kind of landed action', () => {
  it('checks TGW tables for tgw-route and tgw-route-absent moves, against the path’s attachment', () => {
    const checks = routeChecks(seoul, planFor('seoul-dc', 'backup'), [
      landed({
        type: 'tgw-route',
        routeTableId: TGW_RTB,
        destination: '10.3.0.0/20',
        attachmentId: BACKUP_ATTACH,
      }),
      landed({
        type: 'tgw-route-absent',
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f60009',
        destination: '10.3.0.0/20',
      }),
    ]);
    expect(checks).toEqual([
      { kind: 'tgw', routeTableId: TGW_RTB, address: '10.3.0.1', expected: BACKUP_ATTACH, path: 'backup' },
      {
        kind: 'tgw',
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f60009',
        address: '10.3.0.1',
        expected: BACKUP_ATTACH,
        path: 'backup',
      },
    ]);
  });

  it('checks a VPC table for a vpc-static-route-absent move; ignores propagation and VPN static routes', () => {
    const checks = routeChecks(busan, planFor('busan-dc', 'tgw-backup'), [
      landed({
        type: 'vpc-static-route-absent',
        routeTableId: RTB,
        destination: '10.4.16.0/24',
        previousTarget: { kind: 'transit-gateway', id: TGW },
      }),
      landed({ type: 'vgw-propagation', routeTableId: RTB, gatewayId: 'vgw-0a1b2c3d4e5f60001' }),
      landed({ type: 'vpn-static-route', vpnId: 'vpn-0a1b2c3d4e5f60003', destination: '10.4.0.0/20' }),
    ]);
    expect(checks).toEqual([
      { kind: 'vpc', routeTableId: RTB, address: '10.4.16.1', expected: TGW, path: 'tgw-backup' },
    ]);
  });

  it('skips a TGW move when the desired path has no attachment, and a move whose destination is no CIDR', () => {
    const checks = routeChecks(busan, planFor('busan-dc', 'tgw-backup'), [
      landed({
        type: 'tgw-route',
        routeTableId: TGW_RTB,
        destination: '10.4.0.0/20',
        attachmentId: BACKUP_ATTACH,
      }),
      landed({
        type: 'vpc-static-route',
        routeTableId: RTB,
        destination: 'not-a-cidr',
        target: { kind: 'transit-gateway', id: TGW },
      }),
    ]);
    expect(checks).toEqual([]);
  });

  it('uses the configured probe address inside the moved prefix, else the prefix’s first host', () => {
    const probed = { ...busan, probeAddress: '10.4.16.77' };
    const move = (destination: string) =>
      landed({
        type: 'vpc-static-route',
        routeTableId: RTB,
        destination,
        target: { kind: 'transit-gateway', id: TGW },
      });
    const checks = routeChecks(probed, planFor('busan-dc', 'tgw-backup'), [
      move('10.4.16.0/24'),
      move('10.4.0.0/20'),
    ]);
    expect(checks.map((c) => c.address)).toEqual(['10.4.16.77', '10.4.0.1']);
  });

  it('uses the moved prefix’s first host when the site has no probe address at all', () => {
    const bare = { ...busan, prefixes: [] };
    const checks = routeChecks(bare, planFor('busan-dc', 'tgw-backup'), [
      landed({
        type: 'vpc-static-route',
        routeTableId: RTB,
        destination: '10.4.16.0/24',
        target: { kind: 'transit-gateway', id: TGW },
      }),
    ]);
    expect(checks.map((c) => c.address)).toEqual(['10.4.16.1']);
  });
});

describe('checkScope: TGW tables', () => {
  it('reads each TGW table once, with a covering /32 per address, and VPC tables whole', () => {
    const tgwCheck = (routeTableId: string, address: string): RouteCheck => ({
      kind: 'tgw',
      routeTableId,
      address,
      expected: BACKUP_ATTACH,
      path: 'backup',
    });
    const scope = checkScope([
      tgwCheck(TGW_RTB, '10.3.0.1'),
      tgwCheck(TGW_RTB, '10.3.8.1'),
      tgwCheck('tgw-rtb-0a1b2c3d4e5f60009', '10.3.0.1'),
      { kind: 'vpc', routeTableId: RTB, address: '10.4.0.1', expected: TGW, path: 'tgw-backup' },
    ]);
    expect(scope).toEqual({
      vpcRouteTableIds: [RTB],
      tgwRouteTables: [
        { routeTableId: TGW_RTB, destinations: ['10.3.0.1/32', '10.3.8.1/32'], covering: true },
        { routeTableId: 'tgw-rtb-0a1b2c3d4e5f60009', destinations: ['10.3.0.1/32'], covering: true },
      ],
    });
  });
});

describe('effectiveRouteFindings: where the address really goes', () => {
  const vpcCheck: RouteCheck = {
    kind: 'vpc',
    routeTableId: RTB,
    address: '10.4.0.1',
    expected: TGW,
    path: 'tgw-backup',
  };
  const tgwCheck: RouteCheck = {
    kind: 'tgw',
    routeTableId: TGW_RTB,
    address: '10.3.0.1',
    expected: BACKUP_ATTACH,
    path: 'backup',
  };
  const vpcTable = (routes: VpcRoute[]) => ({
    [RTB]: { routeTableId: RTB, vpcId: 'vpc-0a1b2c3d4e5f60001', routes, propagatingGateways: [], tags: {} },
  });
  const tgwTable = (routes: TgwRoute[]) => ({ [TGW_RTB]: { routeTableId: TGW_RTB, routes } });
  const staticVpc = (destination: string, id: string, state: VpcRoute['state'] = 'active'): VpcRoute => ({
    destination,
    target: { kind: id.startsWith('tgw-') ? 'transit-gateway' : 'vpn-gateway', id },
    origin: 'CreateRoute',
    state,
  });
  const messages = (checks: RouteCheck[], routes: Parameters<typeof effectiveRouteFindings>[1]) =>
    effectiveRouteFindings(checks, routes).map((f) => f.message);

  it('finds nothing when the longest VPC route goes to the expected target', () => {
    const routes = vpcTable([
      staticVpc('10.4.0.0/16', 'vgw-0a1b2c3d4e5f60001'),
      staticVpc('10.4.0.0/20', TGW),
    ]);
    expect(effectiveRouteFindings([vpcCheck], { vpcRouteTables: routes, tgwRouteTables: {} })).toEqual([]);
  });

  it('names the more-specific VPC route that wins elsewhere, and a blackholed one by its state', () => {
    const elsewhere = vpcTable([
      staticVpc('10.4.0.0/20', TGW),
      staticVpc('10.4.0.0/24', 'vgw-0a1b2c3d4e5f60001'),
    ]);
    expect(messages([vpcCheck], { vpcRouteTables: elsewhere, tgwRouteTables: {} })).toEqual([
      `after applying, ${RTB} routes 10.4.0.1 by 10.4.0.0/24 to vgw-0a1b2c3d4e5f60001, not to tgw-backup (${TGW}): longest prefix decides (nothing changed for it)`,
    ]);
    const dropped = vpcTable([staticVpc('10.4.0.0/20', TGW, 'blackhole')]);
    const [finding] = effectiveRouteFindings([vpcCheck], { vpcRouteTables: dropped, tgwRouteTables: {} });
    expect(finding).toMatchObject({
      code: 'effective-route-mismatch',
      severity: 'major',
      path: 'tgw-backup',
    });
    expect(finding?.message).toContain(`routes 10.4.0.1 by 10.4.0.0/20 to blackhole, not to tgw-backup`);
  });

  it('says no route when no VPC route contains the address', () => {
    const routes = vpcTable([staticVpc('10.5.0.0/20', TGW)]);
    expect(messages([vpcCheck], { vpcRouteTables: routes, tgwRouteTables: {} })).toEqual([
      `after applying, ${RTB} routes 10.4.0.1 to no route, not to tgw-backup (${TGW}): longest prefix decides (nothing changed for it)`,
    ]);
  });

  it('accepts a TGW ECMP route when one of its attachments is the expected one', () => {
    const routes = tgwTable([
      {
        destination: '10.3.0.0/20',
        attachmentId: PRIMARY_ATTACH,
        attachmentIds: [PRIMARY_ATTACH, BACKUP_ATTACH],
        type: 'propagated',
        state: 'active',
      },
    ]);
    expect(effectiveRouteFindings([tgwCheck], { vpcRouteTables: {}, tgwRouteTables: routes })).toEqual([]);
  });

  it('names the TGW route that wins elsewhere, a blackholed one, a missing route and a missing table', () => {
    const elsewhere = tgwTable([
      { destination: '10.3.0.0/20', attachmentId: BACKUP_ATTACH, type: 'static', state: 'active' },
      { destination: '10.3.0.0/24', attachmentId: PRIMARY_ATTACH, type: 'propagated', state: 'active' },
    ]);
    const tail = `, not to backup (${BACKUP_ATTACH}): longest prefix decides (nothing changed for it)`;
    expect(messages([tgwCheck], { vpcRouteTables: {}, tgwRouteTables: elsewhere })).toEqual([
      `after applying, ${TGW_RTB} routes 10.3.0.1 by 10.3.0.0/24 to ${PRIMARY_ATTACH}${tail}`,
    ]);
    const dropped = tgwTable([
      { destination: '10.3.0.0/20', attachmentId: BACKUP_ATTACH, type: 'static', state: 'blackhole' },
    ]);
    expect(messages([tgwCheck], { vpcRouteTables: {}, tgwRouteTables: dropped })).toEqual([
      `after applying, ${TGW_RTB} routes 10.3.0.1 by 10.3.0.0/20 to blackhole${tail}`,
    ]);
    const none = tgwTable([
      { destination: '10.9.0.0/16', attachmentId: BACKUP_ATTACH, type: 'static', state: 'active' },
    ]);
    expect(messages([tgwCheck], { vpcRouteTables: {}, tgwRouteTables: none })).toEqual([
      `after applying, ${TGW_RTB} routes 10.3.0.1 to no route${tail}`,
    ]);
    expect(messages([tgwCheck], { vpcRouteTables: {}, tgwRouteTables: {} })).toEqual([
      `after applying, ${TGW_RTB} routes 10.3.0.1 to table not found${tail}`,
    ]);
  });
});
