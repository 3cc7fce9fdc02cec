import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decisionLines } from '../../lib/cli/twin-start.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';
import { MODE_PARAMETER, Twin } from '../../lib/twin/twin.js';
import { cli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const event = (name: string) => join(ROOT, 'test', 'events', name);

// In-process: the twin, the packaged rules and the real handlers run in this test's process.
describe('the tunnel-warden CLI on the twin', { timeout: 120_000 }, () => {
  it('status --twin shows every site, path, tunnel, the active path and the kill-switch mode', async () => {
    const run = await cli(['status', '--twin']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /seoul-dc\s+primary\s+vpn-0a1b2c3d4e5f60001\s+198\.51\.100\.10 UP, 198\.51\.100\.11 UP\s+healthy\s+◀ active/,
    );
    expect(run.stdout).toMatch(/tgw-backup\s+tgw-0a1b2c3d4e5f60001/);
    expect(run.stdout).toContain('open incidents: none');
    expect(run.stdout).toContain('\nmode: enabled (parameter)\n');
  });

  it('status --twin --json includes the mode and its source', async () => {
    const run = await cli(['status', '--twin', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ mode: { mode: 'enabled', source: 'parameter' } });
  });

  it('replay puts events through the packaged rules after taking tunnels down', async () => {
    const run = await cli([
      'replay',
      event('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'),
      event('other/alarm-ec2-cpu.json'),
      '--tunnel-down',
      '198.51.100.10',
      '--tunnel-down',
      '198.51.100.11',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'onTunnelAlarm ← CloudWatch Alarm State Change: seoul-dc failover (primary → backup), 1 change(s) applied',
    );
    expect(run.stdout).toContain('Incident Opened');
    expect(run.stdout).toContain('alarm-ec2-cpu.json\n    no rule matches: EventBridge delivers it nowhere');
  });

  it('replay refuses a tunnel the demo topology does not have (exit 2)', async () => {
    const run = await cli([
      'replay',
      event('aws.cloudwatch/alarm-tunnel-ip-down.json'),
      '--tunnel-down',
      '203.0.113.9',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tunnel-warden: --tunnel-down 203.0.113.9: no tunnel with that outside IP in the demo topology\n',
    );
  });

  it('replay of JSON that is not an EventBridge event is exit 2, naming the missing envelope fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-replay-'));
    const file = join(dir, 'hello.json');
    writeFileSync(file, '{"hello":"world"}');
    const run = await cli(['replay', file]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `tunnel-warden: ${file}: not an EventBridge event: missing envelope fields: version, id, detail-type, source, account, time, region, resources, detail\n`,
    });
    const partial = await cli(['replay', event('malformed/envelope-missing-fields.json')]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain(
      'not an EventBridge event: missing envelope fields: version, detail-type, account, time, region, resources',
    );
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(event('other/alarm-ec2-cpu.json'), 'utf8')), detail: 'x' }),
    );
    expect((await cli(['replay', file])).stderr).toContain(
      'not an EventBridge event: detail: expected an object',
    );
  });

  it('replay exits 1 when a handler failed', async () => {
    const run = await cli(['replay', event('malformed/alarm-reasondata-not-json.json')]);
    expect(run.stdout).toMatch(/✗ onTunnelAlarm ← CloudWatch Alarm State Change: .*FAILED/);
    expect(run.stdout).toContain('✗ a handler failed');
    expect(run.code).toBe(1);
  });

  it('drill --json and --report write machine-readable results and a self-contained HTML report', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'tw-')), 'r.html');
    const run = await cli(['drill', 'drills/stale-alarm.yml', '--json', '--report', report], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ name: 'stale-alarm', passed: true })]);
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<h2>stale-alarm</h2>');
    expect(html).not.toMatch(/<(script|link)\b/);
  });

  it('drill works from another directory: the scenario relative to it, the twin from the project', async () => {
    const run = await cli(['drill', 'stale-alarm.yml', '--json'], { cwd: join(ROOT, 'drills') });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ name: 'stale-alarm', passed: true })]);
  });
});

