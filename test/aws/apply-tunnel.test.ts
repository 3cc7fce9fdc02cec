import { EC2Client, ReplaceVpnTunnelCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const action = {
  type: 'tunnel-replacement',
  vpnId: 'vpn-0a1b2c3d4e5f60001',
  outsideIp: '198.51.100.10',
} as const;

beforeEach(() => ec2Mock.reset());

describe('tunnel replacement', () => {
  it('calls ReplaceVpnTunnel for that tunnel only', async () => {
    ec2Mock.on(ReplaceVpnTunnelCommand).resolves({ Return: true });
    const result = await applyAction(ec2, action);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['ReplaceVpnTunnel'] });
    expect(ec2Mock.commandCalls(ReplaceVpnTunnelCommand)[0]?.args[0].input).toEqual({
      VpnConnectionId: 'vpn-0a1b2c3d4e5f60001',
      VpnTunnelOutsideIpAddress: '198.51.100.10',
    });
  });

  it('asks AWS to apply pending maintenance when the drill said so', async () => {
    ec2Mock.on(ReplaceVpnTunnelCommand).resolves({ Return: true });
    const result = await applyAction(ec2, { ...action, applyPendingMaintenance: true });
    expect(result).toMatchObject({
      outcome: 'changed',
      detail: expect.stringContaining('pending maintenance'),
    });
    expect(ec2Mock.commandCalls(ReplaceVpnTunnelCommand)[0]?.args[0].input).toEqual({
      VpnConnectionId: 'vpn-0a1b2c3d4e5f60001',
      VpnTunnelOutsideIpAddress: '198.51.100.10',
      ApplyPendingMaintenance: true,
    });
  });

  it('reports an untagged connection as a failure with the tag hint', async () => {
    ec2Mock
      .on(ReplaceVpnTunnelCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation', $metadata: {} }));
    const result = await applyAction(ec2, action);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'UnauthorizedOperation' });
    expect(result.detail).toContain('tunnel-warden:managed');
  });
});
