import type { Signal } from '../domain/signal.js';

/** The use case until remediation is wired: the signal is validated, logged and returned. */
export async function acknowledge(signal: Signal): Promise<{ readonly kind: Signal['kind'] }> {
  return { kind: signal.kind };
}
