// A fake Amazon Athena endpoint (AWS JSON 1.1) on 127.0.0.1: StartQueryExecution, GetQueryExecution, GetQueryResults (paged).
import { createServer } from 'node:http';

/**
 * Starts the server. `rows` are the result rows (arrays of strings, header first); `pageSize` rows per
 * GetQueryResults page; the query reports RUNNING for `runningPolls` polls, then `finalState`.
 */
export async function startFakeAthena({
  rows,
  pageSize = 2,
  runningPolls = 1,
  finalState = 'SUCCEEDED',
  reason,
} = {}) {
  const calls = [];
  let polls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop();
      const input = body ? JSON.parse(body) : {};
      calls.push({ target, input });
      const send = (obj) => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(obj));
      };
      if (target === 'StartQueryExecution') return send({ QueryExecutionId: 'q-1' });
      if (target === 'GetQueryExecution') {
        polls++;
        const state = polls <= runningPolls ? 'RUNNING' : finalState;
        return send({
          QueryExecution: {
            QueryExecutionId: 'q-1',
            Status: { State: state, ...(reason ? { StateChangeReason: reason } : {}) },
          },
        });
      }
      if (target === 'GetQueryResults') {
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const page = rows.slice(start, start + pageSize);
        const next = start + pageSize < rows.length ? String(start + pageSize) : undefined;
        return send({
          ResultSet: {
            Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
            ResultSetMetadata: { ColumnInfo: rows[0].map((n) => ({ Name: n, Type: 'varchar' })) },
          },
          ...(next ? { NextToken: next } : {}),
        });
      }
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidRequestException', message: `unknown target ${target}` }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(r)) };
}
