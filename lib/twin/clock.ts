/** The twin's controllable clock: timestamps, tunnel replacements and hold-down timers all read it. */

/** When every twin world starts unless told otherwise. */
export const DEFAULT_TWIN_START = new Date('2026-03-02T10:00:00.000Z');

export type ClockListener = (now: Date) => void;

/**
 * Time moves only when a test or scenario moves it. Listeners hear every change, so a world can settle
 * what became due (a tunnel replacement completing) as soon as the clock passes it.
 */
export class TwinClock {
  #now: number;
  readonly #listeners = new Set<ClockListener>();

  public constructor(start: Date = DEFAULT_TWIN_START) {
    this.#now = start.getTime();
  }

  public now(): Date {
    return new Date(this.#now);
  }

  /** Moves forward; a negative step is a scenario bug, so it is refused. */
  public advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`TwinClock.advance: ${ms} is not a duration`);
    return this.set(new Date(this.#now + ms));
  }

  public set(date: Date): Date {
    const time = date.getTime();
    if (Number.isNaN(time)) throw new RangeError('TwinClock.set: invalid date');
    this.#now = time;
    const now = this.now();
    for (const listener of this.#listeners) listener(now);
    return now;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  public subscribe(listener: ClockListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
