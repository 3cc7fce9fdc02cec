import { type Resource, readPackagedResources, TemplateError } from '../eventbridge/template.js';

/** What Lambda knows about a function from the packaged template: how long it may run and how it fails. */
export interface PackagedFunction {
  /** The serverless.yml key, e.g. `healthCheck`. */
  readonly key: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** Retries of a failed asynchronous invocation (its EventInvokeConfig; Lambda's default is 2). */
  readonly retryAttempts: number;
  /** Whether a failed asynchronous invocation goes to an on-failure destination (the dead-letter queue). */
  readonly deadLetters: boolean;
  /** The actions its role grants (`ec2:ReplaceRoute`, …); absent when the role is not defined in the template. */
  readonly actions?: ReadonlySet<string>;
}

/** `{ Ref: X }` / `{ Fn::GetAtt: [X, …] }` → X. */
function logicalIdOf(reference: unknown): string | undefined {
  const ref = (reference as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (reference as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

function allowedActions(document: unknown): string[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  if (!Array.isArray(statements)) return [];
  return statements.flatMap((s: { Effect?: unknown; Action?: unknown }) => {
    if (s.Effect !== 'Allow') return [];
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    return actions.filter((a): a is string => typeof a === 'string');
  });
}

/** Every action a role of the template grants, inline or through the stack's managed policies. */
function roleActions(
  resources: Readonly<Record<string, Resource>>,
  roleRef: unknown,
): Set<string> | undefined {
  const roleId = logicalIdOf(roleRef);
  const role = roleId === undefined ? undefined : resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') return undefined;
  const inline = (role.Properties?.Policies as { PolicyDocument?: unknown }[] | undefined) ?? [];
  const managed = ((role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []).map((arn) => {
    const id = logicalIdOf(arn);
    return id === undefined ? undefined : resources[id]?.Properties?.PolicyDocument;
  });
  return new Set([...inline.map((p) => p.PolicyDocument), ...managed].flatMap(allowedActions));
}

/** Lambda's defaults when the template says nothing: 3 s, 128 MB. */
const LAMBDA_DEFAULT_TIMEOUT_S = 3;
const LAMBDA_DEFAULT_MEMORY_MB = 128;

/** Each function's EventInvokeConfig properties, by the function's logical id. */
function invokeConfigsByFunction(
  resources: readonly [string, Resource][],
): Map<string, Record<string, unknown>> {
  const invokeConfigs = new Map<string, Record<string, unknown>>();
  for (const [, r] of resources) {
    const fn = (r.Properties?.FunctionName as { Ref?: unknown } | undefined)?.Ref;
    if (r.Type === 'AWS::Lambda::EventInvokeConfig' && typeof fn === 'string' && r.Properties !== undefined)
      invokeConfigs.set(fn, r.Properties);
  }
  return invokeConfigs;
}

/** One function as Lambda runs it: timeout, memory, retries and dead letters, and its role's actions. */
function packagedFunction(
  logicalId: string,
  props: Record<string, unknown>,
  config: Record<string, unknown> | undefined,
  byId: ReturnType<typeof readPackagedResources>,
): PackagedFunction {
  const handler = props.Handler;
  if (typeof handler !== 'string') throw new TemplateError(`function ${logicalId} has no handler`);
  const key = handler.replace(/^functions\//, '').replace(/\.handler$/, '');
  const attempts = config?.MaximumRetryAttempts;
  const onFailure = (config?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure;
  const actions = roleActions(byId, props.Role);
  return {
    key,
    timeoutMs: 1000 * (typeof props.Timeout === 'number' ? props.Timeout : LAMBDA_DEFAULT_TIMEOUT_S),
    memoryMb: typeof props.MemorySize === 'number' ? props.MemorySize : LAMBDA_DEFAULT_MEMORY_MB,
    retryAttempts: typeof attempts === 'number' ? attempts : 2,
    deadLetters: onFailure !== undefined,
    ...(actions === undefined ? {} : { actions }),
  };
}

/** Every function of the packaged template by key, so the twin runs each as Lambda would. */
export function loadPackagedFunctions(templatePath: string): ReadonlyMap<string, PackagedFunction> {
  const byId = readPackagedResources(templatePath);
  const resources = Object.entries(byId);
  const invokeConfigs = invokeConfigsByFunction(resources);
  const functions = new Map<string, PackagedFunction>();
  for (const [logicalId, r] of resources) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const fn = packagedFunction(logicalId, r.Properties ?? {}, invokeConfigs.get(logicalId), byId);
    functions.set(fn.key, fn);
  }
  return functions;
}
