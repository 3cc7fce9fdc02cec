/**
 * The twin's AWS Network Manager: for a VPN attached to a transit gateway registered in a global network,
 * each change of a tunnel's IPsec state (and, for a BGP VPN, of its BGP session) becomes a
 * `Network Manager Status Update` event of the documented shape (test/events/aws.networkmanager/).
 *
 * - Registration: the twin has no Network Manager API (RegisterTransitGateway), so it takes the global
 *   network and transit gateways from the configuration the functions run with (`networkManager:`);
 *   without it, nothing is published, as AWS publishes nothing for an unregistered gateway.
 * - Region: Network Manager publishes in its home Region, us-west-2, so the event's `region` is
 *   us-west-2 and `detail.region` the VPN's. The twin has one bus: it delivers the event there as the
 *   forwarding rule the README asks for (us-west-2 → the stack's Region) would, unchanged.
 * - Delay: AWS documents none (the events are best effort). The twin publishes the world's
 *   `networkEventDelayMs` after the change (default DEFAULT_NETWORK_EVENT_DELAY_MS, an assumption; a
 *   drill's `undocumented: {networkEventDelay}` sets it), never at once.
 * - BGP: the twin models no BGP session apart from the routes it carries: a BGP VPN's session is
 *   established while its tunnel is UP with at least one accepted route (the "IPsec up, BGP down"
 *   topologies advertise nothing).
 * Changes are found by comparing each tunnel with what was last seen, once per twin minute; a change and
 * its reversal within one minute are not seen, as a flap between two CloudWatch samples is not.
 */
import { createHash } from 'node:crypto';
import type { NetworkManagerConfig } from '../config/network-manager.js';
import type { TwinTunnel, TwinVpnConnection, TwinWorld } from './state.js';

/** Network Manager's home Region, where it publishes every event. */
export const NETWORK_MANAGER_REGION = 'us-west-2';
export const DEFAULT_NETWORK_EVENT_DELAY_MS = 60_000;

interface Seen {
  readonly ipsecUp: boolean;
  /** Undefined for a static VPN: it has no BGP session. */
  readonly bgpUp: boolean | undefined;
}

interface Watched {
  readonly vpn: TwinVpnConnection;
  readonly tunnel: TwinTunnel;
  readonly tgwId: string;
}

interface Due {
  readonly at: number;
  readonly event: Record<string, unknown>;
}

const CHANGES = {
  ipsec: {
    up: ['VPN-CONNECTION-IPSEC-UP', 'IPsec for a VPN connection has come up.'],
    down: ['VPN-CONNECTION-IPSEC-DOWN', 'IPsec for a VPN connection has gone down.'],
  },
  bgp: {
    up: ['VPN-CONNECTION-BGP-ESTABLISH', 'BGP for a VPN connection has been established.'],
    down: ['VPN-CONNECTION-BGP-DOWN', 'BGP for a VPN connection has gone down.'],
  },
} as const;

function seenOf(vpn: TwinVpnConnection, tunnel: TwinTunnel): Seen {
  const ipsecUp = tunnel.status === 'UP';
  return { ipsecUp, bgpUp: vpn.staticRoutesOnly ? undefined : ipsecUp && tunnel.acceptedRouteCount > 0 };
}

export class TwinNetworkManager {
  readonly #seen = new Map<string, Seen>();
  readonly #due: Due[] = [];

  public constructor(
    private readonly world: TwinWorld,
    private readonly registered: NetworkManagerConfig | undefined,
  ) {
    for (const { vpn, tunnel } of this.#watched()) this.#seen.set(tunnel.outsideIp, seenOf(vpn, tunnel));
  }

  /** The events due by `now`: changes seen since the last tick are queued the delay after they happened. */
  public tick(now: Date): Record<string, unknown>[] {
    for (const watched of this.#watched()) this.#compare(watched, now.getTime());
    const ready = this.#due.filter((d) => d.at <= now.getTime()).sort((a, b) => a.at - b.at);
    for (const d of ready) this.#due.splice(this.#due.indexOf(d), 1);
    return ready.map((d) => d.event);
  }

  /** Queues the events for what changed on this tunnel since it was last seen. */
  #compare(watched: Watched, now: number): void {
    const { vpn, tunnel } = watched;
    const before = this.#seen.get(tunnel.outsideIp);
    const after = seenOf(vpn, tunnel);
    this.#seen.set(tunnel.outsideIp, after);
    if (before === undefined) return;
    // An IPsec change happened at the tunnel's last transition; a BGP change alone is dated now.
    const transition = Date.parse(tunnel.lastStatusChange);
    const ipsecChanged = before.ipsecUp !== after.ipsecUp;
    const changedAt = ipsecChanged && transition <= now ? transition : now;
    if (ipsecChanged) this.#queue(watched, CHANGES.ipsec[after.ipsecUp ? 'up' : 'down'], changedAt);
    if (before.bgpUp !== undefined && after.bgpUp !== undefined && before.bgpUp !== after.bgpUp)
      this.#queue(watched, CHANGES.bgp[after.bgpUp ? 'up' : 'down'], changedAt);
  }

  /** The tunnels of VPNs attached to a registered transit gateway, with that gateway. */
  *#watched(): Generator<Watched> {
    const registered = this.registered?.transitGateways ?? [];
    for (const vpn of this.world.vpnConnections) {
      const tgwId = vpn.transitGatewayId;
      if (tgwId === undefined || !registered.includes(tgwId)) continue;
      for (const tunnel of vpn.tunnels) yield { vpn, tunnel, tgwId };
    }
  }

  #queue(
    { vpn, tunnel, tgwId }: Watched,
    [changeType, changeDescription]: readonly [string, string],
    changedAt: number,
  ): void {
    const { accountId: account, region } = this.world;
    const at = changedAt + (this.world.networkEventDelayMs ?? DEFAULT_NETWORK_EVENT_DELAY_MS);
    const vpnArn = `arn:aws:ec2:${region}:${account}:vpn-connection/${vpn.id}`;
    const attachment = this.world.tgwAttachments.find(
      (a) => a.resourceType === 'vpn' && a.resourceId === vpn.id && a.tgwId === tgwId,
    );
    const id = createHash('sha256').update(`${changeType} ${tunnel.outsideIp} ${at}`).digest('hex');
    this.#due.push({
      at,
      event: {
        version: '0',
        id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        'detail-type': 'Network Manager Status Update',
        source: 'aws.networkmanager',
        account,
        time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: NETWORK_MANAGER_REGION,
        resources: [
          `arn:aws:networkmanager::${account}:global-network/${this.registered?.globalNetwork ?? ''}`,
          vpnArn,
        ],
        detail: {
          changeType,
          changeDescription,
          region,
          ...(attachment === undefined
            ? {}
            : {
                transitGatewayAttachmentArn: `arn:aws:ec2:${region}:${account}:transit-gateway-attachment/${attachment.id}`,
              }),
          vpnConnectionArn: vpnArn,
          outsideIpAddress: tunnel.outsideIp,
          transitGatewayArn: `arn:aws:ec2:${region}:${account}:transit-gateway/${tgwId}`,
        },
      },
    });
  }
}
