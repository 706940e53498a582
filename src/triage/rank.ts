// Ranks a triage: top causes, principals and buckets with counts, groups, first and last seen; and diagnoses each group once.

import type { LogRecord, Result, TriageGroup, TriageRank, TriageRankings } from '../model/index.js';

/** Diagnoses many records at once (one per group): injected so tests can count evaluations. */
export type DiagnoseMany = (records: LogRecord[]) => Promise<Result[]>;

/** The cause a group is ranked under: the diagnosis's most likely cause code, else the logged error code. */
export function causeOf(g: TriageGroup): string {
  const c = g.diagnosis?.causes[0];
  return c ? c.code : `error:${g.errorCode}`;
}

function tally(m: Map<string, TriageRank>, k: string, g: TriageGroup): void {
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

function topOf(m: Map<string, TriageRank>, top: number): TriageRank[] {
  return [...m.values()]
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, top);
}

/** The rankings of a triage (each list most denials first, at most `top` entries). */
export function rankTriage(groups: Iterable<TriageGroup>, top = 10): TriageRankings {
  // One pass: the groups may be made one at a time.
  const causes = new Map<string, TriageRank>();
  const principals = new Map<string, TriageRank>();
  const buckets = new Map<string, TriageRank>();
  for (const g of groups) {
    tally(causes, causeOf(g), g);
    tally(principals, g.principal, g);
    tally(buckets, g.bucket, g);
  }
  return { causes: topOf(causes, top), principals: topOf(principals, top), buckets: topOf(buckets, top) };
}
