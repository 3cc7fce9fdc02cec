/**
 * How each service answers an injected fault on the wire, with the codes and statuses AWS uses, so the
 * SDK classifies them as it would in AWS (throttling → retried with backoff; 5xx → transient, retried).
 */
import type { ServiceFaultDecision } from '../faults.js';
import { jsonError, queryError, type Reply } from './http.js';
import { SNS_XMLNS } from './sns.js';

type ErrorKind = NonNullable<ServiceFaultDecision['error']>;

/** SSM over awsJson1_1. */
export function ssmFault(kind: ErrorKind, requestId: string): Reply {
  return kind === 'throttle'
    ? jsonError(400, 'ThrottlingException', 'Rate exceeded', requestId)
    : jsonError(500, 'InternalServerError', 'An error occurred on the server side.', requestId);
}

/** EventBridge over awsJson1_1: PutEvents fails whole with InternalException (HTTP 500). */
export function eventsFault(kind: ErrorKind, requestId: string): Reply {
  return kind === 'throttle'
    ? jsonError(400, 'ThrottlingException', 'Rate exceeded', requestId)
    : jsonError(500, 'InternalException', 'An internal error occurred.', requestId);
}

/** SNS over awsQuery: `Throttling` (400, Sender) and `InternalError` (500, Receiver). */
export function snsFault(kind: ErrorKind, requestId: string): Reply {
  return kind === 'throttle'
    ? queryError(SNS_XMLNS, 400, 'Throttling', 'Rate exceeded', requestId, 'Sender')
    : queryError(SNS_XMLNS, 500, 'InternalError', 'Request could not be completed', requestId, 'Receiver');
}

/**
 * A call the caller's role does not grant: AccessDeniedException (400) over JSON, AuthorizationError
 * (403) in SNS's XML, as each service refuses an unauthorised principal.
 */
export function deniedReply(
  service: 'ssm' | 'events' | 'sns' | 'dynamodb',
  message: string,
  requestId: string,
): Reply {
  if (service === 'sns')
    return queryError(SNS_XMLNS, 403, 'AuthorizationError', message, requestId, 'Sender');
  if (service === 'dynamodb') {
    return {
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
      headers: { 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': requestId },
    };
  }
  return jsonError(400, 'AccessDeniedException', message, requestId);
}

const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/**
 * DynamoDB over awsJson1_0: the namespaced `__type` in the body and `x-amzn-ErrorType` in the header,
 * ProvisionedThroughputExceededException (400) for throttling and InternalServerError (500).
 */
export function dynamoFault(kind: ErrorKind, requestId: string): Reply {
  const [status, type, message] =
    kind === 'throttle'
      ? [
          400,
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        ]
      : [500, 'InternalServerError', 'Internal server error'];
  return {
    status,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({ __type: `${DYNAMODB_NAMESPACE}#${type}`, message }),
    headers: { 'x-amzn-errortype': type, 'x-amzn-requestid': requestId },
  };
}
