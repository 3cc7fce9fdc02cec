/**
 * One observation of the real state, in tunnel-warden's own terms: no SDK types, nothing secret.
 * The adapter that builds it (lib/aws/observe) copies only these fields, so the
 * `CustomerGatewayConfiguration` document and pre-shared keys never enter the process beyond it.
 */

export type TunnelStatus = 'UP' | 'DOWN';

/** A tunnel whose telemetry was read whole; a tunnel with any field unreadable is in `unreadable` instead. */
export interface TunnelState {
  readonly outsideIp: string;
  readonly status: TunnelStatus;
  /** When IKE, IPsec or BGP status last changed: the tunnel has been in `status` since then. ISO 8601. */
  readonly lastStatusChange: string;
  readonly statusMessage: string;
  readonly acceptedRouteCount: number;
}

export type VpnConnectionLifecycle = 'pending' | 'available' | 'deleting' | 'deleted';

/**
 * Something DescribeVpnConnections did not say, or said in a form the snapshot cannot represent.
 * Missing is *unknown*, never DOWN: the policy moves no traffic because of it and trusts no path on it.
 */
export interface UnreadableField {
  /** The field as the API names it: `VgwTelemetry`, `VgwTelemetry[198.51.100.10].Status`, `Options.StaticRoutesOnly`. */
  readonly field: string;
  /** `missing`, or the value that was not understood. */
  readonly problem: string;
  /**
   * `health`: some tunnel's state is unknown, so is the connection's unless another tunnel is UP;
   * `routing`: whether the VPN is static or BGP is unknown (`staticRoutesOnly` then reads false, the
   * reading under which the policy removes no override and adds no static route).
   */
  readonly affects: 'health' | 'routing';
}

