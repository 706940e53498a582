// `s3doctor diagnose [INPUT...]`: explain each denied request in the inputs, with optional evidence and fixes.

import type { ExitCode } from '../program.js';
import type { Evidence, LogRecord, MalformedRecord, ReadItem, Report, Result } from '../../model/index.js';
import { UsageError } from '../errors.js';
import type { IacIndex } from '../../iac/index.js';
import { gatherEvidence } from '../evidence-source.js';
import { completeRecord, describedRecord, missingPartsNote } from '../missing-parts.js';
import { heapBudget } from '../heap-budget.js';
import type { FailOn } from '../fail-on.js';
import { reportFailOnExit } from '../fail-on-exit.js';
import { renderReport } from '../format/index.js';
import { reportWriter, type ReportWriter } from '../format/stream.js';
import type { DiagnoseOptions } from '../options.js';
import { notice, openReportOutput, type ReportOutput } from '../output.js';
import { patchFixes, savePatches } from '../patches.js';
import {
  readRecords,
  recordDiagnoser,
  toReport,
  toRequests,
  type EvidenceSource,
  type ReadResult,
} from '../../api/pipeline.js';
import { sarifOptions } from '../sarif-rules.js';
import { announceStdin, canPrompt, processTerminal, stdoutColour } from '../tty.js';

/** Exit code of a report (CONTRACT): 0 when every request is explained, 1 otherwise; `--fail-on` changes which outcomes count. */
export function reportExitCode(report: Report, failOn?: FailOn[]): ExitCode {
  return reportFailOnExit(report, failOn);
}

/**
 * A described request must name a real S3 operation and a possible bucket name, else the report
 * would be a long "not explained": reject it with the nearest valid operation name.
 * Bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (legacy
 * names may hold capitals and underscores; an access point ARN or alias is accepted too).
 */
async function validateDescribed(operation: string | undefined, bucket: string | undefined): Promise<void> {
  const { listOperations, nearestName } = await import('../../s3/index.js');
  const names = new Set<string>();
  for (const o of listOperations())
    for (const n of [o.apiName, o.eventName, ...(o.aliases ?? [])]) names.add(n);
  const lower = new Map([...names].map((n) => [n.toLowerCase(), n]));
  if (
    operation !== undefined &&
    !lower.has(operation.toLowerCase()) &&
    !lower.has(operation.replace(/Command$/, '').toLowerCase())
  ) {
    const near = nearestName(operation, names);
    throw new UsageError(
      `--operation ${operation} is not an S3 API operation${near ? `: did you mean ${near}?` : ''} (names as in the S3 API reference: GetObject, PutObject, ListObjectsV2, ...).`,
    );
  }
  if (
    bucket !== undefined &&
    !bucket.startsWith('arn:') &&
    !/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket)
  )
    throw new UsageError(
      `--bucket ${JSON.stringify(bucket)} is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit), nor an access point ARN.`,
    );
}

function described(opts: DiagnoseOptions): boolean {
  return Boolean(opts.principal || opts.operation || opts.bucket || opts.key);
}

/**
 * With inputs, --principal/--operation/--bucket/--key fill in what each read request lacks (a pasted
 * HEAD 403 names none of them); a request that still lacks parts gets one line on stderr naming the
 * flags (the first {@link MAX_NOTES}). Without inputs they describe the one request.
 */
function completer(inputs: string[], opts: DiagnoseOptions): (r: LogRecord) => LogRecord {
  let notes = 0;
  return (r) => {
    const done = described(opts) ? completeRecord(r, opts) : r;
    const note = missingPartsNote(done, inputs.length === 1 ? inputs[0] : undefined);
    if (note && notes++ < MAX_NOTES) notice(note);
    return done;
  };
}

const MAX_NOTES = 3;

/** Every record up front: needed when live collection must see the requests, or to apply or save fixes. */
async function readAll(inputs: string[], opts: DiagnoseOptions): Promise<ReadResult> {
  if (!inputs.length) return { records: [describedRecord(opts)], malformed: [] };
  const fromInputs = await readRecords(inputs);
  return { ...fromInputs, records: fromInputs.records.map(completer(inputs, opts)) };
}

/** Whether the inputs hold STS AssumeRole* events (a first pass that keeps nothing but the answer). */
async function holdSessionGrants(inputs: string[]): Promise<boolean> {
  const { readInputs } = await import('../../logs/index.js');
  let found = false;
  const onSessionGrant = (): void => void (found = true);
  for await (const _ of readInputs(inputs, { deniedOnly: true, onSessionGrant })) if (found) break;
  return found;
}

