// Picks the formatter for --format: text, json, markdown, sarif or github. Formatters only render; they never decide.

import type { Evidence, Report, TriageReport } from '../../model/index.js';
import type { OutputFormat } from '../options.js';
import { renderReportGithub, renderTriageGithub } from './github.js';
import { renderReportJson, renderTriageJson } from './json.js';
import { renderReportMarkdown, renderTriageMarkdown } from './markdown.js';
import { renderReportSarif, renderTriageSarif, type SarifOptions } from './sarif.js';
import { safeDeep } from './safe.js';
import { renderReportText, renderTriageText } from './text.js';

/** Rendering options common to every format. */
export interface RenderOptions {
  colour: boolean;
  evidence?: Evidence;
  /** The rule catalogue for `sarif` (required for that format). */
  sarif?: SarifOptions;
}

function needSarif(opts: RenderOptions): SarifOptions {
  if (!opts.sarif) throw new Error('renderReport: --format sarif needs the rule catalogue (opts.sarif)');
  return opts.sarif;
}

/** Renders a diagnose report. */
export function renderReport(input: Report, format: OutputFormat, opts: RenderOptions): string {
  if (format === 'json') return renderReportJson(input);
  if (format === 'sarif') return renderReportSarif(input, needSarif(opts));
  // Every value from the input loses its control characters before a human-facing formatter styles it.
  const report = safeDeep(input);
  if (format === 'github') return renderReportGithub(report);
  if (format === 'markdown')
    return renderReportMarkdown(report, opts.evidence ? { evidence: safeDeep(opts.evidence) } : {});
  return renderReportText(report, opts);
}

/** Renders a triage report. */
export function renderTriage(input: TriageReport, format: OutputFormat, opts: RenderOptions): string {
  if (format === 'json') return renderTriageJson(input);
  if (format === 'sarif') return renderTriageSarif(input, needSarif(opts));
  const t = safeDeep(input);
  if (format === 'github') return renderTriageGithub(t);
  if (format === 'markdown') return renderTriageMarkdown(t);
  return renderTriageText(t, opts);
}
