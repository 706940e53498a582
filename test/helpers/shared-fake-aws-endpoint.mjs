// Verbatim copy of ../shared/examples/fake-aws-endpoint.mjs (the helper written for this project), kept in the repo so
// that a clone without ../shared beside it runs the end-to-end tests; test/helpers/fake-aws-endpoint.mjs is the extended,
// multi-account version the live-collector tests use.
// Fake AWS endpoint for s3doctor tests: one node:http server on 127.0.0.1 that answers the
// wire formats the AWS SDK for JavaScript v3 parses (S3 REST XML, S3 Control REST XML,
// IAM/STS Query XML, KMS/Organizations JSON 1.1) from a plain "world" object. Extend as needed.
//
//   import { startFakeAws } from './fake-aws-endpoint.mjs';
//   const fake = await startFakeAws(world);        // fake.url = 'http://127.0.0.1:PORT'
//   new S3Client({ endpoint: fake.url, forcePathStyle: true, region: 'us-east-1',
//                  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
//   fake.calls -> [{ service, op }] ; await fake.close();
//
// S3 Control puts the account id in front of the host (111122223333.127.0.0.1 is no URL): give
// its client endpointProvider: fake.endpointProvider (product code: accept it by injection).
// Set maxAttempts: 1 in tests: the SDK retries 5xx and throttling errors (SlowDown: ~2 s).
// Routing uses the SigV4 scope in the Authorization header (".../us-east-1/iam/aws4_request"),
// so one port serves every client. An error is injected by putting { error: [status, code] }
// where a value is expected, e.g. buckets.b.policy = { error: [403, 'AccessDenied'] }.
import http from 'node:http';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const S3NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const NS = { iam: 'https://iam.amazonaws.com/doc/2010-05-08/', sts: 'https://sts.amazonaws.com/doc/2011-06-15/' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tags = (obj) => Object.entries(obj).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
const isErr = (v) => v && typeof v === 'object' && Array.isArray(v.error);

function reply(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'x-amz-request-id': 'FAKEREQ' });
  res.end(body);
}
// S3 and S3 Control error body: <Error><Code/>...</Error>
function restError(res, [status, code, message = code]) {
  reply(res, status, 'application/xml', `${XML}<Error><Code>${code}</Code><Message>${esc(message)}</Message><RequestId>FAKEREQ</RequestId></Error>`);
}
// IAM/STS error body: <ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>
function queryError(res, svc, [status, code, message = code]) {
  reply(res, status, 'text/xml', `${XML}<ErrorResponse xmlns="${NS[svc]}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>FAKEREQ</RequestId></ErrorResponse>`);
}

function s3(world, req, url, res) {
  const [bucketName, ...key] = url.pathname.slice(1).split('/');
  const sub = [...url.searchParams.keys()].find((k) => k !== 'x-id') ?? '';
  const b = world.buckets?.[bucketName];
  if (!b) return restError(res, [404, 'NoSuchBucket', 'The specified bucket does not exist']);
  if (req.method === 'HEAD') return isErr(b.head) ? restError(res, b.head.error) : reply(res, 200, 'application/xml', ''); // HEAD replies carry no body
  const v = { policy: b.policy, acl: b.acl, publicAccessBlock: b.publicAccessBlock, ownershipControls: b.ownership, location: b.region ?? 'us-east-1' }[sub];
  if (isErr(v)) return restError(res, v.error);
  if (sub === 'policy') {
    if (!v) return restError(res, [404, 'NoSuchBucketPolicy', 'The bucket policy does not exist']);
    return reply(res, 200, 'application/json', typeof v === 'string' ? v : JSON.stringify(v)); // raw JSON body
  }
  if (sub === 'acl') {
    const acl = v ?? { owner: world.canonicalId, grants: [{ id: world.canonicalId, permission: 'FULL_CONTROL' }] };
    const grants = acl.grants.map((g) => g.uri
      ? `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${esc(g.uri)}</URI></Grantee><Permission>${g.permission}</Permission></Grant>`
      : `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${g.id}</ID></Grantee><Permission>${g.permission}</Permission></Grant>`).join('');
    return reply(res, 200, 'application/xml', `${XML}<AccessControlPolicy xmlns="${S3NS}"><Owner><ID>${acl.owner}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`);
  }
  if (sub === 'publicAccessBlock') {
    if (!v) return restError(res, [404, 'NoSuchPublicAccessBlockConfiguration']);
    return reply(res, 200, 'application/xml', `${XML}<PublicAccessBlockConfiguration xmlns="${S3NS}">${tags(v)}</PublicAccessBlockConfiguration>`);
  }
  if (sub === 'ownershipControls') {
    if (!v) return restError(res, [404, 'OwnershipControlsNotFoundError']);
    return reply(res, 200, 'application/xml', `${XML}<OwnershipControls xmlns="${S3NS}"><Rule><ObjectOwnership>${v}</ObjectOwnership></Rule></OwnershipControls>`);
  }
  if (sub === 'location') {
    return reply(res, 200, 'application/xml', `${XML}<LocationConstraint xmlns="${S3NS}">${v === 'us-east-1' ? '' : v}</LocationConstraint>`);
  }
  return restError(res, [501, 'NotImplemented', `fake S3 has no handler for ?${sub} ${req.method}`]);
}

