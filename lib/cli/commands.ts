/**
 * The commands and their options. Each command declares exactly what it takes, so commander refuses
 * the rest; actions set the exit code in RunState and throw UsageError or InputError for exit 2.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../runtime/settings.js';
import { configValidate } from './config-validate.js';
import { drillCommand } from './drill-command.js';
import { InputError, UsageError } from './errors.js';
import { MAX_LIMIT, parseLimit } from './incidents.js';
import { incidentsList, incidentsShow } from './incidents-command.js';
import type { CliIo } from './io.js';
import { formatReplay, replayFailed, replayOnTwin } from './replay.js';
import { statusCommand } from './status-command.js';
import { twinStart } from './twin-start.js';

export const NAME = 'tunnel-warden';

/** What a command action leaves behind for run(): its exit code, and which command it was (for messages). */
export interface RunState {
  exitCode: number;
  command: string;
}

export interface Context {
  /** Parse and validate the command line, then stop before the command runs (README checks). */
  readonly dryRun: boolean;
  readonly io: CliIo;
  readonly cwd: string;
  readonly root: string;
  readonly state: RunState;
  readonly out: (line: string) => void;
}

export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function expandFiles(cwd: string, paths: readonly string[], extension: string): string[] {
  return paths.flatMap((p) => {
    const full = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch (error) {
      throw new InputError(`${p}: no such file or directory`, { cause: error });
    }
    return isDir
      ? readdirSync(full)
          .filter((f) => f.endsWith(extension))
          .sort()
          .map((f) => join(full, f))
      : [full];
  });
}

/**
 * The commands that run handlers must never reach a real account by accident. Unless an endpoint is
 * set (the twin sets its own), AWS calls go to a closed loopback port and fail at once.
 */
export function guardAgainstRealAws(): void {
  if (process.env.AWS_ENDPOINT_URL === undefined) process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.TUNNEL_WARDEN_TABLE ??= 'tunnel-warden-local-state';
}

/** Commands that run the real handlers, and so only ever talk to the twin. */
export const RUNS_HANDLERS = new Set([
  `${NAME} demo`,
  `${NAME} drill`,
  `${NAME} replay`,
  `${NAME} twin start`,
]);

