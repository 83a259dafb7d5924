import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { UserError } from '../errors';
import type { NetworkSettings } from '../platform';
import { redactUrl } from '../redact';
import { parseRemoteBody } from '../remote-error';
import { backoffDelay, isRetryableStatus, retryAfterMs, type RetryPolicy, DEFAULT_RETRY } from './retry';
import { describeNetworkError, isRetryableNetworkError } from './network-errors';
import { undici } from './undici';

export interface HttpOptions {
  /** PEM certificates to trust instead of Node's defaults (the system roots plus any extra CA; see loadTrust). */
  ca?: string[];
  /** Skip TLS verification (the caller warns; see loadTrust). */
  insecure?: boolean;
  /** Per-request timeout for headers and for body inactivity. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  network?: NetworkSettings;
  userAgent?: string;
  debug?: (message: string) => void;
  /** Injected by tests to observe or skip the backoff. */
  sleep?: (ms: number) => Promise<void>;
}

/** A body, or a factory for one that is streamed (so a retry can start it again): a stream or chunks (see fileChunks). */
export type RequestBody = string | Buffer | (() => Readable | AsyncIterable<Buffer>);

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A factory for streamed bodies, so a retry can start the body again. */
  body?: RequestBody;
  /** Serialised as JSON with the matching content type. */
  json?: unknown;
  timeoutMs?: number;
  /** false for requests that must not be sent twice (default true). */
  retry?: boolean;
  /** Return the body as a stream instead of buffering it. */
  stream?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  stream?: Readable;
  url: string;
  text(): string;
  json<T = unknown>(): T;
}

/** No answer at all (DNS, connect, TLS, reset, timeout): the host it was for and the low-level cause, for callers to branch on. */
export class NetworkError extends UserError {
  constructor(
    message: string,
    readonly host: string,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'NetworkError';
  }
}

/**
 * The one HTTP layer for every remote call: TLS verification on by default, an extra CA file, an insecure switch that
 * warns, the runner's proxy (with NO_PROXY), per-request timeouts, retries only for what can succeed on retry, and
 * credentials redacted from everything it reports.
 */
export class HttpClient {
  private readonly direct: Dispatcher;
  private readonly proxied?: Dispatcher;
  private readonly noProxy: string[];
  private readonly bypassPatterns: RegExp[];
  private readonly retryPolicy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  /** Builds agents only: no file is read and nothing is logged here (that happens where settings are parsed). */
  constructor(private readonly options: HttpOptions = {}) {
    const network = options.network ?? { noProxy: [], caFiles: [] };
    const tls: { ca?: string[]; rejectUnauthorized?: boolean } = {};
    if (options.ca) tls.ca = options.ca;
    if (options.insecure) tls.rejectUnauthorized = false;
    const timeout = options.timeoutMs ?? 60_000;
    const { Agent, ProxyAgent } = undici();
    this.direct = new Agent({ connect: { ...tls, timeout: Math.min(timeout, 30_000) } });
    if (network.proxyUrl) {
      const token =
        network.proxyUsername !== undefined
          ? `Basic ${Buffer.from(`${network.proxyUsername}:${network.proxyPassword ?? ''}`).toString('base64')}`
          : undefined;
      this.proxied = new ProxyAgent({ uri: network.proxyUrl, token, requestTls: tls, proxyTls: tls });
    }
    this.noProxy = network.noProxy.map((h) => h.trim().toLowerCase()).filter(Boolean);
    this.bypassPatterns = (network.bypassPatterns ?? []).map((p) => new RegExp(p, 'i'));
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const safeUrl = redactUrl(req.url);
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'harbor-pipelines', ...req.headers };
    let body: RequestBody | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    const attempts = req.retry === false ? 1 : this.retryPolicy.attempts;
    for (let attempt = 1; ; attempt++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await undici().request(this.dispatcherFor(req.url), req.url, {
          method: req.method as Dispatcher.HttpMethod,
          headers,
          // undici documents (async) iterables as bodies; its type declarations list only streams.
          body: (typeof body === 'function' ? body() : body) as Dispatcher.RequestOptions['body'],
          headersTimeout: req.timeoutMs ?? this.options.timeoutMs ?? 60_000,
          bodyTimeout: req.timeoutMs ?? this.options.timeoutMs ?? 60_000,
        });
      } catch (error) {
        if (attempt < attempts && isRetryableNetworkError(error)) {
          const delay = backoffDelay(attempt, this.retryPolicy);
          this.options.debug?.(`${req.method} ${safeUrl}: ${describeNetworkError(error, req.url)}; retry ${attempt} in ${delay} ms`);
          await this.sleep(delay);
          continue;
        }
        throw new NetworkError(`${req.method} ${safeUrl} failed: ${describeNetworkError(error, req.url)}`, new URL(req.url).host, error);
      }
      const responseHeaders = flattenHeaders(res.headers);
      if (attempt < attempts && isRetryableStatus(res.statusCode)) {
        await res.body.dump().catch(() => undefined);
        const hinted = retryAfterMs(responseHeaders['retry-after'], this.retryPolicy.maxRetryAfterMs);
        const delay = hinted ?? backoffDelay(attempt, this.retryPolicy);
        this.options.debug?.(`${req.method} ${safeUrl} answered ${res.statusCode}; retry ${attempt} in ${delay} ms`);
        await this.sleep(delay);
        continue;
      }
      if (req.stream) {
        return makeResponse(res.statusCode, responseHeaders, Buffer.alloc(0), req.url, res.body);
      }
      const buffer = Buffer.from(await res.body.arrayBuffer());
      return makeResponse(res.statusCode, responseHeaders, buffer, req.url);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), this.proxied?.close()]);
  }

  private dispatcherFor(url: string): Dispatcher {
    if (!this.proxied) return this.direct;
    if (this.bypassPatterns.some((pattern) => pattern.test(url))) return this.direct;
    const { hostname, port } = new URL(url);
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const bypass = this.noProxy.some((entry) => {
      if (entry === '*') return true;
      const [name, entryPort] = entry.split(':');
      if (entryPort && entryPort !== port) return false;
      const suffix = name.startsWith('.') ? name : `.${name}`;
      return host === name.replace(/^\./, '') || host.endsWith(suffix);
    });
    return bypass ? this.direct : this.proxied;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function makeResponse(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  url: string,
  stream?: Readable,
): HttpResponse {
  return {
    status,
    headers,
    body,
    stream,
    url,
    text: () => body.toString('utf8'),
    json: <T>() => JSON.parse(body.toString('utf8')) as T,
  };
}

/** The remote code and message of an error answer as one short redacted string, for lines that quote it. */
export function remoteMessage(res: HttpResponse): string {
  const { code, message } = parseRemoteBody(res.body);
  return [code, message].filter(Boolean).join(': ');
}
