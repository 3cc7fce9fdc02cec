import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillCommand } from '../../lib/cli/drill-command.js';

const ROOT = process.cwd();
const at = (...parts: string[]) => join(ROOT, ...parts);

async function drill(files: string[], report?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await drillCommand(files, {
    root: ROOT,
    json: false,
    ...(report === undefined ? {} : { report }),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('one bad drill never stops the others', () => {
  it('reports the invalid drill (file, field, step) with exit 2, and still runs and reports the valid ones', {
    timeout: 120_000,
  }, async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'tw-batch-')), 'report.html');
    const { code, out, err } = await drill(
      [
        at('test/drills/malformed/unknown-tunnel.yml'),
        at('drills/single-tunnel-down.yml'),
        at('test/drills/malformed/unknown-site.yml'),
      ],
      report,
    );
    expect(code).toBe(2);
    expect(err).toContain(
      'tunnel-warden: test/drills/malformed/unknown-tunnel.yml: steps[1].tunnel.ip: tunnel 198.51.100.99 is not in the topology',
    );
    expect(err).toContain(
      'test/drills/malformed/unknown-site.yml: steps[1].expect.incident.site: site seol-dc is not in the configuration (did you mean seoul-dc?) (step 2)',
    );
    expect(out).toContain('✓ single-tunnel-down:');
    expect(out).toContain('1 of 3 drills passed, 2 invalid (not run)');
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<a href="#drill-single-tunnel-down">single-tunnel-down</a>');
    expect(html).toContain('test/drills/malformed/unknown-site.yml');
  });

  it('an unknown site in a check alone is exit 2, not a failed expectation', {
    timeout: 60_000,
  }, async () => {
    const { code, out } = await drill([at('test/drills/malformed/unknown-site.yml')]);
    expect(code).toBe(2);
    expect(out).not.toContain('▶');
  });
});
