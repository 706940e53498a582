// The AWS CLI habits every AWS SDK client of s3doctor follows: --endpoint-url, AWS_CA_BUNDLE and --debug (each request and response on stderr, secrets redacted).

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Readable } from 'node:stream';
import { maskAccessKeyId, REDACTED, redactSecrets, redactUri } from '../../logs/redact.js';
import { UserError } from '../../model/user-error.js';

/** Settings shared by every AWS client of one run (the CLI sets them once from its flags and environment). */
export interface AwsClientSettings {
  /** `--endpoint-url`: every AWS call of the run goes to this URL (it wins over AWS_ENDPOINT_URL*). */
  endpointUrl?: string;
  /** PEM certificates to trust for HTTPS instead of Node's bundled ones (the file AWS_CA_BUNDLE names). */
  ca?: string;
  /** `--debug`: receives each request and response, secrets redacted, one block per call. */
  debug?: (text: string) => void;
}

let current: AwsClientSettings = {};

/** Sets the settings every AWS client made from now on follows. */
export function setAwsClientSettings(settings: AwsClientSettings): void {
  current = { ...settings };
}

/** The settings in force. */
export function awsClientSettings(): Readonly<AwsClientSettings> {
  return current;
}

/**
 * Reads the CA bundle AWS_CA_BUNDLE names, as the AWS CLI does
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html#envvars-list-AWS_CA_BUNDLE):
 * undefined when unset; a UserError when the file cannot be read or holds no PEM certificate.
 */
export function readCaBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.AWS_CA_BUNDLE;
  if (!raw) return undefined;
  const path = raw.startsWith('~/') ? homedir() + raw.slice(1) : raw;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UserError(
      `AWS_CA_BUNDLE names ${raw}, which cannot be read (${code}); point it at a PEM file of CA certificates, or unset it.`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new UserError(
      `AWS_CA_BUNDLE names ${raw}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----); point it at a PEM file of CA certificates, or unset it.`,
    );
  return text;
}

/** Socket timeouts of the SDK's Node request handler. */
export interface HandlerTimeouts {
  connectionTimeout?: number;
  requestTimeout?: number;
  throwOnRequestTimeout?: boolean;
}

function isLocalHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * The endpoint configuration of a client of `service` (`s3`, `s3control`, `iam`, ...): none unless `--endpoint-url`
 * was given (then AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> apply as the SDK reads them). S3 is addressed
 * path-style there (a bucket cannot be a subdomain of an IP address), and S3 Control keeps the URL as given
 * instead of prefixing the account id to a local host.
 */
export function endpointConfig(service: string): Record<string, unknown> {
  const raw = current.endpointUrl;
  if (!raw) return {};
  const url = new URL(raw);
  if (service === 's3control' && isLocalHost(url)) return { endpointProvider: () => ({ url: new URL(raw) }) };
  return { endpoint: raw, ...(service === 's3' ? { forcePathStyle: true } : {}) };
}

/** The `requestHandler` option: the given timeouts, and the AWS_CA_BUNDLE certificates for HTTPS. */
export function requestHandlerConfig(timeouts: HandlerTimeouts): Record<string, unknown> {
  return { ...timeouts, ...(current.ca ? { httpsAgent: { ca: current.ca } } : {}) };
}

/** The part of a client's configuration these settings decide (spread it before per-call options). */
export function sharedClientConfig(service: string, timeouts: HandlerTimeouts): Record<string, unknown> {
  return { requestHandler: requestHandlerConfig(timeouts), ...endpointConfig(service) };
}

/** The SDK client shape {@link instrumentClient} needs. */
interface StackClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: string; priority?: string; name?: string }): void;
  };
}

interface HttpRequestLike {
  method?: string;
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
}

