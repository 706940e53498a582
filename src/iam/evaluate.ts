// Evaluates a compiled policy against one authorization: a three-valued verdict and a per-statement trace.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import type { ConditionTrace, PolicyEvaluation, StatementTrace, Tri } from '../model/evaluation.js';
import type { PolicyDocument, PolicyRef } from '../model/policy.js';
import type { AuthzRequest, ContextValue } from '../model/request.js';
import { prepareRequest, type PreparedRequest } from './context.js';
import {
  compilePolicyUncached,
  parseNumber,
  type CompiledCondition,
  type CompiledPattern,
  type CompiledPolicy,
  type CompiledStatement,
  type CompiledValue,
} from './compile.js';
import { matchNotPrincipal, matchPrincipal, type PrincipalMatch } from './principals.js';
import { resolveTemplate, resolveText, type Template } from './variables.js';
import { compileArnPattern, compileGlob, type Matcher } from './wildcard.js';
import { ipInRange } from './ip.js';
import { validatePolicy } from './validate.js';

/** Options for evaluating resource-based policies. */
export interface EvaluateOptions {
  /** Canonical user id -> account id (the snapshot's `canonicalIds`), for CanonicalUser principals. */
  canonicalIds?: Record<string, string>;
  /**
   * The caller has a permissions boundary: a `Deny` with `NotPrincipal` then always applies to it,
   * whatever NotPrincipal lists. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
   */
  callerHasPermissionsBoundary?: boolean;
}

// Internal three-valued results: 0 false, 1 true, 2 unknown.
type T = 0 | 1 | 2;
const TRI: readonly Tri[] = ['false', 'true', 'unknown'];

function and(a: T, b: T): T {
  return a === 0 || b === 0 ? 0 : a === 2 || b === 2 ? 2 : 1;
}
function or(a: T, b: T): T {
  return a === 1 || b === 1 ? 1 : a === 2 || b === 2 ? 2 : 0;
}

const NO_ACTION = Object.freeze({ matched: false });
const YES_ACTION = Object.freeze({ matched: true });
const RESOURCE_IMPLIED = Object.freeze({ matched: true });
const NO_RESOURCE = Object.freeze({ matched: false });
const RESOURCE_UNCERTAIN = Object.freeze({ matched: false, uncertain: true });
const NO_OPTS: EvaluateOptions = Object.freeze({});
const NO_PRINCIPAL: PrincipalMatch = Object.freeze({ matched: 'false' });
const NO_CONDITIONS: ConditionTrace[] = Object.freeze([]) as unknown as ConditionTrace[];

/** Anything holding a template, with memo slots for its resolution. */
interface TemplateHolder {
  tpl?: Template;
  memoText?: string;
  memoMatcher?: Matcher;
  memoPrep?: object;
  memoResolved?: string | { state: 'unresolved' | 'unknown'; key: string };
}

/** Resolves a template's text once per prepared request. */
function resolved(
  holder: TemplateHolder,
  prep: PreparedRequest,
): string | { state: 'unresolved' | 'unknown'; key: string } {
  if (holder.memoPrep === prep) return holder.memoResolved!;
  const r = resolveText(holder.tpl!, prep.lookup);
  holder.memoPrep = prep;
  holder.memoResolved = r;
  return r;
}

/** The matcher for a template's resolution, rebuilt only when the resolved text changes. */
function templateMatcher(
  holder: TemplateHolder,
  prep: PreparedRequest,
  arn: boolean,
): Matcher | 'unresolved' | 'unknown' {
  const text = resolved(holder, prep);
  if (typeof text !== 'string') return text.state;
  if (holder.memoText === text && holder.memoMatcher) return holder.memoMatcher;
  const r = resolveTemplate(holder.tpl!, prep.lookup);
  if (!r.ok) return r.state;
  const m = arn ? compileArnPattern(r.parts) : compileGlob(r.parts, false);
  holder.memoText = text;
  holder.memoMatcher = m;
  return m;
}

