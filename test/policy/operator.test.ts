import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import type { SiteConfig } from '../../lib/config/schema.js';
import type { Snapshot } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import { HOLD_TAG } from '../../lib/policy/operator.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel, withTunnels } from './builders.js';
import { applyModel } from './model.js';

const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';
const RTB_1 = 'rtb-0a1b2c3d4e5f60001';
const RTB_2 = 'rtb-0a1b2c3d4e5f60002';

const plan = (name: string, snapshot: Snapshot, siteConfig: SiteConfig = site(name)) =>
  decide({
    site: siteConfig,
    policy: policyOf(name),
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now: T0,
  });

const bgpDown = () =>
  withTunnels(steadySnapshot(), BUSAN_BGP, [
    tunnel('198.51.100.30', 'DOWN', minutesAgo(T0, 1)),
    tunnel('198.51.100.31', 'DOWN', minutesAgo(T0, 1)),
  ]);

function tagTable(snapshot: Snapshot, id: string, value: string): Snapshot {
  const table = snapshot.vpcRouteTables[id];
  if (table === undefined) throw new Error('fixture');
  const tagged = { ...table, tags: { ...table.tags, [HOLD_TAG]: value } };
  return { ...snapshot, vpcRouteTables: { ...snapshot.vpcRouteTables, [id]: tagged } };
}

describe('hands off what the operator owns', () => {
  it('leaves a TGW route an operator pointed outside the config, and reports it', () => {
    const s = steadySnapshot();
    const repointed: Snapshot = {
      ...s,
      tgwRouteTables: {
        ...s.tgwRouteTables,
        'tgw-rtb-0a1b2c3d4e5f60001': {
          routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
          routes: [
            {
              destination: '10.3.0.0/20',
              attachmentId: 'tgw-attach-0a1b2c3d4e5f600ff',
              type: 'static',
              state: 'active',
            },
          ],
        },
      },
    };
    const p = plan('seoul-dc', repointed);
    expect(p.actions).toEqual([]);
    expect(p.decision).toBe('hold');
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'manual-override',
        message: expect.stringContaining('tgw-attach-0a1b2c3d4e5f600ff'),
      }),
    );
    const enforced = plan('seoul-dc', repointed, { ...site('seoul-dc'), enforce: true });
    expect(enforced.actions).toEqual([expect.objectContaining({ type: 'tgw-route' })]);
  });

  it('a route table tagged tunnel-warden:hold is not touched by a failover; the others move', () => {
    const p = plan('busan-dc', tagTable(bgpDown(), RTB_1, 'true'));
    expect(p.decision).toBe('failover');
    expect(p.actions.map((a) => ('routeTableId' in a ? a.routeTableId : ''))).toEqual([RTB_2, RTB_2]);
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'operator-hold', message: expect.stringContaining(RTB_1) }),
    );
  });

  it('a hold with an expiry in the past no longer holds; one in the future does', () => {
    const past = plan('busan-dc', tagTable(bgpDown(), RTB_1, minutesAgo(T0, 5)));
    expect(past.actions).toHaveLength(4);
    const future = plan('busan-dc', tagTable(bgpDown(), RTB_1, minutesAgo(T0, -5)));
    expect(future.actions).toHaveLength(2);
    const garbled = plan('busan-dc', tagTable(bgpDown(), RTB_1, 'next tuesday'));
    expect(garbled.actions).toHaveLength(2);
    expect(garbled.findings).toContainEqual(
      expect.objectContaining({ code: 'operator-hold', message: expect.stringContaining('next tuesday') }),
    );
  });

  it('a site on hold (hold: in the config) changes nothing, and says so', () => {
    const held = { ...site('busan-dc'), hold: new Date(T0 + 3_600_000).toISOString() };
    const p = plan('busan-dc', bgpDown(), held);
    expect(p.actions).toEqual([]);
    expect(p.decision).toBe('hold');
    expect(p.findings).toContainEqual(expect.objectContaining({ code: 'operator-hold' }));
  });

  it('a VPN tagged tunnel-warden:hold: no traffic moves off it', () => {
    const s = withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 1)),
      tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 1)),
    ]);
    const vpn = s.vpnConnections[SEOUL_PRIMARY];
    if (vpn === undefined) throw new Error('fixture');
    const held: Snapshot = {
      ...s,
      vpnConnections: {
        ...s.vpnConnections,
        [SEOUL_PRIMARY]: { ...vpn, tags: { ...vpn.tags, [HOLD_TAG]: '' } },
      },
    };
    expect(plan('seoul-dc', held).actions).toEqual([]);
  });

  it('does not re-enable VGW propagation an operator disabled while on a backup', () => {
    const failover = plan('busan-dc', bgpDown());
    const onBackup = applyModel(bgpDown(), failover.actions, site('busan-dc'));
    const table = onBackup.vpcRouteTables[RTB_1];
    if (table === undefined) throw new Error('fixture');
    const disabled: Snapshot = {
      ...onBackup,
      vpcRouteTables: { ...onBackup.vpcRouteTables, [RTB_1]: { ...table, propagatingGateways: [] } },
    };
    const p = plan('busan-dc', disabled);
    expect(p.actions).toEqual([]);
    expect(p.findings).toContainEqual(expect.objectContaining({ code: 'operator-lever' }));
    // On the primary, a table without propagation is drift and is repaired.
    const s = steadySnapshot();
    const steadyTable = s.vpcRouteTables[RTB_2];
    if (steadyTable === undefined) throw new Error('fixture');
    const drifted = {
      ...s,
      vpcRouteTables: { ...s.vpcRouteTables, [RTB_2]: { ...steadyTable, propagatingGateways: [] } },
    };
    expect(plan('busan-dc', drifted).actions).toContainEqual(
      expect.objectContaining({ type: 'vgw-propagation', routeTableId: RTB_2 }),
    );
  });
});

describe('the site config for operators', () => {
  const yaml = (extra: string) => `
version: 1
sites:
  - name: seoul-dc
    prefixes: [10.3.0.0/20]
    routeTables: { transitGateway: [tgw-rtb-0a1b2c3d4e5f60001] }
    paths:
      - { name: primary, vpn: vpn-0a1b2c3d4e5f60001, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60001 }
${extra}
`;
  it('accepts hold: true, hold: an ISO time and enforce: true', () => {
    expect(parseConfig(yaml('    hold: true'), 'c.yml').sites[0]?.hold).toBe(true);
    expect(parseConfig(yaml("    hold: '2026-03-02T12:00:00Z'"), 'c.yml').sites[0]?.hold).toBe(
      '2026-03-02T12:00:00Z',
    );
    expect(parseConfig(yaml('    enforce: true'), 'c.yml').sites[0]?.enforce).toBe(true);
  });

  it('refuses a hold that is neither a boolean nor an ISO time, naming the field', () => {
    expect(() => parseConfig(yaml('    hold: tomorrow'), 'c.yml')).toThrow(
      /sites\.0\.hold|sites\[0\]\.hold|hold/,
    );
  });
});
