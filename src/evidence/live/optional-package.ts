// Optional AWS SDK clients: packages only some commands need, left out of a production install and imported
// on first use; a missing one becomes one line that names the npm command adding it.

import { UserError } from '../../model/user-error.js';

/**
 * The SDK client packages s3doctor runs without (optional peer dependencies in package.json), with what
 * each one is for. Every other client (S3, IAM, STS, KMS) is a dependency.
 */
export const OPTIONAL_PACKAGES = {
  '@aws-sdk/client-s3-control': 'reading account Block Public Access and access points (collect)',
  '@aws-sdk/client-ec2': 'reading VPC endpoint policies (collect)',
  '@aws-sdk/client-organizations': 'reading SCPs and RCPs (collect)',
  '@aws-sdk/client-cloudtrail': 'reading CloudTrail trails (collect --trails)',
  '@aws-sdk/client-cloudformation': 'reading CloudFormation stacks (diagnose --iac with --live)',
  '@aws-sdk/client-athena': 'running the Athena query (triage --athena run)',
  '@aws-sdk/client-sns': 'publishing reports to SNS (the Lambda function)',
} as const;

/** The name of one optional package. */
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** The one-line message saying `name` is needed and how to install it. */
export function missingPackageMessage(name: OptionalPackage): string {
  return (
    `${OPTIONAL_PACKAGES[name]} needs the optional package ${name}, which is not installed: ` +
    `run npm install -g ${name} (beside a global s3doctor) or npm install ${name} (in your project)`
  );
}

/** Thrown when an optional package a command needs is not installed. */
export class MissingPackageError extends UserError {
  constructor(
    /** The package to install. */
    readonly packageName: OptionalPackage,
    cause?: unknown,
  ) {
    super(missingPackageMessage(packageName), { cause });
  }
}

/** True when `err` says that package `name` itself (not one of its dependencies) cannot be found. */
export function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(`'${name}'`)
  );
}

/**
 * Imports an optional package with `load` (a literal `import('...')`, so its types follow); when it is not
 * installed, throws {@link MissingPackageError}. Any other failure is rethrown as it is.
 */
export async function importOptional<M>(name: OptionalPackage, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (e) {
    if (isMissingPackage(e, name)) throw new MissingPackageError(name, e);
    throw e;
  }
}
