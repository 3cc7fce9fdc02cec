/**
 * SSM over awsJson1_1 (`X-Amz-Target: AmazonSSM.<Op>`): Parameter Store's GetParameter, PutParameter and
 * DeleteParameter on plain String parameters, and Run Command's SendCommand, GetCommandInvocation and
 * ListCommandInvocations (run-command/), with the errors the SDK models.
 */
import type { TwinWorld } from '../state.js';
import { type JsonObject, jsonError, jsonReply, type Reply, stringField, TWIN_ACCOUNT } from './http.js';
import { operationIn, unknownOperation } from './operations.js';
import { getCommandInvocation, listCommandInvocations, sendCommand } from './run-command/api.js';
import type { CommandRecord, RunCommandContext } from './run-command/records.js';

/** Version and modification time of a parameter; the value itself lives in the scenario-visible map. */
interface ParameterMeta {
  readonly version: number;
  readonly modified: Date;
}

export interface SsmState {
  /** Name → value; scenarios may set and delete entries directly. */
  readonly parameters: Map<string, string>;
  readonly meta: Map<string, ParameterMeta>;
  /** Run Command: every command sent, in order. */
  readonly commands: CommandRecord[];
}

export interface SsmContext {
  readonly state: SsmState;
  readonly now: () => Date;
  readonly region: string;
  readonly requestId: string;
  /** The world Run Command's instances and data plane live in; without one, SendCommand knows no instance. */
  readonly world?: (() => TwinWorld) | undefined;
}

export const SSM_TARGET_PREFIX = 'AmazonSSM.';

export function newSsmState(parameters = new Map<string, string>()): SsmState {
  return { parameters, meta: new Map(), commands: [] };
}

type SsmHandler = (input: JsonObject, ctx: SsmContext) => Reply;

/** The operations the SSM twin answers, by name: its registry (drills check action names against it). */
const SSM_OPERATIONS: Readonly<Record<string, SsmHandler>> = {
  GetParameter: getParameter,
  PutParameter: putParameter,
  DeleteParameter: deleteParameter,
  SendCommand: (input, ctx) => sendCommand(input, runCommandContext(ctx)),
  GetCommandInvocation: (input, ctx) => getCommandInvocation(input, runCommandContext(ctx)),
  ListCommandInvocations: (input, ctx) => listCommandInvocations(input, runCommandContext(ctx)),
};

/** The actions the SSM twin answers. */
export const SSM_ACTIONS: readonly string[] = Object.keys(SSM_OPERATIONS);

export function handleSsm(operation: string, input: JsonObject, ctx: SsmContext): Reply {
  const handler = operationIn(SSM_OPERATIONS, operation);
  return handler === undefined
    ? unknownOperation('SSM', operation, SSM_OPERATIONS, ctx.requestId)
    : handler(input, ctx);
}

function runCommandContext(ctx: SsmContext): RunCommandContext {
  const { state, world, now, region, requestId } = ctx;
  return { commands: state.commands, world, now, region, requestId };
}

function getParameter(input: JsonObject, ctx: SsmContext): Reply {
  const name = requiredName(input, ctx);
  if (typeof name !== 'string') return name;
  const value = ctx.state.parameters.get(name);
  if (value === undefined) return notFound(name, ctx);
  // A parameter a scenario put straight into the map has no history yet: version 1, modified now.
  const meta = ctx.state.meta.get(name) ?? { version: 1, modified: ctx.now() };
  return jsonReply(
    {
      Parameter: {
        Name: name,
        Type: 'String',
        Value: value,
        Version: meta.version,
        LastModifiedDate: meta.modified.getTime() / 1000,
        ARN: parameterArn(name, ctx.region),
        DataType: 'text',
      },
    },
    ctx.requestId,
  );
}

function putParameter(input: JsonObject, ctx: SsmContext): Reply {
  const name = requiredName(input, ctx);
  if (typeof name !== 'string') return name;
  const value = stringField(input, 'Value');
  if (value === undefined || value === '') {
    return validation("Value at 'value' failed to satisfy constraint: Member must not be null or empty", ctx);
  }
  const exists = ctx.state.parameters.has(name);
  if (exists && input.Overwrite !== true) {
    return jsonError(
      400,
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      ctx.requestId,
    );
  }
  const version = exists ? (ctx.state.meta.get(name)?.version ?? 1) + 1 : 1;
  ctx.state.parameters.set(name, value);
  ctx.state.meta.set(name, { version, modified: ctx.now() });
  return jsonReply({ Version: version, Tier: 'Standard' }, ctx.requestId);
}

function deleteParameter(input: JsonObject, ctx: SsmContext): Reply {
  const name = requiredName(input, ctx);
  if (typeof name !== 'string') return name;
  if (!ctx.state.parameters.delete(name)) return notFound(name, ctx);
  ctx.state.meta.delete(name);
  return jsonReply({}, ctx.requestId);
}

function requiredName(input: JsonObject, ctx: SsmContext): string | Reply {
  const name = stringField(input, 'Name');
  if (name === undefined || name === '') {
    return validation("Value at 'name' failed to satisfy constraint: Member must not be null or empty", ctx);
  }
  return name;
}

function notFound(name: string, ctx: SsmContext): Reply {
  return jsonError(400, 'ParameterNotFound', `Parameter ${name} not found.`, ctx.requestId);
}

function validation(detail: string, ctx: SsmContext): Reply {
  return jsonError(400, 'ValidationException', `1 validation error detected: ${detail}`, ctx.requestId);
}

/** `/tunnel-warden/mode` → `arn:aws:ssm:<region>:<account>:parameter/tunnel-warden/mode`. */
export function parameterArn(name: string, region: string): string {
  const path = name.startsWith('/') ? name : `/${name}`;
  return `arn:aws:ssm:${region}:${TWIN_ACCOUNT}:parameter${path}`;
}
