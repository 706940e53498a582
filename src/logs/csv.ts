// Reads CSV exports: CloudTrail console event history, CloudTrail Lake / Athena results, and Athena results over S3 access logs.

import { csvParseStream } from './csv-lib.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LogRecord, ReadItem } from '../model/input.js';
import { accessLogFieldsToRecord, parseAccessLogTime } from './access-log.js';
import { cloudTrailEventToRecord, isRelevantSource, maybeJson, toIsoTime } from './cloudtrail.js';
import type { CsvKind } from './detect.js';
import { camelizeCloudTrail, cloudTrailKey, normalizeName, parseHiveStruct } from './hive-struct.js';
import { maskAccessKeyId } from './redact.js';

/**
 * Access-log columns of AWS's Athena DDL
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-s3-access-logs-to-identify-requests.html),
 * normalised, with the older community names, mapped to the 0-based access-log field index.
 */
const ACCESS_LOG_COLUMN_INDEX: Readonly<Record<string, number>> = {
  bucketowner: 0,
  bucketname: 1,
  bucket: 1,
  requestdatetime: 2,
  requestedat: 2,
  datetime: 2,
  remoteip: 3,
  sourceip: 3,
  requester: 4,
  requestorid: 4,
  requestid: 5,
  operation: 6,
  key: 7,
  requesturi: 8,
  httpline: 8,
  httpstatus: 9,
  responsecode: 9,
  errorcode: 10,
  s3error: 10,
  bytessent: 11,
  objectsize: 12,
  totaltime: 13,
  turnaroundtime: 14,
  referrer: 15,
  referer: 15,
  useragent: 16,
  versionid: 17,
  hostid: 18,
  sigv: 19,
  signatureversion: 19,
  ciphersuite: 20,
  authtype: 21,
  authenticationtype: 21,
  endpoint: 22,
  hostheader: 22,
  tlsversion: 23,
  accesspointarn: 24,
  aclrequired: 25,
};

/** Console event-history CSV columns, normalised (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-console.html). */
const CONSOLE_RECORD_COLUMNS = ['cloudtrailevent', 'eventrecord', 'record', 'event', 'rawevent'];

const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO time -> access-log `dd/Mon/yyyy:HH:MM:SS +0000`. */
function toAccessLogTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTH_ABBR[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Console times such as `November 24, 2026, 10:02:44 (UTC+01:00)` or ISO. */
function consoleTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const m = /^(.*?),? \(UTC([+-]\d{2}):?(\d{2})\)$/.exec(s.trim());
  if (m) {
    const t = Date.parse(`${m[1]} GMT${m[2]}${m[3]}`);
    if (!Number.isNaN(t)) return new Date(t).toISOString().replace('.000Z', 'Z');
  }
  return toIsoTime(s);
}

/** State for one CSV file. */
export class CsvMapper {
  private header: string[] = [];
  private norm: string[] = [];
  private noticeGiven = false;

  constructor(
    readonly kind: CsvKind,
    readonly source: string,
  ) {}

  /** Sets the header row. */
  setHeader(h: string[]): void {
    this.header = h.map((x) => x.trim());
    this.norm = this.header.map(normalizeName);
  }

  /** Maps one data row (`line` is where it ended) to items; empty for rows of other services. */
  row(cells: string[], line: number): ReadItem[] {
    try {
      if (this.kind === 'access-log-athena-csv') return [this.accessLogRow(cells, line)];
      if (this.kind === 'cloudtrail-athena-csv') return this.cloudTrailRow(cells, line);
      return this.consoleRow(cells, line);
    } catch (e) {
      return [this.bad(line, `could not map CSV row: ${(e as Error).message}`)];
    }
  }

  private bad(line: number, reason: string): ReadItem {
    return { kind: 'malformed', malformed: { source: this.source, line, reason } };
  }

  private accessLogRow(cells: string[], line: number): ReadItem {
    const fields: string[] = [];
    let max = -1;
    let uriParts: { op?: string; key?: string; proto?: string } | undefined;
    this.norm.forEach((name, i) => {
      const raw = cells[i] ?? '';
      if (
        name === 'requesturioperation' ||
        name === 'requesturikey' ||
        name === 'requesturihttpprotoversion'
      ) {
        uriParts ??= {};
        if (name === 'requesturioperation') uriParts.op = raw;
        else if (name === 'requesturikey') uriParts.key = raw;
        else uriParts.proto = raw;
        max = Math.max(max, 8);
        return;
      }
      const idx = ACCESS_LOG_COLUMN_INDEX[name];
      if (idx === undefined) return;
      let val = raw.trim();
      if (idx === 8 || idx === 15 || idx === 16) val = unquote(val);
      if (idx === 2) {
        const bare = val.replace(/^\[|\]$/g, '');
        if (!parseAccessLogTime(bare)) {
          const iso = toIsoTime(bare);
          val = iso ? toAccessLogTime(iso) : bare;
        } else val = bare;
      }
      fields[idx] = val === '' ? '-' : val;
      max = Math.max(max, idx);
    });
    if (uriParts && fields[8] === undefined) {
      fields[8] = [uriParts.op, uriParts.key, uriParts.proto].filter((x) => x && x !== '-').join(' ') || '-';
    }
    const f: string[] = [];
    for (let i = 0; i <= Math.max(max, 17); i++) f.push(fields[i] ?? '-');
    const res = accessLogFieldsToRecord(f, { source: this.source, line }, 'access-log-athena-csv');
    return res.ok ? { kind: 'record', record: res.record } : this.bad(line, res.reason);
  }

