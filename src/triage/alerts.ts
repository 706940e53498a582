// CloudWatch alerting for future denials: the CloudTrail metric filter pattern, AWS CLI commands and a CloudFormation snippet (text only).

/** Options of {@link alertConfig}. */
export interface AlertOptions {
  buckets?: string[];
  principals?: string[];
  logGroup: string;
  threshold?: number;
  periodSeconds?: number;
  snsTopic?: string;
  /** Alarm when one contributor (IP, principal, bucket) makes at least this many denials in a period (default 10). */
  topThreshold?: number;
}

/** Names used by the filter and alarm. */
export const ALERT_NAMES = {
  filterName: 's3doctor-s3-access-denied',
  metricName: 'S3AccessDenied',
  namespace: 's3doctor',
  alarmName: 's3doctor-s3-access-denied',
} as const;

function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Error codes CloudTrail records for S3 requests that were refused: authorization, credentials and signing,
 * disabled access, account problems (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
export const S3_DENIAL_CODES = [
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'RequestTimeTooSkewed',
  'AccessControlListNotSupported',
  'VpceAccessDenied',
] as const;

/**
 * Error codes CloudTrail records for refused KMS calls (the key use S3 makes for SSE-KMS objects): denied,
 * and the key disabled or pending deletion (https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html).
 */
export const KMS_DENIAL_CODES = [
  'AccessDenied',
  'AccessDeniedException',
  'DisabledException',
  'KMSInvalidStateException',
] as const;

/** CloudWatch Logs caps a metric filter pattern at 1024 characters (PutMetricFilter filterPattern). */
export const MAX_FILTER_PATTERN = 1024;

function anyOf(field: string, values: readonly string[]): string {
  const xs = values.map((v) => `(${field} = ${quote(v)})`);
  return xs.length === 1 ? xs[0]! : `(${xs.join(' || ')})`;
}

/**
 * The metric filter pattern over CloudTrail events in CloudWatch Logs: S3 events with any S3 denial code
 * and (unless narrowed to buckets, which KMS events do not name) KMS events with a KMS denial code,
 * narrowed to the buckets and principals. JSON filter syntax:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html ; CloudTrail
 * to CloudWatch Logs: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
 * (object-level denials need S3 data events on the trail).
 */
export function filterPattern(o: Pick<AlertOptions, 'buckets' | 'principals'>): string {
  const s3 = `(($.eventSource = "s3.amazonaws.com") && ${anyOf('$.errorCode', S3_DENIAL_CODES)})`;
  const kms = `(($.eventSource = "kms.amazonaws.com") && ${anyOf('$.errorCode', KMS_DENIAL_CODES)})`;
  const parts = [o.buckets?.length ? s3 : `(${s3} || ${kms})`];
  if (o.buckets?.length) parts.push(anyOf('$.requestParameters.bucketName', o.buckets));
  if (o.principals?.length) parts.push(anyOf('$.userIdentity.arn', o.principals));
  return `{ ${parts.join(' && ')} }`;
}

/** A Contributor Insights rule: which field ranks the contributors of which denials. */
export interface ContributorRule {
  name: string;
  description: string;
  body: Record<string, unknown>;
}

/**
 * Contributor Insights rules over the CloudTrail log group: top source IPs, principals and buckets by S3
 * denials, and top IPs and principals by KMS denials. Syntax:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
 */
export function contributorRules(o: Pick<AlertOptions, 'logGroup'>): ContributorRule[] {
  const rule = (
    name: string,
    description: string,
    key: string,
    source: string,
    codes: readonly string[],
  ): ContributorRule => ({
    name,
    description,
    body: {
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [o.logGroup],
      LogFormat: 'JSON',
      Contribution: {
        Keys: [key],
        Filters: [
          { Match: '$.eventSource', In: [source] },
          { Match: '$.errorCode', In: [...codes] },
        ],
      },
      AggregateOn: 'Count',
    },
  });
  return [
    rule(
      's3doctor-s3-denials-by-ip',
      'S3 denials by source IP',
      '$.sourceIPAddress',
      's3.amazonaws.com',
      S3_DENIAL_CODES,
    ),
    rule(
      's3doctor-s3-denials-by-principal',
      'S3 denials by principal',
      '$.userIdentity.arn',
      's3.amazonaws.com',
      S3_DENIAL_CODES,
    ),
    rule(
      's3doctor-s3-denials-by-bucket',
      'S3 denials by bucket',
      '$.requestParameters.bucketName',
      's3.amazonaws.com',
      S3_DENIAL_CODES,
    ),
    rule(
      's3doctor-kms-denials-by-ip',
      'KMS denials by source IP',
      '$.sourceIPAddress',
      'kms.amazonaws.com',
      KMS_DENIAL_CODES,
    ),
    rule(
      's3doctor-kms-denials-by-principal',
      'KMS denials by principal',
      '$.userIdentity.arn',
      'kms.amazonaws.com',
      KMS_DENIAL_CODES,
    ),
  ];
}

/** The metric math expression of a rule's top contributor (MaxContributorValue). */
export function topContributorExpression(rule: string): string {
  return `INSIGHT_RULE_METRIC("${rule}", "MaxContributorValue")`;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI commands that create the metric filter and the alarm. */
export function alertCliCommands(o: AlertOptions): string[] {
  const n = ALERT_NAMES;
  const threshold = o.threshold ?? 1;
  const period = o.periodSeconds ?? 300;
  return [
    [
      'aws logs put-metric-filter',
      `--log-group-name ${shellQuote(o.logGroup)}`,
      `--filter-name ${n.filterName}`,
      `--filter-pattern ${shellQuote(filterPattern(o))}`,
      `--metric-transformations metricName=${n.metricName},metricNamespace=${n.namespace},metricValue=1,defaultValue=0`,
    ].join(' \\\n  '),
    [
      'aws cloudwatch put-metric-alarm',
      `--alarm-name ${n.alarmName}`,
      `--alarm-description ${shellQuote('S3 AccessDenied events (s3doctor alerts)')}`,
      `--namespace ${n.namespace} --metric-name ${n.metricName}`,
      `--statistic Sum --period ${period} --evaluation-periods 1`,
      `--threshold ${threshold} --comparison-operator GreaterThanOrEqualToThreshold`,
      '--treat-missing-data notBreaching',
      ...(o.snsTopic ? [`--alarm-actions ${shellQuote(o.snsTopic)}`] : []),
    ].join(' \\\n  '),
    ...contributorRules(o).flatMap((r) => [
      [
        'aws cloudwatch put-insight-rule',
        `--rule-name ${r.name}`,
        '--rule-state ENABLED',
        `--rule-definition ${shellQuote(JSON.stringify(r.body))}`,
      ].join(' \\\n  '),
      [
        'aws cloudwatch put-metric-alarm',
        `--alarm-name ${r.name}-top`,
        `--alarm-description ${shellQuote(`Top contributor of ${r.description} (s3doctor alerts)`)}`,
        `--metrics ${shellQuote(JSON.stringify(topContributorMetrics(r.name, period)))}`,
        `--evaluation-periods 1 --threshold ${o.topThreshold ?? 10} --comparison-operator GreaterThanOrEqualToThreshold`,
        '--treat-missing-data notBreaching',
        ...(o.snsTopic ? [`--alarm-actions ${shellQuote(o.snsTopic)}`] : []),
      ].join(' \\\n  '),
    ]),
  ];
}

/** The alarm's metric math: the top contributor's count per period. */
export function topContributorMetrics(rule: string, period: number): Record<string, unknown>[] {
  return [
    {
      Id: 'top',
      Expression: topContributorExpression(rule),
      Period: period,
      ReturnData: true,
      Label: 'Top contributor',
    },
  ];
}

function yamlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A CloudFormation (YAML) template with the AWS::Logs::MetricFilter and AWS::CloudWatch::Alarm. */
export function alertCloudFormation(o: AlertOptions): string {
  const n = ALERT_NAMES;
  return `AWSTemplateFormatVersion: '2010-09-09'
Description: S3 and KMS denial alerting from CloudTrail in CloudWatch Logs, with Contributor Insights top IPs, principals and buckets (generated by s3doctor alerts)
Resources:
  S3AccessDeniedFilter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: ${yamlString(o.logGroup)}
      FilterName: ${n.filterName}
      FilterPattern: ${yamlString(filterPattern(o))}
      MetricTransformations:
        - MetricName: ${n.metricName}
          MetricNamespace: ${n.namespace}
          MetricValue: '1'
          DefaultValue: 0
  S3AccessDeniedAlarm:
    Type: AWS::CloudWatch::Alarm
    DependsOn: S3AccessDeniedFilter
    Properties:
      AlarmName: ${n.alarmName}
      AlarmDescription: S3 AccessDenied events (s3doctor alerts)
      Namespace: ${n.namespace}
      MetricName: ${n.metricName}
      Statistic: Sum
      Period: ${o.periodSeconds ?? 300}
      EvaluationPeriods: 1
      Threshold: ${o.threshold ?? 1}
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching${o.snsTopic ? `\n      AlarmActions:\n        - ${yamlString(o.snsTopic)}` : ''}
${contributorRules(o)
  .map((r) => {
    const id = r.name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
    return `  ${id}:
    Type: AWS::CloudWatch::InsightRule
    Properties:
      RuleName: ${r.name}
      RuleState: ENABLED
      RuleBody: ${yamlString(JSON.stringify(r.body))}
  ${id}Alarm:
    Type: AWS::CloudWatch::Alarm
    DependsOn: ${id}
    Properties:
      AlarmName: ${r.name}-top
      AlarmDescription: ${yamlString(`Top contributor of ${r.description} (s3doctor alerts)`)}
      Metrics:
        - Id: top
          Expression: ${yamlString(topContributorExpression(r.name))}
          Period: ${o.periodSeconds ?? 300}
          ReturnData: true
          Label: Top contributor
      EvaluationPeriods: 1
      Threshold: ${o.topThreshold ?? 10}
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching${o.snsTopic ? `\n      AlarmActions:\n        - ${yamlString(o.snsTopic)}` : ''}
`;
  })
  .join('')}`;
}

/** The whole `s3doctor alerts` text. */
export function renderAlerts(o: AlertOptions): string {
  const scope = [
    o.buckets?.length ? `buckets ${o.buckets.join(', ')}` : 'every bucket',
    o.principals?.length ? `principals ${o.principals.join(', ')}` : 'every principal',
  ].join(', ');
  return `# CloudWatch alerting for future S3 and KMS denials (${scope})
# Error codes: S3 ${S3_DENIAL_CODES.join(', ')}; KMS ${KMS_DENIAL_CODES.join(', ')}${o.buckets?.length ? ' (KMS events name no bucket: not matched when narrowed to buckets)' : ''}.
# Contributor Insights rules rank source IPs, principals and buckets by denials; each alarms when its
# top contributor reaches ${o.topThreshold ?? 10} denials in ${o.periodSeconds ?? 300} s (probing from one address or identity).
# Needs a CloudTrail trail that delivers to the CloudWatch Logs group ${o.logGroup}
# (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html),
# with S3 data events enabled for object-level requests (GetObject, PutObject, ...).
# s3doctor made no AWS calls; review, then run these yourself.

# Metric filter pattern:
# ${filterPattern(o)}

# AWS CLI:
${alertCliCommands(o).join('\n\n')}

# CloudFormation:
${alertCloudFormation(o)}`;
}
