import { isIP } from 'node:net';
import { z } from 'zod';
import { DurationSchema } from '../config/duration.js';
import { MODES } from '../config/schema.js';
import { SEVERITIES } from '../domain/severity.js';
import { INCIDENT_KINDS, INCIDENT_STATUSES } from '../incidents/model.js';
import { ROUTE_MOVED_DETAIL_TYPE } from '../incidents/route-moved.js';
import { INCIDENT_DETAIL_TYPES } from '../incidents/schema.js';
import { FAULT_KINDS, FAULT_SERVICES } from '../twin/faults.js';
import { MAX_ADVANCE_MS, MAX_LATENCY_MS } from '../twin/limits.js';

/** The functions a drill may invoke or expect failures of: the serverless.yml keys. */
export const FUNCTION_KEYS = ['drill', 'healthCheck', 'keepalive', 'onTunnelAlarm', 'onHealthEvent'] as const;
const FunctionKey = z.enum(FUNCTION_KEYS);

const Ip = z.string().refine((v) => isIP(v) === 4, 'expected an IPv4 address');

const RouteExpectation = z.strictObject({
  table: z.string().regex(/^(tgw-)?rtb-[0-9a-f]{8,17}$/, 'expected a route table id (rtb-… or tgw-rtb-…)'),
  destination: z.string().min(1),
  /** What the effective route points at: an attachment, a gateway, an ENI; `none` for no route. */
  target: z.string().min(1),
});

const IncidentExpectation = z
  .strictObject({
    site: z.string().optional(),
    vpn: z.string().optional(),
    status: z.enum([...INCIDENT_STATUSES, 'none']),
    kind: z.enum(INCIDENT_KINDS).optional(),
    severity: z.enum(SEVERITIES).optional(),
    reopenCount: z.number().int().min(0).optional(),
  })
  .refine((e) => (e.site === undefined) !== (e.vpn === undefined), 'name exactly one of site or vpn');

const PublishedExpectation = z.strictObject({
  /** One of the detail-types tunnel-warden publishes: a misspelt one would make `count: 0` true by construction. */
  'detail-type': z.enum([...INCIDENT_DETAIL_TYPES, ROUTE_MOVED_DETAIL_TYPE]),
  count: z.number().int().min(0),
});

/**
 * The longest window, so far in the drill, in which AWS → on-prem (the data plane's walk from `from`)
 * and on-prem → AWS (the topology's `onPrem` return path of `to`) crossed different VPNs.
 */
const AsymmetryExpectation = z
  .strictObject({
    from: z.string().regex(/^(vpc|tgw-rtb)-[0-9a-f]{8,17}$/, 'expected vpc-… or tgw-rtb-…'),
    to: Ip,
    max: DurationSchema.optional(),
    min: DurationSchema.optional(),
  })
  .refine((e) => e.max !== undefined || e.min !== undefined, 'give max:, min: or both')
  .refine((e) => e.max === undefined || e.min === undefined || e.min <= e.max, 'min is above max');

const ProbeExpectation = z.strictObject({
  from: z.string().regex(/^(vpc|tgw-rtb)-[0-9a-f]{8,17}$/, 'expected vpc-… or tgw-rtb-…'),
  to: Ip,
  reachable: z.boolean(),
});

const CallsExpectation = z.strictObject({
  /** Whose calls to count; default ec2. */
  service: z.enum(FAULT_SERVICES).optional(),
  action: z.string().min(1),
  count: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
  min: z.number().int().min(0).optional(),
});

/** Events Lambda gave up on (after its retries) and sent to the dead-letter queue. */
const DeadLettersExpectation = z.strictObject({
  function: FunctionKey.optional(),
  count: z.number().int().min(0),
  /** Counts only dead letters whose error contains this text. */
  reason: z.string().min(1).optional(),
});

/**
 * Invocations that ended in failure: a direct `invoke` that threw, or an event whose last attempt failed
 * (dead-lettered or dropped). A drill that names a function here owns that function's failures; any
 * other handler failure fails the drill.
 */
const FailedExpectation = z.strictObject({
  function: FunctionKey.optional(),
  count: z.number().int().min(0),
  /** Counts only failures whose error contains this text. */
  reason: z.string().min(1).optional(),
});

/**
 * What tells tunnel-warden of a failure, as the twin delivers it: a Metrics Insights alarm's contributor
 * state change, a (classic or metric-math) alarm's state change, both to onTunnelAlarm in ALARM, the
 * scheduled sweep (healthCheck), or a Network Manager IPsec/BGP-down event to onNetworkEvent.
 */
export const DETECTION_TRIGGERS = ['contributor-alarm', 'alarm', 'sweep', 'network-event'] as const;
export type DetectionTrigger = (typeof DETECTION_TRIGGERS)[number];

/**
 * The first trigger after the drill's latest fault step (`tunnel: DOWN`, `traffic: passing false`) was
 * `by`, at most `within` after the fault: a detection-time bound that also says what detected it, so a
 * drill cannot pass on a faster trigger than the one it rehearses.
 */
