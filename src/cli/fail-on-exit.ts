// `--fail-on`'s exit codes of a diagnose or triage report (apart from fail-on.ts, which --help loads: these need the
// cause table).

import type { Report, TriageReport } from '../model/index.js';
import type { FailOn } from './fail-on.js';
import { isExplained } from './format/common.js';

/** Exit code of a diagnose report under `--fail-on` (1 when a listed outcome occurred). */
export function reportFailOnExit(report: Report, failOn: FailOn[] = ['unexplained']): 0 | 1 {
  for (const f of failOn) {
    if (f === 'unexplained' && !report.results.every(isExplained)) return 1;
    if (f === 'denied' && report.results.some((r) => r.reproduced || r.decision !== 'Allowed')) return 1;
  }
  return 0;
}

/** Exit code of a triage report under `--fail-on`. */
export function triageFailOnExit(t: TriageReport, failOn: FailOn[] = ['unexplained']): 0 | 1 {
  for (const f of failOn) {
    if (f === 'unexplained' && t.groups.some((g) => g.diagnosis && !isExplained(g.diagnosis))) return 1;
    if (f === 'denied' && t.scanned.denied > 0) return 1;
    if (f === 'finding' && (t.findings?.length ?? 0) > 0) return 1;
  }
  return 0;
}
