import { randomUUID } from 'node:crypto';
import type { PackagedRule } from '../eventbridge/template.js';
import { TwinError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** `rate(5 minutes)` → 300000. The twin fires `rate` schedules; a `cron` one is refused with its rule named. */
export function ratePeriodMs(rule: PackagedRule): number {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(rule.schedule ?? '');
  const amount = match?.[1];
  const unit = match?.[2];
  const size = unit === undefined ? undefined : UNIT_MS[unit];
  if (amount === undefined || size === undefined) {
    throw new TwinError(
      `rule ${rule.name}: the twin fires rate(…) schedules only, not "${rule.schedule ?? ''}"`,
    );
  }
  return Number(amount) * size;
}

/** The Scheduled Event EventBridge sends when a schedule rule fires. */
export function scheduledEvent(
  rule: PackagedRule,
  account: string,
  region: string,
  at: Date,
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: `${at.toISOString().slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/${rule.name}`],
    detail: {},
  };
}
