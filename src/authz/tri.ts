// Three-valued logic for the chain, and the OR-of-ANDs form a grant takes so that blame can be assigned.

import type { AnyLayerFacts, LayerName, PolicyRef, Tri } from '../model/index.js';

/** True, false, unknown. */
export const T: Tri = 'true';
export const F: Tri = 'false';
export const U: Tri = 'unknown';

/** Kleene AND: false wins, then unknown. */
export function and(...xs: Tri[]): Tri {
  let out: Tri = T;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x === F) return F;
    if (x === U) out = U;
  }
  return out;
}

/** Kleene OR: true wins, then unknown. */
export function or(...xs: Tri[]): Tri {
  let out: Tri = F;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x === T) return T;
    if (x === U) out = U;
  }
  return out;
}

/** Kleene NOT. */
export function not(x: Tri): Tri {
  return x === T ? F : x === F ? T : U;
}

/**
 * One condition of a grant path: the layer it comes from and its value. `blame` names the layer to
 * report when this atom is what fails (a neutraliser such as Block Public Access, or `object-ownership`).
 * `granting` marks atoms that are grants themselves (identity allow, resource-policy allow, ACL grant),
 * `statement` the policy statement that supplies the grant, for `deciding`.
 */
export interface Atom {
  layer: LayerName;
  value: Tri;
  blame?: LayerName;
  /** `block` for S3 checks (an S3 step refused), `missing-allow` for policies. */
  kind?: 'missing-allow' | 'block';
  granting?: boolean;
  statement?: PolicyRef;
  /** Facts the blamed layer reports when this atom is what fails (e.g. which BPA flag). */
  facts?: AnyLayerFacts;
}

/** A grant in disjunctive normal form: any term (all of its atoms) is enough. */
export type Dnf = Atom[][];

/** The value of one term. */
export function termValue(term: Atom[]): Tri {
  let out: Tri = T;
  for (let i = 0; i < term.length; i++) {
    const v = term[i]!.value;
    if (v === F) return F;
    if (v === U) out = U;
  }
  return out;
}

/** The value of a DNF (`[]` is false, `[[]]` is true). */
export function dnfValue(d: Dnf): Tri {
  let out: Tri = F;
  for (let i = 0; i < d.length; i++) {
    const v = termValue(d[i]!);
    if (v === T) return T;
    if (v === U) out = U;
  }
  return out;
}

/** AND of DNFs: the cartesian product of their terms. */
export function andDnf(...ds: Dnf[]): Dnf {
  let out: Dnf = [[]];
  for (const d of ds) {
    const next: Dnf = [];
    for (const a of out) for (const b of d) next.push([...a, ...b]);
    out = next;
  }
  return out;
}

/** Layers whose atoms are resource-side grants (resource policies and ACLs). */
const RESOURCE_GRANTS: ReadonlySet<LayerName> = new Set<LayerName>([
  'bucket-policy',
  'access-point-policy',
  'bucket-acl',
  'object-acl',
]);

/** The blame of a grant that holds (shared, never modified). */
const NOTHING_BLAMED = {
  blocked: new Map<LayerName, 'missing-allow' | 'block'>(),
  unknown: new Set<LayerName>(),
  facts: new Map<LayerName, AnyLayerFacts>(),
};

