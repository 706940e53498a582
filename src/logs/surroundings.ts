// Reads the text around pasted AWS errors: the `aws s3` command line, a CI upload step's line, an S3A path and
// operation, the SDK call a stack frame names, and `aws sts get-caller-identity` output naming the caller.

import type { LogRecord } from '../model/input.js';

/*
 * Sources of each format (one fixture per tool under test/e2e/fixtures/pasted/, cited again in its README):
 * - aws s3 cp/mv/sync/rm/ls options: https://docs.aws.amazon.com/cli/latest/reference/s3/cp.html (and sync, rm, ls);
 *   output `upload failed: SRC to s3://b/k An error occurred (...)`: github.com/aws/aws-cli/issues/813;
 *   `fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden` after
 *   `aws s3 cp s3://b/k ./`: github.com/aws-samples/aws-saas-factory-serverless-workshop/issues/29.
 * - aws s3api put-object options: https://docs.aws.amazon.com/cli/latest/reference/s3api/put-object.html
 * - get-caller-identity: https://docs.aws.amazon.com/cli/latest/reference/sts/get-caller-identity.html
 *   (`UserId`, `Account`, `Arn`; UserId is the aws:userid value).
 * - Jenkins Pipeline AWS Steps `s3Upload`: prints `Uploading <file URI> to s3://<bucket>/<path>` before the
 *   upload (github.com/jenkinsci/pipeline-aws-plugin, S3UploadStep); the failure is an SDK for Java v1
 *   AmazonS3Exception (github.com/jenkinsci/pipeline-aws-plugin/issues/183).
 * - Hadoop S3A: `java.nio.file.AccessDeniedException: <path>: <operation> on <path>: <SDK exception>`
 *   (hadoop-aws troubleshooting_s3a.md; github.com/sparklyr/sparklyr/issues/3254 as Databricks prints it).
 *
 * Every pattern here is anchored on a literal and bounded: the text is attacker-controlled.
 */

/** Longest line the readers look at (longer lines are read up to here). */
const MAX_LINE = 8192;
/** How far (in lines) a command line, upload line or identity may sit before the error it explains. */
const MAX_DISTANCE = 500;

/** An S3 location as a command line names it. */
interface S3Loc {
  bucket: string;
  key: string;
}

/** One `aws s3 ...` / `aws s3api ...` command line. */
interface Command {
  /** 0-based line index in the text. */
  idx: number;
  /** `cp`, `mv`, `sync`, `rm`, `ls`, or the s3api operation (`put-object`). */
  sub: string;
  api: boolean;
  src?: S3Loc;
  dst?: S3Loc;
  /** The local source path of an upload. */
  localSrc?: string;
  flags: Map<string, string[]>;
  profile?: string;
  region?: string;
  unsigned: boolean;
}

/** `aws sts get-caller-identity` output. */
interface Identity {
  idx: number;
  arn: string;
  userId?: string;
  account?: string;
  profile?: string;
}

/** A CI step's own `Uploading X to s3://b/k` line. */
interface UploadLine {
  idx: number;
  local: string;
  loc: S3Loc;
}

/** Splits a command line into words as a POSIX shell would (quotes, backslashes); linear. */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else if (c === ';' || c === '|' || c === '&') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      out.push(c);
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** `s3://bucket/key` (also `s3a://`, `s3n://`) as bucket and key (`''` for none). */
function s3Loc(u: string): S3Loc | undefined {
  const m = /^s3[an]?:\/\/([^/\s]{1,255})(?:\/(\S*))?$/.exec(u);
  return m ? { bucket: m[1] as string, key: m[2] ?? '' } : undefined;
}

/** Global options of the AWS CLI that take a value. */
const GLOBAL_VALUE = new Set([
  '--region',
  '--profile',
  '--endpoint-url',
  '--output',
  '--query',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--color',
  '--cli-binary-format',
]);

