// Test helpers of iac/: diagnose an example with --iac through the library API, and round-trip each IaC patch.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { diagnose, loadSnapshot } from '../../src/api/index.js';
import { evaluateRequest } from '../../src/authz/index.js';
import { applyPatchesToEvidence, certainlyAllowed } from '../../src/fix/index.js';
import { loadIac } from '../../src/iac/index.js';
import type { Evidence, Fix, IacPatch, Result } from '../../src/model/index.js';
import { toS3Request } from '../../src/request/index.js';
import { readInputs } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/index.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'test/fixtures/iac');

/** An example's input and snapshot paths. */
export async function exampleFiles(name: string): Promise<{ input: string; snapshot: string }> {
  const dir = join(ROOT, 'examples', name);
  const { readdir } = await import('node:fs/promises');
  const files = await readdir(dir);
  const input = files.find((f) => /^(input|event|access)/.test(f) && !f.endsWith('.md'));
  return { input: join(dir, input!), snapshot: join(dir, 'snapshot.json') };
}

/** Every fix of a result with its cause code. */
export function fixesOf(r: Result): { code: string; fix: Fix }[] {
  return r.causes.flatMap((c) => c.fixes.map((fix) => ({ code: c.code, fix })));
}

/** Diagnoses inputs against a snapshot with --iac DIR (the library API). */
export async function diagnoseIac(
  input: string,
  snapshot: string | Evidence,
  iac: string,
  iacState?: string[],
): Promise<{ results: Result[]; evidence: Evidence; records: LogRecord[] }> {
  const evidence = typeof snapshot === 'string' ? await loadSnapshot(snapshot) : snapshot;
  const report = await diagnose(input, { evidence, iac, ...(iacState ? { iacState } : {}) });
  const records: LogRecord[] = [];
  for await (const item of readInputs([input], { deniedOnly: true }))
    if (item.kind === 'record') records.push(item.record);
  return { results: report.results, evidence, records };
}

/**
 * Round trip of one IaC patch: the diff applied to a copy of the folder, the file parsed back, the
 * document extracted at the patch's address, the request evaluated with it in place of the target's.
 * Returns whether the request is then certainly allowed, and the edited text.
 */
export async function roundTrip(
  dir: string,
  p: IacPatch,
  fix: Fix,
  record: LogRecord,
  evidence: Evidence,
  account: string,
  region: string,
): Promise<{ allowed: boolean; oldText: string; newText: string; extracted: unknown }> {
  const copy = await mkdtemp(join(tmpdir(), 's3doctor-iac-'));
  await cp(dir, copy, { recursive: true });
  const oldText = await readFile(join(copy, p.file), 'utf8');
  const newText = applyPatch(oldText, p.diff);
  if (newText === false) throw new Error(`the diff of ${p.file} does not apply`);
  await writeFile(join(copy, p.file), newText);
  const index = await loadIac(copy);
  const sites = index
    .sourcesFor(account, region)
    .sites.filter((s) => s.editFile === p.file || s.file === p.file);
  if (sites.some((s) => s.statements.some((x) => x.unresolved.length > 0)) && !p.unresolved)
    throw new Error('unresolved values after the edit');
  const site =
    sites.find(
      (s) =>
        s.address === p.address &&
        (fix.patch!.target.name === undefined ||
          s.policyName === undefined ||
          s.policyName === fix.patch!.target.name),
    ) ??
    sites.find((s) => s.policyName === fix.patch!.target.name) ??
    sites.find((s) => s.address.startsWith(p.address));
  if (!site) throw new Error(`no document at ${p.address} after the edit`);
  const extracted = { ...site.header, Statement: site.statements.map((s) => s.value) };
  const after = applyPatchesToEvidence(evidence, [{ ...fix.patch!, after: extracted as never }]);
  const allowed = certainlyAllowed(evaluateRequest(toS3Request(record), after));
  return { allowed, oldText, newText, extracted };
}

/** Lines of `oldText` are all in `newText`, in order (an edit that only adds keeps the rest byte for byte). */
export function keepsOldLines(oldText: string, newText: string): boolean {
  const n = newText.split('\n');
  let j = 0;
  for (const line of oldText.split('\n')) {
    while (j < n.length && n[j] !== line) j++;
    if (j >= n.length) return false;
    j++;
  }
  return true;
}
