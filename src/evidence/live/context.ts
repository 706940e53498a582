// The per-run machinery of the live collectors: lazily imported SDK clients per service, account
// and region; credentials (the standard chain, `profile`, or an assumed role per account); one
// bounded-parallel, timed, counted `send`; the run's memo cache; and the evidence being built.

import type * as STS from '@aws-sdk/client-sts';
import type { Evidence } from '../../model/evidence.js';
import {
  classifyError,
  isCredentialsError,
  LiveCollectError,
  LiveCredentialsError,
  type Failure,
} from './errors.js';
import { actionName, commandPermission, type LiveService } from './permissions.js';
import { evidencePath } from '../index.js';
import { importOptional, MissingPackageError } from './optional-package.js';
import { awsClientSettings, instrumentClient, sharedClientConfig } from './client-settings.js';

/** Extra client configuration per service (tests point clients at a fake endpoint with it). */
export type ClientOptionsByService = Partial<Record<LiveService | 'all', Record<string, unknown>>>;

/** One API call the collectors made (for progress, benchmarks and tests). */
export interface LiveCall {
  service: LiveService;
  command: string;
  /** IAM action the call needs (`null`: none). */
  action: string | null;
  /** Account whose credentials signed the call. */
  account: string;
  region: string;
  /** `ok`, or the failure kind. */
  outcome: 'ok' | Failure['kind'];
  ms: number;
}

/** Options of `collectEvidence` and `collectFor`. */
export interface LiveOptions {
  /** Named profile for the standard credential chain (else AWS_PROFILE / env / SSO / IMDS ...). */
  profile?: string;
  /** Default region (else the SDK's: AWS_REGION, the profile's region; else us-east-1). */
  region?: string;
  /** Roles to assume for evidence in other accounts (`--role-arn`, repeatable); account from the ARN. */
  roleArns?: string[];
  /** Account id -> role ARN, as the config file's `roles` object gives them. */
  roles?: Record<string, string>;
  /** Extra SDK client options (`all` and per service); never needed by users. */
  clientOptions?: ClientOptionsByService;
  /** Says what is being fetched (the CLI shows it in a spinner on a TTY). */
  onProgress?(msg: string): void;
  /** Called after every API call. */
  onCall?(call: LiveCall): void;
  /** Calls in flight at most (default 8). */
  concurrency?: number;
  /** Timeout per call, retries included (default 15 000 ms). */
  timeoutMs?: number;
  /** Attempts per call for the SDK's adaptive retry mode (default AWS_MAX_ATTEMPTS, else 4). */
  maxAttempts?: number;
}

/** How a call ended. */
export type SendResult<O> =
  { ok: true; value: O; region: string } | { ok: false; failure: Failure; action: string };

/** What one `send` needs. */
export interface SendSpec {
  service: LiveService;
  /** Account whose resources are read (its credentials are used when we have them). */
  account: string | undefined;
  region?: string;
  /** The SDK command to send (sent again as is after a region redirect). */
  command: object;
  /** Short description for progress messages (`bucket reports`). */
  label: string;
  /** Error codes meaning "not configured" for this call. */
  absent?: readonly string[];
  /** The command names a VersionId (object reads then need the version actions). */
  versioned?: boolean;
  /** Follow one S3 region redirect (default true for s3). */
  followRedirect?: boolean;
}

/** Static credentials as the SDK takes them. */
interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

interface SdkClient {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
  config: { region: () => Promise<string> };
}

type ClientModule = Record<string, unknown>;

