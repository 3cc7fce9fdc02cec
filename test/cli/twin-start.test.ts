import { spawn } from 'node:child_process';
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';

/** Starts `tunnel-warden twin start`, waits for its endpoint lines, and returns them with a stop function. */
async function startTwinProcess(): Promise<{
  env: Record<string, string>;
  stop: () => Promise<number | null>;
}> {
  const child = spawn(process.execPath, ['bin/tunnel-warden.mjs', 'twin', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const env: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`twin start printed no endpoints:\n${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const match of out.matchAll(/export (AWS_ENDPOINT_URL_\w+)=(\S+)/g))
        env[match[1] ?? ''] = match[2] ?? '';
      if (out.includes('Ctrl-C stops it.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`twin start exited ${String(code)}:\n${out}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { env, stop };
}

describe('tunnel-warden twin start', () => {
  it('serves the demo topology on loopback until Ctrl-C', { timeout: 60_000 }, async () => {
    const twin = await startTwinProcess();
    try {
      const endpoint = twin.env.AWS_ENDPOINT_URL_EC2 ?? '';
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ec2 = new EC2Client({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
      });
      const { VpnConnections } = await ec2.send(
        new DescribeVpnConnectionsCommand({ VpnConnectionIds: ['vpn-0a1b2c3d4e5f60001'] }),
      );
      expect(VpnConnections?.[0]?.VgwTelemetry?.map((t) => t.Status)).toEqual(['UP', 'UP']);
      ec2.destroy();
    } finally {
      expect(await twin.stop()).toBe(0);
    }
  });
});
