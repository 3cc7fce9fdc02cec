/**
 * Topology files: a twin world described in YAML (schema.ts), for drills that need another network than
 * the `demo`. A file is read and validated once; what it gives is a factory, so every run starts from a
 * fresh world with every tunnel UP and passing traffic since `tunnelsUpFor` before the clock starts.
 */

import { readFileSync } from 'node:fs';
import { parseYamlWith } from '../../config/yaml.js';
import { MANAGED_TAG_KEY } from '../ec2-actions.js';
import { TopologyError } from '../errors.js';
import {
  DEFAULT_REPLACEMENT_DELAY_MS,
  type OnPremNetwork,
  type Tags,
  type TwinRouteTable,
  type TwinTgwAttachment,
  type TwinTgwRouteTable,
  type TwinVpnConnection,
  type TwinWorld,
} from '../state.js';
import { MANAGED, vpn } from './builders.js';
import { checkReferences } from './references.js';
import { routeTargetParam, type Topology, TopologyShape } from './schema.js';

/** Each field's shape, then what the fields name: every mistake is reported at the field that makes it. */
const TopologySchema = TopologyShape.superRefine(checkReferences);

/** A fresh world for a run whose clock starts at `start`. */
export type TopologyFactory = (start: Date) => TwinWorld;

/** Validates a topology document; `file` names it in errors (TopologyError with the field path). */
export function parseTopology(text: string, file: string): TopologyFactory {
  const topology = parseYamlWith(TopologySchema, text, ({ fieldPath, problem, cause }) => {
    throw new TopologyError(file, fieldPath, problem, { cause });
  });
  return (start) => buildWorld(topology, start);
}

/** Reads and validates a topology file; any problem is a TopologyError naming the file and the field. */
export function loadTopology(file: string): TopologyFactory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TopologyError(file, '', 'cannot read the topology file', { cause: error });
  }
  return parseTopology(text, file);
}

/** The Name tag when named, the managed tag unless left off, then the file's own tags. */
function tagsOf(name: string | undefined, managed: boolean, tags: Tags | undefined): Tags {
  return { ...(name === undefined ? {} : { Name: name }), ...(managed ? MANAGED : {}), ...tags };
}

/** What a topology says about a VPN beyond its resources: IKE settings, AWS's tunnel, the CGW, BGP attributes. */
function withBehaviour(built: TwinVpnConnection, v: Topology['vpnConnections'][number]): TwinVpnConnection {
  const ike = v.tunnelOptions;
  const tunnels =
    ike === undefined
      ? built.tunnels
      : built.tunnels.map((t) => ({
          ...t,
          options: { ...t.options, startupAction: ike.startupAction, ikeVersions: [...ike.ikeVersions] },
        }));
  return {
    ...built,
    tunnels,
    ...(v.preferredTunnel === undefined ? {} : { preferredTunnelIp: v.preferredTunnel }),
    ...(v.customerGatewayInitiates === undefined
      ? {}
      : { customerGatewayInitiates: v.customerGatewayInitiates }),
    ...(v.bgp?.asPathLength === undefined ? {} : { bgpAsPathLength: v.bgp.asPathLength }),
    ...(v.bgp?.med === undefined ? {} : { bgpMed: v.bgp.med }),
  };
}

