import { performance } from 'node:perf_hooks';
import { decide } from '../lib/policy/decide.js';
import { fleet } from './fleet.js';

export interface DecideFigures {
  readonly sites: number;
  readonly decideMsMedian: number;
  readonly baselineMsMedian: number;
  readonly ratioToBaseline: number;
  readonly failovers: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * decide() for every site of a 1,000-site fleet, against a baseline measured in the same run:
 * structuredClone of the same snapshot (the cost of merely copying the state once).
 */
export function benchDecide(sites: number, rounds: number): DecideFigures {
  const { config, policies, snapshot, now } = fleet(sites, 10);
  const history = { transitions: [] };
  let failovers = 0;
  const decideTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    structuredClone(snapshot);
    const t1 = performance.now();
    failovers = 0;
    config.sites.forEach((site, i) => {
      const policy = policies[i];
      if (policy === undefined) return;
      const plan = decide({ site, policy, snapshot, history, mode: 'enabled', now });
      if (plan.decision === 'failover') failovers++;
    });
    const t2 = performance.now();
    baselineTimes.push(t1 - t0);
    decideTimes.push(t2 - t1);
  }
  const decideMsMedian = median(decideTimes);
  const baselineMsMedian = median(baselineTimes);
  return {
    sites,
    decideMsMedian,
    baselineMsMedian,
    ratioToBaseline: decideMsMedian / baselineMsMedian,
    failovers,
  };
}
