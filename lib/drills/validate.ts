/**
 * What a drill names, checked against the world it runs on before anything runs: a tunnel, table, VPC,
 * site or action that does not exist would otherwise abort the run half-way, or — worse — make an
 * expectation like `count: 0` or `target: none` hold by construction.
 */

import { parseIpv4Cidr } from '../config/cidr.js';
import type { Config } from '../config/schema.js';
import { onPremNetworkOf } from '../twin/return-path.js';
import type { TwinWorld } from '../twin/state.js';
import { isFault } from './detection.js';
import type { ScenarioProblem } from './errors.js';
import type { Scenario, ScenarioStep } from './schema.js';
import { KNOWN_ACTIONS, suggestion } from './vocabulary.js';

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

/** The ids a world has, by kind, for lookups and "known: …" lists. */
interface Known {
  readonly tunnels: readonly string[];
  readonly vpns: readonly string[];
  readonly tables: readonly string[];
  readonly vpcs: readonly string[];
  readonly targets: ReadonlySet<string>;
  readonly sites: readonly string[];
  /** Whether an address is in an on-prem network whose return path the topology models. */
  readonly onPrem: (address: string) => boolean;
}

function knownOf(world: TwinWorld, config: Config): Known {
  const tables = [...world.tgwRouteTables.map((t) => t.id), ...world.routeTables.map((t) => t.id)];
  const targets = new Set<string>([
    'none',
    'blackhole',
    ...world.tgwAttachments.map((a) => a.id),
    ...world.vgws.map((g) => g.id),
    ...world.tgws.map((g) => g.id),
    ...world.routeTables.flatMap((t) => t.routes.map((r) => r.target.id)),
    ...config.sites.flatMap((s) =>
      s.paths.flatMap((p) => (p.vpcTarget === undefined ? [] : [p.vpcTarget.id])),
    ),
  ]);
  return {
    tunnels: world.vpnConnections.flatMap((v) => v.tunnels.map((t) => t.outsideIp)),
    vpns: world.vpnConnections.map((v) => v.id),
    tables,
    vpcs: world.vpcs.map((v) => v.id),
    onPrem: (address: string) => onPremNetworkOf(world, address) !== undefined,
    targets,
    sites: config.sites.map((s) => s.name),
  };
}

const missing = (what: string, name: string, known: readonly string[]) =>
  `${what} ${name} is not in the topology (${suggestion(name, known)})`;

function checkCidr(destination: string): string | undefined {
  const cidr = parseIpv4Cidr(destination);
  if (cidr === undefined) return `"${destination}" is not an IPv4 CIDR like 10.3.0.0/20`;
  if (cidr.canonical !== destination)
    return `${destination} has host bits set: a route's destination is a network, ${cidr.canonical}`;
  return undefined;
}

/** A problem with a field of an expectation: the field's path below the expectation, and what is wrong. */
type FieldProblem = readonly [field: string, problem: string];

function checkExpectation(e: Expectation, known: Known, at: string): ScenarioProblem[] {
  return [
    ...(e.route === undefined ? [] : routeProblems(e.route, known)),
    ...(e.probe === undefined ? [] : probeProblems(e.probe, known)),
    ...(e.asymmetry === undefined ? [] : asymmetryProblems(e.asymmetry, known)),
    ...(e.incident === undefined ? [] : incidentProblems(e.incident, known)),
    ...(e.calls === undefined ? [] : callsProblems(e.calls)),
  ].map(([field, problem]) => ({ fieldPath: `${at}.${field}`, problem }));
}

function routeProblems(
  { table, destination, target }: NonNullable<Expectation['route']>,
  known: Known,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!known.tables.includes(table))
    problems.push(['route.table', missing('route table', table, known.tables)]);
  const cidr = checkCidr(destination);
  if (cidr !== undefined) problems.push(['route.destination', cidr]);
  if (!known.targets.has(target))
    problems.push([
      'route.target',
      `${target} is not none, blackhole, or a target the topology has (${suggestion(target, [...known.targets])})`,
    ]);
  return problems;
}

function probeProblems({ from }: NonNullable<Expectation['probe']>, known: Known): FieldProblem[] {
  const candidates = from.startsWith('vpc-') ? known.vpcs : known.tables;
  if (candidates.includes(from)) return [];
  return [['probe.from', missing(from.startsWith('vpc-') ? 'VPC' : 'route table', from, candidates)]];
}

/** The asymmetry's `from` must exist; `to` must be in an on-prem network the topology models. */
function asymmetryProblems(
  { from, to }: NonNullable<Expectation['asymmetry']>,
  known: Known,
): FieldProblem[] {
  const problems = probeProblems({ from, to, reachable: true }, known).map(
    ([field, problem]): FieldProblem => [field.replace(/^probe\./, 'asymmetry.'), problem],
  );
  if (!known.onPrem(to))
    problems.push([
      'asymmetry.to',
      `${to} is in no onPrem network of the topology: its return path is not modelled, and no window could be measured`,
    ]);
  return problems;
}

