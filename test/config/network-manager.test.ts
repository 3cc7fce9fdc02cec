import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors.js';
import { parseConfig } from '../../lib/config/load.js';

const base = readFileSync('tunnel-warden.yml', 'utf8');
const withNetworkManager = (block: string) => parseConfig(`${base}\nnetworkManager:\n${block}`, 'sites.yml');

describe('networkManager in the configuration', () => {
  it('is optional: without it, Network Manager events are not signals', () => {
    expect(parseConfig(base, 'sites.yml').networkManager).toBeUndefined();
  });

  it('names the global network and the registered transit gateways', () => {
    const config = withNetworkManager(
      '  globalNetwork: global-network-0a1b2c3d4e5f60001\n  transitGateways: [tgw-0a1b2c3d4e5f60001]\n',
    );
    expect(config.networkManager).toEqual({
      globalNetwork: 'global-network-0a1b2c3d4e5f60001',
      transitGateways: ['tgw-0a1b2c3d4e5f60001'],
    });
  });

  it.each([
    [
      '  globalNetwork: gn-1\n  transitGateways: [tgw-0a1b2c3d4e5f60001]\n',
      /networkManager\.globalNetwork.*global-network-0123456789abcdef0/s,
    ],
    [
      '  globalNetwork: global-network-0a1b2c3d4e5f60001\n  transitGateways: []\n',
      /networkManager\.transitGateways.*registered transit gateways/s,
    ],
    [
      '  globalNetwork: global-network-0a1b2c3d4e5f60001\n  transitGateways: [tgw-attach-0a1b2c3d4e5f60001]\n',
      /networkManager\.transitGateways\[0\]: expected a transit gateway id/,
    ],
    [
      '  globalNetwork: global-network-0a1b2c3d4e5f60001\n  transitGateways: [tgw-0a1b2c3d4e5f60001]\n  region: us-west-2\n',
      /networkManager/,
    ],
  ])('refuses a bad block, naming the field (%#)', (block, message) => {
    expect(() => withNetworkManager(block)).toThrow(ConfigError);
    expect(() => withNetworkManager(block)).toThrow(message);
  });
});
