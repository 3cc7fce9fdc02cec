import { readFileSync } from 'node:fs';
import { TunnelWardenError } from '../errors.js';
import { compilePattern } from './pattern.js';

/** One EventBridge rule of the packaged CloudFormation template and the function it targets. */
export interface PackagedRule {
  readonly logicalId: string;
  readonly name: string;
  /** `functions/<name>.handler` of the target function, as Lambda will load it. */
  readonly handler: string;
  /** The serverless.yml function key, e.g. `onTunnelAlarm`. */
  readonly functionKey: string;
  readonly schedule?: string;
  readonly pattern?: Readonly<Record<string, unknown>>;
  /** How often Lambda retries a failed asynchronous invocation of the target (its EventInvokeConfig; default 2). */
  readonly retryAttempts: number;
  readonly matches: (event: unknown) => boolean;
}

export class TemplateError extends TunnelWardenError {}

export type Resource = { Type?: string; Properties?: Record<string, unknown> };

/** The resources of the CloudFormation template `serverless package` wrote, by logical id. */
export function readPackagedResources(templatePath: string): Record<string, Resource> {
  let template: { Resources?: Record<string, Resource> };
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf8')) as typeof template;
  } catch (error) {
    throw new TemplateError(`cannot read the packaged template ${templatePath}: run npx serverless package`, {
      cause: error,
    });
  }
  return template.Resources ?? {};
}

/** The stack's own pseudo parameters, which CloudFormation fills in at deploy time (`!Ref AWS::AccountId`). */
export interface StackContext {
  readonly accountId: string;
  readonly region: string;
  readonly partition?: string;
}

/**
 * A pattern as CloudFormation deploys it: `{ Ref: AWS::AccountId }` and the other pseudo parameters
 * replaced by the stack's values. Any other intrinsic function is not something a test or the twin can
 * resolve, so it is refused with the rule named rather than compiled into a pattern that never matches.
 */
function resolvePseudoParameters(value: unknown, stack: StackContext, ruleId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolvePseudoParameters(v, stack, ruleId));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const pseudo: Readonly<Record<string, string>> = {
      'AWS::AccountId': stack.accountId,
      'AWS::Region': stack.region,
      'AWS::Partition': stack.partition ?? 'aws',
    };
    const resolved = first[0] === 'Ref' && typeof first[1] === 'string' ? pseudo[first[1]] : undefined;
    if (resolved === undefined)
      throw new TemplateError(
        `rule ${ruleId}: its pattern uses ${JSON.stringify(value)}, which only CloudFormation can resolve`,
      );
    return resolved;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolvePseudoParameters(v, stack, ruleId)]));
}

function targetFunctionLogicalId(rule: Resource, ruleId: string): string {
  const targets = rule.Properties?.Targets;
  const arn = Array.isArray(targets) ? (targets[0] as { Arn?: unknown } | undefined)?.Arn : undefined;
  const getAtt = (arn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || typeof getAtt[0] !== 'string') {
    throw new TemplateError(`rule ${ruleId} does not target a function of this stack`);
  }
  return getAtt[0];
}

/**
 * Reads the rules that `serverless package` wrote, so tests and the twin route events exactly as AWS will
 * in the stack's account and Region (`stack`), where the rules pin `account` to the stack's own.
 */
export function loadPackagedRules(templatePath: string, stack: StackContext): PackagedRule[] {
  const resources = readPackagedResources(templatePath);
  const retries = new Map<string, number>();
  for (const r of Object.values(resources)) {
    const fn = (r.Properties?.FunctionName as { Ref?: unknown } | undefined)?.Ref;
    const attempts = r.Properties?.MaximumRetryAttempts;
    if (r.Type === 'AWS::Lambda::EventInvokeConfig' && typeof fn === 'string' && typeof attempts === 'number')
      retries.set(fn, attempts);
  }
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
    .map(([logicalId, rule]) => {
      const functionId = targetFunctionLogicalId(rule, logicalId);
      const fn = resources[functionId];
      const handler = fn?.Properties?.Handler;
      if (typeof handler !== 'string')
        throw new TemplateError(`the target of rule ${logicalId} has no handler`);
      const raw = rule.Properties?.EventPattern;
      const pattern =
        raw === undefined
          ? undefined
          : (resolvePseudoParameters(raw, stack, logicalId) as Record<string, unknown>);
      const schedule = rule.Properties?.ScheduleExpression;
      return {
        logicalId,
        name: String(rule.Properties?.Name ?? logicalId),
        handler,
        functionKey: handler.replace(/^functions\//, '').replace(/\.handler$/, ''),
        retryAttempts: retries.get(functionId) ?? 2,
        ...(typeof schedule === 'string' ? { schedule } : {}),
        ...(pattern === undefined ? {} : { pattern }),
        // A schedule rule matches no event from a bus; it fires on time instead.
        matches: pattern === undefined ? () => false : compilePattern(pattern),
      };
    });
}
