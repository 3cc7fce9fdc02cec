/**
 * The twin's world model: plain data and functions without I/O. The world is one mutable object shared
 * by the EC2 server and the scenario driving it; mutators change it in place and take the time they
 * act at, so nothing here reads a clock. Effective routes and the data plane live in routing.ts and
 * probe.ts; API mutations in mutations-*.ts.
 */
import { TwinError } from './errors.js';

export type TwinTunnelStatus = 'UP' | 'DOWN';
export type Tags = Record<string, string>;

/** The tunnel options tunnel-warden reads or changes (ModifyVpnTunnelOptions), plus the secret it must never copy. */
export interface TwinTunnelOptions {
  tunnelInsideCidr: string;
  preSharedKey: string;
  dpdTimeoutSeconds: number;
  dpdTimeoutAction: 'clear' | 'none' | 'restart';
  startupAction: 'add' | 'start';
  ikeVersions: string[];
  enableTunnelLifecycleControl: boolean;
}

export interface TwinMaintenance {
  pending: boolean;
  autoAppliedAfter?: string;
  lastApplied?: string;
}

export interface TwinTunnel {
  outsideIp: string;
  status: TwinTunnelStatus;
  /** ISO 8601; changes with every status change. */
  lastStatusChange: string;
  statusMessage: string;
  acceptedRouteCount: number;
  /** The data plane: an UP tunnel that passes no traffic is a gray failure. */
  trafficPassing: boolean;
  options: TwinTunnelOptions;
  maintenance: TwinMaintenance;
}

export interface TwinVpnConnection {
  id: string;
  state: 'pending' | 'available' | 'deleting' | 'deleted';
  customerGatewayId: string;
  vpnGatewayId?: string;
  transitGatewayId?: string;
  staticRoutesOnly: boolean;
  tunnels: TwinTunnel[];
  /** CreateVpnConnectionRoute routes (static VPNs on a VGW). */
  staticRoutes: string[];
  /** BGP VPNs: the prefixes the customer gateway advertises over every UP tunnel. */
  advertisedPrefixes: string[];
  tags: Tags;
  /** The document AWS returns with the pre-shared keys in it; tunnel-warden must never copy it. */
  customerGatewayConfiguration: string;
  /**
   * A static VPN sends over one tunnel at a time, AWS's choice (fact sheet §6, §8): this one while it is
   * UP, else the first UP tunnel. Default: the first tunnel.
   */
  preferredTunnelIp?: string;
  /**
   * After an endpoint replacement AWS starts IKE only for IKEv2 with `StartupAction=start`; otherwise the
   * tunnel stays DOWN until the customer gateway initiates (fact sheet §3, §8). How long this customer
   * gateway takes to do so after the endpoint is ready, or `never` (a CGW that only responds).
   * Default: DEFAULT_CGW_INITIATES_AFTER_MS.
   */
  customerGatewayInitiates?: number | 'never';
  /**
   * BGP route selection inside a VGW among VPNs offering the same prefix (fact sheet §4): the shortest
   * AS_PATH wins, then the lowest MED. Default: AS_PATH length 1 (the customer's ASN), MED 0.
   */
  bgpAsPathLength?: number;
  bgpMed?: number;
  /**
   * A fault knob: DescribeVpnConnections answers for this connection without `VgwTelemetry` (the field
   * is optional in the API model), while its tunnels, routes and alarms carry on as they are.
   */
  telemetryWithheld?: boolean;
}

export interface TwinVgw {
  id: string;
  asn: number;
  vpcId?: string;
}

export interface TwinTgw {
  id: string;
  asn: number;
  /**
   * `VpnEcmpSupport`: equal-cost routes over several BGP VPN attachments (fact sheet §3, §8). Absent is
   * AWS's default, enabled.
   */
  vpnEcmpSupport?: boolean;
}

export interface TwinTgwAttachment {
  id: string;
  tgwId: string;
  resourceType: 'vpn' | 'vpc';
  resourceId: string;
  state: 'available' | 'deleted';
  /** The TGW route table the attachment is associated with: traffic entering through it is routed there. */
  associatedRouteTableId?: string;
}

export interface TwinTgwStaticRoute {
  destination: string;
  /** Absent for a blackhole route. */
  attachmentId?: string;
}

export interface TwinTgwRouteTable {
  id: string;
  tgwId: string;
  tags: Tags;
  routes: TwinTgwStaticRoute[];
  /** Attachments whose routes propagate into this table. */
  propagations: string[];
}

export interface TwinVpc {
  id: string;
  cidr: string;
}

/**
 * An EC2 instance, as far as Run Command needs one: where its packets start (its subnet's route table,
 * else its VPC's main route table) and whether Systems Manager manages it (agent running, instance
 * profile allowing it), without which SendCommand refuses it.
 */
export interface TwinInstance {
  id: string;
  vpcId: string;
  /** The route table of the instance's subnet; absent: the VPC's main route table, as AWS does. */
  routeTableId?: string;
  ssmManaged: boolean;
}

/** CreateRoute's target parameters; the twin routes only the first three, the rest are kept and listed. */
export const ROUTE_TARGET_PARAMS = [
  'GatewayId',
  'TransitGatewayId',
  'NetworkInterfaceId',
  'NatGatewayId',
  'VpcPeeringConnectionId',
  'InstanceId',
  'VpcEndpointId',
  'EgressOnlyInternetGatewayId',
  'LocalGatewayId',
  'CarrierGatewayId',
  'CoreNetworkArn',
] as const;
export type RouteTargetParam = (typeof ROUTE_TARGET_PARAMS)[number];