/** `aws s3` options that take one value (https://docs.aws.amazon.com/cli/latest/reference/s3/cp.html). */
const S3_VALUE = new Set([
  ...GLOBAL_VALUE,
  '--acl',
  '--sse-kms-key-id',
  '--sse-c-key',
  '--sse-c-copy-source-key',
  '--storage-class',
  '--website-redirect',
  '--content-type',
  '--cache-control',
  '--content-disposition',
  '--content-encoding',
  '--content-language',
  '--expires',
  '--source-region',
  '--page-size',
  '--include',
  '--exclude',
  '--metadata',
  '--metadata-directive',
  '--expected-size',
  '--checksum-mode',
  '--checksum-algorithm',
  '--copy-props',
  // s3api put-object / get-object / head-object / delete-object / list-objects-v2
  '--bucket',
  '--key',
  '--body',
  '--server-side-encryption',
  '--ssekms-key-id',
  '--tagging',
  '--grant-read',
  '--grant-read-acp',
  '--grant-write-acp',
  '--grant-full-control',
  '--version-id',
  '--prefix',
  '--delimiter',
  '--max-keys',
  '--copy-source',
  '--expected-bucket-owner',
  '--object-lock-mode',
  '--object-lock-retain-until-date',
  '--object-lock-legal-hold-status',
]);

/** Options whose value is optional: taken only when the next word is one of these. */
const OPTIONAL_VALUE: Record<string, RegExp> = {
  '--sse': /^(?:AES256|aws:kms|aws:kms:dsse)$/,
  '--sse-c': /^AES256$/,
  '--sse-c-copy-source': /^AES256$/,
  '--request-payer': /^requester$/,
};

const S3_SUBS = new Set(['cp', 'mv', 'sync', 'rm', 'ls']);
const S3API_SUBS = new Set([
  'put-object',
  'get-object',
  'head-object',
  'delete-object',
  'list-objects-v2',
  'list-objects',
  'copy-object',
  'create-multipart-upload',
]);

