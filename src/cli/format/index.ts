// Picks the formatter for --format: text, json or markdown. Formatters only render; they never decide.

import type { Evidence, Report, TriageReport } from '../../model/index.js';
import type { OutputFormat } from '../options.js';
import { renderReportJson, renderTriageJson } from './json.js';
import { renderReportMarkdown, renderTriageMarkdown } from './markdown.js';
import { renderReportText, renderTriageText } from './text.js';

/** Rendering options common to every format. */
export interface RenderOptions {
  colour: boolean;
  evidence?: Evidence;
}

/** Renders a diagnose report. */
export function renderReport(report: Report, format: OutputFormat, opts: RenderOptions): string {
  if (format === 'json') return renderReportJson(report);
  if (format === 'markdown')
    return renderReportMarkdown(report, opts.evidence ? { evidence: opts.evidence } : {});
  return renderReportText(report, opts);
}

/** Renders a triage report. */
export function renderTriage(t: TriageReport, format: OutputFormat, opts: RenderOptions): string {
  if (format === 'json') return renderTriageJson(t);
  if (format === 'markdown') return renderTriageMarkdown(t);
  return renderTriageText(t, opts);
}
