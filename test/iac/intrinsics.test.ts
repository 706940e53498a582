// Values CloudFormation settles only by conditions (Fn::If / !If): resolved from parameter defaults and stack parameters, otherwise named as unresolved.

import { describe, expect, it } from 'vitest';
import { emptyContext } from '../../src/iac/context.js';
import { readSources } from '../../src/iac/sources.js';

const template = (envParam: string) => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String${envParam}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  ProdInUsEast: !And [!Condition IsProd, !Equals [!Ref 'AWS::Region', us-east-1]]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [IsProd, reports-bucket, reports-bucket-dev]
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { AWS: !If [ProdInUsEast, 'arn:aws:iam::444455556666:root', !Ref 'AWS::NoValue'] }
            Action: !If [NotProd, 's3:*', s3:GetObject]
            Resource: !Sub 'arn:aws:s3:::\${Bucket}/*'
`;

function sitesOf(text: string, stackParams: Record<string, Record<string, string>> = {}) {
  const ctx = { ...emptyContext(), account: '111122223333', region: 'us-east-1', stackParams };
  const set = readSources([{ rel: 'template.yaml', abs: '/x/template.yaml', kind: 'template', text }], ctx);
  expect(set.broken).toEqual([]);
  return set.sites;
}

describe('!If', () => {
  it('takes the branch the parameter default settles, through !Equals, !Not, !And and !Condition', () => {
    const [site] = sitesOf(template('\n    Default: prod'));
    expect(site!.owner).toMatchObject({ kind: 'bucket', ids: ['reports-bucket'] });
    expect(site!.statements[0]).toEqual({
      value: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::reports-bucket/*',
      },
      unresolved: [],
    });
    const [dev] = sitesOf(template('\n    Default: dev'));
    expect(dev!.owner.ids).toEqual(['reports-bucket-dev']);
    expect(dev!.statements[0]!.value).toMatchObject({ Principal: {}, Action: 's3:*' });
  });

  it('a parameter without a value leaves the condition unresolved, naming it and the parameter', () => {
    const [site] = sitesOf(template(''));
    expect(site!.owner.ids).toEqual([]);
    expect(site!.owner.unresolved!.join(' ')).toContain('condition IsProd');
    const un = site!.statements[0]!.unresolved.join(' | ');
    expect(un).toContain('condition ProdInUsEast');
    expect(un).toContain('condition NotProd');
    expect(un).toMatch(/Env/);
  });
});
