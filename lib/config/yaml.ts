import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { firstIssue } from '../events/zod-issues.js';

/** Where a YAML document went wrong: the field path ('' for the document) and what was expected. */
export interface YamlProblem {
  readonly fieldPath: string;
  readonly problem: string;
  readonly cause: unknown;
}

/**
 * Parses YAML text and validates it with a schema — the one way every file tunnel-warden reads
 * (configuration, scenarios, topologies) is checked. A problem goes to `fail`, which throws the
 * caller's own error type naming its file.
 */
export function parseYamlWith<S extends z.ZodType>(
  schema: S,
  text: string,
  fail: (p: YamlProblem) => never,
): z.output<S> {
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const where = yamlError.linePos?.[0];
    const at = where === undefined ? '' : `line ${where.line}, column ${where.col}: `;
    return fail({ fieldPath: '', problem: `${at}invalid YAML: ${yamlError.code}`, cause: yamlError });
  }
  const result = schema.safeParse(document.toJS());
  if (!result.success) {
    const { path, problem } = firstIssue(result.error);
    return fail({ fieldPath: path, problem, cause: result.error });
  }
  return result.data;
}
