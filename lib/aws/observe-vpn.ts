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
  UnreadableField,
  VpnConnectionLifecycle,
  VpnConnectionState,
} from '../domain/snapshot.js';
import { awsErrorCode } from './ec2-errors.js';
import { expectOneOf, ObserveError, sdkFailure } from './errors.js';

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
 * What is missing or not understood is listed in `unreadable`, never guessed: AWS answering without
 * `VgwTelemetry` says nothing about the tunnels, and reading that as "0 of 0 tunnels UP" moved traffic.
 */
function toVpnConnectionState(c: VpnConnection): VpnConnectionState {
  const vpnId = c.VpnConnectionId;
  if (vpnId === undefined) throw new ObserveError(`${API}: a connection without VpnConnectionId`);
  const where = `${API} ${vpnId}`;
  const unreadable: UnreadableField[] = [];
  const staticRoutesOnly = c.Options?.StaticRoutesOnly;
  if (staticRoutesOnly === undefined)
    unreadable.push({ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' });
  return {
    vpnId,
    state: expectOneOf(c.State, LIFECYCLES, `${where} State`),
    staticRoutesOnly: staticRoutesOnly ?? false,
    // exactOptionalPropertyTypes: an absent gateway is an absent key, never `undefined`.
    ...(c.VpnGatewayId === undefined ? {} : { vpnGatewayId: c.VpnGatewayId }),
    ...(c.TransitGatewayId === undefined ? {} : { transitGatewayId: c.TransitGatewayId }),
    tunnels: readTelemetry(c, unreadable),
    staticRoutes: (c.Routes ?? []).flatMap((r) =>
      r.DestinationCidrBlock === undefined
        ? []
        : [{ destination: r.DestinationCidrBlock, state: r.State ?? 'unknown' }],
    ),
    tags: tagsOf(c.Tags),
    unreadable,
  };
}

/**
 * The tunnels whose telemetry reads whole. A tunnel the connection's options name but the telemetry
 * omits is unreadable too: a VPN has its tunnels whether or not AWS reports on them.
 */
function readTelemetry(c: VpnConnection, unreadable: UnreadableField[]): TunnelState[] {
  const telemetry = c.VgwTelemetry ?? [];
  if (telemetry.length === 0) {
    unreadable.push({ field: 'VgwTelemetry', problem: 'missing', affects: 'health' });
    return [];
  }
  const tunnels = telemetry.flatMap((t, i) => {
    const read = toTunnelState(t, i);
    if ('field' in read) {
      unreadable.push(read);
      return [];
    }
    return [read];
  });
  const reported = new Set(telemetry.map((t) => t.OutsideIpAddress));
  for (const option of c.Options?.TunnelOptions ?? []) {
    const ip = option.OutsideIpAddress;
    if (ip !== undefined && !reported.has(ip))
      unreadable.push({ field: `VgwTelemetry[${ip}]`, problem: 'missing', affects: 'health' });
  }
  return tunnels;
}

/** The value AWS sent, short and quoted, for a finding: telemetry values are not secret, but may be long. */
function shown(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(String(value).slice(0, 40));
}

function toTunnelState(t: VgwTelemetry, index: number): TunnelState | UnreadableField {
  const outsideIp = t.OutsideIpAddress;
  if (outsideIp === undefined)
    return { field: `VgwTelemetry[${index}].OutsideIpAddress`, problem: 'missing', affects: 'health' };
  const status = TUNNEL_STATUSES.find((s) => s === t.Status);
  if (status === undefined)
    return { field: `VgwTelemetry[${outsideIp}].Status`, problem: shown(t.Status), affects: 'health' };
  const changed = t.LastStatusChange;
  // The hold-down timers count from this instant; inventing one could fail over or back too early.
  if (!(changed instanceof Date) || Number.isNaN(changed.getTime())) {
    return {
      field: `VgwTelemetry[${outsideIp}].LastStatusChange`,
      problem: changed === undefined ? 'missing' : 'not a date',
      affects: 'health',
    };
  }
  return {
    outsideIp,
    status,
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
