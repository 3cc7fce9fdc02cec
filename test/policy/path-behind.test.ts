import { describe, expect, it } from 'vitest';
import type { Snapshot, TgwAttachmentState, TgwRoute } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import { assessBehind } from '../../lib/policy/path-behind.js';
import {
  BUSAN_BEHIND_ATTACHMENT,
  BUSAN_BEHIND_TABLE,
  BUSAN_BEHIND_VPN,
  minutesAgo,
  policyOf,
  site,
  steadySnapshot,
  T0,
  TELEMETRY_MISSING,
  tunnel,
  withTunnels,
  withUnreadable,
} from './builders.js';

const BUSAN = site('busan-dc');
const TGW_BACKUP = BUSAN.paths.find((p) => p.name === 'tgw-backup') ?? (undefined as never);
const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const BUSAN_STATIC = 'vpn-0a1b2c3d4e5f60004';
const VPC_ATTACHMENT = 'tgw-attach-0a1b2c3d4e5f60003';

const behind = (s: Snapshot) => assessBehind(TGW_BACKUP, BUSAN, s);
const down = (ips: [string, string]) => ips.map((ip) => tunnel(ip, 'DOWN', minutesAgo(T0, 2)));
const BEHIND_IPS: [string, string] = ['198.51.100.80', '198.51.100.81'];

function withRoutes(s: Snapshot, routes: TgwRoute[]): Snapshot {
  return {
    ...s,
    tgwRouteTables: {
      ...s.tgwRouteTables,
      [BUSAN_BEHIND_TABLE]: { routeTableId: BUSAN_BEHIND_TABLE, routes },
    },
  };
}

function withAttachment(s: Snapshot, id: string, change: Partial<TgwAttachmentState>): Snapshot {
  const current = s.tgwAttachments?.[id];
  if (current === undefined) throw new Error(`no ${id}`);
  return { ...s, tgwAttachments: { ...s.tgwAttachments, [id]: { ...current, ...change } } };
}

const route = (destination: string, attachments: string[], extra: Partial<TgwRoute> = {}): TgwRoute => ({
  destination,
  ...(attachments[0] === undefined ? {} : { attachmentId: attachments[0] }),
  ...(attachments.length > 1 ? { attachmentIds: attachments } : {}),
  type: 'static',
  state: 'active',
  ...extra,
});

describe('path health through the path: a transit gateway backup is as healthy as what lies behind it', () => {
  it('follows VPC table → VPC attachment → associated TGW table → route → VPN attachment → tunnels', () => {
    const result = behind(steadySnapshot());
    // Two VPC tables × two prefixes reach the same VPN: its two tunnels count once.
    expect(result).toMatchObject({ health: 'healthy', tunnelsUp: 2, tunnelsTotal: 2 });
    expect(result.reason).toContain(
      `${BUSAN_BEHIND_TABLE} 10.4.0.0/20 → ${BUSAN_BEHIND_ATTACHMENT} → ${BUSAN_BEHIND_VPN}: 2 of 2 tunnels UP`,
    );
    expect(result.healthySince).toBe(minutesAgo(T0, 60));
  });

  it('is down when the VPN behind it is down (the defect: it used to count as healthy)', () => {
    const result = behind(withTunnels(steadySnapshot(), BUSAN_BEHIND_VPN, down(BEHIND_IPS)));
    expect(result.health).toBe('down');
    expect(result.reason).toContain(`${BUSAN_BEHIND_VPN}: all 2 tunnels DOWN`);
  });

  it('is unknown when the telemetry of the VPN behind it is missing', () => {
    const s = withUnreadable(steadySnapshot(), BUSAN_BEHIND_VPN, [], [TELEMETRY_MISSING]);
    expect(behind(s).health).toBe('unknown');
  });

  it('is down when the TGW table has no route for a site prefix, or a blackhole', () => {
    const only = withRoutes(steadySnapshot(), [route('10.4.0.0/20', [BUSAN_BEHIND_ATTACHMENT])]);
    expect(behind(only)).toMatchObject({
      health: 'down',
      reason: expect.stringContaining('no route for 10.4.16.0/24'),
    });
    const blackhole = withRoutes(steadySnapshot(), [
      route('10.4.0.0/20', [BUSAN_BEHIND_ATTACHMENT]),
      route('10.4.16.0/24', [], { state: 'blackhole' }),
    ]);
    expect(behind(blackhole).health).toBe('down');
  });

  it('an ECMP route is healthy while one of its VPN attachments is', () => {
    const s = {
      ...withRoutes(
        withTunnels(steadySnapshot(), BUSAN_BEHIND_VPN, down(BEHIND_IPS)),
        ['10.4.0.0/20', '10.4.16.0/24'].map((d) =>
          route(d, [BUSAN_BEHIND_ATTACHMENT, 'tgw-attach-0a1b2c3d4e5f60009']),
        ),
      ),
    };
    const withSecond: Snapshot = {
      ...s,
      tgwAttachments: {
        ...s.tgwAttachments,
        'tgw-attach-0a1b2c3d4e5f60009': {
          attachmentId: 'tgw-attach-0a1b2c3d4e5f60009',
          transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
          resourceType: 'vpn',
          resourceId: BUSAN_STATIC,
          state: 'available',
        },
      },
    };
    expect(behind(withSecond).health).toBe('healthy');
    expect(
      behind(withTunnels(withSecond, BUSAN_STATIC, down(['198.51.100.40', '198.51.100.41']))).health,
    ).toBe('down');
  });

  it('is unknown when the route leads to an attachment that is not a VPN (Direct Connect, peering, a VPC)', () => {
    for (const resourceType of ['direct-connect-gateway', 'peering', 'vpc', 'other'] as const) {
      const s = withAttachment(steadySnapshot(), BUSAN_BEHIND_ATTACHMENT, { resourceType, resourceId: 'x' });
      expect(behind(s), resourceType).toMatchObject({
        health: 'unknown',
        reason: expect.stringContaining('its health cannot be observed'),
      });
    }
  });

  it('is unknown when what lies behind it was not read; down when the VPC attachment is not available', () => {
    const { tgwAttachments: _, ...unread } = steadySnapshot();
    expect(behind(unread)).toMatchObject({
      health: 'unknown',
      reason: expect.stringContaining('was not read'),
    });
    const noTable = { ...steadySnapshot(), tgwRouteTables: {} };
    expect(behind(noTable).health).toBe('unknown');
    const deleting = withAttachment(steadySnapshot(), VPC_ATTACHMENT, { state: 'deleting' });
    expect(behind(deleting).health).toBe('down');
    const { associatedRouteTableId: __, ...unassociated } = steadySnapshot().tgwAttachments?.[
      VPC_ATTACHMENT
    ] ?? {
      attachmentId: '',
      transitGatewayId: '',
      resourceType: 'vpc',
      state: '',
    };
    const s = steadySnapshot();
    expect(
      behind({ ...s, tgwAttachments: { ...s.tgwAttachments, [VPC_ATTACHMENT]: unassociated } }).health,
    ).toBe('down');
  });

  it('a BGP VPN behind it with IPsec UP and no accepted routes is down', () => {
    const s = steadySnapshot();
    const vpn = s.vpnConnections[BUSAN_BEHIND_VPN];
    if (vpn === undefined) throw new Error('fixture');
    const since = minutesAgo(T0, 30);
    const bgp = {
      ...vpn,
      staticRoutesOnly: false,
      tunnels: BEHIND_IPS.map((ip) => tunnel(ip, 'UP', since, 0)),
    };
    expect(behind({ ...s, vpnConnections: { ...s.vpnConnections, [BUSAN_BEHIND_VPN]: bgp } }).health).toBe(
      'down',
    );
  });

  it('an appliance ENI backup is unknown: nothing behind it can be observed', () => {
    const eni = {
      name: 'appliance',
      vpcTarget: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' } as const,
    };
    expect(assessBehind(eni, BUSAN, steadySnapshot())).toMatchObject({
      health: 'unknown',
      reason: expect.stringContaining('is a network interface'),
    });
  });
});

