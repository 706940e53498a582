// `--session-policy none|FILE` through the built CLI: diagnose, simulate and triage settle the session policy of the
// input's role sessions (AWS never returns it: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runCli } from './helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'missing-identity-allow');
const SESSION = 'arn:aws:sts::111122223333:assumed-role/reports-app/i-0a1b2c3d4e5f';
let dir = '';
let snapshot = '';

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 's3d-session-policy-'));
  // The example, with the role now allowed to read, its organization known to be none, and the session policy
  // unknown (as `collect` writes it).
  const snap = JSON.parse(await readFile(join(EXAMPLE, 'snapshot.json'), 'utf8'));
  snap.principals['arn:aws:iam::111122223333:role/reports-app'].policies[0].document.Statement.push({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::reports-bucket/*',
  });
  delete snap.sessions;
  snapshot = join(dir, 'snapshot.json');
  await writeFile(snapshot, JSON.stringify(snap));
  await writeFile(
    join(dir, 'list-only.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
    }),
  );
  await writeFile(join(dir, 'not-a-policy.json'), JSON.stringify({ Statement: [{ Effect: 'Maybe' }] }));
});

async function diagnose(...extra: string[]) {
  const r = await runCli([
    'diagnose',
    join(EXAMPLE, 'event.json'),
    '--snapshot',
    snapshot,
    '--format',
    'json',
    ...extra,
  ]);
  return { ...r, result: r.code === 2 ? undefined : JSON.parse(r.stdout).results[0] };
}

describe('--session-policy', () => {
  it('FILE: the session policy passed to AssumeRole decides, and is named as the cause', async () => {
    const r = await diagnose('--session-policy', join(dir, 'list-only.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.result.decision).toBe('ImplicitDeny');
    expect(r.result.causes[0]).toMatchObject({ code: 'missing-allow-session-policy', confidence: 'certain' });
  });

  it('none: the session has the role permissions, which allow the request now', async () => {
    const r = await diagnose('--session-policy', 'none');
    expect(r.result).toMatchObject({ decision: 'Allowed', reproduced: false });
  });

  it('without it, the report names the unknown session policy', async () => {
    const r = await diagnose();
    expect(r.result.unknowns.map((u: { path: string }) => u.path)).toContain(
      `sessions.${SESSION}.sessionPolicy`,
    );
  });

  it('a missing or invalid file is a usage error (exit 2) naming the file', async () => {
    const missing = await diagnose('--session-policy', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    const bad = await diagnose('--session-policy', join(dir, 'not-a-policy.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a valid policy document');
  });

  it('simulate settles the session of the request', async () => {
    const req = join(dir, 'request.json');
    await writeFile(
      req,
      JSON.stringify({
        principal: SESSION,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::reports-bucket/2026/q3.csv',
        context: { 'aws:SecureTransport': 'true' },
      }),
    );
    const none = await runCli([
      'simulate',
      '--request',
      req,
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--session-policy',
      'none',
    ]);
    expect(JSON.parse(none.stdout).evaluation.decision).toBe('Allowed');
    const file = await runCli([
      'simulate',
      '--request',
      req,
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--session-policy',
      join(dir, 'list-only.json'),
    ]);
    expect(JSON.parse(file.stdout).evaluation.decision).toBe('ImplicitDeny');
  });

  it('triage takes it too, and every command documents it in --help', async () => {
    const t = await runCli([
      'triage',
      join(EXAMPLE, 'event.json'),
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--session-policy',
      join(dir, 'list-only.json'),
    ]);
    expect(t.code, t.stderr).not.toBe(2);
    expect(JSON.parse(t.stdout).groups[0].diagnosis.causes[0].code).toBe('missing-allow-session-policy');
    for (const cmd of ['diagnose', 'triage', 'simulate']) {
      const h = await runCli([cmd, '--help']);
      expect(h.stdout).toContain('--session-policy <none|FILE>');
    }
  });
});
