import fc from 'fast-check';
import type { SitePolicy } from '../../lib/config/load.js';
import type { SiteConfig } from '../../lib/config/schema.js';
import type {
  Snapshot,
  TgwRoute,
  TunnelState,
  UnreadableField,
  VpcRoute,
  VpcTarget,
} from '../../lib/domain/snapshot.js';
import type { TunnelTransition } from '../../lib/policy/plan.js';
import { BUSAN_BEHIND_VPN, site, steadySnapshot, T0 } from './builders.js';
import { materialize } from './model.js';
import type { Behind } from './topology.js';

export interface World {
  readonly site: SiteConfig;
  readonly snapshot: Snapshot;
  readonly transitions: TunnelTransition[];
  readonly policy: SitePolicy;
  readonly now: number;
  /** What each path without a VPN leads to (see topology.ts); busan's tgw-backup in the demo worlds. */
  readonly behind: Readonly<Record<string, Behind>>;
}

const minutes = (n: number) => new Date(T0 - n * 60_000).toISOString();

/** A tunnel as the snapshot has it, or (one time in nine) a telemetry entry that could not be read. */
const tunnelArb = (ip: string): fc.Arbitrary<TunnelState | UnreadableField> =>
  fc.oneof(
    { arbitrary: readableTunnelArb(ip), weight: 8 },
    {
      arbitrary: fc.constant<UnreadableField>({
        field: `VgwTelemetry[${ip}].Status`,
        problem: '"IMPAIRED"',
        affects: 'health',
      }),
      weight: 1,
    },
  );

const readableTunnelArb = (ip: string): fc.Arbitrary<TunnelState> =>
  fc
    .record({
      up: fc.boolean(),
      ago: fc.integer({ min: 0, max: 90 }),
      accepted: fc.integer({ min: 0, max: 2 }),
    })
    .map(({ up, ago, accepted }) => ({
      outsideIp: ip,
      status: up ? 'UP' : 'DOWN',
      lastStatusChange: minutes(ago),
      statusMessage: '',
      acceptedRouteCount: up ? accepted : 0,
    }));

export type SiteName = 'seoul-dc' | 'busan-dc' | 'gimpo-dc';

/**
 * Random tunnel states, route pointers (including missing and blackholed), propagation and history for
 * one site. On gimpo-dc (BGP VPNs on a TGW) a missing static route leaves the prefix to the propagated
 * route the model derives: ECMP over every BGP path that advertises, none when none does.
 */
