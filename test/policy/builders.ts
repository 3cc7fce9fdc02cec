import { parseConfig, type SitePolicy, sitePolicy } from '../../lib/config/load.js';
import type { Config, SiteConfig } from '../../lib/config/schema.js';
import type {
  Snapshot,
  TunnelState,
  UnreadableField,
  VpnConnectionState,
} from '../../lib/domain/snapshot.js';
import { materialize } from './model.js';

export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const minutesAgo = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

/**
 * Both kinds of table: a TGW static VPN (seoul), a VGW BGP VPN with ENI and TGW backups (busan).
 */
export const CONFIG_YAML = `
version: 1
mode: enabled
defaults: { holdDown: 10m, flapping: { maxTransitions: 4, window: 30m }, maxChangesPerRun: 20 }
sites:
  - name: seoul-dc
    prefixes: [10.3.0.0/20]
    routeTables: { transitGateway: [tgw-rtb-0a1b2c3d4e5f60001] }
    paths:
      - { name: primary, vpn: vpn-0a1b2c3d4e5f60001, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60001 }
      - { name: backup, vpn: vpn-0a1b2c3d4e5f60002, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60002 }
  - name: busan-dc
    prefixes: [10.4.0.0/20, 10.4.16.0/24]
    routeTables: { vpc: [rtb-0a1b2c3d4e5f60001, rtb-0a1b2c3d4e5f60002] }
    paths:
      - { name: bgp-primary, vpn: vpn-0a1b2c3d4e5f60003, vpcTarget: vgw-0a1b2c3d4e5f60001 }
      - { name: static-secondary, vpn: vpn-0a1b2c3d4e5f60004, vpcTarget: eni-0a1b2c3d4e5f60001 }
      - { name: tgw-backup, vpcTarget: tgw-0a1b2c3d4e5f60001 }
`;

/**
 * gimpo-dc: two BGP VPNs on a TGW (ECMP) and a static TGW backup. A configuration of its own, so the
 * tests that sweep every site of CONFIG_YAML keep their two sites.
 */
export const BGP_TGW_CONFIG_YAML = `
version: 1
mode: enabled
defaults: { holdDown: 10m, flapping: { maxTransitions: 4, window: 30m }, maxChangesPerRun: 20 }
sites:
  - name: gimpo-dc
    prefixes: [10.6.0.0/20, 10.6.16.0/20]
    routeTables: { transitGateway: [tgw-rtb-0a1b2c3d4e5f60002] }
    paths:
      - { name: bgp-a, vpn: vpn-0a1b2c3d4e5f60005, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60005 }
      - { name: bgp-b, vpn: vpn-0a1b2c3d4e5f60006, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60006 }
      - { name: static-backup, vpn: vpn-0a1b2c3d4e5f60007, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60007 }
`;

export const config: Config = parseConfig(CONFIG_YAML, 'test-config.yml');
export const bgpTgwConfig: Config = parseConfig(BGP_TGW_CONFIG_YAML, 'test-bgp-tgw-config.yml');

const configOf = (name: string): Config =>
  bgpTgwConfig.sites.some((s) => s.name === name) ? bgpTgwConfig : config;

