import type { TimelineLine } from './narrate.js';
import { escapeHtml, incidentTable, routeTable } from './report-tables.js';
import type { DrillResult } from './runner.js';

/** A scenario that did not run because it is invalid, with its errors (file, step, field). */
export interface InvalidDrill {
  readonly file: string;
  readonly message: string;
}

const KIND_LABEL: Readonly<Record<TimelineLine['kind'], string>> = {
  step: 'what happens',
  delivery: 'tunnel-warden',
  incident: 'incident',
  expect: 'check',
};

/**
 * One icon per meaning, so a glance never misreads: ✓ and ✗ only ever say whether an expectation held;
 * a bad outcome (a handler failed, no healthy path) has its own mark and colour.
 */
function icon(line: TimelineLine): { readonly mark: string; readonly cls: string; readonly title: string } {
  if (line.kind === 'expect')
    return line.ok === true
      ? { mark: '✓', cls: 'held', title: 'expectation held' }
      : { mark: '✗', cls: 'broken', title: 'expectation did not hold' };
  if (line.tone === 'bad') return { mark: '⚠', cls: 'bad', title: 'bad outcome' };
  if (line.tone === 'held') return { mark: '‖', cls: 'hold', title: 'traffic held where it is' };
  if (line.tone === 'moved') return { mark: '⇄', cls: 'moved', title: 'routes changed' };
  if (line.kind === 'incident') return { mark: '●', cls: 'incident', title: 'incident change' };
  if (line.kind === 'step') return { mark: '▸', cls: 'step', title: 'drill step' };
  return { mark: '⚙', cls: 'run', title: 'function run' };
}

function row(line: TimelineLine): string {
  const i = icon(line);
  return `<tr class="${line.kind} ${i.cls}"><td class="at">${escapeHtml(line.at.slice(11, 19))}</td><td class="kind">${KIND_LABEL[line.kind]}</td><td class="icon" title="${i.title}" aria-label="${i.title}">${i.mark}</td><td>${escapeHtml(line.text)}</td></tr>`;
}

const anchor = (name: string) => `drill-${name}`;

function verdict(result: DrillResult): string {
  if (result.passed) return '<span class="pass">✓ every expectation held</span>';
  const f = result.failed;
  return `<span class="fail">✗ failed at step ${(f?.index ?? 0) + 1} (${escapeHtml(f?.label ?? '')}): expected ${escapeHtml(f?.expected ?? '')}, got ${escapeHtml(f?.actual ?? '')}</span>`;
}

function section(result: DrillResult): string {
  const calls = Object.entries(result.ec2Calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `<li><code>${escapeHtml(action)}</code> × ${n}</li>`)
    .join('');
  return `<section id="${anchor(result.name)}">
<h2>${escapeHtml(result.name)}</h2>
${result.description === undefined ? '' : `<p>${escapeHtml(result.description)}</p>`}
<p class="verdict">${verdict(result)}</p>
<h3>Incidents</h3>
${incidentTable(result)}
<h3>Route changes</h3>
${routeTable(result)}
<h3>Timeline</h3>
<table class="timeline"><thead><tr><th>twin time</th><th></th><th></th><th>event</th></tr></thead><tbody>
${result.timeline.map(row).join('\n')}
</tbody></table>
<details><summary>EC2 API calls made by the functions</summary><ul>${calls}</ul></details>
</section>`;
}

function overview(results: readonly DrillResult[], invalid: readonly InvalidDrill[]): string {
  const rows = [
    ...results.map(
      (r) =>
        `<tr><td><a href="#${anchor(r.name)}">${escapeHtml(r.name)}</a></td><td>${r.passed ? '<span class="pass">✓ held</span>' : `<span class="fail">✗ step ${(r.failed?.index ?? 0) + 1}</span>`}</td><td class="num">${r.incidents.length}</td><td class="num">${r.routeChanges.length}</td></tr>`,
    ),
    ...invalid.map(
      (i) =>
        `<tr><td><a href="#invalid">${escapeHtml(i.file)}</a></td><td><span class="bad">⚠ invalid, not run</span></td><td class="num">—</td><td class="num">—</td></tr>`,
    ),
  ];
  const passed = results.filter((r) => r.passed).length;
  return `<section id="overview"><h2>Overview</h2>
<p>${passed} of ${results.length + invalid.length} drills held${invalid.length === 0 ? '' : `; ${invalid.length} invalid`}.</p>
<table class="summary overview"><thead><tr><th>drill</th><th>result</th><th>incidents</th><th>route changes</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

function invalidSection(invalid: readonly InvalidDrill[]): string {
  if (invalid.length === 0) return '';
  const items = invalid.map((i) => `<li><pre>${escapeHtml(i.message)}</pre></li>`).join('');
  return `<section id="invalid"><h2>Invalid drills (not run)</h2><ul>${items}</ul></section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:78rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d6dbe4}h3{font-size:1rem;margin:1.2rem 0 .4rem;color:#3a4356}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .6rem;vertical-align:top;text-align:left}
th{font-weight:600;color:#3a4356;border-bottom:1px solid #d6dbe4}
.timeline tr:nth-child(even),.summary tbody tr:nth-child(even){background:#f6f8fb}
.at{font-family:ui-monospace,monospace;white-space:nowrap;color:#5b6578}.num{font-family:ui-monospace,monospace;white-space:nowrap}
.kind{white-space:nowrap;color:#5b6578}.icon{width:1.2rem;text-align:center;font-weight:700}
tr.step td:last-child{font-weight:600}tr.incident td:last-child{color:#7a3e00}
.held .icon,.pass{color:#167c3a}.broken .icon,.broken td:last-child,.fail{color:#b42318}
.bad .icon,.bad{color:#c4320a}.bad td:last-child{background:#fff4ed}.hold .icon{color:#b54708}.moved .icon{color:#175cd3}
.pass,.fail{font-weight:600}.open{color:#b42318;font-weight:600}.none{color:#5b6578;font-style:italic}
.sev-critical{color:#b42318;font-weight:600}.sev-major{color:#c4320a;font-weight:600}.sev-minor{color:#b54708}
code,pre{font-family:ui-monospace,monospace}pre{white-space:pre-wrap;margin:0}.legend{color:#5b6578}`;

/** A self-contained HTML page (no external assets) telling each drill's story, summary first. */
export function drillReportHtml(
  results: readonly DrillResult[],
  generatedAt: Date,
  invalid: readonly InvalidDrill[] = [],
): string {
  const many = results.length + invalid.length > 1;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tunnel-warden drill report</title>
<style>
${STYLE}
</style></head><body>
<h1>tunnel-warden drill report</h1>
<p>${results.length + invalid.length} drill(s) on the local twin, generated ${escapeHtml(generatedAt.toISOString())}. Times are twin time: the
functions ran against a local AWS whose clock the drill moves.</p>
<p class="legend">✓ an expectation held · ✗ it did not · ⚠ a bad outcome (a handler failed, no healthy path) · ‖ traffic held, with the reason · ⇄ routes changed · ● an incident changed</p>
${many ? overview(results, invalid) : ''}
${invalidSection(invalid)}
${results.map(section).join('\n')}
</body></html>
`;
}
