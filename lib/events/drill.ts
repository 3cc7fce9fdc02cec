import { z } from 'zod';
import { DRILL_SCENARIOS, type DrillRequest } from '../domain/signal.js';
import { envelopeWith, IpAddressSchema } from './common.js';

export const DRILL_SOURCE = 'tunnel-warden.drill';
export const DRILL_DETAIL_TYPE = 'Drill Requested';

/** A drill request, from `serverless invoke -f drill --data …` or a `tunnel-warden.drill` event. */
export const DrillRequestSchema = z
  .strictObject({
    site: z.string().min(1),
    scenario: z.enum(DRILL_SCENARIOS),
    mode: z.enum(['dry-run', 'live']).default('dry-run'),
    confirm: z.string().optional(),
    tunnelIp: IpAddressSchema.optional(),
  })
  .superRefine((drill, ctx) => {
    if (drill.mode === 'live' && drill.confirm !== drill.site) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirm'],
        message: `a live drill changes real routes: set confirm to the site name "${drill.site}"`,
      });
    }
    if (drill.scenario === 'replace-tunnel' && drill.tunnelIp === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tunnelIp'],
        message: 'replace-tunnel needs the outside IP of the tunnel to replace',
      });
    }
  })
  .transform(
    (drill): DrillRequest => ({
      site: drill.site,
      scenario: drill.scenario,
      mode: drill.mode,
      ...(drill.confirm === undefined ? {} : { confirm: drill.confirm }),
      ...(drill.tunnelIp === undefined ? {} : { tunnelIp: drill.tunnelIp }),
    }),
  );

export const DrillEventSchema = envelopeWith(DrillRequestSchema).extend({
  source: z.literal(DRILL_SOURCE),
  'detail-type': z.literal(DRILL_DETAIL_TYPE),
});
