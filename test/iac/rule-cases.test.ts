// Every rule case and every example whose verified fix changes policy documents (identity, boundary, bucket, access
// point, KMS key; a fix of several documents gets a source tree for each), against Terraform and CloudFormation sources generated from its snapshot in every style: the --iac diff applies,
// parses back, its extracted document re-evaluates as verified (allowed, nothing else newly allowed) and the bytes
// outside the document's span are unchanged.

import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { diagnose, diagnoseRequest } from '../../src/engine/index.js';
import { applyPatchesToEvidence, certainlyAllowed, verifyFix } from '../../src/fix/index.js';
import { diagnose as diagnoseApi, loadSnapshot } from '../../src/api/index.js';
import { iacFix, loadIac } from '../../src/iac/index.js';
import { readInputs } from '../../src/logs/index.js';
import { toS3Request } from '../../src/request/index.js';
import { matchTarget } from '../../src/iac/match.js';
import type { Evidence, Fix, LogRecord, PolicyPatch, S3Request } from '../../src/model/index.js';
import {
  evidenceOf,
  recordOf,
  requestOf,
  withDefaults,
  type CaseDefaults,
  type CaseInput,
} from '../rules/case-kit.js';
import { CFN_STYLES, cfnSources, TF_STYLES, terraformSources, type SourceSpec } from './case-sources.js';

/** Targets whose documents Terraform and CloudFormation define. */
const POLICY_TARGETS = [
  'identity-policy',
  'permissions-boundary',
  'bucket-policy',
  'access-point-policy',
  'kms-key-policy',
];

interface Newly {
  principal: string;
  action: string;
  resource: string;
}
interface CaseFile extends CaseDefaults {
  rule: string;
  invalid: (CaseInput & { fixes?: { newlyAllowed?: Newly[] } })[];
}

interface Qualifying {
  label: string;
  code: string;
  fix: Fix & { patch: PolicyPatch };
  request: S3Request;
  evidence: Evidence;
  newlyAllowed: Newly[];
}

const RULES = join(import.meta.dirname, '../rules');

/** Every (rule case, verified policy fix of a policy document) pair, as the diagnose pipeline suggests it. */
function qualifying(): { all: number; found: Qualifying[] } {
  const found: Qualifying[] = [];
  let all = 0;
  for (const layer of readdirSync(RULES, { withFileTypes: true })) {
    if (!layer.isDirectory()) continue;
    for (const f of readdirSync(join(RULES, layer.name))
      .filter((x) => x.endsWith('.cases.json'))
      .sort()) {
      const file = JSON.parse(readFileSync(join(RULES, layer.name, f), 'utf8')) as CaseFile;
      for (const c0 of file.invalid) {
        all++;
        const c = withDefaults(c0, file);
        const evidence = evidenceOf(c.evidence);
        if (!evidence) continue;
        const record = recordOf(c);
        const request = requestOf(c, record, evidence);
        const result = c.request ? diagnoseRequest(request, evidence) : diagnose(record!, evidence);
        for (const cause of result.causes)
          for (const fix of cause.fixes)
            if (
              fix.kind === 'policy-patch' &&
              fix.verified &&
              fix.patch &&
              [fix.patch, ...(fix.additionalPatches ?? [])].every(
                (p) => !p.beforeUnknown && POLICY_TARGETS.includes(p.target.type),
              )
            )
              found.push({
                label: `${file.rule}: ${c.name} (${fix.patch.target.type})`,
                code: cause.code,
                fix: fix as Qualifying['fix'],
                request,
                evidence,
                newlyAllowed: c0.fixes?.newlyAllowed ?? [],
              });
      }
    }
  }
  return { all, found };
}

function specOf(q: Qualifying, patch: PolicyPatch): SourceSpec {
  const { target, before } = patch;
  const principal = q.evidence.principals[target.id];
  const others =
    target.type === 'identity-policy' && principal
      ? (principal.policies ?? [])
          .filter((p) => p.kind === 'inline' && p.name !== target.name)
          .map((p) => ({ name: p.name, doc: p.document as unknown as Record<string, unknown> }))
      : [];
  const account =
    /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(target.id)?.[1] ??
    q.evidence.buckets[target.id]?.accountId ??
    '111122223333';
  return { account, region: 'us-east-1', target, before: before as Record<string, unknown> | null, others };
}

