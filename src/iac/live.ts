// With --live: the CloudFormation stacks the templates under an --iac folder are deployed as, read into the folder's context.

import type { Evidence } from '../model/evidence.js';
import type { LiveOptions, StackQuery } from '../evidence/live/index.js';
import { readTemplate } from './cfn.js';
import type { SourceFile } from './discover.js';
import type { IacIndex } from './index.js';

/** Options of {@link addLiveStacks}. */
export interface LiveStackOptions {
  /** Stack names or stack ARNs (`--iac-stack`, repeatable): read these (and their nested stacks). */
  stacks?: string[];
  /** Credentials, region and roles, as for live evidence. */
  live?: LiveOptions;
}

/** `aws://ACCOUNT/REGION` of a CDK artifact, without CDK's `unknown-account` / `unknown-region` placeholders. */
function environment(env: unknown): { account?: string; region?: string } {
  const m = typeof env === 'string' ? /^aws:\/\/([^/]*)\/([^/]*)$/.exec(env) : null;
  if (!m) return {};
  return {
    ...(/^\d{12}$/.test(m[1]!) ? { account: m[1]! } : {}),
    ...(m[2] && !m[2].startsWith('unknown') ? { region: m[2] } : {}),
  };
}

/**
 * The stacks a CDK cloud assembly (`cdk.out/manifest.json`) deploys: each `aws:cloudformation:stack`
 * artifact's `stackName` (its id when absent), in the artifact's environment when that is known.
 * https://docs.aws.amazon.com/cdk/v2/guide/deploy.html (the cloud assembly `cdk synth` writes)
 */
export function cdkStacks(files: SourceFile[]): StackQuery['stacks'] {
  const out: StackQuery['stacks'] = [];
  for (const f of files) {
    if (!/(^|\/)cdk\.out\/manifest\.json$/.test(f.rel)) continue;
    let doc: {
      artifacts?: Record<
        string,
        { type?: unknown; environment?: unknown; properties?: { stackName?: unknown } }
      >;
    };
    try {
      doc = JSON.parse(f.text) as typeof doc;
    } catch {
      continue;
    }
    for (const [id, a] of Object.entries(doc.artifacts ?? {})) {
      if (a?.type !== 'aws:cloudformation:stack') continue;
      const name = typeof a.properties?.stackName === 'string' ? a.properties.stackName : id;
      out.push({ name, ...environment(a.environment) });
    }
  }
  return out;
}

/**
 * The physical ids of the evidence's owners a stack may have created: role and user names, customer
 * managed policy and boundary ARNs, bucket names, KMS key ids and access point names.
 */
function physicalIds(evidence: Evidence | undefined): StackQuery['physicalIds'] {
  if (!evidence) return [];
  const out: StackQuery['physicalIds'] = [];
  const account = (arn: string) => /^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
  const withAccount = (a: string | undefined) => (a ? { account: a } : {});
  for (const [arn, p] of Object.entries(evidence.principals)) {
    const name = /:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (name) out.push({ id: name, ...withAccount(account(arn)) });
    const managed = [
      ...(p.policies ?? [])
        .filter((x) => x.kind === 'managed' || x.kind === 'group-managed')
        .map((x) => x.arn),
      p.permissionsBoundary?.arn,
    ];
    for (const m of managed)
      if (m && !/^arn:aws[\w-]*:iam::aws:/.test(m)) out.push({ id: m, ...withAccount(account(m)) });
  }
  for (const [name, b] of Object.entries(evidence.buckets))
    out.push({ id: name, ...(b.region ? { region: b.region } : {}), ...withAccount(b.accountId) });
  for (const [arn, k] of Object.entries(evidence.kmsKeys)) {
    const m = /^arn:aws[\w-]*:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(arn);
    if (m && k.keyManager !== 'AWS') out.push({ id: m[3]!, region: m[1]!, account: m[2]! });
  }
  for (const arn of Object.keys(evidence.accessPoints)) {
    const m = /^arn:aws[\w-]*:s3:([^:]+):(\d{12}):accesspoint\/(.+)$/.exec(arn);
    if (m) out.push({ id: m[3]!, region: m[1]!, account: m[2]! });
  }
  return out;
}

/**
 * Reads, read-only, the CloudFormation stacks the folder's templates are deployed as and adds their
 * parameters, resources (logical id -> physical id) and exports to the index, so generated names,
 * `!Ref` of a parameter and `!ImportValue` resolve. Which stacks: those named (`opts.stacks`), else those
 * a CDK `cdk.out/manifest.json` names, else the stacks that own the evidence's roles, users, managed
 * policies, buckets, keys and access points (DescribeStackResources by physical id). Each stack is tied
 * to the template holding the most of its logical ids with the same types. Nothing is read when the
 * folder holds no CloudFormation template. Returns what could not be read, one sentence each (a refused
 * call is not fatal: matching falls back to names and ARNs).
 */
export async function addLiveStacks(
  index: IacIndex,
  evidence: Evidence | undefined,
  opts: LiveStackOptions = {},
): Promise<string[]> {
  const templates = index.files.filter((f) => f.kind === 'template' && readTemplate(f));
  if (templates.length === 0) return [];
  const named = (opts.stacks ?? []).map((name) => ({ name }));
  const stacks = named.length ? named : cdkStacks(index.files);
  const q: StackQuery = {
    stacks,
    physicalIds: stacks.length ? [] : physicalIds(evidence),
    exports: templates.some((t) => /ImportValue/.test(t.text)),
  };
  if (q.stacks.length === 0 && q.physicalIds.length === 0) return [];
  const { readStacks } = await import('../evidence/live/index.js');
  const read = await readStacks(q, opts.live ?? {});
  index.addStateDocuments(read.documents);
  return read.notes;
}
