// The library API and the CLI give the same documents: diagnose() of every shipped example with its snapshot
// equals `diagnose --format json`, simulate() equals `simulate --format json`'s evaluation, triage() equals
// `triage --format json`; the session policies settle the same way (`--session-policy FILE` and the `sessionPolicy`
// option, an AssumeRole event among the inputs).

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, loadSnapshot, simulate, triage } from '../../src/api/index.js';
import { FIXTURES, ROOT, runCli } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const scenarios = readdirSync(EXAMPLES)
  .filter((n) => statSync(join(EXAMPLES, n)).isDirectory() && existsSync(join(EXAMPLES, n, 'snapshot.json')))
  .sort();

/** The document without the evaluation time (the request names none, so each run evaluates at its own now). */
function timeless(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (k, v: unknown) =>
    k === 'time' || k === 'aws:CurrentTime' || k === 'aws:EpochTime' ? undefined : v,
  );
}

describe('the API gives the documents the CLI prints as JSON', () => {
  it.each(scenarios)('diagnose of example %s', async (name) => {
    const dir = join('examples', name);
    const input = readdirSync(join(ROOT, dir))
      .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
      .sort()[0]!;
    const args = [join(dir, input), '--snapshot', join(dir, 'snapshot.json')];
    const cli = await runCli(['diagnose', ...args, '--format', 'json'], { cwd: ROOT });
    expect(cli.code, cli.stderr).not.toBe(2);
    const evidence = await loadSnapshot(join(ROOT, dir, 'snapshot.json'));
    const prev = process.cwd();
    process.chdir(ROOT);
    try {
      const api = await diagnose(join(dir, input), { evidence });
      expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
    } finally {
      process.chdir(prev);
    }
  });

  it('simulate of the request fixture', async () => {
    const request = join(FIXTURES, 'request.json');
    const snapshot = join(FIXTURES, 'snapshot.json');
    const cli = await runCli(['simulate', '--request', request, '--snapshot', snapshot, '--format', 'json']);
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await simulate(JSON.parse(readFileSync(request, 'utf8')), await loadSnapshot(snapshot));
    expect(timeless(api)).toEqual(timeless((JSON.parse(cli.stdout) as { evaluation: unknown }).evaluation));
  });

  it('triage of an access log with a snapshot', async () => {
    const log = join(FIXTURES, 'access.log');
    const snapshot = join(FIXTURES, 'snapshot.json');
    const cli = await runCli(['triage', log, '--snapshot', snapshot, '--workers', '1', '--format', 'json']);
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await triage(log, { evidence: await loadSnapshot(snapshot), workers: 1 });
    expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
  });
});

describe('session policies settle the same way in the API and the CLI', () => {
  const example = join(EXAMPLES, 'missing-identity-allow');
  /** The example with the role allowed to read and the session policy unknown (as `collect` writes it). */
  async function setup(): Promise<{ dir: string; snapshot: string }> {
    const dir = await mkdtemp(join(tmpdir(), 's3d-api-session-'));
    const snap = JSON.parse(await readFile(join(example, 'snapshot.json'), 'utf8'));
    snap.principals['arn:aws:iam::111122223333:role/reports-app'].policies[0].document.Statement.push({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports-bucket/*',
    });
    delete snap.sessions;
    const snapshot = join(dir, 'snapshot.json');
    await writeFile(snapshot, JSON.stringify(snap));
    return { dir, snapshot };
  }
  const LIST_ONLY = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
  };

  it('--session-policy FILE and sessionPolicy: the session policy is the cause in both', async () => {
    const { dir, snapshot } = await setup();
    const file = join(dir, 'list-only.json');
    await writeFile(file, JSON.stringify(LIST_ONLY));
    const event = join(example, 'event.json');
    const cli = await runCli(
      ['diagnose', event, '--snapshot', snapshot, '--session-policy', file, '--format', 'json'],
      { cwd: ROOT },
    );
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await diagnose(event, {
      evidence: await loadSnapshot(snapshot),
      sessionPolicy: { kind: 'file', path: file },
    });
    expect(api.results[0]!.causes[0]!.code).toBe('missing-allow-session-policy');
    expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
    const none = await diagnose(event, {
      evidence: await loadSnapshot(snapshot),
      sessionPolicy: { kind: 'none' },
    });
    expect(none.results[0]!.decision).toBe('Allowed');
  });

  it('an AssumeRole event among the inputs gives the session its policy in both', async () => {
    const { dir, snapshot } = await setup();
    const denied = JSON.parse(await readFile(join(example, 'event.json'), 'utf8'));
    const assume = {
      eventVersion: '1.08',
      userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
      eventTime: '2026-11-24T08:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'us-east-1',
      requestParameters: {
        roleArn: 'arn:aws:iam::111122223333:role/reports-app',
        roleSessionName: 'i-0a1b2c3d4e5f',
        policy: JSON.stringify(LIST_ONLY),
      },
      responseElements: {
        credentials: { accessKeyId: denied.userIdentity.accessKeyId, expiration: 'Nov 24, 2026, 9:00:00 AM' },
        assumedRoleUser: {
          assumedRoleId: 'AROAEXAMPLEIDREPORTS-APP:i-0a1b2c3d4e5f',
          arn: 'arn:aws:sts::111122223333:assumed-role/reports-app/i-0a1b2c3d4e5f',
        },
      },
      eventID: '5b1f6c1e-2222-4a2b-9c3d-0123456789ab',
    };
    const input = join(dir, 'events.json');
    await writeFile(input, JSON.stringify({ Records: [assume, denied] }));
    const cli = await runCli(['diagnose', input, '--snapshot', snapshot, '--format', 'json'], { cwd: ROOT });
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await diagnose(input, { evidence: await loadSnapshot(snapshot) });
    expect(api.results).toHaveLength(1);
    expect(api.results[0]!.causes[0]!.code).toBe('missing-allow-session-policy');
    expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
  });
});
