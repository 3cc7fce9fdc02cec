/**
 * The YAML topology format: a twin world described as data, for drills that need another network than
 * the `demo`. The schema checks each field's shape; `checkReferences` (references.ts) then checks that
 * what one resource names exists and fits (a route's attachment is on the table's transit gateway, a
 * VGW's VPC exists…), so every mistake is reported at the field that makes it. file.ts joins the two
 * and builds the world from the result.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DurationSchema } from '../../config/duration.js';
import { PrefixSchema, resourceId } from '../../config/schema.js';
import { MANAGED_TAG_KEY } from '../ec2-actions.js';
import type { RouteTargetParam } from '../state.js';

const DAY_MS = 86_400_000;

const VpnId = resourceId('vpn', 'a VPN connection');
const CgwId = resourceId('cgw', 'a customer gateway');
const TgwId = resourceId('tgw', 'a transit gateway');
const AttachmentId = resourceId('tgw-attach', 'a transit gateway attachment');
const TgwRouteTableId = resourceId('tgw-rtb', 'a transit gateway route table');
const VgwId = resourceId('vgw', 'a virtual private gateway');
const VpcId = resourceId('vpc', 'a VPC');
const RouteTableId = resourceId('rtb', 'a VPC route table');

const Cidr = PrefixSchema;

const Ip = z.string().refine((v) => isIP(v) === 4, 'expected an IPv4 address');

const Asn = z.number().int().min(1).max(4_294_967_295);

/** YAML reads an unquoted account id as a number; both are accepted, and must be 12 digits. */
const Account = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id (quote it if it starts with 0)'),
);

const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1');

/** Writes need `tunnel-warden:managed=true` (the IAM policy's condition); `managed: false` leaves it off. */
const Managed = z.boolean().default(true);

const Tags = z
  .record(z.string().min(1), z.string())
  .refine(
    (tags) => !Object.hasOwn(tags, MANAGED_TAG_KEY),
    `do not tag ${MANAGED_TAG_KEY} by hand: it is on by default, and \`managed: false\` leaves it off`,
  );

/**
 * What a VPC route's target id says it is, by its prefix, and the CreateRoute parameter that carries it.
 * The twin routes tgw-, vgw- and eni- targets; the others are kept and listed, and the data plane drops
 * traffic sent to them.
 */
const TARGET_KINDS: Readonly<Record<string, RouteTargetParam>> = {
  tgw: 'TransitGatewayId',
  vgw: 'GatewayId',
  igw: 'GatewayId',
  eni: 'NetworkInterfaceId',
  nat: 'NatGatewayId',
  pcx: 'VpcPeeringConnectionId',
  i: 'InstanceId',
  vpce: 'VpcEndpointId',
  eigw: 'EgressOnlyInternetGatewayId',
  lgw: 'LocalGatewayId',
  cagw: 'CarrierGatewayId',
};

/** The CreateRoute parameter for a target id, or undefined when its prefix names no route target. */
export function routeTargetParam(target: string): RouteTargetParam | undefined {
  const prefix = /^([a-z]+)-[0-9a-f]{8,17}$/.exec(target)?.[1];
  return prefix === undefined ? undefined : TARGET_KINDS[prefix];
}

const RouteTarget = z.string().refine(
  (target) => routeTargetParam(target) !== undefined,
  `expected a route target id whose prefix says its kind: ${Object.keys(TARGET_KINDS)
    .map((p) => `${p}-`)
    .join(', ')}`,
);

const TgwRouteTableSchema = z.strictObject({
  id: TgwRouteTableId,
  name: z.string().min(1).optional(),
  managed: Managed,
  tags: Tags.optional(),
  /** Static routes; TGW static routes do not withdraw when the VPN behind the attachment goes down. */
  routes: z.array(z.strictObject({ destination: Cidr, attachment: AttachmentId })).default([]),
  /** Attachments whose routes propagate into this table (a VPC's CIDR, a BGP VPN's prefixes). */
  propagations: z.array(AttachmentId).default([]),
});

const TgwSchema = z.strictObject({
  id: TgwId,
  asn: Asn.default(64512),
  /** VpnEcmpSupport: one route over every BGP VPN attachment advertising a prefix (AWS's default: on). */
  vpnEcmpSupport: z.boolean().default(true),
  /** The first is the default association route table: attachments that name none are associated with it. */
  routeTables: z.array(TgwRouteTableSchema).default([]),
});

const VgwSchema = z.strictObject({
  id: VgwId,
  asn: Asn.default(64512),
  /** The VPC it is attached to; a detached VGW propagates nothing. */
  vpc: VpcId.optional(),
});

const RouteTableSchema = z.strictObject({
  id: RouteTableId,
  name: z.string().min(1).optional(),
  main: z.boolean().default(false),
  managed: Managed,
  tags: Tags.optional(),
  propagatingVgws: z.array(VgwId).default([]),
  routes: z.array(z.strictObject({ destination: Cidr, target: RouteTarget })).default([]),
});

const VpcAttachmentSchema = z.strictObject({
  id: AttachmentId,
  transitGateway: TgwId,
  /** The TGW route table traffic from the VPC is routed by; default: the TGW's first. */
  routeTable: TgwRouteTableId.optional(),
});

