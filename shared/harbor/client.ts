import { UserError } from '../errors';
import { answeredHtml, BudgetExceededError, HttpClient, NetworkError, type HttpResponse } from '../http/client';
import { redactUrl } from '../redact';
import { RemoteError, remoteErrorFrom } from '../remote-error';
import { basicAuth } from '../util/basic-auth';

export interface HarborCredentials {
  username?: string;
  password?: string;
}

/** Harbor caps page_size at 100 (swagger: `maximum: 100`). */
const PAGE_SIZE = 100;

/** Harbor's auth mode and whether the client's credentials made an authenticated caller of GET /systeminfo. */
interface AuthProbe {
  authMode?: string;
  authenticated: boolean;
}

/**
 * The Harbor API v2.0 client core: basic auth (robot accounts included — their names contain `$`, so credentials go in
 * the Authorization header, never in the URL), JSON, pagination, and Harbor's error answers turned into one-line
 * messages. Feature modules (projects, artifacts and scans, registries, replication) build on `call` and `list`.
 */
export class HarborClient {
  readonly apiBase: string;
  private readonly authorization?: string;
  private authProbe?: Promise<AuthProbe | undefined>;

  /**
   * @param account who the account must be for the step (its docs' sentence with the permissions), named when Harbor
   * refuses a credential the step cannot work with (see `explainRefusal`).
   */
  constructor(
    readonly url: string,
    private readonly credentials: HarborCredentials,
    readonly http: HttpClient,
    readonly account?: string,
  ) {
    this.url = url.replace(/\/+$/, '');
    this.apiBase = `${this.url}/api/v2.0`;
    if (credentials.username !== undefined) {
      this.authorization = basicAuth(credentials.username, credentials.password);
    }
  }

  /** The same Harbor over the HTTP layer's clean-up client: one short attempt even after the step's budget ran out. */
  forCleanup(): HarborClient {
    return new HarborClient(this.url, this.credentials, this.http.forCleanup(), this.account);
  }

  get username(): string | undefined {
    return this.credentials.username;
  }

  /** Host (and port) as used in image references. */
  get registryHost(): string {
    return new URL(this.url).host;
  }

  /**
   * One API call. `expected` lists the statuses that are not errors; anything else becomes a RemoteError naming the
   * operation, the status and Harbor's own code and message.
   */
  async call(
    method: string,
    path: string,
    options: {
      query?: Record<string, string | number | boolean | undefined>;
      json?: unknown;
      headers?: Record<string, string>;
      expected?: number[];
      retry?: boolean;
      what?: string;
    } = {},
  ): Promise<HttpResponse> {
    const url = new URL(this.apiBase + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.authorization) headers.authorization = this.authorization;
    const res = await this.http.request({
      method,
      url: url.toString(),
      headers,
      json: options.json,
      retry: options.retry,
    });
    if (answeredHtml(res)) {
      throw new UserError(
        `Harbor at ${redactUrl(this.url)} answered HTML, not JSON (${method} ${url.pathname}): is this the API URL (a proxy or a login page in between)?`,
      );
    }
    const expected = options.expected ?? [200, 201, 202];
    if (!expected.includes(res.status)) {
      const error = this.errorFor(res, method, url.toString(), options.what);
      throw res.status === 401 ? await this.explainRefusal(error) : error;
    }
    return res;
  }

