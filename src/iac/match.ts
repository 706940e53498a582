// Matches a patch target (role, managed policy, bucket, key, access point) to the sources that define it.

import type { PolicyPatch } from '../model/cause.js';
import type { IacOwner, PolicyHome, PolicySite } from './types.js';

/** The owner kinds and ids a patch target is known by. */
export function targetKeys(patch: PolicyPatch): { kinds: IacOwner['kind'][]; ids: string[] } | undefined {
  const { type, id } = patch.target;
  const last = id.split('/').pop() ?? id;
  switch (type) {
    case 'identity-policy':
      if (/:role\//.test(id)) return { kinds: ['role'], ids: [id, last] };
      if (/:user\//.test(id)) return { kinds: ['user'], ids: [id, last] };
      if (/:policy\//.test(id)) return { kinds: ['managed-policy'], ids: [id] };
      return undefined;
    case 'permissions-boundary':
      return { kinds: ['managed-policy'], ids: [id] };
    case 'bucket-policy':
      return { kinds: ['bucket'], ids: [id] };
    case 'kms-key-policy':
      return { kinds: ['kms-key'], ids: [id, last] };
    case 'access-point-policy':
      return { kinds: ['access-point'], ids: [id, last] };
    default:
      return undefined;
  }
}

/** `yes`: the owner is known to be the target; `no`: known not to be; `unknown`: its ids are unresolved. */
function ownerIs(
  owner: IacOwner,
  keys: { kinds: IacOwner['kind'][]; ids: string[] },
): 'yes' | 'no' | 'unknown' {
  if (!keys.kinds.includes(owner.kind)) return 'no';
  if (owner.ids.length === 0) return 'unknown';
  return owner.ids.some((i) => keys.ids.includes(i)) ? 'yes' : 'no';
}

/** Sources that may define the patched document, confirmed (names, ARNs, state) or not (ids unresolved). */
export interface Matches {
  sites: { site: PolicySite; confirmed: boolean }[];
  homes: { home: PolicyHome; confirmed: boolean }[];
  /** Why nothing matched. */
  why?: string;
}

/**
 * The sources of a patch target: documents whose owner (and, for inline policies, name) is the
 * target's; when the patch creates a document (`before` null) and no source has it, the places a new
 * one can go (the role, the bucket). Owners whose ids the sources leave unresolved are unconfirmed
 * candidates, listed only when nothing is confirmed.
 */
export function matchTarget(patch: PolicyPatch, sites: PolicySite[], homes: PolicyHome[]): Matches {
  const keys = targetKeys(patch);
  if (!keys)
    return {
      sites: [],
      homes: [],
      why: `a ${patch.target.type} is not defined in Terraform or CloudFormation sources s3doctor reads`,
    };
  const inline = keys.kinds.includes('role') || keys.kinds.includes('user');
  const name = patch.target.name;
  const nameOk = (s: PolicySite) => !inline || (s.policyName !== undefined ? s.policyName === name : true);
  const yes = sites.filter(
    (s) => ownerIs(s.owner, keys) === 'yes' && nameOk(s) && (!inline || s.policyName === name),
  );
  if (yes.length) return { sites: yes.map((site) => ({ site, confirmed: true })), homes: [] };
  const maybe = sites.filter(
    (s) =>
      ownerIs(s.owner, keys) === 'unknown' &&
      nameOk(s) &&
      (!inline || s.policyName === name || s.policyName === undefined),
  );
  if (patch.before !== null && maybe.length && !inline)
    return { sites: maybe.map((site) => ({ site, confirmed: false })), homes: [] };
  if (patch.before !== null && inline && maybe.some((s) => s.policyName === name))
    return {
      sites: maybe.filter((s) => s.policyName === name).map((site) => ({ site, confirmed: false })),
      homes: [],
    };
  const kindOk = (h: PolicyHome) => keys.kinds.includes(h.owner.kind);
  const homeYes = homes.filter((h) => kindOk(h) && ownerIs(h.owner, keys) === 'yes');
  if (patch.before === null || inline) {
    if (homeYes.length) return { sites: [], homes: homeYes.map((home) => ({ home, confirmed: true })) };
    const homeMaybe = homes.filter((h) => kindOk(h) && ownerIs(h.owner, keys) === 'unknown');
    if (homeMaybe.length) return { sites: [], homes: homeMaybe.map((home) => ({ home, confirmed: false })) };
  }
  const sameKind = [...sites.map((s) => s.owner), ...homes.map((h) => h.owner)].filter((o) =>
    keys.kinds.includes(o.kind),
  );
  const ids = [...new Set(sameKind.flatMap((o) => o.ids))].slice(0, 5);
  const what = keys.kinds[0] === 'managed-policy' ? 'managed policy' : keys.kinds[0]!.replace('-', ' ');
  return {
    sites: [],
    homes: [],
    why:
      sameKind.length === 0
        ? `no ${what} is defined in the sources`
        : `no ${what} in the sources is ${patch.target.id}${inline && patch.before !== null ? ` with an inline policy ${name ?? ''}` : ''} (found: ${ids.join(', ') || 'names the sources leave unresolved'})`,
  };
}
