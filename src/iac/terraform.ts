// Terraform sources: policy documents of aws_iam_* / aws_s3_bucket_policy / aws_kms_key resources and policy document data sources.

import { posix } from 'node:path';
import { parseDocument, isMap, isSeq, type Node, type YAMLSeq } from 'yaml';
import type { SourceFile } from './discover.js';
import type { IacContext } from './context.js';
import { lineOf, toValue } from './cfn.js';
import { attr, HclError, parseHcl, parseTemplate, type Block, type Body, type Expr } from './hcl.js';
import { hclString, hclValue, statementBlock } from './hcl-render.js';
import type { IacOwner, PolicyHome, PolicySite, Resolved, StatementOp } from './types.js';
import {
  appendToSeq,
  applySplices,
  indentUnit,
  removeFromSeq,
  replaceNode,
  type Splice,
} from './yaml-edit.js';

interface TfFile {
  rel: string;
  dir: string;
  text: string;
  body: Body;
}

/** One instance of a module: its folder, address prefix and the arguments its caller passes. */
interface Instance {
  dir: string;
  prefix: string;
  files: TfFile[];
  args: Record<string, { expr: Expr; inst: Instance }>;
  tfvars: Record<string, unknown>;
  depth: number;
}

const UNRESOLVED = (what: string, un: string[]): string => {
  un.push(what);
  return `\${unresolved:${what}}`;
};

/** `&{aws:username}` in an aws_iam_policy_document is the policy variable `${aws:username}` (the provider's escape). */
function policyVariables(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(/&\{/g, '${');
  if (Array.isArray(v)) return v.map(policyVariables);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [policyVariables(k) as string, policyVariables(x)]),
    );
  return v;
}

class Evaluator {
  /** Variables of the `for` expressions and templatefile() calls being evaluated, innermost last. */
  private readonly scopes: Record<string, unknown>[] = [];

  constructor(
    private readonly ctx: IacContext,
    private readonly texts: Map<string, string>,
  ) {}

  private state(address: string): Record<string, unknown> | undefined {
    return (
      this.ctx.state.find((s) => s.address === address) ??
      this.ctx.state.find((s) => s.address === `${address}[0]`)
    )?.attributes;
  }

  block(
    inst: Instance,
    kind: 'resource' | 'data',
    type: string,
    name: string,
  ): { block: Block; file: TfFile } | undefined {
    for (const file of inst.files)
      for (const b of file.body.blocks)
        if (b.type === kind && b.labels[0] === type && b.labels[1] === name) return { block: b, file };
    return undefined;
  }

  private bodyAttr(inst: Instance, body: Body, name: string, un: string[]): unknown {
    const a = attr(body, name);
    return a ? this.eval(a.expr, inst, un) : undefined;
  }

  /** The value of `[data.]type.name.attr` from state, else from the configuration. */
  private resourceAttr(
    inst: Instance,
    kind: 'resource' | 'data',
    type: string,
    name: string,
    at: string,
    un: string[],
  ): unknown {
    const address = `${inst.prefix}${kind === 'data' ? 'data.' : ''}${type}.${name}`;
    const st = this.state(address);
    if (st && st[at] !== undefined && st[at] !== null && at !== 'json') return st[at];
    const acct = this.ctx.account;
    const region = this.ctx.region;
    if (kind === 'data') {
      if (type === 'aws_caller_identity' && at === 'account_id')
        return acct ?? UNRESOLVED(`data.${type}.${name}.${at}`, un);
      if (type === 'aws_region' && (at === 'name' || at === 'region' || at === 'id'))
        return region ?? UNRESOLVED(`data.${type}.${name}.${at}`, un);
      if (type === 'aws_partition' && at === 'partition') return 'aws';
    }
    const found = this.block(inst, kind, type, name);
    if (!found) return UNRESOLVED(`${kind === 'data' ? 'data.' : ''}${type}.${name}.${at}`, un);
    const body = found.block.body;
    if (kind === 'data' && type === 'aws_iam_policy_document' && (at === 'json' || at === 'minified_json'))
      return JSON.stringify(this.policyDocument(body, inst, un));
    const own = un.length;
    const get = (n: string) => this.bodyAttr(inst, body, n, un);
    const path = (get('path') as string | undefined) ?? '/';
    let v: unknown;
    switch (`${type}.${at}`) {
      case 'aws_s3_bucket.id':
      case 'aws_s3_bucket.bucket':
        v = get('bucket');
        break;
      case 'aws_s3_bucket.arn': {
        const b = get('bucket');
        v = typeof b === 'string' ? `arn:aws:s3:::${b}` : undefined;
        break;
      }
      case 'aws_iam_role.id':
      case 'aws_iam_role.name':
      case 'aws_iam_user.id':
      case 'aws_iam_user.name':
      case 'aws_iam_policy.name':
      case 'aws_s3_access_point.name':
        v = get('name');
        break;
      case 'aws_iam_role.arn':
      case 'aws_iam_user.arn':
      case 'aws_iam_policy.arn':
      case 'aws_iam_policy.id': {
        const n = get('name');
        const kindName = type === 'aws_iam_role' ? 'role' : type === 'aws_iam_user' ? 'user' : 'policy';
        v = typeof n === 'string' && acct ? `arn:aws:iam::${acct}:${kindName}${path}${n}` : undefined;
        break;
      }
      case 'aws_s3_access_point.arn': {
        const n = get('name');
        v =
          typeof n === 'string' && acct && region
            ? `arn:aws:s3:${region}:${acct}:accesspoint/${n}`
            : undefined;
        break;
      }
      default:
        v = attr(body, at) ? get(at) : undefined;
    }
    if (v === undefined || (typeof v === 'string' && v.includes('${unresolved:') && un.length > own)) {
      if (v !== undefined) return v;
      un.length = own;
      return UNRESOLVED(
        `${kind === 'data' ? 'data.' : ''}${type}.${name}.${at}${st ? '' : ' (not in the configuration: give terraform state)'}`,
        un,
      );
    }
    return v;
  }

