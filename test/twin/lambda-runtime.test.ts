/**
 * The twin runs functions as Lambda does: each with its packaged timeout and a remaining time that
 * counts down, cut at the timeout with Lambda's error; asynchronous failures retried after about 1 and
 * 2 minutes of twin time, then dead-lettered.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { localContext } from '../../lib/runtime/local-context.js';
import { InvocationTimeoutError, invokeLocal } from '../../lib/runtime/local-lambda.js';
import { AsyncInvoker } from '../../lib/twin/async-invoke.js';
import { TwinClock } from '../../lib/twin/clock.js';
import type { Delivery } from '../../lib/twin/deliver.js';
import { loadPackagedFunctions, type PackagedFunction } from '../../lib/twin/packaged-functions.js';

const root = join(import.meta.dirname, 'lambda-root');

describe('the local Lambda context', () => {
  it('starts from the timeout it is given and counts down in real time', () => {
    let now = 1_000;
    const context = localContext('healthCheck', { timeoutMs: 240_000, elapsedMs: () => now });
    expect(context.getRemainingTimeInMillis()).toBe(240_000);
    now += 90_500;
    expect(context.getRemainingTimeInMillis()).toBe(149_500);
    now += 200_000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('is what a locally invoked handler sees', async () => {
    const { start, later } = (await invokeLocal(root, 'remaining', {}, { timeoutMs: 300_000 })) as {
      start: number;
      later: number;
    };
    expect(start).toBeGreaterThan(299_000);
    expect(start).toBeLessThanOrEqual(300_000);
    expect(later).toBeLessThanOrEqual(start - 45);
  });

  it('cuts an invocation at its timeout with Lambda’s error', async () => {
    const run = invokeLocal(root, 'slow', {}, { timeoutMs: 100 });
    await expect(run).rejects.toBeInstanceOf(InvocationTimeoutError);
    await expect(run).rejects.toThrow('Task timed out after 0.10 seconds');
  });
});

describe('the packaged functions', () => {
  it('each keeps its own timeout, retries and destination', () => {
    const functions = loadPackagedFunctions(TEMPLATE_PATH);
    const summary = Object.fromEntries(
      [...functions.values()].map((f) => [f.key, [f.timeoutMs, f.retryAttempts, f.deadLetters]]),
    );
    expect(summary).toEqual({
      onTunnelAlarm: [60_000, 2, true],
      onHealthEvent: [60_000, 2, true],
      onNetworkEvent: [60_000, 2, true],
      healthCheck: [240_000, 0, true],
      maintenanceCheck: [120_000, 2, true],
      keepalive: [30_000, 0, true],
      drill: [300_000, 0, false],
    });
  });
});

function invoker(clock: TwinClock) {
  const deliveries: Delivery[] = [];
  return { deliveries, async: new AsyncInvoker(root, clock, (d) => deliveries.push(d)) };
}

const failing: PackagedFunction = {
  key: 'failing',
  timeoutMs: 1_000,
  memoryMb: 256,
  retryAttempts: 2,
  deadLetters: true,
};
const event = { id: 'e-1', 'detail-type': 'Test', detail: {} };

describe('asynchronous invocation on twin time', () => {
  it('retries after 1 minute, then 2 more, then dead-letters the event', async () => {
    const clock = new TwinClock(new Date('2026-03-02T10:00:00.000Z'));
    const { deliveries, async } = invoker(clock);
    await async.invoke(failing, event);
    expect(deliveries).toEqual([
      expect.objectContaining({ outcome: 'retrying', attempts: 1, retryAt: '2026-03-02T10:01:00.000Z' }),
    ]);
    clock.advance(59_999);
    expect(await async.runDue()).toEqual([]);
    clock.advance(1);
    expect(await async.runDue()).toEqual([
      expect.objectContaining({ outcome: 'retrying', attempts: 2, retryAt: '2026-03-02T10:03:00.000Z' }),
    ]);
    clock.advance(119_999);
    expect(await async.runDue()).toEqual([]);
    expect(async.deadLetters).toEqual([]);
    clock.advance(1);
    expect(await async.runDue()).toEqual([
      expect.objectContaining({ outcome: 'failed', attempts: 3, error: 'the dependency is down' }),
    ]);
    expect(async.deadLetters).toEqual([
      expect.objectContaining({
        function: 'failing',
        eventId: 'e-1',
        condition: 'RetriesExhausted',
        attempts: 3,
        event,
      }),
    ]);
    expect(async.pending).toEqual([]);
  });

  it('fails a timed-out attempt with Sandbox.Timedout and does not retry a function configured with 0 retries', async () => {
    const clock = new TwinClock();
    const { deliveries, async } = invoker(clock);
    await async.invoke({ ...failing, key: 'slow', timeoutMs: 100, retryAttempts: 0 }, event);
    expect(deliveries).toEqual([
      expect.objectContaining({ outcome: 'failed', attempts: 1, error: 'Task timed out after 0.10 seconds' }),
    ]);
    expect(async.deadLetters).toEqual([expect.objectContaining({ errorType: 'Sandbox.Timedout' })]);
  });
});
