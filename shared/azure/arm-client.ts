import { UserError } from '../errors';
import { BudgetExceededError, remoteMessage, type HttpClient, type HttpResponse } from '../http/client';
import { redactUrl } from '../redact';
import { clockWith, type Clock } from '../util/clock';
import { pollWithBackoff, type PollTurn } from '../util/poll';
import { resourceToScope, type TokenCredential } from './credentials';

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmClientOptions {
  /** Entra resource the ARM token is for; default the endpoint itself (ADO connections name it explicitly). */
  tokenResource?: string;
  /** How long a long-running operation may take before the step gives up. */
  operationTimeoutMs?: number;
  /** Injected by tests to skip the waits. */
  sleep?: (ms: number) => Promise<void>;
}

/** An ARM answer the caller did not expect, with Azure's error code kept for callers that branch on it. */
export class ArmError extends UserError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly azureMessage: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArmError';
  }

  /** ARM's authorization refusal: 403, or its codes for a missing role assignment (also on a linked resource). */
  get denied(): boolean {
    return this.status === 403 || this.code === 'AuthorizationFailed' || this.code === 'LinkedAuthorizationFailed';
  }

  /** The subscription or resource group in the resource's path does not exist. */
  get scopeMissing(): boolean {
    return this.code === 'ResourceGroupNotFound' || this.code === 'SubscriptionNotFound';
  }
}

/** A long-running operation outlived the timeout; it may still complete in Azure. */
export class ArmTimeoutError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ArmTimeoutError';
  }
}

interface CallOptions {
  apiVersion: string;
  json?: unknown;
  /** Statuses that are answers, not errors. */
  expected?: number[];
  /** Words for the error line, e.g. "create scope map pull-scope". */
  what: string;
}

const TERMINAL_FAILURE = new Set(['failed', 'canceled', 'cancelled']);
/** Poll interval when Azure sends no Retry-After (as @azure/core-lro); ACR operations take seconds. */
const DEFAULT_POLL_MS = 2000;

/**
 * A thin Azure Resource Manager client on the shared HTTP layer: bearer token from a TokenCredential, api-version on
 * every call, ARM error bodies turned into one line, and long-running operations followed through
 * Azure-AsyncOperation or Location to completion within a timeout.
 */
export class ArmClient {
  readonly endpoint: string;
  private readonly scope: string;
  private readonly clock: Clock;

  constructor(
    endpoint: string,
    readonly credential: TokenCredential,
    readonly http: HttpClient,
    private readonly options: ArmClientOptions = {},
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.scope = resourceToScope(options.tokenResource ?? this.endpoint);
    this.clock = clockWith({ sleep: options.sleep });
  }

  /** Fetches the first token, so a sign-in problem is reported before anything else happens. */
  async authenticate(): Promise<void> {
    await this.credential.getToken(this.scope);
  }

  /** A Microsoft Entra access token for ARM (ACR's data plane accepts it at /oauth2/exchange). */
  async accessToken(): Promise<string> {
    return (await this.credential.getToken(this.scope)).token;
  }

  /** One ARM request; any status outside `expected` (default 200) becomes an ArmError naming what failed. */
  async call(method: string, path: string, options: CallOptions): Promise<HttpResponse> {
    const res = await this.send(method, this.urlFor(path, options.apiVersion), options.json);
    if (!(options.expected ?? [200]).includes(res.status)) throw armError(res, options.what);
    return res;
  }

  /** GET that answers undefined for 404 instead of failing. */
  async getOptional<T>(path: string, options: Omit<CallOptions, 'expected' | 'json'>): Promise<T | undefined> {
    const res = await this.call('GET', path, { ...options, expected: [200, 404] });
    if (res.status === 404) return undefined;
    return res.json<T>();
  }

  /**
   * A long-running PUT/PATCH/POST/DELETE. `finalState` follows the spec's `final-state-via`: for `azure-async-operation`
   * the result is the resource itself (GET after the operation succeeds), for `location` it is what the Location URL
   * finally answers. Returns the final body, or undefined when there is none.
   */
  async longRunning<T>(
    method: string,
    path: string,
    options: CallOptions & { finalState: 'azure-async-operation' | 'location' },
  ): Promise<T | undefined> {
    const url = this.urlFor(path, options.apiVersion);
    const first = await this.send(method, url, options.json);
    if (![200, 201, 202, 204].includes(first.status)) throw armError(first, options.what);
    const asyncUrl = first.headers['azure-asyncoperation'];
    const locationUrl = first.headers.location;
    if (!asyncUrl && !locationUrl) {
      if (first.status === 202)
        throw new UserError(`Azure accepted ${options.what} but sent no operation URL to follow`);
      return bodyOf<T>(first);
    }
    // Never past the step's whole budget (the HTTP client's), so the operation's own timeout is the error reported.
    const deadline = Date.now() + Math.min(this.options.operationTimeoutMs ?? 10 * 60_000, this.http.remainingMs());
    const wait = retryAfter(first);
    if (asyncUrl) {
      await this.pollStatus(asyncUrl, options.what, deadline, wait);
      if (options.finalState === 'location' && locationUrl)
        return this.pollLocation<T>(locationUrl, options.what, deadline, 0);
      if (method === 'DELETE' || method === 'POST') return undefined;
      return bodyOf<T>(await this.call('GET', path, { apiVersion: options.apiVersion, what: options.what }));
    }
    return this.pollLocation<T>(locationUrl!, options.what, deadline, wait);
  }

