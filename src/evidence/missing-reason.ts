// Why a piece of evidence is missing: the collector's note on it (a refused read and the permission it needs),
// else what kind of gap it is (nothing collected, never returned by AWS, not in the input).

import type { Evidence } from '../model/evidence.js';
import type { Unknown } from '../model/evaluation.js';

/** Whether `path` is `base` or lies under it (`buckets.b.policy` under `buckets.b`; quoted names stay whole). */
function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/**
 * The reason `path` is unknown, in one phrase. With evidence: the notes on the path, on what holds it or under it
 * (`AccessDenied on organizations:ListPoliciesForTarget`), joined; else by kind of path. `kind` says where the
 * evidence came from (`none`: diagnosed from the logs alone).
 */
export function missingReason(
  path: string,
  evidence: Evidence | undefined,
  kind: 'snapshot' | 'live' | 'none',
): string {
  if (path.startsWith('context.') || path.startsWith('s3.'))
    return 'the input does not carry it (the log entry or pasted error does not show it)';
  if (path.startsWith('sessions') && path.endsWith('.sessionPolicy') && !noteOn(path, evidence))
    return 'AWS never returns a session policy (it is passed when the role session is created): give it with --session-policy none|FILE';
  if (!evidence || kind === 'none') return 'no evidence was given (--snapshot FILE or --live)';
  const note = noteOn(path, evidence);
  if (note) return note;
  return kind === 'live'
    ? 'not collected: the live collectors did not read it for this request'
    : 'not in the snapshot';
}

function noteOn(path: string, evidence: Evidence | undefined): string | undefined {
  const reasons = [
    ...new Set(
      (evidence?.notes ?? [])
        .filter((n) => within(path, n.path) || within(n.path, path))
        .map((n) => n.reason),
    ),
  ];
  return reasons.length ? reasons.join('; ') : undefined;
}

/** The unknowns, each with its {@link missingReason}. */
export function withMissingReasons(
  unknowns: readonly Unknown[],
  evidence: Evidence | undefined,
  kind: 'snapshot' | 'live' | 'none',
): Unknown[] {
  return unknowns.map((u) => ({ ...u, reason: missingReason(u.path, evidence, kind) }));
}
