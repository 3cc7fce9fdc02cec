import { readFileSync } from 'node:fs';
import { TemplateError } from '../eventbridge/template.js';

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
}

type Resource = { Type?: string; Properties?: Record<string, unknown> };

/** Lambda's defaults when the template says nothing: 3 s, 128 MB. */
const LAMBDA_DEFAULT_TIMEOUT_S = 3;
const LAMBDA_DEFAULT_MEMORY_MB = 128;

/** Every function of the packaged template by key, so the twin runs each as Lambda would. */
export function loadPackagedFunctions(templatePath: string): ReadonlyMap<string, PackagedFunction> {
  let template: { Resources?: Record<string, Resource> };
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf8')) as typeof template;
  } catch (error) {
    throw new TemplateError(`cannot read the packaged template ${templatePath}: run npx serverless package`, {
      cause: error,
    });
  }
  const resources = Object.entries(template.Resources ?? {});
  const invokeConfigs = new Map<string, Record<string, unknown>>();
  for (const [, r] of resources) {
    const fn = (r.Properties?.FunctionName as { Ref?: unknown } | undefined)?.Ref;
    if (r.Type === 'AWS::Lambda::EventInvokeConfig' && typeof fn === 'string' && r.Properties !== undefined)
      invokeConfigs.set(fn, r.Properties);
  }
  const functions = new Map<string, PackagedFunction>();
  for (const [logicalId, r] of resources) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const props = r.Properties ?? {};
    const handler = props.Handler;
    if (typeof handler !== 'string') throw new TemplateError(`function ${logicalId} has no handler`);
    const key = handler.replace(/^functions\//, '').replace(/\.handler$/, '');
    const config = invokeConfigs.get(logicalId);
    const attempts = config?.MaximumRetryAttempts;
    const onFailure = (config?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure;
    functions.set(key, {
      key,
      timeoutMs: 1000 * (typeof props.Timeout === 'number' ? props.Timeout : LAMBDA_DEFAULT_TIMEOUT_S),
      memoryMb: typeof props.MemorySize === 'number' ? props.MemorySize : LAMBDA_DEFAULT_MEMORY_MB,
      retryAttempts: typeof attempts === 'number' ? attempts : 2,
      deadLetters: onFailure !== undefined,
    });
  }
  return functions;
}
