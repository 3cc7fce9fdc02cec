/**
 * The `demo` topology, the one tunnel-warden.yml describes:
 *
 * - seoul-dc (10.3.0.0/20) behind the transit gateway: a primary and a backup static VPN, each a TGW
 *   attachment; the TGW route table's static route sends the site to the primary.
 * - busan-dc (10.4.0.0/20) behind a VGW: a BGP VPN whose advertised prefix the VPC's two route tables
 *   learn by propagation. The backup path is the TGW (the VPC is attached to it), whose route table
 *   sends the site to a backup static VPN, so traffic overridden to the TGW really reaches busan.
 *
 * Every tunnel is UP and passing traffic, and has been for a day when the clock starts.
 */
import { DEFAULT_TWIN_START } from '../clock.js';
import { DEFAULT_REPLACEMENT_DELAY_MS, type TwinInstance, type TwinWorld } from '../state.js';
import { MANAGED, vpn } from './builders.js';

export const DEMO = {
  accountId: '111122223333',
  region: 'us-east-1',
  tgwId: 'tgw-0a1b2c3d4e5f60001',
  tgwRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
  vpcId: 'vpc-0a1b2c3d4e5f60001',
  vpcCidr: '10.0.0.0/16',
  vgwId: 'vgw-0a1b2c3d4e5f60001',
  routeTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  /** An SSM-managed instance in the VPC (main route table): where Run Command pings the sites from. */
  instanceId: 'i-0a1b2c3d4e5f60001',
  seoul: {
    prefix: '10.3.0.0/20',
    probe: '10.3.0.10',
    primary: {
      vpnId: 'vpn-0a1b2c3d4e5f60001',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
      customerGatewayId: 'cgw-0a1b2c3d4e5f60001',
      tunnels: ['198.51.100.10', '198.51.100.11'],
    },
    backup: {
      vpnId: 'vpn-0a1b2c3d4e5f60002',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
      customerGatewayId: 'cgw-0a1b2c3d4e5f60002',
      tunnels: ['198.51.100.20', '198.51.100.21'],
    },
  },
  busan: {
    prefix: '10.4.0.0/20',
    probe: '10.4.0.20',
    bgp: {
      vpnId: 'vpn-0a1b2c3d4e5f60003',
      customerGatewayId: 'cgw-0a1b2c3d4e5f60003',
      tunnels: ['198.51.100.30', '198.51.100.31'],
    },
    /** The VPC's attachment to the TGW: where an override route to the TGW enters it. */
    vpcAttachmentId: 'tgw-attach-0a1b2c3d4e5f60003',
    backup: {
      vpnId: 'vpn-0a1b2c3d4e5f60004',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60004',
      customerGatewayId: 'cgw-0a1b2c3d4e5f60004',
      tunnels: ['198.51.100.40', '198.51.100.41'],
    },
  },
} as const;

const DAY_MS = 24 * 60 * 60_000;

/** A fresh demo world; tunnels have been UP since one day before `clockStart`. */
export function demoWorld(clockStart: Date = DEFAULT_TWIN_START): TwinWorld {
  const since = new Date(clockStart.getTime() - DAY_MS);
  const { seoul, busan, tgwId, tgwRouteTableId, vpcId, vgwId } = DEMO;
  const attachment = (id: string, resourceType: 'vpn' | 'vpc', resourceId: string) => ({
    id,
    tgwId,
    resourceType,
    resourceId,
    state: 'available' as const,
    associatedRouteTableId: tgwRouteTableId,
  });
  const routeTable = (id: string, main: boolean, name: string) => ({
    id,
    vpcId,
    main,
    tags: { Name: name, ...MANAGED },
    routes: [],
    propagatingVgws: [vgwId],
  });
  return {
    accountId: DEMO.accountId,
    region: DEMO.region,
    vpnConnections: [
      vpn({
        id: seoul.primary.vpnId,
        name: 'seoul-dc-primary',
        customerGatewayId: seoul.primary.customerGatewayId,
        transitGatewayId: tgwId,
        tunnelIps: seoul.primary.tunnels,
        insideOctet: 10,
        since,
      }),
      vpn({
        id: seoul.backup.vpnId,
        name: 'seoul-dc-backup',
        customerGatewayId: seoul.backup.customerGatewayId,
        transitGatewayId: tgwId,
        tunnelIps: seoul.backup.tunnels,
        insideOctet: 20,
        since,
      }),
      vpn({
        id: busan.bgp.vpnId,
        name: 'busan-dc-bgp',
        customerGatewayId: busan.bgp.customerGatewayId,
        vpnGatewayId: vgwId,
        advertisedPrefixes: [busan.prefix],
        tunnelIps: busan.bgp.tunnels,
        insideOctet: 30,
        since,
      }),
      vpn({
        id: busan.backup.vpnId,
        name: 'busan-dc-tgw-backup',
        customerGatewayId: busan.backup.customerGatewayId,
        transitGatewayId: tgwId,
        tunnelIps: busan.backup.tunnels,
        insideOctet: 40,
        since,
      }),
    ],
    vgws: [{ id: vgwId, asn: 64512, vpcId }],
    tgws: [{ id: tgwId, asn: 64512, vpnEcmpSupport: true }],
    tgwAttachments: [
      attachment(seoul.primary.attachmentId, 'vpn', seoul.primary.vpnId),
      attachment(seoul.backup.attachmentId, 'vpn', seoul.backup.vpnId),
      attachment(busan.vpcAttachmentId, 'vpc', vpcId),
      attachment(busan.backup.attachmentId, 'vpn', busan.backup.vpnId),
    ],
    tgwRouteTables: [
      {
        id: tgwRouteTableId,
        tgwId,
        tags: { Name: 'demo-tgw-routes', ...MANAGED },
        routes: [
          { destination: seoul.prefix, attachmentId: seoul.primary.attachmentId },
          { destination: busan.prefix, attachmentId: busan.backup.attachmentId },
        ],
        // The VPC's CIDR propagates, so the sites' replies find their way back to it.
        propagations: [busan.vpcAttachmentId],
      },
    ],
    vpcs: [{ id: vpcId, cidr: DEMO.vpcCidr }],
    routeTables: [
      routeTable(DEMO.routeTableIds[0], true, 'demo-private-a'),
      routeTable(DEMO.routeTableIds[1], false, 'demo-private-b'),
    ],
    replacements: [],
    replacementDelayMs: DEFAULT_REPLACEMENT_DELAY_MS,
    // The customer routers: each prefers its primary VPN (local-pref 200) and returns over the backup
    // only while the primary cannot carry traffic (lib/twin/return-path.ts).
    onPrem: [
      {
        prefixes: [seoul.prefix],
        returnPaths: [
          { vpn: seoul.primary.vpnId, localPref: 200 },
          { vpn: seoul.backup.vpnId, localPref: 100 },
        ],
      },
      {
        prefixes: [busan.prefix],
        returnPaths: [
          { vpn: busan.bgp.vpnId, localPref: 200 },
          { vpn: busan.backup.vpnId, localPref: 100 },
        ],
      },
    ],
  };
}

/**
 * The demo's EC2 instances: one SSM-managed instance in the VPC, on its main route table, for Run Command
 * (`SendCommand` pings from inside the VPC). Not yet part of demoWorld(): a topology file cannot describe
 * instances, and the demo must stay buildable from one; add them with `world.instances = demoInstances()`.
 */
export function demoInstances(): TwinInstance[] {
  return [{ id: DEMO.instanceId, vpcId: DEMO.vpcId, ssmManaged: true }];
}