/** Builds the world a validated topology describes, with the same builders as the demo. */
export function buildWorld(t: Topology, start: Date): TwinWorld {
  const since = new Date(start.getTime() - t.tunnelsUpFor);
  /** An attachment's route table: the one it names, else its TGW's first (the default association table). */
  const association = (tgwId: string, routeTable: string | undefined) =>
    routeTable ?? t.transitGateways.find((g) => g.id === tgwId)?.routeTables[0]?.id;
  const attachment = (
    id: string,
    tgwId: string,
    resourceType: 'vpn' | 'vpc',
    resourceId: string,
    routeTable: string | undefined,
  ): TwinTgwAttachment => {
    const associated = association(tgwId, routeTable);
    return {
      id,
      tgwId,
      resourceType,
      resourceId,
      state: 'available',
      ...(associated === undefined ? {} : { associatedRouteTableId: associated }),
    };
  };

  const vpnConnections = t.vpnConnections.map((v, i): TwinVpnConnection => {
    const built = vpn({
      id: v.id,
      name: v.name ?? v.id,
      customerGatewayId: v.customerGateway,
      ...(v.transitGateway === undefined ? {} : { transitGatewayId: v.transitGateway.id }),
      ...(v.vpnGateway === undefined ? {} : { vpnGatewayId: v.vpnGateway }),
      ...(v.bgp === undefined ? {} : { advertisedPrefixes: v.bgp.advertises }),
      ...(v.staticRoutes === undefined ? {} : { staticRoutes: v.staticRoutes }),
      tunnelIps: v.tunnels,
      // 169.254.10.0/30 and .4/30 for the first connection, .20 for the second…, as in the demo.
      insideOctet: (10 * (i + 1)) % 256,
      since,
      ...(v.tags === undefined ? {} : { tags: v.tags }),
    });
    if (!v.managed) delete built.tags[MANAGED_TAG_KEY];
    return withBehaviour(built, v);
  });

  const tgwAttachments: TwinTgwAttachment[] = [
    ...t.vpnConnections.flatMap((v) =>
      v.transitGateway === undefined
        ? []
        : [
            attachment(
              v.transitGateway.attachment,
              v.transitGateway.id,
              'vpn',
              v.id,
              v.transitGateway.routeTable,
            ),
          ],
    ),
    ...t.vpcs.flatMap((vpc) =>
      vpc.transitGatewayAttachments.map((a) =>
        attachment(a.id, a.transitGateway, 'vpc', vpc.id, a.routeTable),
      ),
    ),
  ];

  const tgwRouteTables = t.transitGateways.flatMap((tgw) =>
    tgw.routeTables.map(
      (table): TwinTgwRouteTable => ({
        id: table.id,
        tgwId: tgw.id,
        tags: tagsOf(table.name, table.managed, table.tags),
        routes: table.routes.map((r) => ({ destination: r.destination, attachmentId: r.attachment })),
        propagations: [...table.propagations],
      }),
    ),
  );

  const routeTables = t.vpcs.flatMap((vpc) =>
    vpc.routeTables.map(
      (table): TwinRouteTable => ({
        id: table.id,
        vpcId: vpc.id,
        main: table.main,
        tags: tagsOf(table.name, table.managed, table.tags),
        routes: table.routes.map((r) => {
          const param = routeTargetParam(r.target);
          // The schema refused any other target.
          if (param === undefined) throw new TypeError(`unchecked route target ${r.target}`);
          return { destination: r.destination, target: { param, id: r.target } };
        }),
        propagatingVgws: [...table.propagatingVgws],
      }),
    ),
  );

  return {
    accountId: t.account,
    region: t.region,
    vpnConnections,
    vgws: t.vpnGateways.map((g) => ({
      id: g.id,
      asn: g.asn,
      ...(g.vpc === undefined ? {} : { vpcId: g.vpc }),
    })),
    tgws: t.transitGateways.map((g) => ({ id: g.id, asn: g.asn, vpnEcmpSupport: g.vpnEcmpSupport })),
    tgwAttachments,
    tgwRouteTables,
    vpcs: t.vpcs.map((v) => ({ id: v.id, cidr: v.cidr })),
    routeTables,
    replacements: [],
    replacementDelayMs: DEFAULT_REPLACEMENT_DELAY_MS,
    ...(t.propagatedRoutesOutliveVpn === undefined
      ? {}
      : { propagatedRoutesOutliveVpn: t.propagatedRoutesOutliveVpn }),
    ...(t.tgwStaticRouteOnDeadVpn === undefined
      ? {}
      : { tgwStaticRouteOnDeadVpn: t.tgwStaticRouteOnDeadVpn }),
    ...(t.onPrem.length === 0 ? {} : { onPrem: t.onPrem.map(onPremNetwork) }),
  };
}

/** A topology's on-prem network as the world keeps it (no undefined optional fields). */
function onPremNetwork(n: Topology['onPrem'][number]): OnPremNetwork {
  return {
    prefixes: n.prefixes,
    returnPaths: n.returnPaths.map((r) => ({
      vpn: r.vpn,
      ...(r.localPref === undefined ? {} : { localPref: r.localPref }),
      ...(r.staticFollows === undefined ? {} : { staticFollows: r.staticFollows }),
    })),
  };
}
