import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateRouteCommand, ReplaceTransitGatewayRouteCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2Client } from '../../lib/aws/clients.js';
import { ScenarioError } from '../../lib/drills/errors.js';
import { loadScenario } from '../../lib/drills/load.js';
import { DEFAULT_TWIN_START, TwinClock } from '../../lib/twin/clock.js';
import { MANAGED_TAG_KEY } from '../../lib/twin/ec2-actions.js';
import { startEc2Twin } from '../../lib/twin/ec2-server.js';
import { TopologyError } from '../../lib/twin/errors.js';
import { Faults } from '../../lib/twin/faults.js';
import { probe } from '../../lib/twin/probe.js';
import { effectiveTgwRoutes, effectiveVpcRoutes } from '../../lib/twin/routing.js';
import type { TwinWorld } from '../../lib/twin/state.js';
import { DEMO, demoWorld } from '../../lib/twin/topologies/demo.js';
import { loadTopology } from '../../lib/twin/topologies/file.js';
import { setTrafficPassing, setTunnelStatus } from '../../lib/twin/tunnels.js';
import { credentials } from './helpers.js';

const SINGLE_SITE = join(process.cwd(), 'drills', 'topologies', 'single-site.yml');
const OSAKA = join(process.cwd(), 'drills', 'osaka-primary-lost.yml');