/** Parses one line as an `aws s3 ...` or `aws s3api ...` command; undefined when it is not one. */
export function parseAwsCommand(line: string, idx = 0): Command | undefined {
  if (!line.includes('aws') || !line.includes('s3')) return undefined;
  const words = shellWords(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
  let i = words.findIndex((w) => w === 'aws' || w.endsWith('/aws') || w === 'aws.exe');
  if (i < 0) return undefined;
  const flags = new Map<string, string[]>();
  const addFlag = (name: string, value?: string) => {
    const list = flags.get(name) ?? [];
    if (value !== undefined) list.push(value);
    flags.set(name, list);
  };
  // Global options before the service.
  for (i++; i < words.length && (words[i] as string).startsWith('--'); i++) {
    const w = words[i] as string;
    const eq = w.indexOf('=');
    if (eq > 0) addFlag(w.slice(0, eq), w.slice(eq + 1));
    else if (GLOBAL_VALUE.has(w)) addFlag(w, words[++i]);
    else addFlag(w);
  }
  const service = words[i];
  const sub = words[i + 1];
  if ((service !== 's3' && service !== 's3api') || sub === undefined) return undefined;
  const api = service === 's3api';
  if (api ? !S3API_SUBS.has(sub) : !S3_SUBS.has(sub)) return undefined;
  const positional: string[] = [];
  for (i += 2; i < words.length; i++) {
    const w = words[i] as string;
    if (w === ';' || w === '|' || w === '&' || w === '&&' || w === '||') break;
    if (!w.startsWith('--')) {
      positional.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    if (eq > 0) {
      addFlag(w.slice(0, eq), w.slice(eq + 1));
      continue;
    }
    const optional = OPTIONAL_VALUE[w];
    if (optional) {
      const next = words[i + 1];
      if (next !== undefined && optional.test(next)) addFlag(w, words[++i]);
      else addFlag(w);
    } else if (w === '--grants') {
      addFlag(w);
      while (i + 1 < words.length && /^(?:read|readacl|writeacl|full)=/.test(words[i + 1] as string))
        addFlag(w, words[++i]);
    } else if (S3_VALUE.has(w)) addFlag(w, words[++i]);
    else addFlag(w);
  }
  const cmd: Command = { idx, sub, api, flags, unsigned: flags.has('--no-sign-request') };
  const profile = flags.get('--profile')?.[0];
  if (profile) cmd.profile = profile;
  const region = flags.get('--region')?.[0];
  if (region && /^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}$/.test(region)) cmd.region = region;
  if (api) {
    const bucket = flags.get('--bucket')?.[0];
    if (!bucket) return undefined;
    cmd.dst = { bucket, key: flags.get('--key')?.[0] ?? '' };
    return cmd;
  }
  const [a, b] = positional;
  const la = a === undefined ? undefined : s3Loc(a);
  const lb = b === undefined ? undefined : s3Loc(b);
  if (sub === 'rm' || sub === 'ls') {
    if (!la) return undefined;
    cmd.src = la;
    return cmd;
  }
  if (!la && !lb) return undefined;
  if (la) cmd.src = la;
  if (lb) cmd.dst = lb;
  if (!la && a !== undefined && a !== '-') cmd.localSrc = a;
  return cmd;
}

/** The base name of a local path (either separator). */
function baseName(p: string): string {
  const s = p.replace(/^file:/, '').replace(/[/\\]+$/, '');
  const cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
  return s.slice(cut + 1);
}

/** The key an upload of `local` to `dst` writes (`s3://b/prefix/` adds the file name). */
function uploadKey(local: string | undefined, dst: S3Loc): string | undefined {
  if (dst.key !== '' && !dst.key.endsWith('/')) return dst.key;
  if (local === undefined) return undefined;
  const name = baseName(local);
  return name === '' || name === '.' || name === '..' ? undefined : dst.key + name;
}

/** API names a write with the upload flags carries them on. */
const WRITE_APIS = new Set(['PutObject', 'CreateMultipartUpload', 'CopyObject']);
/** API names that read the source of a download or copy. */
const READ_APIS = new Set(['HeadObject', 'GetObject', 'GetObjectAttributes']);
const LIST_APIS = new Set(['ListObjectsV2', 'ListObjects', 'ListObjectVersions']);
const UPLOAD_APIS = new Set([
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

/** s3api operation -> API name. */
const S3API_NAMES: Record<string, string> = {
  'put-object': 'PutObject',
  'get-object': 'GetObject',
  'head-object': 'HeadObject',
  'delete-object': 'DeleteObject',
  'list-objects-v2': 'ListObjectsV2',
  'list-objects': 'ListObjects',
  'copy-object': 'CopyObject',
  'create-multipart-upload': 'CreateMultipartUpload',
};

/** Fills a record from the command line that produced its error. */
function applyCommand(r: LogRecord, c: Command, lineNo: number): void {
  const what = `line ${lineNo}: the aws ${c.api ? 's3api' : 's3'} ${c.sub} command`;
  const notSent = (header: string, flag: string) => {
    if (r.headers?.[header] !== undefined) return;
    r.headersNotSent = { ...(r.headersNotSent ?? {}), [header]: `${what} has no ${flag}` };
  };
  const setHeader = (header: string, value: string) => {
    r.headers = { ...(r.headers ?? {}), [header]: value };
  };
  const upload = !c.api && c.localSrc !== undefined && c.dst !== undefined && c.src === undefined;
  const download =
    !c.api &&
    c.src !== undefined &&
    c.dst === undefined &&
    (c.sub === 'cp' || c.sub === 'mv' || c.sub === 'sync');
  const copy = !c.api && c.src !== undefined && c.dst !== undefined;
  const single = !c.flags.has('--recursive') && c.sub !== 'sync';

  // Which call of the command failed, and on which side.
  let api = r.apiName;
  let target: S3Loc | undefined;
  let key: string | undefined;
  if (c.api) {
    api ??= S3API_NAMES[c.sub];
    target = c.dst;
    key = c.dst?.key || undefined;
  } else if (c.sub === 'ls') {
    api ??= 'ListObjectsV2';
    target = c.src;
  } else if (c.sub === 'rm') {
    if (single) api ??= 'DeleteObject';
    target = c.src;
    if (single && c.src?.key) key = c.src.key;
  } else if (upload) {
    if (single) api ??= 'PutObject';
    target = c.dst;
    if (single && api !== undefined && UPLOAD_APIS.has(api) && c.dst) key = uploadKey(c.localSrc, c.dst);
  } else if (download) {
    if (single) api ??= 'HeadObject';
    target = c.src;
    if (single && c.src?.key) key = c.src.key;
  } else if (copy) {
    if (single) api ??= 'HeadObject';
    const writes =
      api !== undefined && (WRITE_APIS.has(api) || api === 'UploadPartCopy' || UPLOAD_APIS.has(api));
    const deletes = api === 'DeleteObject' && c.sub === 'mv';
    target = writes ? c.dst : c.src;
    if (single && writes && c.dst && c.src) {
      key = uploadKey(c.src.key, c.dst);
      if (c.src.key && !r.headers?.['x-amz-copy-source'])
        setHeader('x-amz-copy-source', `${c.src.bucket}/${c.src.key}`);
    } else if (single && (deletes || (api !== undefined && READ_APIS.has(api))))
      key = c.src?.key || undefined;
  }
  if (api !== undefined) r.apiName ??= api;
  if (target && r.bucket === undefined) {
    r.bucket = target.bucket;
    if (key && r.key === undefined) r.key = key;
  }
  if (c.region) r.region ??= c.region;
  if (c.unsigned && r.requester === undefined) r.requester = '-';
  // aws s3 ls lists with the path as prefix and `/` as delimiter unless --recursive.
  if (
    !c.api &&
    c.sub === 'ls' &&
    r.query === undefined &&
    c.src &&
    c.src.key !== '' &&
    LIST_APIS.has(r.apiName ?? '')
  ) {
    r.query = c.flags.has('--recursive') ? { prefix: c.src.key } : { prefix: c.src.key, delimiter: '/' };
  }

  // Headers the flags send, and the ones their absence proves were not sent.
  const flag = (n: string) => c.flags.get(n);
  const payer = flag('--request-payer');
  if (payer) setHeader('x-amz-request-payer', payer[0] ?? 'requester');
  else notSent('x-amz-request-payer', '--request-payer');
  const writes = r.apiName !== undefined && WRITE_APIS.has(r.apiName);
  if (!writes) return;
  const acl = flag('--acl')?.[0];
  const grants = flag('--grants') ?? [];
  const apiGrants = ['--grant-read', '--grant-read-acp', '--grant-write-acp', '--grant-full-control'].filter(
    (g) => flag(g),
  );
  if (acl) setHeader('x-amz-acl', acl);
  for (const g of grants) {
    const perm = g.slice(0, g.indexOf('='));
    const name = { read: 'read', readacl: 'read-acp', writeacl: 'write-acp', full: 'full-control' }[perm];
    if (name) setHeader(`x-amz-grant-${name}`, g.slice(g.indexOf('=') + 1));
  }
  for (const g of apiGrants) setHeader(`x-amz-${g.slice(2)}`, flag(g)?.[0] ?? '');
  const sse = flag('--sse') ?? flag('--server-side-encryption');
  const kms = flag('--sse-kms-key-id')?.[0] ?? flag('--ssekms-key-id')?.[0];
  if (sse) setHeader('x-amz-server-side-encryption', sse[0] ?? 'AES256');
  if (kms) setHeader('x-amz-server-side-encryption-aws-kms-key-id', kms);
  const ssec = flag('--sse-c') ?? flag('--sse-customer-algorithm');
  if (ssec) setHeader('x-amz-server-side-encryption-customer-algorithm', ssec[0] ?? 'AES256');
  const storage = flag('--storage-class')?.[0];
  if (storage) setHeader('x-amz-storage-class', storage);
  const redirect = flag('--website-redirect')?.[0] ?? flag('--website-redirect-location')?.[0];
  if (redirect) setHeader('x-amz-website-redirect-location', redirect);
  const tagging = flag('--tagging')?.[0];
  if (tagging) setHeader('x-amz-tagging', tagging);
  // Absence proves "not sent" for uploads only: a copy may carry properties the CLI read from the source.
  if (!upload && !(c.api && c.sub === 'put-object')) return;
  if (!acl && grants.length === 0 && apiGrants.length === 0) {
    notSent('x-amz-acl', c.api ? '--acl' : '--acl or --grants');
    notSent('x-amz-grant-*', c.api ? '--grant-* option' : '--acl or --grants');
  }
  if (!sse) notSent('x-amz-server-side-encryption', c.api ? '--server-side-encryption' : '--sse');
  if (!kms)
    notSent('x-amz-server-side-encryption-aws-kms-key-id', c.api ? '--ssekms-key-id' : '--sse-kms-key-id');
  if (!ssec)
    notSent(
      'x-amz-server-side-encryption-customer-algorithm',
      c.api ? '--sse-customer-algorithm' : '--sse-c',
    );
  if (!storage) notSent('x-amz-storage-class', '--storage-class');
  if (!redirect)
    notSent('x-amz-website-redirect-location', c.api ? '--website-redirect-location' : '--website-redirect');
  if (!tagging) notSent('x-amz-tagging', c.api ? '--tagging' : 'tagging option (aws s3 has none)');
}

/** SDK client methods a stack frame names -> S3 API names (SDK for Java v1 `AmazonS3Client`, v2 `DefaultS3Client`). */
const SDK_METHODS: Record<string, string> = {
  getObjectMetadata: 'HeadObject',
  headObject: 'HeadObject',
  getObject: 'GetObject',
  putObject: 'PutObject',
  copyObject: 'CopyObject',
  deleteObject: 'DeleteObject',
  deleteObjects: 'DeleteObjects',
  listObjects: 'ListObjects',
  listObjectsV2: 'ListObjectsV2',
  listVersions: 'ListObjectVersions',
  listObjectVersions: 'ListObjectVersions',
  initiateMultipartUpload: 'CreateMultipartUpload',
  createMultipartUpload: 'CreateMultipartUpload',
  uploadPart: 'UploadPart',
  copyPart: 'UploadPartCopy',
  uploadPartCopy: 'UploadPartCopy',
  completeMultipartUpload: 'CompleteMultipartUpload',
  abortMultipartUpload: 'AbortMultipartUpload',
  getBucketAcl: 'GetBucketAcl',
  headBucket: 'HeadBucket',
  getBucketLocation: 'GetBucketLocation',
  listBuckets: 'ListBuckets',
  getObjectAcl: 'GetObjectAcl',
  setObjectAcl: 'PutObjectAcl',
  putObjectAcl: 'PutObjectAcl',
  getObjectTagging: 'GetObjectTagging',
  setObjectTagging: 'PutObjectTagging',
  putObjectTagging: 'PutObjectTagging',
  getBucketPolicy: 'GetBucketPolicy',
  setBucketPolicy: 'PutBucketPolicy',
  putBucketPolicy: 'PutBucketPolicy',
  restoreObject: 'RestoreObject',
  restoreObjectV2: 'RestoreObject',
};

/**
 * Hadoop S3A operation names (the text before ` on <path>`) -> the S3 call that fails first
 * (hadoop-aws troubleshooting_s3a.md; getFileStatus is a HEAD then a LIST, open/read a GET).
 */
function s3aOperation(op: string, hasKey: boolean): string | undefined {
  const o = op.trim().toLowerCase();
  if (o === 'getfilestatus' || o === 'innergetfilestatus' || o === 's3getfilestatus')
    return hasKey ? 'HeadObject' : 'ListObjectsV2';
  if (o === 'getobjectmetadata' || o === 'head') return 'HeadObject';
  // S3AInputStream names its GETs `open <uri> at <pos>`, `re-open ...`, `read ...`.
  const first = o.split(' ', 1)[0] ?? '';
  if (['open', 're-open', 'reopen', 'read', 'lazyseek'].includes(first)) return 'GetObject';
  if (o.startsWith('put 0-byte object') || o === 'putobject' || o === 'put' || o.startsWith('writing object'))
    return 'PutObject';
  if (o === 'doesbucketexist' || o === 'verifybucketexists' || o === 'doesbucketexistv2') return 'HeadBucket';
  if (
    o === 'liststatus' ||
    o === 'listobjects' ||
    o === 'list' ||
    o === 'listfiles' ||
    o === 'listlocatedstatus'
  )
    return 'ListObjectsV2';
  if (o.startsWith('copyfile(') || o === 'copyfile') return 'CopyObject';
  if (o === 'delete' || o === 'deleteobject') return 'DeleteObject';
  if (o === 'deleteobjects' || o.startsWith('bulkdelete')) return 'DeleteObjects';
  if (o.startsWith('initiate multipartupload')) return 'CreateMultipartUpload';
  if (o.startsWith('upload part') || o.startsWith('uploadpart')) return 'UploadPart';
  if (o.startsWith('completing multipart') || o.startsWith('completemultipartupload'))
    return 'CompleteMultipartUpload';
  return undefined;
}

/** Where one S3A error line names its path and operation. */
export function parseS3aLine(line: string): { loc?: S3Loc; key?: string; op: string } | undefined {
  const text = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  // The S3A exception is among the first few on its line (`UncheckedIOException: AccessDeniedException: ...`).
  let tries = 0;
  for (
    let at = text.indexOf('Exception: ');
    at >= 0 && tries++ < 8;
    at = text.indexOf('Exception: ', at + 1)
  ) {
    const start = at + 'Exception: '.length;
    const colon = text.slice(start, start + 2050).indexOf(': ') + start;
    if (colon <= start || colon - start > 2048) continue;
    const path = text.slice(start, colon);
    if (/\s/.test(path)) continue;
    const rest = text.slice(colon + 2, colon + 2 + 400 + path.length);
    const on = rest.indexOf(` on ${path}:`);
    if (on <= 0) continue;
    const op = rest.slice(0, on).trim();
    if (op === '' || op.length > 300) continue;
    const loc = s3Loc(path);
    if (loc) return { loc, op };
    return { key: path, op };
  }
  return undefined;
}

/** `aws sts get-caller-identity` JSON (pretty or one line) or text output, at line `i`. */
function identityAt(lines: readonly string[], i: number): Identity | undefined {
  const line = (lines[i] ?? '').slice(0, MAX_LINE);
  const arnRe = /"Arn"\s*:\s*"(arn:[\w-]{1,20}:(?:iam|sts)::\d{12}:[^"\s]{1,1024})"/;
  const m = arnRe.exec(line);
  if (m) {
    const id: Identity = { idx: i, arn: m[1] as string };
    const from = Math.max(0, i - 4);
    const to = Math.min(lines.length, i + 5);
    for (let j = from; j < to; j++) {
      const l = (lines[j] ?? '').slice(0, MAX_LINE);
      const u = /"UserId"\s*:\s*"([^"\s]{1,256})"/.exec(l);
      if (u && id.userId === undefined) id.userId = u[1];
      const a = /"Account"\s*:\s*"(\d{12})"/.exec(l);
      if (a && id.account === undefined) id.account = a[1];
    }
    // Only get-caller-identity output has UserId and Account beside Arn.
    return id.userId !== undefined || id.account !== undefined ? id : undefined;
  }
  const t =
    /^\s*(\d{12})\s+(arn:[\w-]{1,20}:(?:iam|sts)::\d{12}:\S{1,1024})\s+([A-Z0-9:][\w:@.=,+-]{0,255})\s*$/.exec(
      line,
    );
  if (t) return { idx: i, account: t[1] as string, arn: t[2] as string, userId: t[3] as string };
  return undefined;
}

