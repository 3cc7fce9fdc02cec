import fc, { type JsonValue } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactString } from '../../lib/incidents/redact.js';

/** AWS pre-shared keys: 8–64 of [A-Za-z0-9._], not starting with 0. A digit keeps the secret from being
 *  a substring of the key names and markers the output legitimately contains ("redacted", "Configuration"). */
const secretArb = fc.stringMatching(/^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/).filter((s) => /\d/.test(s));

const secretKeys = [
  'PreSharedKey',
  'preSharedKey',
  'pre_shared_key',
  'presharedkey',
  'pre-shared-key',
  'psk',
  'tunnel1Psk',
  'CustomerGatewayConfiguration',
  'clientSecret',
  'password',
  'sessionToken',
];

const inString: ((s: string) => string)[] = [
  (s) => `<pre_shared_key>${s}</pre_shared_key>`,
  (s) => `<vpn_connection><ike><pre_shared_key>${s}</pre_shared_key></ike></vpn_connection>`,
  (s) => `<pre_shared_key>${s}`,
  (s) => `PreSharedKey=${s}`,
  (s) => `Options.TunnelOptions.1.PreSharedKey=${s}&Action=ModifyVpnTunnelOptions`,
  (s) => `{"PreSharedKey":"${s}"}`,
  (s) => `"PreSharedKey": "${s}"`,
  (s) => `{\\"PreSharedKey\\":\\"${s}\\"}`,
  (s) => `pre-shared key: ${s}`,
  // Spellings of device configurations, API responses and people writing them down.
  (s) => `psk "${s}"`,
  (s) => `169.254.10.1 203.0.113.7 : PSK "${s}"`,
  (s) => `PSK:${s}`,
  (s) => `psk = '${s}'`,
  (s) => `tunnel1_psk=${s}`,
  (s) => `pre_shared_key=${s}`,
  (s) => `presharedkey: ${s}`,
  (s) => `PreSharedKey = "${s}"`,
  (s) => `{"psk":"${s}"}`,
  (s) => `{\\"tunnelPsk\\": \\"${s}\\"}`,
  (s) => `{"pre_shared_key": "${s}"}`,
  (s) => `<PreSharedKey>${s}</PreSharedKey>`,
  (s) => `<preSharedKey>${s}</preSharedKey>`,
  (s) => `<pre-shared-key>${s}</pre-shared-key>`,
  (s) => `<psk>${s}</psk>`,
  (s) => `crypto ikev2 keyring kr\n peer p\n  pre-shared-key ${s}`,
  (s) => `tunnel-group 203.0.113.7 ipsec-attributes\n ikev1 pre-shared-key ${s}\n`,
  (s) => `crypto keyring kr\n pre-shared-key address 203.0.113.7 key ${s}`,
  (s) => `ike { pre-shared-key ascii-text "${s}"; }`,
  (s) => `set psksecret ${s}`,
  // AWS's generic configuration download, and Palo Alto's XML.
  (s) => `  - Pre-Shared Key           : ${s}\n  - Authentication Method    : Pre-Shared Key`,
  (s) => `<ike-gateway><authentication><pre-shared-key><key>${s}</key></pre-shared-key></authentication>`,
];

type Carrier = (secret: string) => JsonValue;

const carrierArb: fc.Arbitrary<Carrier> = fc.oneof(
  // As the value of a secret-named key, bare or nested.
  fc.tuple(fc.constantFrom(...secretKeys), fc.boolean()).map(
    ([key, nested]): Carrier =>
      (s) => ({ [key]: nested ? { deeper: [s] } : s }),
  ),
  // Inside a string, with arbitrary text around it.
  fc.tuple(fc.constantFrom(...inString), fc.string(), fc.string()).map(
    ([format, before, after]): Carrier =>
      (s) =>
        `${before} ${format(s)} ${after}`,
  ),
);

/** Puts the carrier at the end of a random path into the value (or beside it at a leaf). */
function plant(value: JsonValue, path: readonly number[], carrier: JsonValue): JsonValue {
  const [step, ...rest] = path;
  if (step !== undefined && Array.isArray(value) && value.length > 0) {
    const i = step % value.length;
    return value.map((item, j) => (j === i ? plant(item, rest, carrier) : item));
  }
  if (step !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const key = keys[step % Math.max(1, keys.length)];
    if (key !== undefined) return { ...value, [key]: plant(value[key] ?? null, rest, carrier) };
  }
  return [value, carrier];
}

