// Compiles a policy document once into matchers (actions, resources, principals, conditions), cached per document.

import type { PolicyDocument, PolicyRef, PolicyStatement, PolicyType } from '../model/policy.js';
import { compileArnPattern, compileGlob, type Matcher, type PatternPart } from './wildcard.js';
import { parseTemplate, type Template } from './variables.js';
import { parseOperator, type ParsedOperator } from './operators.js';
import { parsePrincipalElement, type PrincipalEntry, type PrincipalMatch } from './principals.js';
import type { PolicyEvaluation, StatementTrace } from '../model/evaluation.js';
import { parseCidr, type IpRange } from './ip.js';
import { parseDate } from './context.js';
import type { PolicyProblem } from './validate.js';

/** Policy types whose statements carry a Principal element that must match the caller. */
export const RESOURCE_POLICY_TYPES: ReadonlySet<PolicyType> = new Set<PolicyType>([
  'bucket-policy',
  'access-point-policy',
  'kms-key-policy',
  'vpc-endpoint-policy',
  'rcp',
]);

/** An Action/Resource entry: static (precompiled matcher) or a template with policy variables. */
export interface CompiledPattern {
  raw: string;
  matcher?: Matcher;
  tpl?: Template;
  /** One-entry memo of the last resolved text and its matcher (templates only). */
  memoText?: string;
  memoMatcher?: Matcher;
  memoPrep?: object;
  memoResolved?: string | { state: 'unresolved' | 'unknown'; key: string };
  /** Shared trace object for a match by this entry. */
  hit: { matched: boolean; by: string };
  /** Shared trace object for a NotAction/NotResource entry that matched (so the element did not). */
  miss?: { matched: boolean; by: string };
  /** Shared (frozen) resource-match results naming this entry: certain, and after an uncertain entry. */
  hitResult?: { hit: CompiledPattern; uncertain: boolean };
  hitUncertain?: { hit: CompiledPattern; uncertain: boolean };
}

/** One compiled policy value for a condition. */
export interface CompiledValue {
  raw: string;
  /** string, string-ignore-case (lower-cased), bool (lower-cased), binary (normalised base64). */
  text?: string;
  matcher?: Matcher;
  tpl?: Template;
  memoText?: string;
  memoMatcher?: Matcher;
  memoPrep?: object;
  memoResolved?: string | { state: 'unresolved' | 'unknown'; key: string };
  num?: number;
  range?: IpRange;
}

/** One operator + key of a Condition block. */
export interface CompiledCondition {
  operator: string;
  key: string;
  keyLower: string;
  values: string[];
  op?: ParsedOperator;
  /** Set when the operator or a value cannot be used: the condition evaluates to `unknown`. */
  error?: string;
  compiled: CompiledValue[];
  /**
   * The result when the key is present, whatever its value (e.g. StringLike `*`): lets an unknown key
   * still give a definite result. 1 true, 0 false, undefined: depends on the value.
   */
  presentConst?: 0 | 1;
}

/** One compiled statement. */
export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The Effect was invalid: the statement can only evaluate to `unknown`. */
  invalidEffect?: boolean;
  actionNot: boolean;
  /** `null`: the statement has neither Action nor NotAction (matches nothing). */
  actions: CompiledPattern[] | null;
  resourceNot: boolean;
  /** `null`: no Resource element (the resource is implied, as in trust policies). */
  resources: CompiledPattern[] | null;
  principalNot: boolean;
  /** `null`: no Principal element. */
  principals: PrincipalEntry[] | null;
  conditions: CompiledCondition[];
  /** One-entry memo of the last action looked up and the entry that matched it. */
  memoAction?: string;
  memoActionHit?: CompiledPattern | undefined;
  /** No Resource entry has a policy variable. */
  staticResources?: boolean;
  memoResource?: string;
  memoResourceResult?: { hit?: CompiledPattern; uncertain: boolean };
  /** One-entry memo of the last caller matched against the Principal element. */
  memoPrincipal?: object;
  memoCanon?: object | undefined;
  memoBoundary?: boolean;
  memoMatch?: PrincipalMatch;
  memoPrincipalTrace?: NonNullable<StatementTrace['principal']>;
  /**
   * One-entry memo of the frozen result when action, resource or principal did not match (no condition
   * looked at): it then depends only on the compiled policy and the shared action, resource and
   * principal traces.
   */
  memoFail?: {
    policy: CompiledPolicy;
    action: object;
    resource: object;
    principal: object | undefined;
    direct: boolean;
    out: { t: 0; direct: boolean; trace: StatementTrace };
    /** The trace is frozen once it is reused. */
    frozen: boolean;
    /**
     * Set when the result is fixed by the lower-cased action and the resource string alone (no
     * Principal element looked at, no policy variable in Resource): a later request with both the same
     * takes the result without re-matching anything.
     */
    keyAction?: string;
    keyResource?: string;
  };
}

