import { describe, expect, it } from 'vitest';
import type { NetworkManagerConfig } from '../../lib/config/network-manager.js';
import { EventParseError } from '../../lib/events/errors.js';
import { parseNetworkManagerEvent } from '../../lib/events/parse.js';
import { listEvents, loadEvent } from '../helpers/fixtures.js';

const registered: NetworkManagerConfig = {
  globalNetwork: 'global-network-0a1b2c3d4e5f60001',
  transitGateways: ['tgw-0a1b2c3d4e5f60001'],
};
const here = { region: 'us-east-1' };

function parse(name: string, config: NetworkManagerConfig | undefined = registered) {
  return parseNetworkManagerEvent(loadEvent(name), here, config);
}

describe('Network Manager VPN events as AWS documents them', () => {
  it.each([
    ['vpn-ipsec-down.json', 'tunnel-down', '198.51.100.10'],
    ['vpn-ipsec-down-legacy-keys.json', 'tunnel-down', '198.51.100.11'],
    ['vpn-bgp-down.json', 'tunnel-down', '198.51.100.11'],
    ['vpn-ipsec-up.json', 'tunnel-up', '198.51.100.10'],
    ['vpn-bgp-established.json', 'tunnel-up', '198.51.100.11'],
  ])('%s is a %s signal naming the VPN and its tunnel', (name, kind, ip) => {
    const outcome = parse(`aws.networkmanager/${name}`);
    expect(outcome).toMatchObject({
      type: 'signal',
      signal: {
        kind,
        origin: { source: 'aws.networkmanager', account: '111122223333', region: 'us-west-2' },
        targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [ip] }],
        network: {
          globalNetworkId: 'global-network-0a1b2c3d4e5f60001',
          transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
          vpnRegion: 'us-east-1',
        },
      },
    });
    if (outcome.type === 'signal' && 'targets' in outcome.signal)
      expect(outcome.signal.targets[0]).not.toHaveProperty('account');
  });

  it('keeps the peer ASN of a BGP event', () => {
    expect(parse('aws.networkmanager/vpn-bgp-down.json')).toMatchObject({
      signal: { network: { changeType: 'VPN-CONNECTION-BGP-DOWN', peerAsn: '65001' } },
    });
  });

  it('reads a deleted VPN connection as a topology change', () => {
    expect(parse('aws.networkmanager/vpn-connection-deleted.json')).toMatchObject({
      type: 'signal',
      signal: { kind: 'topology-changed', targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60002', tunnelIps: [] }] },
    });
  });

  it("marks another account's VPN (its ARN's account) so it is recorded, never acted on", () => {
    expect(parse('aws.networkmanager/vpn-ipsec-down-other-account.json')).toMatchObject({
      signal: { targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001', account: '444455556666' }] },
    });
  });
});

describe('Network Manager events that are not signals', () => {
  it('without networkManager in the configuration', () => {
    const event = loadEvent('aws.networkmanager/vpn-ipsec-down.json');
    expect(parseNetworkManagerEvent(event, here, undefined)).toMatchObject({
      type: 'ignored',
      reason: expect.stringContaining('no networkManager in the configuration'),
    });
  });

  it('of another global network, or another transit gateway', () => {
    expect(
      parse('aws.networkmanager/vpn-ipsec-down.json', {
        ...registered,
        globalNetwork: 'global-network-0fffffffffffffff0',
      }),
    ).toMatchObject({ type: 'ignored', reason: expect.stringContaining('global network') });
    expect(
      parse('aws.networkmanager/vpn-ipsec-down.json', {
        ...registered,
        transitGateways: ['tgw-0fffffffffffffff0'],
      }),
    ).toMatchObject({
      type: 'ignored',
      reason: expect.stringContaining('transit gateway tgw-0a1b2c3d4e5f60001'),
    });
  });

  it("about a VPN in another Region than the stack's", () => {
    expect(
      parseNetworkManagerEvent(
        loadEvent('aws.networkmanager/vpn-ipsec-down.json'),
        { region: 'eu-west-1' },
        registered,
      ),
    ).toMatchObject({
      type: 'ignored',
      reason: expect.stringContaining('this stack observes eu-west-1'),
    });
  });

  it('not about a VPN connection (a VPC attachment deleted)', () => {
    expect(parse('other/networkmanager-vpc-attachment-deleted.json')).toMatchObject({ type: 'ignored' });
  });
});

describe('Network Manager events that are wrong', () => {
  it('a VPN change without a usable VPN ARN names the field', () => {
    const event = loadEvent('aws.networkmanager/vpn-ipsec-down.json');
    (event.detail as Record<string, unknown>).vpnConnectionArn = 'vpn-0a1b2c3d4e5f60001';
    expect(() => parseNetworkManagerEvent(event, here, registered)).toThrow(EventParseError);
    expect(() => parseNetworkManagerEvent(event, here, registered)).toThrow(/detail\.vpnConnectionArn/);
  });

  it('an outside IP that is not an IP address names the field', () => {
    const event = loadEvent('aws.networkmanager/vpn-ipsec-down.json');
    (event.detail as Record<string, unknown>).outsideIpAddress = 'not-an-ip';
    expect(() => parseNetworkManagerEvent(event, here, registered)).toThrow(/outsideIpAddress/);
  });

  it('an event without changeType is refused', () => {
    const event = loadEvent('aws.networkmanager/vpn-ipsec-down.json');
    delete (event.detail as Record<string, unknown>).changeType;
    expect(() => parseNetworkManagerEvent(event, here, registered)).toThrow(/changeType/);
  });

  it('every fixture parses without error', () => {
    for (const name of listEvents('aws.networkmanager')) expect(() => parse(name)).not.toThrow();
  });
});
