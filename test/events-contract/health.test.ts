import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../lib/events/errors.js';
import { parseHealthEvent } from '../../lib/events/parse.js';
import { loadEvent } from '../helpers/fixtures.js';

describe('AWS Health event → Signal', () => {
  it.each([
    ['aws.health/vpn-redundancy-loss.json', 'endpoint-replaced', ['vpn-0a1b2c3d4e5f60001']],
    [
      'aws.health/vpn-single-tunnel-notification.json',
      'single-tunnel',
      ['vpn-0a1b2c3d4e5f60003', 'vpn-0a1b2c3d4e5f60001'],
    ],
    ['aws.health/vpn-tunnel-update-available.json', 'maintenance-pending', ['vpn-0a1b2c3d4e5f60002']],
    ['aws.health/vpn-operational-issue-public.json', 'unrecognised', []],
  ])('%s becomes %s for %j', (name, kind, vpnIds) => {
    const outcome = parseHealthEvent(loadEvent(name));
    if (outcome.type !== 'signal') throw new Error(outcome.reason);
    expect(outcome.signal.kind).toBe(kind);
    expect(outcome.signal).toMatchObject({ targets: vpnIds.map((vpnId) => ({ vpnId, tunnelIps: [] })) });
  });

  it('keeps the Health evidence with RFC 1123 times normalised to ISO 8601', () => {
    const outcome = parseHealthEvent(loadEvent('aws.health/vpn-tunnel-update-available.json'));
    expect(outcome).toMatchObject({
      signal: {
        origin: { occurredAt: '2026-05-20T12:00:00.000Z', eventId: 'e0f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b' },
        health: {
          eventTypeCode: 'AWS_VPN_TUNNEL_UPDATE_AVAILABLE',
          eventTypeCategory: 'scheduledChange',
          statusCode: 'upcoming',
          startTime: '2026-06-01T00:00:00.000Z',
          endTime: '2026-06-01T04:00:00.000Z',
          eventRegion: 'us-east-1',
          communicationId: '5521aabbccddeeff00112233445566778899aabbccddeeff0011223344556677-1',
          description: expect.stringContaining('tunnel endpoint update is available'),
        },
      },
    });
  });

  it('takes affected VPNs from resources[] when affectedEntities is absent, without duplicates', () => {
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    (event.detail as Record<string, unknown>).affectedEntities = undefined;
    event.resources = [
      'vpn-0a1b2c3d4e5f60001',
      'vpn-0a1b2c3d4e5f60001',
      'arn:aws:ec2:us-east-1:111122223333:vpn-connection/x',
    ];
    expect(parseHealthEvent(event)).toMatchObject({
      signal: { targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001' }] },
    });
  });

  it.each(['other/health-ec2-retirement.json'])('ignores %s (another service)', (name) => {
    expect(parseHealthEvent(loadEvent(name))).toEqual({
      type: 'ignored',
      reason: expect.stringContaining('service EC2'),
    });
  });

  it.each([
    ['malformed/health-missing-event-type-code.json', 'detail.eventTypeCode'],
    ['malformed/health-redundancy-loss-without-vpn.json', 'detail.affectedEntities'],
    ['malformed/health-bad-timestamp.json', 'detail.lastUpdatedTime'],
  ])('%s is a typed error at %s', (name, fieldPath) => {
    const event = loadEvent(name);
    expect(() => parseHealthEvent(event)).toThrow(
      expect.objectContaining({ name: 'EventParseError', eventId: event.id, fieldPath }),
    );
    expect(() => parseHealthEvent(event)).toThrow(EventParseError);
    expect(() => parseHealthEvent(event)).toThrow(
      `Invalid aws.health event ${String(event.id)}: ${fieldPath}: `,
    );
  });
});
