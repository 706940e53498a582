// examples/lambda/template.yaml: parses with CloudFormation's short-form tags, references resolve, the role's
// evidence policy is the shipped collector policy, the rule's pattern is the handler's, the env is what it reads.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, type CollectionTag, type ScalarTag } from 'yaml';
import { denialEventPattern, readEvent } from '../../src/lambda/event.js';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'examples', 'lambda', 'template.yaml'), 'utf8');

// The short forms of the intrinsic functions
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
// `!Ref X` is `{Ref: X}`, `!GetAtt A.B` is `{"Fn::GetAtt": [A, B]}`, every other `!F v` is `{"Fn::F": v}`.
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Condition',
];
function cfnTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [
    { tag: '!Ref', resolve: (v: string) => ({ Ref: v }) },
    { tag: '!GetAtt', resolve: (v: string) => ({ 'Fn::GetAtt': v.split(/\.(.*)/s).slice(0, 2) }) },
    { tag: '!GetAtt', collection: 'seq', resolve: (v) => ({ 'Fn::GetAtt': v.toJSON() as unknown }) },
  ];
  for (const f of FUNCTIONS) {
    const name = f === 'Condition' ? 'Condition' : `Fn::${f}`;
    tags.push({ tag: `!${f}`, resolve: (v: string) => ({ [name]: v }) });
    tags.push({ tag: `!${f}`, collection: 'seq', resolve: (v) => ({ [name]: v.toJSON() as unknown }) });
    tags.push({ tag: `!${f}`, collection: 'map', resolve: (v) => ({ [name]: v.toJSON() as unknown }) });
  }
  return tags;
}

type Obj = Record<string, unknown>;
const template = parse(text, { customTags: cfnTags() }) as {
  Parameters: Obj;
  Resources: Record<string, { Type: string; Properties: Obj }>;
  Outputs: Obj;
};
const res = template.Resources;

function walk(x: unknown, f: (o: Obj) => void): void {
  if (Array.isArray(x)) x.forEach((y) => walk(y, f));
  else if (typeof x === 'object' && x !== null) {
    f(x as Obj);
    Object.values(x).forEach((y) => walk(y, f));
  }
}

describe('examples/lambda/template.yaml', () => {
  it('parses with the short-form tags (and does not without them)', () => {
    const doc = parseDocument(text, { customTags: cfnTags() });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    // Without them every short form is an unresolved tag.
    const bare = parseDocument(text);
    expect(bare.warnings.length).toBeGreaterThan(10);
    expect(bare.warnings.every((w) => w.code === 'TAG_RESOLVE_FAILED')).toBe(true);
    expect(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.Type]))).toEqual({
      ReportTopic: 'AWS::SNS::Topic',
      FunctionLogGroup: 'AWS::Logs::LogGroup',
      FunctionRole: 'AWS::IAM::Role',
      Function: 'AWS::Lambda::Function',
      DenialRule: 'AWS::Events::Rule',
      RuleInvokePermission: 'AWS::Lambda::Permission',
    });
  });

  it('every Ref and GetAtt names a parameter, a resource or a pseudo parameter', () => {
    const known = new Set([...Object.keys(template.Parameters), ...Object.keys(res)]);
    const refs: string[] = [];
    walk(template, (o) => {
      if (typeof o.Ref === 'string') refs.push(o.Ref);
      if (Array.isArray(o['Fn::GetAtt'])) refs.push(String(o['Fn::GetAtt'][0]));
    });
    expect(refs.length).toBeGreaterThan(8);
    for (const r of refs) expect(known.has(r) || r.startsWith('AWS::'), r).toBe(true);
  });

  it("the role's evidence policy is exactly the shipped collector policy, less its IaC-only statement", () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'examples', 'collector-policy.json'), 'utf8')) as {
      Statement: { Sid?: string }[];
    };
    // The Lambda never reads IaC sources: the statement for `diagnose --iac DIR --live` is the one it leaves out.
    const iacOnly = 'CloudFormationReadStacks';
    expect(shipped.Statement.map((st) => st.Sid)).toContain(iacOnly);
    const collector = { ...shipped, Statement: shipped.Statement.filter((st) => st.Sid !== iacOnly) };
    const policies = res.FunctionRole!.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: unknown;
    }[];
    expect(policies.find((p) => p.PolicyName === 's3doctor-collector')?.PolicyDocument).toEqual(collector);
    // The rest: publish to its own topic, write its own log group; no managed policies.
    expect(policies.map((p) => p.PolicyName)).toEqual([
      's3doctor-collector',
      'publish-reports',
      'write-own-logs',
    ]);
    expect(policies[1]!.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'ReportTopic' } }],
    });
    expect(res.FunctionRole!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("the rule's event pattern is the handler's, and an event it matches is one the handler reads", () => {
    expect(res.DenialRule!.Properties.EventPattern).toEqual(denialEventPattern());
    const event = JSON.parse(
      readFileSync(join(ROOT, 'test', 'lambda', 'fixtures', 's3-putobject-denied.json'), 'utf8'),
    ) as { source: string; detail: { errorCode: string } };
    const p = denialEventPattern() as { $or: { source: string[]; detail: { errorCode: string[] } }[] };
    const branch = p.$or.find((b) => b.source.includes(event.source))!;
    expect(branch.detail.errorCode).toContain(event.detail.errorCode);
    expect(readEvent(event).ok).toBe(true);
  });

  it('the function runs the package handler with the environment it reads', () => {
    const fn = res.Function!.Properties;
    expect(fn.Handler).toBe('index.handler');
    expect(readFileSync(join(ROOT, 'examples', 'lambda', 'index.mjs'), 'utf8')).toContain(
      "export { handler } from 's3doctor/lambda';",
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { default: string }>;
    };
    expect(existsSync(join(ROOT, pkg.exports['./lambda']!.default))).toBe(true);
    const vars = (fn.Environment as { Variables: Obj }).Variables;
    expect(vars.S3DOCTOR_TOPIC_ARN).toEqual({ Ref: 'ReportTopic' });
    expect(vars.S3DOCTOR_DEDUPE_WINDOW_SECONDS).toEqual({ Ref: 'DedupeWindowSeconds' });
    const handlerSrc = readFileSync(join(ROOT, 'src', 'lambda', 'handler.ts'), 'utf8');
    for (const v of Object.keys(vars).filter((k) => k.startsWith('S3DOCTOR_')))
      expect(handlerSrc, v).toContain(`env.${v}`);
    expect(fn.ReservedConcurrentExecutions).toBe(1);
    expect(res.RuleInvokePermission!.Properties).toMatchObject({
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['DenialRule', 'Arn'] },
    });
  });
});
