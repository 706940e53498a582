// `npm start`'s build step: runs tsc only when a source is newer than the last build, so a start
// with unchanged sources costs milliseconds instead of a full compile.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Written by tsc (incremental) and touched after each build here: the time of the last build. */
const stamp = join(root, 'dist', '.tsbuildinfo');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');

/** The newest modification time (ms) of the files under `dir`, 0 when it does not exist. */
function newest(dir) {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newest(p));
    else if (e.isFile()) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/** True when dist is missing or older than any compiled input. */
export function isStale() {
  if (!existsSync(entry) || !existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'rules')),
    statSync(join(root, 'tsconfig.json')).mtimeMs,
  );
  return inputs > built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (isStale()) {
    let tsc;
    try {
      tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    } catch {
      process.stderr.write(
        existsSync(entry)
          ? 's3doctor: the sources changed since the last build, but TypeScript is not installed (npm install --omit=dev leaves it out); starting the old build. Run npm install to rebuild.\n'
          : 's3doctor: there is no build yet and TypeScript is not installed (npm install --omit=dev leaves it out). Run npm install (with the development dependencies), then npm start; or install the package: npm pack, then npm install -g ./s3doctor-*.tgz.\n',
      );
      process.exit(existsSync(entry) ? 0 : 2);
    }
    process.stderr.write('s3doctor: sources changed since the last build; compiling (tsc)...\n');
    const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 2);
    const { bundleCli } = await import('./bundle-cli.mjs');
    await bundleCli();
    const now = new Date();
    utimesSync(stamp, now, now);
  }
}