export interface VpnConnectionState {
  readonly vpnId: string;
  readonly state: VpnConnectionLifecycle;
  readonly staticRoutesOnly: boolean;
  readonly vpnGatewayId?: string;
  readonly transitGatewayId?: string;
  /** The tunnels whose telemetry was read whole. Fewer than the connection has when some are in `unreadable`. */
  readonly tunnels: readonly TunnelState[];
  /** What could not be read; empty when the answer was complete. */
  readonly unreadable: readonly UnreadableField[];
  /** Static routes of a VGW VPN (`CreateVpnConnectionRoute`), by destination. */
  readonly staticRoutes: readonly { readonly destination: string; readonly state: string }[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * What a VPC route can point at for traffic to an on-prem prefix, by the prefix of its id. Traffic
 * that arrives from a VPN may leave a VPC through a virtual private gateway, a transit gateway or a
 * network interface (an instance, an appliance, an interface endpoint); AWS does not forward it
 * through the others.
 */
export const VPC_TARGET_KINDS = ['vpn-gateway', 'transit-gateway', 'network-interface'] as const;
export type VpcTargetKind = (typeof VPC_TARGET_KINDS)[number];
export const VPC_TARGET_PREFIXES: Readonly<Record<VpcTargetKind, string>> = {
  'vpn-gateway': 'vgw-',
  'transit-gateway': 'tgw-',
  'network-interface': 'eni-',
};

export type RouteTargetKind = VpcTargetKind | 'local' | 'other';

export interface RouteTarget {
  readonly kind: RouteTargetKind;
  readonly id: string;
}

/** A target a site's path may name (`vpcTarget`), its kind decided once, when the config is parsed. */
export interface VpcTarget extends RouteTarget {
  readonly kind: VpcTargetKind;
}

export type VpcRouteOrigin =
  | 'CreateRouteTable'
  | 'CreateRoute'
  | 'EnableVgwRoutePropagation'
  | 'Advertisement';

export interface VpcRoute {
  readonly destination: string;
  readonly target: RouteTarget;
  readonly origin: VpcRouteOrigin;
  readonly state: 'active' | 'blackhole' | 'filtered';
}

export interface VpcRouteTableState {
  readonly routeTableId: string;
  readonly vpcId: string;
  readonly routes: readonly VpcRoute[];
  /** VGWs whose routes this table learns by propagation. */
  readonly propagatingGateways: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface TgwRoute {
  readonly destination: string;
  /** The attachment the route points at (the first, for an ECMP route); absent for a blackhole route. */
  readonly attachmentId?: string;
  /**
   * Every attachment of an ECMP route (several BGP VPN attachments on a TGW with `VpnEcmpSupport`,
   * fact sheet §8), in the order AWS listed them; absent when the route has one attachment or none.
   */
  readonly attachmentIds?: readonly string[];
  readonly type: 'static' | 'propagated';
  readonly state: 'pending' | 'active' | 'blackhole' | 'deleting' | 'deleted';
}

/** Every attachment a TGW route forwards to: several for an ECMP route, none for a blackhole. */
export function tgwRouteAttachments(route: TgwRoute): readonly string[] {
  if (route.attachmentIds !== undefined && route.attachmentIds.length > 0) return route.attachmentIds;
  return route.attachmentId === undefined ? [] : [route.attachmentId];
}

export interface TgwRouteTableState {
  readonly routeTableId: string;
  /**
   * Only the routes for the prefixes the snapshot was asked about: exactly, and — when the scope asked
   * for covering routes — the routes covering them (aggregates) and inside them (shadowing routes).
   */
  readonly routes: readonly TgwRoute[];
  /** The search for routes inside the prefixes was truncated: some more-specific routes are missing. */
  readonly moreSpecificIncomplete?: true;
}

/** What a transit gateway attachment connects: how a path's health is followed through the TGW. */
export type TgwAttachmentResource =
  | 'vpn'
  | 'vpc'
  | 'direct-connect-gateway'
  | 'peering'
  | 'connect'
  | 'network-function'
  | 'other';

/** A transit gateway attachment as DescribeTransitGatewayAttachments reports it. */
export interface TgwAttachmentState {
  readonly attachmentId: string;
  readonly transitGatewayId: string;
  readonly resourceType: TgwAttachmentResource;
  /** The VPN connection, VPC, Direct Connect gateway, … behind the attachment; absent when not reported. */
  readonly resourceId?: string;
  readonly state: string;
  /** The TGW route table that routes the traffic entering through this attachment. */
  readonly associatedRouteTableId?: string;
}

/** Which route tables a snapshot reads: VPC tables whole, TGW tables only for the given destinations. */
export interface RouteScope {
  readonly vpcRouteTableIds: readonly string[];
  /** Per TGW route table, the destinations (CIDRs) to look up. */
  readonly tgwRouteTables: readonly {
    readonly routeTableId: string;
    readonly destinations: readonly string[];
    /**
     * Also read the routes covering the destinations (supernet-of-match: aggregates that carry them)
     * and inside them (subnet-of-match: routes that shadow part of them). Off: exact matches only.
     */
    readonly covering?: boolean;
  }[];
}

export interface Snapshot {
  /** When the snapshot was taken, ISO 8601. */
  readonly takenAt: string;
  readonly vpnConnections: Readonly<Record<string, VpnConnectionState>>;
  readonly vpcRouteTables: Readonly<Record<string, VpcRouteTableState>>;
  readonly tgwRouteTables: Readonly<Record<string, TgwRouteTableState>>;
  /**
   * The attachments read to follow a path without a VPN of its own through the transit gateway (see
   * lib/policy/path-behind.ts), by id. Absent when nothing was read: such a path's health is then unknown.
   * The TGW route tables read for it are in `tgwRouteTables`, next to the managed ones.
   */
  readonly tgwAttachments?: Readonly<Record<string, TgwAttachmentState>>;
}

/** A snapshot from what was read, taken at `now` (when the caller considers it taken). */
export function snapshotAt(
  now: Date,
  vpnConnections: Snapshot['vpnConnections'],
  routes: Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>,
): Snapshot {
  return { takenAt: now.toISOString(), vpnConnections, ...routes };
}

/** The VPN a tunnel outside IP belongs to, among the connections in the snapshot. */
export function vpnOfTunnel(
  snapshot: Pick<Snapshot, 'vpnConnections'>,
  outsideIp: string,
): string | undefined {
  for (const vpn of Object.values(snapshot.vpnConnections)) {
    if (vpn.tunnels.some((t) => t.outsideIp === outsideIp)) return vpn.vpnId;
  }
  return undefined;
}

/** One tunnel's maintenance as AWS reports it; times are ISO 8601. */
export interface TunnelMaintenance {
  readonly vpnId: string;
  readonly tunnelIp: string;
  /** True when `PendingMaintenance` names something to apply (AWS answers `None` otherwise). */
  readonly pending: boolean;
  /** `PendingMaintenance` as AWS wrote it (absent when AWS sent nothing). */
  readonly pendingMaintenance?: string;
  /** `MaintenanceAutoAppliedAfter`: when AWS applies it without being asked. */
  readonly autoAppliedAfter?: string;
  /** `LastMaintenanceApplied`. */
  readonly lastApplied?: string;
}

/** Which attachments to read: by id, and/or the attachments of these VPCs to these transit gateways. */
export interface AttachmentQuery {
  readonly attachmentIds?: readonly string[];
  readonly vpcs?: { readonly transitGatewayIds: readonly string[]; readonly vpcIds: readonly string[] };
}
