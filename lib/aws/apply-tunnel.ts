import { type EC2Client, ReplaceVpnTunnelCommand } from '@aws-sdk/client-ec2';
import type { RouteAction } from '../domain/actions.js';
import type { CallLog, Settled } from './apply-result.js';

type ReplacementAction = Extract<RouteAction, { type: 'tunnel-replacement' }>;

/**
 * Requests a tunnel endpoint replacement. It is not "already so"-able: every call replaces the
 * endpoint again, so the policy asks for it once, and only with another tunnel UP.
 */
export async function applyTunnelReplacement(
  ec2: EC2Client,
  log: CallLog,
  action: ReplacementAction,
): Promise<Settled> {
  await log.run('ReplaceVpnTunnel', () =>
    ec2.send(
      new ReplaceVpnTunnelCommand({
        VpnConnectionId: action.vpnId,
        VpnTunnelOutsideIpAddress: action.outsideIp,
        ...(action.applyPendingMaintenance === true ? { ApplyPendingMaintenance: true } : {}),
      }),
    ),
  );
  return {
    outcome: 'changed',
    detail: `Requested a replacement of tunnel ${action.outsideIp} of ${action.vpnId}${action.applyPendingMaintenance === true ? ', applying its pending maintenance' : ''}.`,
  };
}
