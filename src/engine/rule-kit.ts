// The rule kit: the only API rules import. Rule metadata, findings, the context a rule reads, and
// small helpers over the evaluation trace, the evidence and the log record (no I/O, no prose).

import type { CauseCode, ConditionRef, Confidence, Fix } from '../model/cause.js';
import type {
  AuthorizationResult,
  ConditionTrace,
  Evaluation,
  LayerName,
  LayerResult,
  StatementTrace,
} from '../model/evaluation.js';
import type { Evidence } from '../model/evidence.js';
import type { LogRecord } from '../model/input.js';
import type { PolicyDocument, PolicyRef, PolicyStatement } from '../model/policy.js';
import type { AuthzRequest, ContextValue, Principal, S3Request } from '../model/request.js';
import { CAUSE_KIND, STATEMENT_LAYERS, causeCodesFor, rowsOf } from '../authz/cause-table.js';
import { enhancedCauseCode } from './enhanced-message.js';
import { LAYER_CODES } from '../authz/cause-table.js';
import { findPolicyDocument, findPolicyStatement } from '../evidence/policy-lookup.js';
import { fixes } from './fix-drafts.js';

export type { CauseCode, Confidence, Fix, LayerName, LayerResult, StatementTrace, PolicyRef, ConditionRef };
export type { AuthorizationResult, Evaluation, Evidence, LogRecord, S3Request, AuthzRequest, Principal };

/** Values a message placeholder may take. Arrays are joined with ", ". */
export type MessageData = Record<string, string | number | string[] | undefined>;

/** What a rule concludes: one blocking reason, before the runner turns it into a `Cause`. */
export interface Finding<M extends string = string> {
  confidence: Confidence;
  /** Key into the rule's `messages`. */
  messageId: M;
  /** Values for the message's `{{placeholders}}`. */
  data?: MessageData;
  /** The deciding policy (and statement, when one decided). */
  policy?: PolicyRef;
  /** The deciding condition with the request's value. */
  condition?: ConditionRef;
  /** The authorization this finding blocks. */
  action?: string;
  resource?: string;
  /** The layer of the chain the finding comes from (ranking uses it). */
  layer?: LayerName;
  /** Index of the authorization in `Evaluation.authorizations` (ranking uses it). */
  authorizationIndex?: number;
}

/** Fills one of the rule's messages; used by `suggest` for fix summaries. */
export type MessageFormatter<M extends string> = (messageId: M, data?: MessageData) => string;

/** A rule as written in `rules/<layer>/<cause>.ts`. */
export interface RuleDefinition<M extends string = string> {
  /** The rule's path under `rules/`, without extension: `bucket-policy/explicit-deny-bucket-policy`. */
  id: string;
  /** A short title for the catalogue. */
  title: string;
  /** The CONTRACT cause code the rule reports. */
  code: CauseCode;
  /** AWS documentation pages the rule encodes. */
  docs: string[];
  /** Every sentence the rule can produce, with `{{placeholders}}`. */
  messages: Record<M, string>;
  /** Specialised rules win over generic ones when both report the same statement (higher wins). */
  priority?: number;
  /** Reads the context and returns what blocks the request (empty: nothing this rule knows). */
  match(ctx: RuleContext): Finding<NoInfer<M>>[];
  /** Fix drafts for one finding; summaries come from `messages` through `msg`. */
  suggest?(finding: Finding<NoInfer<M>>, ctx: RuleContext, msg: MessageFormatter<NoInfer<M>>): Fix[];
}

/** A registered rule (the definition, frozen). */
export type Rule = Readonly<RuleDefinition>;

/** Declares a rule; the identity function with types and a few sanity checks. */
export function defineRule<M extends string>(def: RuleDefinition<M>): Rule {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(def.id)) throw new Error(`rule id must be <layer>/<name>: ${def.id}`);
  if (Object.keys(def.messages).length === 0) throw new Error(`rule ${def.id} has no messages`);
  return Object.freeze(def) as unknown as Rule;
}

/** One layer of one authorization, as found in the trace. */
export interface LayerHit {
  auth: AuthorizationResult;
  /** Index of `auth` in `Evaluation.authorizations`. */
  index: number;
  layer: LayerResult;
}

