// Saving suggested patches to files: one JSON file per patch target, named after the target.

import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Fix, PolicyPatch, Result } from '../model/index.js';
import { patchFileName } from '../fix/index.js';
import { writeNewFile } from './output.js';

/** The patch file content: the `after` document, which the fix's AWS CLI commands read as `file://<name>`. */
export function patchFileContent(patch: PolicyPatch): string {
  return JSON.stringify(patch.after, null, 2) + '\n';
}

/**
 * The fixes worth saving or applying: those with a patch (not alternatives), verified ones first.
 * One per target document: a later patch of the same document replaces an earlier one (diagnose
 * merges the fixes of one document, so the later carries the earlier's statements; fix/merge.ts)
 * unless only the earlier is verified.
 */
export function patchFixes(results: Result[]): { fix: Fix; patch: PolicyPatch }[] {
  const out: { fix: Fix; patch: PolicyPatch }[] = [];
  const byTarget = new Map<string, number>();
  for (const r of results) {
    for (const c of r.causes) {
      for (const f of c.fixes) {
        if (f.alternative) continue;
        for (const p of [f.patch, ...(f.additionalPatches ?? [])]) {
          if (!p) continue;
          const { type, id, name, group } = p.target;
          const k = JSON.stringify([type, id, name ?? null, group ?? null]);
          const at = byTarget.get(k);
          if (at === undefined) {
            byTarget.set(k, out.length);
            out.push({ fix: f, patch: p });
          } else if (f.verified === true || out[at]!.fix.verified !== true) out[at] = { fix: f, patch: p };
        }
      }
    }
  }
  return out.sort((a, b) => Number(b.fix.verified === true) - Number(a.fix.verified === true));
}

/** `s3doctor-patch-<target>.json` (the name the fix's AWS CLI commands expect). */
export { patchFileName };

/**
 * Writes one file per patch. `file` with one patch is that file; with several, a `file` that is a
 * folder (exists, or ends in `/`) holds them under their default names (those the printed AWS CLI
 * commands read), else they are `file` with `-1`, `-2`, ... before its extension, in the order given.
 * Without `file`, the default names in `dir` (the current directory). Two patches that would share a
 * default name get `-2`, `-3`, ... Never overwrites unless `force`. Returns the paths written.
 */
export async function savePatches(
  items: { fix: Fix; patch: PolicyPatch }[],
  where: { file?: string; dir?: string; force?: boolean },
): Promise<string[]> {
  const { file } = where;
  const intoFolder =
    file !== undefined && items.length > 1 && (/[/\\]$/.test(file) || (await isFolder(file)));
  const dir = intoFolder ? file : (where.dir ?? '.');
  const used = new Set<string>();
  const written: string[] = [];
  for (const [i, { patch }] of items.entries()) {
    let path: string;
    if (file !== undefined && !intoFolder) {
      const ext = extname(file);
      path = items.length === 1 ? file : `${file.slice(0, file.length - ext.length)}-${i + 1}${ext}`;
    } else {
      const name = patchFileName(patch);
      path = join(dir, name);
      for (let n = 2; used.has(path); n++) path = join(dir, name.replace(/\.json$/, `-${n}.json`));
    }
    used.add(path);
    written.push(await writeNewFile(path, patchFileContent(patch), where.force));
  }
  return written;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
