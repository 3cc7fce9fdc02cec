import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { logger } from '../../lib/runtime/observability.js';

const KEY = 'Zq7planted_PSK_99';
let writes: MockInstance[] = [];
const logged = () =>
  writes
    .flatMap((spy) => spy.mock.calls)
    .map(([chunk]) => String(chunk))
    .join('');

beforeEach(() => {
  logger.setLogLevel('DEBUG');
  writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
  ];
});
afterEach(() => {
  logger.setLogLevel('SILENT');
  vi.restoreAllMocks();
});

describe('the Logger redacts every line', () => {
  it('in messages, attributes, secret-named keys, keys that quote a key, and errors with their causes', () => {
    const cause = new Error(`upstream said <pre_shared_key>${KEY}</pre_shared_key>`);
    logger.appendKeys({ note: `psk "${KEY}"` });
    logger.info(`message with PreSharedKey=${KEY}`, {
      tunnel: { PreSharedKey: KEY, outsideIp: '198.51.100.10' },
      [`PSK:${KEY}`]: 1,
      list: [`"PreSharedKey":"${KEY}"`],
    });
    logger.error('failed', new Error(`ModifyVpnTunnelOptions: pre-shared key: ${KEY}`, { cause }));
    logger.removeKeys(['note']);
    const out = logged();
    expect(out).toContain('198.51.100.10');
    expect(out).toContain('ModifyVpnTunnelOptions');
    expect(out).toContain('upstream said');
    expect(out).not.toContain(KEY);
    // Every line is still one JSON document.
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
