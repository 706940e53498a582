// ARN helpers for S3: parse and format ARNs, bucket/object/access point ARNs, and S3 endpoint host names.
//
// ARN shapes: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
// S3 resource ARNs: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
// Access point ARNs and host names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-access-points.html

/** AWS partitions s3doctor knows how to name. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The six colon-separated parts of an ARN; `resource` keeps any further colons. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** An access point, as its ARN names it. */
export interface AccessPointRef {
  partition: string;
  region: string;
  account: string;
  name: string;
  /** The access point ARN, without any `/object/...` suffix. */
  arn: string;
}

/** What an S3 ARN designates. */
export type S3Resource =
  | { kind: 'bucket'; partition: string; bucket: string }
  | { kind: 'object'; partition: string; bucket: string; key: string }
  | { kind: 'access-point'; accessPoint: AccessPointRef }
  | { kind: 'access-point-object'; accessPoint: AccessPointRef; key: string };

/** Parse `arn:partition:service:region:account:resource`; `undefined` when the text is not an ARN. */
export function parseArn(arn: string): Arn | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!partition || !service || resource === '') return undefined;
  return { partition, service, region, account, resource };
}

/** Format an ARN from its parts. */
export function formatArn(a: Arn): string {
  return `arn:${a.partition}:${a.service}:${a.region}:${a.account}:${a.resource}`;
}

