/**
 * AWS Network Manager events (`aws.networkmanager`) about the VPN connections of a transit gateway
 * registered in a global network: IPsec and BGP status of one tunnel ("Network Manager Status Update")
 * and VPN connections created, deleted or re-pointed ("Network Manager Topology Change"). Network
 * Manager publishes them in the global network's home Region (us-west-2), best effort.
 *
 * Two shapes are in AWS's documentation: the current one (`changeType`, `vpnConnectionArn`,
 * `outsideIpAddress`) and an older one with kebab-case keys (`status-change`, `vpn-connection-arn`,
 * `outside-ip-address`); both are read, the older one renamed first.
 */
import { z } from 'zod';
import { envelopeWith, IpAddressSchema } from './common.js';

export const NETWORK_MANAGER_SOURCE = 'aws.networkmanager';

/** `transit-gateway-arn` → `transitGatewayArn`; the older shape's `status-change` is its change type. */
function camelKeys(detail: unknown): unknown {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return detail;
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail)) {
    renamed[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  if (renamed.changeType === undefined && renamed.statusChange !== undefined) {
    renamed.changeType = renamed.statusChange;
  }
  return renamed;
}

/** `arn:aws:ec2:us-east-1:111122223333:vpn-connection/vpn-0123…` → its parts. */
export const VPN_ARN = /^arn:aws[\w-]*:ec2:([a-z0-9-]+):(\d{12}):vpn-connection\/(vpn-[0-9a-f]{8,17})$/;
const TGW_ARN = /^arn:aws[\w-]*:ec2:[a-z0-9-]+:\d{12}:transit-gateway\/(tgw-[0-9a-f]{8,17})$/;
export const GLOBAL_NETWORK_ARN =
  /^arn:aws[\w-]*:networkmanager::\d{12}:global-network\/(global-network-[0-9a-f]{8,17})$/;

export const transitGatewayIdOf = (arn: string | undefined) =>
  arn === undefined ? undefined : TGW_ARN.exec(arn)?.[1];

export const NetworkDetailSchema = z.preprocess(
  camelKeys,
  z.looseObject({
    changeType: z.string().min(1),
    changeDescription: z.string().optional(),
    region: z.string().optional(),
    transitGatewayArn: z.string().optional(),
    vpnConnectionArn: z.string().optional(),
    outsideIpAddress: IpAddressSchema.optional(),
    // AWS writes the peer ASN as a string ("65001").
    peerAsn: z.union([z.string(), z.number()]).transform(String).optional(),
  }),
);

export const NetworkEventSchema = envelopeWith(NetworkDetailSchema);
export type NetworkEvent = z.infer<typeof NetworkEventSchema>;

/** The VPN change types that are signals; other Network Manager changes are not about our tunnels. */
export const NETWORK_CHANGES: Readonly<Record<string, 'tunnel-down' | 'tunnel-up' | 'topology-changed'>> = {
  'VPN-CONNECTION-IPSEC-DOWN': 'tunnel-down',
  'VPN-CONNECTION-IPSEC-UP': 'tunnel-up',
  // A tunnel whose BGP session is down carries no routes: for a dynamic VPN it is down.
  'VPN-CONNECTION-BGP-DOWN': 'tunnel-down',
  'VPN-CONNECTION-BGP-ESTABLISH': 'tunnel-up',
  'VPN-CONNECTION-CREATED': 'topology-changed',
  'VPN-CONNECTION-DELETED': 'topology-changed',
  'VPN-CONNECTION-CUSTOMER-GATEWAY-MODIFIED': 'topology-changed',
  'VPN-CONNECTION-TARGET-GATEWAY-MODIFIED': 'topology-changed',
};
