import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';
import { observe } from '../../lib/aws/observe.js';
import { TwinError } from '../../lib/twin/errors.js';
import { Faults } from '../../lib/twin/faults.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { actionsOf, credentials, startDemoTwin, type TwinHarness } from './helpers.js';

const propagation = {
  type: 'vgw-propagation',
  routeTableId: DEMO.routeTableIds[0],
  gatewayId: DEMO.vgwId,
} as const;

let h: TwinHarness;
beforeEach(async () => {
  h = await startDemoTwin();
});
afterEach(async () => {
  await h.twin.close();
});

describe('faults injected into the EC2 twin', () => {
  it('throttles the next two calls; the SDK retries and the call log shows it', async () => {
    h.faults.throttle({ action: 'EnableVgwRoutePropagation', count: 2 });
    const result = await applyAction(h.ec2, propagation);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['EnableVgwRoutePropagation'] });
    expect(h.twin.calls.map((c) => [c.action, c.status, c.errorCode])).toEqual([
      ['EnableVgwRoutePropagation', 503, 'RequestLimitExceeded'],
      ['EnableVgwRoutePropagation', 503, 'RequestLimitExceeded'],
      ['EnableVgwRoutePropagation', 200, undefined],
    ]);
    expect(h.faults.rules).toEqual([]);
  });

  it('gives up after maxAttempts and reports RequestLimitExceeded', async () => {
    h.faults.throttle();
    const result = await applyAction(h.ec2, propagation);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'RequestLimitExceeded' });
    expect(actionsOf(h.twin)).toEqual(Array(3).fill('EnableVgwRoutePropagation'));
  });

  it('retries with the SDK defaults too (a plain EC2Client, standard backoff)', async () => {
    h.faults.throttle({ count: 1 });
    const plain = new EC2Client({
      endpoint: h.twin.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 2,
    });
    const out = await plain.send(
      new DescribeVpnConnectionsCommand({ VpnConnectionIds: [DEMO.busan.bgp.vpnId] }),
    );
    expect(out.$metadata.attempts).toBe(2);
    expect(out.VpnConnections).toHaveLength(1);
  });

  it('answers InternalError with HTTP 500, which the SDK retries', async () => {
    h.faults.serverError({ action: 'DescribeVpnConnections', count: 1 });
    const snapshot = await observe(
      h.ec2,
      [DEMO.seoul.primary.vpnId],
      { vpcRouteTableIds: [], tgwRouteTables: [] },
      h.clock.now(),
    );
    expect(Object.keys(snapshot.vpnConnections)).toEqual([DEMO.seoul.primary.vpnId]);
    expect(h.twin.calls.map((c) => [c.status, c.errorCode])).toEqual([
      [500, 'InternalError'],
      [200, undefined],
    ]);
  });

  it('leaves other actions alone', async () => {
    h.faults.serverError({ action: 'DeleteRoute' });
    expect((await applyAction(h.ec2, propagation)).outcome).toBe('changed');
  });

  it('adds latency in real time without moving the twin clock', async () => {
    h.faults.latency(60, { count: 1 });
    const started = Date.now();
    await applyAction(h.ec2, propagation);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(h.clock.now().toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(h.twin.calls[0]?.at).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('Faults decisions', () => {
  const sequence = (faults: Faults, n: number) =>
    Array.from({ length: n }, () => faults.decide('DescribeRouteTables').error?.code ?? '-');

  it('are deterministic for a seed, and spread by the rate', () => {
    const a = sequence(new Faults(7).throttle({ rate: 0.5 }), 40);
    const b = sequence(new Faults(7).throttle({ rate: 0.5 }), 40);
    const c = sequence(new Faults(8).throttle({ rate: 0.5 }), 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const hits = a.filter((x) => x === 'RequestLimitExceeded').length;
    expect(hits).toBeGreaterThan(8);
    expect(hits).toBeLessThan(32);
    expect(sequence(new Faults(7).throttle({ rate: 0 }), 20)).toEqual(Array(20).fill('-'));
  });

  it('stop after count hits; the first error wins and later error rules keep their count', () => {
    const faults = new Faults().serverError({ count: 1 }).throttle({ count: 1 }).latency(5, { count: 3 });
    expect(faults.decide('X')).toMatchObject({
      latencyMs: 5,
      error: { code: 'InternalError', httpStatus: 500 },
    });
    expect(faults.decide('X')).toMatchObject({
      latencyMs: 5,
      error: { code: 'RequestLimitExceeded', httpStatus: 503 },
    });
    expect(faults.decide('X')).toEqual({ latencyMs: 5 });
    expect(faults.decide('X')).toEqual({ latencyMs: 0 });
  });

  it('refuse rates outside 0..1 and latency without a duration', () => {
    expect(() => new Faults().throttle({ rate: 1.5 })).toThrow(TwinError);
    expect(() => new Faults().add({ kind: 'latency' })).toThrow(TwinError);
  });

  it('refuse a latency over a minute, naming the bound', () => {
    expect(() => new Faults().latency(60_001, { service: 'sns' })).toThrow(
      'a latency fault needs latencyMs between 0 and 60000 (got 60001)',
    );
    expect(() => new Faults().latency(60_000)).not.toThrow();
  });
});
