import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Ec2Port } from '../usecases/ports.js';
import { applyActions } from './apply.js';
import { observeTgwAttachments } from './observe-attachments.js';
import { observeRoutes } from './observe-routes.js';
import { observeVpnConnections } from './observe-vpn.js';

/** The EC2 seam bound to an SDK client: AWS in production, the twin locally (only the endpoint differs). */
export function sdkEc2Port(client: EC2Client): Ec2Port {
  return {
    vpnConnections: (vpnIds) => observeVpnConnections(client, vpnIds),
    routes: (scope) => observeRoutes(client, scope),
    tgwAttachments: (query) => observeTgwAttachments(client, query),
    apply: (actions, guard) => applyActions(client, actions, guard),
  };
}
