import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../lib/drills/errors.js';
import { loadScenario } from '../../lib/drills/load.js';
import { runDrill } from '../../lib/drills/runner.js';
import { cli } from '../helpers/cli.js';

const DRILLS = join(process.cwd(), 'drills');
const shipped = readdirSync(DRILLS)
  .filter((f) => f.endsWith('.yml'))
  .sort();

describe('every shipped drill passes on the twin', () => {
  it('ships the scenarios the project promises', () => {
    expect(shipped).toEqual(
      expect.arrayContaining([
        'single-tunnel-down.yml',
        'seoul-primary-lost.yml',
        'busan-bgp-down.yml',
        'failback-hold-down.yml',
        'flapping.yml',
        'backup-also-down.yml',
        'stale-alarm.yml',
        'throttling-storm.yml',
        'duplicate-and-out-of-order.yml',
        'dry-run.yml',
        'disabled.yml',
        'demo.yml',
        'replace-tunnel.yml',
        'replace-tunnel-refused.yml',
        'sns-outage-during-failover.yml',
        'kill-switch-typo.yml',
        'bgp-tgw-at-rest.yml',
        'bgp-tgw-withdrawal.yml',
        'failover-over-the-cap.yml',
        'operator-override-left-alone.yml',
        'ipsec-up-bgp-down.yml',
        'detection-contributor-alarm.yml',
        'detection-classic-alarm.yml',
        'detection-sweep-only.yml',
        'detection-network-manager.yml',
        'detection-network-manager-late.yml',
        'busan-blind-backup-dead.yml',
        'busan-blind-backup-unknown.yml',
        'replace-tunnel-unproven.yml',
        'replace-tunnel-stays-down.yml',
        'static-gray-failure.yml',
        'seoul-primary-lost-blackhole.yml',
        'busan-bgp-down-routes-outlive.yml',
        'aggregate-allows-failback.yml',
        'bgp-tgw-aggregate-at-rest.yml',
      ]),
    );
  });

  it.each(shipped)('%s', { timeout: 60_000 }, async (file) => {
    const result = await runDrill(loadScenario(join(DRILLS, file)));
    expect(result.failed, JSON.stringify(result.failed)).toBeUndefined();
    expect(result.passed).toBe(true);
  });
});

describe('a drill that does not hold', () => {
  it('stops at the failing expectation and names it with expected and actual', async () => {
    const result = await runDrill(loadScenario(join(import.meta.dirname, 'failing.yml')));
    expect(result.passed).toBe(false);
    expect(result.failed).toEqual({
      index: 2,
      label: 'expect route 10.3.0.0/20 in tgw-rtb-0a1b2c3d4e5f60001 → tgw-attach-0a1b2c3d4e5f60002',
      ok: false,
      expected: 'target=tgw-attach-0a1b2c3d4e5f60002',
      actual: 'target=tgw-attach-0a1b2c3d4e5f60001',
    });
  });
});

