// End-to-end: the text and JSON reports say why each piece of unknown evidence is missing (a refused read and the
// permission it needs, a session policy AWS never returns), as the Markdown report does.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, assertBuilt, runCli } from './helpers.js';

const SCP = 'accounts.111122223333.serviceControlPolicies';
const REFUSED = 'AccessDenied on organizations:ListPoliciesForTarget';

interface UnknownJson {
  path: string;
  reason?: string;
}

describe('why evidence is missing', () => {
  let snapshot: string;
  let request: string;
  beforeAll(async () => {
    assertBuilt();
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-missing-'));
    // The fixture snapshot with its SCPs unread: the collector's note says why.
    const snap = JSON.parse(await readFile(join(FIXTURES, 'snapshot.json'), 'utf8')) as Record<
      string,
      unknown
    > & {
      accounts: Record<string, Record<string, unknown>>;
    };
    delete snap.accounts['111122223333']!.serviceControlPolicies;
    delete snap.accounts['111122223333']!.organizationId;
    snap.notes = [{ path: SCP, reason: REFUSED }];
    snapshot = join(dir, 'snapshot.json');
    await writeFile(snapshot, JSON.stringify(snap));
    const req = JSON.parse(await readFile(join(FIXTURES, 'request.json'), 'utf8')) as {
      context: Record<string, string>;
    };
    req.context['aws:SecureTransport'] = 'true';
    request = join(dir, 'request.json');
    await writeFile(request, JSON.stringify(req));
  });

  it('diagnose: in text and in JSON', async () => {
    const args = ['diagnose', join(FIXTURES, 'https.log'), '--snapshot', snapshot];
    const text = await runCli(args);
    expect(text.stdout).toContain(`    ${SCP} could explain`);
    expect(text.stdout).toContain(`      why missing: ${REFUSED}\n`);

    const json = await runCli([...args, '--format', 'json']);
    const unknowns = (JSON.parse(json.stdout) as { results: { unknowns: UnknownJson[] }[] }).results[0]!
      .unknowns;
    expect(unknowns.find((u) => u.path === SCP)?.reason).toBe(REFUSED);
    expect(unknowns.every((u) => typeof u.reason === 'string' && u.reason.length > 0)).toBe(true);
  });

  it('simulate: in text and in JSON', async () => {
    const args = ['simulate', '--request', request, '--snapshot', snapshot];
    const text = await runCli(args);
    expect(text.stdout).toContain(`  ${SCP} could explain`);
    expect(text.stdout).toContain(`    why missing: ${REFUSED}\n`);
    const json = await runCli([...args, '--format', 'json']);
    const unknowns = (JSON.parse(json.stdout) as { evaluation: { unknowns: UnknownJson[] } }).evaluation
      .unknowns;
    expect(unknowns.find((u) => u.path === SCP)?.reason).toBe(REFUSED);
  });

  it('triage: each unknown of a group with its reason', async () => {
    const r = await runCli(['triage', join(FIXTURES, 'https.log'), '--snapshot', snapshot]);
    expect(r.stdout).toContain(`    unknown     ${SCP} (why missing: ${REFUSED})`);
  });

  it('without evidence, JSON says none was given', async () => {
    const r = await runCli(['diagnose', join(FIXTURES, 'access.log'), '--format', 'json']);
    const unknowns = (JSON.parse(r.stdout) as { results: { unknowns: UnknownJson[] }[] }).results[0]!
      .unknowns;
    expect(unknowns.length).toBeGreaterThan(0);
    for (const u of unknowns)
      expect(u.reason, u.path).toMatch(
        u.path.startsWith('context.')
          ? /^the input does not carry it/
          : u.path.endsWith('.sessionPolicy')
            ? /^AWS never returns a session policy/
            : /^no evidence was given/,
      );
  });
});
