import { firstDetection, triggerOf } from '../lib/drills/detection.js';
import type { DetectionTrigger } from '../lib/drills/schema.js';
import { effectiveTgwRoutes } from '../lib/twin/routing.js';
import { setTunnelStatus } from '../lib/twin/tunnels.js';
import { Twin } from '../lib/twin/twin.js';

/** The three ways the stack can learn of a dead tunnel, each a configuration (drills/topologies/). */
export const DETECTION_SETUPS = [
  {
    name: 'Metrics Insights contributor alarms (default detection:)',
    configFile: 'tunnel-warden.yml',
    trigger: 'contributor-alarm',
  },
  {
    name: 'classic per-VPN alarms (insightsAlarms: false, classicAlarms: true)',
    configFile: 'drills/topologies/demo-seoul-classic-alarms.tunnel-warden.yml',
    trigger: 'alarm',
  },
  {
    name: 'sweep alone (insightsAlarms: false)',
    configFile: 'drills/topologies/demo-seoul-sweep-only.tunnel-warden.yml',
    trigger: 'sweep',
  },
] as const satisfies readonly { name: string; configFile: string; trigger: DetectionTrigger }[];

export interface DetectionRun {
  /** Minutes between the last sweep and the fault (0: right after it, the sweep's worst case). */
  readonly phaseMin: number;
  /** The first trigger after the fault, and when (simulated seconds on the twin's clock). */
  readonly firstTrigger: DetectionTrigger;
  readonly detectS: number;
  /** The first delivery of the setup's own trigger (the alarm even when the sweep came first). */
  readonly ownTriggerS: number;
  /** From the fault to seoul-dc's route on the backup attachment. */
  readonly restoreS: number;
}

export interface DetectionFigures {
  readonly setup: (typeof DETECTION_SETUPS)[number];
  readonly runs: readonly DetectionRun[];
}

const SWEEP_MS = 5 * 60_000;
const MINUTE = 60_000;
const TABLE = 'tgw-rtb-0a1b2c3d4e5f60001';
const BACKUP = 'tgw-attach-0a1b2c3d4e5f60002';

/** Both tunnels of seoul-dc's primary die `phaseMin` minutes after a sweep; when is it found, and fixed? */
async function measure(configFile: string, own: DetectionTrigger, phaseMin: number): Promise<DetectionRun> {
  const twin = await Twin.start({ configFile });
  try {
    // Steady state first (the classic alarms leave INSUFFICIENT_DATA), ending on a sweep.
    await twin.advance(SWEEP_MS + phaseMin * MINUTE);
    const fault = { at: twin.clock.now().getTime(), deliveries: twin.deliveries.length };
    for (const ip of ['198.51.100.10', '198.51.100.11'])
      setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
    let restoreS: number | undefined;
    let ownTriggerS: number | undefined;
    for (let minute = 1; minute <= 12 && (restoreS === undefined || ownTriggerS === undefined); minute += 1) {
      await twin.advance(MINUTE);
      const route = effectiveTgwRoutes(twin.world, TABLE).find((r) => r.destination === '10.3.0.0/20');
      if (restoreS === undefined && route?.attachmentId === BACKUP) restoreS = minute * 60;
      const ownDelivery = twin.deliveries.slice(fault.deliveries).find((d) => triggerOf(d, twin.bus) === own);
      if (ownTriggerS === undefined && ownDelivery !== undefined)
        ownTriggerS = (Date.parse(ownDelivery.at) - fault.at) / 1000;
    }
    const first = firstDetection(fault, twin.deliveries, twin.bus);
    if (first === undefined || restoreS === undefined || ownTriggerS === undefined)
      throw new Error(`${configFile}: not detected and restored within 12 minutes of the fault`);
    return { phaseMin, firstTrigger: first.trigger, detectS: first.afterMs / 1000, ownTriggerS, restoreS };
  } finally {
    await twin.close();
  }
}

/**
 * Detection and restore time by trigger on the faithful twin, at each phase of the 5-minute sweep
 * given (whole minutes: the twin moves a minute at a time). Deterministic: simulated seconds.
 */
export async function benchDetection(phases: readonly number[]): Promise<DetectionFigures[]> {
  // The functions' own logs are not the benchmark's output.
  const previous = {
    level: process.env.POWERTOOLS_LOG_LEVEL,
    metrics: process.env.POWERTOOLS_METRICS_DISABLED,
  };
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    const figures: DetectionFigures[] = [];
    for (const setup of DETECTION_SETUPS) {
      const runs: DetectionRun[] = [];
      for (const phase of phases) runs.push(await measure(setup.configFile, setup.trigger, phase));
      figures.push({ setup, runs });
    }
    return figures;
  } finally {
    for (const [key, value] of [
      ['POWERTOOLS_LOG_LEVEL', previous.level],
      ['POWERTOOLS_METRICS_DISABLED', previous.metrics],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