async function writeTree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3doctor-iac-case-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

/** Length of the common prefix and common suffix (not overlapping) of two texts. */
function common(a: string, b: string): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  return { prefix, suffix };
}

const key = (n: Newly) => JSON.stringify([n.principal, n.action, n.resource]);

/** Every (example, verified policy fix of a policy document) pair, as `diagnose` (the library API) suggests it. */
async function examples(): Promise<Qualifying[]> {
  const out: Qualifying[] = [];
  for (const e of readdirSync(EXAMPLES, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const name = e.name;
    const dir = join(EXAMPLES, name);
    const files = readdirSync(dir);
    const input = files.find((f) => /^(input|event|access)/.test(f) && !f.endsWith('.md'));
    if (!input || !files.includes('snapshot.json')) continue;
    const evidence = await loadSnapshot(join(dir, 'snapshot.json'));
    const records: LogRecord[] = [];
    for await (const item of readInputs([join(dir, input)], { deniedOnly: true }))
      if (item.kind === 'record') records.push(item.record);
    const report = await diagnoseApi(join(dir, input), { evidence });
    report.results.forEach((r, i) => {
      for (const cause of r.causes)
        for (const fix of cause.fixes)
          if (
            fix.kind === 'policy-patch' &&
            fix.verified &&
            fix.patch &&
            [fix.patch, ...(fix.additionalPatches ?? [])].every(
              (p) => !p.beforeUnknown && POLICY_TARGETS.includes(p.target.type),
            )
          )
            out.push({
              label: `example ${name}: ${cause.code} (${[fix.patch, ...(fix.additionalPatches ?? [])].map((p) => p.target.type).join(' + ')})`,
              code: cause.code,
              fix: fix as Qualifying['fix'],
              request: toS3Request(records[i]!),
              evidence,
              newlyAllowed: (fix.blastRadius?.newlyAllowed ?? []).map((n) => ({
                principal: n.principal,
                action: n.action,
                resource: n.resource,
              })),
            });
    });
  }
  return out;
}

const EXAMPLES = join(import.meta.dirname, '../../examples');
const fromCases = qualifying();
const fromExamples = await examples();
const all = fromCases.all;
const found = [...fromCases.found, ...fromExamples];
const RUNS = found.flatMap((q) => [
  ...TF_STYLES.map((style) => ({ q, tool: 'terraform' as const, style })),
  ...CFN_STYLES.map((style) => ({ q, tool: 'cloudformation' as const, style })),
]);

describe('IaC sources generated from the rule cases', () => {
  it('the rule cases hold policy-document fixes of every kind', () => {
    const kinds = new Set(found.map((q) => q.fix.patch.target.type));
    expect(all).toBeGreaterThan(40);
    expect([...kinds].sort()).toEqual([...POLICY_TARGETS].sort());
    // Every example whose fix changes a policy document takes part (missing-identity-allow has two such fixes).
    expect(fromExamples.map((q) => q.label)).toEqual([
      'example access-point-no-delegation: missing-allow-bucket-policy (bucket-policy)',
      'example cross-account-no-bucket-policy: missing-allow-bucket-policy (bucket-policy)',
      'example kms-cross-account: missing-allow-kms (kms-key-policy + identity-policy)',
      'example missing-identity-allow: missing-allow-identity-policy (identity-policy)',
      'example missing-identity-allow: missing-allow-identity-policy (bucket-policy)',
      'example permissions-boundary: missing-allow-permissions-boundary (permissions-boundary)',
    ]);
    expect(found.length).toBeGreaterThanOrEqual(16);
    expect(found.some((q) => q.fix.patch.before === null)).toBe(true);
    expect(found.some((q) => (q.fix.additionalPatches?.length ?? 0) > 0)).toBe(true);
  });

  it.each(RUNS.map((r) => [`${r.q.label} -> ${r.tool} ${r.style}`, r] as const))('%s', async (_n, run) => {
    const { q, tool, style } = run;
    // Each document the fix changes gets its own source tree (doc0/, doc1/ with several).
    const docs = [q.fix.patch, ...(q.fix.additionalPatches ?? [])];
    const several = docs.length > 1;
    const trees = docs.map((patch, i) => {
      const spec = specOf(q, patch);
      const g =
        tool === 'terraform' ? terraformSources(spec, style as never) : cfnSources(spec, style as never);
      const prefix = several ? `doc${i}/` : '';
      const files = Object.fromEntries(Object.entries(g.files).map(([k, v]) => [prefix + k, v]));
      const span = g.span && { ...g.span, file: prefix + g.span.file };
      return { patch, spec, files, span };
    });
    const files = Object.assign({}, ...trees.map((t) => t.files)) as Record<string, string>;
    const dir = await writeTree(files);
    const index = await loadIac(dir);
    for (const t of trees) expect(index.sourcesFor(t.spec.account, t.spec.region).broken).toEqual([]);
    const iac = iacFix(q.fix, { code: q.code as never }, q.request, q.evidence, index);
    expect(iac?.unmatched).toBeUndefined();
    expect(iac!.patches).toHaveLength(docs.length);
    const edited: Record<string, unknown>[] = [];
    for (const [i, t] of trees.entries()) {
      const p = iac!.patches[i]!;
      expect(p).toMatchObject({ verified: true, confirmed: true });
      expect(p.unresolved).toBeUndefined();
      expect(p.document).toBe(several ? t.patch.target.id : undefined);

      // The diff applies to the file as generated and the result parses back.
      const oldText = files[p.file]!;
      expect(oldText, `${p.file} is one of the generated files`).toBeDefined();
      expect(p.file.startsWith(several ? `doc${i}/` : '')).toBe(true);
      const newText = applyPatch(oldText, p.diff);
      expect(newText, 'the diff applies').not.toBe(false);
      await writeFile(join(dir, p.file), newText as string);
      const after = (await loadIac(dir)).sourcesFor(t.spec.account, t.spec.region);
      expect(after.broken).toEqual([]);

      // Bytes outside the document's span are unchanged (a new document: only inserted).
      const { prefix, suffix } = common(oldText, newText as string);
      if (t.span && t.span.file === p.file) {
        expect(prefix, 'unchanged before the document').toBeGreaterThanOrEqual(t.span.start);
        expect(oldText.length - suffix, 'unchanged after the document').toBeLessThanOrEqual(t.span.end);
      } else expect(prefix + suffix, 'the edit only inserts').toBe(oldText.length);

      // The document read back from the edited source.
      const m = matchTarget(t.patch, after.sites, []);
      const sites = m.sites.filter(
        ({ site, confirmed }) => confirmed && (site.editFile === p.file || site.file === p.file),
      );
      expect(
        sites.map((s) => s.site.address),
        `one document for ${p.address}`,
      ).toHaveLength(1);
      const site = sites[0]!.site;
      expect(site.statements.flatMap((s) => s.unresolved)).toEqual([]);
      edited.push({ ...site.header, Statement: site.statements.map((s) => s.value) });
    }
    // Every document as read back from the edited sources: the request is allowed, nothing else newly allowed.
    const patched = docs.map((d, i) => ({ ...d, after: edited[i] as never }));
    expect(certainlyAllowed(evaluateRequest(q.request, applyPatchesToEvidence(q.evidence, patched)))).toBe(
      true,
    );
    const v = verifyFix(
      { ...q.fix, patch: patched[0]!, ...(several ? { additionalPatches: patched.slice(1) } : {}) },
      q.request,
      q.evidence,
      [q.code as never],
    );
    expect(v.verified).toBe(true);
    const allowed = new Set(q.newlyAllowed.map(key));
    expect((v.blastRadius?.newlyAllowed ?? []).filter((n) => !allowed.has(key(n)))).toEqual([]);
  });
});
