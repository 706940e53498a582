// Build step after tsc: keeps only the declaration files the package's typed entry points reach
// (dist/src/api/index.d.ts and dist/src/lambda/handler.d.ts, following their relative imports), and
// deletes the others (the CLI's and the rules' internals): a fifth of the installed package's files
// that no consumer's compiler ever reads.

import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** The typed entry points of package.json's `exports`. */
export const ENTRY_DECLARATIONS = ['src/api/index.d.ts', 'src/lambda/handler.d.ts'];

/** Every .d.ts under `dir`. */
function declarations(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...declarations(p));
    else if (e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The declaration files reachable from the entry points through relative `from '...'` and `import('...')`. */
export function reachableDeclarations(distDir = dist) {
  const seen = new Set();
  const stack = ENTRY_DECLARATIONS.map((p) => join(distDir, p));
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g))
      stack.push(resolve(dirname(file), m[1].replace(/\.js$/, '.d.ts')));
  }
  return seen;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!ENTRY_DECLARATIONS.every((p) => existsSync(join(dist, p)))) {
    process.stderr.write('s3doctor: no declarations to prune (build first).\n');
    process.exit(0);
  }
  const keep = reachableDeclarations();
  for (const f of declarations(dist)) if (!keep.has(f)) rmSync(f);
}
