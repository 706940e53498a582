// IAM policy documents as written in AWS: the raw JSON shape before normalisation.

/** A value IAM allows as one string or a list of strings. */
export type OneOrMany<T> = T | T[];

/** A principal element: `"*"` or a map of principal types to values. */
export type PrincipalElement =
  '*' | Partial<Record<'AWS' | 'Service' | 'Federated' | 'CanonicalUser', OneOrMany<string>>>;

/** One policy statement, as written. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  /** operator -> key -> value(s). Values may be booleans or numbers in the wild; the loader stringifies them. */
  Condition?: Record<string, Record<string, OneOrMany<string>>>;
}

/** A policy document: `Version` and one or more statements. */
export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17' | string;
  Id?: string;
  Statement: OneOrMany<PolicyStatement>;
}

/** The kinds of policy that take part in an S3 authorization. */
export type PolicyType =
  | 'identity-policy'
  | 'permissions-boundary'
  | 'session-policy'
  | 'scp'
  | 'rcp'
  | 'vpc-endpoint-policy'
  | 'bucket-policy'
  | 'access-point-policy'
  | 'kms-key-policy';

/** Points at one policy (and optionally one statement in it), as the result JSON does. */
export interface PolicyRef {
  type: PolicyType;
  /** Policy ARN, bucket name, access point ARN, key ARN, vpce id, or `<target>/<policy name>` for SCPs. */
  id: string;
  /** Human name: inline policy name, SCP name. */
  name?: string;
  statementIndex?: number;
  sid?: string;
}
