// End-to-end: several fixes for one policy document, and same-named roles in two accounts: following every printed command in order leaves nothing denied.

import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './helpers.js';

beforeAll(() => assertBuilt());

const A = '111122223333';
const B = '444455556666';

/** A denied CloudTrail data event of role `reports-app` in `account` (session `s<n>`). */
function event(account: string, op: string, bucket: string, key: string, n: number): Record<string, unknown> {
  const role = `arn:aws:iam::${account}:role/reports-app`;
  const session = `arn:aws:sts::${account}:assumed-role/reports-app/s${n}`;
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEREPORTSAPP${n}:s${n}`,
      arn: session,
      accountId: account,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: role, accountId: account, userName: 'reports-app' },
        attributes: { creationDate: '2026-11-24T08:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2026-11-24T10:20:11Z',
    eventSource: 's3.amazonaws.com',
    eventName: op,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.15.0',
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key },
    additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' },
    requestID: `REQ${n}`,
    eventID: `00000000-0000-4000-8000-00000000000${n}`,
    readOnly: op.startsWith('Get'),
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: account,
    eventCategory: 'Data',
    tlsDetails: { tlsVersion: 'TLSv1.3' },
  };
}

interface Snapshot {
  principals: Record<string, { policies: { name: string; kind: string; document: unknown }[] }>;
  buckets: Record<string, { policy: unknown }>;
  [k: string]: unknown;
}

/** Role `reports-app` in both accounts with no policy; `reports-bucket` (account A) with no bucket policy. */
function snapshot(): Snapshot {
  const object = {
    exists: true,
    ownerCanonicalId: 'c-a',
    serverSideEncryption: null,
    storageClass: 'STANDARD',
    restoreStatus: null,
  };
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-24T12:00:00Z',
    principals: Object.fromEntries(
      [A, B].map((a) => [`arn:aws:iam::${a}:role/reports-app`, { policies: [], permissionsBoundary: null }]),
    ),
    sessions: Object.fromEntries(
      [1, 2, 3, 4, 5].map((n) => [
        `arn:aws:sts::${n === 3 || n === 4 ? B : A}:assumed-role/reports-app/s${n}`,
        { sessionPolicy: null },
      ]),
    ),
    accounts: Object.fromEntries(
      [A, B].map((a) => [
        a,
        {
          organizationId: null,
          serviceControlPolicies: null,
          resourceControlPolicies: null,
          publicAccessBlock: null,
        },
      ]),
    ),
    buckets: {
      'reports-bucket': {
        accountId: A,
        region: 'us-east-1',
        policy: null,
        acl: null,
        objectOwnership: 'BucketOwnerEnforced',
        publicAccessBlock: null,
        encryption: null,
        requestPayer: 'BucketOwner',
        objectLock: null,
        objects: { '2026/q3.csv': object, '2026/q4.csv': object },
      },
    },
    canonicalIds: { 'c-a': A },
  } as Snapshot;
}

/** POSIX words of a printed command, and its trailing `# ...` comment. */
function words(line: string): { argv: string[]; comment: string } {
  const argv: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === ' ') {
      if (cur !== undefined) argv.push(cur);
      cur = undefined;
    } else if (c === '#' && cur === undefined) return { argv, comment: line.slice(i + 1).trim() };
    else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) argv.push(cur);
  return { argv, comment: '' };
}

/**
 * Does to the snapshot what a printed AWS CLI command would do to the accounts. `files` holds the
 * documents the commands read. Role commands must say which account they are for: the role name is
 * in both.
 */
