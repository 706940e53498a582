// Builds the Lambda's report message (Markdown and JSON) and publishes it to SNS or to stdout (CloudWatch Logs).

import type { Report } from '../model/index.js';
import type { ClientOptionsByService } from '../evidence/live/index.js';
import type { DedupeKey, SuppressedCount } from './dedupe.js';
import { importOptional } from '../evidence/live/optional-package.js';

/** SNS caps a published message at 262,144 bytes (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
export const SNS_MAX_BYTES = 262_144;

/** The JSON document the Lambda publishes for one reported denial. */
export interface LambdaReport {
  schemaVersion: 1;
  kind: 's3doctor-lambda-report';
  /** The EventBridge event id and the CloudTrail record's eventID. */
  event: { id: string; eventId?: string; account?: string; region?: string; time?: string };
  dedupe: {
    key: DedupeKey;
    windowSeconds: number;
    /** Denials of this key counted, not reported, since its last report (this container only). */
    suppressedSinceLastReport?: SuppressedCount;
    /** Other keys' denials counted since their last report (this container only), reported here once. */
    otherSuppressed: SuppressedCount[];
    scope: 'container';
  };
  /** Why evidence is missing, when collection failed (the report is then from the event alone). */
  evidenceError?: string;
  /** True when the report was cut to fit the SNS size limit (causes kept, their fixes dropped). */
  truncated?: boolean;
  report: Report;
}

const mdEscape = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);

/** The Markdown message: the dedupe summary, then the diagnose report as `--format markdown` renders it. */
export async function markdownOf(doc: LambdaReport): Promise<string> {
  const { renderReport } = await import('../cli/format/index.js');
  const k = doc.dedupe.key;
  const lines = [
    `s3doctor: ${mdEscape(k.principal)} was denied ${mdEscape(k.action)} on ${mdEscape(k.bucket)} (cause: ${mdEscape(k.cause)})`,
    '',
    `One report per principal, action, bucket and cause every ${doc.dedupe.windowSeconds} s, counted per warm Lambda container.`,
  ];
  const before = doc.dedupe.suppressedSinceLastReport;
  if (before)
    lines.push(
      `${before.count} more of these were counted, not reported, from ${before.firstSeen} to ${before.lastSeen}.`,
    );
  for (const o of doc.dedupe.otherSuppressed)
    lines.push(
      `- also counted, not reported: ${o.count} x ${mdEscape(o.key.principal)} ${mdEscape(o.key.action)} on ${mdEscape(o.key.bucket)} (cause: ${mdEscape(o.key.cause)}), ${o.firstSeen} to ${o.lastSeen}`,
    );
  if (doc.evidenceError) lines.push('', `Evidence could not be collected: ${mdEscape(doc.evidenceError)}`);
  if (doc.truncated) lines.push('', 'The report was shortened to fit an SNS message.');
  return `${lines.join('\n')}\n\n${renderReport(doc.report, 'markdown', { colour: false })}`;
}

/** Drops what makes a report large (fixes, long unknown lists) so it fits SNS; the causes stay. */
function shorten(doc: LambdaReport): LambdaReport {
  return {
    ...doc,
    truncated: true,
    report: {
      ...doc.report,
      results: doc.report.results.map((r) => ({
        ...r,
        causes: r.causes.map((c) => ({ ...c, fixes: [] })),
        unknowns: r.unknowns.slice(0, 10),
      })),
    },
  };
}

/** The SNS subject: ASCII, at most 100 characters, no line breaks (API_Publish). */
export function subjectOf(k: DedupeKey): string {
  const raw = `s3doctor: ${k.action} denied on ${k.bucket} (${k.cause})`;
  const ascii = raw.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/** Where reports go. */
export interface PublishTarget {
  /** SNS topic ARN; absent: one JSON line on stdout (the function's CloudWatch Logs log group). */
  topicArn?: string;
  region?: string;
  clientOptions?: ClientOptionsByService & { sns?: Record<string, unknown> };
  /** stdout writer (tests). */
  write?: (line: string) => void;
}

/**
 * Publishes one report. To SNS it sends `MessageStructure: json`: Markdown as `default` (email, SMS) and the
 * JSON document for `sqs`, `lambda`, `http`, `https` and `firehose` subscribers; to stdout a JSON line
 * `{"s3doctor":"report",...}` holding both. Returns the SNS MessageId when published there.
 */
export async function publishReport(doc: LambdaReport, target: PublishTarget): Promise<string | undefined> {
  let d = doc;
  let markdown = await markdownOf(d);
  let json = JSON.stringify(d);
  const size = (): number => Buffer.byteLength(JSON.stringify(envelope(markdown, json)));
  if (target.topicArn && size() > SNS_MAX_BYTES) {
    d = shorten(d);
    markdown = await markdownOf(d);
    json = JSON.stringify(d);
    if (size() > SNS_MAX_BYTES) markdown = `${markdown.slice(0, 60_000)}\n\n(cut to fit an SNS message)`;
    if (size() > SNS_MAX_BYTES) json = JSON.stringify({ ...d, report: { schemaVersion: 1, results: [] } });
  }
  if (!target.topicArn) {
    (target.write ?? ((l) => process.stdout.write(l)))(
      `${JSON.stringify({ s3doctor: 'report', markdown, report: d })}\n`,
    );
    return undefined;
  }
  const sns = await importOptional('@aws-sdk/client-sns', () => import('@aws-sdk/client-sns'));
  const o = target.clientOptions ?? {};
  // The AWS CLI habits every client of s3doctor follows (--endpoint-url, AWS_CA_BUNDLE, --debug), then injected options.
  const { instrumentClient, sharedClientConfig } = await import('../evidence/live/client-settings.js');
  const client = instrumentClient(
    new sns.SNSClient({
      ...sharedClientConfig('sns', {}),
      ...(target.region ? { region: target.region } : {}),
      ...(o.all ?? {}),
      ...(o.sns ?? {}),
    }),
    'sns',
  );
  try {
    const out = await client.send(
      new sns.PublishCommand({
        TopicArn: target.topicArn,
        Subject: subjectOf(d.dedupe.key),
        MessageStructure: 'json',
        Message: JSON.stringify(envelope(markdown, json)),
      }),
    );
    return out.MessageId;
  } finally {
    client.destroy();
  }
}

function envelope(markdown: string, json: string): Record<string, string> {
  return {
    default: markdown,
    email: markdown,
    sqs: json,
    lambda: json,
    http: json,
    https: json,
    firehose: json,
  };
}
