// Lambda entry point (`s3doctor/lambda`): diagnoses each S3/KMS denial EventBridge delivers, with live evidence, and publishes deduplicated reports.

import type { Report, Result } from '../model/index.js';
import type { LiveOptions } from '../evidence/live/index.js';
import { Deduper, keyString, type DedupeKey } from './dedupe.js';
import { readEvent } from './event.js';
import { publishReport, type LambdaReport, type PublishTarget } from './publish.js';

/** Default dedupe window: one report per key per hour. */
export const DEFAULT_WINDOW_SECONDS = 3600;

/** How one invocation ended (the handler's return value, also logged). */
export type HandlerOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'published'; key: DedupeKey; messageId?: string; evidenceError?: string }
  | { status: 'suppressed'; key: DedupeKey; count: number };

/** Settings of {@link createHandler}; each defaults from the environment the template sets. */
export interface HandlerOptions {
  /** SNS topic ARN (env `S3DOCTOR_TOPIC_ARN`); absent: reports are JSON lines on stdout (CloudWatch Logs). */
  topicArn?: string;
  /** Dedupe window in seconds (env `S3DOCTOR_DEDUPE_WINDOW_SECONDS`, default 3600). */
  windowSeconds?: number;
  /** Roles to assume for evidence in other accounts, account id -> role ARN (env `S3DOCTOR_ROLES`, JSON). */
  roles?: Record<string, string>;
  /** Region for SNS and the collectors (env `AWS_REGION`, which Lambda sets). */
  region?: string;
  /** SDK client options for every client (tests point them at the fake endpoint). */
  clientOptions?: LiveOptions['clientOptions'] & { sns?: Record<string, unknown> };
  /** Clock in ms (tests). */
  now?: () => number;
  /** stdout writer (tests). */
  write?: (line: string) => void;
}

function fromEnv(env: NodeJS.ProcessEnv): HandlerOptions {
  const o: HandlerOptions = {};
  if (env.S3DOCTOR_TOPIC_ARN) o.topicArn = env.S3DOCTOR_TOPIC_ARN;
  const w = Number(env.S3DOCTOR_DEDUPE_WINDOW_SECONDS);
  if (env.S3DOCTOR_DEDUPE_WINDOW_SECONDS && Number.isFinite(w) && w >= 0) o.windowSeconds = w;
  if (env.S3DOCTOR_ROLES) {
    const parsed = JSON.parse(env.S3DOCTOR_ROLES) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('S3DOCTOR_ROLES must be a JSON object {"ACCOUNT_ID": "ROLE_ARN"}');
    o.roles = parsed as Record<string, string>;
  }
  if (env.AWS_REGION) o.region = env.AWS_REGION;
  return o;
}

/** The bucket a result's request names (`arn:aws:s3:::bucket/key`), else its resource ARN. */
function bucketOf(r: Result): string {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(r.request.resource);
  return m ? m[1]! : r.request.resource;
}

/** The dedupe key of a diagnosed request: its most likely cause, or `unexplained`. */
export function keyOf(r: Result): DedupeKey {
  return {
    principal: r.request.principal,
    action: r.request.action,
    bucket: bucketOf(r),
    cause: r.causes[0]?.code ?? 'unexplained',
  };
}

/** A request seen before in the window, with the key its diagnosis gave (evidence is not collected again). */
interface Seen {
  key: DedupeKey;
  at: number;
}

/**
 * Makes a handler with its own dedupe state. State lives in memory, so it holds for one warm container:
 * a cold start or a concurrent container reports a key again (the template sets reserved concurrency 1).
 */