/** The records of the inputs as they are read (then the described request, if any), and skipped entries. */
async function* recordsOf(inputs: string[], opts: DiagnoseOptions): AsyncGenerator<ReadItem> {
  if (!inputs.length) {
    yield { kind: 'record', record: describedRecord(opts) };
    return;
  }
  const { readInputs } = await import('../../logs/index.js');
  const complete = completer(inputs, opts);
  for await (const item of readInputs(inputs, { deniedOnly: true }))
    yield item.kind === 'record' ? { ...item, record: complete(item.record) } : item;
}

/**
 * Where the results go. Text, Markdown, JSON and NDJSON are written as each result is made;
 * SARIF and GitHub annotations are one document built from every result (held until the end).
 */
function resultSink(
  format: NonNullable<DiagnoseOptions['format']>,
  out: ReportOutput,
  opts: { colour: boolean; evidence?: Evidence; ruleDocsUrl?: string },
): { writer: ReportWriter; held?: Result[] } {
  if (format !== 'sarif' && format !== 'github') return { writer: reportWriter(format, out, opts) };
  const held: Result[] = [];
  const malformed: MalformedRecord[] = [];
  const counts = { results: 0, explained: 0 };
  const writer: ReportWriter = {
    counts,
    result: (r) => void held.push(r),
    malformed: (m) => void malformed.push(m),
    end: async () => {
      const sarif = format === 'sarif' ? await sarifOptions(opts.ruleDocsUrl) : undefined;
      const text = renderReport(toReport(held, malformed), format, {
        colour: opts.colour,
        ...(opts.evidence ? { evidence: opts.evidence } : {}),
        ...(sarif ? { sarif } : {}),
      });
      await out.write(text);
    },
  };
  return { writer, held };
}

