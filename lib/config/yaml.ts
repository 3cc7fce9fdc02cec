import { parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { firstIssue } from '../events/zod-issues.js';

/** Where a YAML document went wrong: the field path ('' for the document) and what was expected. */
export interface YamlProblem {
  readonly fieldPath: string;
  readonly problem: string;
  readonly cause: unknown;
}

/** Far above any configuration, scenario or topology (the shipped ones are a few KB). */
export const MAX_YAML_CHARS = 1024 * 1024;

/**
 * Aliases one document may expand. A "billion laughs" file nests aliases of aliases so that a few
 * hundred bytes expand to gigabytes; the yaml library refuses beyond this count. Configurations use
 * few or none.
 */
const MAX_ALIAS_COUNT = 100;

/** What a file read as UTF-8 looks like when it was not: replacement characters, or NULs of a binary. */
const notText = (text: string) => text.includes('\u0000') || text.includes('\uFFFD');

function describeYamlError(error: YAMLError): string {
  const where = error.linePos?.[0];
  const at = where === undefined ? '' : `line ${where.line}, column ${where.col}: `;
  // The library's message repeats the position and then quotes the source; keep only what it says.
  const [said = ''] = error.message.split(/ at line \d+|\n/);
  return `${at}invalid YAML (${error.code}): ${said}`;
}

/** The document as plain data, or the problem that stopped it, with every error the library may throw. */
function toData(text: string): { data: unknown } | { problem: string; cause: unknown } {
  if (text.length > MAX_YAML_CHARS)
    return { problem: `is larger than ${MAX_YAML_CHARS} characters`, cause: undefined };
  if (notText(text)) {
    return { problem: 'is not UTF-8 text (a binary file, or another encoding?)', cause: undefined };
  }
  try {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const yamlError = document.errors[0];
    if (yamlError !== undefined) return { problem: describeYamlError(yamlError), cause: yamlError };
    if (document.contents === null)
      return { problem: 'is empty: expected a YAML document', cause: undefined };
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    // toJS throws a ReferenceError for an alias bomb, a RangeError for nesting deeper than the stack.
    const why =
      error instanceof ReferenceError
        ? `more than ${MAX_ALIAS_COUNT} alias expansions (an alias bomb?)`
        : error instanceof RangeError
          ? 'nests too deeply'
          : error instanceof Error
            ? error.message
            : String(error);
    return { problem: `invalid YAML: ${why}`, cause: error };
  }
}

/**
 * Parses YAML text and validates it with a schema — the one way every file tunnel-warden reads
 * (configuration, scenarios, topologies) is checked. Every problem, whatever the yaml library raised,
 * goes to `fail`, which throws the caller's own error type naming its file (exit code 2 in the CLI).
 */
export function parseYamlWith<S extends z.ZodType>(
  schema: S,
  text: string,
  fail: (p: YamlProblem) => never,
): z.output<S> {
  const parsed = toData(text);
  if (!('data' in parsed)) return fail({ fieldPath: '', ...parsed });
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(parsed.data);
  } catch (error) {
    // A schema walks what it is given recursively: a document deep enough overflows the stack.
    return fail({ fieldPath: '', problem: 'invalid YAML: nests too deeply', cause: error });
  }
  if (!result.success) {
    const { path, problem } = firstIssue(result.error);
    return fail({ fieldPath: path, problem, cause: result.error });
  }
  return result.data;
}
