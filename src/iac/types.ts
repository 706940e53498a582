// Types of iac/: policy documents located in Terraform and CloudFormation sources, and the patches made of them.

import type { IacTool } from '../model/iac.js';

export type { IacTool, IacFix, IacPatch } from '../model/iac.js';

/** What a located document belongs to, as far as the source (with state or stack) settles it. */
export interface IacOwner {
  /** `role`/`user`: inline policies; `managed-policy`: a managed policy (also boundaries); the rest: resource policies. */
  kind: 'role' | 'user' | 'managed-policy' | 'bucket' | 'kms-key' | 'access-point';
  /** Names, ARNs or physical ids the owner is known by (resolved values only). */
  ids: string[];
  /** Why the ids are not known (an unresolved name), when `ids` is empty. */
  unresolved?: string[];
}

/** One change to a document's statement list, as data. */
export type StatementOp =
  | { op: 'append'; statement: Record<string, unknown> }
  | { op: 'replace'; index: number; statement: Record<string, unknown> }
  | { op: 'remove'; index: number };

/** A value a source holds, resolved as far as its inputs allow. */
export interface Resolved {
  value: unknown;
  /** Expressions the value depends on that could not be resolved (`!Ref BucketParam`, `var.bucket`). */
  unresolved: string[];
}

/** A policy document located in a source file, with a way to edit its statements in the file's own style. */
export interface PolicySite {
  /** File path relative to the --iac folder. */
  file: string;
  tool: IacTool;
  /** CloudFormation: `Resources.<LogicalId>...`; Terraform: the resource or data source address. */
  address: string;
  /** CDK: the construct path (Metadata aws:cdk:path). */
  constructPath?: string;
  /** 1-based line of the document in `file`. */
  line: number;
  owner: IacOwner;
  /** Inline policies: the policy name, when the source settles it. */
  policyName?: string;
  /** The document's statements, each resolved as far as possible (`Statement` as a list). */
  statements: Resolved[];
  /** The document without its statements (Version, Id), resolved. */
  header: Record<string, unknown>;
  /** The file the document lives in when it is not `file` itself (a Terraform `file()` reference): same as `file` otherwise. */
  editFile: string;
  /** The new text of `editFile` with the operations applied in the file's own style. */
  edit(text: string, ops: StatementOp[]): string;
}

/** Where a new policy can be added: a role or user (inline policy), a bucket (bucket policy). */
export interface PolicyHome {
  file: string;
  tool: IacTool;
  address: string;
  constructPath?: string;
  line: number;
  owner: IacOwner;
  /** The new text of `file` with a policy `name` holding `document` added for this owner. */
  add(text: string, name: string, document: Record<string, unknown>): string;
}
