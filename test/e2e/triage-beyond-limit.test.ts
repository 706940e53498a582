// triage past its group limit (S3DOCTOR_TRIAGE_MAX_GROUPS lowered): a late heavy principal stays listed within the stated bound, in every format; below the limit, exact.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './helpers.js';

function line(i: number, requester: string): string {
  const sec = String(i % 60).padStart(2, '0');
  const min = String(Math.floor(i / 60) % 60).padStart(2, '0');
  return `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports [01/Nov/2026:10:${min}:${sec} +0000] 192.0.2.3 ${requester} REQ${i} REST.GET.OBJECT finance/q3.csv "GET /reports/finance/q3.csv HTTP/1.1" 403 AccessDenied 243 - 12 - "-" "aws-cli/2.17.0" - HOSTID= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

const LATE = 'arn:aws:iam::444455556666:user/late-prober';
const user = (n: number): string => `arn:aws:iam::111122223333:user/u-${n}`;

interface Group {
  count: number;
  countError?: number;
  principal: string;
}

describe('triage past its group limit', () => {
  let file = '';
  const truth = new Map<string, number>();
  beforeAll(() => {
    assertBuilt();
    // 400 principals once each, then the late prober 30 times among 200 more one-off principals.
    const who: string[] = Array.from({ length: 400 }, (_, i) => user(i));
    for (let i = 0; i < 200; i++) who.push(user(400 + i), ...(i % 7 === 0 ? [LATE, LATE] : []));
    for (const p of who) truth.set(p, (truth.get(p) ?? 0) + 1);
    expect(truth.get(LATE)).toBe(58);
    file = join(mkdtempSync(join(tmpdir(), 's3doctor-limit-')), 'access.log');
    writeFileSync(file, who.map((p, i) => line(i, p)).join('\n') + '\n');
  });

  const env = { S3DOCTOR_TRIAGE_MAX_GROUPS: '50' };

  it.each(['1', '2'])(
    'JSON (--workers %s): the late prober first, every bound holds, counts add up',
    async (workers) => {
      const r = await runCli(['triage', file, '--format', 'json', '--workers', workers], {
        env: { ...env, S3DOCTOR_TRIAGE_RANGE_BYTES: '20000', S3DOCTOR_TRIAGE_CHUNK_BYTES: '8000' },
        timeoutMs: 60_000,
      });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as {
        scanned: { denied: number };
        groups: Group[];
        approximate: {
          method: string;
          maxGroups: number;
          evictions: number;
          unlistedMax: number;
          undercountMax: number;
        };
      };
      expect(doc.approximate).toMatchObject({ method: 'space-saving', maxGroups: 50 });
      expect(doc.approximate.evictions).toBeGreaterThan(0);
      expect(doc.groups.length).toBe(50);
      expect(doc.groups.reduce((s, g) => s + g.count, 0)).toBe(doc.scanned.denied);
      expect(doc.groups[0]!.principal).toBe(LATE);
      const listed = new Set<string>();
      for (const g of doc.groups) {
        listed.add(g.principal);
        const t = truth.get(g.principal)!;
        expect(g.count - (g.countError ?? 0)).toBeLessThanOrEqual(t);
        expect(t).toBeLessThanOrEqual(g.count + doc.approximate.undercountMax);
      }
      for (const [p, t] of truth)
        if (!listed.has(p)) expect(t).toBeLessThanOrEqual(doc.approximate.unlistedMax);
    },
  );

  it('text, Markdown and NDJSON state the bound', async () => {
    const [text, md, nd] = await Promise.all(
      ['text', 'markdown', 'ndjson'].map((f) =>
        runCli(['triage', file, '--format', f, '--top', '3', '--workers', '1'], { env, timeoutMs: 60_000 }),
      ),
    );
    expect(text!.stdout).toMatch(/Counts are approximate: more than 50 distinct groups came/);
    expect(text!.stdout).toMatch(/A group not listed had at most \d+ denials/);
    expect(text!.stdout).toMatch(/#1 \d+ +\d+\.\d% \(up to \d+ over\)/);
    expect(md!.stdout).toMatch(/> Counts are approximate/);
    expect(md!.stdout).toMatch(/\| 1 \| \d+ \(up to \d+ over\) \|/);
    const scan = JSON.parse(nd!.stdout.split('\n')[0]!) as { record: string; approximate?: unknown };
    expect(scan.record).toBe('scan');
    expect(scan.approximate).toMatchObject({ method: 'space-saving', maxGroups: 50 });
    const first = JSON.parse(nd!.stdout.split('\n')[1]!) as Group;
    expect(first.principal).toBe(LATE);
    expect(first.countError).toBeGreaterThan(0);
  });

  it('below the limit every count is exact and nothing says approximate', async () => {
    const r = await runCli(['triage', file, '--format', 'json', '--workers', '1'], {
      env: { S3DOCTOR_TRIAGE_MAX_GROUPS: '1000' },
      timeoutMs: 60_000,
    });
    const doc = JSON.parse(r.stdout) as { groups: Group[]; approximate?: unknown };
    expect(doc.approximate).toBeUndefined();
    expect(doc.groups.length).toBe(truth.size);
    for (const g of doc.groups) {
      expect(g.countError).toBeUndefined();
      expect(g.count).toBe(truth.get(g.principal));
    }
    const text = await runCli(['triage', file, '--workers', '1', '--top', '2'], { timeoutMs: 60_000 });
    expect(text.stdout).not.toContain('approximate');
  });
});
