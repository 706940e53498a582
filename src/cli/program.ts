// The commander program: every command, flag and help text; each action imports its command module lazily
// (and the AWS SDK, prompts, zod and the engine behind it) so `--help` starts fast.

import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';
import { FAIL_ON_HELP, parseFailOn, type FailOn } from './fail-on.js';
import { collectValues, parseEndpointUrl, parseSessionPolicy, parseTri, parseVpce } from './options.js';
import { packageVersion } from './package-info.js';
import type {
  CollectOptions,
  CommonOptions,
  DiagnoseOptions,
  SimulateOptions,
  TriageOptions,
} from './options.js';
import { nearestName } from '../s3/nearest.js';

/** What every command module's `run` returns: the process exit code (0 explained, 1 unexplained, 2 could not run). */
export type ExitCode = 0 | 1 | 2;

const EXIT_CODES_HELP = `
Exit codes:
  0  every denied request was explained (or the evidence allows it)
  1  at least one request could not be explained with the evidence at hand
  2  s3doctor could not run (bad flags, unreadable input, invalid snapshot, no credentials)`;

const SIMULATE_EXIT_HELP = `
Exit codes:
  0  the decision is certain with the evidence at hand
  1  unknown evidence leaves the decision open
  2  s3doctor could not run (bad flags, invalid request or snapshot, no credentials)`;

const COLLECT_EXIT_HELP = `
Exit codes:
  0  the snapshot was written (items that could not be read are listed under "notes")
  2  nothing was written: bad flags, the --out file exists, no credentials, or every read was refused`;

const TRIAGE_EVIDENCE_HELP = `
Without --snapshot or --live, triage only finds, groups and counts the denials (a different
question from "why"): it then exits 0 unless it could not run. With evidence, 1 means at least
one group could not be explained.

Counts are exact up to 250,000 distinct groups. Past that the busiest groups are kept with counts
that may be too high by a stated bound (Space-Saving): the report says so ("approximate" and
"countError" in JSON), and a group not listed had at most the stated number of denials.`;

/** One or two runnable examples per command, shown at the end of its --help. */
const EXAMPLES: Record<string, string[]> = {
  diagnose: [
    's3doctor diagnose access.log --snapshot snapshot.json',
    's3doctor diagnose --principal arn:aws:iam::111122223333:role/app --operation GetObject --bucket reports --key q3.csv --live',
  ],
  triage: [
    's3doctor triage logs/ --top 10',
    's3doctor triage logs/ --live --format markdown --out triage.md',
  ],
  'athena ddl': ['s3doctor athena ddl --type access-log --location s3://my-log-bucket/prefix/'],
  'athena query': ['s3doctor athena query --since 7d --bucket reports --grouped'],
  'athena run': ['s3doctor athena run --live --workgroup primary --since 24h'],
  alerts: ['s3doctor alerts --bucket reports --log-group CloudTrail/DefaultLogGroup'],
  simulate: ['s3doctor simulate --request request.json --snapshot snapshot.json'],
  collect: [
    's3doctor collect access.log --out snapshot.json --profile prod',
    's3doctor collect --bucket reports --principal arn:aws:iam::111122223333:role/app --out snapshot.json',
  ],
  'rules list': ['s3doctor rules list --format markdown'],
  'rules show': ['s3doctor rules show bucket-policy/deny-insecure-transport'],
  help: ['s3doctor help athena run'],
};

const ASSISTANT_HELP = `
Run s3doctor with no arguments on a terminal for the interactive assistant. It never prompts
when stdin or stdout is not a terminal, when CI is set, or with --no-interactive; each of its
questions has a flag:
  --https yes|no|unknown           Was the request made over HTTPS?
  --via-vpce ID|no|unknown         Did it come through a VPC endpoint?
  --request-payer yes|no|unknown   Did the client send x-amz-request-payer?
  --session-policy none|FILE|unknown   Was a session policy passed when the role session was created?
  --principal/--operation/--bucket/--key   describe the request instead of giving a log,
                                   or fill in what a pasted error lacks (a HEAD 403 names no bucket)
  --save-patch [FILE]              save each verified patch (s3doctor-patch-<target>.json)
  --apply [--yes | --assume-yes]   apply the verified patch (a dry run without --yes)`;

