/** VPN connection mutations: static routes on a VGW VPN, tunnel endpoint replacement, tunnel options. */
import { Ec2ApiError } from './errors.js';
import {
  DEFAULT_CGW_INITIATES_AFTER_MS,
  findVpn,
  type TunnelReplacement,
  type TwinTunnel,
  type TwinTunnelOptions,
  type TwinVpnConnection,
  type TwinWorld,
} from './state.js';
import { refreshTelemetry, setTunnelStatus } from './tunnels.js';

export function vpnOrThrow(world: TwinWorld, id: string): TwinVpnConnection {
  const vpn = findVpn(world, id);
  if (vpn === undefined) {
    throw new Ec2ApiError('InvalidVpnConnectionID.NotFound', `The vpnConnection ID '${id}' does not exist`);
  }
  return vpn;
}

export function tunnelOrThrow(vpn: TwinVpnConnection, outsideIp: string): TwinTunnel {
  const tunnel = vpn.tunnels.find((t) => t.outsideIp === outsideIp);
  if (tunnel === undefined) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The VPN tunnel outside IP address ${outsideIp} does not belong to VPN connection ${vpn.id}`,
    );
  }
  return tunnel;
}

/** Static routes exist only on static VPNs terminating on a VGW; a TGW VPN's routes live in the TGW table. */
function staticVgwVpn(world: TwinWorld, vpnId: string): TwinVpnConnection {
  const vpn = vpnOrThrow(world, vpnId);
  if (!vpn.staticRoutesOnly || vpn.vpnGatewayId === undefined) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `VPN connection ${vpnId} does not use static routes on a virtual private gateway`,
    );
  }
  return vpn;
}

export function createVpnConnectionRoute(world: TwinWorld, vpnId: string, destination: string): void {
  const vpn = staticVgwVpn(world, vpnId);
  if (vpn.staticRoutes.includes(destination)) {
    throw new Ec2ApiError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
  vpn.staticRoutes.push(destination);
  refreshTelemetry(vpn);
}

export function deleteVpnConnectionRoute(world: TwinWorld, vpnId: string, destination: string): void {
  const vpn = staticVgwVpn(world, vpnId);
  if (!vpn.staticRoutes.includes(destination)) {
    throw new Ec2ApiError('InvalidRoute.NotFound', `The route identified by ${destination} does not exist.`);
  }
  vpn.staticRoutes = vpn.staticRoutes.filter((r) => r !== destination);
  refreshTelemetry(vpn);
}

/**
 * Who starts IKE on a replaced tunnel, and when: AWS initiates only for IKEv2 with StartupAction=start;
 * otherwise the tunnel waits for the customer gateway (fact sheet §3 "After any replacement", §8
 * "Endpoint replacement and IKE"; KC vpn-tunnel-endpoint-replacement).
 */
function initiation(
  world: TwinWorld,
  vpn: TwinVpnConnection,
  tunnel: TwinTunnel,
): { readonly initiatedBy: TunnelReplacement['initiatedBy']; readonly afterMs: number } {
  const awsStarts = tunnel.options.startupAction === 'start' && tunnel.options.ikeVersions.includes('ikev2');
  if (awsStarts) return { initiatedBy: 'aws', afterMs: world.replacementDelayMs };
  const cgw = vpn.customerGatewayInitiates ?? DEFAULT_CGW_INITIATES_AFTER_MS;
  if (cgw === 'never') return { initiatedBy: 'nobody', afterMs: world.replacementDelayMs };
  return { initiatedBy: 'customer-gateway', afterMs: world.replacementDelayMs + cgw };
}

/**
 * Starts an endpoint replacement: the tunnel goes DOWN at `now`; `settle` completes it when the endpoint
 * is ready and IKE has been started (see `initiation`) — or leaves it DOWN when nobody starts IKE. A
 * second request for a tunnel being replaced restarts the wait.
 */
export function replaceVpnTunnel(
  world: TwinWorld,
  vpnId: string,
  outsideIp: string,
  now: Date,
  options: { readonly applyPendingMaintenance?: boolean; readonly cause?: TunnelReplacement['cause'] } = {},
): TunnelReplacement {
  const vpn = vpnOrThrow(world, vpnId);
  const tunnel = tunnelOrThrow(vpn, outsideIp);
  const { initiatedBy, afterMs } = initiation(world, vpn, tunnel);
  world.replacements = world.replacements.filter(
    (r) => r.completedAt !== undefined || r.outsideIp !== outsideIp,
  );
  setTunnelStatus(world, outsideIp, 'DOWN', now);
  const replacement: TunnelReplacement = {
    vpnId,
    outsideIp,
    cause: options.cause ?? 'ReplaceVpnTunnel',
    requestedAt: now.toISOString(),
    completesAt: new Date(now.getTime() + afterMs).toISOString(),
    applyPendingMaintenance: options.applyPendingMaintenance ?? false,
    initiatedBy,
  };
  world.replacements.push(replacement);
  return replacement;
}

/** The options ModifyVpnTunnelOptions can change in the twin, as requested (strings not yet checked). */
export interface TunnelOptionsChange {
  readonly dpdTimeoutSeconds?: number;
  readonly dpdTimeoutAction?: string;
  readonly startupAction?: string;
  readonly ikeVersions?: readonly string[];
  readonly enableTunnelLifecycleControl?: boolean;
}

const DPD_ACTIONS = ['clear', 'none', 'restart'] as const;
const STARTUP_ACTIONS = ['add', 'start'] as const;
const IKE_VERSIONS: readonly string[] = ['ikev1', 'ikev2'];

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The ${what} '${value}' is invalid: expected ${allowed.join(', ')}`,
    );
  }
  return found;
}

