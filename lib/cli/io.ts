/** Where a command writes, and what it runs in: injected so that tests run commands in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The directory relative paths are read from (default process.cwd()). */
  readonly cwd?: string;
  /**
   * Stops a long-running command (`twin start`) when aborted. Without it, SIGINT and SIGTERM do, and
   * so does the death of the process that started this one (see twin-start.ts).
   */
  readonly signal?: AbortSignal;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}
