import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';

export interface ConfigValidateOptions {
  readonly json: boolean;
  readonly out: (line: string) => void;
}

/** `--json`: the same shape whether the file is valid or not, so a script reads `ok` and `errors`. */
export interface ConfigValidation {
  readonly ok: boolean;
  readonly file: string;
  /** The site names, when the file is valid. */
  readonly sites: readonly string[];
  readonly mode?: string;
  readonly errors: readonly { readonly field: string; readonly message: string }[];
}

/**
 * `tunnel-warden config validate [file]`: exit 0 valid, 2 invalid. Without --json an invalid file is
 * a ConfigError for the caller to print; with --json the result, valid or not, is JSON on stdout.
 */
export function configValidate(file: string, options: ConfigValidateOptions): number {
  let result: ConfigValidation;
  try {
    const config = loadConfig(file);
    result = { ok: true, file, sites: config.sites.map((s) => s.name), mode: config.mode, errors: [] };
  } catch (error) {
    if (!(error instanceof ConfigError) || !options.json) throw error;
    // The file and field are fields of their own here; the message is what is wrong with them.
    const prefix = `${error.file}: ${error.fieldPath === '' ? '' : `${error.fieldPath}: `}`;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    result = { ok: false, file, sites: [], errors: [{ field: error.fieldPath, message }] };
  }
  if (options.json) options.out(JSON.stringify(result, null, 2));
  else options.out(`${file}: valid (${result.sites.length} sites, mode ${result.mode ?? ''})`);
  return result.ok ? 0 : 2;
}
