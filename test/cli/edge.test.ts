// The CLI's edge helpers: nearest names for typos, paths typed or dropped on a terminal, the paste
// reader's explicit end, and writes that never leave a half-written file.

import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { assertCanWrite, writeNewFile } from '../../src/cli/output.js';
import { readPaste, typedPath } from '../../src/cli/prompts.js';
import { CancelledError } from '../../src/model/user-error.js';
import { nearestName } from '../../src/s3/nearest.js';

describe('nearestName', () => {
  it('names the nearest command, operation or action for a typo, and nothing for a different word', () => {
    expect(nearestName('diagnos', ['diagnose', 'triage', 'collect'])).toBe('diagnose');
    expect(nearestName('GetObjcet', ['GetObject', 'PutObject', 'GetObjectAcl'])).toBe('GetObject');
    expect(nearestName('s3:getobject', ['s3:GetObject'])).toBe('s3:GetObject');
    expect(nearestName('banana', ['diagnose', 'triage', 'collect'])).toBeUndefined();
    expect(nearestName('x'.repeat(500), ['x'])).toBeUndefined();
  });
});

describe('typedPath', () => {
  it('undoes quotes and backslash escapes of drag and drop, and expands ~', () => {
    expect(typedPath("'/tmp/my logs/a.log' ", '/home/u')).toBe('/tmp/my logs/a.log');
    expect(typedPath('"/tmp/a b.log"', '/home/u')).toBe('/tmp/a b.log');
    expect(typedPath('/tmp/my\\ logs/a\\(1\\).log', '/home/u')).toBe('/tmp/my logs/a(1).log');
    expect(typedPath('~/logs/a.log', '/home/u')).toBe('/home/u/logs/a.log');
    expect(typedPath('~', '/home/u')).toBe('/home/u');
    expect(typedPath('logs/~a', '/home/u')).toBe('logs/~a');
  });
});

describe('readPaste', () => {
  const sink = { write: () => true };

  it('keeps single blank lines (a traceback has them) and ends at two in a row, dropping the tail', async () => {
    const input = new PassThrough();
    const text = readPaste(input, sink, 'Paste:', 50);
    input.write(
      'Traceback (most recent call last):\n\n  File "x.py"\nbotocore.exceptions.ClientError: An error occurred (AccessDenied)\n\n\n',
    );
    input.write('stray line that must not answer the next prompt\n');
    const got = await text;
    expect(got).toBe(
      'Traceback (most recent call last):\n\n  File "x.py"\nbotocore.exceptions.ClientError: An error occurred (AccessDenied)',
    );
    expect(got).not.toContain('stray');
  });

  it('ends at Ctrl-D (end of input) with the text pasted so far', async () => {
    const input = new PassThrough();
    const text = readPaste(input, sink, 'Paste:', 50);
    input.end('one line\nanother\n');
    expect(await text).toBe('one line\nanother');
  });

  it('Ctrl-D before anything was pasted is a cancel (exit 130), never an empty answer', async () => {
    const input = new PassThrough();
    const text = readPaste(input, sink, 'Paste:', 50);
    input.end('\n');
    await expect(text).rejects.toBeInstanceOf(CancelledError);
    await expect(text).rejects.toMatchObject({ exitCode: 130 });
  });
});

describe('writeNewFile', () => {
  it('--force replaces the file in one step and leaves no temporary file behind', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-atomic-'));
    const f = join(d, 'report.txt');
    await writeFile(f, 'old report');
    await writeNewFile(f, 'new report', true);
    expect(await readFile(f, 'utf8')).toBe('new report');
    expect(await readdir(d)).toEqual(['report.txt']);
  });

  it('a failed write keeps the old file whole', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-atomic-'));
    const f = join(d, 'report.txt');
    await writeFile(f, 'old report');
    // A parent path that is a file: the write fails in one line, and the old file is untouched.
    await expect(writeNewFile(join(f, 'sub.txt'), 'x', true)).rejects.toThrow(
      /cannot write .*sub\.txt: a parent in the path is a file, not a folder \(ENOTDIR\)/,
    );
    expect(await readFile(f, 'utf8')).toBe('old report');
  });

  it('fails in one line, without hanging, under /proc', async () => {
    await expect(writeNewFile('/proc/sys/s3doctor-test/x.txt', 'x')).rejects.toThrow(/^cannot write /);
  }, 5000);

  it('checks an existing target before any work (assertCanWrite)', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-atomic-'));
    const f = join(d, 'snap.json');
    await writeFile(f, '{}');
    await expect(assertCanWrite(f)).rejects.toThrow(/already exists: pass --force/);
    await expect(assertCanWrite(f, true)).resolves.toBeUndefined();
    await expect(assertCanWrite(join(d, 'new', 'deeper', 'x.json'))).resolves.toBeUndefined();
  });
});