function matchResource(
  patterns: CompiledPattern[],
  resource: string,
  prep: PreparedRequest,
): { hit?: CompiledPattern; uncertain: boolean } {
  let uncertain = false;
  for (const p of patterns) {
    let m = p.matcher;
    if (!m) {
      const t = templateMatcher(p, prep, true);
      if (t === 'unknown') {
        uncertain = true;
        continue;
      }
      if (t === 'unresolved') continue; // an unresolved variable makes this entry unusable
      m = t;
    }
    // Shared frozen results (no object per statement and request).
    if (m(resource))
      return uncertain
        ? (p.hitUncertain ??= Object.freeze({ hit: p, uncertain: true }))
        : (p.hitResult ??= Object.freeze({ hit: p, uncertain: false }));
  }
  return uncertain ? UNCERTAIN_MISS : CERTAIN_MISS;
}

const CERTAIN_MISS: { hit?: CompiledPattern; uncertain: boolean } = Object.freeze({ uncertain: false });
const UNCERTAIN_MISS: { hit?: CompiledPattern; uncertain: boolean } = Object.freeze({ uncertain: true });

// ---- conditions ----------------------------------------------------------------------------------

/** Value-level outcome for one policy value: 1 match, 0 no match, 2 unknown (variable), 3 unusable. */
function matchValue(
  c: CompiledCondition,
  v: CompiledValue,
  r: string,
  rl: string | undefined,
  rn: number,
  prep: PreparedRequest,
): 0 | 1 | 2 | 3 {
  const op = c.op!;
  switch (op.family) {
    case 'string':
    case 'string-ignore-case': {
      let text = v.text;
      if (text === undefined) {
        const res = resolved(v, prep);
        if (typeof res !== 'string') return res.state === 'unknown' ? 2 : 3;
        text = op.family === 'string' ? res : res.toLowerCase();
      }
      return (op.family === 'string' ? r : rl) === text ? 1 : 0;
    }
    case 'string-like':
    case 'arn': {
      let m = v.matcher;
      if (!m) {
        const t = templateMatcher(v, prep, op.family === 'arn');
        if (t === 'unknown') return 2;
        if (t === 'unresolved') return 3;
        m = t;
      }
      return m(r) ? 1 : 0;
    }
    case 'numeric':
    case 'date': {
      const p = v.num!;
      switch (op.cmp) {
        case 'eq':
          return rn === p ? 1 : 0;
        case 'lt':
          return rn < p ? 1 : 0;
        case 'lte':
          return rn <= p ? 1 : 0;
        case 'gt':
          return rn > p ? 1 : 0;
        case 'gte':
          return rn >= p ? 1 : 0;
      }
      return 0;
    }
    case 'bool': {
      let text = v.text;
      if (text === undefined) {
        const res = resolved(v, prep);
        if (typeof res !== 'string') return res.state === 'unknown' ? 2 : 3;
        text = res.toLowerCase();
      }
      return rl === text ? 1 : 0;
    }
    case 'binary':
      return r === v.text ? 1 : 0;
    case 'ip': {
      const ip = prep.ip(r);
      return ip && ipInRange(ip, v.range!) ? 1 : 0;
    }
    case 'null':
      return 0;
  }
}

/**
 * One request value against every policy value: positive operators are an OR over the policy values,
 * negated operators a NOR. A request value the operator cannot read (not a number, date, IP, ARN) never
 * satisfies the condition, negated or not.
 */
function matchElement(c: CompiledCondition, r: string, prep: PreparedRequest): T {
  const op = c.op!;
  let rl: string | undefined;
  let rn = NaN;
  switch (op.family) {
    case 'string-ignore-case':
    case 'bool':
      rl = r.toLowerCase();
      break;
    case 'numeric':
      rn = parseNumber(r);
      if (Number.isNaN(rn)) return 0;
      break;
    case 'date': {
      const d = prep.date(r);
      if (d === undefined) return 0;
      rn = d;
      break;
    }
    case 'ip':
      if (!prep.ip(r)) return 0;
      break;
    case 'arn':
      if (!r.startsWith('arn:')) return 0;
      break;
    case 'binary': {
      const t = r.trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return 0;
      r = Buffer.from(t, 'base64').toString('base64');
      break;
    }
    default:
      break;
  }
  let unknown = false;
  let unusable = false;
  const vals = c.compiled;
  for (let i = 0; i < vals.length; i++) {
    const m = matchValue(c, vals[i]!, r, rl, rn, prep);
    if (m === 1) return op.negated ? 0 : 1;
    if (m === 2) unknown = true;
    else if (m === 3) unusable = true;
  }
  if (!op.negated) return unknown ? 2 : 0;
  // A negated comparison against a value whose variable cannot be resolved is not satisfiable.
  if (unusable) return 0;
  return unknown ? 2 : 1;
}

