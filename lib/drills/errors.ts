import { TunnelWardenError } from '../errors.js';

/** What is wrong with one field of a scenario. */
export interface ScenarioProblem {
  readonly fieldPath: string;
  readonly problem: string;
}

/** `steps[3].tunnel.ip` → ` (step 4)`: the step number the run's output uses, counted from 1. */
function stepNote(fieldPath: string): string {
  const index = /^steps\[(\d+)\]/.exec(fieldPath)?.[1];
  return index === undefined ? '' : ` (step ${Number(index) + 1})`;
}

export function formatProblem(file: string, { fieldPath, problem }: ScenarioProblem): string {
  return `${file}: ${fieldPath === '' ? '' : `${fieldPath}: `}${problem}${stepNote(fieldPath)}`;
}

/** A scenario file that cannot run: exit code 2, with the file and the field. */
export class ScenarioError extends TunnelWardenError {
  public constructor(
    public readonly file: string,
    public readonly fieldPath: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(formatProblem(file, { fieldPath, problem }), options);
  }
}

/** Every problem found in one scenario, one line each; `fieldPath` is the first one's. */
export class ScenarioProblemsError extends ScenarioError {
  public constructor(
    file: string,
    public readonly problems: readonly [ScenarioProblem, ...ScenarioProblem[]],
  ) {
    super(file, problems[0].fieldPath, problems[0].problem);
    this.message = problems.map((p) => formatProblem(file, p)).join('\n');
  }
}
