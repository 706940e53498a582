// The rule list: a static import of every rule under rules/ (a test checks it matches the files).
import type { Rule } from '../src/engine/rule-kit.js';
import explicitDenyAccessPointPolicy from './access-point/explicit-deny-access-point-policy.js';
import missingAllowAccessPointPolicy from './access-point/missing-allow-access-point-policy.js';
import explicitDenyPermissionsBoundary from './boundary/explicit-deny-permissions-boundary.js';
import missingAllowPermissionsBoundary from './boundary/missing-allow-permissions-boundary.js';
import denyInsecureTransport from './bucket-policy/deny-insecure-transport.js';
import explicitDenyBucketPolicy from './bucket-policy/explicit-deny-bucket-policy.js';
import missingAllowBucketPolicy from './bucket-policy/missing-allow-bucket-policy.js';
import clockSkew from './credentials/clock-skew.js';
import expiredCredentials from './credentials/expired-credentials.js';
import invalidAccessKey from './credentials/invalid-access-key.js';
import presignedUrlExpired from './credentials/presigned-url-expired.js';
import signatureMismatch from './credentials/signature-mismatch.js';
import explicitDenyIdentityPolicy from './identity/explicit-deny-identity-policy.js';
import missingAllowIdentityPolicy from './identity/missing-allow-identity-policy.js';
import explicitDenyKmsKeyPolicy from './kms/explicit-deny-kms-key-policy.js';
import kmsAwsManagedKeyCrossAccount from './kms/kms-aws-managed-key-cross-account.js';
import kmsKeyUnusable from './kms/kms-key-unusable.js';
import missingAllowKms from './kms/missing-allow-kms.js';
import explicitDenyRcp from './organizations/explicit-deny-rcp.js';
import explicitDenyScp from './organizations/explicit-deny-scp.js';
import missingAllowScp from './organizations/missing-allow-scp.js';
import aclNotSupported from './s3/acl-not-supported.js';
import archivedObject from './s3/archived-object.js';
import blockPublicAccess from './s3/block-public-access.js';
import bucketAccessDisabled from './s3/bucket-access-disabled.js';
import objectLockProtected from './s3/object-lock-protected.js';
import objectNotFoundWithoutList from './s3/object-not-found-without-list.js';
import objectOwnedByOtherAccount from './s3/object-owned-by-other-account.js';
import requesterPaysNotAcknowledged from './s3/requester-pays-not-acknowledged.js';
import explicitDenySessionPolicy from './session/explicit-deny-session-policy.js';
import missingAllowSessionPolicy from './session/missing-allow-session-policy.js';
import explicitDenyVpcEndpointPolicy from './vpc-endpoint/explicit-deny-vpc-endpoint-policy.js';
import missingAllowVpcEndpointPolicy from './vpc-endpoint/missing-allow-vpc-endpoint-policy.js';

/** Every rule, in catalogue order (by id). */
export const RULES: readonly Rule[] = [
  explicitDenyAccessPointPolicy,
  missingAllowAccessPointPolicy,
  explicitDenyPermissionsBoundary,
  missingAllowPermissionsBoundary,
  denyInsecureTransport,
  explicitDenyBucketPolicy,
  missingAllowBucketPolicy,
  clockSkew,
  expiredCredentials,
  invalidAccessKey,
  presignedUrlExpired,
  signatureMismatch,
  explicitDenyIdentityPolicy,
  missingAllowIdentityPolicy,
  explicitDenyKmsKeyPolicy,
  kmsAwsManagedKeyCrossAccount,
  kmsKeyUnusable,
  missingAllowKms,
  explicitDenyRcp,
  explicitDenyScp,
  missingAllowScp,
  aclNotSupported,
  archivedObject,
  blockPublicAccess,
  bucketAccessDisabled,
  objectLockProtected,
  objectNotFoundWithoutList,
  objectOwnedByOtherAccount,
  requesterPaysNotAcknowledged,
  explicitDenySessionPolicy,
  missingAllowSessionPolicy,
  explicitDenyVpcEndpointPolicy,
  missingAllowVpcEndpointPolicy,
];
