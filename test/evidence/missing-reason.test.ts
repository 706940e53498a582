// Why a piece of evidence is missing: the collector's note on it, on what holds it, or the kind of gap.

import { describe, expect, it } from 'vitest';
import { emptyEvidence } from '../../src/evidence/index.js';
import { missingReason, withMissingReasons } from '../../src/evidence/missing-reason.js';

const SCP = 'accounts.111122223333.serviceControlPolicies';

describe('missingReason', () => {
  it("gives the collector's note on the path, on what holds it, or under it", () => {
    const ev = emptyEvidence();
    ev.notes.push(
      { path: SCP, reason: 'AccessDenied on organizations:ListPoliciesForTarget' },
      { path: 'buckets["my.bucket"]', reason: 'AccessDenied on s3:GetBucketLocation' },
      { path: 'buckets.other.policy', reason: 'AccessDenied on s3:GetBucketPolicy' },
    );
    expect(missingReason(SCP, ev, 'live')).toBe('AccessDenied on organizations:ListPoliciesForTarget');
    expect(missingReason('buckets["my.bucket"].policy', ev, 'live')).toBe(
      'AccessDenied on s3:GetBucketLocation',
    );
    expect(missingReason('buckets.other', ev, 'snapshot')).toBe('AccessDenied on s3:GetBucketPolicy');
    // A note on bucket "my" says nothing about bucket "my.bucket", nor one on "other" about "other2".
    expect(missingReason('buckets.other2.policy', ev, 'snapshot')).toBe('not in the snapshot');
  });

  it('says what kind of gap it is when no note names it', () => {
    const ev = emptyEvidence();
    expect(missingReason(SCP, ev, 'live')).toMatch(/^not collected/);
    expect(missingReason(SCP, ev, 'snapshot')).toBe('not in the snapshot');
    expect(missingReason(SCP, undefined, 'none')).toMatch(/^no evidence was given/);
    expect(missingReason('context.aws:SourceVpce', ev, 'live')).toMatch(/^the input does not carry it/);
    expect(
      missingReason('sessions.arn:aws:sts::111122223333:assumed-role/app/s1.sessionPolicy', ev, 'live'),
    ).toMatch(/^AWS never returns a session policy.*--session-policy none\|FILE/);
  });

  it('keeps path and couldExplain and adds the reason', () => {
    const ev = emptyEvidence();
    ev.notes.push({
      path: SCP,
      reason: 'AWSOrganizationsNotInUseException on organizations:DescribeOrganization',
    });
    expect(withMissingReasons([{ path: SCP, couldExplain: ['explicit-deny-scp'] }], ev, 'live')).toEqual([
      {
        path: SCP,
        couldExplain: ['explicit-deny-scp'],
        reason: 'AWSOrganizationsNotInUseException on organizations:DescribeOrganization',
      },
    ]);
  });
});
