// verifyFix re-evaluates with the real authorization engine: verified only when now Allowed, blast radius by probes.

import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { parseSnapshot } from '../../src/evidence/index.js';
import {
  addIdentityStatement,
  addKeyPolicyStatement,
  addResourceStatement,
  applyPatchToEvidence,
  applyPatchesToEvidence,
  causeCodesOf,
  certainlyAllowed,
  cliCommands,
  contactSupport,
  exemptPrincipalFromDeny,
  measureBlastRadius,
  patchesOf,
  planProbes,
  restoreKeyState,
  sendRequestPayer,
  useHttps,
  verifyFix,
} from '../../src/fix/index.js';
import type { Fix, PolicyPatch } from '../../src/model/cause.js';
import type { AuthorizationResult, Evaluation } from '../../src/model/evaluation.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { PolicyDocument } from '../../src/model/policy.js';
import { fixture, fixtureJson, s3Request, session, user } from './helpers.js';
import { verificationLabel } from '../../src/cli/format/common.js';

const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';
const PARTNER_OBJ = 'arn:aws:s3:::partner-data/exports/2026/11/data.parquet';
const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const AP = 'arn:aws:s3:eu-west-1:444455556666:accesspoint/partners';
const app = session('111122223333', 'app');

const getReport = (context: Record<string, string> = {}) =>
  s3Request(app, 'GetObject', 's3:GetObject', OBJ, 'reports-bucket', '2026/q3.csv', {
    resourceAccount: '111122223333',
    context,
  });
const getPartner = () =>
  s3Request(app, 'GetObject', 's3:GetObject', PARTNER_OBJ, 'partner-data', 'exports/2026/11/data.parquet', {
    resourceAccount: '444455556666',
  });

function blockingOf(req: ReturnType<typeof getReport>, ev: Evidence) {
  return causeCodesOf(evaluateRequest(req, ev));
}

describe('fixtures', () => {
  it.each(['same-account', 'scp-deny', 'bucket-deny', 'cross-account-kms', 'access-point'])(
    '%s is a valid snapshot',
    (name) => {
      const r = parseSnapshot(fixtureJson(name), `${name}.json`);
      expect(r.problems).toEqual([]);
    },
  );
});

