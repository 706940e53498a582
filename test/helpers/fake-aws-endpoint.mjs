// Fake AWS endpoint for the live collector tests (our own test helper), extended from the team's
// /work/shared/examples/fake-aws-endpoint.mjs: one node:http server on 127.0.0.1 answering the wire
// formats the AWS SDK for JavaScript v3 parses (S3 REST XML, S3 Control REST XML, IAM/STS/EC2 Query
// XML, KMS/Organizations JSON 1.1) from a plain "world" object. Added here: several accounts (the
// account is taken from the access key: `AKIDTEST` = world.caller.account, AssumeRole hands out
// `ASIAFAKE<account>...`), IAM users/groups/managed policies, STS AssumeRole, bucket encryption,
// request payment, Object Lock, objects (HEAD, ACL, retention, legal hold, tagging), region
// redirects (301 PermanentRedirect when the signing region is not the bucket's), S3 Control access
// points, KMS DescribeKey/ListAliases, Organizations, EC2 DescribeVpcEndpoints, SNS Publish, bucket logging and
// lifecycle, CloudTrail trails/selectors/status and event data stores, CloudFormation stacks
// (DescribeStacks, DescribeStackResources by stack or physical id, ListStackResources, ListExports from
// `accounts[id].stacks[name] = { region, parameters, outputs: [{ key, value, exportName }], resources:
// [{ logicalId, physicalId, type }] }`; `accounts[id].cloudformationDenied: ['ListExports']`), injected faults
// (throttling: `faults: [{ op: 'GetBucketPolicy', error: [503, 'SlowDown'], times: 1 }]`), slow
// answers (`slow: { GetBucketAcl: 500 }`), latency per call, and calls logged as
// `{ service, op, account, region }`, and `stats.maxInFlight` (most requests answered at once).
//
//   const fake = await startFakeAws(world, { latencyMs: 0 });  // fake.url, fake.calls, fake.close()
//
// An error is injected by putting { error: [status, code] } where a value is expected.
import http from 'node:http';
import { URLSearchParams } from 'node:url';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const S3NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const S3CNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const NS = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tags = (obj) =>
  Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
    .join('');
const isErr = (v) => v && typeof v === 'object' && Array.isArray(v.error);
const json = (d) => (typeof d === 'string' ? d : JSON.stringify(d));
const enc = (d) => encodeURIComponent(json(d)); // IAM returns policy documents URL-encoded

function reply(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'x-amz-request-id': 'FAKEREQ', ...headers });
  res.end(body);
}
function restError(res, [status, code, message = code], headers = {}) {
  reply(
    res,
    status,
    'application/xml',
    `${XML}<Error><Code>${code}</Code><Message>${esc(message)}</Message><RequestId>FAKEREQ</RequestId></Error>`,
    headers,
  );
}
function queryError(res, svc, [status, code, message = code]) {
  if (svc === 'ec2') {
    return reply(
      res,
      status,
      'text/xml',
      `${XML}<Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>FAKEREQ</RequestID></Response>`,
    );
  }
  reply(
    res,
    status,
    'text/xml',
    `${XML}<ErrorResponse xmlns="${NS[svc]}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>FAKEREQ</RequestId></ErrorResponse>`,
  );
}

const aclXml = (acl) => {
  const grants = acl.grants
    .map((g) =>
      g.uri
        ? `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${esc(g.uri)}</URI></Grantee><Permission>${g.permission}</Permission></Grant>`
        : `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${g.id}</ID></Grantee><Permission>${g.permission}</Permission></Grant>`,
    )
    .join('');
  return `${XML}<AccessControlPolicy xmlns="${S3NS}"><Owner><ID>${acl.owner}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`;
};