/** A layer that blocks (or may block) the request, with how sure the trace is. */
export interface BlockingHit extends LayerHit {
  outcome: 'explicit-deny' | 'missing-allow' | 'block';
  confidence: Confidence;
}

/** What a rule sees. Everything is read-only data plus pure helpers. */
export interface RuleContext {
  /** The log record, event or pasted error (absent for `simulate`-like use). */
  record?: LogRecord;
  request: S3Request;
  /** Absent: logs-only diagnosis. */
  evidence?: Evidence;
  /** Absent when there is no evidence. */
  evaluation?: Evaluation;
  /** Every authorization result (empty without evidence). */
  authorizations(): AuthorizationResult[];
  /** Every occurrence of one layer across authorizations. */
  layersOf(name: LayerName): LayerHit[];
  /**
   * Layers that block (certain) or may block (unknown outcome that could block). A layer that is
   * unknown only because its evidence is missing (nothing evaluated, `missingEvidence` set) is left
   * to the result's unknowns, unless `includeMissingEvidence`.
   */
  blockingLayers(
    name?: LayerName,
    outcome?: BlockingHit['outcome'],
    opts?: { includeMissingEvidence?: boolean },
  ): BlockingHit[];
  /** The first statement of that effect that matched (`true` first, then `unknown`). */
  firstMatchingStatement(layer: LayerResult, effect: 'Allow' | 'Deny'): StatementTrace | undefined;
  /** The statement a ref points at, from the evidence (undefined when not known). */
  statementDoc(ref: PolicyRef): PolicyStatement | undefined;
  /** The whole document a ref points at, from the evidence. */
  policyDoc(ref: PolicyRef): PolicyDocument | undefined;
  /** The cause code an enhanced AccessDenied message names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html), if any. */
  enhancedCode(): CauseCode | undefined;
  /** The record's (or request's) S3 error code. */
  errorCode(): string | undefined;
  /** The record's (or request's) error message. */
  errorMessage(): string | undefined;
  /** Display label of the principal (`arn:...`, `anonymous`, ...). */
  principalLabel(): string;
  /** The first required authorization (what the call was mostly about). */
  primary(): AuthzRequest | undefined;
}

/** Builds a `RuleContext` from the parts. */
export function makeContext(parts: {
  record?: LogRecord;
  request: S3Request;
  evidence?: Evidence;
  evaluation?: Evaluation;
  principalLabel: string;
}): RuleContext {
  const { record, request, evidence, evaluation } = parts;
  const auths = evaluation?.authorizations ?? [];
  const ctx: RuleContext = {
    record,
    request,
    evidence,
    evaluation,
    authorizations: () => auths,
    layersOf(name) {
      const out: LayerHit[] = [];
      auths.forEach((auth, index) => {
        for (const layer of auth.layers) if (layer.layer === name) out.push({ auth, index, layer });
      });
      return out;
    },
    blockingLayers(name, outcome, opts) {
      const out: BlockingHit[] = [];
      auths.forEach((auth, index) => {
        for (const layer of auth.layers) {
          if (name && layer.layer !== name) continue;
          const onlyMissing =
            layer.outcome === 'unknown' &&
            layer.policies.length === 0 &&
            (layer.missingEvidence?.length ?? 0) > 0;
          if (onlyMissing && !opts?.includeMissingEvidence) continue;
          const hit = blockingOf(auth, layer);
          if (hit && (!outcome || hit.outcome === outcome)) out.push({ auth, index, layer, ...hit });
        }
      });
      return out;
    },
    firstMatchingStatement(layer, effect) {
      const all = layer.policies.flatMap((p) => p.statements).filter((s) => s.effect === effect);
      return all.find((s) => s.matched === 'true') ?? all.find((s) => s.matched === 'unknown');
    },
    statementDoc: (ref) => findPolicyStatement(evidence, ref),
    policyDoc: (ref) => findPolicyDocument(evidence, ref),
    enhancedCode: () => (record ? enhancedCauseCode(record) : undefined),
    errorCode: () => record?.errorCode ?? request.errorCode,
    errorMessage: () => record?.errorMessage ?? request.errorMessage,
    principalLabel: () => parts.principalLabel,
    primary: () => request.authorizations.find((a) => a.need === 'required') ?? request.authorizations[0],
  };
  return ctx;
}

