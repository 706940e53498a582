// Seeded generators for benchmark inputs: a large S3 server access log and gzipped CloudTrail files.
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

/** mulberry32: a small, fast, seeded PRNG (deterministic inputs for every run). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNER = '7f3ac9e1d2b84f06a5e1c0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OPS = [
  ['REST.GET.OBJECT', 'GET', true],
  ['REST.PUT.OBJECT', 'PUT', true],
  ['REST.HEAD.OBJECT', 'HEAD', true],
  ['REST.GET.BUCKET', 'GET', false],
  ['REST.DELETE.OBJECT', 'DELETE', true],
];
const AGENTS = [
  'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
  'aws-sdk-js/3.600.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.11.0',
  'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.11.7',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "quoted" Chrome/120.0',
];
const DENY_CODES = [
  'AccessDenied',
  'AccessDenied',
  'AccessDenied',
  'AccessDenied',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
];

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}
function hex(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[Math.floor(r() * 16)];
  return s;
}
function two(n) {
  return n < 10 ? `0${n}` : String(n);
}

/** One access-log line; `denied` lines get status 403 and a denial error code. */
export function accessLogLine(r, i, denied) {
  const bucket = `bench-bucket-${Math.floor(r() * 10)}`;
  const p = Math.floor(r() * 21);
  const requester =
    p === 20
      ? '-'
      : p % 2
        ? `arn:aws:iam::1111222233${two(p)}:user/user-${p}`
        : `arn:aws:sts::111122223333:assumed-role/app-${p}/i-0${hex(r, 8).toLowerCase()}`;
  const [op, method, hasKey] = pick(r, OPS);
  const key = hasKey
    ? `${pick(r, ['finance', 'logs', 'public', 'exports', 'tmp'])}/2026/${two(1 + Math.floor(r() * 12))}/file-${Math.floor(r() * 5000)}.csv`
    : '-';
  const day = 1 + (Math.floor(i / 200000) % 28);
  const sec = i % 86400;
  const time = `[${two(day)}/${MONTHS[10]}/2026:${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)} +0000]`;
  const ip =
    r() < 0.1
      ? `2001:db8::${Math.floor(r() * 65535).toString(16)}`
      : `198.51.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
  const status = denied ? '403' : pick(r, ['200', '200', '200', '200', '204', '206', '304', '404']);
  const err = denied ? pick(r, DENY_CODES) : status === '404' ? 'NoSuchKey' : '-';
  const uri = hasKey
    ? `"${method} /${key}?x-id=GetObject HTTP/1.1"`
    : `"GET /?list-type=2&prefix=logs%2F HTTP/1.1"`;
  const tls = r() < 0.05;
  return `${OWNER} ${bucket} ${time} ${ip} ${requester} ${hex(r, 16)} ${op} ${key} ${uri} ${status} ${err} ${denied ? 243 : Math.floor(r() * 100000)} ${hasKey ? Math.floor(r() * 100000) : '-'} ${Math.floor(r() * 80)} ${Math.floor(r() * 40)} "-" "${pick(r, AGENTS)}" - ${hex(r, 40)}= SigV4 ${tls ? '-' : 'TLS_AES_128_GCM_SHA256'} AuthHeader ${bucket}.s3.us-east-1.amazonaws.com ${tls ? '-' : 'TLSv1.3'} - -\n`;
}

/** Writes (once, cached by name) an access log of about `bytes` bytes with `deniedRatio` denied lines. */
export async function ensureAccessLog(dir, bytes, { seed = 42, deniedRatio = 0.03 } = {}) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `access-${seed}-${bytes}.log`);
  if (existsSync(file) && statSync(file).size >= bytes) return file;
  const r = prng(seed);
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  let written = 0;
  let i = 0;
  while (written < bytes) {
    let chunk = '';
    while (chunk.length < 1 << 20) {
      chunk += accessLogLine(r, i, r() < deniedRatio);
      i++;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
  }
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  renameSync(tmp, file);
  return file;
}

/** One CloudTrail S3 data event; denied ones carry errorCode/errorMessage. */
export function cloudTrailEvent(r, i, denied) {
  const bucket = `bench-bucket-${Math.floor(r() * 10)}`;
  const key = `finance/2026/file-${Math.floor(r() * 5000)}.csv`;
  const role = `app-${Math.floor(r() * 20)}`;
  const ev = {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE${i % 97}:i-0abc`,
      arn: `arn:aws:sts::111122223333:assumed-role/${role}/i-0abc`,
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLEKEY123456',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::111122223333:role/${role}`,
          accountId: '111122223333',
          userName: role,
        },
        attributes: { creationDate: '2026-11-24T08:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: `2026-11-24T${two(Math.floor((i / 3600) % 24))}:${two(Math.floor(i / 60) % 60)}:${two(i % 60)}Z`,
    eventSource: 's3.amazonaws.com',
    eventName: pick(r, ['GetObject', 'PutObject', 'HeadObject']),
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${Math.floor(r() * 255)}`,
    userAgent: '[aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp]',
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': hex(r, 40),
      bytesTransferredOut: 0,
    },
    requestID: hex(r, 16),
    eventID: `${hex(r, 8)}-1111-4a2b-9c3d-${hex(r, 12)}`.toLowerCase(),
    readOnly: true,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${bucket}.s3.us-east-1.amazonaws.com`,
    },
  };
  if (denied) {
    ev.errorCode = 'AccessDenied';
    ev.errorMessage = `User: ${ev.userIdentity.arn} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${bucket}/${key}" because no identity-based policy allows the s3:GetObject action`;
  }
  return ev;
}

