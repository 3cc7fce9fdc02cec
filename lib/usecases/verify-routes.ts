/**
 * The read after applying: the effective route for the site's probe address in every table a route
 * move landed in (lib/policy/verify-effective.ts). Bounded — one DescribeRouteTables, and three
 * searches per TGW table — and read-only; a read that fails is said in a finding, never fails the
 * run whose changes already landed.
 */
import type { SiteConfig } from '../config/schema.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { Plan } from '../policy/plan.js';
import { checkScope, effectiveRouteFindings, routeChecks } from '../policy/verify-effective.js';
import type { Ec2Port } from './ports.js';

/** The plan with a finding for each table whose effective route for the probe address is not the desired path. */
export async function withEffectiveRouteCheck(
  site: SiteConfig,
  plan: Plan,
  results: readonly ActionResult[],
  ec2: Pick<Ec2Port, 'routes'>,
): Promise<Plan> {
  const checks = routeChecks(site, plan, results);
  if (checks.length === 0) return plan;
  try {
    const routes = await ec2.routes(checkScope(checks));
    const findings = effectiveRouteFindings(checks, routes);
    return findings.length === 0 ? plan : { ...plan, findings: [...plan.findings, ...findings] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ...plan,
      findings: [
        ...plan.findings,
        {
          code: 'effective-route-mismatch',
          severity: 'minor',
          message: `the effective routes could not be read back after applying (${reason}): not verified`,
        },
      ],
    };
  }
}
