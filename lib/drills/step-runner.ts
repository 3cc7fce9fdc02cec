/** Running a drill's steps one by one on a twin, keeping its timeline, outcomes and route moves. */
import { setTrafficPassing, setTunnelStatus } from '../twin/tunnels.js';
import { MODE_PARAMETER, type Twin } from '../twin/twin.js';
import { check } from './checks.js';
import { type FaultMark, isFault } from './detection.js';
import { unexpectedFailure } from './failures.js';
import { isQuiet, narrateDelivery, narrateIncident, type TimelineLine, toneOf } from './narrate.js';
import type { ScenarioStep } from './schema.js';
import { type RouteChange, routeChanges, routeSnapshot, type WatchedRoute } from './summary.js';

export interface StepOutcome {
  readonly index: number;
  readonly label: string;
  readonly ok: boolean;
  readonly expected?: string;
  readonly actual?: string;
}

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

async function perform(
  twin: Twin,
  step: ScenarioStep,
  event: Record<string, unknown> | undefined,
): Promise<void> {
  if ('tunnel' in step) setTunnelStatus(twin.world, step.tunnel.ip, step.tunnel.status, twin.clock.now());
  else if ('traffic' in step) setTrafficPassing(twin.world, step.traffic.ip, step.traffic.passing);
  else if ('event' in step && event !== undefined) await twin.putEvents(structuredClone(event));
  else if ('advance' in step) await twin.advance(step.advance);
  else if ('kill-switch' in step) {
    const value = step['kill-switch'];
    if (typeof value === 'string') twin.setMode(value);
    else twin.services.parameters.set(MODE_PARAMETER, value.value);
  } else if ('invoke' in step) await twin.invoke(step.invoke.function, step.invoke.payload);
  else if ('faults' in step) injectFaults(twin, step.faults);
}

function injectFaults(twin: Twin, faults: Extract<ScenarioStep, { faults: unknown }>['faults']): void {
  const { service, kind, action, rate, count, latencyMs } = faults;
  twin.faults.add({
    service,
    kind,
    ...(action === undefined ? {} : { action }),
    ...(rate === undefined ? {} : { rate }),
    ...(count === undefined ? {} : { count }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
  });
}

/** The step's outcome when it could not run at all (a twin refusal, a bug): the drill fails there. */
function stepError(index: number, label: string, error: unknown): StepOutcome {
  return {
    index,
    label,
    ok: false,
    expected: 'the step to run',
    actual: `it threw: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/**
 * A drill's steps as they run: each action step is performed and followed by what the functions and
 * incidents did meanwhile; each expectation is checked against the twin's state then.
 */
export class StepRunner {
  public readonly steps: StepOutcome[] = [];
  public readonly lines: TimelineLine[] = [];
  public readonly moves: RouteChange[] = [];
  private seenDeliveries = 0;
  private seenBus = 0;
  private routes: readonly string[];
  /** The latest step that broke a tunnel or its traffic: what `detected` measures from. */
  private fault: FaultMark | undefined;

  public constructor(
    private readonly twin: Twin,
    private readonly watched: readonly WatchedRoute[],
    private readonly accounted: (fn: string) => boolean,
    private readonly onLine?: (line: TimelineLine) => void,
  ) {
    this.routes = routeSnapshot(twin, watched);
  }

  /** Measures the asymmetric windows the drill's `asymmetry` expectations ask about, from the start. */
  public watchAsymmetry(steps: readonly ScenarioStep[]): void {
    for (const step of steps)
      if ('expect' in step && step.expect.asymmetry !== undefined)
        this.twin.asymmetry.watch(step.expect.asymmetry.from, step.expect.asymmetry.to);
    this.twin.asymmetry.sample(this.twin.world, this.twin.clock.now().getTime());
  }

  /** Runs one step; false when the drill stops there. */
  public async run(
    index: number,
    step: ScenarioStep,
    label: string,
    event: Record<string, unknown> | undefined,
  ): Promise<boolean> {
    const outcome =
      'expect' in step
        ? await this.expect(index, label, step.expect)
        : await this.act(index, label, step, event);
    return outcome.ok;
  }

  private push(...added: TimelineLine[]): void {
    this.lines.push(...added);
    for (const line of added) this.onLine?.(line);
  }

  /** Performs an action step; it fails when it throws or a function fails where the drill expects none. */
  private async act(
    index: number,
    label: string,
    step: ScenarioStep,
    event: Record<string, unknown> | undefined,
  ): Promise<StepOutcome> {
    const { twin } = this;
    const at = twin.clock.now().toISOString();
    this.push({ at, kind: 'step', text: label });
    if (isFault(step)) this.fault = { at: twin.clock.now().getTime(), deliveries: twin.deliveries.length };
    let thrown: StepOutcome | undefined;
    try {
      await perform(twin, step, event);
    } catch (error) {
      thrown = stepError(index, label, error);
    }
    // A tunnel step changes the paths at once, not at the next minute.
    twin.asymmetry.sample(twin.world, twin.clock.now().getTime());
    const delivered = twin.deliveries.slice(this.seenDeliveries);
    // Stable: at the same minute a function's line comes before the incident change it caused.
    this.push(...this.happenedSince(delivered).sort((a, b) => a.at.localeCompare(b.at)));
    this.seenDeliveries = twin.deliveries.length;
    this.seenBus = twin.bus.length;
    const now = routeSnapshot(twin, this.watched);
    this.moves.push(...routeChanges(at, delivered, this.watched, this.routes, now));
    this.routes = now;
    const failure = unexpectedFailure(delivered, this.accounted);
    const outcome =
      thrown ??
      (failure === undefined ? { index, label, ok: true } : { index, label, ok: false, ...failure });
    this.steps.push(outcome);
    if (!outcome.ok) {
      this.push({
        at: twin.clock.now().toISOString(),
        kind: 'expect',
        text: `${label}: expected ${outcome.expected ?? ''}, got ${outcome.actual ?? ''}`,
        ok: false,
      });
    }
    return outcome;
  }

  /** The function deliveries and incident changes since the previous step, as timeline lines. */
  private happenedSince(delivered: Twin['deliveries']): TimelineLine[] {
    return [
      ...delivered
        .filter((d) => !isQuiet(d))
        .map((d): TimelineLine => {
          const tone = toneOf(d);
          return {
            at: d.at,
            kind: 'delivery',
            text: narrateDelivery(d),
            ...(tone === undefined ? {} : { tone }),
          };
        }),
      ...this.twin.bus
        .slice(this.seenBus)
        .filter((b) => b.source === 'tunnel-warden')
        .map(
          (e): TimelineLine => ({
            at: new Date(e.time).toISOString(),
            kind: 'incident',
            text: narrateIncident(e),
          }),
        ),
    ];
  }

  /** Checks an expectation against the twin's state now. */
  private async expect(index: number, label: string, expectation: Expectation): Promise<StepOutcome> {
    const at = this.twin.clock.now().toISOString();
    const result = await check(this.twin, expectation, this.fault);
    const outcome: StepOutcome = {
      index,
      label,
      ok: result.ok,
      expected: result.expected,
      actual: result.actual,
    };
    this.steps.push(outcome);
    this.push({
      at,
      kind: 'expect',
      text: `${label}: ${result.ok ? 'holds' : `expected ${result.expected}, got ${result.actual}`}`,
      ok: result.ok,
    });
    return outcome;
  }
}
