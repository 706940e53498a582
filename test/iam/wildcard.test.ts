// Action and ARN wildcard matching: case rules, `*` and `?`, and component-wise ARN semantics.
import { describe, expect, it } from 'vitest';
import { actionMatches, resourceMatches } from '../../src/iam/index.js';

describe('actionMatches', () => {
  it.each([
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:getobject', 's3:GetObject', true],
    ['S3:GETOBJECT', 's3:GetObject', true],
    ['s3:Get*', 's3:GetObjectVersion', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:*Object*', 's3:PutObjectAcl', true],
    ['s3:*Object', 's3:PutObjectAcl', false],
    ['*', 'kms:Decrypt', true],
    ['s3:*', 'kms:Decrypt', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:GGetObject', false],
    ['s3:GetObject', 's3:GetObjectAcl', false],
    ['s3:List*', 's3:ListBucket', true],
    ['kms:*', 'KMS:Decrypt', true],
  ])('%s vs %s -> %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('resourceMatches', () => {
  it.each([
    ['arn:aws:s3:::b', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/k', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c', true],
    ['arn:aws:s3:::b*', 'arn:aws:s3:::b-2/x', true],
    ['arn:aws:s3:::b*', 'arn:aws:s3:::b', true],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false],
    ['arn:aws:s3:::b/K*', 'arn:aws:s3:::b/k1', false],
    ['arn:aws:s3:::b/k?', 'arn:aws:s3:::b/k1', true],
    ['arn:aws:s3:::b/k?', 'arn:aws:s3:::b/k12', false],
    ['*', 'arn:aws:s3:::anything/at/all', true],
    // In the resource part `*` spans ':' too.
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a:b:c', true],
    // In the first five components `*` does not span ':'.
    ['arn:aws:s3:*:*:accesspoint/ap', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap', true],
    ['arn:aws:s3:*:accesspoint/ap', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap', false],
    ['arn:aws:*:us-east-1:111122223333:key/*', 'arn:aws:kms:us-east-1:111122223333:key/1', true],
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/abc', true],
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:444455556666:key/abc', false],
    ['arn:*:s3:::b/*', 'arn:aws-cn:s3:::b/k', true],
    ['arn:aws:s3:::b/a/*/c', 'arn:aws:s3:::b/a/x/y/c', true],
    ['arn:aws:s3:::b/$plain', 'arn:aws:s3:::b/$plain', true],
  ])('%s vs %s -> %s', (pattern, arn, expected) => {
    expect(resourceMatches(pattern, arn)).toBe(expected);
  });
});