describe('malformed scenarios', () => {
  it.each([
    ['bad-ip.yml', 'steps[0].tunnel.ip', 'expected an IPv4 address'],
    ['bad-undocumented.yml', 'undocumented.tgwStaticRouteOnDeadVpn', 'active'],
    [
      'unknown-step.yml',
      'steps[0]',
      'a step has exactly one of: tunnel, traffic, event, advance, kill-switch, faults, expect, invoke (got unplug)',
    ],
    ['bad-duration.yml', 'steps[0].advance', 'expected a duration like 90s, 10m, 1h or 2d, got "soon"'],
    ['two-expectations.yml', 'steps[0].expect', 'checks exactly one of'],
    // Misspelt names would make "nothing happened" true by construction: they are errors, not passes.
    [
      'misspelt-action.yml',
      'steps[2].expect.calls.action',
      'ec2 has no action ReplaceTransitGatewayRoutes (did you mean ReplaceTransitGatewayRoute?) (step 3)',
    ],
    ['misspelt-detail-type.yml', 'steps[1].expect.published.detail-type', '"Incident Opened"'],
    [
      'unknown-fault-action.yml',
      'steps[0].faults.action',
      'sns has no action Publsh (did you mean Publish?)',
    ],
    // What a step names must exist in the topology, the configuration or the CIDR grammar.
    ['unknown-tunnel.yml', 'steps[1].tunnel.ip', 'tunnel 198.51.100.99 is not in the topology'],
    ['unknown-traffic-tunnel.yml', 'steps[0].traffic.ip', 'tunnel 203.0.113.10 is not in the topology'],
    ['unknown-table.yml', 'steps[0].expect.route.table', 'route table tgw-rtb-0a1b2c3d4e5f69999 is not in'],
    ['unknown-target.yml', 'steps[0].expect.route.target', 'tgw-attach-0a1b2c3d4e5f6000x is not none'],
    ['unknown-vpc.yml', 'steps[0].expect.probe.from', 'VPC vpc-0a1b2c3d4e5f69999 is not in the topology'],
    ['bad-destination.yml', 'steps[0].expect.route.destination', '"10.3.0.0/33" is not an IPv4 CIDR'],
    ['unknown-site.yml', 'steps[1].expect.incident.site', 'site seol-dc is not in the configuration'],
    [
      'config-vpn-missing.yml',
      'config',
      'missing-vpn.tunnel-warden.yml: sites[0].paths[1].vpn (seoul-dc): VPN vpn-0a1b2c3d4e5f60099 is not in the topology',
    ],
    [
      'topology-without-config.yml',
      'config',
      "it describes another network than ../../../drills/topologies/single-site.yml: add config: naming this topology's configuration",
    ],
    ['missing-event-file.yml', 'steps[0].event', 'cannot read the event file ./nowhere.json'],
    ['bad-mode.yml', 'mode', 'live'],
    ['incident-without-subject.yml', 'steps[0].expect.incident', 'name exactly one of site or vpn'],
    ['advance-too-far.yml', 'steps[1].advance', 'advance is at most 24h per step (got 720h)'],
    ['latency-too-long.yml', 'steps[0].faults.latencyMs', 'latencyMs is at most 60000'],
    ['latency-without-ms.yml', 'steps[0].faults.latencyMs', 'a latency fault needs latencyMs'],
    ['unknown-fault-service.yml', 'steps[0].faults.service', 'ec2'],
    // A detection time is measured from a fault, by a named trigger, against a bound above zero.
    ['detected-before-fault.yml', 'steps[1].expect.detected', 'no fault before it to measure from'],
    ['detected-unknown-trigger.yml', 'steps[1].expect.detected.by', 'contributor-alarm'],
    ['detected-within-zero.yml', 'steps[1].expect.detected.within', 'expected a duration above 0'],
  ])('%s is a ScenarioError at %s', (file, fieldPath, problem) => {
    const path = join(import.meta.dirname, 'malformed', file);
    const error = (() => {
      try {
        loadScenario(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error).toMatchObject({ fieldPath });
    expect((error as Error).message).toContain(`${path}: ${fieldPath}: `);
    expect((error as Error).message).toContain(problem);
  });

  it('the CLI exits 2 for a malformed scenario, naming the field, before running anything', async () => {
    const run = await cli(['drill', 'test/drills/malformed/bad-ip.yml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('steps[0].tunnel.ip: expected an IPv4 address');
  });

  it('the CLI exits 2 for an unbounded advance, naming the step and the field', async () => {
    const run = await cli(['drill', 'test/drills/malformed/advance-too-far.yml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('steps[1].advance: advance is at most 24h per step');
  });

  it('the CLI exits 1 for a drill whose expectation fails, naming the step', async () => {
    const run = await cli(['drill', 'test/drills/failing.yml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '✗ failing: step 3 (expect route 10.3.0.0/20 in tgw-rtb-0a1b2c3d4e5f60001 → tgw-attach-0a1b2c3d4e5f60002): expected target=tgw-attach-0a1b2c3d4e5f60002, got target=tgw-attach-0a1b2c3d4e5f60001',
    );
  });
});
