import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../lib/drills/load.js';
import { createRoute, deleteRoute } from '../../lib/twin/mutations-routes.js';
import { AsymmetryMeter, pathsBetween, returnPath } from '../../lib/twin/return-path.js';
import { demoWorld } from '../../lib/twin/topologies/demo.js';
import { parseTopology } from '../../lib/twin/topologies/file.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';

const START = new Date('2026-03-02T10:00:00Z');
const VPC = 'vpc-0a1b2c3d4e5f60001';
const BUSAN = '10.4.0.20';

describe('the return path (on-prem → AWS)', () => {
  it('follows the customer preference while BGP is established: busan returns over its BGP VPN', () => {
    const world = demoWorld(START);
    expect(returnPath(world, BUSAN).vpnId).toBe('vpn-0a1b2c3d4e5f60003');
    expect(pathsBetween(world, VPC, BUSAN)).toMatchObject({
      forward: { vpnId: 'vpn-0a1b2c3d4e5f60003' },
      asymmetric: false,
    });
  });

  it('leaves a BGP VPN whose tunnels are DOWN, and comes back to it as soon as BGP is up again', () => {
    const world = demoWorld(START);
    setTunnelStatus(world, '198.51.100.30', 'DOWN', START);
    setTunnelStatus(world, '198.51.100.31', 'DOWN', START);
    expect(returnPath(world, BUSAN).vpnId).toBe('vpn-0a1b2c3d4e5f60004');
    setTunnelStatus(world, '198.51.100.30', 'UP', START);
    expect(returnPath(world, BUSAN).vpnId).toBe('vpn-0a1b2c3d4e5f60003');
  });

  it('a BGP VPN UP with no accepted routes carries nothing back (IPsec up, BGP down)', () => {
    const world = demoWorld(START);
    for (const t of world.vpnConnections.find((v) => v.id === 'vpn-0a1b2c3d4e5f60003')?.tunnels ?? [])
      t.acceptedRouteCount = 0;
    expect(returnPath(world, BUSAN).vpnId).toBe('vpn-0a1b2c3d4e5f60004');
  });

  it('a static VPN follows the customer static configuration: tunnel state by default, or pinned', () => {
    const world = demoWorld(START);
    setTunnelStatus(world, '198.51.100.10', 'DOWN', START);
    setTunnelStatus(world, '198.51.100.11', 'DOWN', START);
    expect(returnPath(world, '10.3.0.10').vpnId).toBe('vpn-0a1b2c3d4e5f60002');
    world.onPrem = [
      {
        prefixes: ['10.3.0.0/20'],
        returnPaths: [
          { vpn: 'vpn-0a1b2c3d4e5f60001', staticFollows: 'pinned' },
          { vpn: 'vpn-0a1b2c3d4e5f60002' },
        ],
      },
    ];
    expect(returnPath(world, '10.3.0.10').vpnId).toBe('vpn-0a1b2c3d4e5f60001');
  });

  it('says so when no network of the topology holds the address', () => {
    expect(returnPath(demoWorld(START), '192.0.2.1')).toMatchObject({
      reason: expect.stringContaining('no onPrem'),
    });
  });

  it('the meter measures the longest window the two directions differ, an open one up to now', () => {
    const world = demoWorld(START);
    const meter = new AsymmetryMeter();
    meter.watch(VPC, BUSAN);
    const t = START.getTime();
    // AWS sends over the TGW backup (a static override) while on-prem already returns over BGP.
    createRoute(world, 'rtb-0a1b2c3d4e5f60001', '10.4.0.0/20', {
      param: 'TransitGatewayId',
      id: 'tgw-0a1b2c3d4e5f60001',
    });
    meter.sample(world, t);
    expect(meter.longestMs(VPC, BUSAN, t + 120_000)).toBe(120_000);
    deleteRoute(world, 'rtb-0a1b2c3d4e5f60001', '10.4.0.0/20');
    meter.sample(world, t + 180_000);
    expect(meter.longestMs(VPC, BUSAN, t + 600_000)).toBe(180_000);
    expect(meter.longestMs(VPC, '10.3.0.10', t)).toBeUndefined();
  });
});

describe('topology files: onPrem', () => {
  const base = `
vpnConnections:
  - id: vpn-0a1b2c3d4e5f60011
    customerGateway: cgw-0a1b2c3d4e5f60011
    transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60011 }
    tunnels: [198.51.100.50, 198.51.100.51]
transitGateways:
  - id: tgw-0a1b2c3d4e5f60001
    routeTables: [{ id: tgw-rtb-0a1b2c3d4e5f60001 }]
`;
  it('builds the customer side the file describes', () => {
    const world = parseTopology(
      `${base}onPrem: [{ prefixes: [10.5.0.0/20], returnPaths: [{ vpn: vpn-0a1b2c3d4e5f60011, localPref: 100 }] }]\n`,
      't.yml',
    )(START);
    expect(world.onPrem).toEqual([
      { prefixes: ['10.5.0.0/20'], returnPaths: [{ vpn: 'vpn-0a1b2c3d4e5f60011', localPref: 100 }] },
    ]);
  });

  it('names the field of a return path over a VPN the topology does not have', () => {
    expect(() =>
      parseTopology(
        `${base}onPrem: [{ prefixes: [10.5.0.0/20], returnPaths: [{ vpn: vpn-0a1b2c3d4e5f60099 }] }]\n`,
        't.yml',
      ),
    ).toThrow(/onPrem\.0\.returnPaths\.0\.vpn|onPrem\[0\]\.returnPaths\[0\]\.vpn/);
  });
});

describe('the asymmetry expectation', () => {
  const scenario = (expect: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-asym-'));
    const file = join(dir, 'x.yml');
    writeFileSync(
      file,
      `name: x\ntopology: demo\nmode: live\nsteps:\n  - expect: { asymmetry: ${expect} }\n`,
    );
    return () => loadScenario(file, { root: resolve('.') });
  };

  it('accepts a pair whose return path the topology models', () => {
    expect(scenario(`{ from: ${VPC}, to: ${BUSAN}, max: 6m }`)).not.toThrow();
  });

  it('refuses an address no onPrem network holds: no window could ever be measured', () => {
    expect(scenario(`{ from: ${VPC}, to: 192.0.2.1, max: 6m }`)).toThrow(
      /asymmetry\.to: 192\.0\.2\.1 is in no onPrem network/,
    );
  });

  it('refuses an unknown VPC, no bound, and min above max', () => {
    expect(scenario(`{ from: vpc-0a1b2c3d4e5f60099, to: ${BUSAN}, max: 6m }`)).toThrow(/asymmetry\.from/);
    expect(scenario(`{ from: ${VPC}, to: ${BUSAN} }`)).toThrow(/give max:, min: or both/);
    expect(scenario(`{ from: ${VPC}, to: ${BUSAN}, min: 10m, max: 6m }`)).toThrow(/min is above max/);
  });
});
