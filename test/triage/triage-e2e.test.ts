// End-to-end tests of the built CLI: triage on generated logs (workers, text, json, html in headless Chromium), athena, alerts.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TriageReport } from '../../src/model/index.js';
import { startFakeAthena } from '../helpers/fake-athena.mjs';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/src/cli/main.js');
const env = {
  ...process.env,
  NO_COLOR: '1',
  CI: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function s3doctor(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, [cli, ...args], {
      env: { ...env, ...extraEnv },
      maxBuffer: 1 << 26,
    });
    return { ...r, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { stdout: x.stdout, stderr: x.stderr, code: x.code };
  }
}

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
function line(
  i: number,
  o: { status: number; code?: string; requester?: string; bucket?: string; key?: string; ip?: string },
): string {
  const t = new Date(Date.UTC(2026, 10, 1) + i * 7000);
  const mon = 'Nov';
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const time = `${p2(t.getUTCDate())}/${mon}/2026:${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())} +0000`;
  const bucket = o.bucket ?? 'reports';
  const key = o.key ?? `finance/${i}.csv`;
  const code = o.status === 200 ? '-' : (o.code ?? 'AccessDenied');
  return `${OWNER} ${bucket} [${time}] ${o.ip ?? '192.0.2.3'} ${o.requester ?? 'arn:aws:iam::111122223333:user/alice'} REQ${i} REST.GET.OBJECT ${key} "GET /${key} HTTP/1.1" ${o.status} ${code} 243 - 12 - "-" "aws-cli/2.17.0" - HOSTID${i}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader ${bucket}.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

let dir: string;
let log: string;
let deniedExpected = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's3d-triage-e2e-'));
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    let l: string;
    if (i % 10 === 0) l = line(i, { status: 403 });
    else if (i >= 3000 && i < 3040)
      l = line(i, { status: 403, requester: '-', ip: '203.0.113.66', key: `secret/${i}` });
    else if (i >= 4000 && i < 4030)
      l = line(i, {
        status: 403,
        code: i % 2 ? 'InvalidAccessKeyId' : 'SignatureDoesNotMatch',
        ip: '198.51.100.200',
      });
    else if (i >= 5000 && i < 5006)
      l = line(i, {
        status: 403,
        requester: 'arn:aws:iam::444455556666:user/mallory',
        bucket: `bucket-${i}`,
      });
    else l = line(i, { status: 200 });
    if (l.includes(' 403 ')) deniedExpected++;
    lines.push(l);
  }
  log = join(dir, 'access.log');
  writeFileSync(log, lines.join('\n') + '\n');
});

describe('s3doctor triage (built CLI)', () => {
  it('JSON: counts add up to scanned.denied, the same on one thread, two (reader and parser), three (byte ranges) and auto with a reader joining mid-file', async () => {
    const one = await s3doctor(['triage', log, '--format', 'json', '--workers', '1']);
    const two = await s3doctor(['triage', log, '--format', 'json', '--workers', '2']);
    const three = await s3doctor(['triage', log, '--format', 'json', '--workers', '3'], {
      S3DOCTOR_TRIAGE_RANGE_BYTES: '100000',
      S3DOCTOR_TRIAGE_CHUNK_BYTES: '16384',
    });
    // auto starts on one thread; told to add the reader at the 5th 16 KiB chunk, it hands over mid-file.
    const auto = await s3doctor(['triage', log, '--format', 'json', '--workers', 'auto'], {
      S3DOCTOR_TRIAGE_SECOND_THREAD: 'always:5',
      S3DOCTOR_TRIAGE_CHUNK_BYTES: '16384',
    });
    expect([one.code, two.code, three.code, auto.code]).toEqual([0, 0, 0, 0]);
    expect(auto.stdout).toBe(one.stdout);
    expect(one.stderr).toBe('');
    const a = JSON.parse(one.stdout) as TriageReport;
    const b = JSON.parse(two.stdout) as TriageReport;
    expect(JSON.parse(three.stdout)).toEqual(a);
    expect(a.scanned).toMatchObject({ files: 1, lines: 6000, denied: deniedExpected, malformed: 0 });
    expect(a.groups.reduce((s, g) => s + g.count, 0)).toBe(a.scanned.denied);
    expect(b).toEqual(a);
    expect(a.groups[0]).toMatchObject({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      bucket: 'reports',
      keyPrefix: 'finance/',
      errorCode: 'AccessDenied',
      count: 600,
    });
    expect(a.groups[0]!.sample).toEqual({ source: log, line: 1 });
    expect(a.findings?.map((f) => f.kind).sort()).toEqual([
      'anonymous-key-enumeration',
      'credential-failure-burst',
      'principal-many-buckets',
    ]);
    const en = a.findings!.find((f) => f.kind === 'anonymous-key-enumeration')!;
    // Line 3001 (i = 3000) is one of alice's; the anonymous run starts on line 3002.
    expect(en.samples[0]!.input).toEqual({ source: log, line: 3002 });
    expect(a.rankings?.principals[0]?.name).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('an access log of allowed requests only: read, nothing denied, exit 0 (not "nothing could be read")', async () => {
    const f = join(dir, 'allowed.log');
    writeFileSync(f, [0, 1, 2].map((i) => line(i, { status: 200 })).join('\n') + '\n');
    const r = await s3doctor(['triage', f, '--format', 'json', '--no-interactive']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TriageReport;
    expect(j.scanned).toMatchObject({ files: 1, lines: 3, denied: 0, malformed: 0 });
    expect(j.groups).toEqual([]);
  });

  it('text: ranked groups, a sparkline timeline, rankings and security findings with their evidence rows', async () => {
    const r = await s3doctor(['triage', log, '--workers', '1', '--top', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Timeline 2026-11-01 00:00 \.\. /);
    expect(r.stdout).toMatch(/ {2}#1 +\|[▁▂▃▄▅▆▇█ ]+\| 600/);
    expect(r.stdout).toContain('Top principals');
    expect(r.stdout).toContain('[high] anonymous-key-enumeration');
    expect(r.stdout).toContain(`${log}:3002`);
  });

  it('CloudTrail .gz folder: the same report on one worker and on two', async () => {
    const gen = (await import(pathToFileURL(join(root, 'bench/lib/generate.mjs')).href)) as {
      ensureCloudTrail(dir: string, files: number, eventsPerFile: number): string;
    };
    const ct = gen.ensureCloudTrail(dir, 6, 200);
    const one = JSON.parse(
      (await s3doctor(['triage', ct, '--format', 'json', '--workers', '1'])).stdout,
    ) as TriageReport;
    const two = JSON.parse(
      (await s3doctor(['triage', ct, '--format', 'json', '--workers', '2'])).stdout,
    ) as TriageReport;
    expect(one.scanned.files).toBe(readdirSync(ct).length);
    expect(one.scanned.denied).toBeGreaterThan(0);
    expect(one.groups.reduce((s, g) => s + g.count, 0)).toBe(one.scanned.denied);
    expect(two).toEqual(one);
  });

  it('reads an Athena result CSV of access logs (the athena query columns) directly', async () => {
    const header =
      'bucketowner,bucket_name,requestdatetime,remoteip,requester,requestid,operation,key,request_uri,httpstatus,errorcode,bytessent,objectsize,totaltime,turnaroundtime,referrer,useragent,versionid';
    const row = (i: number): string =>
      `${OWNER},reports,01/Nov/2026:10:00:0${i} +0000,192.0.2.3,arn:aws:iam::111122223333:user/alice,R${i},REST.GET.OBJECT,finance/${i}.csv,"GET /reports/finance/${i}.csv HTTP/1.1",403,AccessDenied,243,,12,,"-","aws-cli/2.17.0",`;
    const csv = join(dir, 'athena-result.csv');
    writeFileSync(csv, [header, row(1), row(2), row(3)].join('\n') + '\n');
    const r = await s3doctor(['triage', csv, '--format', 'json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as TriageReport;
    expect(t.scanned.denied).toBe(3);
    expect(t.groups).toEqual([
      expect.objectContaining({
        count: 3,
        action: 's3:GetObject',
        bucket: 'reports',
        keyPrefix: 'finance/',
        sample: { source: csv, line: 2 },
      }),
    ]);
  });
});

/** What the page reports about its charts (evaluated inside Chromium). */
interface Probe {
  bars: number;
  barSum: number;
  tallBars: number;
  nonEmptyBars: number;
  timelineWidth: number;
  causes: [string, number, boolean][];
  denied: number;
  groups: number;
  findings: number;
}

const PROBE = `(() => {
        const bars = [...document.querySelectorAll('#timeline rect.bar')];
        const causes = [...document.querySelectorAll('#causes rect.cause')];
        const box = (e) => {
          const b = e.getBoundingClientRect();
          return { w: b.width, h: b.height };
        };
        return {
          bars: bars.length,
          barSum: bars.reduce((s, b) => s + Number(b.getAttribute('data-count')), 0),
          tallBars: bars.filter((b) => box(b).h > 0).length,
          nonEmptyBars: bars.filter((b) => Number(b.getAttribute('data-count')) > 0).length,
          timelineWidth: box(document.querySelector('#timeline')).w,
          causes: causes.map((c) => [
            c.getAttribute('data-name'),
            Number(c.getAttribute('data-count')),
            box(c).w > 0,
          ]),
          denied: Number(document.querySelector('#summary').getAttribute('data-denied')),
          groups: document.querySelectorAll('#groups tr.group').length,
          findings: document.querySelectorAll('#findings li.finding').length,
        };
})()`;

describe('triage --format html in headless Chromium', () => {
  it('is one self-contained file whose charts render (bars with height, data adding up), with no network request', async () => {
    const out = join(dir, 'report.html');
    const r = await s3doctor(['triage', log, '--format', 'html', '--workers', '1', '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/i);
    const { default: chromium } = await import('@sparticuz/chromium');
    const puppeteer = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(`file://${out}`, { waitUntil: 'load' });
      const got = (await page.evaluate(PROBE)) as Probe;
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(got.denied).toBe(deniedExpected);
      expect(got.bars).toBeGreaterThan(10);
      expect(got.barSum).toBe(deniedExpected);
      expect(got.tallBars).toBe(got.nonEmptyBars);
      expect(got.timelineWidth).toBeGreaterThan(300);
      expect(got.causes.reduce((s, c) => s + c[1], 0)).toBe(deniedExpected);
      expect(got.causes.every((c) => c[2])).toBe(true);
      expect(got.groups).toBeGreaterThan(3);
      expect(got.findings).toBe(3);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('triage --snapshot diagnoses each group once, as diagnose does (examples/)', () => {
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, 'examples', e.name))
    .filter((d) => ['input.log', 'snapshot.json', 'expected.json'].every((f) => readdirSync(d).includes(f)));
  it.each(examples)('%s', async (d) => {
    const expected = JSON.parse(readFileSync(join(d, 'expected.json'), 'utf8')) as {
      results: { input: { line?: number }; causes: { code: string }[] }[];
    };
    const r = await s3doctor([
      'triage',
      join(d, 'input.log'),
      '--snapshot',
      join(d, 'snapshot.json'),
      '--format',
      'json',
    ]);
    expect(r.code).toBeLessThan(2);
    const t = JSON.parse(r.stdout) as TriageReport;
    expect(t.groups.reduce((s, g) => s + g.count, 0)).toBe(t.scanned.denied);
    for (const g of t.groups) {
      const want = expected.results.find((x) => x.input.line === g.sample.line);
      expect(g.diagnosis?.causes[0]?.code).toBe(want?.causes[0]?.code);
    }
  });
});

