// How to collect each kind of missing evidence: a data table the formatters render next to unknowns.

/** One way to settle an unknown: which snapshot path (or request key) it covers and what to do. */
export interface CollectHint {
  /** Matches the unknown's path. */
  pattern: RegExp;
  /** What to do, in one sentence; `{{1}}`.. are the pattern's capture groups. */
  how: string;
}

/** Ordered: the first matching pattern wins. */
export const COLLECT_HINTS: readonly CollectHint[] = [
  {
    pattern: /^context\.aws:SecureTransport$/,
    how: 'say whether the client used HTTPS: --https yes|no (the log did not show the TLS details)',
  },
  {
    pattern: /^context\.aws:SourceVpce$|^context\.aws:SourceVpc$/,
    how: 'say whether the request came through a VPC endpoint: --via-vpce vpce-ID|no',
  },
  {
    pattern: /^(s3\.requestPayerSent|context\..*request-?payer.*)$/i,
    how: 'say whether the client sent x-amz-request-payer: --request-payer yes|no',
  },
  {
    pattern: /^buckets\.([^.]+)\.requestPayer$/,
    how: 'collect whether bucket {{1}} has Requester Pays on: aws s3api get-bucket-request-payment --bucket {{1}}',
  },
  {
    pattern: /^context\.(.+)$/,
    how: 'the request context key {{1}} was not in the input: use a CloudTrail event for this request, which carries more context',
  },
  {
    pattern: /^accounts\.([^.]+)\.(serviceControlPolicies|resourceControlPolicies|organizationId)/,
    how: 'collect the organization policies of account {{1}}: s3doctor collect --live with organizations:ListPoliciesForTarget and organizations:DescribePolicy (run from the management or a delegated administrator account)',
  },
  {
    pattern: /^accounts\.([^.]+)\.publicAccessBlock/,
    how: 'collect the account-level Block Public Access settings: aws s3control get-public-access-block --account-id {{1}}',
  },
  {
    pattern: /^accounts\.([^.]+)/,
    how: 'collect account {{1}} with s3doctor collect --live (credentials in that account)',
  },
  {
    pattern: /^principals\.(.+?)\.permissionsBoundary/,
    how: 'collect the permissions boundary of {{1}}: s3doctor collect --principal {{1}} --live',
  },
  {
    pattern: /^principals\.(.+?)(\.|$)/,
    how: 'collect the identity policies of {{1}}: s3doctor collect --principal {{1}} --live',
  },
  {
    pattern: /^sessions\.(.+?)(\.|$)/,
    how: 'the session policy of {{1}} is only known to whoever called AssumeRole: add it to the snapshot under sessions',
  },
  {
    pattern: /^buckets\.([^.[]+)\.objects(?:\["(.+)"\]|\.(.+))$/,
    how: 'collect the object metadata: aws s3api head-object --bucket {{1}} --key "{{2}}{{3}}" (or s3doctor collect --bucket {{1}} --live)',
  },
  {
    pattern: /^buckets\.([^.]+)/,
    how: 'collect bucket {{1}}: s3doctor collect --bucket {{1}} --live (credentials in the bucket owner account)',
  },
  {
    pattern: /^accessPoints\.(.+?)(\.|$)/,
    how: 'collect the access point: aws s3control get-access-point-policy (credentials in the access point owner account)',
  },
  {
    pattern: /^kmsKeys\.(.+?)(\.|$)/,
    how: 'collect the key policy: aws kms get-key-policy --key-id {{1}} --policy-name default',
  },
  {
    pattern: /^vpcEndpoints\.(.+?)(\.|$)/,
    how: 'collect the endpoint policy: aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {{1}}',
  },
];

/** The hint for one unknown path, or a generic one. */
export function collectHint(path: string): string {
  for (const h of COLLECT_HINTS) {
    const m = h.pattern.exec(path);
    if (m) return h.how.replace(/\{\{(\d)\}\}/g, (_all, i: string) => m[Number(i)] ?? '');
  }
  return `add ${path} to the snapshot (s3doctor collect --live gathers what it can)`;
}