/** The document-level part of a compiled policy, shared by every ref that uses the same document. */
export interface CompiledBody {
  document: PolicyDocument;
  /** Policy variables are substituted only under Version 2012-10-17. */
  variables: boolean;
  statements: CompiledStatement[];
  /** What the compiler could not understand (never silently allowed or denied: such parts are `unknown`). */
  problems: PolicyProblem[];
  /** Compiled policies by ref type, id and name. */
  byRef: Map<string, Map<string, Map<string, CompiledPolicy>>>;
}

/** A policy compiled for evaluation: matchers, principal entries and the refs used in traces. */
export interface CompiledPolicy {
  ref: PolicyRef;
  /** Whether Principal/NotPrincipal take part (bucket, access point, KMS key, VPC endpoint policies, RCPs). */
  resourcePolicy: boolean;
  body: CompiledBody;
  /** One ref per statement, with `statementIndex` and `sid`. */
  statementRefs: PolicyRef[];
  /** One-entry memo of the last evaluation: request object, options, frozen result. */
  memoEval?: {
    req: object;
    canon: object | undefined;
    boundary: boolean;
    result: PolicyEvaluation;
    /** Frozen once it is handed out a second time. */
    frozen: boolean;
  };
  /** The lower-cased action and resource of the last full pass over the statements. */
  lastPass?: { action: string; resource: string };
  /**
   * For one lower-cased action and resource string: the frozen traces of the statements whose result
   * (false) those two fix, in place, and the indices of the statements still to evaluate per request.
   */
  plan?: { action: string; resource: string; traces: StatementTrace[]; live: number[] };
}

function toList(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function compilePattern(raw: string, variables: boolean, arn: boolean): CompiledPattern {
  const hit = Object.freeze({ matched: true, by: raw });
  const tpl = parseTemplate(raw, variables);
  const matcher = tpl.vars
    ? undefined
    : arn
      ? compileArnPattern(tpl.pieces as PatternPart[])
      : compileGlob([{ t: 'text', s: raw.toLowerCase() }], false);
  // Every field in one order (one object shape for all patterns).
  return {
    raw,
    matcher,
    tpl: tpl.vars ? tpl : undefined,
    memoText: undefined,
    memoMatcher: undefined,
    memoPrep: undefined,
    memoResolved: undefined,
    hit,
    miss: undefined,
    hitResult: undefined,
    hitUncertain: undefined,
  };
}

const NUMBER_RE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Parses a numeric condition value as the Numeric operators do; NaN when not a number. */
export function parseNumber(s: string): number {
  return NUMBER_RE.test(s) ? Number(s) : NaN;
}

function normaliseBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.trim())) return undefined;
  return Buffer.from(s.trim(), 'base64').toString('base64');
}

