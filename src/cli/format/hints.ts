// How to collect each kind of missing evidence: a data table the formatters render next to unknowns.
// Every command a hint prints runs as printed (test/cli/printed-commands.test.ts parses each one).

import { shellQuote } from '../../fix/advice.js';
import { valueSafe } from './safe.js';

/** The snapshot file the printed collect commands write (and diagnose then reads with --snapshot). */
export const SNAPSHOT_FILE = 's3doctor-snapshot.json';

/** What a hint says: the step in words, and the command that does it, as argv (quoted when printed). */
export interface Hint {
  text: string;
  command?: string[];
}

/** One way to settle an unknown: which snapshot path segments it covers and what to do. */
interface CollectHint {
  /** Matches the unknown's path segments (see {@link pathSegments}). */
  match(seg: string[]): boolean;
  /** The words and command for the matched path. */
  hint(seg: string[]): Hint;
}

/** A segment the engine could not name (an account it does not know): `?`. */
const known = (v: string | undefined): v is string => v !== undefined && v !== '' && v !== '?';

const collect = (...args: string[]): string[] => ['s3doctor', 'collect', ...args, '--out', SNAPSHOT_FILE];

/** Ordered: the first match wins. */
const COLLECT_HINTS: readonly CollectHint[] = [
  {
    match: (s) => s[0] === 'context' && s[1] === 'aws:SecureTransport',
    hint: () => ({
      text: 'say whether the client used HTTPS: --https yes|no (the log did not show the TLS details)',
    }),
  },
  {
    match: (s) => s[0] === 'context' && (s[1] === 'aws:SourceVpce' || s[1] === 'aws:SourceVpc'),
    hint: () => ({ text: 'say whether the request came through a VPC endpoint: --via-vpce vpce-ID|no' }),
  },
  {
    match: (s) =>
      (s[0] === 's3' && s[1] === 'requestPayerSent') ||
      (s[0] === 'context' && /request-?payer/i.test(s[1] ?? '')),
    hint: () => ({ text: 'say whether the client sent x-amz-request-payer: --request-payer yes|no' }),
  },
  {
    match: (s) => s[0] === 'buckets' && known(s[1]) && s[2] === 'requestPayer',
    hint: (s) => ({
      text: `collect whether bucket ${s[1]} has Requester Pays on`,
      command: ['aws', 's3api', 'get-bucket-request-payment', '--bucket', s[1]!],
    }),
  },
  {
    match: (s) => s[0] === 'context',
    hint: (s) => ({
      text: `the request context key ${s[1] ?? ''} was not in the input: use a CloudTrail event for this request, which carries more context`,
    }),
  },
  {
    match: (s) =>
      s[0] === 'accounts' &&
      ['serviceControlPolicies', 'resourceControlPolicies', 'organizationId'].includes(s[2] ?? ''),
    hint: (s) => ({
      text: `collect the organization policies of ${known(s[1]) ? `account ${s[1]}` : 'the account'} with credentials allowed organizations:ListPoliciesForTarget and organizations:DescribePolicy (the management or a delegated administrator account; pass --profile), then diagnose with --snapshot ${SNAPSHOT_FILE}`,
    }),
  },
  {
    match: (s) => s[0] === 'accounts' && s[2] === 'publicAccessBlock',
    hint: (s) =>
      known(s[1])
        ? {
            text: 'collect the account-level Block Public Access settings',
            command: ['aws', 's3control', 'get-public-access-block', '--account-id', s[1]],
          }
        : {
            text: 'collect the account-level Block Public Access settings of the bucket owner (its account id is not known: aws sts get-caller-identity in that account names it)',
          },
  },
  {
    match: (s) => s[0] === 'accounts',
    hint: (s) => ({
      text: `collect ${known(s[1]) ? `account ${s[1]}` : 'the account'} with credentials in that account (pass --profile or --role-arn to s3doctor collect), then diagnose with --snapshot ${SNAPSHOT_FILE}`,
    }),
  },
  {
    match: (s) => s[0] === 'principals' && known(s[1]) && s[2] === 'permissionsBoundary',
    hint: (s) => ({
      text: `collect the permissions boundary of ${s[1]}`,
      command: collect('--principal', s[1]!),
    }),
  },
  {
    match: (s) => s[0] === 'principals' && known(s[1]),
    hint: (s) => ({
      text: `collect the identity policies of ${s[1]}`,
      command: collect('--principal', s[1]!),
    }),
  },
  {
    // `principal`: the input does not name the caller (a pasted error, an access-log line without requester).
    match: (s) => s[0] === 'principals' || (s[0] === 'principal' && s.length === 1),
    hint: () => ({ text: 'the caller is not known: give a CloudTrail event or --principal ARN' }),
  },
  {
    match: (s) => s[0] === 'sessions',
    hint: (s) => ({
      text: `the session policy of ${s[1] ?? 'the session'} is only known to whoever called AssumeRole: add it to the snapshot under sessions, or pass --session-policy`,
    }),
  },
  {
    match: (s) => s[0] === 'buckets' && known(s[1]) && s[2] === 'objects' && s[3] !== undefined,
    hint: (s) => ({
      text: `collect the object metadata (or ${['s3doctor', 'collect', '--bucket', s[1]!, '--out', SNAPSHOT_FILE].map(shellQuote).join(' ')})`,
      command: ['aws', 's3api', 'head-object', '--bucket', s[1]!, '--key', objectKey(s)],
    }),
  },
  {
    match: (s) => s[0] === 'buckets' && known(s[1]),
    hint: (s) => ({
      text: `collect bucket ${s[1]} (credentials in the bucket owner account)`,
      command: collect('--bucket', s[1]!),
    }),
  },
  {
    match: (s) =>
      s[0] === 'accessPoints' && known(s[1]) && /^arn:[^:]+:s3:[^:]*:\d{12}:accesspoint\/.+/.test(s[1]),
    hint: (s) => {
      const [, , , , account, rest] = s[1]!.split(':');
      return {
        text: 'collect the access point policy (credentials in the access point owner account)',
        command: [
          'aws',
          's3control',
          'get-access-point-policy',
          '--account-id',
          account!,
          '--name',
          rest!.slice('accesspoint/'.length),
        ],
      };
    },
  },
  {
    // GetKeyPolicy takes a key id or key ARN only; DescribeKey resolves an alias to its key ARN.
    // https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
    match: (s) => s[0] === 'kmsKeys' && known(s[1]) && /(^|:)alias\//.test(s[1]!),
    hint: (s) => ({
      text: 'find the key ARN the alias names (KeyMetadata.Arn), then collect that key and its policy',
      command: ['aws', 'kms', 'describe-key', '--key-id', s[1]!],
    }),
  },
  {
    match: (s) => s[0] === 'kmsKeys' && known(s[1]),
    hint: (s) => ({
      text: 'collect the key policy',
      command: ['aws', 'kms', 'get-key-policy', '--key-id', s[1]!, '--policy-name', 'default'],
    }),
  },
  {
    match: (s) => s[0] === 'vpcEndpoints' && known(s[1]),
    hint: (s) => ({
      text: 'collect the endpoint policy',
      command: ['aws', 'ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', s[1]!],
    }),
  },
];

