// The zod schemas of s3doctor's JSON documents (simulate request, result, triage, simulate output); built on first use.

import type * as Z from 'zod';
import type { Fix, Cause, PolicyPatch, RequestChange } from './cause.js';
import type {
  AuthorizationResult,
  Evaluation,
  LayerResult,
  LayerResultBase,
  StatementTrace,
} from './evaluation.js';
import type { IacFix, IacPatch } from './iac.js';
import type { Report, Result, SecurityFinding, TriageGroup, TriageReport } from './report.js';
import type { AuthzRequest, S3CallFacts, S3Request } from './request.js';
import { CAUSE_CODES } from './cause.js';
import { LAYER_NAMES } from './evaluation.js';

/**
 * The schemas, built with the given zod module (so zod loads only when a schema is needed). The output
 * documents' schemas are closed: a field the program prints that is not here fails the tests that validate
 * every JSON output against `schemas/` (add the field here, then `UPDATE_SCHEMAS=1 npx vitest run test/model`).
 */
export function buildDocumentSchemas(z: typeof Z) {
  const str = z.string();
  const int = z.number().int();
  const count = z.number().int().min(0);
  const contextValue = z.union([z.string(), z.array(z.string())]);
  const context = z.record(z.string(), contextValue);
  const decision = z.enum(['Allowed', 'ExplicitDeny', 'ImplicitDeny', 'NotAuthenticated']);
  const causeCode = z.enum(CAUSE_CODES);
  const tri = z.enum(['true', 'false', 'unknown']);
  const schemaField = z
    .string()
    .optional()
    .meta({ description: "The address of this document's JSON Schema." });

  // Policies as written (IAM grammar is checked by s3doctor itself, not here).
  const oneOrMany = z.union([z.string(), z.array(z.string())]);
  const principalElement = z.union([
    z.literal('*'),
    z.object({
      AWS: oneOrMany.optional(),
      Service: oneOrMany.optional(),
      Federated: oneOrMany.optional(),
      CanonicalUser: oneOrMany.optional(),
    }),
  ]);
  const statement = z.object({
    Sid: str.optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: oneOrMany.optional(),
    NotAction: oneOrMany.optional(),
    Resource: oneOrMany.optional(),
    NotResource: oneOrMany.optional(),
    Principal: principalElement.optional(),
    NotPrincipal: principalElement.optional(),
    Condition: z.record(z.string(), z.record(z.string(), oneOrMany)).optional(),
  });
  const policyDocument = z.object({
    Version: str.optional(),
    Id: str.optional(),
    Statement: z.union([statement, z.array(statement)]),
  });
  const anyDocument = z.union([policyDocument, z.record(z.string(), z.unknown())]);
  const policyRef = z.object({
    type: z.enum([
      'identity-policy',
      'permissions-boundary',
      'session-policy',
      'scp',
      'rcp',
      'vpc-endpoint-policy',
      'bucket-policy',
      'access-point-policy',
      'kms-key-policy',
    ]),
    id: str,
    name: str.optional(),
    statementIndex: count.optional(),
    sid: str.optional(),
  });

  const inputSource = z.object({
    source: str,
    line: count.optional(),
    eventId: str.optional(),
    index: count.optional(),
  });
  const malformed = z.object({ source: str, line: count.optional(), reason: str });

  // The request as understood.
  const principal = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('anonymous') }),
    z.object({ kind: z.literal('iam-user'), arn: str, accountId: str, name: str }),
    z.object({
      kind: z.literal('role-session'),
      arn: str,
      roleArn: str,
      rolePathKnown: z.boolean(),
      roleName: str,
      sessionName: str,
      accountId: str,
    }),
    z.object({ kind: z.literal('iam-role'), arn: str, accountId: str, name: str }),
    z.object({ kind: z.literal('federated-user'), arn: str, accountId: str, name: str }),
    z.object({ kind: z.literal('root'), arn: str, accountId: str }),
    z.object({ kind: z.literal('service'), service: str }),
    z.object({ kind: z.literal('canonical-user'), canonicalId: str, accountId: str.optional() }),
    z.object({ kind: z.literal('unknown'), raw: str }),
  ]);
  const need = z.enum(['required', 'possible']);
  const authzRequest = z.object({
    principal,
    action: str,
    resource: str,
    resourceAccount: str.optional(),
    context,
    unknownKeys: z.array(str),
    need,
    purpose: str.optional(),
    underlyingResource: str.optional(),
  });
  const s3Facts = z.object({
    operation: str,
    logOperation: str.optional(),
    bucket: str.optional(),
    key: str.optional(),
    versionId: str.optional(),
    accessPointArn: str.optional(),
    copySource: z.object({ bucket: str, key: str, versionId: str.optional() }).optional(),
    requestPayerSent: z.boolean().optional(),
    aclHeader: str.nullable().optional(),
    bypassGovernance: z.boolean().optional(),
    objectLockHeaders: z.boolean().optional(),
    sseHeader: str.nullable().optional(),
    sseKmsKeyId: str.optional(),
    dataAccess: z.enum(['read', 'write', 'read-write', 'none']).optional(),
    submittedPolicy: z.unknown().optional(),
    operationInferred: z.boolean().optional(),
    presigned: z
      .object({
        signatureVersion: z.enum(['SigV4', 'SigV2']),
        signedAt: str.optional(),
        expiresSeconds: z.number().optional(),
        expiresAt: str.optional(),
        expiredAtRequestTime: z.boolean().optional(),
      })
      .optional(),
    aclRequired: z.boolean().optional(),
    region: str.optional(),
    viaVpcEndpoint: z.boolean().optional(),
    requestTags: z.record(z.string(), z.string()).optional(),
    expectedBucketOwner: str.optional(),
    expectedSourceBucketOwner: str.optional(),
  });
  const provedAbsent = z.array(z.object({ key: str, proof: str }));
  const s3Request = z.object({
    principal,
    authorizations: z.array(authzRequest),
    s3: s3Facts,
    time: str.optional(),
    httpStatus: int.optional(),
    errorCode: str.optional(),
    errorMessage: str.optional(),
    unknownKeys: z.array(str),
    provedAbsent: provedAbsent.optional(),
    missing: z.array(str).optional(),
  });

  // Causes and fixes.
  const patch = z.object({
    target: z.object({ type: str, id: str, name: str.optional(), group: str.optional() }),
    before: anyDocument.nullable(),
    after: anyDocument,
    beforeUnknown: z.boolean().optional(),
  });
  const requestChange = z.object({
    context: context.optional(),
    removeContextKeys: z.array(str).optional(),
    s3: s3Facts.partial().optional(),
    clearAuthError: z.boolean().optional(),
    time: str.optional(),
    addActions: z.array(str).optional(),
    removeActions: z.array(str).optional(),
  });
  const blastRadius = z.object({
    probes: count,
    newlyAllowed: z.array(z.object({ principal: str, action: str, resource: str, note: str.optional() })),
  });
  const iacPatch = z.object({
    file: str,
    line: count,
    tool: z.enum(['terraform', 'cloudformation', 'sam', 'cdk']),
    address: str,
    document: str.optional(),
    constructPath: str.optional(),
    diff: str,
    verified: z.boolean(),
    blastRadius: blastRadius.optional(),
    unresolved: z.array(str).optional(),
    notes: z.array(str).optional(),
    confirmed: z.boolean(),
  });
  const iacFix = z.object({
    patches: z.array(iacPatch),
    unmatched: str.optional(),
    unmatchedDocuments: z.array(z.object({ document: str, why: str })).optional(),
  });
  const fix = z.object({
    kind: z.enum(['client-change', 'policy-patch', 'config-change', 'credential-refresh']),
    summary: str,
    patch: patch.optional(),
    verified: z.boolean().optional(),
    remainingCauses: z.array(causeCode).optional(),
    mayRemain: z.object({ causes: z.array(causeCode), unknowns: z.array(str) }).optional(),
    blastRadius: blastRadius.optional(),
    commands: z.array(str).optional(),
    diff: str.optional(),
    additionalPatches: z.array(patch).optional(),
    alternative: z.boolean().optional(),
    requestChange: requestChange.optional(),
    iac: iacFix.optional(),
  });
  const cause = z.object({
    code: causeCode,
    confidence: z.enum(['certain', 'likely', 'possible']),
    rule: str,
    policy: policyRef.optional(),
    condition: z
      .object({ operator: str, key: str, policyValues: z.array(str), requestValue: contextValue.optional() })
      .optional(),
    explanation: str,
    fixes: z.array(fix),
    action: str.optional(),
    resource: str.optional(),
  });
  const unknown = z.object({ path: str, couldExplain: z.array(causeCode), reason: str.optional() });

  // The result document (`diagnose --format json`).
  const result = z.object({
    input: inputSource,
    request: z.object({
      principal: str,
      action: str,
      resource: str,
      operation: str.optional(),
      time: str.optional(),
      errorCode: str.optional(),
      context,
      actions: z.array(z.object({ action: str, resource: str, need })).optional(),
      unknownKeys: z.array(str).optional(),
      provedAbsent: provedAbsent.optional(),
    }),
    decision,
    possibleDecisions: z.array(decision).optional(),
    reproduced: z.boolean(),
    causes: z.array(cause),
    unknowns: z.array(unknown),
    decisionOpen: z.array(str).optional(),
    notReproducedBecause: z.array(str).optional(),
    evidence: z.enum(['none', 'snapshot', 'live']).optional(),
  });
  const report = z.object({
    $schema: schemaField,
    schemaVersion: z.literal(1),
    results: z.array(result),
    malformed: z.array(malformed).optional(),
  });

  // The triage document (`triage --format json`).
  const rank = z.object({
    name: str,
    count,
    groups: count,
    firstSeen: str.optional(),
    lastSeen: str.optional(),
  });
  const finding = z.object({
    kind: z.enum(['anonymous-key-enumeration', 'credential-failure-burst', 'principal-many-buckets']),
    severity: z.enum(['high', 'medium']),
    summary: str,
    principal: str.optional(),
    sourceIp: str.optional(),
    bucket: str.optional(),
    count,
    distinct: count,
    threshold: z.number(),
    firstSeen: str.optional(),
    lastSeen: str.optional(),
    samples: z.array(
      z.object({
        input: inputSource,
        time: str.optional(),
        principal: str,
        sourceIp: str.optional(),
        bucket: str.optional(),
        key: str.optional(),
        errorCode: str,
      }),
    ),
  });
  const group = z.object({
    count,
    countError: count.optional(),
    principal: str,
    action: str,
    bucket: str,
    keyPrefix: str,
    errorCode: str,
    firstSeen: str.optional(),
    lastSeen: str.optional(),
    sample: inputSource,
    diagnosis: result.optional(),
    timeline: z
      .object({
        resolution: z.enum(['hour', 'day', 'month']),
        buckets: z.array(z.tuple([str, count])),
      })
      .optional(),
  });
  const scanStats = z.object({ files: count, bytes: count, lines: count, denied: count, malformed: count });
  const triage = z.object({
    $schema: schemaField,
    schemaVersion: z.literal(1),
    scanned: scanStats,
    malformed: z.array(malformed),
    groups: z.array(group),
    rankings: z
      .object({ causes: z.array(rank), principals: z.array(rank), buckets: z.array(rank) })
      .optional(),
    findings: z.array(finding).optional(),
    approximate: z
      .object({
        method: z.literal('space-saving'),
        maxGroups: count,
        evictions: count,
        unlistedMax: count,
        undercountMax: count,
      })
      .optional(),
  });

  // The simulate output (`simulate --format json`): one evaluation with its full trace.
  const conditionTrace = z.object({
    operator: str,
    key: str,
    policyValues: z.array(str),
    requestValue: contextValue.optional(),
    keyState: z.enum(['present', 'absent', 'unknown']),
    result: tri,
    error: str.optional(),
  });
  const statementTrace = z.object({
    policy: policyRef,
    effect: z.enum(['Allow', 'Deny']),
    matched: tri,
    action: z.object({ matched: z.boolean(), by: str.optional() }),
    resource: z.object({ matched: z.boolean(), by: str.optional(), uncertain: z.boolean().optional() }),
    principal: z
      .object({
        matched: z.enum(['true', 'false', 'account']),
        by: str.optional(),
        via: z
          .enum([
            'wildcard',
            'account',
            'root',
            'user',
            'role',
            'session',
            'federated-user',
            'service',
            'canonical-user',
            'not-principal',
          ])
          .optional(),
        uncertain: z.boolean().optional(),
      })
      .optional(),
    conditions: z.array(conditionTrace),
    failedOn: z.enum(['action', 'resource', 'principal', 'condition']).optional(),
  });
  const policyEvaluation = z.object({
    policy: policyRef,
    explicitDeny: tri,
    allow: tri,
    directAllow: tri.optional(),
    statements: z.array(statementTrace),
  });
  const layerName = z.enum(LAYER_NAMES);
  const layerResult = z.object({
    layer: layerName,
    applies: tri,
    outcome: z.enum(['allow', 'explicit-deny', 'missing-allow', 'block', 'not-applicable', 'unknown']),
    possible: z.array(z.enum(['allow', 'explicit-deny', 'missing-allow', 'block'])).optional(),
    policies: z.array(policyEvaluation),
    levels: z.array(z.object({ target: str, allow: tri, explicitDeny: tri })).optional(),
    missingEvidence: z.array(str).optional(),
    facts: z.record(z.string(), z.unknown()).optional(),
  });
  const authorizationResult = z.object({
    request: authzRequest,
    decision,
    certain: z.boolean(),
    possibleDecisions: z.array(decision),
    layers: z.array(layerResult),
    deciding: z.object({ layer: layerName, policy: policyRef.optional() }).optional(),
  });
  const evaluation = z.object({
    request: s3Request,
    decision,
    certain: z.boolean(),
    possibleDecisions: z.array(decision),
    authorizations: z.array(authorizationResult),
    unknowns: z.array(unknown),
  });
  const simulate = z.object({ $schema: schemaField, schemaVersion: z.literal(1), evaluation });

  // The simulate request (`simulate --request FILE`): an input, so it is open (unknown fields are ignored).
  const simulateRequest = z.looseObject({
    $schema: schemaField,
    principal: z.string().regex(/\S/).meta({
      description:
        'A user, role, assumed-role session or root ARN, a service principal (logging.s3.amazonaws.com), or "anonymous".',
    }),
    action: z
      .string()
      .regex(/^\s*[a-z0-9-]+:[A-Za-z0-9]+\s*$/)
      .meta({ description: 'service:Action, e.g. s3:GetObject (no wildcards).' }),
    resource: z
      .string()
      .regex(/^\s*(\*|arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+)\s*$/)
      .meta({ description: 'An ARN (arn:aws:s3:::bucket/key) or "*".' }),
    resourceAccount: z
      .string()
      .regex(/^\s*\d{12}\s*$/)
      .optional(),
    time: z.string().regex(/\S/).optional().meta({ description: 'ISO 8601 date; default: now.' }),
    errorCode: z.string().regex(/\S/).optional(),
    errorMessage: z.string().regex(/\S/).optional(),
    context: z
      .record(
        z.string().regex(/^[A-Za-z0-9-]+:[^\s]+$/),
        z.union([
          z.string(),
          z.number(),
          z.boolean(),
          z.array(z.union([z.string(), z.number(), z.boolean()])),
        ]),
      )
      .optional()
      .meta({ description: 'Condition keys (service:Key) and their values.' }),
    unknownKeys: z.array(z.string()).optional(),
    s3: z
      .object({
        operation: z.string().optional(),
        logOperation: z.string().optional(),
        versionId: z.string().optional(),
        accessPointArn: z.string().optional(),
        requestPayerSent: z.boolean().optional(),
        aclHeader: z.string().nullable().optional(),
        bypassGovernance: z.boolean().optional(),
        objectLockHeaders: z.boolean().optional(),
        sseHeader: z.string().nullable().optional(),
        sseKmsKeyId: z.string().optional(),
        submittedPolicy: z.unknown().optional(),
        copySource: z.unknown().optional(),
      })
      .strict()
      .optional()
      .meta({ description: 'S3 call facts.' }),
  });

  return {
    simulateRequest,
    report,
    triage,
    simulate,
    /** The object schemas the documents are made of, for the compile-time key checks below. */
    parts: {
      result,
      cause,
      fix,
      patch,
      iacFix,
      iacPatch,
      requestChange,
      s3Facts,
      s3Request,
      authzRequest,
      group,
      finding,
      layerResult,
      statementTrace,
      authorizationResult,
      evaluation,
    },
  };
}

