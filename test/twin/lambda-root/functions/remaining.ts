import type { Context } from 'aws-lambda';

/** Reports the remaining time at the start and after a short wait: a faithful context counts down. */
export async function handler(_event: unknown, context: Context): Promise<{ start: number; later: number }> {
  const start = context.getRemainingTimeInMillis();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { start, later: context.getRemainingTimeInMillis() };
}
