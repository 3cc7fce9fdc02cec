import { compileLeaf, type Leaf } from './operators.js';
import { describe, fail, indexPath, isRecord, keyPath } from './validate.js';

/** One compiled field of a sub-rule: the flattened event path it reads and where it sits in the pattern. */
export interface FieldRule {
  readonly leaf: Leaf;
  /** JSON path in the pattern, for error messages. */
  readonly patternPath: string;
}

/** A conjunction of fields keyed by flattened path (`detail.state.status`); a pattern is an OR of these. */
export type SubRule = ReadonlyMap<string, FieldRule>;

const OR = '$or';

/**
 * Words event-ruler reserves as field names inside `$or` (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP):
 * AWS refuses a pattern that names a field so anywhere below an `$or` branch, because it reads like a
 * misplaced operator.
 */
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/**
 * Expands a pattern into sub-rules the way event-ruler's JsonRuleCompiler does: nested keys are joined with
 * "." (so `{"a.b": …}` and `{"a": {"b": …}}` name the same field), every `$or` branch copies the sub-rules
 * built so far, and a field written again replaces the earlier one in each sub-rule it reaches — so a
 * field inside an `$or` branch overrides the same field outside it when it comes later
 * (JsonRuleCompilerTest.testWithRuleOverride).
 */
export function compileSubRules(pattern: unknown): SubRule[] {
  const rules = parseObject([], pattern, [], '', false);
  return rules.length === 0 ? [new Map()] : rules;
}

type Building = Map<string, FieldRule>;

function parseObject(
  rules: Building[],
  pattern: unknown,
  steps: readonly string[],
  path: string,
  insideOr: boolean,
): Building[] {
  if (!isRecord(pattern)) fail(path, `pattern must be a JSON object, got ${describe(pattern)}`);
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'pattern object must have at least one field');
  let current = rules;
  for (const [key, value] of entries) {
    const fieldPath = keyPath(path, key);
    if (key === OR) {
      current = parseOr(current, value, steps, fieldPath);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(fieldPath, `"${key}" is a reserved word and cannot be a field name inside $or`);
    }
    if (Array.isArray(value)) {
      current = writeField(current, [...steps, key].join('.'), {
        leaf: compileLeaf(value, fieldPath),
        patternPath: fieldPath,
      });
    } else if (isRecord(value)) {
      current = parseObject(current, value, [...steps, key], fieldPath, insideOr);
    } else {
      fail(fieldPath, `expected an array of match values or a nested pattern object, got ${describe(value)}`);
    }
  }
  return current;
}

function parseOr(rules: Building[], value: unknown, steps: readonly string[], path: string): Building[] {
  if (!Array.isArray(value)) fail(path, `$or must be an array of pattern objects, got ${describe(value)}`);
  if (value.length < 2) fail(path, '$or must contain at least two patterns');
  return value.flatMap((branch: unknown, i) => {
    const branchPath = indexPath(path, i);
    if (!isRecord(branch)) fail(branchPath, `$or entries must be pattern objects, got ${describe(branch)}`);
    const copies = rules.length === 0 ? [new Map()] : rules.map((rule) => new Map(rule));
    return parseObject(copies, branch, steps, branchPath, true);
  });
}

function writeField(rules: Building[], name: string, field: FieldRule): Building[] {
  const target = rules.length === 0 ? [new Map<string, FieldRule>()] : rules;
  for (const rule of target) rule.set(name, field);
  return target;
}
