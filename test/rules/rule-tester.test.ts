// The generic rule tester (as ESLint's RuleTester): runs test/rules/<layer>/<cause>.cases.json for
// every rule: cases where it must fire (code, confidence, messageId) and must not; every message
// used; each suggested patch applied by the tester itself, re-evaluated, and its blast radius checked.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import {
  applyPatchesToEvidence,
  applyRequestChange,
  causeCodesOf,
  patchesOf,
  verifyFix,
} from '../../src/fix/index.js';
import { allRules, diagnose, diagnoseRequest, fillMessage, makeContext } from '../../src/engine/index.js';
import type { Rule } from '../../src/engine/index.js';
import type { Finding } from '../../src/engine/rule-kit.js';
import type { CauseCode, Fix } from '../../src/model/cause.js';
import { principalLabel } from '../../src/s3/index.js';
import { evidenceOf, recordOf, requestOf, withDefaults } from './case-kit.js';
import type { CaseDefaults, CaseInput } from './case-kit.js';

/** What a firing case expects. */
interface Expect {
  confidence: 'certain' | 'likely' | 'possible';
  messageId: string;
  /** Placeholder values the explanation must contain (substring match on the filled message). */
  explanationIncludes?: string[];
  /** Statement the cause must point at. */
  statementIndex?: number;
  conditionKey?: string;
}

/** What the case expects of the suggested fixes. */
interface FixExpect {
  /** At least this many fixes. Default 0. */
  min?: number;
  /** Causes allowed to still block after a patch (another listed cause). */
  stillBlockedBy?: CauseCode[];
  /** Probes the patch may newly allow (default none). */
  newlyAllowed?: { principal: string; action: string; resource: string }[];
}

interface InvalidCase extends CaseInput {
  expect: Expect;
  fixes?: FixExpect;
}

interface CaseFile extends CaseDefaults {
  rule: string;
  valid: CaseInput[];
  invalid: InvalidCase[];
}

const ROOT = join(import.meta.dirname, '.');
const usedMessages = new Map<string, Set<string>>();