interface HttpResponseLike {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Longest body shown in debug output (characters); the rest is counted. */
const BODY_LIMIT = 4000;

/** Headers whose whole value is a secret (SSE-C keys and session tokens); lower-case. */
const SECRET_HEADERS = new Set([
  'x-amz-security-token',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
]);

/** One header value fit to print: secrets redacted, control characters shown as `?`. */
export function debugHeader(name: string, value: string): string {
  const n = name.toLowerCase();
  if (SECRET_HEADERS.has(n)) return REDACTED;
  let v = value;
  if (n === 'authorization')
    v = v
      .replace(/(Credential=)([^/,\s]*)/gi, (_m, k: string, id: string) => `${k}${maskAccessKeyId(id)}`)
      .replace(/(Signature=)[^,\s]*/gi, `$1${REDACTED}`);
  return printable(redactSecrets(v));
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  else return '(a stream, not shown)';
  if (text === '') return undefined;
  const shown =
    text.length > BODY_LIMIT
      ? `${text.slice(0, BODY_LIMIT)}... (${text.length - BODY_LIMIT} more characters)`
      : text;
  return printable(redactSecrets(shown));
}

function queryString(query: HttpRequestLike['query']): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v])
      parts.push(
        one === null || one === undefined
          ? encodeURIComponent(k)
          : `${encodeURIComponent(k)}=${encodeURIComponent(one)}`,
      );
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function headerLines(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {}).map(([k, v]) => `  ${printable(k)}: ${debugHeader(k, String(v))}`);
}

/** The debug text of one signed request. */
export function describeRequest(service: string, command: string, req: HttpRequestLike): string {
  const port = req.port ? `:${req.port}` : '';
  const url = `${req.protocol ?? 'https:'}//${req.hostname ?? ''}${port}${req.path ?? '/'}${queryString(req.query)}`;
  const body = bodyText(req.body);
  return [
    `s3doctor debug: request ${service} ${command}: ${req.method ?? 'GET'} ${printable(redactUri(url))}`,
    ...headerLines(req.headers),
    ...(body !== undefined ? [`  body: ${body}`] : []),
  ].join('\n');
}

async function readAll(body: unknown): Promise<Buffer | undefined> {
  if (!(body instanceof Readable)) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/**
 * With `--debug`, adds a middleware to the client that prints each signed request and the raw response (status,
 * headers, body) to the debug sink, secrets redacted. Each retry is printed as its own request. Without it, the
 * client is left as it is.
 */
export function instrumentClient<C>(client: C, service: string): C {
  const debug = current.debug;
  if (!debug) return client;
  const middleware =
    (
      next: (args: { request: unknown }) => Promise<{ response: unknown }>,
      context: { commandName?: string },
    ) =>
    async (args: { request: unknown }) => {
      const command = context.commandName?.replace(/Command$/, '') ?? '?';
      debug(describeRequest(service, command, args.request as HttpRequestLike));
      const started = performance.now();
      let out: { response: unknown };
      try {
        out = await next(args);
      } catch (e) {
        const err = e as { code?: string; name?: string; message?: string };
        debug(
          `s3doctor debug: no response ${service} ${command} after ${Math.round(performance.now() - started)} ms: ${printable(redactSecrets(`${err.code ?? err.name ?? 'Error'}: ${String(err.message ?? e).split('\n')[0]}`))}`,
        );
        throw e;
      }
      const res = out.response as HttpResponseLike;
      const buf = await readAll(res.body);
      if (buf) res.body = Readable.from(buf.length ? [buf] : []);
      const body = buf ? bodyText(buf) : undefined;
      debug(
        [
          `s3doctor debug: response ${service} ${command}: ${res.statusCode ?? '?'} after ${Math.round(performance.now() - started)} ms`,
          ...headerLines(res.headers),
          ...(body !== undefined ? [`  body: ${body}`] : []),
        ].join('\n'),
      );
      return out;
    };
  (client as unknown as StackClient).middlewareStack.add(middleware, {
    step: 'deserialize',
    priority: 'low',
    name: 's3doctorDebug',
  });
  return client;
}