  private async pollStatus(
    statusUrl: string,
    what: string,
    deadline: number,
    firstWait: number | undefined,
  ): Promise<void> {
    await this.poll(deadline, firstWait, what, async (turn) => {
      const res = await this.send('GET', this.sameOrigin(statusUrl, what));
      if (res.status !== 200) throw armError(res, `${what} (operation status)`);
      const body = res.json<{ status?: string; error?: { code?: string; message?: string } }>();
      const status = (body.status ?? '').toLowerCase();
      if (status === 'succeeded') return true;
      if (TERMINAL_FAILURE.has(status)) {
        const detail = [body.error?.code, body.error?.message].filter(Boolean).join(': ');
        throw new ArmError(
          res.status,
          body.error?.code,
          body.error?.message ?? '',
          `Azure operation ${what} ${status === 'failed' ? 'failed' : 'was canceled'}${detail ? `: ${detail}` : ''}`,
        );
      }
      turn.waitNext(retryAfter(res));
      return undefined;
    });
  }

  private async pollLocation<T>(
    locationUrl: string,
    what: string,
    deadline: number,
    firstWait: number | undefined,
  ): Promise<T | undefined> {
    let pollUrl = locationUrl;
    const { body } = await this.poll(deadline, firstWait, what, async (turn) => {
      const res = await this.send('GET', this.sameOrigin(pollUrl, what));
      if (res.status === 202) {
        turn.waitNext(retryAfter(res));
        // Azure may move the operation along; the latest Location is the one to follow (as the Azure SDKs do).
        pollUrl = res.headers.location ?? pollUrl;
        return undefined;
      }
      if (res.status === 200 || res.status === 201 || res.status === 204) return { body: bodyOf<T>(res) };
      throw armError(res, what);
    });
    return body;
  }

  /** Polls an operation at the pace Azure asks for (Retry-After; 0 means at once) until `deadline`. */
  private poll<R>(
    deadline: number,
    firstWait: number | undefined,
    what: string,
    attempt: (turn: PollTurn) => Promise<R | undefined>,
  ): Promise<R> {
    const timedOut = (): never => {
      const minutes = Math.round((this.options.operationTimeoutMs ?? 600_000) / 60_000);
      throw new ArmTimeoutError(
        `Azure operation ${what} did not finish within ${minutes >= 1 ? `${minutes} min` : `${this.options.operationTimeoutMs} ms`}; it may still complete in Azure — re-run the step, or raise the timeout`,
      );
    };
    return pollWithBackoff(
      {
        timeoutMs: deadline - Date.now(),
        initialDelayMs: DEFAULT_POLL_MS,
        startDelayMs: firstWait ?? DEFAULT_POLL_MS,
        clock: this.clock,
        atDeadline: 'last-poll',
        // When the step's budget is what bounds the operation, its last poll lands on that budget's end: the answer
        // is still that the operation did not finish, not which status request was cut off.
        cutOff: (error) => error instanceof BudgetExceededError,
      },
      attempt,
      timedOut,
    );
  }

  /** Operation URLs come from response headers; the bearer token only ever goes back to the ARM endpoint. */
  private sameOrigin(url: string, what: string): string {
    if (new URL(url).origin !== new URL(this.endpoint).origin) {
      throw new UserError(
        `Azure sent an operation URL for ${what} outside ${this.endpoint} (${redactUrl(url)}); refusing to send the token there`,
      );
    }
    return url;
  }

  private urlFor(path: string, apiVersion: string): string {
    const url = new URL(this.endpoint + path);
    url.searchParams.set('api-version', apiVersion);
    return url.toString();
  }

  private async send(method: string, url: string, json?: unknown): Promise<HttpResponse> {
    // PUT, PATCH and DELETE are idempotent in ARM and go through the HTTP layer's retry policy. A POST
    // (generateCredentials, importImage) is not: a lost answer must not mint a second password behind the user's back.
    // A 429, though, means ARM's throttling refused the request before the provider saw it
    // (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling), so a POST is retried
    // on 429 only, after the Retry-After ARM sends.
    const attempts = method === 'POST' ? POST_THROTTLE_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt++) {
      const { token } = await this.credential.getToken(this.scope);
      const res = await this.http.request({
        method,
        url,
        json,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        retry: method !== 'POST',
      });
      if (res.status !== 429 || attempt >= attempts) return res;
      await this.clock.sleep(retryAfter(res) ?? Math.min(THROTTLE_FALLBACK_MS * 2 ** (attempt - 1), 60_000));
    }
  }
}

/** Tries of a POST that ARM throttles (429) before the step reports the throttling. */
const POST_THROTTLE_ATTEMPTS = 6;
/** Wait after a 429 without Retry-After (ARM always sends one; this is only the fallback). */
const THROTTLE_FALLBACK_MS = 5_000;

function bodyOf<T>(res: HttpResponse): T | undefined {
  return res.body.length > 0 ? res.json<T>() : undefined;
}

/** Retry-After in ms (seconds in ARM), or undefined. */
function retryAfter(res: HttpResponse): number | undefined {
  const value = res.headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

/** ARM's `{"error":{"code","message"}}` as an ArmError; callers map codes to advice. */
export function armError(res: HttpResponse, what: string): ArmError {
  let code: string | undefined;
  let message: string;
  try {
    const body = res.json<{ error?: { code?: string; message?: string } }>();
    code = body.error?.code;
    message = body.error?.message ?? '';
  } catch {
    message = remoteMessage(res);
  }
  const detail = [code, message].filter(Boolean).join(': ') || remoteMessage(res);
  return new ArmError(
    res.status,
    code,
    message,
    `Azure ${what} failed with ${res.status}${detail ? `: ${detail}` : ''}`,
  );
}
