import { compareBytes, ipAddressBytes } from './ip.js';
import { expectString, fail } from './validate.js';

// Java's Integer.parseInt, which event-ruler uses for the mask, takes an optional sign.
const MASK_BITS = /^[+-]?\d+$/;

/**
 * Compiles `"10.0.0.0/24"` or `"2001:db8::/32"` into a test for IP address strings, with event-ruler's rules
 * (CIDR.cidr): the mask must be below the address width, so `/32` and `/128` are refused (AWS answers
 * PutRule with InvalidEventPatternException; an exact match on the address does the same job), and
 * addresses compare as bytes, so any spelling of an address in the event is recognised.
 */
export function compileCidr(operand: unknown, path: string): (value: string) => boolean {
  const block = expectString(operand, path, 'cidr');
  const parts = block.split('/');
  const [address = '', maskText = ''] = parts;
  if (parts.length !== 2) fail(path, `cidr "${block}" must be an address followed by one /prefix-length`);
  const base = ipAddressBytes(address);
  if (base === undefined) fail(path, `cidr "${block}" does not start with a valid IPv4 or IPv6 address`);
  const width = base.length * 8;
  const maskBits = Number(maskText);
  if (!MASK_BITS.test(maskText) || maskBits < 0 || maskBits >= width) {
    fail(
      path,
      `cidr "${block}" prefix length must be an integer from 0 to ${width - 1} (AWS refuses /${width}; match the address exactly instead)`,
    );
  }
  const lowest = base.map((byte, i) => byte & fixedBits(maskBits, i));
  const highest = base.map((byte, i) => byte | (~fixedBits(maskBits, i) & 0xff));
  return (value) => {
    const bytes = ipAddressBytes(value);
    return (
      bytes !== undefined &&
      bytes.length === base.length &&
      compareBytes(bytes, lowest) >= 0 &&
      compareBytes(bytes, highest) <= 0
    );
  };
}

/** The mask byte at `index` for a prefix of `maskBits` bits (1s where the address is fixed). */
function fixedBits(maskBits: number, index: number): number {
  const bitsHere = Math.min(8, Math.max(0, maskBits - index * 8));
  return (0xff << (8 - bitsHere)) & 0xff;
}
