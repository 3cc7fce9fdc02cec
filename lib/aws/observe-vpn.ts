/** Reads VPN connections into VpnConnectionState, copying only what the snapshot declares. */
import {
  DescribeVpnConnectionsCommand,
  type EC2Client,
  type Tag,
  type VgwTelemetry,
  type VpnConnection,
} from '@aws-sdk/client-ec2';
import type {
  TunnelState,
  TunnelStatus,
  VpnConnectionLifecycle,
  VpnConnectionState,
} from '../domain/snapshot.js';
import { awsErrorCode, expectOneOf, ObserveError, sdkFailure } from './errors.js';

const API = 'DescribeVpnConnections';
const LIFECYCLES: readonly VpnConnectionLifecycle[] = ['pending', 'available', 'deleting', 'deleted'];
const TUNNEL_STATUSES: readonly TunnelStatus[] = ['UP', 'DOWN'];

/** One DescribeVpnConnections call for all ids (the API does not paginate); missing ids are simply absent from the result. */
export async function observeVpnConnections(
  ec2: EC2Client,
  vpnIds: readonly string[],
): Promise<Record<string, VpnConnectionState>> {
  const ids = [...new Set(vpnIds)];
  const result: Record<string, VpnConnectionState> = {};
  if (ids.length === 0) return result;
  for (const connection of await describeSkippingMissing(ec2, ids)) {
    // AWS keeps listing a deleted connection for a while; for the policy it no longer exists.
    if (connection.State === 'deleted') continue;
    const state = toVpnConnectionState(connection);
    result[state.vpnId] = state;
  }
  return result;
}

/**
 * Given explicit VpnConnectionIds, AWS rejects the whole batch with InvalidVpnConnectionID.NotFound when any
 * one id does not exist (e.g. a connection deleted long enough ago to have left the `deleted` state), naming
 * the culprits in the message: "The vpnConnection ID 'vpn-123' does not exist". One vanished VPN must not
 * blind the service to all the others, so retry once without the named ids; they are then absent from the
 * result and the policy reports them as missing. A message naming none of our ids, or a second failure, is fatal.
 */
async function describeSkippingMissing(ec2: EC2Client, ids: readonly string[]): Promise<VpnConnection[]> {
  try {
    return await describe(ec2, ids);
  } catch (err) {
    if (awsErrorCode(err) !== 'InvalidVpnConnectionID.NotFound') throw sdkFailure(API, ids, err);
    const named = new Set(err instanceof Error ? (err.message.match(/vpn-[0-9a-z]+/gi) ?? []) : []);
    const rest = ids.filter((id) => !named.has(id));
    if (rest.length === ids.length) throw sdkFailure(API, ids, err);
    if (rest.length === 0) return [];
    try {
      return await describe(ec2, rest);
    } catch (retryErr) {
      throw sdkFailure(API, rest, retryErr);
    }
  }
}

async function describe(ec2: EC2Client, ids: readonly string[]): Promise<VpnConnection[]> {
  const out = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [...ids] }));
  return out.VpnConnections ?? [];
}

/**
 * Field by field on purpose: `CustomerGatewayConfiguration` and `Options.TunnelOptions[].PreSharedKey` hold
 * pre-shared keys, and a spread or a generic copy would carry them into logs and incident records.
 */
function toVpnConnectionState(c: VpnConnection): VpnConnectionState {
  const vpnId = c.VpnConnectionId;
  if (vpnId === undefined) throw new ObserveError(`${API}: a connection without VpnConnectionId`);
  const where = `${API} ${vpnId}`;
  return {
    vpnId,
    state: expectOneOf(c.State, LIFECYCLES, `${where} State`),
    staticRoutesOnly: c.Options?.StaticRoutesOnly ?? false,
    // exactOptionalPropertyTypes: an absent gateway is an absent key, never `undefined`.
    ...(c.VpnGatewayId === undefined ? {} : { vpnGatewayId: c.VpnGatewayId }),
    ...(c.TransitGatewayId === undefined ? {} : { transitGatewayId: c.TransitGatewayId }),
    tunnels: (c.VgwTelemetry ?? []).map((t) => toTunnelState(t, where)),
    staticRoutes: (c.Routes ?? []).flatMap((r) =>
      r.DestinationCidrBlock === undefined
        ? []
        : [{ destination: r.DestinationCidrBlock, state: r.State ?? 'unknown' }],
    ),
    tags: tagsOf(c.Tags),
  };
}

function toTunnelState(t: VgwTelemetry, where: string): TunnelState {
  const outsideIp = t.OutsideIpAddress;
  if (outsideIp === undefined)
    throw new ObserveError(`${where}: a VgwTelemetry entry without OutsideIpAddress`);
  const at = `${where} tunnel ${outsideIp}`;
  const changed = t.LastStatusChange;
  // The hold-down timers count from this instant; inventing one could fail over or back too early.
  if (!(changed instanceof Date) || Number.isNaN(changed.getTime())) {
    throw new ObserveError(`${at}: LastStatusChange is missing or not a date`);
  }
  return {
    outsideIp,
    status: expectOneOf(t.Status, TUNNEL_STATUSES, `${at} Status`),
    lastStatusChange: changed.toISOString(),
    statusMessage: t.StatusMessage ?? '',
    acceptedRouteCount: t.AcceptedRouteCount ?? 0,
  };
}

/** Tags as a record. Object.fromEntries defines own properties, so a tag named `__proto__` stays a tag. */
export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ''] as const])),
  );
}
