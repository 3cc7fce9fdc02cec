/**
 * Crash-point injection: a failover is run once to count its writes, then again with each DynamoDB
 * write and each EC2 write failing in turn — once as a single failed call (the run's error paths go
 * on) and once as a crash (nothing after that point reaches AWS, as when the process dies). Lambda's
 * retry and the next sweep then run normally, and the world must have converged: routes on the
 * backup, exactly one incident for the site, every applied change in its timeline, every change
 * published (a copy only ever under the same changeId), and no outbox or intent left over.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAction } from '../../lib/domain/actions.js';
import type { ActionResult } from '../../lib/domain/apply-result.js';
import { NO_WAIT } from '../../lib/domain/lease.js';
import type { StepGuard } from '../../lib/domain/run.js';
import type { Signal } from '../../lib/domain/signal.js';
import { parseAlarmEvent, parseScheduleEvent } from '../../lib/events/parse.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import type { DeliveryChannel } from '../../lib/incidents/model.js';
import { changeIdOf } from '../../lib/incidents/model.js';
import type { IncidentEvent } from '../../lib/incidents/ports.js';
import { RecordingPublisher } from '../../lib/incidents/publisher.js';
import { DynamoHistoryStore } from '../../lib/store/history.js';
import { DynamoSiteLock } from '../../lib/store/site-lock-dynamo.js';
import { createStateTable, LOCAL_CREDENTIALS } from '../../lib/twin/dynamo.js';
import { remediate } from '../../lib/usecases/remediate.js';
import { loadEvent } from '../helpers/fixtures.js';
import { minutesAgo, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';
import { type LocalTable, startDynalite } from '../store/dynalite.js';
import { deps, ModelEc2 } from '../usecases/fakes.js';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const TGW_TABLE = 'tgw-rtb-0a1b2c3d4e5f60001';
const BACKUP = 'tgw-attach-0a1b2c3d4e5f60002';

type Mode = 'fail-once' | 'crash';

/** Decides which call fails: the n-th DynamoDB write or the n-th EC2 action, once or for good. */
class Injector {
  dynamoWrites = 0;
  ec2Writes = 0;
  crashed = false;

  constructor(
    private readonly target?: { service: 'dynamodb' | 'ec2'; at: number; mode: Mode; after?: boolean },
  ) {}

  /** Throws when this call is the injected one, or when the process has "died" already. */
  before(service: 'dynamodb' | 'ec2', write: boolean): void {
    if (this.crashed) throw crash('the process died earlier');
    if (!write) return;
    const count = service === 'dynamodb' ? ++this.dynamoWrites : ++this.ec2Writes;
    const t = this.target;
    if (t === undefined || t.service !== service || t.at !== count || t.after === true) return;
    if (t.mode === 'crash') this.crashed = true;
    throw crash(`injected failure at ${service} write ${count}`);
  }

  /** For "after" crash points: the EC2 write landed, then the process died. */
  after(service: 'ec2', count: number): void {
    const t = this.target;
    if (t?.service === service && t.after === true && t.at === count) {
      this.crashed = true;
      throw crash(`process died after ${service} write ${count}`);
    }
  }
}

function crash(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'InternalServerError',
    $metadata: { httpStatusCode: 500 },
  });
}

/** The model EC2, with every action a guarded, injectable write. */
class InjectedEc2 extends ModelEc2 {
  constructor(
    world: ConstructorParameters<typeof ModelEc2>[0],
    public injector: Injector,
  ) {
    super(world);
  }

  override async vpnConnections(ids: readonly string[]) {
    this.injector.before('ec2', false);
    return super.vpnConnections(ids);
  }

  override async routes(scope: Parameters<ModelEc2['routes']>[0]) {
    this.injector.before('ec2', false);
    return super.routes(scope);
  }

  override async apply(actions: readonly RouteAction[], guard: StepGuard): Promise<ActionResult[]> {
    const results: ActionResult[] = [];
    for (const action of actions) {
      await guard(action.type);
      try {
        this.injector.before('ec2', true);
      } catch (error) {
        if (this.injector.crashed) throw error;
        results.push({ action, outcome: 'failed', calls: [action.type], detail: String(error) });
        continue;
      }
      results.push(...(await super.apply([action], async () => {})));
      this.injector.after('ec2', this.injector.ec2Writes);
    }
    return results;
  }
}

/** Records what reached EventBridge and SNS; nothing does once the process has died. */
class InjectedPublisher extends RecordingPublisher {
  constructor(public injector: Injector) {
    super();
  }
  override async deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    if (this.injector.crashed) throw crash('the process died earlier');
    await super.deliver(event, channel);
  }
}

let local: LocalTable;
beforeAll(async () => {
  local = await startDynalite('crash-points');
});
afterAll(async () => {
  await local?.close();
});

/** A client of its own per run, so the injector sees exactly that run's calls. */
function dynamoFor(injector: Injector): DynamoDBClient {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: local.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      injector.before('dynamodb', WRITES.has(context.commandName ?? ''));
      return next(args);
    },
    { step: 'initialize', name: 'crashInjector' },
  );
  return client;
}

let tables = 0;
const freshTable = () => createStateTable(local.client, `crash-${++tables}`);

function signalOf(outcome: ReturnType<typeof parseAlarmEvent>): Signal {
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal;
}

