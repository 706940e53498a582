// Merging fixes that change one policy document: statements united, none lost, Sids unique.

import { describe, expect, it } from 'vitest';
import { mergeDocuments } from '../../src/fix/merge.js';
import type { PolicyDocument } from '../../src/model/policy.js';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement: Statement.flat() }) as PolicyDocument;

describe('mergeDocuments', () => {
  it('keeps the statements both new documents add, with unique Sids', () => {
    const a = doc({
      Sid: 'S3doctorGetObject',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/1',
    });
    const b = doc({
      Sid: 'S3doctorGetObject',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/2',
    });
    const m = mergeDocuments(null, a, b)!;
    expect(m.Statement).toEqual([
      { Sid: 'S3doctorGetObject', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/1' },
      { Sid: 'S3doctorGetObject2', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/2' },
    ]);
  });
  it('joins new statements that differ only in their actions', () => {
    const a = doc({
      Sid: 'S3doctorGetObject',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/k',
    });
    const b = doc({
      Sid: 'S3doctorPutObject',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/k',
    });
    expect(mergeDocuments(null, a, b)!.Statement).toEqual([
      {
        Sid: 'S3doctorGetObject',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::b/k',
      },
    ]);
  });
  it('unites two changes of one existing statement (actions; exemptions from a Deny)', () => {
    const before = doc(
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'Guard', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
    );
    const exempt = (arn: string, action: string) =>
      doc(
        { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', action], Resource: 'arn:aws:s3:::b/*' },
        {
          Sid: 'Guard',
          Effect: 'Deny',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': arn } },
        },
      );
    const m = mergeDocuments(
      before,
      exempt('arn:aws:iam::1:role/a', 's3:PutObject'),
      exempt('arn:aws:iam::1:role/b', 's3:DeleteObject'),
    )!;
    expect(m.Statement).toEqual([
      {
        Sid: 'Read',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::b/*',
      },
      {
        Sid: 'Guard',
        Effect: 'Deny',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::b/*',
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'] },
        },
      },
    ]);
  });
  it('refuses two changes of one statement it cannot unite', () => {
    const before = doc({ Sid: 'X', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    const a = doc({ Sid: 'X', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    const b = doc({
      Sid: 'X',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Principal: '*',
    });
    expect(mergeDocuments(before, a, b)).toBeUndefined();
  });
});