/** S3 path-style REST: bucket configuration and objects. */
function s3(world, ctx, req, url, res) {
  const [bucketName, ...keyParts] = url.pathname.slice(1).split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const sub = [...url.searchParams.keys()].find((k) => k !== 'x-id' && k !== 'versionId') ?? '';
  const b = world.buckets?.[bucketName];
  const head = req.method === 'HEAD';
  const op = s3Op(req.method, key, sub);
  ctx.op = op;
  if (!b) return restError(res, [404, 'NoSuchBucket', 'The specified bucket does not exist']);
  const region = b.region ?? 'us-east-1';
  const regionHeader = { 'x-amz-bucket-region': region };
  // `hideRegion`: HeadBucket answers without x-amz-bucket-region (to test region discovery failing).
  if (op === 'HeadBucket' && b.hideRegion)
    return restError(res, [
      ctx.region === region ? 403 : 301,
      ctx.region === region ? 'AccessDenied' : 'PermanentRedirect',
    ]);
  if (op !== 'GetBucketLocation' && ctx.region !== region) {
    return restError(
      res,
      [
        301,
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint.',
      ],
      regionHeader,
    );
  }
  const owner = b.account ?? world.caller.account;
  const isOwner = ctx.account === owner;
  const canRead = isOwner || (b.readers ?? []).includes(ctx.account);
  if (op === 'HeadBucket') {
    if (isErr(b.head)) return restError(res, b.head.error, regionHeader);
    if (!canRead) return restError(res, [403, 'AccessDenied'], regionHeader);
    return reply(res, 200, 'application/xml', '', regionHeader);
  }
  if (op === 'GetBucketLocation') {
    if (isErr(b.location)) return restError(res, b.location.error);
    if (!canRead) return restError(res, [403, 'AccessDenied']);
    const v = region === 'us-east-1' ? '' : region === 'eu-west-1' && b.legacyEU ? 'EU' : region;
    return reply(
      res,
      200,
      'application/xml',
      `${XML}<LocationConstraint xmlns="${S3NS}">${v}</LocationConstraint>`,
    );
  }
  if (op === 'GetBucketPolicy') {
    if (isErr(b.policy)) return restError(res, b.policy.error);
    // Only the owner account may read a bucket policy; others get 405 (AWS GetBucketPolicy docs).
    if (!isOwner)
      return restError(res, [
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      ]);
    if (!b.policy) return restError(res, [404, 'NoSuchBucketPolicy', 'The bucket policy does not exist']);
    return reply(res, 200, 'application/json', json(b.policy));
  }
  if (!key) {
    const v = {
      acl: b.acl,
      publicAccessBlock: b.publicAccessBlock,
      ownershipControls: b.ownership,
      encryption: b.encryption,
      requestPayment: b.requestPayment,
      'object-lock': b.objectLock,
      logging: b.logging,
      lifecycle: b.lifecycle,
    }[sub];
    if (isErr(v)) return restError(res, v.error);
    if (!canRead) return restError(res, [403, 'AccessDenied', 'Access Denied']);
    const canonical = world.canonicalIds?.[owner] ?? 'c'.repeat(64);
    switch (sub) {
      case 'acl':
        return reply(
          res,
          200,
          'application/xml',
          aclXml(v ?? { owner: canonical, grants: [{ id: canonical, permission: 'FULL_CONTROL' }] }),
        );
      case 'publicAccessBlock':
        if (!v) return restError(res, [404, 'NoSuchPublicAccessBlockConfiguration']);
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<PublicAccessBlockConfiguration xmlns="${S3NS}">${tags(v)}</PublicAccessBlockConfiguration>`,
        );
      case 'ownershipControls':
        if (!v) return restError(res, [404, 'OwnershipControlsNotFoundError']);
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<OwnershipControls xmlns="${S3NS}"><Rule><ObjectOwnership>${v}</ObjectOwnership></Rule></OwnershipControls>`,
        );
      case 'encryption':
        if (!v) return restError(res, [404, 'ServerSideEncryptionConfigurationNotFoundError']);
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<ServerSideEncryptionConfiguration xmlns="${S3NS}"><Rule><ApplyServerSideEncryptionByDefault>${tags({ SSEAlgorithm: v.SSEAlgorithm, KMSMasterKeyID: v.KMSMasterKeyID })}</ApplyServerSideEncryptionByDefault>${tags({ BucketKeyEnabled: v.BucketKeyEnabled })}</Rule></ServerSideEncryptionConfiguration>`,
        );
      case 'requestPayment':
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<RequestPaymentConfiguration xmlns="${S3NS}"><Payer>${v ?? 'BucketOwner'}</Payer></RequestPaymentConfiguration>`,
        );
      case 'object-lock': {
        if (!v)
          return restError(res, [
            404,
            'ObjectLockConfigurationNotFoundError',
            'Object Lock configuration does not exist for this bucket',
          ]);
        const rule = v.defaultRetention
          ? `<Rule><DefaultRetention>${tags(v.defaultRetention)}</DefaultRetention></Rule>`
          : '';
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<ObjectLockConfiguration xmlns="${S3NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`,
        );
      }
      case 'logging': {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html: no LoggingEnabled = off.
        const fmt = v?.TargetObjectKeyFormat?.PartitionedPrefix
          ? `<TargetObjectKeyFormat><PartitionedPrefix>${tags({ PartitionDateSource: v.TargetObjectKeyFormat.PartitionedPrefix.PartitionDateSource })}</PartitionedPrefix></TargetObjectKeyFormat>`
          : v?.TargetObjectKeyFormat?.SimplePrefix
            ? '<TargetObjectKeyFormat><SimplePrefix></SimplePrefix></TargetObjectKeyFormat>'
            : '';
        const inner = v
          ? `<LoggingEnabled>${tags({ TargetBucket: v.TargetBucket, TargetPrefix: v.TargetPrefix })}${fmt}</LoggingEnabled>`
          : '';
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<BucketLoggingStatus xmlns="${S3NS}">${inner}</BucketLoggingStatus>`,
        );
      }
      case 'lifecycle': {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
        if (!v)
          return restError(res, [
            404,
            'NoSuchLifecycleConfiguration',
            'The lifecycle configuration does not exist',
          ]);
        const rules = v
          .map(
            (r) =>
              `<Rule>${tags({ ID: r.ID })}${r.Filter ? `<Filter>${tags({ Prefix: r.Filter.Prefix })}</Filter>` : ''}<Status>${r.Status}</Status>${r.Expiration ? `<Expiration>${tags(r.Expiration)}</Expiration>` : ''}</Rule>`,
          )
          .join('');
        return reply(
          res,
          200,
          'application/xml',
          `${XML}<LifecycleConfiguration xmlns="${S3NS}">${rules}</LifecycleConfiguration>`,
        );
      }
      default:
        return restError(res, [501, 'NotImplemented', `fake S3 has no handler for ?${sub} ${req.method}`]);
    }
  }
  // Objects.
  const o = b.objects?.[key];
  if (isErr(o)) return restError(res, o.error);
  const field = {
    '': o?.head,
    acl: o?.acl,
    retention: o?.retention,
    'legal-hold': o?.legalHold,
    tagging: o?.tags,
  }[sub];
  if (isErr(field)) return restError(res, field.error);
  if (!canRead) return restError(res, [403, 'AccessDenied', 'Access Denied']);
  // Requester Pays: other accounts must acknowledge the charges on object requests.
  if (b.requestPayment === 'Requester' && !isOwner && req.headers['x-amz-request-payer'] !== 'requester') {
    return restError(res, [403, 'AccessDenied', 'Access Denied']);
  }
  if (!o) return restError(res, [404, 'NoSuchKey', 'The specified key does not exist.']);
  if (head) {
    const h = o.head ?? {};
    const headers = {
      'content-length': '0',
      etag: '"d41d8cd98f00b204e9800998ecf8427e"',
      'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
      ...(h.storageClass && h.storageClass !== 'STANDARD' ? { 'x-amz-storage-class': h.storageClass } : {}),
      ...(h.restore ? { 'x-amz-restore': h.restore } : {}),
      'x-amz-server-side-encryption': h.sse ?? 'AES256',
      ...(h.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': h.kmsKeyId } : {}),
      ...(h.lockMode ? { 'x-amz-object-lock-mode': h.lockMode } : {}),
      ...(h.retainUntil ? { 'x-amz-object-lock-retain-until-date': h.retainUntil } : {}),
      ...(h.legalHold ? { 'x-amz-object-lock-legal-hold': h.legalHold } : {}),
    };
    return reply(res, 200, 'application/xml', '', headers);
  }
  const canonical = world.canonicalIds?.[o.owner ?? owner] ?? 'c'.repeat(64);
  switch (sub) {
    case 'acl':
      return reply(
        res,
        200,
        'application/xml',
        aclXml(o.acl ?? { owner: canonical, grants: [{ id: canonical, permission: 'FULL_CONTROL' }] }),
      );
    case 'retention':
      if (!o.retention)
        return restError(res, [
          404,
          'NoSuchObjectLockConfiguration',
          'The specified object does not have a ObjectLock configuration',
        ]);
      return reply(
        res,
        200,
        'application/xml',
        `${XML}<Retention xmlns="${S3NS}">${tags(o.retention)}</Retention>`,
      );
    case 'legal-hold':
      if (!o.legalHold)
        return restError(res, [
          404,
          'NoSuchObjectLockConfiguration',
          'The specified object does not have a ObjectLock configuration',
        ]);
      return reply(
        res,
        200,
        'application/xml',
        `${XML}<LegalHold xmlns="${S3NS}"><Status>${o.legalHold}</Status></LegalHold>`,
      );
    case 'tagging': {
      const set = Object.entries(o.tags ?? {})
        .map(([k, v]) => `<Tag><Key>${esc(k)}</Key><Value>${esc(v)}</Value></Tag>`)
        .join('');
      return reply(
        res,
        200,
        'application/xml',
        `${XML}<Tagging xmlns="${S3NS}"><TagSet>${set}</TagSet></Tagging>`,
      );
    }
    default:
      return restError(res, [
        501,
        'NotImplemented',
        `fake S3 has no object handler for ?${sub} ${req.method}`,
      ]);
  }
}

function s3Op(method, key, sub) {
  if (method === 'HEAD') return key ? 'HeadObject' : 'HeadBucket';
  const bucketOps = {
    location: 'GetBucketLocation',
    policy: 'GetBucketPolicy',
    acl: 'GetBucketAcl',
    publicAccessBlock: 'GetPublicAccessBlock',
    ownershipControls: 'GetBucketOwnershipControls',
    encryption: 'GetBucketEncryption',
    requestPayment: 'GetBucketRequestPayment',
    'object-lock': 'GetObjectLockConfiguration',
    logging: 'GetBucketLogging',
    lifecycle: 'GetBucketLifecycleConfiguration',
  };
  const objectOps = {
    acl: 'GetObjectAcl',
    retention: 'GetObjectRetention',
    'legal-hold': 'GetObjectLegalHold',
    tagging: 'GetObjectTagging',
    '': 'GetObject',
  };
  return (key ? objectOps[sub] : bucketOps[sub]) ?? `${method} ?${sub}`;
}

/** S3 Control REST: account BPA and access points; the account id comes in x-amz-account-id. */
function s3control(world, ctx, req, url, res) {
  const account = req.headers['x-amz-account-id'];
  const path = url.pathname.replace(/^\/v20180820/, '');
  const acct = world.accounts?.[account] ?? {};
  if (path === '/configuration/publicAccessBlock') {
    ctx.op = 'GetPublicAccessBlock';
    const v = acct.publicAccessBlock;
    if (isErr(v)) return restError(res, v.error);
    if (account !== ctx.account) return restError(res, [403, 'AccessDenied', 'Access Denied']);
    if (!v)
      return restError(res, [
        404,
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
      ]);
    return reply(
      res,
      200,
      'application/xml',
      `${XML}<PublicAccessBlockConfiguration xmlns="${S3CNS}">${tags(v)}</PublicAccessBlockConfiguration>`,
    );
  }
  const m = /^\/accesspoint\/([^/]+)(\/policy)?$/.exec(path);
  if (m) {
    const name = decodeURIComponent(m[1]);
    ctx.op = m[2] ? 'GetAccessPointPolicy' : 'GetAccessPoint';
    const ap = acct.accessPoints?.[name];
    if (isErr(ap)) return restError(res, ap.error);
    if (account !== ctx.account) return restError(res, [403, 'AccessDenied', 'Access Denied']);
    if (!ap || (ap.region ?? 'us-east-1') !== ctx.region)
      return restError(res, [404, 'NoSuchAccessPoint', 'The specified accesspoint does not exist']);
    if (m[2]) {
      if (isErr(ap.policy)) return restError(res, ap.policy.error);
      if (!ap.policy)
        return restError(res, [
          404,
          'NoSuchAccessPointPolicy',
          'The specified accesspoint policy does not exist',
        ]);
      return reply(
        res,
        200,
        'application/xml',
        `${XML}<GetAccessPointPolicyResult xmlns="${S3CNS}"><Policy>${esc(json(ap.policy))}</Policy></GetAccessPointPolicyResult>`,
      );
    }
    const vpc = ap.vpcId ? `<VpcConfiguration><VpcId>${ap.vpcId}</VpcId></VpcConfiguration>` : '';
    const bpa = ap.publicAccessBlock
      ? `<PublicAccessBlockConfiguration>${tags(ap.publicAccessBlock)}</PublicAccessBlockConfiguration>`
      : '';
    return reply(
      res,
      200,
      'application/xml',
      `${XML}<GetAccessPointResult xmlns="${S3CNS}">${tags({ Name: name, Bucket: ap.bucket, NetworkOrigin: ap.vpcId ? 'VPC' : 'Internet' })}${vpc}${bpa}${tags({ CreationDate: '2024-01-01T00:00:00Z', BucketAccountId: ap.bucketAccount ?? account })}</GetAccessPointResult>`,
    );
  }
  ctx.op = `${req.method} ${path}`;
  return restError(res, [501, 'NotImplemented', url.pathname]);
}

const member = (xs, f) => xs.map((x) => `<member>${f(x)}</member>`).join('');
const tagXml = (t) =>
  t ? `<Tags>${member(Object.entries(t), ([k, v]) => tags({ Key: k, Value: v }))}</Tags>` : '';
const boundaryXml = (arn) =>
  arn
    ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${arn}</PermissionsBoundaryArn></PermissionsBoundary>`
    : '';
// `world.pageSize` makes IAM list calls paginate (Marker / IsTruncated), one page per call.
let pageSize = Infinity;
const page = (items, p) => {
  const start = Number(p.get('Marker') ?? 0);
  const slice = items.slice(start, start + pageSize);
  const more = start + pageSize < items.length;
  return {
    slice,
    tail: more
      ? `<IsTruncated>true</IsTruncated><Marker>${start + pageSize}</Marker>`
      : '<IsTruncated>false</IsTruncated>',
  };
};
const attachedXml = (arns = [], p) => {
  const { slice, tail } = page(arns, p);
  return `<AttachedPolicies>${member(slice, (arn) => tags({ PolicyName: arn.split('/').pop(), PolicyArn: arn }))}</AttachedPolicies>${tail}`;
};
const namesXml = (obj = {}, p) => {
  const { slice, tail } = page(Object.keys(obj), p);
  return `<PolicyNames>${member(slice, esc)}</PolicyNames>${tail}`;
};

/**
 * CloudFormation (Query protocol): the stacks of the signing account in the signing region.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html
 */
function cloudformation(acct, ctx, action, p, ok, fail) {
  if ((acct.cloudformationDenied ?? []).includes(action))
    return fail([
      403,
      'AccessDenied',
      `User: arn:aws:iam::${ctx.account}:user/fake is not authorized to perform: cloudformation:${action}`,
    ]);
  const arnOf = (name) => `arn:aws:cloudformation:${ctx.region}:${ctx.account}:stack/${name}/fake-${name}`;
  const stacks = Object.entries(acct.stacks ?? {}).filter(
    ([, s]) => (s.region ?? 'us-east-1') === ctx.region,
  );
  const byName = (id) => stacks.find(([name]) => id === name || id === arnOf(name));
  const resourceXml = (name, r, withStack) =>
    tags({
      ...(withStack ? { StackName: name, StackId: arnOf(name) } : {}),
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      Timestamp: '2024-01-01T00:00:00Z',
      LastUpdatedTimestamp: '2024-01-01T00:00:00Z',
      ResourceStatus: 'CREATE_COMPLETE',
    });
  if (action === 'DescribeStacks') {
    const id = p.get('StackName');
    const hit = byName(id);
    if (!hit) return fail([400, 'ValidationError', `Stack with id ${id} does not exist`]);
    const [name, s] = hit;
    const params = member(Object.entries(s.parameters ?? {}), ([k, v]) =>
      tags({ ParameterKey: k, ParameterValue: v }),
    );
    const outputs = member(s.outputs ?? [], (o) =>
      tags({ OutputKey: o.key, OutputValue: o.value, ExportName: o.exportName }),
    );
    return ok(
      `<Stacks><member>${tags({ StackId: arnOf(name), StackName: name, CreationTime: '2024-01-01T00:00:00Z', StackStatus: 'CREATE_COMPLETE' })}<Parameters>${params}</Parameters><Outputs>${outputs}</Outputs></member></Stacks>`,
    );
  }
  if (action === 'DescribeStackResources') {
    const phys = p.get('PhysicalResourceId');
    const hit = phys
      ? stacks.find(([, s]) => (s.resources ?? []).some((r) => r.physicalId === phys))
      : byName(p.get('StackName'));
    if (!hit)
      return fail([
        400,
        'ValidationError',
        phys ? `Stack for ${phys} does not exist` : `Stack with id ${p.get('StackName')} does not exist`,
      ]);
    const [name, s] = hit;
    return ok(
      `<StackResources>${member((s.resources ?? []).slice(0, 100), (r) => resourceXml(name, r, true))}</StackResources>`,
    );
  }
  if (action === 'ListStackResources') {
    const hit = byName(p.get('StackName'));
    if (!hit) return fail([400, 'ValidationError', `Stack with id ${p.get('StackName')} does not exist`]);
    const [name, s] = hit;
    const start = Number(p.get('NextToken') ?? 0);
    const all = s.resources ?? [];
    const slice = all.slice(start, start + pageSize);
    const next = start + pageSize < all.length ? `<NextToken>${start + pageSize}</NextToken>` : '';
    return ok(
      `<StackResourceSummaries>${member(slice, (r) => resourceXml(name, r, false))}</StackResourceSummaries>${next}`,
    );
  }
  if (action === 'ListExports') {
    const all = stacks.flatMap(([name, s]) =>
      (s.outputs ?? []).filter((o) => o.exportName).map((o) => ({ name, o })),
    );
    return ok(
      `<Exports>${member(all, ({ name, o }) => tags({ ExportingStackId: arnOf(name), Name: o.exportName, Value: o.value }))}</Exports>`,
    );
  }
  return fail([400, 'InvalidAction', `fake cloudformation has no ${action}`]);
}

/** IAM, STS and EC2 Query protocol. */
function query(world, ctx, svc, p, res) {
  const action = p.get('Action');
  pageSize = world.pageSize ?? Infinity;
  ctx.op = action;
  const ok = (inner) =>
    reply(
      res,
      200,
      'text/xml',
      svc === 'ec2'
        ? `${XML}<${action}Response xmlns="${NS.ec2}"><requestId>FAKEREQ</requestId>${inner}</${action}Response>`
        : `${XML}<${action}Response xmlns="${NS[svc]}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>FAKEREQ</RequestId></ResponseMetadata></${action}Response>`,
    );
  const fail = (e) => queryError(res, svc, e);
  const acct = world.accounts?.[ctx.account] ?? {};
  if (svc === 'sts') {
    if (action === 'GetCallerIdentity') {
      if (isErr(world.caller)) return fail(world.caller.error);
      if (ctx.account === world.caller.account && !ctx.assumed)
        return ok(
          tags({ UserId: world.caller.userId, Account: world.caller.account, Arn: world.caller.arn }),
        );
      return ok(
        tags({
          UserId: `AROAFAKE:s3doctor`,
          Account: ctx.account,
          Arn: `arn:aws:sts::${ctx.account}:assumed-role/${ctx.assumed}/s3doctor`,
        }),
      );
    }
    if (action === 'AssumeRole') {
      const arn = p.get('RoleArn') ?? '';
      const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
      const role = m && world.accounts?.[m[1]]?.roles?.[m[2]];
      if (isErr(role)) return fail(role.error);
      if (!role || role.assumable === false)
        return fail([
          403,
          'AccessDenied',
          `User: ${world.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
        ]);
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      return ok(
        `<Credentials>${tags({ AccessKeyId: `ASIAFAKE${m[1]}${m[2]}`, SecretAccessKey: 'fakesecret', SessionToken: 'fakesessiontoken', Expiration: expiration })}</Credentials>` +
          `<AssumedRoleUser>${tags({ AssumedRoleId: `AROAFAKE:${p.get('RoleSessionName')}`, Arn: `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${p.get('RoleSessionName')}` })}</AssumedRoleUser>`,
      );
    }
    return fail([400, 'InvalidAction', `fake sts has no ${action}`]);
  }
  if (svc === 'sns') {
    // SNS Publish (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): world.sns.topics[arn] is
    // { published: [] } (or { error }); each message is recorded as its request parameters.
    if (action !== 'Publish') return fail([400, 'InvalidAction', `fake sns has no ${action}`]);
    const arn = p.get('TopicArn') ?? '';
    const topic = world.sns?.topics?.[arn];
    if (isErr(topic)) return fail(topic.error);
    if (!topic) return fail([404, 'NotFound', 'Topic does not exist']);
    const message = p.get('Message') ?? '';
    if (Buffer.byteLength(message) > 262144)
      return fail([400, 'InvalidParameter', 'Invalid parameter: Message too long']);
    const id = `fake-message-${(topic.published ??= []).length + 1}`;
    topic.published.push({
      messageId: id,
      subject: p.get('Subject') ?? undefined,
      messageStructure: p.get('MessageStructure') ?? undefined,
      message,
    });
    return ok(tags({ MessageId: id }));
  }
  if (svc === 'ec2') {
    if (action !== 'DescribeVpcEndpoints') return fail([400, 'InvalidAction', `fake ec2 has no ${action}`]);
    if (isErr(acct.vpcEndpoints)) return fail(acct.vpcEndpoints.error);
    const ids = [...p.entries()].filter(([k]) => /^VpcEndpointId\.\d+$/.test(k)).map(([, v]) => v);
    const found = ids.map((id) => [id, acct.vpcEndpoints?.[id]]);
    const missing = found.find(([, e]) => !e || (e.region ?? 'us-east-1') !== ctx.region);
    if (missing)
      return fail([
        400,
        'InvalidVpcEndpointId.NotFound',
        `The Vpc Endpoint Id '${missing[0]}' does not exist`,
      ]);
    const items = found
      .map(
        ([id, e]) =>
          `<item>${tags({ vpcEndpointId: id, vpcEndpointType: 'Gateway', vpcId: e.vpcId, serviceName: `com.amazonaws.${ctx.region}.s3`, state: 'available', policyDocument: e.policy ? json(e.policy) : undefined, ownerId: ctx.account })}</item>`,
      )
      .join('');
    return ok(`<vpcEndpointSet>${items}</vpcEndpointSet>`);
  }
  if (svc === 'cloudformation') return cloudformation(acct, ctx, action, p, ok, fail);
  // IAM.
  const policyArn = p.get('PolicyArn');
  if (action === 'GetPolicy' || action === 'GetPolicyVersion') {
    const owner = /^arn:aws:iam::(\d{12}|aws):policy\//.exec(policyArn ?? '')?.[1];
    const pol =
      owner === 'aws' ? world.managedPolicies?.[policyArn] : world.accounts?.[owner]?.policies?.[policyArn];
    if (isErr(pol)) return fail(pol.error);
    if (owner !== 'aws' && owner !== ctx.account)
      return fail([
        403,
        'AccessDenied',
        `not authorized to perform: iam:${action} on resource: policy ${policyArn}`,
      ]);
    if (!pol) return fail([404, 'NoSuchEntity', `Policy ${policyArn} does not exist or is not attachable.`]);
    if (action === 'GetPolicy') {
      return ok(
        `<Policy>${tags({ PolicyName: policyArn.split('/').pop(), PolicyId: 'ANPAFAKE', Arn: policyArn, Path: '/', DefaultVersionId: pol.version ?? 'v1', AttachmentCount: 1, IsAttachable: true })}</Policy>`,
      );
    }
    if (p.get('VersionId') !== (pol.version ?? 'v1')) return fail([404, 'NoSuchEntity', 'version not found']);
    return ok(
      `<PolicyVersion>${tags({ Document: enc(pol.document), VersionId: pol.version ?? 'v1', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00Z' })}</PolicyVersion>`,
    );
  }
  const kind = p.get('UserName')
    ? 'user'
    : p.get('RoleName')
      ? 'role'
      : p.get('GroupName')
        ? 'group'
        : undefined;
  if (!kind) return fail([400, 'InvalidAction', `fake iam has no ${action}`]);
  const name = p.get(kind === 'user' ? 'UserName' : kind === 'role' ? 'RoleName' : 'GroupName');
  const entity = acct[`${kind}s`]?.[name];
  if (isErr(entity)) return fail(entity.error);
  if (!entity) return fail([404, 'NoSuchEntity', `The ${kind} with name ${name} cannot be found.`]);
  const path = entity.path ?? '/';
  const arn = `arn:aws:iam::${ctx.account}:${kind}${path}${name}`;
  const opErr = entity.errors?.[action];
  if (opErr) return fail(opErr);
  switch (action) {
    case 'GetRole':
      return ok(
        `<Role>${tags({ Path: path, RoleName: name, RoleId: entity.id ?? 'AROAFAKE', Arn: arn, CreateDate: '2024-01-01T00:00:00Z', AssumeRolePolicyDocument: enc(entity.trust ?? { Version: '2012-10-17', Statement: [] }) })}${boundaryXml(entity.boundary)}${tagXml(entity.tags)}</Role>`,
      );
    case 'GetUser':
      return ok(
        `<User>${tags({ Path: path, UserName: name, UserId: entity.id ?? 'AIDAFAKE', Arn: arn, CreateDate: '2024-01-01T00:00:00Z' })}${boundaryXml(entity.boundary)}${tagXml(entity.tags)}</User>`,
      );
    case 'ListAttachedRolePolicies':
    case 'ListAttachedUserPolicies':
    case 'ListAttachedGroupPolicies':
      return ok(attachedXml(entity.attached, p));
    case 'ListRolePolicies':
    case 'ListUserPolicies':
    case 'ListGroupPolicies':
      return ok(namesXml(entity.inline, p));
    case 'GetRolePolicy':
    case 'GetUserPolicy':
    case 'GetGroupPolicy': {
      const d = entity.inline?.[p.get('PolicyName')];
      if (!d)
        return fail([
          404,
          'NoSuchEntity',
          `The ${kind} policy with name ${p.get('PolicyName')} cannot be found.`,
        ]);
      const nameTag = kind === 'user' ? 'UserName' : kind === 'role' ? 'RoleName' : 'GroupName';
      return ok(tags({ [nameTag]: name, PolicyName: p.get('PolicyName'), PolicyDocument: enc(d) }));
    }
    case 'ListGroupsForUser':
      return ok(
        `<Groups>${member(entity.groups ?? [], (g) => tags({ Path: '/', GroupName: g, GroupId: 'AGPAFAKE', Arn: `arn:aws:iam::${ctx.account}:group/${g}`, CreateDate: '2024-01-01T00:00:00Z' }))}</Groups><IsTruncated>false</IsTruncated>`,
      );
    default:
      return fail([400, 'InvalidAction', `fake iam has no ${action}`]);
  }
}

/** JSON 1.1 services: KMS (TrentService) and Organizations (AWSOrganizationsV20161128). */
function json11(world, ctx, target, body, res) {
  const op = target.slice(target.lastIndexOf('.') + 1);
  ctx.op = op;
  const j = (status, obj) => reply(res, status, 'application/x-amz-json-1.1', JSON.stringify(obj));
  const fail = ([status, type, message = type]) => j(status, { __type: type, message });
  if (world.json?.[op]) {
    const out = world.json[op](body, ctx);
    return isErr(out) ? fail(out.error) : j(200, out);
  }
  if (ctx.service === 'cloudtrail') {
    // world.cloudtrail: { trails: [{ name, arn, homeRegion, isMultiRegion, isLogging, eventSelectors,
    // advancedEventSelectors }], eventDataStores: [{ arn, name, advancedEventSelectors, status }] } (or { error }).
    const w = world.cloudtrail ?? {};
    if (isErr(w[op])) return fail(w[op].error);
    const trails = w.trails ?? [];
    const stores = w.eventDataStores ?? [];
    const trail = (id) => trails.find((t) => t.arn === id || t.name === id);
    if (op === 'DescribeTrails')
      return j(200, {
        trailList: trails
          .filter((t) => body.includeShadowTrails || (t.homeRegion ?? 'us-east-1') === ctx.region)
          .map((t) => ({
            Name: t.name,
            TrailARN: t.arn,
            HomeRegion: t.homeRegion,
            IsMultiRegionTrail: !!t.isMultiRegion,
          })),
      });
    if (op === 'GetEventSelectors' || op === 'GetTrailStatus') {
      const t = trail(body.TrailName ?? body.Name);
      if (!t) return fail([400, 'TrailNotFoundException', 'Unknown trail']);
      if ((t.homeRegion ?? 'us-east-1') !== ctx.region)
        return fail([400, 'TrailNotFoundException', 'Trail not found in this Region']);
      if (op === 'GetTrailStatus') return j(200, { IsLogging: t.isLogging !== false });
      return j(200, {
        TrailARN: t.arn,
        ...(t.eventSelectors ? { EventSelectors: t.eventSelectors } : {}),
        ...(t.advancedEventSelectors ? { AdvancedEventSelectors: t.advancedEventSelectors } : {}),
      });
    }
    if (op === 'ListEventDataStores')
      return j(200, { EventDataStores: stores.map((s) => ({ EventDataStoreArn: s.arn, Name: s.name })) });
    if (op === 'GetEventDataStore') {
      const s = stores.find((x) => x.arn === body.EventDataStore || x.name === body.EventDataStore);
      if (!s) return fail([400, 'EventDataStoreNotFoundException', 'Unknown event data store']);
      return j(200, {
        EventDataStoreArn: s.arn,
        Name: s.name,
        Status: s.status ?? 'ENABLED',
        MultiRegionEnabled: s.multiRegion !== false,
        AdvancedEventSelectors: s.advancedEventSelectors ?? [],
      });
    }
    return fail([400, 'InvalidAction', `fake cloudtrail has no ${op}`]);
  }
  if (ctx.service === 'kms') {
    const findKey = (id) => {
      for (const [arn, k] of Object.entries(world.kmsKeys ?? {})) {
        const keyId = arn.split('/').pop();
        const aliasArn = (a) => `arn:aws:kms:${k.region ?? 'us-east-1'}:${k.account}:${a}`;
        if (id === arn || id === keyId || (k.aliases ?? []).some((a) => a === id || aliasArn(a) === id))
          return [arn, k];
      }
      return [undefined, undefined];
    };
    const [arn, key] = findKey(body.KeyId);
    if (isErr(key)) return fail(key.error);
    const visible =
      key &&
      (key.region ?? 'us-east-1') === ctx.region &&
      (key.account === ctx.account || (op === 'DescribeKey' && key.crossAccount) || body.KeyId === arn);
    if (!visible) return fail([400, 'NotFoundException', `Key '${body.KeyId}' does not exist`]);
    if (key.account !== ctx.account && !(op === 'DescribeKey' && key.crossAccount)) {
      return fail([
        400,
        'AccessDeniedException',
        `User is not authorized to perform: kms:${op} on resource: ${arn}`,
      ]);
    }
    if (isErr(key[op])) return fail(key[op].error);
    if (op === 'DescribeKey') {
      return j(200, {
        KeyMetadata: {
          KeyId: arn.split('/').pop(),
          Arn: arn,
          AWSAccountId: key.account,
          KeyManager: key.keyManager ?? 'CUSTOMER',
          KeyState: key.keyState ?? 'Enabled',
          Enabled: (key.keyState ?? 'Enabled') === 'Enabled',
          KeyUsage: 'ENCRYPT_DECRYPT',
          CreationDate: 1704067200,
        },
      });
    }
    if (op === 'GetKeyPolicy') return j(200, { Policy: json(key.policy), PolicyName: 'default' });
    if (op === 'ListAliases') {
      return j(200, {
        Aliases: (key.aliases ?? []).map((a) => ({
          AliasName: a,
          AliasArn: `arn:aws:kms:${ctx.region}:${key.account}:${a}`,
          TargetKeyId: arn.split('/').pop(),
        })),
        Truncated: false,
      });
    }
    return fail([400, 'UnsupportedOperationException', `fake has no ${target}`]);
  }
  if (ctx.service === 'organizations') {
    const org = world.organization;
    const inOrg = org && (org.members ?? []).includes(ctx.account);
    if (isErr(org?.[op])) return fail(org[op].error);
    if (op === 'DescribeOrganization') {
      if (!inOrg)
        return fail([
          400,
          'AWSOrganizationsNotInUseException',
          'Your account is not a member of an organization.',
        ]);
      return j(200, {
        Organization: {
          Id: org.id,
          Arn: `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`,
          MasterAccountId: org.managementAccount,
          FeatureSet: 'ALL',
        },
      });
    }
    if (!inOrg || !(org.readers ?? [org.managementAccount]).includes(ctx.account)) {
      return fail([400, 'AccessDeniedException', `You don't have permissions to access this resource.`]);
    }
    if (op === 'ListParents') {
      const parent = org.parents?.[body.ChildId];
      if (!parent) return fail([400, 'ChildNotFoundException', `child ${body.ChildId} not found`]);
      return j(200, {
        Parents: [{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }],
      });
    }
    if (op === 'ListPoliciesForTarget') {
      const ids = (org.attachments?.[body.TargetId] ?? []).filter(
        (id) => org.policies?.[id]?.type === body.Filter,
      );
      if (body.Filter === 'RESOURCE_CONTROL_POLICY' && org.rcpDisabled)
        return fail([
          400,
          'PolicyTypeNotEnabledException',
          'This operation can be performed only for enabled policy types.',
        ]);
      return j(200, {
        Policies: ids.map((id) => ({
          Id: id,
          Arn: `arn:aws:organizations::${org.managementAccount}:policy/${org.id}/${id}`,
          Name: org.policies[id].name,
          Type: body.Filter,
          AwsManaged: false,
        })),
      });
    }
    if (op === 'DescribePolicy') {
      const pol = org.policies?.[body.PolicyId];
      if (!pol) return fail([400, 'PolicyNotFoundException', 'policy not found']);
      return j(200, {
        Policy: {
          PolicySummary: { Id: body.PolicyId, Name: pol.name, Type: pol.type, AwsManaged: false },
          Content: json(pol.document),
        },
      });
    }
  }
  return fail([400, 'UnsupportedOperationException', `fake has no ${target}`]);
}

/** Services answered in the Query protocol (form-encoded request, XML reply). */
const QUERY_SERVICES = new Set(['iam', 'sts', 'ec2', 'sns', 'cloudformation']);

/**
 * Start the fake on 127.0.0.1. `latencyMs` delays every answer; `world.slow[op]` adds to that
 * for one operation; `world.faults` entries `{ op, error, times, service? }` answer `times`
 * calls of `op` with `error` first (e.g. throttling).
 */
export async function startFakeAws(world, { port = 0, latencyMs = 0 } = {}) {
  const calls = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const server = http.createServer();
  // Resolve the operation without answering (dry run into a recorder), then apply faults, delay and answer.
  server.on('request', (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://fake');
      const scope = /Credential=([^/]+)\/[^/]+\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? '');
      const assumedMatch = /^ASIAFAKE(\d{12})(.*)$/.exec(scope?.[1] ?? '');
      const ctx = {
        service: scope?.[3] ?? 's3',
        region: scope?.[2] ?? 'us-east-1',
        account: assumedMatch ? assumedMatch[1] : world.caller?.account,
        assumed: assumedMatch?.[2],
        op: '?',
      };
      const target = req.headers['x-amz-target'];
      const params = target ? JSON.parse(body || '{}') : new URLSearchParams(body);
      const route = (out) => {
        if (target) return json11(world, ctx, target, params, out);
        if (QUERY_SERVICES.has(ctx.service)) return query(world, ctx, ctx.service, params, out);
        if (url.pathname.startsWith('/v20180820/')) {
          ctx.service = 's3control';
          return s3control(world, ctx, req, url, out);
        }
        return s3(world, ctx, req, url, out);
      };
      // Dry run into a recorder to learn the operation name and the answer.
      const recorded = { status: 200, headers: {}, body: '' };
      const recorder = {
        writeHead(status, headers) {
          recorded.status = status;
          recorded.headers = headers;
        },
        end(b) {
          recorded.body = b ?? '';
        },
      };
      try {
        route(recorder);
      } catch (e) {
        recorded.status = 500;
        recorded.headers = { 'content-type': 'application/xml' };
        recorded.body = `${XML}<Error><Code>InternalError</Code><Message>${esc(String(e))}</Message></Error>`;
      }
      calls.push({ service: ctx.service, op: ctx.op, account: ctx.account, region: ctx.region });
      const fault = (world.faults ?? []).find(
        (f) => f.op === ctx.op && (f.times ?? 1) > 0 && (!f.service || f.service === ctx.service),
      );
      if (fault) fault.times = (fault.times ?? 1) - 1;
      const delay = latencyMs + (world.slow?.[ctx.op] ?? 0);
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      setTimeout(() => {
        stats.inFlight -= 1;
        if (res.destroyed) return;
        if (fault) {
          if (QUERY_SERVICES.has(ctx.service)) return queryError(res, ctx.service, fault.error);
          if (target)
            return reply(
              res,
              fault.error[0],
              'application/x-amz-json-1.1',
              JSON.stringify({ __type: fault.error[1], message: fault.error[1] }),
            );
          return restError(res, fault.error);
        }
        res.writeHead(recorded.status, recorded.headers);
        res.end(req.method === 'HEAD' ? undefined : recorded.body);
      }, delay);
    });
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  const endpointProvider = () => ({ url: new URL(url) });
  return {
    url,
    calls,
    stats,
    server,
    endpointProvider,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}
