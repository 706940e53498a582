// The JSON formatter: CONTRACT.md's Report and TriageReport documents, schemaVersion 1, as they are.

import type { Evaluation, Report, TriageReport } from '../../model/index.js';
import { SCHEMA_IDS } from '../../model/schema-ids.js';

/** `diagnose --format json`: the Report document. */
export function renderReportJson(report: Report): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.result, ...report, schemaVersion: 1 }, null, 2) + '\n';
}

/** `triage --format json`: the TriageReport document. */
export function renderTriageJson(t: TriageReport): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.triage, ...t, schemaVersion: 1 }, null, 2) + '\n';
}

/** `simulate --format json`: the evaluation with its full trace. */
export function renderEvaluationJson(e: Evaluation): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.simulate, schemaVersion: 1, evaluation: e }, null, 2) + '\n';
}

/** Any other value (rules list) as pretty JSON. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
