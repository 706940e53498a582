// Hostile pasted text: every error-message pattern reads long runs once (no quadratic rescans), one-line files included.
import { describe, expect, it } from 'vitest';
import { parseErrorText } from '../../src/logs/error-text.js';

const fill = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

// Each was seconds to minutes at 128 KiB before the patterns were anchored and bounded (x: 23 s on an idle machine).
const HOSTILE: Record<string, string> = {
  'plain x': 'x',
  'Exception without separator': 'xException',
  'Exception colon': 'aException: ',
  'Java v1 without closing paren':
    'aException: m (Service: S3; Status Code: 403; Error Code: AccessDenied; Request ID: A',
  'Java v2 without closing paren': 'aException: m (Service: S3, Status Code: 403, Request ID: A',
  '.NET namespaces': 'Amazon.',
  '.NET dotted': 'Amazon.S3.',
  'unclosed XML error': '<Error>',
  'AWS CLI without code end': 'An error occurred (',
  'Go v2 prefix': 'operation error a',
  'printed JS object': '"$metadata": {',
  'upload failed prefix': 'upload failed: ',
  'deserializer names': 'de_A',
};

describe('error-text patterns take linear time', () => {
  it.each(Object.entries(HOSTILE))('%s, 256 KiB on one line', (_name, unit) => {
    const text = fill(unit, 256 * 1024);
    expect(timed(() => parseErrorText(text, 'x'))).toBeLessThan(4000);
  });

  it('the same patterns still read real messages among the noise', () => {
    const noise = fill('xException', 64 * 1024);
    const text =
      `${noise}\n` +
      'com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ABCDEF0123456789; S3 Extended Request ID: abc=)\n' +
      `${fill('<Error>', 4096)}\n` +
      '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>\n';
    const recs = parseErrorText(text, 'x');
    expect(recs.map((r) => r.errorCode)).toEqual(['AccessDenied', 'NoSuchKey']);
    expect(recs[0]!.requestId).toBe('ABCDEF0123456789');
  });

  it('many anchors on one long line each cost a bounded scan (window ends are not searched to the end of the file)', () => {
    const small = fill('"$metadata": {', 128 * 1024);
    const big = fill('"$metadata": {', 1024 * 1024);
    const a = timed(() => parseErrorText(small, 'x'));
    const b = timed(() => parseErrorText(big, 'x'));
    // 8x the input: linear is about 8x the time; quadratic was 64x. Generous for a loaded machine.
    expect(b).toBeLessThan(Math.max(a * 30, 3000));
  });
});
