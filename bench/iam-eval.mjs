// Evaluation-rate benchmark: one request through the whole chain against a realistic evidence set
// (about 20 policies and 200 statements, conditions included), cached versus naive uncached.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ACCOUNT = '111122223333';
const BUCKET = 'acme-reports';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/reporting-app`;

/** Ten statements of the kinds real policies hold; `i` makes each policy's resources distinct. */
function statements(i, { deny = false } = {}) {
  const b = `other-bucket-${i}`;
  const s = [
    {
      Sid: `List${i}`,
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: `arn:aws:s3:::${b}`,
      Condition: { StringLike: { 's3:prefix': [`team-${i}/*`, ''] } },
    },
    {
      Sid: `Read${i}`,
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `arn:aws:s3:::${b}/team-${i}/*`,
    },
    {
      Sid: `Write${i}`,
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${b}/uploads/\${aws:username}/*`,
      Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    },
    {
      Sid: `Ip${i}`,
      Effect: 'Allow',
      Action: 's3:Get*',
      Resource: `arn:aws:s3:::${b}-ip/*`,
      Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] } },
    },
    {
      Sid: `Tags${i}`,
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${b}/tagged/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/team': `\${aws:PrincipalTag/team}` } },
    },
    {
      Sid: `Dyn${i}`,
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t-${i}`,
    },
    {
      Sid: `Sqs${i}`,
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q-${i}`,
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
    {
      Sid: `Time${i}`,
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${b}/archive/*`,
      Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
    },
    {
      Sid: `Vpce${i}`,
      Effect: 'Allow',
      Action: 's3:*Object',
      Resource: `arn:aws:s3:::${b}-private/*`,
      Condition: { StringEquals: { 'aws:SourceVpce': `vpce-0${i}abc` } },
    },
    {
      Sid: `Deny${i}`,
      Effect: 'Deny',
      Action: 's3:DeleteObject*',
      Resource: `arn:aws:s3:::${b}/*`,
      Condition: { 'ForAnyValue:StringNotLike': { 'aws:PrincipalOrgPaths': [`o-abc/r-ab12/ou-${i}/*`] } },
    },
  ];
  if (deny)
    s.push({
      Sid: 'DenyHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  return s;
}
const doc = (Statement) => ({ Version: '2012-10-17', Statement });

/** The evidence set: 12 identity policies, a boundary, 3 SCP levels, a bucket policy: 20 policies, ~200 statements. */
export function evidenceJson() {
  const policies = [];
  for (let i = 0; i < 12; i++)
    policies.push({
      name: `policy-${i}`,
      kind: i % 2 ? 'managed' : 'inline',
      arn: i % 2 ? `arn:aws:iam::${ACCOUNT}:policy/p-${i}` : undefined,
      document: doc(statements(i)),
    });
  policies[11].document.Statement.push({
    Sid: 'ReadReports',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${BUCKET}/finance/*`,
  });
  const bucketStatements = [...statements(97), ...statements(98), ...statements(99, { deny: true })].map(
    (s) =>
      s.Principal
        ? s
        : {
            ...s,
            Principal: { AWS: ROLE },
            Resource: [s.Resource].flat().map((r) => r.replace(/\$\{aws:username\}/, 'x')),
          },
  );
  return {
    schemaVersion: 1,
    principals: {
      [ROLE]: {
        policies,
        permissionsBoundary: {
          arn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
          document: doc([
            ...statements(50),
            ...statements(51),
            ...statements(52),
            { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          ]),
        },
        tags: { team: 'finance' },
      },
    },
    accounts: {
      [ACCOUNT]: {
        organizationId: 'o-abc',
        serviceControlPolicies: [
          {
            target: 'r-ab12',
            policies: [
              { name: 'FullAWSAccess', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) },
            ],
          },
          {
            target: 'ou-ab12-11111111',
            policies: [
              {
                name: 'Guardrails',
                document: doc([
                  { Effect: 'Allow', Action: '*', Resource: '*' },
                  ...statements(70).map((s) => ({ ...s, Effect: 'Deny', Sid: `G${s.Sid}` })),
                ]),
              },
            ],
          },
          {
            target: ACCOUNT,
            policies: [
              { name: 'FullAWSAccess', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) },
            ],
          },
        ],
        resourceControlPolicies: null,
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    },
    buckets: {
      [BUCKET]: {
        accountId: ACCOUNT,
        region: 'us-east-1',
        policy: doc(bucketStatements),
        acl: null,
        objectOwnership: 'BucketOwnerEnforced',
        publicAccessBlock: null,
        encryption: { SSEAlgorithm: 'AES256' },
        requestPayer: 'BucketOwner',
        objectLock: null,
        objects: {
          'finance/q3.csv': { exists: true, serverSideEncryption: 'AES256', storageClass: 'STANDARD' },
        },
      },
    },
  };
}

export const requestJson = {
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/reporting-app/i-0abc123`,
  action: 's3:GetObject',
  resource: `arn:aws:s3:::${BUCKET}/finance/q3.csv`,
  context: {
    'aws:SecureTransport': 'true',
    'aws:SourceIp': '198.51.100.20',
    'aws:CurrentTime': '2026-11-24T09:14:02Z',
    'aws:PrincipalOrgPaths': ['o-abc/r-ab12/ou-ab12-11111111/'],
  },
};

/**
 * Runs `fn` for `ms` of wall time; returns evaluations per wall second and per CPU second of this
 * process (user + system), so figures stay comparable when the machine is loaded.
 */
function rate(fn, ms) {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn(n++);
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { wall: (n * 1000) / wallMs, cpu: cpuMs > 0 ? (n * 1000) / cpuMs : 0 };
}

/**
 * Measures evaluations per second: cached (the same request and evidence again), fresh (a new request
 * object each time, same evidence) and naive (fresh documents each time, so nothing is reused);
 * `cached`/`fresh`/`naive` per wall second, `cachedCpu`/`freshCpu`/`naiveCpu` per CPU second of this
 * process (its GC threads included).
 */
export async function benchEvaluation(root) {
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist/src', p)).href);
  const { parseSnapshot } = await imp('evidence/index.js');
  const { evaluateRequest, parseSimulateRequest } = await imp('authz/index.js');
  const load = () => {
    const { evidence, problems } = parseSnapshot(evidenceJson(), 'bench');
    if (!evidence) throw new Error(`bench evidence invalid: ${JSON.stringify(problems)}`);
    return evidence;
  };
  const evidence = load();
  const req = parseSimulateRequest(requestJson);
  const first = evaluateRequest(req, evidence);
  if (first.decision !== 'Allowed') throw new Error(`bench request should be allowed, got ${first.decision}`);
  const policies = 12 + 1 + 3 + 1 + 3;
  const statementsCount = JSON.stringify(evidenceJson()).split('"Effect"').length - 1;
  // Warm-up long enough for the optimising compiler to settle, even on a loaded machine.
  rate(() => evaluateRequest(req, evidence), 1500);
  const cached = rate(() => evaluateRequest(req, evidence), 3000);
  // Fresh request: a new request object each time against the same evidence (as when every log line
  // is its own request): compiled policies are reused, nothing cached per request is.
  const fresh = rate(() => evaluateRequest(parseSimulateRequest(requestJson), evidence), 2000);
  // Naive: every evaluation gets documents it has never seen (a deep copy), so every policy is
  // compiled from scratch and nothing cached is reused: the cost of evaluating without the caches.
  const naive = rate(
    () => evaluateRequest(parseSimulateRequest(requestJson), structuredClone(evidence)),
    2000,
  );
  return {
    cached: cached.wall,
    naive: naive.wall,
    fresh: fresh.wall,
    cachedCpu: cached.cpu,
    naiveCpu: naive.cpu,
    freshCpu: fresh.cpu,
    policies,
    statements: statementsCount,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const r = await benchEvaluation(root);
  console.log(
    `cached ${r.cached.toFixed(0)}/s wall (${r.cachedCpu.toFixed(0)}/CPU-s), fresh request ${r.fresh.toFixed(0)}/s wall (${r.freshCpu.toFixed(0)}/CPU-s), naive ${r.naive.toFixed(0)}/s wall (${r.naiveCpu.toFixed(0)}/CPU-s), ratio ${(r.cached / r.naive).toFixed(1)}x, ${r.policies} policies, ${r.statements} statements`,
  );
}
