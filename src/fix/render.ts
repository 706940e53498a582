// Renders patches for people: a unified diff of the JSON documents and the AWS CLI commands that apply them.

import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import type { PolicyPatch } from '../model/cause.js';
import { keyStateCommands, shellQuote } from './advice.js';
import { regionOf, s3ArnParts, slug } from './resources.js';

/** The document as the patch files hold it: 2-space JSON with a final newline; empty for none. */
export function prettyJson(doc: unknown): string {
  return doc === null || doc === undefined ? '' : `${JSON.stringify(doc, null, 2)}\n`;
}

let loadedDiff: typeof Diff | undefined;

/**
 * jsdiff, loaded on the first diff: its CommonJS build is one file read synchronously (the ES build is 19 modules
 * that every start would load, though most runs render no patch).
 */
function jsdiff(): typeof Diff {
  return (loadedDiff ??= createRequire(import.meta.url)('diff') as typeof Diff);
}

/**
 * A unified diff of two JSON documents, 2-space pretty-printed (jsdiff `createTwoFilesPatch`).
 * `name` labels both sides (`a/<name>`, `b/<name>`).
 */
export function renderDiff(before: unknown, after: unknown, name = 'policy.json'): string {
  return jsdiff().createTwoFilesPatch(
    `a/${name}`,
    `b/${name}`,
    prettyJson(before),
    prettyJson(after),
    undefined,
    undefined,
    {
      context: 3,
    },
  );
}