function limit(raw: string): number {
  try {
    return parseLimit(raw);
  } catch {
    // Commander already names the option and the value: say only what it should be.
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_LIMIT}.`);
  }
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

const verbose = () => new Option('--verbose', "show the handlers' structured logs");
const json = (what: string) => new Option('--json', `print ${what} as JSON`);

/** A parent (`config`, `twin`, `incidents`) typed without a known subcommand: a usage error naming them. */
function needsSubcommand(parent: Command, subcommands: string): void {
  parent
    .usage('<subcommand> [options]')
    .argument('[subcommand]')
    .allowExcessArguments()
    .action((sub: string | undefined) => {
      throw new UsageError(
        sub === undefined
          ? `${parent.name()} needs a subcommand: ${subcommands}`
          : `unknown ${parent.name()} subcommand "${sub}": expected ${subcommands}`,
      );
    });
}

export function addCommands(program: Command, ctx: Context): void {
  const { cwd, root, state, out } = ctx;
  // Invalid drills are reported and skipped while the others run: their errors go to this CLI's stderr.
  const err = (text: string) => ctx.io.stderr.write(`${text}\n`);

  program
    .command('demo')
    .description(
      'the demo drill on the local twin: a primary fails, traffic moves, the incident opens, the primary ' +
        'recovers, traffic fails back after the hold-down; prints the timeline and writes reports/demo.html',
    )
    .addOption(json('the drill result'))
    .addOption(verbose())
    .action(async (opts: { json?: boolean }) => {
      state.exitCode = await drillCommand([join(root, 'drills', 'demo.yml')], {
        root,
        json: opts.json === true,
        report: join(root, 'reports', 'demo.html'),
        out,
        err,
      });
    });

  program
    .command('drill')
    .description(
      'run drills-as-code scenarios on the twin (exit 0 all hold, 1 one failed, 2 invalid scenario)',
    )
    .argument('<scenario...>', 'scenario files (.yml), or folders of them')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .addOption(json('the drill results'))
    .addOption(verbose())
    .action(async (paths: string[], opts: { report?: string; json?: boolean }) => {
      const files = expandFiles(cwd, paths, '.yml');
      if (files.length === 0) throw new InputError(`no .yml scenario in ${paths.join(', ')}`);
      const report = opts.report === undefined ? {} : { report: resolve(cwd, opts.report) };
      state.exitCode = await drillCommand(files, { root, json: opts.json === true, ...report, out, err });
    });

  program
    .command('replay')
    .description(
      "put EventBridge events on a fresh demo twin's bus, through the packaged rules to the functions, " +
        'and show what each function did (exit 0 all handled, 1 a handler failed, 2 not an event)',
    )
    .argument('<event...>', 'event files (.json), or folders of them')
    .option('--tunnel-down <ip>', 'take this tunnel down first (repeatable)', collect, [])
    .addOption(json('what each function did'))
    .addOption(verbose())
    .action(async (paths: string[], opts: { tunnelDown: string[]; json?: boolean }) => {
      const files = expandFiles(cwd, paths, '.json');
      if (files.length === 0) throw new InputError(`no .json event in ${paths.join(', ')}`);
      const results = await replayOnTwin(root, files, opts.tunnelDown);
      out(opts.json === true ? JSON.stringify(results, null, 2) : formatReplay(results));
      state.exitCode = replayFailed(results) ? 1 : 0;
      if (state.exitCode !== 0 && opts.json !== true)
        out('✗ a handler failed: Lambda would retry it, then send the event to the dead-letter queue');
    });

  program
    .command('status')
    .description(
      'sites, paths, tunnels, the active path, the kill-switch mode and open incidents: read-only, from ' +
        'AWS (your credentials, or AWS_ENDPOINT_URL_*), or a fresh demo twin',
    )
    .option('--twin', 'read a fresh demo twin instead of AWS')
    .option(
      '--config <file>',
      `the site configuration (default $TUNNEL_WARDEN_CONFIG, else ${DEFAULT_CONFIG_FILE})`,
    )
    .addOption(json('the status'))
    .action(async (opts: { twin?: boolean; config?: string; json?: boolean }) => {
      if (opts.twin === true && opts.config !== undefined)
        throw new UsageError('--config does not apply with --twin: the demo twin has its own configuration');
      state.exitCode = await statusCommand(root, {
        json: opts.json === true,
        twin: opts.twin === true,
        configFile: configFile(ctx, opts.config),
        out,
      });
    });

  const twin = program.command('twin').description('the local twin of AWS');
  twin
    .command('start')
    .description(
      'run the demo twin on loopback until Ctrl-C or SIGTERM, printing each decision; prints the ' +
        'AWS_ENDPOINT_URL_* to export in another shell',
    )
    .addOption(verbose())
    .action(async () => {
      state.exitCode = await twinStart(root, {
        out,
        ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
      });
    });
  needsSubcommand(twin, 'start');

  const config = program.command('config').description('the site configuration');
  config
    .command('validate')
    .description('validate a configuration file (exit 0 valid, 2 invalid)')
    .argument('[file]', `default $TUNNEL_WARDEN_CONFIG, else ${DEFAULT_CONFIG_FILE} in the project root`)
    .addOption(json('a result object { ok, file, sites, errors }'))
    .action((file: string | undefined, opts: { json?: boolean }) => {
      state.exitCode = configValidate(configFile(ctx, file), { json: opts.json === true, out });
    });
  needsSubcommand(config, 'validate');

  const incidents = program
    .command('incidents')
    .description(
      'incidents from the state table in TUNNEL_WARDEN_TABLE, with the usual AWS credentials or ' +
        'AWS_ENDPOINT_URL_DYNAMODB (read-only)',
    );
  incidents
    .command('list')
    .description('recent incidents, newest first')
    .addOption(new Option('--open', 'open incidents only').conflicts('resolved'))
    .addOption(new Option('--resolved', 'resolved incidents only'))
    .addOption(new Option('--limit <n>', 'how many, 1 to 1000 (default 20)').argParser(limit))
    .addOption(json('the incidents'))
    .action(async (opts: { open?: boolean; resolved?: boolean; limit?: number; json?: boolean }) => {
      const status = opts.open === true ? 'open' : opts.resolved === true ? 'resolved' : undefined;
      out(
        await incidentsList({
          json: opts.json === true,
          ...(status === undefined ? {} : { status }),
          ...(opts.limit === undefined ? {} : { limit: opts.limit }),
        }),
      );
    });
  incidents
    .command('show')
    .description('one incident: its fields, TTD/TTM/TTR and timeline (exit 1 when it does not exist)')
    .argument('<id>', 'the incident id')
    .addOption(json('the incident and its timeline'))
    .action(async (id: string, opts: { json?: boolean }) => {
      out(await incidentsShow(id, { json: opts.json === true }));
    });
  needsSubcommand(incidents, 'list or show <id>');
}

/** --config / the positional file, else TUNNEL_WARDEN_CONFIG, else tunnel-warden.yml in the project root. */
function configFile(ctx: Context, given: string | undefined): string {
  if (given !== undefined) return resolve(ctx.cwd, given);
  const fromEnv = process.env.TUNNEL_WARDEN_CONFIG;
  return fromEnv === undefined || fromEnv === ''
    ? join(ctx.root, DEFAULT_CONFIG_FILE)
    : resolve(ctx.cwd, fromEnv);
}
