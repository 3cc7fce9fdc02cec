// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the point: the text as rendered, as a person reads it.
/**
 * The drill report as an on-call engineer sees it: rendered by a real headless Chromium, screenshotted,
 * and read back through the DOM — string matching on the HTML would not notice a table that does not
 * render or a mark that lands on the wrong row.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../lib/drills/load.js';
import { drillReportHtml } from '../../lib/drills/report-html.js';
import { type DrillResult, runDrill } from '../../lib/drills/runner.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';
const available = existsSync(CHROMIUM);
if (!available && !IN_CI)
  console.warn(
    `\n*** SKIPPING the drill report browser test: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH. In CI (CI=true) this test always runs. ***\n`,
  );

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DRILLS = join(process.cwd(), 'drills');
const SCREENSHOT = join(process.cwd(), 'reports', 'drill-report.png');

async function render(results: readonly DrillResult[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(
    file,
    drillReportHtml(results, new Date('2026-03-02T12:00:00Z'), [
      {
        file: 'drills/typo.yml',
        message: 'drills/typo.yml: steps[2].expect.calls.action: ec2 has no action X',
      },
    ]),
  );
  // A fresh profile per run: nothing from a previous session (or the machine's user) leaks in.
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return { dir, file, context };
}

describe.skipIf(!available && !IN_CI)('the drill report in a headless browser', () => {
  it('shows the incident and route summaries first, and never a ✓ beside a bad outcome', {
    timeout: 120_000,
  }, async () => {
    const results: DrillResult[] = [];
    for (const drill of ['demo.yml', 'backup-also-down.yml'])
      results.push(await runDrill(loadScenario(join(DRILLS, drill))));
    const { dir, file, context } = await render(results);
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      mkdirSync(join(process.cwd(), 'reports'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);

      // The overview links every drill, the invalid one included.
      const overview = page.locator('#overview');
      await expect.poll(() => overview.isVisible()).toBe(true);
      expect(await overview.locator('a').allInnerTexts()).toEqual([
        'demo',
        'backup-also-down',
        'drills/typo.yml',
      ]);

      // The demo's incident summary: site, kind, peak severity, and the durations, as rendered.
      const demo = page.locator('#drill-demo');
      const incidents = demo.locator('table.incidents');
      expect(await incidents.isVisible()).toBe(true);
      const headers = await incidents.locator('th').allInnerTexts();
      expect(headers).toEqual([
        'site',
        'kind',
        'peak severity',
        'status',
        'detected',
        'mitigated',
        'resolved',
        'TTD',
        'TTM',
        'TTR',
      ]);
      const seoul = await incidents.locator('tbody tr', { hasText: 'seoul-dc' }).innerText();
      expect(seoul).toMatch(
        /seoul-dc\s+connection-down\s+major\s+resolved\s+10:03:00\s+10:03:00\s+10:20:00\s+3m\s+3m\s+20m/,
      );

      // Route changes name the path, not only the attachment id.
      const routes = await demo.locator('table.routes tbody tr').allInnerTexts();
      expect(routes[0]).toMatch(
        /10:03:00\s+seoul-dc\s+10\.3\.0\.0\/20 in tgw-rtb-\S+\s+seoul-dc primary tgw-attach-\S+\s+seoul-dc backup/,
      );

      // Tunnels are labelled with site, path and VPN.
      expect(await demo.locator('table.timeline').innerText()).toContain(
        '198.51.100.10 (seoul-dc primary, vpn-0a1b2c3d4e5f60001 tunnel 1)',
      );
      // A held failback says why.
      expect(await demo.locator('tr.hold').first().innerText()).toMatch(
        /held: primary is healthy; failback after the hold-down/,
      );

      // no-healthy-path is a bad outcome: its mark is ⚠, never the ✓ of a held expectation.
      const noPath = page.locator('#drill-backup-also-down tr', { hasText: 'no-healthy-path' });
      expect(await noPath.count()).toBeGreaterThan(0);
      for (const row of await noPath.all()) {
        expect(await row.locator('td.icon').innerText()).toBe('⚠');
        expect(await row.getAttribute('class')).toContain('bad');
      }
      // And no raw JSON anywhere a person reads.
      expect(await page.locator('body').innerText()).not.toMatch(/\{"/);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
