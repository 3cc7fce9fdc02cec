/**
 * Defence in depth for everything tunnel-warden records or publishes. Observation already copies VPN
 * fields one by one (lib/aws/observe-vpn.ts), but an SDK error message, a raw event or a future detail
 * field can still carry a pre-shared key; this is the last filter before a timeline, an event or a page.
 */

export const REDACTED = '[redacted]';
export const CIRCULAR = '[circular]';

/** Keys whose value is a secret whatever its shape (the VPN config XML holds every tunnel's key). */
const SECRET_KEY = /pre[-_ ]?shared[-_ ]?key|psk|customergatewayconfiguration|secret|password|token/i;

/**
 * The names a pre-shared key goes by in text: `PreSharedKey`, `pre_shared_key`, `pre-shared key`,
 * `presharedkey`, and `psk` (also `tunnel1_psk`, `tunnelPsk`, Fortinet's `psksecret`). Before `=` or `:`
 * any `…psk` is a name; before a blank only a `psk` that stands as a word is (not `upskill "x"`).
 */
const PSK_NAME = '(?:pre[-_ ]?shared[-_ ]?key|psk(?:secret)?(?![a-z]))';
const PSK_WORD = '(?:pre[-_ ]?shared[-_ ]?key|(?<![a-z])psk(?:secret)?(?![a-z]))';

/** `<pre_shared_key>…</pre_shared_key>` (the customer gateway configuration's `<ike>` block), `<PreSharedKey>`
 *  (EC2's XML API), `<pre-shared-key>`, `<psk>`; an unterminated tag (a truncated message) is redacted
 *  to the end of the string. */
const XML_KEY = /(<(pre[-_]?shared[-_]?key|psk)\b[^>]*>)[\s\S]*?(<\/\2\s*>|$)/gi;

/** An unquoted device-configuration value: a token of 8+ key characters with a digit in it, so that
 *  `pre-shared-key rotation` or `PSK mismatch` stay as they are. AWS keys are [A-Za-z0-9._]. */
const CONFIG_VALUE = String.raw`(?=[A-Za-z0-9._]*\d)[A-Za-z0-9._]{8,}(?![A-Za-z0-9._])`;

/**
 * Where a key's value starts, in three shapes:
 * - `PreSharedKey=…`, `PSK:…`, `"PreSharedKey":"…"`, `\"psk\": \"…\"`, `pre-shared key: …`;
 * - a name, blanks, then a quoted value: `PSK "…"` (ipsec.secrets), `pre-shared-key ascii-text "…"` (Junos);
 * - a configuration keyword then a bare value: `pre-shared-key …`, `pre-shared-key address <ip> key …`
 *   (Cisco), `set psksecret …` (Fortinet).
 * Group 2 is the opening quote of the value, backslash-escaped when the fragment is JSON inside a JSON
 * string. The word with no value after it (`the PSK was rotated`) matches none of these.
 */
const KEY_VALUE = new RegExp(
  String.raw`(${PSK_NAME}\\*["']?\s*[:=]\s*` +
    String.raw`|${PSK_WORD}\s+(?:ascii-text\s+)?(?=\\*["'])` +
    String.raw`|(?:pre-shared-key|psksecret)\s+(?:address\s+\S+\s+key\s+|ascii-text\s+)?(?=${CONFIG_VALUE}))` +
    String.raw`(\\*["'])?`,
  'gi',
);

/** Where an unquoted value ends: AWS keys are alphanumeric, `.` and `_`, so any separator will do. */
const UNQUOTED_END = /[\s&,;"'<>{}()[\]]/;

/** A deep copy of `value` with every secret replaced by '[redacted]'; see the module comment. */
export function redact<T>(value: T): T {
  return copy(value, []) as T;
}

/** Redacts the secret parts of one string; everything else is kept exactly. */
export function redactString(text: string): string {
  return redactKeyValues(
    text.replace(XML_KEY, (_, open: string, _name, close: string) => `${open}${REDACTED}${close}`),
  );
}

/**
 * The same rules as a `JSON.stringify` replacer, for serialisers that own the walk (the Powertools
 * Logger): a secret-named key loses its value, every string is redacted, and an object whose own keys
 * carry a secret is copied with redacted keys (a replacer cannot rename keys otherwise).
 */
export function redactJsonValue(key: string, value: unknown): unknown {
  if (key !== '' && value !== undefined && SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Error)
    return value;
  const entries = Object.entries(value);
  if (entries.every(([k]) => redactString(k) === k)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, item] of entries) {
    Object.defineProperty(out, redactString(k), {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
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
  if (quote === undefined) return unquotedEnd(text, start);
  const bare = quote.endsWith('"') ? '"' : "'";
  if (quote === bare) return plainQuotedEnd(text, start, bare);
  // Escaped quotes (JSON inside a JSON string): the value ends at the same escaped quote.
  const close = text.indexOf(quote, start);
  return close === -1 ? text.length : close;
}

/** An unquoted value ends at the first separator (or is an earlier redaction, kept whole). */
function unquotedEnd(text: string, start: number): number {
  const rest = text.slice(start);
  if (rest.startsWith(REDACTED)) return start + REDACTED.length;
  const stop = rest.search(UNQUOTED_END);
  return stop === -1 ? text.length : start + stop;
}

/** Plain quotes: skip backslash escapes so `ab\"cd` is one value. */
function plainQuotedEnd(text: string, start: number, quote: string): number {
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return text.length;
}