  /** An `aws_iam_policy_document` data source's document. */
  policyDocument(body: Body, inst: Instance, un: string[]): Record<string, unknown> {
    const version = this.bodyAttr(inst, body, 'version', un) ?? '2012-10-17';
    return {
      Version: version,
      Statement: body.blocks
        .filter((b) => b.type === 'statement')
        .map((b) => this.statementOf(b.body, inst, un)),
    };
  }

  statementOf(body: Body, inst: Instance, un: string[]): Record<string, unknown> {
    const s: Record<string, unknown> = {};
    const get = (n: string) => this.bodyAttr(inst, body, n, un);
    const sid = get('sid');
    if (sid !== undefined) s.Sid = sid;
    s.Effect = get('effect') ?? 'Allow';
    for (const [n, k] of [
      ['actions', 'Action'],
      ['not_actions', 'NotAction'],
      ['resources', 'Resource'],
      ['not_resources', 'NotResource'],
    ] as const) {
      const v = get(n);
      if (v !== undefined) s[k] = v;
    }
    for (const [n, k] of [
      ['principals', 'Principal'],
      ['not_principals', 'NotPrincipal'],
    ] as const) {
      const blocks = body.blocks.filter((b) => b.type === n);
      if (!blocks.length) continue;
      const p: Record<string, unknown[]> = {};
      for (const b of blocks) {
        const type = String(this.bodyAttr(inst, b.body, 'type', un));
        const ids = this.bodyAttr(inst, b.body, 'identifiers', un);
        (p[type] ??= []).push(...(Array.isArray(ids) ? ids : [ids]));
      }
      s[k] = Object.keys(p).length === 1 && p['*'] ? '*' : p;
    }
    const conds = body.blocks.filter((b) => b.type === 'condition');
    if (conds.length) {
      const c: Record<string, Record<string, unknown>> = {};
      for (const b of conds) {
        const test = String(this.bodyAttr(inst, b.body, 'test', un));
        const variable = String(this.bodyAttr(inst, b.body, 'variable', un));
        (c[test] ??= {})[variable] = this.bodyAttr(inst, b.body, 'values', un);
      }
      s.Condition = c;
    }
    return policyVariables(s) as Record<string, unknown>;
  }

  variable(inst: Instance, name: string, un: string[]): unknown {
    const arg = inst.args[name];
    if (arg) return this.eval(arg.expr, arg.inst, un);
    if (name in inst.tfvars) return inst.tfvars[name];
    for (const f of inst.files)
      for (const b of f.body.blocks)
        if (b.type === 'variable' && b.labels[0] === name) {
          const d = attr(b.body, 'default');
          if (d) return this.eval(d.expr, inst, un);
        }
    return UNRESOLVED(`var.${name}${inst.prefix ? ` (${inst.prefix.slice(0, -1)})` : ''}`, un);
  }

