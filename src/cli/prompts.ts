// The interactive assistant: the only place that prompts. Questions go through an injectable `Ask`
// (inquirer on a terminal, scripted answers in tests); everything else comes in as `AssistantDeps`.

import type {
  Evidence,
  Fix,
  LogRecord,
  MalformedRecord,
  IacPatch,
  PolicyPatch,
  Report,
  Result,
} from '../model/index.js';
import { writableIacPatches } from '../iac/choose.js';
import { CancelledError } from '../model/user-error.js';
import { questionsFor, type QuestionSpec } from './answers.js';
import { terminalSafe } from './format/safe.js';
import type { AnswerOptions, TriAnswer, VpceAnswer } from './options.js';
import { completeRecord, partsToAsk, whyPartsMissing } from './missing-parts.js';

/** One choice of a select question. */
export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
}

/** How the assistant asks: the subset of inquirer it uses, plus pasting several lines and printing. */
export interface Ask {
  select<T>(q: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  input(q: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string | Promise<true | string>;
  }): Promise<string>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
  /** Reads pasted text up to its explicit end (two empty lines in a row, or Ctrl-D). */
  paste(message: string): Promise<string>;
  /** Prints a block of output. */
  say(text: string): void;
}

/**
 * The inquirer-backed `Ask` for a real terminal (inquirer loads here, lazily). Only the three prompts
 * used are dependencies: `@inquirer/prompts` would also install the editor prompt's encoding libraries.
 */
export async function createTerminalAsk(): Promise<Ask> {
  const [{ default: select }, { default: input }, { default: confirm }] = await Promise.all([
    import('@inquirer/select'),
    import('@inquirer/input'),
    import('@inquirer/confirm'),
  ]);
  const inq = { select, input, confirm };
  const { redactSecrets } = await import('../logs/index.js');
  const { promptInput } = await import('./tty.js');
  // After Ctrl-D ended a paste, stdin has ended: the prompts read the terminal opened again.
  const context = async (): Promise<{ input: NodeJS.ReadStream }> => ({ input: await promptInput() });
  return {
    select: async <T>(q: { message: string; choices: Choice<T>[]; default?: T }) =>
      inq.select<T>(
        {
          message: q.message,
          choices: q.choices,
          ...(q.default !== undefined ? { default: q.default } : {}),
          pageSize: 12,
        },
        await context(),
      ),
    input: async (q) =>
      inq.input(
        {
          message: q.message,
          ...(q.default !== undefined ? { default: q.default } : {}),
          ...(q.validate ? { validate: q.validate } : {}),
        },
        await context(),
      ),
    confirm: async (q) => inq.confirm({ message: q.message, default: q.default ?? false }, await context()),
    paste: async (message) => readPaste(await promptInput(), process.stdout, message),
    say: (text) =>
      void process.stdout.write(terminalSafe(redactSecrets(text.endsWith('\n') ? text : `${text}\n`))),
  };
}

/**
 * Reads a paste from `input` until its explicit end: two empty lines in a row, or end of input
 * (Ctrl-D). Single empty lines are kept (a boto3 traceback has them). Lines that arrive within
 * `quietMs` after the end are the tail of the same paste and are dropped, so they never answer
 * the next prompt. Ctrl-D before anything was pasted is a cancel ({@link CancelledError}, exit 130).
 */
export async function readPaste(
  input: NodeJS.ReadableStream,
  output: { write(s: string): unknown },
  message: string,
  quietMs = 150,
): Promise<string> {
  const { createInterface } = await import('node:readline');
  output.write(`${message}\n`);
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, terminal: false });
    const lines: string[] = [];
    let blanks = 0;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const text = (): string => lines.join('\n').trim();
    const drain = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => rl.close(), quietMs);
    };
    rl.on('line', (line) => {
      if (ended) return drain();
      if (line.trim() !== '') {
        blanks = 0;
        lines.push(line);
        return;
      }
      blanks += 1;
      if (lines.length === 0) return;
      if (blanks >= 2) {
        ended = true;
        drain();
      } else lines.push('');
    });
    rl.on('close', () => {
      clearTimeout(timer);
      if (text() === '')
        reject(
          new CancelledError('Cancelled (end of input before anything was pasted): nothing was changed.'),
        );
      else resolve(text());
    });
  });
}

