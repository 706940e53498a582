// Verdicts under unknown evidence (issue 12): the decision states what the evidence proves, a certain
// false in an AND of layers stays false whatever the unknowns hold, the cause follows the account
// relationship, enhanced messages fix the kind, and fixes say "may still be blocked" for unknowns.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionLabel, verificationLabel } from '../../src/cli/format/common.js';
import { diagnose } from '../../src/engine/index.js';
import { readText } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/input.js';
import { evidenceOf } from '../rules/case-kit.js';

const A = '111122223333';
const B = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';

function record(text: string): LogRecord {
  const item = readText(text, 'pasted').find((i) => i.kind === 'record');
  if (!item || item.kind !== 'record') throw new Error('no record');
  return item.record;
}

/** An access log line: the caller (a role session), TLS and the 403 are all known. */
const LOG_LINE =
  `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [24/Nov/2026:10:00:00 +0000] 203.0.113.7 ` +
  `${SESSION} 3E57427F3EXAMPLE REST.GET.OBJECT 2026/q3.csv "GET /reports-bucket/2026/q3.csv HTTP/1.1" 403 AccessDenied 243 - 9 - "-" ` +
  `"aws-cli/2.15.0" - hostid= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -`;

/** Pasted SDK error text with S3's enhanced message tail. */
const pasted = (tail: string) =>
  record(
    `An error occurred (AccessDenied) when calling the GetObject operation: User: ${SESSION} is not authorized to perform: s3:GetObject on resource: "${OBJ}" ${tail}`,
  );

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const allowRead = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/*' });
const listOnly = doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::reports-bucket' });

interface Setup {
  identity?: unknown;
  boundary?: unknown;
  /** `undefined`: the session policy is unknown (what `collect` can gather). */
  session?: unknown;
  bucketAccount?: string;
  bucketPolicy?: unknown;
  scps?: unknown;
}