export interface TwinRouteTarget {
  param: RouteTargetParam;
  id: string;
}

export interface TwinVpcStaticRoute {
  destination: string;
  target: TwinRouteTarget;
}

export interface TwinRouteTable {
  id: string;
  vpcId: string;
  /** The VPC's main route table. */
  main: boolean;
  tags: Tags;
  routes: TwinVpcStaticRoute[];
  propagatingVgws: string[];
}

/** A tunnel endpoint replacement in progress or done (ReplaceVpnTunnel, ModifyVpnTunnelOptions). */
export interface TunnelReplacement {
  vpnId: string;
  outsideIp: string;
  cause: 'ReplaceVpnTunnel' | 'ModifyVpnTunnelOptions';
  requestedAt: string;
  completesAt: string;
  completedAt?: string;
  applyPendingMaintenance: boolean;
  /**
   * Who brings the tunnel back UP at `completesAt`: AWS (IKEv2 with StartupAction=start), the customer
   * gateway (after the endpoint is ready and its own delay), or nobody — the tunnel stays DOWN.
   */
  initiatedBy: 'aws' | 'customer-gateway' | 'nobody';
}

export interface TwinWorld {
  accountId: string;
  region: string;
  vpnConnections: TwinVpnConnection[];
  vgws: TwinVgw[];
  tgws: TwinTgw[];
  tgwAttachments: TwinTgwAttachment[];
  tgwRouteTables: TwinTgwRouteTable[];
  vpcs: TwinVpc[];
  routeTables: TwinRouteTable[];
  /** EC2 instances, for SSM Run Command; absent (a topology file describes none) is none. */
  instances?: TwinInstance[];
  replacements: TunnelReplacement[];
  /** How long an endpoint replacement keeps the tunnel DOWN. */
  replacementDelayMs: number;
  /**
   * Whether a VGW's propagated routes stay in VPC route tables once the VPN has no tunnel UP. AWS
   * documents that they are "not automatically removed" when the connection is interrupted, and also that
   * they appear only while the VPN is UP (fact sheet §8): both are possible, so both are drilled.
   * Default: withdrawn.
   */
  propagatedRoutesOutliveVpn?: boolean;
  /**
   * The state of a TGW static route to a VPN attachment whose VPN has no tunnel UP: undocumented (fact
   * sheet §8), so configurable. Default `active` (it forwards into the dead VPN).
   */
  tgwStaticRouteOnDeadVpn?: 'active' | 'blackhole';
  /**
   * How long after a tunnel's IPsec/BGP change Network Manager's event reaches the bus: AWS documents no
   * delay (network-manager.ts). Default DEFAULT_NETWORK_EVENT_DELAY_MS.
   */
  networkEventDelayMs?: number;
  /** The customer side's networks and how their routers return traffic to AWS (return-path.ts); absent: none modelled. */
  onPrem?: OnPremNetwork[];
}

/** One VPN the customer side may send a network's traffic into, with the customer's preference. */
export interface OnPremReturn {
  readonly vpn: string;
  /** Higher wins (BGP local-pref, or the static route's preference); equal: the order listed. */
  readonly localPref?: number;
  /** Static VPNs only: whether the customer's static route follows the tunnel state (AWS is silent: both exist). */
  readonly staticFollows?: 'tunnel' | 'pinned';
}

/** An on-prem network (a site's prefixes) and the VPNs its router may send traffic to AWS over. */
export interface OnPremNetwork {
  readonly prefixes: readonly string[];
  readonly returnPaths: readonly OnPremReturn[];
}

export const DEFAULT_REPLACEMENT_DELAY_MS = 2 * 60_000;
/** How long a customer gateway takes to start IKE once a replaced endpoint is ready, by default. */
export const DEFAULT_CGW_INITIATES_AFTER_MS = 30_000;

export const findVpn = (w: TwinWorld, id: string) => w.vpnConnections.find((v) => v.id === id);
export const findVgw = (w: TwinWorld, id: string) => w.vgws.find((v) => v.id === id);
export const findTgw = (w: TwinWorld, id: string) => w.tgws.find((t) => t.id === id);
export const findVpc = (w: TwinWorld, id: string) => w.vpcs.find((v) => v.id === id);
export const findRouteTable = (w: TwinWorld, id: string) => w.routeTables.find((t) => t.id === id);
export const findTgwRouteTable = (w: TwinWorld, id: string) => w.tgwRouteTables.find((t) => t.id === id);
export const findInstance = (w: TwinWorld, id: string) => w.instances?.find((i) => i.id === id);
export const findAttachment = (w: TwinWorld, id: string) => w.tgwAttachments.find((a) => a.id === id);

/** The tunnel with this outside IP and its connection; a scenario naming an unknown tunnel is a bug. */
export function tunnelByIp(
  world: TwinWorld,
  outsideIp: string,
): { vpn: TwinVpnConnection; tunnel: TwinTunnel } {
  for (const vpn of world.vpnConnections) {
    const tunnel = vpn.tunnels.find((t) => t.outsideIp === outsideIp);
    if (tunnel !== undefined) return { vpn, tunnel };
  }
  throw new TwinError(`no tunnel with outside IP ${outsideIp} in the twin`);
}

export const hasTunnelUp = (vpn: TwinVpnConnection): boolean => vpn.tunnels.some((t) => t.status === 'UP');