const VpcSchema = z.strictObject({
  id: VpcId,
  cidr: Cidr,
  transitGatewayAttachments: z.array(VpcAttachmentSchema).default([]),
  routeTables: z.array(RouteTableSchema).default([]),
});

const VpnSchema = z
  .strictObject({
    id: VpnId,
    /** The Name tag; default: the id. */
    name: z.string().min(1).optional(),
    customerGateway: CgwId,
    transitGateway: z
      .strictObject({
        id: TgwId,
        attachment: AttachmentId,
        /** The TGW route table traffic from the site is routed by; default: the TGW's first. */
        routeTable: TgwRouteTableId.optional(),
      })
      .optional(),
    vpnGateway: VgwId.optional(),
    /**
     * A BGP VPN: what the customer gateway advertises over every UP tunnel, and the AS_PATH length and
     * MED it advertises with (a VGW prefers the shortest AS_PATH, then the lowest MED: fact sheet §4;
     * default 1 and 0). Static when absent.
     */
    bgp: z
      .strictObject({
        advertises: z.array(Cidr),
        asPathLength: z.number().int().min(1).max(255).optional(),
        med: z.number().int().min(0).max(4_294_967_295).optional(),
      })
      .optional(),
    /** The tunnel AWS sends a static VPN's traffic over while it is UP (AWS's choice); default: the first. */
    preferredTunnel: Ip.optional(),
    /**
     * Both tunnels' IKE settings; default IKEv2 with StartupAction=start, the only case where AWS starts
     * IKE after an endpoint replacement (fact sheet §3, §8).
     */
    tunnelOptions: z
      .strictObject({
        startupAction: z.enum(['add', 'start']).default('start'),
        ikeVersions: z
          .array(z.enum(['ikev1', 'ikev2']))
          .min(1)
          .default(['ikev2']),
      })
      .optional(),
    /**
     * When AWS does not start IKE, how long the customer gateway takes to after a replaced endpoint is
     * ready, or `never` (it only responds). Default 30s.
     */
    customerGatewayInitiates: z.union([z.literal('never'), DurationSchema]).optional(),
    /** A static VPN's routes (CreateVpnConnectionRoute), what a VGW routes to it. */
    staticRoutes: z.array(Cidr).optional(),
    /** Both tunnels' outside IPs; both are UP and passing traffic at the start. */
    tunnels: z.tuple([Ip, Ip]),
    managed: Managed,
    tags: Tags.optional(),
  })
  .superRefine((vpn, ctx) => {
    if ((vpn.transitGateway === undefined) === (vpn.vpnGateway === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a VPN connection ends on exactly one of transitGateway: {id, attachment} or vpnGateway',
      });
    }
    if (vpn.preferredTunnel !== undefined && !vpn.tunnels.includes(vpn.preferredTunnel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['preferredTunnel'],
        message: `${vpn.preferredTunnel} is not one of this VPN's tunnels (${vpn.tunnels.join(', ')})`,
      });
    }
    if (vpn.bgp !== undefined && vpn.staticRoutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['staticRoutes'],
        message:
          'a BGP VPN learns its routes from bgp.advertises: drop staticRoutes, or bgp for a static VPN',
      });
    }
  });

/**
 * A customer network and the VPNs its router sends traffic to AWS over (the return path, which AWS does
 * not decide: lib/twin/return-path.ts). Absent: the return path is not modelled for that network.
 */
const OnPremSchema = z.strictObject({
  prefixes: z.array(PrefixSchema).min(1),
  returnPaths: z
    .array(
      z.strictObject({
        vpn: VpnId,
        /** Higher wins (BGP local-pref or the static route's preference); equal: the order listed. */
        localPref: z.number().int().min(0).optional(),
        /** Static VPNs: the customer's route follows the tunnel (default) or stays whatever it does. */
        staticFollows: z.enum(['tunnel', 'pinned']).optional(),
      }),
    )
    .min(1),
});

export const TopologyShape = z.strictObject({
  account: Account.default('111122223333'),
  region: Region.default('us-east-1'),
  /** How long every tunnel has been UP when the drill's clock starts. */
  tunnelsUpFor: DurationSchema.default(DAY_MS),
  /**
   * Whether VGW-propagated routes stay in VPC route tables once the VPN is down: AWS documents both (fact
   * sheet §8), so drills try both. Default false (withdrawn).
   */
  propagatedRoutesOutliveVpn: z.boolean().optional(),
  /** A TGW static route's state while its VPN is down: undocumented (fact sheet §8). Default active. */
  tgwStaticRouteOnDeadVpn: z.enum(['active', 'blackhole']).optional(),
  transitGateways: z.array(TgwSchema).default([]),
  vpnGateways: z.array(VgwSchema).default([]),
  vpcs: z.array(VpcSchema).default([]),
  vpnConnections: z.array(VpnSchema).default([]),
  onPrem: z.array(OnPremSchema).default([]),
});

/** The topology as written, before its references are checked. */
export type Topology = z.output<typeof TopologyShape>;