/** Reads the --iac folder (and --iac-state documents); a folder that cannot be read is a usage error. */
async function loadIacIndex(dir: string, stateFiles: string[] | undefined): Promise<IacIndex> {
  const { loadIac } = await import('../../iac/index.js');
  try {
    return await loadIac(dir, stateFiles ? { stateFiles } : {});
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read --iac ${dir}${code ? ` (${code})` : ''}: ${code ? 'give a folder of Terraform or CloudFormation sources' : (e as Error).message}.`,
    );
  }
}

/** Reads the stacks of the --iac folder's templates (see addLiveStacks); what could not be read is a notice. */
async function readIacStacks(
  iac: IacIndex,
  evidence: Evidence | undefined,
  opts: DiagnoseOptions,
): Promise<void> {
  const { addLiveStacks } = await import('../../iac/index.js');
  const notes = await addLiveStacks(iac, evidence, {
    ...(opts.iacStack ? { stacks: opts.iacStack } : {}),
    live: {
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.roleArn?.length ? { roleArns: opts.roleArn } : {}),
    },
  });
  for (const n of notes) notice(`--iac: ${n}`);
}

/**
 * `--write`: the first verified, confirmed IaC patch of each result (one per document the fix
 * changes) is applied to its file; without --yes it is a dry run that names the files.
 */
async function writeIac(root: string, results: Result[], opts: DiagnoseOptions): Promise<void> {
  const { writeIacPatches, writableIacPatches, IacWriteError } = await import('../../iac/index.js');
  const chosen = writableIacPatches(results);
  if (chosen.length === 0) {
    notice('--write: no verified IaC patch matched to one source to write.');
    return;
  }
  if (!(opts.yes || opts.assumeYes)) {
    for (const p of chosen)
      notice(`--write (dry run, add --yes to write): would change ${p.file} at line ${p.line}`);
    return;
  }
  try {
    const done = await writeIacPatches(root, chosen, opts.backupDir ? { backupDir: opts.backupDir } : {});
    for (const w of done)
      notice(
        w.written ? `Wrote ${w.file} (backup: ${w.backup ?? ''})` : `Did not write ${w.file}: ${w.why ?? ''}`,
      );
  } catch (e) {
    if (e instanceof IacWriteError) throw new UsageError(e.message);
    throw e;
  }
}

/** Runs `diagnose`. */
export async function runDiagnose(inputs: string[], opts: DiagnoseOptions): Promise<ExitCode> {
  const t = processTerminal();
  const interactive = canPrompt(t, opts.interactive !== false);
  if (inputs.length === 0 && !described(opts)) {
    if (interactive) {
      const { runAssistant } = await import('./assistant.js');
      return runAssistant({ preset: opts });
    }
    if (t.stdin.isTTY) {
      throw new UsageError(
        'give an input: a log file, a folder, or - for stdin (or run s3doctor alone on a terminal for the assistant).',
      );
    }
    inputs = ['-'];
  }
  if (described(opts) && inputs.length === 0 && (!opts.operation || !opts.bucket)) {
    throw new UsageError(
      'to describe a request give at least --operation (e.g. GetObject) and --bucket (and --principal, --key); with an input they fill in what its requests lack.',
    );
  }
  if (described(opts)) await validateDescribed(opts.operation, opts.bucket);
  if (inputs.length) announceStdin(inputs, t);
  let ev: EvidenceSource = await gatherEvidence({ ...opts, live: false }, () => []);
  // Every record is read before diagnosing when live collection needs the requests, --apply and
  // --save-patch the results, or session policies (--session-policy, or AssumeRole events in the
  // inputs, looked for first) settle the evidence of the sessions the records use. Otherwise each
  // record is diagnosed and written as it is read.
  if ((opts.write || opts.iacState || opts.iacStack) && !opts.iac)
    throw new UsageError('--write, --iac-state and --iac-stack go with --iac DIR.');
  if (opts.iacStack && !opts.live) throw new UsageError('--iac-stack reads the stack from AWS: add --live.');
  const iac = opts.iac ? await loadIacIndex(opts.iac, opts.iacState) : undefined;
  const holdAll =
    Boolean(opts.live || opts.apply || opts.savePatch || opts.write) ||
    (ev.evidence !== undefined &&
      ((opts.sessionPolicy !== undefined && opts.sessionPolicy.kind !== 'unknown') ||
        inputs.includes('-') ||
        (inputs.length > 0 && (await holdSessionGrants(inputs)))));
  const read = holdAll ? await readAll(inputs, opts) : undefined;
  if (opts.live && read?.records.length) {
    // Live collection needs the requests first; snapshots (if any) hint at canonical ids and owners.
    const requests = await toRequests(read.records, ev.evidence);
    ev = await gatherEvidence(opts, () => requests);
  }
  // --iac with --live: the CloudFormation stacks of DIR's templates settle their parameters, physical ids and exports.
  if (opts.live && iac) await readIacStacks(iac, ev.evidence, opts);
  const diagnose = await recordDiagnoser(ev, opts, read?.sessionGrants, read?.records, {
    mergeFixes: true,
    ...(iac ? { iac } : {}),
  });
  const out = await openReportOutput(opts);
  const { writer } = resultSink(opts.format ?? 'text', out, {
    colour: !opts.out && stdoutColour(t),
    ...(ev.evidence ? { evidence: ev.evidence } : {}),
    ...(opts.ruleDocsUrl ? { ruleDocsUrl: opts.ruleDocsUrl } : {}),
  });
  // --fail-on asks whether some result is unexplained, or denied: the first such result decides.
  const results: Result[] = [];
  const examples: Result[] = [];
  const budget = heapBudget();
  const seen = (r: Result): Result => {
    budget();
    if (read) results.push(r);
    if (examples.length === 0 && reportFailOnExit({ schemaVersion: 1, results: [r] }, opts.failOn) === 1)
      examples.push(r);
    return r;
  };
  try {
    if (read) {
      for (const record of read.records) await writer.result(seen(diagnose(record)));
      for (const m of read.malformed) await writer.malformed(m);
    } else {
      for await (const item of recordsOf(inputs, opts)) {
        if (item.kind === 'record') await writer.result(seen(diagnose(item.record)));
        else await writer.malformed(item.malformed);
      }
    }
    await writer.end();
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.close();

  if (opts.savePatch) {
    // Only verified patches are saved (as --save-patch says): an unverified one may not let the request through.
    const all = patchFixes(results);
    const items = all.filter(({ fix }) => fix.verified === true);
    if (items.length < all.length)
      notice(
        `${all.length - items.length} unverified patch(es) not saved: re-diagnosing with them did not show the request allowed (see the report's fixes).`,
      );
    if (items.length === 0) notice('No verified patch to save.');
    else {
      const written = await savePatches(
        items,
        typeof opts.savePatch === 'string'
          ? { file: opts.savePatch, force: opts.force ?? false }
          : { force: opts.force ?? false },
      );
      for (const [i, w] of written.entries())
        notice(`Patch saved to ${w} (for ${items[i]!.patch.target.id})`);
    }
  }
  if (opts.write && iac) await writeIac(iac.root, results, opts);
  if (opts.apply && read) {
    const { applyFromFlags } = await import('../apply.js');
    const applied = await applyFromFlags(results, ev, opts, read.records);
    if (applied !== undefined) return applied;
  }
  return reportExitCode({ schemaVersion: 1, results: examples }, opts.failOn);
}
