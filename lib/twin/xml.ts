/** Small helpers for hand-written EC2 XML: elements, `<item>` sets, the response envelopes. */

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** `<name>value</name>`, or nothing when the value is absent (EC2 omits empty members). */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A member holding already-serialised children. */
export function node(name: string, children: string): string {
  return `<${name}>${children}</${name}>`;
}

/** An EC2 list: `<name><item>…</item>…</name>`. */
export function set<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return node(name, items.map((i) => node('item', render(i))).join(''));
}

export function tagSet(tags: Readonly<Record<string, string>>): string {
  return set('tagSet', Object.entries(tags), ([key, value]) => el('key', key) + el('value', value));
}

export function okResponse(action: string, requestId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${el('requestId', requestId)}${body}</${action}Response>`;
}

export function errorResponse(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`;
}