const BLOCKING = ['explicit-deny', 'missing-allow', 'block'] as const;

/** Whether (and how surely) one layer blocks one authorization. */
function blockingOf(
  auth: AuthorizationResult,
  layer: LayerResult,
): { outcome: BlockingHit['outcome']; confidence: Confidence } | undefined {
  // An authorization the call only possibly needed cannot block for certain.
  const cap: Confidence = auth.request.need === 'possible' ? 'possible' : 'certain';
  const authMayDeny = auth.decision !== 'Allowed' || auth.possibleDecisions.some((d) => d !== 'Allowed');
  if (!authMayDeny) return undefined;
  const o = layer.outcome;
  if (o === 'explicit-deny' || o === 'missing-allow' || o === 'block') {
    const sure = layer.applies !== 'unknown' && auth.decision !== 'Allowed';
    return { outcome: o, confidence: lower(cap, sure ? 'certain' : 'likely') };
  }
  if (o === 'unknown') {
    const possible = layer.possible ?? [...BLOCKING, 'allow'];
    const blocking = BLOCKING.filter((b) => possible.includes(b));
    const first = blocking[0];
    if (!first) return undefined;
    const onlyBlocking = !possible.includes('allow');
    return { outcome: first, confidence: lower(cap, onlyBlocking ? 'likely' : 'possible') };
  }
  return undefined;
}

const RANK: Record<Confidence, number> = { certain: 3, likely: 2, possible: 1 };

