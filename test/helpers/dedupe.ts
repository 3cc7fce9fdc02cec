import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DEDUPE_KEY_JMESPATH } from '../../lib/domain/signal.js';

// Powertools' JMESPath engine is a dependency of the idempotency package, not of ours: load the very
// copy the idempotency layer evaluates `eventKeyJmesPath` with.
const fromIdempotency = createRequire(
  fileURLToPath(import.meta.resolve('@aws-lambda-powertools/idempotency')),
);
const { search } = fromIdempotency('@aws-lambda-powertools/jmespath') as {
  search: (expression: string, data: unknown) => unknown;
};

/** The idempotency key the remediating functions derive from a signal (lib/runtime/remediation.ts). */
export function idempotencyKeyOf(signal: unknown): unknown {
  return search(DEDUPE_KEY_JMESPATH, signal);
}
