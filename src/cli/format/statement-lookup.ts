// Finds the policy statement a cause points at inside the evidence, so it can be shown verbatim.

import type { Evidence, PolicyDocument, PolicyRef, PolicyStatement } from '../../model/index.js';

function statementAt(
  doc: PolicyDocument | null | undefined,
  index: number | undefined,
): PolicyStatement | undefined {
  if (!doc || index === undefined) return undefined;
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list[index];
}

/** The document a policy reference names, when the evidence holds it. */
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
    case 'identity-policy': {
      for (const [principalArn, p] of Object.entries(evidence.principals)) {
        for (const pol of p.policies ?? []) {
          const matches =
            (pol.arn !== undefined && pol.arn === ref.id) ||
            (ref.name !== undefined &&
              pol.name === ref.name &&
              (ref.id === principalArn || ref.id.includes(pol.name))) ||
            `${principalArn}/${pol.name}` === ref.id;
          if (matches) return pol.document;
        }
      }
      return undefined;
    }
    case 'permissions-boundary': {
      for (const p of Object.values(evidence.principals)) {
        if (p.permissionsBoundary && p.permissionsBoundary.arn === ref.id)
          return p.permissionsBoundary.document;
      }
      return undefined;
    }
    case 'scp':
    case 'rcp': {
      for (const a of Object.values(evidence.accounts)) {
        const levels = ref.type === 'scp' ? a.serviceControlPolicies : a.resourceControlPolicies;
        for (const level of levels ?? []) {
          for (const pol of level.policies) {
            if (`${level.target}/${pol.name}` === ref.id || pol.id === ref.id) return pol.document;
          }
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The statement a policy reference names, when the evidence holds it. */
export function findStatement(evidence: Evidence | undefined, ref: PolicyRef): PolicyStatement | undefined {
  return statementAt(findPolicyDocument(evidence, ref), ref.statementIndex);
}