export function worldArb(siteName: SiteName): fc.Arbitrary<World> {
  const config = site(siteName);
  const base = steadySnapshot();
  const vpnIds = Object.keys(base.vpnConnections);
  const pointer = fc.option(fc.constantFrom(...config.paths.map((p) => p.name), 'elsewhere'), {
    nil: undefined,
  });
  // On a BGP TGW site half the prefixes have no static route, so the propagated (and ECMP) routes the
  // model derives are what the policy sees: each property then sees them in at least 20 % of worlds.
  const tgwPointer = fc.option(fc.constantFrom(...config.paths.map((p) => p.name), 'elsewhere'), {
    nil: undefined,
    freq: siteName === 'gimpo-dc' ? 2 : 5,
  });
  return fc
    .record({
      tunnels: fc.tuple(...vpnIds.map((id) => fc.tuple(tunnelArb(`${id}-a`), tunnelArb(`${id}-b`)))),
      pending: fc.subarray(vpnIds, { maxLength: 1 }),
      /** Connections DescribeVpnConnections returned without VgwTelemetry, or without Options. */
      withheld: fc.subarray(vpnIds, { maxLength: 1 }),
      optionless: fc.subarray(vpnIds, { maxLength: 1 }),
      staticRoutes: fc.subarray(config.prefixes),
      tgw: fc.array(fc.tuple(tgwPointer, fc.boolean()), {
        minLength: config.prefixes.length,
        maxLength: config.prefixes.length,
      }),
      vpc: fc.array(fc.tuple(pointer, fc.boolean()), {
        minLength: config.prefixes.length * 2,
        maxLength: config.prefixes.length * 2,
      }),
      flaps: fc.array(fc.tuple(fc.constantFrom(...vpnIds), fc.integer({ min: 0, max: 60 })), {
        maxLength: 12,
      }),
      holdDown: fc.integer({ min: 0, max: 30 }),
      cap: fc.integer({ min: 1, max: 6 }),
    })
    .map((r): World => {
      const vpnConnections = Object.fromEntries(
        vpnIds.map((id, i) => {
          const vpn = base.vpnConnections[id];
          if (vpn === undefined) throw new Error('fixture');
          const reported: readonly (TunnelState | UnreadableField)[] = r.withheld.includes(id)
            ? []
            : (r.tunnels[i] ?? []);
          const unreadable: UnreadableField[] = [
            ...(r.withheld.includes(id)
              ? [{ field: 'VgwTelemetry', problem: 'missing', affects: 'health' } as const]
              : []),
            ...reported.filter((t): t is UnreadableField => 'field' in t),
            ...(r.optionless.includes(id)
              ? [{ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' } as const]
              : []),
          ];
          return [
            id,
            {
              ...vpn,
              state: r.pending.includes(id) ? 'pending' : 'available',
              ...(r.optionless.includes(id) ? { staticRoutesOnly: false } : {}),
              tunnels: reported.filter((t): t is TunnelState => !('field' in t)),
              unreadable,
              staticRoutes: r.staticRoutes.map((d) => ({ destination: d, state: 'available' })),
            },
          ];
        }),
      ) as Snapshot['vpnConnections'];
      const pathByName = (name: string | undefined) => config.paths.find((p) => p.name === name);
      const tgwRoutes: TgwRoute[] = config.prefixes.flatMap((destination, i): TgwRoute[] => {
        const [name, blackhole] = r.tgw[i] ?? [undefined, false];
        if (name === undefined) return [];
        const attachmentId = pathByName(name)?.transitGatewayAttachment ?? 'tgw-attach-0fffffffffffffff0';
        return [
          blackhole
            ? { destination, type: 'static', state: 'blackhole' }
            : { destination, attachmentId, type: 'static', state: 'active' },
        ];
      });
      const vpcRouteTables = Object.fromEntries(
        Object.entries(base.vpcRouteTables).map(([id, table], t) => {
          const overrides: VpcRoute[] = config.prefixes.flatMap((destination, i): VpcRoute[] => {
            const [name] = r.vpc[t * config.prefixes.length + i] ?? [undefined];
            const target: VpcTarget | undefined =
              pathByName(name)?.vpcTarget ??
              (name === 'elsewhere' ? { kind: 'network-interface', id: 'eni-0fffffffffffffff0' } : undefined);
            if (target === undefined || target.kind === 'vpn-gateway') return [];
            return [{ destination, target, origin: 'CreateRoute', state: 'active' }];
          });
          const propagating = r.vpc[t * config.prefixes.length]?.[1] ?? true;
          return [
            id,
            {
              ...table,
              routes: [...table.routes.filter((x) => x.origin === 'CreateRouteTable'), ...overrides],
              propagatingGateways: propagating ? ['vgw-0a1b2c3d4e5f60001'] : [],
            },
          ];
        }),
      );
      const snapshot = materialize(
        {
          ...base,
          vpnConnections,
          tgwRouteTables: {
            ...base.tgwRouteTables,
            ...Object.fromEntries(
              config.routeTables.transitGateway.map((id) => [id, { routeTableId: id, routes: tgwRoutes }]),
            ),
          },
          vpcRouteTables,
        },
        site('busan-dc').prefixes,
        [site('gimpo-dc')],
      );
      return {
        site: config,
        snapshot,
        transitions: r.flaps.map(([vpnId, ago], i) => ({
          vpnId,
          tunnelIp: `${vpnId}-${i}`,
          at: minutes(ago),
        })),
        policy: {
          holdDownMs: r.holdDown * 60_000,
          flapping: { maxTransitions: 4, windowMs: 30 * 60_000 },
          maxChangesPerRun: r.cap,
        },
        now: T0,
        behind:
          siteName === 'busan-dc'
            ? {
                'tgw-backup': {
                  kind: 'tgw',
                  vpnId: BUSAN_BEHIND_VPN,
                  legs: config.prefixes.map(() => 'vpn'),
                  unread: false,
                },
              }
            : {},
      };
    });
}