type Schemas = ReturnType<typeof buildDocumentSchemas>;
/** True when every value of type A is a value of type B. */
type Fits<A, B> = [A] extends [B] ? true : false;
/** Compile-time drift check: the documents the program builds fit the schemas (`build` fails otherwise). */
type Check<T extends true> = T;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a compile-time assertion: never referenced, only type-checked
type DocumentSchemaChecks = [
  Check<Fits<Report, Z.output<Schemas['report']>>>,
  Check<Fits<Result, Z.output<Schemas['report']>['results'][number]>>,
  Check<Fits<TriageReport, Z.output<Schemas['triage']>>>,
  Check<Fits<TriageGroup, Z.output<Schemas['triage']>['groups'][number]>>,
  Check<Fits<SecurityFinding, NonNullable<Z.output<Schemas['triage']>['findings']>[number]>>,
  Check<Fits<{ schemaVersion: 1; evaluation: OpenFacts<Evaluation> }, Z.output<Schemas['simulate']>>>,
  Check<Fits<Z.output<Schemas['report']>, Report>>,
  Check<Fits<Z.output<Schemas['triage']>, TriageReport>>,
  Check<Fits<Z.output<Schemas['simulate']>['evaluation'], OpenFacts<Evaluation>>>,
];
/**
 * An evaluation whose layers' facts are open records: the schema keeps `facts` open (the JSON is the
 * same), while the program's type gives each layer its own facts.
 */