/** The partition a region belongs to (`cn-north-1` -> `aws-cn`, `us-gov-west-1` -> `aws-us-gov`). */
export function partitionForRegion(region: string | undefined): Partition {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:s3:::BUCKET`. */
export function bucketArn(bucket: string, partition: string = 'aws'): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** `arn:aws:s3:::BUCKET/KEY` (the key as stored: not URL-encoded). */
export function objectArn(bucket: string, key: string, partition: string = 'aws'): string {
  return `arn:${partition}:s3:::${bucket}/${key}`;
}

/** `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`. */
export function accessPointArn(ap: Omit<AccessPointRef, 'arn'>): string {
  return `arn:${ap.partition}:s3:${ap.region}:${ap.account}:accesspoint/${ap.name}`;
}

/** `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY`: an object reached through an access point. */
export function accessPointObjectArn(ap: AccessPointRef, key: string): string {
  return `${ap.arn}/object/${key}`;
}

/**
 * Parse an access point ARN, or an access-point object ARN (`.../accesspoint/NAME/object/KEY`);
 * the object key, if any, is returned beside the access point.
 */
export function parseAccessPointArn(arn: string): (AccessPointRef & { key?: string }) | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 's3' || !a.resource.startsWith('accesspoint/')) return undefined;
  if (!a.region || !/^\d{12}$/.test(a.account)) return undefined;
  const rest = a.resource.slice('accesspoint/'.length);
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  // Names are lower-case by the naming rules, but the access-log docs' own example writes `example-AP`:
  // accept what logs carry.
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{1,61}[A-Za-z0-9]$/.test(name)) return undefined;
  const ref: AccessPointRef & { key?: string } = {
    partition: a.partition,
    region: a.region,
    account: a.account,
    name,
    arn: accessPointArn({ partition: a.partition, region: a.region, account: a.account, name }),
  };
  if (slash >= 0) {
    const tail = rest.slice(slash + 1);
    if (!tail.startsWith('object/')) return undefined;
    ref.key = tail.slice('object/'.length);
  }
  return ref;
}

/** Classify an S3 ARN: bucket, object, access point or access-point object. */
export function parseS3Arn(arn: string): S3Resource | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 's3') return undefined;
  if (a.resource.startsWith('accesspoint/')) {
    const ap = parseAccessPointArn(arn);
    if (!ap) return undefined;
    const { key, ...accessPoint } = ap;
    return key === undefined
      ? { kind: 'access-point', accessPoint }
      : { kind: 'access-point-object', accessPoint, key };
  }
  if (a.region !== '' || a.account !== '') return undefined;
  const slash = a.resource.indexOf('/');
  if (slash < 0) return { kind: 'bucket', partition: a.partition, bucket: a.resource };
  return {
    kind: 'object',
    partition: a.partition,
    bucket: a.resource.slice(0, slash),
    key: a.resource.slice(slash + 1),
  };
}

/** Access point alias used in place of a bucket name (`NAME-<random>-s3alias`). */
export function isAccessPointAlias(bucket: string): boolean {
  return /-s3alias$/.test(bucket);
}

/**
 * What an S3 endpoint host name tells: the region, whether it is an access point host
 * (`<name>-<account>.s3-accesspoint[.dualstack].<region>.amazonaws.com`), a website endpoint, or an
 * interface VPC endpoint DNS name (`*.vpce-<id>-<suffix>.s3.<region>.vpce.amazonaws.com`).
 * Endpoints: https://docs.aws.amazon.com/general/latest/gr/s3.html ;
 * interface endpoints: https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
 */
export interface S3HostInfo {
  region?: string;
  partition: Partition;
  accessPoint?: AccessPointRef;
  website: boolean;
  /** Interface VPC endpoint id named by the host (`vpce-0abc...`). */
  vpcEndpointId?: string;
  /** Bucket named in a virtual-hosted-style host. */
  bucket?: string;
}

const REGION_RE = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/** Parse an S3 host header; `undefined` when it is not an AWS S3 endpoint. */
export function parseS3Host(host: string): S3HostInfo | undefined {
  const h = host.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  let partition: Partition;
  let base: string;
  if (h.endsWith('.amazonaws.com.cn')) {
    partition = 'aws-cn';
    base = h.slice(0, -'.amazonaws.com.cn'.length);
  } else if (h.endsWith('.amazonaws.com')) {
    partition = 'aws';
    base = h.slice(0, -'.amazonaws.com'.length);
  } else return undefined;
  const labels = base.split('.');

  // Interface endpoint DNS: [bucket.|accesspoint.|control.]vpce-<id>-<suffix>.s3.<region>.vpce
  if (labels[labels.length - 1] === 'vpce') {
    const vi = labels.findIndex((l) => /^vpce-[0-9a-f]+(?:-[0-9a-z]+)?$/.test(l));
    const region = labels[labels.length - 2];
    const id = vi >= 0 ? /^(vpce-[0-9a-f]+)/.exec(labels[vi] ?? '')?.[1] : undefined;
    const info: S3HostInfo = { partition, website: false };
    if (region && REGION_RE.test(region)) {
      info.region = region;
      info.partition = partition === 'aws-cn' ? 'aws-cn' : partitionForRegion(region);
    }
    if (id) info.vpcEndpointId = id;
    const first = labels[0];
    if (vi > 0 && first && first !== 'bucket' && first !== 'accesspoint' && first !== 'control') {
      info.bucket = labels.slice(0, vi).join('.');
    }
    return info;
  }

  const apIdx = labels.indexOf('s3-accesspoint');
  if (apIdx >= 1) {
    const region = labels.slice(apIdx + 1).find((l) => REGION_RE.test(l));
    const first = labels.slice(0, apIdx).join('.');
    const m = /^(.+)-(\d{12})$/.exec(first);
    const info: S3HostInfo = {
      partition: partition === 'aws-cn' ? 'aws-cn' : partitionForRegion(region),
      website: false,
    };
    if (region) info.region = region;
    if (m && region) {
      const ref = { partition: info.partition, region, account: m[2]!, name: m[1]! };
      info.accessPoint = { ...ref, arn: accessPointArn(ref) };
    }
    return info;
  }

  // Find the S3 service label: s3, s3-<region>, s3-website-<region>, s3-website, s3-fips, s3-external-1.
  // Search from the right: bucket names may themselves start with `s3-`.
  const si = labels.findLastIndex((l) => l === 's3' || l.startsWith('s3-'));
  if (si < 0) return undefined;
  const svc = labels[si]!;
  const info: S3HostInfo = { partition, website: svc.startsWith('s3-website') };
  if (si > 0 && svc !== 's3-control') info.bucket = labels.slice(0, si).join('.');
  let region: string | undefined;
  const dash = /^s3-(?:website-)?(.+)$/.exec(svc)?.[1];
  if (dash && REGION_RE.test(dash)) region = dash;
  else if (svc === 's3-external-1') region = 'us-east-1';
  if (!region) region = labels.slice(si + 1).find((l) => REGION_RE.test(l));
  // Legacy global endpoints (`s3.amazonaws.com`, `bucket.s3.amazonaws.com`) are served by us-east-1.
  if (!region && si === labels.length - 1 && (svc === 's3' || svc === 's3-website')) region = 'us-east-1';
  if (region) {
    info.region = region;
    if (partition !== 'aws-cn') info.partition = partitionForRegion(region);
  }
  return info;
}