function compileCondition(
  operator: string,
  key: string,
  rawValues: unknown,
  variables: boolean,
): CompiledCondition {
  const values = toList(rawValues).map((v) => (typeof v === 'string' ? v : String(v)));
  const cond: CompiledCondition = { operator, key, keyLower: key.toLowerCase(), values, compiled: [] };
  const parsed = parseOperator(operator);
  if ('error' in parsed) {
    cond.error = parsed.error;
    return cond;
  }
  const op = parsed.op;
  cond.op = op;
  if (values.length === 0) cond.error = 'no policy values';
  for (const raw of values) {
    // Every field in one order (one object shape for all values).
    const cv: CompiledValue = {
      raw,
      text: undefined,
      matcher: undefined,
      tpl: undefined,
      memoText: undefined,
      memoMatcher: undefined,
      memoPrep: undefined,
      memoResolved: undefined,
      num: undefined,
      range: undefined,
    };
    switch (op.family) {
      case 'string':
      case 'string-ignore-case': {
        const tpl = parseTemplate(raw, variables);
        if (tpl.vars) cv.tpl = tpl;
        else {
          const text = (tpl.pieces as PatternPart[]).map((p) => p.s).join('');
          cv.text = op.family === 'string' ? text : text.toLowerCase();
        }
        break;
      }
      case 'string-like':
      case 'arn': {
        const tpl = parseTemplate(raw, variables);
        if (tpl.vars) cv.tpl = tpl;
        else
          cv.matcher =
            op.family === 'arn'
              ? compileArnPattern(tpl.pieces as PatternPart[])
              : compileGlob(tpl.pieces as PatternPart[], false);
        break;
      }
      case 'numeric':
        cv.num = parseNumber(raw);
        if (Number.isNaN(cv.num)) cond.error = `"${raw}" is not a number`;
        break;
      case 'date': {
        const d = parseDate(raw);
        if (d === undefined) cond.error = `"${raw}" is not a date`;
        else cv.num = d;
        break;
      }
      case 'bool': {
        // Bool values may hold policy variables (the operators page lists them as supported for Bool).
        const tpl = parseTemplate(raw, variables);
        if (tpl.vars) {
          cv.tpl = tpl;
          break;
        }
        cv.text = raw.toLowerCase();
        if (cv.text !== 'true' && cv.text !== 'false' && !raw.includes('${')) {
          cond.error = `"${raw}" is not "true" or "false"`;
        }
        break;
      }
      case 'null':
        cv.text = raw.toLowerCase();
        if (cv.text !== 'true' && cv.text !== 'false') cond.error = `"${raw}" is not "true" or "false"`;
        break;
      case 'binary': {
        const b = normaliseBase64(raw);
        if (b === undefined) cond.error = `"${raw}" is not base64`;
        else cv.text = b;
        break;
      }
      case 'ip': {
        const r = parseCidr(raw);
        if (!r) cond.error = `"${raw}" is not an IP address or CIDR range`;
        else cv.range = r;
        break;
      }
    }
    cond.compiled.push(cv);
  }
  // A lone "*" matches every present string. Not every present value for ArnLike: a value that is not an
  // ARN matches no ArnLike pattern (evaluate.ts checks the "arn:" prefix first), so "*" decides nothing there.
  if (
    op.set === 'none' &&
    op.family === 'string-like' &&
    cond.compiled.some((v) => !v.tpl && v.raw === '*')
  ) {
    cond.presentConst = op.negated ? 0 : 1;
  }
  return cond;
}

