import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { checkRulePatterns, InvalidRulePatternError } from '../../lib/eventbridge/rule-patterns.js';
import { type Resource, readPackagedResources } from '../../lib/eventbridge/template.js';

const rule = (EventPattern: unknown, Name = 'tunnel-warden-dev-onTunnelAlarm-rule-1'): Resource => ({
  Type: 'AWS::Events::Rule',
  Properties: { Name, EventPattern, State: 'ENABLED' },
});

function refusal(resources: Record<string, Resource>): InvalidRulePatternError {
  try {
    checkRulePatterns(resources);
  } catch (error) {
    if (error instanceof InvalidRulePatternError) return error;
    throw error;
  }
  throw new Error('every pattern was accepted');
}

describe('package-time check of the rules AWS would refuse at deploy', () => {
  it('accepts every rule of the packaged template', () => {
    const resources = readPackagedResources(TEMPLATE_PATH);
    const patterned = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern !== undefined,
    );
    // The alarm, Health and Network Manager rules at least; every one of them is checked.
    expect(patterned.length).toBeGreaterThanOrEqual(3);
    expect(checkRulePatterns(resources)).toBe(patterned.length);
  });

  it.each([
    ['a /32 CIDR block', { detail: { ip: [{ cidr: '203.0.113.7/32' }] } }, 'detail.ip[0].cidr', /\/32/],
    [
      'a range written upper bound first',
      { detail: { n: [{ numeric: ['<', 1, '>', 0] }] } },
      'detail.n[0].numeric',
      /lower bound first/,
    ],
    [
      'equal range bounds',
      { detail: { n: [{ numeric: ['>=', 1, '<=', 1] }] } },
      'detail.n[0].numeric',
      /bottom/,
    ],
    [
      'an empty anything-but prefix',
      { source: [{ 'anything-but': { prefix: '' } }] },
      'source[0].anything-but.prefix',
      /empty/,
    ],
    [
      'a reserved word inside $or',
      { $or: [{ prefix: ['a'] }, { source: ['b'] }] },
      '$or[0].prefix',
      /reserved/,
    ],
    [
      'too complex wildcards',
      { resources: ['a', 'b', 'c', 'd'].map((n) => ({ wildcard: `*:stack/${n}x/*` })) },
      'resources',
      /too complex/,
    ],
  ])('refuses %s, naming the rule and the key', (_what, pattern, path, reason) => {
    const error = refusal({
      Good: rule({ source: ['aws.health'] }),
      OnTunnelAlarmEventBridgeRule: rule(pattern),
    });
    expect(error.ruleId).toBe('OnTunnelAlarmEventBridgeRule');
    expect(error.path).toBe(path);
    expect(error.message).toContain('OnTunnelAlarmEventBridgeRule (tunnel-warden-dev-onTunnelAlarm-rule-1)');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(reason);
  });

  it('reads a pattern written as a JSON string, and refuses one that is not JSON', () => {
    expect(checkRulePatterns({ R: rule(JSON.stringify({ source: ['aws.health'] })) })).toBe(1);
    expect(refusal({ R: rule(JSON.stringify({ a: [{ cidr: '::1/128' }] })) }).path).toBe('a[0].cidr');
    expect(refusal({ R: rule('{"source": [') }).message).toMatch(/not valid JSON/);
  });

  it('checks Ref and Fn:: values as the strings CloudFormation makes of them', () => {
    const pattern = {
      account: [{ Ref: 'AWS::AccountId' }],
      resources: [{ prefix: { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }]] } }],
    };
    expect(checkRulePatterns({ R: rule(pattern) })).toBe(1);
  });

  it('ignores schedule rules and other resources', () => {
    const schedule: Resource = {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(1 minute)' },
    };
    const queue: Resource = { Type: 'AWS::SQS::Queue', Properties: { EventPattern: { bad: 'x' } } };
    expect(checkRulePatterns({ schedule, queue })).toBe(0);
  });
});

describe('the Serverless plugin runs the check before the template is written', () => {
  class FrameworkError extends Error {
    constructor(
      message: string,
      readonly code: string,
    ) {
      super(message);
    }
  }

  function pluginWith(compiled: Record<string, Resource>, ours: Record<string, Resource> = {}) {
    const Plugin = createRequire(import.meta.url)('../../serverless/tunnel-warden-plugin.cjs') as new (
      serverless: unknown,
    ) => { hooks: Record<string, () => Promise<void>> };
    const logged: string[] = [];
    const serverless = {
      service: {
        provider: { compiledCloudFormationTemplate: { Resources: compiled } },
        resources: { Resources: ours },
      },
      classes: { Error: FrameworkError },
      cli: { log: (line: string) => logged.push(line) },
    };
    return { plugin: new Plugin(serverless), logged };
  }

  it('fails `serverless package` with the rule and the key when a pattern would be refused', async () => {
    const { plugin } = pluginWith(
      { Fine: rule({ source: ['aws.health'] }) },
      { Custom: rule({ ip: [{ cidr: '10.0.0.1/32' }] }, 'custom') },
    );
    const finalize = plugin.hooks['before:package:finalize'];
    if (finalize === undefined) throw new Error('the plugin does not hook before:package:finalize');
    const failure = await finalize().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(FrameworkError);
    expect((failure as FrameworkError).code).toBe('TUNNEL_WARDEN_EVENT_PATTERN');
    expect((failure as FrameworkError).message).toMatch(/rule Custom \(custom\).*ip\[0\]\.cidr/);
  });

  it('logs how many patterns it checked when all are valid', async () => {
    const { plugin, logged } = pluginWith({
      A: rule({ source: ['aws.health'] }),
      B: rule({ source: ['aws.cloudwatch'] }),
    });
    await plugin.hooks['before:package:finalize']?.();
    expect(logged).toContain('tunnel-warden: 2 EventBridge rule patterns are valid');
  });
});
