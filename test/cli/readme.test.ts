/**
 * The README says what the CLI does; these tests hold it to that: every tunnel-warden command it
 * shows parses with the real CLI, every command and option of its CLI table exists, its
 * configuration examples validate (one is the shipped file, verbatim), its links resolve.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, parseOnly } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Fenced blocks of one language, in order. */
function blocks(language: string): string[] {
  return [...README.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

/** Splits a command line as sh would for the simple cases a README uses: words, '…' and "…" quoting. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** Drops a trailing `# comment` (outside quotes) and a trailing `&`. */
function commandPart(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i).trim();
  }
  return line.trim().replace(/\s*&$/, '');
}

const PREFIX = 'npx tunnel-warden ';
const shellCommands = blocks('sh')
  .flatMap((block) => block.split('\n'))
  .map(commandPart)
  .filter((line) => line.startsWith(PREFIX));
const inlineCommands = [...README.matchAll(/`(npx tunnel-warden [^`]+)`/g)]
  .map((m) => commandPart(m[1] ?? ''))
  .filter((line) => !line.includes('…'))
  // Prose may name an argument by its placeholder; any value parses the same way.
  .map((line) => line.replace(/<[^>]+>/g, 'placeholder'));

describe('README: every tunnel-warden command it shows is one the CLI accepts', () => {
  it('finds the commands', () => {
    expect(shellCommands.length).toBeGreaterThanOrEqual(4);
    expect(inlineCommands.length).toBeGreaterThanOrEqual(2);
  });

  it.each([...shellCommands, ...inlineCommands])('%s', async (line) => {
    const run = await parseOnly(words(line.slice(PREFIX.length)));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('npm start runs the demo through the bin, in-process', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toBe('node bin/tunnel-warden.mjs demo');
  });
});

describe("README: the CLI table's commands and options exist", () => {
  const section = README.slice(README.indexOf('### The CLI\n'), README.indexOf('## How routes move'));
  const rows = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');

  it('lists every command', () => {
    const commands = rows.map((row) => row.split(/ [<[]/)[0]?.trim());
    expect(commands).toEqual([
      'demo',
      'drill',
      'replay',
      'status',
      'twin start',
      'incidents list',
      'incidents show',
      'config validate',
    ]);
  });

  it.each(rows)('%s', async (row) => {
    const command = (row.split(/ [<[]/)[0] ?? '').trim().split(' ');
    const help = await cli([...command, '--help']);
    expect(help.code).toBe(0);
    for (const option of row.match(/--[a-z-]+/g) ?? []) expect(help.stdout).toContain(option);
  });
});

describe('README: the configuration examples', () => {
  const yaml = blocks('yaml').filter(
    (block) => block.startsWith('version: 1') || block.includes('\nversion: 1\n'),
  );

  it('one is the shipped tunnel-warden.yml, verbatim', () => {
    expect(yaml).toContain(readFileSync(join(ROOT, 'tunnel-warden.yml'), 'utf8'));
  });

  it('documents relapseWindow, incidentRetention, drill description: and TUNNEL_WARDEN_CONFIG', () => {
    for (const name of ['relapseWindow', 'incidentRetention', 'TUNNEL_WARDEN_CONFIG'])
      expect(README).toMatch(new RegExp(`\\| \`defaults\\.${name}\`|${name}`));
    expect(README).toMatch(/^\| `defaults\.relapseWindow` /m);
    expect(README).toMatch(/^\| `defaults\.incidentRetention` /m);
    expect(README).toMatch(/^description: /m);
  });

  it.each(yaml.map((block, i) => [i, block] as const))('example %i validates', async (i, block) => {
    const file = join(mkdtempSync(join(tmpdir(), 'tw-readme-')), `example-${i}.yml`);
    writeFileSync(file, block);
    const run = await cli(['config', 'validate', file, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, errors: [] });
    expect(run.code).toBe(0);
  });
});

describe('README: links', () => {
  it('every relative link names a file in the repository', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((href) => !/^[a-z]+:/.test(href));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      expect(href, `${href} leaves the repository`).not.toMatch(/^\.\.\//);
      expect(existsSync(join(ROOT, href)), `${href} does not exist`).toBe(true);
    }
  });
});