/** Records read from what the user gave. */
export interface ReadOutcome {
  records: LogRecord[];
  malformed: MalformedRecord[];
}

/** Evidence picked by the user. */
export interface EvidenceChoice {
  evidence?: Evidence;
  kind: 'none' | 'snapshot' | 'live';
  profile?: string;
  snapshotPath?: string;
}

/** What the assistant needs from the rest of s3doctor (injected so flows run without a terminal or AWS). */
export interface AssistantDeps {
  readPasted(text: string): Promise<ReadOutcome>;
  readFile(path: string): Promise<ReadOutcome>;
  described(d: { principal?: string; operation?: string; bucket?: string; key?: string }): LogRecord;
  listProfiles(): Promise<string[]>;
  /** Loads and merges snapshot files (as `--snapshot` does everywhere). */
  loadSnapshot(paths: string[]): Promise<Evidence>;
  collectLive(records: LogRecord[], profile: string | undefined): Promise<Evidence>;
  /** With `iac`: each verified policy fix also as a diff of the Terraform/CloudFormation source under the folder. */
  diagnose(
    records: LogRecord[],
    ev: EvidenceChoice,
    answers: AnswerOptions,
    iac?: IacChoice,
  ): Promise<Result[]>;
  /** Writes IaC patches to their files under the folder (clean git work tree, backup); one line per file. */
  writeIac?(dir: string, patches: IacPatch[]): Promise<string[]>;
  renderText(report: Report, evidence: Evidence | undefined): string;
  renderMarkdown(report: Report, evidence: Evidence | undefined): string;
  /** Writes a new file (throws when it exists, unless force); returns the absolute path. */
  writeFile(path: string, text: string, force: boolean): Promise<string>;
  savePatch(fix: Fix, patch: PolicyPatch, force: boolean): Promise<string>;
  applicable(results: Result[]): { fix: Fix; patch: PolicyPatch }[];
  patches(results: Result[]): { fix: Fix; patch: PolicyPatch }[];
  describeChange(fix: Fix, patch: PolicyPatch): string;
  apply(
    patch: PolicyPatch,
    profile: string | undefined,
    evidence?: Evidence,
  ): Promise<{ backupPath: string }>;
  fileExists(path: string): Promise<boolean>;
}

/** The Terraform / CloudFormation folder the fixes are shown against (`--iac`, `--iac-state`). */
export interface IacChoice {
  dir: string;
  state?: string[];
}

/** Flags given on the command line that pre-answer the assistant's questions. */
export interface AssistantPreset extends AnswerOptions {
  snapshot?: string[];
  live?: boolean;
  profile?: string;
  iac?: string;
  iacState?: string[];
}

/** What the assistant ends with. */
export interface AssistantOutcome {
  results: Result[];
  /** Files the user saved (patches, reports, backups). */
  saved: string[];
  applied: boolean;
}

const OPERATIONS = [
  'GetObject',
  'PutObject',
  'ListObjectsV2',
  'HeadObject',
  'DeleteObject',
  'CopyObject',
  'GetBucketPolicy',
  'PutBucketPolicy',
];

/**
 * A path as typed or dropped on a terminal: surrounding quotes removed ('...' or "..."), `\ `
 * escapes undone (drag and drop on macOS and GNOME), and a leading `~` expanded to `home`.
 */