/** Writes (once) `files` gzipped CloudTrail log files of `eventsPerFile` events, 3% denied. */
export function ensureCloudTrail(dir, files, eventsPerFile, { seed = 7 } = {}) {
  const sub = path.join(dir, `cloudtrail-${seed}-${files}x${eventsPerFile}`);
  const done = path.join(sub, '.complete');
  if (existsSync(done)) return sub;
  mkdirSync(sub, { recursive: true });
  const r = prng(seed);
  let n = 0;
  for (let f = 0; f < files; f++) {
    const records = [];
    for (let e = 0; e < eventsPerFile; e++) records.push(cloudTrailEvent(r, n++, r() < 0.03));
    const name = `111122223333_CloudTrail_us-east-1_20261124T${two(f % 24)}${two(f % 60)}Z_${hex(r, 16)}.json.gz`;
    writeFileSync(path.join(sub, name), gzipSync(JSON.stringify({ Records: records })));
  }
  writeFileSync(done, '');
  return sub;
}

/**
 * Writes (once) an access log of `lines` denied lines drawn from `distinct` requests (principal,
 * operation, bucket, key, address, agent, error), each line with its own time, request id and host
 * id, as a busy bucket's day of denials looks; and a snapshot of those principals and buckets.
 */
export async function ensureDeniedLog(dir, lines, { distinct = 2000, seed = 11 } = {}) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `denied-${seed}-${distinct}-${lines}.log`);
  const snapshot = path.join(dir, `denied-${seed}-snapshot.json`);
  writeFileSync(snapshot, JSON.stringify(deniedSnapshot(), null, 2));
  if (existsSync(file)) return { file, snapshot };
  const r = prng(seed);
  const pool = Array.from({ length: distinct }, (_, i) => accessLogLine(r, i, true).split(' '));
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const f = [...pool[Math.floor(r() * distinct)]];
    // Fields 2-3: [dd/Mon/yyyy:hh:mm:ss +0000]; 6: request id; after the agent: host id.
    const sec = Math.floor((i * 86400) / lines);
    f[2] = `[24/Nov/2026:${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}`;
    f[6] = hex(r, 16);
    const hostAt = f.indexOf('SigV4') - 1;
    f[hostAt] = `${hex(r, 40)}=`;
    chunk += f.join(' ');
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  renameSync(tmp, file);
  return { file, snapshot };
}