/** The demo world (lib/twin/topologies/demo.ts) as a topology file. */
const DEMO_TOPOLOGY = `
account: '111122223333'
region: us-east-1
transitGateways:
  - id: tgw-0a1b2c3d4e5f60001
    routeTables:
      - id: tgw-rtb-0a1b2c3d4e5f60001
        name: demo-tgw-routes
        routes:
          - { destination: 10.3.0.0/20, attachment: tgw-attach-0a1b2c3d4e5f60001 }
          - { destination: 10.4.0.0/20, attachment: tgw-attach-0a1b2c3d4e5f60004 }
        propagations: [tgw-attach-0a1b2c3d4e5f60003]
vpnGateways:
  - { id: vgw-0a1b2c3d4e5f60001, asn: 64512, vpc: vpc-0a1b2c3d4e5f60001 }
vpcs:
  - id: vpc-0a1b2c3d4e5f60001
    cidr: 10.0.0.0/16
    transitGatewayAttachments:
      - { id: tgw-attach-0a1b2c3d4e5f60003, transitGateway: tgw-0a1b2c3d4e5f60001 }
    routeTables:
      - { id: rtb-0a1b2c3d4e5f60001, name: demo-private-a, main: true, propagatingVgws: [vgw-0a1b2c3d4e5f60001] }
      - { id: rtb-0a1b2c3d4e5f60002, name: demo-private-b, propagatingVgws: [vgw-0a1b2c3d4e5f60001] }
vpnConnections:
  - id: vpn-0a1b2c3d4e5f60001
    name: seoul-dc-primary
    customerGateway: cgw-0a1b2c3d4e5f60001
    transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60001 }
    tunnels: [198.51.100.10, 198.51.100.11]
  - id: vpn-0a1b2c3d4e5f60002
    name: seoul-dc-backup
    customerGateway: cgw-0a1b2c3d4e5f60002
    transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60002 }
    tunnels: [198.51.100.20, 198.51.100.21]
  - id: vpn-0a1b2c3d4e5f60003
    name: busan-dc-bgp
    customerGateway: cgw-0a1b2c3d4e5f60003
    vpnGateway: vgw-0a1b2c3d4e5f60001
    bgp: { advertises: [10.4.0.0/20] }
    tunnels: [198.51.100.30, 198.51.100.31]
  - id: vpn-0a1b2c3d4e5f60004
    name: busan-dc-tgw-backup
    customerGateway: cgw-0a1b2c3d4e5f60004
    transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60004 }
    tunnels: [198.51.100.40, 198.51.100.41]
# The customer routers, as the demo has them: each prefers its primary (lib/twin/return-path.ts).
onPrem:
  - prefixes: [10.3.0.0/20]
    returnPaths: [{ vpn: vpn-0a1b2c3d4e5f60001, localPref: 200 }, { vpn: vpn-0a1b2c3d4e5f60002, localPref: 100 }]
  - prefixes: [10.4.0.0/20]
    returnPaths: [{ vpn: vpn-0a1b2c3d4e5f60003, localPref: 200 }, { vpn: vpn-0a1b2c3d4e5f60004, localPref: 100 }]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunnel-warden-topology-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The demo topology with one line replaced: each malformed case is one mistake in a good file. */
function demoWith(from: string, to: string): string {
  if (!DEMO_TOPOLOGY.includes(from)) throw new Error(`the demo topology has no "${from}"`);
  return DEMO_TOPOLOGY.replace(from, to);
}

describe('the shipped single-site topology', () => {
  it('loads: osaka-dc behind the TGW, a primary and a backup static VPN, every tunnel UP for a day', () => {
    const world = loadTopology(SINGLE_SITE)(DEFAULT_TWIN_START);
    expect(world.vpnConnections.map((v) => [v.id, v.transitGatewayId, v.staticRoutesOnly])).toEqual([
      ['vpn-0a1b2c3d4e5f60011', 'tgw-0a1b2c3d4e5f60001', true],
      ['vpn-0a1b2c3d4e5f60012', 'tgw-0a1b2c3d4e5f60001', true],
    ]);
    const tunnels = world.vpnConnections.flatMap((v) => v.tunnels);
    expect(tunnels.map((t) => t.outsideIp)).toEqual([
      '198.51.100.50',
      '198.51.100.51',
      '198.51.100.52',
      '198.51.100.53',
    ]);
    for (const t of tunnels) {
      expect(t).toMatchObject({
        status: 'UP',
        trafficPassing: true,
        lastStatusChange: '2026-03-01T10:00:00.000Z',
      });
    }
    expect(world.vpnConnections[1]?.tags).toEqual({
      Name: 'osaka-dc-backup',
      [MANAGED_TAG_KEY]: 'true',
      site: 'osaka-dc',
    });
    expect(world.tgwAttachments).toEqual([
      expect.objectContaining({ id: 'tgw-attach-0a1b2c3d4e5f60011', resourceType: 'vpn' }),
      expect.objectContaining({ id: 'tgw-attach-0a1b2c3d4e5f60012', resourceType: 'vpn' }),
      expect.objectContaining({ id: 'tgw-attach-0a1b2c3d4e5f60013', resourceType: 'vpc' }),
    ]);
    for (const a of world.tgwAttachments) expect(a.associatedRouteTableId).toBe('tgw-rtb-0a1b2c3d4e5f60001');
    expect(world.tgwRouteTables[0]?.tags).toEqual({ Name: 'osaka-tgw-routes', [MANAGED_TAG_KEY]: 'true' });
    expect(world.routeTables[0]?.tags).toEqual({ Name: 'osaka-workload' });
    expect(world.routeTables[0]?.routes).toEqual([
      { destination: '10.5.0.0/20', target: { param: 'TransitGatewayId', id: 'tgw-0a1b2c3d4e5f60001' } },
    ]);
    expect(probe(world, { fromVpcId: 'vpc-0a1b2c3d4e5f60001', to: '10.5.0.10' })).toMatchObject({
      reachable: true,
      hops: [
        'rtb-0a1b2c3d4e5f60001',
        'tgw-0a1b2c3d4e5f60001',
        'tgw-attach-0a1b2c3d4e5f60013',
        'tgw-rtb-0a1b2c3d4e5f60001',
        'tgw-attach-0a1b2c3d4e5f60011',
        'vpn-0a1b2c3d4e5f60011',
        '198.51.100.50',
      ],
    });
  });

  it('gives a fresh world every time', () => {
    const factory = loadTopology(SINGLE_SITE);
    const first = factory(DEFAULT_TWIN_START);
    setTunnelStatus(first, '198.51.100.50', 'DOWN', DEFAULT_TWIN_START);
    first.tgwRouteTables[0]?.routes.splice(0);
    const second = factory(DEFAULT_TWIN_START);
    expect(second.vpnConnections[0]?.tunnels[0]?.status).toBe('UP');
    expect(second.tgwRouteTables[0]?.routes).toHaveLength(1);
  });

  it('the osaka scenario resolves its topology and config against its own folder', () => {
    const loaded = loadScenario(OSAKA);
    expect(loaded.scenario.config).toBe(
      join(process.cwd(), 'drills', 'topologies', 'single-site.tunnel-warden.yml'),
    );
    expect(loaded.world(DEFAULT_TWIN_START)).toEqual(loadTopology(SINGLE_SITE)(DEFAULT_TWIN_START));
  });

  it('a table left unmanaged refuses writes (UnauthorizedOperation); a managed one accepts them', async () => {
    const clock = new TwinClock();
    const twin = await startEc2Twin(loadTopology(SINGLE_SITE)(clock.now()), { clock, faults: new Faults(1) });
    try {
      const ec2 = ec2Client({ endpoint: twin.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      const unmanaged = ec2.send(
        new CreateRouteCommand({
          RouteTableId: 'rtb-0a1b2c3d4e5f60001',
          DestinationCidrBlock: '10.6.0.0/16',
          TransitGatewayId: 'tgw-0a1b2c3d4e5f60001',
        }),
      );
      await expect(unmanaged).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
      await ec2.send(
        new ReplaceTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
          DestinationCidrBlock: '10.5.0.0/20',
          TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60012',
        }),
      );
    } finally {
      await twin.close();
    }
  });
});

describe('a topology file equivalent to the demo', () => {
  let fromFile: TwinWorld;
  let demo: TwinWorld;
  beforeAll(() => {
    fromFile = loadTopology(write('demo.yml', DEMO_TOPOLOGY))(DEFAULT_TWIN_START);
    demo = demoWorld(DEFAULT_TWIN_START);
  });

  it('builds the demo world (attachments listed VPNs first, then VPCs)', () => {
    const byId = (w: TwinWorld) => ({
      ...w,
      tgwAttachments: [...w.tgwAttachments].sort((a, b) => a.id.localeCompare(b.id)),
    });
    expect(byId(fromFile)).toEqual(byId(demo));
  });

  /** Effective routes of every table, and probes to both sites from everywhere. */
  const observe = (world: TwinWorld) => ({
    tgw: effectiveTgwRoutes(world, DEMO.tgwRouteTableId),
    vpc: DEMO.routeTableIds.map((id) => effectiveVpcRoutes(world, id)),
    probes: [DEMO.seoul.probe, DEMO.busan.probe].flatMap((to) => [
      probe(world, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to }),
      probe(world, { fromVpcId: DEMO.vpcId, to }),
      ...DEMO.routeTableIds.map((fromRouteTableId) => probe(world, { fromRouteTableId, to })),
    ]),
  });

  it.each<[string, (w: TwinWorld) => void]>([
    ['in steady state', () => undefined],
    [
      'with seoul-dc primary down',
      (w) => {
        for (const ip of DEMO.seoul.primary.tunnels) setTunnelStatus(w, ip, 'DOWN', DEFAULT_TWIN_START);
      },
    ],
    [
      'with busan-dc BGP down',
      (w) => {
        for (const ip of DEMO.busan.bgp.tunnels) setTunnelStatus(w, ip, 'DOWN', DEFAULT_TWIN_START);
      },
    ],
    ['with a gray failure on seoul-dc', (w) => setTrafficPassing(w, '198.51.100.10', false)],
  ])('gives the same effective routes and probes as demoWorld() %s', (_, change) => {
    const a = loadTopology(join(dir, 'demo.yml'))(DEFAULT_TWIN_START);
    const b = demoWorld(DEFAULT_TWIN_START);
    change(a);
    change(b);
    expect(observe(a)).toEqual(observe(b));
  });

  it('reaches seoul-dc through the TGW primary, as the demo does', () => {
    expect(probe(fromFile, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to: DEMO.seoul.probe })).toEqual(
      probe(demo, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to: DEMO.seoul.probe }),
    );
  });
});

describe('malformed topology files are TopologyErrors naming the file and the field', () => {
  it.each([
    [
      'a bad id',
      demoWith('id: vpn-0a1b2c3d4e5f60002', 'id: vpn-seoul-backup'),
      'vpnConnections[1].id',
      'expected a VPN connection id like vpn-0123456789abcdef0',
    ],
    [
      'a bad CIDR',
      demoWith('cidr: 10.0.0.0/16', 'cidr: 10.0.0.1/16'),
      'vpcs[0].cidr',
      '10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?',
    ],
    [
      'an unknown key',
      demoWith('    name: seoul-dc-primary', '    name: seoul-dc-primary\n    tunnelCount: 2'),
      'vpnConnections[0]',
      'tunnelCount',
    ],
    [
      'a route to an attachment nobody declares',
      demoWith('attachment: tgw-attach-0a1b2c3d4e5f60004 }', 'attachment: tgw-attach-0a1b2c3d4e5f60009 }'),
      'transitGateways[0].routeTables[0].routes[1].attachment',
      'no transit gateway attachment tgw-attach-0a1b2c3d4e5f60009 in this topology',
    ],
    [
      "a VPN on a TGW that doesn't exist",
      demoWith(
        'transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60002 }',
        'transitGateway: { id: tgw-0a1b2c3d4e5f60009, attachment: tgw-attach-0a1b2c3d4e5f60002 }',
      ),
      'vpnConnections[1].transitGateway.id',
      'no transit gateway tgw-0a1b2c3d4e5f60009 in this topology',
    ],
    [
      "a VGW on a VPC that doesn't exist",
      demoWith('vpc: vpc-0a1b2c3d4e5f60001 }', 'vpc: vpc-0a1b2c3d4e5f60009 }'),
      'vpnGateways[0].vpc',
      'no VPC vpc-0a1b2c3d4e5f60009 in this topology',
    ],
    [
      "a VPN on a VGW that doesn't exist",
      demoWith('vpnGateway: vgw-0a1b2c3d4e5f60001', 'vpnGateway: vgw-0a1b2c3d4e5f60009'),
      'vpnConnections[2].vpnGateway',
      'no virtual private gateway vgw-0a1b2c3d4e5f60009 in this topology',
    ],
    [
      'a VPN on both a TGW and a VGW',
      demoWith(
        '    vpnGateway: vgw-0a1b2c3d4e5f60001',
        '    vpnGateway: vgw-0a1b2c3d4e5f60001\n    transitGateway: { id: tgw-0a1b2c3d4e5f60001, attachment: tgw-attach-0a1b2c3d4e5f60009 }',
      ),
      'vpnConnections[2]',
      'exactly one of transitGateway',
    ],
    [
      'a route target whose prefix names nothing',
      demoWith(
        'main: true, propagatingVgws',
        'main: true, routes: [{ destination: 10.9.0.0/16, target: tgw-attach-0a1b2c3d4e5f60001 }], propagatingVgws',
      ),
      'vpcs[0].routeTables[0].routes[0].target',
      'expected a route target id whose prefix says its kind',
    ],
    [
      'a duplicate tunnel IP',
      demoWith('tunnels: [198.51.100.20, 198.51.100.21]', 'tunnels: [198.51.100.20, 198.51.100.10]'),
      'vpnConnections[1].tunnels[1]',
      'duplicate tunnel outside IP 198.51.100.10 (also at vpnConnections[0].tunnels[0])',
    ],
    [
      'a hand-written managed tag',
      demoWith(
        '    name: seoul-dc-backup',
        "    name: seoul-dc-backup\n    tags: { 'tunnel-warden:managed': 'false' }",
      ),
      'vpnConnections[1].tags',
      'managed: false',
    ],
    [
      "a preferred tunnel that is not one of the VPN's",
      demoWith(
        'tunnels: [198.51.100.20, 198.51.100.21]',
        'tunnels: [198.51.100.20, 198.51.100.21]\n    preferredTunnel: 198.51.100.10',
      ),
      'vpnConnections[1].preferredTunnel',
      "198.51.100.10 is not one of this VPN's tunnels (198.51.100.20, 198.51.100.21)",
    ],
    [
      'a customer gateway that initiates "sometimes"',
      demoWith(
        'tunnels: [198.51.100.20, 198.51.100.21]',
        'tunnels: [198.51.100.20, 198.51.100.21]\n    customerGatewayInitiates: sometimes',
      ),
      'vpnConnections[1].customerGatewayInitiates',
      '',
    ],
    [
      'an IKE version AWS does not offer',
      demoWith(
        'tunnels: [198.51.100.20, 198.51.100.21]',
        'tunnels: [198.51.100.20, 198.51.100.21]\n    tunnelOptions: { ikeVersions: [ikev3] }',
      ),
      'vpnConnections[1].tunnelOptions.ikeVersions[0]',
      '',
    ],
    [
      'an undocumented TGW static route state',
      demoWith('region: us-east-1', 'region: us-east-1\ntgwStaticRouteOnDeadVpn: withdrawn'),
      'tgwStaticRouteOnDeadVpn',
      '',
    ],
    ['invalid YAML', 'vpcs: [\n', '', 'invalid YAML'],
  ])('%s', (_, text, fieldPath, problem) => {
    const file = write('malformed.yml', text);
    const error = thrown(() => loadTopology(file));
    expect(error).toBeInstanceOf(TopologyError);
    expect(error).toMatchObject({ file, fieldPath });
    expect((error as Error).message).toContain(`${file}: ${fieldPath === '' ? '' : `${fieldPath}: `}`);
    expect((error as Error).message).toContain(problem);
  });

  it('a topology file that cannot be read', () => {
    const file = join(dir, 'nowhere.yml');
    expect(thrown(() => loadTopology(file))).toMatchObject({ file, fieldPath: '' });
  });
});

describe('a scenario with its own topology', () => {
  const steps = 'steps:\n  - advance: 1m\n';

  it('names the topology field when the file is missing', () => {
    const scenario = write('scenarios/missing.yml', `name: missing\ntopology: ./nowhere.yml\n${steps}`);
    const error = thrown(() => loadScenario(scenario));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error).toMatchObject({ file: scenario, fieldPath: 'topology' });
    expect((error as Error).message).toContain(
      `${scenario}: topology: cannot read the topology file ./nowhere.yml`,
    );
  });

  it('reports a malformed topology at its own file and field', () => {
    const topology = write('scenarios/topologies/bad.yml', demoWith('asn: 64512, vpc', 'asn: -1, vpc'));
    const scenario = write('scenarios/bad.yml', `name: bad\ntopology: topologies/bad.yml\n${steps}`);
    const error = thrown(() => loadScenario(scenario));
    // A drill problem (exit 2), wrapping the twin's own error.
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).cause).toBeInstanceOf(TopologyError);
    expect(error).toMatchObject({
      file: topology,
      fieldPath: 'vpnGateways[0].asn',
    });
  });

  it('reads the topology relative to the scenario and builds it fresh for each run', () => {
    write('scenarios/topologies/demo.yml', DEMO_TOPOLOGY);
    const scenario = write('scenarios/good.yml', `name: good\ntopology: topologies/demo.yml\n${steps}`);
    const loaded = loadScenario(scenario);
    expect(loaded.scenario.topology).toBe('topologies/demo.yml');
    expect(loaded.world(DEFAULT_TWIN_START).vpnConnections).toHaveLength(4);
    expect(loaded.world(DEFAULT_TWIN_START)).not.toBe(loaded.world(DEFAULT_TWIN_START));
  });

  it('names the config field when the configuration file is missing', () => {
    const scenario = write('scenarios/no-config.yml', `name: no-config\nconfig: ./nowhere.yml\n${steps}`);
    expect(thrown(() => loadScenario(scenario))).toMatchObject({ file: scenario, fieldPath: 'config' });
  });

  it('keeps `demo` as the default topology', () => {
    const scenario = write('scenarios/default.yml', `name: default\n${steps}`);
    expect(loadScenario(scenario).world(DEFAULT_TWIN_START)).toEqual(demoWorld(DEFAULT_TWIN_START));
  });
});
