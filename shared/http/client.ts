import type { Readable } from 'node:stream';
import type * as Tls from 'node:tls';
import { UserError } from '../errors';
import type { NetworkSettings } from '../platform';
import { redactUrl } from '../redact';
import { parseRemoteBody } from '../remote-error';
import { backoffDelay, isRetryableStatus, retryAfterMs, type RetryPolicy, DEFAULT_RETRY } from './retry';
import {
  describeFailure,
  errorCode,
  formatDelay,
  isRetryableNetworkError,
  isTlsError,
  proxyConnectFailure,
} from './network-errors';
import { Transport, type Exchange } from './transport';
import { basicAuth } from '../util/basic-auth';
import { sleep } from '../util/clock';

export interface HttpOptions {
  /** PEM certificates to trust instead of Node's defaults (the system roots plus any extra CA; see loadTrust). */
  ca?: string[];
  /** Skip TLS verification (the caller warns; see loadTrust). */
  insecure?: boolean;
  /**
   * How the step changes this client's trust, in its own input names (e.g. "set ca-file to the PEM file of its CA, or
   * insecure to true (not recommended)"): a TLS verification failure says that instead of the generic advice, since
   * the client's trust is exactly what those inputs set (shared/harbor/inputs.ts openHarbor).
   */
  tlsFix?: string;
  /** Per-request limit of silence: no byte sent or received for this long ends the attempt. */
  timeoutMs?: number;
  /**
   * The step's whole time for remote work (its `timeout` input, named as the user spells it), counted from the client's
   * creation: every request and every retry wait fits inside it, so a silent server cannot stretch a step past it, and a
   * request still running when it ends (an upload the server reads a trickle at a time) is cut off there.
   */
  budget?: { ms: number; input: string };
  /** One line per retry, saying what the step waits for (shown in the log, not only in debug). */
  info?: (message: string) => void;
  /** Injected by tests: the clock the budget is counted on. */
  now?: () => number;
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
  /** Clean-up after the budget ran out (e.g. stopping what the step started): one short attempt outside the budget. */
  outsideBudget?: boolean;
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

/** The step's `timeout` ran out before or during a request. */
export class BudgetExceededError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

/** The per-request limit for clean-up calls made after the budget ran out. */
const OUTSIDE_BUDGET_MS = 10_000;

/**
 * The one HTTP layer for every remote call: TLS verification on by default, an extra CA file, an insecure switch that
 * warns, the runner's proxy (with NO_PROXY), per-request timeouts, retries only for what can succeed on retry, and
 * credentials redacted from everything it reports.
 */
export class HttpClient {
  /** Built on the first request: Node's HTTP modules are loaded then (a step stopped by its inputs never loads them). */
  private transport?: Transport;
  private readonly transportOptions: {
    tls: { ca?: string[]; rejectUnauthorized?: boolean };
    connectTimeoutMs: number;
    proxy?: { url: string; authorization?: string };
  };
  private readonly noProxy: string[];
  private readonly bypassPatterns: RegExp[];
  private readonly retryPolicy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  /** Keeps its settings only: no file is read and nothing is logged here (that happens where settings are parsed). */
  constructor(private readonly options: HttpOptions = {}) {
    const network = options.network ?? { noProxy: [], caFiles: [] };
    const tls: { ca?: string[]; rejectUnauthorized?: boolean } = {};
    if (options.ca) tls.ca = options.ca;
    if (options.insecure) tls.rejectUnauthorized = false;
    const timeout = options.timeoutMs ?? 60_000;
    this.transportOptions = { tls, connectTimeoutMs: Math.min(timeout, 30_000) };
    if (network.proxyUrl) {
      const authorization =
        network.proxyUsername !== undefined ? basicAuth(network.proxyUsername, network.proxyPassword) : undefined;
      this.transportOptions.proxy = { url: network.proxyUrl, authorization };
    }
    this.noProxy = network.noProxy.map((h) => h.trim().toLowerCase()).filter(Boolean);
    this.bypassPatterns = (network.bypassPatterns ?? []).map((p) => new RegExp(p, 'i'));
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? sleep;
    this.now = options.now ?? Date.now;
    this.deadline = options.budget ? this.now() + options.budget.ms : undefined;
  }

