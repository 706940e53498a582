// Identity evidence for one IAM user or role through targeted IAM reads: inline and managed
// policies (the user's groups' too), the permissions boundary and tags (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html (PermissionsBoundary, Tags)
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html (URL-encoded Document)

import type * as IAM from '@aws-sdk/client-iam';
import type { AttachedPolicy, PrincipalEvidence } from '../../model/evidence.js';
import type { PolicyDocument } from '../../model/policy.js';
import type { LiveContext, SendResult } from './context.js';
import { parsePolicyDocument } from './documents.js';
import type { Failure } from './errors.js';
import { evidencePath } from '../index.js';

/** The IAM identity a request's principal resolves to. */
export interface IdentityTarget {
  kind: 'user' | 'role';
  account: string;
  name: string;
  /** The ARN the request names (the snapshot key); for sessions the role ARN, path maybe unknown. */
  arn: string;
}

/** A step failed: the whole list it belongs to is unknown (a partial list would lie). */
class Gap extends Error {
  constructor(readonly result: { failure: Failure; action: string }) {
    super(result.failure.code);
  }
}

function unreadable(what: string): Gap {
  return new Gap({
    failure: {
      kind: 'error',
      code: 'UnreadablePolicyDocument',
      message: `IAM returned a document for ${what} that is not JSON`,
    },
    action: 'iam policy document',
  });
}

function must<O>(r: SendResult<O>): O {
  if (!r.ok) throw new Gap(r);
  return r.value;
}

/** Collects one principal into `ctx.evidence.principals` (under its request ARN and real ARN). */
export function collectIdentity(ctx: LiveContext, t: IdentityTarget): Promise<void> {
  return ctx.once(`identity:${t.kind}:${t.account}:${t.name}`, () => collect(ctx, t));
}

