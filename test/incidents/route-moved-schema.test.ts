import { describe, expect, it } from 'vitest';
import { PublishError } from '../../lib/incidents/errors.js';
import { type RouteMove, RouteMovedDetailSchema, routeMovedDetail } from '../../lib/incidents/route-moved.js';

/** The Route Moved contract (README "Symmetric moves"): what on-prem automation may rely on. */
const MOVE: RouteMove = {
  moveId: 'e-1#move#tgw-rtb-0a1b2c3d4e5f60001|10.3.0.0/20',
  site: 'seoul-dc',
  prefix: '10.3.0.0/20',
  routeTable: { id: 'tgw-rtb-0a1b2c3d4e5f60001', kind: 'transit-gateway' },
  from: { path: 'primary', target: 'tgw-attach-0a1b2c3d4e5f60001', routing: 'static' },
  to: { path: 'backup', target: 'tgw-attach-0a1b2c3d4e5f60002', routing: 'static' },
  reason: 'failover',
  change: 'replaced',
  movedAt: '2026-03-02T10:03:00.000Z',
};

describe('Route Moved detail, schema 1.0', () => {
  it('carries every documented field, with the incident id and the schema version', () => {
    expect(routeMovedDetail(MOVE, 'inc-seoul-dc-20260302T100300Z')).toEqual({
      schemaVersion: '1.0',
      ...MOVE,
      incidentId: 'inc-seoul-dc-20260302T100300Z',
    });
    expect(routeMovedDetail(MOVE, undefined).incidentId).toBeNull();
  });

  it('publishes nothing it does not document: unknown fields are stripped', () => {
    const detail = routeMovedDetail({ ...MOVE, secret: 'x' } as RouteMove, undefined);
    expect(Object.keys(detail).sort()).toEqual([...Object.keys(MOVE), 'schemaVersion', 'incidentId'].sort());
  });

  it('refuses a move that breaks the contract, naming the field', () => {
    const bad = { ...MOVE, reason: 'whim' } as unknown as RouteMove;
    expect(() => routeMovedDetail(bad, undefined)).toThrow(PublishError);
    expect(() => routeMovedDetail(bad, undefined)).toThrow(/reason/);
    expect(
      RouteMovedDetailSchema.safeParse({ ...MOVE, schemaVersion: '2.0', incidentId: null }).success,
    ).toBe(false);
    expect(
      RouteMovedDetailSchema.safeParse({
        ...MOVE,
        schemaVersion: '1.0',
        incidentId: null,
        prefix: '10.3.0.0',
      }).success,
    ).toBe(false);
  });
});
