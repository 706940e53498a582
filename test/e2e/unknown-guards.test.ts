// End-to-end: unknown guard layers (SCPs, RCPs, session policy) next to a missing Allow that the known
// evidence proves. A Deny an unknown layer might hold makes ExplicitDeny possible, never the decision,
// and never demotes the certain missing Allow; an unknown layer is said to "could explain" only what
// it could change (adding a Deny), not the missing Allow the known evidence already proves.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/kms/latest/developerguide/services-s3.html (S3 calls KMS after its own authorization)

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runCli } from './helpers.js';

interface JsonResult {
  decision: string;
  possibleDecisions?: string[];
  causes: { code: string; confidence: string }[];
  unknowns: { path: string; couldExplain: string[] }[];
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const dir = mkdtempSync(join(tmpdir(), 's3doctor-guards-'));
const EX = join(ROOT, 'examples', 'missing-identity-allow');
const A = '111122223333';
const SESSION = `arn:aws:sts::${A}:assumed-role/reports-app/i-0a1b2c3d4e5f`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const read = (f: string) => JSON.parse(readFileSync(join(EX, f), 'utf8')) as Obj;
function put(name: string, data: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(data));
  return p;
}

/** What `collect` writes: no session policy (AWS never returns it), Organizations unreadable. */
function realistic(s: Obj): Obj {
  delete s.sessions;
  for (const a of Object.values(s.accounts as Obj)) {
    delete a.serviceControlPolicies;
    delete a.resourceControlPolicies;
    delete a.organizationId;
  }
  return s;
}

/** The event with S3's plain message (no enhanced reason: nothing rules a Deny out). */
function plainEvent(): string {
  const e = read('event.json');
  e.errorMessage = 'Access Denied';
  return put('event-plain.json', e);
}

async function diagnose(event: string, snapshot: string, format = 'json') {
  const r = await runCli(['diagnose', event, '--snapshot', snapshot, '--format', format]);
  expect(r.code, r.stderr).not.toBe(2);
  return r.stdout;
}
const first = (out: string) => (JSON.parse(out) as { results: JsonResult[] }).results[0]!;

beforeAll(() => assertBuilt());

describe('unknown SCPs, RCPs and session policy next to a missing identity Allow', () => {
  it('the enhanced message fixes the layer: no unknown is said to explain anything, in JSON and text', async () => {
    const snap = put('mia-realistic.json', realistic(read('snapshot.json')));
    const event = join(EX, 'event.json');
    const r = first(await diagnose(event, snap));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['missing-allow-identity-policy', 'certain'],
    ]);
    expect(r.unknowns.flatMap((u) => u.couldExplain)).toEqual([]);
    const text = await diagnose(event, snap, 'text');
    expect(text).not.toMatch(/could explain missing-allow-(scp|session-policy)/);
  });

  it('a plain "Access Denied": the unknown layers could add a Deny, not explain the missing Allow', async () => {
    const snap = put('mia-realistic-2.json', realistic(read('snapshot.json')));
    const r = first(await diagnose(plainEvent(), snap));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
    expect(r.causes.find((c) => c.confidence === 'certain')?.code).toBe('missing-allow-identity-policy');
    const explained = r.unknowns.flatMap((u) => u.couldExplain);
    expect(explained.length).toBeGreaterThan(0);
    // Only what the unknowns could change: a Deny (SCP, RCP, session policy), no missing Allow.
    for (const c of explained) expect(c, JSON.stringify(r.unknowns)).toMatch(/^explicit-deny-/);
    const text = await diagnose(plainEvent(), snap, 'text');
    expect(text).toContain('an explicit deny is also possible');
    expect(text).not.toMatch(/could explain[^\n]*missing-allow/);
    expect(text).not.toContain('a Deny statement matched');
  });
});

describe('the KMS step under unknown SCPs and RCPs', () => {
  /** The role may read the object but has no kms:Decrypt; the key policy delegates to IAM. */
  function kmsSnapshot(): Obj {
    const s = read('snapshot.json');
    s.principals[`arn:aws:iam::${A}:role/reports-app`].policies[0].document.Statement.push({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports-bucket/*',
    });
    const o = s.buckets['reports-bucket'].objects['2026/q3.csv'];
    o.serverSideEncryption = 'aws:kms';
    o.kmsKeyId = KEY;
    s.kmsKeys = {
      [KEY]: {
        accountId: A,
        keyManager: 'CUSTOMER',
        keyState: 'Enabled',
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
          ],
        },
      },
    };
    return s;
  }

  it('a possible Deny in an unknown SCP makes ExplicitDeny possible, never the decision; missing-allow-kms stays certain', async () => {
    const full = first(await diagnose(plainEvent(), put('kms-full.json', kmsSnapshot())));
    expect(full.decision).toBe('ImplicitDeny');
    expect(full.causes.map((c) => [c.code, c.confidence])).toEqual([['missing-allow-kms', 'certain']]);
    const r = first(await diagnose(plainEvent(), put('kms-realistic.json', realistic(kmsSnapshot()))));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([['missing-allow-kms', 'certain']]);
    const scp = r.unknowns.find((u) => u.path === `accounts.${A}.serviceControlPolicies`);
    expect(scp?.couldExplain).toEqual(['explicit-deny-scp']);
    expect(r.unknowns.find((u) => u.path === `accounts.${A}.resourceControlPolicies`)?.couldExplain).toEqual([
      'explicit-deny-rcp',
    ]);
  });

  it('S3 refuses before KMS is called: the unknown key policy explains nothing', async () => {
    // No s3:GetObject for the role: S3 never calls KMS, so the KMS key's unknown policy cannot matter.
    const s = kmsSnapshot();
    s.principals[`arn:aws:iam::${A}:role/reports-app`].policies[0].document.Statement.pop();
    delete s.kmsKeys[KEY].policy;
    s.sessions = { [SESSION]: { sessionPolicy: null } };
    const r = first(await diagnose(plainEvent(), put('kms-unreached.json', s)));
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes.filter((c) => c.confidence === 'certain').map((c) => c.code)).toEqual([
      'missing-allow-identity-policy',
    ]);
    expect(r.unknowns.filter((u) => u.path.startsWith('kmsKeys.')).flatMap((u) => u.couldExplain)).toEqual(
      [],
    );
  });
});
