// Finds the source files under an --iac folder: Terraform, CloudFormation/SAM/CDK templates, Terraform state; never outside it.

import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Folders never descended into. */
const SKIP = new Set(['.git', 'node_modules', '.terraform', '.venv', '__pycache__']);
/** Largest source file read (bytes): templates and state beyond it are skipped. */
const MAX_FILE = 8 * 1024 * 1024;
/** Most files read from one folder tree. */
const MAX_FILES = 5_000;

/** A source file found under the folder. */
export interface SourceFile {
  /** Path relative to the folder, with `/` separators. */
  rel: string;
  abs: string;
  /** `text`: a Terraform template file (`.tftpl`, `.tpl`) templatefile() may read. */
  kind: 'terraform' | 'tfvars' | 'template' | 'state' | 'text';
  text: string;
}

/** Whether `child` (absolute, resolved) lies inside `root` (absolute, resolved). */
export function inside(root: string, child: string): boolean {
  const r = relative(root, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}

function kindOf(name: string): SourceFile['kind'] | undefined {
  if (name.endsWith('.tf')) return 'terraform';
  if (name.endsWith('.tfvars')) return 'tfvars';
  if (name.endsWith('.tfstate') || name === 'terraform-show.json' || name.endsWith('.tfstate.json'))
    return 'state';
  if (/\.(ya?ml|json|template)$/i.test(name)) return 'template';
  if (/\.(tftpl|tpl)$/i.test(name)) return 'text';
  return undefined;
}

/**
 * Every Terraform file, state file and candidate template under `dir` (symbolic links are not
 * followed; `.git`, `node_modules`, `.terraform` skipped). JSON and YAML files are candidates: the
 * template reader keeps those that hold CloudFormation `Resources` (or Terraform state).
 */
export async function discover(dir: string): Promise<{ root: string; files: SourceFile[] }> {
  const root = await realpath(dir);
  const files: SourceFile[] = [];
  const walk = async (abs: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files.length >= MAX_FILES) return;
      const p = join(abs, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) await walk(p);
        continue;
      }
      if (!e.isFile()) continue;
      const kind = kindOf(e.name);
      if (
        !kind ||
        e.name === 'package.json' ||
        e.name === 'package-lock.json' ||
        e.name.startsWith('tsconfig')
      )
        continue;
      const st = await lstat(p);
      if (st.size > MAX_FILE) continue;
      files.push({
        rel: relative(root, p).split(sep).join('/'),
        abs: p,
        kind,
        text: await readFile(p, 'utf8'),
      });
    }
  };
  await walk(root);
  return { root, files };
}
