// Runs the grouped denied-requests query in Athena (StartQueryExecution, GetQueryExecution polling, GetQueryResults pages).

import { CancelledError, UserError } from '../model/user-error.js';
import { awsCallUserError } from '../evidence/live/errors.js';
import { importOptional } from '../evidence/live/optional-package.js';
import type { AthenaLogType } from './athena-sql.js';

/** Options of {@link runAthenaQuery}. */
export interface AthenaRunOptions {
  sql: string;
  workgroup: string;
  output?: string;
  database?: string;
  region?: string;
  profile?: string;
  /** First poll interval (ms, default 1000); each next wait is 1.5 times longer, up to 10 s. */
  pollMs?: number;
  /** How long the query may run before it is stopped (ms, default 30 minutes). */
  timeoutMs?: number;
  /** Aborting it (Ctrl-C) stops the query in Athena (StopQueryExecution) and ends with {@link CancelledError}. */
  signal?: AbortSignal;
  /** Extra client options (tests: endpoint, credentials). */
  clientOptions?: Record<string, unknown>;
  type: AthenaLogType;
}

/** One result row by column name. */
export type AthenaRow = Record<string, string>;

/** Thrown when the query fails or is cancelled, with Athena's reason. */
export class AthenaQueryError extends UserError {}

/**
 * Starts the query, polls until it ends, and yields the result rows page by page (the first row of
 * the first page is the header, as GetQueryResults returns it for SELECT queries:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
 */
export async function* runAthenaQuery(
  o: AthenaRunOptions,
): AsyncGenerator<{ columns: string[]; rows: AthenaRow[] }> {
  const sdk = await importOptional('@aws-sdk/client-athena', () => import('@aws-sdk/client-athena'));
  const { sharedClientConfig, instrumentClient } = await import('../evidence/live/client-settings.js');
  const client = instrumentClient(
    new sdk.AthenaClient({
      // The AWS CLI's AWS_DEFAULT_REGION, which the SDK for JavaScript does not read.
      ...(o.region || (!process.env.AWS_REGION && process.env.AWS_DEFAULT_REGION)
        ? { region: o.region || process.env.AWS_DEFAULT_REGION }
        : {}),
      ...(o.profile ? { profile: o.profile } : {}),
      // A socket that never answers fails in seconds, not minutes; --endpoint-url and AWS_CA_BUNDLE.
      ...sharedClientConfig('athena', {
        connectionTimeout: 5_000,
        requestTimeout: 15_000,
        throwOnRequestTimeout: true,
      }),
      ...(o.clientOptions ?? {}),
    }),
    'athena',
  );
  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw awsCallUserError(e, 'Athena', o.profile) ?? e;
    }
  };
  let running: string | undefined;
  try {
    const start = await call(() =>
      client.send(
        new sdk.StartQueryExecutionCommand({
          QueryString: o.sql,
          WorkGroup: o.workgroup,
          ...(o.output ? { ResultConfiguration: { OutputLocation: o.output } } : {}),
          ...(o.database ? { QueryExecutionContext: { Database: o.database } } : {}),
        }),
      ),
    );
    const id = start.QueryExecutionId;
    if (!id) throw new AthenaQueryError('Athena returned no query execution id');
    running = id;
    const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
    let wait = o.pollMs ?? 1000;
    for (;;) {
      if (o.signal?.aborted) throw new CancelledError(`Cancelled: Athena query ${id} was stopped.`);
      if (Date.now() > deadline)
        throw new AthenaQueryError(
          `Athena query ${id} did not finish within ${Math.round((o.timeoutMs ?? 30 * 60_000) / 1000)} s and was stopped; narrow it (--since, --bucket) or raise --timeout.`,
        );
      const q = await call(() => client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id })));
      const state = q.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        running = undefined;
        throw new AthenaQueryError(
          `Athena query ${id} ${state.toLowerCase()}: ${q.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
        );
      }
      await sleep(Math.min(wait, Math.max(0, deadline - Date.now())), o.signal);
      wait = Math.min(10_000, Math.ceil(wait * 1.5));
    }
    running = undefined;
    let token: string | undefined;
    let columns: string[] | undefined;
    do {
      const page = await call(() =>
        client.send(
          new sdk.GetQueryResultsCommand({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}) }),
        ),
      );
      let rows = page.ResultSet?.Rows ?? [];
      if (!columns) {
        columns =
          page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ??
          rows[0]?.Data?.map((d) => d.VarCharValue ?? '') ??
          [];
        rows = rows.slice(1);
      }
      const cols = columns;
      yield {
        columns: cols,
        rows: rows.map((r) => {
          const o: AthenaRow = {};
          r.Data?.forEach((d, i) => {
            const c = cols[i];
            if (c !== undefined && d.VarCharValue !== undefined) o[c] = d.VarCharValue;
          });
          return o;
        }),
      };
      token = page.NextToken;
    } while (token);
  } finally {
    // A query we started and did not see end (Ctrl-C, timeout, a failed poll) is stopped, so it costs nothing more.
    if (running)
      await client
        .send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: running }))
        .catch(() => undefined);
    client.destroy();
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function csvCell(v: string | undefined): string {
  if (v === undefined) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows as CSV text (header first), the form the log readers read as an Athena result. */
export function rowsToCsv(columns: string[], rows: AthenaRow[], header: boolean): string {
  const lines = rows.map((r) => columns.map((c) => csvCell(r[c])).join(','));
  if (header) lines.unshift(columns.map((c) => csvCell(c)).join(','));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
