// The evidence `collect` really produces, from a complete snapshot: session policies absent (AWS never returns them),
// SCPs and RCPs absent with the Organizations note (member accounts cannot read them), and object metadata absent
// where HeadObject is refused (objects of another account's bucket). test/e2e/realistic-collect.test.ts checks these
// shapes and notes against `collect` run on the fake AWS endpoint.

/** Why `collect` could not read each kind of evidence (the reasons it writes in `notes`). */
export interface CollectReasons {
  organizations: string;
  headObject: string;
}

/** The reasons `collect` gives when Organizations and HeadObject answer AccessDenied (checked by the e2e test). */
export const COLLECT_REASONS: CollectReasons = {
  organizations: 'AccessDeniedException on organizations:ListParents',
  headObject: 'AccessDenied on s3:HeadObject',
};

import { evidencePath } from '../../src/evidence/index.js';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A realistic copy of a snapshot, and the evidence paths made unknown. */
export function realisticSnapshot(
  snapshot: Obj,
  callerAccount: string | undefined,
  reasons: CollectReasons = COLLECT_REASONS,
): { snapshot: Obj; unknown: string[] } {
  const out = structuredClone(snapshot);
  const unknown: string[] = [];
  const notes: { path: string; reason: string }[] = Array.isArray(out.notes) ? [...(out.notes as [])] : [];
  if (isObj(out.sessions))
    for (const [arn, s] of Object.entries(out.sessions))
      if (isObj(s) && 'sessionPolicy' in s) {
        delete s.sessionPolicy;
        unknown.push(evidencePath('sessions', arn, 'sessionPolicy'));
      }
  if (isObj(out.accounts))
    for (const [id, a] of Object.entries(out.accounts)) {
      if (!isObj(a)) continue;
      for (const f of ['serviceControlPolicies', 'resourceControlPolicies']) {
        // An account known to be outside any organization stays so (collect reads that from DescribeOrganization).
        if (a.organizationId === null && a[f] === null) continue;
        if (f in a) delete a[f];
        unknown.push(evidencePath('accounts', id, f));
        notes.push({ path: evidencePath('accounts', id, f), reason: reasons.organizations });
      }
    }
  if (isObj(out.buckets) && callerAccount)
    for (const [name, b] of Object.entries(out.buckets)) {
      if (!isObj(b) || !isObj(b.objects) || !b.accountId || b.accountId === callerAccount) continue;
      for (const key of Object.keys(b.objects)) {
        unknown.push(evidencePath('buckets', name, 'objects', key));
        notes.push({ path: evidencePath('buckets', name, 'objects', key), reason: reasons.headObject });
      }
      delete b.objects;
    }
  if (notes.length) out.notes = notes;
  return { snapshot: out, unknown };
}
