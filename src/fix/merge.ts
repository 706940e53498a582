// Fixes of one run that change the same document are merged: each later fix's patch carries the earlier ones' statements.

import { evaluateRequest } from '../authz/index.js';
import type { CauseCode, Fix, PolicyPatch } from '../model/cause.js';
import type { Evidence } from '../model/evidence.js';
import type { PolicyDocument, PolicyStatement } from '../model/policy.js';
import type { Result } from '../model/report.js';
import type { S3Request } from '../model/request.js';
import { applyPatchesToEvidence } from './apply.js';
import { POLICY_TARGETS } from './least-privilege.js';
import {
  canonicalJson,
  samePrincipal,
  sameSet,
  statementsOf,
  toList,
  unique,
  uniqueSid,
} from './statements.js';
import { certainlyAllowed, patchesOf, verifyFix } from './verify.js';
import { widens } from './widen.js';

/** The key of the document a patch replaces (type, id, inline policy name, group). */
function targetKey(p: PolicyPatch): string {
  const { type, id, name, group } = p.target;
  return JSON.stringify([type, id, name ?? null, group ?? null]);
}

/**
 * Whether a patch writes a known policy document this module can merge: a whole document that one command puts in
 * place, so two fixes of one run for the same target would each replace the other's.
 */
function mergeable(p: PolicyPatch): boolean {
  return POLICY_TARGETS.has(p.target.type) && !p.beforeUnknown;
}

/** The list fields of a statement a merge takes the union of. */
const LIST_FIELDS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;

/** `a` and `b`, two changes of one statement, as one: lists and condition values united; undefined when other fields differ. */
function uniteStatements(a: PolicyStatement, b: PolicyStatement): PolicyStatement | undefined {
  if (a.Effect !== b.Effect || a.Sid !== b.Sid) return undefined;
  if (!samePrincipal(a.Principal, b.Principal) || !samePrincipal(a.NotPrincipal, b.NotPrincipal))
    return undefined;
  const out = structuredClone(a);
  for (const f of LIST_FIELDS) {
    if ((a[f] === undefined) !== (b[f] === undefined)) return undefined;
    if (a[f] !== undefined) {
      const all = unique([...toList(a[f]), ...toList(b[f])]);
      out[f] = all.length === 1 ? all[0]! : all;
    }
  }
  const cond: Record<string, Record<string, string[]>> = {};
  for (const block of [a.Condition, b.Condition])
    for (const [op, keys] of Object.entries(block ?? {}))
      for (const [key, vals] of Object.entries(keys)) {
        const slot = (cond[op] ??= {});
        const have = Object.keys(slot).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
        slot[have] = unique([...(slot[have] ?? []), ...toList(vals).map(String)]);
      }
  if (Object.keys(cond).length > 0)
    out.Condition = Object.fromEntries(
      Object.entries(cond).map(([op, keys]) => [
        op,
        Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
      ]),
    );
  return out;
}

/** Whether two statements differ only in their Action list (so one statement can carry both). */
function sameButActions(a: PolicyStatement, b: PolicyStatement): boolean {
  const strip = (s: PolicyStatement) => canonicalJson({ ...s, Sid: undefined, Action: undefined });
  return (
    a.Action !== undefined &&
    b.Action !== undefined &&
    strip(a) === strip(b) &&
    sameSet(toList(a.Resource), toList(b.Resource))
  );
}

/**
 * `acc` (the document `before` with earlier patches' changes) with the changes `next` makes to
 * `before` as well: a statement `next` changed is united with `acc`'s version of it (actions,
 * resources and condition values together), one it added is appended (or joins a new statement of
 * `acc` that differs only in its actions), one it removed is removed. Undefined when both changed
 * one statement in ways that cannot be united.
 */
