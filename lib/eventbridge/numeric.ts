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

/**
 * Compiles `[op, n]` or `[lowerOp, n, upperOp, m]` with event-ruler's grammar (JsonRuleCompiler): a range is
 * written lower bound first and its bottom must be strictly below its top, whatever the operators, so
 * `["<", 10, ">=", 5]` and `[">=", 5, "<=", 5]` are refused as AWS refuses them. Only finite JSON numbers in
 * the event can match: a number too large for a double (1e400, which JSON.parse makes Infinity) is one
 * event-ruler cannot compare, so it is never inside a range.
 */
export function compileNumeric(operand: unknown, path: string): (value: unknown) => boolean {
  const comparisons = parseComparisons(operand, path);
  checkRangeOrder(comparisons, path);
  const tests: Test[] = comparisons.map(({ op, bound }) => {
    const make = COMPARATORS[op];
    if (make === undefined) return fail(path, `unknown numeric operator "${op}"`);
    return make(bound);
  });
  return (value) => typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value));
}

interface Comparison {
  readonly op: string;
  readonly bound: number;
}

/** `[op, n]` or `[op, n, op, m]` as (operator, finite bound) pairs, each checked where it stands. */
function parseComparisons(operand: unknown, path: string): Comparison[] {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail(path, 'numeric expects [operator, number] or [operator, number, operator, number]');
  }
  const comparisons: Comparison[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    comparisons.push({
      op: expectOperator(operand[i], indexPath(path, i)),
      bound: expectBound(operand[i + 1], indexPath(path, i + 1)),
    });
  }
  return comparisons;
}

function expectOperator(op: unknown, path: string): string {
  if (typeof op !== 'string' || !Object.hasOwn(COMPARATORS, op)) {
    fail(path, `unknown numeric operator ${JSON.stringify(op) ?? describe(op)}`);
  }
  return op;
}

function expectBound(bound: unknown, path: string): number {
  if (typeof bound !== 'number' || !Number.isFinite(bound)) {
    fail(path, `numeric bound must be a finite number, got ${describe(bound)}`);
  }
  return bound;
}

/** A range is written lower bound first, and its bottom must be strictly below its top. */
function checkRangeOrder(comparisons: readonly Comparison[], path: string): void {
  const [first, second] = comparisons;
  if (first === undefined || second === undefined) return;
  if (!LOWER.has(first.op) || !UPPER.has(second.op)) {
    fail(path, 'a numeric range needs one of ">"/">=" and then one of "<"/"<=" (lower bound first)');
  }
  if (first.bound >= second.bound) {
    fail(
      path,
      `numeric range is empty: its bottom must be below its top (${first.bound} >= ${second.bound})`,
    );
  }
}
