import { ec2Client } from '../lib/aws/clients.js';
import { Deadline, withinDeadline } from '../lib/aws/deadline.js';
import { sdkEc2Port } from '../lib/aws/port.js';
import { loadConfig } from '../lib/config/load.js';
import type { Signal } from '../lib/domain/signal.js';
import { InMemoryIncidentStore } from '../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../lib/incidents/publisher.js';
import { DEADLINE_MARGIN_MS } from '../lib/runtime/handler.js';
import { InMemoryHistoryStore } from '../lib/store/history.js';
import { InMemorySiteLock } from '../lib/store/site-lock.js';
import { TwinClock } from '../lib/twin/clock.js';
import { startEc2Twin } from '../lib/twin/ec2-server.js';
import { Faults } from '../lib/twin/faults.js';
import { DEMO, demoWorld } from '../lib/twin/topologies/demo.js';
import { setTunnelStatus } from '../lib/twin/tunnels.js';
import { remediate } from '../lib/usecases/remediate.js';

export interface StormFigures {
  readonly timeoutMs: number;
  readonly runs: number;
  /** The longest run, from the invocation's start to the use case's return. */
  readonly worstWallMs: number;
  readonly ratioToTimeout: number;
  /** EC2 requests that reached the twin after the run's deadline (must be 0). */
  readonly requestsAfterDeadline: number;
  /** The same run with no deadline: how long the SDK's own retries go on. */
  readonly unboundedWallMs: number;
}

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/**
 * One alarm run while every EC2 call is throttled (RequestLimitExceeded, forever), with the
 * production client (10 attempts, the SDK's adaptive backoff): how long the run lasts against the
 * function's timeout, and whether anything reaches EC2 after the run's deadline.
 */
export async function benchThrottlingStorm(timeoutMs: number, runs: number): Promise<StormFigures> {
  const config = loadConfig('tunnel-warden.yml');
  let worstWallMs = 0;
  let requestsAfterDeadline = 0;
  let unboundedWallMs = 0;
  for (let i = 0; i <= runs; i++) {
    const clock = new TwinClock();
    const faults = new Faults(i).throttle();
    const world = demoWorld(clock.now());
    for (const ip of DEMO.seoul.primary.tunnels) setTunnelStatus(world, ip, 'DOWN', clock.now());
    const twin = await startEc2Twin(world, { clock, faults });
    const ec2 = ec2Client({ endpoint: twin.endpoint, region: 'us-east-1', credentials });
    const signal: Signal = {
      kind: 'connection-down',
      origin: {
        source: 'bench',
        detailType: 'bench',
        eventId: `storm-${i}`,
        account: '111122223333',
        region: 'us-east-1',
        occurredAt: clock.now().toISOString(),
      },
      targets: [{ vpnId: DEMO.seoul.primary.vpnId, tunnelIps: [] }],
      alarm: { alarmName: 'storm', alarmArn: 'storm', state: 'ALARM', previousState: 'OK', reason: 'storm' },
    };
    // The last round runs without a deadline in scope, for the comparison: the SDK's own retries.
    const bounded = i < runs;
    const deadline = Deadline.fromRemaining(timeoutMs, DEADLINE_MARGIN_MS);
    const started = Date.now();
    const run = () =>
      remediate(signal, {
        config,
        ec2: sdkEc2Port(ec2),
        lock: new InMemorySiteLock(),
        // Incidents in memory: every run records, as in production, with no AWS calls to count.
        incidents: {
          store: new InMemoryIncidentStore(),
          publisher: new RecordingPublisher(),
          relapseWindowMs: config.defaults.relapseWindow,
        },
        history: new InMemoryHistoryStore(),
        mode: { read: async () => ({ mode: 'enabled', source: 'config' }) },
        clock: () => clock.now(),
        owner: `storm-${i}`,
        deadline,
      });
    await (bounded ? withinDeadline(deadline, run) : run()).catch(() => undefined);
    const wall = Date.now() - started;
    if (bounded) {
      worstWallMs = Math.max(worstWallMs, wall);
      const seen = twin.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      requestsAfterDeadline += twin.calls.length - seen;
    } else unboundedWallMs = wall;
    deadline.dispose();
    ec2.destroy();
    await twin.close();
  }
  return {
    timeoutMs,
    runs,
    worstWallMs,
    ratioToTimeout: worstWallMs / timeoutMs,
    requestsAfterDeadline,
    unboundedWallMs,
  };
}
