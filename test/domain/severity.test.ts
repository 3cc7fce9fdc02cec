import { describe, expect, it } from 'vitest';
import { SEVERITIES, severityRank, worseSeverity } from '../../lib/domain/severity.js';

describe('severity order', () => {
  it('ranks critical above major above minor above info', () => {
    expect(SEVERITIES).toEqual(['critical', 'major', 'minor', 'info']);
    expect(SEVERITIES.map(severityRank)).toEqual([3, 2, 1, 0]);
  });

  it('keeps the worse of two severities, whichever comes first', () => {
    for (const a of SEVERITIES)
      for (const b of SEVERITIES) {
        const worse = SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
        expect(worseSeverity(a, b)).toBe(worse);
        expect(worseSeverity(b, a)).toBe(worse);
      }
  });
});
