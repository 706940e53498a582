// --write: applies IaC diffs to the files, only when confirmed, in a clean git work tree, inside the folder, with a backup.

import { execFile } from 'node:child_process';
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { applyPatch } from 'diff';
import type { IacPatch } from '../model/iac.js';
import { inside } from './discover.js';

/** Options of `writeIacPatches`. */
export interface WriteOptions {
  /** Where the backups go (default: `<root>/.s3doctor-backup`). */
  backupDir?: string;
  /** Runs git (tests substitute nothing; the real git is used). */
  git?: string;
}

/** What `writeIacPatches` did with each patch. */
export interface WriteResult {
  file: string;
  written: boolean;
  backup?: string;
  /** Why not written. */
  why?: string;
}

/** Thrown when the folder is not a clean git work tree. */
export class IacWriteError extends Error {}

/**
 * Applies each patch's diff to its file under `root`: refused unless `root` is inside a git work
 * tree with no uncommitted change; each file must resolve inside `root`, still read as it did, and
 * take the diff cleanly (several diffs of one file: in turn); the previous text is copied to the backup
 * folder first.
 */
export async function writeIacPatches(
  root: string,
  patches: IacPatch[],
  opts: WriteOptions = {},
): Promise<WriteResult[]> {
  const real = await realpath(root);
  const git = opts.git ?? 'git';
  const run = promisify(execFile);
  let status: string;
  try {
    status = (await run(git, ['-C', real, 'status', '--porcelain', '--untracked-files=no', '--', '.']))
      .stdout;
  } catch {
    throw new IacWriteError(
      `${root} is not inside a git work tree: --write changes files only under git, so the change can be reviewed and undone.`,
    );
  }
  if (status.trim() !== '')
    throw new IacWriteError(
      `${root} has uncommitted changes: commit or stash them first, so --write's change can be reviewed on its own.`,
    );
  const backupDir = resolve(opts.backupDir ?? join(real, '.s3doctor-backup'));
  const out: WriteResult[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // Patches of one file (the documents of one fix in the same file) are applied in turn to its text.
  const byFile = new Map<string, IacPatch[]>();
  for (const p of patches) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  for (const [file, list] of byFile) {
    const abs = resolve(real, file);
    let target: string;
    try {
      target = await realpath(abs);
    } catch {
      out.push({ file, written: false, why: 'the file is gone' });
      continue;
    }
    if (!inside(real, target) || target !== abs) {
      out.push({
        file,
        written: false,
        why: 'the file resolves outside the --iac folder (or through a link)',
      });
      continue;
    }
    const text = await readFile(target, 'utf8');
    let next: string | false = text;
    for (const p of list) next = next === false ? false : applyPatch(next, p.diff);
    if (next === false) {
      out.push({
        file,
        written: false,
        why:
          list.length > 1
            ? 'the diffs of this file do not apply together (or the file changed since it was read): apply one, run again'
            : 'the file changed since it was read: the diff no longer applies',
      });
      continue;
    }
    await mkdir(backupDir, { recursive: true });
    const backup = join(backupDir, `${file.replace(/[/\\]/g, '__')}.${stamp}.bak`);
    await writeFile(backup, text, { flag: 'wx' });
    const tmp = join(dirname(target), `.${stamp}.s3doctor.tmp`);
    await writeFile(tmp, next, { flag: 'wx' });
    await rename(tmp, target);
    out.push({ file, written: true, backup });
  }
  return out;
}