function follow(snap: Snapshot, line: string, files: Map<string, unknown>): void {
  const { argv, comment } = words(line);
  const opt = (name: string) => argv[argv.indexOf(name) + 1]!;
  const doc = (name: string) => {
    const file = opt(name).replace(/^file:\/\//, '');
    if (!files.has(file)) throw new Error(`no document for ${file}`);
    return structuredClone(files.get(file));
  };
  const op = `${argv[1]} ${argv[2]}`;
  if (/ get-/.test(op)) return;
  if (op === 'iam put-role-policy') {
    const account = /account (\d{12})/.exec(comment)?.[1];
    if (!account)
      throw new Error(
        `the command does not say which account's role ${opt('--role-name')} it changes: ${line}`,
      );
    const role = snap.principals[`arn:aws:iam::${account}:role/${opt('--role-name')}`]!;
    role.policies = role.policies.filter((p) => p.name !== opt('--policy-name'));
    role.policies.push({ name: opt('--policy-name'), kind: 'inline', document: doc('--policy-document') });
  } else if (op === 's3api put-bucket-policy') snap.buckets[opt('--bucket')]!.policy = doc('--policy');
  else throw new Error(`not followed: ${line}`);
}

interface Fix {
  alternative?: boolean;
  verified?: boolean;
  commands?: string[];
  patch?: { target: { type: string }; after: unknown };
}
interface Report {
  results: { decision: string; causes: { fixes: Fix[] }[] }[];
}

describe('fixes for one policy, same-named roles in two accounts', () => {
  // Account A's role is denied two reads and a write on its own bucket (three fixes for its inline
  // policy s3doctor-reports-bucket); account B's role of the same name is denied a read and a write
  // on that bucket across accounts (its inline policy of the same name, and the bucket policy).
  const records = [
    event(A, 'GetObject', 'reports-bucket', '2026/q3.csv', 1),
    event(A, 'PutObject', 'reports-bucket', 'out/x.csv', 2),
    event(B, 'GetObject', 'reports-bucket', '2026/q3.csv', 3),
    event(B, 'PutObject', 'reports-bucket', 'out/y.csv', 4),
    event(A, 'GetObject', 'reports-bucket', '2026/q4.csv', 5),
  ];

  it('following every printed command in order leaves every request allowed; --save-patch saves one file per document', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-merge-'));
    await writeFile(join(dir, 'events.json'), JSON.stringify({ Records: records }));
    await writeFile(join(dir, 'snapshot.json'), JSON.stringify(snapshot()));
    const args = ['diagnose', 'events.json', '--snapshot', 'snapshot.json', '--format', 'json'];
    const r = await runCli([...args, '--save-patch'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.results.map((x) => x.decision)).toEqual(Array(5).fill('ImplicitDeny'));

    // Follow each printed command of each fix that is not an alternative, in report order; each
    // command reads its fix's own document.
    const snap = snapshot();
    const lines: string[] = [];
    for (const res of report.results)
      for (const c of res.causes)
        for (const fix of c.fixes) {
          if (fix.alternative) continue;
          const files = new Map<string, unknown>();
          for (const cmd of fix.commands ?? []) {
            const file = /file:\/\/(\S+)/.exec(cmd)?.[1];
            if (file && fix.patch) files.set(file, fix.patch.after);
          }
          for (const cmd of fix.commands ?? []) {
            follow(snap, cmd, files);
            lines.push(cmd);
          }
        }
    // Role commands say their account, and the two accounts' patches are different files.
    const roleCommands = lines.filter((l) => l.startsWith('aws iam put-role-policy'));
    expect(roleCommands.some((l) => l.includes(`# for account ${A}`))).toBe(true);
    expect(roleCommands.some((l) => l.includes(`# for account ${B}`))).toBe(true);
    const fileOf = (l: string) => /file:\/\/(\S+)/.exec(l)![1]!;
    expect(new Set(roleCommands.map(fileOf)).size).toBe(2);

    await writeFile(join(dir, 'after.json'), JSON.stringify(snap));
    const again = await runCli(['diagnose', 'events.json', '--snapshot', 'after.json', '--format', 'json'], {
      cwd: dir,
    });
    const after = JSON.parse(again.stdout) as Report;
    expect(after.results.map((x) => x.decision)).toEqual(Array(5).fill('Allowed'));

    // --save-patch: one file per verified document, holding the statements of every fix for it.
    const saved = (await readdir(dir)).filter((n) => n.startsWith('s3doctor-patch-')).sort();
    expect(saved).toEqual([`s3doctor-patch-${A}-role-reports-app-s3doctor-reports-bucket.json`]);
    const doc = JSON.parse(await readFile(join(dir, saved[0]!), 'utf8')) as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    const granted = doc.Statement.flatMap((s) =>
      [s.Action].flat().flatMap((a) => [s.Resource].flat().map((res) => `${a} ${res}`)),
    );
    expect(granted.sort()).toEqual([
      's3:GetObject arn:aws:s3:::reports-bucket/2026/q3.csv',
      's3:GetObject arn:aws:s3:::reports-bucket/2026/q4.csv',
      's3:PutObject arn:aws:s3:::reports-bucket/out/x.csv',
    ]);
    // Saving it and following account A's commands with the saved file: A's three requests allowed.
    const withSaved = snapshot();
    const files = new Map([[saved[0]!, doc as unknown]]);
    for (const l of roleCommands.filter((x) => x.includes(A))) follow(withSaved, l, files);
    await writeFile(join(dir, 'saved.json'), JSON.stringify(withSaved));
    const s = JSON.parse(
      (
        await runCli(['diagnose', 'events.json', '--snapshot', 'saved.json', '--format', 'json'], {
          cwd: dir,
        })
      ).stdout,
    ) as Report;
    expect([0, 1, 4].map((i) => s.results[i]!.decision)).toEqual(['Allowed', 'Allowed', 'Allowed']);
  }, 60000);
});
