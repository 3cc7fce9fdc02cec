import type { z } from 'zod';

/** Formats a zod issue path the way operators read JSON: `detail.affectedEntities[0].entityValue`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The first issue of a failed parse, as a path and a readable problem. */
export function firstIssue(error: z.ZodError): { path: string; problem: string } {
  const issue = error.issues[0];
  if (issue === undefined) return { path: '', problem: 'invalid' };
  return { path: formatIssuePath(issue.path), problem: issue.message };
}
