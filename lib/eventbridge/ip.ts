import { isIP } from 'node:net';

// event-ruler only treats a string as an address when it has one of these shapes (CIDR.isIPv4OrIPv6), so a
// dotted-quad tail such as "::ffff:10.0.0.1" is text to it, not an address.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * The bytes of an IP address literal, or undefined when `text` is not one in the forms event-ruler accepts.
 * An IPv4-mapped IPv6 address (`::ffff:a00:1`) comes back as its 4 IPv4 bytes, as Java's InetAddress (which
 * event-ruler uses) returns it, so it equals and falls inside the same blocks as `10.0.0.1`.
 */
export function ipAddressBytes(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return isIP(text) === 4 ? Uint8Array.from(text.split('.'), Number) : undefined;
  if (!IPV6_SHAPE.test(text) || isIP(text) !== 6) return undefined;
  const bytes = ipv6Bytes(text);
  const mapped = IPV4_MAPPED_PREFIX.every((byte, i) => bytes[i] === byte);
  return mapped ? bytes.slice(12) : bytes;
}

/** Expands a validated IPv6 literal made only of hex groups and at most one `::` into 16 bytes. */
function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Lexicographic comparison of two equally long byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
