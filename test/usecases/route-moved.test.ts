import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../lib/domain/apply-result.js';
import type { Condition } from '../../lib/incidents/condition.js';
import { fromIncidentItem, incidentAttributes } from '../../lib/incidents/dynamo-items.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import { AwsIncidentPublisher } from '../../lib/incidents/publisher.js';
import {
  ROUTE_MOVED_DETAIL_TYPE,
  type RouteMove,
  RouteMovedEventSchema,
} from '../../lib/incidents/route-moved.js';
import { decide } from '../../lib/policy/decide.js';
import { DeliveryIncompleteError } from '../../lib/usecases/errors.js';
import type { RecordDeps } from '../../lib/usecases/ports.js';
import { type RecordedObservation, recordObservation } from '../../lib/usecases/record.js';
import { routeMovesOf } from '../../lib/usecases/route-moves.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };
const eventBridge = new EventBridgeClient({ region: 'us-east-1', credentials });
const sns = new SNSClient({ region: 'us-east-1', credentials });
const ebMock = mockClient(eventBridge);

/** busan-dc's BGP primary down: the plan overrides both prefixes in both VPC tables with the secondary ENI. */
function busanFailover() {
  const snapshot = withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60003', [
    tunnel('198.51.100.30', 'DOWN', minutesAgo(T0, 1)),
    tunnel('198.51.100.31', 'DOWN', minutesAgo(T0, 1)),
  ]);
  const plan = decide({
    site: site('busan-dc'),
    policy: policyOf('busan-dc'),
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now: T0,
  });
  const results: ActionResult[] = plan.actions.map((action) => ({
    action,
    outcome: 'changed',
    calls: ['CreateRoute'],
    detail: 'created',
  }));
  return { plan, results };
}

const down: Condition = { healthy: false, kind: 'connection-down', severity: 'major', summary: 'bgp down' };
const at = new Date(T0).toISOString();

function observation(moves: readonly RouteMove[], eventId = 'e-1', observedAt = at): RecordedObservation {
  return {
    subject: 'busan-dc',
    eventId,
    condition: down,
    notice: false,
    observedAt,
    mitigated: true,
    entries: [],
    routeMoves: moves,
  };
}

/** Every Route Moved event PutEvents received, as a consumer sees it. */
function published() {
  return ebMock.commandCalls(PutEventsCommand).flatMap((c) =>
    (c.args[0].input.Entries ?? [])
      .filter((e) => e.DetailType === ROUTE_MOVED_DETAIL_TYPE)
      .map((e) =>
        RouteMovedEventSchema.parse({
          source: e.Source,
          'detail-type': e.DetailType,
          detail: JSON.parse(e.Detail ?? ''),
        }),
      ),
  );
}

let store: InMemoryIncidentStore;
let deps: RecordDeps;

beforeEach(() => {
  ebMock.reset();
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  store = new InMemoryIncidentStore();
  deps = {
    store,
    publisher: new AwsIncidentPublisher({ eventBridge, sns, busName: 'default', topicArn: undefined }),
    relapseWindowMs: 1_800_000,
  };
});

describe('Route Moved: what a run moved', () => {
  it('is one move per changed route, from where it pointed to where it points, with the reason', () => {
    const { plan, results } = busanFailover();
    const moves = routeMovesOf(site('busan-dc'), plan, results, 'e-1', at);
    expect(moves).toHaveLength(4);
    expect(moves[0]).toEqual({
      moveId: 'e-1#move#rtb-0a1b2c3d4e5f60001|10.4.0.0/20',
      site: 'busan-dc',
      prefix: '10.4.0.0/20',
      routeTable: { id: 'rtb-0a1b2c3d4e5f60001', kind: 'vpc' },
      from: { path: 'bgp-primary', target: 'vgw-0a1b2c3d4e5f60001', routing: 'propagated' },
      to: { path: 'static-secondary', target: 'eni-0a1b2c3d4e5f60001', routing: 'static' },
      reason: 'failover',
      change: 'override-added',
      movedAt: at,
    });
  });

  it('counts only what changed: already-so, failed and skipped actions moved nothing', () => {
    const { plan, results } = busanFailover();
    const unchanged = results.map((r, i) => ({
      ...r,
      outcome: (['already-so', 'failed', 'skipped', 'already-so'] as const)[i] ?? 'skipped',
    }));
    expect(routeMovesOf(site('busan-dc'), plan, unchanged, 'e-1', at)).toEqual([]);
  });
});

describe('Route Moved: published through the outbox', () => {
  it('goes out with the incident change, each event valid against the documented schema', async () => {
    const { plan, results } = busanFailover();
    await recordObservation(observation(routeMovesOf(site('busan-dc'), plan, results, 'e-1', at)), deps);
    const events = published();
    expect(events).toHaveLength(4);
    const incident = await store.current('busan-dc');
    expect(events.every((e) => e.detail.incidentId === incident?.id)).toBe(true);
    expect(incident?.unpublishedMoves).toBeUndefined();
  });

  it('is never lost: kept with the incident while EventBridge fails, delivered by the next run, once', async () => {
    const { plan, results } = busanFailover();
    const moves = routeMovesOf(site('busan-dc'), plan, results, 'e-1', at);
    ebMock
      .on(PutEventsCommand)
      .rejects(Object.assign(new Error('unavailable'), { name: 'InternalException' }));
    await expect(recordObservation(observation(moves), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect((await store.current('busan-dc'))?.unpublishedMoves).toHaveLength(4);

    ebMock.resetHistory();
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    await recordObservation(observation([], 'e-2', new Date(T0 + 60_000).toISOString()), deps);
    expect(published().map((e) => e.detail.moveId)).toEqual(moves.map((m) => m.moveId));
    expect((await store.current('busan-dc'))?.unpublishedMoves).toBeUndefined();
  });

  it('a rejected entry keeps every move owed (PutEvents answers 200 with the failure in the body)', async () => {
    const { plan, results } = busanFailover();
    ebMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] });
    const moves = routeMovesOf(site('busan-dc'), plan, results, 'e-1', at);
    await expect(recordObservation(observation(moves), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect((await store.current('busan-dc'))?.unpublishedMoves).toHaveLength(4);
  });

  it('rides an incident that did not change: the moves still get a carrier', async () => {
    await recordObservation(observation([]), deps);
    const before = ebMock.commandCalls(PutEventsCommand).length;
    const { plan, results } = busanFailover();
    const moves = routeMovesOf(site('busan-dc'), plan, results, 'e-2', at);
    await recordObservation(observation(moves, 'e-2', new Date(T0 + 60_000).toISOString()), deps);
    expect(ebMock.commandCalls(PutEventsCommand).length).toBeGreaterThan(before);
    expect(published()).toHaveLength(4);
  });

  it('survives the DynamoDB item encoding', async () => {
    const { plan, results } = busanFailover();
    ebMock.on(PutEventsCommand).rejects(new Error('down'));
    const moves = routeMovesOf(site('busan-dc'), plan, results, 'e-1', at);
    await recordObservation(observation(moves), deps).catch(() => undefined);
    const incident = await store.current('busan-dc');
    if (incident === undefined) throw new Error('no incident');
    const item = { pk: { S: 'x' }, sk: { S: 'y' }, ...incidentAttributes(incident) };
    expect(fromIncidentItem(item).unpublishedMoves).toEqual(incident.unpublishedMoves);
  });
});