describe('status against an account (here: a twin on loopback, as with AWS_ENDPOINT_URL_*)', {
  timeout: 120_000,
}, () => {
  let twin: Twin;
  let config: string;
  beforeAll(async () => {
    // Twin.start points AWS_ENDPOINT_URL_*, the region and the credentials of this process at itself.
    twin = await Twin.start({ root: ROOT });
    vi.stubEnv('TUNNEL_WARDEN_TABLE', twin.dynamo.table);
    // The shipped configuration with busan-dc's VPN mistyped: it does not exist in the account.
    config = join(mkdtempSync(join(tmpdir(), 'tw-status-')), 'typo.yml');
    writeFileSync(
      config,
      readFileSync(join(ROOT, 'tunnel-warden.yml'), 'utf8').replace(
        'vpn-0a1b2c3d4e5f60003',
        'vpn-0a1b2c3d4e5f6000f',
      ),
    );
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await twin?.close();
  });

  it('names a VPN that does not exist "not found", not DOWN, and shows the mode from the parameter', async () => {
    const run = await cli(['status', '--config', config]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /busan-dc\s+bgp-primary\s+vpn-0a1b2c3d4e5f6000f\s+vpn-0a1b2c3d4e5f6000f not found\s+NOT FOUND/,
    );
    expect(run.stdout).not.toMatch(/bgp-primary.*DOWN/);
    expect(run.stdout).toContain(
      'not found: vpn-0a1b2c3d4e5f6000f (busan-dc): DescribeVpnConnections does not know them',
    );
    expect(run.stdout).toContain('\nmode: enabled (parameter)\n');
    const json = await cli(['status', '--config', config, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      sites: [
        { site: 'seoul-dc', vpnsNotFound: [] },
        { site: 'busan-dc', vpnsNotFound: ['vpn-0a1b2c3d4e5f6000f'] },
      ],
    });
  });

  it('shows a kill switch that cannot be used as the fallback the functions would run, with the reason', async () => {
    twin.services.parameters.set(MODE_PARAMETER, 'Enabled');
    try {
      const run = await cli(['status', '--config', config]);
      expect(run.stdout).toContain(
        `mode: dry-run (fallback: kill switch ${MODE_PARAMETER} holds "Enabled", not one of enabled, dry-run, disabled; running dry-run)`,
      );
    } finally {
      twin.setMode('enabled');
    }
  });

  it('shows the configured mode when the parameter does not exist', async () => {
    twin.services.parameters.delete(MODE_PARAMETER);
    try {
      const run = await cli(['status', '--config', config]);
      expect(run.stdout).toContain(`mode: enabled (config: parameter ${MODE_PARAMETER} does not exist)`);
    } finally {
      twin.setMode('enabled');
    }
  });

  it('twin start prints what each delivery decided: site, decision, path and each route change', async () => {
    setTunnelStatus(twin.world, '198.51.100.10', 'DOWN', twin.clock.now());
    setTunnelStatus(twin.world, '198.51.100.11', 'DOWN', twin.clock.now());
    // CloudWatch's alarms (evaluated per minute, published a minute late) arrive within 3 minutes.
    const deliveries = await twin.advance(3 * 60_000);
    const delivery = deliveries.find((d) => decisionLines(d)[0]?.includes('failover') === true);
    expect(delivery).toBeDefined();
    if (delivery === undefined) return;
    const lines = decisionLines(delivery);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d {2}onTunnelAlarm ← CloudWatch Alarm (Contributor )?State Change: seoul-dc failover \(primary → backup\), 1 change\(s\) applied$/,
    );
    expect(lines.slice(1)).toEqual([
      '            seoul-dc: changed: Pointed 10.3.0.0/20 in tgw-rtb-0a1b2c3d4e5f60001 at tgw-attach-0a1b2c3d4e5f60002 (ReplaceTransitGatewayRoute).',
    ]);
  });
});
