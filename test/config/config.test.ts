import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../lib/config/errors.js';
import { loadConfig, parseConfig, sitePolicy } from '../../lib/config/load.js';

interface RawPath {
  name: string;
  vpn?: string;
  transitGatewayAttachment?: string;
  vpcTarget?: string;
}
interface RawSite {
  name: string;
  prefixes: string[];
  routeTables: Record<string, string[]>;
  paths: RawPath[];
  policy?: Record<string, string>;
}

const valid: { version: number; sites: RawSite[] } = {
  version: 1,
  sites: [
    {
      name: 'seoul-dc',
      prefixes: ['10.3.0.0/20'],
      routeTables: { transitGateway: ['tgw-rtb-0a1b2c3d4e5f60001'] },
      paths: [
        {
          name: 'primary',
          vpn: 'vpn-0a1b2c3d4e5f60001',
          transitGatewayAttachment: 'tgw-attach-0a1b2c3d4e5f60001',
        },
        {
          name: 'backup',
          vpn: 'vpn-0a1b2c3d4e5f60002',
          transitGatewayAttachment: 'tgw-attach-0a1b2c3d4e5f60002',
        },
      ],
      policy: { holdDown: '15m' },
    },
    {
      name: 'busan-dc',
      prefixes: ['10.4.0.0/20'],
      routeTables: { vpc: ['rtb-0a1b2c3d4e5f60001'] },
      paths: [
        { name: 'bgp', vpn: 'vpn-0a1b2c3d4e5f60003', vpcTarget: 'vgw-0a1b2c3d4e5f60001' },
        { name: 'tgw', vpcTarget: 'tgw-0a1b2c3d4e5f60001' },
      ],
    },
  ],
};

type Mutation = (config: typeof valid) => void;

