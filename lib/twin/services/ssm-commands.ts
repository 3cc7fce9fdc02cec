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
 */
import { randomUUID } from 'node:crypto';
import { parseIpv4 } from '../../config/cidr.js';
import { type ProbeResult, probe } from '../probe.js';
import { findInstance, type TwinInstance, type TwinWorld } from '../state.js';
import {
  isJsonObject,
  type JsonObject,
  jsonError,
  jsonReply,
  type Reply,
  stringField,
  TWIN_ACCOUNT,
} from './http.js';

export const RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
const PLUGIN_NAME = 'aws:runShellScript';
/** The parameters AWS-RunShellScript declares; the twin reads only `commands`. */
const SHELL_SCRIPT_PARAMETERS = new Set(['commands', 'workingDirectory', 'executionTimeout']);
const DEFAULT_TIMEOUT_SECONDS = 3600;
const MAX_INSTANCE_IDS = 50;
/** GetCommandInvocation returns the first 24,000 characters of each stream, ListCommandInvocations 2,500. */
const CONTENT_LIMIT = 24_000;
const PLUGIN_OUTPUT_LIMIT = 2_500;

export type InvocationStatus = 'Success' | 'Failed';

/** One line of the script and what it did on the instance. */
export interface LineRun {
  readonly line: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** How long the line would take on the instance: ping's interval and wait for replies, nc's timeout. */
  readonly elapsedMs: number;
}

export interface CommandInvocationRecord {
  readonly instanceId: string;
  /** Success when every line exited 0. */
  readonly status: InvocationStatus;
  /** The exit code of the last line that failed, else 0. */
  readonly responseCode: number;
  readonly standardOutput: string;
  readonly standardError: string;
  readonly lines: readonly LineRun[];
  /** ISO 8601: the twin's now when the command was sent, and that plus the lines' elapsed time. */
  readonly startedAt: string;
  readonly endedAt: string;
}

/** A SendCommand the twin accepted, with its invocations (one per instance), already complete. */
export interface CommandRecord {
  readonly commandId: string;
  readonly documentName: string;
  readonly instanceIds: readonly string[];
  /** The parameters as sent; `commands` holds the script's lines. */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly comment?: string;
  readonly timeoutSeconds?: number;
  /** ISO 8601, the twin's now. */
  readonly requestedAt: string;
  /** Success when every invocation succeeded. */
  readonly status: InvocationStatus;
  readonly invocations: readonly CommandInvocationRecord[];
}

export interface RunCommandContext {
  /** Every command sent, in order; SendCommand appends. */
  readonly commands: CommandRecord[];
  /** The world the instances and the data plane live in; without one, no instance is known. */
  readonly world: (() => TwinWorld) | undefined;
  readonly now: () => Date;
  readonly region: string;
  readonly requestId: string;
}

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
  if (
    timeoutSeconds !== undefined &&
    !(Number.isInteger(timeoutSeconds) && Number(timeoutSeconds) >= 30 && Number(timeoutSeconds) <= 2_592_000)
  ) {
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

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The instances InstanceIds names, each known to the world and managed by SSM, or the error. */
function targetInstances(
  ids: unknown,
  world: TwinWorld | undefined,
  ctx: RunCommandContext,
): { instance: TwinInstance; world: TwinWorld }[] | Reply {
  if (!isStringList(ids) || ids.length === 0) {
    return validation(
      "Value at 'instanceIds' failed to satisfy constraint: Member must be a non-empty list of instance IDs (the SSM twin does not take Targets)",
      ctx,
    );
  }
  if (ids.length > MAX_INSTANCE_IDS) {
    return validation(
      `Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INSTANCE_IDS}`,
      ctx,
    );
  }
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    return error('DuplicateInstanceId', `Instance ${duplicate} is listed twice.`, ctx);
  const found = ids.map((id) => ({
    id,
    instance: world === undefined ? undefined : findInstance(world, id),
  }));
  const invalid = found.filter((f) => f.instance?.ssmManaged !== true).map((f) => f.id);
  if (world === undefined || invalid.length > 0) {
    return error(
      'InvalidInstanceId',
      `Instances [[${invalid.join(', ')}]] not in a valid state for account ${TWIN_ACCOUNT}: the twin knows no SSM-managed instance by that ID.`,
      ctx,
    );
  }
  return found.flatMap((f) => (f.instance === undefined ? [] : [{ instance: f.instance, world }]));
}

/** Parameters as AWS-RunShellScript takes them: name → list of strings, `commands` required. */
function shellScriptParameters(
  value: unknown,
  ctx: RunCommandContext,
): { parameters: Record<string, string[]> } | { reply: Reply } {
  const invalid = (detail: string) => ({ reply: error('InvalidParameters', detail, ctx) });
  if (!isJsonObject(value)) return invalid(`${RUN_SHELL_SCRIPT} requires the parameter "commands".`);
  const parameters: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(value)) {
    if (!SHELL_SCRIPT_PARAMETERS.has(name)) {
      return invalid(`Parameter "${name}" is not defined in document ${RUN_SHELL_SCRIPT}.`);
    }
    if (!isStringList(list)) {
      return invalid(`Parameter "${name}" must be a list of strings.`);
    }
    parameters[name] = list;
  }
  if ((parameters.commands ?? []).length === 0) {
    return invalid(`${RUN_SHELL_SCRIPT} requires the parameter "commands".`);
  }
  return { parameters };
}

