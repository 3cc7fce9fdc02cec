/**
 * Just enough of CloudWatch Metrics Insights' SQL to know what a Metrics Insights alarm watches:
 * `SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId`. Keywords are
 * case-insensitive; metric, namespace and dimension names are not (CloudWatch's own rules).
 */

export const INSIGHTS_FUNCTIONS = ['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'] as const;
export type InsightsFunction = (typeof INSIGHTS_FUNCTIONS)[number];

export interface InsightsQuery {
  readonly fn: InsightsFunction;
  readonly metric: string;
  readonly namespace: string;
  /** The dimension keys a `SCHEMA(...)` restricts the series to; empty for a bare namespace. */
  readonly schemaDimensions: readonly string[];
  /** The `GROUP BY` keys: each distinct value tuple is one contributor. */
  readonly groupBy: readonly string[];
}

const NAME = String.raw`"[^"]+"|[A-Za-z_][\w]*`;
const SELECT = new RegExp(
  String.raw`^\s*SELECT\s+(\w+)\s*\(\s*(${NAME})\s*\)\s+FROM\s+(SCHEMA\s*\(([^)]*)\)|"[^"]+"|[\w/.]+)(.*)$`,
  'is',
);
const GROUP_BY = /\bGROUP\s+BY\s+(.+?)(?=\s+ORDER\s+BY\b|\s+LIMIT\b|\s*$)/is;

function unquote(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function isInsightsFunction(name: string): name is InsightsFunction {
  return (INSIGHTS_FUNCTIONS as readonly string[]).includes(name);
}

/** The query's parts, or undefined when the text is not a Metrics Insights SELECT (metric math, say). */
export function parseInsightsQuery(text: string): InsightsQuery | undefined {
  const match = SELECT.exec(text);
  if (match === null) return undefined;
  const [, fnText = '', metric = '', source = '', schemaArgs, rest = ''] = match;
  const fn = fnText.toUpperCase();
  if (!isInsightsFunction(fn)) return undefined;
  let namespace: string;
  let schemaDimensions: string[] = [];
  if (schemaArgs === undefined) {
    namespace = unquote(source);
  } else {
    const [first = '', ...dims] = schemaArgs.split(',');
    namespace = unquote(first);
    schemaDimensions = dims.map(unquote).filter((d) => d !== '');
  }
  const groupText = GROUP_BY.exec(rest)?.[1];
  const groupBy =
    groupText === undefined
      ? []
      : groupText
          .split(',')
          .map(unquote)
          .filter((d) => d !== '');
  return { fn, metric: unquote(metric), namespace, schemaDimensions, groupBy };
}