/** The result when the key is absent (or an empty set): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html */
function absentResult(c: CompiledCondition): T {
  const op = c.op!;
  if (op.family === 'null') return c.compiled.some((v) => v.text === 'true') ? 1 : 0;
  if (op.ifExists) return 1;
  if (op.set === 'any') return 0;
  if (op.set === 'all') return 1;
  return op.negated ? 1 : 0;
}

function presentResult(
  c: CompiledCondition,
  value: ContextValue,
  prep: PreparedRequest,
): { r: T; error?: string } {
  const op = c.op!;
  // An empty set counts as a missing key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
  if (typeof value !== 'string' && value.length === 0) return { r: absentResult(c) };
  if (op.family === 'null') return { r: c.compiled.some((v) => v.text === 'false') ? 1 : 0 };
  if (typeof value === 'string') return { r: matchElement(c, value, prep) };
  if (op.set === 'none') {
    if (value.length === 1) return { r: matchElement(c, value[0]!, prep) };
    // AWS documents a plain operator on a multi-valued key as unsupported. When reading it as "any value"
    // and as "every value" agree (StringLike "*"), that is the answer; otherwise it is not knowable.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    const any = overSet(c, value, 'any', prep);
    if (any !== 2 && any === overSet(c, value, 'all', prep)) return { r: any };
    return {
      r: 2,
      error: `plain operator ${c.operator} on a multi-valued key: use ForAnyValue: or ForAllValues:`,
    };
  }
  return { r: overSet(c, value, op.set, prep) };
}

/** ForAnyValue (OR) or ForAllValues (AND) over the request values. */
function overSet(c: CompiledCondition, value: string[], set: 'any' | 'all', prep: PreparedRequest): T {
  let acc: T = set === 'any' ? 0 : 1;
  for (const r of value) {
    const e = matchElement(c, r, prep);
    acc = set === 'any' ? or(acc, e) : and(acc, e);
    if ((set === 'any' && acc === 1) || (set === 'all' && acc === 0)) break;
  }
  return acc;
}

function evaluateCondition(c: CompiledCondition, prep: PreparedRequest): { t: T; trace: ConditionTrace } {
  const st = prep.lookup(c.keyLower);
  const trace: ConditionTrace = {
    operator: c.operator,
    key: c.key,
    policyValues: c.values,
    keyState: st.state,
    result: 'unknown',
  };
  if (st.state === 'present') trace.requestValue = st.value;
  if (c.error || !c.op) {
    trace.error = c.error ?? 'cannot evaluate';
    return { t: 2, trace };
  }
  let t: T;
  if (st.state === 'absent') t = absentResult(c);
  else if (st.state === 'present') {
    const p = presentResult(c, st.value, prep);
    t = p.r;
    if (p.error) trace.error = p.error;
  } else {
    // Unknown presence: definite only when absent and present (any value) agree.
    const a = absentResult(c);
    let p: T | undefined;
    if (c.op.family === 'null') p = c.compiled.some((v) => v.text === 'false') ? 1 : 0;
    else if (c.presentConst !== undefined) p = c.presentConst;
    t = p !== undefined && p === a ? a : 2;
  }
  trace.result = TRI[t]!;
  return { t, trace };
}

// ---- statements ---------------------------------------------------------------------------------

function principalTrace(m: PrincipalMatch): NonNullable<StatementTrace['principal']> {
  const out: NonNullable<StatementTrace['principal']> = { matched: m.matched };
  if (m.by !== undefined) out.by = m.by;
  if (m.via !== undefined) out.via = m.via;
  if (m.unresolved) out.uncertain = true;
  return out;
}

