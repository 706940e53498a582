// Live collector benchmark (`node bench/live-collect.mjs` after `npm run build`): runs the built
// collectors (dist/) against the fake AWS endpoint on 127.0.0.1 and prints API calls for one
// typical cross-account request (goal <= 25), its wall clock with 50 ms added per call (goal < 1 s),
// and the calls for 1,000 requests over 20 principals and 10 buckets against those for 1 request.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { collectEvidence } = await import(
  pathToFileURL(path.join(root, 'dist/src/evidence/live/index.js')).href
);
const { startFakeAws } = await import(
  pathToFileURL(path.join(root, 'test/helpers/fake-aws-endpoint.mjs')).href
);

const A = '111122223333'; // the principal's account (s3doctor runs here)
const B = '444455556666'; // the bucket's account (reached with --role-arn)
const KEY = `arn:aws:kms:us-west-2:${B}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const allow = (Action, Resource) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});

/** A typical setup: role with one inline and one managed policy; bucket in B, SSE-KMS with B's key; an org whose SCPs members cannot read. */
function world({ principals = 1, buckets = 1, boundary = false } = {}) {
  const roles = {
    app: {
      path: '/service/',
      inline: { Read: allow('s3:GetObject', '*') },
      attached: [`arn:aws:iam::${A}:policy/Base`],
    },
  };
  if (boundary) roles.app.boundary = `arn:aws:iam::${A}:policy/Boundary`;
  for (let i = 0; i < principals; i += 1)
    roles[`r${i}`] = {
      inline: { Read: allow('s3:GetObject', '*') },
      attached: [`arn:aws:iam::${A}:policy/Base`],
    };
  const bucket = (region) => ({
    account: B,
    region,
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: 's3:GetObject',
          Resource: '*',
        },
      ],
    },
    ownership: 'BucketOwnerEnforced',
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
    encryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
    objects: {
      'k0.csv': { head: { sse: 'aws:kms', kmsKeyId: KEY } },
      'k1.csv': { head: { sse: 'aws:kms', kmsKeyId: KEY } },
    },
  });
  const all = { reports: bucket('us-west-2') };
  for (let i = 0; i < buckets; i += 1) all[`b${i}`] = bucket('us-west-2');
  return {
    caller: { userId: 'AROAME:me', account: A, arn: `arn:aws:sts::${A}:assumed-role/admin/me` },
    accounts: {
      [A]: {
        roles,
        policies: {
          [`arn:aws:iam::${A}:policy/Base`]: { document: allow('kms:Decrypt', KEY) },
          [`arn:aws:iam::${A}:policy/Boundary`]: { document: allow(['s3:*', 'kms:*'], '*') },
        },
        publicAccessBlock: null,
      },
      [B]: { roles: { 's3doctor-read': {} }, publicAccessBlock: null },
    },
    buckets: all,
    kmsKeys: {
      [KEY]: { account: B, region: 'us-west-2', aliases: ['alias/reports'], policy: allow('kms:*', '*') },
    },
    organization: { id: 'o-abc', managementAccount: '999988887777', members: [A, B], readers: [] },
  };
}

const session = (role, n) => ({
  kind: 'role-session',
  arn: `arn:aws:sts::${A}:assumed-role/${role}/s${n}`,
  roleArn: `arn:aws:iam::${A}:role/${role}`,
  rolePathKnown: false,
  roleName: role,
  sessionName: `s${n}`,
  accountId: A,
});
const request = (principal, bucket, key) => ({
  principal,
  authorizations: [
    {
      principal,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/${key}`,
      resourceAccount: B,
      context: {},
      unknownKeys: [],
      need: 'required',
    },
  ],
  s3: { operation: 'GetObject', bucket, key, dataAccess: 'read' },
  unknownKeys: [],
});

async function measure(w, requests, latencyMs = 0) {
  const fake = await startFakeAws(w, { latencyMs });
  try {
    const started = performance.now();
    await collectEvidence(requests, {
      region: 'us-east-1',
      roleArns: [`arn:aws:iam::${B}:role/s3doctor-read`],
      clientOptions: {
        all: {
          endpoint: fake.url,
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
          maxAttempts: 1,
        },
        s3: { forcePathStyle: true },
        s3control: { endpointProvider: fake.endpointProvider },
      },
    });
    const ms = performance.now() - started;
    const byService = {};
    for (const c of fake.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    return { calls: fake.calls.length, ms, byService };
  } finally {
    await fake.close();
  }
}

const one = [request(session('app', 0), 'reports', 'k0.csv')];
const cold = await measure(world(), one, 50); // includes the lazy SDK imports
const typical = await measure(world(), one);
const slow = await measure(world(), one, 50);
const bounded = await measure(world({ boundary: true }), one);
const many = [];
for (let i = 0; i < 1000; i += 1)
  many.push(request(session(`r${i % 20}`, i), `b${i % 10}`, `k${Math.floor(i / 10) % 2}.csv`));
const big = await measure(world({ principals: 20, buckets: 10 }), many);
const oneOfBig = await measure(world({ principals: 20, buckets: 10 }), [many[0]]);

const ok = (b) => (b ? 'ok' : 'MISSED');
console.log(
  `live collect: one typical cross-account request: ${typical.calls} API calls (goal <= 25: ${ok(typical.calls <= 25)}) ${JSON.stringify(typical.byService)}`,
);
console.log(`live collect: the same role with a permissions boundary: ${bounded.calls} API calls`);
console.log(
  `live collect: same with 50 ms per call: ${slow.ms.toFixed(0)} ms warm (goal < 1000 ms: ${ok(slow.ms < 1000)}); first run incl. SDK imports ${cold.ms.toFixed(0)} ms`,
);
console.log(
  `live collect: 1,000 requests / 20 principals / 10 buckets / 20 objects: ${big.calls} calls in ${big.ms.toFixed(0)} ms; 1 request: ${oneOfBig.calls} calls (${(big.calls / oneOfBig.calls).toFixed(1)}x for 1000x the requests)`,
);
