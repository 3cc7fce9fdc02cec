import type { EC2Client } from '@aws-sdk/client-ec2';
import { actionKey, type RouteAction } from '../domain/actions.js';
import { type ActionResult, ApplyAbandonedError } from '../domain/apply-result.js';
import { RunAbandonedError, type StepGuard } from '../domain/run.js';
import { MANAGED_TAG_KEY, MANAGED_TAG_VALUE } from '../domain/tags.js';
import { CallLog, type Settled } from './apply-result.js';
import { applyTgwRoute, applyTgwRouteAbsent } from './apply-tgw.js';
import { applyTunnelReplacement } from './apply-tunnel.js';
import { applyVgwPropagation, applyVpnStaticRoute } from './apply-vgw.js';
import { applyVpcStaticRoute, applyVpcStaticRouteAbsent } from './apply-vpc.js';
import { DeadlineExceededError } from './deadline.js';
import { type AwsServiceError, awsErrorCode, isAwsServiceError, UNAUTHORIZED_CODE } from './ec2-errors.js';

/**
 * Converges one action. AWS errors (after the SDK's own retries) become a 'failed' result rather than
 * an exception, so a caller can record every outcome; anything else is a bug and propagates.
 */
export async function applyAction(ec2: EC2Client, action: RouteAction): Promise<ActionResult> {
  const log = new CallLog();
  try {
    const settled = await execute(ec2, log, action);
    return { action, calls: [...log.calls], ...settled };
  } catch (error) {
    // Out of time is not an AWS answer: the run stops here (the SDK decorates it like one).
    if (error instanceof DeadlineExceededError || !isAwsServiceError(error)) throw error;
    return failure(action, log.calls, error);
  }
}

/**
 * Applies in order; a failed action does not stop the others (each is independent and convergent).
 * `guard` runs before each action and proves the run may still write (deadline, lease): when it says
 * no, that action and the rest are 'skipped' with the reason, and the abandonment propagates.
 */
export async function applyActions(
  ec2: EC2Client,
  actions: readonly RouteAction[],
  guard: StepGuard = async () => {},
): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  // Sequential on purpose: EC2 throttles per account and action, and the record reads in plan order.
  for (const [index, action] of actions.entries()) {
    try {
      await guard(`${action.type} ${actionKey(action)}`);
    } catch (error) {
      if (!(error instanceof RunAbandonedError)) throw error;
      const skipped = actions.slice(index).map(
        (a): ActionResult => ({
          action: a,
          outcome: 'skipped',
          calls: [],
          detail: `not applied: ${error.message}`,
        }),
      );
      throw new ApplyAbandonedError([...results, ...skipped], error);
    }
    results.push(await applyAction(ec2, action));
  }
  return results;
}

function execute(ec2: EC2Client, log: CallLog, action: RouteAction): Promise<Settled> {
  switch (action.type) {
    case 'tgw-route':
      return applyTgwRoute(ec2, log, action);
    case 'tgw-route-absent':
      return applyTgwRouteAbsent(ec2, log, action);
    case 'vpc-static-route':
      return applyVpcStaticRoute(ec2, log, action);
    case 'vpc-static-route-absent':
      return applyVpcStaticRouteAbsent(ec2, log, action);
    case 'vgw-propagation':
      return applyVgwPropagation(ec2, log, action);
    case 'vpn-static-route':
      return applyVpnStaticRoute(ec2, log, action);
    case 'tunnel-replacement':
      return applyTunnelReplacement(ec2, log, action);
  }
}

function failure(action: RouteAction, calls: readonly string[], error: AwsServiceError): ActionResult {
  const code = awsErrorCode(error) ?? 'UnknownError';
  const api = calls.at(-1) ?? 'EC2';
  const resource = guardedResource(action);
  const hint =
    code === UNAUTHORIZED_CODE
      ? ` tunnel-warden may only change resources tagged ${MANAGED_TAG_KEY}=${MANAGED_TAG_VALUE}: check that ${resource} carries the tag.`
      : '';
  return {
    action,
    outcome: 'failed',
    calls: [...calls],
    errorCode: code,
    detail: `${api} on ${resource} (${subject(action)}) failed with ${code}: ${error.message}${hint}`,
  };
}

/** The resource the IAM policy's tag condition applies to for this action. */
function guardedResource(action: RouteAction): string {
  return action.type === 'vpn-static-route' || action.type === 'tunnel-replacement'
    ? action.vpnId
    : action.routeTableId;
}

function subject(action: RouteAction): string {
  switch (action.type) {
    case 'tgw-route':
      return `route ${action.destination} to ${action.attachmentId}`;
    case 'tgw-route-absent':
      return `static route ${action.destination} absent`;
    case 'vpc-static-route':
      return `route ${action.destination} to ${action.target.id}`;
    case 'vpc-static-route-absent':
      return `route ${action.destination} absent`;
    case 'vgw-propagation':
      return `propagation from ${action.gatewayId}`;
    case 'vpn-static-route':
      return `static route ${action.destination}`;
    case 'tunnel-replacement':
      return `tunnel ${action.outsideIp}`;
  }
}
