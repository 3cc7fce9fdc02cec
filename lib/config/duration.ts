import { z } from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * The longest duration any setting takes (ten years). Every duration is added to a date somewhere (a
 * TTL, a window's start); past a bound like this one `99999999999999999999d` would make dates that
 * are not dates (`new Date(NaN)`), and every run would fail on them.
 */
export const MAX_DURATION_MS = 3650 * UNIT_MS.d;

/** `90s`, `10m`, `1h`, `2d` → milliseconds. Durations in config are strings so units are never guessed. */
export const DurationSchema = z.string().transform((text, ctx) => {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (amount === undefined || unit === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 90s, 10m, 1h or 2d, got "${text}"` });
    return z.NEVER;
  }
  const ms = Number(amount) * UNIT_MS[unit];
  if (!(ms <= MAX_DURATION_MS)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is longer than ${formatDuration(MAX_DURATION_MS)}` });
    return z.NEVER;
  }
  return ms;
});

/**
 * A duration its consumer can run with: `why` says what would go wrong outside [min, max], so the
 * error tells the operator more than a number.
 */
export function durationWithin(bounds: {
  readonly min: number;
  readonly max?: number;
  readonly why: string;
}) {
  const max = bounds.max ?? MAX_DURATION_MS;
  return DurationSchema.superRefine((ms, ctx) => {
    if (ms >= bounds.min && ms <= max) return;
    ctx.addIssue({
      code: 'custom',
      message: `must be between ${formatDuration(bounds.min)} and ${formatDuration(max)}, got ${formatDuration(ms)}: ${bounds.why}`,
    });
  });
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