  local(inst: Instance, name: string): { expr: Expr } | undefined {
    for (const f of inst.files)
      for (const b of f.body.blocks)
        if (b.type === 'locals') for (const a of b.body.attrs) if (a.name === name) return { expr: a.expr };
    return undefined;
  }

  eval(e: Expr, inst: Instance, un: string[], depth = 0): unknown {
    if (depth > 50) return UNRESOLVED('(too deep)', un);
    const ev = (x: Expr) => this.eval(x, inst, un, depth + 1);
    switch (e.t) {
      case 'str':
        return e.parts.map((p) => (typeof p === 'string' ? p : stringOf(ev(p)))).join('');
      case 'num':
      case 'bool':
        return e.value;
      case 'null':
        return null;
      case 'tuple':
        return e.items.map(ev);
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const i of e.items) o[typeof i.key === 'string' ? i.key : stringOf(ev(i.key))] = ev(i.value);
        return o;
      }
      case 'call':
        return this.call(e, inst, un, depth);
      case 'for':
        return this.forExpr(e, inst, un, depth);
      case 'compare': {
        const [l, r] = [ev(e.left), ev(e.right)];
        const open = [l, r].find((x) => typeof x === 'string' && x.includes('${unresolved:'));
        if (open !== undefined) return open;
        return (JSON.stringify(l) === JSON.stringify(r)) === (e.op === '==');
      }
      case 'ref': {
        const [root, ...rest] = e.parts.map(String);
        const scope = this.scopes.findLast((s) => root !== undefined && root in s);
        if (scope && root !== undefined) return pick(scope[root], rest);
        if (root === 'var' && rest[0]) return pick(this.variable(inst, rest[0], un), rest.slice(1));
        if (root === 'local' && rest[0]) {
          const l = this.local(inst, rest[0]);
          return l
            ? pick(this.eval(l.expr, inst, un, depth + 1), rest.slice(1))
            : UNRESOLVED(`local.${rest[0]}`, un);
        }
        if (root === 'path' && (rest[0] === 'module' || rest[0] === 'root' || rest[0] === 'cwd'))
          return rest[0] === 'module' ? inst.dir : '.';
        if (root === 'data' && rest.length >= 3)
          return pick(this.resourceAttr(inst, 'data', rest[0]!, rest[1]!, rest[2]!, un), rest.slice(3));
        if (root && /^aws_/.test(root) && rest.length >= 2) {
          const name = rest[0]!;
          // aws_x.name[0].attr (count) reads the first instance.
          const atIdx = /^\d+$/.test(rest[1]!) ? 2 : 1;
          return pick(
            this.resourceAttr(inst, 'resource', root, name, rest[atIdx] ?? 'id', un),
            rest.slice(atIdx + 1),
          );
        }
        return UNRESOLVED(e.parts.join('.'), un);
      }
      case 'opaque':
        return UNRESOLVED(`expression at offset ${e.start}`, un);
    }
  }

  /** A `for` expression over a known list or map (maps in key order, as Terraform iterates them). */
  private forExpr(e: Extract<Expr, { t: 'for' }>, inst: Instance, un: string[], depth: number): unknown {
    const coll = this.eval(e.coll, inst, un, depth + 1);
    if (typeof coll === 'string' && coll.includes('${unresolved:')) return coll;
    if (!coll || typeof coll !== 'object') return UNRESOLVED(`for expression at offset ${e.start}`, un);
    const pairs: [unknown, unknown][] = Array.isArray(coll)
      ? coll.map((v, i) => [i, v])
      : Object.keys(coll)
          .sort()
          .map((k) => [k, (coll as Record<string, unknown>)[k]]);
    const list: unknown[] = [];
    const obj: Record<string, unknown> = {};
    for (const [k, v] of pairs) {
      this.scopes.push({ ...(e.keyVar !== undefined ? { [e.keyVar]: k } : {}), [e.valVar]: v });
      try {
        if (e.cond) {
          const c = this.eval(e.cond, inst, un, depth + 1);
          if (c === false) continue;
          if (c !== true)
            return typeof c === 'string' && c.includes('${unresolved:')
              ? c
              : UNRESOLVED(`the condition of the for expression at offset ${e.start}`, un);
        }
        const value = this.eval(e.value, inst, un, depth + 1);
        if (e.into === 'tuple') list.push(value);
        else {
          const key = stringOf(this.eval(e.key!, inst, un, depth + 1));
          if (e.group) ((obj[key] ??= []) as unknown[]).push(value);
          else obj[key] = value;
        }
      } finally {
        this.scopes.pop();
      }
    }
    return e.into === 'tuple' ? list : obj;
  }

  /** templatefile(path, vars): the file's text as a template over `vars` only. */
  private templateFile(path: unknown, vars: unknown, un: string[], depth: number, inst: Instance): unknown {
    const text = typeof path === 'string' ? this.texts.get(posix.normalize(path)) : undefined;
    if (text === undefined) return UNRESOLVED(`templatefile(${stringOf(path)})`, un);
    let tmpl: Expr;
    try {
      tmpl = parseTemplate(text);
    } catch {
      return UNRESOLVED(`templatefile(${stringOf(path)}) (not a template this reader understands)`, un);
    }
    this.scopes.push(
      vars && typeof vars === 'object' && !Array.isArray(vars) ? (vars as Record<string, unknown>) : {},
    );
    try {
      return this.eval(tmpl, inst, un, depth + 1);
    } finally {
      this.scopes.pop();
    }
  }

  private call(e: Extract<Expr, { t: 'call' }>, inst: Instance, un: string[], depth: number): unknown {
    const args = e.args.map((a) => this.eval(a, inst, un, depth + 1));
    switch (e.name) {
      case 'jsonencode':
        return JSON.stringify(args[0]);
      case 'jsondecode':
        try {
          return JSON.parse(String(args[0]));
        } catch {
          return UNRESOLVED('jsondecode(...)', un);
        }
      case 'file': {
        const rel = posix.normalize(String(args[0]));
        const t = this.texts.get(rel);
        return t ?? UNRESOLVED(`file(${String(args[0])})`, un);
      }
      case 'templatefile':
        return this.templateFile(args[0], args[1], un, depth, inst);
      case 'concat':
        return args.flatMap((a) => (Array.isArray(a) ? a : [a]));
      case 'flatten':
        return (args[0] as unknown[]).flat(Infinity);
      case 'join':
        return Array.isArray(args[1])
          ? args[1].map(stringOf).join(String(args[0]))
          : UNRESOLVED('join(...)', un);
      case 'format': {
        let i = 1;
        return String(args[0]).replace(/%[sd]/g, () => stringOf(args[i++]));
      }
      case 'merge':
        return Object.assign({}, ...args.filter((a) => a && typeof a === 'object'));
      case 'lower':
        return String(args[0]).toLowerCase();
      case 'upper':
        return String(args[0]).toUpperCase();
      case 'tolist':
      case 'toset':
      case 'tostring':
        return args[0];
      default:
        return UNRESOLVED(`${e.name}(...)`, un);
    }
  }
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function pick(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentAt(text: string, pos: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, pos)))![0];
}