describe('athena and alerts commands', () => {
  let fake: Awaited<ReturnType<typeof startFakeAthena>>;
  beforeAll(async () => {
    const header = [
      'bucketowner',
      'bucket_name',
      'requestdatetime',
      'remoteip',
      'requester',
      'requestid',
      'operation',
      'key',
      'request_uri',
      'httpstatus',
      'errorcode',
      'useragent',
      'denials',
      'first_seen',
      'last_seen',
    ];
    const row = (req: string, key: string, code: string, n: string): (string | null)[] => [
      OWNER,
      'reports',
      '01/Nov/2026:10:00:00 +0000',
      '192.0.2.3',
      req,
      'R1',
      'REST.GET.OBJECT',
      key,
      `GET /reports/${key} HTTP/1.1`,
      '403',
      code,
      'aws-cli/2.17.0',
      n,
      '2026-11-01T10:00:00.000Z',
      '2026-11-03T08:00:00.000Z',
    ];
    fake = await startFakeAthena({
      rows: [
        header,
        row('arn:aws:iam::111122223333:user/alice', 'finance/a.csv', 'AccessDenied', '1200'),
        row('arn:aws:iam::111122223333:role/etl', 'raw/x', 'AccessDenied', '35'),
        row('arn:aws:iam::111122223333:user/bob', 'hr/y', 'SignatureDoesNotMatch', '7'),
      ],
      pageSize: 2,
      runningPolls: 2,
    });
  });
  afterAll(async () => fake.close());

  it('athena run --live starts the grouped query, polls, reads every result page, and triages with the row counts', async () => {
    const r = await s3doctor(
      [
        'athena',
        'run',
        '--live',
        '--workgroup',
        'primary',
        '--output',
        's3://results/q/',
        '--since',
        '7d',
        '--bucket',
        'reports',
        '--format',
        'json',
      ],
      {
        AWS_ENDPOINT_URL: fake.url,
        AWS_ACCESS_KEY_ID: 'AKIDFAKE',
        AWS_SECRET_ACCESS_KEY: 'fake',
        AWS_REGION: 'us-east-1',
        S3DOCTOR_ATHENA_POLL_MS: '10',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as TriageReport;
    expect(t.scanned.denied).toBe(1242);
    expect(t.groups.map((g) => [g.count, g.principal, g.keyPrefix, g.errorCode])).toEqual([
      [1200, 'arn:aws:iam::111122223333:user/alice', 'finance/', 'AccessDenied'],
      [35, 'arn:aws:iam::111122223333:role/etl', 'raw/', 'AccessDenied'],
      [7, 'arn:aws:iam::111122223333:user/bob', 'hr/', 'SignatureDoesNotMatch'],
    ]);
    expect(t.groups[0]).toMatchObject({
      firstSeen: '2026-11-01T10:00:00.000Z',
      lastSeen: '2026-11-03T08:00:00.000Z',
    });
    const targets = fake.calls.map((c) => c.target);
    expect(targets.filter((x) => x === 'GetQueryExecution').length).toBe(3);
    expect(targets.filter((x) => x === 'GetQueryResults').length).toBe(2);
    const start = fake.calls.find((c) => c.target === 'StartQueryExecution')!.input;
    expect(start).toMatchObject({
      WorkGroup: 'primary',
      ResultConfiguration: { OutputLocation: 's3://results/q/' },
    });
    expect(String(start.QueryString)).toContain("AND bucket_name IN ('reports')");
  });

  it('athena run without --live refuses (exit 2) and makes no call', async () => {
    const before = fake.calls.length;
    const r = await s3doctor(['athena', 'run', '--workgroup', 'primary'], { AWS_ENDPOINT_URL: fake.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--live');
    expect(fake.calls.length).toBe(before);
  });

  it('athena ddl / query and alerts print their text', async () => {
    const ddl = await s3doctor([
      'athena',
      'ddl',
      '--type',
      'cloudtrail',
      '--location',
      's3://trail/AWSLogs/1/CloudTrail/us-east-1/',
    ]);
    expect(ddl.code).toBe(0);
    expect(ddl.stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `cloudtrail_logs`');
    const q = await s3doctor(['athena', 'query', '--since', '7d', '--bucket', 'reports', '--grouped']);
    expect(q.stdout).toContain('count(*) AS denials');
    const a = await s3doctor(['alerts', '--bucket', 'reports', '--log-group', 'CloudTrail/Main']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain("aws logs put-metric-filter \\\n  --log-group-name 'CloudTrail/Main'");
    expect(a.stdout).toContain('($.requestParameters.bucketName = "reports")');
    expect(a.stdout).toContain('AWS::CloudWatch::Alarm');
  });
});
