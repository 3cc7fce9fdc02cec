import { describe, expect, it } from 'vitest';
import { asciiSubject, human, MAX_SUBJECT_LENGTH, snsMessage } from '../../lib/incidents/message.js';
import { entry, event, ID, leakyEvent, SECRET } from './publish-fixtures.js';

describe('snsMessage', () => {
  it('says what, since when, what was done, and how to see the incident', () => {
    const { subject, message } = snsMessage(event('opened'));
    expect(subject).toBe('[tunnel-warden] MAJOR connection-down opened: seoul-dc');
    expect(message).toBe(
      [
        'MAJOR connection-down at seoul-dc (opened).',
        'primary path down: vpn-0a1 both tunnels DOWN',
        '',
        'Since: 2025-03-01T11:59:30.000Z (detected 2025-03-01T12:00:00.000Z)',
        '',
        'What tunnel-warden did:',
        '- 2025-03-01T12:00:01.000Z action: failover to backup path',
        '',
        `Incident: ${ID}`,
        `Timeline: npx tunnel-warden incidents show ${ID}`,
      ].join('\n'),
    );
  });

  it('gives the peak severity and the durations once resolved', () => {
    const { subject, message } = snsMessage(
      event('resolved', {
        status: 'resolved',
        severity: 'info',
        peakSeverity: 'critical',
        mitigatedAt: '2025-03-01T12:01:35.000Z',
        resolvedAt: '2025-03-01T13:02:30.000Z',
      }),
    );
    expect(subject).toBe('[tunnel-warden] CRITICAL connection-down resolved: seoul-dc');
    expect(message).toContain('Mitigated: 2025-03-01T12:01:35.000Z');
    expect(message).toContain('Resolved: 2025-03-01T13:02:30.000Z');
    expect(message).toContain(
      'Time to detect 30s, mitigate 2m05s, resolve 1h03m (from the start of the failure).',
    );
  });

  it('counts reopens and shows only the newest entries', () => {
    const entries = Array.from({ length: 8 }, (_, i) => entry(`2025-03-01T12:00:0${i}.000Z`, `step ${i}`));
    const { message } = snsMessage(event('reopened', { reopenCount: 2 }, entries));
    expect(message).toContain(
      '(reopened).\nprimary path down: vpn-0a1 both tunnels DOWN\nReopened 2 times after resolving.',
    );
    expect(message).not.toContain('step 2');
    expect(message).toContain('step 3');
    expect(message).toContain('(+3 earlier in this change)');
  });

  it('keeps the subject one ASCII line under the SNS limit', () => {
    const { subject } = snsMessage(event('opened', { subject: `séoul\n${'x'.repeat(200)}` }));
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.startsWith('[tunnel-warden] MAJOR connection-down opened: s?oul x')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
    expect(asciiSubject('a\tb  c')).toBe('a b c');
  });

  it('never carries a pre-shared key', () => {
    const { subject, message } = snsMessage(leakyEvent());
    expect(subject + message).not.toContain(SECRET);
    expect(message).toContain('<pre_shared_key>[redacted]</pre_shared_key>');
  });

  it('formats durations the way people read them', () => {
    expect([human(0), human(59), human(60), human(3599), human(3600), human(90061)]).toEqual([
      '0s',
      '59s',
      '1m00s',
      '59m59s',
      '1h00m',
      '25h01m',
    ]);
  });
});
