/**
 * The YAML topology format: a twin world described as data, for drills that need another network than
 * the `demo`. The schema checks each field's shape; `checkReferences` then checks that what one resource
 * names exists and fits (a route's attachment is on the table's transit gateway, a VGW's VPC exists…),
 * so every mistake is reported at the field that makes it. file.ts builds the world from the result.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseIpv4Cidr } from '../../config/cidr.js';
import { DurationSchema } from '../../config/duration.js';
import { MANAGED_TAG_KEY } from '../ec2-api.js';
import type { RouteTargetParam } from '../state.js';

const DAY_MS = 86_400_000;

const id = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `expected ${what} id like ${prefix}-0123456789abcdef0`);

const VpnId = id('vpn', 'a VPN connection');
const CgwId = id('cgw', 'a customer gateway');
const TgwId = id('tgw', 'a transit gateway');
const AttachmentId = id('tgw-attach', 'a transit gateway attachment');
const TgwRouteTableId = id('tgw-rtb', 'a transit gateway route table');
const VgwId = id('vgw', 'a virtual private gateway');
const VpcId = id('vpc', 'a VPC');
const RouteTableId = id('rtb', 'a VPC route table');

const Cidr = z.string().transform((text, ctx) => {
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an IPv4 CIDR like 10.3.0.0/20, got "${text}"` });
    return z.NEVER;
  }
  if (cidr.canonical !== text) {
    ctx.addIssue({ code: 'custom', message: `${text} has host bits set; did you mean ${cidr.canonical}?` });
    return z.NEVER;
  }
  return text;
});

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
    /** A BGP VPN: what the customer gateway advertises over every UP tunnel. Static when absent. */
    bgp: z.strictObject({ advertises: z.array(Cidr) }).optional(),
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
    if (vpn.bgp !== undefined && vpn.staticRoutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['staticRoutes'],
        message:
          'a BGP VPN learns its routes from bgp.advertises: drop staticRoutes, or bgp for a static VPN',
      });
    }
  });

type Path = (string | number)[];
type Ctx = z.RefinementCtx<Topology>;

interface Registered<T> {
  readonly value: T;
  readonly path: Path;
}

/** Records ids, reporting the second of two resources with the same id. */
class Registry<T> {
  readonly #byId = new Map<string, Registered<T>>();

  public constructor(
    private readonly what: string,
    private readonly ctx: Ctx,
  ) {}

  public add(id: string, path: Path, value: T): void {
    const first = this.#byId.get(id);
    if (first !== undefined) {
      issue(this.ctx, path, `duplicate ${this.what} ${id} (also at ${formatPath(first.path)})`);
      return;
    }
    this.#byId.set(id, { value, path });
  }

