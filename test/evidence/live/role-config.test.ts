// Tests of the per-account role config file (`{ "roles": { "ACCOUNT": "arn:...:role/NAME" } }`).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadRoleConfig } from '../../../src/evidence/live/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 's3doctor-roles-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('reads account -> role ARN', async () => {
  const p = file(
    'ok.json',
    JSON.stringify({ roles: { '444455556666': 'arn:aws:iam::444455556666:role/s3doctor-read' } }),
  );
  expect(await loadRoleConfig(p)).toEqual({ '444455556666': 'arn:aws:iam::444455556666:role/s3doctor-read' });
});

test('a role ARN in another account than its key is refused, naming the key', async () => {
  const p = file(
    'bad.json',
    JSON.stringify({ roles: { '444455556666': 'arn:aws:iam::111122223333:role/x' } }),
  );
  await expect(loadRoleConfig(p)).rejects.toThrow(
    /roles\.444455556666 must be a role ARN in account 444455556666/,
  );
});

test('not JSON, or no roles object: the message shows the expected shape', async () => {
  await expect(loadRoleConfig(file('nojson.json', '{'))).rejects.toThrow(/cannot read the role config/);
  await expect(loadRoleConfig(file('noroles.json', '{}'))).rejects.toThrow(/"roles"/);
});