function compileStatement(
  raw: unknown,
  index: number,
  path: string,
  variables: boolean,
  problems: PolicyProblem[],
): CompiledStatement {
  const st = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<PolicyStatement> &
    Record<string, unknown>;
  const effect = st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : 'Deny';
  // Every field (memo slots included) set here, in one order: all statements share one object shape,
  // which keeps the evaluator's property accesses monomorphic.
  const out: CompiledStatement = {
    index,
    sid: typeof st.Sid === 'string' ? st.Sid : undefined,
    effect,
    invalidEffect: false,
    actionNot: st.Action === undefined && st.NotAction !== undefined,
    actions: null,
    resourceNot: st.Resource === undefined && st.NotResource !== undefined,
    resources: null,
    principalNot: st.Principal === undefined && st.NotPrincipal !== undefined,
    principals: null,
    conditions: [],
    memoAction: undefined,
    memoActionHit: undefined,
    staticResources: false,
    memoResource: undefined,
    memoResourceResult: undefined,
    memoPrincipal: undefined,
    memoCanon: undefined,
    memoBoundary: false,
    memoMatch: undefined,
    memoPrincipalTrace: undefined,
    memoFail: undefined,
  };
  if (effect !== st.Effect) {
    out.invalidEffect = true;
    problems.push({
      path: `${path}.Effect`,
      message: 'Effect is not "Allow" or "Deny": the statement evaluates to unknown',
    });
  }
  const actions = out.actionNot ? st.NotAction : st.Action;
  if (actions !== undefined) {
    out.actions = toList(actions)
      .filter((a): a is string => typeof a === 'string')
      .map((a) => compilePattern(a, false, false));
  } else {
    problems.push({ path, message: 'no Action or NotAction: the statement evaluates to unknown' });
  }
  const resources = out.resourceNot ? st.NotResource : st.Resource;
  if (resources !== undefined) {
    out.resources = toList(resources)
      .filter((r): r is string => typeof r === 'string')
      .map((r) => compilePattern(r, variables, true));
    out.staticResources = out.resources.every((r) => r.matcher !== undefined);
  }
  const principal = out.principalNot ? st.NotPrincipal : st.Principal;
  if (principal !== undefined) out.principals = parsePrincipalElement(principal);
  const bad = (operator: string, message: string): void => {
    problems.push({ path: `${path}.Condition${operator ? `.${operator}` : ''}`, message });
    out.conditions.push({ operator, key: '', keyLower: '', values: [], compiled: [], error: message });
  };
  if (st.Condition !== undefined && (typeof st.Condition !== 'object' || st.Condition === null)) {
    bad('', 'Condition is not an object: the statement evaluates to unknown');
  } else if (st.Condition) {
    for (const [operator, block] of Object.entries(st.Condition)) {
      if (typeof block !== 'object' || block === null) {
        bad(operator, 'the operator has no key -> value(s) object: the statement evaluates to unknown');
        continue;
      }
      for (const [key, values] of Object.entries(block)) {
        const c = compileCondition(operator, key, values, variables);
        if (c.error) problems.push({ path: `${path}.Condition.${operator}.${key}`, message: c.error });
        out.conditions.push(c);
      }
    }
  }
  return out;
}

/** Compiles the document part, with no cache. */
export function compileBody(doc: PolicyDocument): CompiledBody {
  const problems: PolicyProblem[] = [];
  // Variables are substituted only under 2012-10-17; a missing Version means 2008-10-17.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  const variables = doc.Version === '2012-10-17';
  const list = toList(doc.Statement);
  const single = !Array.isArray(doc.Statement);
  const statements = list.map((s, i) =>
    compileStatement(s, i, single ? 'Statement' : `Statement[${i}]`, variables, problems),
  );
  return { document: doc, variables, statements, problems, byRef: new Map() };
}

function withRef(body: CompiledBody, ref: PolicyRef): CompiledPolicy {
  const statementRefs = body.statements.map((s) => {
    const r: PolicyRef = { ...ref, statementIndex: s.index };
    if (s.sid !== undefined) r.sid = s.sid;
    return Object.freeze(r);
  });
  return {
    ref,
    resourcePolicy: RESOURCE_POLICY_TYPES.has(ref.type),
    body,
    statementRefs,
    memoEval: undefined,
    lastPass: undefined,
    plan: undefined,
  };
}

const bodies = new WeakMap<PolicyDocument, CompiledBody>();

/**
 * Compiles a (normalised or raw-object) policy document for evaluation under `ref`. Compiled once per
 * document object and ref, then cached: do not mutate a document after compiling it (copy it instead).
 * Parts the compiler cannot understand are listed in `body.problems` and evaluate to `unknown`.
 */
export function compilePolicy(doc: PolicyDocument, ref: PolicyRef): CompiledPolicy {
  let body = bodies.get(doc);
  if (!body) {
    body = compileBody(doc);
    bodies.set(doc, body);
  }
  // Nested maps (type, id, name): no key string to build on the hot path.
  let byId = body.byRef.get(ref.type);
  if (!byId) body.byRef.set(ref.type, (byId = new Map()));
  let byName = byId.get(ref.id);
  if (!byName) byId.set(ref.id, (byName = new Map()));
  const name = ref.name ?? '';
  let compiled = byName.get(name);
  if (!compiled) {
    compiled = withRef(body, ref);
    byName.set(name, compiled);
  }
  return compiled;
}

/** Compiles without touching the cache (the naive path for benchmarks). */
export function compilePolicyUncached(doc: PolicyDocument, ref: PolicyRef): CompiledPolicy {
  return withRef(compileBody(doc), ref);
}