/** The less sure of two confidences. */
export function lower(a: Confidence, b: Confidence): Confidence {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Numeric rank of a confidence (certain 3, likely 2, possible 1). */
export function confidenceRank(c: Confidence): number {
  return RANK[c];
}

/** A human label for a statement in messages: its Sid, else `#index`. */
export function statementLabel(ref: PolicyRef | undefined): string {
  if (!ref) return '?';
  if (ref.sid) return `"${ref.sid}"`;
  return ref.statementIndex === undefined ? '?' : `#${ref.statementIndex}`;
}

/** The condition that decided a statement: the first that matched (Deny) or failed (Allow). */
export function decidingCondition(
  stmt: StatementTrace | undefined,
  want: 'true' | 'false' | 'unknown',
): ConditionRef | undefined {
  if (!stmt) return undefined;
  const c: ConditionTrace | undefined =
    stmt.conditions.find((x) => x.result === want) ?? stmt.conditions.find((x) => x.result === 'unknown');
  if (!c) return undefined;
  const ref: ConditionRef = { operator: c.operator, key: c.key, policyValues: c.policyValues };
  if (c.requestValue !== undefined) ref.requestValue = c.requestValue;
  return ref;
}

/** Renders a context value for a message (`(absent)` when the request did not carry it). */
export function showValue(v: ContextValue | undefined): string {
  if (v === undefined) return '(absent)';
  return Array.isArray(v) ? v.join(', ') : v;
}

/** An Allow statement that named the action but missed on resource, principal or condition. */
export function nearMiss(layer: LayerResult): StatementTrace | undefined {
  return layer.policies
    .flatMap((p) => p.statements)
    .find(
      (s) => s.effect === 'Allow' && s.matched === 'false' && s.action.matched && s.failedOn !== 'action',
    );
}

/**
 * Generic finding for an explicit deny in one layer: one finding per authorization whose layer
 * denies (certainly or possibly), pointing at the deciding statement and condition.
 */
export function explicitDenyFindings<M extends string>(
  ctx: RuleContext,
  layerName: LayerName,
  ids: { plain: M; condition: M; unknown: M },
  filter?: (hit: BlockingHit, stmt: StatementTrace | undefined) => boolean,
): Finding<M>[] {
  const out: Finding<M>[] = [];
  for (const hit of ctx.blockingLayers(layerName, 'explicit-deny')) {
    const stmt = ctx.firstMatchingStatement(hit.layer, 'Deny');
    if (filter && !filter(hit, stmt)) continue;
    // No statement and no policy to cite (the layer's own evidence is unknown): the result's
    // unknowns already name what could hold a deny; a sentence here would read "Statement ? of ?".
    if (!stmt && !hit.layer.policies[0]) continue;
    const certainMatch = stmt?.matched === 'true';
    // A statement that only may match is decided by its unknown condition.
    const cond = decidingCondition(stmt, certainMatch ? 'true' : 'unknown');
    const confidence = certainMatch ? hit.confidence : lower(hit.confidence, 'possible');
    const messageId = !certainMatch && cond ? ids.unknown : cond ? ids.condition : ids.plain;
    out.push({
      confidence,
      messageId,
      data: findingData(hit, stmt, cond),
      policy: stmt?.policy ?? hit.layer.policies[0]?.policy,
      condition: cond,
      action: hit.auth.request.action,
      resource: hit.auth.request.resource,
      layer: hit.layer.layer,
      authorizationIndex: hit.index,
    });
  }
  return out;
}

/**
 * Generic finding for a missing allow in one layer, with the nearest Allow statement that
 * named the action (if any) as a hint.
 */
export function missingAllowFindings<M extends string>(
  ctx: RuleContext,
  layerName: LayerName,
  ids: { plain: M; nearMiss?: M },
  filter?: (hit: BlockingHit) => boolean,
): Finding<M>[] {
  const out: Finding<M>[] = [];
  for (const hit of ctx.blockingLayers(layerName, 'missing-allow')) {
    if (filter && !filter(hit)) continue;
    // Without a near-miss message the finding names the policy, not a statement it does not cite.
    const near = ids.nearMiss ? nearMiss(hit.layer) : undefined;
    const cond = near?.failedOn === 'condition' ? decidingCondition(near, 'false') : undefined;
    const messageId = near && ids.nearMiss ? ids.nearMiss : ids.plain;
    out.push({
      confidence: hit.confidence,
      messageId,
      data: { ...findingData(hit, near, cond), failedOn: near?.failedOn },
      policy: near?.policy ?? hit.layer.policies[0]?.policy,
      condition: cond,
      action: hit.auth.request.action,
      resource: hit.auth.request.resource,
      layer: hit.layer.layer,
      authorizationIndex: hit.index,
    });
  }
  return out;
}

/**
 * A finding for a layer whose evidence is unknown (nothing evaluated) when it is the only thing left
 * that could refuse the request: no layer is known to block, no other unknown layer could lack an
 * Allow or block, and this one could lack an Allow. Always `possible`: unknown evidence proves nothing.
 */
export function unknownLayerFindings<M extends string>(
  ctx: RuleContext,
  layerName: LayerName,
  messageId: M,
): Finding<M>[] {
  const out: Finding<M>[] = [];
  for (const hit of ctx.layersOf(layerName)) {
    const l = hit.layer;
    if (l.outcome !== 'unknown' || l.policies.length > 0 || !l.possible?.includes('missing-allow')) continue;
    if (hit.auth.decision === 'Allowed' && !hit.auth.possibleDecisions.includes('ImplicitDeny')) continue;
    // Only while nothing known refuses the request (any of its authorizations), and no other unknown
    // layer could lack an Allow or block: then this layer is the one open explanation.
    const others = ctx
      .authorizations()
      .some((a) =>
        a.layers.some(
          (x) =>
            BLOCKING.some((b) => b === x.outcome) ||
            (x !== l &&
              x.outcome === 'unknown' &&
              (x.possible ?? BLOCKING).some((b) => b === 'missing-allow' || b === 'block')),
        ),
      );
    if (others) continue;
    out.push({
      confidence: 'possible',
      messageId,
      data: findingData(hit, undefined, undefined),
      action: hit.auth.request.action,
      resource: hit.auth.request.resource,
      layer: l.layer,
      authorizationIndex: hit.index,
    });
  }
  return out;
}

/** Placeholder values every layer finding offers. */
export function findingData(
  hit: LayerHit,
  stmt: StatementTrace | undefined,
  cond: ConditionRef | undefined,
): MessageData {
  const pol = stmt?.policy ?? hit.layer.policies[0]?.policy;
  return {
    action: hit.auth.request.action,
    resource: hit.auth.request.resource,
    principal: principalText(hit.auth.request.principal),
    policyId: pol?.id,
    policyName: pol?.name ?? pol?.id,
    statement: statementLabel(stmt?.policy),
    key: cond?.key,
    operator: cond?.operator,
    policyValues: cond?.policyValues,
    requestValue: cond ? showValue(cond.requestValue) : undefined,
  };
}

/** A principal as plain text for messages. */
export function principalText(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'service':
      return p.service;
    case 'canonical-user':
      return p.canonicalId;
    case 'unknown':
      return p.raw;
    default:
      return p.arn;
  }
}

