import { z } from 'zod';
import type { VpcTarget } from '../domain/snapshot.js';
import { cidrContains, cidrsOverlap, parseIpv4, parseIpv4Cidr } from './cidr.js';
import { DETECTION_DEFAULTS, DetectionSchema } from './detection.js';
import { DurationSchema, durationWithin, formatDuration } from './duration.js';
import { FailbackSchema } from './failback.js';
import { NetworkManagerSchema } from './network-manager.js';
import { classifyVpcTarget } from './targets.js';

export const MODES = ['enabled', 'dry-run', 'disabled'] as const;
export type Mode = (typeof MODES)[number];

/** An AWS resource id of one kind, e.g. `resourceId('vpn', 'a VPN connection')`. */
export const resourceId = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `expected ${what} id like ${prefix}-0123456789abcdef0`);

/** A canonical IPv4 CIDR: host bits set are a mistake worth naming. */
export const PrefixSchema = z.string().transform((text, ctx) => {
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an IPv4 CIDR like 10.3.0.0/20, got "${text}"` });
    return z.NEVER;
  }
  if (cidr.canonical !== text) {
    ctx.addIssue({ code: 'custom', message: `${text} has host bits set; did you mean ${cidr.canonical}?` });
    return z.NEVER;
  }
  return text;
});

/**
 * Site and path names become DynamoDB keys (at most 2,048 bytes), incident ids and metric dimensions;
 * a name that validates must fit all of them.
 */
const NAME_MAX = 64;
const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens')
  .max(NAME_MAX, `at most ${NAME_MAX} characters: names become table keys and incident ids`);

/** Parsed once into a typed target: nothing downstream re-reads the id's prefix. */
const VpcTargetSchema = z.string().transform((id, ctx): VpcTarget => {
  const check = classifyVpcTarget(id);
  if (check.ok) return check.target;
  ctx.addIssue({ code: 'custom', message: check.problem });
  return z.NEVER;
});

/** Whether the site's probe address (when set and readable) lies inside one of its prefixes. */
function probeInsidePrefixes(site: {
  readonly prefixes: readonly string[];
  readonly probeAddress?: string | undefined;
}): boolean {
  const probe = site.probeAddress === undefined ? undefined : parseIpv4(site.probeAddress);
  if (probe === undefined) return true;
  return site.prefixes.some((prefix) => {
    const cidr = parseIpv4Cidr(prefix);
    return cidr !== undefined && cidrContains(cidr, probe);
  });
}

const PathSchema = z.strictObject({
  name: NameSchema,
  /** The VPN connection whose tunnels make this path healthy; a path without one is judged by probes only. */
  vpn: resourceId('vpn', 'a VPN connection').optional(),
  /** The attachment that TGW route tables point at when this path is active. */
  transitGatewayAttachment: resourceId('tgw-attach', 'a transit gateway attachment').optional(),
  /**
   * What VPC route tables use when this path is active: a `vgw-` (kind `vpn-gateway`) means the VGW's
   * propagated route (no static override); a `tgw-` or `eni-` is a static override route.
   */
  vpcTarget: VpcTargetSchema.optional(),
});
export type PathConfig = z.infer<typeof PathSchema>;

/**
 * The most transitions a flap threshold may name. The history keeps the last 500 transitions of a site
 * (lib/store/history.ts), shared by its VPNs: a threshold near that could never be crossed, and damping
 * would be off without anyone knowing.
 */
export const MAX_FLAP_TRANSITIONS = 100;

const ProbeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  address: z.string().refine((a) => parseIpv4(a) !== undefined, 'expected an IPv4 address'),
  port: z.number().int().min(1).max(65535).optional(),
});

const FlappingSchema = z.strictObject({
  maxTransitions: z
    .number()
    .int()
    .min(1)
    .max(
      MAX_FLAP_TRANSITIONS,
      `at most ${MAX_FLAP_TRANSITIONS}: the history keeps only the last 500 transitions of a site`,
    )
    .default(4),
  window: durationWithin({
    min: 60_000,
    why: 'tunnel state is observed once a minute at best (alarm periods, keepalive), so a shorter window never holds two transitions and damping would be off',
  }).default(30 * 60_000),
});

/** How a site fails back to a better path: see lib/config/failback.ts. */
const PolicySchema = z.strictObject({
  holdDown: DurationSchema.optional(),
  flapping: FlappingSchema.optional(),
  maxChangesPerRun: z.number().int().min(1).optional(),
  failback: FailbackSchema.optional(),
});

const SiteSchema = z
  .strictObject({
    name: NameSchema,
    prefixes: z.array(PrefixSchema).min(1),
    routeTables: z
      .strictObject({
        transitGateway: z.array(resourceId('tgw-rtb', 'a transit gateway route table')).default([]),
        vpc: z.array(resourceId('rtb', 'a VPC route table')).default([]),
        /** Keep VGW route propagation enabled on the VPC tables (drift repair). */
        propagation: z.boolean().default(true),
      })
      .refine(
        (t) => t.transitGateway.length + t.vpc.length > 0,
        'a site needs at least one route table to manage',
      ),
    paths: z.array(PathSchema).min(1),
    probes: z.array(ProbeSchema).default([]),
    /**
     * The address whose effective route (longest prefix) is verified after every change: inside one of
     * the site's prefixes. Default: the first host of the first prefix.
     */
    probeAddress: z
      .string()
      .refine((a) => parseIpv4(a) !== undefined, 'expected an IPv4 address')
      .optional(),
    policy: PolicySchema.default({}),
    /**
     * Revert routes an operator pointed at a target outside this config. Off by default: such a route is
     * a manual override, reported and left alone.
     */
    enforce: z.boolean().optional(),
    /**
     * Hand the whole site to a human: `true` until removed, or an ISO 8601 time until which tunnel-warden
     * changes nothing for it (it still observes and reports).
     */
    hold: z
      .union([
        z.boolean(),
        z.iso.datetime({
          offset: true,
          message: 'expected true, false or an ISO 8601 time like 2026-03-02T12:00:00Z',
        }),
      ])
      .optional(),
  })
  .superRefine((site, ctx) => {
    if (!probeInsidePrefixes(site))
      ctx.addIssue({
        code: 'custom',
        path: ['probeAddress'],
        message: `${site.probeAddress} is in none of the site's prefixes (${site.prefixes.join(', ')})`,
      });
    site.paths.forEach((path, i) => {
      checkUniquePath(site.paths, path, i, ctx);
      checkPathTargets(site.routeTables, path, i, ctx);
    });
  });

