import { describe, expect, it } from 'vitest';
import {
  actionsOf as actions,
  packagedFunctions,
  allStatements as statements,
  template,
} from './packaged-roles.js';

const isRead = (a: string) =>
  /^ec2:(Describe|Get|Search)/.test(a) || /^(ssm:GetParameter|dynamodb:(GetItem|Query))$/.test(a);

describe('the packaged stack is least-privilege', () => {
  it('names every action: no wildcards', () => {
    for (const s of statements) for (const a of actions(s)) expect(a, s.Sid).not.toMatch(/\*/);
  });

  it('never grants a write on Resource "*"', () => {
    for (const s of statements) {
      if (s.Resource !== '*') continue;
      expect(
        actions(s).filter((a) => !isRead(a)),
        s.Sid,
      ).toEqual([]);
    }
  });

  it('scopes every write to a route table or a VPN connection by the tunnel-warden:managed tag', () => {
    const scoped = statements.filter((s) =>
      [
        'AdjustManagedVpcRoutes',
        'AdjustManagedTransitGatewayRoutes',
        'MaintainManagedVpnConnections',
        'ReplaceManagedTunnelEndpoints',
      ].includes(s.Sid ?? ''),
    );
    // The shared remediation policy and the drill's tunnel replacement.
    expect(scoped.length).toBeGreaterThanOrEqual(3);
    for (const s of scoped)
      expect(s.Condition?.StringEquals?.['aws:ResourceTag/tunnel-warden:managed']).toBe('true');
  });

  it('grants every EC2 write through a statement carrying the tag condition (other statements only add resource types)', () => {
    const writes = new Set(statements.flatMap(actions).filter((a) => a.startsWith('ec2:') && !isRead(a)));
    const tagged = statements.filter(
      (s) => s.Condition?.StringEquals?.['aws:ResourceTag/tunnel-warden:managed'] === 'true',
    );
    for (const action of writes)
      expect(
        tagged.some((s) => actions(s).includes(action)),
        action,
      ).toBe(true);
  });

  it('gives each function a role of its own', () => {
    expect(packagedFunctions).toHaveLength(7);
    expect(new Set(packagedFunctions.map((f) => f.roleId)).size).toBe(7);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('has the seven functions, a dead-letter queue with a depth alarm, and the state table', () => {
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(7);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::SQS::Queue',
        'AWS::CloudWatch::Alarm',
        'AWS::DynamoDB::Table',
        'AWS::SNS::Topic',
        'AWS::KMS::Key',
      ]),
    );
    const fn = template.Resources.OnTunnelAlarmLambdaFunction?.Properties as {
      Runtime: string;
      Architectures: string[];
    };
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
  });
});
