/**
 * An operation table: action name → handler, one per service. The names a service answers, and the
 * lookup, derive from its table, so registering an operation is one line beside its handler.
 */
import { jsonError, type Reply } from './http.js';

/** The handler an operation table registers for `name`; undefined when the service does not answer it. */
export function operationIn<H>(table: Readonly<Record<string, H>>, name: string): H | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** An awsJson1_1 service's answer to an operation it does not implement, naming those it does. */
export function unknownOperation(
  service: string,
  operation: string,
  table: Readonly<Record<string, unknown>>,
  requestId: string,
): Reply {
  return jsonError(
    400,
    'UnknownOperationException',
    `The ${service} twin does not implement ${operation}; it knows ${Object.keys(table).join(', ')}.`,
    requestId,
  );
}
