// Build step after tsc: bundles the CLI (dist/src/cli/run.js and the modules it imports from this package) into
// dist/src/cli/main.js and chunks in dist/src/chunks/, so a start loads a few files instead of ~180
// (each ES module costs a resolve, a read and a compile). Packages from node_modules stay imports; lazy
// `import()`s stay lazy (their own chunks). Without rolldown (npm install --omit=dev) the unbundled
// main.js that tsc wrote stays and works the same, only slower to start. The `#!` line is added.
// Chunks sit two folders below the package root, like every compiled module, so `../..`-relative lookups
// (package.json, schemas/, rules/) and `../triage/worker.js` resolve the same from either layout.
// Two chunks are made by hand: `start`, what every start loads (cli.js and its static imports: commander's
// program, for --help too), and `core`, what diagnose and simulate of one request load (rules, engine,
// authorization, policy evaluation, fixes, snapshot reading, log parsing, the formats) as one file rather than
// ~50; the rest (live collection, IaC, triage, the assistant, Athena, ...) stays in chunks of its own, loaded on use.

import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dist', 'src');
const slash = (id) => id.replaceAll('\\', '/');
const CORE =
  /\/dist\/(rules\/|src\/(model|authz|iam|s3|engine|fix|request|evidence|api|logs|cli\/format|cli\/(tty|progress|output|patches|missing-parts|evidence-source|sarif-rules|fail-on-exit|heap-budget))\b)/;
// Live collection (the AWS SDK's callers) and the library's index (which re-exports live's error classes).
const NOT_CORE = /\/dist\/src\/(evidence\/live\/|api\/index\.js$)/;

/** The files `file` imports statically (`from './x.js'`, `import './x.js'`), transitively: tsc's output only. */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:\bfrom|^import)\s+'(\.{1,2}\/[^']+\.js)'/gm))
    staticClosure(resolve(dirname(file), m[1]), seen);
  return seen;
}

/** Bundles the CLI; returns false (and changes nothing) when rolldown is not installed. */
export async function bundleCli() {
  let rolldown;
  try {
    ({ rolldown } = await import('rolldown'));
  } catch {
    return false;
  }
  const start = new Set([...staticClosure(join(src, 'cli', 'cli.js'))].map(slash));
  const bundle = await rolldown({
    // Not main.js: that is this step's output, and tsc leaves it alone when main.ts did not change.
    input: { 'cli/main': join(src, 'cli', 'run.js') },
    platform: 'node',
    // Only this package's own modules: dependencies load from node_modules as before.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    onLog(level, log, handler) {
      // A circular import between our modules is legal ES module code; rolldown keeps its order. A lazy import
      // of a module the start or core chunk holds anyway is meant (the chunks are made by hand).
      if (log.code === 'CIRCULAR_DEPENDENCY' || log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
      handler(level, log);
    },
  });
  rmSync(join(src, 'chunks'), { recursive: true, force: true });
  await bundle.write({
    dir: src,
    format: 'esm',
    banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    codeSplitting: {
      groups: [
        { name: 'start', test: (id) => start.has(slash(id)), priority: 2 },
        { name: 'core', test: (id) => CORE.test(slash(id)) && !NOT_CORE.test(slash(id)), priority: 1 },
      ],
    },
  });
  await bundle.close();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!(await bundleCli()))
    process.stderr.write('s3doctor: rolldown is not installed; the CLI stays unbundled (slower to start).\n');
}