function errorOf(mutate: Mutation): ConfigError {
  const config = structuredClone(valid);
  mutate(config);
  try {
    parseConfig(stringify(config), 'sites.yml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('site configuration', () => {
  it('loads the shipped demo configuration', () => {
    const config = loadConfig('tunnel-warden.yml');
    expect(config.sites.map((s) => s.name)).toEqual(['seoul-dc', 'busan-dc']);
  });

  it('fills defaults and lets a site override them', () => {
    const config = parseConfig(stringify(valid), 'sites.yml');
    expect(config.mode).toBe('dry-run');
    const [seoul, busan] = config.sites;
    if (seoul === undefined || busan === undefined) throw new Error('sites missing');
    expect(sitePolicy(config, seoul)).toEqual({
      holdDownMs: 15 * 60_000,
      flapping: { maxTransitions: 4, windowMs: 30 * 60_000 },
      maxChangesPerRun: 20,
    });
    expect(sitePolicy(config, busan).holdDownMs).toBe(10 * 60_000);
    expect(busan.routeTables).toEqual({
      transitGateway: [],
      vpc: ['rtb-0a1b2c3d4e5f60001'],
      propagation: true,
    });
  });

  it('fills every default from the schema when the defaults block is absent, empty or partial', () => {
    const documented = {
      holdDown: 10 * 60_000,
      flapping: { maxTransitions: 4, window: 30 * 60_000 },
      maxChangesPerRun: 20,
      relapseWindow: 30 * 60_000,
      incidentRetention: 90 * 86_400_000,
    };
    const withDefaults = (defaults?: object) =>
      parseConfig(stringify({ ...valid, ...(defaults === undefined ? {} : { defaults }) }), 'sites.yml')
        .defaults;
    expect(withDefaults()).toEqual(documented);
    expect(withDefaults({})).toEqual(documented);
    expect(withDefaults({ flapping: {} })).toEqual(documented);
    expect(withDefaults({ flapping: { maxTransitions: 6 } })).toEqual({
      ...documented,
      flapping: { maxTransitions: 6, window: 30 * 60_000 },
    });
  });

  it('parses each VPC target once, into its kind and id', () => {
    const config = parseConfig(stringify(valid), 'sites.yml');
    expect(config.sites[1]?.paths.map((p) => p.vpcTarget)).toEqual([
      { kind: 'vpn-gateway', id: 'vgw-0a1b2c3d4e5f60001' },
      { kind: 'transit-gateway', id: 'tgw-0a1b2c3d4e5f60001' },
    ]);
    const eni = structuredClone(valid);
    eni.sites[1]!.paths[1]!.vpcTarget = 'eni-0a1b2c3d4e5f60001';
    expect(parseConfig(stringify(eni), 'sites.yml').sites[1]?.paths[1]?.vpcTarget).toEqual({
      kind: 'network-interface',
      id: 'eni-0a1b2c3d4e5f60001',
    });
  });

  it.each<[string, Mutation, string, string]>([
    [
      'two paths with one VPC target',
      (c) => {
        c.sites[1]!.paths[1]!.vpcTarget = 'vgw-0a1b2c3d4e5f60001';
      },
      'sites[1].paths[1].vpcTarget',
      'vgw-0a1b2c3d4e5f60001 is already the vpcTarget of paths[0]',
    ],
    [
      'two paths with one attachment',
      (c) => {
        c.sites[0]!.paths[1]!.transitGatewayAttachment = 'tgw-attach-0a1b2c3d4e5f60001';
      },
      'sites[0].paths[1].transitGatewayAttachment',
      'tgw-attach-0a1b2c3d4e5f60001 is already the transitGatewayAttachment of paths[0]',
    ],
    [
      'a VGW path without its VPN',
      (c) => {
        delete c.sites[1]!.paths[0]!.vpn;
      },
      'sites[1].paths[0].vpn',
      'required for a path through a virtual private gateway',
    ],
    [
      'a NAT gateway backup',
      (c) => {
        c.sites[1]!.paths[1]!.vpcTarget = 'nat-0a1b2c3d4e5f60001';
      },
      'sites[1].paths[1].vpcTarget',
      'is a NAT gateway: traffic arriving from a VPN cannot transit a NAT gateway',
    ],
    [
      'an internet gateway backup',
      (c) => {
        c.sites[1]!.paths[1]!.vpcTarget = 'igw-0a1b2c3d4e5f60001';
      },
      'sites[1].paths[1].vpcTarget',
      'cannot transit an internet gateway',
    ],
    [
      'a peering backup',
      (c) => {
        c.sites[1]!.paths[1]!.vpcTarget = 'pcx-0a1b2c3d4e5f60001';
      },
      'sites[1].paths[1].vpcTarget',
      'cannot transit a VPC peering connection',
    ],
    [
      'a gateway endpoint backup',
      (c) => {
        c.sites[1]!.paths[1]!.vpcTarget = 'vpce-0a1b2c3d4e5f60001';
      },
      'sites[1].paths[1].vpcTarget',
      'cannot transit a VPC endpoint',
    ],
    [
      'a prefix with host bits',
      (c) => {
        c.sites[0]!.prefixes = ['10.3.0.1/20'];
      },
      'sites[0].prefixes[0]',
      'did you mean 10.3.0.0/20?',
    ],
    [
      'a bad prefix',
      (c) => {
        c.sites[0]!.prefixes = ['10.3.0.0'];
      },
      'sites[0].prefixes[0]',
      'expected an IPv4 CIDR',
    ],
    [
      'overlapping sites',
      (c) => {
        c.sites[1]!.prefixes = ['10.3.4.0/24'];
      },
      'sites[1].prefixes[0]',
      'overlaps 10.3.0.0/20 of sites[0]',
    ],
    [
      'a duplicate site',
      (c) => {
        c.sites[1]!.name = 'seoul-dc';
      },
      'sites[1].name',
      'duplicate site name seoul-dc',
    ],
    [
      'a TGW site path without attachment',
      (c) => {
        delete c.sites[0]!.paths[1]!.transitGatewayAttachment;
      },
      'sites[0].paths[1].transitGatewayAttachment',
      'required',
    ],
    [
      'a bad hold-down',
      (c) => {
        c.sites[0]!.policy = { holdDown: '10 minutes' };
      },
      'sites[0].policy.holdDown',
      'expected a duration like 90s',
    ],
    [
      'a bad VPN id',
      (c) => {
        c.sites[0]!.paths[0]!.vpn = 'vpn-xyz';
      },
      'sites[0].paths[0].vpn',
      'expected a VPN connection id',
    ],
    [
      'an unknown key',
      (c) => {
        Object.assign(c.sites[0]!, { colour: 'blue' });
      },
      'sites[0]',
      'colour',
    ],
    [
      'no route tables',
      (c) => {
        c.sites[0]!.routeTables = { transitGateway: [] };
      },
      'sites[0].routeTables',
      'at least one route table',
    ],
    [
      'a bad mode',
      (c) => {
        Object.assign(c, { mode: 'yolo' });
      },
      'mode',
      'enabled',
    ],
  ])('rejects %s, naming the file, the field and what was expected', (_, mutate, fieldPath, problem) => {
    const error = errorOf(mutate);
    expect(error.file).toBe('sites.yml');
    expect(error.fieldPath).toBe(fieldPath);
    expect(error.message).toContain(`sites.yml: ${fieldPath}: `);
    expect(error.message).toContain(problem);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseConfig('version: 1\nsites: [\n  - oops: {\n', 'broken.yml')).toThrow(
      /^broken\.yml: line \d+, column \d+: invalid YAML/,
    );
  });

  it('names a file it cannot read', () => {
    expect(() => loadConfig('/nonexistent/tunnel-warden.yml')).toThrow(
      '/nonexistent/tunnel-warden.yml: cannot read the configuration file',
    );
  });
});
