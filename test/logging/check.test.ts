// Logging readiness: each check's verdict, the engine's verdict on the log delivery's PutObject, and fixes that work.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateRequest, parseSimulateRequest } from '../../src/authz/index.js';
import { loadSnapshots } from '../../src/evidence/index.js';
import { checkLogging, expiresPrefix, recordsDataEvents } from '../../src/logging/check.js';
import { shellQuote } from '../../src/logging/fixes.js';
import type { Evidence, PolicyDocument, TrailEvidence } from '../../src/model/index.js';

const FILE = join(import.meta.dirname, '..', '..', 'examples', 'logging-readiness', 'evidence.json');
const opts = {
  evaluate: (r: Record<string, unknown>, e: Evidence) => evaluateRequest(parseSimulateRequest(r), e),
};

function statuses(ev: Evidence, bucket: string): Record<string, string> {
  return Object.fromEntries(checkLogging(ev, bucket, opts).checks.map((c) => [c.id, c.status]));
}

/** The JSON argument after `flag` in a printed command, read back the way a shell would. */
function argOf(command: string, flag: string): unknown {
  const out = execFileSync(
    'sh',
    ['-c', `for a in ${command.replace(/^aws s3api [a-z-]+ /, '')}; do printf '%s\\n' "$a"; done`],
    {
      encoding: 'utf8',
    },
  ).split('\n');
  return JSON.parse(out[out.indexOf(flag) + 1]!);
}

