// Applies a fix to copies: a patch to a deep copy of the evidence, a client change to a copy of the request.

import type { PolicyPatch, RequestChange } from '../model/cause.js';
import type { AttachedPolicy, Evidence, PublicAccessBlock } from '../model/evidence.js';
import type { PolicyDocument } from '../model/policy.js';
import type { S3Request } from '../model/request.js';
import { FixError } from './resources.js';

function asDoc(v: PolicyPatch['after']): PolicyDocument {
  if (v === null || typeof v !== 'object' || !('Statement' in v))
    throw new FixError('Patch has no policy document.');
  return structuredClone(v as PolicyDocument);
}

/** Puts an identity-policy document in place: a principal's inline policy, or a managed policy everywhere it is attached. */
function applyIdentity(ev: Evidence, patch: PolicyPatch): void {
  const { id, name, group } = patch.target;
  const doc = asDoc(patch.after);
  const principal = ev.principals[id];
  if (principal) {
    // Unknown identity policies stay unknown: one added document does not make the rest known.
    if (!principal.policies) return;
    const ofGroup = principal.policies.find(
      (p) => p.kind === 'group-inline' && p.name === name && (group === undefined || p.group === group),
    );
    const existing = group
      ? ofGroup
      : (principal.policies.find((p) => p.kind === 'inline' && p.name === name) ?? ofGroup);
    if (group && !existing)
      throw new FixError(`Group ${group} has no inline policy ${name ?? ''} for ${id}.`);
    if (existing?.kind === 'group-inline') {
      // A group's inline policy applies to every member: replace it wherever that group appears.
      for (const other of Object.values(ev.principals))
        for (const pol of other.policies ?? [])
          if (pol.kind === 'group-inline' && pol.group === existing.group && pol.name === name)
            pol.document = structuredClone(doc);
    } else if (existing) existing.document = doc;
    else
      principal.policies.push({
        name: name ?? 's3doctor',
        kind: 'inline',
        document: doc,
      } satisfies AttachedPolicy);
    return;
  }
  for (const p of Object.values(ev.principals))
    for (const pol of p.policies ?? []) if (pol.arn === id) pol.document = structuredClone(doc);
}

/**
 * A deep copy (structuredClone) of `evidence` with the patched document or configuration in place:
 * identity inline/managed policy, permissions boundary, session policy, bucket policy, access point
 * policy, key policy, VPC endpoint policy, bucket Block Public Access, Object Ownership, a
 * restored object, or a KMS key's state (`kms-key-state`: `after.KeyState`). A patch whose `before` was unknown changes nothing (the rest of that document
 * stays unknown). The input is never modified.
 */
export function applyPatchToEvidence(evidence: Evidence, patch: PolicyPatch): Evidence {
  const ev = structuredClone(evidence);
  applyInPlace(ev, patch);
  return ev;
}

/** Applies several patches to one deep copy. */
export function applyPatchesToEvidence(evidence: Evidence, patches: PolicyPatch[]): Evidence {
  const ev = structuredClone(evidence);
  for (const p of patches) applyInPlace(ev, p);
  return ev;
}

function applyInPlace(ev: Evidence, patch: PolicyPatch): void {
  if (patch.beforeUnknown) return;
  const { type, id } = patch.target;
  switch (type) {
    case 'identity-policy':
      applyIdentity(ev, patch);
      return;
    case 'permissions-boundary': {
      const doc = asDoc(patch.after);
      for (const p of Object.values(ev.principals))
        if (p.permissionsBoundary && p.permissionsBoundary.arn === id)
          p.permissionsBoundary.document = structuredClone(doc);
      return;
    }
    case 'session-policy':
      (ev.sessions[id] ??= {}).sessionPolicy = asDoc(patch.after);
      return;
    case 'bucket-policy':
      (ev.buckets[id] ??= {}).policy = asDoc(patch.after);
      return;
    case 'access-point-policy': {
      const ap = ev.accessPoints[id];
      if (!ap) throw new FixError(`Access point ${id} is not in the evidence.`);
      ap.policy = asDoc(patch.after);
      return;
    }
    case 'kms-key-policy':
      (ev.kmsKeys[id] ??= {}).policy = asDoc(patch.after);
      return;
    case 'vpc-endpoint-policy':
      (ev.vpcEndpoints[id] ??= {}).policy = asDoc(patch.after);
      return;
    case 'bucket-public-access-block':
      (ev.buckets[id] ??= {}).publicAccessBlock = { ...(patch.after as unknown as PublicAccessBlock) };
      return;
    case 'bucket-ownership-controls': {
      const o = (patch.after as { ObjectOwnership?: string }).ObjectOwnership;
      if (o !== 'BucketOwnerEnforced' && o !== 'BucketOwnerPreferred' && o !== 'ObjectWriter')
        throw new FixError(`Unknown Object Ownership ${String(o)}.`);
      (ev.buckets[id] ??= {}).objectOwnership = o;
      return;
    }
    case 'object-restore': {
      const slash = id.indexOf('/');
      const bucket = ev.buckets[id.slice(0, slash)];
      if (!bucket) throw new FixError(`Bucket of ${id} is not in the evidence.`);
      const obj = ((bucket.objects ??= {})[id.slice(slash + 1)] ??= {});
      obj.restoreStatus = 'restored';
      return;
    }
    case 'kms-key-state': {
      const key = ev.kmsKeys[id];
      if (!key) throw new FixError(`KMS key ${id} is not in the evidence.`);
      const state = (patch.after as { KeyState?: unknown }).KeyState;
      if (typeof state !== 'string') throw new FixError('A key-state patch names no KeyState.');
      key.keyState = state;
      return;
    }
    default:
      throw new FixError(`Cannot apply a patch to ${type}.`);
  }
}

/** A copy of the request with a client change applied (context keys, S3 call facts, time, auth error cleared). */
export function applyRequestChange(req: S3Request, change: RequestChange): S3Request {
  const r = structuredClone(req);
  const set = change.context ?? {};
  const remove = new Set((change.removeContextKeys ?? []).map((k) => k.toLowerCase()));
  const touched = new Set([...Object.keys(set).map((k) => k.toLowerCase()), ...remove]);
  const first = r.authorizations[0];
  if (first && change.addActions) {
    for (const action of change.addActions)
      if (!r.authorizations.some((a) => a.action === action && a.resource === first.resource))
        r.authorizations.push({
          ...structuredClone(first),
          action,
          need: 'required',
          purpose: 'client change',
        });
  }
  if (first && change.removeActions) {
    const drop = new Set(change.removeActions.map((x) => x.toLowerCase()));
    r.authorizations = r.authorizations.filter((a) => a === first || !drop.has(a.action.toLowerCase()));
  }
  for (const a of r.authorizations) {
    for (const k of Object.keys(a.context)) if (touched.has(k.toLowerCase())) delete a.context[k];
    Object.assign(a.context, structuredClone(set));
    a.unknownKeys = a.unknownKeys.filter((k) => !touched.has(k.toLowerCase()));
    if (change.time) a.context['aws:CurrentTime'] = change.time;
  }
  r.unknownKeys = r.unknownKeys.filter((k) => !touched.has(k.toLowerCase()));
  if (change.s3) Object.assign(r.s3, structuredClone(change.s3));
  if (change.time) r.time = change.time;
  if (change.clearAuthError) {
    delete r.errorCode;
    delete r.errorMessage;
    delete r.httpStatus;
  }
  return r;
}