/**
 * The segments of a path written by `evidencePath` (`buckets["my.bucket"].objects["a/b.txt"]`):
 * dots split, `[n]` and `["quoted"]` are one segment each.
 */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  let cur = '';
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      if (cur !== '') out.push(cur);
      cur = '';
      i++;
    } else if (c === '[') {
      if (cur !== '') out.push(cur);
      cur = '';
      const end = path.startsWith('["', i) ? closingQuote(path, i + 2) : path.indexOf(']', i);
      if (end < 0) {
        cur = path.slice(i);
        break;
      }
      const raw = path.slice(i + 1, path[end] === '"' ? end + 1 : end);
      try {
        out.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
      } catch {
        out.push(raw);
      }
      i = (path[end] === '"' ? end + 1 : end) + 1;
    } else {
      cur += c;
      i++;
    }
  }
  if (cur !== '') out.push(cur);
  return out;
}

function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/**
 * The object key of a `buckets.B.objects.KEY` path. Paths are written by `evidencePath`, which quotes a
 * key holding `.`, brackets, quotes or whitespace (`objects["a.csv"]`), so the key is one segment; a
 * hand-written path with a plain dotted key (`objects.a.csv`) is read as the rest of the segments.
 */
function objectKey(seg: string[]): string {
  return seg.slice(3).join('.');
}

/** The hint for one unknown path: words, and a command when one settles it. */
export function collectHintParts(path: string): Hint {
  const seg = pathSegments(path);
  for (const h of COLLECT_HINTS) if (h.match(seg)) return h.hint(seg);
  return {
    text: `add ${path} to a snapshot (s3doctor collect INPUT --out ${SNAPSHOT_FILE} gathers what it can; then diagnose with --snapshot ${SNAPSHOT_FILE})`,
  };
}

/**
 * The hint for one unknown path (as in the evidence, not made safe: the command must name the real
 * key), as one line: the words with control characters spelled out, then the command shell-quoted.
 */
export function collectHint(path: string): string {
  const h = collectHintParts(path);
  return h.command ? `${valueSafe(h.text)}: ${h.command.map(shellQuote).join(' ')}` : valueSafe(h.text);
}
