// Unit tests of the assistant's questions and flag answers: asked only when they settle an unknown.

import { describe, expect, it } from 'vitest';
import { answersToChange, hasAnswers } from '../../src/api/answers.js';
import { questionsFor } from '../../src/cli/answers.js';
import { parseTri, parseVpce } from '../../src/cli/options.js';
import { denyResult, unexplainedResult } from './fixtures.js';

describe('questionsFor', () => {
  it('asks about HTTPS only when aws:SecureTransport is an unknown', () => {
    expect(questionsFor(unexplainedResult()).map((q) => q.id)).toEqual(['https']);
    expect(questionsFor(denyResult())).toEqual([]);
  });
  it('does not ask what a flag answered, but does when the flag said "unknown"', () => {
    expect(questionsFor(unexplainedResult(), { https: 'yes' })).toEqual([]);
    expect(questionsFor(unexplainedResult(), { https: 'unknown' }).map((q) => q.id)).toEqual(['https']);
  });
  it('asks about VPC endpoints and request payer when those are unknown', () => {
    const r = {
      ...unexplainedResult(),
      unknowns: [
        { path: 'context.aws:SourceVpce', couldExplain: [] },
        { path: 's3.requestPayerSent', couldExplain: [] },
      ],
    };
    expect(questionsFor(r).map((q) => q.id)).toEqual(['via-vpce', 'request-payer']);
  });
});

describe('answersToChange', () => {
  it('turns answers into a request change, and "unknown" into nothing', () => {
    expect(
      answersToChange({ https: 'unknown', requestPayer: 'unknown', viaVpce: { kind: 'unknown' } }),
    ).toBeUndefined();
    expect(answersToChange({ https: 'yes' })).toEqual({ context: { 'aws:SecureTransport': 'true' } });
    expect(answersToChange({ https: 'no', requestPayer: 'yes' })).toEqual({
      context: { 'aws:SecureTransport': 'false' },
      s3: { requestPayerSent: true },
    });
    expect(answersToChange({ viaVpce: { kind: 'vpce', id: 'vpce-1a' } }, () => 'vpc-9')).toEqual({
      context: { 'aws:SourceVpce': 'vpce-1a', 'aws:SourceVpc': 'vpc-9' },
    });
    expect(answersToChange({ viaVpce: { kind: 'no' } })).toEqual({
      removeContextKeys: ['aws:SourceVpce', 'aws:SourceVpc'],
    });
  });
  it('knows whether anything was answered', () => {
    expect(hasAnswers({})).toBe(false);
    expect(hasAnswers({ https: 'unknown' })).toBe(false);
    expect(hasAnswers({ requestPayer: 'no' })).toBe(true);
  });
});

describe('flag parsers', () => {
  it('parses yes/no/unknown and rejects anything else', () => {
    expect(parseTri('YES')).toBe('yes');
    expect(parseTri('false')).toBe('no');
    expect(parseTri('unknown')).toBe('unknown');
    expect(() => parseTri('maybe')).toThrow(/yes, no or unknown/);
  });
  it('parses a VPC endpoint id', () => {
    expect(parseVpce('vpce-0ABC')).toEqual({ kind: 'vpce', id: 'vpce-0abc' });
    expect(parseVpce('no')).toEqual({ kind: 'no' });
    expect(parseVpce('unknown')).toEqual({ kind: 'unknown' });
    expect(() => parseVpce('vpc-1')).toThrow(/VPC endpoint id/);
  });
});
