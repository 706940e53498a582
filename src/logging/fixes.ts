// The commands and CloudFormation that close each logging gap; every value is shell- or YAML-quoted (it may come from a log).

import type { LifecycleRule, PolicyDocument } from '../model/index.js';

/** How to close a gap: AWS CLI commands and a CloudFormation snippet. */
export interface LoggingFix {
  summary: string;
  commands: string[];
  cloudFormation: string;
}

import { shellQuote } from '../fix/shell-quote.js';

export { shellQuote };

/** A YAML scalar in single quotes. */
function yq(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A CloudFormation logical id from a bucket name. */
function logicalId(prefix: string, name: string): string {
  return (
    prefix +
    name
      .replace(/[^A-Za-z0-9]/g, ' ')
      .replace(/\b\w/g, (c) => c.toUpperCase())
      .replace(/ /g, '')
  );
}

/** JSON as it goes into a YAML document (indented block). */
function jsonBlock(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** Turn logging on, to TARGET/PREFIX with date-partitioned keys. */
export function enableLoggingFix(
  bucket: string,
  target: string,
  prefix: string,
  account?: string,
): LoggingFix {
  const status = {
    LoggingEnabled: {
      TargetBucket: target,
      TargetPrefix: prefix,
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
    },
  };
  return {
    summary: `Deliver ${bucket}'s access logs to s3://${target}/${prefix} with date-partitioned keys (the target must be in the same Region and account${account ? ` (${account})` : ''}, and grant logging.s3.amazonaws.com s3:PutObject).`,
    commands: [
      `aws s3api put-bucket-logging --bucket ${shellQuote(bucket)} --bucket-logging-status ${shellQuote(JSON.stringify(status))}`,
    ],
    cloudFormation: `# On the AWS::S3::Bucket of ${bucket}:
${logicalId('Bucket', bucket)}:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: ${yq(bucket)}
    LoggingConfiguration:
      DestinationBucketName: ${yq(target)}
      LogFilePrefix: ${yq(prefix)}
      TargetObjectKeyFormat:
        PartitionedPrefix:
          PartitionDateSource: EventTime
`,
  };
}

/** The statement that lets the log delivery write SOURCE's logs under TARGET/PREFIX, scoped to the source. */
export function logDeliveryStatement(
  target: string,
  prefix: string,
  source: string,
  account?: string,
): Record<string, unknown> {
  return {
    Sid: `S3AccessLogsFrom${source.replace(/[^A-Za-z0-9]/g, '')}`,
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${target}/${prefix}*`,
    Condition: {
      ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` },
      ...(account ? { StringEquals: { 'aws:SourceAccount': account } } : {}),
    },
  };
}

/** Add (or replace, by Sid) the log delivery statement in TARGET's bucket policy; the whole merged document is printed. */
export function bucketPolicyFix(
  target: string,
  prefix: string,
  source: string,
  account: string | undefined,
  current: PolicyDocument | null,
): LoggingFix {
  const stmt = logDeliveryStatement(target, prefix, source, account);
  const existing = current
    ? ((Array.isArray(current.Statement) ? current.Statement : [current.Statement]) as unknown as Record<
        string,
        unknown
      >[])
    : [];
  const kept = existing.filter((s) => s.Sid !== stmt.Sid);
  const doc = { Version: '2012-10-17', Statement: [...kept, stmt] };
  return {
    summary: `Grant logging.s3.amazonaws.com s3:PutObject on s3://${target}/${prefix}*, only for ${source}${account ? ` in ${account}` : ''} (aws:SourceArn${account ? ', aws:SourceAccount' : ''}). The command sets the whole policy: the current statements are kept.`,
    commands: [
      `aws s3api put-bucket-policy --bucket ${shellQuote(target)} --policy ${shellQuote(JSON.stringify(doc))}`,
    ],
    cloudFormation: `${logicalId('LogDeliveryPolicy', target)}:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: ${yq(target)}
    PolicyDocument:
${jsonBlock(doc, '      ')}
`,
  };
}

/** Switch TARGET's default encryption to SSE-S3. */
export function encryptionFix(target: string): LoggingFix {
  const conf = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] };
  return {
    summary: `Use SSE-S3 (AES256) default encryption on ${target} (or deliver logs to another bucket that does).`,
    commands: [
      `aws s3api put-bucket-encryption --bucket ${shellQuote(target)} --server-side-encryption-configuration ${shellQuote(JSON.stringify(conf))}`,
    ],
    cloudFormation: `# On the AWS::S3::Bucket of ${target}:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: AES256
`,
  };
}

/** Add a rule that expires the logs under PREFIX after DAYS days; the command keeps the current rules (it replaces the whole configuration). */
export function lifecycleFix(
  target: string,
  prefix: string,
  days: number,
  current: LifecycleRule[],
): LoggingFix {
  const rule = {
    ID: 's3doctor-log-retention',
    Status: 'Enabled',
    Filter: { Prefix: prefix },
    Expiration: { Days: days },
  };
  const rules = [...current.filter((r) => r.ID !== rule.ID), rule];
  return {
    summary: `Expire the logs under s3://${target}/${prefix} after ${days} days. put-bucket-lifecycle-configuration replaces every rule, so the command lists the current ones too.`,
    commands: [
      `aws s3api put-bucket-lifecycle-configuration --bucket ${shellQuote(target)} --lifecycle-configuration ${shellQuote(JSON.stringify({ Rules: rules }))}`,
    ],
    cloudFormation: `# On the AWS::S3::Bucket of ${target}:
    LifecycleConfiguration:
      Rules:
        - Id: s3doctor-log-retention
          Status: Enabled
          Prefix: ${yq(prefix)}
          ExpirationInDays: ${days}
`,
  };
}

/** Record S3 data events for BUCKET's objects (advanced event selectors). */
export function trailFix(bucket: string, trail?: string): LoggingFix {
  const selectors = [
    {
      Name: `S3 data events for ${bucket}`,
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${bucket}/`] },
      ],
    },
  ];
  const name = trail ?? 's3doctor-data-events';
  return {
    summary: trail
      ? `Add an advanced event selector for ${bucket}'s objects to trail ${trail}. put-event-selectors replaces the trail's selectors: add the current ones (aws cloudtrail get-event-selectors) to the list.`
      : `Create a trail that records S3 data events for ${bucket}'s objects (it needs an S3 bucket for its own logs).`,
    commands: [
      ...(trail
        ? []
        : [
            `aws cloudtrail create-trail --name ${shellQuote(name)} --s3-bucket-name ${shellQuote(`${bucket}-trail-logs`)} --is-multi-region-trail`,
            `aws cloudtrail start-logging --name ${shellQuote(name)}`,
          ]),
      `aws cloudtrail put-event-selectors --trail-name ${shellQuote(name)} --advanced-event-selectors ${shellQuote(JSON.stringify(selectors))}`,
    ],
    cloudFormation: `${logicalId('Trail', name)}:
  Type: AWS::CloudTrail::Trail
  Properties:
    TrailName: ${yq(name)}
    S3BucketName: ${yq(`${bucket}-trail-logs`)}
    IsLogging: true
    IsMultiRegionTrail: true
    AdvancedEventSelectors:
      - Name: ${yq(`S3 data events for ${bucket}`)}
        FieldSelectors:
          - Field: eventCategory
            Equals: [Data]
          - Field: resources.type
            Equals: [AWS::S3::Object]
          - Field: resources.ARN
            StartsWith: [${yq(`arn:aws:s3:::${bucket}/`)}]
`,
  };
}
