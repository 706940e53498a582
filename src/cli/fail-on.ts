// `--fail-on`: which outcomes make diagnose and triage exit 1 (default: an unexplained request, as CONTRACT.md says).

import type { Report, TriageReport } from '../model/index.js';
import { isExplained } from './format/common.js';

/** The outcomes `--fail-on` can name. */
export const FAIL_ON_OUTCOMES = ['unexplained', 'denied', 'finding', 'none'] as const;

/** One `--fail-on` outcome. */
export type FailOn = (typeof FAIL_ON_OUTCOMES)[number];

/** What each outcome means, for --help and errors. */
export const FAIL_ON_HELP = `--fail-on outcomes (comma-separated; default unexplained):
  unexplained  a denied request (or triage group) the evidence does not explain (the contract's exit 1)
  denied       any denied request was found at all, explained or not (a gate on new denials)
  finding      triage found a security finding (probing, credential-failure bursts)
  none         exit 0 whenever s3doctor could run`;

/** Parses `--fail-on a,b`; throws with the accepted values. */
export function parseFailOn(value: string): FailOn[] {
  const out: FailOn[] = [];
  for (const raw of value.split(',')) {
    const v = raw.trim().toLowerCase();
    if (!v) continue;
    if (!(FAIL_ON_OUTCOMES as readonly string[]).includes(v))
      throw new Error(`unknown --fail-on outcome "${raw.trim()}": use ${FAIL_ON_OUTCOMES.join(', ')}`);
    if (!out.includes(v as FailOn)) out.push(v as FailOn);
  }
  if (out.length === 0) throw new Error(`--fail-on needs one of ${FAIL_ON_OUTCOMES.join(', ')}`);
  if (out.includes('none') && out.length > 1)
    throw new Error('--fail-on none cannot be combined with others');
  return out;
}

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
