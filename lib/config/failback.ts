/**
 * How a site fails back to a better path, and how long the two directions of its traffic may differ.
 *
 * When a BGP primary comes back, the customer router re-learns the VPC CIDR over it and on-prem → AWS
 * traffic returns to it at once, while AWS → on-prem stays on the backup until tunnel-warden fails back:
 * the flows are asymmetric meanwhile, and stateful firewalls drop them. `hold-down` (the default) waits
 * the hold-down whatever the return path does; `follow-return-path` fails a BGP primary back once its
 * BGP is established with accepted routes and has been so for `damping`, because on-prem already
 * returns over it. `maxAsymmetry` is the bound the policy reports against (an `asymmetric-routing`
 * finding, major once exceeded).
 */
import { z } from 'zod';
import { DurationSchema, formatDuration } from './duration.js';

export const FAILBACK_POLICIES = ['hold-down', 'follow-return-path'] as const;
export type FailbackPolicyName = (typeof FAILBACK_POLICIES)[number];

/**
 * The sweep runs every 5 minutes: a `follow-return-path` failback whose damping ends between two
 * evaluations waits for the next sweep, so the window it can promise is damping + this.
 */
export const EVALUATION_INTERVAL_MS = 5 * 60_000;

export const FAILBACK_DEFAULTS = {
  policy: 'hold-down',
  dampingMs: 60_000,
  maxAsymmetryMs: 60_000 + EVALUATION_INTERVAL_MS,
} as const satisfies FailbackPolicy;

export interface FailbackPolicy {
  readonly policy: FailbackPolicyName;
  /** follow-return-path: how long a BGP primary must stay established with accepted routes. */
  readonly dampingMs: number;
  /** The longest asymmetric window the site accepts before the policy reports it as major. */
  readonly maxAsymmetryMs: number;
}

export const FailbackSchema = z
  .strictObject({
    policy: z.enum(FAILBACK_POLICIES).default(FAILBACK_DEFAULTS.policy),
    damping: DurationSchema.default(FAILBACK_DEFAULTS.dampingMs),
    maxAsymmetry: DurationSchema.default(FAILBACK_DEFAULTS.maxAsymmetryMs),
  })
  .superRefine((f, ctx) => {
    // The bound must be one the policy can keep: a failback is evaluated at the latest by the next sweep.
    const reachable = f.damping + EVALUATION_INTERVAL_MS;
    if (f.policy === 'follow-return-path' && f.maxAsymmetry < reachable)
      ctx.addIssue({
        code: 'custom',
        path: ['maxAsymmetry'],
        message: `${formatDuration(f.maxAsymmetry)} cannot be kept: a failback waits the damping (${formatDuration(f.damping)}) and then up to one sweep (${formatDuration(EVALUATION_INTERVAL_MS)}); at least ${formatDuration(reachable)}`,
      });
  });

/** The parsed `failback:` of a site, or the defaults. */
export function failbackPolicy(config: z.infer<typeof FailbackSchema> | undefined): FailbackPolicy {
  if (config === undefined) return FAILBACK_DEFAULTS;
  return { policy: config.policy, dampingMs: config.damping, maxAsymmetryMs: config.maxAsymmetry };
}
