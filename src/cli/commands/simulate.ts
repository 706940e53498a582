// `s3doctor simulate --request FILE`: evaluate one request against the evidence and print the decision and trace.

import { readFile } from 'node:fs/promises';
import type { ExitCode } from '../program.js';
import type { S3Request } from '../../model/index.js';
import { UsageError } from '../errors.js';
import { gatherEvidence } from '../evidence-source.js';
import { renderEvaluationJson } from '../format/json.js';
import { renderEvaluationText } from '../format/text.js';
import type { SimulateOptions } from '../options.js';
import { emitReport } from '../output.js';
import { announceStdin, processTerminal, stdoutColour } from '../tty.js';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses the request file (CONTRACT "simulate --request FILE"). */
export async function loadSimulateRequest(path: string): Promise<S3Request> {
  let text: string;
  try {
    if (path === '-') announceStdin([path]);
    text = path === '-' ? await readAllStdin() : await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the request file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path given to --request.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${path} is not JSON (${(e as Error).message}): --request takes {"principal": "...", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key", "context": {}}.`,
    );
  }
  const { parseSimulateRequest } = await import('../../authz/index.js');
  try {
    return parseSimulateRequest(json);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

/** Runs `simulate`: exit 0 when the decision is certain, 1 when unknown evidence leaves it open. */
export async function runSimulate(opts: SimulateOptions): Promise<ExitCode> {
  const req = await loadSimulateRequest(opts.request);
  const ev = await gatherEvidence(opts, () => [req]);
  const { evaluateWith } = await import('../../api/pipeline.js');
  // --session-policy settles the session policy of the request's session; each unknown says why it is missing.
  const evaluation = await evaluateWith(req, ev, opts.sessionPolicy);
  const t = processTerminal();
  const format = opts.format ?? 'text';
  let text: string;
  if (format === 'json') text = renderEvaluationJson(evaluation);
  else {
    const body = renderEvaluationText(evaluation, {
      colour: format === 'text' && !opts.out && stdoutColour(t),
    });
    text =
      format === 'markdown'
        ? `# s3doctor simulate\n\n**Decision: ${evaluation.decision}**\n\n\`\`\`text\n${body}\`\`\`\n`
        : body;
  }
  await emitReport(text, opts);
  return evaluation.certain ? 0 : 1;
}
