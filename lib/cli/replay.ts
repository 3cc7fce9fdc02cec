import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ensurePackaged } from '../eventbridge/package.js';
import { routeEvent } from '../eventbridge/router.js';
import { loadPackagedRules } from '../eventbridge/template.js';
import type { HandlerResult } from '../runtime/handler.js';
import { UsageError } from './errors.js';
import { invokeLocal } from './local-lambda.js';

export type Delivery =
  | {
      readonly function: string;
      readonly outcome: 'handled' | 'ignored';
      readonly result: HandlerResult<unknown>;
    }
  | { readonly function: string; readonly outcome: 'rejected'; readonly error: string };

export interface ReplayResult {
  readonly file: string;
  readonly eventId: string;
  readonly deliveries: readonly Delivery[];
}

function readEvent(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not a readable JSON event`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${file}: expected one EventBridge event (a JSON object)`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Puts each event through the packaged EventBridge rules and invokes every function a rule
 * targets, exactly as the bus would: an event no rule matches reaches nothing.
 */
export async function replayEvents(
  root: string,
  files: readonly string[],
  log: (line: string) => void,
): Promise<ReplayResult[]> {
  const rules = loadPackagedRules(ensurePackaged(root, log));
  const results: ReplayResult[] = [];
  for (const file of files) {
    const event = readEvent(file);
    const deliveries: Delivery[] = [];
    for (const rule of routeEvent(rules, event)) {
      try {
        const result = (await invokeLocal(root, rule.functionKey, event)) as HandlerResult<unknown>;
        deliveries.push({ function: rule.functionKey, outcome: result.status, result });
      } catch (error) {
        deliveries.push({
          function: rule.functionKey,
          outcome: 'rejected',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    results.push({ file: relative(root, file), eventId: String(event.id ?? '(no id)'), deliveries });
  }
  return results;
}

function describeSignal(result: HandlerResult<unknown>): string {
  if (result.status === 'ignored') return `ignored: ${result.reason}`;
  const { signal } = result;
  const where =
    'targets' in signal
      ? signal.targets.map((t) => [t.vpnId, ...t.tunnelIps].filter(Boolean).join(' ')).join(', ') ||
        'no VPN named'
      : 'drill' in signal
        ? `site ${signal.drill.site}, ${signal.drill.scenario}, ${signal.drill.mode}`
        : signal.schedule;
  return `${signal.kind} (${where})`;
}

export function formatReplay(results: readonly ReplayResult[]): string {
  return results
    .map((r) => {
      if (r.deliveries.length === 0)
        return `· ${r.file}\n    no rule matches: EventBridge delivers it nowhere`;
      const lines = r.deliveries.map((d) =>
        d.outcome === 'rejected'
          ? `    ✗ ${d.function}: rejected — ${d.error}`
          : `    ✓ ${d.function} → ${describeSignal(d.result)}`,
      );
      return [`· ${r.file}`, ...lines].join('\n');
    })
    .join('\n');
}
