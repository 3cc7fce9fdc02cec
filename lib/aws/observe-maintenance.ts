/**
 * Reads pending tunnel endpoint maintenance with GetVpnTunnelReplacementStatus: the API, not an AWS
 * Health event code, says whether maintenance is pending and when AWS applies it by itself.
 */
import { type EC2Client, GetVpnTunnelReplacementStatusCommand } from '@aws-sdk/client-ec2';
import type { TunnelMaintenance } from '../domain/snapshot.js';
import { sdkFailure } from './errors.js';

const API = 'GetVpnTunnelReplacementStatus';

/** An absent or `None` PendingMaintenance is nothing pending; anything else is reported as pending. */
export function isPending(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '' && value.trim().toLowerCase() !== 'none';
}

const iso = (value: Date | undefined) =>
  value === undefined || Number.isNaN(value.getTime()) ? undefined : value.toISOString();

export async function observeTunnelMaintenance(
  ec2: EC2Client,
  vpnId: string,
  tunnelIp: string,
): Promise<TunnelMaintenance> {
  try {
    const out = await ec2.send(
      new GetVpnTunnelReplacementStatusCommand({
        VpnConnectionId: vpnId,
        VpnTunnelOutsideIpAddress: tunnelIp,
      }),
    );
    const details = out.MaintenanceDetails;
    const pendingMaintenance = details?.PendingMaintenance;
    const autoAppliedAfter = iso(details?.MaintenanceAutoAppliedAfter);
    const lastApplied = iso(details?.LastMaintenanceApplied);
    return {
      vpnId,
      tunnelIp,
      pending: isPending(pendingMaintenance),
      ...(pendingMaintenance === undefined ? {} : { pendingMaintenance }),
      ...(autoAppliedAfter === undefined ? {} : { autoAppliedAfter }),
      ...(lastApplied === undefined ? {} : { lastApplied }),
    };
  } catch (error) {
    throw sdkFailure(API, [vpnId, tunnelIp], error);
  }
}
