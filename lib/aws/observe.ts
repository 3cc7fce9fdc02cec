/**
 * The observe adapter: reads the AWS state the policy decides on into a Snapshot. Read-only, and the only
 * place EC2 response shapes are known; everything past it sees snapshot types with no secrets in them.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { type RouteScope, type Snapshot, snapshotAt } from '../domain/snapshot.js';
import { observeRoutes } from './observe-routes.js';
import { observeVpnConnections } from './observe-vpn.js';

/** VPN connections and routes, read concurrently; `now` is when the caller considers the snapshot taken. */
export async function observe(
  ec2: EC2Client,
  vpnIds: readonly string[],
  scope: RouteScope,
  now: Date,
): Promise<Snapshot> {
  const [vpnConnections, routes] = await Promise.all([
    observeVpnConnections(ec2, vpnIds),
    observeRoutes(ec2, scope),
  ]);
  return snapshotAt(now, vpnConnections, routes);
}
