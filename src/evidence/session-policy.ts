// Settling the session policy of role sessions: from the user (--session-policy none|FILE, the assistant's answer) or
// from the STS AssumeRole* CloudTrail event that created the session (its Policy / PolicyArns request parameters).

import type {
  Evidence,
  EvidenceNote,
  PolicyDocument,
  SessionEvidence,
  SessionGrant,
} from '../model/index.js';
import { evidencePath } from './path.js';

/*
 * Session policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 * AssumeRole's Policy and PolicyArns: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * ("The resulting session's permissions are the intersection of the role's identity-based policy and the session
 * policies"; Policy is one inline JSON document, PolicyArns up to 10 managed policies, used together as session policies.)
 */

/** A managed policy's document anywhere in the evidence (attached to some user or role), by ARN. */
function managedPolicyDocument(evidence: Evidence, arn: string): PolicyDocument | undefined {
  for (const p of Object.values(evidence.principals)) {
    const hit = p.policies?.find((x) => x.arn === arn);
    if (hit) return hit.document;
    if (p.permissionsBoundary?.arn === arn) return p.permissionsBoundary.document;
  }
  return undefined;
}

/** One request of a session: its ARN, the fingerprint of the access key that signed it, its time. */
export interface SessionUse {
  sessionArn: string;
  accessKeyIdHash?: string;
  time?: string;
}

/**
 * The grant that created the session of `use`: among the AssumeRole* events for its ARN made before the request, the
 * one that issued the access key that signed it (a grant whose key is known to differ is another session of the same
 * name), else the latest. Undefined when none matches.
 */
export function grantFor(use: SessionUse, grants: readonly SessionGrant[]): SessionGrant | undefined {
  const t = use.time ? Date.parse(use.time) : NaN;
  const before = (g: SessionGrant) =>
    Number.isNaN(t) || !g.time || Number.isNaN(Date.parse(g.time)) || Date.parse(g.time) <= t;
  const candidates = grants.filter(
    (g) =>
      g.sessionArn === use.sessionArn &&
      before(g) &&
      !(use.accessKeyIdHash && g.accessKeyIdHash && g.accessKeyIdHash !== use.accessKeyIdHash),
  );
  const byKey = candidates.filter((g) => use.accessKeyIdHash && g.accessKeyIdHash === use.accessKeyIdHash);
  const pool = byKey.length > 0 ? byKey : candidates;
  return [...pool].sort((a, b) => (Date.parse(b.time ?? '') || 0) - (Date.parse(a.time ?? '') || 0))[0];
}

/** The session policy a grant proves: a document, `null` (none passed), or undefined with the reason it is unknown. */
export function sessionPolicyOfGrant(
  g: SessionGrant,
  evidence: Evidence,
): { policy: PolicyDocument | null } | { unknown: string } {
  if (typeof g.policy === 'string')
    return { unknown: 'the AssumeRole event passed a session policy that is not JSON' };
  const docs: PolicyDocument[] = g.policy ? [g.policy] : [];
  const missing: string[] = [];
  for (const arn of g.policyArns) {
    const d = managedPolicyDocument(evidence, arn);
    if (d) docs.push(d);
    else missing.push(arn);
  }
  if (missing.length > 0)
    return {
      unknown: `the AssumeRole event passed managed session policies whose documents are not in the evidence: ${missing.join(', ')}`,
    };
  if (docs.length === 0) return { policy: null };
  if (docs.length === 1) return { policy: docs[0]! };
  // Several session policies act together: one document holding every statement.
  return {
    policy: {
      Version: '2012-10-17',
      Statement: docs.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement])),
    } as PolicyDocument,
  };
}

/** A copy of the evidence whose `sessions` entries for these ARNs carry the given session policy (others untouched). */
export function withSessionPolicies(
  evidence: Evidence,
  policies: ReadonlyMap<string, PolicyDocument | null>,
  notes: readonly EvidenceNote[] = [],
): Evidence {
  if (policies.size === 0 && notes.length === 0) return evidence;
  const sessions: Record<string, SessionEvidence> = { ...evidence.sessions };
  for (const [arn, policy] of policies) sessions[arn] = { ...(sessions[arn] ?? {}), sessionPolicy: policy };
  const settled = new Set([...policies.keys()].map((arn) => evidencePath('sessions', arn, 'sessionPolicy')));
  return {
    ...evidence,
    sessions,
    notes: [...evidence.notes.filter((n) => !settled.has(n.path)), ...notes],
  };
}

/**
 * Fills the session policies the evidence leaves unknown from the AssumeRole* events read with the requests; a
 * session policy already in the evidence stays. Sessions whose event passed managed policies not in the evidence
 * stay unknown, with a note saying which.
 */
export function fillFromGrants(
  evidence: Evidence,
  uses: readonly SessionUse[],
  grants: readonly SessionGrant[],
): Evidence {
  if (grants.length === 0) return evidence;
  const policies = new Map<string, PolicyDocument | null>();
  const notes: EvidenceNote[] = [];
  for (const use of uses) {
    if (policies.has(use.sessionArn) || evidence.sessions[use.sessionArn]?.sessionPolicy !== undefined)
      continue;
    const g = grantFor(use, grants);
    if (!g) continue;
    const r = sessionPolicyOfGrant(g, evidence);
    if ('policy' in r) policies.set(use.sessionArn, r.policy);
    else notes.push({ path: evidencePath('sessions', use.sessionArn, 'sessionPolicy'), reason: r.unknown });
  }
  return withSessionPolicies(evidence, policies, notes);
}
