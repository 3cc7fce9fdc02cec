/**
 * A script on an instance, line by line: blank lines and comments do nothing, ping and nc are answered
 * from the data plane (probes.ts), and anything else fails as bash fails a command it cannot find.
 */
import type { TwinInstance, TwinWorld } from '../../state.js';
import { type Host, nc, ping } from './probes.js';
import type { CommandInvocationRecord, LineRun } from './records.js';

export function invoke(
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
