/** Builders for twin topologies: healthy defaults, so a topology states only what makes it itself. */
import { MANAGED_TAG_KEY } from '../ec2-actions.js';
import type { Tags, TwinTunnel, TwinTunnelOptions, TwinVpnConnection } from '../state.js';

export const MANAGED: Tags = { [MANAGED_TAG_KEY]: 'true' };

export interface VpnSpec {
  readonly id: string;
  readonly name: string;
  readonly customerGatewayId: string;
  readonly vpnGatewayId?: string;
  readonly transitGatewayId?: string;
  /** BGP when `advertisedPrefixes` is given, static otherwise. */
  readonly advertisedPrefixes?: readonly string[];
  readonly staticRoutes?: readonly string[];
  readonly tunnelIps: readonly [string, string];
  /** The first /30 inside 169.254.0.0/16 of the pair, e.g. 100 for 169.254.100.0/30 and 169.254.100.4/30. */
  readonly insideOctet: number;
  /** When both tunnels last changed status. */
  readonly since: Date;
  readonly tags?: Tags;
}

/** The options AWS recommends for an always-on tunnel: IKEv2 started by AWS, DPD restart, lifecycle control. */
function tunnelOptions(insideCidr: string, preSharedKey: string): TwinTunnelOptions {
  return {
    tunnelInsideCidr: insideCidr,
    preSharedKey,
    dpdTimeoutSeconds: 30,
    dpdTimeoutAction: 'restart',
    startupAction: 'start',
    ikeVersions: ['ikev2'],
    enableTunnelLifecycleControl: true,
  };
}

/** A fake pre-shared key, valid by AWS's rules ([A-Za-z0-9._], 8–64 characters, not starting with 0). */
export function fakePreSharedKey(vpnId: string, tunnel: number): string {
  return `twinPsk.${vpnId.replace('vpn-', '')}.t${tunnel}.DoNotLogMe`;
}

/** A VPN connection with both tunnels UP and passing traffic since `since`. */
export function vpn(spec: VpnSpec): TwinVpnConnection {
  const bgp = spec.advertisedPrefixes !== undefined;
  const staticRoutes = [...(spec.staticRoutes ?? [])];
  const advertised = [...(spec.advertisedPrefixes ?? [])];
  const tunnels = spec.tunnelIps.map((outsideIp, i): TwinTunnel => {
    const routes = bgp ? advertised.length : staticRoutes.length;
    return {
      outsideIp,
      status: 'UP',
      lastStatusChange: spec.since.toISOString(),
      statusMessage: bgp ? `${routes} BGP ROUTES` : '',
      acceptedRouteCount: routes,
      trafficPassing: true,
      options: tunnelOptions(`169.254.${spec.insideOctet}.${i * 4}/30`, fakePreSharedKey(spec.id, i + 1)),
      maintenance: { pending: false },
    };
  });
  return {
    id: spec.id,
    state: 'available',
    customerGatewayId: spec.customerGatewayId,
    ...(spec.vpnGatewayId === undefined ? {} : { vpnGatewayId: spec.vpnGatewayId }),
    ...(spec.transitGatewayId === undefined ? {} : { transitGatewayId: spec.transitGatewayId }),
    staticRoutesOnly: !bgp,
    tunnels,
    staticRoutes,
    advertisedPrefixes: advertised,
    tags: { Name: spec.name, ...MANAGED, ...spec.tags },
    customerGatewayConfiguration: customerGatewayConfiguration(spec.id, spec.customerGatewayId, tunnels),
  };
}

/** The shape of AWS's generic configuration document, reduced to what proves the key never leaks. */
function customerGatewayConfiguration(vpnId: string, cgwId: string, tunnels: readonly TwinTunnel[]): string {
  const ipsec = tunnels
    .map(
      (t) =>
        `<ipsec_tunnel><customer_gateway><tunnel_outside_address><ip_address>203.0.113.1</ip_address></tunnel_outside_address></customer_gateway>` +
        `<vpn_gateway><tunnel_outside_address><ip_address>${t.outsideIp}</ip_address></tunnel_outside_address></vpn_gateway>` +
        `<ike><authentication_protocol>sha1</authentication_protocol><pre_shared_key>${t.options.preSharedKey}</pre_shared_key></ike></ipsec_tunnel>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<vpn_connection id="${vpnId}"><customer_gateway_id>${cgwId}</customer_gateway_id><vpn_connection_type>ipsec.1</vpn_connection_type>${ipsec}</vpn_connection>`;
}
