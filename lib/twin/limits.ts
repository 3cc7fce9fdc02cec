/**
 * Bounds on what a scenario or test may ask of the twin in one go. Beyond them a typo (`advance: 30d`
 * for 30m, `latencyMs: 600000`) would run for hours of real or simulated time instead of failing.
 */

/** One `advance` moves the twin clock at most a day: the twin steps it a minute at a time. */
export const MAX_ADVANCE_MS = 24 * 3_600_000;

/** A latency fault holds a reply at most a minute of real time (the SDK's timeouts are shorter). */
export const MAX_LATENCY_MS = 60_000;
