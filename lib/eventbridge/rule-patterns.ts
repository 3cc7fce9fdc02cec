import { TunnelWardenError } from '../errors.js';
import { InvalidEventPatternError } from './errors.js';
import { compilePattern } from './pattern.js';
import type { Resource } from './template.js';

/**
 * A rule of the template whose event pattern AWS would refuse at deploy (PutRule answers
 * InvalidEventPatternException, and the stack update fails half-way). Raised at package time instead,
 * naming the rule and the offending key.
 */
export class InvalidRulePatternError extends TunnelWardenError {
  readonly ruleId: string;
  /** JSON path of the offending part of the pattern, as InvalidEventPatternError gives it. */
  readonly path: string;

  constructor(ruleId: string, ruleName: string | undefined, cause: InvalidEventPatternError) {
    const named = ruleName === undefined ? ruleId : `${ruleId} (${ruleName})`;
    super(`EventBridge rule ${named} would be refused by AWS: ${cause.message}`, { cause });
    this.ruleId = ruleId;
    this.path = cause.path;
  }
}

// What an intrinsic function stands for while the pattern is only checked: CloudFormation fills in a string.
const RESOLVED_AT_DEPLOY = 'resolved-at-deploy';

/**
 * Compiles the event pattern of every AWS::Events::Rule in `resources` with the project's matcher, which
 * refuses what EventBridge refuses, and throws InvalidRulePatternError for the first one AWS would reject.
 * A pattern may be an object or a JSON string (both are valid CloudFormation); `Ref` and `Fn::*` values are
 * checked as the strings they become. Returns how many patterns were checked.
 */
export function checkRulePatterns(resources: Readonly<Record<string, Resource>>): number {
  let checked = 0;
  for (const [ruleId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const raw = resource.Properties?.EventPattern;
    if (raw === undefined) continue;
    const name = resource.Properties?.Name;
    const ruleName = typeof name === 'string' ? name : undefined;
    try {
      compilePattern(withIntrinsicsResolved(typeof raw === 'string' ? parsePattern(raw) : raw));
    } catch (error) {
      if (error instanceof InvalidEventPatternError)
        throw new InvalidRulePatternError(ruleId, ruleName, error);
      throw error;
    }
    checked++;
  }
  return checked;
}

function parsePattern(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidEventPatternError('', 'EventPattern is a string but not valid JSON', { cause: error });
  }
}

function withIntrinsicsResolved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIntrinsicsResolved);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    return RESOLVED_AT_DEPLOY;
  }
  return Object.fromEntries(entries.map(([key, child]) => [key, withIntrinsicsResolved(child)]));
}
