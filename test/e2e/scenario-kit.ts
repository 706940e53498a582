// Scenario data (test/scenarios/cases/**.json) to CLI inputs: a base snapshot merged with the case's own parts, and a
// CloudTrail event, access-log line or pasted error written to a file; plus what a report must say.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mergeCase } from '../rules/case-kit.js';
import { ROOT } from './helpers.js';

/** Where the scenario data lives. */
export const SCENARIOS = join(ROOT, 'test', 'scenarios');

/** A CloudTrail S3 data event, described by its parts (the kit writes the whole event, as CloudTrail logs it). */
export interface EventSpec {
  /** Session, user or role ARN; "anonymous" for an unsigned request. */
  principal: string;
  operation: string;
  bucket: string;
  key?: string;
  errorCode?: string;
  /** Default "Access Denied". */
  errorMessage?: string;
  /** Account that owns the bucket (the event's `resources[].accountId`). */
  bucketAccount?: string;
  vpce?: string;
  sourceIp?: string;
  /** Region of the request (default us-east-1). */
  region?: string;
  /** Access point ARN the request went through (CloudTrail lists it in resources; the host is the access point's). */
  accessPoint?: string;
  /** Merged over the event's requestParameters (e.g. x-amz-copy-source, x-amz-request-payer). */
  requestParameters?: Record<string, unknown>;
  /** Merged over the event's additionalEventData. */
  additionalEventData?: Record<string, unknown>;
  /** The session's access key id (default one per principal). */
  accessKeyId?: string;
  time?: string;
}

/** The input of one scenario: exactly one of these. */
export interface ScenarioInput {
  event?: EventSpec;
  /** Raw CloudTrail events written next to `event` (e.g. the AssumeRole event that created the session). */
  moreEvents?: Record<string, unknown>[];
  accessLog?: string;
  text?: string;
}

type Decision = 'ImplicitDeny' | 'ExplicitDeny' | 'Allowed' | 'NotAuthenticated' | 'NotApplicable';

/** What the report's first result must say. */
export interface ScenarioExpect {
  /** The decision, or the ones accepted (evidence that leaves it open). */
  decision: Decision | Decision[];
  /** Code of the first cause; omitted: no cause is required (Allowed). */
  cause?: string;
  /** One confidence, or the ones accepted. */
  confidence?: string | string[];
  reproduced?: boolean;
  /** The first cause blocks this resource (e.g. the CopyObject source). */
  resource?: string;
  /** The first fix changes this policy target (type:id). */
  fixTarget?: string;
  /** Unknown evidence paths the report must name. */
  unknowns?: string[];
  /** Text the text report must not contain. */
  notInText?: string[];
  /** Text the text report must contain. */
  inText?: string[];
}

/** One scenario file. */
export interface Scenario {
  /** The AWS documentation page the expected verdict comes from. */
  doc: string;
  /** What the page says that decides the verdict. */
  says: string;
  /** A base snapshot in test/scenarios/bases (without .json); the case's `snapshot` merges over it. */
  base?: string;
  /** Partial snapshot; `"$unknown"` deletes a key of the base (evidence collect could not read). */
  snapshot?: Record<string, unknown>;
  input: ScenarioInput;
  /** Extra diagnose flags (e.g. --session-policy none). */
  args?: string[];
  /** A principal whose session policy is unknown in the snapshot (set by the kit). */
  expect: ScenarioExpect;
  /**
   * Runs the case again with `--session-policy none`, expecting this (default: `expect`). Only for role sessions whose
   * session policy the snapshot leaves unknown.
   */
  expectWithNoSessionPolicy?: ScenarioExpect | 'skip';
  /**
   * Runs the case again with the evidence `collect` produces (test/helpers/realistic-evidence.ts), expecting this,
   * when that evidence differs from the case's. Default: the same decision and first cause as `expect`, or the
   * report names an unknown collect left that could explain that cause, with that decision still possible.
   */
  expectCollectShaped?: ScenarioExpect | 'skip';
}

/** A scenario with its id (path under the folder) and its full snapshot. */
export interface LoadedScenario extends Scenario {
  id: string;
  fullSnapshot: Record<string, unknown>;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : n.endsWith('.json') ? [p] : [];
    });
}

/** Every scenario under `test/scenarios/<folder>` (cases: run; pending: waiting for an engine fix). */
export function loadScenarios(folder: 'cases' | 'pending'): LoadedScenario[] {
  const dir = join(SCENARIOS, folder);
  return walk(dir).map((file) => {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    const base = s.base
      ? (JSON.parse(readFileSync(join(SCENARIOS, 'bases', `${s.base}.json`), 'utf8')) as Record<
          string,
          unknown
        >)
      : {};
    const fullSnapshot = mergeCase(base, s.snapshot ?? {}) as Record<string, unknown>;
    return {
      ...s,
      id: relative(dir, file).replace(/\.json$/, ''),
      fullSnapshot: { schemaVersion: 1, ...fullSnapshot },
    };
  });
}

/** The account of an ARN (empty for anonymous). */
function accountOf(arn: string): string {
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? '';
}

