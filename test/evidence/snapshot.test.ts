// The snapshot loader: every problem with its JSON path, policy strings, unknown vs null, merging, files.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  emptyEvidence,
  evidencePath,
  loadSnapshots,
  mergeEvidence,
  parseSnapshot,
  SnapshotError,
} from '../../src/evidence/index.js';
import type { Evidence } from '../../src/model/index.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
};

function ok(json: unknown): Evidence {
  const r = parseSnapshot(json, 'test.json');
  expect(r.problems).toEqual([]);
  expect(r.evidence).toBeDefined();
  return r.evidence as Evidence;
}

describe('parseSnapshot', () => {
  it('accepts a minimal snapshot and fills the top-level maps', () => {
    const ev = ok({ schemaVersion: 1 });
    expect(ev.principals).toEqual({});
    expect(ev.buckets).toEqual({});
    expect(ev.notes).toEqual([]);
  });

  it('reports every problem at once, each with its JSON path', () => {
    const r = parseSnapshot(
      {
        schemaVersion: 2,
        buckets: {
          b: {
            accountId: '123',
            objectOwnership: 'Owner',
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }],
            },
            publicAccessBlock: { BlockPublicAcls: 'yes' },
          },
        },
        principals: { 'arn:aws:sts::111122223333:assumed-role/app/s1': { policies: [] } },
        kmsKeys: { 'alias/x': {} },
      },
      'bad.json',
    );
    expect(r.evidence).toBeUndefined();
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('schemaVersion');
    expect(paths).toContain('buckets.b.accountId');
    expect(paths).toContain('buckets.b.objectOwnership');
    expect(paths).toContain('buckets.b.policy.Statement[0].Effect');
    expect(paths).toContain('buckets.b.publicAccessBlock.BlockPublicAcls');
    expect(paths).toContain('buckets.b.publicAccessBlock.IgnorePublicAcls');
    expect(paths).toContain('principals.arn:aws:sts::111122223333:assumed-role/app/s1');
    expect(paths).toContain('kmsKeys.alias/x');
    for (const p of r.problems) expect(p.message.length).toBeGreaterThan(3);
  });

  it('quotes bucket names with dots in paths', () => {
    const r = parseSnapshot({ schemaVersion: 1, buckets: { 'my.bucket': { accountId: 'x' } } }, 's');
    expect(r.problems.map((p) => p.path)).toContain('buckets["my.bucket"].accountId');
    expect(evidencePath('buckets', 'my.bucket', 'policy', 'Statement', 0)).toBe(
      'buckets["my.bucket"].policy.Statement[0]',
    );
  });

  it('accepts policies as objects, JSON strings and URL-encoded JSON strings', () => {
    const text = JSON.stringify(doc);
    const ev = ok({
      schemaVersion: 1,
      principals: {
        [ALICE]: {
          policies: [
            { name: 'obj', kind: 'inline', document: doc },
            { name: 'str', kind: 'inline', document: text },
            {
              name: 'url',
              kind: 'managed',
              arn: 'arn:aws:iam::111122223333:policy/u',
              document: encodeURIComponent(text),
            },
          ],
          permissionsBoundary: {
            arn: 'arn:aws:iam::111122223333:policy/pb',
            document: encodeURIComponent(text),
          },
        },
      },
      buckets: { b: { policy: text } },
    });
    const pols = ev.principals[ALICE]?.policies ?? [];
    expect(pols).toHaveLength(3);
    for (const p of pols) {
      const st = Array.isArray(p.document.Statement) ? p.document.Statement[0] : p.document.Statement;
      expect(st?.Effect).toBe('Allow');
    }
    expect(ev.principals[ALICE]?.permissionsBoundary?.document.Version).toBe('2012-10-17');
    expect(typeof ev.buckets.b?.policy).toBe('object');
  });

  it('stringifies boolean and number condition values', () => {
    const ev = ok({
      schemaVersion: 1,
      buckets: {
        b: {
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: 'arn:aws:s3:::b/*',
                Condition: {
                  Bool: { 'aws:SecureTransport': false },
                  NumericLessThan: { 's3:TlsVersion': 1.2 },
                },
              },
            ],
          },
        },
      },
    });
    const st = (
      ev.buckets.b?.policy?.Statement as { Condition: Record<string, Record<string, unknown>> }[]
    )[0];
    expect([st?.Condition.Bool?.['aws:SecureTransport']].flat()).toEqual(['false']);
    expect([st?.Condition.NumericLessThan?.['s3:TlsVersion']].flat()).toEqual(['1.2']);
  });

  it('keeps absent (unknown) apart from null (not configured)', () => {
    const ev = ok({
      schemaVersion: 1,
      buckets: {
        known: { policy: null, publicAccessBlock: null, encryption: null },
        unknown: { region: 'us-east-1' },
      },
      accounts: { '111122223333': { serviceControlPolicies: null, organizationId: null } },
      principals: { [ALICE]: { policies: [], permissionsBoundary: null } },
    });
    expect(ev.buckets.known?.policy).toBeNull();
    expect(ev.buckets.known?.publicAccessBlock).toBeNull();
    expect('policy' in (ev.buckets.unknown ?? {})).toBe(false);
    expect(ev.buckets.unknown?.publicAccessBlock).toBeUndefined();
    expect(ev.accounts['111122223333']?.serviceControlPolicies).toBeNull();
    expect(ev.accounts['111122223333']?.resourceControlPolicies).toBeUndefined();
    expect(ev.principals[ALICE]?.permissionsBoundary).toBeNull();
  });

  it('reports policy problems inside SCP levels with their path', () => {
    const r = parseSnapshot(
      {
        schemaVersion: 1,
        accounts: {
          '111122223333': {
            serviceControlPolicies: [
              { target: 'r-ab12', policies: [{ name: 'X', document: '{not json' }] },
              { target: 'nonsense', policies: [] },
            ],
          },
        },
      },
      's',
    );
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('accounts.111122223333.serviceControlPolicies[0].policies[0].document');
    expect(paths).toContain('accounts.111122223333.serviceControlPolicies[1].target');
  });

  it('rejects a document that is not an object', () => {
    expect(parseSnapshot([], 's').problems).toHaveLength(1);
    expect(parseSnapshot('x', 's').evidence).toBeUndefined();
  });
});

