// The IaC side of a fix (diagnose --iac): a diff of the Terraform or CloudFormation source that defines the patched policy.

import type { BlastRadius } from './cause.js';

/** The infrastructure-as-code tool a source file belongs to. */
export type IacTool = 'terraform' | 'cloudformation' | 'sam' | 'cdk';

/** The fix of a policy patch as a change to the source that defines that policy. */
export interface IacPatch {
  /** File the diff changes, relative to the --iac folder. */
  file: string;
  /** 1-based first changed line of the edited file. */
  line: number;
  tool: IacTool;
  /** CloudFormation logical id path or Terraform address of the changed document. */
  address: string;
  /** When the fix changes several documents (`additionalPatches`): the target id of the one this diff changes. */
  document?: string;
  constructPath?: string;
  /** Unified diff of the file. */
  diff: string;
  /** The edited source, parsed back and re-evaluated, allows the request (only with every value resolved). */
  verified: boolean;
  /** What the edited source newly allows beyond the request (as for the JSON patch). */
  blastRadius?: BlastRadius;
  /** Values the source cannot settle on its own (`!Ref Param`, `var.x`), named. */
  unresolved?: string[];
  /** Plain sentences: how the source was matched, where it differs from the live policy. */
  notes?: string[];
  /** The match rests on names and ARNs or state (true), or is one of several unconfirmed candidates (false). */
  confirmed: boolean;
}

/** The IaC side of a fix: the patches of each matching source, or why none matched. */
export interface IacFix {
  patches: IacPatch[];
  /** When no source matched: why (the JSON patch stays the fix). */
  unmatched?: string;
  /** When the fix changes several documents: each document (target id) no source matched, and why. */
  unmatchedDocuments?: { document: string; why: string }[];
}
