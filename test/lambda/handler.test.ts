// The Lambda handler run locally on recorded EventBridge events against the fake AWS endpoint (evidence and SNS).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setAwsClientSettings } from '../../src/evidence/live/client-settings.js';
import { createHandler, type HandlerOptions } from '../../src/lambda/handler.js';
import type { LambdaReport } from '../../src/lambda/publish.js';
import { startFake, type FakeAws } from '../helpers/fake-aws.js';
import { world } from '../evidence/live/world.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:s3doctor-reports';
const event = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as unknown;

interface Published {
  messageId: string;
  subject?: string;
  messageStructure?: string;
  message: string;
}

let fake: FakeAws;
let w: ReturnType<typeof world> & { sns?: { topics: Record<string, { published?: Published[] }> } };
let clock = Date.parse('2026-11-24T09:14:05Z');
let lines: string[];

function handler(extra: Partial<HandlerOptions> = {}) {
  return createHandler({
    topicArn: TOPIC,
    region: 'us-east-1',
    windowSeconds: 600,
    clientOptions: fake.clientOptions(),
    now: () => clock,
    write: (l) => lines.push(l),
    ...extra,
  });
}
const published = (): Published[] => w.sns!.topics[TOPIC]!.published ?? [];
const jsonOf = (p: Published): LambdaReport =>
  JSON.parse((JSON.parse(p.message) as { sqs: string }).sqs) as LambdaReport;
const markdownOf = (p: Published): string => (JSON.parse(p.message) as { default: string }).default;

beforeEach(async () => {
  w = world();
  w.sns = { topics: { [TOPIC]: {} } };
  fake = await startFake(w);
  clock = Date.parse('2026-11-24T09:14:05Z');
  lines = [];
});
afterEach(() => fake.close());

