// `triage --format html`: one self-contained HTML report (inline CSS and SVG charts, no network) of denials over time and by cause.

import type { TriageReport } from '../model/index.js';
import { axisLabel, columnCounts, timeAxis, totalColumns } from './sparkline.js';

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PALETTE = ['#c0392b', '#2874a6', '#b9770e', '#1e8449', '#7d3c98', '#138d75', '#a04000', '#566573'];

/** The denials-over-time bar chart: one `rect.bar` per time column, `data-count` holding its denials. */
function timelineSvg(t: TriageReport): string {
  const axis = timeAxis(t.groups, 96);
  if (!axis) return '<p class="empty">No timestamps in the denied entries: no timeline.</p>';
  const cols = totalColumns(t.groups, axis).map((n) => Math.round(n));
  const max = Math.max(1, ...cols);
  const W = 900;
  const H = 220;
  const pad = 40;
  const bw = (W - pad * 2) / axis.columns;
  const bars = cols
    .map((n, i) => {
      const h = ((H - pad * 2) * n) / max;
      const x = pad + i * bw;
      const from = axisLabel(axis.start + i * axis.step);
      return `<rect class="bar" data-count="${n}" x="${x.toFixed(1)}" y="${(H - pad - h).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(from)} UTC: ${n} denied</title></rect>`;
    })
    .join('');
  return `<svg id="timeline" class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Denials over time">
<line class="axis" x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}"/>
<text x="${pad}" y="${H - pad + 18}">${esc(axisLabel(axis.start))}</text>
<text x="${W - pad}" y="${H - pad + 18}" text-anchor="end">${esc(axisLabel(axis.end))} UTC</text>
<text x="${pad - 6}" y="${pad}" text-anchor="end">${max}</text>
${bars}</svg>`;
}

/** The by-cause horizontal bar chart: one `rect.cause` per ranked cause, `data-count` holding its denials. */
function causesSvg(t: TriageReport): string {
  const causes = t.rankings?.causes ?? [];
  if (!causes.length) return '<p class="empty">No denials.</p>';
  const max = Math.max(1, ...causes.map((c) => c.count));
  const W = 900;
  const row = 28;
  const label = 330;
  const H = causes.length * row + 10;
  const rows = causes
    .map((c, i) => {
      const w = ((W - label - 90) * c.count) / max;
      const y = 5 + i * row;
      return `<text x="${label - 8}" y="${y + 18}" text-anchor="end">${esc(c.name)}</text><rect class="cause" data-name="${esc(c.name)}" data-count="${c.count}" x="${label}" y="${y + 4}" width="${Math.max(1, w).toFixed(1)}" height="${row - 8}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(c.name)}: ${c.count}</title></rect><text x="${(label + w + 6).toFixed(1)}" y="${y + 18}">${c.count}</text>`;
    })
    .join('');
  return `<svg id="causes" class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Denials by cause">${rows}</svg>`;
}