/** The change as typed options, or InvalidParameterValue for a value outside the API's constraints. */
function validated(change: TunnelOptionsChange): Partial<TwinTunnelOptions> {
  const {
    dpdTimeoutSeconds: dpd,
    dpdTimeoutAction,
    startupAction,
    ikeVersions,
    enableTunnelLifecycleControl,
  } = change;
  if (dpd !== undefined && (!Number.isInteger(dpd) || dpd < 30)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The DPD timeout ${dpd} is invalid: it must be at least 30 seconds`,
    );
  }
  if (
    ikeVersions !== undefined &&
    (ikeVersions.length === 0 || ikeVersions.some((v) => !IKE_VERSIONS.includes(v)))
  ) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The IKE versions '${ikeVersions.join(',')}' are invalid: expected ikev1 and/or ikev2`,
    );
  }
  return {
    ...(dpd === undefined ? {} : { dpdTimeoutSeconds: dpd }),
    ...(dpdTimeoutAction === undefined
      ? {}
      : { dpdTimeoutAction: oneOf(dpdTimeoutAction, DPD_ACTIONS, 'DPD timeout action') }),
    ...(startupAction === undefined
      ? {}
      : { startupAction: oneOf(startupAction, STARTUP_ACTIONS, 'startup action') }),
    ...(ikeVersions === undefined ? {} : { ikeVersions: [...ikeVersions] }),
    ...(enableTunnelLifecycleControl === undefined ? {} : { enableTunnelLifecycleControl }),
  };
}

/**
 * Changes one tunnel's options, which replaces its endpoint (DOWN now, UP after the delay). Only a change
 * of lifecycle control alone may skip the replacement (`SkipTunnelReplacement`), as in AWS.
 */
export function modifyVpnTunnelOptions(
  world: TwinWorld,
  vpnId: string,
  outsideIp: string,
  change: TunnelOptionsChange,
  now: Date,
  skipTunnelReplacement = false,
): TwinVpnConnection {
  const vpn = vpnOrThrow(world, vpnId);
  const tunnel = tunnelOrThrow(vpn, outsideIp);
  const options = validated(change);
  const onlyLifecycle = Object.keys(options).every((k) => k === 'enableTunnelLifecycleControl');
  tunnel.options = { ...tunnel.options, ...options };
  if (!(skipTunnelReplacement && onlyLifecycle)) {
    replaceVpnTunnel(world, vpnId, outsideIp, now, { cause: 'ModifyVpnTunnelOptions' });
  }
  return vpn;
}