function invoke(
  world: TwinWorld,
  instance: TwinInstance,
  commandId: string,
  lines: readonly string[],
  start: Date,
): CommandInvocationRecord {
  const host: Host = { world, instance, script: scriptPath(instance.id, commandId) };
  const runs = lines.map((line, i) => runLine(line, i + 1, host));
  const failed = runs.filter((r) => r.exitCode !== 0);
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  return {
    instanceId: instance.id,
    status: failed.length === 0 ? 'Success' : 'Failed',
    responseCode: failed.at(-1)?.exitCode ?? 0,
    standardOutput: runs.map((r) => r.stdout).join(''),
    standardError: runs.map((r) => r.stderr).join(''),
    lines: runs,
    startedAt: start.toISOString(),
    endedAt: new Date(start.getTime() + elapsedMs).toISOString(),
  };
}

/** Where SSM Agent writes the script on a Linux instance; bash names it in its error messages. */
function scriptPath(instanceId: string, commandId: string): string {
  return `/var/lib/amazon/ssm/${instanceId}/document/orchestration/${commandId}/awsrunShellScript/0.awsrunShellScript/_script.sh`;
}

interface Host {
  readonly world: TwinWorld;
  readonly instance: TwinInstance;
  readonly script: string;
}

/**
 * Pipes, lists, redirections, substitutions and quoting need a shell, which the twin does not have: a
 * line with any of them is not interpreted, even if it starts with ping.
 */
