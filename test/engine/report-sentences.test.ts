// Every sentence class a report prints about accounts, layers and statements, checked against the request it
// describes: diagnose over every example and every rule case, with complete and with realistic evidence, rendered as
// text, markdown and JSON; and every doc scenario of test/scenarios/cases (issue 12, "no sentence of a report is false of its request").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { layerCauseCodes } from '../../src/authz/cause-table.js';
import { renderReport } from '../../src/cli/format/index.js';
import { diagnose, diagnoseRequest } from '../../src/engine/index.js';
import { applyPatchesToEvidence, applyRequestChange } from '../../src/fix/apply.js';
import { patchesOf } from '../../src/fix/verify.js';
import { readInputs } from '../../src/logs/index.js';
import type { CauseCode, Evaluation, Evidence, Fix, LogRecord, Result } from '../../src/model/index.js';
import type { S3Request } from '../../src/model/request.js';
import { inputFile, loadScenarios } from '../e2e/scenario-kit.js';
import { realisticSnapshot } from '../helpers/realistic-evidence.js';
import { evidenceOf, recordOf, requestOf, withDefaults } from '../rules/case-kit.js';
import type { CaseDefaults, CaseInput } from '../rules/case-kit.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** One input to check: a record or a request, with a complete snapshot. */
interface Subject {
  id: string;
  record?: LogRecord;
  request?: Record<string, unknown>;
  snapshot: Record<string, unknown>;
}