type OpenFacts<E extends Evaluation> = Omit<E, 'authorizations'> & {
  authorizations: (Omit<AuthorizationResult, 'layers'> & {
    layers: (Omit<LayerResultBase, 'facts'> & { facts?: Record<string, unknown> })[];
  })[];
};
type Part<K extends keyof Schemas['parts']> = Z.output<Schemas['parts'][K]>;
/** The model's keys the schema lacks (an optional field added to the model must be added here too). */
type NoMissingKeys<Model, Schema> = [Exclude<keyof Model, keyof Schema>] extends [never] ? true : false;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a compile-time assertion: never referenced, only type-checked
type DocumentSchemaKeyChecks = [
  Check<NoMissingKeys<Report, Z.output<Schemas['report']>>>,
  Check<NoMissingKeys<TriageReport, Z.output<Schemas['triage']>>>,
  Check<NoMissingKeys<Result, Part<'result'>>>,
  Check<NoMissingKeys<Result['request'], Part<'result'>['request']>>,
  Check<NoMissingKeys<Cause, Part<'cause'>>>,
  Check<NoMissingKeys<Fix, Part<'fix'>>>,
  Check<NoMissingKeys<PolicyPatch, Part<'patch'>>>,
  Check<NoMissingKeys<IacFix, Part<'iacFix'>>>,
  Check<NoMissingKeys<IacPatch, Part<'iacPatch'>>>,
  Check<NoMissingKeys<RequestChange, Part<'requestChange'>>>,
  Check<NoMissingKeys<S3CallFacts, Part<'s3Facts'>>>,
  Check<NoMissingKeys<S3Request, Part<'s3Request'>>>,
  Check<NoMissingKeys<AuthzRequest, Part<'authzRequest'>>>,
  Check<NoMissingKeys<TriageGroup, Part<'group'>>>,
  Check<NoMissingKeys<SecurityFinding, Part<'finding'>>>,
  Check<NoMissingKeys<LayerResult, Part<'layerResult'>>>,
  Check<NoMissingKeys<StatementTrace, Part<'statementTrace'>>>,
  Check<NoMissingKeys<AuthorizationResult, Part<'authorizationResult'>>>,
  Check<NoMissingKeys<Evaluation, Part<'evaluation'>>>,
];
