// `--fail-on`: which outcomes make diagnose and triage exit 1 (default: an unexplained request, as CONTRACT.md says):
// the values and their parsing (read by every start, for --help; the exit codes are in fail-on-exit.ts).

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