/** The profile a `get-caller-identity` command line just before the output named. */
function identityProfile(lines: readonly string[], i: number): string | undefined {
  for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
    const l = (lines[j] ?? '').slice(0, MAX_LINE);
    if (!l.includes('get-caller-identity')) continue;
    const words = shellWords(l);
    const p = words.indexOf('--profile');
    if (p >= 0) return words[p + 1];
    const eq = words.find((w) => w.startsWith('--profile='));
    return eq?.slice('--profile='.length);
  }
  return undefined;
}

/** `Uploading <local> to s3://bucket/key` (Jenkins Pipeline AWS Steps s3Upload and many upload scripts). */
function uploadAt(line: string, idx: number): UploadLine | undefined {
  const at = line.indexOf('Uploading ');
  if (at < 0) return undefined;
  const m = /^Uploading (\S{1,2048}) to (s3:\/\/\S{1,2048})/.exec(line.slice(at, at + 4200));
  const loc = m ? s3Loc(m[2] as string) : undefined;
  return m && loc ? { idx, local: m[1] as string, loc } : undefined;
}

/** The nearest entry at or before `idx` (entries sorted by idx), within {@link MAX_DISTANCE}: binary search. */
function nearestBefore<T extends { idx: number }>(list: readonly T[], idx: number): T | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as T).idx <= idx) lo = mid + 1;
    else hi = mid;
  }
  const best = lo > 0 ? list[lo - 1] : undefined;
  return best && idx - best.idx <= MAX_DISTANCE ? best : undefined;
}

