// Terraform sources: policy documents of aws_iam_* / aws_s3_bucket_policy / aws_kms_key resources and policy document data sources.

import type { SourceFile } from './discover.js';
import type { IacContext } from './context.js';
import type { PolicyHome, PolicySite } from './types.js';

/** Every policy document and home in the Terraform files. */
export function terraformSites(
  files: SourceFile[],
  ctx: IacContext,
): { sites: PolicySite[]; homes: PolicyHome[]; broken: { file: string; why: string }[] } {
  void files;
  void ctx;
  return { sites: [], homes: [], broken: [] };
}
