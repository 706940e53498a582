// Public API of iac/: turn a verified policy fix into a diff of the Terraform or CloudFormation source that defines the policy.

import { readFile } from 'node:fs/promises';
import { structuredPatch, createTwoFilesPatch } from 'diff';
import type { Cause, Fix, PolicyPatch } from '../model/cause.js';
import type { Evidence } from '../model/evidence.js';
import type { S3Request } from '../model/request.js';
import { verifyFix } from '../fix/verify.js';
import { addStateDocument, emptyContext, type IacContext } from './context.js';
import { discover, type SourceFile } from './discover.js';
import { matchTarget } from './match.js';
import { canonical, planOps, statementList } from './plan.js';
import { readSources, type SourceSet } from './sources.js';
import type { IacFix, IacPatch, PolicyHome, PolicySite, Resolved } from './types.js';

export type * from './types.js';
export { addStateDocument, emptyContext, type IacContext } from './context.js';
export { discover, inside } from './discover.js';
export { writableIacPatches } from './choose.js';
export { writeIacPatches, IacWriteError, type WriteOptions, type WriteResult } from './write.js';
export { addLiveStacks, type LiveStackOptions } from './live.js';

/** The sources under an --iac folder, read once per run. */
export interface IacIndex {
  root: string;
  files: SourceFile[];
  base: IacContext;
  /** Located documents for an account and region (memoised). */
  sourcesFor(account: string | undefined, region: string | undefined): SourceSet;
  /** Adds state or stack documents (as `--iac-state` files hold them) read after loading: the stacks read live. */
  addStateDocuments(docs: unknown[]): void;
}

/** Options of `loadIac`. */
export interface LoadIacOptions {
  /** Extra state or stack documents (`terraform show -json`, describe-stack-resources, describe-stacks, list-exports). */
  stateFiles?: string[];
}

/** Reads the folder: sources, and any terraform.tfstate / state JSON inside it, plus `stateFiles`. */
export async function loadIac(dir: string, opts: LoadIacOptions = {}): Promise<IacIndex> {
  const { root, files } = await discover(dir);
  const base = emptyContext();
  for (const f of files)
    if (
      f.kind === 'state' ||
      (f.kind === 'template' &&
        f.rel.endsWith('.json') &&
        /"(StackResources|resources|Exports)"/.test(f.text))
    ) {
      try {
        addStateDocument(base, JSON.parse(f.text));
      } catch {
        // not JSON: not a state document
      }
    }
  for (const p of opts.stateFiles ?? []) addStateDocument(base, JSON.parse(await readFile(p, 'utf8')));
  const memo = new Map<string, SourceSet>();
  return {
    root,
    files,
    base,
    sourcesFor(account, region) {
      const key = `${account ?? ''}|${region ?? ''}`;
      let s = memo.get(key);
      if (!s) {
        s = readSources(files, { ...base, ...(account ? { account } : {}), ...(region ? { region } : {}) });
        memo.set(key, s);
      }
      return s;
    },
    addStateDocuments(docs) {
      for (const d of docs) addStateDocument(base, d);
      memo.clear();
    },
  };
}

/** The account of an ARN (5th field), if any. */
function accountOf(arn: string): string | undefined {
  const a = arn.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : undefined;
}

function regionFor(patch: PolicyPatch, evidence: Evidence, req: S3Request): string | undefined {
  const r = patch.target.id.split(':')[3];
  if (r) return r;
  const bucket = evidence.buckets[patch.target.id] ?? Object.values(evidence.buckets)[0];
  const requested = req.authorizations[0]?.context['aws:RequestedRegion'];
  return bucket?.region ?? (typeof requested === 'string' ? requested : undefined);
}

function firstChangedLine(oldText: string, newText: string): number {
  const p = structuredPatch('a', 'b', oldText, newText, '', '', { context: 0 });
  const h = p.hunks[0];
  if (!h) return 1;
  return Math.max(1, h.newStart);
}

function docOf(site: PolicySite): { doc: Record<string, unknown>; unresolved: string[] } {
  return {
    doc: { ...site.header, Statement: site.statements.map((s) => s.value) },
    unresolved: [...new Set(site.statements.flatMap((s) => s.unresolved))],
  };
}

/**
 * The document the edited source deploys, for re-evaluation: the source's own document when every
 * value resolves; otherwise the live `before` with the statements the edit added and removed (the
 * values it cannot settle are named as unresolved).
 */
