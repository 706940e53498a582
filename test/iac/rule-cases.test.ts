// Every rule case whose verified fix changes a policy document (identity, boundary, bucket, access point, KMS key),
// against Terraform and CloudFormation sources generated from its snapshot in every style: the --iac diff applies,
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
import { iacFix, loadIac } from '../../src/iac/index.js';
import { matchTarget } from '../../src/iac/match.js';
import type { Evidence, Fix, PolicyPatch, S3Request } from '../../src/model/index.js';
import {
  evidenceOf,
  recordOf,
  requestOf,
  withDefaults,
  type CaseDefaults,
  type CaseInput,
} from '../rules/case-kit.js';
import {
  CFN_STYLES,
  cfnSources,
  TF_STYLES,
  terraformSources,
  type Generated,
  type SourceSpec,
} from './case-sources.js';

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
              !fix.patch.beforeUnknown &&
              !fix.additionalPatches?.length &&
              POLICY_TARGETS.includes(fix.patch.target.type)
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

function specOf(q: Qualifying): SourceSpec {
  const { target, before } = q.fix.patch;
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

async function writeTree(g: Generated): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3doctor-iac-case-'));
  for (const [rel, text] of Object.entries(g.files)) {
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

const { all, found } = qualifying();
const RUNS = found.flatMap((q) => [
  ...TF_STYLES.map((style) => ({ q, tool: 'terraform' as const, style })),
  ...CFN_STYLES.map((style) => ({ q, tool: 'cloudformation' as const, style })),
]);

describe('IaC sources generated from the rule cases', () => {
  it('the rule cases hold policy-document fixes of every kind', () => {
    const kinds = new Set(found.map((q) => q.fix.patch.target.type));
    expect(all).toBeGreaterThan(40);
    expect([...kinds].sort()).toEqual(POLICY_TARGETS.filter((t) => t !== 'kms-key-policy').sort());
    expect(found.length).toBeGreaterThanOrEqual(16);
    expect(found.some((q) => q.fix.patch.before === null)).toBe(true);
  });

  it.each(RUNS.map((r) => [`${r.q.label} -> ${r.tool} ${r.style}`, r] as const))('%s', async (_n, run) => {
    const { q, tool, style } = run;
    const spec = specOf(q);
    const g =
      tool === 'terraform' ? terraformSources(spec, style as never) : cfnSources(spec, style as never);
    const dir = await writeTree(g);
    const index = await loadIac(dir);
    expect(index.sourcesFor(spec.account, spec.region).broken).toEqual([]);
    const iac = iacFix(q.fix, { code: q.code as never }, q.request, q.evidence, index);
    expect(iac?.unmatched).toBeUndefined();
    expect(iac!.patches).toHaveLength(1);
    const p = iac!.patches[0]!;
    expect(p).toMatchObject({ verified: true, confirmed: true });
    expect(p.unresolved).toBeUndefined();

    // The diff applies to the file as generated and the result parses back.
    const oldText = g.files[p.file]!;
    expect(oldText, `${p.file} is one of the generated files`).toBeDefined();
    const newText = applyPatch(oldText, p.diff);
    expect(newText, 'the diff applies').not.toBe(false);
    await writeFile(join(dir, p.file), newText as string);
    const after = (await loadIac(dir)).sourcesFor(spec.account, spec.region);
    expect(after.broken).toEqual([]);

    // Bytes outside the document's span are unchanged (a new document: only inserted).
    const { prefix, suffix } = common(oldText, newText as string);
    if (g.span && g.span.file === p.file) {
      expect(prefix, 'unchanged before the document').toBeGreaterThanOrEqual(g.span.start);
      expect(oldText.length - suffix, 'unchanged after the document').toBeLessThanOrEqual(g.span.end);
    } else expect(prefix + suffix, 'the edit only inserts').toBe(oldText.length);

    // The document read back from the edited source: the request is allowed, nothing else newly allowed.
    const m = matchTarget(q.fix.patch, after.sites, []);
    const sites = m.sites.filter(
      ({ site, confirmed }) => confirmed && (site.editFile === p.file || site.file === p.file),
    );
    expect(
      sites.map((s) => s.site.address),
      `one document for ${p.address}`,
    ).toHaveLength(1);
    const site = sites[0]!.site;
    expect(site.statements.flatMap((s) => s.unresolved)).toEqual([]);
    const extracted = { ...site.header, Statement: site.statements.map((s) => s.value) };
    const patched = applyPatchesToEvidence(q.evidence, [{ ...q.fix.patch, after: extracted as never }]);
    expect(certainlyAllowed(evaluateRequest(q.request, patched))).toBe(true);
    const v = verifyFix(
      { ...q.fix, patch: { ...q.fix.patch, after: extracted as never } },
      q.request,
      q.evidence,
      [q.code as never],
    );
    expect(v.verified).toBe(true);
    const allowed = new Set(q.newlyAllowed.map(key));
    expect((v.blastRadius?.newlyAllowed ?? []).filter((n) => !allowed.has(key(n)))).toEqual([]);
  });
});
