// CloudFormation, SAM and CDK templates (YAML with short-form intrinsics, or JSON): the policy documents they define, and edits of them.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { SourceFile } from './discover.js';
import type { IacContext } from './context.js';
import type { IacOwner, IacTool, PolicyHome, PolicySite, Resolved, StatementOp } from './types.js';
import {
  addToMap,
  appendToSeq,
  applySplices,
  indentUnit,
  Intrinsic,
  removeFromSeq,
  replaceNode,
  type Splice,
} from './yaml-edit.js';

/** A parsed template: its YAML document (ranges into `text`) and its plain value with intrinsics in long form. */
export interface Template {
  file: SourceFile;
  doc: Document;
  value: Record<string, unknown>;
  tool: IacTool;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** The node's value with short-form tags in their long (JSON) form, aliases followed. */
export function toValue(node: unknown, doc: Document, depth = 0): unknown {
  if (depth > 200) return undefined;
  if (isAlias(node)) return toValue(node.resolve(doc), doc, depth + 1);
  let v: unknown;
  if (isMap(node)) {
    const o: Record<string, unknown> = {};
    for (const p of node.items) {
      const k = isScalar(p.key) ? String(p.key.value) : String(p.key);
      if (k === '<<' && (isAlias(p.value) || isMap(p.value))) {
        Object.assign(o, toValue(p.value, doc, depth + 1));
        continue;
      }
      o[k] = toValue(p.value, doc, depth + 1);
    }
    v = o;
  } else if (isSeq(node)) v = node.items.map((i) => toValue(i, doc, depth + 1));
  else if (isScalar(node)) v = node.value;
  else v = node ?? null;
  const tag = (node as { tag?: string } | null)?.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    const fn = tag.slice(1);
    if (fn === 'Ref') return { Ref: v };
    if (fn === 'Condition') return { Condition: v };
    if (fn === 'GetAtt' && typeof v === 'string') {
      const dot = v.indexOf('.');
      return { 'Fn::GetAtt': dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
    }
    return { [`Fn::${fn}`]: v };
  }
  return v;
}

/** Reads a template; undefined when the file is not a CloudFormation template. */
export function readTemplate(file: SourceFile): Template | undefined {
  if (!/(Resources|"Resources")/.test(file.text) || !/AWS::/.test(file.text)) return undefined;
  let doc: Document;
  try {
    doc = parseDocument(file.text, { uniqueKeys: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const value = toValue(doc.contents, doc) as Record<string, unknown>;
  const resources = value.Resources;
  if (!resources || typeof resources !== 'object') return undefined;
  const types = Object.values(resources as Record<string, { Type?: unknown }>).map((r) => r?.Type);
  if (!types.some((t) => typeof t === 'string' && /^(AWS|Custom)::/.test(t))) return undefined;
  const transform = JSON.stringify(value.Transform ?? '');
  const cdk =
    file.rel.split('/').includes('cdk.out') ||
    Object.values(resources as Record<string, { Metadata?: Record<string, unknown> }>).some(
      (r) => r?.Metadata?.['aws:cdk:path'] !== undefined,
    );
  const tool: IacTool = cdk ? 'cdk' : transform.includes('AWS::Serverless') ? 'sam' : 'cloudformation';
  return { file, doc, value, tool };
}

/** Values a template's intrinsics resolve to: parameters, stack physical ids, account and region. */
export interface TemplateInputs {
  params: Record<string, unknown>;
  physical: Record<string, string>;
}

/** Resolves intrinsics (Ref, GetAtt, Sub, Join, Select, Split, FindInMap, ImportValue) as far as the inputs allow. */
export class Resolver {
  constructor(
    private readonly t: Template,
    private readonly inputs: TemplateInputs,
    private readonly ctx: IacContext,
  ) {}

  private resource(id: string): { Type?: string; Properties?: Record<string, unknown> } | undefined {
    return (
      this.t.value.Resources as Record<string, { Type?: string; Properties?: Record<string, unknown> }>
    )[id];
  }

  private prop(id: string, name: string, un: string[]): string | undefined {
    const v = this.resolve(this.resource(id)?.Properties?.[name], un);
    return typeof v === 'string' && !v.includes('${unresolved:') ? v : undefined;
  }

  /** `Ref` of a logical id or parameter. */
  ref(name: string, un: string[]): unknown {
    const pseudo: Record<string, string | undefined> = {
      'AWS::AccountId': this.ctx.account,
      'AWS::Region': this.ctx.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudo) return pseudo[name] ?? this.miss(`!Ref ${name}`, un);
    const params = (this.t.value.Parameters ?? {}) as Record<string, { Default?: unknown }>;
    if (name in params) {
      if (name in this.inputs.params) return this.inputs.params[name];
      if (params[name]?.Default !== undefined) return params[name].Default;
      return this.miss(`!Ref ${name} (a parameter without a default or a given value)`, un);
    }
    const phys = this.inputs.physical[name];
    if (phys !== undefined) return phys;
    const r = this.resource(name);
    if (!r) return this.miss(`!Ref ${name}`, un);
    const own = un.length;
    const nameProp: Record<string, string> = {
      'AWS::S3::Bucket': 'BucketName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::IAM::User': 'UserName',
      'AWS::S3::AccessPoint': 'Name',
    };
    const p = nameProp[r.Type ?? ''];
    if (p && r.Properties?.[p] !== undefined) {
      // The name is written but depends on something open: that is what is unresolved.
      const v = this.prop(name, p, un);
      return v ?? `\${unresolved:Ref ${name}}`;
    }
    if (r.Type === 'AWS::IAM::ManagedPolicy') {
      const n = this.prop(name, 'ManagedPolicyName', un);
      const path = this.prop(name, 'Path', un) ?? '/';
      if (n && this.ctx.account) return `arn:aws:iam::${this.ctx.account}:policy${path}${n}`;
    }
    un.length = own;
    return this.miss(`!Ref ${name} (its physical id is generated: give the stack's resources)`, un);
  }

  /** `Fn::GetAtt` of a resource attribute. */
  getAtt(id: string, attr: string, un: string[]): unknown {
    const r = this.resource(id);
    const acct = this.ctx.account;
    const region = this.ctx.region;
    if (r && attr === 'Arn') {
      const scratch: string[] = [];
      const ref = this.ref(id, scratch);
      const ok = scratch.length === 0 && typeof ref === 'string';
      const path = this.prop(id, 'Path', []) ?? '/';
      switch (r.Type) {
        case 'AWS::S3::Bucket':
          if (ok) return `arn:aws:s3:::${ref}`;
          break;
        case 'AWS::IAM::Role':
          if (ok && acct) return `arn:aws:iam::${acct}:role${path}${ref}`;
          break;
        case 'AWS::IAM::User':
          if (ok && acct) return `arn:aws:iam::${acct}:user${path}${ref}`;
          break;
        case 'AWS::KMS::Key':
          if (ok && acct && region) return `arn:aws:kms:${region}:${acct}:key/${ref}`;
          break;
        case 'AWS::S3::AccessPoint':
          if (ok && acct && region) return `arn:aws:s3:${region}:${acct}:accesspoint/${ref}`;
          break;
      }
    }
    if (r?.Type === 'AWS::IAM::ManagedPolicy' && attr === 'PolicyArn') return this.ref(id, un);
    return this.miss(`!GetAtt ${id}.${attr}`, un);
  }

  private miss(what: string, un: string[]): string {
    un.push(what);
    return `\${unresolved:${what.split(' (')[0]}}`;
  }

  /** The value with every intrinsic it can settle resolved; what it cannot is named in `un`. */
  resolve(v: unknown, un: string[], depth = 0): unknown {
    if (depth > 100) return this.miss('(too deep)', un);
    if (Array.isArray(v)) return v.map((x) => this.resolve(x, un, depth + 1)).filter((x) => x !== NO_VALUE);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0]!;
      const a = o[k];
      const str = (x: unknown) => this.resolve(x, un, depth + 1);
      switch (k) {
        case 'Ref':
          return typeof a === 'string' ? this.ref(a, un) : this.miss('!Ref (not a name)', un);
        case 'Fn::GetAtt': {
          const parts = Array.isArray(a) ? a.map((x) => str(x)) : String(a).split('.');
          return this.getAtt(String(parts[0]), parts.slice(1).join('.'), un);
        }
        case 'Fn::Sub':
          return this.sub(a, un, depth);
        case 'Fn::Join': {
          if (!Array.isArray(a) || a.length !== 2) return this.miss('!Join (malformed)', un);
          const list = str(a[1]);
          return Array.isArray(list) ? list.map(String).join(String(str(a[0]))) : this.miss('!Join', un);
        }
        case 'Fn::Select': {
          if (!Array.isArray(a) || a.length !== 2) return this.miss('!Select (malformed)', un);
          const list = str(a[1]);
          const i = Number(str(a[0]));
          return Array.isArray(list) && i >= 0 && i < list.length ? list[i] : this.miss('!Select', un);
        }
        case 'Fn::Split': {
          if (!Array.isArray(a) || a.length !== 2) return this.miss('!Split (malformed)', un);
          return String(str(a[1])).split(String(str(a[0])));
        }
        case 'Fn::FindInMap': {
          const [m, k1, k2] = Array.isArray(a) ? a.map((x) => str(x)) : [];
          const maps = (this.t.value.Mappings ?? {}) as Record<
            string,
            Record<string, Record<string, unknown>>
          >;
          const hit = maps[String(m)]?.[String(k1)]?.[String(k2)];
          return hit !== undefined
            ? hit
            : this.miss(`!FindInMap [${String(m)}, ${String(k1)}, ${String(k2)}]`, un);
        }
        case 'Fn::ImportValue': {
          const name = str(a);
          const given = typeof name === 'string' ? this.ctx.imports[name] : undefined;
          return given ?? this.miss(`!ImportValue ${String(name)}`, un);
        }
        case 'Fn::If': {
          // [condition, value if true, value if false]: the branch the template's Conditions settle.
          if (!Array.isArray(a) || a.length !== 3) return this.miss('!If (malformed)', un);
          const c = this.condition(String(a[0]), un, depth + 1);
          // Unsettled: `condition()` has named it and what it reads.
          return c === undefined ? `\${unresolved:!If ${String(a[0])}}` : str(c ? a[1] : a[2]);
        }
      }
      if (k.startsWith('Fn::')) return this.miss(`!${k.slice(4)}`, un);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const r = this.resolve(x, un, depth + 1);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  /**
   * A named condition of the template (Fn::Equals/Not/And/Or/Condition over parameters, pseudo
   * parameters and mappings); undefined when a value it reads is not known (named in `un` once).
   */
  condition(name: string, un: string[], depth: number): boolean | undefined {
    const conds = (this.t.value.Conditions ?? {}) as Record<string, unknown>;
    if (!(name in conds) || depth > 50) {
      un.push(`condition ${name}${name in conds ? ' (too deep)' : ' (not in Conditions)'}`);
      return undefined;
    }
    const open: string[] = [];
    const v = this.cond(conds[name], open, depth + 1);
    if (v === undefined) un.push(`condition ${name} (${[...new Set(open)].join(', ') || 'not settled'})`);
    return v;
  }

  private cond(e: unknown, un: string[], depth: number): boolean | undefined {
    if (!e || typeof e !== 'object' || Array.isArray(e) || depth > 50) return undefined;
    const [k, a] = Object.entries(e as Record<string, unknown>)[0] ?? [];
    const args = Array.isArray(a) ? a : [a];
    const all = (xs: (boolean | undefined)[], stop: boolean) =>
      xs.includes(stop) ? stop : xs.includes(undefined) ? undefined : !stop;
    switch (k) {
      case 'Condition':
      case 'Fn::Condition':
        return this.condition(String(a), un, depth + 1);
      case 'Fn::Not': {
        const v = this.cond(args[0], un, depth + 1);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
        return all(
          args.map((x) => this.cond(x, un, depth + 1)),
          false,
        );
      case 'Fn::Or':
        return all(
          args.map((x) => this.cond(x, un, depth + 1)),
          true,
        );
      case 'Fn::Equals': {
        const u: string[] = [];
        const [x, y] = args.map((v) => this.resolve(v, u, depth + 1));
        un.push(...u);
        return u.length ? undefined : JSON.stringify(x) === JSON.stringify(y) || String(x) === String(y);
      }
    }
    return undefined;
  }

  private sub(a: unknown, un: string[], depth: number): unknown {
    const [tpl, vars] = Array.isArray(a) ? [a[0], (a[1] ?? {}) as Record<string, unknown>] : [a, {}];
    if (typeof tpl !== 'string') return this.miss('!Sub (malformed)', un);
    return tpl.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in vars) return String(this.resolve(vars[name], un, depth + 1));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::'))
        return String(this.getAtt(name.slice(0, dot), name.slice(dot + 1), un));
      const v = this.ref(name, un);
      return v === NO_VALUE ? '' : String(v);
    });
  }
}

function getIn(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const p of node.items) if (isPair(p) && isScalar(p.key) && p.key.value === key) return p.value as Node;
  return undefined;
}

function stripped(s: string): string | undefined {
  return s.includes('${unresolved:') ? undefined : s;
}

function idsOf(values: unknown[]): string[] {
  return [
    ...new Set(
      values
        .filter((v): v is string => typeof v === 'string')
        .map(stripped)
        .filter((v): v is string => !!v),
    ),
  ];
}

/** A policy document node as a site: its statements resolved, and edits of them in the file's style. */
function documentSite(
  t: Template,
  r: Resolver,
  docNode: Node,
  base: Omit<PolicySite, 'statements' | 'header' | 'edit' | 'line' | 'editFile' | 'file' | 'tool'>,
): PolicySite | undefined {
  if (!isMap(docNode)) return undefined;
  const stmtNode = getIn(docNode, 'Statement');
  const listNode = isSeq(stmtNode) ? stmtNode : undefined;
  const nodes: Node[] = listNode ? (listNode.items as Node[]) : stmtNode ? [stmtNode] : [];
  const statements: Resolved[] = nodes.map((n) => {
    const un: string[] = [];
    const value = r.resolve(toValue(n, t.doc), un);
    return { value, unresolved: un };
  });
  const header: Record<string, unknown> = {};
  for (const p of (docNode as YAMLMap).items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (k && k !== 'Statement') header[k] = r.resolve(toValue(p.value, t.doc), []);
  }
  const unit = indentUnit(t.file.text);
  const line = t.doc.contents && docNode.range ? lineOf(t.file.text, docNode.range[0]) : 1;
  return {
    ...base,
    file: t.file.rel,
    editFile: t.file.rel,
    tool: t.tool,
    line,
    statements,
    header,
    edit(text: string, ops: StatementOp[]): string {
      if (text !== t.file.text) throw new Error(`${t.file.rel} changed since it was read`);
      const splices: Splice[] = [];
      if (listNode && listNode.items.length > 0) {
        const appended: unknown[] = [];
        for (const op of ops) {
          if (op.op === 'append') appended.push(op.statement);
          else if (op.op === 'replace')
            splices.push(replaceNode(text, listNode.items[op.index] as Node, op.statement, unit));
          else splices.push(removeFromSeq(text, listNode, op.index));
        }
        // Appended statements go after the last one, in order, as one splice.
        if (appended.length) {
          const parts = appended.map((s) => appendToSeq(text, listNode as YAMLSeq, s, unit));
          splices.push({
            start: parts[0]!.start,
            end: parts[0]!.end,
            text: parts.map((p) => p.text).join(''),
          });
        }
        return applySplices(text, splices);
      }
      // One statement written as a map (or none): the Statement value becomes a list.
      const list: unknown[] = statements.map((s) => s.value);
      const removed = new Set<number>();
      for (const op of ops) {
        if (op.op === 'append') list.push(op.statement);
        else if (op.op === 'replace') list[op.index] = op.statement;
        else removed.add(op.index);
      }
      const next = list.filter((_, i) => !removed.has(i));
      if (stmtNode) return applySplices(text, [replaceNode(text, stmtNode, next, unit)]);
      return applySplices(text, [addToMap(text, docNode as YAMLMap, 'Statement', next, unit)]);
    },
  };
}

/** 1-based line of an offset. */
export function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function resourceNode(t: Template, id: string): Node | undefined {
  return getIn(getIn(t.doc.contents, 'Resources'), id);
}

/**
 * Resources that hold one resource policy: the property with the document, the owner's kind, and the property naming
 * the owner (absent: the resource itself owns it); `home`: a policy can be added where the resource has none.
 */
const RESOURCE_POLICIES: Record<
  string,
  { property: string; kind: IacOwner['kind']; ownerProperty?: string; home?: boolean }
> = {
  'AWS::S3::BucketPolicy': { property: 'PolicyDocument', kind: 'bucket', ownerProperty: 'Bucket' },
  'AWS::KMS::Key': { property: 'KeyPolicy', kind: 'kms-key' },
  'AWS::S3::AccessPoint': { property: 'Policy', kind: 'access-point', home: true },
};

/** Every policy document and every place a new policy can go in a template. */
export function templateSites(
  t: Template,
  inputs: TemplateInputs,
  ctx: IacContext,
): { sites: PolicySite[]; homes: PolicyHome[] } {
  const r = new Resolver(t, inputs, ctx);
  const sites: PolicySite[] = [];
  const homes: PolicyHome[] = [];
  const unit = indentUnit(t.file.text);
  const resources = t.value.Resources as Record<
    string,
    { Type?: unknown; Metadata?: Record<string, unknown> }
  >;
  for (const [id, res] of Object.entries(resources)) {
    const node = resourceNode(t, id);
    const props = getIn(node, 'Properties');
    const type = typeof res?.Type === 'string' ? res.Type : '';
    const cp = res?.Metadata?.['aws:cdk:path'];
    const constructPath = typeof cp === 'string' ? cp : undefined;
    const at = `Resources.${id}`;
    const line = node?.range ? lineOf(t.file.text, node.range[0]) : 1;
    const un: string[] = [];
    const ref = r.ref(id, un);
    const arnUn: string[] = [];
    const arn = r.getAtt(id, 'Arn', arnUn);
    const own = (kind: IacOwner['kind'], ids: unknown[]): IacOwner => {
      const got = idsOf(ids);
      return got.length ? { kind, ids: got } : { kind, ids: [], unresolved: [...un] };
    };
    const add = (site: PolicySite | undefined) => site && sites.push(site);
    const withCp = constructPath ? { constructPath } : {};
    if (type === 'AWS::IAM::Role' || type === 'AWS::IAM::User') {
      const kind = type === 'AWS::IAM::Role' ? 'role' : 'user';
      const owner = own(kind, [ref, arn]);
      const policies = getIn(props, 'Policies');
      if (isSeq(policies))
        policies.items.forEach((item, i) => {
          const doc = getIn(item, 'PolicyDocument');
          const pn = r.resolve(toValue(getIn(item, 'PolicyName'), t.doc), []);
          if (doc)
            add(
              documentSite(t, r, doc, {
                address: `${at}.Properties.Policies[${i}]`,
                owner,
                ...withCp,
                ...(typeof pn === 'string' && stripped(pn) ? { policyName: pn } : {}),
              }),
            );
        });
      if (isMap(props))
        homes.push({
          file: t.file.rel,
          tool: t.tool,
          address: at,
          ...withCp,
          line,
          owner,
          add(text, name, document) {
            const item = { PolicyName: name, PolicyDocument: document };
            const s =
              isSeq(policies) && policies.items.length > 0
                ? appendToSeq(text, policies, item, unit)
                : addToMap(text, props, 'Policies', [item], unit);
            return applySplices(text, [s]);
          },
        });
    } else if (type === 'AWS::IAM::ManagedPolicy') {
      const doc = getIn(props, 'PolicyDocument');
      if (doc) add(documentSite(t, r, doc, { address: at, owner: own('managed-policy', [ref]), ...withCp }));
    } else if (type === 'AWS::IAM::Policy') {
      const doc = getIn(props, 'PolicyDocument');
      const v = res as { Properties?: Record<string, unknown> };
      const pn = r.resolve(v.Properties?.PolicyName, []);
      for (const [key, kind] of [
        ['Roles', 'role'],
        ['Users', 'user'],
      ] as const) {
        const list = v.Properties?.[key];
        if (!Array.isArray(list) || !doc) continue;
        const ownUn: string[] = [];
        const ids = list.flatMap((x) => {
          const n = r.resolve(x, ownUn);
          const refId = (x as { Ref?: unknown })?.Ref;
          const a = typeof refId === 'string' ? r.getAtt(refId, 'Arn', []) : undefined;
          return [n, a];
        });
        const got = idsOf(ids);
        add(
          documentSite(t, r, doc, {
            address: at,
            owner: got.length ? { kind, ids: got } : { kind, ids: [], unresolved: ownUn },
            ...withCp,
            ...(typeof pn === 'string' && stripped(pn) ? { policyName: pn } : {}),
          }),
        );
      }
    } else if (RESOURCE_POLICIES[type]) {
      const { property, kind, ownerProperty, home } = RESOURCE_POLICIES[type];
      const doc = getIn(props, property);
      const ownUn: string[] = [];
      const owner: IacOwner = ownerProperty
        ? ((ids) => (ids.length ? { kind, ids } : { kind, ids: [], unresolved: ownUn }))(
            idsOf([
              r.resolve((res as { Properties?: Record<string, unknown> }).Properties?.[ownerProperty], ownUn),
            ]),
          )
        : own(kind, [ref, arn]);
      const address = ownerProperty ? at : `${at}.Properties.${property}`;
      if (doc) add(documentSite(t, r, doc, { address, owner, ...withCp }));
      else if (home && isMap(props))
        homes.push({
          file: t.file.rel,
          tool: t.tool,
          address,
          ...withCp,
          line,
          owner,
          add(text, _name, document) {
            return applySplices(text, [addToMap(text, props as YAMLMap, property, document, unit)]);
          },
        });
    } else if (type === 'AWS::S3::Bucket') {
      const owner = own('bucket', [ref]);
      const resMap = getIn(t.doc.contents, 'Resources');
      if (isMap(resMap))
        homes.push({
          file: t.file.rel,
          tool: t.tool,
          address: at,
          ...withCp,
          line,
          owner,
          add(text, _name, document) {
            const logical = `${id}Policy`;
            const body = {
              Type: 'AWS::S3::BucketPolicy',
              Properties: { Bucket: new Intrinsic('Ref', id), PolicyDocument: document },
            };
            const flow = Boolean((resMap as YAMLMap).flow);
            const value = flow ? JSON.parse(JSON.stringify(body)) : body;
            return applySplices(text, [
              addToMap(text, resMap, resources[logical] ? `${logical}S3doctor` : logical, value, unit),
            ]);
          },
        });
    } else if (type === 'AWS::Serverless::Function') {
      // SAM names the inline policies of the function's role <Function>RolePolicy<i>; the role <Function>Role.
      const roleProp = (res as { Properties?: Record<string, unknown> }).Properties?.Role;
      const roleUn: string[] = [];
      const roleRef = roleProp !== undefined ? r.resolve(roleProp, roleUn) : inputs.physical[`${id}Role`];
      const roleIds = idsOf([roleRef, typeof roleRef === 'string' ? roleRef.split('/').pop() : undefined]);
      const owner: IacOwner = roleIds.length
        ? { kind: 'role', ids: roleIds }
        : {
            kind: 'role',
            ids: [],
            unresolved: roleUn.length
              ? roleUn
              : [`the role of ${id} (SAM generates its name: give the stack's resources)`],
          };
      const policies = getIn(props, 'Policies');
      if (isSeq(policies))
        policies.items.forEach((item, i) => {
          if (getIn(item, 'Statement'))
            add(
              documentSite(t, r, item as Node, {
                address: `${at}.Properties.Policies[${i}]`,
                owner,
                policyName: `${id}RolePolicy${i}`,
                ...withCp,
              }),
            );
        });
      if (isMap(props) && roleProp === undefined)
        homes.push({
          file: t.file.rel,
          tool: t.tool,
          address: at,
          ...withCp,
          line,
          owner,
          add(text, _name, document) {
            const s =
              isSeq(policies) && policies.items.length > 0
                ? appendToSeq(text, policies, document, unit)
                : addToMap(text, props, 'Policies', [document], unit);
            return applySplices(text, [s]);
          },
        });
    }
  }
  return { sites, homes };
}

/** Child templates of nested stacks (relative TemplateURL / Location) with the parameters their parent passes. */
export function nestedStacks(
  t: Template,
): { path: string; params: Record<string, unknown>; logicalId: string }[] {
  const out: { path: string; params: Record<string, unknown>; logicalId: string }[] = [];
  const resources = t.value.Resources as Record<
    string,
    { Type?: unknown; Properties?: Record<string, unknown> }
  >;
  for (const [id, res] of Object.entries(resources)) {
    const p = res?.Properties ?? {};
    const url =
      res?.Type === 'AWS::CloudFormation::Stack'
        ? p.TemplateURL
        : res?.Type === 'AWS::Serverless::Application'
          ? p.Location
          : undefined;
    if (typeof url !== 'string' || /^[a-z]+:\/\//i.test(url)) continue;
    out.push({ path: url, params: (p.Parameters ?? {}) as Record<string, unknown>, logicalId: id });
  }
  return out;
}