function incidentProblems(incident: NonNullable<Expectation['incident']>, known: Known): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // A drill's incident is filed under `drill:<site>`, apart from the site's real ones.
  const site = incident.site?.replace(/^drill:/, '');
  if (incident.site !== undefined && site !== undefined && !known.sites.includes(site))
    problems.push([
      'incident.site',
      `site ${incident.site} is not in the configuration (${suggestion(incident.site, known.sites)})`,
    ]);
  if (incident.vpn !== undefined && !known.vpns.includes(incident.vpn))
    problems.push(['incident.vpn', missing('VPN', incident.vpn, known.vpns)]);
  return problems;
}

function callsProblems(calls: NonNullable<Expectation['calls']>): FieldProblem[] {
  const actions = KNOWN_ACTIONS[calls.service ?? 'ec2'];
  if (actions.includes(calls.action)) return [];
  return [
    [
      'calls.action',
      `${calls.service ?? 'ec2'} has no action ${calls.action} (${suggestion(calls.action, actions)})`,
    ],
  ];
}

function checkStep(step: ScenarioStep, known: Known, at: string): ScenarioProblem[] {
  if ('tunnel' in step || 'traffic' in step) {
    const [key, ip] = 'tunnel' in step ? ['tunnel', step.tunnel.ip] : ['traffic', step.traffic.ip];
    return known.tunnels.includes(ip)
      ? []
      : [
          {
            fieldPath: `${at}.${key}.ip`,
            problem: `tunnel ${ip} is not in the topology (its tunnels: ${known.tunnels.join(', ')})`,
          },
        ];
  }
  if ('faults' in step && step.faults.action !== undefined) {
    const actions = KNOWN_ACTIONS[step.faults.service];
    return actions.includes(step.faults.action)
      ? []
      : [
          {
            fieldPath: `${at}.faults.action`,
            problem: `${step.faults.service} has no action ${step.faults.action} (${suggestion(step.faults.action, actions)})`,
          },
        ];
  }
  if ('expect' in step) return checkExpectation(step.expect, known, `${at}.expect`);
  return [];
}

/** The configuration's resources that the topology lacks: a drill would manage a network that is not there. */
function checkConfig(config: Config, configFile: string, world: TwinWorld, known: Known): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const attachments = world.tgwAttachments.map((a) => a.id);
  const gateways = [...world.vgws.map((g) => g.id), ...world.tgws.map((g) => g.id)];
  config.sites.forEach((site, s) => {
    const add = (field: string, problem: string) =>
      problems.push({
        fieldPath: 'config',
        problem: `${configFile}: sites[${s}].${field} (${site.name}): ${problem}`,
      });
    for (const [i, table] of [...site.routeTables.transitGateway, ...site.routeTables.vpc].entries()) {
      const field = i < site.routeTables.transitGateway.length ? 'transitGateway' : 'vpc';
      if (!known.tables.includes(table))
        add(`routeTables.${field}`, missing('route table', table, known.tables));
    }
    site.paths.forEach((path, p) => {
      if (path.vpn !== undefined && !known.vpns.includes(path.vpn))
        add(`paths[${p}].vpn`, missing('VPN', path.vpn, known.vpns));
      const attachment = path.transitGatewayAttachment;
      if (attachment !== undefined && !attachments.includes(attachment))
        add(`paths[${p}].transitGatewayAttachment`, missing('attachment', attachment, attachments));
      const target = path.vpcTarget;
      if (target !== undefined && target.kind !== 'network-interface' && !gateways.includes(target.id))
        add(`paths[${p}].vpcTarget`, missing('gateway', target.id, gateways));
    });
  });
  return problems;
}

/** A detection time is measured from a fault: a `detected` before any fault step measures nothing. */
function checkDetectedAfterFault(scenario: Scenario): ScenarioProblem[] {
  const firstFault = scenario.steps.findIndex(isFault);
  return scenario.steps.flatMap((step, i) =>
    'expect' in step && step.expect.detected !== undefined && (firstFault < 0 || firstFault > i)
      ? [
          {
            fieldPath: `steps[${i}].expect.detected`,
            problem:
              'no fault before it to measure from: put a `tunnel: { …, status: DOWN }` or `traffic: { …, passing: false }` step first',
          },
        ]
      : [],
  );
}

/** Every problem with what the scenario and its configuration name, in file order. */
export function validateScenario(
  scenario: Scenario,
  world: TwinWorld,
  config: { readonly file: string; readonly config: Config },
): ScenarioProblem[] {
  const known = knownOf(world, config.config);
  return [
    ...checkConfig(config.config, config.file, world, known),
    ...scenario.steps.flatMap((step, i) => checkStep(step, known, `steps[${i}]`)),
    ...checkDetectedAfterFault(scenario),
  ];
}