export function typedPath(v: string, home: string): string {
  let p = v.trim();
  const q = p[0];
  if (p.length >= 2 && (q === '"' || q === "'") && p.endsWith(q)) p = p.slice(1, -1);
  else p = p.replace(/\\([ '"()&;$!#*?[\]{}<>|`\\])/g, '$1');
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home.replace(/\/$/, '')}/${p.slice(2)}`;
  return p;
}

function cleanPath(v: string): string {
  return typedPath(v, process.env.HOME ?? process.env.USERPROFILE ?? '~');
}

/** A prompt validator: a path that exists (else the message the prompt shows). */
function existingPath(deps: AssistantDeps): (v: string) => Promise<true | string> {
  return async (v) => {
    const path = cleanPath(v);
    if (path === '') return 'Give a path';
    return (await deps.fileExists(path)) ? true : `No such file: ${path}`;
  };
}

async function askForRequest(ask: Ask, deps: AssistantDeps): Promise<LogRecord[]> {
  for (;;) {
    const how = await ask.select<'paste' | 'file' | 'describe'>({
      message: 'How do you want to give the denied request?',
      choices: [
        { value: 'paste', name: 'Paste a log line, a CloudTrail event or the error message' },
        { value: 'file', name: 'Pick a file (access log, CloudTrail JSON/CSV, .gz, or a folder)' },
        { value: 'describe', name: 'Describe it: principal, operation, bucket, key' },
      ],
    });
    let read: ReadOutcome;
    if (how === 'paste') {
      const text = await ask.paste('Paste it below, then press Enter twice on empty lines (or Ctrl-D):');
      read = await deps.readPasted(text);
    } else if (how === 'file') {
      const path = await ask.input({
        message: 'File or folder:',
        validate: existingPath(deps),
      });
      read = await deps.readFile(cleanPath(path));
    } else {
      const principal = await ask.input({
        message: 'Who made the request? (IAM user/role/session ARN, or "anonymous")',
        default: 'anonymous',
      });
      let operation = await ask.select<string>({
        message: 'Which operation?',
        choices: [
          ...OPERATIONS.map((o) => ({ value: o, name: o })),
          { value: '', name: 'Another one (type its name)' },
        ],
      });
      if (!operation)
        operation = (await ask.input({ message: 'Operation (API name, e.g. PutObjectAcl):' })).trim();
      const bucket = (
        await ask.input({ message: 'Bucket:', validate: (v) => (v.trim() ? true : 'Give the bucket name') })
      ).trim();
      const key = (await ask.input({ message: 'Object key (empty for a bucket operation):' })).trim();
      read = {
        records: [
          deps.described({ principal: principal.trim(), operation, bucket, ...(key ? { key } : {}) }),
        ],
        malformed: [],
      };
    }
    for (const m of read.malformed.slice(0, 3))
      ask.say(`Skipped ${m.source}${m.line !== undefined ? `:${m.line}` : ''}: ${m.reason}`);
    if (read.records.length === 0) {
      ask.say('No denied request found in that input. Try again (or pick another way).');
      continue;
    }
    if (read.records.length === 1) return [await askForMissingParts(ask, read.records[0]!)];
    const pick = await ask.select<number>({
      message: `${read.records.length} denied requests found. Which one?`,
      choices: [
        { value: -1, name: `All ${read.records.length}` },
        ...read.records.slice(0, 30).map((r, i) => ({
          value: i,
          name: `${r.input.line !== undefined ? `line ${r.input.line}` : (r.input.eventId ?? r.input.source)}: ${r.apiName ?? r.logOperation ?? '?'} ${r.bucket ?? ''}/${r.key ?? ''} ${r.errorCode ?? ''}`,
        })),
      ],
    });
    return pick < 0 ? read.records : [read.records[pick]!];
  }
}

/** A pasted error that names no bucket (a HEAD 403 names nothing at all): says why and asks for what it lacks. */
async function askForMissingParts(ask: Ask, r: LogRecord): Promise<LogRecord> {
  const parts = partsToAsk(r);
  if (parts.length === 0) return r;
  ask.say(`${whyPartsMissing(r)} Give what the error leaves out.`);
  const d: { bucket?: string; key?: string; principal?: string } = {};
  if (parts.includes('bucket'))
    d.bucket = (
      await ask.input({ message: 'Bucket:', validate: (v) => (v.trim() ? true : 'Give the bucket name') })
    ).trim();
  if (parts.includes('key')) d.key = (await ask.input({ message: 'Object key:' })).trim() || undefined;
  if (parts.includes('principal'))
    d.principal = (
      await ask.input({
        message: 'Who made the request? (the Arn of aws sts get-caller-identity, or "anonymous")',
        default: 'anonymous',
      })
    ).trim();
  return completeRecord(r, d);
}

async function askForEvidence(
  ask: Ask,
  deps: AssistantDeps,
  records: LogRecord[],
  preset: AssistantPreset,
): Promise<EvidenceChoice> {
  if (preset.snapshot?.length) {
    // Several --snapshot files are merged, as diagnose merges them.
    return {
      evidence: await deps.loadSnapshot(preset.snapshot),
      kind: 'snapshot',
      snapshotPath: preset.snapshot.join(', '),
    };
  }
  if (preset.live)
    return {
      evidence: await deps.collectLive(records, preset.profile),
      kind: 'live',
      ...(preset.profile ? { profile: preset.profile } : {}),
    };
  const where = await ask.select<'live' | 'snapshot' | 'none'>({
    message: 'Where should the evidence (policies and settings) come from?',
    choices: [
      { value: 'live', name: 'Live from AWS (read-only calls with a profile)' },
      { value: 'snapshot', name: 'A snapshot file (s3doctor collect, or written by hand)' },
      { value: 'none', name: 'None: explain from the request alone' },
    ],
  });
  if (where === 'none') return { kind: 'none' };
  if (where === 'snapshot') {
    for (;;) {
      const path = cleanPath(
        await ask.input({
          message: 'Snapshot file:',
          validate: existingPath(deps),
        }),
      );
      try {
        return { evidence: await deps.loadSnapshot([path]), kind: 'snapshot', snapshotPath: path };
      } catch (e) {
        ask.say(`That snapshot cannot be used: ${(e as Error).message}`);
      }
    }
  }
  const profiles = await deps.listProfiles();
  const profile = await ask.select<string>({
    message: 'Which AWS profile?',
    choices: [
      { value: '', name: 'The default credential chain (AWS_PROFILE, environment, SSO, instance role)' },
      ...profiles.map((p) => ({ value: p, name: p })),
    ],
  });
  return {
    evidence: await deps.collectLive(records, profile || undefined),
    kind: 'live',
    ...(profile ? { profile } : {}),
  };
}

async function askQuestion(ask: Ask, q: QuestionSpec, deps: AssistantDeps): Promise<Partial<AnswerOptions>> {
  const message = `${q.text}\n  (asked because ${q.why}; flag ${q.flag})`;
  if (q.id === 'session-policy') {
    const a = await ask.select<'none' | 'file' | 'unknown'>({
      message,
      choices: [
        { value: 'none', name: 'No: the session was created without a session policy' },
        { value: 'file', name: 'Yes, and I have the policy JSON in a file' },
        { value: 'unknown', name: "I don't know" },
      ],
    });
    if (a !== 'file') return { sessionPolicy: { kind: a } };
    const path = cleanPath(
      await ask.input({ message: 'Session policy file:', validate: existingPath(deps) }),
    );
    return { sessionPolicy: { kind: 'file', path } };
  }
  if (q.id === 'via-vpce') {
    const a = await ask.select<'yes' | 'no' | 'unknown'>({
      message,
      choices: [
        { value: 'yes', name: 'Yes, through a VPC endpoint' },
        { value: 'no', name: 'No' },
        { value: 'unknown', name: "I don't know" },
      ],
    });
    if (a !== 'yes') return { viaVpce: { kind: a } as VpceAnswer };
    const id = (
      await ask.input({
        message: 'Endpoint id (vpce-..., empty if unknown):',
        validate: (v) =>
          v.trim() === '' || /^vpce-[0-9a-z]+$/i.test(v.trim()) ? true : 'Looks like vpce-0abc123',
      })
    ).trim();
    return { viaVpce: id ? { kind: 'vpce', id: id.toLowerCase() } : { kind: 'unknown' } };
  }
  const a = await ask.select<TriAnswer>({
    message,
    choices: [
      { value: 'yes', name: 'Yes' },
      { value: 'no', name: 'No' },
      { value: 'unknown', name: "I don't know" },
    ],
  });
  return q.id === 'https' ? { https: a } : { requestPayer: a };
}

/** What a result concludes: decision, first cause and its confidence. */
function verdict(r: Result): string {
  const c = r.causes[0];
  return `${r.decision} ${c ? `${c.code} ${c.confidence}` : '-'}`;
}

/** Whether settling the session policy as "none" would change any result's verdict. */
async function sessionPolicyDecides(
  deps: AssistantDeps,
  records: LogRecord[],
  ev: EvidenceChoice,
  answers: AnswerOptions,
  results: Result[],
): Promise<boolean> {
  const settled = await deps.diagnose(records, ev, { ...answers, sessionPolicy: { kind: 'none' } });
  return settled.some((r, i) => !results[i] || verdict(r) !== verdict(results[i]));
}

/**
 * The whole guided diagnosis: the request, the evidence, the questions that change the verdict,
 * the result, then actions (save the patch, show the AWS CLI commands, save a Markdown report,
 * apply the patch after an explicit confirmation).
 */
export async function runAssistantFlow(
  ask: Ask,
  deps: AssistantDeps,
  preset: AssistantPreset = {},
): Promise<AssistantOutcome> {
  const saved: string[] = [];
  const records = await askForRequest(ask, deps);
  let ev = await askForEvidence(ask, deps, records, preset);
  const answers: AnswerOptions = {
    ...(preset.https ? { https: preset.https } : {}),
    ...(preset.viaVpce ? { viaVpce: preset.viaVpce } : {}),
    ...(preset.requestPayer ? { requestPayer: preset.requestPayer } : {}),
    ...(preset.sessionPolicy ? { sessionPolicy: preset.sessionPolicy } : {}),
  };
  let iac: IacChoice | undefined = preset.iac
    ? { dir: preset.iac, ...(preset.iacState ? { state: preset.iacState } : {}) }
    : undefined;
  const run = () => deps.diagnose(records, ev, answers, ...(iac ? [iac] : []));
  let results = await run();
  // Ask only what could change the verdict, once each.
  const asked = new Set<string>();
  for (;;) {
    const pending = results.flatMap((r) => questionsFor(r, answers)).filter((q) => !asked.has(q.id));
    const q = pending[0];
    if (!q) break;
    asked.add(q.id);
    // The session policy is asked only when it decides the verdict: settled to "none", the result would change.
    if (q.id === 'session-policy' && !(await sessionPolicyDecides(deps, records, ev, answers, results)))
      continue;
    const a = await askQuestion(ask, q, deps);
    Object.assign(answers, a);
    const known = Object.values(a).some(
      (v) => v !== 'unknown' && !(typeof v === 'object' && v.kind === 'unknown'),
    );
    if (known) results = await run();
  }
  const report = (): Report => ({ schemaVersion: 1, results });
  ask.say(deps.renderText(report(), ev.evidence));
  let applied = false;
  for (;;) {
    const patches = deps.patches(results);
    const applicable = deps.applicable(results);
    const commands = results.flatMap((r) =>
      r.causes.flatMap((c) => c.fixes.flatMap((f) => f.commands ?? [])),
    );
    const choices: Choice<string>[] = [];
    if (patches.length)
      choices.push({
        value: 'save-patch',
        name: `Save the patch${patches.length > 1 ? 'es' : ''} (s3doctor-patch-<target>.json)`,
      });
    if (commands.length) choices.push({ value: 'commands', name: 'Show the AWS CLI commands' });
    const policyFixes = results.some((r) =>
      r.causes.some((c) => c.fixes.some((f) => f.kind === 'policy-patch' && f.verified && f.patch)),
    );
    if (policyFixes && ev.evidence && !iac)
      choices.push({ value: 'iac', name: 'Show the fix as a diff of my Terraform / CloudFormation source' });
    const written = iacWritable(results);
    if (iac && written.length && deps.writeIac)
      choices.push({
        value: 'iac-write',
        name: 'Write the IaC diff to the source file (asks first; clean git work tree, backup)',
      });
    choices.push({ value: 'markdown', name: 'Save a Markdown report' });
    if (applicable.length && !applied)
      choices.push({
        value: 'apply',
        name: 'Apply the patch to AWS (asks first, backs up the current document)',
      });
    choices.push({ value: 'done', name: 'Done' });
    const action = await ask.select<string>({ message: 'What next?', choices });
    if (action === 'done') break;
    if (action === 'save-patch') {
      for (const { fix, patch } of patches) {
        try {
          const p = await deps.savePatch(fix, patch, false);
          saved.push(p);
          ask.say(`Patch saved to ${p}`);
        } catch (e) {
          if (await ask.confirm({ message: `${(e as Error).message} Overwrite it?`, default: false })) {
            const p = await deps.savePatch(fix, patch, true);
            saved.push(p);
            ask.say(`Patch saved to ${p}`);
          }
        }
      }
    } else if (action === 'commands') {
      ask.say(commands.join('\n'));
    } else if (action === 'iac') {
      const dir = cleanPath(
        await ask.input({
          message: 'Folder of the Terraform / CloudFormation sources:',
          validate: existingPath(deps),
        }),
      );
      iac = { dir };
      try {
        results = await run();
      } catch (e) {
        ask.say(`That folder cannot be read: ${(e as Error).message}`);
        iac = undefined;
        continue;
      }
      ask.say(deps.renderText(report(), ev.evidence));
    } else if (action === 'iac-write' && iac && deps.writeIac) {
      ask.say(`This is the exact change:\n${written.map((p) => p.diff).join('\n')}`);
      const ok = await ask.confirm({
        message: `Write it to ${written.map((p) => p.file).join(', ')} under ${iac.dir}? (the current file is saved to a backup first)`,
        default: false,
      });
      if (!ok) {
        ask.say('Nothing was changed.');
        continue;
      }
      try {
        for (const line of await deps.writeIac(iac.dir, written)) ask.say(line);
      } catch (e) {
        ask.say(`Nothing was written: ${(e as Error).message}`);
      }
    } else if (action === 'markdown') {
      const path = cleanPath(await ask.input({ message: 'Report file:', default: 's3doctor-report.md' }));
      const force = (await deps.fileExists(path))
        ? await ask.confirm({ message: `${path} exists. Overwrite it?`, default: false })
        : false;
      if ((await deps.fileExists(path)) && !force) continue;
      const p = await deps.writeFile(path, deps.renderMarkdown(report(), ev.evidence), force);
      saved.push(p);
      ask.say(`Report saved to ${p}`);
    } else if (action === 'apply') {
      const item =
        applicable.length === 1
          ? applicable[0]!
          : applicable[
              await ask.select<number>({
                message: 'Which change?',
                choices: applicable.map((a, i) => ({
                  value: i,
                  name: `${a.patch.target.type} ${a.patch.target.id}: ${a.fix.summary}`,
                })),
              })
            ]!;
      ask.say(`This is the exact change:\n${deps.describeChange(item.fix, item.patch)}`);
      const ok = await ask.confirm({
        message: `Apply it to ${item.patch.target.type} ${item.patch.target.id} now? (the current document is saved to a backup file first)`,
        default: false,
      });
      if (!ok) {
        ask.say('Nothing was changed.');
        continue;
      }
      const out = await deps.apply(item.patch, ev.profile, ev.evidence);
      saved.push(out.backupPath);
      applied = true;
      ask.say(
        `Applied. The previous document is saved in ${out.backupPath}. Collecting the evidence again to confirm...`,
      );
      try {
        ev = {
          evidence: await deps.collectLive(records, ev.profile),
          kind: 'live',
          ...(ev.profile ? { profile: ev.profile } : {}),
        };
      } catch (e) {
        ask.say(
          `Could not collect the evidence again to confirm (${(e as Error).message}). Run s3doctor diagnose --live to check.`,
        );
        continue;
      }
      results = await run();
      ask.say(deps.renderText(report(), ev.evidence));
    }
  }
  return { results, saved, applied };
}

/** Each result's first verified IaC patches matched to one source, one per document (as `--write` takes them). */
function iacWritable(results: Result[]): IacPatch[] {
  return writableIacPatches(results);
}