const DetectedExpectation = z.strictObject({
  by: z.enum(DETECTION_TRIGGERS),
  within: DurationSchema.refine((ms) => ms > 0, 'expected a duration above 0, e.g. 3m'),
});

const Expectation = z
  .strictObject({
    route: RouteExpectation.optional(),
    incident: IncidentExpectation.optional(),
    published: PublishedExpectation.optional(),
    probe: ProbeExpectation.optional(),
    calls: CallsExpectation.optional(),
    'dead-letters': DeadLettersExpectation.optional(),
    failed: FailedExpectation.optional(),
    detected: DetectedExpectation.optional(),
    asymmetry: AsymmetryExpectation.optional(),
  })
  .refine(
    (e) => Object.keys(e).length === 1,
    'an expect step checks exactly one of route, incident, published, probe, calls, dead-letters, failed, detected or asymmetry',
  );

const FaultStep = z
  .strictObject({
    /** Which endpoint misbehaves; default ec2. */
    service: z.enum(FAULT_SERVICES).default('ec2'),
    kind: z.enum(FAULT_KINDS),
    /** An action of that service (ReplaceRoute, PutItem, GetParameter, PutEvents, Publish); default every action. */
    action: z.string().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
    latencyMs: z
      .number()
      .int()
      .min(0)
      .max(MAX_LATENCY_MS, `latencyMs is at most ${MAX_LATENCY_MS} (a minute of real time)`)
      .optional(),
  })
  .refine((f) => f.kind !== 'latency' || f.latencyMs !== undefined, {
    message: 'a latency fault needs latencyMs',
    path: ['latencyMs'],
  });

/** One step moves the twin clock at most a day: a longer `advance` is almost always a typo (30d for 30m). */
const AdvanceStep = DurationSchema.superRefine((ms, ctx) => {
  if (ms > MAX_ADVANCE_MS)
    ctx.addIssue({
      code: 'custom',
      message: `advance is at most 24h per step (got ${ms / 3_600_000}h); split it into several steps`,
    });
});

/** One schema per step keyword; a step is an object with exactly one of these keys. */
const STEP_SCHEMAS = {
  tunnel: z.strictObject({ ip: Ip, status: z.enum(['UP', 'DOWN']) }),
  traffic: z.strictObject({ ip: Ip, passing: z.boolean() }),
  event: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  advance: AdvanceStep,
  /** A mode, or `{ value: … }` written as is, to rehearse an operator's typo (`Enabled`, `enable`). */
  'kill-switch': z.union([z.enum(MODES), z.strictObject({ value: z.string() })]),
  faults: FaultStep,
  expect: Expectation,
  /** A direct invocation of a function, e.g. the drill Lambda: `{ function: drill, payload: {…} }`. */
  invoke: z.strictObject({
    function: FunctionKey,
    payload: z.record(z.string(), z.unknown()),
  }),
} as const;
type StepKey = keyof typeof STEP_SCHEMAS;
export type ScenarioStep = {
  [K in StepKey]: { readonly [P in K]: z.output<(typeof STEP_SCHEMAS)[K]> };
}[StepKey];

const KEYS = Object.keys(STEP_SCHEMAS) as StepKey[];
const isStepKey = (key: string): key is StepKey => (KEYS as string[]).includes(key);

/** Dispatching on the one key gives errors at the right field, where a union would say only "invalid input". */
const Step = z.record(z.string(), z.unknown()).transform((raw, ctx): ScenarioStep => {
  const keys = Object.keys(raw);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !isStepKey(key)) {
    ctx.addIssue({
      code: 'custom',
      message: `a step has exactly one of: ${KEYS.join(', ')} (got ${keys.join(', ') || 'nothing'})`,
    });
    return z.NEVER;
  }
  const result = STEP_SCHEMAS[key].safeParse(raw[key]);
  if (!result.success) {
    for (const issue of result.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
    return z.NEVER;
  }
  return { [key]: result.data } as ScenarioStep;
});

export const ScenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and hyphens'),
  description: z.string().optional(),
  topology: z.string().default('demo'),
  /** The tunnel-warden configuration to run with; default: the repository's tunnel-warden.yml. */
  config: z.string().optional(),
  mode: z.enum(['live', 'dry-run']).default('live'),
  /**
   * AWS behaviours the documentation leaves open, set for this run over the topology's (the demo's
   * defaults: propagated routes withdrawn, TGW static routes to a dead VPN `active`): drills try both.
   */
  undocumented: z
    .strictObject({
      propagatedRoutesOutliveVpn: z.boolean().optional(),
      tgwStaticRouteOnDeadVpn: z.enum(['active', 'blackhole']).optional(),
      /** How long Network Manager takes to publish a tunnel's change (default 1m): AWS documents none. */
      networkEventDelay: DurationSchema.optional(),
    })
    .optional(),
  steps: z.array(Step).min(1),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