  private readonly now: () => number;
  private readonly deadline?: number;

  private connections(): Transport {
    this.transport ??= new Transport({
      ...this.transportOptions,
      tls: tlsConnectOptions(this.transportOptions.tls),
    });
    return this.transport;
  }

  /** Milliseconds left of the step's budget (Infinity without one). */
  remainingMs(): number {
    return this.deadline === undefined ? Infinity : Math.max(0, this.deadline - this.now());
  }

  /**
   * For waits of the client's callers (a pusher's backoff between upload attempts): refuses one that would end past the
   * budget with the budget's own message, instead of sleeping into a request that can no longer be made.
   */
  checkWait(delayMs: number, what: string): void {
    if (delayMs >= this.remainingMs()) throw this.budgetError(what);
  }

  /**
   * A hard stop at the end of the budget for one attempt: the per-request limits are silence limits (the transport
   * restarts them whenever a byte moves), so only this bounds a request that keeps trickling. `done` must be called
   * once the attempt's answer is read (or its stream closed).
   */
  private budgetSignal(method: string, safeUrl: string): { signal?: AbortSignal; done: () => void } {
    if (this.deadline === undefined) return { done: () => undefined };
    const controller = new AbortController();
    // The same words as a request cut by its per-request limit at the deadline: which timer fires first is a race.
    const timer = setTimeout(
      () => controller.abort(this.budgetError(`waiting for ${method} ${safeUrl}`)),
      this.remainingMs(),
    );
    // A request in flight keeps the process alive by its socket; the timer alone must not (an abandoned stream).
    timer.unref();
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  }

  private budgetError(what: string): BudgetExceededError {
    const budget = this.options.budget!;
    return new BudgetExceededError(
      `'${budget.input}' (${formatDelay(budget.ms)}) ran out ${what}; raise '${budget.input}' if the server is just slow`,
    );
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const safeUrl = redactUrl(req.url);
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? 'harbor-pipelines',
      ...req.headers,
    };
    let body: RequestBody | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    const attempts = req.retry === false || req.outsideBudget ? 1 : this.retryPolicy.attempts;
    const configured = req.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    const via = this.proxyFor(req.url);
    const url = new URL(req.url);
    const transport = this.connections();
    for (let attempt = 1; ; attempt++) {
      const remaining = req.outsideBudget ? OUTSIDE_BUDGET_MS : this.remainingMs();
      if (remaining <= 0) throw this.budgetError(`before ${req.method} ${safeUrl}`);
      const limit = Math.min(configured, remaining);
      const cut = req.outsideBudget ? { done: () => undefined } : this.budgetSignal(req.method, safeUrl);
      let res: Exchange;
      let buffer: Buffer | undefined;
      try {
        res = await transport.send({
          method: req.method,
          url,
          headers,
          body: typeof body === 'function' ? body() : body,
          timeoutMs: limit,
          signal: cut.signal,
          proxied: via !== undefined,
        });
        if (!req.stream && !(attempt < attempts && isRetryableStatus(res.status))) buffer = await readAll(res.body);
      } catch (error) {
        cut.done();
        if (error instanceof BudgetExceededError) throw error;
        const reason = describeFailure(error, req.url, via);
        if (limit < configured && this.remainingMs() <= 0 && !req.outsideBudget)
          throw this.budgetError(`waiting for ${req.method} ${safeUrl} (${reason})`);
        if (attempt < attempts && isRetryableNetworkError(error)) {
          await this.waitToRetry(
            req.method,
            safeUrl,
            reason,
            attempt,
            attempts,
            backoffDelay(attempt, this.retryPolicy),
          );
          continue;
        }
        const host = url.host;
        if (this.options.tlsFix && isTlsError(error)) {
          // The step's trust serves the proxy's own TLS too: name whichever certificate failed.
          const unreachable = proxyConnectFailure(error);
          const failed = unreachable ? `the proxy ${new URL(unreachable.proxyUrl).host}` : host;
          throw new NetworkError(
            `TLS verification of ${failed} failed (${errorCode(error)}); ${this.options.tlsFix}`,
            host,
            error,
          );
        }
        throw new NetworkError(`${req.method} ${safeUrl} failed: ${reason}`, host, error);
      }
      if (attempt < attempts && isRetryableStatus(res.status)) {
        await Transport.discard(res.body);
        cut.done();
        const hinted = retryAfterMs(res.headers['retry-after'], this.retryPolicy.maxRetryAfterMs);
        await this.waitToRetry(
          req.method,
          safeUrl,
          `answered ${res.status}`,
          attempt,
          attempts,
          hinted ?? backoffDelay(attempt, this.retryPolicy),
        );
        continue;
      }
      if (buffer === undefined) {
        // The budget keeps its hold on the stream until the caller has read it.
        res.body.once('close', cut.done);
        return makeResponse(res.status, res.headers, Buffer.alloc(0), req.url, res.body);
      }
      cut.done();
      return makeResponse(res.status, res.headers, buffer, req.url);
    }
  }

