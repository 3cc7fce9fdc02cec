import type { RouteTarget } from './snapshot.js';

/**
 * A route action states a desired end state, not a call to make: apply checks the current state,
 * changes only what differs, and treats "already so" as success.
 */
export type RouteAction =
  /** A TGW route table's static route for `destination` points at `attachmentId` (Replace, or Create when missing). */
  | {
      readonly type: 'tgw-route';
      readonly routeTableId: string;
      readonly destination: string;
      readonly attachmentId: string;
      /** What the snapshot showed, for the record: an attachment id, or undefined when missing. */
      readonly previousAttachmentId?: string;
    }
  /**
   * A TGW route table has no static route for `destination`, so the route BGP propagates carries it:
   * how an override is removed once a BGP path can carry the prefix again (never a Replace to it, which
   * would pin BGP: fact sheet §8).
   */
  | {
      readonly type: 'tgw-route-absent';
      readonly routeTableId: string;
      readonly destination: string;
      readonly previousAttachmentId?: string;
    }
  /** A VPC route table has a static route for `destination` to `target` (Create, or Replace when it points elsewhere). */
  | {
      readonly type: 'vpc-static-route';
      readonly routeTableId: string;
      readonly destination: string;
      readonly target: RouteTarget;
      readonly previousTarget?: RouteTarget;
    }
  /** A VPC route table has no static route for `destination`, so the VGW's propagated route carries it. */
  | {
      readonly type: 'vpc-static-route-absent';
      readonly routeTableId: string;
      readonly destination: string;
      readonly previousTarget: RouteTarget;
    }
  /** A VPC route table learns routes from `gatewayId` by propagation. */
  | { readonly type: 'vgw-propagation'; readonly routeTableId: string; readonly gatewayId: string }
  /** A static VPN on a VGW has a static route for `destination`. */
  | { readonly type: 'vpn-static-route'; readonly vpnId: string; readonly destination: string }
  /**
   * A tunnel endpoint replacement has been requested (ReplaceVpnTunnel). Only drills ask for it, and
   * only while another tunnel of the connection is UP: the replaced tunnel is down for minutes.
   */
  | {
      readonly type: 'tunnel-replacement';
      readonly vpnId: string;
      readonly outsideIp: string;
      /** Apply the tunnel's pending maintenance with the replacement (`ApplyPendingMaintenance`). */
      readonly applyPendingMaintenance?: boolean;
    };

export type RouteActionType = RouteAction['type'];

/** A stable key per desired state, for de-duplication, locks and the record. */
export function actionKey(action: RouteAction): string {
  switch (action.type) {
    case 'tgw-route':
    case 'tgw-route-absent':
    case 'vpc-static-route':
    case 'vpc-static-route-absent':
      return `${action.routeTableId}|${action.destination}`;
    case 'vgw-propagation':
      return `${action.routeTableId}|propagation|${action.gatewayId}`;
    case 'vpn-static-route':
      return `${action.vpnId}|${action.destination}`;
    case 'tunnel-replacement':
      return `${action.vpnId}|replace|${action.outsideIp}`;
  }
}
