import type { RouteAction } from '../domain/actions.js';
import type { Snapshot } from '../domain/snapshot.js';

export type EffectState = 'in-effect' | 'not-in-effect' | 'unknown';

/**
 * Whether the end state an action stands for holds in a snapshot: how a run tells what an earlier run
 * that died after applying really changed. Unknown when the snapshot does not show the resource.
 */
export function actionInEffect(action: RouteAction, snapshot: Snapshot): EffectState {
  const holds = (yes: boolean): EffectState => (yes ? 'in-effect' : 'not-in-effect');
  switch (action.type) {
    case 'tgw-route': {
      const table = snapshot.tgwRouteTables[action.routeTableId];
      if (table === undefined) return 'unknown';
      return holds(
        table.routes.some(
          (r) =>
            r.destination === action.destination &&
            r.type === 'static' &&
            r.attachmentId === action.attachmentId &&
            r.state === 'active',
        ),
      );
    }
    case 'tgw-route-absent': {
      const table = snapshot.tgwRouteTables[action.routeTableId];
      if (table === undefined) return 'unknown';
      return holds(!table.routes.some((r) => r.destination === action.destination && r.type === 'static'));
    }
    case 'vpc-static-route':
    case 'vpc-static-route-absent': {
      const table = snapshot.vpcRouteTables[action.routeTableId];
      if (table === undefined) return 'unknown';
      const route = table.routes.find(
        (r) => r.destination === action.destination && r.origin === 'CreateRoute',
      );
      return action.type === 'vpc-static-route'
        ? holds(route?.target.id === action.target.id)
        : holds(route === undefined);
    }
    case 'vgw-propagation': {
      const table = snapshot.vpcRouteTables[action.routeTableId];
      return table === undefined ? 'unknown' : holds(table.propagatingGateways.includes(action.gatewayId));
    }
    case 'vpn-static-route': {
      const vpn = snapshot.vpnConnections[action.vpnId];
      if (vpn === undefined) return 'unknown';
      return holds(
        vpn.staticRoutes.some((r) => r.destination === action.destination && r.state !== 'deleted'),
      );
    }
    case 'tunnel-replacement':
      // A replacement leaves no state to compare: the tunnel is UP before and after.
      return 'unknown';
  }
}
