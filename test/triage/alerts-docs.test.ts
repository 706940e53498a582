// The documents `s3doctor alerts` prints, checked against the shapes AWS documents: metric filter pattern,
// Contributor Insights rule syntax, metric-math alarms, and CloudFormation that parses.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  KMS_DENIAL_CODES,
  MAX_FILTER_PATTERN,
  S3_DENIAL_CODES,
  alertCliCommands,
  alertCloudFormation,
  contributorRules,
  filterPattern,
} from '../../src/triage/alerts.js';
import { DENIAL_CODES } from '../../src/logs/codes.js';

const OPS = ['In', 'NotIn', 'StartsWith', 'GreaterThan', 'LessThan', 'EqualTo', 'NotEqualTo', 'IsPresent'];

/**
 * Contributor Insights rule syntax (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html):
 * Schema {Name: CloudWatchLogRule, Version: 1}; LogGroupNames; LogFormat JSON or CLF; Contribution.Keys
 * (JSON paths, at most 4); Filters (at most 4, each Match plus one operator; In at most 10 values);
 * AggregateOn Count or Sum (Sum needs ValueOf).
 */
function ruleProblems(body: Record<string, unknown>): string[] {
  const p: string[] = [];
  const allowed = [
    'Schema',
    'LogGroupNames',
    'LogGroupARNs',
    'LogFormat',
    'Fields',
    'Contribution',
    'AggregateOn',
  ];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) p.push(`unknown field ${k}`);
  if (JSON.stringify(body.Schema) !== JSON.stringify({ Name: 'CloudWatchLogRule', Version: 1 }))
    p.push('Schema');
  if (!Array.isArray(body.LogGroupNames) || body.LogGroupNames.length === 0) p.push('LogGroupNames');
  if (body.LogFormat !== 'JSON' && body.LogFormat !== 'CLF') p.push('LogFormat');
  if (body.AggregateOn !== 'Count' && body.AggregateOn !== 'Sum') p.push('AggregateOn');
  const c = body.Contribution as { Keys?: unknown; Filters?: Record<string, unknown>[]; ValueOf?: string };
  if (!Array.isArray(c?.Keys) || c.Keys.length < 1 || c.Keys.length > 4) p.push('Keys');
  for (const k of (c?.Keys as string[]) ?? []) if (!k.startsWith('$.')) p.push(`key ${k}`);
  if (body.AggregateOn === 'Sum' && !c.ValueOf) p.push('ValueOf');
  if ((c?.Filters?.length ?? 0) > 4) p.push('Filters > 4');
  for (const f of c?.Filters ?? []) {
    if (typeof f.Match !== 'string' || !f.Match.startsWith('$.')) p.push('Match');
    const ops = Object.keys(f).filter((k) => k !== 'Match');
    if (ops.length !== 1 || !OPS.includes(ops[0]!)) p.push(`operator ${ops.join(',')}`);
    if (Array.isArray(f.In) && (f.In.length < 1 || f.In.length > 10)) p.push(`In has ${f.In.length} values`);
  }
  return p;
}

describe('alerts documents', () => {
  it('covers every S3 and KMS denial code the log reader knows, and the pattern fits CloudWatch Logs', () => {
    const known = [...DENIAL_CODES];
    for (const c of [
      'AccessDenied',
      'AllAccessDisabled',
      'AccountProblem',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'ExpiredToken',
      'InvalidToken',
      'RequestTimeTooSkewed',
    ])
      expect(S3_DENIAL_CODES).toContain(c);
    for (const c of S3_DENIAL_CODES) expect(known).toContain(c);
    expect(KMS_DENIAL_CODES).toContain('AccessDeniedException');
    const p = filterPattern({});
    expect(p.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN);
    // Balanced parentheses, one JSON pattern in braces.
    let depth = 0;
    for (const ch of p) {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(p).toMatch(/^\{ .* \}$/);
  });

  it('each Contributor Insights rule follows the documented rule syntax', () => {
    const rules = contributorRules({ logGroup: 'CloudTrail/DefaultLogGroup' });
    expect(rules.map((r) => (r.body.Contribution as { Keys: string[] }).Keys[0])).toEqual([
      '$.sourceIPAddress',
      '$.userIdentity.arn',
      '$.requestParameters.bucketName',
      '$.sourceIPAddress',
      '$.userIdentity.arn',
    ]);
    for (const r of rules) expect(ruleProblems(r.body), r.name).toEqual([]);
    expect(ruleProblems({ ...rules[0]!.body, AggregateOn: 'Max' })).toEqual(['AggregateOn']);
  });

  it('the CLI commands read back (shell-quoted) to the same rule bodies and alarm metrics', () => {
    const o = {
      logGroup: "trail's group",
      snsTopic: 'arn:aws:sns:us-east-1:111122223333:t',
      topThreshold: 25,
    };
    const cmds = alertCliCommands(o);
    expect(cmds).toHaveLength(2 + 2 * 5);
    const words = (cmd: string): string[] =>
      execFileSync(
        'sh',
        [
          '-c',
          `for a in ${cmd.replace(/\\\n/g, ' ').replace(/^aws \S+ \S+ /, '')}; do printf '%s\\n' "$a"; done`,
        ],
        {
          encoding: 'utf8',
        },
      ).split('\n');
    const ruleWords = words(cmds[2]!);
    const body = JSON.parse(ruleWords[ruleWords.indexOf('--rule-definition') + 1]!) as Record<
      string,
      unknown
    >;
    expect(body).toEqual(contributorRules(o)[0]!.body);
    const alarmWords = words(cmds[3]!);
    const metrics = JSON.parse(alarmWords[alarmWords.indexOf('--metrics') + 1]!) as { Expression: string }[];
    expect(metrics[0]!.Expression).toBe(
      'INSIGHT_RULE_METRIC("s3doctor-s3-denials-by-ip", "MaxContributorValue")',
    );
    expect(alarmWords).toContain('25');
  });

  it('the CloudFormation parses, and each InsightRule body is a valid rule with its top-contributor alarm', () => {
    const doc = parseYaml(
      alertCloudFormation({ logGroup: 'CloudTrail/DefaultLogGroup', snsTopic: 'arn:aws:sns:us-east-1:1:t' }),
    ) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string }>;
    };
    const rs = Object.entries(doc.Resources);
    const rules = rs.filter(([, r]) => r.Type === 'AWS::CloudWatch::InsightRule');
    expect(rules).toHaveLength(5);
    for (const [id, r] of rules) {
      expect(
        ruleProblems(JSON.parse(r.Properties.RuleBody as string) as Record<string, unknown>),
        id,
      ).toEqual([]);
      const alarm = doc.Resources[`${id}Alarm`]!;
      expect(alarm.Type).toBe('AWS::CloudWatch::Alarm');
      expect(alarm.DependsOn).toBe(id);
      const m = (alarm.Properties.Metrics as { Expression: string }[])[0]!;
      expect(m.Expression).toBe(
        `INSIGHT_RULE_METRIC("${r.Properties.RuleName as string}", "MaxContributorValue")`,
      );
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:1:t']);
    }
    expect(rs.filter(([, r]) => r.Type === 'AWS::Logs::MetricFilter')).toHaveLength(1);
  });
});
