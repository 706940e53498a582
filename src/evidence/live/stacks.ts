// CloudFormation stacks for `diagnose --iac DIR --live`: the stacks named, and the stacks that own given physical ids
// (DescribeStackResources), with their parameters and outputs (DescribeStacks), resources and the region's exports.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html ,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html ,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html ,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListExports.html

import type * as CFN from '@aws-sdk/client-cloudformation';
import type { LiveContext } from './context.js';
import { MissingPackageError } from './optional-package.js';

/** What to read: stacks by name, and physical ids whose stacks are looked for. */
export interface StackQuery {
  /** Stack names or stack ARNs (an ARN's region wins), read in `region` or the default region. */
  stacks: { name: string; region?: string; account?: string }[];
  /** Role and user names, bucket names, key ids, policy ARNs: the stack owning each is read too. */
  physicalIds: { id: string; region?: string; account?: string }[];
  /** Also ListExports in each region read (the templates use `!ImportValue`). */
  exports: boolean;
}

/** What was read, as the documents `aws cloudformation describe-stacks`, `describe-stack-resources` and `list-exports` print. */
export interface StackRead {
  documents: Record<string, unknown>[];
  /** What could not be read and what that leaves unknown, one sentence each. */
  notes: string[];
  /** Names of the stacks read. */
  stacks: string[];
}

/** Most stacks read in one run (nested stacks included). */
const MAX_STACKS = 25;
/** Most physical ids looked up. */
const MAX_IDS = 20;
/** DescribeStackResources returns at most this many resources; a stack with more is listed with ListStackResources. */
const DESCRIBE_LIMIT = 100;

interface Where {
  region?: string;
  account?: string;
}

function regionOfArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:cloudformation:([a-z0-9-]+):/.exec(arn)?.[1];
}

type Resource = {
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
};

function resourceDoc(
  stack: string,
  rs: readonly CFN.StackResource[] | readonly CFN.StackResourceSummary[],
): Resource[] {
  const out: Resource[] = [];
  for (const r of rs)
    if (r.LogicalResourceId && r.PhysicalResourceId)
      out.push({
        StackName: ('StackName' in r && r.StackName) || stack,
        LogicalResourceId: r.LogicalResourceId,
        PhysicalResourceId: r.PhysicalResourceId,
        ResourceType: r.ResourceType ?? '',
      });
  return out;
}

/**
 * Reads the stacks of `q`: first the stack owning each physical id (a ValidationError means no stack
 * owns it), then each stack's parameters and outputs and its resources (nested stacks followed), then
 * the exports of each region read. A refused or failed call is not fatal: it is named in `notes` and
 * what it would have settled stays to names and ARNs matching.
 */
