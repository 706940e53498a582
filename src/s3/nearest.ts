// The known name nearest to a mistyped one (edit distance with adjacent swaps), for "did you mean" messages.

/** Optimal string alignment distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/**
 * The candidate closest to `typed`, when it is close enough to be a typo (at most a third of the
 * name differs); undefined otherwise.
 * Inputs are short names (commands, operations, actions), so the quadratic table is cheap; `typed`
 * longer than 200 characters is not compared at all.
 */
export function nearestName(typed: string, candidates: Iterable<string>): string | undefined {
  if (typed.length === 0 || typed.length > 200) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - typed.length) >= bestD) continue;
    const d = distance(typed, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(1, Math.floor(Math.max(typed.length, best.length) / 3)) ? best : undefined;
}
