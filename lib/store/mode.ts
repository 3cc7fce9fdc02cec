/**
 * The kill switch: an SSM parameter an operator flips to stop (or dry-run) tunnel-warden without a
 * deploy. Read on every invocation, cached briefly so that a burst of events does not hammer SSM.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { MODES, type Mode } from '../config/schema.js';
import type { ModeReader, ModeReading } from '../usecases/ports.js';

const isMode = (value: string): value is Mode => (MODES as readonly string[]).includes(value);
const ALLOWED = MODES.join(', ');
/** The detail goes into incident summaries and pages: an SDK message or a pasted value can be long. */
const MAX_QUOTED = 200;
const clip = (text: string) => (text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED - 3)}...`);

export class SsmModeReader implements ModeReader {
  private cached: { reading: ModeReading; at: number } | undefined;

  public constructor(
    private readonly ssm: SSMClient,
    private readonly parameterName: string | undefined,
    private readonly configMode: Mode,
    private readonly cacheMs = 30_000,
  ) {}

  public async read(now: Date): Promise<ModeReading> {
    if (this.parameterName === undefined) {
      return { mode: this.configMode, source: 'config', detail: 'no mode parameter configured' };
    }
    const age = now.getTime() - (this.cached?.at ?? Number.NaN);
    // A clock that went backwards (age < 0) gets a fresh read rather than an arbitrarily old answer.
    if (this.cached !== undefined && age >= 0 && age < this.cacheMs) return this.cached.reading;

    const name = this.parameterName;
    let value: string | undefined;
    try {
      const output = await this.ssm.send(new GetParameterCommand({ Name: name }));
      value = output.Parameter?.Value;
    } catch (error) {
      if (error instanceof Error && error.name === 'ParameterNotFound') {
        // Deliberately absent: the operator has not flipped anything, so the configured mode applies.
        return this.remember(now, {
          mode: this.configMode,
          source: 'config',
          detail: `parameter ${name} does not exist`,
        });
      }
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return this.fallback(`kill switch ${name} unreadable (${clip(why)}); allowed values: ${ALLOWED}`);
    }
    const mode = value?.trim() ?? '';
    if (!isMode(mode)) {
      // Values are exact: `Enabled` or `enable` is a typo, and a typo must not switch routing on.
      return this.fallback(
        `kill switch ${name} holds ${clip(JSON.stringify(value ?? null))}, not one of ${ALLOWED}`,
      );
    }
    return this.remember(now, { mode, source: 'parameter' });
  }

  private remember(now: Date, reading: ModeReading): ModeReading {
    this.cached = { reading, at: now.getTime() };
    return reading;
  }

  /**
   * A switch that cannot be read must never let the function act, so fall back to dry-run, or to the
   * config's `disabled` which is stricter still. Not cached: the next invocation should try again.
   * Never silent: the runtime counts `ModeUnreadable` and fails alarm and Health runs (so Lambda
   * retries them), and the incident says why no route changed — all from `source: 'fallback'`.
   */
  private fallback(problem: string): ModeReading {
    const mode: Mode = this.configMode === 'disabled' ? 'disabled' : 'dry-run';
    return { mode, source: 'fallback', detail: `${problem}; running ${mode}` };
  }
}