const alarm = signalOf(parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json')));
const sweepAt = (at: number) =>
  signalOf(
    parseScheduleEvent(
      {
        ...loadEvent('aws.events/scheduled-health-check.json'),
        id: `sweep-${at}`,
        time: new Date(at).toISOString(),
      },
      'sweep',
    ),
  );

const primaryDown = () =>
  withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
    tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
    tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
  ]);

interface World {
  ec2: InjectedEc2;
  table: string;
  published: IncidentEvent[];
}

async function runOnce(world: World, signal: Signal, at: number, owner: string, injector: Injector) {
  world.ec2.injector = injector;
  const client = dynamoFor(injector);
  const publisher = new InjectedPublisher(injector);
  try {
    return await remediate(
      signal,
      deps(world.ec2, {
        lock: new DynamoSiteLock(client, world.table),
        history: new DynamoHistoryStore(client, world.table),
        clock: () => new Date(at),
        owner,
        lockTtlMs: 70_000,
        lockWait: NO_WAIT,
        incidents: {
          store: new DynamoIncidentStore(client, world.table),
          publisher,
          relapseWindowMs: 3_600_000,
        },
      }),
    ).catch((error: unknown) => error);
  } finally {
    world.published.push(...publisher.events);
  }
}

/** The failed run, Lambda's two retries (1 and 3 minutes later, same request id), then the next sweep. */
async function scenario(target?: ConstructorParameters<typeof Injector>[0]) {
  const world: World = {
    ec2: new InjectedEc2(primaryDown(), new Injector()),
    table: await freshTable(),
    published: [],
  };
  const first = new Injector(target);
  await runOnce(world, alarm, T0, 'req-1', first);
  await runOnce(world, alarm, T0 + 60_000, 'req-1', new Injector());
  await runOnce(world, alarm, T0 + 180_000, 'req-1', new Injector());
  await runOnce(world, sweepAt(T0 + 300_000), T0 + 300_000, 'req-sweep', new Injector());
  return { world, first };
}

async function assertConverged(world: World) {
  const store = new DynamoIncidentStore(local.client, world.table);
  // Routes: the site is on its backup.
  const route = world.ec2.state.tgwRouteTables[TGW_TABLE]?.routes.find(
    (r) => r.destination === '10.3.0.0/20',
  );
  expect(route?.attachmentId).toBe(BACKUP);
  // Exactly one incident for the site, and it is the current one.
  const incidents = (await store.list({ limit: 50 })).filter((i) => i.subject === 'seoul-dc');
  const current = await store.current('seoul-dc');
  expect(incidents.map((i) => i.id)).toEqual([current?.id]);
  if (current === undefined) throw new Error('no incident');
  expect(current.status).toBe('open');
  expect(current.unpublished ?? []).toEqual([]);
  // Every applied change is in the timeline: as the action's own entry, or recovered from the intent.
  const timeline = await store.timeline(current.id);
  const mentions = timeline.filter(
    (e) =>
      (e.type === 'action' && JSON.stringify(e.detail).includes(BACKUP)) ||
      (e.type === 'note' && e.summary.startsWith('recovered:') && JSON.stringify(e.detail).includes(BACKUP)),
  );
  expect(mentions.length).toBeGreaterThan(0);
  // Every change published; a copy only ever under the same changeId (consumers dedupe on it).
  const opened = world.published.filter((e) => e.change === 'opened' && e.incident.subject === 'seoul-dc');
  const ids = new Set(
    opened.map((e) => changeIdOf(e.incident.id, e.changeVersion ?? e.incident.version, e.change)),
  );
  expect(ids.size).toBe(1);
  // No intent left over: the next holder found nothing pending.
  const lease = await new DynamoSiteLock(local.client, world.table).acquire(
    'seoul-dc',
    'check',
    new Date(T0 + 3_600_000),
    1_000,
  );
  expect(lease?.pendingIntent).toBeUndefined();
}

describe('crash-point injection on a failover (DynamoDB real over the wire, EC2 modelled)', async () => {
  const baseline = await (async () => {
    const dynalite = await startDynalite('crash-baseline');
    const saved = local;
    local = dynalite;
    try {
      const { first } = await scenario();
      return { dynamoWrites: first.dynamoWrites, ec2Writes: first.ec2Writes };
    } finally {
      local = saved;
      await dynalite.close();
    }
  })();

  it('counts the writes of one failover run', () => {
    expect(baseline.dynamoWrites).toBeGreaterThan(8);
    expect(baseline.ec2Writes).toBe(1);
  });

  const points = Array.from({ length: baseline.dynamoWrites }, (_, i) => i + 1);
  for (const mode of ['fail-once', 'crash'] as const) {
    it.each(points)(`DynamoDB write %i (${mode}): converges`, async (at) => {
      const { world } = await scenario({ service: 'dynamodb', at, mode });
      await assertConverged(world);
    });
    it(`EC2 write 1 (${mode}): converges`, async () => {
      const { world } = await scenario({ service: 'ec2', at: 1, mode });
      await assertConverged(world);
    });
  }
  it('EC2 write 1 landed, then the process died: the retry records it as recovered', async () => {
    const { world } = await scenario({ service: 'ec2', at: 1, mode: 'crash', after: true });
    await assertConverged(world);
    const store = new DynamoIncidentStore(local.client, world.table);
    const current = await store.current('seoul-dc');
    const timeline = await store.timeline(current?.id ?? '');
    expect(timeline.some((e) => e.summary.startsWith('recovered:'))).toBe(true);
  });
});
