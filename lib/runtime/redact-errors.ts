import type middy from '@middy/core';
import { redactString } from '../incidents/redact.js';

/** How far down a `cause` chain to look; real chains are two or three errors long. */
const MAX_CAUSES = 8;

/**
 * Lambda writes a thrown error's message and stack to the function's log itself, and the on-failure
 * destination keeps the message: past the Logger and its redaction. An error can quote what someone
 * else wrote (an event field, an AWS error message), so its text is redacted in place before it leaves
 * the handler; the object stays the same, so `instanceof` and retries behave as before.
 */
export function redactThrownErrors(): middy.MiddlewareObj {
  return {
    onError: (request) => {
      let error: unknown = request.error;
      for (let depth = 0; error instanceof Error && depth < MAX_CAUSES; depth += 1) {
        error.message = redactString(error.message);
        if (error.stack !== undefined) error.stack = redactString(error.stack);
        error = error.cause;
      }
    },
  };
}
