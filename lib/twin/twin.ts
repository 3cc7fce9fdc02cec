import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config, Mode } from '../config/schema.js';
import { managedVpnIds } from '../config/site.js';
import { ensurePackaged } from '../eventbridge/package.js';
import { routeEvent } from '../eventbridge/router.js';
import { loadPackagedRules, type PackagedRule } from '../eventbridge/template.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import { resetRuntimeClients } from '../runtime/clients.js';
import { setClock } from '../runtime/clock.js';
import { TunnelAlarms } from './alarms.js';
import { AsyncInvoker } from './async-invoke.js';
import { DEFAULT_TWIN_START, TwinClock } from './clock.js';
import { type TwinAlarm, TwinCloudWatch } from './cloudwatch.js';
import { alarmsForConfig } from './configured-alarms.js';
import { type DeadLetter, type Delivery, invokeOnce } from './deliver.js';
import { LOCAL_CREDENTIALS, type LocalDynamo, startLocalDynamo } from './dynamo.js';
import { type Ec2Twin, startEc2Twin } from './ec2-server.js';
import { TwinError } from './errors.js';
import { Faults } from './faults.js';
import { CallerScope } from './iam.js';
import { MAX_ADVANCE_MS } from './limits.js';
import { TwinNetworkManager } from './network-manager.js';
import { loadPackagedFunctions, type PackagedFunction } from './packaged-functions.js';
import { AsymmetryMeter } from './return-path.js';
import { ratePeriodMs, scheduledEvent } from './schedules.js';
import { type BusEntry, type ServicesTwin, startServicesTwin } from './services/server.js';
import type { TwinWorld } from './state.js';
import { demoInstances, demoWorld } from './topologies/demo.js';
import { settle } from './tunnels.js';

export const MODE_PARAMETER = '/tunnel-warden/mode';
const MINUTE = 60_000;

export interface TwinOptions {
  /** Repository root: where serverless.yml and functions/ are. */
  readonly root?: string;
  /** The tunnel-warden configuration the functions run with (default tunnel-warden.yml). */
  readonly configFile?: string;
  readonly world?: TwinWorld;
  readonly clockStart?: Date;
  readonly seed?: number;
  /** The kill switch at the start (the SSM parameter). */
  readonly mode?: Mode;
  readonly log?: (line: string) => void;
  /** Called with every delivery as it completes (twin start prints what each one decided). */
  readonly onDelivery?: (delivery: Delivery) => void;
  /**
   * How TunnelState alarms behave: `faithful` (the default: the packaged template's alarms — or, with
   * another configuration than the packaged one, those its `detection:` makes the stack create —
   * evaluated per period with a publishing delay, as CloudWatch does), `instant` (the old model: one `Minimum < 1`
   * alarm per managed VPN changing state within a minute — kinder than AWS, kept for comparison), or
   * `none` (the sweep alone).
   */
  readonly cloudwatch?: 'instant' | 'faithful' | 'none';
}

/** What evaluates TunnelState alarms each minute and returns the events CloudWatch would emit. */
interface AlarmModel {
  tick(now: Date): Record<string, unknown>[];
}

let active: Twin | undefined;

/**
 * The local AWS for tunnel-warden: EC2 (the twin), SSM, EventBridge and SNS (the services twin),
 * DynamoDB (dynalite), all on loopback, with the functions' real handlers behind the packaged
 * EventBridge rules. The handlers run in this process, pointed at the twin by AWS_ENDPOINT_URL_*
 * variables — the only thing that differs from AWS. One twin at a time per process.
 */
export class Twin {
  readonly #queue: Record<string, unknown>[] = [];
  readonly #restore: (() => void)[] = [];
  readonly #started: number;
  readonly #async: AsyncInvoker;
  /** Every event that reached the bus, in order. */
  public readonly bus: BusEntry[] = [];
  public readonly deliveries: Delivery[] = [];
  /** How long the forward and return paths of watched pairs differ (drills' `asymmetry` expectation). */
  public readonly asymmetry = new AsymmetryMeter();

