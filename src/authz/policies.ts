// Evaluating the policies of one layer for one authorization: identity policies, resource policies
// (with who-was-named classification), and SCP/RCP levels.

import type {
  AuthzRequest,
  OrgPolicyLevel,
  PolicyDocument,
  PolicyEvaluation,
  PolicyRef,
  PolicyStatement,
  PolicyType,
  Principal,
  StatementTrace,
  Tri,
} from '../model/index.js';
import { compilePolicy, evaluatePolicy } from '../iam/index.js';
import type { CompiledPolicy, EvaluateOptions } from '../iam/index.js';
import { F, T, U, or } from './tri.js';

/** A document and how to refer to it. */
export interface PolicySource {
  document: PolicyDocument;
  ref: PolicyRef;
}

/** One layer's policies evaluated: explicit deny and allow, three-valued. */
export interface PolicySetResult {
  evaluations: PolicyEvaluation[];
  deny: Tri;
  allow: Tri;
}

/** Evaluates each document (compiled once per document object) and combines deny/allow with OR. */
export function evaluateSet(
  sources: PolicySource[],
  az: AuthzRequest,
  opts?: EvaluateOptions,
): PolicySetResult {
  const compiled: CompiledPolicy[] = new Array<CompiledPolicy>(sources.length);
  for (let i = 0; i < sources.length; i++) compiled[i] = compilePolicy(sources[i]!.document, sources[i]!.ref);
  return evaluateCompiled(compiled, az, opts);
}

/** Evaluates compiled policies and combines deny/allow with OR. */
export function evaluateCompiled(
  compiled: readonly CompiledPolicy[],
  az: AuthzRequest,
  opts?: EvaluateOptions,
): PolicySetResult {
  const evaluations: PolicyEvaluation[] = new Array<PolicyEvaluation>(compiled.length);
  let deny: Tri = F;
  let allow: Tri = F;
  for (let i = 0; i < compiled.length; i++) {
    const e = evaluatePolicy(compiled[i]!, az, opts);
    evaluations[i] = e;
    if (deny !== T && e.explicitDeny !== F) deny = e.explicitDeny;
    if (allow !== T && e.allow !== F) allow = e.allow;
  }
  return { evaluations, deny, allow };
}

/** Compiled policy lists per evidence object (immutable once evaluated) and a discriminating tag. */
const compiledLists = new WeakMap<object, Map<string, unknown>>();

/**
 * `make()`, computed once per (`key`, `tag`): for compiled policy lists built from a piece of
 * evidence (its policies array, a document), so no source list is rebuilt per evaluation.
 */
export function cachedFor<V>(key: object, tag: string, make: () => V): V {
  let m = compiledLists.get(key);
  if (!m) compiledLists.set(key, (m = new Map()));
  let v = m.get(tag) as V | undefined;
  if (v === undefined) {
    v = make();
    m.set(tag, v);
  }
  return v;
}

/** The compiled form of sources built from `key`, once per (`key`, `tag`). */
export function compiledSources(key: object, tag: string, sources: () => PolicySource[]): CompiledPolicy[] {
  return cachedFor(key, tag, () => sources().map((s) => compilePolicy(s.document, s.ref)));
}

/** The first statement with the given effect that matched (or might), for `deciding`. */
export function firstMatched(
  evals: PolicyEvaluation[],
  effect: 'Allow' | 'Deny',
  want: Tri = T,
): PolicyRef | undefined {
  for (const e of evals) {
    // The policy's own OR over that effect says whether any statement can have the wanted value.
    const own = effect === 'Allow' ? e.allow : e.explicitDeny;
    if (want !== F && (own === F || (want === T && own !== T))) continue;
    for (const st of e.statements) if (st.effect === effect && st.matched === want) return st.policy;
  }
  return undefined;
}