  public get(id: string): T | undefined {
    return this.#byId.get(id)?.value;
  }
}

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function formatPath(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

type Topology = z.output<typeof TopologyShape>;

/** Each name must exist and fit where it is used; problems are reported at the field that names it. */
function checkReferences(t: Topology, ctx: Ctx): void {
  const tgws = new Registry<string>('transit gateway', ctx);
  const tgwTables = new Registry<{ tgwId: string }>('transit gateway route table', ctx);
  const attachments = new Registry<{ tgwId: string }>('transit gateway attachment', ctx);
  const vgws = new Registry<{ vpcId?: string }>('virtual private gateway', ctx);
  const vpcs = new Registry<string>('VPC', ctx);
  const routeTables = new Registry<string>('VPC route table', ctx);
  const vpns = new Registry<string>('VPN connection', ctx);
  const tunnels = new Registry<string>('tunnel outside IP', ctx);

  t.transitGateways.forEach((tgw, i) => {
    tgws.add(tgw.id, ['transitGateways', i, 'id'], tgw.id);
    tgw.routeTables.forEach((table, j) => {
      tgwTables.add(table.id, ['transitGateways', i, 'routeTables', j, 'id'], { tgwId: tgw.id });
    });
  });
  t.vpcs.forEach((vpc, i) => {
    vpcs.add(vpc.id, ['vpcs', i, 'id'], vpc.id);
    vpc.routeTables.forEach((table, j) => {
      routeTables.add(table.id, ['vpcs', i, 'routeTables', j, 'id'], vpc.id);
    });
  });
  t.vpnConnections.forEach((vpn, i) => {
    vpns.add(vpn.id, ['vpnConnections', i, 'id'], vpn.id);
    vpn.tunnels.forEach((ip, j) => {
      tunnels.add(ip, ['vpnConnections', i, 'tunnels', j], ip);
    });
  });

  /** The TGW exists; the route table, when named, is one of its tables. */
  const checkTgwAndTable = (tgwId: string, tgwPath: Path, tableId: string | undefined, tablePath: Path) => {
    if (tgws.get(tgwId) === undefined) {
      issue(ctx, tgwPath, `no transit gateway ${tgwId} in this topology (declare it under transitGateways)`);
      return;
    }
    if (tableId === undefined) return;
    const table = tgwTables.get(tableId);
    if (table === undefined)
      issue(ctx, tablePath, `no transit gateway route table ${tableId} in this topology`);
    else if (table.tgwId !== tgwId)
      issue(ctx, tablePath, `${tableId} is a route table of ${table.tgwId}, not of ${tgwId}`);
  };

  t.vpnConnections.forEach((vpn, i) => {
    const at: Path = ['vpnConnections', i];
    if (vpn.transitGateway !== undefined) {
      const { id: tgwId, attachment, routeTable } = vpn.transitGateway;
      const tgwAt: Path = [...at, 'transitGateway'];
      checkTgwAndTable(tgwId, [...tgwAt, 'id'], routeTable, [...tgwAt, 'routeTable']);
      attachments.add(attachment, [...tgwAt, 'attachment'], { tgwId });
    }
    if (vpn.vpnGateway !== undefined && !t.vpnGateways.some((g) => g.id === vpn.vpnGateway)) {
      issue(
        ctx,
        [...at, 'vpnGateway'],
        `no virtual private gateway ${vpn.vpnGateway} in this topology (declare it under vpnGateways)`,
      );
    }
  });

  const vgwOfVpc = new Map<string, string>();
  t.vpnGateways.forEach((vgw, i) => {
    vgws.add(vgw.id, ['vpnGateways', i, 'id'], vgw.vpc === undefined ? {} : { vpcId: vgw.vpc });
    if (vgw.vpc === undefined) return;
    if (vpcs.get(vgw.vpc) === undefined) {
      issue(ctx, ['vpnGateways', i, 'vpc'], `no VPC ${vgw.vpc} in this topology (declare it under vpcs)`);
      return;
    }
    const other = vgwOfVpc.get(vgw.vpc);
    if (other !== undefined)
      issue(ctx, ['vpnGateways', i, 'vpc'], `${vgw.vpc} already has ${other} attached: a VPC has one VGW`);
    vgwOfVpc.set(vgw.vpc, vgw.id);
  });

  t.vpcs.forEach((vpc, i) => {
    const attachedTo = new Set<string>();
    vpc.transitGatewayAttachments.forEach((a, j) => {
      const at: Path = ['vpcs', i, 'transitGatewayAttachments', j];
      checkTgwAndTable(a.transitGateway, [...at, 'transitGateway'], a.routeTable, [...at, 'routeTable']);
      attachments.add(a.id, [...at, 'id'], { tgwId: a.transitGateway });
      if (attachedTo.has(a.transitGateway))
        issue(ctx, [...at, 'transitGateway'], `${vpc.id} is already attached to ${a.transitGateway}`);
      attachedTo.add(a.transitGateway);
    });
    let main: number | undefined;
    vpc.routeTables.forEach((table, j) => {
      const at: Path = ['vpcs', i, 'routeTables', j];
      if (table.main && main !== undefined)
        issue(ctx, [...at, 'main'], `${vpc.id} already has a main route table (routeTables[${main}])`);
      if (table.main) main ??= j;
      table.propagatingVgws.forEach((vgwId, k) => {
        const vgw = vgws.get(vgwId);
        if (vgw === undefined)
          issue(ctx, [...at, 'propagatingVgws', k], `no virtual private gateway ${vgwId} in this topology`);
        else if (vgw.vpcId !== vpc.id)
          issue(
            ctx,
            [...at, 'propagatingVgws', k],
            `${vgwId} is not attached to ${vpc.id} (its vpc is ${vgw.vpcId ?? 'none'}): it would propagate nothing`,
          );
      });
      const seen = new Set<string>();
      table.routes.forEach((route, k) => {
        if (seen.has(route.destination))
          issue(ctx, [...at, 'routes', k, 'destination'], `duplicate route to ${route.destination}`);
        seen.add(route.destination);
        const target = route.target;
        if (target.startsWith('tgw-') && tgws.get(target) === undefined)
          issue(ctx, [...at, 'routes', k, 'target'], `no transit gateway ${target} in this topology`);
        if (target.startsWith('vgw-') && vgws.get(target) === undefined)
          issue(ctx, [...at, 'routes', k, 'target'], `no virtual private gateway ${target} in this topology`);
      });
    });
  });

  t.transitGateways.forEach((tgw, i) => {
    tgw.routeTables.forEach((table, j) => {
      const at: Path = ['transitGateways', i, 'routeTables', j];
      /** The attachment exists and is on this table's TGW. */
      const onThisTgw = (attachmentId: string, path: Path) => {
        const attachment = attachments.get(attachmentId);
        if (attachment === undefined)
          issue(
            ctx,
            path,
            `no transit gateway attachment ${attachmentId} in this topology ` +
              "(an attachment is declared by a VPN's transitGateway.attachment or a VPC's transitGatewayAttachments)",
          );
        else if (attachment.tgwId !== tgw.id)
          issue(ctx, path, `${attachmentId} is an attachment to ${attachment.tgwId}, not to ${tgw.id}`);
      };
      const seen = new Set<string>();
      table.routes.forEach((route, k) => {
        if (seen.has(route.destination))
          issue(ctx, [...at, 'routes', k, 'destination'], `duplicate route to ${route.destination}`);
        seen.add(route.destination);
        onThisTgw(route.attachment, [...at, 'routes', k, 'attachment']);
      });
      table.propagations.forEach((attachmentId, k) => {
        onThisTgw(attachmentId, [...at, 'propagations', k]);
      });
    });
  });
}

const TopologyShape = z.strictObject({
  account: Account.default('111122223333'),
  region: Region.default('us-east-1'),
  /** How long every tunnel has been UP when the drill's clock starts. */
  tunnelsUpFor: DurationSchema.default(DAY_MS),
  transitGateways: z.array(TgwSchema).default([]),
  vpnGateways: z.array(VgwSchema).default([]),
  vpcs: z.array(VpcSchema).default([]),
  vpnConnections: z.array(VpnSchema).default([]),
});

export const TopologySchema = TopologyShape.superRefine(checkReferences);
export type TopologyFile = z.output<typeof TopologySchema>;
