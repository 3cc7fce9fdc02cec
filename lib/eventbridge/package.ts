import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TemplateError } from './template.js';

export const TEMPLATE_PATH = '.serverless/cloudformation-template-update-stack.json';
/** What the rules in the template are made from; a newer one of these means the template is stale. */
const TEMPLATE_INPUTS = [
  'serverless.yml',
  'tunnel-warden.yml',
  'serverless/tunnel-warden-plugin.cjs',
  // The plugin adds the alarms these generate.
  'lib/stack/detection-alarms.ts',
  'lib/config/detection.ts',
  'lib/stack/plugin-api.ts',
];

function isStale(root: string): boolean {
  const template = join(root, TEMPLATE_PATH);
  if (!existsSync(template)) return true;
  const builtAt = statSync(template).mtimeMs;
  return TEMPLATE_INPUTS.some(
    (input) => existsSync(join(root, input)) && statSync(join(root, input)).mtimeMs > builtAt,
  );
}

/**
 * Runs `serverless package` (offline) when the packaged template is missing or older than its
 * inputs, and returns the template's path.
 */
export function ensurePackaged(root: string, log: (line: string) => void = () => undefined): string {
  if (isStale(root)) {
    log('packaging the service (serverless package) to read its EventBridge rules…');
    const cli = join(
      dirname(createRequire(import.meta.url).resolve('osls/package.json')),
      'bin',
      'serverless.js',
    );
    const run = spawnSync(process.execPath, [cli, 'package'], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) {
      throw new TemplateError(
        `serverless package failed (exit ${String(run.status)}):\n${run.stdout}${run.stderr}`,
      );
    }
  }
  return join(root, TEMPLATE_PATH);
}