const SHELL_SYNTAX = /[|&;<>()$`"'\\]/;

function runLine(line: string, lineNumber: number, host: Host): LineRun {
  const text = line.trim();
  const ran = (exitCode: number, stdout = '', stderr = '', elapsedMs = 0): LineRun => ({
    line,
    exitCode,
    stdout,
    stderr,
    elapsedMs,
  });
  if (text === '' || text.startsWith('#')) return ran(0);
  if (SHELL_SYNTAX.test(text))
    return ran(127, '', `${host.script}: line ${lineNumber}: ${text}: command not found\n`);
  const { words, viaTimeout } = withoutTimeout(text.split(/\s+/));
  const [name, ...args] = words;
  if (name === undefined)
    return ran(125, '', "timeout: missing operand\nTry 'timeout --help' for more information.\n");
  const result = name === 'ping' ? ping(args, host) : name === 'nc' ? nc(args, host) : undefined;
  if (result !== undefined) return ran(result.exitCode, result.stdout, result.stderr, result.elapsedMs);
  // Not ping, not nc: the twin does not run anything else, so the instance seems not to have it.
  return ran(
    127,
    '',
    viaTimeout
      ? `timeout: failed to run command '${name}': No such file or directory\n`
      : `${host.script}: line ${lineNumber}: ${name}: command not found\n`,
  );
}

/** `timeout [options] <duration> <command…>`: the limit is ignored (ping -c and nc -w end on their own). */
function withoutTimeout(words: string[]): { words: string[]; viaTimeout: boolean } {
  if (words[0] !== 'timeout') return { words, viaTimeout: false };
  let i = 1;
  for (let word = words[i]; word?.startsWith('-') === true; word = words[i]) {
    i += word === '-s' || word === '-k' ? 2 : 1;
  }
  return { words: words.slice(i + 1), viaTimeout: true };
}

type Outcome = Omit<LineRun, 'line'>;

const failed = (exitCode: number, stderr: string): Outcome => ({
  exitCode,
  stdout: '',
  stderr,
  elapsedMs: 0,
});

function probeFrom(host: Host, to: string): ProbeResult {
  const { instance, world } = host;
  return instance.routeTableId === undefined
    ? probe(world, { to, fromVpcId: instance.vpcId })
    : probe(world, { to, fromRouteTableId: instance.routeTableId });
}

/** iputils ping with -c (or -w): the data plane decides whether every packet comes back or none does. */
function ping(args: readonly string[], host: Host): Outcome {
  const parsed = getopt(args, 'cWwistI', 'qn4DOv');
  if ('error' in parsed) return failed(2, `ping: ${parsed.error}\n`);
  const to = parsed.operands.at(-1);
  if (to === undefined) return failed(2, 'ping: usage error: Destination address required\n');
  // The twin has no DNS: a name does not resolve.
  if (parseIpv4(to) === undefined) return failed(2, `ping: ${to}: Name or service not known\n`);
  const numbers: Partial<Record<'c' | 'w' | 'W' | 'i' | 's', number>> = {};
  for (const option of ['c', 'w', 'W', 'i', 's'] as const) {
    const text = parsed.values.get(option);
    if (text === undefined) continue;
    const value = Number(text);
    const integer = option !== 'W' && option !== 'i';
    if (
      text === '' ||
      !Number.isFinite(value) ||
      value < (option === 's' ? 0 : 0.001) ||
      (integer && !Number.isInteger(value))
    ) {
      return failed(2, `ping: invalid argument: '${text}'\n`);
    }
    numbers[option] = value;
  }
  const count = numbers.c ?? numbers.w;
  if (count === undefined) {
    return failed(
      2,
      'ping: the SSM twin answers ping -c <count> (or -w <deadline>) only; without them ping never ends\n',
    );
  }
  const intervalMs = (numbers.i ?? 1) * 1000;
  const size = numbers.s ?? 56;
  const header = `PING ${to} (${to}) ${size}(${size + 28}) bytes of data.\n`;
  const statistics = `\n--- ${to} ping statistics ---\n`;
  const span = (count - 1) * intervalMs;
  const result = probeFrom(host, to);
  if (!result.reachable) {
    // Every packet is lost; ping waits -W seconds (10 by default) for the last reply, -w caps it all.
    const waited = span + (numbers.W ?? 10) * 1000;
    return {
      exitCode: 1,
      stdout: `${header}${statistics}${count} packets transmitted, 0 received, 100% packet loss, time ${span}ms\n\n`,
      stderr: '',
      elapsedMs: numbers.w === undefined ? waited : Math.min(waited, numbers.w * 1000),
    };
  }
  // A deterministic round trip that grows with the path: under a millisecond inside the VPC, milliseconds per hop beyond.
  const rttMs = 0.2 + 2 * (result.hops.length - 1);
  const rtt = rttMs.toFixed(3);
  const replies = parsed.flags.has('q')
    ? ''
    : Array.from(
        { length: count },
        (_, i) =>
          `${size + 8} bytes from ${to}: icmp_seq=${i + 1} ttl=${result.hops.length > 1 ? 62 : 64} time=${rttMs.toPrecision(3)} ms\n`,
      ).join('');
  return {
    exitCode: 0,
    stdout:
      `${header}${replies}${statistics}${count} packets transmitted, ${count} received, 0% packet loss, time ${span}ms\n` +
      `rtt min/avg/max/mdev = ${rtt}/${rtt}/${rtt}/0.000 ms\n`,
    stderr: '',
    elapsedMs: span + Math.ceil(rttMs),
  };
}

/**
 * OpenBSD netcat's port check, `nc -z [-w <s>] <ip> <port>`: it connects when the data plane reaches the
 * address (the twin assumes something listens on every port there) and times out otherwise. It always
 * reports as `nc -v` does, on stderr.
 */
function nc(args: readonly string[], host: Host): Outcome {
  const parsed = getopt(args, 'wpsiIOXxTM', 'zvnu46dDNrtkC');
  if ('error' in parsed) return failed(1, `nc: ${parsed.error}\n`);
  if (!parsed.flags.has('z')) {
    return failed(
      1,
      'nc: the SSM twin answers nc -z (a port check) only; without -z nc would wait for data\n',
    );
  }
  const [to, port, ...rest] = parsed.operands;
  if (to === undefined || port === undefined || rest.length > 0) {
    return failed(1, 'usage: nc [-46CDdFhklNnrStUuvZz] [-w timeout] [destination] [port]\n');
  }
  if (parseIpv4(to) === undefined) {
    return failed(1, `nc: getaddrinfo for host "${to}" port ${port}: Name or service not known\n`);
  }
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    return failed(1, `nc: port number invalid: ${port}\n`);
  }
  const wait = parsed.values.get('w');
  if (wait !== undefined && !/^\d+$/.test(wait)) return failed(1, `nc: timeout invalid: ${wait}\n`);
  const protocol = parsed.flags.has('u') ? 'udp' : 'tcp';
  const result = probeFrom(host, to);
  if (result.reachable) {
    return {
      exitCode: 0,
      stdout: '',
      stderr: `Connection to ${to} ${port} port [${protocol}/*] succeeded!\n`,
      elapsedMs: Math.ceil(0.2 + 2 * (result.hops.length - 1)),
    };
  }
  return {
    exitCode: 1,
    stdout: '',
    stderr: `nc: connect to ${to} port ${port} (${protocol}) failed: Connection timed out\n`,
    // Without -w, the kernel's connect timeout (about two minutes on Linux).
    elapsedMs: (wait === undefined ? 130 : Number(wait)) * 1000,
  };
}

interface Options {
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
  readonly operands: string[];
}

/** POSIX getopt: `-c 3`, `-c3`, `-qn`, `--` ends the options; the message on an unknown or incomplete one. */
function getopt(
  args: readonly string[],
  valued: string,
  flags: string,
): Options | { readonly error: string } {
  const options: Options = { values: new Map(), flags: new Set(), operands: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      options.operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const option = arg.charAt(j);
      if (valued.includes(option)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return { error: `option requires an argument -- '${option}'` };
        options.values.set(option, value);
        break;
      }
      if (!flags.includes(option)) return { error: `invalid option -- '${option}'` };
      options.flags.add(option);
    }
  }
  return options;
}

const NO_CLOUDWATCH_OUTPUT = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };
const NO_NOTIFICATIONS = { NotificationArn: '', NotificationEvents: [], NotificationType: '' };

