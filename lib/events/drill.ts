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
    trafficProbe: z
      .strictObject({
        tunnelIp: IpAddressSchema,
        passedAt: z.iso.datetime({
          offset: true,
          message: 'expected the ISO 8601 time the probe passed, like 2026-03-02T09:58:00Z',
        }),
      })
      .optional(),
    applyPendingMaintenance: z.boolean().optional(),
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
      ...(drill.trafficProbe === undefined ? {} : { trafficProbe: drill.trafficProbe }),
      ...(drill.applyPendingMaintenance === undefined
        ? {}
        : { applyPendingMaintenance: drill.applyPendingMaintenance }),
    }),
  );

export const DrillEventSchema = envelopeWith(DrillRequestSchema).extend({
  source: z.literal(DRILL_SOURCE),
  'detail-type': z.literal(DRILL_DETAIL_TYPE),
});
