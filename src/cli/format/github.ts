// GitHub Actions output: workflow-command annotations (::error file=F,line=N,title=T::message), values escaped.

import type { Result, SecurityFinding, TriageReport } from '../../model/index.js';
import { isExplained, requestLine } from './common.js';

/** Annotation level of a workflow command. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** The file and line an annotation points at. */
export interface AnnotationProperties {
  file?: string;
  line?: number;
  title?: string;
}

// C0/C1 control characters other than CR and LF (which are escaped): the Actions log renders ANSI escapes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Escapes a command's message: `%`, CR and LF (GitHub's workflow-command rules, as in
 * actions/toolkit `escapeData`); other control characters are removed, so a log field cannot end the
 * line and start a command of its own.
 * https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 */
export function escapeData(s: string): string {
  return s.replace(CONTROL, '').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as {@link escapeData}, plus `:` and `,` (actions/toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line, e.g. `::error file=a.log,line=3,title=T::message`. */
export function workflowCommand(
  level: AnnotationLevel,
  props: AnnotationProperties,
  message: string,
): string {
  const parts: string[] = [];
  if (props.file !== undefined) parts.push(`file=${escapeProperty(props.file)}`);
  if (props.line !== undefined) parts.push(`line=${props.line}`);
  if (props.title !== undefined) parts.push(`title=${escapeProperty(props.title)}`);
  return `::${level}${parts.length ? ' ' + parts.join(',') : ''}::${escapeData(message)}\n`;
}

function fileProps(source: string, line: number | undefined): AnnotationProperties {
  if (source === '-' || source.startsWith('(')) return {};
  return { file: source, ...(line !== undefined ? { line } : {}) };
}

/** The annotations of one diagnosed request: one per cause (certain: error, likely: warning, possible: notice). */
export function resultAnnotations(r: Result, extra = ''): string {
  const where = fileProps(r.input.source, r.input.line);
  const req = requestLine(r);
  let out = '';
  if (r.decision === 'Allowed' && !r.reproduced) {
    return workflowCommand(
      'notice',
      { ...where, title: 'not reproduced' },
      `${req}${extra}: the evidence as given allows this request.${r.notReproducedBecause?.length ? ' ' + r.notReproducedBecause.join(' ') : ''}`,
    );
  }
  for (const c of r.causes) {
    const level: AnnotationLevel =
      c.confidence === 'certain' ? 'error' : c.confidence === 'likely' ? 'warning' : 'notice';
    const fix = c.fixes[0]?.summary;
    out += workflowCommand(
      level,
      { ...where, title: `${c.code} (${c.confidence})` },
      `${req}${extra}: ${c.explanation}${fix ? ` Fix: ${fix}` : ''}`,
    );
  }
  if (!isExplained(r)) {
    const unknown = r.unknowns.map((u) => u.path).join(', ');
    out += workflowCommand(
      'warning',
      { ...where, title: 'unexplained denial' },
      `${req}${extra}: ${r.decision}, not explained with the evidence at hand${unknown ? `; missing evidence: ${unknown}` : ''}.`,
    );
  }
  return out;
}

/** `diagnose --format github`. */
export function renderReportGithub(report: { results: Result[] }): string {
  return report.results.map((r) => resultAnnotations(r)).join('');
}

/** One security finding as an annotation (high: error, medium: warning). */
export function findingAnnotation(f: SecurityFinding): string {
  const s = f.samples[0];
  return workflowCommand(
    f.severity === 'high' ? 'error' : 'warning',
    { ...(s ? fileProps(s.input.source, s.input.line) : {}), title: `security: ${f.kind}` },
    f.summary,
  );
}

/** `triage --format github`: each group's diagnosis (with its count) and each security finding. */
export function renderTriageGithub(t: TriageReport): string {
  let out = '';
  for (const g of t.groups) {
    if (g.diagnosis) out += resultAnnotations(g.diagnosis, ` (${g.count} denials)`);
    else {
      out += workflowCommand(
        'warning',
        { ...fileProps(g.sample.source, g.sample.line), title: `${g.errorCode} (${g.count} denials)` },
        `${g.principal} -> ${g.action} on ${g.bucket}/${g.keyPrefix}: ${g.count} denials, not diagnosed (no evidence given).`,
      );
    }
  }
  for (const f of t.findings ?? []) out += findingAnnotation(f);
  return out;
}