/** The IAM user or role ARN behind a principal (role ARN for sessions), the key of `evidence.principals`. */
export function identityArn(p: Principal): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'iam-role':
      return p.arn;
    case 'role-session':
      return p.roleArn;
    default:
      return undefined;
  }
}

/** The principal's account, when known. */
export function accountOf(p: Principal): string | undefined {
  return 'accountId' in p ? p.accountId : undefined;
}

/** A finding from an enhanced AccessDenied message (no evidence needed): `likely`. */
export function enhancedFinding<M extends string>(
  ctx: RuleContext,
  code: CauseCode,
  messageId: M,
): Finding<M>[] {
  const e = ctx.record?.enhanced;
  if (!e || ctx.enhancedCode() !== code) return [];
  return [
    {
      confidence: 'likely',
      messageId,
      data: { action: e.action, resource: e.resource, principal: e.principalArn, policyType: e.policyType },
      action: e.action,
      resource: e.resource,
    },
  ];
}

/**
 * Layer findings when the trace has them, else the enhanced message's finding; when the message
 * names this layer but the evidence shows it allowing now, the message still counts as `possible`
 * (the policy may have been edited since).
 */
export function traceOrMessage<M extends string>(
  ctx: RuleContext,
  code: CauseCode,
  fromTrace: Finding<M>[],
  messageId: M,
): Finding<M>[] {
  const named = ctx.enhancedCode() === code;
  if (fromTrace.length > 0) {
    // AWS's own message names this layer: an unknown in the trace becomes likely.
    if (!named) return fromTrace;
    return fromTrace.map((f) => (f.confidence === 'possible' ? { ...f, confidence: 'likely' } : f));
  }
  const msg = enhancedFinding(ctx, code, messageId);
  if (!ctx.evaluation) return msg;
  // No layer of the trace that stands for this code applies (e.g. the record names no VPC endpoint, yet
  // AWS says no VPC endpoint policy allows): the evidence says nothing about that layer; the message stands.
  const layers = (Object.keys(LAYER_CODES) as LayerName[]).filter((l) => LAYER_CODES[l].includes(code));
  const evaluated = ctx
    .authorizations()
    .some((a) => a.layers.some((l) => layers.includes(l.layer) && l.outcome !== 'not-applicable'));
  if (!evaluated) return msg;
  // The evidence for the layer AWS named is unknown (an unreadable SCP, a session policy): nothing
  // contradicts the message, so it stays likely. When the evidence shows that layer allowing now, the
  // policy may have been edited since: possible.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
  const open = ctx.evaluation.unknowns.some((u) => u.couldExplain.includes(code));
  return open ? msg : msg.map((f) => ({ ...f, confidence: 'possible' as Confidence }));
}

/**
 * Whether a key ARN is an AWS managed key (`aws/s3`) of another account than the caller's: its
 * fixed key policy only admits its own account (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
export function awsManagedCrossAccount(ctx: RuleContext, keyArn: string): boolean {
  const key = ctx.evidence?.kmsKeys[keyArn];
  const managed =
    key?.keyManager === 'AWS' || !!key?.aliases?.includes('alias/aws/s3') || /alias\/aws\/s3$/.test(keyArn);
  if (!managed) return false;
  const keyAccount = key?.accountId ?? keyArn.split(':')[4];
  const caller = accountOf(ctx.request.principal);
  return !!keyAccount && (caller === undefined || caller !== keyAccount);
}

/** S3 storage classes whose objects must be restored before reading. */
export const ARCHIVE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

