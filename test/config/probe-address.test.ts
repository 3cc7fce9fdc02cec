import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors.js';
import { parseConfig } from '../../lib/config/load.js';

const yaml = (probeAddress: string) => `
version: 1
sites:
  - name: busan-dc
    prefixes: [10.4.0.0/20, 10.4.16.0/24]
    probeAddress: ${probeAddress}
    routeTables: { vpc: [rtb-0a1b2c3d4e5f60001] }
    paths:
      - { name: bgp, vpn: vpn-0a1b2c3d4e5f60003, vpcTarget: vgw-0a1b2c3d4e5f60001 }
      - { name: tgw, vpcTarget: tgw-0a1b2c3d4e5f60001 }
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, 'sites.yml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('config: a site probe address (the address whose effective route is verified)', () => {
  it('accepts an address inside any of the site prefixes', () => {
    expect(parseConfig(yaml('10.4.16.9'), 'sites.yml').sites[0]?.probeAddress).toBe('10.4.16.9');
  });

  it.each([
    [
      'outside every prefix',
      '10.5.0.1',
      "10.5.0.1 is in none of the site's prefixes (10.4.0.0/20, 10.4.16.0/24)",
    ],
    ['not an address', '10.4.0.300', 'expected an IPv4 address'],
    ['a CIDR', '10.4.0.0/24', 'expected an IPv4 address'],
  ])('rejects an address %s, naming the field', (_, address, problem) => {
    const error = errorOf(yaml(address));
    expect(error.fieldPath).toBe('sites[0].probeAddress');
    expect(error.message).toContain(`sites.yml: sites[0].probeAddress: `);
    expect(error.message).toContain(problem);
  });
});
