import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './local-context.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<string, LambdaHandler>();

/** Loads `functions/<key>.ts` — the very module Lambda runs — and invokes its handler locally. */
export async function invokeLocal(root: string, functionKey: string, event: unknown): Promise<unknown> {
  let handler = loaded.get(functionKey);
  if (handler === undefined) {
    const module = (await import(pathToFileURL(join(root, 'functions', `${functionKey}.ts`)).href)) as {
      handler: LambdaHandler;
    };
    handler = module.handler;
    loaded.set(functionKey, handler);
  }
  return handler(structuredClone(event), lambdaContext(functionKey));
}