export * from './fix-drafts.js';

/** The authorization a finding blocks (its `authorizationIndex`), else the primary one. */
export function authOf(f: Finding, ctx: RuleContext): AuthzRequest | undefined {
  if (f.authorizationIndex !== undefined) return ctx.authorizations()[f.authorizationIndex]?.request;
  return ctx.primary();
}

/**
 * The bucket an authorization acts on: the bucket of its S3 resource (for CopyObject the source's
 * GetObject names the source bucket, the PutObject the destination), the bucket behind an access
 * point, else the request's bucket.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export function bucketOf(ctx: RuleContext, auth: AuthzRequest | undefined): string | undefined {
  const arn = auth?.underlyingResource ?? auth?.resource ?? '';
  const m = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(arn);
  if (m) return m[1];
  const ap = /^arn:aws[\w-]*:s3:[^:]*:\d{12}:accesspoint\/[^/]+/.exec(arn)?.[0];
  const behind = ap ? ctx.evidence?.accessPoints[ap]?.bucket : undefined;
  return behind ?? ctx.request.s3.bucket;
}

/**
 * Fixes for an explicit deny: the fix module decides between a narrow exemption of this one
 * principal (bucket, access point, identity policies) and advice (guard-rails, SCP/RCP, boundaries).
 */
export function denyFixes(f: Finding, ctx: RuleContext): Fix[] {
  const ref = f.policy;
  if (!ref || ref.statementIndex === undefined) return [];
  const doc = ctx.policyDoc(ref);
  if (!doc) return [];
  const auth = authOf(f, ctx);
  const arn = auth ? fixes.resourcePrincipalArn(auth.principal, ctx.evidence) : undefined;
  return [
    fixes.exemptPrincipalFromDeny(ref, doc, ref.statementIndex, arn ?? principalText(ctx.request.principal), {
      evidence: ctx.evidence,
    }),
  ];
}

/** Message ids a generated rule uses for the statements of one layer. */
export interface LayerMessageIds<M extends string> {
  plain: M;
  /** Explicit deny: the Deny matched on a condition. */
  condition?: M;
  /** Explicit deny: the Deny matches if an unknown condition does. */
  unknown?: M;
  /** Missing allow: an Allow named the action but missed. */
  nearMiss?: M;
}

/**
 * A rule for one `explicit-deny-*` or `missing-allow-*` cause, as written in its file: metadata and a
 * small `create` (the model is typescript-eslint's `createRule`). Which layers and outcomes the rule
 * reads comes from the cause table (`rowsOf(code)`), not from the rule.
 */
export interface LayerRuleDefinition<M extends string> extends Omit<RuleDefinition<M>, 'match' | 'suggest'> {
  /**
   * Message ids per layer where they differ from the defaults (`deny`/`denyCondition`/`denyUnknown`
   * for a deny, `missing` and, when the rule has it, `nearMiss` for a missing allow).
   */
  messageIds?: Partial<Record<LayerName, LayerMessageIds<M>>>;
  /** Narrows the table's hits further (the table already keeps only hits that stand for `code`). */
  filter?(hit: BlockingHit, ctx: RuleContext): boolean;
  /**
   * Turns the statement findings into the rule's: adds placeholder data, and findings for the S3
   * steps the table reports under this code (`steps`: their blocking hits). Default: the findings.
   */
  create?(ctx: RuleContext, found: Finding<NoInfer<M>>[], steps: BlockingHit[]): Finding<NoInfer<M>>[];
  /** Findings when neither the trace nor AWS's enhanced message has one (e.g. an unknown session policy). */
  fallback?(ctx: RuleContext): Finding<NoInfer<M>>[];
  /** Fix drafts; default for an explicit deny: exempt the principal from the Deny (`denyFixes`). */
  suggest?: RuleDefinition<M>['suggest'];
}

