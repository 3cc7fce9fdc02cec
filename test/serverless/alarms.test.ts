import { readFileSync } from 'node:fs';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { recordDeliveryFailure } from '../../lib/incidents/metrics.js';
import { DELIVERY_CHANNELS } from '../../lib/incidents/model.js';
import { DETECTION_ALARM_IDS } from '../../lib/stack/detection-alarms.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface AlarmProperties {
  AlarmName: unknown;
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  AlarmActions: unknown[];
  OKActions: unknown[];
  ComparisonOperator: string;
  Threshold: number;
}

const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as { Resources: Record<string, Resource> };
const resources = template.Resources;
const ref = (name: string) => ({ Ref: name });
// The TunnelState alarms are about VPNs, not the stack (test/serverless/detection-alarms.test.ts).
const detection: readonly string[] = Object.values(DETECTION_ALARM_IDS);
const alarms = Object.entries(resources)
  .filter(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && !detection.includes(id))
  .map(([id, r]) => ({ id, ...(r.Properties as unknown as AlarmProperties) }));
const alarm = (id: string) => {
  const found = alarms.find((a) => a.id === id);
  if (found === undefined) throw new Error(`no alarm ${id} in the packaged template`);
  return found;
};

/** What Powertools really emits for a metric: its namespace, name and dimension names (EMF on stdout). */
function emitted(
  emit: (metrics: Metrics) => void,
): { namespace: string; name: string; dimensions: string[] }[] {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const metrics = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden', logger: silent });
  emit(metrics);
  metrics.publishStoredMetrics();
  vi.restoreAllMocks();
  return lines.flatMap((line) => {
    const emf = JSON.parse(line) as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    return emf._aws.CloudWatchMetrics.flatMap((d) =>
      d.Metrics.map((m) => ({
        namespace: d.Namespace,
        name: m.Name,
        dimensions: d.Dimensions.flat().sort(),
      })),
    );
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the stack’s own failure alarms', () => {
  it('all notify the stack alarms topic, not only the notifications topic the functions page through', () => {
    expect(alarms.map((a) => a.id).sort()).toEqual(
      [
        'DeadLetterQueueDepthAlarm',
        'DeliveryFailuresEventBridgeAlarm',
        'DeliveryFailuresSnsAlarm',
        'IncompleteSitesAlarm',
        'ModeUnreadableAlarm',
      ].sort(),
    );
    for (const a of alarms) {
      expect(a.AlarmActions, a.id).toContainEqual(ref('StackAlarmsTopic'));
      expect(a.OKActions, a.id).toContainEqual(ref('StackAlarmsTopic'));
    }
  });

  it('reach people through a topic under its own customer managed key, which CloudWatch may use', () => {
    const topic = resources.StackAlarmsTopic?.Properties;
    expect(topic?.KmsMasterKeyId).toEqual(ref('StackAlarmsKey'));
    expect(resources.NotificationsTopic?.Properties.KmsMasterKeyId).toEqual(ref('NotificationsKey'));
    const key = resources.StackAlarmsKey as Resource;
    expect(key.Type).toBe('AWS::KMS::Key');
    const statements = (key.Properties.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('lets only this stack’s alarms publish to that topic, and no function', () => {
    const policy = resources.StackAlarmsTopicPolicy?.Properties.PolicyDocument as {
      Statement: { Principal: unknown; Action: string; Condition: Record<string, Record<string, unknown>> }[];
    };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
    });
    expect(JSON.stringify(policy.Statement[0]?.Condition.ArnLike)).toContain(':alarm:tunnel-warden-');
    const roles = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(JSON.stringify(role.Properties)).not.toContain('StackAlarms');
  });

  it('ModeUnreadable: fires on the first unreadable reading, on the metric the runtime emits', () => {
    const a = alarm('ModeUnreadableAlarm');
    expect(a).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
    const [metric] = emitted((m) => m.addMetric('ModeUnreadable', MetricUnit.Count, 1));
    expect({
      namespace: a.Namespace,
      name: a.MetricName,
      dimensions: a.Dimensions.map((d) => d.Name),
    }).toEqual(metric);
    expect(a.Dimensions).toContainEqual({ Name: 'service', Value: 'tunnel-warden' });
  });

  it.each([
    ['eventbridge', 'DeliveryFailuresEventBridgeAlarm'],
    ['sns', 'DeliveryFailuresSnsAlarm'],
  ] as const)('DeliveryFailures on %s has its own alarm, on the metric the runtime emits', (channel, id) => {
    expect(DELIVERY_CHANNELS).toContain(channel);
    const a = alarm(id);
    const [metric] = emitted((m) => recordDeliveryFailure(m, channel));
    expect({
      namespace: a.Namespace,
      name: a.MetricName,
      dimensions: a.Dimensions.map((d) => d.Name).sort(),
    }).toEqual(metric);
    expect(a.Dimensions).toContainEqual({ Name: 'channel', Value: channel });
    expect(a).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
  });
});
