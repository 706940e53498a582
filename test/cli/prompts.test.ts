// Prompt flows of the assistant with injected answers: what it asks, when, and what it does with the answers.

import { describe, expect, it } from 'vitest';
import type { Ask, AssistantDeps, Choice } from '../../src/cli/prompts.js';
import { runAssistantFlow } from '../../src/cli/prompts.js';
import type { AnswerOptions } from '../../src/cli/options.js';
import type { LogRecord, Result } from '../../src/model/index.js';
import { denyResult, sampleEvidence, unexplainedResult } from './fixtures.js';

/** A scripted Ask: each question takes the next answer; an unexpected question fails the test. */
function scripted(answers: unknown[]) {
  const asked: { kind: string; message: string; choices?: string[] }[] = [];
  const said: string[] = [];
  const next = (kind: string, message: string, choices?: Choice<unknown>[]) => {
    asked.push({ kind, message, ...(choices ? { choices: choices.map((c) => c.name) } : {}) });
    if (answers.length === 0) throw new Error(`unexpected ${kind}: ${message}`);
    return answers.shift();
  };
  const ask: Ask = {
    select: async <T>(q: { message: string; choices: Choice<T>[] }) => {
      const a = next('select', q.message, q.choices as Choice<unknown>[]);
      if (!q.choices.some((c) => c.value === a))
        throw new Error(`"${String(a)}" is not a choice of: ${q.message}`);
      return a as T;
    },
    input: async (q) => {
      const a = String(next('input', q.message));
      if (q.validate) {
        const v = await q.validate(a);
        if (v !== true) throw new Error(`invalid answer to ${q.message}: ${v}`);
      }
      return a;
    },
    confirm: async (q) => Boolean(next('confirm', q.message)),
    paste: async (m) => String(next('paste', m)),
    say: (t) => void said.push(t),
  };
  return { ask, asked, said, left: answers };
}

const record: LogRecord = {
  input: { source: 'access.log', line: 1 },
  format: 's3-access-log',
  bucket: 'reports-bucket',
  key: 'finance/q3.csv',
};

function fakeDeps(over: Partial<AssistantDeps> = {}) {
  const calls: {
    diagnose: AnswerOptions[];
    saved: string[];
    applied: string[];
    collected: number;
    wrote: string[];
  } = {
    diagnose: [],
    saved: [],
    applied: [],
    collected: 0,
    wrote: [],
  };
  let fixed = false;
  const deps: AssistantDeps = {
    readPasted: async (text) =>
      text.includes('403') ? { records: [record], malformed: [] } : { records: [], malformed: [] },
    readFile: async () => ({
      records: [record, { ...record, input: { source: 'access.log', line: 2 } }],
      malformed: [],
    }),
    described: (d) => ({
      input: { source: '(described)' },
      format: 'unknown',
      requester: d.principal,
      apiName: d.operation,
      bucket: d.bucket,
      key: d.key,
    }),
    listProfiles: async () => ['default', 'prod'],
    loadSnapshot: async () => sampleEvidence(),
    collectLive: async () => {
      calls.collected += 1;
      return sampleEvidence();
    },
    diagnose: async (records, _ev, answers): Promise<Result[]> => {
      calls.diagnose.push({ ...answers });
      if (fixed)
        return records.map(() => ({ ...denyResult(), decision: 'Allowed', causes: [], unknowns: [] }));
      return records.map(() => (answers.https === 'yes' ? denyResult() : unexplainedResult()));
    },
    renderText: (report) => `TEXT ${report.results.map((r) => r.decision).join(',')}`,
    renderMarkdown: () => '# MD',
    writeFile: async (p) => {
      calls.wrote.push(p);
      return `/abs/${p}`;
    },
    savePatch: async (_f, patch) => {
      calls.saved.push(patch.target.id);
      return `/abs/s3doctor-patch-${patch.target.id}.json`;
    },
    applicable: (results) =>
      results.flatMap((r) =>
        r.causes.flatMap((c) =>
          c.fixes.filter((f) => f.patch && f.verified).map((f) => ({ fix: f, patch: f.patch! })),
        ),
      ),
    patches: (results) =>
      results.flatMap((r) =>
        r.causes.flatMap((c) => c.fixes.filter((f) => f.patch).map((f) => ({ fix: f, patch: f.patch! }))),
      ),
    describeChange: (_f, p) => `CHANGE ${p.target.id}`,
    apply: async (patch) => {
      calls.applied.push(patch.target.id);
      fixed = true;
      return { backupPath: '/abs/backup.json' };
    },
    fileExists: async (p) => p !== 'missing.json',
    ...over,
  };
  return { deps, calls };
}