  private constructor(
    public readonly root: string,
    public readonly config: Config,
    public readonly world: TwinWorld,
    public readonly clock: TwinClock,
    public readonly faults: Faults,
    public readonly ec2: Ec2Twin,
    public readonly services: ServicesTwin,
    public readonly dynamo: LocalDynamo,
    public readonly rules: readonly PackagedRule[],
    /** Every function of the packaged template, with its timeout and retry settings. */
    public readonly functions: ReadonlyMap<string, PackagedFunction>,
    private readonly callers: CallerScope,
    /** CloudWatch's TunnelState alarms (TwinOptions.cloudwatch). */
    private readonly alarms: AlarmModel,
    /** Network Manager's events about the VPNs of registered transit gateways. */
    private readonly networkManager: TwinNetworkManager,
    /** Events the functions put on the bus, delivered after the call that put them, as EventBridge does. */
    private readonly published: Record<string, unknown>[],
    private readonly log: (line: string) => void,
    onDelivery: (delivery: Delivery) => void,
  ) {
    this.#started = clock.now().getTime();
    this.#async = new AsyncInvoker(
      root,
      clock,
      (delivery) => {
        this.log(`${delivery.at} ${delivery.function} ← ${delivery.detailType}: ${delivery.outcome}`);
        this.deliveries.push(delivery);
        onDelivery(delivery);
      },
      callers,
    );
  }

  /** Events Lambda gave up on after their last retry, as the dead-letter queue received them. */
  public get deadLetters(): readonly DeadLetter[] {
    return this.#async.deadLetters;
  }

  /** Retries Lambda has scheduled and not yet run (they run when the clock is advanced past them). */
  public get pendingRetries(): AsyncInvoker['pending'] {
    return this.#async.pending;
  }

  /** The packaged function, or a refusal naming it: the twin runs only what the stack deploys. */
  public functionOf(key: string): PackagedFunction {
    const fn = this.functions.get(key);
    if (fn === undefined)
      throw new TwinError(
        `no function ${key} in the packaged template (have ${[...this.functions.keys()].join(', ')})`,
      );
    return fn;
  }

  public static async start(options: TwinOptions = {}): Promise<Twin> {
    if (active !== undefined)
      throw new TwinError('a twin is already running in this process: close it first');
    const root = resolve(options.root ?? process.cwd());
    const log = options.log ?? (() => undefined);
    const configFile = resolve(root, options.configFile ?? 'tunnel-warden.yml');
    const config = loadConfig(configFile);
    const clock = new TwinClock(options.clockStart ?? DEFAULT_TWIN_START);
    // The demo as a whole: its topology plus the SSM-managed instance commands can run on.
    const world = options.world ?? { ...demoWorld(clock.now()), instances: demoInstances() };
    // The stack is deployed in the twin's account and Region: its rules match events from there only.
    const template = ensurePackaged(root, log);
    const rules = loadPackagedRules(template, { accountId: world.accountId, region: world.region });
    const functions = loadPackagedFunctions(template);
    const faults = new Faults(options.seed ?? 1);
    // Every AWS call a function makes is checked against the actions of its packaged role.
    const callers = new CallerScope();
    const authorize = callers.authorize.bind(callers);
    const bus: Record<string, unknown>[] = [];
    const services = await startServicesTwin({
      now: () => clock.now(),
      world: () => world,
      onPutEvents: (entries) => bus.push(...entries.map(toEvent)),
      faults,
      authorize,
    });
    const ec2 = await startEc2Twin(world, { clock, faults, authorize });
    const dynamo = await startLocalDynamo('twin', { faults, now: () => clock.now(), authorize });
    const twin = new Twin(
      root,
      config,
      world,
      clock,
      faults,
      ec2,
      services,
      dynamo,
      rules,
      functions,
      callers,
      alarmModel(options.cloudwatch ?? 'faithful', world, config, clock.now(), () =>
        alarmsForConfig(root, template, configFile, config),
      ),
      new TwinNetworkManager(world, config.networkManager),
      bus,
      log,
      options.onDelivery ?? (() => undefined),
    );
    twin.#point(configFile);
    services.parameters.set(MODE_PARAMETER, options.mode ?? 'enabled');
    active = twin;
    return twin;
  }

  /** Points the functions' SDK clients, clock and configuration at this twin. */
  #point(configFile: string): void {
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_EC2: this.ec2.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamo.endpoint,
      AWS_ENDPOINT_URL_SSM: this.services.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: this.services.endpoint,
      AWS_ENDPOINT_URL_SNS: this.services.endpoint,
      AWS_REGION: this.world.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      TUNNEL_WARDEN_CONFIG: configFile,
      TUNNEL_WARDEN_TABLE: this.dynamo.table,
      TUNNEL_WARDEN_TOPIC_ARN: `arn:aws:sns:${this.world.region}:${this.world.accountId}:tunnel-warden-twin-notifications`,
      TUNNEL_WARDEN_EVENT_BUS: 'default',
    };
    for (const [key, value] of Object.entries(env)) {
      const previous = process.env[key];
      process.env[key] = value;
      this.#restore.push(() => {
        if (previous === undefined) delete process.env[key];
        else process.env[key] = previous;
      });
    }
    this.#restore.push(setClock(() => this.clock.now()));
    resetRuntimeClients();
  }

  public get incidents(): DynamoIncidentStore {
    return new DynamoIncidentStore(this.dynamo.client, this.dynamo.table);
  }

  public setMode(mode: Mode): void {
    this.services.parameters.set(MODE_PARAMETER, mode);
  }

  /** Puts events on the bus and delivers everything that follows from them. */
  public async putEvents(...events: Record<string, unknown>[]): Promise<Delivery[]> {
    this.#queue.push(...events);
    return this.drain();
  }

  /**
   * Runs the retries that are due, then delivers queued events (and those the functions publish
   * meanwhile) until the bus is quiet. Each rule's target is invoked asynchronously: a failure is
   * retried later in twin time, never at once.
   */
  public async drain(): Promise<Delivery[]> {
    const done: Delivery[] = await this.#async.runDue();
    for (;;) {
      this.#queue.push(...this.published.splice(0));
      const event = this.#queue.shift();
      if (event === undefined) return done;
      this.bus.push(fromEvent(event));
      for (const rule of routeEvent(this.rules, event))
        done.push(await this.#async.invoke(this.functionOf(rule.functionKey), event));
    }
  }

  /**
   * A direct, synchronous invocation (`serverless invoke -f <fn> --data …`): no rule, no retry; an
   * error is returned as the delivery's outcome. What the function puts on the bus is delivered after.
   */
  public async invoke(functionKey: string, payload: Record<string, unknown>): Promise<Delivery> {
    const delivery = await invokeOnce(
      this.root,
      this.functionOf(functionKey),
      payload,
      this.clock.now(),
      this.callers,
    );
    this.deliveries.push(delivery);
    await this.drain();
    return delivery;
  }

  /**
   * Moves time forward a minute at a time; each minute, what became due happens in order: endpoint
   * replacements complete, CloudWatch samples TunnelState and evaluates its alarms, Network Manager
   * publishes the tunnel changes that are due, schedules due in
   * the step fire, Lambda's due retries run, and the bus drains.
   */
  public async advance(ms: number): Promise<Delivery[]> {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS)
      throw new TwinError(
        `advance: ${ms} ms is not a duration between 0 and ${MAX_ADVANCE_MS} ms (24 h); advance in several steps`,
      );
    const done: Delivery[] = [];
    let left = ms;
    while (left > 0) {
      const step = Math.min(MINUTE, left);
      left -= step;
      const before = this.clock.now().getTime() - this.#started;
      const now = this.clock.advance(step);
      settle(this.world, now);
      this.#queue.push(...this.alarms.tick(now), ...this.networkManager.tick(now));
      const elapsed = now.getTime() - this.#started;
      for (const rule of this.rules.filter((r) => r.schedule !== undefined)) {
        // Due when the step crossed a multiple of the rate, wherever the clock stood before it: a
        // 90-second advance must not put every later tick off the schedule's grid.
        const period = ratePeriodMs(rule);
        if (Math.floor(elapsed / period) > Math.floor(before / period))
          this.#queue.push(scheduledEvent(rule, this.world.accountId, this.world.region, now));
      }
      done.push(...(await this.drain()));
      this.asymmetry.sample(this.world, now.getTime());
    }
    return done;
  }

  /** Evaluates the TunnelState alarms now, as CloudWatch would at its next evaluation (if one is due). */
  public async evaluateAlarms(): Promise<Delivery[]> {
    this.#queue.push(...this.alarms.tick(this.clock.now()));
    return this.drain();
  }

  public async close(): Promise<void> {
    for (const restore of this.#restore.splice(0).reverse()) restore();
    resetRuntimeClients();
    await Promise.allSettled([this.ec2.close(), this.services.close(), this.dynamo.close()]);
    if (active === this) active = undefined;
  }
}

