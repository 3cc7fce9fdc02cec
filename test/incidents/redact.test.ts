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

const SECRETISH = /pre[-_ ]?shared[-_ ]?key|customergatewayconfiguration|secret|password|token/i;

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
