// Every command a report prints runs as printed: the fixes' AWS CLI commands and the hints for missing
// evidence, over every example (with and without its snapshot), in text, markdown and json, are parsed
// with the real commander definitions (s3doctor) or the AWS CLI argument shapes encoded below (aws).

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshots } from '../../src/evidence/index.js';
import { buildProgram } from '../../src/cli/program.js';
import { collectHint, collectHintParts } from '../../src/cli/format/hints.js';
import { renderReport } from '../../src/cli/format/index.js';
import { diagnoseRecords, readRecords, toReport } from '../../src/api/pipeline.js';
import { shellQuote } from '../../src/fix/advice.js';
import type { Result } from '../../src/model/index.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** POSIX shell words of one printed command; throws on what would not run as printed (globs, `?`, `$`). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '$' || line[j] === '`') throw new Error(`expansion in double quotes: ${line}`);
        if (line[j] === '\\' && j + 1 < line.length) j++;
        s += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated quote in: ${line}`);
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === ' ' || c === '\t') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === '#' && cur === undefined && i > 0) {
      // A `#` that starts a word starts a comment (the account a command is for): the shell ignores the rest.
      return words;
    } else if (c === '>') {
      // A redirection ends the command's arguments (the target is the shell's).
      if (cur !== undefined) words.push(cur);
      return words;
    } else if ('?*[]{}$`;&|<()!#~'.includes(c)) {
      throw new Error(`unquoted ${c} (the shell would expand or cut it) in: ${line}`);
    } else if (c === '\\') {
      cur = (cur ?? '') + (line[i + 1] ?? '');
      i++;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

/** AWS CLI v2 argument shapes of the commands s3doctor prints: required and optional options. */
interface AwsShape {
  required: string[];
  optional?: string[];
  flags?: string[];
  positional?: number;
}
const AWS_GLOBAL = ['--query', '--output', '--profile', '--region', '--endpoint-url'];
const AWS: Record<string, AwsShape> = {
  'sts get-caller-identity': { required: [] },
  'sts assume-role': { required: ['--role-arn', '--role-session-name'] },
  'sso login': { required: [], optional: ['--sso-session'] },
  'ec2 describe-vpc-endpoints': { required: [], optional: ['--vpc-endpoint-ids'] },
  'ec2 modify-vpc-endpoint': {
    required: ['--vpc-endpoint-id'],
    optional: ['--policy-document'],
    flags: ['--reset-policy'],
  },
  'iam create-policy-version': {
    required: ['--policy-arn', '--policy-document'],
    flags: ['--set-as-default'],
  },
  'iam put-role-policy': { required: ['--role-name', '--policy-name', '--policy-document'] },
  'iam put-user-policy': { required: ['--user-name', '--policy-name', '--policy-document'] },
  'iam put-group-policy': { required: ['--group-name', '--policy-name', '--policy-document'] },
  'iam get-role-policy': { required: ['--role-name', '--policy-name'] },
  'iam get-user-policy': { required: ['--user-name', '--policy-name'] },
  'iam get-policy-version': { required: ['--policy-arn', '--version-id'] },
  'kms get-key-policy': { required: ['--key-id'], optional: ['--policy-name'] },
  'kms put-key-policy': {
    required: ['--key-id', '--policy'],
    optional: ['--policy-name'],
    flags: ['--bypass-policy-lockout-safety-check'],
  },
  'kms enable-key': { required: ['--key-id'] },
  'kms cancel-key-deletion': { required: ['--key-id'] },
  'kms describe-key': { required: ['--key-id'] },
  's3api delete-object': {
    required: ['--bucket', '--key'],
    optional: ['--version-id', '--request-payer', '--expected-bucket-owner'],
    flags: ['--bypass-governance-retention'],
  },
  's3api get-object': {
    required: ['--bucket', '--key'],
    optional: ['--version-id', '--request-payer', '--expected-bucket-owner', '--range'],
    positional: 1,
  },
  's3api head-object': {
    required: ['--bucket', '--key'],
    optional: ['--version-id', '--request-payer', '--expected-bucket-owner'],
  },
  's3api put-object': {
    required: ['--bucket', '--key'],
    optional: ['--body', '--acl', '--request-payer', '--server-side-encryption', '--ssekms-key-id'],
  },
  's3api copy-object': {
    required: ['--bucket', '--key', '--copy-source'],
    optional: ['--request-payer', '--acl', '--server-side-encryption', '--ssekms-key-id'],
  },
  's3api get-bucket-policy': { required: ['--bucket'] },
  's3api put-bucket-policy': { required: ['--bucket', '--policy'] },
  's3api get-bucket-request-payment': { required: ['--bucket'] },
  's3api put-bucket-ownership-controls': { required: ['--bucket', '--ownership-controls'] },
  's3api get-public-access-block': { required: ['--bucket'] },
  's3api put-public-access-block': { required: ['--bucket', '--public-access-block-configuration'] },
  's3api restore-object': {
    required: ['--bucket', '--key', '--restore-request'],
    optional: ['--version-id'],
  },
  's3control get-public-access-block': { required: ['--account-id'] },
  's3control get-access-point-policy': { required: ['--account-id', '--name'] },
  's3control put-access-point-policy': { required: ['--account-id', '--name', '--policy'] },
};

/** Why `argv` (after `aws`) would not run, or undefined. */
function awsProblem(argv: string[]): string | undefined {
  const name = `${argv[0]} ${argv[1]}`;
  const shape = AWS[name];
  if (!shape) return `aws ${name} is not an encoded AWS CLI command (add its shape to this test)`;
  const takes = new Set([...shape.required, ...(shape.optional ?? []), ...AWS_GLOBAL]);
  const flags = new Set(shape.flags ?? []);
  const seen = new Set<string>();
  let positionals = 0;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      if (flags.has(a) || flags.has(a.replace(/^--no-/, '--'))) continue;
      if (!takes.has(a)) return `aws ${name} has no option ${a}`;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return `aws ${name} ${a} needs a value`;
      if (v === '?' || v === '') return `aws ${name} ${a} has the placeholder "${v}"`;
      seen.add(a);
      i++;
    } else positionals++;
  }
  for (const r of shape.required) if (!seen.has(r)) return `aws ${name} is missing ${r}`;
  if (positionals !== (shape.positional ?? 0))
    return `aws ${name} takes ${shape.positional ?? 0} positional arguments`;
  return undefined;
}