function tri(value: string): string {
  try {
    return parseTri(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function vpce(value: string): ReturnType<typeof parseVpce> {
  try {
    return parseVpce(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function sessionPolicy(value: string): ReturnType<typeof parseSessionPolicy> {
  try {
    return parseSessionPolicy(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format (default: text)').choices([
    'text',
    'json',
    'markdown',
  ]);
}

function failOn(value: string): FailOn[] {
  try {
    return parseFailOn(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** CI flags of diagnose and triage: the sarif and github formats, --fail-on, --rule-docs-url. */
function addCiOptions(cmd: Command, formats: string[]): Command {
  cmd.options.find((o) => o.long === '--format')?.choices(formats);
  return cmd
    .addOption(
      new Option(
        '--fail-on <outcomes>',
        'which outcomes exit 1: unexplained (default), denied, finding, none; comma-separated',
      ).argParser(failOn),
    )
    .option(
      '--rule-docs-url <url>',
      'base URL where the rules/ docs are served; SARIF helpUri is URL/<id>.md (none without it)',
    )
    .addHelpText('after', '\n' + FAIL_ON_HELP);
}

function endpointUrl(value: string): string {
  try {
    return parseEndpointUrl(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The AWS CLI's --endpoint-url and --debug, on every command that calls AWS (AWS_CA_BUNDLE is read too). */
function addAwsOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--endpoint-url <url>',
        "send every AWS call to this URL (as the AWS CLI's --endpoint-url; AWS_ENDPOINT_URL works too)",
      ).argParser(endpointUrl),
    )
    .option('--debug', 'print each AWS request and response on stderr, secrets redacted');
}

/** Evidence flags shared by diagnose, triage and simulate. */
function addEvidenceOptions(cmd: Command): Command {
  cmd
    .option('--snapshot <file>', 'evidence from a snapshot file (repeatable, merged)', collectValues)
    .option('--live', 'gather evidence from AWS with the standard credential chain')
    .option('--profile <name>', 'AWS profile for --live')
    .option('--region <region>', 'AWS region for --live')
    .option('--role-arn <arn>', 'role to assume for another account (repeatable)', collectValues)
    .addOption(
      new Option(
        '--session-policy <none|FILE>',
        'the session policy of the role sessions in the input (AWS never returns it): none, or a policy JSON file',
      ).argParser(sessionPolicy),
    );
  return addAwsOptions(cmd);
}

function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(formatOption())
    .option('--out <file>', 'write the report to FILE instead of stdout')
    .option('--force', 'overwrite the --out file if it exists')
    .option(
      '--no-interactive',
      'never prompt (implied when stdin or stdout is not a terminal, or CI is set)',
    );
}

/** A one-line usage error for a word that is no command, naming the nearest command when it looks like a typo. */
function unknownCommand(parent: Command, word: string): UsageError {
  const names = parent.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
    .map((c) => c.name());
  const near = nearestName(word, names);
  const where = parent.parent ? `${parent.name()} ` : '';
  return new UsageError(
    `unknown command "${where}${word}"${near ? `: did you mean "${where}${near}"?` : ''} Commands: ${names.join(', ')} (s3doctor help ${parent.parent ? parent.name() : 'COMMAND'}).`,
  );
}

/** Builds the commander program (exported for tests of the help text). */
export function buildProgram(setExit: (code: ExitCode) => void): Command {
  const program = new Command();
  program
    .name('s3doctor')
    .description(
      'Explains why an Amazon S3 request was denied and suggests least-privilege fixes, verified by re-evaluation.',
    )
    .version(packageVersion(), '-V, --version')
    .option('--no-interactive', 'never prompt')
    .showHelpAfterError('(add --help for the flags)')
    .allowExcessArguments()
    .helpCommand(false)
    .addHelpText('after', ASSISTANT_HELP + '\n' + EXIT_CODES_HELP)
    .action(async (opts: { interactive?: boolean }) => {
      if (program.args.length > 0) throw unknownCommand(program, program.args[0]!);
      const { runStartAssistant } = await import('./commands/assistant.js');
      setExit(
        await runStartAssistant({
          interactive: opts.interactive !== false,
          help: () => program.helpInformation(),
        }),
      );
    });

  const diagnose = program
    .command('diagnose')
    .description('explain each denied request found in the inputs (log files, folders, .gz, - for stdin)')
    .argument('[INPUT...]', 'file, folder or - for stdin');
  addEvidenceOptions(diagnose);
  addOutputOptions(diagnose);
  diagnose
    .addOption(
      new Option('--https <answer>', 'was the request made over HTTPS? yes|no|unknown').argParser(tri),
    )
    .addOption(
      new Option('--via-vpce <id>', 'did it come through a VPC endpoint? vpce-ID|no|unknown').argParser(vpce),
    )
    .addOption(
      new Option(
        '--request-payer <answer>',
        'did the client send x-amz-request-payer? yes|no|unknown',
      ).argParser(tri),
    )
    .option(
      '--principal <arn>',
      'describe the request (or, with an input, fill in what its requests lack): who made it (ARN, or "anonymous")',
    )
    .option('--operation <name>', 'describe the request: the S3 API operation (GetObject, PutObject, ...)')
    .option('--bucket <name>', 'describe the request (or fill in what a pasted error lacks): the bucket')
    .option('--key <key>', 'describe the request (or fill in what a pasted error lacks): the object key')
    .option(
      '--save-patch [file]',
      'save each verified patch as JSON (default s3doctor-patch-<target>.json); with several, FILE that is a folder (or ends in /) holds them under those names, else FILE-1.json, FILE-2.json, ...',
    )
    .option('--apply', 'apply the verified policy patch to AWS (a dry run unless --yes)')
    .option('--yes', 'with --apply: make the change (without it --apply is a dry run that only prints it)')
    .option('--assume-yes', 'same as --yes')
    .option(
      '--backup-dir <dir>',
      'where --apply writes the backup of the previous document (default: current directory)',
    )
    .option(
      '--iac <dir>',
      'show each verified policy fix as a diff of the Terraform/CloudFormation/CDK source under DIR',
    )
    .option(
      '--iac-state <file>',
      'with --iac: terraform.tfstate, terraform show -json or describe-stack-resources/describe-stacks output (repeatable)',
      collectValues,
    )
    .option(
      '--iac-stack <name>',
      "with --iac and --live: the CloudFormation stack (name or ARN) DIR's templates deploy, read for parameters, physical ids and exports (repeatable; default: cdk.out's stacks, else the stacks owning the evidence's roles, buckets and keys)",
      collectValues,
    )
    .option(
      '--write',
      'with --iac: apply the diffs to the files (only with --yes, in a clean git work tree, with a backup)',
    )
    .addHelpText('after', EXIT_CODES_HELP);
  addCiOptions(diagnose, ['text', 'json', 'markdown', 'sarif', 'github', 'ndjson']);
  // diagnose writes each result as it is made (but sarif and github, written whole); ndjson: one result per line.
  diagnose.options
    .find((o) => o.long === '--format')
    ?.default(undefined, 'text; ndjson: one result per line');
  diagnose.action(async (inputs: string[], opts: DiagnoseOptions) => {
    const { runDiagnose } = await import('./commands/diagnose.js');
    setExit(await runDiagnose(inputs, opts));
  });

  const triage = program
    .command('triage')
    .description(
      'find every denied entry in many logs, group identical ones, diagnose each group once, rank them',
    )
    .argument('<INPUT...>', 'files, folders, .gz, or - for stdin');
  addEvidenceOptions(triage);
  addOutputOptions(triage);
  triage
    .addOption(
      new Option('--top <n>', 'show the N most frequent groups in text output').argParser(positiveInt),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (inputs: string[], opts: TriageOptions) => {
      const { runTriage } = await import('./commands/triage.js');
      setExit(await runTriage(inputs, opts));
    });
  // Triage at scale (triage helper): --workers, and --format html (a self-contained report with charts).
  triage.options
    .find((o) => o.long === '--format')
    ?.choices(['text', 'json', 'markdown', 'html'])
    .default(undefined, 'text; html: one self-contained file with charts');
  addCiOptions(triage, ['text', 'json', 'markdown', 'html', 'sarif', 'github', 'ndjson']);
  triage.addOption(
    new Option(
      '--workers <n>',
      'threads to scan with, this one included: a number, or auto (inputs over 48 MiB start on one thread and add one when measured throughput and idle CPU say it pays)',
    ).argParser((v: string) => {
      const t = v.trim().toLowerCase();
      if (t === 'auto') return 'auto';
      return positiveInt(v);
    }),
  );
  // Athena and alerting commands (triage helper).
  const athena = program
    .command('athena')
    .description('hand triage to Amazon Athena: table DDL, the denied-requests query, and running it')
    .allowExcessArguments()
    .action(() => {
      throw athena.args.length
        ? unknownCommand(athena, athena.args[0]!)
        : new UsageError('athena needs a subcommand: ddl, query or run (s3doctor help athena).');
    });
  athena
    .command('ddl')
    .description("print CREATE TABLE statements (with partition projection) for AWS's documented log schemas")
    .addOption(
      new Option('--type <type>', 'log type').choices(['access-log', 'cloudtrail']).makeOptionMandatory(),
    )
    .requiredOption('--location <s3url>', 'where the logs are: s3://bucket/prefix/')
    .option(
      '--table <name>',
      'table name: letters, digits, underscores (default s3_access_logs or cloudtrail_logs)',
    )
    .option('--database <name>', 'database name: letters, digits, underscores (default default)')
    .option('--since <date>', 'first day of the projected partitions (yyyy/MM/dd; default 2024/01/01)')
    .action(async (opts: Record<string, string>) => {
      const { runAthenaDdl } = await import('./commands/athena.js');
      setExit(await runAthenaDdl(opts));
    });
  athena
    .command('query')
    .description(
      'print the SQL that finds denied requests with the fields diagnose needs (or --grouped counts)',
    )
    .addOption(
      new Option('--type <type>', 'log type').choices(['access-log', 'cloudtrail']).default('access-log'),
    )
    .option('--since <age>', 'how far back: 7d, 24h, or a date (yyyy-mm-dd)', '7d')
    .option('--bucket <name>', 'only this bucket (repeatable)', collectValues)
    .option(
      '--table <name>',
      'table name: letters, digits, underscores (default s3_access_logs or cloudtrail_logs)',
    )
    .option('--database <name>', 'database name: letters, digits, underscores (default default)')
    .option('--grouped', 'one row per group (principal, action, bucket, key prefix, error code) with counts')
    .option('--limit <n>', 'most rows returned', positiveInt)
    .action(async (opts: Record<string, unknown>) => {
      const { runAthenaQuery } = await import('./commands/athena.js');
      setExit(await runAthenaQuery(opts));
    });
  const athenaRun = athena
    .command('run')
    .description('run the grouped denied-requests query in Athena (--live), poll it, and triage the results')
    .option('--live', 'call Athena with the standard credential chain (required: run makes AWS calls)')
    .requiredOption('--workgroup <name>', 'Athena workgroup')
    .option('--output <s3url>', 'query result location s3://... (unless the workgroup sets one)')
    .addOption(
      new Option('--type <type>', 'log type').choices(['access-log', 'cloudtrail']).default('access-log'),
    )
    .option('--since <age>', 'how far back: 7d, 24h, or a date (yyyy-mm-dd)', '7d')
    .option('--bucket <name>', 'only this bucket (repeatable)', collectValues)
    .option(
      '--table <name>',
      'table name: letters, digits, underscores (default s3_access_logs or cloudtrail_logs)',
    )
    .option('--database <name>', 'database name: letters, digits, underscores (default default)')
    .option('--snapshot <file>', 'evidence from a snapshot file (repeatable, merged)', collectValues)
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', 'AWS region')
    .option(
      '--timeout <seconds>',
      'stop the query (StopQueryExecution) when it runs longer (default 1800)',
      positiveInt,
    );
  addAwsOptions(athenaRun);
  addOutputOptions(athenaRun);
  athenaRun.options.find((o) => o.long === '--format')?.choices(['text', 'json', 'markdown', 'html']);
  athenaRun.addHelpText('after', EXIT_CODES_HELP).action(async (opts: Record<string, unknown>) => {
    const { runAthenaRun } = await import('./commands/athena.js');
    setExit(await runAthenaRun(opts));
  });
  program
    .command('alerts')
    .description(
      'print CloudWatch alerting for future S3 and KMS denials: metric filter and alarm, Contributor Insights top IPs/principals/buckets with top-contributor alarms (AWS CLI and CloudFormation)',
    )
    .option('--bucket <name>', 'only denials on this bucket (repeatable)', collectValues)
    .option('--principal <arn>', 'only denials of this principal (repeatable)', collectValues)
    .option(
      '--log-group <name>',
      'the CloudWatch Logs group your CloudTrail trail delivers to',
      'CloudTrail/DefaultLogGroup',
    )
    .option('--threshold <n>', 'alarm when at least N denials happen in one period', positiveInt, 1)
    .option('--period <seconds>', 'alarm period in seconds', positiveInt, 300)
    .option('--sns-topic <arn>', 'SNS topic the alarm notifies')
    .option(
      '--top-threshold <n>',
      'alarm when one IP, principal or bucket makes at least N denials in one period (default 10)',
      positiveInt,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runAlerts } = await import('./commands/alerts.js');
      setExit(await runAlerts(opts));
    });

  const simulate = program
    .command('simulate')
    .description('evaluate one request (principal, action, resource, context) against the evidence')
    .requiredOption(
      '--request <file>',
      'the request as JSON (principal, action, resource, context), or - for stdin',
    );
  addEvidenceOptions(simulate);
  addOutputOptions(simulate);
  simulate.addHelpText('after', SIMULATE_EXIT_HELP).action(async (opts: SimulateOptions) => {
    const { runSimulate } = await import('./commands/simulate.js');
    setExit(await runSimulate(opts));
  });

  const test = program
    .command('test')
    .description('policy unit tests: run the requests in FILE and check each gets the decision it expects')
    .argument('<FILE>', 'the test file (JSON; see README "Policy tests")');
  addEvidenceOptions(test);
  addOutputOptions(test);
  test.options.find((o) => o.long === '--format')?.choices(['text', 'json', 'markdown', 'sarif', 'github']);
  test
    .option(
      '--rule-docs-url <url>',
      'base URL where the rules/ docs are served; SARIF helpUri is URL/<id>.md (none without it)',
    )
    .addHelpText(
      'after',
      `
Test file (JSON):
  { "snapshot": "snapshot.json",                 evidence (relative to the file; also --snapshot/--live)
    "defaults": { "principal": "arn:..." },      request fields shared by every test (optional)
    "tests": [ { "name": "app reads reports",
                 "principal": "arn:aws:iam::111122223333:role/app",
                 "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key",
                 "context": { "aws:SecureTransport": "true" },
                 "expect": "Allowed" } ] }      Allowed | ImplicitDeny | ExplicitDeny | NotAuthenticated | denied
A test passes only when every decision the evidence leaves possible meets "expect"; when unknown
evidence decides, it is reported as undetermined and does not pass.

Exit codes:
  0  every test passed
  1  at least one test failed or was undetermined
  2  s3doctor could not run (bad test file, no evidence, bad flags)`,
    )
    .action(async (file: string, opts: CommonOptions) => {
      const { runPolicyTestFile } = await import('./commands/test.js');
      setExit(await runPolicyTestFile(file, opts));
    });

  const logging = program
    .command('logging')
    .description(
      'logging readiness: access logging, delivery permission, target settings, retention, CloudTrail data events',
    )
    .argument('[BUCKET...]', 'buckets to check (default: every bucket in the snapshot)');
  addEvidenceOptions(logging);
  addOutputOptions(logging);
  logging
    .addOption(
      new Option(
        '--retention-days <n>',
        'days of log retention a suggested lifecycle rule sets (default 365)',
      ).argParser(positiveInt),
    )
    .option('--trace', 'show the log delivery PutObject evaluation even when it is allowed')
    .addHelpText(
      'after',
      `
For each bucket: server access logging on or off; target bucket and prefix (date-partitioned keys or
not); target in the same Region and account; the log delivery's own PutObject (logging.s3.amazonaws.com
with aws:SourceArn/aws:SourceAccount) evaluated by the engine, naming the layer that blocks it ("my
logs stopped arriving"); the grant scoped by aws:SourceArn/aws:SourceAccount; target default encryption
(SSE-KMS is not supported for log delivery); Object Ownership, Object Lock default retention and
Requester Pays of the target; a lifecycle rule expiring the log prefix; a CloudTrail trail or event
data store recording S3 data events. Each gap comes with AWS CLI commands and CloudFormation.

Exit codes:
  0  no gap and nothing unknown
  1  at least one gap, or evidence missing to decide a check
  2  s3doctor could not run (no evidence, bucket not in the evidence, bad flags)`,
    )
    .action(async (buckets: string[], opts: CommonOptions & { retentionDays?: number; trace?: boolean }) => {
      const { runLogging } = await import('./commands/logging.js');
      setExit(await runLogging(buckets, opts));
    });

  const collect = program
    .command('collect')
    .description(
      'gather live evidence for the requests in the inputs (or --bucket/--principal) into a snapshot file',
    )
    .argument('[INPUT...]', 'logs whose denied requests to collect evidence for')
    .requiredOption('--out <file>', 'the snapshot file to write')
    .option('--bucket <name>', 'collect this bucket (repeatable)', collectValues)
    .option('--principal <arn>', 'collect this IAM user or role (repeatable)', collectValues)
    .option('--profile <name>', 'AWS profile')
    .option('--region <region>', 'AWS region')
    .option('--role-arn <arn>', 'role to assume for another account (repeatable)', collectValues)
    .option('--force', 'overwrite the --out file if it exists')
    .option('--no-interactive', 'never prompt')
    .addHelpText('after', COLLECT_EXIT_HELP)
    .action(async (inputs: string[], opts: CollectOptions) => {
      const { runCollect } = await import('./commands/collect.js');
      setExit(await runCollect(inputs, opts));
    });
  addAwsOptions(collect);

  const rules = program
    .command('rules')
    .description("the rule catalogue, generated from the rules' own metadata");
  rules
    .command('list', { isDefault: true })
    .description('list every rule: id, cause code, title')
    .addOption(formatOption())
    .action(async (opts: { format?: 'text' | 'json' | 'markdown' }) => {
      const { runRulesList } = await import('./commands/rules.js');
      setExit(await runRulesList(opts));
    });
  rules
    .command('show')
    .description("show one rule's documentation")
    .argument('<ID>', 'rule id (e.g. bucket-policy/deny-insecure-transport) or cause code')
    .addOption(formatOption())
    .action(async (id: string, opts: { format?: 'text' | 'json' | 'markdown' }) => {
      const { runRulesShow } = await import('./commands/rules.js');
      setExit(await runRulesShow(id, opts));
    });

  program
    .command('help')
    .description('show the help of a command (s3doctor help diagnose, s3doctor help athena run)')
    .argument('[command...]', 'the command')
    .action((words: string[]) => {
      let cmd = program;
      for (const w of words) {
        const next = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
        if (!next) throw unknownCommand(cmd, w);
        cmd = next;
      }
      cmd.outputHelp();
      setExit(0);
    });

  // Every command's help marks its required options and ends with examples that run as printed.
  const everyCommand: Command[] = [program];
  for (let i = 0; i < everyCommand.length; i++) everyCommand.push(...everyCommand[i]!.commands);
  for (const c of everyCommand) {
    for (const o of c.options)
      if (o.mandatory && !o.description.endsWith('(required)')) o.description += ' (required)';
    const path = c.parent && c.parent !== program ? `${c.parent.name()} ${c.name()}` : c.name();
    const examples = EXAMPLES[path];
    if (examples) c.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
  }
  triage.addHelpText('after', TRIAGE_EVIDENCE_HELP);

  // --profile NAME that names no profile is said so before any AWS call (the SDK would call it "expired").
  program.hook('preAction', async (_program, action) => {
    const aws = action.opts() as { endpointUrl?: string; debug?: boolean };
    const settings = aws.endpointUrl || aws.debug || process.env.AWS_CA_BUNDLE;
    if (settings && action.options.some((o) => o.long === '--endpoint-url')) {
      // --endpoint-url, --debug and AWS_CA_BUNDLE, for every AWS client the command makes (none given: the
      // defaults stand, and the settings module is not loaded).
      const { readCaBundle, setAwsClientSettings } = await import('../evidence/live/client-settings.js');
      const ca = readCaBundle();
      setAwsClientSettings({
        ...(aws.endpointUrl ? { endpointUrl: aws.endpointUrl } : {}),
        ...(ca ? { ca } : {}),
        ...(aws.debug ? { debug: (text: string) => void process.stderr.write(`${text}\n`) } : {}),
      });
    }
    const profile = (action.opts() as { profile?: unknown }).profile;
    if (typeof profile === 'string') {
      const { assertProfileExists } = await import('./aws-profiles.js');
      await assertProfileExists(profile);
    }
  });
  // Commander exits with 1 on bad flags; the contract says 2, so errors come back as exceptions.
  const all = [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)];
  for (const c of all) c.exitOverride();
  return program;
}