/**
 * Fills the records parsed from `text` with what the text around each error shows: the `aws s3` /
 * `aws s3api` command line before it (bucket, key, operation, the headers its flags send and the
 * ones their absence proves were not sent, region), a CI upload step's `Uploading X to s3://b/k`
 * line, the S3A path and operation on the error line, the SDK call a stack frame below it names,
 * and `aws sts get-caller-identity` output (the caller). Never overrides what the error itself
 * says. `firstLine` is the line number of the text's first line. Linear in the text.
 */
export function fillFromSurroundings(text: string, records: readonly LogRecord[], firstLine = 1): void {
  if (records.length === 0) return;
  const lines = text.split('\n');
  const commands: Command[] = [];
  const identities: Identity[] = [];
  const uploads: UploadLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.includes('aws') && line.includes('s3')) {
      const c = parseAwsCommand(line, i);
      if (c) commands.push(c);
    }
    if (line.includes('"Arn"') || /^\s*\d{12}\s/.test(line.slice(0, 20))) {
      const id = identityAt(lines, i);
      if (id) {
        const p = identityProfile(lines, i);
        if (p) id.profile = p;
        identities.push(id);
      }
    }
    if (line.includes('Uploading ') && line.includes('s3://')) {
      const u = uploadAt(line, i);
      if (u) uploads.push(u);
    }
  }
  const sorted = [...records].sort((a, b) => (a.input.line ?? 0) - (b.input.line ?? 0));
  for (let n = 0; n < sorted.length; n++) {
    const r = sorted[n] as LogRecord;
    const idx = (r.input.line ?? firstLine) - firstLine;
    if (idx < 0 || idx >= lines.length) continue;
    const nextIdx =
      n + 1 < sorted.length
        ? ((sorted[n + 1] as LogRecord).input.line ?? firstLine) - firstLine
        : lines.length;
    fromOwnLines(r, lines, idx, Math.max(idx + 1, nextIdx));
    const cmd = nearestBefore(commands, idx) ?? (commands.length === 1 ? commands[0] : undefined);
    if (cmd) applyCommand(r, cmd, firstLine + cmd.idx);
    const up = nearestBefore(uploads, idx);
    if (up && r.bucket === undefined && (r.apiName === undefined || UPLOAD_APIS.has(r.apiName))) {
      r.bucket = up.loc.bucket;
      const key = uploadKey(up.local, up.loc);
      if (key !== undefined) r.key ??= key;
      r.apiName ??= 'PutObject';
    }
    const id = nearestBefore(identities, idx) ?? identities[0];
    // The identity speaks for the command's credentials only when both name the same profile.
    const sameProfile = !cmd || (id?.profile ?? '') === (cmd.profile ?? '');
    if (id && sameProfile && r.requester === undefined && !r.enhanced) {
      r.requester = id.arn;
      const identity = { ...(r.identity ?? {}) };
      if (id.userId) identity.principalId = id.userId;
      if (id.account) identity.accountId = id.account;
      r.identity = identity;
    }
  }
}

