// Organizations evidence for one account: the organization id, and the SCPs (for the principal's
// account) or RCPs (for the resource's account) attached at every level from the root down to the
// account, when the credentials can read them (management account or delegated administrator).
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
// SCPs and RCPs do not apply to the management account:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html

import type * as ORG from '@aws-sdk/client-organizations';
import type { AccountEvidence, OrgPolicyLevel } from '../../model/evidence.js';
import type { PolicyDocument } from '../../model/policy.js';
import type { LiveContext, SendResult } from './context.js';
import { parsePolicyDocument } from './documents.js';
import type { Failure } from './errors.js';
import { evidencePath } from '../index.js';
import { MissingPackageError } from './optional-package.js';

/** Which organization policies to collect for an account. */
export type OrgPolicyKind = 'scp' | 'rcp';

const FILTER: Record<OrgPolicyKind, 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'> = {
  scp: 'SERVICE_CONTROL_POLICY',
  rcp: 'RESOURCE_CONTROL_POLICY',
};
const FIELD: Record<OrgPolicyKind, 'serviceControlPolicies' | 'resourceControlPolicies'> = {
  scp: 'serviceControlPolicies',
  rcp: 'resourceControlPolicies',
};

type Fail = { failure: Failure; action: string };

function account(ctx: LiveContext, id: string): AccountEvidence {
  const a = ctx.evidence.accounts[id] ?? {};
  ctx.evidence.accounts[id] = a;
  return a;
}

/** Collects SCPs or RCPs for `accountId` (plus its organization id); once per account and kind. */
export function collectOrgPolicies(ctx: LiveContext, accountId: string, kind: OrgPolicyKind): Promise<void> {
  return ctx.once(`org:${accountId}:${kind}`, async () => {
    const field = FIELD[kind];
    try {
      await ctx.module('organizations');
    } catch (err) {
      // @aws-sdk/client-organizations is optional: without it these policies stay unknown, with a note.
      if (!(err instanceof MissingPackageError)) throw err;
      ctx.note(evidencePath('accounts', accountId, field), `not collected: ${err.message}`);
      return;
    }
    const where = await placement(ctx, accountId);
    if (where.kind === 'none') {
      account(ctx, accountId)[field] = null;
      return;
    }
    if (where.kind === 'unknown') {
      ctx.note(evidencePath('accounts', accountId, field), where.reason);
      return;
    }
    const levels: OrgPolicyLevel[] = [];
    const all = await Promise.all(
      where.levels.map((target) => policiesAt(ctx, where.credAccount, target, kind)),
    );
    for (const [i, target] of where.levels.entries()) {
      const r = all[i]!;
      if (r === null) {
        // The policy type is not enabled in the organization: no such policies apply.
        account(ctx, accountId)[field] = null;
        return;
      }
      if ('failure' in r) {
        ctx.noteFailure(evidencePath('accounts', accountId, field), r);
        return;
      }
      levels.push({ target, policies: r });
    }
    account(ctx, accountId)[field] = levels;
  });
}

type Placement =
  | { kind: 'none' }
  | { kind: 'unknown'; reason: string }
  | { kind: 'levels'; levels: string[]; credAccount: string };

/** Where the account sits: outside any organization, unknown, or root-first levels down to it. */
function placement(ctx: LiveContext, accountId: string): Promise<Placement> {
  return ctx.once(`org-placement:${accountId}`, async () => {
    const native = await ctx.hasAccount(accountId);
    const credAccount = native ? accountId : ctx.callerAccount;
    const org = await describe(ctx, credAccount);
    const acct = account(ctx, accountId);
    if (!org.ok) {
      if (org.failure.kind === 'absent') {
        if (native) {
          acct.organizationId = null;
          return { kind: 'none' };
        }
        return {
          kind: 'unknown',
          reason: `account ${accountId} is not s3doctor's and no --role-arn reaches it`,
        };
      }
      ctx.noteFailure(evidencePath('accounts', accountId, 'organizationId'), org);
      return { kind: 'unknown', reason: `${org.failure.code} on ${org.action}` };
    }
    const o = org.value.Organization;
    if (native && o?.Id) acct.organizationId = o.Id;
    if (o?.MasterAccountId === accountId) {
      acct.organizationId = o.Id ?? acct.organizationId;
      acct.isManagementAccount = true;
      return { kind: 'none' };
    }
    if (native) acct.isManagementAccount = false;
    const path = await walk(ctx, credAccount, accountId);
    if ('failure' in path) {
      if (path.failure.kind === 'not-found' && !native) {
        return {
          kind: 'unknown',
          reason: `account ${accountId} is not in the organization of account ${credAccount}`,
        };
      }
      return { kind: 'unknown', reason: `${path.failure.code} on ${path.action}` };
    }
    if (!native && o?.Id) {
      acct.organizationId = o.Id;
      acct.isManagementAccount = false;
    }
    return { kind: 'levels', levels: path, credAccount };
  });
}

