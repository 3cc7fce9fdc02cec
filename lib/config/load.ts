import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { type FailbackPolicy, failbackPolicy } from './failback.js';
import { type Config, ConfigSchema, type SiteConfig } from './schema.js';
import { parseYamlWith } from './yaml.js';

/** Parses and validates a config document; `file` only names it in errors. */
export function parseConfig(text: string, file: string): Config {
  return parseYamlWith(ConfigSchema, text, ({ fieldPath, problem, cause }) => {
    throw new ConfigError({ file, fieldPath, problem }, { cause });
  });
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      { file, fieldPath: '', problem: 'cannot read the configuration file' },
      { cause: error },
    );
  }
  return parseConfig(text, file);
}

export interface SitePolicy {
  readonly holdDownMs: number;
  readonly flapping: { readonly maxTransitions: number; readonly windowMs: number };
  readonly maxChangesPerRun: number;
  /** How the site fails back; absent is `hold-down` with the documented defaults (lib/config/failback.ts). */
  readonly failback?: FailbackPolicy;
}

/** A site's policy: its own knobs where set, the file's defaults otherwise. */
export function sitePolicy(config: Config, site: SiteConfig): SitePolicy {
  const flapping = site.policy.flapping ?? config.defaults.flapping;
  return {
    holdDownMs: site.policy.holdDown ?? config.defaults.holdDown,
    flapping: { maxTransitions: flapping.maxTransitions, windowMs: flapping.window },
    maxChangesPerRun: site.policy.maxChangesPerRun ?? config.defaults.maxChangesPerRun,
    // Absent: hold-down with the documented defaults (the policy reads FAILBACK_DEFAULTS).
    ...(site.policy.failback === undefined ? {} : { failback: failbackPolicy(site.policy.failback) }),
  };
}
