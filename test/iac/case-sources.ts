// Writes a Terraform or CloudFormation source tree holding a rule case's snapshot policies, in one of several styles,
// and records where the patched document sits (the only bytes an edit may change).

import type { PolicyPatch } from '../../src/model/index.js';

/** How the Terraform source writes the document. */
export const TF_STYLES = ['jsonencode', 'heredoc', 'file', 'policy-document'] as const;
/** How the CloudFormation template is written. */
export const CFN_STYLES = ['yaml', 'json'] as const;
export type TfStyle = (typeof TF_STYLES)[number];
export type CfnStyle = (typeof CFN_STYLES)[number];

type Doc = Record<string, unknown>;

/** What the source must hold: the patch target with its current document and the owner's other documents. */
export interface SourceSpec {
  account: string;
  region: string;
  target: PolicyPatch['target'];
  /** The target's document (null: the owner has none yet). */
  before: Doc | null;
  /** The owner's other inline documents (identity targets), by name. */
  others: { name: string; doc: Doc }[];
}

/** A generated source tree and the span of the patched document (absent: the edit may only insert). */
export interface Generated {
  files: Record<string, string>;
  span?: { file: string; start: number; end: number };
}

/** Appends text and remembers the offsets of one marked part. */
class Out {
  text = '';
  span?: { start: number; end: number };
  add(s: string): this {
    this.text += s;
    return this;
  }
  mark(s: string): this {
    this.span = { start: this.text.length, end: this.text.length + s.length };
    this.text += s;
    return this;
  }
}

const lastOf = (arn: string) => arn.split('/').pop()!;

// ---------------------------------------------------------------- Terraform

