import { describe, expect, it } from 'vitest';
import type { Snapshot, UnreadableField } from '../../lib/domain/snapshot.js';
import { assessPath } from '../../lib/policy/path-health.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel } from './builders.js';

const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const bgpPath = site('busan-dc').paths[0] ?? (undefined as never);
const OPTIONS_MISSING: UnreadableField = {
  field: 'Options.StaticRoutesOnly',
  problem: 'missing',
  affects: 'routing',
};

function withBgp(accepted: [number, number], unreadable: UnreadableField[] = []): Snapshot {
  const s = steadySnapshot();
  const vpn = s.vpnConnections[BUSAN_BGP];
  if (vpn === undefined) throw new Error('fixture');
  const since = minutesAgo(T0, 30);
  const tunnels = [
    { ...tunnel('198.51.100.30', 'UP', since, accepted[0]), statusMessage: `${accepted[0]} BGP ROUTES` },
    { ...tunnel('198.51.100.31', 'UP', since, accepted[1]), statusMessage: `${accepted[1]} BGP ROUTES` },
  ];
  return { ...s, vpnConnections: { ...s.vpnConnections, [BUSAN_BGP]: { ...vpn, tunnels, unreadable } } };
}

const assess = (s: Snapshot) =>
  assessPath(bgpPath, s, { transitions: [] }, policyOf('busan-dc'), T0, site('busan-dc'));

describe('BGP health: UP with accepted routes', () => {
  it('a BGP VPN whose UP tunnels accepted no route is down (IPsec up, BGP down), naming the StatusMessage', () => {
    expect(assess(withBgp([0, 0]))).toMatchObject({
      health: 'down',
      tunnelsUp: 0,
      reason: expect.stringContaining('198.51.100.30 ("0 BGP ROUTES")'),
    });
  });

  it('one tunnel with routes keeps it healthy, the other counts as lost redundancy', () => {
    expect(assess(withBgp([2, 0]))).toMatchObject({ health: 'healthy', tunnelsUp: 1, tunnelsTotal: 2 });
  });

  it('is unknown, not down, when the routing type could not be read (a static VPN accepts no BGP route)', () => {
    expect(assess(withBgp([0, 0], [OPTIONS_MISSING]))).toMatchObject({ health: 'unknown' });
  });
});