function evidence(s: Setup) {
  const sessions =
    'session' in s && s.session !== undefined ? { [SESSION]: { sessionPolicy: s.session } } : {};
  return evidenceOf({
    principals: {
      [ROLE]: {
        policies: [{ name: 'app', kind: 'inline', document: s.identity ?? listOnly }],
        permissionsBoundary:
          s.boundary === undefined ? null : { arn: `arn:aws:iam::${A}:policy/pb`, document: s.boundary },
      },
    },
    sessions,
    accounts: {
      [A]: {
        organizationId: s.scps === undefined ? null : 'o-abc',
        serviceControlPolicies: s.scps === undefined ? null : s.scps,
        resourceControlPolicies: null,
        publicAccessBlock: null,
      },
      ...(s.bucketAccount && s.bucketAccount !== A
        ? {
            [s.bucketAccount]: {
              organizationId: null,
              serviceControlPolicies: null,
              resourceControlPolicies: null,
              publicAccessBlock: null,
            },
          }
        : {}),
    },
    buckets: {
      'reports-bucket': {
        accountId: s.bucketAccount ?? A,
        region: 'us-east-1',
        policy: s.bucketPolicy ?? null,
        objectOwnership: 'BucketOwnerEnforced',
        publicAccessBlock: null,
        requestPayer: 'BucketOwner',
        encryption: null,
        objects: {
          '2026/q3.csv': {
            exists: true,
            serverSideEncryption: null,
            storageClass: 'STANDARD',
            restoreStatus: null,
          },
        },
      },
    },
  });
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
// A role session's effective permissions are the intersection of the role's identity policies and the
// session policy (and the boundary): when the identity policies grant nothing, no session policy can.
describe('the identity side is an AND: a certain missing Allow stays certain whatever the session policy', () => {
  it('same account, identity policy grants nothing, session policy unknown: missing-allow-identity-policy certain', () => {
    const r = diagnose(record(LOG_LINE), evidence({}));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
    expect(r.reproduced).toBe(true);
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
    // Same account: the bucket policy is never the cause (CONTRACT: for cross-account and anonymous callers).
    expect(r.causes.map((c) => c.code)).not.toContain('missing-allow-bucket-policy');
    expect(JSON.stringify(r)).not.toContain('outside the bucket owner account');
    expect(r.unknowns.map((u) => u.path)).toContain(`sessions.${SESSION}.sessionPolicy`);
    const label = decisionLabel(r);
    expect(label).toMatch(
      /^Implicit deny: a required Allow is missing; an explicit deny is also possible \(unknown: sessions\./,
    );
    expect(label).not.toContain('a Deny statement matched');
  });

  it('the same with the session policy known (none passed): the same cause, nothing else possible', () => {
    const r = diagnose(record(LOG_LINE), evidence({ session: null }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toBeUndefined();
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
    expect(r.causes[0]!.fixes.map((f) => f.verified)).toEqual([true, true]);
  });

  it('same account: the bucket-policy grant is offered as an alternative fix, not as the cause', () => {
    const r = diagnose(record(LOG_LINE), evidence({ session: null }));
    const fixes = r.causes[0]!.fixes;
    expect(fixes.map((f) => f.patch?.target.type)).toEqual(['identity-policy', 'bucket-policy']);
  });

  it('fixes blocked only by the unknown session policy say "may still be blocked", never "still blocked"', () => {
    const r = diagnose(record(LOG_LINE), evidence({}));
    const fix = r.causes[0]!.fixes[0]!;
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toBeUndefined();
    expect(fix.mayRemain?.unknowns).toEqual([`sessions.${SESSION}.sessionPolicy`]);
    const label = verificationLabel(fix) ?? '';
    expect(label).toContain('may still be blocked by');
    expect(label).toContain(`(unknown: sessions.${SESSION}.sessionPolicy)`);
    expect(label).not.toContain('still blocked by explicit');
  });

  it('the boundary grants nothing, session policy unknown: missing-allow-permissions-boundary certain', () => {
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead, boundary: listOnly }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-permissions-boundary', confidence: 'certain' });
    expect(r.causes.map((c) => c.code)).not.toContain('missing-allow-bucket-policy');
  });

  it('identity and boundary allow, the session policy is unknown: the refusal is left open on it', () => {
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
    expect(r.decisionOpen).toEqual([`sessions.${SESSION}.sessionPolicy`]);
    expect(r.causes.filter((c) => c.confidence === 'certain')).toEqual([]);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// Cross account, both sides must allow: the bucket owner's resource policy is what a foreign caller lacks.
describe('cause choice follows the account relationship', () => {
  it('cross account, identity allows, no bucket policy, session policy unknown: missing-allow-bucket-policy certain', () => {
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead, bucketAccount: B }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-bucket-policy', confidence: 'certain' });
    expect(r.causes[0]!.explanation).toContain('outside the bucket owner account');
  });

  it('cross account, neither side allows: both are named, each certain', () => {
    const r = diagnose(record(LOG_LINE), evidence({ bucketAccount: B }));
    const certain = r.causes.filter((c) => c.confidence === 'certain').map((c) => c.code);
    expect(certain).toEqual(
      expect.arrayContaining(['missing-allow-identity-policy', 'missing-allow-bucket-policy']),
    );
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
// S3's enhanced messages name the policy type and whether a Deny matched or an Allow is missing.
describe("the input's own words are evidence", () => {
  it('"because no identity-based policy allows" rules out a matching Deny in the unknown session policy', () => {
    const r = diagnose(
      pasted('because no identity-based policy allows the s3:GetObject action'),
      evidence({}),
    );
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toBeUndefined();
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
    expect(r.unknowns.flatMap((u) => u.couldExplain).filter((c) => c.startsWith('explicit-deny-'))).toEqual(
      [],
    );
    expect(decisionLabel(r)).toBe('Implicit deny: a required Allow is missing');
  });

  it('"with an explicit deny in a service control policy" with SCPs unreadable: ExplicitDeny, not "a Deny statement matched"', () => {
    const ev = evidenceOf({
      ...JSON.parse(JSON.stringify(evidence({ identity: allowRead, session: null }))),
      accounts: {
        [A]: { organizationId: 'o-abc', resourceControlPolicies: null, publicAccessBlock: null },
      },
    });
    const r = diagnose(pasted('with an explicit deny in a service control policy'), ev);
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.possibleDecisions).toBeUndefined();
    expect(decisionLabel(r)).not.toContain('a Deny statement matched');
    expect(decisionLabel(r)).toContain('Explicit deny');
  });

  it('a plain "Access Denied" fixes nothing beyond "denied": both refusals stay possible', () => {
    const r = diagnose(
      record(
        `An error occurred (AccessDenied) when calling the GetObject operation: User: ${SESSION} is not authorized to perform: s3:GetObject on resource: "${OBJ}"`,
      ),
      evidence({}),
    );
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
  });

  it('"a Deny statement matched" only when the evidence shows one matching', () => {
    const denyAll = doc({
      Sid: 'DenyAll',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports-bucket/*',
    });
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead, bucketPolicy: denyAll }));
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.possibleDecisions).toBeUndefined();
    expect(decisionLabel(r)).toBe('Explicit deny: a Deny statement matched');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// When every layer the evidence knows allows the request, the evidence does not reproduce the denial:
// something changed since the event.
describe('allowed now', () => {
  it('the evidence allows: Allowed, not reproduced, and the report says the configuration may have changed', () => {
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead, session: null }));
    expect(r.decision).toBe('Allowed');
    expect(r.possibleDecisions).toBeUndefined();
    expect(r.reproduced).toBe(false);
    expect(r.decisionOpen).toBeUndefined();
    expect(r.notReproducedBecause?.join(' ')).toMatch(/changed since/);
  });
});

/** A CloudTrail event (the shape of examples/missing-identity-allow/event.json), adjusted. */
function trail(over: Record<string, unknown>): LogRecord {
  const base = JSON.parse(
    readFileSync(join('examples', 'missing-identity-allow', 'event.json'), 'utf8'),
  ) as Record<string, unknown>;
  const ev = { ...base, ...over };
  delete (ev as { errorMessage?: string }).errorMessage;
  if (over.errorMessage) ev.errorMessage = over.errorMessage;
  const identity = base.userIdentity as Record<string, unknown>;
  ev.userIdentity = {
    ...identity,
    arn: SESSION,
    principalId: 'AROAEXAMPLE:s1',
    sessionContext: {
      ...(identity.sessionContext as object),
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: ROLE, accountId: A, userName: 'app' },
    },
  };
  return record(JSON.stringify({ Records: [ev] }));
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// CopyObject reads the source (s3:GetObject) and writes the destination (s3:PutObject): the fix goes
// where the refusal is.
describe('the fix targets the layer that blocks', () => {
  it('CopyObject from another account whose bucket grants nothing: the fix is on the source bucket', () => {
    const ev = evidenceOf({
      ...JSON.parse(
        JSON.stringify(
          evidence({
            identity: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }),
            session: null,
          }),
        ),
      ),
      buckets: {
        'reports-bucket': {
          accountId: A,
          region: 'us-east-1',
          policy: null,
          objectOwnership: 'BucketOwnerEnforced',
          publicAccessBlock: null,
          requestPayer: 'BucketOwner',
          encryption: null,
        },
        'partner-share': {
          accountId: B,
          region: 'us-east-1',
          policy: null,
          objectOwnership: 'BucketOwnerEnforced',
          publicAccessBlock: null,
          requestPayer: 'BucketOwner',
          encryption: null,
          objects: {
            'in/data.csv': {
              exists: true,
              serverSideEncryption: null,
              storageClass: 'STANDARD',
              restoreStatus: null,
            },
          },
        },
      },
    });
    const r = diagnose(
      trail({
        eventName: 'CopyObject',
        readOnly: false,
        requestParameters: {
          bucketName: 'reports-bucket',
          key: 'copies/q3.csv',
          'x-amz-copy-source': 'partner-share/in/data.csv',
        },
        resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::reports-bucket', accountId: A }],
      }),
      ev,
    );
    expect(r.causes[0]).toMatchObject({
      code: 'missing-allow-bucket-policy',
      confidence: 'certain',
      resource: 'arn:aws:s3:::partner-share/in/data.csv',
    });
    expect(r.causes[0]!.explanation).toContain('The bucket policy on partner-share');
    expect(r.causes[0]!.fixes[0]!.patch?.target).toEqual({ type: 'bucket-policy', id: 'partner-share' });
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// NotPrincipal must list the account too: a caller whose user is listed but not its account is matched
// at the account level, which within one account delegates to IAM and grants nothing on its own.
describe('NotPrincipal and account-level grants', () => {
  const exemptUser = doc({
    Effect: 'Allow',
    NotPrincipal: { AWS: ROLE },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::reports-bucket/*',
  });
  it('an Allow exempting the role but not its account does not grant on its own: the identity policy is the cause', () => {
    const r = diagnose(record(LOG_LINE), evidence({ bucketPolicy: exemptUser, session: null }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// Cross account, the resource owner's resource-based policy must grant too: not in the evidence, not Allowed.
describe('cross-account actions of services without a modelled resource policy', () => {
  it('sqs:SendMessage to another account: never certainly allowed on the identity policy alone', async () => {
    const { evaluateRequest, parseSimulateRequest } = await import('../../src/authz/index.js');
    const ev = evidenceOf({
      principals: {
        [`arn:aws:iam::${A}:user/alice`]: {
          policies: [
            {
              name: 'p',
              kind: 'inline',
              document: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }),
            },
          ],
          permissionsBoundary: null,
        },
      },
      accounts: {
        [A]: { organizationId: null, serviceControlPolicies: null, resourceControlPolicies: null },
        [B]: { organizationId: null, serviceControlPolicies: null, resourceControlPolicies: null },
      },
    })!;
    const req = (account: string) =>
      parseSimulateRequest({
        principal: `arn:aws:iam::${A}:user/alice`,
        action: 'sqs:SendMessage',
        resource: `arn:aws:sqs:us-east-1:${account}:jobs`,
        context: {},
      });
    const cross = evaluateRequest(req(B), ev);
    expect(cross.certain).toBe(false);
    expect(cross.possibleDecisions).toContain('ImplicitDeny');
    expect(cross.unknowns.map((u) => u.path)).toContain(`resourcePolicies.arn:aws:sqs:us-east-1:${B}:jobs`);
    // The resource-policy layer records the account relationship as the other layers do (a tri-state, not a boolean).
    const rp = cross.authorizations.flatMap((a) => a.layers).find((l) => l.layer === 'resource-policy');
    expect(rp?.facts).toMatchObject({ crossAccount: 'true' });
    const same = evaluateRequest(req(A), ev);
    expect(same.decision).toBe('Allowed');
    expect(same.certain).toBe(true);
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
// A request through a VPC endpoint comes from the endpoint's VPC: the snapshot's vpcEndpoints entry settles aws:SourceVpc.
describe('context keys the evidence implies', () => {
  it('aws:SourceVpc from the endpoint the record names and its vpcEndpoints entry', () => {
    const onlyFromVpc = doc({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::reports-bucket/*',
      Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-111' } },
    });
    const base = JSON.parse(
      JSON.stringify(evidence({ identity: allowRead, session: null, bucketPolicy: onlyFromVpc })),
    );
    const viaVpce = (vpcId: string) =>
      evidenceOf({ ...base, vpcEndpoints: { 'vpce-1a2b': { accountId: A, vpcId, policy: null } } })!;
    const rec = trail({ vpcEndpointId: 'vpce-1a2b', sourceIPAddress: '10.0.1.7' });
    const from111 = diagnose(rec, viaVpce('vpc-111'));
    expect(from111.decision).toBe('Allowed');
    expect(from111.reproduced).toBe(false);
    const from222 = diagnose(rec, viaVpce('vpc-222'));
    expect(from222.decision).toBe('ExplicitDeny');
    expect(from222.causes[0]).toMatchObject({ code: 'explicit-deny-bucket-policy', confidence: 'certain' });
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
describe('an enhanced message naming a layer whose evidence is unknown', () => {
  it('"because no session policy allows" with the session policy unknown: likely, not possible', () => {
    const r = diagnose(
      pasted('because no session policy allows the s3:GetObject action'),
      evidence({ identity: allowRead }),
    );
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-session-policy', confidence: 'likely' });
  });

  it('"because no VPC endpoint policy allows" and the record names no endpoint: likely (the evidence says nothing about it)', () => {
    // A CloudTrail event without vpcEndpointId: the endpoint layer does not apply to the request as logged.
    const event = {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: SESSION,
        accountId: A,
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: A } },
      },
      eventTime: '2026-11-24T10:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      requestParameters: { bucketName: 'reports-bucket', key: '2026/q3.csv' },
      errorCode: 'AccessDenied',
      errorMessage: `User: ${SESSION} is not authorized to perform: s3:GetObject on resource: "${OBJ}" because no VPC endpoint policy allows the s3:GetObject action`,
      eventType: 'AwsApiCall',
      recipientAccountId: A,
    };
    const r = diagnose(record(JSON.stringify(event)), evidence({ identity: allowRead }));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-vpc-endpoint-policy', confidence: 'likely' });
  });

  it('no message, the unknown session policy is the one open layer: a possible missing-allow-session-policy', () => {
    const r = diagnose(record(LOG_LINE), evidence({ identity: allowRead }));
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['missing-allow-session-policy', 'possible'],
    ]);
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
// A writer can name an SSE-KMS key per request whatever the bucket default: an object whose encryption
// the evidence does not show may need kms:Decrypt on a key nobody has read.
describe('unknown object encryption', () => {
  it('keeps the KMS step open: not a certain Allowed, and the unknown names the object encryption', () => {
    const ev = evidence({ identity: allowRead, session: null });
    const obj = ev!.buckets['reports-bucket']!.objects!['2026/q3.csv']!;
    delete obj.serverSideEncryption;
    const r = diagnose(record(LOG_LINE), ev);
    expect(r.decision).toBe('ImplicitDeny');
    const u = r.unknowns.find(
      (x) => x.path === 'buckets.reports-bucket.objects["2026/q3.csv"].serverSideEncryption',
    );
    expect(u?.couldExplain).toEqual(expect.arrayContaining(['missing-allow-kms', 'kms-key-unusable']));
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// Same account: the identity side OR the bucket policy allows; cross account: both must. Unknown resource-side
// evidence leaves a certainly missing identity Allow a cause (possible at least), never hides it.
describe('unknown resource-side evidence never hides a certain missing Allow', () => {
  it('same account, identity policy grants nothing, bucket policy unknown: missing-allow-identity-policy stays first', () => {
    const ev = evidence({ session: null });
    delete ev!.buckets['reports-bucket']!.policy;
    const r = diagnose(record(LOG_LINE), ev);
    expect(r.causes[0]?.code).toBe('missing-allow-identity-policy');
    expect(r.causes.find((c) => c.code === 'missing-allow-bucket-policy')?.confidence).not.toBe('certain');
    expect(r.unknowns.map((u) => u.path)).toContain('buckets.reports-bucket.policy');
  });

  it('bucket account unknown, nothing grants: the identity cause stays, the bucket-policy one is never certain', () => {
    const ev = evidence({ session: null });
    delete ev!.buckets['reports-bucket']!.accountId;
    const r = diagnose(record(LOG_LINE), ev);
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes.map((c) => c.code)).toContain('missing-allow-identity-policy');
    expect(r.causes.find((c) => c.code === 'missing-allow-bucket-policy')?.confidence).not.toBe('certain');
    expect(JSON.stringify(r)).not.toContain('outside the bucket owner account');
  });

  it('the boundary grants nothing, bucket policy unknown: missing-allow-permissions-boundary stays a cause', () => {
    const ev = evidence({ identity: allowRead, boundary: listOnly, session: null });
    delete ev!.buckets['reports-bucket']!.policy;
    const r = diagnose(record(LOG_LINE), ev);
    expect(r.causes[0]?.code).toBe('missing-allow-permissions-boundary');
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html (a canonical user ID is one account)
// Under ObjectWriter an object uploaded by another account stays that account's: only its ACL can grant reads.
describe('object ownership under unknown evidence', () => {
  const foreignObject = (mutate: (b: Record<string, unknown>, o: Record<string, unknown>) => void) => {
    const ev = evidence({ identity: allowRead, session: null })!;
    const b = ev.buckets['reports-bucket'] as unknown as Record<string, unknown>;
    b.objectOwnership = 'ObjectWriter';
    b.ownerCanonicalId = 'c0ffee111122223333';
    const o = (b.objects as Record<string, Record<string, unknown>>)['2026/q3.csv']!;
    o.ownerCanonicalId = 'c0ffee444455556666';
    o.acl = { Owner: { ID: 'c0ffee444455556666' }, Grants: [] };
    (ev as unknown as { canonicalIds: Record<string, string> }).canonicalIds = {
      c0ffee111122223333: A,
      c0ffee444455556666: B,
    };
    mutate(b, o);
    return diagnose(record(LOG_LINE), ev);
  };

  it("the bucket's canonical ID unknown, its account known: the object owner is still another account's", () => {
    const r = foreignObject((b) => delete b.ownerCanonicalId);
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes[0]).toMatchObject({ code: 'object-owned-by-other-account', confidence: 'certain' });
    expect(r.causes[0]!.explanation).toContain(B);
  });

  it("the foreign owner's object ACL unknown: the refusal is left open on that ACL, the owner not certain", () => {
    const r = foreignObject((_b, o) => delete o.acl);
    expect(r.decisionOpen).toEqual(['buckets.reports-bucket.objects["2026/q3.csv"].acl']);
    expect(r.causes[0]).toMatchObject({ code: 'object-owned-by-other-account', confidence: 'likely' });
    const u = r.unknowns.find((x) => x.path === 'buckets.reports-bucket.objects["2026/q3.csv"].acl');
    expect(u?.couldExplain).toContain('object-owned-by-other-account');
  });

  it('Object Ownership unknown: the refusal is left open on it (BucketOwnerEnforced would make the role the owner)', () => {
    const r = foreignObject((b) => delete b.objectOwnership);
    expect(r.decisionOpen).toContain('buckets.reports-bucket.objectOwnership');
    expect(r.causes.filter((c) => c.confidence === 'certain')).toEqual([]);
  });
});