function deployedDoc(
  before: PolicyPatch['before'],
  oldStatements: Resolved[],
  edited: PolicySite,
): { doc: Record<string, unknown>; unresolved: string[]; fromLive: boolean } {
  const { doc, unresolved } = docOf(edited);
  if (unresolved.length === 0) return { doc, unresolved, fromLive: false };
  const oc = oldStatements.map((s) => canonical(s.value));
  const nc = edited.statements.map((s) => canonical(s.value));
  const removed = new Set(oc.filter((c) => !nc.includes(c)));
  const added = edited.statements.filter((_, i) => !oc.includes(nc[i]!)).map((s) => s.value);
  const base = (before ?? { Version: '2012-10-17', Statement: [] }) as Record<string, unknown>;
  const kept = statementList(base).filter((s) => !removed.has(canonical(s)));
  return { doc: { ...base, Statement: [...kept, ...added] }, unresolved, fromLive: true };
}

/** Options of `iacFix`. */
export interface IacFixOptions {
  /** Skip the probe set (blast radius). */
  skipBlastRadius?: boolean;
}

/**
 * The IaC side of a verified policy fix: for each document the fix changes (`patch` and every
 * `additionalPatches` entry) and each source that defines it (or where a new one goes), the file's
 * unified diff in its own style, then the edited file parsed back, the document extracted and the
 * request re-evaluated with the fix's other documents as patched (`verifyFix`, blast radius as for
 * the JSON patch). Undefined for fixes that change no policy document.
 */
export function iacFix(
  fix: Fix,
  cause: Pick<Cause, 'code'>,
  req: S3Request,
  evidence: Evidence,
  index: IacIndex,
  opts: IacFixOptions = {},
): IacFix | undefined {
  if (fix.kind !== 'policy-patch' || !fix.patch || !fix.verified) return undefined;
  const all = [fix.patch, ...(fix.additionalPatches ?? [])];
  if (all.some((p) => p.beforeUnknown)) return undefined;
  const several = all.length > 1;
  /** The fix with document `i` as `after` (the others as the fix patches them). */
  const withAfter = (i: number, after: Record<string, unknown>): Fix => {
    const ps = all.map((p, j) => (j === i ? { ...p, after: after as PolicyPatch['after'] } : p));
    return { ...fix, patch: ps[0]!, ...(fix.additionalPatches ? { additionalPatches: ps.slice(1) } : {}) };
  };
  const patches: IacPatch[] = [];
  const unmatched: string[] = [];
  const unmatchedDocuments: { document: string; why: string }[] = [];
  all.forEach((patch, i) => {
    const r = documentPatches(patch, (after) => withAfter(i, after), cause, req, evidence, index, opts);
    const label = several ? `${targetLabel(patch)}: ` : '';
    if ('why' in r) {
      unmatched.push(`${label}${r.why}`);
      if (several) unmatchedDocuments.push({ document: patch.target.id, why: r.why });
    } else patches.push(...r.patches.map((p) => (several ? { ...p, document: patch.target.id } : p)));
  });
  if (unmatched.length === 0) return { patches };
  return {
    patches,
    unmatched: `${unmatched.join('; ')}; the JSON patch above is the fix`,
    ...(unmatchedDocuments.length ? { unmatchedDocuments } : {}),
  };
}

function targetLabel(p: PolicyPatch): string {
  return `${p.target.type.replace(/-/g, ' ')} of ${p.target.id}${p.target.name ? ` (${p.target.name})` : ''}`;
}

