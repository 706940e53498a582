// S3 access control lists: which ACL permission an action needs, and what an ACL grants a principal.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
// (READ/WRITE/READ_ACP/WRITE_ACP/FULL_CONTROL on buckets and objects, mapped to policy actions)

import type { AccessControlList, Evidence, Principal, Tri } from '../model/index.js';
import { ALL_USERS, AUTHENTICATED_USERS } from './public.js';
import { F, T, U, or } from './tri.js';

type AclPermission = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

/** Action (lower-case) -> where the ACL that can grant it lives and the permission it needs. */
const ACL_ACTIONS: Record<string, { on: 'bucket' | 'object'; permission: AclPermission }> = {
  's3:listbucket': { on: 'bucket', permission: 'READ' },
  's3:listbucketversions': { on: 'bucket', permission: 'READ' },
  's3:listbucketmultipartuploads': { on: 'bucket', permission: 'READ' },
  's3:putobject': { on: 'bucket', permission: 'WRITE' },
  's3:deleteobject': { on: 'bucket', permission: 'WRITE' },
  's3:deleteobjectversion': { on: 'bucket', permission: 'WRITE' },
  's3:getbucketacl': { on: 'bucket', permission: 'READ_ACP' },
  's3:putbucketacl': { on: 'bucket', permission: 'WRITE_ACP' },
  's3:getobject': { on: 'object', permission: 'READ' },
  's3:getobjectversion': { on: 'object', permission: 'READ' },
  's3:getobjecttorrent': { on: 'object', permission: 'READ' },
  's3:getobjectacl': { on: 'object', permission: 'READ_ACP' },
  's3:getobjectversionacl': { on: 'object', permission: 'READ_ACP' },
  's3:putobjectacl': { on: 'object', permission: 'WRITE_ACP' },
  's3:putobjectversionacl': { on: 'object', permission: 'WRITE_ACP' },
};

/** Which ACL (bucket or object) can grant this action, and with which permission; `undefined`: none can. */
export function aclRequirement(
  action: string,
): { on: 'bucket' | 'object'; permission: AclPermission } | undefined {
  return ACL_ACTIONS[action.toLowerCase()];
}

/** What an ACL grants one principal for one permission. */
export interface AclGrant {
  /** Granted to everyone (AllUsers) or every signed request (AuthenticatedUsers). */
  public: Tri;
  /** Granted to the principal's account (canonical user grant): a delegation to that account's IAM. */
  account: Tri;
  /** Grantee descriptions that matched, for facts. */
  grantees: string[];
}

/** The account a canonical user id stands for, when the evidence says. */
export function accountOfCanonicalId(ev: Evidence, id: string | undefined): string | undefined {
  if (!id) return undefined;
  const direct = ev.canonicalIds[id];
  if (direct) return direct;
  for (const b of Object.values(ev.buckets)) if (b.ownerCanonicalId === id && b.accountId) return b.accountId;
  return undefined;
}

/**
 * Evaluates an ACL for a principal: `acl` undefined (unknown) gives unknown grants; DeleteObjectVersion
 * through WRITE only counts for the bucket owner.
 */
export function aclGrants(
  acl: AccessControlList | null | undefined,
  permission: AclPermission,
  principal: Principal,
  principalAccount: string | undefined,
  ev: Evidence,
): AclGrant {
  if (acl === undefined) return { public: U, account: U, grantees: [] };
  if (acl === null) return { public: F, account: F, grantees: [] };
  let pub: Tri = F;
  let account: Tri = F;
  const grantees: string[] = [];
  for (const g of acl.Grants) {
    if (g.Permission !== permission && g.Permission !== 'FULL_CONTROL') continue;
    const gr = g.Grantee;
    if (gr.Type === 'Group') {
      if (gr.URI === ALL_USERS || (gr.URI === AUTHENTICATED_USERS && principal.kind !== 'anonymous')) {
        pub = T;
        grantees.push(gr.URI);
      } else if (
        gr.URI?.endsWith('/groups/s3/LogDelivery') &&
        principal.kind === 'service' &&
        principal.service === 'logging.s3.amazonaws.com'
      ) {
        pub = T;
        grantees.push(gr.URI);
      }
    } else if (gr.Type === 'CanonicalUser') {
      if (principal.kind === 'anonymous' || principal.kind === 'service') continue;
      if (principal.kind === 'canonical-user' && principal.canonicalId === gr.ID) {
        account = T;
        grantees.push(`CanonicalUser:${gr.ID}`);
        continue;
      }
      const acct = accountOfCanonicalId(ev, gr.ID);
      if (acct === undefined) {
        account = or(account, principalAccount === undefined ? U : U);
        if (account === U) grantees.push(`CanonicalUser:${gr.ID ?? '?'} (account unknown)`);
      } else if (principalAccount !== undefined && acct === principalAccount) {
        account = T;
        grantees.push(`CanonicalUser:${gr.ID}`);
      } else if (principalAccount === undefined) {
        account = or(account, U);
      }
    }
  }
  return { public: pub, account, grantees };
}
