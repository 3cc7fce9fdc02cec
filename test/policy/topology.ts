/**
 * Random topologies for the policy properties: a SiteConfig with every path kind — static VGW, BGP VGW,
 * static TGW, BGP TGW, ECMP (several BGP TGW VPNs), TGW and ENI backups with what lies behind them — in
 * random number and order, with random prefixes and tables, and a consistent Snapshot (propagated and
 * ECMP routes derived by the model, as AWS would show them), plus shadowing more-specific routes.
 *
 * Worlds are biased towards the cases the properties are about (a scenario per world): a failback that is
 * possible but early, an outage with nothing known healthy, a failover off a dead active path. Each
 * property asserts a floor of relevant cases, so a generator that drifts away from them fails loudly.
 */
import fc from 'fast-check';
import { parseConfig } from '../../lib/config/load.js';
import type { SiteConfig } from '../../lib/config/schema.js';
import type {
  Snapshot,
  TgwAttachmentState,
  TgwRoute,
  TunnelState,
  UnreadableField,
  VpcRoute,
  VpcRouteTableState,
  VpnConnectionState,
} from '../../lib/domain/snapshot.js';
import type { World } from './arbitraries.js';
import { T0 } from './builders.js';
import { materialize } from './model.js';

export type PathKind =
  | 'attachment-backup'
  | 'static-vgw'
  | 'bgp-vgw'
  | 'static-tgw'
  | 'bgp-tgw'
  | 'vpn-eni'
  | 'tgw-backup'
  | 'eni-backup';

/** How a VPN's tunnels are: what the policy's health rules tell apart. */
type Profile = 'settled' | 'recent' | 'half' | 'down' | 'bgp-silent' | 'unreadable' | 'withheld';

/** What the attachment of a TGW path without a VPN (Direct Connect, another VPN's, …) is, as read. */
type AttachmentKind = 'vpn' | 'direct-connect' | 'modifying' | 'deleted' | 'unread';

/** Something the snapshot could not find: a deleted VPN, a table not read. */
type Missing = 'vpn' | 'vpc-table' | 'tgw-table';

/** What a TGW backup's TGW route table does with one site prefix. */
type BehindLeg = 'vpn' | 'direct-connect' | 'none' | 'blackhole';

type Scenario = 'random' | 'recovering' | 'blind' | 'outage' | 'failover';

const hex = (n: number) => n.toString(16).padStart(17, '0');
const id = (kind: string, n: number) => `${kind}-${hex(n)}`;
const TGW = id('tgw', 1);
const VGW = id('vgw', 1);
const VPC = id('vpc', 1);
const VPC_ATTACHMENT = id('tgw-attach', 0xa0);
const BEHIND_TABLE = id('tgw-rtb', 0xb0);
const BEHIND_ATTACHMENT = id('tgw-attach', 0xb0);
const BEHIND_VPN = id('vpn', 0xb0);
const ELSEWHERE_ATTACHMENT = id('tgw-attach', 0xeee);
const ELSEWHERE_ENI = id('eni', 0xeee);
const PREFIXES = ['10.8.0.0/20', '10.8.16.0/20', '10.8.32.0/24'] as const;
/** A more-specific route inside each prefix, to somewhere else: a shadow the policy must not trip on. */
const SHADOW: Readonly<Record<string, string>> = {
  '10.8.0.0/20': '10.8.1.0/24',
  '10.8.16.0/20': '10.8.16.0/21',
  '10.8.32.0/24': '10.8.32.128/25',
};

/** What a path without a VPN leads to, for the properties' oracles. */
export type Behind =
  | { readonly kind: 'eni' }
  | {
      readonly kind: 'tgw';
      readonly vpnId: string;
      readonly legs: readonly BehindLeg[];
      /** A VPC route table was not read: what it would send through the TGW is unknown. */
      readonly unread: boolean;
    }
  | { readonly kind: 'attachment'; readonly vpnId: string; readonly attachment: AttachmentKind };