/** A snapshot for {@link ensureDeniedLog}: the generator's users, roles and buckets, each with a policy. */
function deniedSnapshot() {
  const principals = {};
  const sessions = {};
  const allow = (sid, action, resource) => ({
    Sid: sid,
    Effect: 'Allow',
    Action: action,
    Resource: resource,
  });
  for (let p = 0; p < 20; p++) {
    const arn =
      p % 2 ? `arn:aws:iam::1111222233${two(p)}:user/user-${p}` : `arn:aws:iam::111122223333:role/app-${p}`;
    const doc = {
      Version: '2012-10-17',
      Statement: [
        allow(
          'ReadFinance',
          ['s3:GetObject', 's3:ListBucket'],
          [`arn:aws:s3:::bench-bucket-${p % 10}`, `arn:aws:s3:::bench-bucket-${p % 10}/finance/*`],
        ),
        ...(p % 3 === 0 ? [allow('WriteTmp', 's3:PutObject', `arn:aws:s3:::bench-bucket-*/tmp/*`)] : []),
      ],
    };
    principals[arn] = {
      policies: [{ name: `p-${p}`, kind: 'inline', document: doc }],
      permissionsBoundary: null,
    };
  }
  const accounts = {
    111122223333: {
      organizationId: null,
      serviceControlPolicies: null,
      resourceControlPolicies: null,
      publicAccessBlock: null,
    },
  };
  const buckets = {};
  for (let b = 0; b < 10; b++) {
    buckets[`bench-bucket-${b}`] = {
      accountId: '111122223333',
      region: 'us-east-1',
      ownerCanonicalId: OWNER,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecure',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::bench-bucket-${b}`, `arn:aws:s3:::bench-bucket-${b}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          ...(b % 2
            ? [
                {
                  Sid: 'DenyExports',
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 's3:GetObject',
                  Resource: `arn:aws:s3:::bench-bucket-${b}/exports/*`,
                },
              ]
            : []),
        ],
      },
      acl: null,
      objectOwnership: 'BucketOwnerEnforced',
      publicAccessBlock: null,
      encryption: null,
      requestPayer: 'BucketOwner',
      objectLock: null,
    };
  }
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-25T00:00:00Z',
    principals,
    sessions,
    accounts,
    buckets,
    canonicalIds: { [OWNER]: '111122223333' },
    notes: [],
    vpcEndpoints: {},
  };
}

/**
 * Writes (once, cached by name) an access log of denied lines in exactly `groups` distinct triage groups
 * (principal x key prefix), each group `perGroup` times, interleaved: group g's lines are g, g + groups, ...
 * so the last new group appears late in the file (a principal that starts probing late).
 */
export async function ensureManyGroupsLog(dir, groups, { perGroup = 2, seed = 5 } = {}) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `groups-${seed}-${groups}x${perGroup}.log`);
  if (existsSync(file)) return file;
  const r = prng(seed);
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  const users = Math.ceil(groups / 50);
  let chunk = '';
  for (let i = 0; i < groups * perGroup; i++) {
    const g = i % groups;
    const line = accessLogLine(r, i, true)
      .replace(/bench-bucket-\d/g, `bench-bucket-${g % 10}`)
      .replace(/ (arn:aws:\S+|-) ([0-9A-F]{16}) /, ` arn:aws:iam::111122223333:user/probe-${g % users} $2 `)
      .replace(
        / REST\.\S+ \S+ "\S+ \S+ /,
        ` REST.GET.OBJECT p${Math.floor(g / users)}/file.csv "GET /p${Math.floor(g / users)}/file.csv `,
      )
      .replace(/ 403 \S+ /, ' 403 AccessDenied ');
    chunk += line;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  renameSync(tmp, file);
  return file;
}
