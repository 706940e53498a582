// The library API is the core the CLI calls, never the other way round: nothing under src/api imports the CLI,
// prints, or ends the process; loadSnapshot hands its warnings to the caller; a bad session policy is thrown.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, loadSnapshot, SessionPolicyError, simulate } from '../../src/api/index.js';

const API = join(import.meta.dirname, '..', '..', 'src', 'api');
const FIXTURES = join(import.meta.dirname, '..', 'e2e', 'fixtures');

describe('src/api', () => {
  it.each(readdirSync(API).filter((f) => f.endsWith('.ts')))(
    '%s imports nothing from src/cli and never prints or exits',
    (file) => {
      const text = readFileSync(join(API, file), 'utf8');
      expect(text).not.toMatch(/from '\.\.\/cli\//);
      expect(text).not.toMatch(/import\('\.\.\/cli\//);
      expect(text).not.toMatch(/\bprocess\.(exit|stdout|stderr)\b|\bconsole\./);
    },
  );

  it('loadSnapshot hands a warning to onWarning instead of printing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-api-warn-'));
    const file = join(dir, 'typo.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, bukets: {} }));
    const warnings: string[] = [];
    await loadSnapshot(file, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('did you mean "buckets"?');
  });

  it('a session policy file that is not a policy is a SessionPolicyError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-api-sp-'));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ Statement: [{ Effect: 'Maybe' }] }));
    const evidence = await loadSnapshot(join(FIXTURES, 'snapshot.json'));
    const request = {
      principal: 'arn:aws:sts::111122223333:assumed-role/app/s',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
    };
    const err = await simulate(request, evidence, { sessionPolicy: { kind: 'file', path: bad } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SessionPolicyError);
    expect((err as Error).message).toContain(bad);
    expect(await diagnose({ text: 'no denial here' })).toMatchObject({ results: [] });
  });
});
