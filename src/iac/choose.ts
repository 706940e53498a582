// Which IaC patches --write (and the assistant) apply: per result, the first fix with a verified, confirmed diff, one per document.

import type { Result } from '../model/report.js';
import type { IacPatch } from '../model/iac.js';

/**
 * For each result, the first fix (in cause order) holding a verified diff matched to one source
 * (confirmed): its first such diff of each document the fix changes (a fix with `additionalPatches`
 * changes several).
 */
export function writableIacPatches(results: Result[]): IacPatch[] {
  const out: IacPatch[] = [];
  for (const r of results) {
    const fix = r.causes
      .flatMap((c) => c.fixes)
      .find((f) => f.iac?.patches.some((x) => x.verified && x.confirmed));
    if (!fix?.iac) continue;
    const seen = new Set<string>();
    for (const p of fix.iac.patches) {
      const doc = p.document ?? '';
      if (!p.verified || !p.confirmed || seen.has(doc)) continue;
      seen.add(doc);
      out.push(p);
    }
  }
  return out;
}
