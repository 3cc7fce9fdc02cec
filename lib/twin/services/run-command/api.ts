/**
 * SSM Run Command over awsJson1_1: SendCommand (AWS-RunShellScript to instance IDs), GetCommandInvocation
 * and ListCommandInvocations, with the errors the SDK models.
 *
 * The twin does not run shells, neither on an instance nor on this machine. It reads each line of the
 * `commands` parameter and answers the two probes a VPN keepalive needs — `ping -c <n> … <ip>` and
 * `nc -z … <ip> <port>`, with or without a `timeout …` prefix — from the twin's data plane: a probe from
 * the instance's route table (probe.ts), so a ping succeeds exactly when a packet from the instance would
 * reach the address through a tunnel that is UP and passing traffic. Blank lines and comments do nothing;
 * any other line fails as bash fails a command it cannot find (exit 127). A command runs when it is sent,
 * against the world as it is then, and is complete before SendCommand answers.
 *
 * The job is split by file: records.ts (what a command keeps), send-input.ts (SendCommand's input),
 * shell.ts (a script's lines on an instance), probes.ts (ping and nc from the data plane), getopt.ts,
 * and replies.ts (the wire shapes and errors).
 */
import { randomUUID } from 'node:crypto';
import { type JsonObject, jsonReply, type Reply, stringField } from '../http.js';
import { type CommandRecord, PLUGIN_NAME, RUN_SHELL_SCRIPT, type RunCommandContext } from './records.js';
import {
  commandJson,
  elapsedTime,
  error,
  invocationJson,
  NO_CLOUDWATCH_OUTPUT,
  validation,
} from './replies.js';
import { shellScriptParameters, targetInstances } from './send-input.js';
import { invoke } from './shell.js';

/** GetCommandInvocation returns the first 24,000 characters of each stream (see replies.ts for the plugin output). */
const CONTENT_LIMIT = 24_000;

export function sendCommand(input: JsonObject, ctx: RunCommandContext): Reply {
  const documentName = stringField(input, 'DocumentName');
  if (documentName === undefined || documentName === '') {
    return validation("Value at 'documentName' failed to satisfy constraint: Member must not be null", ctx);
  }
  if (documentName !== RUN_SHELL_SCRIPT) {
    return error(
      'InvalidDocument',
      `Document with name ${documentName} does not exist. (The SSM twin runs ${RUN_SHELL_SCRIPT} only.)`,
      ctx,
    );
  }
  if (input.Targets !== undefined) {
    return validation('the SSM twin sends commands to InstanceIds, not to Targets', ctx);
  }
  const world = ctx.world?.();
  const instances = targetInstances(input.InstanceIds, world, ctx);
  if (!Array.isArray(instances)) return instances;
  const parsed = shellScriptParameters(input.Parameters, ctx);
  if ('reply' in parsed) return parsed.reply;
  const { parameters } = parsed;
  const timeoutSeconds = input.TimeoutSeconds;
  if (timeoutSeconds !== undefined && !isTimeoutInRange(timeoutSeconds)) {
    return validation(
      "Value at 'timeoutSeconds' failed to satisfy constraint: Member must be an integer from 30 to 2592000",
      ctx,
    );
  }
  const comment = input.Comment;
  if (comment !== undefined && !(typeof comment === 'string' && comment.length <= 100)) {
    return validation(
      "Value at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100",
      ctx,
    );
  }

  const requestedAt = ctx.now();
  const commandId = randomUUID();
  // The document joins the list into one script, so a list item may hold several lines.
  const lines = (parameters.commands ?? []).flatMap((item) => item.split('\n'));
  const invocations = instances.map(({ instance, world }) =>
    invoke(world, instance, commandId, lines, requestedAt),
  );
  const record: CommandRecord = {
    commandId,
    documentName,
    instanceIds: instances.map((i) => i.instance.id),
    parameters,
    ...(comment === undefined ? {} : { comment }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds: Number(timeoutSeconds) }),
    requestedAt: requestedAt.toISOString(),
    status: invocations.every((i) => i.status === 'Success') ? 'Success' : 'Failed',
    invocations,
  };
  ctx.commands.push(record);
  return jsonReply({ Command: commandJson(record, ctx.region) }, ctx.requestId);
}

/** SendCommand's TimeoutSeconds: a whole number of seconds from 30 to 30 days. */
function isTimeoutInRange(timeoutSeconds: unknown): boolean {
  return (
    Number.isInteger(timeoutSeconds) && Number(timeoutSeconds) >= 30 && Number(timeoutSeconds) <= 2_592_000
  );
}

export function getCommandInvocation(input: JsonObject, ctx: RunCommandContext): Reply {
  const commandId = stringField(input, 'CommandId');
  const instanceId = stringField(input, 'InstanceId');
  if (commandId === undefined || commandId === '' || instanceId === undefined || instanceId === '') {
    return validation(
      "Value at 'commandId' and 'instanceId' failed to satisfy constraint: Member must not be null",
      ctx,
    );
  }
  const pluginName = stringField(input, 'PluginName');
  if (pluginName !== undefined && pluginName !== PLUGIN_NAME) {
    return error('InvalidPluginName', `${RUN_SHELL_SCRIPT} has no plugin ${pluginName}.`, ctx);
  }
  const command = ctx.commands.find((c) => c.commandId === commandId);
  const invocation = command?.invocations.find((i) => i.instanceId === instanceId);
  if (command === undefined || invocation === undefined) {
    return error(
      'InvocationDoesNotExist',
      `The SSM twin has no invocation of command ${commandId} on instance ${instanceId}.`,
      ctx,
    );
  }
  return jsonReply(
    {
      CommandId: command.commandId,
      InstanceId: invocation.instanceId,
      Comment: command.comment ?? '',
      DocumentName: command.documentName,
      DocumentVersion: '$DEFAULT',
      PluginName: PLUGIN_NAME,
      ResponseCode: invocation.responseCode,
      // GetCommandInvocation returns its dates as strings, not as epoch seconds like the other actions.
      ExecutionStartDateTime: invocation.startedAt,
      ExecutionElapsedTime: elapsedTime(invocation),
      ExecutionEndDateTime: invocation.endedAt,
      Status: invocation.status,
      StatusDetails: invocation.status,
      StandardOutputContent: invocation.standardOutput.slice(0, CONTENT_LIMIT),
      StandardOutputUrl: '',
      StandardErrorContent: invocation.standardError.slice(0, CONTENT_LIMIT),
      StandardErrorUrl: '',
      CloudWatchOutputConfig: NO_CLOUDWATCH_OUTPUT,
    },
    ctx.requestId,
  );
}

/** Minimal: filtered by CommandId and InstanceId, newest command first, one page, no Filters. */
export function listCommandInvocations(input: JsonObject, ctx: RunCommandContext): Reply {
  if (input.Filters !== undefined) {
    return validation(
      'the SSM twin does not filter ListCommandInvocations; give CommandId or InstanceId',
      ctx,
    );
  }
  const commandId = stringField(input, 'CommandId');
  const instanceId = stringField(input, 'InstanceId');
  const details = input.Details === true;
  const invocations = ctx.commands
    .filter((c) => commandId === undefined || c.commandId === commandId)
    .reverse()
    .flatMap((command) =>
      command.invocations
        .filter((i) => instanceId === undefined || i.instanceId === instanceId)
        .map((invocation) => invocationJson(command, invocation, details, ctx.region)),
    );
  return jsonReply({ CommandInvocations: invocations }, ctx.requestId);
}
