// Sources cite AWS pages, not the team's domain notes (they are not in this repository).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
/** A citation of a note that is not in the repository; built so this file does not match itself. */
const OUTSIDE = new RegExp(['DOMAIN', '-(?:AUTHZ|LOGS)'].join(''));

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (/\.(?:ts|mts|mjs|js|md|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('citations', () => {
  it('no source, rule, test or script cites a note outside the repository', async () => {
    const found: string[] = [];
    for (const dir of ['src', 'rules', 'test', 'scripts', 'docs'])
      for (const f of await files(join(ROOT, dir)))
        for (const [i, line] of (await readFile(f, 'utf8')).split('\n').entries())
          if (OUTSIDE.test(line)) found.push(`${f.slice(ROOT.length + 1)}:${i + 1}`);
    expect(found).toEqual([]);
  });
});
