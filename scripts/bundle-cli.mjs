// Build step after tsc: bundles the CLI (dist/src/cli/cli.js and the modules it imports from this package) into
// dist/src/cli/main.js and shared chunks in dist/src/chunks/, so a start loads a few files instead of ~180
// (each ES module costs a resolve, a read and a compile). Packages from node_modules stay imports; lazy
// `import()`s stay lazy (their own chunks). Without rolldown (npm install --omit=dev) the unbundled
// main.js that tsc wrote stays and works the same, only slower to start.
// Chunks sit two folders below the package root, like every compiled module, so `../..`-relative lookups
// (package.json, schemas/, rules/) and `../triage/worker.js` resolve the same from either layout.

import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dist', 'src');
const CORE =
  /\/dist\/(rules\/|src\/(model|authz|iam|s3|engine|fix|request|evidence|api|logs|cli\/format|cli\/(tty|progress|output|patches|missing-parts|evidence-source|sarif-rules|fail-on-exit|heap-budget))\b)/;
const NOT_CORE = /\/dist\/src\/evidence\/live\//;

/** Bundles the CLI; returns false (and changes nothing) when rolldown is not installed. */
export async function bundleCli() {
  let rolldown;
  try {
    ({ rolldown } = await import('rolldown'));
  } catch {
    return false;
  }
  const bundle = await rolldown({
    input: { 'cli/main': join(src, 'cli', 'cli.js') },
    platform: 'node',
    // Only this package's own modules: dependencies load from node_modules as before.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    onLog(level, log, handler) {
      // A circular import between our modules is legal ES module code; rolldown keeps its order.
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
    codeSplitting: {
      groups: [
        // What every start loads (the static imports of cli.js), apart from the entry: cli.js awaits the
        // command at its top level, so a chunk that core imports must not hold it (the import would wait forever).
        { name: 'start', tags: ['$initial'], test: (id) => !/[\\/]cli[\\/]cli\.js$/.test(id), priority: 2 },
        {
          name: 'core',
          test: (id) => CORE.test(id.replaceAll('\\', '/')) && !NOT_CORE.test(id.replaceAll('\\', '/')),
          priority: 1,
        },
      ],
    },
    chunkFileNames: 'chunks/[name]-[hash].js',
  });
  await bundle.close();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!(await bundleCli()))
    process.stderr.write('s3doctor: rolldown is not installed; the CLI stays unbundled (slower to start).\n');
}
