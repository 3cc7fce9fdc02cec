/**
 * The EC2 API of the twin, without HTTP: one query-protocol request (its form parameters) in, one XML
 * reply out. The action comes from the registry (ec2-registry.ts); a write needs the resource its guard
 * names tagged `tunnel-warden:managed=true`, mirroring the IAM policy tunnel-warden runs with in AWS.
 */
import { type Ec2ApiContext, MANAGED_TAG_KEY, type WriteGuard } from './ec2-actions.js';
import { ec2Action } from './ec2-registry.js';
import { Ec2ApiError } from './errors.js';
import { optional, type Params } from './query.js';
import { errorResponse, okResponse } from './xml.js';

export interface Ec2Reply {
  readonly status: number;
  readonly body: string;
  readonly errorCode?: string;
}

/** Answers one request. Never throws: every failure is an EC2 error reply (a bug in the twin is a 500). */
export function handleEc2Request(ctx: Ec2ApiContext, params: Params, requestId: string): Ec2Reply {
  const action = optional(params, 'Action') ?? '';
  try {
    const entry = ec2Action(action);
    if (entry === undefined) {
      throw new Ec2ApiError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`,
      );
    }
    if (entry.kind === 'write') authorize(ctx, action, entry.guard, params);
    if (optional(params, 'DryRun') === 'true') {
      throw new Ec2ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    return { status: 200, body: okResponse(action, requestId, entry.handler(ctx, params)) };
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
function authorize(ctx: Ec2ApiContext, action: string, guard: WriteGuard, params: Params): void {
  if (!ctx.enforceManagedTag) return;
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
