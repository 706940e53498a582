// Unit tests of the text that triage helpers print: Athena DDL and queries, CloudWatch alerts.

import { describe, expect, it } from 'vitest';
import { athenaDdl, athenaQuery, sinceDate } from '../../src/triage/athena-sql.js';
import {
  alertCliCommands,
  alertCloudFormation,
  filterPattern,
  renderAlerts,
} from '../../src/triage/alerts.js';

describe('athena ddl', () => {
  it('access-log table: every documented column, RegexSerDe, date projection on the given location', () => {
    const sql = athenaDdl({
      type: 'access-log',
      location: 's3://logs-bucket/s3/111122223333/us-east-1/reports',
      since: '2026/01/01',
    });
    for (const col of [
      'bucketowner STRING',
      'requestdatetime STRING',
      'errorcode STRING',
      'tlsversion STRING',
      'accesspointarn STRING',
      'aclrequired STRING',
    ])
      expect(sql).toContain(col);
    expect(sql).toContain("'projection.timestamp.range' = '2026/01/01,NOW'");
    expect(sql).toContain(
      "'storage.location.template' = 's3://logs-bucket/s3/111122223333/us-east-1/reports/${timestamp}'",
    );
    expect(sql).toContain("LOCATION 's3://logs-bucket/s3/111122223333/us-east-1/reports/'");
    expect(sql).toContain('org.apache.hadoop.hive.serde2.RegexSerDe');
    expect(sql).toMatch(
      /https:\/\/docs\.aws\.amazon\.com\/AmazonS3\/latest\/userguide\/using-s3-access-logs-to-identify-requests\.html/,
    );
  });

  it('cloudtrail table: CloudTrailInputFormat, nested userIdentity, projection', () => {
    const sql = athenaDdl({
      type: 'cloudtrail',
      location: 's3://trail/AWSLogs/111122223333/CloudTrail/us-east-1/',
      table: 'ct',
      database: 'audit',
    });
    expect(sql).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `audit`.`ct` (');
    expect(sql).toContain('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(sql).toContain('sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING');
    expect(sql).toContain("'projection.enabled' = 'true'");
    expect(sql).toContain('create-cloudtrail-table-partition-projection.html');
  });

  it('rejects a location that is not an S3 URL', () => {
    expect(() => athenaDdl({ type: 'cloudtrail', location: '/tmp/x' })).toThrow(/s3:\/\//);
  });
});

describe('athena query', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it('access logs: denied rows since 7d, with the partition filter, the columns the CSV reader maps and the bucket filter', () => {
    const sql = athenaQuery({ type: 'access-log', since: '7d', buckets: ["rep'orts"], now });
    expect(sql).toContain(`"timestamp" >= '2026/11/17'`);
    expect(sql).toContain("(httpstatus = '403' OR errorcode IN ('AccessDenied'");
    expect(sql).toContain("AND bucket_name IN ('rep''orts')");
    expect(sql).toMatch(/SELECT bucketowner, bucket_name, requestdatetime, remoteip, requester/);
    expect(sql).not.toContain('GROUP BY');
  });

  it('grouped: one row per group with denials, first and last seen', () => {
    const sql = athenaQuery({ type: 'cloudtrail', since: '2026-11-01', grouped: true, limit: 500, now });
    expect(sql).toContain('count(*) AS denials');
    expect(sql).toContain('GROUP BY useridentity.arn');
    expect(sql).toContain("eventsource IN ('s3.amazonaws.com', 's3express.amazonaws.com')");
    expect(sql.trim().endsWith('LIMIT 500;')).toBe(true);
  });

  it('since accepts hours, days, weeks and dates, and rejects the rest', () => {
    expect(sinceDate('24h', now).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(sinceDate('2w', now).toISOString()).toBe('2026-11-10T12:00:00.000Z');
    expect(() => sinceDate('last week', now)).toThrow(/--since/);
  });
});

describe('alerts', () => {
  it('filter pattern on every S3 and KMS denial code, narrowed to buckets (OR) and principals', () => {
    const all = filterPattern({});
    for (const c of [
      'AccessDenied',
      'AllAccessDisabled',
      'AccountProblem',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'ExpiredToken',
    ])
      expect(all).toContain(`($.errorCode = "${c}")`);
    expect(all).toContain(
      '($.eventSource = "kms.amazonaws.com") && (($.errorCode = "AccessDenied") || ($.errorCode = "AccessDeniedException")',
    );
    const narrowed = filterPattern({ buckets: ['a', 'b'], principals: ['arn:aws:iam::1:role/r'] });
    expect(narrowed).not.toContain('kms.amazonaws.com');
    expect(narrowed).toContain(
      ' && (($.requestParameters.bucketName = "a") || ($.requestParameters.bucketName = "b")) && ($.userIdentity.arn = "arn:aws:iam::1:role/r") }',
    );
  });

  it('AWS CLI commands and CloudFormation carry the log group, threshold, period and SNS topic', () => {
    const o = {
      logGroup: "trail's logs",
      buckets: ['reports'],
      threshold: 5,
      periodSeconds: 60,
      snsTopic: 'arn:aws:sns:us-east-1:1:t',
    };
    const [filter, alarm, rule, topAlarm] = alertCliCommands(o);
    expect(rule).toContain('aws cloudwatch put-insight-rule');
    expect(topAlarm).toContain("--alarm-actions 'arn:aws:sns:us-east-1:1:t'");
    expect(filter).toContain("--log-group-name 'trail'\\''s logs'");
    expect(filter).toContain('metricValue=1,defaultValue=0');
    expect(alarm).toContain('--threshold 5 --comparison-operator GreaterThanOrEqualToThreshold');
    expect(alarm).toContain('--period 60');
    expect(alarm).toContain("--alarm-actions 'arn:aws:sns:us-east-1:1:t'");
    const cfn = alertCloudFormation(o);
    expect(cfn).toContain('Type: AWS::Logs::MetricFilter');
    expect(cfn).toContain('Type: AWS::CloudWatch::Alarm');
    expect(cfn).toContain("LogGroupName: 'trail''s logs'");
    expect(cfn).toContain('Threshold: 5');
    expect(renderAlerts(o)).toContain('made no AWS calls');
  });
});
