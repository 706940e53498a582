// The zod schema of CONTRACT.md's evidence snapshot (schemaVersion 1); built on first use so zod loads lazily.

import type * as Z from 'zod';

/** Builds the snapshot schema with the given zod module. Policy documents are left to `validatePolicy`. */
export function buildSnapshotSchema(z: typeof Z) {
  // `x-check` marks the refinements for the JSON Schema and the zod-free check (snapshot-fast.ts).
  const date = z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO 8601 date' })
    .meta({ 'x-check': 'date' });
  const tags = z.record(z.string(), z.string());
  const pab = z.looseObject({
    BlockPublicAcls: z.boolean(),
    IgnorePublicAcls: z.boolean(),
    BlockPublicPolicy: z.boolean(),
    RestrictPublicBuckets: z.boolean(),
  });
  const policy = z
    .unknown()
    .refine((v) => v !== undefined && v !== null, { message: 'policy document missing' })
    .meta({ 'x-check': 'present' });
  const acl = z.looseObject({
    Owner: z.looseObject({ ID: z.string().optional(), DisplayName: z.string().optional() }).optional(),
    Grants: z.array(
      z.looseObject({
        Grantee: z.looseObject({
          Type: z.enum(['CanonicalUser', 'Group', 'AmazonCustomerByEmail']),
          ID: z.string().optional(),
          URI: z.string().optional(),
          EmailAddress: z.string().optional(),
        }),
        Permission: z.enum(['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL']),
      }),
    ),
  });
  const orgLevels = z
    .array(
      z.looseObject({
        target: z.string().regex(/^(r-[0-9a-z]+|ou-[0-9a-z]+-[0-9a-z]+|\d{12})$/, {
          message: 'target must be a root (r-...), an OU (ou-...) or a 12-digit account id',
        }),
        policies: z.array(z.looseObject({ name: z.string(), id: z.string().optional(), document: policy })),
      }),
    )
    .nullable()
    .optional();
  const object = z.looseObject({
    exists: z.boolean().optional(),
    ownerCanonicalId: z.string().optional(),
    acl: acl.nullable().optional(),
    serverSideEncryption: z.string().nullable().optional(),
    kmsKeyId: z.string().optional(),
    storageClass: z.string().optional(),
    restoreStatus: z.enum(['ongoing', 'restored']).nullable().optional(),
    legalHold: z.enum(['ON', 'OFF']).optional(),
    retention: z
      .looseObject({ Mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), RetainUntilDate: date })
      .nullable()
      .optional(),
    tags: tags.optional(),
  });
  const account12 = z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit account id' });
  return z.looseObject({
    schemaVersion: z.literal(1, { message: 'schemaVersion must be 1' }),
    collectedAt: date.optional(),
    principals: z
      .record(
        z.string(),
        z.looseObject({
          policies: z
            .array(
              z.looseObject({
                name: z.string(),
                arn: z.string().optional(),
                kind: z.enum(['inline', 'managed', 'group-inline', 'group-managed']),
                group: z.string().optional(),
                document: policy,
              }),
            )
            .optional(),
          permissionsBoundary: z.looseObject({ arn: z.string(), document: policy }).nullable().optional(),
          tags: tags.optional(),
          uniqueId: z.string().optional(),
          deleted: z.boolean().optional(),
          serviceLinked: z.boolean().optional(),
        }),
      )
      .optional(),
    sessions: z
      .record(
        z.string(),
        z.looseObject({
          sessionPolicy: policy.nullable().optional(),
          tags: tags.optional(),
          sourceIdentity: z.string().optional(),
        }),
      )
      .optional(),
    accounts: z
      .record(
        z.string(),
        z.looseObject({
          organizationId: z.string().nullable().optional(),
          serviceControlPolicies: orgLevels,
          resourceControlPolicies: orgLevels,
          publicAccessBlock: pab.nullable().optional(),
          isManagementAccount: z.boolean().optional(),
        }),
      )
      .optional(),
    buckets: z
      .record(
        z.string(),
        z.looseObject({
          accountId: account12.optional(),
          region: z.string().optional(),
          ownerCanonicalId: z.string().optional(),
          policy: policy.nullable().optional(),
          acl: acl.nullable().optional(),
          objectOwnership: z
            .enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'])
            .nullable()
            .optional(),
          publicAccessBlock: pab.nullable().optional(),
          encryption: z
            .looseObject({
              SSEAlgorithm: z.string(),
              KMSMasterKeyID: z.string().optional(),
              BucketKeyEnabled: z.boolean().optional(),
            })
            .nullable()
            .optional(),
          requestPayer: z.enum(['Requester', 'BucketOwner']).optional(),
          objectLock: z
            .looseObject({
              enabled: z.boolean(),
              defaultRetention: z
                .looseObject({ Mode: z.string(), Days: z.number().optional(), Years: z.number().optional() })
                .optional(),
            })
            .nullable()
            .optional(),
          objects: z.record(z.string(), object).optional(),
          tags: tags.optional(),
          logging: z
            .looseObject({
              TargetBucket: z.string(),
              TargetPrefix: z.string(),
              TargetObjectKeyFormat: z
                .looseObject({
                  PartitionedPrefix: z
                    .looseObject({ PartitionDateSource: z.enum(['EventTime', 'DeliveryTime']).optional() })
                    .optional(),
                  SimplePrefix: z.looseObject({}).optional(),
                })
                .optional(),
              TargetGrants: z.array(z.unknown()).optional(),
            })
            .nullable()
            .optional(),
          lifecycle: z
            .array(
              z.looseObject({
                ID: z.string().optional(),
                Status: z.enum(['Enabled', 'Disabled']),
                Prefix: z.string().optional(),
                Filter: z.looseObject({}).optional(),
                Expiration: z
                  .looseObject({ Days: z.number().optional(), Date: z.string().optional() })
                  .optional(),
              }),
            )
            .nullable()
            .optional(),
        }),
      )
      .optional(),
    accessPoints: z
      .record(
        z.string(),
        z.looseObject({
          bucket: z.string(),
          accountId: account12.optional(),
          policy: policy.nullable().optional(),
          networkOrigin: z.enum(['Internet', 'VPC']).optional(),
          vpcId: z.string().nullable().optional(),
          publicAccessBlock: pab.nullable().optional(),
        }),
      )
      .optional(),
    kmsKeys: z
      .record(
        z.string(),
        z.looseObject({
          accountId: account12.optional(),
          keyManager: z.enum(['CUSTOMER', 'AWS']).optional(),
          keyState: z.string().optional(),
          aliases: z.array(z.string()).optional(),
          policy: policy.optional(),
        }),
      )
      .optional(),
    vpcEndpoints: z
      .record(
        z.string(),
        z.looseObject({
          accountId: account12.optional(),
          vpcId: z.string().optional(),
          policy: policy.nullable().optional(),
        }),
      )
      .optional(),
    canonicalIds: z.record(z.string(), account12).optional(),
    trails: z
      .record(
        z.string(),
        z.looseObject({
          kind: z.enum(['trail', 'event-data-store']),
          name: z.string(),
          homeRegion: z.string().optional(),
          isMultiRegion: z.boolean().optional(),
          isLogging: z.boolean().optional(),
          eventSelectors: z
            .array(
              z.looseObject({
                ReadWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).optional(),
                DataResources: z
                  .array(z.looseObject({ Type: z.string(), Values: z.array(z.string()).optional() }))
                  .optional(),
              }),
            )
            .optional(),
          advancedEventSelectors: z
            .array(
              z.looseObject({
                Name: z.string().optional(),
                FieldSelectors: z.array(z.looseObject({ Field: z.string() })),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
    notes: z.array(z.looseObject({ path: z.string(), reason: z.string() })).optional(),
  });
}
