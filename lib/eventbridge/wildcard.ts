import { expectString, fail } from './validate.js';

/**
 * Compiles an EventBridge wildcard (`*` = any run of characters, `\*` = literal star, `\\` = literal
 * backslash) into a matcher. Matching walks literal segments with indexOf rather than building a
 * RegExp, so hostile patterns such as `a*a*a*a*b` cannot trigger catastrophic backtracking.
 */
export function compileWildcard(source: unknown, path: string): (value: string) => boolean {
  const text = expectString(source, path, 'wildcard');
  const segments: string[] = [];
  let current = '';
  let previousWasStar = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') {
      const next = text.charAt(i + 1);
      if (next !== '*' && next !== '\\') fail(path, `invalid escape at index ${i} in wildcard "${text}"`);
      current += next;
      i++;
      previousWasStar = false;
    } else if (ch === '*') {
      // AWS rejects `**`: it adds nothing over `*` and usually signals a typo.
      if (previousWasStar) fail(path, `consecutive "*" characters in wildcard "${text}"`);
      segments.push(current);
      current = '';
      previousWasStar = true;
    } else {
      current += ch;
      previousWasStar = false;
    }
  }
  segments.push(current);
  return segmentMatcher(segments);
}

function segmentMatcher(segments: readonly string[]): (value: string) => boolean {
  const [head = '', ...rest] = segments;
  const tail = rest.pop();
  if (tail === undefined) return (value) => value === head;
  const middle = rest;
  const minLength = head.length + tail.length;
  return (value) => {
    if (value.length < minLength || !value.startsWith(head) || !value.endsWith(tail)) return false;
    const end = value.length - tail.length;
    let position = head.length;
    // Taking the leftmost occurrence of each segment is optimal: it leaves the most room for the rest.
    for (const segment of middle) {
      const found = value.indexOf(segment, position);
      if (found === -1 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}