function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function awsPrincipals(st: PolicyStatement | undefined): string[] {
  const p = st?.Principal;
  if (p === undefined) return [];
  if (p === '*') return ['*'];
  const aws = p.AWS;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

/** How a resource policy's Allows reach the principal. */
export interface ResourceAllows {
  /** Names the principal itself (user, session, `*`, service): a direct grant. */
  direct: Tri;
  /** Names the role of a role session: a grant still filtered by boundary and session policy. */
  role: Tri;
  /** Names the principal's account: delegation to that account's IAM. */
  account: Tri;
  directRef?: PolicyRef;
  roleRef?: PolicyRef;
  accountRef?: PolicyRef;
}

function classify(
  st: StatementTrace,
  doc: PolicyDocument | undefined,
  principal: Principal,
): 'direct' | 'role' | 'account' {
  const by = st.principal?.by;
  const via = st.principal?.via;
  if (st.principal?.matched === 'account' || via === 'account')
    return principal.kind === 'root' ? 'direct' : 'account';
  if (via === 'role') return 'role';
  if (via !== undefined) return 'direct';
  if (principal.kind !== 'role-session' && principal.kind !== 'iam-role') return 'direct';
  if (by !== undefined) {
    if ((principal.kind === 'role-session' && by === principal.arn) || by === '*') return 'direct';
    if (/^arn:[^:]+:iam::\d{12}:role\//.test(by)) return 'role';
  }
  const stmt =
    doc && st.policy.statementIndex !== undefined ? statementsOf(doc)[st.policy.statementIndex] : undefined;
  const names = awsPrincipals(stmt);
  if (
    names.includes('*') ||
    (principal.kind === 'role-session' && names.includes(principal.arn)) ||
    stmt?.Principal === '*'
  )
    return 'direct';
  if (names.some((n) => /^arn:[^:]+:iam::\d{12}:role\//.test(n) || /^AROA/.test(n))) return 'role';
  return 'direct';
}

/** Splits a resource policy's matching Allows by what they named (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html). */
export function resourceAllows(
  evals: PolicyEvaluation[],
  docs: (PolicyDocument | undefined)[],
  principal: Principal,
): ResourceAllows {
  // One policy (the usual case): its evaluation is immutable, so the split is too, per caller. A
  // one-entry memo (no weak-map entries per request).
  const single = evals.length === 1 && docs.length === 1 ? evals[0]! : undefined;
  if (single) {
    const m = lastAllows;
    if (m && m.evaluation === single && m.principal === principal && m.doc === docs[0]) return m.out;
    const out = Object.freeze(splitAllows(evals, docs, principal));
    lastAllows = { evaluation: single, principal, doc: docs[0], out };
    return out;
  }
  return splitAllows(evals, docs, principal);
}

let lastAllows:
  | {
      evaluation: PolicyEvaluation;
      principal: Principal;
      doc: PolicyDocument | undefined;
      out: ResourceAllows;
    }
  | undefined;

function splitAllows(
  evals: PolicyEvaluation[],
  docs: (PolicyDocument | undefined)[],
  principal: Principal,
): ResourceAllows {
  const out: ResourceAllows = { direct: F, role: F, account: F };
  evals.forEach((e, i) => {
    for (const st of e.statements) {
      if (st.effect !== 'Allow' || st.matched === F) continue;
      const kind = classify(st, docs[i], principal);
      const before = out[kind];
      out[kind] = or(out[kind], st.matched);
      const refKey = `${kind}Ref` as const;
      if (out[refKey] === undefined || (before !== T && st.matched === T)) out[refKey] = st.policy;
    }
  });
  return out;
}

/** One level of an SCP/RCP path, evaluated. */
export interface LevelResult {
  target: string;
  allow: Tri;
  explicitDeny: Tri;
}

/** SCPs or RCPs along the organization path: every level must allow; a deny anywhere denies. */
export function evaluateLevels(
  type: Extract<PolicyType, 'scp' | 'rcp'>,
  levels: OrgPolicyLevel[],
  az: AuthzRequest,
  opts?: EvaluateOptions,
): { evaluations: PolicyEvaluation[]; levels: LevelResult[]; deny: Tri; allow: Tri } {
  const compiled = cachedFor(levels, type, () =>
    levels.map((level) =>
      level.policies.map((p) =>
        compilePolicy(p.document, { type, id: `${level.target}/${p.name}`, name: p.name }),
      ),
    ),
  );
  const evaluations: PolicyEvaluation[] = [];
  const out: LevelResult[] = new Array<LevelResult>(levels.length);
  let deny: Tri = F;
  let allow: Tri = T;
  for (let i = 0; i < levels.length; i++) {
    const set = evaluateCompiled(compiled[i]!, az, opts);
    for (const e of set.evaluations) evaluations.push(e);
    out[i] = { target: levels[i]!.target, allow: set.allow, explicitDeny: set.deny };
    if (deny !== T && set.deny !== F) deny = set.deny;
    if (allow !== F && set.allow !== T) allow = set.allow;
  }
  return { evaluations, levels: out, deny, allow: out.length === 0 ? U : allow };
}