  /** The same client for clean-up after the budget ran out: each request gets one short attempt of its own. */
  forCleanup(): HttpClient {
    const view = Object.create(this) as HttpClient;
    view.request = (req: HttpRequest) => this.request({ ...req, outsideBudget: true });
    return view;
  }

  /** One log line per retry: what failed, which attempt comes next, and how long the step waits for it. */
  private async waitToRetry(
    method: string,
    safeUrl: string,
    reason: string,
    attempt: number,
    attempts: number,
    delay: number,
  ): Promise<void> {
    this.checkWait(
      delay,
      `while ${method} ${safeUrl} ${reason.startsWith('answered') ? reason : `failed (${reason})`}`,
    );
    const line = `${method} ${safeUrl} ${reason.startsWith('answered') ? reason : `failed: ${reason}`}; waiting ${formatDelay(delay)} for attempt ${attempt + 1} of ${attempts}`;
    (this.options.info ?? this.options.debug)?.(line);
    await this.sleep(delay);
  }

  /** Closes every connection; a request made after this is not sent (it fails as ERR_CLIENT_CLOSED). */
  async close(): Promise<void> {
    this.connections().close();
  }

  /** The proxy a request to url goes through, or undefined when it goes direct. */
  private proxyFor(url: string): string | undefined {
    if (!this.transportOptions.proxy) return undefined;
    if (this.bypassPatterns.some((pattern) => pattern.test(url))) return undefined;
    const { hostname, port } = new URL(url);
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const bypass = this.noProxy.some((entry) => {
      if (entry === '*') return true;
      const [name, entryPort] = entry.split(':');
      if (entryPort && entryPort !== port) return false;
      const suffix = name.startsWith('.') ? name : `.${name}`;
      return host === name.replace(/^\./, '') || host.endsWith(suffix);
    });
    return bypass ? undefined : this.options.network!.proxyUrl;
  }
}

/**
 * TLS options for every connection of a client. With a CA list (a CA file, the runner's CA files) Node would build a
 * secure context from it for each connection — parsing the ~140 system roots plus the extra CA again every time, some
 * 50 ms of CPU per connection, more than sending a 50 MiB layer. One context built here serves them all.
 */
export function tlsConnectOptions(tls: { ca?: string[]; rejectUnauthorized?: boolean }): Tls.ConnectionOptions {
  if (!tls.ca) return tls;
  const { ca, ...rest } = tls;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { ...rest, secureContext: (require('node:tls') as typeof Tls).createSecureContext({ ca }) };
}

/** A body read to its end; an error of the connection on the way is the request's (retried when it may be). */
async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/**
 * A streamed body read to its end when it holds at most `limit` bytes; undefined, and the stream destroyed, as soon as
 * it holds more (a body that never ends is not held in memory whole).
 */
export async function readAtMost(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      stream.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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

/**
 * An answer that is a web page, not an API's: a login page, a proxy's portal, a UI served at the API URL. Such servers
 * often say 200 to everything, so a status alone would read as success ("project exists", "already present").
 */
export function answeredHtml(res: HttpResponse): boolean {
  if (/\btext\/html\b/i.test(res.headers['content-type'] ?? '')) return true;
  const start = res.body.subarray(0, 64).toString('utf8').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

/** The remote code and message of an error answer as one short redacted string, for lines that quote it. */
export function remoteMessage(res: HttpResponse): string {
  const { code, message } = parseRemoteBody(res.body);
  return [code, message].filter(Boolean).join(': ');
}
