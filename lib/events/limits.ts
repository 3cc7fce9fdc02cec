/**
 * Bounds on an event before anything reads it. An event that nests 40,000 levels deep parses (JSON.parse
 * is iterative in V8) but overflows the stack later, in whatever walks it recursively — zod, the
 * redactor, the timeline's JSON — possibly after routes have changed. So size and depth are measured
 * first, without recursion, and an event over either bound is refused as a whole.
 *
 * The bounds sit far above anything AWS sends (the fixtures under test/events are at most 8 levels deep
 * and 2 KB; CloudWatch's reasonData is a few hundred characters, 2 levels deep):
 */
export const EVENT_LIMITS = {
  /** EventBridge refuses events over 256 KiB; AWS Health pages long events to stay far below it. */
  maxEventBytes: 256 * 1024,
  /** Levels of objects and arrays, the event itself being level 1; real events use 8. */
  maxDepth: 32,
  /** CloudWatch caps an alarm's StateReasonData at 4,000 characters; four times that is plenty. */
  maxReasonDataChars: 16 * 1024,
} as const;

/** What is over a bound, and where (a dotted path like the schema errors', '' for the whole event). */
export interface LimitBreach {
  readonly fieldPath: string;
  readonly problem: string;
}

interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number | undefined;
  readonly parent: Pending | undefined;
}

/** At most this many leading path segments, each at most this long: the path is for people. */
const PATH_SEGMENTS = 6;
const SEGMENT_CHARS = 40;

function pathOf(item: Pending): string {
  const keys: (string | number)[] = [];
  for (let at: Pending | undefined = item; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  let out = '';
  for (const key of keys.slice(0, PATH_SEGMENTS)) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = key.length > SEGMENT_CHARS ? `${key.slice(0, SEGMENT_CHARS)}…` : key;
      out += out === '' ? name : `.${name}`;
    }
  }
  return keys.length > PATH_SEGMENTS ? `${out}…` : out;
}

/** Bytes the value takes as JSON text, near enough: strings at their UTF-8 length plus quotes. */
function leafBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value) + 2;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value).length;
  return 4; // null, and what JSON would write as null
}

/**
 * Walks a parsed value with an explicit stack, stopping at the first bound it crosses, so neither a
 * deep nor a cyclic value (a cycle is infinitely deep) costs more than the bounds allow.
 */
export function checkValueBounds(
  value: unknown,
  limits: { readonly maxBytes: number; readonly maxDepth: number },
): LimitBreach | undefined {
  const stack: Pending[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  let bytes = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current !== 'object' || current === null) {
      bytes += leafBytes(current);
    } else {
      if (item.depth > limits.maxDepth) {
        return { fieldPath: pathOf(item), problem: `nests deeper than ${limits.maxDepth} levels` };
      }
      bytes += 2 + pushChildren(item, current, stack);
    }
    if (bytes > limits.maxBytes) {
      return { fieldPath: '', problem: `is larger than ${limits.maxBytes} bytes as JSON` };
    }
  }
  return undefined;
}

/**
 * Stacks an array's items or an object's values to be walked; returns the bytes their separators and
 * keys take as JSON.
 */
function pushChildren(item: Pending, container: object, stack: Pending[]): number {
  const depth = item.depth + 1;
  let bytes = 0;
  if (Array.isArray(container)) {
    container.forEach((child: unknown, i) => {
      bytes += 1;
      stack.push({ value: child, depth, key: i, parent: item });
    });
    return bytes;
  }
  for (const [key, child] of Object.entries(container)) {
    bytes += Buffer.byteLength(key) + 4;
    stack.push({ value: child, depth, key, parent: item });
  }
  return bytes;
}

/** The index of the quote that closes a JSON string starting at `from` (backslash escapes skipped). */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/**
 * The problem with a JSON text that is too long or nests too deep, found by one pass over its
 * characters (brackets inside strings do not count); undefined when it is within bounds. Whether it
 * is valid JSON is left to JSON.parse, which then runs on bounded input only.
 */
export function checkJsonTextBounds(
  text: string,
  limits: { readonly maxChars: number; readonly maxDepth: number },
): string | undefined {
  if (text.length > limits.maxChars) return `is longer than ${limits.maxChars} characters`;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i + 1);
    else if (c === '{' || c === '[') {
      depth += 1;
      if (depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    } else if (c === '}' || c === ']') depth -= 1;
  }
  return undefined;
}
