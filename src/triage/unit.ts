// One unit of triage scanning work (a byte range of a plain access log, or whole files of any format), run in any thread.

import type { MalformedRecord } from '../model/index.js';
import { InputError, newStats, scanDenied } from '../logs/index.js';
import { actionOfRecord } from './action.js';
import { Auditor, type AuditState } from './audit.js';
import { GROUP_LIMITS, TriageGrouper, type GroupTableState } from './groups.js';
import { fullRecord, sampleRef } from './light-record.js';
import { scanRange } from './range-scan.js';

/** The malformed entries kept (CONTRACT: the first 100). */
export const MAX_MALFORMED = 100;

/** A piece of scanning work. */
export type ScanUnit =
  { kind: 'range'; file: string; start: number; end: number } | { kind: 'files'; files: string[] };

/** What one unit found (structured-clone friendly). */
export interface UnitResult {
  groups: GroupTableState;
  audit: AuditState;
  /** Whole files read (a range counts its file once, in the range that starts at 0). */
  files: number;
  bytes: number;
  lines: number;
  denied: number;
  malformedCount: number;
  malformed: MalformedRecord[];
  readable: boolean;
  /** Why nothing could be read (an InputError message), when nothing could. */
  problems: string[];
}

/** Runs one unit; `progress` receives byte deltas. */
export async function runUnit(
  unit: ScanUnit,
  progress: (bytes: number) => void,
  stdin?: NodeJS.ReadableStream,
): Promise<UnitResult> {
  // Samples go back as the place of their line (cheap to send); the scan parses the kept ones.
  const grouper = new TriageGrouper((r) => actionOfRecord(fullRecord(r)), GROUP_LIMITS.maxUnitGroups);
  const auditor = new Auditor();
  const malformed: MalformedRecord[] = [];
  const res: UnitResult = {
    groups: { total: 0, groups: [] },
    audit: auditor.state(),
    files: 0,
    bytes: 0,
    lines: 0,
    denied: 0,
    malformedCount: 0,
    malformed,
    readable: false,
    problems: [],
  };
  const bad = (m: MalformedRecord): void => {
    res.malformedCount++;
    if (malformed.length < MAX_MALFORMED) malformed.push(m);
  };
  if (unit.kind === 'range') {
    const r = scanRange(unit.file, unit.start, unit.end, {
      record: (rec) => {
        grouper.add(rec);
        auditor.add(rec);
      },
      malformed: bad,
      progress,
    });
    Object.assign(res, {
      files: unit.start === 0 ? 1 : 0,
      bytes: r.bytes,
      lines: r.lines,
      // Ranges are planned only for files whose first line parses (looksLikeAccessLog), so a file
      // of allowed requests alone was read even though none of its lines needed parsing.
      readable: r.readable || (unit.start === 0 && r.lines > 0),
    });
  } else {
    const stats = newStats();
    let reported = 0;
    try {
      const gen = scanDenied(unit.files, {
        ...(stdin ? { stdin } : {}),
        stats,
        onProgress: (s) => {
          progress(s.bytes - reported);
          reported = s.bytes;
        },
      });
      for await (const item of gen) {
        if (item.kind === 'record') {
          grouper.add(item.record);
          auditor.add(item.record);
        } else bad(item.malformed);
      }
      res.readable = true;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      res.problems.push(e.message);
    }
    progress(stats.bytes - reported);
    Object.assign(res, { files: stats.files, bytes: stats.bytes, lines: stats.lines });
  }
  grouper.mapSamples(sampleRef);
  res.groups = grouper.state();
  res.denied = grouper.total;
  return res;
}