/** A small inline sparkline SVG of one group. */
function groupSpark(counts: number[]): string {
  const max = Math.max(1, ...counts);
  const W = 160;
  const H = 24;
  const bw = W / Math.max(1, counts.length);
  return `<svg class="spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${counts
    .map((n, i) => {
      const h = n > 0 ? Math.max(1, (H * n) / max) : 0;
      return `<rect x="${(i * bw).toFixed(1)}" y="${(H - h).toFixed(1)}" width="${Math.max(0.5, bw - 0.5).toFixed(1)}" height="${h.toFixed(1)}"/>`;
    })
    .join('')}</svg>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1b2631;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d5d8dc}
.chart{background:#fbfcfc;border:1px solid #e5e8e8}.chart text{font-size:12px;fill:#34495e}
.bar{fill:#c0392b}.axis{stroke:#7f8c8d}.spark rect{fill:#c0392b}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e8e8;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.sev-high{color:#c0392b;font-weight:600}.sev-medium{color:#b9770e;font-weight:600}
code{font-size:12px}.empty{color:#7f8c8d}`;

/** Renders the whole triage as one HTML document (no scripts or external resources needed to view it). */
export function renderTriageHtml(t: TriageReport, top = 50): string {
  const sc = t.scanned;
  const axis = timeAxis(t.groups);
  const groups = t.groups
    .slice(0, top)
    .map((g, i) => {
      const cause = g.diagnosis?.causes[0];
      return `<tr class="group"><td class="n">${i + 1}</td><td class="n">${g.count}</td><td>${esc(g.errorCode)}</td><td><code>${esc(g.action)}</code></td><td><code>s3://${esc(g.bucket)}/${esc(g.keyPrefix)}</code></td><td><code>${esc(g.principal)}</code></td><td>${esc(g.firstSeen ?? '')}<br>${esc(g.lastSeen ?? '')}</td><td>${cause ? `<b>${esc(cause.code)}</b> (${esc(cause.confidence)}): ${esc(cause.explanation)}` : ''}</td><td>${axis ? groupSpark(columnCounts(g.timeline, axis)) : ''}</td></tr>`;
    })
    .join('\n');
  const ranks = (title: string, list: NonNullable<TriageReport['rankings']>['causes']): string =>
    list.length
      ? `<h3>${esc(title)}</h3><table><tr><th>name</th><th>denials</th><th>groups</th><th>first seen</th><th>last seen</th></tr>${list
          .map(
            (r) =>
              `<tr><td><code>${esc(r.name)}</code></td><td class="n">${r.count}</td><td class="n">${r.groups}</td><td>${esc(r.firstSeen ?? '')}</td><td>${esc(r.lastSeen ?? '')}</td></tr>`,
          )
          .join('')}</table>`
      : '';
  const findings = (t.findings ?? [])
    .map(
      (f) =>
        `<li class="finding"><span class="sev-${f.severity}">${esc(f.severity)}</span> <code>${esc(f.kind)}</code>: ${esc(f.summary)}<table>${f.samples
          .map(
            (s) =>
              `<tr class="evidence"><td><code>${esc(s.input.source)}${s.input.line !== undefined ? `:${s.input.line}` : ''}</code></td><td>${esc(s.time ?? '')}</td><td>${esc(s.sourceIp ?? '')}</td><td><code>${esc(s.principal)}</code></td><td>${esc(s.errorCode)}</td><td><code>${s.bucket ? esc(`s3://${s.bucket}/${s.key ?? ''}`) : ''}</code></td></tr>`,
          )
          .join('')}</table></li>`,
    )
    .join('\n');
  const malformed = t.malformed
    .slice(0, 20)
    .map(
      (m) =>
        `<li><code>${esc(m.source)}${m.line !== undefined ? `:${m.line}` : ''}</code> ${esc(m.reason)}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>s3doctor triage: ${sc.denied} denied</title><style>${CSS}</style></head>
<body>
<h1>s3doctor triage</h1>
<p id="summary" data-denied="${sc.denied}" data-lines="${sc.lines}">Scanned ${sc.files} file(s), ${sc.lines} lines, ${sc.bytes} bytes: <b>${sc.denied}</b> denied in ${t.groups.length} group(s), ${sc.malformed} malformed.</p>
<h2>Denials over time</h2>
${timelineSvg(t)}
<h2>Denials by cause</h2>
${causesSvg(t)}
<h2>Security findings</h2>
${t.findings === undefined ? '<p class="empty">Not audited.</p>' : t.findings.length ? `<ul id="findings">${findings}</ul>` : '<p class="empty">None: no probing pattern crossed its threshold.</p>'}
<h2>Groups</h2>
<table id="groups"><tr><th>#</th><th>denials</th><th>error</th><th>action</th><th>where</th><th>principal</th><th>seen</th><th>cause</th><th>timeline</th></tr>
${groups}</table>
${t.groups.length > top ? `<p>${t.groups.length - top} more group(s) in the JSON output.</p>` : ''}
<h2>Rankings</h2>
${t.rankings ? ranks('Top causes', t.rankings.causes) + ranks('Top principals', t.rankings.principals) + ranks('Top buckets', t.rankings.buckets) : ''}
${malformed ? `<h2>Skipped entries</h2><ul>${malformed}</ul>` : ''}
</body></html>
`;
}
