import type { TimelineLine } from './narrate.js';
import type { DrillResult } from './runner.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const KIND_LABEL: Readonly<Record<TimelineLine['kind'], string>> = {
  step: 'what happens',
  delivery: 'tunnel-warden',
  incident: 'incident',
  expect: 'check',
};

function row(line: TimelineLine): string {
  const state = line.ok === undefined ? '' : line.ok ? ' ok' : ' bad';
  return `<tr class="${line.kind}${state}"><td class="at">${escapeHtml(line.at.slice(11, 19))}</td><td class="kind">${KIND_LABEL[line.kind]}</td><td>${escapeHtml(line.text)}</td></tr>`;
}

function section(result: DrillResult): string {
  const verdict = result.passed
    ? '<span class="pass">every expectation holds</span>'
    : `<span class="fail">failed at step ${(result.failed?.index ?? 0) + 1}: expected ${escapeHtml(result.failed?.expected ?? '')}, got ${escapeHtml(result.failed?.actual ?? '')}</span>`;
  const calls = Object.entries(result.ec2Calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `<li><code>${escapeHtml(action)}</code> × ${n}</li>`)
    .join('');
  return `<section>
<h2>${escapeHtml(result.name)}</h2>
${result.description === undefined ? '' : `<p>${escapeHtml(result.description)}</p>`}
<p>${verdict}</p>
<table><thead><tr><th>twin time</th><th></th><th>event</th></tr></thead><tbody>
${result.timeline.map(row).join('\n')}
</tbody></table>
<details><summary>EC2 API calls made by the functions</summary><ul>${calls}</ul></details>
</section>`;
}

/** A self-contained HTML page (no external assets) telling each drill's story. */
export function drillReportHtml(results: readonly DrillResult[], generatedAt: Date): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tunnel-warden drill report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d6dbe4}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .6rem;vertical-align:top;text-align:left}
tr:nth-child(even){background:#f6f8fb}.at{font-family:ui-monospace,monospace;white-space:nowrap;color:#5b6578}
.kind{white-space:nowrap;color:#5b6578}.step td:last-child{font-weight:600}.incident td:last-child{color:#7a3e00}
.ok td:last-child::before{content:"✓ ";color:#167c3a}.bad td:last-child{color:#b42318}.bad td:last-child::before{content:"✗ "}
.pass{color:#167c3a;font-weight:600}.fail{color:#b42318;font-weight:600}code{font-family:ui-monospace,monospace}
</style></head><body>
<h1>tunnel-warden drill report</h1>
<p>${results.length} drill(s) on the local twin, generated ${escapeHtml(generatedAt.toISOString())}. Times are twin time: the
functions ran against a local AWS whose clock the drill moves.</p>
${results.map(section).join('\n')}
</body></html>
`;
}
