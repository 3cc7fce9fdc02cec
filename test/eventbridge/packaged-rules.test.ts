import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { routeEvent } from '../../lib/eventbridge/router.js';
import { loadPackagedRules, type PackagedRule } from '../../lib/eventbridge/template.js';
import { listEvents, loadEvent } from '../helpers/fixtures.js';

let rules: PackagedRule[];

beforeAll(() => {
  rules = loadPackagedRules(TEMPLATE_PATH, { accountId: '111122223333', region: 'us-east-1' });
});

function routedTo(name: string): string[] {
  const event = loadEvent(name);
  return routeEvent(rules, event).map((rule) => rule.functionKey);
}

describe('the packaged EventBridge rules', () => {
  it('has one rule per triggered function, and schedules where expected', () => {
    expect(rules.map((r) => r.functionKey).sort()).toEqual([
      'healthCheck',
      'keepalive',
      'maintenanceCheck',
      'onHealthEvent',
      'onNetworkEvent',
      'onTunnelAlarm',
    ]);
    expect(rules.find((r) => r.functionKey === 'healthCheck')?.schedule).toBe('rate(5 minutes)');
    expect(rules.find((r) => r.functionKey === 'maintenanceCheck')?.schedule).toBe('rate(1 day)');
    expect(rules.find((r) => r.functionKey === 'keepalive')?.schedule).toBe('rate(1 minute)');
  });

  it("knows each target function's retry attempts from its EventInvokeConfig", () => {
    const retries = Object.fromEntries(rules.map((r) => [r.functionKey, r.retryAttempts]));
    expect(retries).toEqual({
      onTunnelAlarm: 2,
      onHealthEvent: 2,
      healthCheck: 0,
      keepalive: 0,
      maintenanceCheck: 2,
      onNetworkEvent: 2,
    });
  });

  it.each(listEvents('aws.cloudwatch'))('routes %s to onTunnelAlarm only', (name) => {
    expect(routedTo(name)).toEqual(['onTunnelAlarm']);
  });

  it.each(listEvents('aws.health'))('routes %s to onHealthEvent only', (name) => {
    expect(routedTo(name)).toEqual(['onHealthEvent']);
  });

  it.each(listEvents('aws.networkmanager'))('routes %s to onNetworkEvent only', (name) => {
    expect(routedTo(name)).toEqual(['onNetworkEvent']);
  });

  it.each(listEvents('other'))('routes %s nowhere', (name) => {
    expect(routedTo(name)).toEqual([]);
  });

  it.each(listEvents('aws.cloudwatch.lambda-action'))(
    'routes %s nowhere (an alarm action payload never crosses the bus)',
    (name) => {
      expect(routedTo(name)).toEqual([]);
    },
  );

  it.each([
    ['aws.cloudwatch/alarm-contributor-vpn-degraded.json'],
    ['aws.cloudwatch/alarm-contributor-tunnel-down.json'],
  ])('routes the Metrics Insights contributor event %s to onTunnelAlarm', (name) => {
    expect(routedTo(name)).toEqual(['onTunnelAlarm']);
  });

  it('routes a contributor of a Metrics Insights alarm on another metric nowhere', () => {
    const event = loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json');
    const [metric] = (event.detail as { configuration: { metrics: { expression: string }[] } }).configuration
      .metrics;
    if (metric === undefined) throw new Error('fixture has no metric');
    metric.expression = 'SELECT AVG(ConsumedWriteCapacityUnits) FROM "AWS/DynamoDB" GROUP BY TableName';
    expect(routeEvent(rules, event)).toEqual([]);
  });

  it('routes a contributor of a Metrics Insights alarm written in lower case to onTunnelAlarm', () => {
    const event = loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json');
    const [metric] = (event.detail as { configuration: { metrics: { expression: string }[] } }).configuration
      .metrics;
    if (metric === undefined) throw new Error('fixture has no metric');
    metric.expression = 'select min(TunnelState) from "AWS/VPN" group by VpnId';
    expect(routedTo('aws.cloudwatch/alarm-contributor-vpn-degraded.json')).toEqual(['onTunnelAlarm']);
    expect(routeEvent(rules, event).map((r) => r.functionKey)).toEqual(['onTunnelAlarm']);
  });

  it('routes a metric-math alarm whose TunnelState inputs do not return data', () => {
    expect(routedTo('aws.cloudwatch/alarm-metric-math-best-tunnel.json')).toEqual(['onTunnelAlarm']);
  });

  it('routes a scheduled event to the function of the schedule rule that fired it', () => {
    expect(routedTo('aws.events/scheduled-health-check.json')).toEqual(['healthCheck']);
    expect(routedTo('aws.events/scheduled-keepalive.json')).toEqual(['keepalive']);
  });

  it('routes a scheduled event from a rule of another stack nowhere', () => {
    const event = loadEvent('aws.events/scheduled-health-check.json');
    event.resources = ['arn:aws:events:us-east-1:111122223333:rule/tunnel-warden-prod-healthCheck-rule-1'];
    expect(routeEvent(rules, event)).toEqual([]);
  });

  it.each([['aws.cloudwatch/alarm-tunnel-ip-down.json'], ['aws.health/vpn-redundancy-loss.json']])(
    'pins the account: %s from another account routes nowhere',
    (name) => {
      const event = loadEvent(name);
      expect(routeEvent(rules, event)).not.toEqual([]);
      event.account = '444455556666';
      expect(routeEvent(rules, event)).toEqual([]);
    },
  );

  it('pins the account to the stack it is deployed in, whatever that account is', () => {
    const elsewhere = loadPackagedRules(TEMPLATE_PATH, { accountId: '444455556666', region: 'us-east-1' });
    const event = loadEvent('aws.cloudwatch/alarm-tunnel-ip-down.json');
    expect(routeEvent(elsewhere, event)).toEqual([]);
    event.account = '444455556666';
    expect(routeEvent(elsewhere, event).map((r) => r.functionKey)).toEqual(['onTunnelAlarm']);
  });
});
