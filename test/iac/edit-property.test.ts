// Property: edits of any located document (append, replace, remove statements with arbitrary strings) keep the file
// parseable, and the document read back holds exactly the statements the edit meant, in order.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadIac, type IacIndex, type PolicySite } from '../../src/iac/index.js';
import { readSources } from '../../src/iac/sources.js';
import { canonical } from '../../src/iac/plan.js';
import type { StatementOp } from '../../src/iac/types.js';
import { FIXTURES } from './helpers.js';

const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  "'",
  '\\',
  '$',
  '{',
  '}',
  '%',
  ':',
  '#',
  '*',
  '/',
  '-',
  'é',
  '\n',
  '!',
  '&',
  '[',
  ']',
  ',',
];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join(''));
const statement = fc
  .record({
    Sid: fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: fc.oneof(
      fc.constantFrom('s3:GetObject', 's3:*'),
      fc.uniqueArray(fc.constantFrom('s3:GetObject', 's3:PutObject', 'kms:Decrypt'), {
        minLength: 2,
        maxLength: 3,
      }),
    ),
    Resource: fc.oneof(
      text.map((t) => `arn:aws:s3:::b/${t}`),
      fc.constant('arn:aws:s3:::b/${aws:username}/*'),
    ),
    Condition: fc.option(fc.record({ StringEquals: fc.record({ 'aws:PrincipalTag/team': text }) }), {
      nil: undefined,
    }),
  })
  .map(
    (s) =>
      Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as Record<string, unknown>,
  );

/**
 * What an `aws_iam_policy_document` data source produces from a statement written in it: the provider turns every `&{`
 * into `${` (its notation for IAM policy variables), so a literal `&{` cannot be written there and reads back as `${`.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
 */
function asDataSourceReads(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/&\{/g, '${');
  if (Array.isArray(v)) return v.map(asDataSourceReads);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [asDataSourceReads(k), asDataSourceReads(x)]),
    );
  return v;
}

describe('IaC edits never break the file', () => {
  it('a value that is only line breaks reads back unchanged at every site (a YAML |+ block took the blank line after it)', async () => {
    const dirs = (await readdir(FIXTURES)).map((d) => join(FIXTURES, d));
    const st = {
      Sid: 'a',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': '\n' } },
    };
    let checked = 0;
    for (const dir of dirs) {
      const index = await loadIac(dir);
      for (const site of index.sourcesFor('111122223333', 'us-east-1').sites) {
        if (site.statements.length === 0) continue;
        const old = index.files.find((f) => f.rel === site.editFile)!.text;
        const next = site.edit(old, [{ op: 'replace', index: 0, statement: st }]);
        const files = index.files.map((f) => (f.rel === site.editFile ? { ...f, text: next } : f));
        const again = readSources(files, { ...index.base, account: '111122223333', region: 'us-east-1' });
        const back = again.sites.find((s) => s.address === site.address && s.file === site.file);
        expect(canonical(back!.statements[0]!.value), `${site.file} ${site.address}`).toBe(canonical(st));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('every site of every fixture, random statement operations', async () => {
    const dirs = (await readdir(FIXTURES)).map((d) => join(FIXTURES, d));
    const all: { index: IacIndex; site: PolicySite }[] = [];
    for (const dir of dirs) {
      const index = await loadIac(dir);
      for (const site of index.sourcesFor('111122223333', 'us-east-1').sites) all.push({ index, site });
    }
    expect(all.length).toBeGreaterThanOrEqual(12);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.array(statement, { minLength: 0, maxLength: 2 }),
        fc.option(statement, { nil: undefined }),
        fc.boolean(),
        (which, appended, replacement, removeLast) => {
          const { index, site } = all[which]!;
          const n = site.statements.length;
          const ops: StatementOp[] = [];
          const expected: unknown[] = site.statements.map((s) => s.value);
          if (replacement && n > 0) {
            ops.push({ op: 'replace', index: 0, statement: replacement });
            expected[0] = replacement;
          }
          if (removeLast && n > 1) {
            ops.push({ op: 'remove', index: n - 1 });
            expected.splice(n - 1, 1);
          }
          for (const s of appended) {
            ops.push({ op: 'append', statement: s });
            expected.push(s);
          }
          if (ops.length === 0) return;
          const old = index.files.find((f) => f.rel === site.editFile)!.text;
          const next = site.edit(old, ops);
          const files = index.files.map((f) => (f.rel === site.editFile ? { ...f, text: next } : f));
          const again = readSources(files, { ...index.base, account: '111122223333', region: 'us-east-1' });
          expect(again.broken.filter((b) => b.file === site.editFile)).toEqual([]);
          const back = again.sites.find((s) => s.address === site.address && s.file === site.file);
          expect(back, `${site.file} ${site.address}\n${next}`).toBeDefined();
          expect(
            back!.statements.map((s) => canonical(s.value)),
            next,
          ).toEqual(
            // The site's line names the data source its document comes from (`policy = data.aws_iam_policy_document.x.json`).
            (/\bdata\.aws_iam_policy_document\./.test(old.split('\n')[site.line - 1] ?? '')
              ? expected.map(asDataSourceReads)
              : expected
            ).map(canonical),
          );
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
