import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors.js';
import { loadConfig } from '../../lib/config/load.js';
import { MAX_YAML_CHARS } from '../../lib/config/yaml.js';
import { ScenarioError } from '../../lib/drills/errors.js';
import { loadScenario } from '../../lib/drills/load.js';
import { TopologyError } from '../../lib/twin/errors.js';
import { loadTopology } from '../../lib/twin/topologies/file.js';
import { cli } from '../helpers/cli.js';

/** "Billion laughs": nine aliases of nine aliases, six deep, is 9^6 = 531,441 strings from 300 bytes. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f'].map((name, i) => {
    const prev = 'abcdef'[i];
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
  'version: 1',
].join('\n');

/** Every kind of broken YAML file, with what the error must say about it. */
const BAD_FILES: readonly (readonly [string, string | Buffer, RegExp])[] = [
  ['an alias bomb', ALIAS_BOMB, /more than 100 alias expansions/],
  [
    'duplicate keys',
    'version: 1\nmode: live\nmode: dry-run\n',
    /line 3, column 1: invalid YAML \(DUPLICATE_KEY\)/,
  ],
  [
    'bad indentation',
    'version: 1\nsites:\n  - name: a\n   prefixes: []\n',
    /line 4, column \d+: invalid YAML/,
  ],
  [
    'tabs as indentation',
    'version: 1\nsites:\n\t- name: a\n',
    /line 3, column 1: invalid YAML \(TAB_AS_INDENT\)/,
  ],
  [
    'an unterminated quote',
    'version: 1\nname: "stale\nsteps: []\n',
    /invalid YAML \(MISSING_CHAR\): Missing closing "quote/,
  ],
  ['an unterminated flow', 'version: 1\nsites: [\n  - oops: {\n', /line \d+, column \d+: invalid YAML/],
  ['two documents', 'version: 1\n---\nversion: 2\n', /invalid YAML \(MULTIPLE_DOCS\)/],
  [
    'a binary file',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
    /is not UTF-8 text/,
  ],
  ['Latin-1 text', Buffer.from('name: caf\xe9\n', 'latin1'), /is not UTF-8 text/],
  ['an empty file', '', /is empty: expected a YAML document/],
  ['only comments', '# nothing here\n\n', /is empty: expected a YAML document/],
  ['a huge file', `version: 1\n# ${'x'.repeat(MAX_YAML_CHARS)}\n`, /is larger than 1048576 characters/],
  ['deep nesting', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /invalid YAML/],
  ['a scalar document', 'just a string\n', /expected object/],
];

const dir = mkdtempSync(join(tmpdir(), 'tw-yaml-'));
function fileWith(name: string, content: string | Buffer): string {
  const file = join(dir, `${name.replaceAll(/\W+/g, '-')}.yml`);
  writeFileSync(file, content);
  return file;
}

const LOADERS = [
  ['configuration', loadConfig, ConfigError],
  ['scenario', loadScenario, ScenarioError],
  ['topology', loadTopology, TopologyError],
] as const;

function errorOf(load: (file: string) => unknown, file: string): unknown {
  try {
    load(file);
  } catch (error) {
    return error;
  }
  throw new Error(`${file} loaded`);
}

describe('every kind of broken YAML is a typed error naming the file', () => {
  describe.each(LOADERS)('as a %s', (_, load, ErrorType) => {
    it.each(BAD_FILES)('%s', (name, content, problem) => {
      const file = fileWith(name, content);
      const error = errorOf(load, file);
      expect(error).toBeInstanceOf(ErrorType);
      expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
      expect((error as Error).message).toMatch(problem);
    });

    it('a directory instead of a file', () => {
      const folder = join(dir, 'a-folder.yml');
      mkdirSync(folder, { recursive: true });
      const error = errorOf(load, folder);
      expect(error).toBeInstanceOf(ErrorType);
      expect((error as Error).message).toMatch(new RegExp(`^${folder}: cannot read the \\w+ file`));
    });
  });
});

describe('the CLI exits 2 naming the file', () => {
  it('config validate on an alias bomb', async () => {
    const file = fileWith('cli-bomb', ALIAS_BOMB);
    const run = await cli(['config', 'validate', file]);
    expect(run.stderr).toBe(
      `tunnel-warden: ${file}: invalid YAML: more than 100 alias expansions (an alias bomb?)\n`,
    );
    expect(run.code).toBe(2);
  });

  it('drill on a binary scenario', async () => {
    const file = fileWith('cli-binary', Buffer.from([0x00, 0xff, 0x10, 0x80]));
    const run = await cli(['drill', file]);
    expect(run.stderr).toContain(`tunnel-warden: ${file}: is not UTF-8 text`);
    expect(run.code).toBe(2);
  });
});
