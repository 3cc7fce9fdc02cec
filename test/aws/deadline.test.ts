/**
 * A run's deadline binds every AWS call it makes: the real SDK client, its real retry strategy and
 * backoff, against a loopback EC2 that throttles or hangs. Nothing may start after the deadline.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';
import { boundedTransport } from '../../lib/aws/client-config.js';
import { ec2Client } from '../../lib/aws/clients.js';
import { Deadline, DeadlineExceededError, withinDeadline } from '../../lib/aws/deadline.js';
import { ec2ErrorReply, ec2OkReply, type FakeEc2, startFakeEc2 } from './ec2-server.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };
const throttled = ec2ErrorReply('RequestLimitExceeded', 'Request limit exceeded.');
const propagation = { type: 'vgw-propagation', routeTableId: 'rtb-1', gatewayId: 'vgw-1' } as const;

let server: FakeEc2 | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadline-bound AWS calls', () => {
  it('gives up a throttling storm before the deadline with the AWS error, and sends nothing after it', async () => {
    server = await startFakeEc2([throttled]);
    // The production client: 10 attempts, the SDK's own throttling backoff (seconds, growing).
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials });
    const deadline = new Deadline(Date.now() + 1_500);
    const started = Date.now();
    const result = await withinDeadline(deadline, () => applyAction(ec2, propagation));
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'RequestLimitExceeded' });
    expect(Date.now()).toBeLessThanOrEqual(deadline.at);
    // Without the bound, the SDK would go on for up to 10 attempts (about a minute of backoff).
    await settle(2_500);
    expect(server.arrivals.every((t) => t < deadline.at)).toBe(true);
    expect(server.arrivals.length).toBeLessThan(10);
    expect(Date.now() - started).toBeGreaterThan(2_500);
    deadline.dispose();
  });

  it('aborts an attempt still in flight at the deadline and says so', async () => {
    server = await startFakeEc2([{ ...ec2OkReply('EnableVgwRoutePropagation'), delayMs: 5_000 }]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials });
    // 3 s: on a loaded 2-core machine the SDK's first request can take a second to leave; the server
    // holds its reply for 5 s, so the attempt is still in flight when the deadline comes.
    const deadline = new Deadline(Date.now() + 3_000);
    const error = await withinDeadline(deadline, () => applyAction(ec2, propagation)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - deadline.at).toBeLessThan(1_000);
    expect(server.actions).toEqual(['EnableVgwRoutePropagation']);
  });

  it('starts no request once the deadline has passed', async () => {
    server = await startFakeEc2([ec2OkReply('EnableVgwRoutePropagation')]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials });
    const deadline = new Deadline(Date.now() - 1);
    await expect(withinDeadline(deadline, () => applyAction(ec2, propagation))).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(server.actions).toEqual([]);
  });

  it('ends the run when a linked signal (middy timing out) aborts', async () => {
    server = await startFakeEc2([{ ...ec2OkReply('EnableVgwRoutePropagation'), delayMs: 5_000 }]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials });
    const deadline = new Deadline(Date.now() + 60_000);
    const middy = new AbortController();
    deadline.link(middy.signal);
    setTimeout(() => middy.abort(), 300);
    const error = await withinDeadline(deadline, () => applyAction(ec2, propagation)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.remainingMs()).toBe(0);
    deadline.dispose();
  });

  it('retries an attempt that outlives its own timeout instead of waiting on it', async () => {
    server = await startFakeEc2([
      { ...ec2OkReply('EnableVgwRoutePropagation'), delayMs: 3_000 },
      ec2OkReply('EnableVgwRoutePropagation'),
    ]);
    const ec2 = new EC2Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      ...boundedTransport('EC2', { maxAttempts: 3, attemptTimeoutMs: 300, retryDelayMs: 5 }),
    });
    const started = Date.now();
    const result = await applyAction(ec2, propagation);
    expect(result).toMatchObject({ outcome: 'changed' });
    expect(server.actions).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('leaves calls outside any run unbounded by a deadline (the CLI, tests)', async () => {
    server = await startFakeEc2([throttled, ec2OkReply('EnableVgwRoutePropagation')]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials, retryDelayMs: 5 });
    expect(await applyAction(ec2, propagation)).toMatchObject({ outcome: 'changed' });
  });
});
