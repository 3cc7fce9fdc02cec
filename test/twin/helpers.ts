import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach } from 'vitest';
import { ec2Client } from '../../lib/aws/clients.js';
import { TwinClock } from '../../lib/twin/clock.js';
import { type Ec2Twin, type Ec2TwinOptions, startEc2Twin } from '../../lib/twin/ec2-server.js';
import { Faults } from '../../lib/twin/faults.js';
import type { TwinWorld } from '../../lib/twin/state.js';
import { vpn } from '../../lib/twin/topologies/builders.js';
import { DEMO, demoWorld } from '../../lib/twin/topologies/demo.js';

export const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };

export interface TwinHarness {
  readonly twin: Ec2Twin;
  readonly world: TwinWorld;
  readonly clock: TwinClock;
  readonly faults: Faults;
  /** The real SDK client through tunnel-warden's factory: adaptive retries, 3 attempts, short fixed delays. */
  readonly ec2: EC2Client;
}

/** The demo world behind a fresh EC2 twin, and a real client pointed at it. */
export async function startDemoTwin(
  options: Omit<Ec2TwinOptions, 'clock' | 'faults'> = {},
): Promise<TwinHarness> {
  const clock = new TwinClock();
  const faults = new Faults(42);
  const world = demoWorld(clock.now());
  const twin = await startEc2Twin(world, { ...options, clock, faults });
  const ec2 = ec2Client({
    endpoint: twin.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 3,
    retryDelayMs: 5,
  });
  return { twin, world, clock, faults, ec2 };
}

/** Every VPN of the demo, in the order DescribeVpnConnections lists them. */
export const DEMO_VPN_IDS = [
  DEMO.seoul.primary.vpnId,
  DEMO.seoul.backup.vpnId,
  DEMO.busan.bgp.vpnId,
  DEMO.busan.backup.vpnId,
];

/** When the demo's tunnels came UP: a day before the twin clock starts. */
export const DEMO_TUNNELS_SINCE = new Date('2026-03-01T10:00:00.000Z');

/**
 * A fresh demo twin for every test of the calling file. The returned object is refilled before
 * each test, so test bodies read `h.ec2`, `h.world`… as usual.
 */
export function useDemoTwin(options: Omit<Ec2TwinOptions, 'clock' | 'faults'> = {}): TwinHarness {
  const h = {} as { -readonly [K in keyof TwinHarness]: TwinHarness[K] };
  beforeEach(async () => {
    Object.assign(h, await startDemoTwin(options));
  });
  afterEach(async () => {
    await h.twin.close();
  });
  return h;
}

/** The routes a demo VPC route table holds now. */
export const routesOf = (h: TwinHarness, id: string) => h.world.routeTables.find((t) => t.id === id)?.routes;

/** Actions of the calls the twin received, in order. */
export const actionsOf = (twin: Ec2Twin): string[] => twin.calls.map((c) => c.action);

/** Adds a static VPN on the demo VGW, for the VPN static-route actions (the demo's VGW VPN is BGP). */
export function addStaticVgwVpn(h: TwinHarness): string {
  const id = 'vpn-0a1b2c3d4e5f60009';
  h.world.vpnConnections.push(
    vpn({
      id,
      name: 'static-on-vgw',
      customerGatewayId: 'cgw-0a1b2c3d4e5f60009',
      vpnGatewayId: DEMO.vgwId,
      staticRoutes: ['10.9.0.0/16'],
      tunnelIps: ['198.51.100.90', '198.51.100.91'],
      insideOctet: 90,
      since: h.clock.now(),
    }),
  );
  return id;
}
