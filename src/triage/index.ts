// Public entry of triage at scale: scanning (worker threads), grouping, ranking, auditing, pictures, Athena and alerts.

export { scanInputs, resolveWorkers, scanWeight, SCAN_TUNING } from './scan.js';
export type { WorkersOption, ScanOutcome } from './scan.js';
export * from './groups.js';
export { Auditor, AUDIT_THRESHOLDS } from './audit.js';
export { rankTriage } from './rank.js';
export { sparkline, timeAxis, columnCounts, BLOCKS } from './sparkline.js';
export { renderTriageExtrasText, renderTriageExtrasMarkdown } from './render.js';
export { renderTriageHtml } from './html.js';
export { buildTriageDocument, buildTriageReport, documentReport, scanSamples } from './report.js';
export type { TriageDocument } from './report.js';
