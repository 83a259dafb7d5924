import { UserError } from '../errors';
import { answeredHtml, HttpClient, type HttpResponse } from '../http/client';
import { redactUrl } from '../redact';
import { RemoteError, remoteErrorFrom } from '../remote-error';
import { basicAuth } from '../util/basic-auth';

export interface HarborCredentials {
  username?: string;
  password?: string;
}

/** Harbor caps page_size at 100 (swagger: `maximum: 100`). */
const PAGE_SIZE = 100;

/**
 * The Harbor API v2.0 client core: basic auth (robot accounts included — their names contain `$`, so credentials go in
 * the Authorization header, never in the URL), JSON, pagination, and Harbor's error answers turned into one-line
 * messages. Feature modules (projects, artifacts and scans, registries, replication) build on `call` and `list`.
 */
export class HarborClient {
  readonly apiBase: string;
  private readonly authorization?: string;

  constructor(
    readonly url: string,
    private readonly credentials: HarborCredentials,
    readonly http: HttpClient,
  ) {
    this.url = url.replace(/\/+$/, '');
    this.apiBase = `${this.url}/api/v2.0`;
    if (credentials.username !== undefined) {
      this.authorization = basicAuth(credentials.username, credentials.password);
    }
  }

  /** The same Harbor over the HTTP layer's clean-up client: one short attempt even after the step's budget ran out. */
  forCleanup(): HarborClient {
    return new HarborClient(this.url, this.credentials, this.http.forCleanup());
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
    if (!expected.includes(res.status)) throw this.errorFor(res, method, url.toString(), options.what);
    return res;
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

/** Repository names containing `/` must be URL-encoded twice in Harbor paths (swagger: repository_name). */
export function encodeRepository(name: string): string {
  return encodeURIComponent(encodeURIComponent(name));
}