describe('verifyFix: missing identity allow', () => {
  const ev = fixture('same-account');
  const req = getReport();

  it('the scenario is an implicit deny by the identity policy', () => {
    const e = evaluateRequest(req, ev);
    expect(e.decision).toBe('ImplicitDeny');
    expect(causeCodesOf(e)).toEqual(['missing-allow-identity-policy']);
  });

  it('the exact identity statement is verified, with an empty blast radius, a diff and the command', () => {
    const fix = verifyFix(addIdentityStatement(ev, app, ['s3:GetObject'], [OBJ]), req, ev, [
      'missing-allow-identity-policy',
    ]);
    expect(fix.verified).toBe(true);
    expect(fix.remainingCauses).toBeUndefined();
    expect(fix.blastRadius?.probes).toBeGreaterThan(100);
    expect(fix.blastRadius?.newlyAllowed).toEqual([]);
    expect(fix.diff).toContain('+++ b/s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json');
    expect(fix.diff).toContain('+      "Action": "s3:GetObject",');
    expect(fix.commands).toEqual([
      'aws iam put-role-policy --role-name app --policy-name s3doctor-reports-bucket --policy-document file://s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json  # for account 111122223333',
    ]);
  });

  it('a deliberately broad patch (s3:Get* on bucket/*) is verified but shows what else it grants', () => {
    const role = ev.principals['arn:aws:iam::111122223333:role/app'];
    const before = role?.policies?.[0]?.document as PolicyDocument;
    const broad: PolicyPatch = {
      target: { type: 'identity-policy', id: 'arn:aws:iam::111122223333:role/app', name: 'ListReports' },
      before,
      after: {
        ...before,
        Statement: [
          ...(before.Statement as unknown[]),
          { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::reports-bucket/*' },
        ] as PolicyDocument['Statement'],
      },
    };
    const fix = verifyFix({ kind: 'policy-patch', summary: 'broad', patch: broad }, req, ev, [
      'missing-allow-identity-policy',
    ]);
    expect(fix.verified).toBe(true);
    const newly = fix.blastRadius?.newlyAllowed ?? [];
    expect(newly.length).toBeGreaterThan(3);
    expect(newly).toContainEqual({ principal: app.arn, action: 's3:GetObjectTagging', resource: OBJ });
    expect(newly).toContainEqual({
      principal: app.arn,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/2026/s3doctor-probe-sibling',
    });
    expect(newly.every((n) => n.principal === app.arn)).toBe(true);
  });

  it('a bucket policy naming * would show other principals and anonymous callers newly allowed', () => {
    const patch: PolicyPatch = {
      target: { type: 'bucket-policy', id: 'reports-bucket' },
      before: null,
      after: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 's3:GetObject',
            Resource: OBJ,
          },
        ],
      },
    };
    const other = verifyFix(
      { kind: 'policy-patch', summary: 'account-wide', patch },
      req,
      applyPatchToEvidence(ev, addIdentityStatement(ev, app, ['s3:GetObject'], [OBJ]).patch as PolicyPatch),
      [],
    );
    // Naming the account delegates to IAM: nobody without an identity allow gets in.
    expect(other.blastRadius?.newlyAllowed).toEqual([]);
    const everyone = verifyFix(
      {
        kind: 'policy-patch',
        summary: 'public',
        patch: {
          ...patch,
          after: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJ }] },
        },
      },
      req,
      ev,
      [],
    );
    const who = (everyone.blastRadius?.newlyAllowed ?? []).map((n) => n.principal);
    expect(who).toContain('arn:aws:sts::111122223333:assumed-role/s3doctor-probe-other-role/probe');
  });
});

describe('verifyFix: another layer still blocks', () => {
  it('SCP deny + missing identity allow: the identity patch is not verified and lists explicit-deny-scp', () => {
    const ev = fixture('scp-deny');
    const req = getReport();
    const blocking = blockingOf(req, ev);
    expect(blocking).toEqual(['explicit-deny-scp', 'missing-allow-identity-policy']);
    const fix = verifyFix(addIdentityStatement(ev, app, ['s3:GetObject'], [OBJ]), req, ev, blocking);
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['explicit-deny-scp']);
  });

  it('advice that changes nothing is not verified and keeps the blocking causes', () => {
    const ev = fixture('same-account');
    const fix = verifyFix(contactSupport('AllAccessDisabled'), getReport(), ev, ['bucket-access-disabled']);
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['bucket-access-disabled']);
  });

  it('a patch built without the current document is never verified', () => {
    const ev = fixture('same-account');
    delete ev.principals['arn:aws:iam::111122223333:role/app']?.policies;
    const fix = verifyFix(addIdentityStatement(ev, app, ['s3:GetObject'], [OBJ]), getReport(), ev, [
      'missing-allow-identity-policy',
    ]);
    expect(fix.verified).toBe(false);
    expect(fix.commands).toBeUndefined();
    // Not "still blocked by missing-allow-identity-policy": the layer it changes is unknown, not known to block.
    expect(fix.remainingCauses).toBeUndefined();
    expect(verificationLabel(fix)).toBe(
      'not verified: the document it changes is not in the evidence (merge the change by hand)',
    );
  });
});

describe('verifyFix: cross account with SSE-KMS', () => {
  const ev = fixture('cross-account-kms');
  const req = getPartner();

  it('needs the bucket policy and the key: each fix alone names what still blocks', () => {
    const blocking = blockingOf(req, ev);
    expect(blocking).toContain('missing-allow-bucket-policy');
    const bucketFix = verifyFix(
      addResourceStatement(ev, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ]),
      req,
      ev,
      blocking,
    );
    expect(bucketFix.verified).toBe(false);
    expect(bucketFix.remainingCauses).toEqual(['missing-allow-kms']);
    expect(bucketFix.blastRadius?.newlyAllowed).toEqual([]);
  });

  it('with the bucket grant in place, the key policy statement (and identity side) is verified', () => {
    const withBucket = applyPatchToEvidence(
      ev,
      addResourceStatement(ev, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ]).patch as PolicyPatch,
    );
    expect(blockingOf(req, withBucket)).toEqual(['missing-allow-kms']);
    const keyFix = verifyFix(addKeyPolicyStatement(withBucket, KEY, app, ['kms:Decrypt']), req, withBucket, [
      'missing-allow-kms',
    ]);
    expect(keyFix.verified).toBe(true);
    expect(keyFix.blastRadius?.newlyAllowed).toEqual([]);
    expect(keyFix.commands?.some((c) => c.startsWith('aws kms put-key-policy'))).toBe(true);
    expect(keyFix.commands?.some((c) => c.startsWith('aws iam put-role-policy --role-name app'))).toBe(true);
    expect(keyFix.diff).toContain('kms:ViaService');
  });
});

describe('verifyFix: KMS blast radius', () => {
  const ev = fixture('cross-account-kms');
  const req = getPartner();
  const withBucket = applyPatchToEvidence(
    ev,
    addResourceStatement(ev, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ]).patch as PolicyPatch,
  );

  it('without kms:ViaService the key grant also opens direct KMS calls, and the probes say so', () => {
    const fix = verifyFix(
      addKeyPolicyStatement(withBucket, KEY, app, ['kms:Decrypt'], { viaService: false }),
      req,
      withBucket,
      ['missing-allow-kms'],
    );
    expect(fix.verified).toBe(true);
    expect(fix.blastRadius?.newlyAllowed).toEqual([
      { principal: app.arn, action: 'kms:Decrypt', resource: KEY, note: 'direct call, not through S3' },
    ]);
  });

  it('a key policy grant to the whole caller account shows other roles of that account', () => {
    const kp = withBucket.kmsKeys[KEY]?.policy as PolicyDocument;
    const broad: PolicyPatch = {
      target: { type: 'kms-key-policy', id: KEY },
      before: kp,
      after: {
        ...kp,
        Statement: [
          ...(kp.Statement as unknown[]),
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:Decrypt',
            Resource: '*',
          },
        ] as PolicyDocument['Statement'],
      },
    };
    const fix = verifyFix(
      { kind: 'policy-patch', summary: 'account-wide', patch: broad },
      req,
      withBucket,
      [],
    );
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['missing-allow-kms']);
    expect(fix.blastRadius?.newlyAllowed.map((n) => n.principal)).toContain(
      'arn:aws:sts::111122223333:assumed-role/s3doctor-probe-peer-role/probe',
    );
  });
});

describe('verifyFix: access point', () => {
  it('the access point grant with bucket delegation is verified', () => {
    const ev = fixture('access-point');
    const res = `${AP}/object/exports/2026/11/data.parquet`;
    const req = s3Request(
      app,
      'GetObject',
      's3:GetObject',
      res,
      'partner-data',
      'exports/2026/11/data.parquet',
      {
        resourceAccount: '444455556666',
        accessPointArn: AP,
        underlyingResource: PARTNER_OBJ,
        context: {
          's3:DataAccessPointArn': AP,
          's3:DataAccessPointAccount': '444455556666',
          's3:AccessPointNetworkOrigin': 'Internet',
        },
      },
    );
    expect(evaluateRequest(req, ev).decision).not.toBe('Allowed');
    const fix = verifyFix(
      addResourceStatement(ev, AP, app, ['s3:GetObject'], [res]),
      req,
      ev,
      blockingOf(req, ev),
    );
    expect(fix.verified).toBe(true);
    expect(fix.blastRadius?.newlyAllowed).toEqual([]);
    expect(fix.commands?.some((c) => c.startsWith('aws s3control put-access-point-policy'))).toBe(true);
    expect(fix.commands?.some((c) => c.startsWith('aws s3api put-bucket-policy --bucket partner-data'))).toBe(
      true,
    );
  });
});

describe('verifyFix: denies', () => {
  it('exempting the role from an unintended bucket-policy Deny is verified, and its blast radius shows the prefix it reopens', () => {
    const ev = fixture('bucket-deny');
    const req = getReport();
    expect(blockingOf(req, ev)).toEqual(['explicit-deny-bucket-policy']);
    const doc = ev.buckets['reports-bucket']?.policy as PolicyDocument;
    const fix = verifyFix(
      exemptPrincipalFromDeny(
        { type: 'bucket-policy', id: 'reports-bucket' },
        doc,
        1,
        'arn:aws:iam::111122223333:role/app',
      ),
      req,
      ev,
      ['explicit-deny-bucket-policy'],
    );
    expect(fix.verified).toBe(true);
    expect(fix.blastRadius?.newlyAllowed).toContainEqual({
      principal: app.arn,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/2026/s3doctor-probe-sibling',
    });
  });

  it('exempting the role from a shared managed policy Deny, using the reference the engine reports', () => {
    const ev = fixture('same-account');
    const role = ev.principals['arn:aws:iam::111122223333:role/app'];
    role?.policies?.push({
      name: 'DataGuard',
      arn: 'arn:aws:iam::111122223333:policy/DataGuard',
      kind: 'managed',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/2026/*' },
          { Sid: 'NoQ3', Effect: 'Deny', Action: 's3:GetObject', Resource: OBJ },
        ],
      },
    });
    const req = getReport();
    const e = evaluateRequest(req, ev);
    expect(causeCodesOf(e)).toEqual(['explicit-deny-identity-policy']);
    const layer = e.authorizations[0]?.layers.find((l) => l.layer === 'identity-policy');
    const denying = layer?.policies.find((p) => p.explicitDeny === 'true');
    const idx = denying?.statements.findIndex((st) => st.effect === 'Deny' && st.matched === 'true') ?? -1;
    expect(denying?.policy.id).toBe('arn:aws:iam::111122223333:policy/DataGuard');
    const doc = role?.policies?.[1]?.document as PolicyDocument;
    const fix = verifyFix(
      exemptPrincipalFromDeny(
        denying?.policy ?? { type: 'identity-policy', id: '' },
        doc,
        idx,
        'arn:aws:iam::111122223333:role/app',
      ),
      req,
      ev,
      ['explicit-deny-identity-policy'],
    );
    expect(fix.verified).toBe(true);
    expect(fix.commands).toEqual([
      'aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/DataGuard --policy-document file://s3doctor-patch-111122223333-policy-DataGuard.json --set-as-default',
    ]);
  });

  it('an HTTP request against a TLS deny: HTTPS advice, verified by re-evaluating the request over TLS', () => {
    const ev = fixture('bucket-deny');
    const doc = ev.buckets['reports-bucket']?.policy as PolicyDocument;
    (doc.Statement as unknown[]).splice(1, 1);
    const req = getReport({ 'aws:SecureTransport': 'false' });
    expect(blockingOf(req, ev)).toEqual(['explicit-deny-bucket-policy']);
    const advice = exemptPrincipalFromDeny(
      { type: 'bucket-policy', id: 'reports-bucket' },
      doc,
      0,
      'arn:aws:iam::111122223333:role/app',
    );
    expect(advice.kind).toBe('client-change');
    const fix = verifyFix(advice, req, ev, ['explicit-deny-bucket-policy']);
    expect(fix.verified).toBe(true);
    expect(fix.blastRadius).toEqual({ probes: 0, newlyAllowed: [] });
    expect(verifyFix(useHttps(req), req, ev, []).verified).toBe(true);
  });
});

describe('verifyFix: client changes', () => {
  it('Requester Pays: sending x-amz-request-payer is verified', () => {
    const ev = fixture('cross-account-kms');
    const b = ev.buckets['partner-data'];
    if (!b) throw new Error('fixture');
    b.requestPayer = 'Requester';
    b.encryption = { SSEAlgorithm: 'AES256' };
    const o = b.objects?.['exports/2026/11/data.parquet'];
    if (o) {
      o.serverSideEncryption = 'AES256';
      delete o.kmsKeyId;
    }
    const withGrant = applyPatchToEvidence(
      ev,
      addResourceStatement(ev, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ]).patch as PolicyPatch,
    );
    const req = getPartner();
    expect(blockingOf(req, withGrant)).toEqual(['requester-pays-not-acknowledged']);
    const fix: Fix = verifyFix(sendRequestPayer(req), req, withGrant, ['requester-pays-not-acknowledged']);
    expect(fix.verified).toBe(true);
    expect(fix.commands?.[0]).toContain('--request-payer requester');
  });
});

describe('verifyFix: a patch that does not fit the evidence', () => {
  it('is not verified and keeps the blocking causes', () => {
    const ev = fixture('same-account');
    const fix = verifyFix(
      {
        kind: 'policy-patch',
        summary: 'unknown access point',
        patch: {
          target: { type: 'access-point-policy', id: 'arn:aws:s3:us-east-1:111122223333:accesspoint/nope' },
          before: null,
          after: { Statement: [] },
        },
      },
      getReport(),
      ev,
      ['missing-allow-access-point-policy'],
    );
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['missing-allow-access-point-policy']);
  });
});

describe('blast radius pruning', () => {
  it('skipping probes no changed statement can reach gives the same answer as evaluating all of them', () => {
    const ev = fixture('bucket-deny');
    const req = getReport();
    const doc = ev.buckets['reports-bucket']?.policy as PolicyDocument;
    const fixes = [
      exemptPrincipalFromDeny(
        { type: 'bucket-policy', id: 'reports-bucket' },
        doc,
        1,
        'arn:aws:iam::111122223333:role/app',
      ),
      addIdentityStatement(ev, app, ['s3:PutObject'], [OBJ]),
      addResourceStatement(ev, 'reports-bucket', session('111122223333', 'other'), ['s3:GetObject'], [OBJ]),
    ];
    for (const fix of fixes) {
      const patches = patchesOf(fix);
      const after = patches.reduce((e, p) => applyPatchToEvidence(e, p), ev);
      const plan = planProbes(req, ev, patches);
      const pruned = measureBlastRadius(plan, ev, after, patches);
      const full = measureBlastRadius(plan, ev, after);
      expect(pruned).toEqual(full);
    }
  });
});

describe('certainlyAllowed', () => {
  const ev = fixture('same-account');
  const allowedEv = applyPatchToEvidence(
    ev,
    addIdentityStatement(ev, app, ['s3:GetObject'], [OBJ]).patch as PolicyPatch,
  );

  it('a certain Allowed is proven; a denied request is not', () => {
    expect(certainlyAllowed(evaluateRequest(getReport(), allowedEv))).toBe(true);
    expect(certainlyAllowed(evaluateRequest(getReport(), ev))).toBe(false);
  });

  it('an uncertain Allowed counts only when every required authorization can only be Allowed', () => {
    const e = evaluateRequest(getReport(), allowedEv);
    const [first] = e.authorizations;
    if (!first) throw new Error('no authorization');
    const open: AuthorizationResult = {
      ...first,
      certain: false,
      possibleDecisions: ['Allowed', 'ImplicitDeny'],
    };
    const possible: AuthorizationResult = { ...open, request: { ...first.request, need: 'possible' } };
    const uncertain: Evaluation = { ...e, certain: false, possibleDecisions: ['Allowed', 'ImplicitDeny'] };
    expect(certainlyAllowed({ ...uncertain, authorizations: [first, possible] })).toBe(true);
    expect(
      certainlyAllowed({
        ...uncertain,
        authorizations: [first, open],
      }),
    ).toBe(false);
    // Nothing required was evaluated (e.g. no action could be derived): nothing is proven.
    expect(certainlyAllowed({ ...uncertain, authorizations: [] })).toBe(false);
  });
});

describe('verifyFix: a KMS key that is not Enabled', () => {
  const ev = fixture('cross-account-kms');
  const req = getPartner();
  const granted = (state: string) => {
    const withBucket = applyPatchToEvidence(
      ev,
      addResourceStatement(ev, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ]).patch as PolicyPatch,
    );
    const all = applyPatchesToEvidence(
      withBucket,
      patchesOf(addKeyPolicyStatement(withBucket, KEY, app, ['kms:Decrypt'])),
    );
    const key = all.kmsKeys[KEY];
    if (!key) throw new Error('fixture');
    key.keyState = state;
    return all;
  };

  it('everything granted but the key Disabled: kms-key-unusable; enabling it is verified', () => {
    const disabled = granted('Disabled');
    expect(blockingOf(req, disabled)).toEqual(['kms-key-unusable']);
    const fix = verifyFix(restoreKeyState(KEY, 'Disabled'), req, disabled, ['kms-key-unusable']);
    expect(fix.verified).toBe(true);
    expect(fix.kind).toBe('config-change');
    expect(fix.commands).toEqual([`aws kms enable-key --key-id ${KEY} --region eu-west-1`]);
    expect(fix.diff).toContain('+  "KeyState": "Enabled"');
    // The patch changes no policy: with narrow grants, nothing else in the probe set opens up.
    expect(fix.blastRadius?.probes).toBeGreaterThan(0);
    expect(fix.blastRadius?.newlyAllowed).toEqual([]);
  });

  it('enabling the key is not enough while the key policy lacks the grant', () => {
    const disabled = structuredClone(ev);
    const key = disabled.kmsKeys[KEY];
    if (!key) throw new Error('fixture');
    key.keyState = 'PendingDeletion';
    const withBucket = applyPatchToEvidence(
      disabled,
      addResourceStatement(disabled, 'partner-data', app, ['s3:GetObject'], [PARTNER_OBJ])
        .patch as PolicyPatch,
    );
    const blocking = blockingOf(req, withBucket);
    expect(blocking).toEqual(expect.arrayContaining(['missing-allow-kms', 'kms-key-unusable']));
    const fix = verifyFix(restoreKeyState(KEY, 'PendingDeletion'), req, withBucket, blocking);
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['missing-allow-kms']);
    expect(fix.commands).toEqual([
      `aws kms cancel-key-deletion --key-id ${KEY} --region eu-west-1`,
      `aws kms enable-key --key-id ${KEY} --region eu-west-1`,
    ]);
  });

  it('a key the evidence does not hold cannot be verified', () => {
    const other = 'arn:aws:kms:eu-west-1:444455556666:key/00000000-0000-0000-0000-000000000000';
    const fix = verifyFix(restoreKeyState(other, 'Disabled'), req, granted('Disabled'), ['kms-key-unusable']);
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['kms-key-unusable']);
  });
});

describe('verifyFix: a Deny in a group inline policy', () => {
  const ALICE = 'arn:aws:iam::111122223333:user/alice';
  const BOB = 'arn:aws:iam::111122223333:user/bob';
  const denyDoc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'NoReports', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/*' },
    ],
  };
  const allowDoc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/*' }],
  };
  const member = () => ({
    policies: [
      { name: 'read', kind: 'inline' as const, document: structuredClone(allowDoc) },
      { name: 'guard', kind: 'group-inline' as const, group: 'devs', document: structuredClone(denyDoc) },
    ],
    permissionsBoundary: null,
  });
  const ev = (): Evidence => {
    const e = fixture('same-account');
    e.principals[ALICE] = member();
    e.principals[BOB] = member();
    return e;
  };
  const alice = user('111122223333', 'alice');
  const req = () =>
    s3Request(alice, 'GetObject', 's3:GetObject', OBJ, 'reports-bucket', '2026/q3.csv', {
      resourceAccount: '111122223333',
    });
  const ref = { type: 'identity-policy' as const, id: ALICE, name: 'guard', statementIndex: 0 };

  it('the exemption targets the group (put-group-policy), and is verified', () => {
    const e = ev();
    expect(blockingOf(req(), e)).toEqual(['explicit-deny-identity-policy']);
    const draft = exemptPrincipalFromDeny(ref, denyDoc, 0, ALICE, { evidence: e });
    expect(draft.patch?.target).toEqual({ type: 'identity-policy', id: ALICE, name: 'guard', group: 'devs' });
    expect(draft.summary).toContain('inline policy guard of group devs');
    const fix = verifyFix(draft, req(), e, ['explicit-deny-identity-policy']);
    expect(fix.verified).toBe(true);
    expect(fix.commands).toEqual([
      'aws iam get-group-policy --group-name devs --policy-name guard --query PolicyDocument --output json > s3doctor-backup-111122223333-group-devs-guard.json  # for account 111122223333',
      'aws iam put-group-policy --group-name devs --policy-name guard --policy-document file://s3doctor-patch-111122223333-group-devs-guard.json  # for account 111122223333',
    ]);
    expect(fix.commands?.join('\n')).not.toContain('put-user-policy');
    // The group's policy changes for every member: bob's copy is patched too (he stays denied by no one else).
    const after = applyPatchToEvidence(e, draft.patch as PolicyPatch);
    expect(after.principals[BOB]?.policies?.[1]?.document).toEqual(draft.patch?.after);
  });

  it("the member's own inline policy of the same name is not the group's", () => {
    const e = ev();
    const own = e.principals[ALICE]?.policies;
    if (!own) throw new Error('fixture');
    own.splice(1, 1, { name: 'guard', kind: 'inline', document: structuredClone(denyDoc) });
    const draft = exemptPrincipalFromDeny(ref, denyDoc, 0, ALICE, { evidence: e });
    expect(draft.patch?.target.group).toBeUndefined();
    expect(cliCommands(draft.patch as PolicyPatch).at(-1)).toMatch(
      /^aws iam put-user-policy --user-name alice /,
    );
  });
});
