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

type Resource = { Type?: string; Properties?: Record<string, unknown> };

function targetFunctionLogicalId(rule: Resource, ruleId: string): string {
  const targets = rule.Properties?.Targets;
  const arn = Array.isArray(targets) ? (targets[0] as { Arn?: unknown } | undefined)?.Arn : undefined;
  const getAtt = (arn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || typeof getAtt[0] !== 'string') {
    throw new TemplateError(`rule ${ruleId} does not target a function of this stack`);
  }
  return getAtt[0];
}

/** Reads the rules that `serverless package` wrote, so tests and the twin route events exactly as AWS will. */
export function loadPackagedRules(templatePath: string): PackagedRule[] {
  let template: { Resources?: Record<string, Resource> };
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf8')) as typeof template;
  } catch (error) {
    throw new TemplateError(`cannot read the packaged template ${templatePath}: run npx serverless package`, {
      cause: error,
    });
  }
  const resources = template.Resources ?? {};
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
      const pattern = rule.Properties?.EventPattern as Record<string, unknown> | undefined;
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