  private cloudTrailRow(cells: string[], line: number): ReadItem[] {
    const ev: Record<string, unknown> = {};
    this.header.forEach((h, i) => {
      const raw = cells[i];
      if (raw === undefined || raw === '') return;
      const path = h.split('.').map(cloudTrailKey);
      let val: unknown = raw;
      const t = raw.trim();
      if (t.startsWith('{') || t.startsWith('[')) {
        const j = maybeJson(t);
        val = j !== t ? j : camelizeCloudTrail(parseHiveStruct(t));
      }
      setPath(ev, path, val);
    });
    if (!isRelevantSource(ev)) return [];
    if (!ev.eventName && !ev.eventID) return [this.bad(line, 'CSV row has no eventname or eventid')];
    return [
      {
        kind: 'record',
        record: cloudTrailEventToRecord(ev, { source: this.source, line }, 'cloudtrail-athena-csv'),
      },
    ];
  }

  private consoleRow(cells: string[], line: number): ReadItem[] {
    const items: ReadItem[] = [];
    const get = (name: string): string | undefined => {
      const i = this.norm.indexOf(name);
      const v = i < 0 ? undefined : cells[i]?.trim();
      return v === '' ? undefined : v;
    };
    const recordCol = CONSOLE_RECORD_COLUMNS.find((c) => this.norm.includes(c));
    if (recordCol) {
      const j = maybeJson(get(recordCol));
      if (typeof j === 'object' && j !== null && !Array.isArray(j)) {
        const ev = j as Record<string, unknown>;
        if (!isRelevantSource(ev)) return [];
        return [
          {
            kind: 'record',
            record: cloudTrailEventToRecord(ev, { source: this.source, line }, 'cloudtrail-console-csv'),
          },
        ];
      }
    }
    if (!this.noticeGiven) {
      this.noticeGiven = true;
      items.push(
        this.bad(
          1,
          'console CSV export has no CloudTrail event record column: errorMessage, requestParameters and the caller ARN are unknown ' +
            '(download the event history as JSON, or use `aws cloudtrail lookup-events`, for full records)',
        ),
      );
    }
    const source = get('eventsource');
    if (source && !isRelevantSource({ eventSource: source })) return items;
    const eventId = get('eventid');
    const r: LogRecord = {
      input: eventId ? { source: this.source, line, eventId } : { source: this.source, line },
      format: 'cloudtrail-console-csv',
    };
    const time = consoleTime(get('eventtime'));
    if (time) r.time = time;
    const name = get('eventname');
    if (name) r.apiName = name;
    if (source) r.eventSource = source;
    const region = get('awsregion');
    if (region) r.region = region;
    const code = get('errorcode');
    if (code) r.errorCode = code;
    const ip = get('sourceipaddress');
    if (ip) r.sourceIp = ip;
    const user = get('username');
    const akid = get('awsaccesskey') ?? get('accesskeyid');
    if (user || akid) {
      r.identity = {};
      if (user) r.identity.userName = user;
      if (akid) r.identity.accessKeyIdPrefix = maskAccessKeyId(akid).replace('****', '');
    }
    const rtype = get('resourcetype') ?? '';
    const rname = get('resourcename') ?? '';
    const types = rtype.split(/,\s*/);
    const names = rname.split(/,\s*/);
    types.forEach((t, i) => {
      const n = names[i];
      if (t === 'AWS::S3::Bucket' && n && !r.bucket) r.bucket = n.replace(/^arn:aws[\w-]*:s3:::/, '');
    });
    items.push({ kind: 'record', record: r });
    return items;
  }
}

function setPath(o: Record<string, unknown>, path: string[], val: unknown): void {
  let cur = o;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i] as string;
    const next = cur[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = val;
}

/** csv-parse options shared by the stream and sync readers. */
export const CSV_OPTIONS = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  info: true,
} as const;

/** Streams the rows of a CSV export as read items (header row first, mapped by name). */
export async function* readCsv(
  chunks: AsyncIterable<Buffer>,
  kind: CsvKind,
  source: string,
): AsyncGenerator<ReadItem> {
  const skipped: ReadItem[] = [];
  const parser = (await csvParseStream())({
    ...CSV_OPTIONS,
    on_skip: (err) => {
      skipped.push({
        kind: 'malformed',
        malformed: {
          source,
          ...(typeof err?.lines === 'number' ? { line: err.lines } : {}),
          reason: `bad CSV row: ${err?.message ?? 'unknown error'}`,
        },
      });
      return undefined;
    },
  });
  // pipeline (not .pipe) so a read or gunzip error reaches the parser and ends the loop below.
  let failure: unknown;
  const done = pipeline(Readable.from(chunks), parser).catch((e: unknown) => {
    failure = e;
  });
  const mapper = new CsvMapper(kind, source);
  let first = true;
  try {
    for await (const x of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length > 0) yield skipped.shift() as ReadItem;
      if (first) {
        mapper.setHeader(x.record);
        first = false;
        continue;
      }
      if (x.record.every((c) => c.trim() === '')) continue;
      for (const item of mapper.row(x.record, x.info.lines)) yield item;
    }
  } catch (e) {
    failure ??= e;
  }
  await done;
  while (skipped.length > 0) yield skipped.shift() as ReadItem;
  if (failure) throw failure;
}
