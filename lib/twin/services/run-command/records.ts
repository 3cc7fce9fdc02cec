/** What SSM Run Command keeps of a command: the records the twin's API answers from and tests read. */
import type { TwinWorld } from '../../state.js';

export const RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
export const PLUGIN_NAME = 'aws:runShellScript';

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
