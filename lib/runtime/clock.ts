/**
 * The functions' clock. In AWS it is the system clock; the twin replaces it with its controllable
 * clock so hold-downs, flap windows and incident times follow simulated time.
 */
let source: () => Date = () => new Date();

export function now(): Date {
  return source();
}

export function setClock(clock: () => Date): () => void {
  const previous = source;
  source = clock;
  return () => {
    source = previous;
  };
}
