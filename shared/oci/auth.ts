import { UserError } from '../errors';
import { answeredHtml, remoteMessage, type HttpClient, type HttpResponse } from '../http/client';
import { redactUrl } from '../redact';
import { RemoteError, parseRemoteBody } from '../remote-error';
import { basicAuth } from '../util/basic-auth';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export interface RegistryCredentials {
  username?: string;
  password?: string;
}

/**
 * Parses a WWW-Authenticate header (RFC 7235): `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
 * Prefers Bearer when a registry offers both.
 */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  // Each step reads either `name=value` / `name="quoted"` (a parameter) or a bare token (the next challenge's scheme).
  const step = /[\s,]*(?:([A-Za-z][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))|([A-Za-z][\w.-]*))/y;
  for (let m = step.exec(header); m && m[0] !== ''; m = step.exec(header)) {
    if (m[4]) {
      const scheme = m[4].toLowerCase();
      current = scheme === 'bearer' || scheme === 'basic' ? { scheme, params: {} } : undefined;
      if (current) challenges.push(current);
    } else if (current) {
      current.params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    }
  }
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}

interface TokenResponse {
  token?: string;
  access_token?: string;
}

/**
 * Registry authentication as the distribution spec and Harbor do it: ping `/v2/`, follow its challenge — Basic, or a
 * Bearer token from the token service for exactly the scopes the push needs (`repository:<repo>:pull,push` plus pull on
 * repositories to mount from). Credentials travel only in the Authorization header (robot names contain `$`).
 */
export class RegistryAuth {
  private authorization?: string;
  private challenge?: Challenge;
  private token?: string;

  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
    private readonly credentials: RegistryCredentials,
    private readonly scopes: string[],
    private readonly onSecret: (value: string) => void,
  ) {}

  get header(): string | undefined {
    return this.authorization;
  }

  get who(): string {
    return this.credentials.username ?? 'anonymous';
  }

  /** Pings the registry and obtains credentials up front, so the first blob request does not pay for a 401. */
  async login(): Promise<void> {
    const res = await this.http.request({ method: 'GET', url: `${this.baseUrl}/v2/` });
    if (answeredHtml(res)) {
      throw new UserError(
        `${redactUrl(this.baseUrl)} answered HTML, not the registry API (GET /v2/ ${res.status}): is this the registry URL (a proxy or a login page in between)?`,
      );
    }
    if (res.status === 200) return;
    if (res.status !== 401) {
      throw new UserError(
        `${this.baseUrl} is not an OCI registry: GET /v2/ answered ${res.status}${remoteMessage(res) ? ` (${remoteMessage(res)})` : ''}`,
      );
    }
    const challenge = parseChallenge(res.headers['www-authenticate']);
    if (!challenge)
      throw new UserError(`${this.baseUrl} asked for authentication without a usable WWW-Authenticate challenge`);
    await this.answer(challenge);
    if (challenge.scheme === 'basic') {
      // Basic is checked by the ping itself; a wrong password must fail here, before any blob is sent.
      const check = await this.http.request({
        method: 'GET',
        url: `${this.baseUrl}/v2/`,
        headers: { authorization: this.authorization! },
      });
      if (check.status === 401) throw this.authFailed(check);
    }
  }

  /**
   * Called when a request answered 401. Returns true when new credentials were obtained and the request should be
   * sent again (an expired token); false when it is final.
   */
  async refresh(res: HttpResponse): Promise<boolean> {
    const challenge = parseChallenge(res.headers['www-authenticate']);
    if (!challenge) return false;
    if (challenge.params.error === 'insufficient_scope') return false;
    if (challenge.scheme === 'basic' && this.authorization?.startsWith('Basic ')) return false;
    const before = this.authorization;
    await this.answer(challenge);
    return this.authorization !== before || challenge.scheme === 'bearer';
  }

  /** Actions the current token grants on `repository`, when the token is a JWT we can read; undefined otherwise. */
  grantedActions(repository: string): string[] | undefined {
    const access = this.claims()?.access;
    if (!Array.isArray(access)) return undefined;
    return access.filter((a) => a.type === 'repository' && a.name === repository).flatMap((a) => a.actions ?? []);
  }

  private claims(): { sub?: unknown; access?: { type?: string; name?: string; actions?: string[] }[] } | undefined {
    const payload = this.token?.split('.')[1];
    if (!payload) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ReturnType<RegistryAuth['claims']>;
    } catch {
      return undefined;
    }
  }

  /** The credentials were refused: wrong password, unknown user, expired robot. Never retried. */
  authFailed(res?: HttpResponse): RemoteError {
    const { code, message } = res ? parseRemoteBody(res.body) : {};
    return new RemoteError({
      service: 'Registry',
      operation: 'login',
      status: res?.status ?? 401,
      code,
      remoteMessage: message,
      account: this.credentials.username,
      endpoint: new URL(this.baseUrl).host,
      kind: 'credentials',
      advice: 'check the username and password (robot accounts: the full name, e.g. robot$project+name)',
    });
  }

  private async answer(challenge: Challenge): Promise<void> {
    this.challenge = challenge;
    const basic =
      this.credentials.username !== undefined
        ? basicAuth(this.credentials.username, this.credentials.password)
        : undefined;
    if (challenge.scheme === 'basic') {
      if (!basic)
        throw new RemoteError({
          service: 'Registry',
          operation: 'login',
          status: 401,
          endpoint: new URL(this.baseUrl).host,
          kind: 'credentials',
          advice: 'it requires a username and password',
        });
      this.authorization = basic;
      return;
    }
    const realm = challenge.params.realm;
    if (!realm) throw new UserError(`${this.baseUrl} sent a Bearer challenge without a realm`);
    const url = new URL(realm, this.baseUrl);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    const scopes = new Set(this.scopes);
    if (challenge.params.scope) for (const s of challenge.params.scope.split(' ')) scopes.add(s);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const res = await this.http.request({
      method: 'GET',
      url: url.toString(),
      headers: basic ? { authorization: basic } : {},
    });
    if (res.status === 401 || res.status === 403) throw this.authFailed(res);
    if (res.status !== 200) {
      const { code, message } = parseRemoteBody(res.body);
      throw new RemoteError({
        service: 'Token service',
        operation: `${url.origin}${url.pathname}`,
        status: res.status,
        code,
        remoteMessage: message,
        account: this.credentials.username,
      });
    }
    let body: TokenResponse;
    try {
      body = res.json<TokenResponse>();
    } catch {
      throw new UserError(`Token service ${url.origin}${url.pathname} did not answer JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new UserError(`Token service ${url.origin}${url.pathname} answered without a token`);
    this.onSecret(token);
    this.token = token;
    this.authorization = `Bearer ${token}`;
    // Harbor treats refused credentials as anonymous and still issues a token when scopes are asked, with an empty
    // subject (src/server/middleware/security/basic_auth.go, robot.go; src/core/service/token/creator.go). Credentials
    // were sent, yet the token names nobody: they were wrong — not a missing role.
    if (this.credentials.username !== undefined && this.claims()?.sub === '') throw this.authFailed();
  }

  get scheme(): Challenge['scheme'] | undefined {
    return this.challenge?.scheme;
  }
}
