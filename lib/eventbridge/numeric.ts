import { describe, fail, indexPath } from './validate.js';

type Test = (value: number) => boolean;

const COMPARATORS: Readonly<Record<string, (bound: number) => Test>> = {
  '=': (bound) => (value) => value === bound,
  '<': (bound) => (value) => value < bound,
  '<=': (bound) => (value) => value <= bound,
  '>': (bound) => (value) => value > bound,
  '>=': (bound) => (value) => value >= bound,
};

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

interface Comparison {
  readonly op: string;
  readonly bound: number;
}

/** Compiles `[op, n]` or `[lowerOp, n, upperOp, m]`; only JSON numbers in the event can match. */
export function compileNumeric(operand: unknown, path: string): (value: unknown) => boolean {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail(path, 'numeric expects [operator, number] or [operator, number, operator, number]');
  }
  const comparisons: Comparison[] = [];
  for (let i = 0; i < operand.length; i += 2) comparisons.push(comparisonAt(operand, i, path));
  const [first, second] = comparisons;
  if (first !== undefined && second !== undefined) checkRange(first, second, path);
  const tests: Test[] = comparisons.map(({ op, bound }) => {
    const make = COMPARATORS[op];
    if (make === undefined) return fail(path, `unknown numeric operator "${op}"`);
    return make(bound);
  });
  return (value) => typeof value === 'number' && tests.every((test) => test(value));
}

/** The `[op, n]` pair at index `i` of the operand, checked. */
function comparisonAt(operand: readonly unknown[], i: number, path: string): Comparison {
  const op: unknown = operand[i];
  const bound: unknown = operand[i + 1];
  if (typeof op !== 'string' || !Object.hasOwn(COMPARATORS, op)) {
    fail(indexPath(path, i), `unknown numeric operator ${JSON.stringify(op) ?? describe(op)}`);
  }
  if (typeof bound !== 'number' || !Number.isFinite(bound)) {
    fail(indexPath(path, i + 1), `numeric bound must be a finite number, got ${describe(bound)}`);
  }
  return { op, bound };
}

/** A range only makes sense as one lower and one upper bound; `=` or two lower bounds is a mistake. */
function checkRange(first: Comparison, second: Comparison, path: string): void {
  const lower = LOWER.has(first.op) ? first : second;
  const upper = lower === first ? second : first;
  if (!LOWER.has(lower.op) || !UPPER.has(upper.op)) {
    fail(path, 'a numeric range needs one of ">"/">=" and one of "<"/"<="');
  }
  if (lower.bound > upper.bound) fail(path, `numeric range is empty (${lower.bound} > ${upper.bound})`);
}