export async function collectStacks(ctx: LiveContext, q: StackQuery): Promise<StackRead> {
  const out: StackRead = { documents: [], notes: [], stacks: [] };
  let cfn: typeof CFN;
  try {
    cfn = await ctx.module<typeof CFN>('cloudformation');
  } catch (err) {
    // @aws-sdk/client-cloudformation is optional: without it the stacks stay unread, with a note naming it.
    if (!(err instanceof MissingPackageError)) throw err;
    out.notes.push(`stacks not read: ${err.message}`);
    return out;
  }
  const send = <O>(command: object, label: string, w: Where) =>
    ctx.send<O>({
      service: 'cloudformation',
      account: w.account,
      ...(w.region ? { region: w.region } : {}),
      command,
      label,
    });
  const why = (r: { failure: { code: string }; action: string }) => `${r.failure.code} on ${r.action}`;

  // Stacks to read: name -> where, with the resources already known (a lookup by physical id returns them).
  const queue: { name: string; where: Where; resources?: Resource[] }[] = [];
  const queued = new Set<string>();
  const enqueue = (name: string, where: Where, resources?: Resource[]) => {
    const region = regionOfArn(name) ?? where.region;
    const key = `${where.account ?? ''}|${region ?? ''}|${name}`;
    if (queued.has(key) || queue.length >= MAX_STACKS) return;
    queued.add(key);
    queue.push({
      name,
      where: { ...where, ...(region ? { region } : {}) },
      ...(resources ? { resources } : {}),
    });
  };

  const ids = [
    ...new Map(q.physicalIds.map((p) => [`${p.account ?? ''}|${p.region ?? ''}|${p.id}`, p])).values(),
  ];
  const denied: string[] = [];
  const found = await Promise.all(
    ids.slice(0, MAX_IDS).map(async (p) => ({
      p,
      r: await send<CFN.DescribeStackResourcesCommandOutput>(
        new cfn.DescribeStackResourcesCommand({ PhysicalResourceId: p.id }),
        `stack of ${p.id}`,
        p,
      ),
    })),
  );
  for (const { p, r } of found) {
    if (r.ok) {
      const rs = resourceDoc('', r.value.StackResources ?? []);
      const stack = rs[0]?.StackName;
      if (stack) enqueue(stack, p, rs.length < DESCRIBE_LIMIT ? rs : undefined);
    } else if (r.failure.kind === 'denied') denied.push(p.id);
    else if (r.failure.code !== 'ValidationError')
      out.notes.push(`the stack of ${p.id} is unknown (${why(r)})`);
    // ValidationError: "Stack for <id> does not exist": no stack owns it.
  }
  if (denied.length)
    out.notes.push(
      `the stacks of ${denied.join(', ')} are unknown (AccessDenied on cloudformation:DescribeStackResources): sources are matched by names and ARNs only`,
    );
  for (const s of q.stacks) enqueue(s.name, s);

  const regions = new Map<string, Where>();
  for (let i = 0; i < queue.length; i += 1) {
    const { name, where, resources } = queue[i]!;
    const d = await send<CFN.DescribeStacksCommandOutput>(
      new cfn.DescribeStacksCommand({ StackName: name }),
      `stack ${name}`,
      where,
    );
    if (!d.ok) {
      out.notes.push(
        d.failure.code === 'ValidationError'
          ? `stack ${name} was not found${where.region ? ` in ${where.region}` : ''}: its parameters and resources are unknown`
          : `the parameters and outputs of stack ${name} are unknown (${why(d)})`,
      );
      if (d.failure.code === 'ValidationError') continue;
    }
    const stackName = (d.ok && d.value.Stacks?.[0]?.StackName) || name;
    out.stacks.push(stackName);
    regions.set(`${where.account ?? ''}|${where.region ?? ''}`, where);
    if (d.ok && d.value.Stacks?.length) {
      out.documents.push({
        Stacks: d.value.Stacks.map((s) => ({
          StackName: s.StackName,
          // A NoEcho parameter reads as ****: it stays unresolved. SSM parameter types carry the value in ResolvedValue.
          Parameters: (s.Parameters ?? [])
            .filter((x) => x.ParameterValue !== '****')
            .map((x) => ({
              ParameterKey: x.ParameterKey,
              ParameterValue: x.ResolvedValue ?? x.ParameterValue,
            })),
          Outputs: (s.Outputs ?? []).map((o) => ({ ExportName: o.ExportName, OutputValue: o.OutputValue })),
        })),
      });
    }
    let rs = resources;
    if (!rs) {
      const r = await send<CFN.DescribeStackResourcesCommandOutput>(
        new cfn.DescribeStackResourcesCommand({ StackName: name }),
        `resources of stack ${stackName}`,
        where,
      );
      if (!r.ok) {
        out.notes.push(
          `the resources of stack ${stackName} are unknown (${why(r)}): generated names in its template stay unresolved, sources are matched by names and ARNs`,
        );
        continue;
      }
      rs =
        (r.value.StackResources?.length ?? 0) < DESCRIBE_LIMIT
          ? resourceDoc(stackName, r.value.StackResources ?? [])
          : await listResources(stackName, where);
    }
    if (!rs) continue;
    out.documents.push({ StackResources: rs });
    // Nested stacks: their physical id is the child stack's ARN.
    for (const r of rs)
      if (r.ResourceType === 'AWS::CloudFormation::Stack') enqueue(r.PhysicalResourceId, where);
  }

  async function listResources(stack: string, where: Where): Promise<Resource[] | undefined> {
    const all: Resource[] = [];
    let token: string | undefined;
    do {
      const r = await send<CFN.ListStackResourcesCommandOutput>(
        new cfn.ListStackResourcesCommand({ StackName: stack, ...(token ? { NextToken: token } : {}) }),
        `resources of stack ${stack}`,
        where,
      );
      if (!r.ok) {
        out.notes.push(`the resources of stack ${stack} are unknown (${why(r)})`);
        return undefined;
      }
      all.push(...resourceDoc(stack, r.value.StackResourceSummaries ?? []));
      token = r.value.NextToken;
    } while (token);
    return all;
  }

  if (q.exports)
    for (const where of regions.size ? [...regions.values()] : [{} as Where]) {
      const exports: { Name?: string; Value?: string }[] = [];
      let token: string | undefined;
      let ok = true;
      do {
        const r = await send<CFN.ListExportsCommandOutput>(
          new cfn.ListExportsCommand(token ? { NextToken: token } : {}),
          'exports',
          where,
        );
        if (!r.ok) {
          out.notes.push(
            `the exports${where.region ? ` of ${where.region}` : ''} are unknown (${why(r)}): !ImportValue stays unresolved`,
          );
          ok = false;
          break;
        }
        exports.push(...(r.value.Exports ?? []).map((e) => ({ Name: e.Name, Value: e.Value })));
        token = r.value.NextToken;
      } while (token);
      if (ok) out.documents.push({ Exports: exports });
    }
  return out;
}
