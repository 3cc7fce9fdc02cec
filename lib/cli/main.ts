import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { ScenarioError } from '../drills/errors.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import { DEFAULT_CONFIG_FILE } from '../runtime/settings.js';
import { dynamoClient, tableName } from '../store/table.js';
import { drillCommand } from './drill-command.js';
import { UsageError } from './errors.js';
import { incidentsCommand } from './incidents.js';
import { formatReplay, replayOnTwin } from './replay.js';
import { statusCommand } from './status-command.js';
import { twinStart } from './twin-start.js';

const USAGE = `usage: tunnel-warden <command> [options]

commands:
  demo                          the demo drill on the local twin: a primary fails, traffic moves, the
                                incident opens, the primary recovers, traffic fails back after the
                                hold-down; prints the timeline and writes reports/demo.html
  drill <scenario.yml>...       run drills-as-code scenarios on the twin (exit 0 all hold, 1 one failed,
                                2 invalid scenario); --report <file.html> writes an HTML report
  replay <event.json|dir>...    put events on the demo twin's bus, through the packaged rules to the
                                functions; --tunnel-down <ip> (repeatable) first takes tunnels down
  status [--twin]               sites, paths, tunnels, the active path and open incidents: read-only,
                                from AWS (your credentials, or AWS_ENDPOINT_URL_*), or a fresh demo twin
  twin start                    run the demo twin on loopback until Ctrl-C, for AWS_ENDPOINT_URL_*
  config validate [file]        validate a configuration file (default ${DEFAULT_CONFIG_FILE})
  incidents list [--open|--resolved] [--limit N]
                                recent incidents, newest first (default limit 20)
  incidents show <id>           one incident: its fields, TTD/TTM/TTR and timeline
                                incidents reads the table in TUNNEL_WARDEN_TABLE with the usual AWS
                                credentials, or a local endpoint from AWS_ENDPOINT_URL_DYNAMODB

options:
  --json                        print results as JSON
  --verbose                     show the handlers' structured logs
  -h, --help                    show this help`;

const ROOT = process.cwd();
const DEMO_SCENARIO = join(ROOT, 'drills', 'demo.yml');
const DEMO_REPORT = join(ROOT, 'reports', 'demo.html');

function expandFiles(paths: readonly string[], extension: string): string[] {
  return paths.flatMap((p) => {
    const full = resolve(ROOT, p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch (error) {
      throw new UsageError(`${p}: no such file or directory`, { cause: error });
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
 * The CLI runs the real handlers locally; they must never reach a real account by accident. Unless an
 * endpoint is set (the twin), AWS calls go to a closed loopback port and fail at once.
 */
function guardAgainstRealAws(): void {
  if (process.env.AWS_ENDPOINT_URL === undefined) process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.TUNNEL_WARDEN_TABLE ??= 'tunnel-warden-local-state';
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      open: { type: 'boolean' },
      resolved: { type: 'boolean' },
      limit: { type: 'string' },
      report: { type: 'string' },
      'tunnel-down': { type: 'string', multiple: true },
      twin: { type: 'boolean' },
    },
  });
  if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const [command, ...rest] = positionals;
  // `incidents` and `status` only read, and exist to read a real account; the others run handlers,
  // and do so on the twin, which sets its own endpoints.
  if (command !== 'incidents' && command !== 'status') guardAgainstRealAws();
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (command) {
    case undefined:
      if (values.help === true) {
        console.log(USAGE);
        return 0;
      }
      throw new UsageError('a command is required');
    case 'demo':
      return drillCommand([DEMO_SCENARIO], { root: ROOT, json: values.json, report: DEMO_REPORT, out });
    case 'drill': {
      const files = expandFiles(rest, '.yml');
      if (files.length === 0) throw new UsageError('drill needs at least one scenario file or folder');
      const report = values.report === undefined ? {} : { report: resolve(ROOT, values.report) };
      return drillCommand(files, { root: ROOT, json: values.json, ...report, out });
    }
    case 'replay': {
      const files = expandFiles(rest, '.json');
      if (files.length === 0) throw new UsageError('replay needs at least one event file or folder');
      const results = await replayOnTwin(ROOT, files, values['tunnel-down'] ?? []);
      out(values.json ? JSON.stringify(results, null, 2) : formatReplay(results));
      return 0;
    }
    case 'status':
      return statusCommand(ROOT, { json: values.json, twin: values.twin === true, out });
    case 'twin':
      if (rest[0] !== 'start') throw new UsageError('expected: twin start');
      return twinStart(ROOT, out);
    case 'config': {
      if (rest[0] !== 'validate') throw new UsageError('expected: config validate [file]');
      const file = rest[1] ?? DEFAULT_CONFIG_FILE;
      const config = loadConfig(file);
      console.log(
        values.json
          ? JSON.stringify(config, null, 2)
          : `${file}: valid (${config.sites.length} sites, mode ${config.mode})`,
      );
      return 0;
    }
    case 'incidents': {
      const table = tableName();
      const client = dynamoClient();
      // Handed back as flags: incidentsCommand parses its own arguments, so it also runs without main.
      const flags = [
        ...(values.open === true ? ['--open'] : []),
        ...(values.resolved === true ? ['--resolved'] : []),
        ...(values.limit === undefined ? [] : ['--limit', values.limit]),
      ];
      try {
        const store = new DynamoIncidentStore(client, table);
        console.log(await incidentsCommand([...rest, ...flags], { json: values.json, table }, store));
      } finally {
        client.destroy(); // open keep-alive sockets would hold the process for seconds
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`tunnel-warden: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof ScenarioError) {
      console.error(`tunnel-warden: ${error.message}`);
      return 2;
    }
    console.error(`tunnel-warden: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
