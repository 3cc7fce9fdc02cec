import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const EXPORT = /export ((?:\w+=\S+ ?)+)/g;

/** Every VAR=value the twin told us to export, and the PID a shell in between reports (if any). */
function parseExports(out: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, assignments] of out.matchAll(EXPORT))
    for (const pair of (assignments ?? '').trim().split(' ')) {
      const [key, value] = pair.split('=');
      if (key !== undefined && value !== undefined) env[key] = value;
    }
  return env;
}

/** Waits until `child` has printed the line that says the twin is up; returns everything printed so far. */
function ready(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`twin start printed no endpoints:\n${out}`)), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ctrl-C (or SIGTERM) stops it.')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => reject(new Error(`twin start exited ${String(code)}:\n${out}`)));
  });
}

/** True while something accepts connections on the endpoint's port. */
function listening(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopsListening(endpoints: readonly string[], withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!(await Promise.all(endpoints.map(listening))).some(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

const endpointsOf = (env: Record<string, string>) => [
  ...new Set(Object.entries(env).flatMap(([k, v]) => (k.startsWith('AWS_ENDPOINT_URL_') ? [v] : []))),
];

describe('tunnel-warden twin start', () => {
  it('serves the demo topology on loopback, prints complete exports, and SIGTERM leaves nothing listening', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(process.execPath, ['bin/tunnel-warden.mjs', 'twin', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const env = parseExports(await ready(child));
      expect(env).toMatchObject({
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
        TUNNEL_WARDEN_TABLE: expect.stringMatching(/^tw-twin-/),
      });
      const endpoint = env.AWS_ENDPOINT_URL_EC2 ?? '';
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const service of ['DYNAMODB', 'SSM', 'EVENTBRIDGE', 'SNS'])
        expect(env[`AWS_ENDPOINT_URL_${service}`]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
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
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await stopsListening(endpointsOf(env), 1_000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops when the process that started it is gone (kill $! after `npx tunnel-warden twin start &`)', {
    timeout: 120_000,
  }, async () => {
    // npx runs node under `npm exec` and `sh -c`: `kill $!` ends those, never node itself. Here a shell
    // starts node in the background, tells us its PID (to clean up if the test fails) and waits.
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" bin/tunnel-warden.mjs twin start & echo "pid=$!"; wait`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let nodePid: number | undefined;
    shell.stdout.on('data', (chunk: Buffer) => {
      const match = /pid=(\d+)/.exec(chunk.toString());
      if (match !== null) nodePid = Number(match[1]);
    });
    try {
      const env = parseExports(await ready(shell));
      const endpoints = endpointsOf(env);
      expect(await listening(endpoints[0] ?? '')).toBe(true);
      shell.kill('SIGTERM');
      expect(await stopsListening(endpoints, 10_000)).toBe(true);
    } finally {
      if (nodePid !== undefined)
        try {
          process.kill(nodePid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      shell.kill('SIGKILL');
    }
  });

  it('in-process: runs until its signal is aborted, then closes every server', {
    timeout: 120_000,
  }, async () => {
    const stop = new AbortController();
    let endpoints: string[] = [];
    const running = cli(['twin', 'start'], {
      signal: stop.signal,
      onStdout: (out) => {
        if (endpoints.length === 0 && out.includes('Ctrl-C (or SIGTERM) stops it.')) {
          endpoints = endpointsOf(parseExports(out));
          stop.abort();
        }
      },
    });
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('stopping: stop requested');
    expect(endpoints).toHaveLength(3); // EC2, DynamoDB, and one for SSM, EventBridge and SNS
    expect(await stopsListening(endpoints, 1_000)).toBe(true);
  });
});