describe('assistant flow', () => {
  it('pastes a line, uses a snapshot, asks about HTTPS saying why, and saves the patch', async () => {
    const s = scripted([
      'paste',
      '... 403 AccessDenied ...',
      'snapshot',
      'snap.json',
      'yes',
      'save-patch',
      'done',
    ]);
    const { deps, calls } = fakeDeps();
    const out = await runAssistantFlow(s.ask, deps);
    expect(s.left).toEqual([]);
    const https = s.asked.find((a) => a.message.startsWith('Was the request made over HTTPS?'));
    expect(https?.message).toContain('asked because');
    expect(https?.message).toContain('--https');
    expect(https?.choices).toContain("I don't know");
    // Diagnosed once without the answer and once with it.
    expect(calls.diagnose).toEqual([{}, { https: 'yes' }]);
    expect(calls.saved).toEqual(['reports-bucket']);
    expect(out.saved).toEqual(['/abs/s3doctor-patch-reports-bucket.json']);
    expect(s.said.some((t) => t.startsWith('TEXT ExplicitDeny'))).toBe(true);
  });

  it('"I don\'t know" leaves the request as is and asks nothing else', async () => {
    const s = scripted(['paste', '403', 'none', 'unknown', 'done']);
    const { deps, calls } = fakeDeps();
    const out = await runAssistantFlow(s.ask, deps);
    expect(calls.diagnose).toEqual([{}]);
    expect(out.results[0]!.decision).toBe('ImplicitDeny');
    // No patch to save or apply: only the Markdown report and Done are offered.
    const last = s.asked.at(-1)!;
    expect(last.choices).toEqual(['Save a Markdown report', 'Done']);
  });

  it('does not ask questions a flag already answered', async () => {
    const s = scripted(['paste', '403', 'done']);
    const { deps, calls } = fakeDeps();
    await runAssistantFlow(s.ask, deps, { snapshot: ['snap.json'], https: 'yes' });
    expect(s.asked.some((a) => a.message.includes('HTTPS'))).toBe(false);
    expect(s.asked.some((a) => a.message.includes('evidence'))).toBe(false);
    expect(calls.diagnose).toEqual([{ https: 'yes' }]);
  });

  it('asks again when the paste holds no denied request', async () => {
    const s = scripted(['paste', 'hello', 'paste', '403', 'none', 'unknown', 'done']);
    const { deps } = fakeDeps();
    await runAssistantFlow(s.ask, deps);
    expect(s.said).toContain('No denied request found in that input. Try again (or pick another way).');
  });

  it('picks a file and one of several requests, then live evidence with a profile from the config', async () => {
    const s = scripted(['file', 'access.log', 1, 'live', 'prod', 'yes', 'done']);
    const seen: string[] = [];
    const { deps, calls } = fakeDeps({
      collectLive: async (recs, profile) => {
        seen.push(`${recs.length}:${profile}`);
        return sampleEvidence();
      },
    });
    await runAssistantFlow(s.ask, deps);
    expect(s.asked.find((a) => a.message === 'Which AWS profile?')?.choices).toEqual([
      'The default credential chain (AWS_PROFILE, environment, SSO, instance role)',
      'default',
      'prod',
    ]);
    expect(seen).toEqual(['1:prod']);
    expect(calls.diagnose.length).toBe(2);
  });

  it('a pasted HEAD 403 (no code, no bucket): says why and asks for the bucket, key and principal', async () => {
    const s = scripted([
      'paste',
      'fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden',
      'reports-bucket',
      'finance/q1.csv',
      'arn:aws:iam::111122223333:user/alice',
      'none',
      'unknown',
      'done',
    ]);
    let got: LogRecord[] = [];
    const head: LogRecord = {
      input: { source: '(pasted)', line: 1 },
      format: 'error-message',
      httpStatus: 403,
      apiName: 'HeadObject',
      errorMessage: 'Forbidden',
    };
    const { deps } = fakeDeps({
      readPasted: async () => ({ records: [head], malformed: [] }),
      diagnose: async (records) => {
        got = records;
        return [unexplainedResult()];
      },
    });
    await runAssistantFlow(s.ask, deps);
    expect(s.said.join('\n')).toContain('HEAD responses have no body, so S3 sends no code or message');
    expect(s.asked.map((a) => a.message)).toEqual(
      expect.arrayContaining(['Bucket:', 'Object key:', expect.stringMatching(/^Who made the request/)]),
    );
    expect(got[0]).toMatchObject({
      apiName: 'HeadObject',
      bucket: 'reports-bucket',
      key: 'finance/q1.csv',
      requester: 'arn:aws:iam::111122223333:user/alice',
    });
  });

  it('a pasted SDK error that names no bucket: says so and asks for the bucket and key', async () => {
    const s = scripted([
      'paste',
      'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
      'reports-bucket',
      'in/a.csv',
      'arn:aws:iam::111122223333:user/alice',
      'none',
      'unknown',
      'done',
    ]);
    let got: LogRecord[] = [];
    const put: LogRecord = {
      input: { source: '(pasted)', line: 1 },
      format: 'error-message',
      apiName: 'PutObject',
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
    };
    const { deps } = fakeDeps({
      readPasted: async () => ({ records: [put], malformed: [] }),
      diagnose: async (records) => {
        got = records;
        return [unexplainedResult()];
      },
    });
    await runAssistantFlow(s.ask, deps);
    expect(s.said.join('\n')).toContain(
      'PutObject was refused with AccessDenied, but the error message names no bucket',
    );
    expect(got[0]).toMatchObject({ apiName: 'PutObject', bucket: 'reports-bucket', key: 'in/a.csv' });
  });

  it('describes a request by its parts', async () => {
    const s = scripted([
      'describe',
      'arn:aws:iam::111122223333:user/alice',
      'GetObject',
      'reports-bucket',
      'a/b.txt',
      'none',
      'unknown',
      'done',
    ]);
    let got: LogRecord[] = [];
    const { deps } = fakeDeps({
      diagnose: async (records) => {
        got = records;
        return [unexplainedResult()];
      },
    });
    await runAssistantFlow(s.ask, deps);
    expect(got[0]).toMatchObject({
      requester: 'arn:aws:iam::111122223333:user/alice',
      apiName: 'GetObject',
      bucket: 'reports-bucket',
      key: 'a/b.txt',
    });
  });

  it('applies only after a confirmation that shows the exact change, then re-collects and re-diagnoses', async () => {
    const s = scripted([
      'paste',
      '403',
      'snapshot',
      'snap.json',
      'yes',
      'apply',
      false,
      'apply',
      true,
      'done',
    ]);
    const { deps, calls } = fakeDeps();
    const out = await runAssistantFlow(s.ask, deps);
    expect(s.said).toContain('CHANGE reports-bucket'.replace(/^/, 'This is the exact change:\n'));
    expect(s.said).toContain('Nothing was changed.');
    expect(calls.applied).toEqual(['reports-bucket']);
    expect(calls.collected).toBe(1);
    expect(out.applied).toBe(true);
    expect(out.results[0]!.decision).toBe('Allowed');
    expect(s.said.at(-1)).toBe('TEXT Allowed');
  });

  it('says so when the evidence cannot be collected again after applying', async () => {
    const s = scripted(['paste', '403', 'snapshot', 'snap.json', 'yes', 'apply', true, 'done']);
    const { deps, calls } = fakeDeps({
      collectLive: async () => {
        throw new Error('no credentials');
      },
    });
    const out = await runAssistantFlow(s.ask, deps);
    expect(calls.applied).toEqual(['reports-bucket']);
    expect(out.applied).toBe(true);
    expect(s.said).toContain(
      'Could not collect the evidence again to confirm (no credentials). Run s3doctor diagnose --live to check.',
    );
    // Apply is not offered twice.
    expect(s.asked.at(-1)!.choices).not.toContain(
      'Apply the patch to AWS (asks first, backs up the current document)',
    );
  });

  it('shows the AWS CLI commands and saves a Markdown report', async () => {
    const s = scripted([
      'paste',
      '403',
      'snapshot',
      'snap.json',
      'yes',
      'commands',
      'markdown',
      'missing.json',
      'done',
    ]);
    const { deps, calls } = fakeDeps();
    await runAssistantFlow(s.ask, deps);
    expect(s.said).toContain(
      'aws s3api put-bucket-policy --bucket reports-bucket --policy file://s3doctor-patch-bucket-reports-bucket.json',
    );
    expect(calls.wrote).toEqual(['missing.json']);
  });

  it('rejects a snapshot path that does not exist through validation', async () => {
    const s = scripted(['paste', '403', 'snapshot', 'missing.json']);
    const { deps } = fakeDeps();
    await expect(runAssistantFlow(s.ask, deps)).rejects.toThrow(/No such file: missing.json/);
  });

  describe('the session policy question (issue 12)', () => {
    const SESSION = 'sessions.arn:aws:sts::111122223333:assumed-role/app/s1.sessionPolicy';
    /** A result left open by the unknown session policy; `settled` is the result once it is "none". */
    function sessionDeps(settled: Result) {
      const open: Result = {
        ...unexplainedResult(),
        unknowns: [{ path: SESSION, couldExplain: ['missing-allow-session-policy'] }],
      };
      return fakeDeps({
        diagnose: async (records, _ev, answers) => {
          sessionCalls.push({ ...answers });
          return records.map(() => (answers.sessionPolicy?.kind === 'none' ? settled : open));
        },
      });
    }
    let sessionCalls: AnswerOptions[] = [];

    it('is asked, with "I don\'t know", when settling it would change the verdict', async () => {
      sessionCalls = [];
      const s = scripted(['paste', '403', 'none', 'none', 'done']);
      const { deps } = sessionDeps({ ...denyResult(), decision: 'Allowed', causes: [], unknowns: [] });
      const out = await runAssistantFlow(s.ask, deps);
      const q = s.asked.find((a) => a.message.startsWith('Was a session policy passed'));
      expect(q?.message).toContain('could decide this request');
      expect(q?.message).toContain('--session-policy');
      expect(q?.choices).toContain("I don't know");
      expect(sessionCalls.at(-1)).toEqual({ sessionPolicy: { kind: 'none' } });
      expect(out.results[0]!.decision).toBe('Allowed');
    });

    it('is not asked when the verdict is the same whatever it holds', async () => {
      sessionCalls = [];
      const s = scripted(['paste', '403', 'none', 'done']);
      const open = {
        ...unexplainedResult(),
        unknowns: [{ path: SESSION, couldExplain: ['missing-allow-session-policy' as const] }],
      };
      const { deps } = sessionDeps(open);
      await runAssistantFlow(s.ask, deps);
      expect(s.asked.some((a) => a.message.startsWith('Was a session policy passed'))).toBe(false);
      expect(s.left).toEqual([]);
    });

    it('takes a policy file as the answer', async () => {
      sessionCalls = [];
      const s = scripted(['paste', '403', 'none', 'file', 'sp.json', 'done']);
      const { deps } = sessionDeps({ ...denyResult(), decision: 'Allowed', causes: [], unknowns: [] });
      await runAssistantFlow(s.ask, deps);
      expect(sessionCalls.at(-1)).toEqual({ sessionPolicy: { kind: 'file', path: 'sp.json' } });
    });

    it('takes the policy file as dropped on a terminal (quoted)', async () => {
      sessionCalls = [];
      const s = scripted(['paste', '403', 'none', 'file', "'/tmp/my policies/sp.json' ", 'done']);
      const { deps } = sessionDeps({ ...denyResult(), decision: 'Allowed', causes: [], unknowns: [] });
      await runAssistantFlow(s.ask, deps);
      expect(sessionCalls.at(-1)).toEqual({
        sessionPolicy: { kind: 'file', path: '/tmp/my policies/sp.json' },
      });
    });
  });
});