/** An HCL quoted string (Terraform's `${`/`%{` escaped). */
function hq(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** A value in HCL object syntax, two-space indented, keys quoted where HCL needs it. */
function hcl(v: unknown, depth: number): string {
  const ind = '  '.repeat(depth);
  if (typeof v === 'string') return hq(v);
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[${v.map((x) => hq(x as string)).join(', ')}]`;
    return `[\n${v.map((x) => `${ind}  ${hcl(x, depth + 1)}`).join(',\n')}\n${ind}]`;
  }
  const lines = Object.entries(v).map(
    ([k, x]) =>
      `${ind}  ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k)} = ${hcl(x, depth + 1)}`,
  );
  return `{\n${lines.join('\n')}\n${ind}}`;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** An `aws_iam_policy_document` data source of a document (policy variables written `&{...}`). */
function policyDocument(label: string, doc: Doc): string {
  const s = (x: unknown) => JSON.stringify(x).replace(/\$\{/g, '&{');
  const strs = (v: unknown) => `[${list(v).map(s).join(', ')}]`;
  const out = [`data "aws_iam_policy_document" "${label}" {`];
  if (doc.Version) out.push(`  version = ${s(doc.Version)}`);
  if (doc.Id) out.push(`  policy_id = ${s(doc.Id)}`);
  for (const st of list(doc.Statement) as Doc[]) {
    out.push('', '  statement {');
    if (st.Sid !== undefined) out.push(`    sid    = ${s(st.Sid)}`);
    out.push(`    effect = ${s(st.Effect)}`);
    for (const [k, n] of [
      ['Action', 'actions'],
      ['NotAction', 'not_actions'],
      ['Resource', 'resources'],
      ['NotResource', 'not_resources'],
    ] as const)
      if (st[k] !== undefined) out.push(`    ${n} = ${strs(st[k])}`);
    for (const [k, n] of [
      ['Principal', 'principals'],
      ['NotPrincipal', 'not_principals'],
    ] as const) {
      const p = st[k];
      if (p === undefined) continue;
      const entries = p === '*' ? [['*', ['*']] as const] : Object.entries(p as Doc);
      for (const [type, ids] of entries)
        out.push(
          '',
          `    ${n} {`,
          `      type        = ${s(type)}`,
          `      identifiers = ${strs(ids)}`,
          '    }',
        );
    }
    for (const [test, keys] of Object.entries((st.Condition ?? {}) as Record<string, Doc>))
      for (const [variable, values] of Object.entries(keys))
        out.push(
          '',
          '    condition {',
          `      test     = ${s(test)}`,
          `      variable = ${s(variable)}`,
          `      values   = ${strs(values)}`,
          '    }',
        );
    out.push('  }');
  }
  out.push('}');
  return out.join('\n');
}

/**
 * Terraform: the owner resource and the document in `style`. The span is the document's expression
 * (jsonencode, heredoc), the JSON file (file()), or the data source (policy document).
 */
export function terraformSources(spec: SourceSpec, style: TfStyle): Generated {
  const files: Record<string, string> = {};
  const main = new Out().add(
    `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\n# Generated from a rule case: ${spec.target.type} ${spec.target.id}\n`,
  );
  let span: Generated['span'];
  let n = 0;
  /** Writes `policy = <document>`; the marked document is the target's. */
  const policyAttr = (doc: Doc, target: boolean, indent = '  '): void => {
    const label = `doc_${n++}`;
    if (style === 'jsonencode') {
      main.add(`${indent}policy = `);
      if (target) main.mark(`jsonencode(${hcl(doc, indent.length / 2)})`);
      else main.add(`jsonencode(${hcl(doc, indent.length / 2)})`);
      main.add('\n');
    } else if (style === 'heredoc') {
      const body = `<<-POLICY\n${JSON.stringify(doc, null, 2)
        .replace(/\$\{/g, '$${')
        .split('\n')
        .map((l) => `${indent}  ${l}`)
        .join('\n')}\n${indent}POLICY`;
      main.add(`${indent}policy = `);
      if (target) main.mark(body);
      else main.add(body);
      main.add('\n');
    } else if (style === 'file') {
      const rel = `policies/${label}.json`;
      const text = `${JSON.stringify(doc, null, 4)}\n`;
      files[rel] = text;
      if (target) span = { file: rel, start: 0, end: text.length };
      main.add(`${indent}policy = file("\${path.module}/${rel}")\n`);
    } else {
      main.add(`${indent}policy = data.aws_iam_policy_document.${label}.json\n`);
      pending.push({ label, doc, target });
    }
  };
  const pending: { label: string; doc: Doc; target: boolean }[] = [];
  const { type, id } = spec.target;
  const role = (name: string, boundary?: string) =>
    main.add(
      `\nresource "aws_iam_role" "${name.replace(/\W/g, '_')}" {\n  name = ${hq(name)}\n${boundary ? `  permissions_boundary = ${boundary}\n` : ''}  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]\n  })\n}\n`,
    );
  if (type === 'identity-policy' && /:(role|user)\//.test(id)) {
    const kind = /:role\//.test(id) ? 'role' : 'user';
    const name = lastOf(id);
    const label = name.replace(/\W/g, '_');
    if (kind === 'role') role(name);
    else main.add(`\nresource "aws_iam_user" "${label}" {\n  name = ${hq(name)}\n}\n`);
    const docs = [
      ...spec.others.map((o) => ({ ...o, target: false })),
      ...(spec.before ? [{ name: spec.target.name!, doc: spec.before, target: true }] : []),
    ];
    for (const d of docs) {
      main.add(
        `\nresource "aws_iam_${kind}_policy" "${d.name.replace(/\W/g, '_')}" {\n  name = ${hq(d.name)}\n  ${kind} = aws_iam_${kind}.${label}.${kind === 'role' ? 'id' : 'name'}\n`,
      );
      policyAttr(d.doc, d.target);
      main.add('}\n');
    }
  } else if (type === 'identity-policy' || type === 'permissions-boundary') {
    const name = lastOf(id);
    const label = name.replace(/\W/g, '_');
    main.add(`\nresource "aws_iam_policy" "${label}" {\n  name = ${hq(name)}\n`);
    if (spec.before) policyAttr(spec.before, true);
    main.add('}\n');
    if (type === 'permissions-boundary') role('app', `aws_iam_policy.${label}.arn`);
  } else if (type === 'bucket-policy') {
    main.add(`\nvariable "bucket_name" {\n  type    = string\n  default = ${hq(id)}\n}\n`);
    main.add(`\nresource "aws_s3_bucket" "data" {\n  bucket = var.bucket_name\n}\n`);
    if (spec.before) {
      main.add(`\nresource "aws_s3_bucket_policy" "data" {\n  bucket = aws_s3_bucket.data.id\n`);
      policyAttr(spec.before, true);
      main.add('}\n');
    }
  } else if (type === 'access-point-policy') {
    main.add(`\nresource "aws_s3_bucket" "data" {\n  bucket = "reports-bucket"\n}\n`);
    main.add(
      `\nresource "aws_s3_access_point" "ap" {\n  bucket = aws_s3_bucket.data.id\n  name   = ${hq(lastOf(id))}\n`,
    );
    if (spec.before) policyAttr(spec.before, true);
    main.add('}\n');
  } else if (type === 'kms-key-policy') {
    main.add(`\nresource "aws_kms_key" "data" {\n  description = "data key"\n`);
    if (spec.before) policyAttr(spec.before, true);
    main.add('}\n');
    files['terraform.tfstate'] = `${JSON.stringify(
      {
        version: 4,
        resources: [
          {
            mode: 'managed',
            type: 'aws_kms_key',
            name: 'data',
            instances: [{ attributes: { arn: id, key_id: lastOf(id), id: lastOf(id) } }],
          },
        ],
      },
      null,
      2,
    )}\n`;
  } else throw new Error(`no Terraform source for ${type}`);
  for (const p of pending) {
    main.add('\n');
    if (p.target) main.mark(policyDocument(p.label, p.doc));
    else main.add(policyDocument(p.label, p.doc));
    main.add('\n');
  }
  files['main.tf'] = main.text;
  if (main.span) span = { file: 'main.tf', ...main.span };
  return { files, ...(span ? { span } : {}) };
}