/** CloudTrail's userIdentity for a principal ARN. */
export function userIdentity(principal: string, accessKeyId?: string): Record<string, unknown> {
  if (principal === 'anonymous') return { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };
  const account = accountOf(principal);
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(principal);
  if (session) {
    const [, acct, role, name] = session;
    const roleId = `AROA${role!
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 12)
      .padEnd(12, 'X')}`;
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${name}`,
      arn: principal,
      accountId: acct,
      accessKeyId: accessKeyId ?? 'ASIAEXAMPLESESSION01',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: `arn:aws:iam::${acct}:role/${role}`,
          accountId: acct,
          userName: role,
        },
        attributes: { creationDate: '2026-11-24T08:00:00Z', mfaAuthenticated: 'false' },
      },
    };
  }
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(principal);
  if (user)
    return {
      type: 'IAMUser',
      principalId: `AIDA${user[1]!
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 12)
        .padEnd(12, 'X')}`,
      arn: principal,
      accountId: account,
      accessKeyId: accessKeyId ?? 'AKIAEXAMPLEUSERKEY01',
      userName: user[1],
    };
  return { type: 'Root', principalId: account, arn: principal, accountId: account };
}

/** The CloudTrail data event a spec describes (fields as in the S3 CloudTrail pages' examples). */
export function cloudTrailEvent(e: EventSpec): Record<string, unknown> {
  const time = e.time ?? '2026-11-24T10:20:11Z';
  const region = e.region ?? 'us-east-1';
  const ap = e.accessPoint ? /:accesspoint\/([^/]+)$/.exec(e.accessPoint) : null;
  const host = ap
    ? `${ap[1]}-${e.accessPoint!.split(':')[4]}.s3-accesspoint.${region}.amazonaws.com`
    : `${e.bucket}.s3.${region}.amazonaws.com`;
  const objectArn = e.key !== undefined ? `arn:aws:s3:::${e.bucket}/${e.key}` : undefined;
  return {
    eventVersion: '1.10',
    userIdentity: userIdentity(e.principal, e.accessKeyId),
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: e.operation,
    awsRegion: region,
    sourceIPAddress: e.sourceIp ?? (e.vpce ? '10.0.12.34' : '198.51.100.23'),
    userAgent: '[aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp]',
    errorCode: e.errorCode ?? 'AccessDenied',
    errorMessage: e.errorMessage ?? 'Access Denied',
    requestParameters: {
      bucketName: e.bucket,
      Host: host,
      ...(e.key !== undefined ? { key: e.key } : {}),
      ...(e.requestParameters ?? {}),
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': 'Qm9ndXMgaG9zdCBpZCBmb3IgdGhlIGV4YW1wbGU=',
      ...(e.additionalEventData ?? {}),
    },
    requestID: '8Q4MWKZ3J6B2N0PX',
    eventID: '1a2b3c4d-0001-4e5f-8a9b-000000000099',
    readOnly: /^(Get|Head|List)/.test(e.operation),
    resources: [
      ...(objectArn ? [{ type: 'AWS::S3::Object', ARN: objectArn }] : []),
      {
        ...(e.bucketAccount ? { accountId: e.bucketAccount } : {}),
        type: 'AWS::S3::Bucket',
        ARN: `arn:aws:s3:::${e.bucket}`,
      },
      ...(e.accessPoint
        ? [{ accountId: e.accessPoint.split(':')[4], type: 'AWS::S3::AccessPoint', ARN: e.accessPoint }]
        : []),
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: accountOf(e.principal) || e.bucketAccount || '111122223333',
    ...(e.vpce ? { vpcEndpointId: e.vpce } : {}),
    eventCategory: 'Data',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: host,
    },
  };
}

/** The input file's name and text for a scenario. */
export function inputFile(input: ScenarioInput): { name: string; text: string } {
  if (input.event) {
    const events = [cloudTrailEvent(input.event), ...(input.moreEvents ?? [])];
    return { name: 'events.json', text: JSON.stringify({ Records: events }, null, 2) };
  }
  if (input.accessLog !== undefined) return { name: 'access.log', text: `${input.accessLog}\n` };
  if (input.text !== undefined) return { name: 'error.txt', text: `${input.text}\n` };
  throw new Error('a scenario input needs event, accessLog or text');
}

/** The caller's account, from the event's principal, the access log's requester or the pasted error's ARN. */
export function callerAccountOf(input: ScenarioInput): string | undefined {
  const text = input.event?.principal ?? input.accessLog ?? input.text ?? '';
  return /arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(text)?.[1];
}

/** The role session whose session policy the snapshot leaves unknown, if the scenario's caller is one. */
export function unknownSessionOf(s: LoadedScenario): string | undefined {
  const p = s.input.event?.principal;
  if (!p || !/^arn:aws:sts::\d{12}:assumed-role\//.test(p)) return undefined;
  const sessions = (s.fullSnapshot.sessions ?? {}) as Record<string, { sessionPolicy?: unknown }>;
  return sessions[p] && 'sessionPolicy' in sessions[p] ? undefined : p;
}