// S3 Control: GET /v20180820/configuration/publicAccessBlock, account id in x-amz-account-id.
function s3control(world, req, url, res) {
  const account = req.headers['x-amz-account-id'];
  if (url.pathname.endsWith('/configuration/publicAccessBlock')) {
    const v = world.accountPublicAccessBlock?.[account];
    if (isErr(v)) return restError(res, v.error);
    if (!v) return restError(res, [404, 'NoSuchPublicAccessBlockConfiguration']);
    return reply(res, 200, 'application/xml', `${XML}<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${tags(v)}</PublicAccessBlockConfiguration>`);
  }
  return restError(res, [501, 'NotImplemented', url.pathname]);
}

function query(world, svc, p, res) {
  const action = p.get('Action');
  const ok = (inner) => reply(res, 200, 'text/xml', `${XML}<${action}Response xmlns="${NS[svc]}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>FAKEREQ</RequestId></ResponseMetadata></${action}Response>`);
  if (svc === 'sts' && action === 'GetCallerIdentity') {
    if (isErr(world.caller)) return queryError(res, svc, world.caller.error);
    return ok(tags({ UserId: world.caller.userId, Account: world.caller.account, Arn: world.caller.arn }));
  }
  if (svc !== 'iam') return queryError(res, svc, [400, 'InvalidAction', `fake ${svc} has no ${action}`]);
  const name = p.get('RoleName');
  const role = world.roles?.[name];
  if (isErr(role)) return queryError(res, svc, role.error);
  if (name && !role) return queryError(res, svc, [404, 'NoSuchEntity', `The role with name ${name} cannot be found.`]);
  const doc = (d) => encodeURIComponent(JSON.stringify(d)); // IAM returns policy documents URL-encoded
  switch (action) {
    case 'GetRole':
      return ok(`<Role>${tags({ Path: '/', RoleName: name, RoleId: role.id ?? 'AROAFAKE', Arn: `arn:aws:iam::${world.caller.account}:role/${name}`, CreateDate: '2024-01-01T00:00:00Z', AssumeRolePolicyDocument: doc(role.trust ?? {}) })}` +
        (role.boundary ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${role.boundary}</PermissionsBoundaryArn></PermissionsBoundary>` : '') + '</Role>');
    case 'ListAttachedRolePolicies':
      return ok(`<AttachedPolicies>${Object.keys(role.attached ?? {}).map((arn) => `<member>${tags({ PolicyName: arn.split('/').pop(), PolicyArn: arn })}</member>`).join('')}</AttachedPolicies><IsTruncated>false</IsTruncated>`);
    case 'ListRolePolicies':
      return ok(`<PolicyNames>${Object.keys(role.inline ?? {}).map((n) => `<member>${esc(n)}</member>`).join('')}</PolicyNames><IsTruncated>false</IsTruncated>`);
    case 'GetRolePolicy': {
      const d = role.inline?.[p.get('PolicyName')];
      if (!d) return queryError(res, svc, [404, 'NoSuchEntity', 'The role policy cannot be found.']);
      return ok(tags({ RoleName: name, PolicyName: p.get('PolicyName'), PolicyDocument: doc(d) }));
    }
    default:
      return queryError(res, svc, [400, 'InvalidAction', `fake iam has no ${action}`]);
  }
}

// JSON 1.1 services (KMS, Organizations): X-Amz-Target: TrentService.GetKeyPolicy; errors as
// {"__type": ...}. world.json[Operation] = (input) => output overrides or adds operations.
function json11(world, target, body, res) {
  const op = target.split('.')[1];
  const j = (status, obj) => reply(res, status, 'application/x-amz-json-1.1', JSON.stringify(obj));
  const fail = ([status, type, message = type]) => j(status, { __type: type, message });
  if (world.json?.[op]) { const out = world.json[op](body); return isErr(out) ? fail(out.error) : j(200, out); }
  if (op === 'GetKeyPolicy') {
    const key = world.kmsKeys?.[body.KeyId];
    if (isErr(key)) return fail(key.error);
    if (!key) return fail([400, 'NotFoundException', `Key '${body.KeyId}' does not exist`]);
    return j(200, { Policy: JSON.stringify(key.policy), PolicyName: 'default' });
  }
  return fail([400, 'UnsupportedOperationException', `fake has no ${target}`]);
}

export async function startFakeAws(world, { port = 0, latencyMs = 0 } = {}) {
  const calls = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => setTimeout(() => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://fake');
      const svc = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 's3';
      const target = req.headers['x-amz-target'];
      try {
        if (target) { calls.push({ service: svc, op: target }); return json11(world, target, JSON.parse(body || '{}'), res); }
        if (svc === 'iam' || svc === 'sts') {
          const p = new URLSearchParams(body);
          calls.push({ service: svc, op: p.get('Action') });
          return query(world, svc, p, res);
        }
        if (url.pathname.startsWith('/v20180820/')) { calls.push({ service: 's3control', op: `${req.method} ${url.pathname}` }); return s3control(world, req, url, res); }
        calls.push({ service: 's3', op: `${req.method} ${url.pathname}${url.search}` });
        return s3(world, req, url, res);
      } catch (e) {
        return restError(res, [500, 'InternalError', String(e)]);
      }
    }, latencyMs));
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  const endpointProvider = () => ({ url: new URL(url) });
  return { url, calls, server, endpointProvider, close: () => new Promise((ok) => server.close(ok)) };
}

// `node fake-aws-endpoint.mjs` serves a small demo world until killed.
if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeAws({
    caller: { userId: 'AROAFAKE:dev', account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev' },
    canonicalId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    buckets: { 'demo-bucket': { policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::demo-bucket/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }, ownership: 'BucketOwnerEnforced' } },
    roles: { dev: { inline: { s3: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } } },
  }, { port: Number(process.env.PORT ?? 0) });
  console.log(`fake AWS listening on ${fake.url}`);
}