/** The diffs of one document of a fix, or why no source defines it. */
function documentPatches(
  patch: PolicyPatch,
  fixWith: (after: Record<string, unknown>) => Fix,
  cause: Pick<Cause, 'code'>,
  req: S3Request,
  evidence: Evidence,
  index: IacIndex,
  opts: IacFixOptions,
): { patches: IacPatch[] } | { why: string } {
  // The account the document's source is deployed in: the target's own (ARN, or the bucket's owner), else the caller's.
  const account =
    accountOf(patch.target.id) ??
    (patch.target.type === 'bucket-policy' ? evidence.buckets[patch.target.id]?.accountId : undefined) ??
    ('accountId' in req.principal ? req.principal.accountId : undefined) ??
    req.authorizations[0]?.resourceAccount;
  const region = regionFor(patch, evidence, req);
  const set = index.sourcesFor(account, region);
  const m = matchTarget(patch, set.sites, set.homes);
  if (m.why) return { why: m.why };
  const texts = new Map(index.files.map((f) => [f.rel, f.text] as const));
  const patches: IacPatch[] = [];
  const reread = (file: string, text: string): SourceSet =>
    readSources(
      index.files.map((f) => (f.rel === file ? { ...f, text } : f)),
      { ...index.base, ...(account ? { account } : {}), ...(region ? { region } : {}) },
    );
  const finish = (
    where: { file: string; tool: IacPatch['tool']; address: string; constructPath?: string },
    editFile: string,
    newText: string,
    find: (s: SourceSet) => PolicySite | undefined,
    oldStatements: Resolved[],
    confirmed: boolean,
    notes: string[],
  ): IacPatch => {
    const oldText = texts.get(editFile) ?? '';
    const diff = createTwoFilesPatch(`a/${editFile}`, `b/${editFile}`, oldText, newText, '', '', {
      context: 3,
    });
    const after = reread(editFile, newText);
    const edited = find(after);
    const base: IacPatch = {
      file: editFile,
      line: firstChangedLine(oldText, newText),
      tool: where.tool,
      address: where.address,
      ...(where.constructPath ? { constructPath: where.constructPath } : {}),
      diff,
      verified: false,
      confirmed,
    };
    if (after.broken.some((b) => b.file === editFile) || !edited) {
      return {
        ...base,
        notes: [...notes, 'The edited file does not parse back to the policy: not verified.'],
      };
    }
    const dep = deployedDoc(patch.before, oldStatements, edited);
    if (dep.fromLive)
      notes.push('Values the source cannot settle were taken from the live policy for re-evaluation.');
    const v = verifyFix(fixWith(dep.doc), req, evidence, [cause.code], opts);
    return {
      ...base,
      verified: v.verified === true,
      ...(v.blastRadius ? { blastRadius: v.blastRadius } : {}),
      ...(dep.unresolved.length ? { unresolved: dep.unresolved } : {}),
      ...(notes.length ? { notes } : {}),
    };
  };
  for (const { site, confirmed } of m.sites.slice(0, 5)) {
    const plan = planOps(site.statements, patch.before, patch.after);
    if (plan.ops.length === 0) continue;
    const oldText = texts.get(site.editFile) ?? '';
    const newText = site.edit(oldText, plan.ops);
    const notes = [...plan.notes];
    if (!confirmed)
      notes.push(
        `Unconfirmed: the source does not settle which ${site.owner.kind} this is (${(site.owner.unresolved ?? []).join(', ') || 'unresolved'}).`,
      );
    patches.push(
      finish(
        site,
        site.editFile,
        newText,
        (s) =>
          s.sites.find(
            (x) => x.address === site.address && x.editFile === site.editFile && x.file === site.file,
          ),
        site.statements,
        confirmed,
        notes,
      ),
    );
  }
  for (const { home, confirmed } of m.homes.slice(0, 5)) patches.push(homePatch(home, confirmed));
  function homePatch(home: PolicyHome, confirmed: boolean): IacPatch {
    const oldText = texts.get(home.file) ?? '';
    const name = patch.target.name ?? 's3doctor';
    const newText = home.add(oldText, name, patch.after as Record<string, unknown>);
    const notes: string[] = [];
    if (!confirmed)
      notes.push(
        `Unconfirmed: the source does not settle which ${home.owner.kind} this is (${(home.owner.unresolved ?? []).join(', ') || 'unresolved'}).`,
      );
    const before = new Set(
      texts.has(home.file)
        ? index
            .sourcesFor(account, region)
            .sites.filter((s) => s.file === home.file)
            .map((s) => `${s.address}|${s.policyName ?? ''}`)
        : [],
    );
    return finish(
      home,
      home.file,
      newText,
      (s) => s.sites.find((x) => x.file === home.file && !before.has(`${x.address}|${x.policyName ?? ''}`)),
      [],
      confirmed,
      notes,
    );
  }
  if (patches.length === 0)
    return { why: 'the source already holds the change (the live policy lags behind it)' };
  return { patches };
}

/** Adds `iac` to every verified policy fix of a result's causes (in place on a copy). */
export function withIac<T extends { causes: Cause[] }>(
  result: T,
  req: S3Request,
  evidence: Evidence,
  index: IacIndex,
  opts: IacFixOptions = {},
): T {
  let changed = false;
  const causes = result.causes.map((c) => ({
    ...c,
    fixes: c.fixes.map((f) => {
      const iac = iacFix(f, c, req, evidence, index, opts);
      if (!iac) return f;
      changed = true;
      return { ...f, iac };
    }),
  }));
  return changed ? { ...result, causes } : result;
}

/** Reads a file the way the sources were read (for --write's check that nothing changed since). */
export async function readSource(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