const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** `PT2.047S`, as GetCommandInvocation reports how long the invocation ran. */
function elapsedTime(invocation: CommandInvocationRecord): string {
  const ms = Date.parse(invocation.endedAt) - Date.parse(invocation.startedAt);
  return `PT${(ms / 1000).toFixed(3)}S`;
}

function commandJson(command: CommandRecord, region: string): JsonObject {
  const timeoutSeconds = command.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const errors = command.invocations.filter((i) => i.status !== 'Success').length;
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: command.comment ?? '',
    ExpiresAfter: epochSeconds(command.requestedAt) + timeoutSeconds,
    Parameters: command.parameters,
    InstanceIds: command.instanceIds,
    Targets: [],
    // Epoch seconds: the SDK reads this shape's timestamps as numbers.
    RequestedDateTime: epochSeconds(command.requestedAt),
    // AWS answers Pending and runs the command afterwards; the twin's command is already complete.
    Status: command.status,
    StatusDetails: command.status,
    OutputS3Region: region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
    MaxConcurrency: '50',
    MaxErrors: '0',
    TargetCount: command.invocations.length,
    CompletedCount: command.invocations.length,
    ErrorCount: errors,
    DeliveryTimedOutCount: 0,
    ServiceRole: '',
    NotificationConfig: NO_NOTIFICATIONS,
    CloudWatchOutputConfig: NO_CLOUDWATCH_OUTPUT,
    TimeoutSeconds: timeoutSeconds,
  };
}

function invocationJson(
  command: CommandRecord,
  invocation: CommandInvocationRecord,
  details: boolean,
  region: string,
): JsonObject {
  // The plugin's Output: standard output, then standard error after AWS's separator, truncated.
  const output =
    invocation.standardError === ''
      ? invocation.standardOutput
      : `${invocation.standardOutput}\n----------ERROR-------\n${invocation.standardError}`;
  const plugin = {
    Name: PLUGIN_NAME,
    Status: invocation.status,
    StatusDetails: invocation.status,
    ResponseCode: invocation.responseCode,
    ResponseStartDateTime: epochSeconds(invocation.startedAt),
    ResponseFinishDateTime: epochSeconds(invocation.endedAt),
    Output: output.slice(0, PLUGIN_OUTPUT_LIMIT),
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
  };
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: '',
    Comment: command.comment ?? '',
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    RequestedDateTime: epochSeconds(command.requestedAt),
    Status: invocation.status,
    StatusDetails: invocation.status,
    TraceOutput: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: details ? [plugin] : [],
    ServiceRole: '',
    NotificationConfig: NO_NOTIFICATIONS,
    CloudWatchOutputConfig: NO_CLOUDWATCH_OUTPUT,
  };
}

function error(type: string, message: string, ctx: RunCommandContext): Reply {
  return jsonError(400, type, message, ctx.requestId);
}

function validation(detail: string, ctx: RunCommandContext): Reply {
  return error('ValidationException', `1 validation error detected: ${detail}`, ctx);
}
