// Renders `s3doctor logging` readiness reports: text (with the delivery trace), JSON and Markdown.

import type { LoggingReport } from '../../logging/check.js';
import { makeStyler } from './style.js';
import { renderEvaluationText } from './text.js';

const MARK: Record<string, string> = { ok: 'ok', gap: 'GAP', unknown: '??', advice: 'tip' };

/** Text: one line per check; under each gap the commands and CloudFormation. */
export function renderLoggingText(
  reports: LoggingReport[],
  opts: { colour: boolean; trace?: boolean },
): string {
  const s = makeStyler(opts.colour);
  const out: string[] = [];
  for (const r of reports) {
    out.push(s('bold', `Bucket ${r.bucket}`));
    for (const c of r.checks) {
      const colour = c.status === 'ok' ? 'green' : c.status === 'gap' ? 'red' : 'yellow';
      out.push(
        `  ${s(['bold', colour], (MARK[c.status] ?? c.status).padEnd(3))}  ${c.id.padEnd(22)} ${c.summary}`,
      );
      if (c.missing?.length) out.push(`       missing evidence: ${c.missing.join(', ')}`);
      if (c.fix && c.status !== 'ok') {
        out.push(`       fix: ${c.fix.summary}`);
        for (const cmd of c.fix.commands) out.push(`         ${cmd}`);
        out.push('       CloudFormation:');
        for (const l of c.fix.cloudFormation.trimEnd().split('\n')) out.push(`         ${l}`);
      }
    }
    if (r.delivery && (opts.trace || r.delivery.decision !== 'Allowed')) {
      out.push(`  Log delivery PutObject s3://${r.target?.bucket}/${r.delivery.key}:`);
      for (const l of renderEvaluationText(r.delivery.evaluation, { colour: opts.colour })
        .trimEnd()
        .split('\n'))
        out.push(`    ${l}`);
    }
    out.push('');
  }
  const gaps = reports.reduce((n, r) => n + r.checks.filter((c) => c.status === 'gap').length, 0);
  const unknown = reports.reduce((n, r) => n + r.checks.filter((c) => c.status === 'unknown').length, 0);
  out.push(
    `${reports.length} bucket${reports.length === 1 ? '' : 's'}: ${gaps} gap${gaps === 1 ? '' : 's'}, ${unknown} unknown`,
  );
  return out.join('\n') + '\n';
}

/** JSON: `{ schemaVersion: 1, buckets: [...] }` (the delivery evaluation in full). */
export function renderLoggingJson(reports: LoggingReport[]): string {
  return JSON.stringify({ schemaVersion: 1, buckets: reports }, null, 2) + '\n';
}

function md(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** Markdown: a table per bucket and each fix in code blocks. */
export function renderLoggingMarkdown(reports: LoggingReport[]): string {
  const out: string[] = ['# s3doctor logging', ''];
  for (const r of reports) {
    out.push(`## ${md(r.bucket)}`, '', '| Check | Status | Finding |', '|---|---|---|');
    for (const c of r.checks) out.push(`| ${c.id} | ${c.status} | ${md(c.summary)} |`);
    for (const c of r.checks.filter((x) => x.fix && x.status !== 'ok')) {
      out.push(
        '',
        `### ${c.id}`,
        '',
        md(c.fix!.summary),
        '',
        '```sh',
        ...c.fix!.commands,
        '```',
        '',
        '```yaml',
      );
      out.push(c.fix!.cloudFormation.trimEnd(), '```');
    }
    out.push('');
  }
  return out.join('\n');
}
