// Hostile Athena names: --table/--database outside Athena/Glue names are refused in one line (exit 2), never pasted into SQL.
import { describe, expect, it } from 'vitest';
import { athenaDdl, athenaQuery } from '../../src/triage/athena-sql.js';
import { UserError } from '../../src/model/user-error.js';
import { assertBuilt, runCli } from '../e2e/helpers.js';

describe('athena --table/--database names', () => {
  it('athenaQuery refuses a table name carrying SQL', () => {
    expect(() =>
      athenaQuery({ type: 'access-log', since: '7d', table: 'logs; DROP TABLE x --', grouped: false }),
    ).toThrow(UserError);
    expect(() => athenaQuery({ type: 'access-log', since: '7d', database: 'a.b', grouped: true })).toThrow(
      /--database must be letters, digits and underscores/,
    );
  });

  it('athenaDdl refuses a quote-breaking name and quotes valid ones', () => {
    expect(() => athenaDdl({ type: 'cloudtrail', location: 's3://logs-bucket/p/', table: 'x`y' })).toThrow(
      /--table must be letters, digits and underscores/,
    );
    const ddl = athenaDdl({
      type: 'cloudtrail',
      location: 's3://logs-bucket/p/',
      table: '_ct',
      database: '2024db',
    });
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `2024db`.`_ct` (');
    const sql = athenaQuery({
      type: 'cloudtrail',
      since: '7d',
      table: '1ct',
      database: 'audit',
      grouped: false,
    });
    expect(sql).toContain('FROM "audit"."1ct"');
  });

  it('athena query --table with SQL exits 2 with one line, no SQL on stdout', async () => {
    assertBuilt();
    const r = await runCli(['athena', 'query', '--table', 'x" UNION SELECT 1 --']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--table must be letters, digits and underscores/);
  });

  it('athena ddl --database with a dot exits 2', async () => {
    assertBuilt();
    const r = await runCli([
      'athena',
      'ddl',
      '--type',
      'cloudtrail',
      '--location',
      's3://logs-bucket/p/',
      '--database',
      'a.b',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--database must be letters, digits and underscores/);
  });
});