describe('decide with a blind backup', () => {
  const plan = (s: Snapshot) =>
    decide({
      site: BUSAN,
      policy: policyOf('busan-dc'),
      snapshot: s,
      history: { transitions: [] },
      mode: 'enabled',
      now: T0,
    });
  const primariesDown = (s: Snapshot) =>
    withTunnels(
      withTunnels(s, BUSAN_BGP, down(['198.51.100.30', '198.51.100.31'])),
      BUSAN_STATIC,
      down(['198.51.100.40', '198.51.100.41']),
    );

  it('refuses a backup whose VPN behind it is dead: no route moves, no-healthy-path (site-unreachable)', () => {
    const p = plan(primariesDown(withTunnels(steadySnapshot(), BUSAN_BEHIND_VPN, down(BEHIND_IPS))));
    expect(p).toMatchObject({ decision: 'no-healthy-path', actions: [] });
    expect(p.paths.find((x) => x.name === 'tgw-backup')?.health).toBe('down');
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'path-down',
        path: 'tgw-backup',
        message: expect.stringContaining(BUSAN_BEHIND_VPN),
      }),
    );
  });

  it('leaves the dead primaries for a backup of unknown health, flagged, and still no-healthy-path', () => {
    const blind = withUnreadable(steadySnapshot(), BUSAN_BEHIND_VPN, [], [TELEMETRY_MISSING]);
    const p = plan(primariesDown(blind));
    expect(p).toMatchObject({ decision: 'no-healthy-path', desiredPath: 'tgw-backup' });
    expect(p.actions).toHaveLength(4);
    expect(
      p.actions.every((a) => a.type === 'vpc-static-route' && a.target.id === 'tgw-0a1b2c3d4e5f60001'),
    ).toBe(true);
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'unverified-path', path: 'tgw-backup', severity: 'major' }),
    );
  });

  it('never fails back to a better path of unknown health', () => {
    // Traffic on tgw-backup (healthy); the better static-secondary's telemetry is missing, the BGP primary down.
    let s = withTunnels(steadySnapshot(), BUSAN_BGP, down(['198.51.100.30', '198.51.100.31']));
    s = withUnreadable(s, BUSAN_STATIC, [], [TELEMETRY_MISSING]);
    const onBackup = {
      ...s,
      vpcRouteTables: Object.fromEntries(
        Object.entries(s.vpcRouteTables).map(([id, t]) => [
          id,
          {
            ...t,
            routes: [
              ...t.routes,
              ...BUSAN.prefixes.map((destination) => ({
                destination,
                target: { kind: 'transit-gateway' as const, id: 'tgw-0a1b2c3d4e5f60001' },
                origin: 'CreateRoute' as const,
                state: 'active' as const,
              })),
            ],
          },
        ]),
      ),
    };
    const p = plan(onBackup);
    expect(p.activePath).toBe('tgw-backup');
    expect(p.actions).toEqual([]);
    expect(p.decision).not.toBe('failback');
  });
});