/** Whether a principal trace says exactly what `principalTrace(m)` would. */
function sameMatchTrace(t: NonNullable<StatementTrace['principal']>, m: PrincipalMatch): boolean {
  return (
    t.matched === m.matched &&
    t.by === m.by &&
    t.via === m.via &&
    (t.uncertain === true) === (m.unresolved === true)
  );
}

function evaluateStatement(
  p: CompiledPolicy,
  s: CompiledStatement,
  req: AuthzRequest,
  prep: PreparedRequest,
  opts: EvaluateOptions | undefined,
): { t: T; direct: boolean; trace: StatementTrace } {
  let failedOn: StatementTrace['failedOn'];
  // Action / NotAction (case-insensitive).
  let actionT: T = 0;
  let action: StatementTrace['action'] = NO_ACTION;
  if (s.actions) {
    let hit: CompiledPattern | undefined;
    if (s.memoAction === prep.actionLower) hit = s.memoActionHit;
    else {
      for (const a of s.actions) {
        if (a.matcher!(prep.actionLower)) {
          hit = a;
          break;
        }
      }
      s.memoAction = prep.actionLower;
      s.memoActionHit = hit;
    }
    if (s.actionNot) {
      actionT = hit ? 0 : 1;
      action = hit ? missOf(hit) : YES_ACTION;
    } else {
      actionT = hit ? 1 : 0;
      action = hit ? hit.hit : NO_ACTION;
    }
  } else {
    // No Action or NotAction (an invalid statement): never a silent match or no-match.
    actionT = 2;
  }
  if (actionT === 0) failedOn = 'action';

  // Resource / NotResource.
  let resourceT: T = 1;
  let resource: StatementTrace['resource'] = RESOURCE_IMPLIED;
  if (s.resources) {
    let r: { hit?: CompiledPattern; uncertain: boolean };
    if (s.staticResources) {
      // Static patterns: the result depends on the resource string only.
      if (s.memoResource !== req.resource) {
        s.memoResource = req.resource;
        s.memoResourceResult = matchResource(s.resources, req.resource, prep);
      }
      r = s.memoResourceResult!;
    } else r = matchResource(s.resources, req.resource, prep);
    if (s.resourceNot) {
      resourceT = r.hit ? 0 : r.uncertain ? 2 : 1;
      resource = r.hit ? missOf(r.hit) : r.uncertain ? RESOURCE_UNCERTAIN : YES_ACTION;
    } else {
      resourceT = r.hit ? 1 : r.uncertain ? 2 : 0;
      resource = r.hit ? r.hit.hit : r.uncertain ? RESOURCE_UNCERTAIN : NO_RESOURCE;
    }
  }
  if (resourceT === 0 && !failedOn) failedOn = 'resource';

  // Principal / NotPrincipal, for resource-based policy types only.
  let principalT: T = 1;
  let direct = true;
  let principal: StatementTrace['principal'];
  if (p.resourcePolicy) {
    let m: PrincipalMatch;
    const boundary = opts?.callerHasPermissionsBoundary === true;
    const canon = opts?.canonicalIds;
    // One-entry memo: the same caller (object) under the same options gives the same match.
    if (
      s.memoPrincipal === req.principal &&
      s.memoCanon === canon &&
      s.memoBoundary === boundary &&
      s.memoMatch
    ) {
      m = s.memoMatch;
      principal = s.memoPrincipalTrace;
    } else {
      if (!s.principals) m = NO_PRINCIPAL;
      else if (s.principalNot) {
        m =
          s.effect === 'Deny' && boundary
            ? { matched: 'true', via: 'not-principal' }
            : matchNotPrincipal(s.principals, req.principal, opts ?? NO_OPTS, s.effect);
      } else m = matchPrincipal(s.principals, req.principal, opts ?? NO_OPTS);
      // Same content as the last trace (a new request object for the same caller): keep the shared
      // frozen object, so the failed-statement memo below still applies.
      const last = s.memoPrincipalTrace;
      principal =
        last && sameMatchTrace(last, m) ? last : (Object.freeze(principalTrace(m)) as typeof principal);
      s.memoPrincipal = req.principal;
      s.memoCanon = canon;
      s.memoBoundary = boundary;
      s.memoMatch = m;
      s.memoPrincipalTrace = principal;
    }
    principalT = m.unresolved ? 2 : m.matched === 'false' ? 0 : 1;
    direct = m.matched === 'true';
    if (principalT === 0 && !failedOn) failedOn = 'principal';
  }

  // Action, resource or principal did not match: the result (false, no condition looked at) is fixed
  // by the traces built so far, which are shared objects, so a previous identical result is reused.
  if (failedOn) {
    const f = s.memoFail;
    if (
      f &&
      f.policy === p &&
      f.action === action &&
      f.resource === resource &&
      f.principal === principal &&
      f.direct === direct
    ) {
      sharedTrace(f);
      return f.out;
    }
  }

  // Conditions: only evaluated when the other elements could match.
  let condT: T = 1;
  let conditions = NO_CONDITIONS;
  if (!failedOn && s.conditions.length > 0) {
    conditions = [];
    for (const c of s.conditions) {
      const r = evaluateCondition(c, prep);
      condT = and(condT, r.t);
      conditions.push(r.trace);
    }
    if (condT === 0) failedOn = 'condition';
  }

  let t = and(and(actionT, resourceT), and(principalT, condT));
  if (s.invalidEffect && t !== 0) t = 2;
  const trace: StatementTrace = {
    policy: p.statementRefs[s.index]!,
    effect: s.effect,
    matched: TRI[t]!,
    action,
    resource,
    conditions,
  };
  if (principal) trace.principal = principal;
  if (failedOn) trace.failedOn = failedOn;
  if (failedOn && failedOn !== 'condition') {
    // A later call reuses it when its action, resource and principal traces are these same objects.
    const out = { t: 0 as const, direct, trace };
    const keyed = !p.resourcePolicy && (s.staticResources || !s.resources);
    s.memoFail = {
      policy: p,
      action,
      resource,
      principal,
      direct,
      out,
      frozen: false,
      keyAction: keyed ? prep.actionLower : undefined,
      keyResource: keyed ? req.resource : undefined,
    };
    return out;
  }
  return { t, direct, trace };
}

