/**
 * The IAM actions a function's code can call, derived from its code rather than listed by hand: walk the
 * modules `functions/<name>.ts` imports (transitively, type-only imports excluded, into any npm package
 * that itself depends on the AWS SDK) and collect every `…Command` imported from an `@aws-sdk/client-*`
 * package. A command a module imports is a command it may send; a module a function never imports cannot
 * send anything on its behalf.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The IAM service prefix of each SDK client package the project uses. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-sns': 'sns',
};

const IMPORT = /(?:^|\n|;)\s*(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE_IMPORT = /(?:^|\n|;)\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  readonly specifier: string;
  /** Value names imported (`{ A, type B, C as D }` → A, C); empty for `* as x`, defaults or side effects. */
  readonly names: readonly string[];
}

function importedNames(clause: string): string[] {
  const braces = /\{([\s\S]*)\}/.exec(clause)?.[1];
  if (braces === undefined) return [];
  return braces
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('type '))
    .map((part) => part.split(/\s+as\s+/)[0]?.trim() ?? '');
}

function edgesOf(source: string): Edge[] {
  const edges: Edge[] = [];
  for (const [, , typeOnly, clause = '', specifier = ''] of source.matchAll(IMPORT)) {
    if (typeOnly !== undefined) continue;
    const names = importedNames(clause);
    // `import { type A, type B } from …` is erased at compile time: it runs nothing.
    if (/^\{[\s\S]*\}$/.test(clause.trim()) && names.length === 0) continue;
    edges.push({ specifier, names });
  }
  for (const [, specifier = ''] of source.matchAll(BARE_IMPORT)) edges.push({ specifier, names: [] });
  for (const [, specifier = ''] of source.matchAll(DYNAMIC_IMPORT)) edges.push({ specifier, names: [] });
  return edges;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.js`, join(base, 'index.js')];
  return candidates.find((c) => existsSync(c) && !c.endsWith('/'));
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

type PackageJson = {
  exports?: Record<string, unknown>;
  main?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** The ESM entry file of `pkg/sub`, following the `import` (then `default`) condition of its exports map. */
function resolvePackage(root: string, specifier: string): string | undefined {
  const name = packageNameOf(specifier);
  const dir = join(root, 'node_modules', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
  // Only packages that can talk to AWS are worth walking; the rest (zod, yaml, middy) cannot send a command.
  if (!Object.keys(deps).some((d) => d.startsWith('@aws-sdk/client-'))) return undefined;
  const subpath = `.${specifier.slice(name.length)}`;
  let entry: unknown = manifest.exports?.[subpath] ?? (subpath === '.' ? manifest.main : undefined);
  while (typeof entry === 'object' && entry !== null) {
    const conditions = entry as Record<string, unknown>;
    entry = conditions.import ?? conditions.default;
  }
  return typeof entry === 'string' ? join(dir, entry) : undefined;
}

/** `ec2:ReplaceRoute`, … for every command reachable from `entry`, sorted. */
export function actionsReachableFrom(root: string, entry: string): string[] {
  const actions = new Set<string>();
  const seen = new Set<string>();
  const pending = [resolve(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of edgesOf(readFileSync(file, 'utf8'))) {
      const { specifier } = edge;
      const prefix = IAM_PREFIX[specifier];
      if (prefix !== undefined) {
        for (const name of edge.names)
          if (name.endsWith('Command')) actions.add(`${prefix}:${name.slice(0, -'Command'.length)}`);
        continue;
      }
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const next = specifier.startsWith('.')
        ? resolveRelative(file, specifier)
        : resolvePackage(root, specifier);
      if (next !== undefined) pending.push(next);
    }
  }
  return [...actions].sort();
}