export function site(name: string): SiteConfig {
  const found = configOf(name).sites.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no site ${name}`);
  return found;
}

export function policyOf(name: string): SitePolicy {
  return sitePolicy(configOf(name), site(name));
}

export function tunnel(
  outsideIp: string,
  status: 'UP' | 'DOWN',
  since: string,
  acceptedRouteCount = status === 'UP' ? 2 : 0,
): TunnelState {
  return {
    outsideIp,
    status,
    lastStatusChange: since,
    statusMessage: status === 'UP' ? '' : 'IPSEC IS DOWN',
    acceptedRouteCount,
  };
}

export function vpn(
  vpnId: string,
  tunnels: TunnelState[],
  extra: Partial<VpnConnectionState> = {},
): VpnConnectionState {
  return {
    vpnId,
    state: 'available',
    staticRoutesOnly: true,
    tunnels,
    staticRoutes: [],
    tags: { 'tunnel-warden:managed': 'true' },
    unreadable: [],
    ...extra,
  };
}

/** Behind busan's tgw-backup: the VPC's TGW route table, the attachment it routes busan to, that VPN. */
export const BUSAN_BEHIND_TABLE = 'tgw-rtb-0a1b2c3d4e5f60003';
export const BUSAN_BEHIND_ATTACHMENT = 'tgw-attach-0a1b2c3d4e5f60008';
export const BUSAN_BEHIND_VPN = 'vpn-0a1b2c3d4e5f60008';

/**
 * The healthy steady state: everything UP for an hour, routes on the primaries; busan's tgw-backup
 * reaches busan through the TGW over a healthy VPN.
 */
export function steadySnapshot(now = T0): Snapshot {
  const since = minutesAgo(now, 60);
  const up = (a: string, b: string) => [tunnel(a, 'UP', since), tunnel(b, 'UP', since)];
  const snapshot: Snapshot = {
    takenAt: new Date(now).toISOString(),
    vpnConnections: {
      'vpn-0a1b2c3d4e5f60001': vpn('vpn-0a1b2c3d4e5f60001', up('198.51.100.10', '198.51.100.11'), {
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60002': vpn('vpn-0a1b2c3d4e5f60002', up('198.51.100.20', '198.51.100.21'), {
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60003': vpn('vpn-0a1b2c3d4e5f60003', up('198.51.100.30', '198.51.100.31'), {
        staticRoutesOnly: false,
        vpnGatewayId: 'vgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60004': vpn('vpn-0a1b2c3d4e5f60004', up('198.51.100.40', '198.51.100.41'), {
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60005': vpn('vpn-0a1b2c3d4e5f60005', up('198.51.100.50', '198.51.100.51'), {
        staticRoutesOnly: false,
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60006': vpn('vpn-0a1b2c3d4e5f60006', up('198.51.100.60', '198.51.100.61'), {
        staticRoutesOnly: false,
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      'vpn-0a1b2c3d4e5f60007': vpn('vpn-0a1b2c3d4e5f60007', up('198.51.100.70', '198.51.100.71'), {
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
      // What busan's tgw-backup leads to: the VPN its TGW route table sends busan's prefixes over.
      [BUSAN_BEHIND_VPN]: vpn(BUSAN_BEHIND_VPN, up('198.51.100.80', '198.51.100.81'), {
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
      }),
    },
    tgwAttachments: {
      // The VPC's attachment to the TGW: its association names the table that routes the VPC's traffic.
      'tgw-attach-0a1b2c3d4e5f60003': {
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60003',
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        resourceType: 'vpc',
        resourceId: 'vpc-0a1b2c3d4e5f60001',
        state: 'available',
        associatedRouteTableId: BUSAN_BEHIND_TABLE,
      },
      [BUSAN_BEHIND_ATTACHMENT]: {
        attachmentId: BUSAN_BEHIND_ATTACHMENT,
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        resourceType: 'vpn',
        resourceId: BUSAN_BEHIND_VPN,
        state: 'available',
      },
    },
    tgwRouteTables: {
      'tgw-rtb-0a1b2c3d4e5f60001': {
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
        routes: [
          {
            destination: '10.3.0.0/20',
            attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
            type: 'static',
            state: 'active',
          },
        ],
      },
      // gimpo-dc's prefixes are only propagated (BGP, ECMP over bgp-a and bgp-b): no static route.
      'tgw-rtb-0a1b2c3d4e5f60002': { routeTableId: 'tgw-rtb-0a1b2c3d4e5f60002', routes: [] },
      [BUSAN_BEHIND_TABLE]: {
        routeTableId: BUSAN_BEHIND_TABLE,
        routes: ['10.4.0.0/20', '10.4.16.0/24'].map((destination) => ({
          destination,
          attachmentId: BUSAN_BEHIND_ATTACHMENT,
          type: 'static' as const,
          state: 'active' as const,
        })),
      },
    },
    vpcRouteTables: Object.fromEntries(
      ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'].map((id) => [
        id,
        {
          routeTableId: id,
          vpcId: 'vpc-0a1b2c3d4e5f60001',
          routes: [
            {
              destination: '10.0.0.0/16',
              target: { kind: 'local', id: 'local' },
              origin: 'CreateRouteTable',
              state: 'active',
            },
          ],
          propagatingGateways: ['vgw-0a1b2c3d4e5f60001'],
          tags: {},
        },
      ]),
    ),
  };
  return materialize(snapshot, site('busan-dc').prefixes, [site('gimpo-dc')]);
}

/** Sets tunnel states of one VPN, re-deriving propagated routes. */
export function withTunnels(snapshot: Snapshot, vpnId: string, tunnels: TunnelState[]): Snapshot {
  const current = snapshot.vpnConnections[vpnId];
  if (current === undefined) throw new Error(`no ${vpnId}`);
  const next = {
    ...snapshot,
    vpnConnections: { ...snapshot.vpnConnections, [vpnId]: { ...current, tunnels } },
  };
  return materialize(next, site('busan-dc').prefixes, [site('gimpo-dc')]);
}

/** What DescribeVpnConnections answers for a connection without VgwTelemetry. */
export const TELEMETRY_MISSING: UnreadableField = {
  field: 'VgwTelemetry',
  problem: 'missing',
  affects: 'health',
};

/** Sets what of one VPN could be read: the tunnels reported whole, and the fields that could not be. */
export function withUnreadable(
  snapshot: Snapshot,
  vpnId: string,
  tunnels: TunnelState[],
  unreadable: UnreadableField[],
): Snapshot {
  const next = withTunnels(snapshot, vpnId, tunnels);
  const current = next.vpnConnections[vpnId];
  if (current === undefined) throw new Error(`no ${vpnId}`);
  return { ...next, vpnConnections: { ...next.vpnConnections, [vpnId]: { ...current, unreadable } } };
}

/**
 * What a VPC's override to the transit gateway leads to: the VPC's attachment (associated with
 * `tableId`), that table's static routes for `prefixes` to `attachmentId`, and the VPN behind it.
 */
export function behindTransitGateway(options: {
  readonly vpcId: string;
  readonly prefixes: readonly string[];
  readonly tunnels: TunnelState[];
  readonly tableId?: string;
  readonly attachmentId?: string;
  readonly vpnId?: string;
}): Pick<Snapshot, 'vpnConnections' | 'tgwRouteTables' | 'tgwAttachments'> {
  const tgw = 'tgw-0a1b2c3d4e5f60001';
  const {
    vpcId,
    prefixes,
    tunnels,
    tableId = BUSAN_BEHIND_TABLE,
    attachmentId = BUSAN_BEHIND_ATTACHMENT,
    vpnId = BUSAN_BEHIND_VPN,
  } = options;
  return {
    vpnConnections: { [vpnId]: vpn(vpnId, tunnels, { transitGatewayId: tgw }) },
    tgwRouteTables: {
      [tableId]: {
        routeTableId: tableId,
        routes: prefixes.map((destination) => ({
          destination,
          attachmentId,
          type: 'static',
          state: 'active',
        })),
      },
    },
    tgwAttachments: {
      'tgw-attach-0a1b2c3d4e5f600ff': {
        attachmentId: 'tgw-attach-0a1b2c3d4e5f600ff',
        transitGatewayId: tgw,
        resourceType: 'vpc',
        resourceId: vpcId,
        state: 'available',
        associatedRouteTableId: tableId,
      },
      [attachmentId]: {
        attachmentId,
        transitGatewayId: tgw,
        resourceType: 'vpn',
        resourceId: vpnId,
        state: 'available',
      },
    },
  };
}
