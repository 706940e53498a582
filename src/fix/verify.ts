// Verifies a fix by re-evaluation: patch a copy of the evidence (or change a copy of the request), evaluate again.

import { evaluateRequest } from '../authz/index.js';
import type { CauseCode, Fix, PolicyPatch } from '../model/cause.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Evidence } from '../model/evidence.js';
import type { S3Request } from '../model/request.js';
import { applyPatchesToEvidence, applyRequestChange } from './apply.js';
import { causeCodesOf } from '../authz/cause-table.js';
import { planProbes, measureBlastRadius } from './probes.js';
import { cliCommands, patchFileName, renderDiff } from './render.js';
import { FixError } from './resources.js';

/** Every patch of a fix, primary first. */
export function patchesOf(fix: Fix): PolicyPatch[] {
  return [...(fix.patch ? [fix.patch] : []), ...(fix.additionalPatches ?? [])];
}

/**
 * Whether an evaluation proves the request allowed: its decision is `Allowed` and either it is
 * `certain`, or every required authorization can only be `Allowed` (unknowns left on authorizations
 * S3 only possibly needs, for request details the input cannot show, do not count). A KMS
 * authorization counts as required: whether S3 calls KMS is the evidence's to say (the object's
 * encryption), and unknown evidence proves nothing. An `Allowed` that still depends on unknown
 * evidence (say, an unidentified caller's identity policies) proves nothing.
 */
export function certainlyAllowed(evaluation: Evaluation): boolean {
  if (evaluation.decision !== 'Allowed') return false;
  if (evaluation.certain) return true;
  const required = evaluation.authorizations.filter(
    (a) => a.request.need === 'required' || a.request.action.toLowerCase().startsWith('kms:'),
  );
  return (
    required.length > 0 &&
    required.every((a) => a.possibleDecisions.length === 1 && a.possibleDecisions[0] === 'Allowed')
  );
}

/** Options of `verifyFix`. */
export interface VerifyOptions {
  /** Skip the probe set (blast radius); default false. */
  skipBlastRadius?: boolean;
}

/**
 * Re-evaluates the request with the fix applied and returns a copy of the fix with:
 * - `verified`: true only when the request is now certainly allowed (`certainlyAllowed`: patches applied
 *   to a deep copy of the evidence; client changes applied to a copy of the request). A patch whose
 *   current document was unknown cannot be verified.
 * - `remainingCauses`: when not verified, the cause codes of the layers known to still block
 *   (`causeCodesOf` with `known`), the caller's `blocking` codes first; `blocking` itself when the
 *   evidence known after the change leaves nothing open, when the fix changes nothing (advice) or does
 *   not fit the evidence. None when every patch is on a document the evidence lacks: the layer it
 *   changes is then not known to block afterwards.
 * - `mayRemain`: when unknown evidence could still block, the codes it could explain and its paths.
 * - `blastRadius`: for patches, what a probe set newly allows (`measureBlastRadius`); empty for client changes.
 * - `diff` (unified diff of every patched document) and `commands` (the fix's own commands, then
 *   `cliCommands` of every patch).
 */
export function verifyFix(
  fix: Fix,
  req: S3Request,
  evidence: Evidence,
  blocking: CauseCode[],
  opts: VerifyOptions = {},
): Fix {
  const out: Fix = structuredClone(fix);
  const patches = patchesOf(fix);
  const changesSomething = patches.some((p) => !p.beforeUnknown) || fix.requestChange !== undefined;
  let after: Evidence;
  try {
    after = applyPatchesToEvidence(evidence, patches);
  } catch (e) {
    // A patch that does not fit the evidence (e.g. an access point it does not know) proves nothing.
    if (!(e instanceof FixError)) throw e;
    return {
      ...out,
      verified: false,
      remainingCauses: [...blocking],
      blastRadius: { probes: 0, newlyAllowed: [] },
    };
  }
  const changedReq = fix.requestChange ? applyRequestChange(req, fix.requestChange) : req;
  if (!changesSomething) {
    // A patch on a document the evidence does not hold proves nothing, and the layer it changes is
    // not known to block afterwards (never "still blocked by" its own cause).
    out.verified = false;
    // Advice that changes nothing leaves the causes it names as they were.
    if (patches.length === 0) out.remainingCauses = [...blocking];
  } else {
    const evaluation = evaluateRequest(changedReq, after);
    out.verified = certainlyAllowed(evaluation) && !patches.some((p) => p.beforeUnknown);
    if (out.verified) {
      delete out.remainingCauses;
      delete out.mayRemain;
    } else {
      // Known blockers (the evidence proves them) and what unknown evidence could still block with
      // are kept apart: "still blocked by" only for the first.
      const found = evaluation.decision === 'Allowed' ? [] : causeCodesOf(evaluation, { known: true });
      const ordered = [
        ...blocking.filter((c) => found.includes(c)),
        ...found.filter((c) => !blocking.includes(c)),
      ];
      const open = evaluation.unknowns.filter((u) => u.couldExplain.length > 0);
      if (ordered.length > 0) out.remainingCauses = ordered;
      else delete out.remainingCauses;
      if (open.length > 0)
        out.mayRemain = {
          causes: [...new Set(open.flatMap((u) => u.couldExplain))].filter((c) => !ordered.includes(c)),
          unknowns: open.map((u) => u.path),
        };
      if (ordered.length === 0 && open.length === 0) out.remainingCauses = [...blocking];
    }
  }
  if (patches.length > 0 && !opts.skipBlastRadius) {
    out.blastRadius = measureBlastRadius(planProbes(req, evidence, patches), evidence, after, patches);
  } else {
    out.blastRadius = { probes: 0, newlyAllowed: [] };
  }
  if (patches.length > 0) {
    out.diff = patches.map((p) => renderDiff(p.before, p.after, patchFileName(p))).join('');
    const cmds = [...(fix.commands ?? []), ...patches.flatMap((p) => cliCommands(p))];
    if (cmds.length > 0) out.commands = [...new Set(cmds)];
  }
  return out;
}
