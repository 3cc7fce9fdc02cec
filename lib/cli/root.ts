import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'tunnel-warden';

/** Where this copy of tunnel-warden is installed: the repository the CLI's own code lives in. */
export const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function isProjectRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    const { name } = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
    return name === PACKAGE_NAME;
  } catch {
    // A broken package.json of some other project on the way up is not ours; keep walking.
    return false;
  }
}

/**
 * The project root for a command typed in `cwd`: the nearest directory at or above it whose
 * package.json is named tunnel-warden (so `cd drills && npx tunnel-warden drill .` works), else the
 * installation the CLI runs from — the twin, the packaged rules and the demo live there.
 */
export function findProjectRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return INSTALL_ROOT;
    dir = parent;
  }
}

/** The package's version, for `--version`. */
export function packageVersion(root: string = INSTALL_ROOT): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
