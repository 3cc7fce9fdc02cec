import type { RouteAction } from '../domain/actions.js';
import { narrateDelivery } from '../drills/narrate.js';
import { ensurePackaged } from '../eventbridge/package.js';
import type { CompactReport } from '../runtime/compact-report.js';
import type { Delivery } from '../twin/deliver.js';
import { MODE_PARAMETER, Twin } from '../twin/twin.js';

export interface TwinStartOptions {
  readonly out: (line: string) => void;
  /** Stops the twin when aborted; without it, SIGINT, SIGTERM or the death of the parent process do. */
  readonly signal?: AbortSignal;
}

function reportOf(delivery: Delivery): CompactReport | undefined {
  const result = (delivery.result as { result?: unknown } | undefined)?.result;
  return typeof result === 'object' && result !== null && 'sites' in result && Array.isArray(result.sites)
    ? (result as CompactReport)
    : undefined;
}

/** A route change in a line: `tgw-rtb-… 10.3.0.0/20 → tgw-attach-…`. */
export function describeAction(action: RouteAction): string {
  switch (action.type) {
    case 'tgw-route':
      return `${action.routeTableId} ${action.destination} → ${action.attachmentId}`;
    case 'tgw-route-absent':
      return `${action.routeTableId} ${action.destination}: remove the static override (the propagated route carries it)`;
    case 'vpc-static-route':
      return `${action.routeTableId} ${action.destination} → ${action.target.id}`;
    case 'vpc-static-route-absent':
      return `${action.routeTableId} ${action.destination}: remove the override (propagated route resumes)`;
    case 'vgw-propagation':
      return `${action.routeTableId}: enable propagation from ${action.gatewayId}`;
    case 'vpn-static-route':
      return `${action.vpnId}: static route ${action.destination}`;
    case 'tunnel-replacement':
      return `${action.vpnId}: replace tunnel ${action.outsideIp}`;
  }
}

/**
 * What one delivery decided, for a person watching the twin: the narrated line (function, event,
 * site, decision, path), then each route change made or planned, one per line.
 */
export function decisionLines(delivery: Delivery): string[] {
  const lines = [`${delivery.at.slice(11, 19)}  ${narrateDelivery(delivery)}`];
  for (const site of reportOf(delivery)?.sites ?? []) {
    if (site.status === 'applied')
      for (const r of site.results) lines.push(`            ${site.site}: ${r.outcome}: ${r.detail}`);
    else if (site.status === 'planned')
      for (const action of site.plan.actions)
        lines.push(`            ${site.site}: planned (${site.plan.mode}): ${describeAction(action)}`);
  }
  return lines;
}

/** Exports for another shell: everything an SDK, the AWS CLI or `tunnel-warden status` needs to reach the twin. */
export function twinExports(twin: Twin): string[] {
  const region = twin.world.region;
  return [
    `export AWS_ENDPOINT_URL_EC2=${twin.ec2.endpoint}`,
    `export AWS_ENDPOINT_URL_DYNAMODB=${twin.dynamo.endpoint}`,
    `export AWS_ENDPOINT_URL_SSM=${twin.services.endpoint}`,
    `export AWS_ENDPOINT_URL_EVENTBRIDGE=${twin.services.endpoint}`,
    `export AWS_ENDPOINT_URL_SNS=${twin.services.endpoint}`,
    // The SDK for JavaScript reads AWS_REGION, the AWS CLI and other SDKs AWS_DEFAULT_REGION.
    `export AWS_REGION=${region} AWS_DEFAULT_REGION=${region}`,
    `export TUNNEL_WARDEN_TABLE=${twin.dynamo.table}`,
    'export AWS_ACCESS_KEY_ID=AKIDTWINLOCAL AWS_SECRET_ACCESS_KEY=twin-local-secret',
  ];
}

/**
 * Resolves on the first of: the abort signal, SIGINT, SIGTERM, or this process being orphaned.
 * Orphaned: `npx tunnel-warden twin start &` runs node under `npm exec` and `sh -c`; `kill $!`
 * stops npm and the shell, never node, which would keep the twin's ports open with nobody to stop it.
 */
function stopRequested(signal: AbortSignal | undefined): { done: Promise<string>; dispose: () => void } {
  let dispose: () => void = () => undefined;
  const done = new Promise<string>((resolve) => {
    if (signal !== undefined) {
      const onAbort = () => resolve('stop requested');
      signal.addEventListener('abort', onAbort, { once: true });
      dispose = () => signal.removeEventListener('abort', onAbort);
      return;
    }
    const parent = process.ppid;
    const onInt = () => resolve('SIGINT');
    const onTerm = () => resolve('SIGTERM');
    const watch = setInterval(() => {
      if (process.ppid !== parent) resolve('the process that started it is gone');
    }, 500);
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    dispose = () => {
      clearInterval(watch);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  });
  return { done, dispose };
}

/**
 * `tunnel-warden twin start`: the demo twin on loopback until Ctrl-C (or SIGTERM), its clock moving
 * with real time (schedules fire, alarms change state), for use with AWS_ENDPOINT_URL_* from
 * another shell. Each delivery prints what it decided.
 */
export async function twinStart(root: string, options: TwinStartOptions): Promise<number> {
  const { out } = options;
  ensurePackaged(root, out);
  const onDelivery = (delivery: Delivery) => {
    for (const line of decisionLines(delivery)) out(line);
  };
  const twin = await Twin.start({ root, onDelivery });
  const stop = stopRequested(options.signal);
  const tick = setInterval(() => void twin.advance(60_000), 60_000);
  try {
    out('the twin is running on loopback. In another shell:');
    for (const line of twinExports(twin)) out(`  ${line}`);
    out(`  npx tunnel-warden status        # kill switch: SSM ${MODE_PARAMETER}`);
    out('Ctrl-C (or SIGTERM) stops it.');
    out(`stopping: ${await stop.done}`);
  } finally {
    stop.dispose();
    clearInterval(tick);
    await twin.close();
  }
  out('stopped: nothing is listening any more');
  return 0;
}