async function exampleSubjects(): Promise<Subject[]> {
  const dir = join(ROOT, 'examples');
  const out: Subject[] = [];
  for (const name of readdirSync(dir).sort()) {
    const d = join(dir, name);
    if (!statSync(d).isDirectory() || !existsSync(join(d, 'snapshot.json'))) continue;
    const input = readdirSync(d)
      .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
      .sort()[0];
    if (!input) continue;
    const snapshot = JSON.parse(readFileSync(join(d, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    for await (const item of readInputs([join(d, input)]))
      if (item.kind === 'record') out.push({ id: `examples/${name}`, record: item.record, snapshot });
  }
  return out;
}

/** The scenarios written from AWS pages (test/scenarios/cases): their input's first denied record and snapshot. */
async function scenarioSubjects(): Promise<Subject[]> {
  const dir = mkdtempSync(join(tmpdir(), 's3d-sentences-'));
  const out: Subject[] = [];
  try {
    for (const s of loadScenarios('cases')) {
      const { name, text } = inputFile(s.input);
      const file = join(dir, `${out.length}-${name}`);
      writeFileSync(file, text);
      const records: LogRecord[] = [];
      for await (const item of readInputs([file])) if (item.kind === 'record') records.push(item.record);
      const denied = records.find((r) => r.errorCode !== undefined || (r.httpStatus ?? 0) >= 400);
      if (denied) out.push({ id: `scenarios/${s.id}`, record: denied, snapshot: s.fullSnapshot });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function caseSubjects(): Subject[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : n.endsWith('.cases.json') ? [p] : [];
    });
  const rules = join(ROOT, 'test', 'rules');
  return files(rules)
    .sort()
    .flatMap((file) => {
      const f = JSON.parse(readFileSync(file, 'utf8')) as CaseDefaults & {
        valid: CaseInput[];
        invalid: CaseInput[];
      };
      return [...f.valid, ...f.invalid].flatMap((c0) => {
        const c = withDefaults(c0 as CaseInput & { evidence?: Record<string, unknown> | null }, f);
        if (!c.evidence) return [];
        const id = `${relative(rules, file).replace(/\.cases\.json$/, '')}: ${c.name}`;
        return [{ id, record: recordOf(c), request: c.request, snapshot: c.evidence }];
      });
    });
}

function accountOfPrincipal(req: S3Request): string | undefined {
  const p = req.principal;
  return 'accountId' in p ? p.accountId : undefined;
}

/** The bucket owner's account of the request's first required authorization (or the bucket's in the evidence). */
function ownerAccount(req: S3Request, ev: Evidence): string | undefined {
  const a = req.authorizations.find((x) => x.need === 'required') ?? req.authorizations[0];
  return a?.resourceAccount ?? (req.s3.bucket ? ev.buckets[req.s3.bucket]?.accountId : undefined);
}

/** The owner of a bucket the request names: its authorization's resource account, else the evidence's. */
function bucketOwner(req: S3Request, ev: Evidence, bucket: string): string | undefined {
  const a = req.authorizations.find(
    (x) => x.resource === `arn:aws:s3:::${bucket}` || x.resource.startsWith(`arn:aws:s3:::${bucket}/`),
  );
  return a?.resourceAccount ?? ev.buckets[bucket]?.accountId;
}

/** Whether some Deny statement of the evidence matched (not merely could match) an authorization. */
function denyMatched(e: Evaluation): boolean {
  return e.authorizations.some((a) =>
    a.layers.some((l) =>
      l.policies.some((p) => p.statements.some((s) => s.effect === 'Deny' && s.matched === 'true')),
    ),
  );
}

/** The cause codes of layers known (not unknown) to refuse in an evaluation. */
function knownBlocking(e: Evaluation): Set<CauseCode> {
  const out = new Set<CauseCode>();
  for (const a of e.authorizations) {
    if (a.decision === 'Allowed') continue;
    for (const l of a.layers) {
      if (l.applies === 'unknown' || !['explicit-deny', 'missing-allow', 'block'].includes(l.outcome))
        continue;
      for (const c of layerCauseCodes(l, a, e)) out.add(c);
    }
  }
  return out;
}

/** The evaluation after a fix (its patches and request change), or before it when the fix changes nothing. */
function afterFix(fix: Fix, req: S3Request, ev: Evidence): Evaluation {
  let after = ev;
  try {
    after = applyPatchesToEvidence(
      ev,
      patchesOf(fix).filter((p) => !p.beforeUnknown),
    );
  } catch {
    after = ev;
  }
  return evaluateRequest(fix.requestChange ? applyRequestChange(req, fix.requestChange) : req, after);
}

/** How often each sentence class was checked (a class never met would make its check vacuous). */
const seen: Record<string, number> = {};
const saw = (k: string) => (seen[k] = (seen[k] ?? 0) + 1);

/** Every false sentence of one result, as "<class>: <why>". */
function falseSentences(r: Result, req: S3Request, ev: Evidence, rendered: string): string[] {
  const bad: string[] = [];
  const caller = accountOfPrincipal(req);
  const owner = ownerAccount(req, ev);
  const known = caller !== undefined && owner !== undefined;
  // Accounts.
  if (/; a caller from outside the bucket owner account needs a grant there/.test(rendered)) saw('outside');
  if (/the caller is in the bucket owner account/.test(rendered)) saw('inOwner');
  if (/a Deny statement matched/.test(rendered)) saw('denyMatched');
  // An explicit deny the input names (S3's enhanced message) but no Deny statement of the evidence shows.
  if (r.decision === 'ExplicitDeny' && !denyMatched(evaluateRequest(req, ev))) saw('explicitDenyUnmatched');
  if (r.causes.some((c) => c.fixes.some((f) => f.remainingCauses?.length))) saw('stillBlocked');
  // "outside the bucket owner account": the caller's account is known and differs from the owner of the bucket named.
  const OUTSIDE = /; a caller from outside the bucket owner account needs a grant there/;
  const outsideCauses = r.causes.filter((c) => OUTSIDE.test(c.explanation));
  if (OUTSIDE.test(rendered) && outsideCauses.length === 0)
    bad.push('"outside the bucket owner account" printed by no cause');
  for (const c of outsideCauses) {
    const bucket = /The bucket policy on (\S+) does not allow/.exec(c.explanation)?.[1];
    const o = bucket ? bucketOwner(req, ev, bucket) : undefined;
    if (caller === undefined || o === undefined || caller === o)
      bad.push(
        `"outside the bucket owner account" of ${bucket ?? '?'} but caller ${caller ?? '?'} / owner ${o ?? '?'}`,
      );
  }
  if (/the caller is in the bucket owner account/.test(rendered) && !(known && caller === owner))
    bad.push(`"in the bucket owner account" but caller ${caller ?? '?'} / owner ${owner ?? '?'}`);
  if (/\bsame account\b/i.test(rendered) && !(known && caller === owner))
    bad.push(`"same account" but caller ${caller ?? '?'} / owner ${owner ?? '?'}`);
  for (const c of r.causes) {
    if (c.confidence === 'possible') continue;
    // The bucket owner never needs x-amz-request-payer (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html).
    if (c.code === 'requester-pays-not-acknowledged' && known && caller === owner)
      bad.push(`requester-pays cause for the bucket owner's own account ${caller}`);
    // The AWS managed key refuses only other accounts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
    const keyAccount = /AWS managed key \S+ of account (\d{12})/.exec(c.explanation)?.[1];
    if (c.code === 'kms-aws-managed-key-cross-account' && keyAccount && caller === keyAccount)
      bad.push(`aws/s3 cross-account cause but the caller is in the key's account ${keyAccount}`);
  }
  // Statements.
  if (/a Deny statement matched/.test(rendered)) {
    const e = evaluateRequest(req, ev);
    if (!denyMatched(e)) bad.push('"a Deny statement matched" but no Deny statement matched in the trace');
  }
  // Layers: "still blocked by X" only for a layer known to refuse once the fix is applied.
  for (const c of r.causes)
    for (const f of c.fixes) {
      if (!f.remainingCauses?.length) continue;
      const blocking = knownBlocking(afterFix(f, req, ev));
      for (const x of f.remainingCauses)
        if (!blocking.has(x))
          bad.push(
            `"still blocked by ${x}" (fix "${f.summary.slice(0, 60)}") but ${x} is not known to block`,
          );
    }
  return bad;
}

const subjects = [...(await exampleSubjects()), ...caseSubjects(), ...(await scenarioSubjects())];

describe('report sentences are true of their request', () => {
  it('there are inputs to check', () => expect(subjects.length).toBeGreaterThan(100));
  for (const mode of ['complete', 'realistic'] as const)
    it.each(subjects.map((s) => [s.id, s] as const))(`${mode} evidence: %s`, (_id, s) => {
      const snap = mode === 'complete' ? s.snapshot : realisticSnapshot(s.snapshot, callerOf(s)).snapshot;
      const ev = evidenceOf(snap)!;
      const c: CaseInput = { name: s.id, ...(s.request ? { request: s.request } : {}) };
      const req = requestOf(c, s.record, ev);
      const r = s.record && !s.request ? diagnose(s.record, ev) : diagnoseRequest(req, ev);
      const report = { schemaVersion: 1 as const, results: [r] };
      const rendered = ['text', 'markdown', 'json']
        .map((f) => renderReport(report, f as 'text', { colour: false, evidence: ev }))
        .join('\n');
      expect(falseSentences(r, req, ev, rendered)).toEqual([]);
    });
  it('every sentence class was met', () => {
    expect(Object.keys(seen).sort()).toEqual([
      'denyMatched',
      'explicitDenyUnmatched',
      'outside',
      'stillBlocked',
    ]);
  });
});

function callerOf(s: Subject): string | undefined {
  const ev = evidenceOf(s.snapshot)!;
  return accountOfPrincipal(
    requestOf({ name: s.id, ...(s.request ? { request: s.request } : {}) }, s.record, ev),
  );
}
