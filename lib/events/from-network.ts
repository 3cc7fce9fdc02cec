import type { NetworkEvidence, NetworkKind, NetworkSignal } from '../domain/signal.js';
import { originOf } from './common.js';
import { EventParseError } from './errors.js';
import {
  GLOBAL_NETWORK_ARN,
  NETWORK_CHANGES,
  type NetworkEvent,
  transitGatewayIdOf,
  VPN_ARN,
} from './network-manager.js';

/** What the configuration registers (`networkManager:`, lib/config/network-manager.ts). */
export interface RegisteredNetwork {
  readonly globalNetwork: string;
  readonly transitGateways: readonly string[];
}

export type NetworkOutcome =
  | { readonly type: 'signal'; readonly signal: NetworkSignal<NetworkKind> }
  | { readonly type: 'ignored'; readonly reason: string };

/**
 * A Network Manager event becomes a signal only when the configuration registers its global network
 * and transit gateway, it is about a VPN connection, and that VPN is in this stack's Region (the one
 * place it can be observed). The VPN's account comes from its ARN: another account's VPN is recorded,
 * never acted on (scope.ts).
 */
export function signalFromNetwork(
  event: NetworkEvent,
  registered: RegisteredNetwork | undefined,
  stackRegion: string,
): NetworkOutcome {
  const { detail } = event;
  const what = `Network Manager event ${event.id} (${detail.changeType})`;
  const kind = NETWORK_CHANGES[detail.changeType];
  if (kind === undefined) return { type: 'ignored', reason: `${what} is not about a VPN connection's state` };
  if (registered === undefined)
    return { type: 'ignored', reason: `${what}: no networkManager in the configuration, so not a signal` };
  const globalNetworkId = event.resources
    .map((arn) => GLOBAL_NETWORK_ARN.exec(arn)?.[1])
    .find((id) => id !== undefined);
  if (globalNetworkId !== registered.globalNetwork)
    return {
      type: 'ignored',
      reason: `${what} is for global network ${globalNetworkId ?? '(none named)'}, not ${registered.globalNetwork}`,
    };
  const transitGatewayId = transitGatewayIdOf(detail.transitGatewayArn);
  if (transitGatewayId === undefined || !registered.transitGateways.includes(transitGatewayId))
    return {
      type: 'ignored',
      reason: `${what} is for transit gateway ${transitGatewayId ?? '(none named)'}, not one of ${registered.transitGateways.join(', ')}`,
    };
  const vpnArn = detail.vpnConnectionArn ?? '';
  const parts = VPN_ARN.exec(vpnArn);
  if (parts === null)
    throw new EventParseError({
      eventId: event.id,
      source: event.source,
      fieldPath: 'detail.vpnConnectionArn',
      problem: `${detail.changeType} needs a VPN connection ARN like arn:aws:ec2:us-east-1:111122223333:vpn-connection/vpn-0123456789abcdef0, got "${vpnArn.slice(0, 128)}"`,
    });
  const [, vpnRegion = '', vpnAccount = '', vpnId = ''] = parts;
  if (vpnRegion !== stackRegion)
    return {
      type: 'ignored',
      reason: `${what} is about ${vpnId} in ${vpnRegion}; this stack observes ${stackRegion} (its stack there takes it)`,
    };
  const network: NetworkEvidence = {
    detailType: event['detail-type'],
    changeType: detail.changeType,
    globalNetworkId,
    transitGatewayId,
    vpnConnectionArn: vpnArn,
    vpnRegion,
    ...(detail.changeDescription === undefined ? {} : { changeDescription: detail.changeDescription }),
    ...(detail.outsideIpAddress === undefined ? {} : { outsideIpAddress: detail.outsideIpAddress }),
    ...(detail.peerAsn === undefined ? {} : { peerAsn: detail.peerAsn }),
  };
  return {
    type: 'signal',
    signal: {
      kind,
      origin: originOf(event, new Date(event.time).toISOString()),
      targets: [
        {
          vpnId,
          tunnelIps: detail.outsideIpAddress === undefined ? [] : [detail.outsideIpAddress],
          ...(vpnAccount === event.account ? {} : { account: vpnAccount }),
        },
      ],
      network,
    },
  };
}
