// `s3doctor test FILE`: policy unit tests. Each request must get the decision the file expects; failures show the trace.

import { readFile } from 'node:fs/promises';
import type { ExitCode } from '../program.js';
import { UsageError } from '../errors.js';
import { gatherEvidence } from '../evidence-source.js';
import type { CommonOptions } from '../options.js';
import { emitReport } from '../output.js';
import { processTerminal, stdoutColour } from '../tty.js';

/** `test`'s flags. */
export type TestOptions = CommonOptions;

/** Runs `test`: exit 0 when every test passes, 1 when one fails or unknown evidence leaves it open. */
export async function runPolicyTestFile(file: string, opts: TestOptions): Promise<ExitCode> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the test file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${file} is not JSON (${(e as Error).message}): a test file is {"snapshot": "snapshot.json", "tests": [{"name": "...", "principal": "...", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key", "expect": "Allowed"}]}.`,
    );
  }
  const { parsePolicyTestFile, runPolicyTests } = await import('../../policy-test/index.js');
  const { parseSimulateRequest, evaluateRequest } = await import('../../authz/index.js');
  let parsed;
  try {
    parsed = parsePolicyTestFile(json, file, text, parseSimulateRequest);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const snapshot = [...parsed.snapshots, ...(opts.snapshot ?? [])];
  if (!snapshot.length && !opts.live) {
    throw new UsageError(
      `${file} names no evidence: add "snapshot": "snapshot.json" to the file, or pass --snapshot FILE or --live.`,
    );
  }
  const ev = await gatherEvidence({ ...opts, snapshot }, () => parsed.tests.map((t) => t.request));
  if (!ev.evidence) throw new UsageError('no evidence was gathered: pass --snapshot FILE or --live.');
  const outcomes = runPolicyTests(parsed.tests, ev.evidence, evaluateRequest);

  const fmt = await import('../format/policy-test.js');
  const format = opts.format ?? 'text';
  let out: string;
  if (format === 'json') out = fmt.renderPolicyTestsJson(file, outcomes);
  else if (format === 'markdown') out = fmt.renderPolicyTestsMarkdown(file, outcomes);
  else if (format === 'github') out = fmt.renderPolicyTestsGithub(file, outcomes);
  else if (format === 'sarif') {
    const { sarifOptions } = await import('../sarif-rules.js');
    out = fmt.renderPolicyTestsSarif(file, outcomes, await sarifOptions(opts.ruleDocsUrl));
  } else out = fmt.renderPolicyTestsText(file, outcomes, !opts.out && stdoutColour(processTerminal()));
  await emitReport(out, opts);
  return outcomes.every((o) => o.status === 'pass') ? 0 : 1;
}
