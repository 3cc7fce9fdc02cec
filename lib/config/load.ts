import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { firstIssue } from '../events/zod-issues.js';
import { ConfigError } from './errors.js';
import { type Config, ConfigSchema, type SiteConfig } from './schema.js';

/** Parses and validates a config document; `file` only names it in errors. */
export function parseConfig(text: string, file: string): Config {
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const where = yamlError.linePos?.[0];
    const at = where === undefined ? '' : `line ${where.line}, column ${where.col}: `;
    throw new ConfigError(
      { file, fieldPath: '', problem: `${at}invalid YAML: ${yamlError.code}` },
      { cause: yamlError },
    );
  }
  const result = ConfigSchema.safeParse(document.toJS());
  if (!result.success) {
    const { path, problem } = firstIssue(result.error);
    throw new ConfigError({ file, fieldPath: path, problem }, { cause: result.error });
  }
  return result.data;
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
}

/** A site's policy: its own knobs where set, the file's defaults otherwise. */
export function sitePolicy(config: Config, site: SiteConfig): SitePolicy {
  const flapping = site.policy.flapping ?? config.defaults.flapping;
  return {
    holdDownMs: site.policy.holdDown ?? config.defaults.holdDown,
    flapping: { maxTransitions: flapping.maxTransitions, windowMs: flapping.window },
    maxChangesPerRun: site.policy.maxChangesPerRun ?? config.defaults.maxChangesPerRun,
  };
}
