// The triage JSON and NDJSON documents, now written a group at a time, are byte for byte what the whole-document renderer wrote before (golden files made by that build).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/src/cli/main.js');
const env = {
  ...process.env,
  NO_COLOR: '1',
  CI: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Inputs (paths as given, from the repository root: they appear in the output) and their golden name. */
const INPUTS: [string, string][] = [
  ['test/e2e/fixtures/access.log', 'access'],
  ['test/logs/fixtures/access-doc-examples.log', 'access-doc-examples'],
  ['test/logs/fixtures/access-edge-cases.log', 'access-edge-cases'],
  ['test/logs/fixtures/cloudtrail-records.json', 'cloudtrail-records'],
  ['test/e2e/fixtures/pasted/spark-s3a.log', 'spark-s3a'],
];

describe('triage --format json/ndjson output is unchanged by the streamed writer', () => {
  for (const [input, name] of INPUTS)
    for (const format of ['json', 'ndjson'])
      it(`${name} (${format})`, async () => {
        const r = await run(
          process.execPath,
          [cli, 'triage', input, '--format', format, '--no-interactive'],
          {
            cwd: root,
            env,
            maxBuffer: 1 << 24,
          },
        );
        const golden = readFileSync(join(root, 'test/triage/fixtures/golden', `${name}.${format}`), 'utf8');
        expect(r.stdout).toBe(golden);
      }, 60_000);
});
