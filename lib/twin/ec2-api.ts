/**
 * The EC2 API of the twin, without HTTP: one query-protocol request (its form parameters) in, one XML
 * reply out. Writes on route tables, TGW route tables and VPN connections need the resource tagged
 * `tunnel-warden:managed=true`, mirroring the IAM policy tunnel-warden runs with in AWS.
 */
import { DESCRIBE_HANDLERS } from './ec2-describe.js';
import { MUTATE_HANDLERS } from './ec2-mutate.js';
import { Ec2ApiError } from './errors.js';
import { optional, type Params } from './query.js';
import { findRouteTable, findTgwRouteTable, findVpn, type Tags, type TwinWorld } from './state.js';
import { errorResponse, okResponse } from './xml.js';

export const MANAGED_TAG_KEY = 'tunnel-warden:managed';

export interface Ec2ApiContext {
  readonly world: TwinWorld;
  /** The twin clock's time. */
  readonly now: () => Date;
  /** Refuse writes to resources not tagged managed (as the IAM policy does). Default true. */
  readonly enforceManagedTag: boolean;
}

/** Reads the request and returns the XML inside the response element; throws Ec2ApiError. */
export type ActionHandler = (ctx: Ec2ApiContext, params: Params) => string;

export interface Ec2Reply {
  readonly status: number;
  readonly body: string;
  readonly errorCode?: string;
}

const HANDLERS: Readonly<Record<string, ActionHandler>> = { ...DESCRIBE_HANDLERS, ...MUTATE_HANDLERS };

/** The actions the twin answers. */
export const EC2_ACTIONS: readonly string[] = Object.keys(HANDLERS);

type Guarded = {
  readonly param: string;
  readonly arnType: string;
  readonly tags: (w: TwinWorld, id: string) => Tags | undefined;
};
const routeTable: Guarded = {
  param: 'RouteTableId',
  arnType: 'route-table',
  tags: (w, id) => findRouteTable(w, id)?.tags,
};
const tgwRouteTable: Guarded = {
  param: 'TransitGatewayRouteTableId',
  arnType: 'transit-gateway-route-table',
  tags: (w, id) => findTgwRouteTable(w, id)?.tags,
};
const vpnConnection: Guarded = {
  param: 'VpnConnectionId',
  arnType: 'vpn-connection',
  tags: (w, id) => findVpn(w, id)?.tags,
};

/** The resource each write is authorised on, as in the IAM policy's `Resource` and tag condition. */
const GUARDED: Readonly<Record<string, Guarded>> = {
  CreateRoute: routeTable,
  ReplaceRoute: routeTable,
  DeleteRoute: routeTable,
  EnableVgwRoutePropagation: routeTable,
  DisableVgwRoutePropagation: routeTable,
  CreateTransitGatewayRoute: tgwRouteTable,
  ReplaceTransitGatewayRoute: tgwRouteTable,
  DeleteTransitGatewayRoute: tgwRouteTable,
  CreateVpnConnectionRoute: vpnConnection,
  DeleteVpnConnectionRoute: vpnConnection,
  ReplaceVpnTunnel: vpnConnection,
  ModifyVpnTunnelOptions: vpnConnection,
};

/** Answers one request. Never throws: every failure is an EC2 error reply (a bug in the twin is a 500). */
export function handleEc2Request(ctx: Ec2ApiContext, params: Params, requestId: string): Ec2Reply {
  const action = optional(params, 'Action') ?? '';
  try {
    const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
    if (handler === undefined) {
      throw new Ec2ApiError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`,
      );
    }
    authorize(ctx, action, params);
    if (optional(params, 'DryRun') === 'true') {
      throw new Ec2ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    return { status: 200, body: okResponse(action, requestId, handler(ctx, params)) };
  } catch (error) {
    const e =
      error instanceof Ec2ApiError
        ? error
        : new Ec2ApiError(
            'InternalError',
            `The twin failed: ${error instanceof Error ? error.message : String(error)}`,
            500,
          );
    return { status: e.httpStatus, body: errorResponse(e.code, e.ec2Message, requestId), errorCode: e.code };
  }
}

/** An unknown resource is left to the handler, which answers with the proper NotFound code. */
function authorize(ctx: Ec2ApiContext, action: string, params: Params): void {
  const guard = Object.hasOwn(GUARDED, action) ? GUARDED[action] : undefined;
  if (!ctx.enforceManagedTag || guard === undefined) return;
  const id = optional(params, guard.param);
  const tags = id === undefined ? undefined : guard.tags(ctx.world, id);
  if (id === undefined || tags === undefined || tags[MANAGED_TAG_KEY] === 'true') return;
  const { accountId, region } = ctx.world;
  throw new Ec2ApiError(
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. User: arn:aws:sts::${accountId}:assumed-role/tunnel-warden/twin ` +
      `is not authorized to perform: ec2:${action} on resource: arn:aws:ec2:${region}:${accountId}:${guard.arnType}/${id} ` +
      `because no identity-based policy allows the ec2:${action} action`,
  );
}
