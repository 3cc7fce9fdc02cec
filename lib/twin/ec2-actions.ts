/**
 * What an EC2 action of the twin is: a handler, and — for a write — the guard that authorises it. A write
 * is built with `write(guard, handler)` and has no other constructor, so the compiler refuses a write
 * action registered without the resource whose managed tag the IAM policy scopes it by.
 */
import type { Params } from './query.js';
import { findRouteTable, findTgwRouteTable, findVpn, type Tags, type TwinWorld } from './state.js';

// The tag tunnel-warden's IAM policy conditions every EC2 write on: the twin checks the same key.
export { MANAGED_TAG_KEY } from '../domain/tags.js';

export interface Ec2ApiContext {
  readonly world: TwinWorld;
  /** The twin clock's time. */
  readonly now: () => Date;
  /** Refuse writes to resources not tagged managed (as the IAM policy does). Default true. */
  readonly enforceManagedTag: boolean;
}

/** Reads the request and returns the XML inside the response element; throws Ec2ApiError. */
export type ActionHandler = (ctx: Ec2ApiContext, params: Params) => string;

/** The resource a write is authorised on, as in the IAM policy's `Resource` and tag condition. */
export interface WriteGuard {
  /** The request parameter naming the resource. */
  readonly param: string;
  /** The resource type in its ARN, as AWS names it in UnauthorizedOperation. */
  readonly arnType: string;
  /** The resource's tags; undefined when the world has no such resource (the handler answers NotFound). */
  readonly tags: (world: TwinWorld, id: string) => Tags | undefined;
}

export interface ReadAction {
  readonly kind: 'read';
  readonly handler: ActionHandler;
}

export interface WriteAction {
  readonly kind: 'write';
  readonly handler: ActionHandler;
  readonly guard: WriteGuard;
}

export type Ec2Action = ReadAction | WriteAction;

/** A read-only action: no managed-tag condition (the IAM policy grants reads on untagged resources too). */
export const read = (handler: ActionHandler): ReadAction => ({ kind: 'read', handler });

/** A write, refused unless the resource its guard names is tagged managed; the guard comes first, in view. */
export const write = (guard: WriteGuard, handler: ActionHandler): WriteAction => ({
  kind: 'write',
  handler,
  guard,
});

export const ROUTE_TABLE: WriteGuard = {
  param: 'RouteTableId',
  arnType: 'route-table',
  tags: (w, id) => findRouteTable(w, id)?.tags,
};

export const TGW_ROUTE_TABLE: WriteGuard = {
  param: 'TransitGatewayRouteTableId',
  arnType: 'transit-gateway-route-table',
  tags: (w, id) => findTgwRouteTable(w, id)?.tags,
};

export const VPN_CONNECTION: WriteGuard = {
  param: 'VpnConnectionId',
  arnType: 'vpn-connection',
  tags: (w, id) => findVpn(w, id)?.tags,
};
