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
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail(path, 'numeric expects [operator, number] or [operator, number, operator, number]');
  }
  const comparisons: { op: string; bound: number }[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (typeof op !== 'string' || !Object.hasOwn(COMPARATORS, op)) {
      fail(indexPath(path, i), `unknown numeric operator ${JSON.stringify(op) ?? describe(op)}`);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      fail(indexPath(path, i + 1), `numeric bound must be a finite number, got ${describe(bound)}`);
    }
    comparisons.push({ op, bound });
  }
  const [first, second] = comparisons;
  if (first !== undefined && second !== undefined) {
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
  const tests: Test[] = comparisons.map(({ op, bound }) => {
    const make = COMPARATORS[op];
    if (make === undefined) return fail(path, `unknown numeric operator "${op}"`);
    return make(bound);
  });
  return (value) => typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value));
}
