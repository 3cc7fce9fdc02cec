import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tunnel-warden.mjs');

async function bin(args: readonly string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: tmpdir(), // not the repository: the CLI finds its project itself
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The one subprocess smoke test of the executable; every other CLI test runs run() in-process.
describe('bin/tunnel-warden.mjs', () => {
  it('--version, twin start --help, a usage error and config validate, from another directory', {
    timeout: 120_000,
  }, async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const [v, help, usage, valid] = await Promise.all([
      bin(['--version']),
      bin(['twin', 'start', '--help']), // returns at once: a twin would run until killed
      bin(['demo', '--report', 'x.html']),
      bin(['config', 'validate']),
    ]);
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tunnel-warden twin start [options]');
    expect(usage).toEqual({
      code: 2,
      stdout: '',
      stderr: "tunnel-warden demo: unknown option '--report'\n(see: tunnel-warden demo --help)\n",
    });
    expect(valid).toEqual({
      code: 0,
      stdout: `${join(ROOT, 'tunnel-warden.yml')}: valid (2 sites, mode enabled)\n`,
      stderr: '',
    });
  });
});
