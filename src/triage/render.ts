// Triage sections the shared formatters do not draw: timelines (sparklines), rankings and security findings, as text and Markdown.

import type { SecurityFinding, TriageRank, TriageReport } from '../model/index.js';
import { mdCode } from '../cli/format/safe.js';
import { axisLabel, columnCounts, sparkline, timeAxis, totalColumns } from './sparkline.js';

function where(s: { source: string; line?: number; eventId?: string }): string {
  return s.line !== undefined ? `${s.source}:${s.line}` : s.eventId ? `${s.source} (${s.eventId})` : s.source;
}

function rankLines(title: string, ranks: TriageRank[]): string[] {
  if (!ranks.length) return [];
  const w = Math.max(...ranks.map((r) => String(r.count).length));
  return [
    title,
    ...ranks.map(
      (r) =>
        `  ${String(r.count).padStart(w)}  ${r.name}  (${r.groups} group${r.groups === 1 ? '' : 's'}${r.firstSeen ? `, ${r.firstSeen} .. ${r.lastSeen ?? '?'}` : ''})`,
    ),
  ];
}

function findingHead(f: SecurityFinding): string {
  return `[${f.severity}] ${f.kind}: ${f.summary}`;
}

function sampleLine(s: SecurityFinding['samples'][number]): string {
  const parts = [
    s.time,
    s.sourceIp,
    s.principal,
    s.errorCode,
    s.bucket ? `s3://${s.bucket}/${s.key ?? ''}` : undefined,
  ].filter(Boolean);
  return `${where(s.input)}  ${parts.join('  ')}`;
}

/** The text sections after the group list: timeline, rankings, findings (`top` groups get a sparkline). */
export function renderTriageExtrasText(t: TriageReport, top = 10): string {
  const out: string[] = [];
  const axis = timeAxis(t.groups);
  if (axis && t.groups.length) {
    const total = totalColumns(t.groups, axis);
    const shown = t.groups.slice(0, top);
    const w = Math.max(...shown.map((_, i) => `#${i + 1}`.length), 'all'.length);
    out.push('');
    out.push(
      `Timeline ${axisLabel(axis.start)} .. ${axisLabel(axis.end)} UTC (${axis.columns} columns of ${axis.step / 3600_000} h)`,
    );
    out.push(`  ${'all'.padEnd(w)} |${sparkline(total)}| ${t.scanned.denied}`);
    shown.forEach((g, i) => {
      out.push(`  ${`#${i + 1}`.padEnd(w)} |${sparkline(columnCounts(g.timeline, axis))}| ${g.count}`);
    });
  }
  if (t.rankings) {
    const r = t.rankings;
    for (const [title, list] of [
      ['Top causes', r.causes],
      ['Top principals', r.principals],
      ['Top buckets', r.buckets],
    ] as const) {
      const lines = rankLines(title, list);
      if (lines.length) out.push('', ...lines);
    }
  }
  if (t.findings) {
    out.push('');
    if (!t.findings.length) out.push('Security findings: none (no probing pattern crossed its threshold)');
    else {
      out.push(
        `Security findings (${t.findings.length}): patterns that look like probing, not misconfiguration`,
      );
      for (const f of t.findings) {
        out.push(`  ${findingHead(f)}`);
        out.push(
          `    ${f.count} denials${f.firstSeen ? `, ${f.firstSeen} .. ${f.lastSeen ?? '?'}` : ''}; evidence rows:`,
        );
        for (const s of f.samples) out.push(`      ${sampleLine(s)}`);
      }
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function md(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/** The Markdown sections after the group table: timeline, rankings, findings. */
export function renderTriageExtrasMarkdown(t: TriageReport, top = 10): string {
  const out: string[] = [];
  const axis = timeAxis(t.groups);
  if (axis && t.groups.length) {
    out.push(
      '',
      '## Timeline',
      '',
      `${axisLabel(axis.start)} .. ${axisLabel(axis.end)} UTC, ${axis.step / 3600_000} h per column`,
      '',
    );
    out.push('| group | denials | timeline |', '|---|---:|---|');
    out.push(`| all | ${t.scanned.denied} | \`${sparkline(totalColumns(t.groups, axis))}\` |`);
    t.groups.slice(0, top).forEach((g, i) => {
      out.push(
        `| #${i + 1} ${md(g.action)} ${md(g.bucket)} | ${g.count} | \`${sparkline(columnCounts(g.timeline, axis))}\` |`,
      );
    });
  }
  if (t.rankings) {
    for (const [title, list] of [
      ['Top causes', t.rankings.causes],
      ['Top principals', t.rankings.principals],
      ['Top buckets', t.rankings.buckets],
    ] as const) {
      if (!list.length) continue;
      out.push(
        '',
        `## ${title}`,
        '',
        '| name | denials | groups | first seen | last seen |',
        '|---|---:|---:|---|---|',
      );
      for (const r of list)
        out.push(`| ${md(r.name)} | ${r.count} | ${r.groups} | ${r.firstSeen ?? ''} | ${r.lastSeen ?? ''} |`);
    }
  }
  if (t.findings) {
    out.push('', '## Security findings', '');
    if (!t.findings.length) out.push('None: no probing pattern crossed its threshold.');
    for (const f of t.findings) {
      out.push(`- **${f.severity}** \`${f.kind}\`: ${md(f.summary)}`);
      for (const s of f.samples) out.push(`  - ${mdCode(sampleLine(s))}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