function describe(
  ctx: LiveContext,
  credAccount: string,
): Promise<SendResult<ORG.DescribeOrganizationCommandOutput>> {
  return ctx.once(`org-describe:${credAccount}`, async () => {
    const org = await ctx.module<typeof ORG>('organizations');
    return ctx.send<ORG.DescribeOrganizationCommandOutput>({
      service: 'organizations',
      account: credAccount,
      command: new org.DescribeOrganizationCommand({}),
      label: `organization of ${credAccount}`,
      absent: ['AWSOrganizationsNotInUseException'],
    });
  });
}

/** Root first, the account last: ListParents from the account up to the root. */
async function walk(ctx: LiveContext, credAccount: string, accountId: string): Promise<string[] | Fail> {
  const chain = [accountId];
  let child = accountId;
  for (let depth = 0; depth < 10; depth += 1) {
    const parent = await parentOf(ctx, credAccount, child);
    if ('failure' in parent) return parent;
    chain.unshift(parent.id);
    if (parent.root) return chain;
    child = parent.id;
  }
  return chain;
}

function parentOf(
  ctx: LiveContext,
  credAccount: string,
  child: string,
): Promise<{ id: string; root: boolean } | Fail> {
  return ctx.once(`org-parent:${credAccount}:${child}`, async () => {
    const org = await ctx.module<typeof ORG>('organizations');
    const r = await ctx.send<ORG.ListParentsCommandOutput>({
      service: 'organizations',
      account: credAccount,
      command: new org.ListParentsCommand({ ChildId: child }),
      label: `parents of ${child}`,
    });
    if (!r.ok) return r;
    const p = r.value.Parents?.[0];
    if (!p?.Id)
      return {
        failure: { kind: 'error', code: 'NoParent', message: 'ListParents returned nothing' },
        action: 'organizations:ListParents',
      };
    return { id: p.Id, root: p.Type === 'ROOT' };
  });
}

type LevelPolicies = { name: string; id?: string; document: PolicyDocument }[];

/** The policies of one kind attached to one target (`null`: that policy type is not enabled). */
function policiesAt(
  ctx: LiveContext,
  credAccount: string,
  target: string,
  kind: OrgPolicyKind,
): Promise<LevelPolicies | Fail | null> {
  return ctx.once(`org-policies:${credAccount}:${target}:${kind}`, async () => {
    const org = await ctx.module<typeof ORG>('organizations');
    const summaries: ORG.PolicySummary[] = [];
    let token: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const r = await ctx.send<ORG.ListPoliciesForTargetCommandOutput>({
        service: 'organizations',
        account: credAccount,
        command: new org.ListPoliciesForTargetCommand({
          TargetId: target,
          Filter: FILTER[kind],
          NextToken: token,
        }),
        label: `${kind.toUpperCase()}s of ${target}`,
        absent: ['PolicyTypeNotEnabledException'],
      });
      if (!r.ok) return r.failure.kind === 'absent' ? null : r;
      summaries.push(...(r.value.Policies ?? []));
      token = r.value.NextToken;
      if (!token) break;
    }
    const docs = await Promise.all(summaries.map((s) => policyDocument(ctx, credAccount, s.Id ?? '')));
    const out: LevelPolicies = [];
    for (const [i, s] of summaries.entries()) {
      const d = docs[i]!;
      if ('failure' in d) return d;
      out.push({ name: s.Name ?? s.Id ?? '', ...(s.Id ? { id: s.Id } : {}), document: d.document });
    }
    return out;
  });
}

function policyDocument(
  ctx: LiveContext,
  credAccount: string,
  id: string,
): Promise<{ document: PolicyDocument } | Fail> {
  return ctx.once(`org-policy:${credAccount}:${id}`, async () => {
    const org = await ctx.module<typeof ORG>('organizations');
    const r = await ctx.send<ORG.DescribePolicyCommandOutput>({
      service: 'organizations',
      account: credAccount,
      command: new org.DescribePolicyCommand({ PolicyId: id }),
      label: `policy ${id}`,
    });
    if (!r.ok) return r;
    const document = parsePolicyDocument(r.value.Policy?.Content);
    if (!document) {
      return {
        failure: { kind: 'error', code: 'UnreadablePolicyDocument', message: `policy ${id} is not JSON` },
        action: 'organizations:DescribePolicy',
      };
    }
    return { document };
  });
}