function caseFileFor(rule: Rule): CaseFile | undefined {
  const file = join(ROOT, `${rule.id}.cases.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as CaseFile;
}

function contextOf(c: CaseInput) {
  const evidence = evidenceOf(c.evidence);
  const record = recordOf(c);
  const request = requestOf(c, record, evidence);
  const evaluation = evidence ? evaluateRequest(request, evidence) : undefined;
  const ctx = makeContext({
    record,
    request,
    evidence,
    evaluation,
    principalLabel: principalLabel(request.principal),
  });
  return { ctx, evidence, record, request, evaluation };
}

function use(rule: Rule, id: string): void {
  const set = usedMessages.get(rule.id) ?? new Set<string>();
  set.add(id);
  usedMessages.set(rule.id, set);
}

describe.each(allRules().map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  const file = caseFileFor(rule) ?? { rule: '(missing)', valid: [], invalid: [] };

  it('case file names the rule and has cases both ways', () => {
    expect(file.rule, `test/rules/${rule.id}.cases.json`).toBe(rule.id);
    expect(file.invalid.length).toBeGreaterThan(0);
    expect(file.valid.length).toBeGreaterThan(0);
  });

  for (const c of file.valid.map((x) => withDefaults(x, file))) {
    it(`does not fire: ${c.name}`, () => {
      const { ctx } = contextOf(c);
      expect(rule.match(ctx)).toEqual([]);
    });
  }

  for (const c of file.invalid.map((x) => withDefaults(x, file))) {
    it(`fires: ${c.name}`, () => {
      const { ctx, evidence, request, evaluation } = contextOf(c);
      const findings = rule.match(ctx);
      const hit = findings.find((f) => f.messageId === c.expect.messageId);
      expect(
        hit,
        `findings: ${JSON.stringify(findings.map((f) => [f.messageId, f.confidence]))}`,
      ).toBeDefined();
      const f = hit as Finding;
      use(rule, f.messageId);
      expect(f.confidence).toBe(c.expect.confidence);
      const messages = rule.messages as Record<string, string>;
      const text = fillMessage(messages[f.messageId]!, f.data);
      expect(text).not.toMatch(/\{\{|\?\s*$/);
      for (const s of c.expect.explanationIncludes ?? []) expect(text).toContain(s);
      if (c.expect.statementIndex !== undefined)
        expect(f.policy?.statementIndex).toBe(c.expect.statementIndex);
      if (c.expect.conditionKey !== undefined) expect(f.condition?.key).toBe(c.expect.conditionKey);

      // The whole pipeline reports the code too.
      const result = c.request ? diagnoseRequest(request, evidence) : diagnose(recordOf(c)!, evidence);
      expect(result.causes.map((x) => x.code)).toContain(rule.code);
      // Every blocking layer of the trace is reported by some rule.
      if (evaluation && result.decision !== 'NotAuthenticated') {
        const reported = result.causes.map((x) => x.code);
        expect(causeCodesOf(evaluation).filter((x) => !reported.includes(x))).toEqual([]);
      }

      // Fixes: the tester applies each patch itself and re-evaluates.
      const msg = (id: string, data?: Finding['data']) => {
        use(rule, id);
        return fillMessage(messages[id] ?? id, data);
      };
      let fixes: Fix[] = [];
      try {
        fixes = rule.suggest ? rule.suggest(f, ctx, msg) : [];
      } catch (e) {
        if (!(e instanceof Error) || !/FixError|LeastPrivilege/.test(e.constructor.name)) throw e;
      }
      expect(fixes.length).toBeGreaterThanOrEqual(c.fixes?.min ?? 0);
      for (const fix of fixes) {
        expect(fix.summary).not.toMatch(/\{\{/);
        const patches = patchesOf(fix);
        if (!evidence || (patches.length === 0 && !fix.requestChange)) continue;
        if (patches.some((p) => p.beforeUnknown)) continue;
        const after = applyPatchesToEvidence(evidence, patches);
        const changed = fix.requestChange ? applyRequestChange(request, fix.requestChange) : request;
        const re = evaluateRequest(changed, after);
        if (re.decision !== 'Allowed') {
          const still = causeCodesOf(re);
          expect(
            still.some((s) => (c.fixes?.stillBlockedBy ?? []).includes(s)),
            `${fix.summary}: still ${re.decision} by ${still.join(', ')}`,
          ).toBe(true);
          expect(still).not.toContain(rule.code);
        }
        if (patches.length > 0) {
          const verified = verifyFix(fix, request, evidence, [rule.code]);
          const newly = verified.blastRadius?.newlyAllowed ?? [];
          // Only what the case lists (reviewed: re-enabled existing grants) may become newly allowed.
          const key = (n: { principal: string; action: string; resource: string }) =>
            JSON.stringify([n.principal, n.action, n.resource]);
          const allowed = new Set((c.fixes?.newlyAllowed ?? []).map(key));
          const unexpected = newly.filter((n) => !allowed.has(key(n)));
          expect(unexpected, `${fix.summary}: newly allows ${JSON.stringify(newly)}`).toEqual([]);
        }
      }
    });
  }
});

describe('case files', () => {
  it('every case file belongs to a rule', () => {
    const ids = new Set(allRules().map((r) => r.id));
    const files: string[] = [];
    for (const layer of readdirSync(ROOT, { withFileTypes: true }))
      if (layer.isDirectory())
        for (const f of readdirSync(join(ROOT, layer.name)))
          if (f.endsWith('.cases.json')) files.push(`${layer.name}/${f.replace('.cases.json', '')}`);
    expect(files.filter((f) => !ids.has(f))).toEqual([]);
  });

  // Runs last (tests in a file run in order): every message of every rule used by some case.
  it('every message of every rule is used by a case', () => {
    const unused: string[] = [];
    for (const rule of allRules())
      for (const id of Object.keys(rule.messages))
        if (!usedMessages.get(rule.id)?.has(id)) unused.push(`${rule.id}: ${id}`);
    expect(unused).toEqual([]);
  });
});
