// Building blocks shared by the S3 and KMS chains: per-layer work records and their final LayerResults.

import type {
  AnyLayerFacts,
  AuthorizationResult,
  AuthzRequest,
  Decision,
  LayerFacts,
  LayerName,
  LayerResult,
  PolicyEvaluation,
  PolicyRef,
  Tri,
} from '../model/index.js';
import type { Dnf } from './tri.js';
import { F, T, U, and, blame, dnfValue, termValue } from './tri.js';
import { firstMatched } from './policies.js';

/** What one layer found, before the grant is combined. */
export interface LayerWork {
  layer: LayerName;
  applies: Tri;
  /** A Deny matched (three-valued). */
  deny: Tri;
  denyRef?: PolicyRef;
  /** For guards (SCP, VPCE, S3 checks): must pass; `kind` says how a failure is reported. */
  guard?: { value: Tri; kind: 'missing-allow' | 'block'; ref?: PolicyRef };
  /** Whether the layer's own policies allow (for facts). */
  ownAllow?: Tri;
  policies: PolicyEvaluation[];
  levels?: { target: string; allow: Tri; explicitDeny: Tri }[];
  missing: string[];
  /** What the layer found, sealed into its result's `facts` (typed per layer there). */
  facts: AnyLayerFacts;
}

/** A fresh work record. */
export function work(layer: LayerName, applies: Tri = T): LayerWork {
  return { layer, applies, deny: F, policies: [], missing: [], facts: {} };
}

/**
 * Records a policy set's evaluation on a layer: the policies, whether a Deny matches, the Deny
 * statement that decides (certain first, then possible), and whether the layer's own policies allow.
 */
export function recordPolicies(
  w: LayerWork,
  set: { evaluations: PolicyEvaluation[]; deny: Tri; allow: Tri },
): LayerWork {
  w.policies = set.evaluations;
  w.deny = set.deny;
  const d = firstMatched(set.evaluations, 'Deny', T) ?? firstMatched(set.evaluations, 'Deny', U);
  if (d) w.denyRef = d;
  w.ownAllow = set.allow;
  return w;
}

/** A layer whose evidence is unknown: any outcome is possible. */
export function unknownWork(layer: LayerName, path: string, guard?: 'missing-allow' | 'block'): LayerWork {
  const w = work(layer, U);
  w.deny = guard === 'block' ? F : U;
  if (guard) w.guard = { value: U, kind: guard };
  w.ownAllow = U;
  w.missing.push(path);
  return w;
}

/** The order in which a certain implicit deny names its deciding layer. */
const IMPLICIT_PRIORITY: LayerName[] = [
  'authentication',
  'scp',
  'rcp',
  'vpc-endpoint-policy',
  'access-point-network-origin',
  'block-public-access',
  'object-ownership',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'access-point-policy',
  'bucket-policy',
  'bucket-acl',
  'object-acl',
  'requester-pays',
  'object-lock',
  'object-state',
  'kms-key-state',
  'kms-key-policy',
  'kms-identity-policy',
];

/** The possible decisions from deny and allow values. */
export function decisionsOf(deny: Tri, allowed: Tri): Decision[] {
  const out: Decision[] = [];
  if (deny !== F) out.push('ExplicitDeny');
  if (deny !== T) {
    if (allowed !== F) out.push('Allowed');
    if (allowed !== T) out.push('ImplicitDeny');
  }
  return out;
}

/** One decision from the possible ones: certain deny, else certain missing allow, else Allowed. */
export function pickDecision(possible: Decision[]): Decision {
  if (possible.includes('NotAuthenticated')) return 'NotAuthenticated';
  if (possible.length === 1) return possible[0] as Decision;
  if (!possible.includes('Allowed')) return 'ImplicitDeny';
  return 'Allowed';
}

/** Deciding layer and statement of an authorization, for rules and the conformance suite. */
export interface Deciding {
  layer: LayerName;
  policy?: PolicyRef;
}

/**
 * Combines layer work and the grant into the authorization's result: each layer's outcome says
 * whether it blocks (`explicit-deny`, `missing-allow`, `block`), may block (`unknown`), or lets
 * the request through (`allow`; `facts.ownAllow` tells whether its own policies allow).
 */
