/**
 * One site's snapshot: its VPNs and route tables, then — only for paths without a VPN of their own —
 * what lies behind them (lib/policy/path-behind.ts): the VPC's attachment to the transit gateway and
 * the TGW route table associated with it, that table's routes for the site's prefixes, the attachments
 * those routes name, and the VPNs behind them. Each step is one bounded call (a few ids or one exact
 * search), asked only when something is left to follow, so a site whose paths are all VPNs costs
 * exactly what it did before.
 */
import type { SiteConfig } from '../config/schema.js';
import {
  type Snapshot,
  type TgwAttachmentState,
  type TgwRouteTableState,
  tgwRouteAttachments,
} from '../domain/snapshot.js';
import type { Ec2Port } from './ports.js';

type Observer = Pick<Ec2Port, 'vpnConnections' | 'routes' | 'tgwAttachments'>;

function siteVpnIds(site: SiteConfig): string[] {
  return site.paths.flatMap((p) => (p.vpn === undefined ? [] : [p.vpn]));
}

export async function observeSite(ec2: Observer, site: SiteConfig, now: Date): Promise<Snapshot> {
  const [vpnConnections, routes] = await Promise.all([
    ec2.vpnConnections(siteVpnIds(site)),
    ec2.routes({
      vpcRouteTableIds: site.routeTables.vpc,
      // Covering routes too: an aggregate may carry a prefix, a more-specific route may shadow it.
      tgwRouteTables: site.routeTables.transitGateway.map((routeTableId) => ({
        routeTableId,
        destinations: site.prefixes,
        covering: true,
      })),
    }),
  ]);
  const snapshot: Snapshot = { takenAt: now.toISOString(), vpnConnections, ...routes };
  return observeBehind(ec2, site, snapshot);
}

/** Follows the site's paths without a VPN through the transit gateway; unchanged when there are none. */
export async function observeBehind(ec2: Observer, site: SiteConfig, snapshot: Snapshot): Promise<Snapshot> {
  const blind = site.paths.filter((p) => p.vpn === undefined);
  if (blind.length === 0) return snapshot;
  const transitGatewayIds =
    site.routeTables.vpc.length === 0
      ? []
      : blind.flatMap((p) => (p.vpcTarget?.startsWith('tgw-') === true ? [p.vpcTarget] : []));
  const vpcIds = Object.values(snapshot.vpcRouteTables).map((t) => t.vpcId);
  const attachmentIds =
    site.routeTables.transitGateway.length === 0
      ? []
      : blind.flatMap((p) => (p.transitGatewayAttachment === undefined ? [] : [p.transitGatewayAttachment]));
  if (attachmentIds.length === 0 && (transitGatewayIds.length === 0 || vpcIds.length === 0)) return snapshot;

  // 1. The VPC's attachment to each transit gateway (its association names the TGW table that routes
  //    the VPC's traffic), and the attachments the TGW tables point at for paths without a VPN.
  const first = await ec2.tgwAttachments({ attachmentIds, vpcs: { transitGatewayIds, vpcIds } });
  // 2. The associated TGW tables' routes for the site's prefixes (tables already read are not re-read).
  const associated = [
    ...new Set(
      Object.values(first).flatMap((a) =>
        a.resourceType === 'vpc' && a.associatedRouteTableId !== undefined ? [a.associatedRouteTableId] : [],
      ),
    ),
  ].filter((id) => snapshot.tgwRouteTables[id] === undefined);
  const behindTables =
    associated.length === 0
      ? {}
      : (
          await ec2.routes({
            vpcRouteTableIds: [],
            tgwRouteTables: associated.map((routeTableId) => ({ routeTableId, destinations: site.prefixes })),
          })
        ).tgwRouteTables;
  // 3. The attachments those routes forward to.
  const named = Object.values(behindTables).flatMap((t: TgwRouteTableState) =>
    t.routes.filter((r) => site.prefixes.includes(r.destination)).flatMap((r) => [...tgwRouteAttachments(r)]),
  );
  const unread = [...new Set(named)].filter((id) => first[id] === undefined);
  const second = unread.length === 0 ? {} : await ec2.tgwAttachments({ attachmentIds: unread });
  const tgwAttachments: Record<string, TgwAttachmentState> = { ...first, ...second };
  // 4. The VPNs behind them that the site's own paths did not already read.
  const vpnIds = [
    ...new Set(
      Object.values(tgwAttachments).flatMap((a) =>
        a.resourceType === 'vpn' && a.resourceId !== undefined ? [a.resourceId] : [],
      ),
    ),
  ].filter((id) => snapshot.vpnConnections[id] === undefined);
  const behindVpns = vpnIds.length === 0 ? {} : await ec2.vpnConnections(vpnIds);
  return {
    ...snapshot,
    vpnConnections: { ...snapshot.vpnConnections, ...behindVpns },
    tgwRouteTables: { ...snapshot.tgwRouteTables, ...behindTables },
    tgwAttachments,
  };
}
