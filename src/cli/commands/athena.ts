// `s3doctor athena ddl|query|run`: Athena table DDL, the denied-requests SQL, and running it (--live) into a triage.

import type { ExitCode } from '../program.js';
import type { MalformedRecord } from '../../model/index.js';
import type { TriageRunOptions } from './triage.js';
import { UsageError } from '../errors.js';

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `athena ddl`. */
export async function runAthenaDdl(opts: Record<string, unknown>): Promise<ExitCode> {
  const { athenaDdl } = await import('../../triage/athena-sql.js');
  process.stdout.write(
    athenaDdl({
      type: opts.type === 'cloudtrail' ? 'cloudtrail' : 'access-log',
      location: String(opts.location),
      ...(text(opts.table) ? { table: text(opts.table)! } : {}),
      ...(text(opts.database) ? { database: text(opts.database)! } : {}),
      ...(text(opts.since) ? { since: text(opts.since)! } : {}),
    }),
  );
  return 0;
}

async function querySql(opts: Record<string, unknown>, grouped: boolean): Promise<string> {
  const { athenaQuery } = await import('../../triage/athena-sql.js');
  return athenaQuery({
    type: opts.type === 'cloudtrail' ? 'cloudtrail' : 'access-log',
    since: text(opts.since) ?? '7d',
    ...(Array.isArray(opts.bucket) ? { buckets: opts.bucket as string[] } : {}),
    ...(text(opts.table) ? { table: text(opts.table)! } : {}),
    ...(text(opts.database) ? { database: text(opts.database)! } : {}),
    grouped,
    ...(typeof opts.limit === 'number' ? { limit: opts.limit } : {}),
  });
}

/** `athena query`. */
export async function runAthenaQuery(opts: Record<string, unknown>): Promise<ExitCode> {
  process.stdout.write(await querySql(opts, opts.grouped === true));
  return 0;
}

/**
 * `athena run --live`: runs the grouped query, turns the result pages into Athena CSV for the log
 * readers, and triages the rows weighted by their `denials` count (so group counts are the real ones).
 */
export async function runAthenaRun(opts: Record<string, unknown>): Promise<ExitCode> {
  if (opts.live !== true) {
    throw new UsageError(
      'athena run calls AWS: add --live (or print the SQL with s3doctor athena query --grouped).',
    );
  }
  const { runAthenaQuery: run, rowsToCsv } = await import('../../triage/athena-run.js');
  const { readInputs } = await import('../../logs/index.js');
  const { TriageGrouper, Auditor } = await import('../../triage/index.js');
  const { actionOfRecord } = await import('../../triage/action.js');
  const { triageScan } = await import('./triage.js');
  const { Readable } = await import('node:stream');
  const sql = await querySql(opts, true);
  // Each result row stands for a group: its weight and span, found again by the sample's request or
  // event id (robust to multi-line cells), else by its CSV line.
  const weights = new Map<string, number>();
  const spans = new Map<string, { firstSeen?: string; lastSeen?: string }>();
  const ambiguous = new Set<string>();
  let rowsRead = 0;
  let header = true;
  const database = text(opts.database);
  // Ctrl-C stops the query in Athena before s3doctor exits (130).
  const cancel = new AbortController();
  const { onInterruptCleanUp } = await import('../tty.js');
  const stopOnInterrupt = onInterruptCleanUp(() => cancel.abort());
  // The log reader turns a failing stream into "nothing could be read"; the Athena failure is what the user needs.
  let failure: unknown;
  async function* csv(): AsyncGenerator<string> {
    try {
      yield* pages();
    } catch (e) {
      failure = e;
      throw e;
    }
  }
  async function* pages(): AsyncGenerator<string> {
    for await (const page of run({
      sql,
      workgroup: String(opts.workgroup),
      type: opts.type === 'cloudtrail' ? 'cloudtrail' : 'access-log',
      ...(text(opts.output) ? { output: text(opts.output)! } : {}),
      ...(database ? { database } : {}),
      ...(text(opts.region) ? { region: text(opts.region)! } : {}),
      ...(text(opts.profile) ? { profile: text(opts.profile)! } : {}),
      ...(process.env.S3DOCTOR_ATHENA_POLL_MS ? { pollMs: Number(process.env.S3DOCTOR_ATHENA_POLL_MS) } : {}),
      ...(typeof opts.timeout === 'number' ? { timeoutMs: opts.timeout * 1000 } : {}),
      signal: cancel.signal,
    })) {
      for (const r of page.rows) {
        rowsRead++;
        // CSV line numbers: the header is line 1, so row n is line n + 1.
        const weight = Math.max(1, Number(r.denials ?? '1') || 1);
        const s: { firstSeen?: string; lastSeen?: string } = {};
        if (r.first_seen) s.firstSeen = new Date(r.first_seen).toISOString();
        if (r.last_seen) s.lastSeen = new Date(r.last_seen).toISOString();
        const byLine = `line:${rowsRead + 1}`;
        weights.set(byLine, weight);
        spans.set(byLine, s);
        const id = r.requestid ?? r.eventid;
        if (id !== undefined) {
          // An id two rows share cannot tell them apart: those rows are matched by line.
          if (weights.has(id) || ambiguous.has(id)) {
            ambiguous.add(id);
            weights.delete(id);
          } else {
            weights.set(id, weight);
            spans.set(id, s);
          }
        }
      }
      yield rowsToCsv(page.columns, page.rows, header);
      header = false;
    }
  }
  const grouper = new TriageGrouper(actionOfRecord);
  const auditor = new Auditor();
  const malformed: MalformedRecord[] = [];
  const stats = { files: 1, bytes: 0, lines: 0, denied: 0, malformed: 0 };
  const stream = Readable.from(csv());
  try {
    for await (const item of readInputs(['-'], { stdin: stream, deniedOnly: true, stats })) {
      if (item.kind === 'record') {
        const rec = item.record;
        const id = [rec.requestId, rec.input.eventId, `line:${rec.input.line ?? 0}`].find(
          (k) => k !== undefined && weights.has(k),
        );
        grouper.add(rec, id ? (weights.get(id) ?? 1) : 1, id ? spans.get(id) : undefined);
        auditor.add(item.record);
      } else if (malformed.length < 100) malformed.push(item.malformed);
    }
  } catch (e) {
    throw failure ?? e;
  } finally {
    stopOnInterrupt();
  }
  if (failure) throw failure;
  stats.lines = rowsRead;
  const { format, out, force, snapshot, interactive } = opts as TriageRunOptions;
  return triageScan(
    { grouper, auditor, stats, malformed, workers: 0 },
    {
      ...(format ? { format } : {}),
      ...(out ? { out } : {}),
      ...(force ? { force } : {}),
      ...(snapshot ? { snapshot } : {}),
      ...(interactive !== undefined ? { interactive } : {}),
    },
  );
}