function depthOf(ind: string, unit: string): number {
  return unit === '\t' ? ind.length : Math.round(ind.length / unit.length);
}

/** Removes [start, end) with the whole lines it sits on. */
function removeLines(text: string, start: number, end: number): Splice {
  const s = lineStartOf(text, start);
  const e = text.indexOf('\n', end);
  return { start: s, end: e < 0 ? text.length : e + 1, text: '' };
}

/** A document as statement edits: the kinds of Terraform policy expressions. */
type DocShape =
  | { kind: 'object'; file: TfFile; tuple: Extract<Expr, { t: 'tuple' }>; header: Record<string, unknown> }
  | { kind: 'heredoc'; file: TfFile; expr: Extract<Expr, { t: 'str' }> }
  | { kind: 'data'; file: TfFile; block: Block; address: string }
  | { kind: 'json-file'; path: string }
  | { kind: 'template-file'; path: string; expr: Expr };

/** Reads every Terraform module under the folder; instances are root modules and the local modules they call. */
export function terraformSites(
  files: SourceFile[],
  ctx: IacContext,
): { sites: PolicySite[]; homes: PolicyHome[]; broken: { file: string; why: string }[] } {
  const broken: { file: string; why: string }[] = [];
  const tf: TfFile[] = [];
  const texts = new Map(files.map((f) => [f.rel, f.text] as const));
  for (const f of files) {
    if (f.kind !== 'terraform') continue;
    try {
      tf.push({ rel: f.rel, dir: posix.dirname(f.rel), text: f.text, body: parseHcl(f.text) });
    } catch (e) {
      broken.push({
        file: f.rel,
        why: e instanceof HclError ? `${e.message} at line ${lineOf(f.text, e.pos)}` : String(e),
      });
    }
  }
  const byDir = new Map<string, TfFile[]>();
  for (const f of tf) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f]);
  const called = new Set<string>();
  const calls: { from: string; block: Block; child: string }[] = [];
  for (const f of tf)
    for (const b of f.body.blocks) {
      if (b.type !== 'module') continue;
      const src = attr(b.body, 'source')?.expr;
      const s =
        src?.t === 'str' && src.parts.every((p) => typeof p === 'string') ? src.parts.join('') : undefined;
      if (!s || !/^\.\.?\//.test(s)) continue;
      const child = posix.normalize(posix.join(f.dir, s));
      if (!byDir.has(child)) continue;
      called.add(child);
      calls.push({ from: f.dir, block: b, child });
    }
  const ev = new Evaluator(ctx, texts);
  const instances: Instance[] = [];
  const instantiate = (dir: string, prefix: string, args: Instance['args'], depth: number) => {
    const files = byDir.get(dir) ?? [];
    const tfvars: Record<string, unknown> = {};
    const inst: Instance = { dir, prefix, files, args, tfvars, depth };
    if (!prefix)
      for (const [rel, text] of texts)
        if (posix.dirname(rel) === dir && /(^|\/)(terraform\.tfvars|[^/]+\.auto\.tfvars)$/.test(rel)) {
          try {
            for (const a of parseHcl(text).attrs) tfvars[a.name] = ev.eval(a.expr, inst, []);
          } catch {
            broken.push({ file: rel, why: 'not HCL this reader understands' });
          }
        }
    instances.push(inst);
    if (depth > 8) return;
    for (const c of calls.filter((x) => x.from === dir)) {
      const childArgs: Instance['args'] = {};
      for (const a of c.block.body.attrs)
        if (a.name !== 'source' && a.name !== 'version') childArgs[a.name] = { expr: a.expr, inst };
      instantiate(c.child, `${prefix}module.${c.block.labels[0]}.`, childArgs, depth + 1);
    }
  };
  for (const dir of byDir.keys()) if (!called.has(dir)) instantiate(dir, '', {}, 0);

  const sites: PolicySite[] = [];
  const homes: PolicyHome[] = [];
  for (const inst of instances)
    for (const file of inst.files) {
      const unit = indentUnit(file.text);
      for (const b of file.body.blocks) {
        if (b.type !== 'resource' || b.labels.length < 2) continue;
        const [type, name] = b.labels as [string, string];
        const address = `${inst.prefix}${type}.${name}`;
        const un: string[] = [];
        const get = (n: string, u: string[] = un) => {
          const a = attr(b.body, n);
          return a ? ev.eval(a.expr, inst, u) : undefined;
        };
        const owner = (kind: IacOwner['kind'], values: unknown[], u: string[]): IacOwner => {
          const ids = [
            ...new Set(
              values.filter((v): v is string => typeof v === 'string' && !v.includes('${unresolved:')),
            ),
          ];
          return ids.length ? { kind, ids } : { kind, ids: [], unresolved: u };
        };
        const st =
          ctx.state.find((s) => s.address === address || s.address === `${address}[0]`)?.attributes ?? {};
        const policyAttr = attr(b.body, 'policy');
        const addSite = (o: IacOwner, expr: Expr | undefined, policyName?: string, siteAddress = address) => {
          if (!expr) return;
          const site = docSite(ev, inst, file, expr, texts, unit);
          if (site)
            sites.push({
              ...site,
              file: file.rel,
              tool: 'terraform',
              address: siteAddress,
              line: lineOf(file.text, expr.start),
              owner: o,
              ...(policyName ? { policyName } : {}),
            });
        };
        const nameOf = (v: unknown) =>
          typeof v === 'string' && !v.includes('${unresolved:') ? v : undefined;
        if (type === 'aws_iam_role_policy' || type === 'aws_iam_user_policy') {
          const u: string[] = [];
          const who = get(type === 'aws_iam_role_policy' ? 'role' : 'user', u) ?? st.role ?? st.user;
          const whoName = typeof who === 'string' ? who.split('/').pop() : who;
          addSite(
            owner(type === 'aws_iam_role_policy' ? 'role' : 'user', [whoName, st.role, st.user], u),
            policyAttr?.expr,
            nameOf(get('name')) ?? nameOf(st.name),
          );
        } else if (type === 'aws_iam_policy') {
          const u: string[] = [];
          const arn =
            st.arn ??
            ev.eval({ t: 'ref', parts: [type, name, 'arn'], start: b.start, end: b.start }, inst, u);
          addSite(owner('managed-policy', [arn], u), policyAttr?.expr);
        } else if (type === 'aws_s3_bucket_policy') {
          const u: string[] = [];
          addSite(owner('bucket', [get('bucket', u) ?? st.bucket], u), policyAttr?.expr);
        } else if (type === 'aws_kms_key') {
          addSite(
            owner('kms-key', [st.arn, st.key_id, st.id], ['the key id (generated: give terraform state)']),
            policyAttr?.expr,
          );
        } else if (type === 'aws_s3_access_point' || type === 'aws_s3control_access_point_policy') {
          const u: string[] = [];
          const n = type === 'aws_s3_access_point' ? get('name', u) : undefined;
          const arn =
            type === 'aws_s3_access_point'
              ? (st.arn ??
                ev.eval({ t: 'ref', parts: [type, name, 'arn'], start: b.start, end: b.start }, inst, u))
              : get('access_point_arn', u);
          const o = owner('access-point', [n, arn], u);
          addSite(o, policyAttr?.expr);
          // An access point without a policy: the `policy` argument goes last in its block.
          const close = b.end - 1;
          const closeLine = file.text.lastIndexOf('\n', close - 1) + 1;
          if (
            !policyAttr &&
            type === 'aws_s3_access_point' &&
            file.text[close] === '}' &&
            file.text.slice(closeLine, close).trim() === ''
          )
            homes.push({
              file: file.rel,
              tool: 'terraform',
              address,
              line: lineOf(file.text, b.start),
              owner: o,
              add(text, _policyName, document) {
                const body = `${unit}policy = jsonencode(${hclValue(document, unit, 1)})\n`;
                return applySplices(text, [{ start: closeLine, end: closeLine, text: body }]);
              },
            });
        } else if (type === 'aws_iam_role' || type === 'aws_iam_user') {
          const kind = type === 'aws_iam_role' ? 'role' : 'user';
          const u: string[] = [];
          const o = owner(kind, [get('name', u) ?? st.name, st.arn], u);
          b.body.blocks
            .filter((x) => x.type === 'inline_policy')
            .forEach((ip, i) => {
              const pn = attr(ip.body, 'name');
              addSite(
                o,
                attr(ip.body, 'policy')?.expr,
                pn ? nameOf(ev.eval(pn.expr, inst, [])) : undefined,
                `${address}.inline_policy[${i}]`,
              );
            });
          homes.push({
            file: file.rel,
            tool: 'terraform',
            address,
            line: lineOf(file.text, b.start),
            owner: o,
            add(text, policyName, document) {
              const label = `${name}_${policyName.replace(/[^A-Za-z0-9_]/g, '_')}`;
              const res = type === 'aws_iam_role' ? 'aws_iam_role_policy' : 'aws_iam_user_policy';
              const ref = type === 'aws_iam_role' ? 'role' : 'user';
              const body = `resource "${res}" "${label}" {\n${unit}name   = ${hclString(policyName)}\n${unit}${ref.padEnd(6)} = ${type}.${name}.${type === 'aws_iam_role' ? 'id' : 'name'}\n${unit}policy = jsonencode(${hclValue(document, unit, 1)})\n}\n`;
              return applySplices(text, [
                { start: b.end, end: b.end, text: `\n\n${body.replace(/\n$/, '')}` },
              ]);
            },
          });
        } else if (type === 'aws_s3_bucket') {
          const u: string[] = [];
          homes.push({
            file: file.rel,
            tool: 'terraform',
            address,
            line: lineOf(file.text, b.start),
            owner: owner('bucket', [get('bucket', u) ?? st.bucket ?? st.id], u),
            add(text, _policyName, document) {
              const body = `resource "aws_s3_bucket_policy" "${name}" {\n${unit}bucket = aws_s3_bucket.${name}.id\n${unit}policy = jsonencode(${hclValue(document, unit, 1)})\n}`;
              return applySplices(text, [{ start: b.end, end: b.end, text: `\n\n${body}` }]);
            },
          });
        }
      }
    }
  return { sites, homes, broken };
}

