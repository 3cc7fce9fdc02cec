import { describe, expect, it } from 'vitest';
import { MANAGED_TAG_KEY, type WriteGuard, write } from '../../lib/twin/ec2-actions.js';
import { handleEc2Request } from '../../lib/twin/ec2-api.js';
import { DESCRIBE_ACTIONS } from '../../lib/twin/ec2-describe.js';
import { MUTATE_ACTIONS } from '../../lib/twin/ec2-mutate.js';
import { EC2_ACTIONS, EC2_WRITE_ACTIONS, ec2Action } from '../../lib/twin/ec2-registry.js';
import type { Tags, TwinWorld } from '../../lib/twin/state.js';
import { demoWorld } from '../../lib/twin/topologies/demo.js';
import { actionsOf, allStatements } from '../serverless/packaged-roles.js';

const START = new Date('2026-03-02T10:00:00.000Z');

/**
 * A resource of the world the guard authorises on: whatever the world lists (VPNs, route tables, TGW
 * route tables…) and the guard finds. A guard over a kind the demo lacks fails here, to be given one.
 */
function resourceFor(world: TwinWorld, guard: WriteGuard): { id: string; tags: Tags } {
  const ids = Object.values(world)
    .filter((value): value is unknown[] => Array.isArray(value))
    .flat()
    .flatMap((item) =>
      typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string'
        ? [item.id]
        : [],
    );
  for (const id of ids) {
    const tags = guard.tags(world, id);
    if (tags !== undefined) return { id, tags };
  }
  throw new Error(`the demo world has no ${guard.arnType} for the guard on ${guard.param}`);
}

function call(world: TwinWorld, action: string, params: Record<string, string>) {
  const ctx = { world, now: () => START, enforceManagedTag: true };
  return handleEc2Request(ctx, { Action: action, ...params }, 'req-1');
}

function guardOf(action: string): WriteGuard {
  const entry = ec2Action(action);
  if (entry?.kind !== 'write') throw new Error(`${action} is not a registered write`);
  return entry.guard;
}

describe('the EC2 registry', () => {
  it('lists every read and every write once, derived from the two tables', () => {
    expect([...EC2_ACTIONS].sort()).toEqual(
      [...Object.keys(DESCRIBE_ACTIONS), ...Object.keys(MUTATE_ACTIONS)].sort(),
    );
    expect(new Set(EC2_ACTIONS).size).toBe(EC2_ACTIONS.length);
    expect(EC2_WRITE_ACTIONS).toEqual(Object.keys(MUTATE_ACTIONS));
    expect(EC2_WRITE_ACTIONS.length).toBeGreaterThanOrEqual(12);
  });

  it('registers as reads only actions AWS names as reads (Describe, Get, Search, List), and no write so', () => {
    const readVerb = /^(Describe|Get|Search|List)[A-Z]/;
    for (const action of EC2_ACTIONS) {
      expect(ec2Action(action)?.kind, action).toBe(readVerb.test(action) ? 'read' : 'write');
    }
  });

  it("guards each write the stack's roles grant by the resource type the IAM policy scopes it by", () => {
    const tagged = allStatements.filter(
      (s) => s.Condition?.StringEquals?.[`aws:ResourceTag/${MANAGED_TAG_KEY}`] === 'true',
    );
    const granted = new Set(tagged.flatMap(actionsOf).filter((a) => a.startsWith('ec2:')));
    expect(granted.size).toBeGreaterThanOrEqual(5);
    for (const grant of granted) {
      const action = grant.slice('ec2:'.length);
      const guard = guardOf(action);
      const resources = tagged
        .filter((s) => actionsOf(s).includes(grant))
        .map((s) => JSON.stringify(s.Resource));
      expect(resources, action).toContainEqual(expect.stringContaining(`:${guard.arnType}/*`));
    }
  });

  it('cannot build a write without its guard (a compile error)', () => {
    // @ts-expect-error a write action has no constructor without the resource that guards it
    const unguarded = () => write(() => '');
    expect(typeof unguarded).toBe('function');
  });
});

describe.each(EC2_WRITE_ACTIONS)('the write %s', (action) => {
  it('is refused on a resource not tagged managed, and changes nothing', () => {
    const world = demoWorld(START);
    const guard = guardOf(action);
    const { id, tags } = resourceFor(world, guard);
    delete tags[MANAGED_TAG_KEY];
    const before = structuredClone(world);

    const reply = call(world, action, { [guard.param]: id });

    expect(reply.errorCode).toBe('UnauthorizedOperation');
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.body).toContain(`is not authorized to perform: ec2:${action} on resource: `);
    expect(reply.body).toContain(`:${guard.arnType}/${id}`);
    expect(world).toEqual(before);
  });

  it('is refused on the untagged resource under DryRun too, and would succeed on the tagged one', () => {
    const world = demoWorld(START);
    const guard = guardOf(action);
    const { id, tags } = resourceFor(world, guard);
    expect(tags[MANAGED_TAG_KEY]).toBe('true');
    // As on AWS, DryRun answers whether the caller may act: DryRunOperation when allowed.
    expect(call(world, action, { [guard.param]: id, DryRun: 'true' }).errorCode).toBe('DryRunOperation');
    delete tags[MANAGED_TAG_KEY];
    expect(call(world, action, { [guard.param]: id, DryRun: 'true' }).errorCode).toBe(
      'UnauthorizedOperation',
    );
  });
});
