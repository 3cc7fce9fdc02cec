import { afterEach, describe, expect, it } from 'vitest';
import { Twin } from '../../lib/twin/twin.js';

let twin: Twin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

describe('schedules on the twin clock', () => {
  it('keep firing on their grid after an advance that is not a whole minute', async () => {
    twin = await Twin.start();
    await twin.advance(90_000);
    await twin.advance(10 * 60_000);
    const runs = (fn: string) => twin?.deliveries.filter((d) => d.function === fn).map((d) => d.at) ?? [];
    // 11.5 minutes after the start: the sweep is due at 5 and 10 minutes, keepalive every minute.
    expect(runs('healthCheck')).toHaveLength(2);
    expect(runs('keepalive')).toHaveLength(11);
  });
});