type FailMemo = NonNullable<CompiledStatement['memoFail']>;

/** A failed-statement memo's trace, frozen the first time it is shared. */
function sharedTrace(f: FailMemo): StatementTrace {
  if (!f.frozen) {
    Object.freeze(f.out.trace);
    f.frozen = true;
  }
  return f.out.trace;
}

/** Whether a statement's memoised failure is fixed by this policy, lower-cased action and resource alone. */
function failsFor(
  f: FailMemo | undefined,
  p: CompiledPolicy,
  action: string,
  resource: string,
): f is FailMemo {
  return f !== undefined && f.keyAction === action && f.keyResource === resource && f.policy === p;
}

/** The frozen trace of a NotAction/NotResource entry that matched (the element itself did not). */
function missOf(hit: CompiledPattern): { matched: boolean; by: string } {
  return (hit.miss ??= Object.freeze({ matched: false, by: hit.raw }));
}

function evaluateWith(
  p: CompiledPolicy,
  req: AuthzRequest,
  prep: PreparedRequest,
  opts: EvaluateOptions | undefined,
): PolicyEvaluation {
  let deny: T = 0;
  let allow: T = 0;
  let directAllow: T = 0;
  const list = p.body.statements;
  const actionLower = prep.actionLower;
  const resource = req.resource;
  const plan = p.plan;
  // With a plan for the same action and resource, only the statements it left live are evaluated;
  // else every statement, skipping those whose failure that action and resource fix.
  const planned = plan && plan.action === actionLower && plan.resource === resource ? plan : undefined;
  const live = planned?.live;
  const statements = planned ? planned.traces.slice() : new Array<StatementTrace>(list.length);
  const n = live ? live.length : list.length;
  for (let k = 0; k < n; k++) {
    const i = live ? live[k]! : k;
    const s = list[i]!;
    const f = s.memoFail;
    if (!live && failsFor(f, p, actionLower, resource)) {
      statements[i] = sharedTrace(f);
      continue;
    }
    const r = evaluateStatement(p, s, req, prep, opts);
    statements[i] = r.trace;
    if (s.effect === 'Deny') deny = or(deny, r.t);
    else {
      allow = or(allow, r.t);
      if (r.direct) directAllow = or(directAllow, r.t);
    }
  }
  if (!live && !p.resourcePolicy) notePass(p, list, statements, actionLower, resource);
  const out: PolicyEvaluation = { policy: p.ref, explicitDeny: TRI[deny]!, allow: TRI[allow]!, statements };
  if (p.resourcePolicy) out.directAllow = TRI[directAllow]!;
  return out;
}