/** The error's own line (S3A path and operation) and the stack below it (the SDK method called). */
function fromOwnLines(r: LogRecord, lines: readonly string[], idx: number, end: number): void {
  const s3a = parseS3aLine(lines[idx] ?? '');
  if (s3a) {
    if (s3a.loc && r.bucket === undefined) {
      r.bucket = s3a.loc.bucket;
      if (s3a.loc.key !== '') r.key ??= s3a.loc.key;
    } else if (!s3a.loc && r.key === undefined && r.bucket === undefined) {
      // A bare S3A path is a key relative to an unnamed bucket, except for bucket-level operations.
      if (!/bucketexist/i.test(s3a.op)) r.key = s3a.key;
      else r.bucket = s3a.key;
    }
  }
  if (r.apiName === undefined) {
    const stop = Math.min(end, idx + 200);
    for (let j = idx; j < stop && r.apiName === undefined; j++) {
      const l = (lines[j] ?? '').slice(0, MAX_LINE);
      if (!l.includes('S3Client')) continue;
      const m = /\b(?:AmazonS3Client|DefaultS3Client|S3Client)\.(\w{1,64})\(/.exec(l);
      const api = m ? SDK_METHODS[m[1] as string] : undefined;
      if (api) r.apiName = api;
    }
  }
  if (r.apiName === undefined && s3a) {
    const api = s3aOperation(s3a.op, s3a.loc ? s3a.loc.key !== '' : s3a.key !== undefined);
    if (api) r.apiName = api;
  }
}
