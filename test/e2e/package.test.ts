// End-to-end: the npm package as users get it. Packs the built tree, installs the tarball globally into a
// temporary prefix (production dependencies only) and runs the installed `s3doctor` binary.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  NODE,
  ROOT,
  assertBuilt,
  baseEnv,
  fakeAwsEnv,
  startFake,
  type RunResult,
} from './helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const EXAMPLES = join(ROOT, 'examples');
const scenarios = readdirSync(EXAMPLES)
  .filter((n) => statSync(join(EXAMPLES, n)).isDirectory() && existsSync(join(EXAMPLES, n, 'expected.json')))
  .sort();

let tmp = '';
let tarball = '';
let files: string[] = [];
/** The installed package folder and its binary. */
let installed = '';
let bin = '';

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, {
    cwd,
    env: { ...baseEnv(), npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs the installed binary (through its shebang, as a shell would) from a folder outside the repo. */
function run(args: string[], cwd = tmp, env: Record<string, string> = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

beforeAll(() => {
  assertBuilt();
  return (async () => {
    tmp = await mkdtemp(join(tmpdir(), 's3d-pack-'));
    // npm test has just built dist/; prepack (the build) is checked below instead of run twice.
    const [info] = JSON.parse(
      npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(tmp, info!.filename);
    files = info!.files.map((f) => f.path);
    npm(
      [
        'install',
        '-g',
        '--prefix',
        join(tmp, 'prefix'),
        tarball,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      tmp,
    );
    installed = join(tmp, 'prefix', 'lib', 'node_modules', 's3doctor');
    bin = join(tmp, 'prefix', 'bin', 's3doctor');
  })();
}, 600_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('builds in prepack and ships the build, the rule docs and the examples, not build state or rule sources', () => {
    expect(pkg.scripts.prepack).toMatch(/\bnpm run build\b/);
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('package.json');
    expect(files).toContain('schemas/snapshot.schema.json');
    expect(files.some((f) => /^rules\/.+\.md$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith('examples/') && f.endsWith('expected.json'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);
    // Declarations ship for the typed entry points only (scripts/prune-declarations.mjs): not the CLI's or the rules'.
    expect(files).toContain('dist/src/api/index.d.ts');
    expect(files).toContain('dist/src/lambda/handler.d.ts');
    expect(files.filter((f) => /^dist\/(src\/cli|rules)\/.*\.d\.ts$/.test(f))).toEqual([]);
  });

  it('installs production dependencies only', () => {
    for (const dev of Object.keys(pkg.devDependencies))
      expect(existsSync(join(installed, 'node_modules', dev)), dev).toBe(false);
    for (const dep of Object.keys(pkg.dependencies))
      expect(existsSync(join(installed, 'node_modules', dep)), dep).toBe(true);
  });
});

describe('the installed binary', () => {
  it('--version prints package.json version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['diagnose', 'triage', 'simulate', 'collect', 'rules']) expect(r.stdout).toContain(c);
  });

  it.each(scenarios)('diagnoses the shipped example %s as expected.json says', async (name) => {
    const dir = join(installed, 'examples', name);
    const input = readdirSync(dir)
      .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
      .sort()[0]!;
    // From the package folder, so the `source` fields read examples/... as in expected.json.
    const r = await run(
      [
        'diagnose',
        `examples/${name}/${input}`,
        '--snapshot',
        `examples/${name}/snapshot.json`,
        '--format',
        'json',
      ],
      installed,
    );
    expect(r.code, r.stderr).not.toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')));
  });

  it('triages a log and diagnoses each group with a snapshot', async () => {
    const r = await run([
      'triage',
      join(FIXTURES, 'access.log'),
      '--snapshot',
      join(FIXTURES, 'snapshot.json'),
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scanned).toMatchObject({ files: 1, denied: 2 });
    expect(j.groups[0].diagnosis.causes[0].code).toBe('explicit-deny-bucket-policy');
  });

  it('rules show prints the rule doc shipped as markdown', async () => {
    const md = files.find((f) => /^rules\/.+\.md$/.test(f))!;
    const id = relative('rules', md).replace(/\.md$/, '');
    const r = await run(['rules', 'show', id, '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    const body = readFileSync(join(ROOT, md), 'utf8').split('\n').slice(5).join('\n').trim().split('\n')[0]!;
    expect(body.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(body);
  });
});

describe('the optional AWS SDK clients', () => {
  const OPTIONAL = ['ec2', 'organizations', 's3-control', 'cloudtrail', 'athena', 'sns'].map(
    (s) => `@aws-sdk/client-${s}`,
  );

  it('are optional peer dependencies, not installed; every other SDK client is pinned to one version', () => {
    const p = pkg as typeof pkg & {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const name of OPTIONAL) {
      expect(existsSync(join(installed, 'node_modules', name)), name).toBe(false);
      expect(p.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(p.dependencies[name], name).toBeUndefined();
    }
    const versions = new Set(
      Object.entries({ ...p.dependencies, ...p.devDependencies })
        .filter(([n]) => n.startsWith('@aws-sdk/client-'))
        .map(([, v]) => v),
    );
    expect([...versions]).toHaveLength(1);
    expect([...versions][0]).toMatch(/^\d+\.\d+\.\d+$/);
    for (const name of OPTIONAL) expect(p.peerDependencies[name]).toBe(`^${[...versions][0]}`);
  });

  it('athena run without @aws-sdk/client-athena: one line naming the npm command, exit 2, no AWS call', async () => {
    const fake = await startFake({});
    try {
      const r = await run(
        ['athena', 'run', '--live', '--workgroup', 'primary', '--since', '24h'],
        tmp,
        fakeAwsEnv(fake.url),
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('npm install -g @aws-sdk/client-athena');
      expect(fake.calls).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('collect without them leaves VPC endpoint, SCP and account Block Public Access evidence unknown with notes naming the npm command', async () => {
    const fake = await startFake({
      caller: {
        userId: 'AROAFAKE:dev',
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev',
      },
      buckets: { 'vendor-feeds': { ownership: 'BucketOwnerEnforced' } },
    });
    try {
      const out = join(tmp, 'vpce-snapshot.json');
      const r = await run(
        ['collect', 'examples/vpc-endpoint-policy/event.json', '--out', out],
        installed,
        fakeAwsEnv(fake.url),
      );
      expect(r.code, r.stderr).toBe(0);
      const snap = JSON.parse(readFileSync(out, 'utf8')) as { notes: { path: string; reason: string }[] };
      const note = snap.notes.find((n) => n.path.startsWith('vpcEndpoints.'));
      expect(note?.reason).toContain('npm install -g @aws-sdk/client-ec2');
      const scp = snap.notes.find((n) => n.path.endsWith('.serviceControlPolicies'));
      expect(scp?.reason).toContain('npm install -g @aws-sdk/client-organizations');
      const bpa = snap.notes.find((n) => /^accounts\..+\.publicAccessBlock$/.test(n.path));
      expect(bpa?.reason).toContain('npm install -g @aws-sdk/client-s3-control');
      expect(
        fake.calls.some(
          (c) => c.service === 'ec2' || c.service === 'organizations' || c.service === 's3control',
        ),
      ).toBe(false);
    } finally {
      await fake.close();
    }
  }, 60_000);
});

describe('the library API, imported from a separate project', () => {
  /** A project whose node_modules/s3doctor is the installed package (one install serves every test). */
  async function consumer(): Promise<string> {
    const proj = join(tmp, 'consumer');
    if (existsSync(proj)) return proj;
    await mkdir(join(proj, 'node_modules'), { recursive: true });
    await symlink(installed, join(proj, 'node_modules', 's3doctor'), 'dir');
    await writeFile(
      join(proj, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    return proj;
  }

  it('plain Node: loadSnapshot + diagnose give the result document of the CLI, simulate and triage too', async () => {
    const proj = await consumer();
    await writeFile(
      join(proj, 'run.mjs'),
      [
        "import { collect, diagnose, loadSnapshot, simulate, triage } from 's3doctor';",
        'const [dir, log, logSnapshot] = process.argv.slice(2);',
        'const evidence = await loadSnapshot(`${dir}/snapshot.json`);',
        'const report = await diagnose(`${dir}/event.json`, { evidence });',
        '// A result names its request in the simulate request shape, so it can be evaluated again.',
        'const evaluation = await simulate(report.results[0].request, evidence);',
        'const t = await triage(log, { evidence: await loadSnapshot(logSnapshot), workers: 1 });',
        'process.stdout.write(JSON.stringify({ report, decision: evaluation.decision, groups: t.groups.length, collect: typeof collect }));',
      ].join('\n'),
    );
    const r = spawnSync(
      NODE,
      [
        join(proj, 'run.mjs'),
        'examples/missing-identity-allow',
        join(FIXTURES, 'access.log'),
        join(FIXTURES, 'snapshot.json'),
      ],
      { cwd: installed, env: baseEnv(), encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    const expected = JSON.parse(
      readFileSync(join(installed, 'examples', 'missing-identity-allow', 'expected.json'), 'utf8'),
    );
    expect(out.report).toMatchObject(expected);
    expect(out.decision).toBe(expected.results[0].decision);
    expect(out.groups).toBeGreaterThan(0);
    expect(out.collect).toBe('function');
  });

  it('TypeScript: the package types resolve through exports (a wrong type is an error)', async () => {
    const proj = await consumer();
    await writeFile(
      join(proj, 'main.ts'),
      [
        "import { diagnose, loadSnapshot, type Report, type Evidence } from 's3doctor';",
        "const evidence: Evidence = await loadSnapshot('snapshot.json');",
        "const report: Report = await diagnose({ text: 'An error occurred (AccessDenied)' }, { evidence });",
        'export const n: number = report.results.length;',
        '// @ts-expect-error schemaVersion is a number, so the types are real (not any)',
        'export const s: string = report.schemaVersion;',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(proj, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['main.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', proj], { cwd: proj, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 120_000);
});

describe('npm start in a clone', () => {
  it('does not compile again when no source changed since the build', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], {
      cwd: ROOT,
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('compiling');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