export function mergeDocuments(
  before: PolicyDocument | null,
  acc: PolicyDocument,
  next: PolicyDocument,
): PolicyDocument | undefined {
  const out = structuredClone(acc);
  const list = statementsOf(out).map((s) => structuredClone(s));
  out.Statement = list;
  const old = statementsOf(before);
  const oldCanon = new Set(old.map(canonicalJson));
  const counterpart = (s: PolicyStatement, i: number): PolicyStatement | undefined =>
    s.Sid !== undefined ? old.find((o) => o.Sid === s.Sid) : old[i]?.Sid === undefined ? old[i] : undefined;
  const kept = new Set<PolicyStatement>();
  for (const [i, s] of statementsOf(next).entries()) {
    const was = counterpart(s, i);
    if (was) kept.add(was);
    if (oldCanon.has(canonicalJson(s))) continue;
    if (list.some((x) => canonicalJson(x) === canonicalJson(s))) continue;
    if (was) {
      // `next` changed a statement of `before`: take the change into acc's version of it.
      const j = list.findIndex((x) =>
        was.Sid !== undefined ? x.Sid === was.Sid : canonicalJson(x) === canonicalJson(was),
      );
      if (j < 0) list.push(structuredClone(s));
      else if (canonicalJson(list[j]) === canonicalJson(was)) list[j] = structuredClone(s);
      else {
        const both = uniteStatements(list[j]!, s);
        if (!both) return undefined;
        list[j] = both;
      }
      continue;
    }
    // A new statement: join a new one of acc that differs only in actions, else append (Sid kept unique).
    const j = list.findIndex((x) => !oldCanon.has(canonicalJson(x)) && sameButActions(x, s));
    if (j >= 0) {
      const all = unique([...toList(list[j]!.Action), ...toList(s.Action)]);
      list[j] = { ...list[j]!, Action: all.length === 1 ? all[0]! : all };
      continue;
    }
    const add = structuredClone(s);
    if (add.Sid !== undefined && list.some((x) => x.Sid === add.Sid)) add.Sid = uniqueSid(out, add.Sid);
    list.push(add);
  }
  // Statements of `before` that `next` dropped (and acc still has unchanged) go.
  for (const o of old) {
    if (kept.has(o) || statementsOf(next).some((s) => canonicalJson(s) === canonicalJson(o))) continue;
    const j = list.findIndex((x) => canonicalJson(x) === canonicalJson(o));
    if (j >= 0) list.splice(j, 1);
  }
  return out;
}

/** A request whose fix wrote a document: the targets of all of that fix's patches, and whether it was verified. */
interface Served {
  request: S3Request;
  keys: string[];
  verified: boolean;
  /**
   * Whether the request is certainly allowed with the documents as they now are (undefined: not known).
   * A change to one of its documents forgets it, unless the change only widens Allow and it was true.
   */
  allowed?: boolean;
}

/** One document that fixes of this run change: its merged `after`, and the requests whose fixes it carries. */
interface Entry {
  before: PolicyDocument | null;
  after: PolicyDocument;
  /** By the fix's own patches (canonical JSON): one request per distinct fix. */
  served: Map<string, Served>;
}

/**
 * Merges, over one run, the fixes that change the same policy document (same target: a role's inline
 * policy, a bucket policy, a key policy...). Each fix is built against the evidence alone, so two of
 * them for one document would each print a command that replaces the other's document. Fed the
 * results in report order, `merge` gives each later fix the document with the earlier fixes'
 * statements as well (its diff, commands and file then hold them all), re-verifies it for its own
 * request and for every earlier request that document serves, and says so in its summary. Following
 * the printed commands in order, the last command for a document writes all of it. Alternatives and
 * patches whose current document is unknown are left as they are.
 */
export class PatchLedger {
  private readonly docs = new Map<string, Entry>();
  /** Bumped whenever a merged document changes; a cached merge is good while it stays. */
  private version = 0;
  /**
   * Merged causes by the causes they were merged from, all made at `cacheVersion`: a new version
   * starts an empty cache, so stale merges (clones of whole documents) are not kept alive by the
   * memo's results (engine/memo.ts).
   */
  private cache = new WeakMap<Result['causes'], Result['causes']>();
  private cacheVersion = 0;

  constructor(private readonly evidence: Evidence) {}

  /** `result` with its fixes merged into the documents earlier results' fixes wrote. `requestOf` gives its request (called only when needed). */
  merge(result: Result, requestOf: () => S3Request): Result {
    // Records of one request share their causes (engine/memo.ts): merge them once while nothing changed.
    if (this.cacheVersion !== this.version) this.fresh();
    const hit = this.cache.get(result.causes);
    if (hit) return { ...result, causes: hit };
    let request: S3Request | undefined;
    let causes: Result['causes'] | undefined;
    for (const [ci, cause] of result.causes.entries()) {
      for (const [fi, fix] of cause.fixes.entries()) {
        const patches = patchesOf(fix);
        if (fix.alternative || !patches.some(mergeable)) continue;
        request ??= requestOf();
        const merged = this.mergeFix(fix, patches, request, cause.code);
        if (merged === fix) continue;
        causes ??= structuredClone(result.causes);
        causes[ci]!.fixes[fi] = merged;
      }
    }
    if (this.cacheVersion !== this.version) this.fresh();
    this.cache.set(result.causes, causes ?? result.causes);
    return causes ? { ...result, causes } : result;
  }

  /** An empty cache for the current version. */
  private fresh(): void {
    this.cache = new WeakMap();
    this.cacheVersion = this.version;
  }