describe('Lambda handler', () => {
  it('diagnoses a denial with live evidence and publishes Markdown and JSON to SNS', async () => {
    const h = handler();
    const out = await h(event('s3-putobject-denied'));
    expect(out).toMatchObject({
      status: 'published',
      messageId: 'fake-message-1',
      key: {
        principal: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:PutObject',
        bucket: 'local-bucket',
        cause: 'missing-allow-identity-policy',
      },
    });
    // Evidence was collected with the function's own credentials: alice's policies and the bucket's settings.
    const ops = fake.ops();
    expect(ops).toContain('iam:GetUser');
    expect(ops).toContain('s3:GetBucketPolicy');
    expect(ops.filter((o) => o === 'sns:Publish')).toHaveLength(1);
    const [msg] = published();
    expect(msg!.messageStructure).toBe('json');
    expect(msg!.subject).toBe(
      's3doctor: s3:PutObject denied on local-bucket (missing-allow-identity-policy)',
    );
    const doc = jsonOf(msg!);
    expect(doc.kind).toBe('s3doctor-lambda-report');
    expect(doc.event).toMatchObject({
      id: 'a1b2c3d4-0001-4e5f-9a0b-000000000001',
      eventId: '11111111-aaaa-4bbb-8ccc-000000000001',
    });
    expect(doc.report.results).toHaveLength(1);
    expect(doc.report.results[0]!.evidence).toBe('live');
    expect(doc.report.results[0]!.causes[0]!.code).toBe('missing-allow-identity-policy');
    expect(doc.evidenceError).toBeUndefined();
    const md = markdownOf(msg!);
    expect(md).toContain('was denied s3:PutObject on local\\-bucket');
    expect(md).toContain('PutObject');
  });

  it('a burst of the same denial is one report; the rest are counted and the count comes with the next report', async () => {
    const h = handler();
    await h(event('s3-putobject-denied'));
    const callsAfterFirst = fake.calls.length;
    for (let i = 1; i <= 5; i++) {
      clock += 1000;
      expect(await h(event('s3-putobject-denied'))).toMatchObject({ status: 'suppressed', count: i });
    }
    // The same request within the window: no evidence collected again, nothing published.
    expect(fake.calls.length).toBe(callsAfterFirst);
    expect(published()).toHaveLength(1);
    // After the window: reported again, with the five counted.
    clock += 600_000;
    expect(await h(event('s3-putobject-denied'))).toMatchObject({ status: 'published' });
    expect(published()).toHaveLength(2);
    const doc = jsonOf(published()[1]!);
    expect(doc.dedupe.suppressedSinceLastReport).toEqual({
      key: doc.dedupe.key,
      count: 5,
      firstSeen: '2026-11-24T09:14:06Z',
      lastSeen: '2026-11-24T09:14:10Z',
    });
    expect(markdownOf(published()[1]!)).toContain('5 more of these were counted, not reported');
  });

  it("another key is reported on its own, carrying the other keys' counts as a summary", async () => {
    const h = handler();
    await h(event('s3-putobject-denied'));
    clock += 1000;
    await h(event('s3-putobject-denied'));
    await h(event('s3-putobject-denied'));
    clock += 1000;
    expect(await h(event('s3-deleteobject-denied'))).toMatchObject({
      status: 'published',
      key: { action: 's3:DeleteObject', bucket: 'local-bucket' },
    });
    const doc = jsonOf(published()[1]!);
    expect(doc.dedupe.otherSuppressed).toEqual([
      expect.objectContaining({ count: 2, key: expect.objectContaining({ action: 's3:PutObject' }) }),
    ]);
    // Counted once: the next report does not repeat it.
    clock += 1000;
    await h(event('kms-decrypt-denied'));
    expect(jsonOf(published()[2]!).dedupe.otherSuppressed).toEqual([]);
  });

  it('a KMS denial is diagnosed and keyed by its key ARN', async () => {
    const out = await handler()(event('kms-decrypt-denied'));
    expect(out).toMatchObject({
      status: 'published',
      key: {
        action: 'kms:Decrypt',
        bucket: 'arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    });
  });

  it('ignores what the rule should not have sent, without any AWS call', async () => {
    const h = handler();
    expect(await h(event('s3-putobject-allowed'))).toEqual({
      status: 'ignored',
      reason: 'the call succeeded (no errorCode)',
    });
    expect(await h(event('scheduled-event'))).toMatchObject({ status: 'ignored' });
    expect(await h('not an event')).toMatchObject({ status: 'ignored' });
    expect(fake.calls).toEqual([]);
    expect(lines.map((l) => (JSON.parse(l) as { status: string }).status)).toEqual([
      'ignored',
      'ignored',
      'ignored',
    ]);
  });

  it('without a topic the report is one JSON line on stdout (CloudWatch Logs)', async () => {
    const out = await handler({ topicArn: undefined })(event('s3-putobject-denied'));
    expect(out.status).toBe('published');
    expect(fake.ops()).not.toContain('sns:Publish');
    const report = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.s3doctor === 'report')!;
    expect((report.report as LambdaReport).report.results[0]!.causes[0]!.code).toBe(
      'missing-allow-identity-policy',
    );
    expect(report.markdown).toContain('s3doctor:');
  });

  it('when evidence cannot be collected, the report is from the event alone and says why', async () => {
    w.caller = { error: [403, 'InvalidClientTokenId'] } as unknown as typeof w.caller;
    const out = await handler()(event('s3-putobject-denied'));
    expect(out).toMatchObject({ status: 'published' });
    expect(out.status === 'published' && out.evidenceError).toBeTruthy();
    const doc = jsonOf(published()[0]!);
    expect(doc.evidenceError).toBeTruthy();
    expect(doc.report.results[0]!.evidence).not.toBe('live');
    expect(markdownOf(published()[0]!)).toContain('Evidence could not be collected');
  });

  describe('the AWS CLI habits reach the SNS publisher too', () => {
    afterEach(() => setAwsClientSettings({}));

    it('--endpoint-url (the shared client settings) sends the Publish there, not to AWS', async () => {
      setAwsClientSettings({ endpointUrl: fake.url });
      // No endpoint among the injected options: only the shared settings point the clients at the fake.
      const h = handler({
        clientOptions: {
          all: { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, maxAttempts: 1 },
        },
      });
      const out = await h(event('s3-putobject-denied'));
      expect(out).toMatchObject({ status: 'published', messageId: 'fake-message-1' });
      expect(published()).toHaveLength(1);
    });

    it('--debug shows the SNS request and response, the signature redacted', async () => {
      const debug: string[] = [];
      setAwsClientSettings({ debug: (t) => void debug.push(t) });
      await handler()(event('s3-putobject-denied'));
      const text = debug.join('\n');
      expect(text).toContain('s3doctor debug: request sns Publish: POST');
      expect(text).toMatch(/response sns Publish/);
      expect(text).not.toMatch(/Signature=[0-9a-f]{16}/);
    });
  });
});