describe('the assistant with Terraform / CloudFormation sources (issue 18)', () => {
  const iacPatch = {
    file: 'main.tf',
    line: 12,
    tool: 'terraform' as const,
    address: 'aws_s3_bucket_policy.reports',
    diff: '--- a/main.tf\n+++ b/main.tf\n@@ -12 +12,2 @@\n+  statement {}\n',
    verified: true,
    confirmed: true,
  };
  /** Deps whose diagnose adds the IaC patch to the verified policy fix when given a folder. */
  function iacDeps(write?: (dir: string, n: number) => void) {
    const seen: (string | undefined)[] = [];
    const { deps, calls } = fakeDeps({
      diagnose: async (records, _ev, _answers, iac) => {
        seen.push(iac?.dir);
        return records.map(() => {
          const r = denyResult();
          if (iac)
            for (const f of r.causes[0]!.fixes)
              if (f.kind === 'policy-patch') f.iac = { patches: [structuredClone(iacPatch)] };
          return r;
        });
      },
      renderText: (report) =>
        `TEXT ${report.results.flatMap((r) => r.causes.flatMap((c) => c.fixes.flatMap((f) => f.iac?.patches.map((p) => p.file) ?? []))).join(',')}`,
      ...(write
        ? {
            writeIac: async (dir: string, list: { file: string }[]) => {
              write(dir, list.length);
              return list.map((p) => `Wrote ${p.file}`);
            },
          }
        : {}),
    });
    return { deps, calls, seen };
  }

  it('offers the fix as a diff of the sources: asks for the folder, diagnoses with it, shows the diff', async () => {
    const s = scripted([
      'paste',
      '... 403 AccessDenied ...',
      'snapshot',
      'snap.json',
      'iac',
      'infra',
      'done',
    ]);
    const { deps, seen } = iacDeps();
    await runAssistantFlow(s.ask, deps);
    expect(s.left).toEqual([]);
    const next = s.asked.filter((a) => a.message === 'What next?');
    expect(next[0]!.choices).toContain('Show the fix as a diff of my Terraform / CloudFormation source');
    // Once the folder is given the offer is gone.
    expect(next[1]!.choices).not.toContain('Show the fix as a diff of my Terraform / CloudFormation source');
    expect(seen.at(-1)).toBe('infra');
    expect(seen[0]).toBeUndefined();
    expect(s.said.at(-1)).toBe('TEXT main.tf');
  });

  it('no evidence, no verified policy fix: no IaC offer', async () => {
    const s = scripted(['paste', '... 403 AccessDenied ...', 'none', 'done']);
    const { deps } = iacDeps();
    await runAssistantFlow(s.ask, deps);
    const next = s.asked.find((a) => a.message === 'What next?');
    expect(next!.choices).not.toContain('Show the fix as a diff of my Terraform / CloudFormation source');
  });

  it('--iac pre-answers the folder; writing the diff asks first, shows it, and a no writes nothing', async () => {
    const writes: [string, number][] = [];
    const s = scripted(['paste', '... 403 AccessDenied ...', 'iac-write', false, 'iac-write', true, 'done']);
    const { deps, seen } = iacDeps((dir, n) => writes.push([dir, n]));
    await runAssistantFlow(s.ask, deps, { snapshot: ['snap.json'], iac: 'infra' });
    expect(s.left).toEqual([]);
    expect(seen.every((d) => d === 'infra')).toBe(true);
    expect(s.said).toContain('Nothing was changed.');
    expect(s.said.some((t) => t.includes('+  statement {}'))).toBe(true);
    expect(writes).toEqual([['infra', 1]]);
    expect(s.said).toContain('Wrote main.tf');
  });
});
