/**
 * Defence in depth for everything tunnel-warden records or publishes. Observation already copies VPN
 * fields one by one (lib/aws/observe-vpn.ts), but an SDK error message, a raw event or a future detail
 * field can still carry a pre-shared key; this is the last filter before a timeline, an event or a page.
 */

export const REDACTED = '[redacted]';
export const CIRCULAR = '[circular]';

/** Keys whose value is a secret whatever its shape (the VPN config XML holds every tunnel's key). */
const SECRET_KEY = /pre_?shared_?key|presharedkey|customergatewayconfiguration|secret|password|token/i;

/** `<pre_shared_key>…</pre_shared_key>`, as in the customer gateway configuration's `<ike>` block; an
 *  unterminated tag (a truncated message) is redacted to the end of the string. */
const XML_KEY = /(<pre_shared_key\b[^>]*>)[\s\S]*?(<\/pre_shared_key\s*>|$)/gi;

/** `PreSharedKey=…`, `"PreSharedKey":"…"`, `\"PreSharedKey\": \"…\"`, `pre-shared key: …`. Group 2 is the
 *  opening quote of the value, backslash-escaped when the fragment is JSON inside a JSON string. */
const KEY_VALUE = /(pre[-_ ]?shared[-_ ]?key\\*["']?\s*[:=]\s*)(\\*["'])?/gi;

/** Where an unquoted value ends: AWS keys are alphanumeric, `.` and `_`, so any separator will do. */
const UNQUOTED_END = /[\s&,;"'<>{}()[\]]/;

/** A deep copy of `value` with every secret replaced by '[redacted]'; see the module comment. */
export function redact<T>(value: T): T {
  return copy(value, []) as T;
}

/** Redacts the secret parts of one string; everything else is kept exactly. */
export function redactString(text: string): string {
  return redactKeyValues(text.replace(XML_KEY, `$1${REDACTED}$2`));
}

function copy(value: unknown, ancestors: object[]): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  // Only an ancestor is a cycle: a value shared by two branches is copied twice, not lost.
  if (ancestors.includes(value)) return CIRCULAR;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const path = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => copy(item, path));
  const out: Record<string, unknown> = {};
  // An Error's name and message are not enumerable, yet SDK messages are where secrets leak from.
  if (value instanceof Error) {
    out.name = value.name;
    out.message = redactString(value.message);
  }
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a `__proto__` key from parsed JSON must stay data, not a prototype.
    Object.defineProperty(out, redactString(key), {
      value: SECRET_KEY.test(key) ? REDACTED : copy(item, path),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function redactKeyValues(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(KEY_VALUE)) {
    const start = match.index + match[0].length;
    // A value already scanned (the key name repeated inside a redacted value) is not rescanned.
    if (start <= from) continue;
    const end = valueEnd(text, start, match[2]);
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}

/** The index just past the value (before its closing quote, which is kept). */
function valueEnd(text: string, start: number, quote: string | undefined): number {
  if (quote === undefined) {
    const rest = text.slice(start);
    if (rest.startsWith(REDACTED)) return start + REDACTED.length;
    const stop = rest.search(UNQUOTED_END);
    return stop === -1 ? text.length : start + stop;
  }
  const bare = quote.endsWith('"') ? '"' : "'";
  if (quote === bare) {
    // Plain quotes: skip backslash escapes so `ab\"cd` is one value.
    for (let i = start; i < text.length; i += 1) {
      if (text[i] === '\\') i += 1;
      else if (text[i] === bare) return i;
    }
    return text.length;
  }
  // Escaped quotes (JSON inside a JSON string): the value ends at the same escaped quote.
  const close = text.indexOf(quote, start);
  return close === -1 ? text.length : close;
}