interface Shape {
  readonly tables: 'tgw' | 'vpc';
  readonly kinds: readonly PathKind[];
  readonly tableCount: number;
  readonly prefixes: readonly string[];
  /** Whether the config asks to keep VGW propagation on (VPC sites). */
  readonly propagation?: boolean;
}

const TGW_KIND = fc.oneof(
  { arbitrary: fc.constantFrom<PathKind>('static-tgw', 'bgp-tgw'), weight: 4 },
  { arbitrary: fc.constant<PathKind>('attachment-backup'), weight: 1 },
);

const tgwShape = fc.record({
  tables: fc.constant('tgw' as const),
  kinds: fc
    // One path now and then; mostly several, since failover and failback need somewhere to go.
    .oneof(
      { arbitrary: fc.array(TGW_KIND, { minLength: 1, maxLength: 1 }), weight: 1 },
      { arbitrary: fc.array(TGW_KIND, { minLength: 2, maxLength: 4 }), weight: 5 },
    )
    // ECMP (two BGP TGW VPNs) in a good share of TGW sites.
    .chain((k) => fc.constantFrom(k, [...k, 'bgp-tgw', 'bgp-tgw'] as PathKind[]))
    // At most one attachment backup: it is followed to the one VPN behind it.
    .map((k) => k.filter((kind, i) => kind !== 'attachment-backup' || k.indexOf(kind) === i))
    .chain((k) => fc.shuffledSubarray(k, { minLength: k.length, maxLength: k.length })),
  tableCount: fc.integer({ min: 1, max: 2 }),
  prefixes: fc.shuffledSubarray([...PREFIXES], { minLength: 1, maxLength: 3 }),
});

const vpcShape = fc.record({
  tables: fc.constant('vpc' as const),
  kinds: fc
    .tuple(
      fc.option(fc.constantFrom<PathKind>('static-vgw', 'bgp-vgw'), { nil: undefined, freq: 5 }),
      fc.array(fc.constantFrom<PathKind>('vpn-eni', 'eni-backup'), { maxLength: 2 }),
      fc.option(fc.constant<PathKind>('tgw-backup'), { nil: undefined, freq: 3 }),
    )
    .map(([vgw, enis, tgw]) => [vgw, ...enis, tgw].flatMap((k) => (k === undefined ? [] : [k])))
    .filter((k) => k.length > 1 || k[0] === 'tgw-backup')
    .chain((k) => fc.shuffledSubarray(k, { minLength: k.length, maxLength: k.length })),
  tableCount: fc.integer({ min: 1, max: 3 }),
  propagation: fc.boolean(),
  prefixes: fc.shuffledSubarray([...PREFIXES], { minLength: 1, maxLength: 3 }),
});

/** The site's config, parsed like a real one (so every topology is one the schema accepts). */
function siteOf(shape: Shape): SiteConfig {
  const paths = shape.kinds.map((kind, i) => {
    const n = i + 1;
    const vpn = kind.endsWith('backup') ? {} : { vpn: id('vpn', n) };
    if (shape.tables === 'tgw')
      return { name: `${kind}-${n}`, ...vpn, transitGatewayAttachment: id('tgw-attach', n) };
    const vpcTarget = kind.endsWith('vgw') ? VGW : kind === 'tgw-backup' ? TGW : id('eni', n);
    return { name: `${kind}-${n}`, ...vpn, vpcTarget };
  });
  const tables = Array.from({ length: shape.tableCount }, (_, i) =>
    shape.tables === 'tgw' ? id('tgw-rtb', i + 1) : id('rtb', i + 1),
  );
  const routeTables =
    shape.tables === 'tgw' ? { transitGateway: tables } : { vpc: tables, propagation: shape.propagation };
  const text = JSON.stringify({
    version: 1,
    mode: 'enabled',
    sites: [{ name: 'random-dc', prefixes: shape.prefixes, routeTables, paths }],
  });
  const found = parseConfig(text, 'random-topology.yml').sites[0];
  if (found === undefined) throw new Error('the random topology has no site');
  return found;
}