/**
 * After a full pass: when the previous full pass had the same action and resource, records the plan
 * (statements whose result those two fix, with their frozen traces; the rest stay live). Built on the
 * second pass only, so requests that change resource every time do not pay for plans never used.
 */
function notePass(
  p: CompiledPolicy,
  list: CompiledStatement[],
  statements: StatementTrace[],
  action: string,
  resource: string,
): void {
  const last = p.lastPass;
  if (!last || last.action !== action || last.resource !== resource) {
    p.lastPass = { action, resource };
    return;
  }
  const traces = new Array<StatementTrace>(list.length);
  const live: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = list[i]!.memoFail;
    if (failsFor(f, p, action, resource) && f.out.trace === statements[i]) traces[i] = sharedTrace(f);
    else live.push(i);
  }
  p.plan = { action, resource, traces, live };
}

/**
 * Evaluates a compiled policy against one authorization. `explicitDeny`/`allow` are three-valued: a
 * condition on a key in `req.unknownKeys` that could go either way makes them `unknown`. For resource-based
 * policy types (bucket, access point, KMS key, VPC endpoint policies, RCPs) the Principal element is
 * matched too, and `directAllow` counts only Allows that name the caller itself (not its account).
 * Statement traces list conditions only when action, resource and principal could match.
 * The last result per compiled policy is reused for the same request object and options (frozen when
 * first reused): treat requests and results as immutable (make a new request to change one).
 */
export function evaluatePolicy(
  p: CompiledPolicy,
  req: AuthzRequest,
  opts?: EvaluateOptions,
): PolicyEvaluation {
  // The result depends only on the compiled policy, the request (immutable once evaluated, like its
  // prepared form) and the two options: reuse it, frozen, when the same pair comes again.
  const canon = opts?.canonicalIds;
  const boundary = opts?.callerHasPermissionsBoundary === true;
  // One-entry memo on the compiled policy (no weak-map entry per request: fresh requests stay cheap).
  const m = p.memoEval;
  if (m && m.req === req && m.canon === canon && m.boundary === boundary) {
    // Frozen when first shared (a fresh request's result is never returned twice, so never pays).
    if (!m.frozen) {
      freezeEvaluation(m.result);
      m.frozen = true;
    }
    return m.result;
  }
  const result = evaluateWith(p, req, prepareRequest(req), opts);
  p.memoEval = { req, canon, boundary, result, frozen: false };
  return result;
}

/** Freezes an evaluation and its traces (shared between callers, so nobody may edit them). */
function freezeEvaluation(e: PolicyEvaluation): PolicyEvaluation {
  for (const st of e.statements) {
    if (Object.isFrozen(st)) continue; // a trace already shared by a statement memo
    if (st.conditions !== NO_CONDITIONS) {
      for (const c of st.conditions) Object.freeze(c);
      Object.freeze(st.conditions);
    }
    Object.freeze(st);
  }
  Object.freeze(e.statements);
  return Object.freeze(e);
}

/**
 * The naive path, for benchmarks: validates and normalises the document, compiles it and prepares the
 * request afresh on every call (no cache at all), then evaluates with the same semantics as
 * `evaluatePolicy`. Throws when the document is invalid.
 */
export function evaluatePolicyUncached(
  doc: unknown,
  req: AuthzRequest,
  ref: PolicyRef = { type: 'identity-policy', id: 'policy' },
  opts?: EvaluateOptions,
): PolicyEvaluation {
  const v = validatePolicy(doc, 'policy');
  if (!v.document)
    throw new Error(`invalid policy: ${v.problems.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
  const compiled = compilePolicyUncached(v.document as PolicyDocument, ref);
  return evaluateWith(compiled, req, prepareRequest(req, false), opts);
}
