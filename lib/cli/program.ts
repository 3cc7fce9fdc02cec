/**
 * The tunnel-warden command line, on commander: each command declares its own arguments and
 * options, so an option that does not apply (`demo --report x.html`) or a value that does not parse
 * (`--limit ten`) is refused, with a one-line error and a pointer to that command's --help.
 * `run()` is the whole CLI as a function (argv and output in, exit code out), so tests run it in-process.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { ScenarioError } from '../drills/errors.js';
import { TunnelWardenError } from '../errors.js';
import {
  addCommands,
  type Context,
  commandPath,
  guardAgainstRealAws,
  NAME,
  RUNS_HANDLERS,
  type RunState,
} from './commands.js';
import { InputError, UsageError } from './errors.js';
import { type CliIo, processIo } from './io.js';
import { findProjectRoot, packageVersion } from './root.js';

function buildProgram(ctx: Context): Command {
  const { io, state } = ctx;
  const program = new Command(NAME)
    .description(
      'AWS Site-to-Site VPN failover, failback and incidents: drills, replay and status on the local twin',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    // Commander adds `help <command>` only to programs without an action; ours has one (unknown commands).
    .helpCommand('help [command]', 'show help for a command')
    .usage('<command> [options]')
    .argument('[command]')
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, 1 a check failed or a handler failed, 2 bad input (a usage mistake, an invalid file).\n` +
        `Run ${NAME} <command> --help for a command's options.`,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander says "error: unknown option '--x'"; ours say which program and command.
      outputError: (text, write) => write(`${state.command}: ${text.replace(/^error: /, '')}`),
    })
    .action((command: string | undefined) => {
      throw new UsageError(command === undefined ? 'a command is required' : `unknown command "${command}"`);
    })
    .hook('preAction', (_program, action) => {
      state.command = commandPath(action);
      // A parent's action only ever reports a missing subcommand: let it, even in a dry run.
      if (ctx.dryRun && action.commands.length === 0)
        throw new DryRunStop('dry run: the command line parses');
      const opts = action.opts<{ verbose?: boolean }>();
      if (opts.verbose !== true) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
      if (RUNS_HANDLERS.has(state.command)) guardAgainstRealAws();
      process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    });
  addCommands(program, ctx);
  // Only now: subcommands copy their parent's settings when created, and they take no excess arguments.
  program.allowExcessArguments();
  // Every command, at every level: refuse what it does not take, and point at its own help.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program)) {
    command.exitOverride();
    command.showHelpAfterError(`(see: ${commandPath(command)} --help)`);
    // Commander's errors are raised before preAction: remember which command was being parsed.
    command.hook('preSubcommand', (_parent, sub) => {
      state.command = commandPath(sub);
    });
  }
  return program;
}

/** Thrown by a dry run once the command line has parsed: nothing runs. */
class DryRunStop extends TunnelWardenError {}

/** What an error means for the exit code: 2 for anything the user typed or gave, 1 otherwise. */
function report(error: unknown, io: CliIo, command: string): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError) {
    io.stderr.write(`${command}: ${message}\n(see: ${command} --help)\n`);
    return 2;
  }
  if (error instanceof InputError || error instanceof ConfigError || error instanceof ScenarioError) {
    io.stderr.write(`${NAME}: ${message}\n`);
    return 2;
  }
  io.stderr.write(`${NAME}: ${message}\n`);
  return 1;
}

/** The whole CLI: exit 0 ok, 1 a check or a handler failed, 2 bad input. Never throws, never exits. */
export function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return execute(argv, io, false);
}

/**
 * Parses a command line exactly as run() would — unknown commands and options, missing arguments,
 * values that do not parse — and stops before the command runs: 0 when it would run, 2 when not.
 */
export function checkCommandLine(argv: readonly string[], io: CliIo): Promise<number> {
  return execute(argv, io, true);
}

async function execute(argv: readonly string[], io: CliIo, dryRun: boolean): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const state: RunState = { exitCode: 0, command: NAME };
  const out = (line: string) => {
    io.stdout.write(`${line}\n`);
  };
  try {
    const program = buildProgram({ dryRun, io, cwd, root: findProjectRoot(cwd), state, out });
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof DryRunStop) return 0;
    if (error instanceof CommanderError)
      // --help and --version exit 0; every other commander error is a usage mistake, already printed.
      return error.exitCode === 0 ? 0 : 2;
    return report(error, io, state.command);
  }
}