/** What a generated rule covers: its code's rows, in table order (the rule tester checks them against the table). */
export interface LayerRuleCoverage {
  kind: 'explicit-deny' | 'missing-allow';
  /** Policy layers whose statements the rule cites, with the outcome it queries. */
  statementLayers: LayerName[];
  /** S3 steps the table reports under the code (handed to `create`). */
  steps: LayerName[];
}

const COVERAGE = new WeakMap<Rule, LayerRuleCoverage>();

/** The table rows a rule made by `layerRule` reads (undefined for hand-written rules). */
export function layerRuleCoverage(rule: Rule): LayerRuleCoverage | undefined {
  return COVERAGE.get(rule);
}

/**
 * The rule factory for the explicit-deny / missing-allow causes: from the cause table's rows for
 * `code`, one finding per blocking statement layer (deciding Deny, or the missing Allow with its near
 * miss), the S3 steps handed to `create`, AWS's enhanced message when the trace has nothing
 * (`traceOrMessage`, message id `enhanced`), then `fallback`.
 */
export function layerRule<M extends string>(def: LayerRuleDefinition<M>): Rule {
  const kind = CAUSE_KIND[def.code];
  if (kind !== 'explicit-deny' && kind !== 'missing-allow')
    throw new Error(`layerRule ${def.id}: ${def.code} is neither an explicit deny nor a missing allow`);
  const has = (id: string): id is M => Object.hasOwn(def.messages, id);
  if (!has('enhanced')) throw new Error(`layerRule ${def.id}: needs an 'enhanced' message`);
  const rows = rowsOf(def.code);
  const want = kind === 'explicit-deny' ? 'explicit-deny' : 'missing-allow';
  const statementLayers = [
    ...new Set(
      rows.filter((r) => STATEMENT_LAYERS.has(r.layer) && r.outcomes.includes(want)).map((r) => r.layer),
    ),
  ];
  const steps = [...new Set(rows.filter((r) => !STATEMENT_LAYERS.has(r.layer)).map((r) => r.layer))];
  const defaults: LayerMessageIds<string> =
    kind === 'explicit-deny'
      ? { plain: 'deny', condition: 'denyCondition', unknown: 'denyUnknown' }
      : { plain: 'missing', ...(has('nearMiss') ? { nearMiss: 'nearMiss' } : {}) };
  const idsOf = (layer: LayerName) => (def.messageIds?.[layer] ?? defaults) as LayerMessageIds<M>;
  for (const l of statementLayers)
    for (const id of Object.values(idsOf(l)))
      if (!has(id)) throw new Error(`layerRule ${def.id}: no message '${id}' for layer ${l}`);
  // The table decides: only hits whose layer, outcome and facts stand for this code.
  const ours = (ctx: RuleContext) => (hit: BlockingHit) =>
    causeCodesFor(hit.layer, hit.outcome, hit.auth, ctx.evaluation).includes(def.code) &&
    (!def.filter || def.filter(hit, ctx));
  const { messageIds: _ids, filter: _filter, create, fallback, suggest, ...meta } = def;
  const rule = defineRule<M>({
    ...meta,
    match(ctx) {
      const keep = ours(ctx);
      const found: Finding<M>[] = [];
      for (const layer of statementLayers) {
        const ids = idsOf(layer);
        if (kind === 'explicit-deny')
          found.push(
            ...explicitDenyFindings<M>(
              ctx,
              layer,
              { plain: ids.plain, condition: ids.condition ?? ids.plain, unknown: ids.unknown ?? ids.plain },
              (hit) => keep(hit),
            ),
          );
        else
          found.push(
            ...missingAllowFindings<M>(ctx, layer, { plain: ids.plain, nearMiss: ids.nearMiss }, keep),
          );
      }
      const stepHits = steps.flatMap((s) => ctx.blockingLayers(s).filter(keep));
      const mine = create ? create(ctx, found, stepHits) : found;
      const out = traceOrMessage(ctx, def.code, mine, 'enhanced' as M);
      return out.length > 0 || !fallback ? out : fallback(ctx);
    },
    suggest: suggest ?? (kind === 'explicit-deny' ? (f, ctx) => denyFixes(f, ctx) : undefined),
  });
  COVERAGE.set(rule, { kind, statementLayers, steps });
  return rule;
}
