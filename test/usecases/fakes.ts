import type { Config } from '../../lib/config/schema.js';
import type { RouteAction } from '../../lib/domain/actions.js';
import type { ActionResult } from '../../lib/domain/apply-result.js';
import type { StepGuard } from '../../lib/domain/run.js';
import type { Snapshot } from '../../lib/domain/snapshot.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../../lib/incidents/publisher.js';
import { InMemoryHistoryStore } from '../../lib/store/history.js';
import { InMemorySiteLock } from '../../lib/store/site-lock.js';
import type { Ec2Port, ModeReader, RemediationDeps } from '../../lib/usecases/ports.js';
import { site, T0, config as testConfig } from '../policy/builders.js';
import { applyModel } from '../policy/model.js';

/** An EC2 double over the policy's AWS model, counting calls the way the SDK adapters make them. */
export class ModelEc2 implements Ec2Port {
  public readonly calls: string[] = [];
  public readonly applied: RouteAction[] = [];

  public constructor(public state: Snapshot) {}

  public async vpnConnections(vpnIds: readonly string[]) {
    this.calls.push('DescribeVpnConnections');
    return Object.fromEntries(
      Object.entries(this.state.vpnConnections).filter(([id]) => vpnIds.includes(id)),
    );
  }

  public async routes(scope: Parameters<Ec2Port['routes']>[0]) {
    if (scope.vpcRouteTableIds.length > 0) this.calls.push('DescribeRouteTables');
    for (const _ of scope.tgwRouteTables) this.calls.push('SearchTransitGatewayRoutes');
    const pick = <T>(tables: Readonly<Record<string, T>>, ids: readonly string[]) =>
      Object.fromEntries(Object.entries(tables).filter(([id]) => ids.includes(id)));
    return {
      vpcRouteTables: pick(this.state.vpcRouteTables, scope.vpcRouteTableIds),
      tgwRouteTables: pick(
        this.state.tgwRouteTables,
        scope.tgwRouteTables.map((t) => t.routeTableId),
      ),
    };
  }

  public async tgwAttachments(query: Parameters<Ec2Port['tgwAttachments']>[0]) {
    this.calls.push('DescribeTransitGatewayAttachments');
    const { attachmentIds = [], vpcs } = query;
    return Object.fromEntries(
      Object.entries(this.state.tgwAttachments ?? {}).filter(
        ([id, a]) =>
          attachmentIds.includes(id) ||
          (vpcs !== undefined &&
            a.resourceType === 'vpc' &&
            vpcs.transitGatewayIds.includes(a.transitGatewayId) &&
            vpcs.vpcIds.includes(a.resourceId ?? '')),
      ),
    );
  }

  public async apply(actions: readonly RouteAction[], guard: StepGuard): Promise<ActionResult[]> {
    for (const action of actions) await guard(action.type);
    this.applied.push(...actions);
    for (const action of actions) {
      this.calls.push(action.type);
      const owner = ['busan-dc', 'seoul-dc']
        .map(site)
        .find((s) =>
          JSON.stringify(s).includes('routeTableId' in action ? action.routeTableId : action.vpnId),
        );
      if (owner !== undefined) this.state = applyModel(this.state, [action], owner);
    }
    return actions.map((action) => ({ action, outcome: 'changed', calls: [action.type], detail: 'changed' }));
  }
}

export function fixedMode(mode: 'enabled' | 'dry-run' | 'disabled'): ModeReader {
  return { read: async () => ({ mode, source: 'config' }) };
}

export function deps(ec2: Ec2Port, overrides: Partial<RemediationDeps> = {}): RemediationDeps {
  const config: Config = testConfig;
  return {
    config,
    ec2,
    lock: new InMemorySiteLock(),
    history: new InMemoryHistoryStore(),
    mode: fixedMode('enabled'),
    clock: () => new Date(T0),
    owner: 'req-1',
    deadline: { remainingMs: () => 60_000 },
    // A real (in-memory) incident store and a publisher that keeps what it was given: every run
    // records, in tests as in production.
    incidents: {
      store: new InMemoryIncidentStore(),
      publisher: new RecordingPublisher(),
      relapseWindowMs: 1_800_000,
    },
    ...overrides,
  };
}
