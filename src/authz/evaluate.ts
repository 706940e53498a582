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
  LayerName,
  S3Request,
  Unknown,
} from '../model/index.js';
import { evaluateAuthorization } from './chain.js';
import { ctx } from './iam-layers.js';
import { evaluateKmsAuthorization, kmsAuthorizationsFor } from './kms.js';
import { pickDecision } from './layers.js';
import { memo } from './memo.js';

/** S3 error codes that mean no policy was evaluated, with the contract's cause. */
const AUTH_ERRORS: Record<string, CauseCode> = {
  ExpiredToken: 'expired-credentials',
  ExpiredTokenException: 'expired-credentials',
  TokenRefreshRequired: 'expired-credentials',
  InvalidToken: 'expired-credentials',
  InvalidAccessKeyId: 'invalid-access-key',
  InvalidClientTokenId: 'invalid-access-key',
  SignatureDoesNotMatch: 'signature-mismatch',
  AuthorizationHeaderMalformed: 'signature-mismatch',
  RequestTimeTooSkewed: 'clock-skew',
};

/** The authentication failure an S3 request shows, if any. */
export function authenticationFailure(req: S3Request): { errorCode: string; cause: CauseCode } | undefined {
  const code = req.errorCode;
  if (code && AUTH_ERRORS[code]) return { errorCode: code, cause: AUTH_ERRORS[code] as CauseCode };
  if (code === 'AccessDenied' && /request has expired/i.test(req.errorMessage ?? ''))
    return { errorCode: code, cause: 'presigned-url-expired' };
  return undefined;
}

/** Which cause codes an unknown layer could explain. */
const LAYER_CODES: Record<LayerName, CauseCode[]> = {
  authentication: [],
  scp: ['explicit-deny-scp', 'missing-allow-scp'],
  rcp: ['explicit-deny-rcp'],
  'vpc-endpoint-policy': ['explicit-deny-vpc-endpoint-policy', 'missing-allow-vpc-endpoint-policy'],
  'identity-policy': ['explicit-deny-identity-policy', 'missing-allow-identity-policy'],
  'permissions-boundary': ['explicit-deny-permissions-boundary', 'missing-allow-permissions-boundary'],
  'session-policy': ['explicit-deny-session-policy', 'missing-allow-session-policy'],
  'bucket-policy': ['explicit-deny-bucket-policy', 'missing-allow-bucket-policy'],
  'access-point-policy': ['explicit-deny-access-point-policy', 'missing-allow-access-point-policy'],
  // S3 reports a network-origin refusal as an explicit deny in a resource-based policy.
  'access-point-network-origin': ['explicit-deny-access-point-policy'],
  'bucket-acl': ['missing-allow-bucket-policy'],
  'object-acl': ['missing-allow-bucket-policy', 'object-owned-by-other-account'],
  'object-ownership': ['object-owned-by-other-account', 'acl-not-supported'],
  'block-public-access': ['block-public-access'],
  'requester-pays': ['requester-pays-not-acknowledged'],
  'object-lock': ['object-lock-protected'],
  'object-state': ['object-not-found-without-list', 'archived-object'],
  'kms-key-policy': [
    'explicit-deny-kms-key-policy',
    'missing-allow-kms',
    'kms-aws-managed-key-cross-account',
  ],
  'kms-identity-policy': ['explicit-deny-identity-policy', 'missing-allow-kms'],
  'kms-key-state': ['kms-key-unusable'],
  'resource-policy': [],
};

/** S3 steps whose refusal (`block`) S3 words as an explicit deny. */
const BLOCK_AS_EXPLICIT_DENY: ReadonlySet<LayerName> = new Set(['access-point-network-origin']);

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
  for (const az of req.authorizations) {
    const r = az.action.toLowerCase().startsWith('kms:')
      ? evaluateKmsAuthorization(az, evidence)
      : evaluateAuthorization(az, { req, ev: evidence, time });
    results.push(r);
    const s3 = req.s3;
    if (lastS3 !== s3) {
      lastKmsKey = `kms:${s3.operation}:${s3.sseHeader}:${s3.sseKmsKeyId}`;
      lastS3 = s3;
    }
    const kmsKey = lastKmsKey;
    for (const k of memo(r.request, evidence, kmsKey, () => kmsAuthorizationsFor(r.request, req, evidence))) {
      results.push(evaluateKmsAuthorization(k.az, evidence, k.key));
    }
  }
  const sets = results.map((r) =>
    r.request.need === 'possible'
      ? [...new Set<Decision>([...r.possibleDecisions, 'Allowed'])]
      : r.possibleDecisions,
  );
  const possibleDecisions = combine(sets);
  const decision = pickDecision(possibleDecisions);
  return {
    request: req,
    decision,
    certain: possibleDecisions.length === 1,
    possibleDecisions,
    authorizations: results,
    unknowns: collectUnknowns(results),
  };
}

function collectUnknowns(results: AuthorizationResult[]): Unknown[] {
  const byPath = new Map<string, Set<CauseCode>>();
  for (const r of results) {
    for (const l of r.layers) {
      if (l.outcome !== 'unknown') continue;
      const codes = LAYER_CODES[l.layer] ?? [];
      const possible = l.possible ?? [];
      const relevant = codes.filter(
        (c) =>
          (c.startsWith('explicit-deny')
            ? possible.includes('explicit-deny') ||
              (BLOCK_AS_EXPLICIT_DENY.has(l.layer) && possible.includes('block'))
            : true) &&
          (c.startsWith('missing-allow')
            ? possible.includes('missing-allow') || possible.includes('block')
            : true),
      );
      for (const path of l.missingEvidence ?? []) {
        const set = byPath.get(path) ?? new Set<CauseCode>();
        for (const c of relevant) set.add(c);
        byPath.set(path, set);
      }
    }
  }
  return [...byPath].map(([path, codes]) => ({ path, couldExplain: [...codes] }));
}
