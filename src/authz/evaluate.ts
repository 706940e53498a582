// evaluateRequest: authentication, every authorization of an S3 request through the chain, the KMS
// second authorization for SSE-KMS data, and the combined decision with the evidence still unknown.
//
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (credential and signature errors)

import type {
  AuthorizationResult,
  CauseCode,
  Decision,
  Evaluation,
  Evidence,
  S3Request,
  Unknown,
} from '../model/index.js';
import {
  AUTHENTICATION_ERRORS,
  CAUSE_KIND,
  presignedExpired,
  UNLIFTABLE_CODES,
  unknownCauseCodes,
} from './cause-table.js';
import { evaluateAuthorization } from './chain.js';
import { ctx } from './iam-layers.js';
import { evaluateKmsAuthorization, kmsAuthorizationsFor } from './kms.js';
import { pickDecision } from './layers.js';
import { memo } from './memo.js';

/** The authentication failure an S3 request shows, if any. */
export function authenticationFailure(req: S3Request): { errorCode: string; cause: CauseCode } | undefined {
  const code = req.errorCode;
  if (code && AUTHENTICATION_ERRORS[code])
    return { errorCode: code, cause: AUTHENTICATION_ERRORS[code] as CauseCode };
  if (code && presignedExpired(code, req.errorMessage))
    return { errorCode: code, cause: 'presigned-url-expired' };
  return undefined;
}

/** One-entry memos (no weak-map entry per request): the last request's KMS memo key and time. */
let lastS3: S3Request['s3'] | undefined;
let lastKmsKey = '';
let lastTimeReq: S3Request | undefined;
let lastTime = 0;

function requestTime(req: S3Request): number {
  if (lastTimeReq === req) return lastTime;
  const fromReq = req.time ? Date.parse(req.time) : NaN;
  if (!Number.isNaN(fromReq)) {
    lastTimeReq = req;
    return (lastTime = fromReq);
  }
  for (const az of req.authorizations) {
    const v = ctx(az, 'aws:CurrentTime');
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    if (!Number.isNaN(t)) {
      lastTimeReq = req;
      return (lastTime = t);
    }
  }
  // The clock fallback is never memoised.
  return Date.now();
}

/**
 * Adds a step S3 takes only after its own authorization allowed (the KMS calls S3 makes for SSE-KMS
 * data): where that authorization certainly refuses, the refusal stands and the KMS step is never
 * reached, so an unknown key cannot make it uncertain. Otherwise the steps combine as usual.
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-s3.html
 */
function after(acc: Decision[], later: Decision[]): Decision[] {
  return acc.includes('Allowed') ? combine([acc, later]) : acc;
}

function combine(sets: Decision[][]): Decision[] {
  let acc = new Set<Decision>(['Allowed']);
  for (const s of sets) {
    const next = new Set<Decision>();
    for (const a of acc)
      for (const b of s) {
        if (a === 'ExplicitDeny' || b === 'ExplicitDeny') next.add('ExplicitDeny');
        else if (a === 'ImplicitDeny' || b === 'ImplicitDeny') next.add('ImplicitDeny');
        else next.add('Allowed');
      }
    acc = next;
  }
  const order: Decision[] = ['ExplicitDeny', 'Allowed', 'ImplicitDeny'];
  return order.filter((d) => acc.has(d));
}

/**
 * Evaluates an S3 request as AWS would: authentication first (a credential or signature error
 * means `NotAuthenticated` and no policy is looked at), then every authorization the call needs
 * through SCPs, RCPs, the VPC endpoint policy, identity policies, boundary, session policy, access
 * point and bucket policies, ACLs, Object Ownership and Block Public Access, S3's own checks, and for
 * SSE-KMS data the KMS authorizations (listed in `authorizations` with their `purpose`).
 * Unknown evidence never counts as "no policy": it makes the result uncertain and is listed in `unknowns`.
 * The request and the evidence are treated as immutable (derived requests are memoised per pair):
 * to change evidence, make a new object rather than editing it in place.
 */
