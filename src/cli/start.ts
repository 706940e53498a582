// `npm start`: the assistant on a terminal; otherwise the diagnosis of the bundled default example.

import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The example folder `npm start` diagnoses: the one whose README says it is the default, else `examples/default/`. */
export async function defaultExample(examplesDir = join(root, 'examples')): Promise<string | undefined> {
  let names: string[] = [];
  try {
    names = (await readdir(examplesDir)).sort();
  } catch {
    return undefined;
  }
  for (const n of names) {
    try {
      const readme = await readFile(join(examplesDir, n, 'README.md'), 'utf8');
      if (/\b(bundled )?default example\b|\bthis is the default\b/i.test(readme)) return join(examplesDir, n);
    } catch {
      // Not a scenario folder.
    }
  }
  const fallback = join(examplesDir, 'default');
  try {
    if ((await stat(fallback)).isDirectory()) return fallback;
  } catch {
    // No default.
  }
  return undefined;
}

/** The input file of a scenario folder: anything but the snapshot, the expected output and the README. */
export async function exampleInput(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir))
    .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
    .sort();
  const preferred = files.find((f) => /^input/i.test(f)) ?? files[0];
  return preferred ? join(dir, preferred) : undefined;
}

async function run(): Promise<void> {
  const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.env.CI;
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  const args: string[] = [];
  if (!interactive) {
    const dir = await defaultExample();
    const input = dir ? await exampleInput(dir) : undefined;
    if (!dir || !input) {
      process.stderr.write(
        's3doctor: no bundled example found under examples/ (run s3doctor diagnose INPUT instead).\n',
      );
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `Diagnosing the bundled example ${dir.slice(root.length + 1)} (no terminal here, so no assistant):\n`,
    );
    args.push('diagnose', input, '--snapshot', join(dir, 'snapshot.json'));
  }
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [main, ...args], { stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    // A child ended by Ctrl-C (SIGINT) is a cancel: 130, as the shell reports it; another signal is a failure.
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 2);
  });
}

await run();