describe('checkLogging', () => {
  it('the example: logging on, but the delivery is blocked by the bucket policy, SSE-KMS, no retention, no data events', async () => {
    const ev = await loadSnapshots([FILE]);
    const r = checkLogging(ev, 'app-data', opts);
    expect(r.target).toEqual({ bucket: 'app-logs', prefix: 'app-data/' });
    expect(Object.fromEntries(r.checks.map((c) => [c.id, c.status]))).toEqual({
      'access-logging': 'ok',
      'key-format': 'advice',
      'target-location': 'ok',
      'delivery-permission': 'gap',
      'delivery-scoped': 'ok',
      'target-encryption': 'gap',
      'target-settings': 'ok',
      'log-retention': 'gap',
      'cloudtrail-data-events': 'gap',
    });
    expect(r.delivery?.decision).toBe('ImplicitDeny');
    expect(r.delivery?.blocking[0]).toBe('bucket-policy: missing-allow');
    expect(r.checks.find((c) => c.id === 'delivery-permission')!.summary).toContain(
      'This is why logs stop arriving',
    );
  });

  it('applying the printed bucket policy and encryption fixes makes the delivery allowed, and keeps the old statement', async () => {
    const ev = await loadSnapshots([FILE]);
    const r = checkLogging(ev, 'app-data', opts);
    const policyCmd = r.checks.find((c) => c.id === 'delivery-permission')!.fix!.commands[0]!;
    const encCmd = r.checks.find((c) => c.id === 'target-encryption')!.fix!.commands[0]!;
    const policy = argOf(policyCmd, '--policy') as PolicyDocument;
    expect((policy.Statement as unknown[]).length).toBe(2);
    const enc = argOf(encCmd, '--server-side-encryption-configuration') as {
      Rules: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
    };
    ev.buckets['app-logs']!.policy = policy;
    ev.buckets['app-logs']!.encryption = enc.Rules[0]!.ApplyServerSideEncryptionByDefault;
    const after = checkLogging(ev, 'app-data', opts);
    expect(after.delivery?.decision).toBe('Allowed');
    expect(after.delivery?.certain).toBe(true);
    expect(Object.fromEntries(after.checks.map((c) => [c.id, c.status]))).toMatchObject({
      'delivery-permission': 'ok',
      'target-encryption': 'ok',
    });
    // The grant is scoped: another source bucket's logs are still refused.
    const other = evaluateRequest(
      parseSimulateRequest({
        principal: 'logging.s3.amazonaws.com',
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::app-logs/app-data/x',
        context: { 'aws:SourceArn': 'arn:aws:s3:::someone-else', 'aws:SourceAccount': '111122223333' },
      }),
      ev,
    );
    expect(other.decision).toBe('ImplicitDeny');
  });

  it('the lifecycle fix keeps existing rules and covers the prefix', async () => {
    const ev = await loadSnapshots([FILE]);
    ev.buckets['app-logs']!.lifecycle = [
      { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
    ];
    const cmd = checkLogging(ev, 'app-data', opts).checks.find((c) => c.id === 'log-retention')!.fix!
      .commands[0]!;
    const conf = argOf(cmd, '--lifecycle-configuration') as { Rules: { ID: string }[] };
    expect(conf.Rules.map((r) => r.ID)).toEqual(['tmp', 's3doctor-log-retention']);
    ev.buckets['app-logs']!.lifecycle = conf.Rules as never;
    expect(statuses(ev, 'app-data')['log-retention']).toBe('ok');
  });

  it('logging off is a gap with the command that turns it on; missing evidence is unknown, not ok', async () => {
    const ev = await loadSnapshots([FILE]);
    const r = checkLogging(ev, 'static-site', opts);
    expect(r.checks[0]).toMatchObject({ id: 'access-logging', status: 'gap' });
    expect(r.checks[0]!.fix!.commands[0]).toContain('aws s3api put-bucket-logging --bucket static-site');
    delete ev.buckets['static-site']!.logging;
    delete ev.trails;
    expect(statuses(ev, 'static-site')).toEqual({
      'access-logging': 'unknown',
      'cloudtrail-data-events': 'unknown',
    });
  });

  it('a target in another Region is a gap', async () => {
    const ev = await loadSnapshots([FILE]);
    ev.buckets['app-logs']!.region = 'eu-west-1';
    expect(statuses(ev, 'app-data')['target-location']).toBe('gap');
  });

  it('every printed CloudFormation snippet is YAML', async () => {
    const ev = await loadSnapshots([FILE]);
    for (const b of ['app-data', 'static-site'])
      for (const c of checkLogging(ev, b, opts).checks)
        if (c.fix) expect(() => parseYaml(c.fix!.cloudFormation), `${b} ${c.id}`).not.toThrow();
  });
});

describe('helpers', () => {
  it('recordsDataEvents: basic and advanced selectors, all buckets or this one, not another', () => {
    const basic = (values: string[]): TrailEvidence => ({
      kind: 'trail',
      name: 't',
      eventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }],
    });
    expect(recordsDataEvents(basic(['arn:aws:s3']), 'b')).toBe(true);
    expect(recordsDataEvents(basic(['arn:aws:s3:::b/']), 'b')).toBe(true);
    expect(recordsDataEvents(basic(['arn:aws:s3:::b/logs/']), 'b')).toBe(true);
    expect(recordsDataEvents(basic(['arn:aws:s3:::other/']), 'b')).toBe(false);
    expect(recordsDataEvents({ ...basic(['arn:aws:s3']), isLogging: false }, 'b')).toBe(false);
    const adv = (arn?: Record<string, string[]>): TrailEvidence => ({
      kind: 'event-data-store',
      name: 'eds',
      advancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ...(arn ? [{ Field: 'resources.ARN', ...arn }] : []),
          ],
        },
      ],
    });
    expect(recordsDataEvents(adv(), 'b')).toBe(true);
    expect(recordsDataEvents(adv({ StartsWith: ['arn:aws:s3:::b/'] }), 'b')).toBe(true);
    expect(recordsDataEvents(adv({ StartsWith: ['arn:aws:s3:::c/'] }), 'b')).toBe(false);
    expect(recordsDataEvents(adv({ NotStartsWith: ['arn:aws:s3:::b/'] }), 'b')).toBe(false);
    expect(recordsDataEvents(adv({ NotStartsWith: ['arn:aws:s3:::c/'] }), 'b')).toBe(true);
  });

  it('expiresPrefix: whole-bucket and prefix rules, disabled or without expiration do not count', () => {
    expect(expiresPrefix({ Status: 'Enabled', Expiration: { Days: 30 } }, 'logs/')).toBe(true);
    expect(
      expiresPrefix({ Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }, 'logs/a/'),
    ).toBe(true);
    expect(
      expiresPrefix({ Status: 'Enabled', Filter: { Prefix: 'other/' }, Expiration: { Days: 30 } }, 'logs/'),
    ).toBe(false);
    expect(expiresPrefix({ Status: 'Disabled', Expiration: { Days: 30 } }, 'logs/')).toBe(false);
    expect(expiresPrefix({ Status: 'Enabled' }, 'logs/')).toBe(false);
  });

  it('shellQuote survives quotes and spaces in a prefix', () => {
    const hostile = `it's $(rm -rf /) "x"`;
    expect(execFileSync('sh', ['-c', `printf '%s' ${shellQuote(hostile)}`], { encoding: 'utf8' })).toBe(
      hostile,
    );
  });
});