/** Which layers block, or may block, a grant that is not certainly true. */
export function blame(d: Dnf): {
  blocked: Map<LayerName, 'missing-allow' | 'block'>;
  unknown: Set<LayerName>;
  facts: Map<LayerName, AnyLayerFacts>;
} {
  const v = dnfValue(d);
  if (v === T) return NOTHING_BLAMED;
  const blocked = new Map<LayerName, 'missing-allow' | 'block'>();
  const unknown = new Set<LayerName>();
  const facts = new Map<LayerName, AnyLayerFacts>();
  const addFacts = (a: Atom) => {
    if (a.facts) facts.set(a.blame ?? a.layer, { ...(facts.get(a.blame ?? a.layer) ?? {}), ...a.facts });
  };
  if (v === F) {
    // The term closest to passing (fewest failing atoms; the first on ties) names what is missing.
    let best: Atom[] | undefined;
    let bestScore = Infinity;
    // A term that lacks only a resource-side grant (a same-account bucket-policy or ACL path) is not the
    // closer explanation when a term without a failing resource grant exists: within one account the
    // missing Allow is the identity side's (identity policy, or the permissions boundary that lacks it),
    // and a bucket-policy grant is an alternative fix, never the cause.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    const resourceFails = (term: Atom[]) =>
      term.some((a) => a.value === F && a.granting && RESOURCE_GRANTS.has(a.layer));
    const anyWithout = d.some((t) => !resourceFails(t));
    for (const term of d) {
      if (anyWithout && resourceFails(term)) continue;
      // A failing grant weighs more than a failing filter (boundary, Block Public Access, ownership):
      // a term whose grants hold and only a filter fails is the closer explanation. Only atoms that
      // certainly fail count: an unknown atom may hold, so it never makes a term look further from
      // passing (an unknown session policy must not move the blame from a certainly missing identity
      // Allow to a same-account bucket policy). Ties keep the first term (the identity path).
      let score = 0;
      for (const a of term) if (a.value === F) score += a.granting ? 2 : 1.5;
      if (score < bestScore) {
        best = term;
        bestScore = score;
      }
    }
    for (const a of best ?? []) {
      if (a.value === F) {
        blocked.set(a.blame ?? a.layer, a.kind ?? 'missing-allow');
        addFacts(a);
      } else if (a.value === U) unknown.add(a.blame ?? a.layer);
    }
    return { blocked, unknown, facts };
  }
  for (const term of d) {
    if (termValue(term) !== U) continue;
    for (const a of term) {
      if (a.value !== U) continue;
      unknown.add(a.blame ?? a.layer);
      addFacts(a);
    }
  }
  // Where every unknown grant turns out to grant nothing, the grant fails and the F-case above names
  // what is missing: those layers may block too. A same-account request is allowed by the identity side
  // OR the bucket policy, so with the bucket policy unknown a certainly missing identity Allow stays a
  // possible cause (it never vanishes behind the unknown).
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  for (const a of [...pessimisticTerm(d), ...failingFilters(d)]) {
    if (a.value !== F) continue;
    unknown.add(a.blame ?? a.layer);
    addFacts(a);
  }
  return { blocked, unknown, facts };
}

/**
 * The failing filters (boundary, Block Public Access, ownership: atoms that grant nothing by
 * themselves) of every term where only filters certainly fail: they block that path whatever its
 * unknown grants hold, so they stay possible causes while an unknown path could still grant (a
 * permissions boundary that lacks the action, while an unknown bucket policy could grant the role
 * session by itself: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * A failing grant is left to `pessimisticTerm` (a same-account bucket policy that grants nothing is
 * no cause while the identity side could allow).
 */
function failingFilters(d: Dnf): Atom[] {
  const out: Atom[] = [];
  for (const term of d)
    if (term.some((a) => a.value === F) && term.every((a) => a.value !== F || !a.granting))
      for (const a of term) if (a.value === F) out.push(a);
  return out;
}

/**
 * The term that would name what is missing if every unknown grant granted nothing: scored as in the
 * F case, with an unknown grant counted as a failing one and an unknown filter (boundary, session
 * policy) not counted (it may hold). Ties keep the first term (the identity path).
 */
function pessimisticTerm(d: Dnf): Atom[] {
  let best: Atom[] = [];
  let bestScore = Infinity;
  for (const term of d) {
    let score = 0;
    for (const a of term)
      if (a.value === F) score += a.granting ? 2 : 1.5;
      else if (a.value === U && a.granting) score += 2;
    if (score < bestScore) {
      best = term;
      bestScore = score;
    }
  }
  return best;
}
