/** How Run Command answers on the wire: its errors, and the Command and CommandInvocation shapes. */
import { type JsonObject, jsonError, type Reply } from '../http.js';
import {
  type CommandInvocationRecord,
  type CommandRecord,
  PLUGIN_NAME,
  type RunCommandContext,
} from './records.js';

const DEFAULT_TIMEOUT_SECONDS = 3600;
/** ListCommandInvocations returns the first 2,500 characters of a plugin's output. */
const PLUGIN_OUTPUT_LIMIT = 2_500;

export const NO_CLOUDWATCH_OUTPUT = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };
const NO_NOTIFICATIONS = { NotificationArn: '', NotificationEvents: [], NotificationType: '' };

const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** `PT2.047S`, as GetCommandInvocation reports how long the invocation ran. */
export function elapsedTime(invocation: CommandInvocationRecord): string {
  const ms = Date.parse(invocation.endedAt) - Date.parse(invocation.startedAt);
  return `PT${(ms / 1000).toFixed(3)}S`;
}

export function commandJson(command: CommandRecord, region: string): JsonObject {
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

export function invocationJson(
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

export function error(type: string, message: string, ctx: RunCommandContext): Reply {
  return jsonError(400, type, message, ctx.requestId);
}

export function validation(detail: string, ctx: RunCommandContext): Reply {
  return error('ValidationException', `1 validation error detected: ${detail}`, ctx);
}
