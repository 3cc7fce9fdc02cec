/** IPv4 CIDR helpers shared by config validation, policy and the twin. Pure. */

export interface Ipv4Cidr {
  readonly network: number;
  readonly length: number;
}

export function parseIpv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n`; `network` keeps the address as written so callers can spot host bits. */
export function parseIpv4Cidr(text: string): (Ipv4Cidr & { readonly canonical: string }) | undefined {
  const [address, lengthText, ...rest] = text.split('/');
  if (address === undefined || lengthText === undefined || rest.length > 0 || !/^\d{1,2}$/.test(lengthText))
    return undefined;
  const length = Number(lengthText);
  const value = parseIpv4(address);
  if (value === undefined || length > 32) return undefined;
  // Bitwise operators are 32-bit signed in JS; arithmetic keeps the values unsigned.
  const network = value - (value % 2 ** (32 - length));
  return { network: value, length, canonical: `${formatIpv4(network)}/${length}` };
}

export function cidrContains(outer: Ipv4Cidr, address: number): boolean {
  const size = 2 ** (32 - outer.length);
  const base = outer.network - (outer.network % size);
  return address >= base && address < base + size;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return cidrContains(shorter, longer.network - (longer.network % 2 ** (32 - longer.length)));
}
