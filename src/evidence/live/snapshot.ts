// Serialises collected evidence as a CONTRACT.md snapshot (schemaVersion 1): a stable key order
// (the contract's field order, maps sorted by key, notes sorted), so two runs over the same
// account produce the same file apart from `collectedAt`. Policy documents are kept as AWS wrote them.

import type { Evidence } from '../../model/evidence.js';
import { SCHEMA_IDS } from '../../model/schema-ids.js';

type Obj = Record<string, unknown>;

const ORDER = {
  top: [
    '$schema',
    'schemaVersion',
    'collectedAt',
    'principals',
    'sessions',
    'accounts',
    'buckets',
    'accessPoints',
    'kmsKeys',
    'vpcEndpoints',
    'canonicalIds',
    'notes',
  ],
  principal: ['policies', 'permissionsBoundary', 'tags', 'uniqueId', 'deleted', 'serviceLinked'],
  attached: ['name', 'arn', 'kind', 'group', 'document'],
  session: ['sessionPolicy', 'tags', 'sourceIdentity'],
  account: [
    'organizationId',
    'isManagementAccount',
    'serviceControlPolicies',
    'resourceControlPolicies',
    'publicAccessBlock',
  ],
  level: ['target', 'policies'],
  orgPolicy: ['name', 'id', 'document'],
  bucket: [
    'accountId',
    'region',
    'ownerCanonicalId',
    'policy',
    'acl',
    'objectOwnership',
    'publicAccessBlock',
    'encryption',
    'requestPayer',
    'objectLock',
    'objects',
    'tags',
  ],
  object: [
    'exists',
    'ownerCanonicalId',
    'acl',
    'serverSideEncryption',
    'kmsKeyId',
    'storageClass',
    'restoreStatus',
    'legalHold',
    'retention',
    'tags',
  ],
  accessPoint: ['bucket', 'accountId', 'policy', 'networkOrigin', 'vpcId', 'publicAccessBlock'],
  kmsKey: ['accountId', 'keyManager', 'keyState', 'aliases', 'policy'],
  vpcEndpoint: ['accountId', 'vpcId', 'policy'],
  bpa: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'],
  acl: ['Owner', 'Grants'],
  encryption: ['SSEAlgorithm', 'KMSMasterKeyID', 'BucketKeyEnabled'],
  objectLock: ['enabled', 'defaultRetention'],
  note: ['path', 'reason'],
} as const;

/** Picks `order`'s keys first, then any others alphabetically; drops undefined values. */
function ordered(
  o: unknown,
  order: readonly string[],
  inner: Partial<Record<string, (v: unknown) => unknown>> = {},
): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const src = o as Obj;
  const keys = [
    ...order.filter((k) => k in src),
    ...Object.keys(src)
      .filter((k) => !order.includes(k))
      .sort(),
  ];
  const out: Obj = {};
  for (const k of keys) {
    const v = src[k];
    if (v === undefined) continue;
    const f = inner[k];
    out[k] = f && v !== null ? f(v) : v;
  }
  return out;
}

/** A map with keys sorted, each value through `f`. */
function sortedMap(m: unknown, f: (v: unknown) => unknown = (v) => v): unknown {
  if (m === null || typeof m !== 'object') return m;
  const src = m as Obj;
  const out: Obj = {};
  for (const k of Object.keys(src).sort()) if (src[k] !== undefined) out[k] = f(src[k]);
  return out;
}

const list = (f: (v: unknown) => unknown) => (v: unknown) => (Array.isArray(v) ? v.map(f) : v);
const bpa = (v: unknown) => ordered(v, ORDER.bpa);
const acl = (v: unknown) =>
  ordered(v, ORDER.acl, {
    Owner: (o) => ordered(o, ['ID', 'DisplayName']),
    Grants: list((g) =>
      ordered(g, ['Grantee', 'Permission'], {
        Grantee: (x) => ordered(x, ['Type', 'ID', 'URI', 'EmailAddress']),
      }),
    ),
  });
const levels = list((l) => ordered(l, ORDER.level, { policies: list((p) => ordered(p, ORDER.orgPolicy)) }));

/** The evidence in the snapshot's shape and key order (a plain object, ready for JSON). */
export function toSnapshot(evidence: Evidence): Obj {
  const notes = [...evidence.notes].sort(
    (a, b) => a.path.localeCompare(b.path) || a.reason.localeCompare(b.reason),
  );
  return ordered({ $schema: SCHEMA_IDS.snapshot, ...evidence, schemaVersion: 1, notes }, ORDER.top, {
    principals: (m) =>
      sortedMap(m, (p) =>
        ordered(p, ORDER.principal, {
          policies: list((a) => ordered(a, ORDER.attached)),
          permissionsBoundary: (b) => ordered(b, ['arn', 'document']),
          tags: (t) => sortedMap(t),
        }),
      ),
    sessions: (m) => sortedMap(m, (s) => ordered(s, ORDER.session, { tags: (t) => sortedMap(t) })),
    accounts: (m) =>
      sortedMap(m, (a) =>
        ordered(a, ORDER.account, {
          serviceControlPolicies: levels,
          resourceControlPolicies: levels,
          publicAccessBlock: bpa,
        }),
      ),
    buckets: (m) =>
      sortedMap(m, (b) =>
        ordered(b, ORDER.bucket, {
          acl,
          publicAccessBlock: bpa,
          encryption: (e) => ordered(e, ORDER.encryption),
          objectLock: (l) => ordered(l, ORDER.objectLock),
          tags: (t) => sortedMap(t),
          objects: (os) =>
            sortedMap(os, (o) =>
              ordered(o, ORDER.object, {
                acl,
                tags: (t) => sortedMap(t),
                retention: (r) => ordered(r, ['Mode', 'RetainUntilDate']),
              }),
            ),
        }),
      ),
    accessPoints: (m) => sortedMap(m, (a) => ordered(a, ORDER.accessPoint, { publicAccessBlock: bpa })),
    kmsKeys: (m) => sortedMap(m, (k) => ordered(k, ORDER.kmsKey)),
    vpcEndpoints: (m) => sortedMap(m, (v) => ordered(v, ORDER.vpcEndpoint)),
    canonicalIds: (m) => sortedMap(m),
    notes: list((n) => ordered(n, ORDER.note)),
  }) as Obj;
}

/**
 * The evidence as snapshot JSON text (CONTRACT.md, schemaVersion 1), two-space indented, with a
 * stable key order and a trailing newline; `--snapshot` reads it back.
 */
export function toSnapshotJson(evidence: Evidence): string {
  return `${JSON.stringify(toSnapshot(evidence), null, 2)}\n`;
}
