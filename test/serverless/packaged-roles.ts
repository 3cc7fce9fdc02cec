/** The packaged template's IAM: each function's role and the statements it grants, inline or managed. */
import { readFileSync } from 'node:fs';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string>>;
}

type Resource = { Type: string; Properties: Record<string, unknown> };

export const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as {
  Resources: Record<string, Resource>;
};

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function documentStatements(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement[] } | undefined)?.Statement;
  return statements ?? [];
}

/** `{ Ref: X }` / `{ Fn::GetAtt: [X, …] }` → X. */
function logicalIdOf(reference: unknown): string | undefined {
  const ref = (reference as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (reference as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Every statement a role grants: its inline policies and the stack's managed policies it attaches. */
export function roleStatements(roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of the stack`);
  const inline = (role.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? [];
  const managed = ((role.Properties.ManagedPolicyArns as unknown[] | undefined) ?? []).map((arn) => {
    const id = logicalIdOf(arn);
    const policy = id === undefined ? undefined : template.Resources[id];
    // An AWS managed policy would grant what this test cannot see: refuse it.
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy')
      throw new Error(`${roleId} attaches ${JSON.stringify(arn)}`);
    return policy.Properties.PolicyDocument;
  });
  return [...inline.map((p) => p.PolicyDocument), ...managed].flatMap(documentStatements);
}

export interface PackagedFunction {
  /** The serverless.yml key, e.g. `onTunnelAlarm`. */
  readonly key: string;
  readonly logicalId: string;
  readonly roleId: string;
  readonly statements: Statement[];
}

export const packagedFunctions: PackagedFunction[] = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
  .map(([logicalId, r]) => {
    const handler = String(r.Properties.Handler);
    const roleId = logicalIdOf(r.Properties.Role);
    if (roleId === undefined) throw new Error(`${logicalId} has no role of this stack`);
    return {
      key: handler.replace(/^functions\//, '').replace(/\.handler$/, ''),
      logicalId,
      roleId,
      statements: roleStatements(roleId),
    };
  });

/** Every statement any role of the stack grants. */
export const allStatements: Statement[] = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::IAM::Role')
  .flatMap(([id]) => roleStatements(id));
