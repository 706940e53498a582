// Ranks a triage: top causes, principals and buckets with counts, groups, first and last seen; and diagnoses each group once.

import type { LogRecord, Result, TriageGroup, TriageRank, TriageRankings } from '../model/index.js';

/** Diagnoses many records at once (one per group): injected so tests can count evaluations. */
export type DiagnoseMany = (records: LogRecord[]) => Promise<Result[]>;

/**
 * Diagnoses each group once with its sample record (one call, one record per group, so 100,000
 * denials in 200 groups cost 200 evaluations) and attaches the result to the group.
 */
export async function diagnoseGroups(
  groups: TriageGroup[],
  samples: LogRecord[],
  diagnose: DiagnoseMany,
): Promise<void> {
  if (groups.length === 0) return;
  const results = await diagnose(samples);
  results.forEach((r, i) => {
    const g = groups[i];
    if (g) g.diagnosis = r;
  });
}

/** The cause a group is ranked under: the diagnosis's most likely cause code, else the logged error code. */
export function causeOf(g: TriageGroup): string {
  const c = g.diagnosis?.causes[0];
  return c ? c.code : `error:${g.errorCode}`;
}

function rankBy(groups: TriageGroup[], name: (g: TriageGroup) => string, top: number): TriageRank[] {
  const m = new Map<string, TriageRank>();
  for (const g of groups) {
    const k = name(g);
    let r = m.get(k);
    if (!r) {
      r = { name: k, count: 0, groups: 0 };
      m.set(k, r);
    }
    r.count += g.count;
    r.groups += 1;
    if (g.firstSeen && (r.firstSeen === undefined || g.firstSeen < r.firstSeen)) r.firstSeen = g.firstSeen;
    if (g.lastSeen && (r.lastSeen === undefined || g.lastSeen > r.lastSeen)) r.lastSeen = g.lastSeen;
  }
  return [...m.values()]
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, top);
}

/** The rankings of a triage (each list most denials first, at most `top` entries). */
export function rankTriage(groups: TriageGroup[], top = 10): TriageRankings {
  return {
    causes: rankBy(groups, causeOf, top),
    principals: rankBy(groups, (g) => g.principal, top),
    buckets: rankBy(groups, (g) => g.bucket, top),
  };
}