const plantedArb = fc
  .record({
    value: fc.jsonValue({ maxDepth: 4 }),
    path: fc.array(fc.nat(), { maxLength: 6 }),
    carrier: carrierArb,
    secret: secretArb,
  })
  .map(({ value, path, carrier, secret }) => ({ secret, value: plant(value, path, carrier(secret)) }));

const SECRETISH = /pre[-_ ]?shared[-_ ]?key|psk|customergatewayconfiguration|secret|password|token/i;

describe('redact (properties)', () => {
  it('never lets a planted secret through, at any depth, as a key or inside a string', () => {
    fc.assert(
      fc.property(plantedArb, ({ secret, value }) => {
        expect(JSON.stringify(value)).toContain(secret);
        expect(JSON.stringify(redact(value))).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          plantedArb.map((p) => p.value),
          fc.jsonValue(),
        ),
        (value) => {
          const once = redact(value);
          expect(redact(once)).toEqual(once);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('preserves data that holds no secret exactly', () => {
    const clean = fc.jsonValue().filter((v) => !SECRETISH.test(JSON.stringify(v)));
    fc.assert(
      fc.property(clean, (value) => {
        expect(redact(value)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('redact (examples)', () => {
  it('replaces the value of a secret key whatever its shape', () => {
    expect(
      redact({ PreSharedKey: 'abc12345', CustomerGatewayConfiguration: { xml: '<x/>' }, vpnId: 'vpn-1' }),
    ).toEqual({ PreSharedKey: '[redacted]', CustomerGatewayConfiguration: '[redacted]', vpnId: 'vpn-1' });
  });

  it('keeps the XML around the key and the text around a fragment', () => {
    expect(redactString('<ike><pre_shared_key>abc12345</pre_shared_key><x>1</x></ike>')).toBe(
      '<ike><pre_shared_key>[redacted]</pre_shared_key><x>1</x></ike>',
    );
    expect(redactString('call PreSharedKey=abc.123_x&Version=2016')).toBe(
      'call PreSharedKey=[redacted]&Version=2016',
    );
    expect(redactString('{"PreSharedKey":"ab\\"c1","Other":"x"}')).toBe(
      '{"PreSharedKey":"[redacted]","Other":"x"}',
    );
  });

  it('copies deeply without touching the input, turns Dates into ISO and cycles into a marker', () => {
    const shared = { n: 1 };
    const input: Record<string, unknown> = { at: new Date('2025-03-01T12:00:00Z'), a: shared, b: [shared] };
    input.self = input;
    const out = redact(input);
    expect(out).toEqual({ at: '2025-03-01T12:00:00.000Z', a: { n: 1 }, b: [{ n: 1 }], self: '[circular]' });
    expect(out.a).not.toBe(shared);
    expect(input.self).toBe(input);
  });

  it('leaves numbers, booleans, null and undefined as they are', () => {
    expect(redact([1, -0, true, null, undefined, 'x'])).toEqual([1, -0, true, null, undefined, 'x']);
  });

  it('redacts every common spelling of a pre-shared key, keeping what surrounds it', () => {
    expect(redactString('1.2.3.4 5.6.7.8 : PSK "abc12345" # tunnel 1')).toBe(
      '1.2.3.4 5.6.7.8 : PSK "[redacted]" # tunnel 1',
    );
    expect(redactString('psk "ab\\"c1" and more')).toBe('psk "[redacted]" and more');
    expect(redactString('PSK:abc12345, next')).toBe('PSK:[redacted], next');
    expect(redactString('<PreSharedKey>abc12345</PreSharedKey><x/>')).toBe(
      '<PreSharedKey>[redacted]</PreSharedKey><x/>',
    );
    expect(redactString(' pre-shared-key address 203.0.113.7 key abc12345\n')).toBe(
      ' pre-shared-key address 203.0.113.7 key [redacted]\n',
    );
  });

  it('leaves the words alone when no value follows them', () => {
    for (const text of [
      'psk',
      'the PSK was rotated',
      'PSK mismatch on tunnel 169.254.10.1',
      'pre-shared key authentication failed',
      'configure the pre-shared-key on both peers',
      'psk rotation due 2026-05-01',
      'upskilling session',
    ]) {
      expect(redactString(text)).toBe(text);
    }
  });

  it('keeps the name and redacted message of an Error', () => {
    const error = Object.assign(new Error('bad <pre_shared_key>abc12345</pre_shared_key>'), { code: 'E1' });
    expect(redact(error)).toEqual({
      name: 'Error',
      message: 'bad <pre_shared_key>[redacted]</pre_shared_key>',
      code: 'E1',
    });
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":1},"ok":2}') as Record<string, unknown>;
    const out = redact(parsed);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1},"ok":2}');
  });
});
