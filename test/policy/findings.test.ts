import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, FINDING_MEANINGS } from '../../lib/policy/findings.js';

describe('finding codes', () => {
  it('are each listed once, each with a meaning', () => {
    expect(new Set(FINDING_CODES).size).toBe(FINDING_CODES.length);
    expect(Object.keys(FINDING_MEANINGS).sort()).toEqual([...FINDING_CODES].sort());
    for (const code of FINDING_CODES) expect(FINDING_MEANINGS[code].length).toBeGreaterThan(10);
  });

  it('are documented in the README exactly as the source says', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.split('### Finding codes\n')[1]?.split('\n### ')[0] ?? '';
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toEqual(FINDING_CODES.map((code) => `| \`${code}\` | ${FINDING_MEANINGS[code]} |`));
  });
});
