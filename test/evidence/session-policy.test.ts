// Settling session policies: the user's answer, or the AssumeRole events that created the sessions.

import { describe, expect, it } from 'vitest';
import { emptyEvidence } from '../../src/evidence/index.js';
import { fillFromGrants, grantFor, withSessionPolicies } from '../../src/evidence/session-policy.js';
import type { Evidence, PolicyDocument, SessionGrant } from '../../src/model/index.js';

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html : Policy and PolicyArns are the session
// policies; the session's permissions are the intersection of the role's policies and them.
const S = 'arn:aws:sts::111122223333:assumed-role/app/worker-7';
const doc = (action: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});
const grant = (over: Partial<SessionGrant>): SessionGrant => ({
  sessionArn: S,
  policy: null,
  policyArns: [],
  time: '2026-11-24T08:00:00Z',
  ...over,
});
function evidence(): Evidence {
  return {
    ...emptyEvidence(),
    principals: {
      'arn:aws:iam::111122223333:role/other': {
        policies: [
          {
            name: 'Managed',
            arn: 'arn:aws:iam::111122223333:policy/Managed',
            kind: 'managed',
            document: doc('s3:List*'),
          },
        ],
      },
    },
  };
}

describe('grantFor', () => {
  it('picks the event that issued the signing key; a grant with another key is another session', () => {
    const a = grant({ accessKeyIdHash: 'aaa', time: '2026-11-24T09:00:00Z' });
    const b = grant({ accessKeyIdHash: 'bbb', time: '2026-11-24T07:00:00Z' });
    expect(grantFor({ sessionArn: S, accessKeyIdHash: 'bbb' }, [a, b])).toBe(b);
    expect(grantFor({ sessionArn: S, accessKeyIdHash: 'ccc' }, [a, b])).toBeUndefined();
  });
  it('without keys, takes the latest event made before the request', () => {
    const early = grant({ time: '2026-11-24T07:00:00Z' });
    const late = grant({ time: '2026-11-24T09:00:00Z' });
    const after = grant({ time: '2026-11-24T11:00:00Z' });
    expect(grantFor({ sessionArn: S, time: '2026-11-24T10:00:00Z' }, [early, late, after])).toBe(late);
    expect(grantFor({ sessionArn: 'arn:aws:sts::111122223333:assumed-role/app/x' }, [early])).toBeUndefined();
  });
});

describe('fillFromGrants', () => {
  it('no policy passed: the session policy is known to be none', () => {
    const ev = fillFromGrants(evidence(), [{ sessionArn: S }], [grant({})]);
    expect(ev.sessions[S]?.sessionPolicy).toBeNull();
  });
  it('inline policy and known managed policies act as one session policy', () => {
    const ev = fillFromGrants(
      evidence(),
      [{ sessionArn: S }],
      [grant({ policy: doc('s3:GetObject'), policyArns: ['arn:aws:iam::111122223333:policy/Managed'] })],
    );
    const sp = ev.sessions[S]?.sessionPolicy;
    expect(sp?.Statement).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: 's3:List*', Resource: '*' },
    ]);
  });
  it('a managed policy not in the evidence leaves it unknown, with a note naming it', () => {
    const ev = fillFromGrants(
      evidence(),
      [{ sessionArn: S }],
      [grant({ policyArns: ['arn:aws:iam::111122223333:policy/NotCollected'] })],
    );
    expect(ev.sessions[S]).toBeUndefined();
    expect(ev.notes).toEqual([
      {
        path: `sessions.${S}.sessionPolicy`,
        reason: expect.stringContaining('arn:aws:iam::111122223333:policy/NotCollected') as string,
      },
    ]);
  });
  it('keeps a session policy the snapshot already gives', () => {
    const base = withSessionPolicies(evidence(), new Map([[S, doc('s3:*')]]));
    const ev = fillFromGrants(base, [{ sessionArn: S }], [grant({})]);
    expect(ev.sessions[S]?.sessionPolicy).toEqual(doc('s3:*'));
  });
});

describe('withSessionPolicies', () => {
  it('sets the session policy of the given sessions without touching the input evidence', () => {
    const base = evidence();
    const ev = withSessionPolicies(base, new Map([[S, null]]));
    expect(ev.sessions[S]).toEqual({ sessionPolicy: null });
    expect(base.sessions[S]).toBeUndefined();
  });
});
