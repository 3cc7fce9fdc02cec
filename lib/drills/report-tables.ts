/** The summary tables at the top of a drill's report: its incidents, and each route that moved. */
import type { DrillResult } from './runner.js';

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** hh:mm:ss of twin time, or a dash. */
const clock = (iso: string | undefined) => (iso === undefined ? '—' : iso.slice(11, 19));

/** 75 → `1m 15s`; absent → a dash. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return `${s}s`;
  return s === 0 ? `${m}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}

const SEVERITY_CLASS: Readonly<Record<string, string>> = {
  critical: 'sev-critical',
  major: 'sev-major',
  minor: 'sev-minor',
  info: 'sev-info',
};

export function incidentTable(result: DrillResult): string {
  if (result.incidents.length === 0) return '<p class="none">No incident was opened.</p>';
  const rows = result.incidents.map((i) => {
    const status = i.status === 'open' ? '<span class="open">open</span>' : 'resolved';
    return `<tr><td>${escapeHtml(i.subject)}</td><td>${escapeHtml(i.kind)}</td><td class="${SEVERITY_CLASS[i.peakSeverity] ?? ''}">${escapeHtml(i.peakSeverity)}</td><td>${status}</td><td class="at">${clock(i.detectedAt)}</td><td class="at">${clock(i.mitigatedAt)}</td><td class="at">${clock(i.resolvedAt)}</td><td class="num">${duration(i.ttd)}</td><td class="num">${duration(i.ttm)}</td><td class="num">${duration(i.ttr)}</td></tr>`;
  });
  return `<table class="summary incidents"><thead><tr><th>site</th><th>kind</th><th>peak severity</th><th>status</th><th>detected</th><th>mitigated</th><th>resolved</th><th title="time to detect">TTD</th><th title="time to mitigate">TTM</th><th title="time to resolve">TTR</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function routeTable(result: DrillResult): string {
  if (result.routeChanges.length === 0) return '<p class="none">No managed route moved.</p>';
  const target = (id: string) => {
    const label = result.targetLabels[id];
    return label === undefined
      ? `<code>${escapeHtml(id)}</code>`
      : `<strong>${escapeHtml(label)}</strong> <code>${escapeHtml(id)}</code>`;
  };
  const rows = result.routeChanges.map(
    (c) =>
      `<tr><td class="at">${clock(c.at)}</td><td>${escapeHtml(c.site)}</td><td><code>${escapeHtml(c.destination)}</code> in <code>${escapeHtml(c.table)}</code></td><td>${target(c.before)}</td><td>${target(c.after)}</td></tr>`,
  );
  return `<table class="summary routes"><thead><tr><th>at</th><th>site</th><th>route</th><th>before</th><th>after</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
