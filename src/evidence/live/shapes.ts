// Converts SDK output shapes into the snapshot's shapes (CONTRACT.md): ACLs, Block Public Access
// flags, restore status.

import type { AccessControlList, PublicAccessBlock } from '../../model/evidence.js';

/** The four BPA flags; a flag S3 leaves out is off. */
export function toPublicAccessBlock(c: {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}): PublicAccessBlock {
  return {
    BlockPublicAcls: c.BlockPublicAcls ?? false,
    IgnorePublicAcls: c.IgnorePublicAcls ?? false,
    BlockPublicPolicy: c.BlockPublicPolicy ?? false,
    RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
  };
}

interface SdkGrant {
  Grantee?: { Type?: string; ID?: string; URI?: string; EmailAddress?: string };
  Permission?: string;
}

const PERMISSIONS = new Set(['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL']);
const GRANTEE_TYPES = new Set(['CanonicalUser', 'Group', 'AmazonCustomerByEmail']);

/** GetBucketAcl / GetObjectAcl output -> the snapshot's ACL. */
export function toAcl(out: {
  Owner?: { ID?: string; DisplayName?: string };
  Grants?: SdkGrant[];
}): AccessControlList {
  const acl: AccessControlList = { Grants: [] };
  if (out.Owner) {
    acl.Owner = {
      ...(out.Owner.ID ? { ID: out.Owner.ID } : {}),
      ...(out.Owner.DisplayName ? { DisplayName: out.Owner.DisplayName } : {}),
    };
  }
  for (const g of out.Grants ?? []) {
    const type = g.Grantee?.Type;
    if (!type || !GRANTEE_TYPES.has(type) || !g.Permission || !PERMISSIONS.has(g.Permission)) continue;
    acl.Grants.push({
      Grantee: {
        Type: type as AccessControlList['Grants'][number]['Grantee']['Type'],
        ...(g.Grantee?.ID ? { ID: g.Grantee.ID } : {}),
        ...(g.Grantee?.URI ? { URI: g.Grantee.URI } : {}),
        ...(g.Grantee?.EmailAddress ? { EmailAddress: g.Grantee.EmailAddress } : {}),
      },
      Permission: g.Permission as AccessControlList['Grants'][number]['Permission'],
    });
  }
  return acl;
}

/**
 * `x-amz-restore` -> restore status: `ongoing-request="true"` is ongoing, `"false"` restored,
 * no header: not restored (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
export function toRestoreStatus(header: string | undefined): 'ongoing' | 'restored' | null {
  if (!header) return null;
  if (/ongoing-request="true"/.test(header)) return 'ongoing';
  if (/ongoing-request="false"/.test(header)) return 'restored';
  return null;
}
