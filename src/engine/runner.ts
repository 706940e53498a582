// Runs every rule over one context: findings -> causes (messages filled), deduplicated, ranked,
// with fixes from the rules' `suggest`, verified by re-evaluation when there is evidence.

import type { Cause, CauseCode, Fix } from '../model/cause.js';
import { FixError, LeastPrivilegeError, verifyFix } from '../fix/index.js';
import { fillMessage } from './messages.js';
import { AUTH_CODES, compareCauses } from './ranking.js';
import type { Finding, Rule, RuleContext } from './rule-kit.js';
import { confidenceRank } from './rule-kit.js';

/** A finding with the rule that made it. */
interface Ranked {
  rule: Rule;
  finding: Finding;
  code: CauseCode;
}

/** Options of `runRules`. */
export interface RunOptions {
  /** Skip fixes (faster; e.g. triage summaries). */
  noFixes?: boolean;
  /** Skip the blast-radius probes of verified fixes. */
  skipBlastRadius?: boolean;
}

/** Same statement, same authorization, same code: one cause. */
function dedupeKey(r: Ranked): string {
  const p = r.finding.policy;
  return [
    r.code,
    p?.type,
    p?.id,
    p?.statementIndex,
    r.finding.action,
    r.finding.resource,
    r.finding.layer,
  ].join('|');
}

/** Keeps the more specialised rule, then the more certain finding. */
function better(a: Ranked, b: Ranked): Ranked {
  const pa = a.rule.priority ?? 0;
  const pb = b.rule.priority ?? 0;
  if (pa !== pb) return pa > pb ? a : b;
  return confidenceRank(a.finding.confidence) >= confidenceRank(b.finding.confidence) ? a : b;
}

/** Every rule's findings, deduplicated and ranked. */
export function collectFindings(ctx: RuleContext, rules: readonly Rule[]): Ranked[] {
  const byKey = new Map<string, Ranked>();
  for (const rule of rules) {
    for (const finding of rule.match(ctx)) {
      const r: Ranked = { rule, finding, code: rule.code };
      const key = dedupeKey(r);
      const prev = byKey.get(key);
      byKey.set(key, prev ? better(prev, r) : r);
    }
  }
  let all = [...byKey.values()];
  // The same deny reported by a specialised and a generic rule under different layers/keys:
  // drop the generic one when a specialised finding points at the same statement.
  all = all.filter(
    (r) =>
      !all.some(
        (o) =>
          o !== r &&
          o.code === r.code &&
          (o.rule.priority ?? 0) > (r.rule.priority ?? 0) &&
          o.finding.policy?.id === r.finding.policy?.id &&
          o.finding.policy?.statementIndex === r.finding.policy?.statementIndex &&
          o.finding.action === r.finding.action,
      ),
  );
  // Authorizations S3 only possibly needs (headers the input cannot show) matter only while the
  // required ones explain nothing (as the fix module's causeCodesOf counts them).
  const needOf = (r: Ranked) =>
    r.finding.authorizationIndex === undefined
      ? 'required'
      : ctx.authorizations()[r.finding.authorizationIndex]?.request.need;
  if (all.some((r) => needOf(r) !== 'possible' && r.finding.confidence !== 'possible'))
    all = all.filter((r) => needOf(r) !== 'possible');
  // A request that failed authentication was never authorized: other causes do not apply.
  const authFailed = all.some((r) => AUTH_CODES.includes(r.code) && r.finding.confidence === 'certain');
  if (authFailed) all = all.filter((r) => AUTH_CODES.includes(r.code));
  return all.sort((a, b) => compareCauses({ code: a.code, ...a.finding }, { code: b.code, ...b.finding }));
}

/** Runs the rules and returns the causes, most likely first, each with its fixes. */
export function runRules(ctx: RuleContext, rules: readonly Rule[], opts: RunOptions = {}): Cause[] {
  const ranked = collectFindings(ctx, rules);
  const blocking = [...new Set(ranked.map((r) => r.code))];
  return ranked.map((r) => {
    const messages = r.rule.messages as Record<string, string>;
    const template = messages[r.finding.messageId];
    if (template === undefined) throw new Error(`rule ${r.rule.id} has no message ${r.finding.messageId}`);
    const cause: Cause = {
      code: r.code,
      confidence: r.finding.confidence,
      rule: r.rule.id,
      explanation: fillMessage(template, r.finding.data),
      fixes: opts.noFixes ? [] : fixesFor(r, ctx, blocking, opts),
    };
    if (r.finding.policy) cause.policy = r.finding.policy;
    if (r.finding.condition) cause.condition = r.finding.condition;
    if (r.finding.action) cause.action = r.finding.action;
    if (r.finding.resource) cause.resource = r.finding.resource;
    return cause;
  });
}

/** The rule's fix drafts, verified against the evidence where they change something. */
function fixesFor(r: Ranked, ctx: RuleContext, blocking: CauseCode[], opts: RunOptions): Fix[] {
  if (!r.rule.suggest) return [];
  const msg = (id: string, data?: Finding['data']) =>
    fillMessage((r.rule.messages as Record<string, string>)[id] ?? id, data);
  let drafts: Fix[];
  try {
    drafts = r.rule.suggest(r.finding, ctx, msg);
  } catch (e) {
    // Builders refuse what cannot be fixed safely (AWS managed key, no identity policy, a `*`).
    if (e instanceof FixError || e instanceof LeastPrivilegeError) return [];
    throw e;
  }
  const { evidence } = ctx;
  return drafts.map((fix) => {
    const changes =
      fix.patch !== undefined || (fix.additionalPatches?.length ?? 0) > 0 || fix.requestChange !== undefined;
    if (!evidence || !changes) return fix;
    // verifyFix calls a fix verified only when proven: an Allowed that still depends on unknown
    // evidence is not, and its remaining causes are what that evidence could explain.
    return verifyFix(fix, ctx.request, evidence, blocking, { skipBlastRadius: opts.skipBlastRadius });
  });
}
