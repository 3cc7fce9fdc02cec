import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

export const DEFAULT_CONFIG_FILE = 'tunnel-warden.yml';

let cached: { file: string; config: Config } | undefined;

/**
 * The site configuration bundled with the function, loaded and validated once per container:
 * an invalid file fails the first invocation with a ConfigError naming the field, before any action.
 */
export function runtimeConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.TUNNEL_WARDEN_CONFIG ?? DEFAULT_CONFIG_FILE;
  if (cached?.file !== file) cached = { file, config: loadConfig(file) };
  return cached.config;
}
