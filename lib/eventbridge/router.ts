import type { PackagedRule } from './template.js';

function resourcesOf(event: unknown): string[] {
  if (
    typeof event !== 'object' ||
    event === null ||
    !('resources' in event) ||
    !Array.isArray(event.resources)
  )
    return [];
  return event.resources.filter((r): r is string => typeof r === 'string');
}

function isScheduledEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>).source === 'aws.events' &&
    (event as Record<string, unknown>)['detail-type'] === 'Scheduled Event'
  );
}

/**
 * The rules an event reaches: pattern rules whose pattern matches it, and — for a Scheduled Event —
 * the schedule rule that fired it, which AWS names in `resources[0]` as the rule ARN.
 */
export function routeEvent(rules: readonly PackagedRule[], event: unknown): PackagedRule[] {
  const fired = isScheduledEvent(event) ? resourcesOf(event) : [];
  return rules.filter(
    (rule) =>
      rule.matches(event) ||
      (rule.schedule !== undefined && fired.some((arn) => arn.endsWith(`:rule/${rule.name}`))),
  );
}
