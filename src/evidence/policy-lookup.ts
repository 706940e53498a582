// Finds the policy document (or one statement of it) a PolicyRef names inside the evidence.

import type { Evidence } from '../model/evidence.js';
import type { PolicyDocument, PolicyRef, PolicyStatement } from '../model/policy.js';

/** Whether an attached identity policy is the one a ref names (the authz engine's ref conventions). */
function identityPolicyMatches(
  ref: PolicyRef,
  principalArn: string,
  pol: { name: string; arn?: string },
): boolean {
  if (pol.arn !== undefined && pol.arn === ref.id) return true;
  if (`${principalArn}/${pol.name}` === ref.id) return true;
  if (ref.name === undefined || ref.name !== pol.name) return false;
  // Inline policies carry the identity's ARN as id (a session's ref may name its role).
  return ref.id === principalArn || ref.id.startsWith(principalArn) || ref.id.includes(pol.name);
}

/**
 * The document a policy reference names, when the evidence holds it; `undefined` when the
 * evidence is absent, the policy is unknown, or it is known not to exist (`null`).
 * Identity policies match by ARN, by `<principal ARN>/<name>`, or by name under the principal;
 * permissions boundaries by their ARN or the principal's; SCPs and RCPs by id or `<target>/<name>`.
 */
export function findPolicyDocument(
  evidence: Evidence | undefined,
  ref: PolicyRef,
): PolicyDocument | undefined {
  if (!evidence) return undefined;
  switch (ref.type) {
    case 'bucket-policy':
      return evidence.buckets[ref.id]?.policy ?? undefined;
    case 'access-point-policy':
      return evidence.accessPoints[ref.id]?.policy ?? undefined;
    case 'kms-key-policy':
      return evidence.kmsKeys[ref.id]?.policy ?? undefined;
    case 'vpc-endpoint-policy':
      return evidence.vpcEndpoints[ref.id]?.policy ?? undefined;
    case 'session-policy':
      return evidence.sessions[ref.id]?.sessionPolicy ?? undefined;
    case 'permissions-boundary':
      for (const [arn, p] of Object.entries(evidence.principals)) {
        const b = p.permissionsBoundary;
        if (b && (b.arn === ref.id || arn === ref.id)) return b.document;
      }
      return undefined;
    case 'identity-policy':
      for (const [arn, p] of Object.entries(evidence.principals))
        for (const pol of p.policies ?? []) if (identityPolicyMatches(ref, arn, pol)) return pol.document;
      return undefined;
    case 'scp':
    case 'rcp':
      for (const acct of Object.values(evidence.accounts)) {
        const levels = ref.type === 'scp' ? acct.serviceControlPolicies : acct.resourceControlPolicies;
        for (const level of levels ?? [])
          for (const pol of level.policies)
            if (pol.id === ref.id || `${level.target}/${pol.name}` === ref.id) return pol.document;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The statement a policy reference names (`ref.statementIndex`), when the evidence holds it. */
export function findPolicyStatement(
  evidence: Evidence | undefined,
  ref: PolicyRef,
): PolicyStatement | undefined {
  const doc = findPolicyDocument(evidence, ref);
  if (!doc || ref.statementIndex === undefined) return undefined;
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list[ref.statementIndex];
}
