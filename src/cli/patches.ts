// Saving suggested patches to files: one JSON file per patch target, named after the target.

import { dirname, join } from 'node:path';
import type { Fix, PolicyPatch, Result } from '../model/index.js';
import { patchFileName } from '../fix/index.js';
import { writeNewFile } from './output.js';

/** The patch file content: the `after` document, which the fix's AWS CLI commands read as `file://<name>`. */
export function patchFileContent(patch: PolicyPatch): string {
  return JSON.stringify(patch.after, null, 2) + '\n';
}

/** The fixes worth saving or applying: those with a patch (not alternatives), verified ones first. */
export function patchFixes(results: Result[]): { fix: Fix; patch: PolicyPatch }[] {
  const out: { fix: Fix; patch: PolicyPatch }[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const c of r.causes) {
      for (const f of c.fixes) {
        if (f.alternative) continue;
        for (const p of [f.patch, ...(f.additionalPatches ?? [])]) {
          if (!p) continue;
          const k = JSON.stringify([p.target, p.after]);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push({ fix: f, patch: p });
        }
      }
    }
  }
  return out.sort((a, b) => Number(b.fix.verified === true) - Number(a.fix.verified === true));
}

/** `s3doctor-patch-<target>.json` (the name the fix's AWS CLI commands expect). */
export { patchFileName };

/**
 * Writes one file per patch (`file` names the file when there is exactly one; a folder otherwise,
 * default the current directory). Never overwrites unless `force`. Returns the paths written.
 */
export async function savePatches(
  items: { fix: Fix; patch: PolicyPatch }[],
  where: { file?: string; dir?: string; force?: boolean },
): Promise<string[]> {
  const written: string[] = [];
  for (const { patch } of items) {
    const dir = where.dir ?? (where.file ? dirname(where.file) : '.');
    const path = where.file && items.length === 1 ? where.file : join(dir, patchFileName(patch));
    written.push(await writeNewFile(path, patchFileContent(patch), where.force));
  }
  return written;
}