type SiteCore = Pick<PolicySite, 'statements' | 'header' | 'editFile' | 'edit'>;

/** Follows a policy expression to its document (jsonencode, heredoc, data source, file(), a local) as a site core. */
function docSite(
  ev: Evaluator,
  inst: Instance,
  file: TfFile,
  expr: Expr,
  texts: Map<string, string>,
  unit: string,
  depth = 0,
): SiteCore | undefined {
  if (depth > 5) return undefined;
  const shape = shapeOf(ev, inst, file, expr, texts, depth);
  if (!shape) return undefined;
  const resolved = (v: unknown, un: string[]): Resolved => ({ value: v, unresolved: un });
  if (shape.kind === 'object') {
    const { tuple } = shape;
    const statements = tuple.items.map((it) => {
      const un: string[] = [];
      return resolved(ev.eval(it, inst, un), un);
    });
    return {
      statements,
      header: shape.header,
      editFile: shape.file.rel,
      edit(text, ops) {
        const splices: Splice[] = [];
        const appended: string[] = [];
        const items = tuple.items;
        for (const op of ops) {
          if (op.op === 'replace') {
            const it = items[op.index]!;
            splices.push({
              start: it.start,
              end: it.end,
              text: hclValue(op.statement, unit, depthOf(indentAt(text, it.start), unit)),
            });
          } else if (op.op === 'remove') {
            const it = items[op.index]!;
            const after = /^\s*,/.exec(text.slice(it.end));
            splices.push(removeLines(text, it.start, it.end + (after ? after[0].length : 0)));
          } else appended.push(JSON.stringify(op.statement));
        }
        if (appended.length) {
          const last = items[items.length - 1];
          if (last) {
            const ind = indentAt(text, last.start);
            const comma = /^[ \t]*,/.exec(text.slice(last.end));
            const at = last.end + (comma ? comma[0].length : 0);
            const rendered = appended.map(
              (s) => `${ind}${hclValue(JSON.parse(s), unit, depthOf(ind, unit))}`,
            );
            splices.push({
              start: at,
              end: at,
              text: `${comma ? '' : ','}\n${rendered.join(',\n')}${comma ? ',' : ''}`,
            });
          } else {
            const ind = indentAt(text, tuple.start) + unit;
            const rendered = appended.map(
              (s) => `${ind}${hclValue(JSON.parse(s), unit, depthOf(ind, unit))}`,
            );
            splices.push({
              start: tuple.start + 1,
              end: tuple.end - 1,
              text: `\n${rendered.join(',\n')},\n${indentAt(text, tuple.start)}`,
            });
          }
        }
        return applySplices(text, splices);
      },
    };
  }
  if (shape.kind === 'data') {
    const stmts = shape.block.body.blocks.filter((b) => b.type === 'statement');
    const statements = stmts.map((b) => {
      const un: string[] = [];
      return resolved(ev.statementOf(b.body, inst, un), un);
    });
    const version = attr(shape.block.body, 'version');
    return {
      statements,
      header: { Version: version ? ev.eval(version.expr, inst, []) : '2012-10-17' },
      editFile: shape.file.rel,
      edit(text, ops) {
        const splices: Splice[] = [];
        const blk = shape.block;
        const ind = stmts[0] ? indentAt(text, stmts[0].start) : indentAt(text, blk.start) + unit;
        const d = depthOf(ind, unit);
        const appended: string[] = [];
        for (const op of ops) {
          if (op.op === 'replace') {
            const s = stmts[op.index]!;
            splices.push({
              start: s.start,
              end: s.end,
              text: statementBlock(op.statement, unit, d).slice(ind.length),
            });
          } else if (op.op === 'remove') {
            const s = stmts[op.index]!;
            splices.push(removeLines(text, s.start, s.end));
          } else appended.push(statementBlock(op.statement, unit, d));
        }
        if (appended.length) {
          const last = stmts[stmts.length - 1];
          const at = last ? last.end : blk.open + 1;
          splices.push({ start: at, end: at, text: `\n\n${appended.join('\n\n')}${last ? '' : '\n'}` });
        }
        return applySplices(text, splices);
      },
    };
  }
  // JSON text: a heredoc in the .tf file, a file() reference or a templatefile() template.
  const jsonFile = shape.kind === 'heredoc' ? shape.file.rel : shape.path;
  const full = texts.get(jsonFile);
  if (full === undefined) return undefined;
  const start = shape.kind === 'heredoc' ? shape.expr.heredoc!.bodyStart : 0;
  const end = shape.kind === 'heredoc' ? shape.expr.heredoc!.bodyEnd : full.length;
  const body = full.slice(start, end);
  const doc = parseDocument(body, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const stmtNode = doc.contents.get('Statement', true) as Node | undefined;
  if (!isSeq(stmtNode)) return undefined;
  // Values: the heredoc evaluated (interpolations resolved), then parsed; a file() is not interpolated.
  let value: unknown;
  const un: string[] = [];
  if (shape.kind === 'heredoc' || shape.kind === 'template-file') {
    try {
      value = JSON.parse(String(ev.eval(shape.expr, inst, un)));
    } catch {
      return undefined;
    }
  } else value = toValue(doc.contents, doc);
  const list = ((value as { Statement?: unknown[] }).Statement ?? []) as unknown[];
  const statements = list.map((s) => {
    const text = JSON.stringify(s);
    return resolved(
      s,
      un.filter((u) => text.includes(`\${unresolved:${u}}`)),
    );
  });
  const header = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'Statement'),
  );
  const junit = indentUnit(body);
  const escape = shape.kind === 'heredoc' || shape.kind === 'template-file';
  return {
    statements,
    header,
    editFile: jsonFile,
    edit(text: string, ops: StatementOp[]) {
      const seq = stmtNode as YAMLSeq;
      const splices: Splice[] = [];
      const appended: Splice[] = [];
      for (const op of ops) {
        if (op.op === 'append') appended.push(appendToSeq(body, seq, op.statement, junit));
        else if (op.op === 'replace')
          splices.push(replaceNode(body, seq.items[op.index] as Node, op.statement, junit));
        else splices.push(removeFromSeq(body, seq, op.index));
      }
      if (appended.length)
        splices.push({
          start: appended[0]!.start,
          end: appended[0]!.end,
          text: appended.map((a) => a.text).join(''),
        });
      // In a heredoc or template, ${ and %{ of the new text are escaped as Terraform requires.
      const fixed = splices.map((s) =>
        escape ? { ...s, text: s.text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{') } : s,
      );
      const newBody = applySplices(body, fixed);
      return text.slice(0, start) + newBody + text.slice(end);
    },
  };
}

function shapeOf(
  ev: Evaluator,
  inst: Instance,
  file: TfFile,
  expr: Expr,
  texts: Map<string, string>,
  depth: number,
): DocShape | undefined {
  if (expr.t === 'call' && expr.name === 'jsonencode' && expr.args[0]?.t === 'object') {
    const obj = expr.args[0];
    const st = obj.items.find((i) => i.key === 'Statement');
    if (!st || st.value.t !== 'tuple') return undefined;
    const header: Record<string, unknown> = {};
    for (const i of obj.items)
      if (typeof i.key === 'string' && i.key !== 'Statement') header[i.key] = ev.eval(i.value, inst, []);
    return { kind: 'object', file, tuple: st.value, header };
  }
  if (expr.t === 'str' && expr.heredoc) return { kind: 'heredoc', file, expr };
  if (expr.t === 'call' && expr.name === 'file' && expr.args[0]) {
    const p = ev.eval(expr.args[0], inst, []);
    if (typeof p !== 'string' || p.includes('${unresolved:')) return undefined;
    const path = posix.normalize(p);
    return texts.has(path) ? { kind: 'json-file', path } : undefined;
  }
  if (expr.t === 'call' && expr.name === 'templatefile' && expr.args[0]) {
    const p = ev.eval(expr.args[0], inst, []);
    if (typeof p !== 'string' || p.includes('${unresolved:')) return undefined;
    const path = posix.normalize(p);
    return texts.has(path) ? { kind: 'template-file', path, expr } : undefined;
  }
  if (expr.t === 'ref') {
    const parts = expr.parts.map(String);
    if (
      parts[0] === 'data' &&
      parts[1] === 'aws_iam_policy_document' &&
      parts[2] &&
      (parts[3] === 'json' || parts[3] === 'minified_json')
    ) {
      const found = ev.block(inst, 'data', parts[1], parts[2]);
      if (found)
        return {
          kind: 'data',
          file: found.file,
          block: found.block,
          address: `${inst.prefix}data.${parts[1]}.${parts[2]}`,
        };
    }
    if (parts[0] === 'local' && parts[1] && parts.length === 2) {
      const l = ev.local(inst, parts[1]);
      const lf =
        l &&
        inst.files.find((f) =>
          f.body.blocks.some((b) => b.type === 'locals' && b.body.attrs.some((a) => a.expr === l.expr)),
        );
      if (l && lf && depth < 5) return shapeOf(ev, inst, lf, l.expr, texts, depth + 1);
    }
  }
  return undefined;
}