export function evaluateRequest(req: S3Request, evidence: Evidence): Evaluation {
  const auth = authenticationFailure(req);
  if (auth) {
    const authorizations: AuthorizationResult[] = req.authorizations.map((az) => ({
      request: az,
      decision: 'NotAuthenticated',
      certain: true,
      possibleDecisions: ['NotAuthenticated'],
      layers: [
        {
          layer: 'authentication',
          applies: 'true',
          outcome: 'block',
          policies: [],
          facts: { check: 'authentication', errorCode: auth.errorCode, cause: auth.cause },
        },
      ],
      deciding: { layer: 'authentication' },
    }));
    return {
      request: req,
      decision: 'NotAuthenticated',
      certain: true,
      possibleDecisions: ['NotAuthenticated'],
      authorizations,
      unknowns: [],
    };
  }
  if (req.authorizations.length === 0) {
    // Nothing says which actions the call needed (an operation the tables do not know): no decision.
    return {
      request: req,
      decision: 'Allowed',
      certain: false,
      possibleDecisions: ['ExplicitDeny', 'Allowed', 'ImplicitDeny'],
      authorizations: [],
      unknowns: [{ path: 'request.action', couldExplain: [] }],
    };
  }
  const time = requestTime(req);
  const results: AuthorizationResult[] = [];
  const unreached = new Set<AuthorizationResult>();
  const sets: Decision[][] = [];
  const decisionsOf = (r: AuthorizationResult): Decision[] =>
    r.request.need === 'possible'
      ? [...new Set<Decision>([...r.possibleDecisions, 'Allowed'])]
      : r.possibleDecisions;
  for (const az of req.authorizations) {
    const r = az.action.toLowerCase().startsWith('kms:')
      ? evaluateKmsAuthorization(az, evidence)
      : evaluateAuthorization(az, { req, ev: evidence, time });
    results.push(r);
    let set = decisionsOf(r);
    const s3 = req.s3;
    if (lastS3 !== s3) {
      lastKmsKey = `kms:${s3.operation}:${s3.sseHeader}:${s3.sseKmsKeyId}`;
      lastS3 = s3;
    }
    const kmsKey = lastKmsKey;
    for (const k of memo(r.request, evidence, kmsKey, () => kmsAuthorizationsFor(r.request, req, evidence))) {
      const kr = evaluateKmsAuthorization(k.az, evidence, k.key);
      results.push(kr);
      // S3 calls KMS only after its own authorization allowed: a step never reached explains nothing.
      if (!set.includes('Allowed')) unreached.add(kr);
      set = after(set, decisionsOf(kr));
    }
    sets.push(set);
  }
  const possibleDecisions = combine(sets);
  const decision = pickDecision(possibleDecisions);
  return {
    request: req,
    decision,
    certain: possibleDecisions.length === 1,
    possibleDecisions,
    authorizations: results,
    unknowns: collectUnknowns(results, unreached, !possibleDecisions.includes('Allowed')),
  };
}

/**
 * Each unknown evidence path with the causes it could explain. When the known evidence already
 * refuses the request, an unknown can only add a Deny (turn the implicit deny explicit): a further
 * missing Allow or failed check would change nothing, so it is not listed as what it could explain, unless no
 * grant can lift it (an AWS managed key used from another account: the fix of the known refusal would not end it).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
function collectUnknowns(
  results: AuthorizationResult[],
  unreached: ReadonlySet<AuthorizationResult>,
  refused: boolean,
): Unknown[] {
  const byPath = new Map<string, Set<CauseCode>>();
  for (const r of results) {
    const reached = !unreached.has(r);
    // Behind an AWS managed key used from another account a missing Allow still counts (see `finish`).
    const unliftable = r.layers.some((l) => l.facts?.check === 'aws-managed-key-cross-account');
    // Caller and resource (the KMS key's account for a KMS call) known to share an account.
    const caller = 'accountId' in r.request.principal ? r.request.principal.accountId : undefined;
    const sameAccount = caller !== undefined && caller === r.request.resourceAccount;
    for (const l of r.layers) {
      if (l.outcome !== 'unknown') continue;
      const relevant = reached
        ? unknownCauseCodes(l.layer, l.possible ?? [], sameAccount).filter(
            (c) => !refused || unliftable || CAUSE_KIND[c] === 'explicit-deny' || UNLIFTABLE_CODES.has(c),
          )
        : [];
      for (const path of l.missingEvidence ?? []) {
        const set = byPath.get(path) ?? new Set<CauseCode>();
        for (const c of relevant) set.add(c);
        byPath.set(path, set);
      }
    }
  }
  return [...byPath].map(([path, codes]) => ({ path, couldExplain: [...codes] }));
}