function alarmModel(
  kind: 'instant' | 'faithful' | 'none',
  world: TwinWorld,
  config: Config,
  start: Date,
  /** The alarms a deploy of the twin's configuration creates (configured-alarms.ts). */
  deployedAlarms: () => TwinAlarm[],
): AlarmModel {
  if (kind === 'none') return { tick: () => [] };
  if (kind === 'faithful') return new TwinCloudWatch(world, deployedAlarms(), start);
  const instant = new TunnelAlarms(world, managedVpnIds(config));
  return { tick: (now) => instant.evaluate(now) };
}

function toEvent(entry: BusEntry): Record<string, unknown> {
  return {
    version: '0',
    id: entry.id,
    'detail-type': entry.detailType,
    source: entry.source,
    account: entry.account,
    time: entry.time,
    region: entry.region,
    resources: entry.resources,
    detail: entry.detail,
  };
}

function fromEvent(event: Record<string, unknown>): BusEntry {
  return {
    id: String(event.id ?? ''),
    source: String(event.source ?? ''),
    detailType: String(event['detail-type'] ?? ''),
    detail: event.detail,
    resources: Array.isArray(event.resources) ? event.resources.map(String) : [],
    time: String(event.time ?? ''),
    eventBusName: 'default',
    account: String(event.account ?? ''),
    region: String(event.region ?? ''),
  };
}
