import type { z } from 'zod';
import type { Topology } from './schema.js';

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

/** Each name must exist and fit where it is used; problems are reported at the field that names it. */
export function checkReferences(t: Topology, ctx: Ctx): void {
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
  t.onPrem.forEach((network, i) => {
    network.returnPaths.forEach((choice, j) => {
      if (vpns.get(choice.vpn) === undefined)
        issue(
          ctx,
          ['onPrem', i, 'returnPaths', j, 'vpn'],
          `no VPN connection ${choice.vpn} in this topology`,
        );
    });
  });
}