// ---------------------------------------------------------------- CloudFormation

/** A CloudFormation value with the account id as `Fn::Sub` and the bucket as `Ref`, in YAML or JSON form. */
type Cfn = unknown;

/** Replaces the account id in strings by `${AWS::AccountId}` (Fn::Sub), where the string has no `${` of its own. */
function subAccount(v: unknown, account: string, sub: (s: string) => Cfn): Cfn {
  if (typeof v === 'string')
    return v.includes(account) && !v.includes('${') ? sub(v.split(account).join('${AWS::AccountId}')) : v;
  if (Array.isArray(v)) return v.map((x) => subAccount(x, account, sub));
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subAccount(x, account, sub)]));
  return v;
}

/** A tagged YAML scalar (`!Sub '...'`, `!Ref X`, `!GetAtt X.Arn`). */
class Tag {
  constructor(
    readonly tag: string,
    readonly value: string,
  ) {}
}

function yScalar(s: unknown): string {
  if (typeof s !== 'string') return JSON.stringify(s);
  if (/^[A-Za-z][\w:/.*-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s)) return s;
  if (!s.includes("'") && !/[\n\\]/.test(s)) return `'${s}'`;
  return JSON.stringify(s);
}

/** Block-style YAML of a value at `indent` spaces; comments after some keys to check they stay. */
function yaml(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (v instanceof Tag) return `!${v.tag} ${yScalar(v.value)}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `\n${v.map((x) => `${pad}- ${yaml(x, indent + 2).replace(/^\n\s*/, '')}`).join('\n')}`;
  }
  if (typeof v === 'object' && v !== null) {
    const e = Object.entries(v);
    if (e.length === 0) return '{}';
    return `\n${e.map(([k, x]) => `${pad}${yScalar(k)}: ${yaml(x, indent + 2)}`.replace(/: \n/, ':\n')).join('\n')}`;
  }
  return yScalar(v);
}

/** Resources (logical id -> body) and the logical id and property path of the target document. */
function cfnResources(
  spec: SourceSpec,
  sub: (s: string) => Cfn,
  ref: (id: string) => Cfn,
): { resources: Record<string, Doc>; at?: (string | number)[]; physical?: Record<string, string> } {
  const { type, id } = spec.target;
  const doc = (d: Doc) => subAccount(d, spec.account, sub);
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
  };
  if (type === 'identity-policy' && /:(role|user)\//.test(id)) {
    const role = /:role\//.test(id);
    const docs = [
      ...spec.others.map((o) => ({ PolicyName: o.name, PolicyDocument: doc(o.doc) })),
      ...(spec.before ? [{ PolicyName: spec.target.name!, PolicyDocument: doc(spec.before) }] : []),
    ];
    const props: Doc = role
      ? { RoleName: lastOf(id), AssumeRolePolicyDocument: trust }
      : { UserName: lastOf(id) };
    if (docs.length) props.Policies = docs;
    return {
      resources: { Principal: { Type: role ? 'AWS::IAM::Role' : 'AWS::IAM::User', Properties: props } },
      ...(spec.before
        ? { at: ['Principal', 'Properties', 'Policies', docs.length - 1, 'PolicyDocument'] }
        : {}),
    };
  }
  if (type === 'identity-policy' || type === 'permissions-boundary') {
    const props: Doc = { ManagedPolicyName: lastOf(id) };
    if (spec.before) props.PolicyDocument = doc(spec.before);
    const resources: Record<string, Doc> = {
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: props },
    };
    if (type === 'permissions-boundary')
      resources.AppRole = {
        Type: 'AWS::IAM::Role',
        Properties: { RoleName: 'app', AssumeRolePolicyDocument: trust, PermissionsBoundary: ref('Managed') },
      };
    return { resources, ...(spec.before ? { at: ['Managed', 'Properties', 'PolicyDocument'] } : {}) };
  }
  if (type === 'bucket-policy') {
    const resources: Record<string, Doc> = {
      DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: id } },
    };
    if (spec.before)
      resources.DataBucketPolicy = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: ref('DataBucket'), PolicyDocument: doc(spec.before) },
      };
    return {
      resources,
      ...(spec.before ? { at: ['DataBucketPolicy', 'Properties', 'PolicyDocument'] } : {}),
    };
  }
  if (type === 'access-point-policy') {
    const props: Doc = { Bucket: ref('DataBucket'), Name: lastOf(id) };
    if (spec.before) props.Policy = doc(spec.before);
    return {
      resources: {
        DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'reports-bucket' } },
        AccessPoint: { Type: 'AWS::S3::AccessPoint', Properties: props },
      },
      ...(spec.before ? { at: ['AccessPoint', 'Properties', 'Policy'] } : {}),
    };
  }
  if (type === 'kms-key-policy') {
    const props: Doc = { Description: 'data key' };
    if (spec.before) props.KeyPolicy = doc(spec.before);
    return {
      resources: { DataKey: { Type: 'AWS::KMS::Key', Properties: props } },
      ...(spec.before ? { at: ['DataKey', 'Properties', 'KeyPolicy'] } : {}),
      physical: { DataKey: lastOf(id) },
    };
  }
  throw new Error(`no CloudFormation source for ${type}`);
}

/**
 * CloudFormation: YAML with short-form tags (`!Sub`, `!Ref`) and comments, or JSON with `Fn::Sub`/`Ref`.
 * The span is the target document's value; KMS keys get a describe-stack-resources file for their id.
 */
export function cfnSources(spec: SourceSpec, style: CfnStyle): Generated {
  const files: Record<string, string> = {};
  const yamlStyle = style === 'yaml';
  const { resources, at, physical } = cfnResources(
    spec,
    (s) => (yamlStyle ? new Tag('Sub', s) : { 'Fn::Sub': s }),
    (id) => (yamlStyle ? new Tag('Ref', id) : { Ref: id }),
  );
  if (physical)
    files['stack-resources.json'] = `${JSON.stringify(
      {
        StackResources: Object.entries(physical).map(([l, p]) => ({
          StackName: 'data',
          LogicalResourceId: l,
          PhysicalResourceId: p,
          ResourceType: resources[l]!.Type,
        })),
      },
      null,
      2,
    )}\n`;
  // The target document is written with a placeholder, then the placeholder replaced and its span recorded.
  const MARK = 'S3doctorTargetDocument';
  let target: unknown;
  if (at) {
    let o = resources as unknown as Record<string | number, unknown>;
    for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    target = o[at[at.length - 1]!];
    o[at[at.length - 1]!] = MARK;
  }
  let text: string;
  let rendered = '';
  if (yamlStyle) {
    const body = Object.entries(resources)
      .map(([l, r]) => `  # ${l}: ${String(r.Type)}\n  ${l}:${yaml(r, 4)}`)
      .join('\n\n');
    text = `AWSTemplateFormatVersion: '2010-09-09'\nDescription: Generated from a rule case  # keep this comment\n\nResources:\n${body}\n`;
    if (at) {
      const line = text.slice(0, text.indexOf(MARK)).split('\n').pop()!;
      const indent = line.length - line.trimStart().length + 2;
      rendered = yaml(target, indent);
    }
  } else {
    text = `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2)}\n`;
    if (at) {
      const line = text
        .slice(0, text.indexOf(`"${MARK}"`))
        .split('\n')
        .pop()!;
      const indent = line.length - line.trimStart().length;
      rendered = JSON.stringify(target, null, 2)
        .split('\n')
        .join(`\n${' '.repeat(indent)}`);
    }
  }
  const file = yamlStyle ? 'template.yaml' : 'template.json';
  let span: Generated['span'];
  if (at) {
    const needle = yamlStyle ? MARK : `"${MARK}"`;
    let start = text.indexOf(needle);
    const end = start + needle.length;
    if (rendered.startsWith('\n')) start -= 1; // the space after `Key:` goes with a block value
    text = text.slice(0, start) + rendered + text.slice(end);
    span = { file, start, end: start + rendered.length };
  }
  files[file] = text;
  return { files, ...(span ? { span } : {}) };
}