/** The last path segment of an IAM ARN (`arn:aws:iam::1:role/path/R` -> `R`). */
function iamName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** The 12-digit account of an ARN (`arn:aws:iam::111122223333:role/R` -> `111122223333`), if any. */
function accountOf(arn: string): string | undefined {
  return /^arn:[\w-]+:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * The target types whose names are unique only within one account (IAM users, roles, groups and
 * policies, access points, role sessions): their file names start with the account id, so the same
 * role name in two accounts never shares a patch file.
 */
const PER_ACCOUNT_NAMES = new Set([
  'identity-policy',
  'permissions-boundary',
  'access-point-policy',
  'session-policy',
]);

/**
 * The file name the CLI saves a patch's `after` document as: `s3doctor-patch-<target>.json`, the
 * account id first for names unique only within an account
 * (e.g. `s3doctor-patch-111122223333-role-app-s3doctor-reports.json`, `s3doctor-patch-bucket-reports.json`).
 */
export function patchFileName(patch: PolicyPatch): string {
  const { type, id, name, group } = patch.target;
  const account = PER_ACCOUNT_NAMES.has(type) ? accountOf(id) : undefined;
  let target: string;
  switch (type) {
    case 'identity-policy': {
      if (group) {
        target = `group-${group}${name ? `-${name}` : ''}`;
        break;
      }
      const kind = /:role\//.test(id) ? 'role' : /:user\//.test(id) ? 'user' : 'policy';
      target =
        kind === 'policy' ? `policy-${iamName(id)}` : `${kind}-${iamName(id)}${name ? `-${name}` : ''}`;
      break;
    }
    case 'bucket-policy':
      target = `bucket-${id}`;
      break;
    case 'access-point-policy':
      target = `access-point-${s3ArnParts(id)?.kind === 'access-point' ? (s3ArnParts(id) as { name: string }).name : iamName(id)}`;
      break;
    case 'kms-key-policy':
      target = `key-${iamName(id)}`;
      break;
    case 'bucket-public-access-block':
      target = `bucket-${id}-public-access-block`;
      break;
    case 'bucket-ownership-controls':
      target = `bucket-${id}-ownership-controls`;
      break;
    default:
      target = `${type}-${iamName(id)}`;
  }
  return `s3doctor-patch-${slug(account ? `${account}-${target}` : target, 100)}.json`;
}

/**
 * The AWS CLI commands that would apply a patch, `after` saved as `patchFileName(patch)`; a backup of
 * the current document first where one exists. Never includes credentials. Empty for targets the CLI
 * cannot change (or when the current document was unknown: merge by hand first).
 */
export function cliCommands(patch: PolicyPatch): string[] {
  const { type, id, name, group } = patch.target;
  const file = `file://${patchFileName(patch)}`;
  const q = shellQuote;
  const backup = patchFileName(patch).replace(/^s3doctor-patch-/, 's3doctor-backup-');
  const hasBefore = patch.before !== null && !patch.beforeUnknown;
  const region = regionOf(id);
  // IAM user, role and group names are unique only within an account, and these commands name no
  // account: each says which account's credentials to run it with (a shell comment).
  const accountId = accountOf(id);
  const forAccount = accountId ? `  # for account ${accountId}` : '';
  const r = region ? ` --region ${q(region)}` : '';
  // Every put below replaces the whole document: with the current one unknown it would erase it.
  if (patch.beforeUnknown && type !== 'object-restore') return [];
  switch (type) {
    case 'identity-policy': {
      if (group) {
        // A group's inline policy: GetGroupPolicy / PutGroupPolicy on the group, not on the member.
        // https://docs.aws.amazon.com/cli/latest/reference/iam/put-group-policy.html
        const flag = `--group-name ${q(group)} --policy-name ${q(name ?? 's3doctor')}`;
        return [
          ...(hasBefore
            ? [
                `aws iam get-group-policy ${flag} --query PolicyDocument --output json > ${backup}${forAccount}`,
              ]
            : []),
          `aws iam put-group-policy ${flag} --policy-document ${file}${forAccount}`,
        ];
      }
      if (/:role\//.test(id) || /:user\//.test(id)) {
        const role = /:role\//.test(id);
        const flag = role ? `--role-name ${q(iamName(id))}` : `--user-name ${q(iamName(id))}`;
        const pn = q(name ?? 's3doctor');
        return [
          ...(hasBefore
            ? [
                `aws iam get-${role ? 'role' : 'user'}-policy ${flag} --policy-name ${pn} --query PolicyDocument --output json > ${backup}${forAccount}`,
              ]
            : []),
          `aws iam put-${role ? 'role' : 'user'}-policy ${flag} --policy-name ${pn} --policy-document ${file}${forAccount}`,
        ];
      }
      return [
        `aws iam create-policy-version --policy-arn ${q(id)} --policy-document ${file} --set-as-default`,
      ];
    }
    case 'permissions-boundary':
      return [
        `aws iam create-policy-version --policy-arn ${q(id)} --policy-document ${file} --set-as-default`,
      ];
    case 'session-policy': {
      const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(id);
      if (!m) return [];
      return [
        `aws sts assume-role --role-arn ${q(`arn:${m[1]}:iam::${m[2]}:role/${m[3]}`)} --role-session-name ${q(m[4] ?? 's3doctor')} --policy ${file}`,
      ];
    }
    case 'bucket-policy':
      return [
        ...(hasBefore
          ? [`aws s3api get-bucket-policy --bucket ${q(id)} --query Policy --output text > ${backup}`]
          : []),
        `aws s3api put-bucket-policy --bucket ${q(id)} --policy ${file}`,
      ];
    case 'access-point-policy': {
      const p = s3ArnParts(id);
      if (p?.kind !== 'access-point') return [];
      const common = `--account-id ${q(p.account)} --name ${q(p.name)} --region ${q(p.region)}`;
      return [
        ...(hasBefore
          ? [`aws s3control get-access-point-policy ${common} --query Policy --output text > ${backup}`]
          : []),
        `aws s3control put-access-point-policy ${common} --policy ${file}`,
      ];
    }
    case 'kms-key-policy':
      return [
        ...(hasBefore
          ? [
              `aws kms get-key-policy --key-id ${q(id)} --policy-name default --query Policy --output text${r} > ${backup}`,
            ]
          : []),
        `aws kms put-key-policy --key-id ${q(id)} --policy-name default --policy ${file}${r}`,
      ];
    case 'vpc-endpoint-policy':
      return [
        ...(hasBefore
          ? [
              `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${q(id)} --query 'VpcEndpoints[0].PolicyDocument' --output text > ${backup}`,
            ]
          : []),
        `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${q(id)} --policy-document ${file}`,
      ];
    case 'bucket-public-access-block': {
      const a = patch.after as Record<string, unknown>;
      const flags = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']
        .map((f) => `${f}=${String(a[f] === true)}`)
        .join(',');
      return [
        `aws s3api put-public-access-block --bucket ${q(id)} --public-access-block-configuration ${flags}`,
      ];
    }
    case 'bucket-ownership-controls': {
      const o = String((patch.after as Record<string, unknown>).ObjectOwnership);
      return [
        `aws s3api put-bucket-ownership-controls --bucket ${q(id)} --ownership-controls 'Rules=[{ObjectOwnership=${o}}]'`,
      ];
    }
    case 'object-restore': {
      const slash = id.indexOf('/');
      const a = patch.after as { days?: number; tier?: string };
      const b = q(id.slice(0, slash));
      const k = q(id.slice(slash + 1));
      return [
        `aws s3api restore-object --bucket ${b} --key ${k} --restore-request '${JSON.stringify({ Days: a.days ?? 7, GlacierJobParameters: { Tier: a.tier ?? 'Standard' } })}'`,
        `aws s3api head-object --bucket ${b} --key ${k} --query Restore`,
      ];
    }
    case 'kms-key-state':
      return keyStateCommands(id, (patch.before as { KeyState?: string } | null)?.KeyState);
    default:
      return [];
  }
}