  /**
   * A 401 to a caller that sent credentials, when Harbor runs in OIDC mode. Harbor makes an OIDC user's CLI secret a
   * security context only on a whitelist (the token service, /v2/, POST /projects, GET /projects, /systeminfo,
   * /api/version, /labels, repository and artifact lists, tag deletion: src/server/middleware/security/oidc_cli.go
   * valid); elsewhere the request runs as anonymous and the API answers 401. Robot secrets (security/robot.go) and
   * password logins (security/basic_auth.go; in OIDC mode only the admin's, src/core/auth/authenticator.go Login) count
   * on every path. So when these credentials do authenticate on GET /systeminfo — whitelisted; only an authenticated
   * caller gets the protected fields such as `harbor_version` (src/server/v2.0/handler/systeminfo.go GetSystemInfo,
   * convertInfo; src/controller/systeminfo/controller.go GetInfo) — and Harbor's `auth_mode` (shown to every caller) is
   * `oidc_auth`, the refused credential is a user's CLI secret on a path outside the whitelist: the step needs a robot
   * account. Decided from status, auth mode and how Harbor treated the credential, never from message text or the name.
   */
  private async explainRefusal(error: RemoteError): Promise<RemoteError> {
    if (!this.authorization) return error;
    const probe = await (this.authProbe ??= this.probeAuth());
    if (probe?.authMode !== 'oidc_auth' || !probe.authenticated) return error;
    const who = this.credentials.username ? `${this.credentials.username}'s` : "a user's";
    return error.with({
      advice:
        `Harbor is in OIDC mode, where ${who} CLI secret works only for the registry and a few API calls (not ${error.operation}); ` +
        `use a robot account for this step${this.account ? ` (what the step's account needs: ${this.account.replace(/\.$/, '')})` : ''}`,
    });
  }

  private async probeAuth(): Promise<AuthProbe | undefined> {
    try {
      const res = await this.http.request({
        method: 'GET',
        url: `${this.apiBase}/systeminfo`,
        headers: { accept: 'application/json', authorization: this.authorization! },
        // One attempt: without an answer the refusal stands as Harbor gave it.
        retry: false,
      });
      if (res.status !== 200 || answeredHtml(res)) return undefined;
      const info = res.json<{ auth_mode?: unknown; harbor_version?: unknown }>();
      return {
        authMode: typeof info?.auth_mode === 'string' ? info.auth_mode : undefined,
        authenticated: typeof info?.harbor_version === 'string',
      };
    } catch {
      // No answer to the probe: the refusal stands as Harbor gave it.
      return undefined;
    }
  }

  /**
   * `harbor_version` from GET /systeminfo, which Harbor shows only to an authenticated caller (robots included:
   * src/server/v2.0/handler/systeminfo.go GetSystemInfo sets WithProtectedInfo for any sc.IsAuthenticated()).
   * Undefined when it is not shown or the API does not answer as Harbor (a plain registry, a proxy): callers decide
   * what is safe without it; a real refusal of the credentials surfaces at the next request that needs them.
   */
  async harborVersion(): Promise<string | undefined> {
    try {
      const info = await this.json<{ harbor_version?: unknown } | undefined>('GET', '/systeminfo', {
        what: "reading Harbor's version",
      });
      return typeof info?.harbor_version === 'string' ? info.harbor_version : undefined;
    } catch (error) {
      // A refusal, an HTML page or a body that is not JSON: no version. No answer at all is the step's failure.
      if (error instanceof RemoteError || error instanceof SyntaxError) return undefined;
      if (error instanceof UserError && !(error instanceof NetworkError) && !(error instanceof BudgetExceededError)) {
        return undefined;
      }
      throw error;
    }
  }

  async json<T>(method: string, path: string, options: Parameters<HarborClient['call']>[2] = {}): Promise<T> {
    const res = await this.call(method, path, options);
    return (res.body.length > 0 ? res.json<T>() : undefined) as T;
  }

  /** Every item of a paginated list, following pages until a short page (X-Total-Count when present). */
  async list<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    what?: string,
  ): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call('GET', path, { query: { ...query, page, page_size: PAGE_SIZE }, what });
      const batch = res.json<T[]>() ?? [];
      items.push(...batch);
      const total = Number(res.headers['x-total-count']);
      if (batch.length < PAGE_SIZE || (Number.isFinite(total) && items.length >= total)) return items;
    }
  }

  /** Harbor's answer as a RemoteError; the kind follows from status and Harbor's error code (src/lib/http/error.go). */
  errorFor(res: HttpResponse, method: string, url: string, what?: string): RemoteError {
    const operation = what ?? `${method} ${new URL(url).pathname.replace(/^\/api\/v2\.0/, '')}`;
    return remoteErrorFrom(res, {
      service: 'Harbor',
      operation,
      account: this.credentials.username,
      endpoint: this.url,
    });
  }
}

/**
 * The `q` query that selects `key` equal to `value`, or undefined when Harbor's q cannot say it (the caller then
 * lists everything and picks the exact match itself). Harbor unescapes q once more after the framework decoded it,
 * splits it at every comma with no escape for one, reads a value starting with `~ [ { (` as a pattern and drops one
 * leading `\` from an exact value (src/lib/q/builder.go parseKeywords, parsePattern, escapeValue): so `%` and `+` are
 * escaped to survive the second unescape, a leading special character gets a `\`, and a value with a comma (or an
 * empty one) has no query. Registry endpoint and replication policy names are free text in Harbor.
 */
export function exactQuery(key: string, value: string): string | undefined {
  if (value === '' || value.includes(',')) return undefined;
  const escaped = value.replace(/[%+]/g, (c) => encodeURIComponent(c));
  return `${key}=${/^[~[{(\\]/.test(escaped) ? '\\' : ''}${escaped}`;
}

/** Repository names containing `/` must be URL-encoded twice in Harbor paths (swagger: repository_name). */
export function encodeRepository(name: string): string {
  return encodeURIComponent(encodeURIComponent(name));
}