export function finish(
  az: AuthzRequest,
  works: LayerWork[],
  grant: Dnf,
): AuthorizationResult & { deciding?: Deciding } {
  const grantValue = dnfValue(grant);
  let allowed = grantValue;
  let deny: Tri = F;
  for (const w of works) {
    if (w.guard) allowed = and(allowed, w.guard.value);
    if (deny !== T && w.deny !== F) deny = w.deny;
  }
  const b = blame(grant);
  // The request is certainly refused for want of an Allow (the grant, or a guard that must allow)
  // whatever an unknown layer says: such a layer can still add a Deny, but its missing Allow changes
  // nothing, so it is no "could explain" of a missing Allow.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  // Except behind a refusal no grant can lift (an AWS managed key used from another account: its key
  // policy cannot be edited): the fix is another key, which the caller's policies must then allow too,
  // so their missing Allow stays a possible cause.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
  const missingAllowFails = works.filter((w) => w.guard?.value === F && w.guard.kind === 'missing-allow');
  const unliftable = works.some((w) => w.facts.check === 'aws-managed-key-cross-account');
  const refusedWithout = (w: LayerWork) =>
    !unliftable && (grantValue === F || missingAllowFails.some((g) => g !== w));
  const layers: LayerResult[] = new Array<LayerResult>(works.length);
  for (let i = 0; i < works.length; i++) {
    const w = works[i]!;
    const r: LayerResult = { layer: w.layer, applies: w.applies, outcome: 'allow', policies: w.policies };
    if (w.levels) r.levels = w.levels;
    // The work record is this evaluation's own: its facts become the layer's (same key order as a copy).
    const facts = w.facts;
    const extra = b.facts.get(w.layer);
    if (extra) Object.assign(facts, extra);
    if (w.ownAllow !== undefined) facts.ownAllow = w.ownAllow;
    const blamed = b.blocked.get(w.layer);
    const guardFail = w.guard?.value === F ? w.guard.kind : undefined;
    // When the grant certainly fails, an unknown grant atom cannot change the verdict: its layer may
    // still hold a Deny, but not a missing Allow that matters (identity policies that grant nothing make
    // the identity side false whatever the session policy says).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
    const mayMiss = b.unknown.has(w.layer) && !refusedWithout(w);
    const maybe = w.deny === U || w.guard?.value === U || mayMiss;
    if (w.deny === T) r.outcome = 'explicit-deny';
    else if (guardFail ?? blamed) r.outcome = (guardFail ?? blamed) as 'missing-allow' | 'block';
    else if (maybe) {
      r.outcome = 'unknown';
      const possible = new Set<'allow' | 'explicit-deny' | 'missing-allow' | 'block'>(['allow']);
      if (w.deny === U) possible.add('explicit-deny');
      if (w.guard?.value === U && !(w.guard.kind === 'missing-allow' && refusedWithout(w)))
        possible.add(w.guard.kind);
      if (mayMiss)
        possible.add(
          w.layer === 'block-public-access' || w.layer === 'object-ownership' ? 'block' : 'missing-allow',
        );
      r.possible = [...possible];
    } else if (w.applies === F) r.outcome = 'not-applicable';
    if (r.outcome === 'unknown') {
      // Unknown context keys that left a statement undecided count as missing evidence too.
      const keys: string[] = [];
      for (const pe of w.policies)
        for (const st of pe.statements)
          if (st.matched === U)
            for (const cond of st.conditions)
              if (cond.keyState === 'unknown') keys.push(`context.${cond.key}`);
      r.missingEvidence = [...new Set([...w.missing, ...keys])];
    }
    // The work record's facts are the layer's own (producers only set that layer's keys).
    if (hasKeys(facts)) r.facts = facts as LayerFacts;
    layers[i] = r;
  }
  const possibleDecisions = decisionsOf(deny, allowed);
  const decision = pickDecision(possibleDecisions);
  const result: AuthorizationResult & { deciding?: Deciding } = {
    request: az,
    decision,
    certain: possibleDecisions.length === 1,
    possibleDecisions,
    layers,
  };
  const deciding = decide(decision, works, layers, grant);
  if (deciding) result.deciding = deciding;
  return result;
}

function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

function decide(
  decision: Decision,
  works: LayerWork[],
  layers: LayerResult[],
  grant: Dnf,
): Deciding | undefined {
  if (decision === 'ExplicitDeny') {
    const w = works.find((x) => x.deny === T);
    if (w) return w.denyRef ? { layer: w.layer, policy: w.denyRef } : { layer: w.layer };
  }
  if (decision === 'ImplicitDeny') {
    for (const name of IMPLICIT_PRIORITY) {
      const l = layers.find(
        (x) => x.layer === name && (x.outcome === 'missing-allow' || x.outcome === 'block'),
      );
      if (l) {
        const w = works.find((x) => x.layer === name);
        return w?.guard?.ref ? { layer: name, policy: w.guard.ref } : { layer: name };
      }
    }
  }
  if (decision === 'Allowed') {
    const term = grant.find((t) => termValue(t) === T) ?? grant.find((t) => termValue(t) === U);
    const atom = term?.find((a) => a.granting && a.statement) ?? term?.find((a) => a.granting);
    if (atom) return atom.statement ? { layer: atom.layer, policy: atom.statement } : { layer: atom.layer };
  }
  return undefined;
}

export { T, F, U };