export function createHandler(options: HandlerOptions = {}): (event: unknown) => Promise<HandlerOutcome> {
  let settings: HandlerOptions | undefined;
  let deduper: Deduper | undefined;
  const seen = new Map<string, Seen>();
  return async (event: unknown): Promise<HandlerOutcome> => {
    settings ??= { ...fromEnv(process.env), ...options };
    const o = settings;
    const windowSeconds = o.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    deduper ??= new Deduper(windowSeconds * 1000);
    const now = (o.now ?? Date.now)();
    const write = o.write ?? ((l: string) => process.stdout.write(l));
    const log = (x: Record<string, unknown>): void =>
      write(`${JSON.stringify({ s3doctor: 'invocation', ...x })}\n`);

    const ev = readEvent(event);
    if (!ev.ok) {
      const out: HandlerOutcome = { status: 'ignored', reason: ev.reason };
      log(out);
      return out;
    }
    const api = await import('../api/index.js');
    if (process.env.AWS_CA_BUNDLE) {
      // AWS_CA_BUNDLE, as the AWS CLI reads it, for the evidence clients and the SNS publisher alike.
      const cs = await import('../evidence/live/client-settings.js');
      if (!cs.awsClientSettings().ca)
        cs.setAwsClientSettings({ ...cs.awsClientSettings(), ca: cs.readCaBundle() });
    }
    const text = { text: JSON.stringify(ev.detail), source: `eventbridge:${ev.id}` };
    // The event alone first (no AWS call): the request it describes.
    const logsOnly = await api.diagnose(text);
    const first = logsOnly.results[0];
    if (!first) {
      const out: HandlerOutcome = {
        status: 'ignored',
        reason: 'no denied request could be read from the event',
      };
      log(out);
      return out;
    }
    const req = first.request;
    const requestId = [req.principal, req.action, req.resource, ev.errorCode].join('\u0000');
    for (const [id, s] of seen) if (now - s.at >= windowSeconds * 1000) seen.delete(id);
    const again = seen.get(requestId);
    if (again && deduper.isReported(again.key, now)) {
      // The same request within the window: same diagnosis, so it is counted under the key it had, without
      // collecting evidence again (a burst of one denial costs one collection).
      const d = deduper.decide(again.key, now);
      if (d.action === 'suppress') {
        const out: HandlerOutcome = { status: 'suppressed', key: again.key, count: d.count };
        log(out);
        return out;
      }
    }
    let report: Report = logsOnly;
    let evidenceError: string | undefined;
    const live: LiveOptions = {
      ...(o.region ? { region: o.region } : {}),
      ...(o.roles ? { roles: o.roles } : {}),
      ...(o.clientOptions ? { clientOptions: o.clientOptions } : {}),
    };
    try {
      const evidence = await api.collect(text, live);
      report = await api.diagnose(text, { evidence, evidenceKind: 'live' });
    } catch (e) {
      evidenceError = (e as Error).message;
    }
    const result = report.results[0] ?? first;
    const key = keyOf(result);
    seen.set(requestId, { key, at: now });
    const d = deduper.decide(key, now);
    if (d.action === 'suppress') {
      const out: HandlerOutcome = { status: 'suppressed', key, count: d.count };
      log(out);
      return out;
    }
    const doc: LambdaReport = {
      schemaVersion: 1,
      kind: 's3doctor-lambda-report',
      event: {
        id: ev.id,
        ...(typeof ev.detail.eventID === 'string' ? { eventId: ev.detail.eventID } : {}),
        ...(typeof (event as { account?: unknown }).account === 'string'
          ? { account: (event as { account: string }).account }
          : {}),
        ...(typeof (event as { region?: unknown }).region === 'string'
          ? { region: (event as { region: string }).region }
          : {}),
        ...(typeof (event as { time?: unknown }).time === 'string'
          ? { time: (event as { time: string }).time }
          : {}),
      },
      dedupe: {
        key,
        windowSeconds,
        ...('suppressedBefore' in d && d.suppressedBefore
          ? { suppressedSinceLastReport: d.suppressedBefore }
          : {}),
        otherSuppressed: deduper.takePending(key),
        scope: 'container',
      },
      ...(evidenceError ? { evidenceError } : {}),
      report: { ...report, results: [result] },
    };
    const target: PublishTarget = {
      ...(o.topicArn ? { topicArn: o.topicArn } : {}),
      ...(o.region ? { region: o.region } : {}),
      ...(o.clientOptions ? { clientOptions: o.clientOptions } : {}),
      write,
    };
    const messageId = await publishReport(doc, target);
    const out: HandlerOutcome = {
      status: 'published',
      key,
      ...(messageId ? { messageId } : {}),
      ...(evidenceError ? { evidenceError } : {}),
    };
    log({ ...out, key: keyString(key).split('\u0000') });
    return out;
  };
}

/** The Lambda handler (`s3doctor/lambda` export `handler`), configured from the environment. */
export const handler: (event: unknown) => Promise<HandlerOutcome> = createHandler();