/** Each service's client package, imported on first use (optional ones throw MissingPackageError when absent). */
const MODULES: Record<LiveService, { load: () => Promise<ClientModule>; client: string }> = {
  s3: { load: () => import('@aws-sdk/client-s3'), client: 'S3Client' },
  s3control: {
    load: () => importOptional('@aws-sdk/client-s3-control', () => import('@aws-sdk/client-s3-control')),
    client: 'S3ControlClient',
  },
  iam: { load: () => import('@aws-sdk/client-iam'), client: 'IAMClient' },
  sts: { load: () => import('@aws-sdk/client-sts'), client: 'STSClient' },
  organizations: {
    load: () =>
      importOptional('@aws-sdk/client-organizations', () => import('@aws-sdk/client-organizations')),
    client: 'OrganizationsClient',
  },
  kms: { load: () => import('@aws-sdk/client-kms'), client: 'KMSClient' },
  ec2: {
    load: () => importOptional('@aws-sdk/client-ec2', () => import('@aws-sdk/client-ec2')),
    client: 'EC2Client',
  },
  cloudtrail: {
    load: () => importOptional('@aws-sdk/client-cloudtrail', () => import('@aws-sdk/client-cloudtrail')),
    client: 'CloudTrailClient',
  },
  cloudformation: {
    load: () =>
      importOptional('@aws-sdk/client-cloudformation', () => import('@aws-sdk/client-cloudformation')),
    client: 'CloudFormationClient',
  },
};

/** IAM and Organizations are global services, served from us-east-1 in the aws partition. */
const GLOBAL_REGION: Partial<Record<LiveService, string>> = { iam: 'us-east-1', organizations: 'us-east-1' };

/** A small counting semaphore: at most `n` tasks run at once. */
class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((ok) => this.queue.push(ok));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}

/** Credentials to sign with for one account. */
interface AccountCredentials {
  /** The account whose credentials sign (the caller's, or the target's through a role). */
  account: string;
  /** The credentials belong to the target account (its own reads work there). */
  native: boolean;
  provider?: () => Promise<AwsCredentialIdentity>;
}

/** The state of one collection run. */
export class LiveContext {
  readonly evidence: Evidence;
  /** Every call made, in order. */
  readonly calls: LiveCall[] = [];
  callerAccount = '';
  callerArn = '';
  defaultRegion = 'us-east-1';
  private readonly clients = new Map<string, Promise<SdkClient>>();
  private readonly modules = new Map<LiveService, Promise<ClientModule>>();
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly credentials = new Map<string, Promise<AccountCredentials>>();
  private readonly limiter: Limiter;
  readonly roles: Record<string, string>;
  readonly timeoutMs: number;

  constructor(
    readonly opts: LiveOptions,
    evidence: Evidence,
  ) {
    this.evidence = evidence;
    this.limiter = new Limiter(Math.max(1, opts.concurrency ?? 8));
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.roles = { ...(opts.roles ?? {}) };
    for (const arn of opts.roleArns ?? []) {
      const account = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(arn)?.[1];
      if (!account)
        throw new LiveCollectError(
          `--role-arn ${arn} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`,
        );
      this.roles[account] = arn;
    }
  }

  /** The SDK client module of a service, imported on first use. */
  module<M>(service: LiveService): Promise<M> {
    let m = this.modules.get(service);
    if (!m) {
      m = MODULES[service].load();
      this.modules.set(service, m);
    }
    return m as Promise<M>;
  }

  /**
   * The client module of an optional package, or undefined after a note on `path` naming the npm
   * command that adds it (the evidence stays unknown, the collection goes on).
   */
  async optionalModule<M>(service: LiveService, path: string): Promise<M | undefined> {
    try {
      return await this.module<M>(service);
    } catch (err) {
      if (!(err instanceof MissingPackageError)) throw err;
      this.note(path, `not collected: ${err.message}`);
      return undefined;
    }
  }

  /** Runs `fn` once per key for the whole run; later callers share the answer. */
  once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  /** Adds a note saying why a piece of evidence is missing (deduplicated). */
  note(path: string, reason: string): void {
    if (!this.evidence.notes.some((n) => n.path === path && n.reason === reason))
      this.evidence.notes.push({ path, reason });
  }

  /** Removes the notes on `path` (the evidence was found after all). */
  dropNotes(path: string): void {
    const keep = this.evidence.notes.filter((n) => n.path !== path);
    this.evidence.notes.splice(0, this.evidence.notes.length, ...keep);
  }

  /** Notes a failed call: `AccessDenied on s3:GetBucketPolicy`. */
  noteFailure(path: string, r: { failure: Failure; action: string }, extra = ''): void {
    const f = r.failure;
    const what =
      f.kind === 'timeout' && (f.code === 'AbortError' || f.code === 'TimeoutError')
        ? `Timeout after ${this.timeoutMs} ms on ${r.action}`
        : `${f.code} on ${r.action}`;
    this.note(path, extra ? `${what}: ${extra}` : what);
  }