type SiteShape = Pick<SiteConfig, 'paths' | 'routeTables'>;
type RefineContext = z.core.$RefinementCtx;

/** A path's name, and its route target (how the active path is recognised), are its own. */
function checkUniquePath(paths: SiteShape['paths'], path: PathConfig, i: number, ctx: RefineContext): void {
  if (paths.findIndex((p) => p.name === path.name) < i)
    ctx.addIssue({ code: 'custom', path: ['paths', i, 'name'], message: `duplicate path name ${path.name}` });
  for (const field of ['transitGatewayAttachment', 'vpcTarget'] as const) {
    const targetOf = (p: PathConfig) => (field === 'vpcTarget' ? p.vpcTarget?.id : p[field]);
    const target = targetOf(path);
    const other = paths.findIndex((p) => targetOf(p) === target);
    if (target !== undefined && other < i) {
      ctx.addIssue({
        code: 'custom',
        path: ['paths', i, field],
        message: `${target} is already the ${field} of paths[${other}]`,
      });
    }
  }
}

/** Each kind of route table the site names needs the target it points at on every path. */
function checkPathTargets(
  routeTables: SiteShape['routeTables'],
  path: PathConfig,
  i: number,
  ctx: RefineContext,
): void {
  if (routeTables.transitGateway.length > 0 && path.transitGatewayAttachment === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['paths', i, 'transitGatewayAttachment'],
      message:
        'required: the site has transit gateway route tables, so every path needs the attachment they point at',
    });
  }
  if (routeTables.vpc.length > 0 && path.vpcTarget === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['paths', i, 'vpcTarget'],
      message:
        'required: the site has VPC route tables, so every path needs the target they point at (vgw-, tgw- or eni-)',
    });
  }
  if (path.vpcTarget?.kind === 'vpn-gateway' && path.vpn === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['paths', i, 'vpn'],
      message: 'required for a path through a virtual private gateway',
    });
  }
}
export type SiteConfig = z.infer<typeof SiteSchema>;

export const ConfigSchema = z
  .strictObject({
    version: z.literal(1),
    /** The default mode; an SSM parameter, when set, overrides it at run time. */
    mode: z.enum(MODES).default('dry-run'),
    // The functions may read only /tunnel-warden/* (IAM): any other name would silently mean dry-run.
    modeParameter: z
      .string()
      .regex(
        /^\/tunnel-warden\/[\w./-]+$/,
        'expected an SSM parameter name under /tunnel-warden/ (the functions may read nothing else)',
      )
      .optional(),
    defaults: z
      .strictObject({
        holdDown: DurationSchema.default(10 * 60_000),
        // prefault: an absent block is parsed as `{}`, so each field's own default is the only one.
        flapping: FlappingSchema.prefault({}),
        maxChangesPerRun: z.number().int().min(1).default(20),
        /** A relapse this soon after an incident resolved reopens it instead of opening a new one. */
        relapseWindow: DurationSchema.default(30 * 60_000),
        /** How long resolved incidents are kept (DynamoDB TTL). */
        incidentRetention: durationWithin({
          min: 86_400_000,
          why: 'resolved incidents expire by DynamoDB TTL, which needs a time after the resolution and deletes within about two days anyway',
        }).default(90 * 86_400_000),
      })
      .prefault({}),
    /** The TunnelState alarms the stack creates (lib/config/detection.ts). */
    detection: DetectionSchema.default(DETECTION_DEFAULTS),
    /** Transit gateways registered in a global network: their Network Manager events are signals. */
    networkManager: NetworkManagerSchema.optional(),
    sites: z.array(SiteSchema).min(1),
  })
  .superRefine((config, ctx) => {
    const { relapseWindow, incidentRetention } = config.defaults;
    if (relapseWindow > incidentRetention) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaults', 'relapseWindow'],
        message: `${formatDuration(relapseWindow)} is longer than incidentRetention (${formatDuration(incidentRetention)}): a relapse could not reopen an incident already deleted`,
      });
    }
    const seen = new Map<string, number>();
    const prefixes: { site: number; cidr: string }[] = [];
    config.sites.forEach((site, i) => {
      const first = seen.get(site.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['sites', i, 'name'],
          message: `duplicate site name ${site.name} (also sites[${first}])`,
        });
      seen.set(site.name, i);
      site.prefixes.forEach((cidr, j) => {
        const parsed = parseIpv4Cidr(cidr);
        const clash = prefixes.find(
          (p) =>
            p.site !== i && parsed !== undefined && cidrsOverlap(parsed, parseIpv4Cidr(p.cidr) ?? parsed),
        );
        if (clash !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites', i, 'prefixes', j],
            message: `${cidr} overlaps ${clash.cidr} of sites[${clash.site}]: two sites would fight over the same routes`,
          });
        }
        prefixes.push({ site: i, cidr });
      });
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