const minutes = (n: number) => new Date(T0 - n * 60_000).toISOString();

function tunnels(
  vpnId: string,
  profile: Profile,
  ago: number,
  holdDown: number,
): {
  readonly tunnels: TunnelState[];
  readonly unreadable: UnreadableField[];
} {
  const t = (i: number, up: boolean, since: number, accepted = up ? 2 : 0): TunnelState => ({
    outsideIp: `${vpnId}-${i}`,
    status: up ? 'UP' : 'DOWN',
    lastStatusChange: minutes(since),
    statusMessage: up ? '' : 'IPSEC IS DOWN',
    acceptedRouteCount: accepted,
  });
  // Settled: UP since at least the hold-down; recent: UP for less than the hold-down.
  const settledAgo = holdDown + ago;
  const recentAgo = holdDown === 0 ? 0 : ago % holdDown;
  switch (profile) {
    case 'settled':
      return { tunnels: [t(0, true, settledAgo), t(1, true, settledAgo + 5)], unreadable: [] };
    case 'recent':
      return { tunnels: [t(0, true, recentAgo), t(1, false, recentAgo)], unreadable: [] };
    case 'half':
      return { tunnels: [t(0, true, ago), t(1, false, ago)], unreadable: [] };
    case 'down':
      return { tunnels: [t(0, false, ago), t(1, false, ago)], unreadable: [] };
    case 'bgp-silent':
      return { tunnels: [t(0, true, ago, 0), t(1, false, ago)], unreadable: [] };
    case 'unreadable':
      return {
        tunnels: [t(0, false, ago)],
        unreadable: [{ field: `VgwTelemetry[${vpnId}-1].Status`, problem: '"IMPAIRED"', affects: 'health' }],
      };
    case 'withheld':
      return { tunnels: [], unreadable: [{ field: 'VgwTelemetry', problem: 'missing', affects: 'health' }] };
  }
}

const profileArb = fc.oneof(
  { arbitrary: fc.constant<Profile>('settled'), weight: 4 },
  { arbitrary: fc.constant<Profile>('recent'), weight: 2 },
  { arbitrary: fc.constant<Profile>('half'), weight: 2 },
  { arbitrary: fc.constant<Profile>('down'), weight: 3 },
  { arbitrary: fc.constant<Profile>('bgp-silent'), weight: 1 },
  { arbitrary: fc.constant<Profile>('unreadable'), weight: 1 },
  { arbitrary: fc.constant<Profile>('withheld'), weight: 1 },
);

/** Where one managed route points: a path (by index), somewhere outside the config, or nowhere. */
const pointerArb = fc.oneof(
  { arbitrary: fc.nat(7), weight: 6 },
  { arbitrary: fc.constant<'elsewhere'>('elsewhere'), weight: 1 },
  { arbitrary: fc.constant<'none'>('none'), weight: 2 },
);