  /** Whether we can read `account`'s own configuration (its credentials, or an assumable role). */
  async hasAccount(account: string | undefined): Promise<boolean> {
    if (!account) return false;
    return (await this.credentialsFor(account)).native;
  }

  /** The credentials to use for resources of `account` (the caller's when no role is configured). */
  credentialsFor(account: string | undefined): Promise<AccountCredentials> {
    const target = account ?? this.callerAccount;
    let c = this.credentials.get(target);
    if (!c) {
      c = this.resolveCredentials(target);
      this.credentials.set(target, c);
    }
    return c;
  }

  private async resolveCredentials(account: string): Promise<AccountCredentials> {
    if (account === this.callerAccount) return { account, native: true };
    const roleArn = this.roles[account];
    if (!roleArn) return { account: this.callerAccount, native: false };
    const sts = await this.module<typeof STS>('sts');
    const assume = () =>
      new sts.AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 's3doctor-collect',
        DurationSeconds: 3600,
      });
    const r = await this.send<STS.AssumeRoleCommandOutput>({
      service: 'sts',
      account: undefined,
      command: assume(),
      label: roleArn,
    });
    if (!r.ok) {
      this.noteFailure(
        evidencePath('accounts', account),
        r,
        `cannot read evidence in account ${account} through ${roleArn}`,
      );
      return { account: this.callerAccount, native: false };
    }
    let creds = toIdentity(r.value.Credentials);
    // Refresh the session 5 minutes before it expires (long runs); the first one came from `send`.
    const provider = async (): Promise<AwsCredentialIdentity> => {
      if (creds.expiration && creds.expiration.getTime() - Date.now() < 300_000) {
        const client = await this.client('sts', this.callerAccount, this.defaultRegion, undefined);
        const out = (await client.send(assume())) as STS.AssumeRoleCommandOutput;
        creds = toIdentity(out.Credentials);
      }
      return creds;
    };
    return { account, native: true, provider };
  }

  private async client(
    service: LiveService,
    credAccount: string,
    region: string,
    provider: (() => Promise<AwsCredentialIdentity>) | undefined,
  ): Promise<SdkClient> {
    const key = `${service}|${credAccount}|${region}`;
    let c = this.clients.get(key);
    if (!c) {
      c = (async () => {
        const mod = await this.module<ClientModule>(service);
        const Ctor = mod[MODULES[service].client] as new (config: Record<string, unknown>) => SdkClient;
        return instrumentClient(new Ctor(this.clientConfig(service, region, provider)), service);
      })();
      this.clients.set(key, c);
    }
    return c;
  }

  /**
   * Client configuration: no `endpoint` of our own unless --endpoint-url, so AWS_ENDPOINT_URL and
   * AWS_ENDPOINT_URL_<SERVICE> keep working; AWS_CA_BUNDLE's certificates; the adaptive retry mode for throttling
   * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); per-attempt
   * socket timeouts; injected options last.
   */
  clientConfig(
    service: LiveService,
    region: string | undefined,
    provider?: () => Promise<AwsCredentialIdentity>,
  ): Record<string, unknown> {
    const o = this.opts;
    return {
      ...(o.profile ? { profile: o.profile } : {}),
      // The user's AWS_RETRY_MODE / AWS_MAX_ATTEMPTS win over our defaults.
      ...(process.env.AWS_RETRY_MODE ? {} : { retryMode: 'adaptive' }),
      ...(o.maxAttempts !== undefined || !process.env.AWS_MAX_ATTEMPTS
        ? { maxAttempts: o.maxAttempts ?? 4 }
        : {}),
      // --endpoint-url and AWS_CA_BUNDLE.
      ...sharedClientConfig(service, {
        connectionTimeout: Math.min(5_000, this.timeoutMs),
        requestTimeout: this.timeoutMs,
      }),
      // We follow S3 region redirects ourselves, so the bucket's region is learnt once per run.
      ...(service === 's3' ? { followRegionRedirects: false } : {}),
      ...(service === 's3control' && !awsClientSettings().endpointUrl ? localS3ControlEndpoint() : {}),
      ...(o.clientOptions?.all ?? {}),
      ...(o.clientOptions?.[service] ?? {}),
      ...(region ? { region } : {}),
      ...(provider ? { credentials: provider } : {}),
    };
  }

  /**
   * Resolves the default region as the AWS CLI does: --region, AWS_REGION, AWS_DEFAULT_REGION (which
   * the SDK for JavaScript ignores), the profile's region; else us-east-1.
   * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html
   */
  async resolveDefaultRegion(): Promise<void> {
    const explicit =
      this.opts.region ??
      (this.opts.clientOptions?.all?.region as string | undefined) ??
      (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined);
    if (explicit) {
      this.defaultRegion = explicit;
      return;
    }
    const mod = await this.module<ClientModule>('sts');
    const Ctor = mod.STSClient as new (config: Record<string, unknown>) => SdkClient;
    const probe = new Ctor(this.clientConfig('sts', undefined));
    try {
      this.defaultRegion = (await probe.config.region()) || 'us-east-1';
    } catch {
      this.defaultRegion = 'us-east-1';
    } finally {
      probe.destroy();
    }
  }

  /**
   * Sends one command: bounded parallelism, a timeout, counting, progress; classifies failures;
   * follows one S3 region redirect; throws LiveCredentialsError when the runner's own
   * credentials are unusable.
   */
  async send<O>(spec: SendSpec): Promise<SendResult<O>> {
    const commandName = spec.command.constructor.name;
    const perm = commandPermission(spec.service, commandName);
    if (!perm) throw new Error(`${commandName} is missing from COMMAND_PERMISSIONS`);
    const action = actionName(spec.service, commandName, spec.versioned);
    const creds = spec.account
      ? await this.credentialsFor(spec.account)
      : { account: this.callerAccount, native: true };
    let region = GLOBAL_REGION[spec.service] ?? spec.region ?? this.defaultRegion;
    for (let attempt = 0; ; attempt += 1) {
      const client = await this.client(spec.service, creds.account, region, creds.provider);
      const started = performance.now();
      this.opts.onProgress?.(`${action} ${spec.label}`);
      let outcome: SendResult<O>;
      try {
        const value = (await this.limiter.run(() =>
          client.send(spec.command, { abortSignal: AbortSignal.timeout(this.timeoutMs) }),
        )) as O;
        outcome = { ok: true, value, region };
      } catch (err) {
        if (isCredentialsError(err) && !creds.provider)
          throw new LiveCredentialsError(err, this.opts.profile);
        outcome = { ok: false, failure: classifyError(err, spec.absent), action };
      }
      const call: LiveCall = {
        service: spec.service,
        command: commandName,
        action: spec.versioned ? action : perm.action,
        account: creds.account,
        region,
        outcome: outcome.ok ? 'ok' : outcome.failure.kind,
        ms: Math.round(performance.now() - started),
      };
      this.calls.push(call);
      this.opts.onCall?.(call);
      const follow = spec.followRedirect ?? spec.service === 's3';
      if (
        !outcome.ok &&
        follow &&
        attempt === 0 &&
        outcome.failure.kind === 'redirect' &&
        outcome.failure.region &&
        outcome.failure.region !== region
      ) {
        region = outcome.failure.region;
        continue;
      }
      return outcome;
    }
  }

  /** Closes every client's sockets. */
  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.clients.values()]);
    for (const c of all) if (c.status === 'fulfilled') c.value.destroy();
  }
}

/**
 * S3 Control puts the account id in front of the endpoint's host (`111122223333.s3-control...`).
 * When the user's endpoint setting (AWS_ENDPOINT_URL_S3_CONTROL, else AWS_ENDPOINT_URL;
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html) names an IP address
 * or localhost, that prefixed name cannot resolve, so the configured URL is used as it is.
 */
function localS3ControlEndpoint(): Record<string, unknown> {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return {};
  const raw = process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? process.env.AWS_ENDPOINT_URL;
  if (!raw) return {};
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {};
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
  return local ? { endpointProvider: () => ({ url: new URL(raw) }) } : {};
}

function toIdentity(c: STS.Credentials | undefined): AwsCredentialIdentity {
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
  };
}
