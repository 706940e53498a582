// Terraform expressions a policy is often written with: for expressions, templatefile(), policy variables as &{...}
// in aws_iam_policy_document, variable defaults and tfvars; what stays open is named as unresolved.

import { describe, expect, it } from 'vitest';
import { emptyContext } from '../../src/iac/context.js';
import type { SourceFile } from '../../src/iac/discover.js';
import { readSources } from '../../src/iac/sources.js';

const ACCOUNT = '111122223333';

function read(files: Record<string, string>) {
  const list: SourceFile[] = Object.entries(files).map(([rel, text]) => ({
    rel,
    abs: `/x/${rel}`,
    kind: rel.endsWith('.tf')
      ? 'terraform'
      : rel.endsWith('.tfvars')
        ? 'tfvars'
        : /\.(tftpl|tpl)$/.test(rel)
          ? 'text'
          : 'template',
    text,
  }));
  const set = readSources(list, { ...emptyContext(), account: ACCOUNT, region: 'us-east-1' });
  expect(set.broken).toEqual([]);
  return set.sites;
}

const ROLE = `resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
`;

describe('for expressions', () => {
  const main = `${ROLE}
variable "buckets" {
  type    = list(string)
  default = ["reports", "logs", "tmp"]
}

locals {
  by_env = { prod = "reports", dev = "reports-dev" }
}

resource "aws_iam_role_policy" "read" {
  name = "read"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for b in var.buckets : "arn:aws:s3:::\${b}/*" if b != "tmp"]
      },
      {
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = [for env, b in local.by_env : "arn:aws:s3:::\${b}"]
        Condition = { StringLike = { for k, v in { prefix = "home/" } : "s3:\${k}" => "\${v}*" } }
      },
    ]
  })
}
`;

  it('a list for expression filters by its condition', () => {
    const [site] = read({ 'main.tf': main });
    expect(site!.statements[0]!.unresolved).toEqual([]);
    expect(site!.statements[0]!.value).toMatchObject({
      Resource: ['arn:aws:s3:::reports/*', 'arn:aws:s3:::logs/*'],
    });
  });

  it('a condition it cannot settle is named as unresolved', () => {
    const text = main.replace('if b != "tmp"', 'if b != var.skip');
    const [site] = read({ 'main.tf': text });
    expect(site!.statements[0]!.unresolved).toEqual(['var.skip']);
    const [other] = read({ 'main.tf': text.replace('var.skip', 'upper(b)') });
    expect(other!.statements[0]!.value).toMatchObject({
      Resource: ['arn:aws:s3:::reports/*', 'arn:aws:s3:::logs/*', 'arn:aws:s3:::tmp/*'],
    });
    const [opaque] = read({ 'main.tf': text.replace('var.skip', 'length(b) > 3') });
    expect(opaque!.statements[0]!.unresolved).toEqual([expect.stringMatching(/^expression at offset/)]);
  });

  it('list and map for expressions over known values resolve (maps in key order)', () => {
    const text = main.replace(' if b != "tmp"', '');
    const [site] = read({ 'main.tf': text });
    expect(site!.statements.map((s) => s.unresolved)).toEqual([[], []]);
    expect(site!.statements[0]!.value).toMatchObject({
      Resource: ['arn:aws:s3:::reports/*', 'arn:aws:s3:::logs/*', 'arn:aws:s3:::tmp/*'],
    });
    expect(site!.statements[1]!.value).toMatchObject({
      Resource: ['arn:aws:s3:::reports-dev', 'arn:aws:s3:::reports'],
      Condition: { StringLike: { 's3:prefix': 'home/*' } },
    });
  });

  it('a for expression over a variable without a value names the variable', () => {
    const text = main.replace(/default = \[.*\]\n/, '').replace(' if b != "tmp"', '');
    const [site] = read({ 'main.tf': text });
    expect(site!.statements[0]!.unresolved).toEqual(['var.buckets']);
    expect(site!.statements[1]!.unresolved).toEqual([]);
  });

  it('an object for expression groups values with ...', () => {
    const text = main.replace('"s3:${k}" => "${v}*" }', '"s3:prefix" => "${v}*"... if true }');
    const [site] = read({ 'main.tf': text.replace(' if b != "tmp"', '') });
    expect(site!.statements[1]!.value).toMatchObject({
      Condition: { StringLike: { 's3:prefix': ['home/*'] } },
    });
  });
});

