import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/tunnel-warden.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_ENDPOINT_URL: '' },
  });
}

describe('the tunnel-warden CLI on the twin', { timeout: 60_000 }, () => {
  it('status --twin shows every site, path, tunnel and the active path', () => {
    const run = cli('status', '--twin');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /seoul-dc\s+primary\s+vpn-0a1b2c3d4e5f60001\s+198\.51\.100\.10 UP, 198\.51\.100\.11 UP\s+healthy\s+◀ active/,
    );
    expect(run.stdout).toMatch(/tgw-backup\s+tgw-0a1b2c3d4e5f60001/);
    expect(run.stdout).toContain('open incidents: none');
  });

  it('replay puts events through the packaged rules after taking tunnels down', () => {
    const run = cli(
      'replay',
      'test/events/aws.cloudwatch/alarm-vpn-all-tunnels-down.json',
      'test/events/other/alarm-ec2-cpu.json',
      '--tunnel-down',
      '198.51.100.10',
      '--tunnel-down',
      '198.51.100.11',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'onTunnelAlarm ← CloudWatch Alarm State Change: seoul-dc failover (primary → backup), 1 change(s) applied',
    );
    expect(run.stdout).toContain('Incident Opened');
    expect(run.stdout).toContain('alarm-ec2-cpu.json\n    no rule matches: EventBridge delivers it nowhere');
  });

  it('replay refuses a tunnel the demo topology does not have', () => {
    const run = cli(
      'replay',
      'test/events/aws.cloudwatch/alarm-tunnel-ip-down.json',
      '--tunnel-down',
      '203.0.113.9',
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '--tunnel-down 203.0.113.9: no tunnel with that outside IP in the demo topology',
    );
  });

  it('drill --json and --report write machine-readable results and a self-contained HTML report', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'tw-')), 'r.html');
    const run = cli('drill', 'drills/stale-alarm.yml', '--json', '--report', report);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ name: 'stale-alarm', passed: true })]);
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<h2>stale-alarm</h2>');
    expect(html).not.toMatch(/<(script|link)\b/);
  });

  it('an unknown command is a usage error', () => {
    const run = cli('frobnicate');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });
});