/** Why `argv` (after `s3doctor`) would not parse with the real program, or undefined. */
async function s3doctorProblem(argv: string[]): Promise<string | undefined> {
  const program = buildProgram(() => undefined);
  const all: Command[] = [program];
  for (let i = 0; i < all.length; i++) all.push(...all[i]!.commands);
  for (const c of all) {
    // Leaf commands do nothing here; the parents keep their actions, which reject unknown words.
    if (c.commands.length === 0) c.action(() => undefined);
    c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  }
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--profile'),
      { from: 'user' },
    );
    return undefined;
  } catch (e) {
    return `s3doctor ${argv.join(' ')}: ${(e as Error).message}`;
  }
}

async function problemOf(command: string): Promise<string | undefined> {
  for (const line of command.split('\n')) {
    if (!/^(aws|s3doctor) /.test(line.trim())) continue;
    let words: string[];
    try {
      words = shellWords(line.trim());
    } catch (e) {
      return (e as Error).message;
    }
    const p = words[0] === 'aws' ? awsProblem(words.slice(1)) : await s3doctorProblem(words.slice(1));
    if (p) return p;
  }
  return undefined;
}

/** Every result of every example, with and without its snapshot. */
let results: Result[] = [];
const rendered: string[] = [];
beforeAll(async () => {
  for (const name of (await readdir(EXAMPLES, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const dir = join(EXAMPLES, name.name);
    const files = await readdir(dir);
    const input = files.find((f) => !/readme|snapshot|expected/i.test(f));
    if (!input) continue;
    // Folders that hold no denied request (policy tests, docs) are not report examples.
    const read = await readRecords([join(dir, input)]).catch(() => undefined);
    if (!read?.records.length) continue;
    const runs: { evidence?: Awaited<ReturnType<typeof loadSnapshots>> }[] = [{}];
    if (files.includes('snapshot.json'))
      runs.push({ evidence: await loadSnapshots([join(dir, 'snapshot.json')]) });
    for (const { evidence } of runs) {
      const r = await diagnoseRecords(
        read.records,
        evidence ? { evidence, kind: 'snapshot' } : { kind: 'none' },
      );
      results.push(...r);
      for (const format of ['text', 'markdown', 'json'] as const)
        rendered.push(
          renderReport(toReport(r, read.malformed), format, {
            colour: false,
            ...(evidence ? { evidence } : {}),
          }),
        );
    }
  }
  results = results.filter(Boolean);
}, 120000);

describe('printed commands', () => {
  it('every fix command of every example runs as printed', async () => {
    const commands = [
      ...new Set(results.flatMap((r) => r.causes.flatMap((c) => c.fixes.flatMap((f) => f.commands ?? [])))),
    ];
    expect(commands.length).toBeGreaterThan(10);
    const problems = (await Promise.all(commands.map(problemOf))).filter(Boolean);
    expect(problems).toEqual([]);
    // What the formats print is those very commands.
    for (const c of commands) expect(rendered.some((t) => t.includes(c.split('\n')[0]!))).toBe(true);
  });

  it('every hint for missing evidence of every example runs as printed', async () => {
    const paths = [...new Set(results.flatMap((r) => r.unknowns.map((u) => u.path)))];
    expect(paths.length).toBeGreaterThan(10);
    const commands = paths
      .map((p) => collectHintParts(p).command)
      .filter((c): c is string[] => c !== undefined)
      .map((c) => c.map(shellQuote).join(' '));
    expect(commands.some((c) => c.startsWith('s3doctor collect'))).toBe(true);
    const problems = (await Promise.all(commands.map(problemOf))).filter(Boolean);
    expect(problems).toEqual([]);
    for (const p of paths) {
      const line = collectHint(p);
      expect(
        rendered.some((t) => t.includes(line) || t.includes(line.replace(/\|/g, '\\|'))),
        line,
      ).toBe(true);
    }
  });

  it('hints for every kind of path: no --live on collect, no "?" placeholder, names with dots and spaces quoted', async () => {
    const paths = [
      'buckets.b.policy',
      'buckets["my.bucket"].publicAccessBlock',
      'buckets.b.requestPayer',
      'buckets.b.objects["reports/q 3.csv"]',
      'accounts.?.publicAccessBlock',
      'accounts.111122223333.publicAccessBlock',
      'accounts.?.serviceControlPolicies',
      'accounts.111122223333',
      'principals.arn:aws:iam::111122223333:role/app.permissionsBoundary',
      'principals.arn:aws:iam::111122223333:role/app.policies',
      'principals.?',
      'accessPoints.arn:aws:s3:us-east-1:111122223333:accesspoint/ap1.policy',
      'kmsKeys.arn:aws:kms:us-east-1:111122223333:key/k1.policy',
      'kmsKeys.arn:aws:kms:us-east-1:111122223333:alias/aws/s3',
      'vpcEndpoints.vpce-0abc.policy',
      'weird.path',
    ];
    for (const p of paths) {
      const line = collectHint(p);
      expect(line, p).not.toMatch(/ \?( |$)|collect[^:]*--live/);
      const parts = collectHintParts(p);
      if (parts.command) expect(await problemOf(parts.command.map(shellQuote).join(' ')), p).toBeUndefined();
    }
    expect(collectHint('buckets["my.bucket"].publicAccessBlock')).toContain(
      's3doctor collect --bucket my.bucket --out s3doctor-snapshot.json',
    );
    expect(collectHint('buckets.b.objects["reports/q 3.csv"]')).toContain("--key 'reports/q 3.csv'");
    expect(collectHint('accessPoints.arn:aws:s3:us-east-1:111122223333:accesspoint/ap1.policy')).toContain(
      'aws s3control get-access-point-policy --account-id 111122223333 --name ap1',
    );
  });

  it('the checker itself rejects what would not run', async () => {
    expect(await problemOf('s3doctor collect --bucket b --live')).toMatch(/--live|--out/);
    expect(await problemOf('aws s3control get-public-access-block --account-id ?')).toMatch(/unquoted \?/);
    expect(await problemOf("aws s3control get-public-access-block --account-id '?'")).toMatch(/placeholder/);
    expect(await problemOf('aws s3control get-access-point-policy')).toMatch(/missing --account-id/);
    expect(await problemOf('aws s3api head-object --bucket b --key my file.txt')).toMatch(/positional/);
    expect(await problemOf('s3doctor diagnos x')).toMatch(/unknown command/);
    expect(await problemOf('s3doctor collect --bucket b --out s.json')).toBeUndefined();
  });
});

describe('--help of every command', () => {
  function helps(): Map<string, string> {
    const program = buildProgram(() => undefined);
    const out = new Map<string, string>();
    const walk = (c: Command, path: string): void => {
      let text = '';
      c.configureOutput({ writeOut: (s) => void (text += s), writeErr: () => undefined });
      c.outputHelp();
      out.set(path, text);
      for (const sub of c.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
    };
    walk(program, '');
    return out;
  }

  it('shows examples that run as printed, marks required options, and its own exit codes', async () => {
    const all = helps();
    for (const cmd of [
      'diagnose',
      'triage',
      'simulate',
      'collect',
      'athena ddl',
      'athena query',
      'athena run',
      'alerts',
      'rules show',
    ]) {
      const text = all.get(cmd)!;
      const examples =
        text
          .split('Examples:\n')[1]
          ?.split('\n\n')[0]
          ?.split('\n')
          .map((l) => l.trim())
          .filter(Boolean) ?? [];
      expect(examples.length, cmd).toBeGreaterThan(0);
      for (const e of examples) expect(await problemOf(e), e).toBeUndefined();
    }
    expect(all.get('athena ddl')).toMatch(
      /--location <s3url>\s+where the logs are: s3:\/\/bucket\/prefix\/ \(required\)/,
    );
    expect(all.get('athena run')).toMatch(/--workgroup <name>\s+Athena workgroup \(required\)/);
    expect(all.get('collect')).toMatch(/--out <file>\s+the snapshot file to write \(required\)/);
    for (const cmd of ['collect', 'simulate'])
      expect(all.get(cmd), cmd).not.toContain('every denied request was explained');
    expect(all.get('simulate')).toContain('1  unknown evidence leaves the decision open');
    expect(all.get('collect')).toContain('every read was refused');
    expect(all.get('diagnose')).not.toMatch(/--yes\s+confirm --apply without asking/);
    expect(all.get('triage')).toContain('Without --snapshot or --live, triage only finds, groups and counts');
  });
});