  private mergeFix(fix: Fix, patches: PolicyPatch[], request: S3Request, code: CauseCode): Fix {
    const keys = patches.filter(mergeable).map(targetKey);
    const own = canonicalJson(patches.map((p) => [p.target, p.after]));
    const served: Served = { request, keys, verified: fix.verified === true };
    // `wider`: whether each changed document only widens, where mergeFix already worked it out.
    const record = (f: Fix, ps: PolicyPatch[], wider: ReadonlyMap<string, boolean> = new Map()): Fix => {
      for (const p of ps.filter(mergeable)) {
        const k = targetKey(p);
        const e = this.docs.get(k);
        if (!e) {
          this.docs.set(k, {
            before: (p.before as PolicyDocument | null) ?? null,
            after: p.after as PolicyDocument,
            served: new Map([[own, served]]),
          });
          this.version++;
          continue;
        }
        if (canonicalJson(e.after) !== canonicalJson(p.after)) {
          const widened = wider.get(k) ?? widens(e.after, p.after as PolicyDocument, p.target.type);
          for (const s of e.served.values()) if (!(widened && s.allowed === true)) s.allowed = undefined;
          e.after = p.after as PolicyDocument;
          this.version++;
        }
        if (!e.served.has(own)) e.served.set(own, served);
      }
      return f;
    };
    const shared = patches.filter((p) => mergeable(p) && this.docs.has(targetKey(p)));
    // Fixes for other requests whose statements the documents carry.
    const earlier = unique(
      shared.flatMap((p) =>
        [...this.docs.get(targetKey(p))!.served].filter(([k]) => k !== own).map(([, v]) => v),
      ),
    );
    if (earlier.length === 0) return record(fix, patches);
    const replaced: PolicyPatch[] = [];
    for (const p of patches) {
      const e = mergeable(p) ? this.docs.get(targetKey(p)) : undefined;
      if (!e) {
        replaced.push(p);
        continue;
      }
      const doc =
        canonicalJson(e.before) === canonicalJson(p.before)
          ? mergeDocuments(e.before, e.after, p.after as PolicyDocument)
          : undefined;
      if (!doc)
        // Not one document: this fix's command would undo the earlier one's. Say so; not verified.
        return {
          ...fix,
          verified: false,
          summary: `${fix.summary} Warning: an earlier fix in this report changes the same document differently: apply one, run s3doctor again, then the other.`,
        };
      replaced.push({ ...p, after: doc });
    }
    const base: Fix = { ...fix };
    delete base.patch;
    delete base.additionalPatches;
    if (fix.patch) base.patch = replaced[0]!;
    if (fix.additionalPatches) base.additionalPatches = replaced.slice(fix.patch ? 1 : 0);
    let out = verifyFix(base, request, this.evidence, fix.remainingCauses ?? [code]);
    if (fix.verified !== true) out.verified = false;
    // The earlier requests the merged documents serve must stay allowed with them.
    const now = new Map(this.docs);
    for (const p of replaced) {
      const e = now.get(targetKey(p));
      if (e) now.set(targetKey(p), { ...e, after: p.after as PolicyDocument });
    }
    // A request known to be allowed stays so when each of its documents this fix changes only widens.
    const changed = replaced.filter((p) => {
      const e = mergeable(p) ? this.docs.get(targetKey(p)) : undefined;
      return e !== undefined && canonicalJson(e.after) !== canonicalJson(p.after);
    });
    const wider = new Map(
      changed.map((p) => [
        targetKey(p),
        widens(this.docs.get(targetKey(p))!.after, p.after as PolicyDocument, p.target.type),
      ]),
    );
    const checked = new Map<Served, boolean>();
    const broken = earlier.filter((r) => {
      if (!r.verified) return false;
      if (r.allowed === true && r.keys.every((k) => wider.get(k) !== false)) return false;
      const ok = this.allowedWith(r.request, r.keys, now);
      checked.set(r, ok);
      return !ok;
    });
    out = {
      ...out,
      summary: `${fix.summary} The document also keeps what ${earlier.length} earlier fix(es) in this report add to it: run this fix's commands after theirs (the last command for a document writes all of it).`,
    };
    if (broken.length > 0) {
      out.verified = false;
      out.summary += ` Warning: with it, ${broken.length} earlier request(s) would not be certainly allowed.`;
    }
    const done = record(out, replaced, wider);
    // Each request checked above was checked with the documents as recorded now.
    for (const [r, ok] of checked) r.allowed = ok;
    return done;
  }

  private allowedWith(request: S3Request, keys: string[], docs: Map<string, Entry>): boolean {
    const patches: PolicyPatch[] = [];
    for (const k of keys) {
      const e = docs.get(k);
      if (!e) continue;
      const [type, id, name, group] = JSON.parse(k) as [string, string, string | null, string | null];
      patches.push({
        target: { type, id, ...(name !== null ? { name } : {}), ...(group !== null ? { group } : {}) },
        before: e.before,
        after: e.after,
      });
    }
    return certainlyAllowed(evaluateRequest(request, applyPatchesToEvidence(this.evidence, patches)));
  }
}
