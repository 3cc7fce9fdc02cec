import { type SitePolicy, sitePolicy } from '../lib/config/load.js';
import { type Config, ConfigSchema } from '../lib/config/schema.js';
import type { Snapshot, TgwRouteTableState, VpnConnectionState } from '../lib/domain/snapshot.js';

const hex = (n: number) => n.toString(16).padStart(17, '0');

/** A fleet of `count` TGW sites, each a primary and a backup VPN; every `failEvery`-th primary is down. */
export function fleet(
  count: number,
  failEvery: number,
): { config: Config; policies: SitePolicy[]; snapshot: Snapshot; now: number } {
  const now = Date.parse('2026-03-02T10:00:00.000Z');
  const sites = Array.from({ length: count }, (_, i) => ({
    name: `site-${i}`,
    prefixes: [`10.${Math.floor(i / 256)}.${i % 256}.0/24`],
    routeTables: { transitGateway: [`tgw-rtb-${hex(i)}`] },
    paths: [
      { name: 'primary', vpn: `vpn-${hex(2 * i)}`, transitGatewayAttachment: `tgw-attach-${hex(2 * i)}` },
      {
        name: 'backup',
        vpn: `vpn-${hex(2 * i + 1)}`,
        transitGatewayAttachment: `tgw-attach-${hex(2 * i + 1)}`,
      },
    ],
  }));
  const config = ConfigSchema.parse({ version: 1, mode: 'enabled', sites });
  const since = new Date(now - 3_600_000).toISOString();
  const vpnConnections: Record<string, VpnConnectionState> = {};
  const tgwRouteTables: Record<string, TgwRouteTableState> = {};
  sites.forEach((site, i) => {
    site.paths.forEach((path, p) => {
      const status = p === 0 && i % failEvery === 0 ? 'DOWN' : 'UP';
      vpnConnections[path.vpn] = {
        vpnId: path.vpn,
        state: 'available',
        staticRoutesOnly: true,
        transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        unreadable: [],
        tunnels: [1, 2].map((t) => ({
          outsideIp: `198.${i % 250}.${p}.${t}`,
          status,
          lastStatusChange: since,
          statusMessage: '',
          acceptedRouteCount: 0,
        })),
        staticRoutes: [],
        tags: {},
      };
    });
    const table = site.routeTables.transitGateway[0] ?? '';
    tgwRouteTables[table] = {
      routeTableId: table,
      routes: [
        {
          destination: site.prefixes[0] ?? '',
          attachmentId: site.paths[0]?.transitGatewayAttachment ?? '',
          type: 'static',
          state: 'active',
        },
      ],
    };
  });
  return {
    config,
    policies: config.sites.map((s) => sitePolicy(config, s)),
    snapshot: { takenAt: new Date(now).toISOString(), vpnConnections, vpcRouteTables: {}, tgwRouteTables },
    now,
  };
}
