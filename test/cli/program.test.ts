import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { findProjectRoot, INSTALL_ROOT } from '../../lib/cli/root.js';
import { cli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--version and --help', () => {
  it('--version prints the version of package.json', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  describe("every command's --help exits 0 and has no side effect", () => {
    // AWS calls would land here: every endpoint points at it, so any request is counted.
    let aws: Server;
    let requests = 0;
    const saved = { ...process.env };
    beforeAll(async () => {
      aws = createServer((_req, res) => {
        requests += 1;
        res.statusCode = 500;
        res.end();
      });
      await new Promise<void>((done) => aws.listen(0, '127.0.0.1', done));
      const { port } = aws.address() as net.AddressInfo;
      for (const name of ['', '_EC2', '_SSM', '_DYNAMODB', '_EVENTBRIDGE', '_SNS'])
        process.env[`AWS_ENDPOINT_URL${name}`] = `http://127.0.0.1:${port}`;
      Object.assign(process.env, {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDHELPTEST',
        AWS_SECRET_ACCESS_KEY: 'help-test',
        TUNNEL_WARDEN_TABLE: 'help-test',
      });
    });
    afterAll(async () => {
      process.env = saved;
      await new Promise((done) => aws.close(done));
    });
    afterEach(() => vi.restoreAllMocks());

    it.each([
      [[], 'tunnel-warden <command> [options]'],
      [['demo'], 'tunnel-warden demo [options]'],
      [['drill'], 'tunnel-warden drill [options] <scenario...>'],
      [['replay'], 'tunnel-warden replay [options] <event...>'],
      [['status'], 'tunnel-warden status [options]'],
      [['status', '--twin'], 'tunnel-warden status [options]'],
      [['twin'], 'tunnel-warden twin <subcommand> [options]'],
      [['twin', 'start'], 'tunnel-warden twin start [options]'],
      [['config'], 'tunnel-warden config <subcommand> [options]'],
      [['config', 'validate'], 'tunnel-warden config validate [options] [file]'],
      [['incidents'], 'tunnel-warden incidents <subcommand> [options]'],
      [['incidents', 'list'], 'tunnel-warden incidents list [options]'],
      [['incidents', 'show'], 'tunnel-warden incidents show [options] <id>'],
    ])('%j --help', async (argv, usage) => {
      // Every server the twin, dynalite or the services start goes through net.Server#listen.
      const listen = vi.spyOn(net.Server.prototype, 'listen');
      for (const flag of ['--help', '-h']) {
        const run = await cli([...argv, flag]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toContain(`Usage: ${usage}`);
      }
      expect(listen).not.toHaveBeenCalled();
      expect(requests).toBe(0);
    });

    it('help <command> is the same help', async () => {
      const run = await cli(['help', 'status']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: tunnel-warden status [options]');
      expect(run.stdout).toContain('--config <file>');
    });
  });
});

describe('usage mistakes: exit 2, one short message naming the problem and pointing at --help', () => {
  it.each([
    [[], 'tunnel-warden: a command is required', 'tunnel-warden --help'],
    [['frobnicate'], 'tunnel-warden: unknown command "frobnicate"', 'tunnel-warden --help'],
    [
      ['demo', '--report', 'x.html'],
      "tunnel-warden demo: unknown option '--report'",
      'tunnel-warden demo --help',
    ],
    [
      ['config', 'validate', '--twin', '--limit', 'ten'],
      "tunnel-warden config validate: unknown option '--twin'",
      'tunnel-warden config validate --help',
    ],
    [
      ['incidents', 'list', '--limit', 'ten'],
      "option '--limit <n>' argument 'ten' is invalid. expected a whole number from 1 to 1000",
      'tunnel-warden incidents list --help',
    ],
    [['incidents', 'list', '--limit', '0'], "argument '0' is invalid", 'incidents list --help'],
    [['incidents', 'list', '--limit', '2.5'], "argument '2.5' is invalid", 'incidents list --help'],
    [['incidents', 'list', '--limit', '1001'], "argument '1001' is invalid", 'incidents list --help'],
    [
      ['incidents', 'list', '--open', '--resolved'],
      "option '--open' cannot be used with option '--resolved'",
      'incidents list --help',
    ],
    [['incidents', 'list', 'extra'], 'too many arguments', 'incidents list --help'],
    [['incidents', 'list', '--since', 'x'], "unknown option '--since'", 'incidents list --help'],
    [['incidents', 'show'], "missing required argument 'id'", 'incidents show --help'],
    [['incidents', 'show', 'a', 'b'], 'too many arguments', 'incidents show --help'],
    [['incidents', 'show', 'a', '--limit', '2'], "unknown option '--limit'", 'incidents show --help'],
    [['incidents'], 'incidents needs a subcommand: list or show <id>', 'tunnel-warden incidents --help'],
    [['incidents', 'close'], 'unknown incidents subcommand "close"', 'tunnel-warden incidents --help'],
    [['twin'], 'twin needs a subcommand: start', 'tunnel-warden twin --help'],
    [['twin', 'stop'], 'unknown twin subcommand "stop"', 'tunnel-warden twin --help'],
    [['config'], 'config needs a subcommand: validate', 'tunnel-warden config --help'],
    [['drill'], "tunnel-warden drill: missing required argument 'scenario'", 'tunnel-warden drill --help'],
    [['replay'], "missing required argument 'event'", 'tunnel-warden replay --help'],
    [
      ['status', '--jsn'],
      "tunnel-warden status: unknown option '--jsn'\n(Did you mean --json?)",
      'status --help',
    ],
    [['status', '--twin', '--config', 'x.yml'], '--config does not apply with --twin', 'status --help'],
    [['twin', 'start', '--json'], "tunnel-warden twin start: unknown option '--json'", 'twin start --help'],
    [['demo', 'extra'], 'too many arguments', 'demo --help'],
    [['--frob'], "unknown option '--frob'", 'tunnel-warden --help'],
  ])('%j', async (argv, message, help) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`(see: `);
    expect(run.stderr).toContain(`${help})`);
    // Not the whole usage, not node:util's parseArgs wording.
    expect(run.stderr).not.toContain('Commands:');
    expect(run.stderr).not.toMatch(/parseArgs|ERR_PARSE_ARGS|TypeError|\n {4}at /);
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('incidents without TUNNEL_WARDEN_TABLE is bad input (exit 2), naming the variable', async () => {
    vi.stubEnv('TUNNEL_WARDEN_TABLE', undefined);
    try {
      const run = await cli(['incidents', 'list']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tunnel-warden: TUNNEL_WARDEN_TABLE is not set/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a file that does not exist is bad input (exit 2), not a usage mistake', async () => {
    const run = await cli(['drill', 'no-such.yml']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tunnel-warden: no-such.yml: no such file or directory\n',
    });
  });
});

describe('working from any directory', () => {
  it('finds the project root above the current directory, else uses the installation', () => {
    expect(findProjectRoot(join(ROOT, 'drills', 'topologies'))).toBe(ROOT);
    expect(findProjectRoot(tmpdir())).toBe(INSTALL_ROOT);
    expect(INSTALL_ROOT).toBe(ROOT);
  });

  it('config validate in another directory validates the project configuration', async () => {
    const run = await cli(['config', 'validate'], { cwd: tmpdir() });
    expect(run).toEqual({
      code: 0,
      stdout: `${join(ROOT, 'tunnel-warden.yml')}: valid (2 sites, mode enabled)\n`,
      stderr: '',
    });
  });

  it('relative file arguments are read from the current directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-cwd-'));
    writeFileSync(join(dir, 'mine.yml'), readFileSync(join(ROOT, 'tunnel-warden.yml')));
    const run = await cli(['config', 'validate', 'mine.yml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${join(dir, 'mine.yml')}: valid (2 sites, mode enabled)\n`);
  });

  it('TUNNEL_WARDEN_CONFIG names the default configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-env-'));
    writeFileSync(join(dir, 'env.yml'), 'version: 2\n');
    vi.stubEnv('TUNNEL_WARDEN_CONFIG', join(dir, 'env.yml'));
    try {
      const run = await cli(['config', 'validate']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`tunnel-warden: ${join(dir, 'env.yml')}: version: Invalid input: expected 1\n`);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('config validate --json: a result object, valid or not', () => {
  it('valid', async () => {
    const run = await cli(['config', 'validate', 'tunnel-warden.yml', '--json'], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      file: join(ROOT, 'tunnel-warden.yml'),
      sites: ['seoul-dc', 'busan-dc'],
      mode: 'enabled',
      errors: [],
    });
  });

  it('invalid: exit 2, the errors as JSON on stdout, nothing on stderr', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tw-json-')), 'bad.yml');
    writeFileSync(file, 'version: 1\nsites: []\nmode: sideways\n');
    const run = await cli(['config', 'validate', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      file: string;
      sites: unknown[];
      errors: unknown[];
    };
    expect(result).toMatchObject({ ok: false, file, sites: [] });
    expect(result.errors).toEqual([{ field: 'mode', message: expect.stringContaining('enabled') }]);
  });

  it('YAML that does not parse is a JSON error too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tw-json-')), 'broken.yml');
    writeFileSync(file, 'version: 1\nsites: [\n');
    const run = await cli(['config', 'validate', file, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ message: expect.any(String) }] });
  });
});