describe('mergeEvidence', () => {
  it('fills what earlier sets left unknown, keeps known nulls, and notes conflicts (later wins)', () => {
    const a = ok({
      schemaVersion: 1,
      buckets: { b: { policy: null, region: 'us-east-1', objects: { k: { exists: true } } } },
    });
    const b = ok({
      schemaVersion: 1,
      buckets: {
        b: {
          region: 'eu-west-1',
          accountId: '111122223333',
          objects: { k: { storageClass: 'GLACIER' }, j: { exists: false } },
        },
      },
      canonicalIds: { abc: '111122223333' },
    });
    const m = mergeEvidence(a, b);
    expect(m.buckets.b?.policy).toBeNull();
    expect(m.buckets.b?.accountId).toBe('111122223333');
    expect(m.buckets.b?.region).toBe('eu-west-1');
    expect(m.buckets.b?.objects?.k).toEqual({ exists: true, storageClass: 'GLACIER' });
    expect(m.buckets.b?.objects?.j).toEqual({ exists: false });
    expect(m.canonicalIds.abc).toBe('111122223333');
    expect(m.notes).toEqual([{ path: 'buckets.b.region', reason: expect.stringContaining('later') }]);
    // The inputs are not modified.
    expect(a.buckets.b?.region).toBe('us-east-1');
  });

  it('an empty evidence set merges as the identity', () => {
    const a = ok({ schemaVersion: 1, principals: { [ALICE]: { policies: [] } } });
    expect(mergeEvidence(emptyEvidence(), a)).toEqual(mergeEvidence(a));
    expect(emptyEvidence().schemaVersion).toBe(1);
  });
});

describe('loadSnapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3doctor-snap-'));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads and merges files in order', async () => {
    const one = write('one.json', JSON.stringify({ schemaVersion: 1, buckets: { b: { policy: null } } }));
    const two = write(
      'two.json',
      JSON.stringify({ schemaVersion: 1, buckets: { b: { accountId: '111122223333' } } }),
    );
    const ev = await loadSnapshots([one, two]);
    expect(ev.buckets.b).toEqual({ policy: null, accountId: '111122223333' });
  });

  it('no files: empty evidence', async () => {
    expect(await loadSnapshots([])).toEqual(emptyEvidence());
  });

  it('names the file for unreadable files, invalid JSON and invalid content, all at once', async () => {
    const badJson = write('bad.json', '{ "schemaVersion": 1, ');
    const badContent = write(
      'content.json',
      JSON.stringify({ schemaVersion: 1, buckets: { b: { accountId: 'nope' } } }),
    );
    const missing = join(dir, 'missing.json');
    let err: unknown;
    try {
      await loadSnapshots([badJson, badContent, missing]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    const e = err as SnapshotError;
    expect(e.problems.map((p) => p.source)).toEqual([badJson, badContent, missing]);
    expect(e.problems[0]?.message).toMatch(/not valid JSON/);
    expect(e.problems[1]?.path).toBe('buckets.b.accountId');
    expect(e.problems[2]?.message).toMatch(/ENOENT/);
    expect(e.message).toContain(badJson);
    expect(e.message).toContain('buckets.b.accountId');
  });
});
