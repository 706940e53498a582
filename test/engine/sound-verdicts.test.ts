// Verdicts under unknown evidence (issue 12): the decision states what the evidence proves, a certain
// false in an AND of layers stays false whatever the unknowns hold, the cause follows the account
// relationship, enhanced messages fix the kind, and fixes say "may still be blocked" for unknowns.

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
      /^Implicit deny: no policy allowed it; an explicit deny is also possible \(unknown: sessions\./,
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
    expect(decisionLabel(r)).toBe('Implicit deny: no policy allowed it');
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