const worldFacts = (site: SiteConfig) =>
  fc.record({
    scenario: fc.oneof(
      { arbitrary: fc.constant<Scenario>('random'), weight: 1 },
      { arbitrary: fc.constant<Scenario>('recovering'), weight: 6 },
      { arbitrary: fc.constant<Scenario>('blind'), weight: 4 },
      { arbitrary: fc.constant<Scenario>('outage'), weight: 3 },
      { arbitrary: fc.constant<Scenario>('failover'), weight: 5 },
    ),
    profiles: fc.array(profileArb, { minLength: site.paths.length + 1, maxLength: site.paths.length + 1 }),
    ago: fc.array(fc.integer({ min: 0, max: 60 }), {
      minLength: site.paths.length + 1,
      maxLength: site.paths.length + 1,
    }),
    /** Every managed route on one path (most worlds), or each on its own. */
    uniform: fc.option(fc.nat(7), { nil: undefined, freq: 3 }),
    pointers: fc.array(fc.tuple(pointerArb, fc.boolean()), { minLength: 9, maxLength: 9 }),
    blackholes: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    propagation: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    staticRoutes: fc.subarray(site.prefixes),
    shadows: fc.subarray(site.prefixes),
    behind: fc.array(
      fc.oneof(
        { arbitrary: fc.constant<BehindLeg>('vpn'), weight: 8 },
        { arbitrary: fc.constantFrom<BehindLeg>('direct-connect', 'none', 'blackhole'), weight: 1 },
      ),
      { minLength: site.prefixes.length, maxLength: site.prefixes.length },
    ),
    attachment: fc.constantFrom<AttachmentKind>(
      'vpn',
      'vpn',
      'direct-connect',
      'modifying',
      'deleted',
      'unread',
    ),
    missing: fc.option(fc.constantFrom<Missing>('vpn', 'vpc-table', 'tgw-table'), {
      nil: undefined,
      freq: 3,
    }),
    /** The snapshot was taken before the VGW's propagated routes showed in one table (AWS takes a moment). */
    lag: fc.boolean(),
    pending: fc.option(fc.nat(7), { nil: undefined, freq: 8 }),
    optionless: fc.option(fc.nat(7), { nil: undefined, freq: 8 }),
    flaps: fc.array(fc.tuple(fc.nat(7), fc.integer({ min: 0, max: 60 })), { maxLength: 12 }),
    holdDown: fc.integer({ min: 0, max: 30 }),
    cap: fc.integer({ min: 1, max: 6 }),
  });

type Facts = typeof worldFacts extends (s: SiteConfig) => fc.Arbitrary<infer F> ? F : never;

/**
 * The profiles after the scenario's bias (one per path, then one for the VPN behind a TGW backup), and
 * the path every managed route is on, if they agree.
 */
function scenarioProfiles(site: SiteConfig, f: Facts): { profiles: Profile[]; active?: number } {
  const n = site.paths.length;
  const profiles = Array.from({ length: n + 1 }, (_, i) => f.profiles[i] ?? 'settled');
  // Which profile decides a path's health: its VPN's, or for a TGW backup the VPN's behind it. An ENI
  // without a VPN is never known healthy.
  const slot = (i: number) => (site.paths[i]?.vpn === undefined ? n : i);
  const judged = (i: number) =>
    site.paths[i]?.vpn !== undefined ||
    site.paths[i]?.vpcTarget?.id === TGW ||
    site.paths[i]?.transitGatewayAttachment !== undefined;
  const pick = (f.uniform ?? 0) % n;
  switch (f.scenario) {
    case 'random':
      return f.uniform === undefined ? { profiles } : { profiles, active: pick };
    case 'recovering': {
      // Routes on a healthy backup; a better path is back, but only just (or flapping).
      const backups = site.paths.flatMap((_, i) => (i > 0 && judged(i) ? [i] : []));
      const active = backups[pick % Math.max(1, backups.length)] ?? pick;
      const better = site.paths.flatMap((_, i) => (i < active && judged(i) ? [i] : []));
      const back = better[pick % Math.max(1, better.length)];
      profiles[slot(active)] = 'settled';
      if (back !== undefined) profiles[slot(back)] = 'recent';
      return { profiles, active };
    }
    case 'blind': {
      // Routes on a path nobody can vouch for: its telemetry was not read. (Not the VGW: its route is
      // the propagated one, which the model withdraws when the VPN does not say it carries.)
      const overridden = site.paths.flatMap((p, i) => (p.vpcTarget?.id === VGW ? [] : [i]));
      const blind = overridden[pick % Math.max(1, overridden.length)] ?? pick;
      profiles[slot(blind)] = (f.ago[0] ?? 0) % 2 === 0 ? 'withheld' : 'unreadable';
      return { profiles, active: blind };
    }
    case 'outage':
      return {
        profiles: profiles.map((p) => (p === 'settled' || p === 'recent' || p === 'half' ? 'down' : p)),
        ...(f.uniform === undefined ? {} : { active: pick }),
      };
    case 'failover': {
      // Routes on a path that died; another path known healthy (one not known may be in between).
      const known = site.paths.flatMap((_, i) => (judged(i) ? [i] : []));
      const dead = known[pick % Math.max(1, known.length)] ?? pick;
      const alive = known.filter((i) => i !== dead)[pick % Math.max(1, known.length - 1)];
      profiles[slot(dead)] = 'down';
      if (alive !== undefined && slot(alive) !== slot(dead)) profiles[slot(alive)] = 'settled';
      return { profiles, active: dead };
    }
  }
}