describe('templatefile()', () => {
  const main = `${ROLE}
variable "bucket" {
  default = "reports"
}

resource "aws_iam_role_policy" "read" {
  name   = "read"
  role   = aws_iam_role.app.id
  policy = templatefile("\${path.module}/policies/read.json.tftpl", { bucket = var.bucket, prefix = "home" })
}
`;
  const tpl = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::\${bucket}/\${prefix}/$\${aws:username}/*"
    }
  ]
}
`;

  it('reads the template with its variables, policy variables kept', () => {
    const [site] = read({ 'main.tf': main, 'policies/read.json.tftpl': tpl });
    expect(site!.editFile).toBe('policies/read.json.tftpl');
    expect(site!.statements).toEqual([
      {
        value: {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::reports/home/${aws:username}/*',
        },
        unresolved: [],
      },
    ]);
  });

  it('names a template variable the call does not pass as unresolved', () => {
    const [site] = read({
      'main.tf': main.replace(', prefix = "home"', ''),
      'policies/read.json.tftpl': tpl,
    });
    expect(site!.statements[0]!.unresolved).toEqual(['prefix']);
  });

  it('edits the template in its own style, escaping ${ of the new statement', () => {
    const files = { 'main.tf': main, 'policies/read.json.tftpl': tpl };
    const [site] = read(files);
    const statement = {
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::reports/${aws:userid}/*',
    };
    const edited = site!.edit(tpl, [{ op: 'append', statement }]);
    expect(edited.startsWith(tpl.slice(0, tpl.lastIndexOf('}\n  ]')))).toBe(true);
    expect(edited).toContain('"Resource": "arn:aws:s3:::reports/$${aws:userid}/*"');
    const [again] = read({ ...files, 'policies/read.json.tftpl': edited });
    expect(again!.statements.map((s) => s.value)).toEqual([site!.statements[0]!.value, statement]);
  });
});

describe('policy variables in aws_iam_policy_document', () => {
  const main = `${ROLE}
data "aws_iam_policy_document" "home" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/home/&{aws:username}/*"]
  }
}

resource "aws_iam_role_policy" "home" {
  name   = "home"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.home.json
}
`;

  it('reads &{aws:username} as the policy variable ${aws:username}', () => {
    const [site] = read({ 'main.tf': main });
    expect(site!.statements[0]!.value).toMatchObject({
      Resource: ['arn:aws:s3:::reports/home/${aws:username}/*'],
    });
    expect(site!.statements[0]!.unresolved).toEqual([]);
  });

  it('writes a new statement policy variable as &{...} and reads it back', () => {
    const [site] = read({ 'main.tf': main });
    const statement = {
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::reports'],
      Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } },
    };
    const edited = site!.edit(main, [{ op: 'append', statement }]);
    expect(edited).toContain('values   = ["home/&{aws:username}/*"]');
    expect(edited).not.toContain('${aws:username}');
    const [again] = read({ 'main.tf': edited });
    expect(again!.statements.map((s) => s.value)[1]).toEqual(statement);
  });
});

describe('variables', () => {
  const module = `variable "role_name" {}
variable "bucket" {
  default = "reports"
}

resource "aws_iam_role" "app" {
  name               = var.role_name
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "read" {
  name   = "read"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::\${var.bucket}/*" }] })
}
`;

  it('a default settles a variable, a tfvars file overrides it, a variable without either is unresolved', () => {
    const [noVars] = read({ 'main.tf': module });
    expect(noVars!.statements[0]!.value).toMatchObject({ Resource: 'arn:aws:s3:::reports/*' });
    expect(noVars!.owner).toMatchObject({ ids: [], unresolved: ['var.role_name'] });
    const [withVars] = read({
      'main.tf': module,
      'terraform.tfvars': 'role_name = "app"\nbucket    = "reports-prod"\n',
    });
    expect(withVars!.statements[0]!.value).toMatchObject({ Resource: 'arn:aws:s3:::reports-prod/*' });
    expect(withVars!.owner.ids).toContain('app');
  });
});
