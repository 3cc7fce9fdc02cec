import type { SubRule } from './sub-rules.js';
import { fail } from './validate.js';

/**
 * The highest wildcard complexity PutRule accepts. AWS does not publish it; event-ruler leaves the threshold
 * to its caller (README "Limit on complexity"). 10 is what a public emulator measured against AWS
 * (a Go `eventpattern` package: "native admission rejects more than ten simultaneously reachable wildcard
 * prefixes") and agrees with a deploy AWS refused with "Rule is too complex" (vals-ai/Valkyrie#278: four
 * `*:stack/<name>/*` wildcards on one field, complexity 12, refused; three, complexity 9, accepted).
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

// Past this many distinct states the search stops and the rule counts as too complex to judge.
const MAX_STATES = 20_000;

const STAR = null;
type Token = string | typeof STAR;
/** The active states of each pattern's automaton, one list per pattern. */
type JointState = number[][];

/**
 * Refuses a pattern whose wildcards (plain and under anything-but) on one field could leave more than
 * MAX_WILDCARD_COMPLEXITY wildcard-pattern prefixes matching the same input at once — the measure of
 * event-ruler's MachineComplexityEvaluator, which AWS applies at PutRule.
 */
export function checkWildcardComplexity(subRules: readonly SubRule[]): void {
  const byField = new Map<string, { texts: Set<string>; patternPath: string }>();
  for (const rule of subRules) {
    for (const [name, field] of rule) {
      if (field.leaf.wildcards.length === 0) continue;
      const entry = byField.get(name) ?? { texts: new Set<string>(), patternPath: field.patternPath };
      for (const text of field.leaf.wildcards) entry.texts.add(text);
      byField.set(name, entry);
    }
  }
  for (const { texts, patternPath } of byField.values()) {
    const complexity = wildcardComplexity([...texts]);
    if (complexity > MAX_WILDCARD_COMPLEXITY) {
      fail(
        patternPath,
        `wildcards on this field are too complex for EventBridge (complexity ${complexity} > ${MAX_WILDCARD_COMPLEXITY}): use fewer "*" or fewer repeated characters after a "*", or a prefix/suffix match`,
      );
    }
  }
}

/**
 * The most wildcard-pattern prefixes (up to a "*", or the whole pattern) that one input can match at the
 * same time, over every possible input: the number of live states of all the patterns' automata, found by
 * exploring their joint subsets. Stops early once past the limit.
 */
export function wildcardComplexity(texts: readonly string[]): number {
  const patterns = texts.map(tokenize);
  const alphabet = alphabetOf(patterns);
  const start = patterns.map((tokens) => closure(tokens, [0]));
  const seen = new Set<string>([key(start)]);
  const queue = [start];
  let maximum = score(start);
  while (queue.length > 0 && maximum <= MAX_WILDCARD_COMPLEXITY) {
    const current = queue.shift();
    if (current === undefined) break;
    const successors = unseenSuccessors(patterns, alphabet, current, seen);
    if (successors === undefined) return Number.POSITIVE_INFINITY;
    for (const next of successors) {
      maximum = Math.max(maximum, score(next));
      queue.push(next);
    }
  }
  return maximum;
}

/** Every literal character the patterns name, plus one they do not (which only a star can consume). */
function alphabetOf(patterns: readonly (readonly Token[])[]): Set<string> {
  const alphabet = new Set<string>();
  for (const tokens of patterns) for (const token of tokens) if (token !== STAR) alphabet.add(token);
  alphabet.add(otherCharacter(alphabet));
  return alphabet;
}

/**
 * The joint states one character away from `current` that were not seen before, each marked seen; undefined
 * once the search passes MAX_STATES (too complex to judge).
 */
function unseenSuccessors(
  patterns: readonly (readonly Token[])[],
  alphabet: ReadonlySet<string>,
  current: JointState,
  seen: Set<string>,
): JointState[] | undefined {
  const successors: JointState[] = [];
  for (const char of alphabet) {
    const next = current.map((active, i) => step(patterns[i] ?? [], active, char));
    const id = key(next);
    if (seen.has(id)) continue;
    if (seen.size >= MAX_STATES) return undefined;
    seen.add(id);
    successors.push(next);
  }
  return successors;
}

/** Splits a validated wildcard into characters and stars (`\*` is a literal star, `\\` a backslash). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') {
      tokens.push(text.charAt(i + 1));
      i++;
    } else tokens.push(ch === '*' ? STAR : ch);
  }
  return tokens;
}

/**
 * State i means "the first i tokens are consumed"; a star is crossed without input and the state after it
 * loops on any character.
 */
function closure(tokens: readonly Token[], states: readonly number[]): number[] {
  const result = new Set<number>();
  for (const state of states) {
    let position = state;
    result.add(position);
    while (position < tokens.length && tokens[position] === STAR) result.add(++position);
  }
  return [...result].sort((a, b) => a - b);
}

function step(tokens: readonly Token[], active: readonly number[], char: string): number[] {
  const next: number[] = [];
  for (const state of active) {
    if (state > 0 && tokens[state - 1] === STAR) next.push(state);
    if (state < tokens.length && tokens[state] === char) next.push(state + 1);
  }
  return closure(tokens, next);
}

// The state before any character is the bus's own start state, shared by every value, so it is not a
// wildcard prefix (MachineComplexityEvaluatorTest.testEvaluateOnlyWildcard scores "*" as 1).
function score(sets: readonly (readonly number[])[]): number {
  return sets.reduce((sum, active) => sum + active.filter((state) => state > 0).length, 0);
}

function key(sets: readonly (readonly number[])[]): string {
  return sets.map((active) => active.join(',')).join('|');
}

function otherCharacter(used: ReadonlySet<string>): string {
  for (let code = 0x21; ; code++) {
    const ch = String.fromCharCode(code);
    if (!used.has(ch)) return ch;
  }
}