/** One random world with a random topology. */
export function topologyWorldArb(): fc.Arbitrary<World> {
  return fc
    .oneof(tgwShape, vpcShape)
    .map(siteOf)
    .chain((site) => worldFacts(site).map((facts) => buildWorld(site, facts)));
}

function buildWorld(site: SiteConfig, f: Facts): World {
  const random = f.scenario === 'random';
  // A failback can only be early when there is a hold-down to wait for.
  const holdDown = f.scenario === 'recovering' ? Math.max(1, f.holdDown) : f.holdDown;
  const { profiles, active } = scenarioProfiles(site, f);
  const vpnConnections: Record<string, VpnConnectionState> = {};
  site.paths.forEach((path, i) => {
    if (path.vpn === undefined) return;
    const kind = path.name.replace(/-\d+$/, '') as PathKind;
    const { tunnels: reported, unreadable } = tunnels(
      path.vpn,
      profiles[i] ?? 'settled',
      f.ago[i] ?? 0,
      holdDown,
    );
    const optionless = random && f.optionless !== undefined && f.optionless % site.paths.length === i;
    vpnConnections[path.vpn] = {
      vpnId: path.vpn,
      state:
        random && f.pending !== undefined && f.pending % site.paths.length === i ? 'pending' : 'available',
      staticRoutesOnly: kind.startsWith('static') || kind === 'vpn-eni' ? !optionless : false,
      ...(kind.endsWith('vgw') ? { vpnGatewayId: VGW } : { transitGatewayId: TGW }),
      tunnels: reported,
      unreadable: [
        ...unreadable,
        ...(optionless
          ? [{ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' } as const]
          : []),
      ],
      staticRoutes:
        kind === 'static-vgw'
          ? (random ? f.staticRoutes : site.prefixes).map((d) => ({ destination: d, state: 'available' }))
          : [],
      tags: {},
    };
  });
  const behindPath = site.paths.find(
    (p) => p.vpn === undefined && (p.vpcTarget?.id === TGW || p.transitGatewayAttachment !== undefined),
  );
  const behindTunnels = tunnels(
    BEHIND_VPN,
    profiles[site.paths.length] ?? 'settled',
    f.ago[site.paths.length] ?? 0,
    holdDown,
  );
  if (behindPath !== undefined)
    vpnConnections[BEHIND_VPN] = {
      vpnId: BEHIND_VPN,
      state: 'available',
      staticRoutesOnly: true,
      transitGatewayId: TGW,
      ...behindTunnels,
      staticRoutes: [],
      tags: {},
    };
  const pathIndex = (k: number) => (active !== undefined ? active : k % site.paths.length);
  const pointer = (slot: number) => {
    const [p] = f.pointers[slot % f.pointers.length] ?? ['none', false];
    if (active !== undefined) return site.paths[active];
    return typeof p === 'number' ? site.paths[pathIndex(p)] : p;
  };
  const tgwRouteTables: Record<string, { routeTableId: string; routes: TgwRoute[] }> = {};
  site.routeTables.transitGateway.forEach((tableId, t) => {
    const routes = site.prefixes.flatMap((destination, i): TgwRoute[] => {
      const slot = t * site.prefixes.length + i;
      const to = pointer(slot);
      const blackhole = f.blackholes[slot] === true && active === undefined;
      const shadow = f.shadows.includes(destination)
        ? [
            {
              destination: SHADOW[destination] ?? destination,
              attachmentId: ELSEWHERE_ATTACHMENT,
              type: 'static',
              state: 'active',
            } as const,
          ]
        : [];
      // A BGP site at rest has no static route: the propagated (ECMP) one the model derives carries it.
      const bgp = typeof to === 'object' && to.name.startsWith('bgp-tgw');
      const pinned = f.scenario === 'recovering' || f.scenario === 'blind';
      if (to === 'none' || (bgp && f.pointers[slot]?.[1] === true && !pinned)) return shadow;
      if (blackhole) return [...shadow, { destination, type: 'static', state: 'blackhole' }];
      const attachmentId =
        to === 'elsewhere' || to === undefined
          ? ELSEWHERE_ATTACHMENT
          : (to.transitGatewayAttachment ?? ELSEWHERE_ATTACHMENT);
      return [...shadow, { destination, attachmentId, type: 'static', state: 'active' }];
    });
    tgwRouteTables[tableId] = { routeTableId: tableId, routes };
  });
  const vpcRouteTables: Record<string, VpcRouteTableState> = {};
  site.routeTables.vpc.forEach((tableId, t) => {
    const routes = site.prefixes.flatMap((destination, i): VpcRoute[] => {
      const slot = t * site.prefixes.length + i;
      const to = pointer(slot);
      const shadow = f.shadows.includes(destination)
        ? [
            {
              destination: SHADOW[destination] ?? destination,
              target: { kind: 'network-interface', id: ELSEWHERE_ENI },
              origin: 'CreateRoute',
              state: 'active',
            } as const,
          ]
        : [];
      const target = to === 'elsewhere' ? ELSEWHERE_ENI : to === 'none' ? undefined : to?.vpcTarget?.id;
      // The VGW path is the propagated route: no override (the model derives it).
      if (target === undefined || target === VGW) return shadow;
      const kind = target.startsWith('tgw-') ? 'transit-gateway' : 'network-interface';
      const state = f.blackholes[slot] === true && active === undefined ? 'blackhole' : 'active';
      return [...shadow, { destination, target: { kind, id: target }, origin: 'CreateRoute', state }];
    });
    vpcRouteTables[tableId] = {
      routeTableId: tableId,
      vpcId: VPC,
      routes: [
        {
          destination: '10.0.0.0/16',
          target: { kind: 'local', id: 'local' },
          origin: 'CreateRouteTable',
          state: 'active',
        },
        ...routes,
      ],
      propagatingGateways: f.propagation[t] === false && random ? [] : [VGW],
      tags: {},
    };
  });
  const behind: Record<string, Behind> = {};
  const tgwAttachments: Record<string, TgwAttachmentState> = {};
  for (const path of site.paths) {
    if (path.vpn !== undefined) continue;
    if (path.transitGatewayAttachment !== undefined) {
      const attachment = random || f.scenario === 'blind' ? f.attachment : 'vpn';
      behind[path.name] = { kind: 'attachment', vpnId: BEHIND_VPN, attachment };
      if (attachment !== 'unread')
        tgwAttachments[path.transitGatewayAttachment] = {
          attachmentId: path.transitGatewayAttachment,
          transitGatewayId: TGW,
          resourceType: attachment === 'direct-connect' ? 'direct-connect-gateway' : 'vpn',
          resourceId: attachment === 'direct-connect' ? 'dxgw-1' : BEHIND_VPN,
          state: attachment === 'modifying' || attachment === 'deleted' ? attachment : 'available',
        };
      continue;
    }
    if (path.vpcTarget?.id !== TGW) {
      behind[path.name] = { kind: 'eni' };
      continue;
    }
    // Only random and blind worlds lose legs behind the TGW: elsewhere the backup is as good as its VPN.
    const legs = random || f.scenario === 'blind' ? f.behind : f.behind.map((): BehindLeg => 'vpn');
    const unread = random && f.missing === 'vpc-table';
    behind[path.name] = { kind: 'tgw', vpnId: BEHIND_VPN, legs, unread };
    tgwAttachments[VPC_ATTACHMENT] = {
      attachmentId: VPC_ATTACHMENT,
      transitGatewayId: TGW,
      resourceType: 'vpc',
      resourceId: VPC,
      state: 'available',
      associatedRouteTableId: BEHIND_TABLE,
    };
    tgwAttachments[BEHIND_ATTACHMENT] = {
      attachmentId: BEHIND_ATTACHMENT,
      transitGatewayId: TGW,
      resourceType: 'vpn',
      resourceId: BEHIND_VPN,
      state: 'available',
    };
    tgwAttachments[id('tgw-attach', 0xdc)] = {
      attachmentId: id('tgw-attach', 0xdc),
      transitGatewayId: TGW,
      resourceType: 'direct-connect-gateway',
      resourceId: 'dxgw-1',
      state: 'available',
    };
    tgwRouteTables[BEHIND_TABLE] = {
      routeTableId: BEHIND_TABLE,
      routes: site.prefixes.flatMap((destination, i): TgwRoute[] => {
        const leg = legs[i] ?? 'vpn';
        if (leg === 'none') return [];
        if (leg === 'blackhole') return [{ destination, type: 'static', state: 'blackhole' }];
        const attachmentId = leg === 'vpn' ? BEHIND_ATTACHMENT : id('tgw-attach', 0xdc);
        return [{ destination, attachmentId, type: 'static', state: 'active' }];
      }),
    };
  }
  const vpnIds = site.paths.flatMap((p) => p.vpn ?? []);
  const snapshot = lose(
    f,
    site,
    materialize(
      { takenAt: new Date(T0).toISOString(), vpnConnections, vpcRouteTables, tgwRouteTables, tgwAttachments },
      site.prefixes,
      site.routeTables.transitGateway.length > 0 ? [site] : [],
    ),
  );
  const recovering = f.scenario === 'recovering' && vpnIds.length > 0;
  return {
    site,
    snapshot,
    // In a recovering world, the better path's VPN flaps now and then (damping must hold it too).
    transitions: f.flaps.flatMap(([n, ago], i) => {
      const vpnId = vpnIds[n % Math.max(1, vpnIds.length)];
      return vpnId === undefined || (!recovering && i > 3)
        ? []
        : [{ vpnId, tunnelIp: `${vpnId}-${i}`, at: minutes(ago) }];
    }),
    policy: {
      holdDownMs: holdDown * 60_000,
      flapping: { maxTransitions: 4, windowMs: 30 * 60_000 },
      maxChangesPerRun: f.cap,
    },
    now: T0,
    behind,
  };
}

/**
 * What the snapshot did not see (random worlds only): a VPN deleted, a managed table not read, and — in
 * any world — the VGW's propagated routes not yet visible in the first VPC table (they appear a moment
 * after the VPN carries; a static VPN's routes surely will, a BGP VPN's are not known until seen).
 */
function lose(f: Facts, site: SiteConfig, snapshot: Snapshot): Snapshot {
  const [firstVpc] = site.routeTables.vpc;
  const lagging = f.lag && firstVpc !== undefined ? snapshot.vpcRouteTables[firstVpc] : undefined;
  const vpcRouteTables = { ...snapshot.vpcRouteTables };
  if (firstVpc !== undefined && lagging !== undefined)
    vpcRouteTables[firstVpc] = {
      ...lagging,
      routes: lagging.routes.filter((r) => r.origin !== 'EnableVgwRoutePropagation'),
    };
  const next = { ...snapshot, vpcRouteTables };
  if (f.scenario !== 'random' || f.missing === undefined) return next;
  const without = <T>(record: Readonly<Record<string, T>>, key: string | undefined) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
  switch (f.missing) {
    case 'vpn':
      return { ...next, vpnConnections: without(next.vpnConnections, site.paths[0]?.vpn) };
    case 'vpc-table':
      return { ...next, vpcRouteTables: without(next.vpcRouteTables, firstVpc) };
    case 'tgw-table':
      return { ...next, tgwRouteTables: without(next.tgwRouteTables, site.routeTables.transitGateway[0]) };
  }
}
