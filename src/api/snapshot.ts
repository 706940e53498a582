// Loading evidence snapshots for the library API (re-exported by index.ts). Its own module so that the CLI's
// snapshot path loads the snapshot reader alone, not every module index.ts re-exports an error class from.

import type { Evidence } from '../model/index.js';

/** Options of {@link loadSnapshot}. */
export interface LoadSnapshotOptions {
  /** Told each warning (an unknown top-level section, which is ignored); nothing is printed. */
  onWarning?(warning: string): void;
}

/**
 * Loads evidence snapshots (CONTRACT.md's snapshot, schema `schemas/snapshot.schema.json`): one file,
 * several (merged), or a snapshot document already parsed. Throws {@link SnapshotError} listing every problem.
 */
export async function loadSnapshot(
  source: string | string[] | object,
  opts: LoadSnapshotOptions = {},
): Promise<Evidence> {
  const ev = await import('../evidence/index.js');
  if (typeof source === 'string' || Array.isArray(source))
    return ev.loadSnapshots(
      typeof source === 'string' ? [source] : source,
      opts.onWarning ? { onWarning: opts.onWarning } : {},
    );
  const r = ev.parseSnapshot(source, '(snapshot)');
  if (!r.evidence) throw new ev.SnapshotError(r.problems.map((x) => ({ ...x, source: '(snapshot)' })));
  return r.evidence;
}
