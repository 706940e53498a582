// Denial timelines as pictures: common time columns across groups, and unicode-block sparklines for the terminal.

import type { TriageGroup, TriageTimeline } from '../model/index.js';

/** Unicode blocks from low to high (a column with no denials is a space). */
export const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** A time axis shared by every group: `columns` equal spans from `start` to `end` (ms since epoch). */
export interface TimeAxis {
  start: number;
  end: number;
  columns: number;
  /** Milliseconds per column. */
  step: number;
}

const HOUR = 3600_000;

/** Start (ms) of a timeline bucket key (`2026-11-01T13`, `2026-11-01` or `2026-11`). */
export function bucketStart(key: string): number {
  if (key.length === 7) return Date.parse(`${key}-01T00:00:00Z`);
  return Date.parse(key.length === 13 ? `${key}:00:00Z` : `${key}T00:00:00Z`);
}

/** Length (ms) of the bucket that starts at `start` (a month has its own number of days). */
function bucketSpan(t: TriageTimeline, start: number): number {
  if (t.resolution === 'hour') return HOUR;
  if (t.resolution === 'day') return 24 * HOUR;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - start;
}

/** The axis covering every group's timeline, with at most `maxColumns` columns of whole hours (adaptive). */
export function timeAxis(groups: TriageGroup[], maxColumns = 48): TimeAxis | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const g of groups) {
    if (!g.timeline) continue;
    for (const [k] of g.timeline.buckets) {
      const s = bucketStart(k);
      if (Number.isNaN(s)) continue;
      start = Math.min(start, s);
      end = Math.max(end, s + bucketSpan(g.timeline, s));
    }
  }
  if (!Number.isFinite(start)) return undefined;
  const hours = Math.max(1, Math.round((end - start) / HOUR));
  const perColumn = Math.ceil(hours / maxColumns);
  const columns = Math.ceil(hours / perColumn);
  return { start, end: start + columns * perColumn * HOUR, columns, step: perColumn * HOUR };
}

/** Denials per axis column (a day or month bucket spread evenly over the columns it spans). */
export function columnCounts(t: TriageTimeline | undefined, axis: TimeAxis): number[] {
  const out = new Array<number>(axis.columns).fill(0);
  if (!t) return out;
  for (const [k, n] of t.buckets) {
    const s = bucketStart(k);
    if (Number.isNaN(s)) continue;
    const span = bucketSpan(t, s);
    const first = Math.max(0, Math.floor((s - axis.start) / axis.step));
    const last = Math.min(axis.columns - 1, Math.floor((s + span - 1 - axis.start) / axis.step));
    const cols = last - first + 1;
    for (let c = first; c <= last; c++) out[c]! += n / cols;
  }
  return out;
}

/** A sparkline of counts: ` ` for zero, then eight block heights scaled to `max` (default: the largest count). */
export function sparkline(counts: number[], max = Math.max(0, ...counts)): string {
  let s = '';
  for (const n of counts) {
    if (n <= 0 || max <= 0) s += ' ';
    else s += BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, Math.ceil((n / max) * BLOCKS.length) - 1))];
  }
  return s;
}

/** Sum of the groups' column counts (the whole triage over time). */
export function totalColumns(groups: TriageGroup[], axis: TimeAxis): number[] {
  const out = new Array<number>(axis.columns).fill(0);
  for (const g of groups) columnCounts(g.timeline, axis).forEach((n, i) => (out[i]! += n));
  return out;
}

/** `2026-11-01 13:00` for an axis label. */
export function axisLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