async function collect(ctx: LiveContext, t: IdentityTarget): Promise<void> {
  const path = evidencePath('principals', t.arn);
  if (!(await ctx.hasAccount(t.account))) {
    ctx.note(
      path,
      `the ${t.kind} is in account ${t.account}, where s3doctor has no credentials (pass --role-arn for that account)`,
    );
    return;
  }
  const iam = await ctx.module<typeof IAM>('iam');
  const send = <O>(command: object) =>
    ctx.send<O>({ service: 'iam', account: t.account, command, label: `${t.kind} ${t.name}` });
  // The policy lists go out with GetUser/GetRole (one round trip less); a missing principal fails both.
  const listed = listPolicies(ctx, iam, t).then(
    (p) => ({ ok: true as const, p }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  const head =
    t.kind === 'user'
      ? await send<IAM.GetUserCommandOutput>(new iam.GetUserCommand({ UserName: t.name }))
      : await send<IAM.GetRoleCommandOutput>(new iam.GetRoleCommand({ RoleName: t.name }));
  const ev: PrincipalEvidence = {};
  const store = (realArn: string | undefined) => {
    ctx.evidence.principals[t.arn] = ev;
    if (realArn && realArn !== t.arn) ctx.evidence.principals[realArn] = ev;
  };
  if (!head.ok) {
    await listed;
    if (head.failure.kind === 'not-found') {
      ev.deleted = true;
      store(undefined);
      ctx.note(
        path,
        `${head.failure.code} on ${head.action}: the ${t.kind} ${t.name} no longer exists in account ${t.account}`,
      );
    } else {
      ctx.noteFailure(path, head);
    }
    return;
  }
  const entity = 'User' in head.value ? head.value.User : (head.value as IAM.GetRoleCommandOutput).Role;
  if (entity?.Tags) ev.tags = Object.fromEntries(entity.Tags.map((x) => [x.Key ?? '', x.Value ?? '']));
  else ev.tags = {};
  const uniqueId =
    entity && ('UserId' in entity ? entity.UserId : 'RoleId' in entity ? entity.RoleId : undefined);
  if (uniqueId) ev.uniqueId = uniqueId;
  if (t.kind === 'role' && entity?.Path?.startsWith('/aws-service-role/')) ev.serviceLinked = true;
  store(entity?.Arn);

  const boundaryArn = entity?.PermissionsBoundary?.PermissionsBoundaryArn;
  const [policies, boundary] = await Promise.all([
    listed,
    boundaryArn ? managedPolicy(ctx, boundaryArn, t.account) : Promise.resolve(null),
  ]);
  if (policies.ok) ev.policies = policies.p;
  else if (policies.e instanceof Gap) ctx.noteFailure(`${path}.policies`, policies.e.result);
  else throw policies.e;
  if (boundary === null) ev.permissionsBoundary = null;
  else if (boundary.ok) ev.permissionsBoundary = { arn: boundaryArn!, document: boundary.document };
  else ctx.noteFailure(`${path}.permissionsBoundary`, boundary.result);
}

async function listPolicies(ctx: LiveContext, iam: typeof IAM, t: IdentityTarget): Promise<AttachedPolicy[]> {
  const send = <O>(command: object) =>
    ctx.send<O>({ service: 'iam', account: t.account, command, label: `${t.kind} ${t.name}` });
  if (t.kind === 'role') {
    const [inline, managed] = await Promise.all([
      inlinePolicies(
        (m) =>
          send<IAM.ListRolePoliciesCommandOutput>(
            new iam.ListRolePoliciesCommand({ RoleName: t.name, Marker: m }),
          ),
        (n) =>
          send<IAM.GetRolePolicyCommandOutput>(
            new iam.GetRolePolicyCommand({ RoleName: t.name, PolicyName: n }),
          ),
        'inline',
      ),
      attachedPolicies(
        ctx,
        t.account,
        (m) =>
          send<IAM.ListAttachedRolePoliciesCommandOutput>(
            new iam.ListAttachedRolePoliciesCommand({ RoleName: t.name, Marker: m }),
          ),
        'managed',
      ),
    ]);
    return [...inline, ...managed];
  }
  const groupsP = paginate(
    (m) =>
      send<IAM.ListGroupsForUserCommandOutput>(
        new iam.ListGroupsForUserCommand({ UserName: t.name, Marker: m }),
      ),
    (o) => (o.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean),
  );
  const [inline, managed, groups] = await Promise.all([
    inlinePolicies(
      (m) =>
        send<IAM.ListUserPoliciesCommandOutput>(
          new iam.ListUserPoliciesCommand({ UserName: t.name, Marker: m }),
        ),
      (n) =>
        send<IAM.GetUserPolicyCommandOutput>(
          new iam.GetUserPolicyCommand({ UserName: t.name, PolicyName: n }),
        ),
      'inline',
    ),
    attachedPolicies(
      ctx,
      t.account,
      (m) =>
        send<IAM.ListAttachedUserPoliciesCommandOutput>(
          new iam.ListAttachedUserPoliciesCommand({ UserName: t.name, Marker: m }),
        ),
      'managed',
    ),
    groupsP.then((names) => Promise.all(names.map((g) => groupPolicies(ctx, iam, t.account, g)))),
  ]);
  return [...inline, ...managed, ...groups.flat()];
}

/** A group's policies, shared by every user in the group for the run. */
function groupPolicies(
  ctx: LiveContext,
  iam: typeof IAM,
  account: string,
  group: string,
): Promise<AttachedPolicy[]> {
  return ctx.once(`group:${account}:${group}`, async () => {
    const send = <O>(command: object) =>
      ctx.send<O>({ service: 'iam', account, command, label: `group ${group}` });
    const [inline, managed] = await Promise.all([
      inlinePolicies(
        (m) =>
          send<IAM.ListGroupPoliciesCommandOutput>(
            new iam.ListGroupPoliciesCommand({ GroupName: group, Marker: m }),
          ),
        (n) =>
          send<IAM.GetGroupPolicyCommandOutput>(
            new iam.GetGroupPolicyCommand({ GroupName: group, PolicyName: n }),
          ),
        'group-inline',
      ),
      attachedPolicies(
        ctx,
        account,
        (m) =>
          send<IAM.ListAttachedGroupPoliciesCommandOutput>(
            new iam.ListAttachedGroupPoliciesCommand({ GroupName: group, Marker: m }),
          ),
        'group-managed',
      ),
    ]);
    return [...inline, ...managed].map((p) => ({ ...p, group }));
  });
}

interface Page {
  IsTruncated?: boolean;
  Marker?: string;
}

/** Follows IAM's Marker/IsTruncated pagination. */
async function paginate<O extends Page, T>(
  page: (marker: string | undefined) => Promise<SendResult<O>>,
  items: (o: O) => T[],
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  for (let i = 0; i < 100; i += 1) {
    const o = must(await page(marker));
    out.push(...items(o));
    if (!o.IsTruncated || !o.Marker) break;
    marker = o.Marker;
  }
  return out;
}

async function inlinePolicies(
  list: (marker: string | undefined) => Promise<SendResult<Page & { PolicyNames?: string[] }>>,
  get: (name: string) => Promise<SendResult<{ PolicyDocument?: string }>>,
  kind: 'inline' | 'group-inline',
): Promise<AttachedPolicy[]> {
  const names = await paginate(list, (o) => o.PolicyNames ?? []);
  return Promise.all(
    names.map(async (name) => {
      const doc = parsePolicyDocument(must(await get(name)).PolicyDocument);
      if (!doc) throw unreadable(`inline policy ${name}`);
      return { name, kind, document: doc };
    }),
  );
}

async function attachedPolicies(
  ctx: LiveContext,
  account: string,
  list: (
    marker: string | undefined,
  ) => Promise<SendResult<Page & { AttachedPolicies?: IAM.AttachedPolicy[] }>>,
  kind: 'managed' | 'group-managed',
): Promise<AttachedPolicy[]> {
  const attached = await paginate(list, (o) => o.AttachedPolicies ?? []);
  return Promise.all(
    attached.map(async (a) => {
      const arn = a.PolicyArn ?? '';
      const m = await managedPolicy(ctx, arn, account);
      if (!m.ok) throw new Gap(m.result);
      return { name: a.PolicyName ?? arn.split('/').pop() ?? arn, arn, kind, document: m.document };
    }),
  );
}

type Managed =
  { ok: true; document: PolicyDocument } | { ok: false; result: { failure: Failure; action: string } };

/** A managed policy's default version document (GetPolicy + GetPolicyVersion), once per ARN per run. */
export function managedPolicy(ctx: LiveContext, arn: string, viaAccount: string): Promise<Managed> {
  return ctx.once(`managed:${arn}`, async () => {
    const owner = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\//.exec(arn)?.[1];
    const account = owner && owner !== 'aws' ? owner : viaAccount;
    const iam = await ctx.module<typeof IAM>('iam');
    const label = `policy ${arn.split('/').pop()}`;
    const pol = await ctx.send<IAM.GetPolicyCommandOutput>({
      service: 'iam',
      account,
      command: new iam.GetPolicyCommand({ PolicyArn: arn }),
      label,
    });
    if (!pol.ok) return { ok: false as const, result: pol };
    const version = await ctx.send<IAM.GetPolicyVersionCommandOutput>({
      service: 'iam',
      account,
      command: new iam.GetPolicyVersionCommand({
        PolicyArn: arn,
        VersionId: pol.value.Policy?.DefaultVersionId ?? 'v1',
      }),
      label,
    });
    if (!version.ok) return { ok: false as const, result: version };
    const document = parsePolicyDocument(version.value.PolicyVersion?.Document);
    if (!document) return { ok: false as const, result: unreadable(arn).result };
    return { ok: true as const, document };
  });
}
