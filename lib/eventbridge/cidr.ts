import { BlockList, isIP } from 'node:net';
import { expectString, fail } from './validate.js';

const PREFIX_LENGTH = /^\d{1,3}$/;

/** Compiles `"10.0.0.0/24"` or `"2001:db8::/32"` into a test for IP address strings. */
export function compileCidr(operand: unknown, path: string): (value: string) => boolean {
  const block = expectString(operand, path, 'cidr');
  const slash = block.indexOf('/');
  if (slash === -1) fail(path, `cidr "${block}" must be an address followed by /prefix-length`);
  const address = block.slice(0, slash);
  const lengthText = block.slice(slash + 1);
  const version = isIP(address);
  if (version === 0) fail(path, `cidr "${block}" does not start with a valid IPv4 or IPv6 address`);
  const maxLength = version === 4 ? 32 : 128;
  const length = Number(lengthText);
  if (!PREFIX_LENGTH.test(lengthText) || length > maxLength) {
    fail(path, `cidr "${block}" prefix length must be an integer from 0 to ${maxLength}`);
  }
  const list = new BlockList();
  try {
    list.addSubnet(address, length, version === 4 ? 'ipv4' : 'ipv6');
  } catch (error) {
    fail(path, `cidr "${block}" was rejected by the address parser`, error);
  }
  return (value) => {
    const family = isIP(value);
    if (family === 0) return false;
    try {
      return list.check(value, family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      // isIP accepts some forms (e.g. scoped IPv6 like fe80::1%eth0) that BlockList refuses; not a match.
      return false;
    }
  };
}
