import { z } from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `10m`, `1h`, `2d` → milliseconds. Durations in config are strings so units are never guessed. */
export const DurationSchema = z.string().transform((text, ctx) => {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (amount === undefined || unit === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 90s, 10m, 1h or 2d, got "${text}"` });
    return z.NEVER;
  }
  return Number(amount) * UNIT_MS[unit];
});

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
