// Runs the grouped denied-requests query in Athena (StartQueryExecution, GetQueryExecution polling, GetQueryResults pages).

import type { AthenaLogType } from './athena-sql.js';

/** Options of {@link runAthenaQuery}. */
export interface AthenaRunOptions {
  sql: string;
  workgroup: string;
  output?: string;
  database?: string;
  region?: string;
  profile?: string;
  /** Poll interval (ms). */
  pollMs?: number;
  /** Extra client options (tests: endpoint, credentials). */
  clientOptions?: Record<string, unknown>;
  type: AthenaLogType;
}

/** One result row by column name. */
export type AthenaRow = Record<string, string>;

/** Thrown when the query fails or is cancelled, with Athena's reason. */
export class AthenaQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/**
 * Starts the query, polls until it ends, and yields the result rows page by page (the first row of
 * the first page is the header, as GetQueryResults returns it for SELECT queries:
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
 */
export async function* runAthenaQuery(
  o: AthenaRunOptions,
): AsyncGenerator<{ columns: string[]; rows: AthenaRow[] }> {
  const sdk = await import('@aws-sdk/client-athena');
  const client = new sdk.AthenaClient({
    ...(o.region ? { region: o.region } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.clientOptions ?? {}),
  });
  try {
    const start = await client.send(
      new sdk.StartQueryExecutionCommand({
        QueryString: o.sql,
        WorkGroup: o.workgroup,
        ...(o.output ? { ResultConfiguration: { OutputLocation: o.output } } : {}),
        ...(o.database ? { QueryExecutionContext: { Database: o.database } } : {}),
      }),
    );
    const id = start.QueryExecutionId;
    if (!id) throw new AthenaQueryError('Athena returned no query execution id');
    for (;;) {
      const q = await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = q.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new AthenaQueryError(
          `Athena query ${id} ${state.toLowerCase()}: ${q.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
        );
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
    let token: string | undefined;
    let columns: string[] | undefined;
    do {
      const page = await client.send(
        new sdk.GetQueryResultsCommand({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}) }),
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
    client.destroy();
  }
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
