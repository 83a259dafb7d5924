import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeArm, FakeRegistry, FakeToken } from './fake-arm';
import { standInServer } from '../stand-in-server';
import { recordManifest, referrersOf } from './acr-referrers';

/**
 * ACR's data plane in front of a loopback CNCF Distribution registry (the storage): who may log in and what they may
 * do is decided from the fake ARM's state, as ACR decides it from its control plane. Written from Microsoft's docs, not
 * from the product:
 * - Token logins (container-registry-token-based-repository-permissions): the token name and either of its two
 *   passwords; a disabled token, an expired password or a password that has not replicated yet ("after you regenerate
 *   a token password it can take about 60 seconds to replicate") is refused.
 * - Token scope (same page): a scope map's `repositories/<repo>/<action>` grants content/read (pull), content/write
 *   (push), content/delete (metadata/read, listing tags, is checked as pull, the scope clients ask for); `samples/*` covers the repositories below samples/, `*` all of
 *   them. "Repository-scoped permissions do not support the ability to list the catalog."
 * - The Docker token flow ACR speaks (github.com/Azure/acr docs/AAD-OAuth.md): 401 with a Bearer challenge whose realm
 *   is `https://<login server>/oauth2/token`; GET /oauth2/token with Basic credentials; POST /oauth2/exchange trades a
 *   Microsoft Entra access token for an ACR refresh token, POST /oauth2/token trades that for an access token.
 * Basic credentials on /v2/ requests are accepted directly as well (ACR does for tokens and the admin user).
 */
export interface DataPlaneOptions {
  /** How long a freshly generated password is refused (ACR's replication, "about 60 seconds"); default 0. */
  replicationDelayMs?: number;
}

interface Grant {
  subject: string;
  /** Token logins are limited by their scope map; an Entra identity with a data role is not. */
  token?: FakeToken;
  scopes: Set<string>;
}

export class FakeAcrDataPlane {
  url = '';
  host = '';
  /** Logins refused because the password was fresh (not replicated yet). */
  freshRefusals = 0;
  /** Every login decision, for tests: `user: accepted|refused (why)`. */
  readonly logins: string[] = [];
  private readonly grants = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly server: http.Server;

  constructor(
    private readonly arm: FakeArm,
    private readonly registry: FakeRegistry,
    /** The storage registry, host:port, plain http. */
    private readonly storage: { host: string; username?: string; password?: string },
    private readonly options: DataPlaneOptions = {},
  ) {
    this.server = standInServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: error.message }] }));
      });
    });
  }

  replicationDelayMs = 0;

  /** Starts listening and makes the registry's login server this data plane (imports go to the storage directly). */
  async start(): Promise<this> {
    this.replicationDelayMs = this.options.replicationDelayMs ?? 0;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    this.registry.loginServer = this.host;
    this.registry.dataPlane = {
      host: this.storage.host,
      username: this.storage.username ?? '',
      password: this.storage.password ?? '',
    };
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Manifests (`<repository>@<digest>`) the registry no longer holds: see forget(). */
  private readonly forgotten = new Set<string>();

  /**
   * Makes the registry answer 404 MANIFEST_UNKNOWN for a manifest, as ACR does once a retention policy for untagged
   * manifests ("Set a retention policy for untagged manifests", Microsoft Learn) has deleted it — e.g. a child of an
   * index that lost its tag. For tests of clients that must notice a destination missing what they copied.
   */
  forget(repository: string, digest: string): void {
    this.forgotten.add(`${repository}@${digest}`);
  }

  /** A repository-scoped token with pull on every repository (a `_repositories_pull`-like scope map), for tools. */
  addReadToken(name: string, password: string): void {
    const old = new Date(0).toISOString();
    const registryId = `/subscriptions/${this.registry.subscriptionId}/resourceGroups/${this.registry.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${this.registry.name}`;
    this.registry.scopeMaps.set(`${name}-pull`, {
      name: `${name}-pull`,
      actions: ['repositories/*/content/read'],
      type: 'UserDefined',
      creationDate: old,
      provisioningState: 'Succeeded',
    });
    this.registry.tokens.set(name.toLowerCase(), {
      name,
      scopeMapId: `${registryId}/scopeMaps/${name}-pull`,
      status: 'enabled',
      passwords: [{ name: 'password1', value: password, creationTime: old }],
      creationDate: old,
      provisioningState: 'Succeeded',
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/oauth2/exchange' && req.method === 'POST') return this.exchange(await form(req), res);
    if (url.pathname === '/oauth2/token') {
      if (req.method === 'POST') return this.refreshGrant(await form(req), res);
      return this.basicGrant(req, url, res);
    }
    if (!url.pathname.startsWith('/v2/'))
      return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    const needed = neededScope(req.method ?? 'GET', url.pathname);
    const grant = this.authorize(req.headers.authorization, needed);
    if (!grant || (needed && !grant.scopes.has(needed))) {
      const challenge = `Bearer realm="${this.url}/oauth2/token",service="${this.host}"${needed ? `,scope="${needed}"` : ''}`;
      res.writeHead(401, {
        'www-authenticate': challenge,
        'content-type': 'application/json',
        'docker-distribution-api-version': 'registry/2.0',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      req.resume();
      return;
    }
    const byDigest = /^\/v2\/(.+?)\/manifests\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (byDigest && this.forgotten.has(`${byDigest[1]}@${byDigest[2]}`) && req.method !== 'PUT') {
      req.resume();
      return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    }
    const referrers = /^\/v2\/(.+?)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (referrers && req.method === 'GET') return this.referrers(referrers[1], referrers[2], url, res);
    const manifest = /^\/v2\/(.+?)\/manifests\/[^/]+$/.exec(url.pathname);
    if (manifest && req.method === 'PUT') return this.putManifest(manifest[1], req, res);
    this.forward(req, res);
  }

  /**
   * GET /v2/<name>/referrers/<digest> from the registry's referrers index (acr-referrers.ts), with the artifactType
   * filter ACR applies and says it applied (distribution-spec "Listing Referrers": OCI-Filters-Applied). 200 with an
   * empty index for a digest nothing refers to.
   */
  private referrers(repository: string, digest: string, url: URL, res: http.ServerResponse): void {
    const type = url.searchParams.get('artifactType');
    const manifests = referrersOf(this.registry, repository, digest).filter((e) => !type || e.artifactType === type);
    res.writeHead(200, {
      'content-type': 'application/vnd.oci.image.index.v1+json',
      ...(type ? { 'oci-filters-applied': 'artifactType' } : {}),
    });
    res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  }

  /** A manifest PUT is stored, then indexed when it has a subject, answered with OCI-Subject as the spec asks. */
  private async putManifest(repository: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const [hostname, port] = this.storage.host.split(':');
    const headers: http.OutgoingHttpHeaders = { ...req.headers, 'content-length': body.length };
    delete headers.authorization;
    if (this.storage.username)
      headers.authorization = `Basic ${Buffer.from(`${this.storage.username}:${this.storage.password ?? ''}`).toString('base64')}`;
    const upstream = http.request(
      { host: hostname, port: Number(port), method: 'PUT', path: req.url, headers },
      (answer) => {
        const extra: Record<string, string> = {};
        if (answer.statusCode === 201) {
          const subject = recordManifest(this.registry, repository, body);
          if (subject) extra['oci-subject'] = subject;
        }
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...extra });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(error.message);
    });
    upstream.end(body);
  }

  /** The grant behind an Authorization header: a Bearer token issued here, or Basic credentials checked on the spot. */
  private authorize(header: string | undefined, needed: string | undefined): Grant | undefined {
    const bearer = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (bearer) return this.grants.get(bearer);
    const basic = /^Basic (\S+)$/i.exec(header ?? '')?.[1];
    if (!basic) return undefined;
    const text = Buffer.from(basic, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const token = this.login(text.slice(0, colon), text.slice(colon + 1));
    if (!token) return undefined;
    return { subject: token.name, token, scopes: new Set(needed ? this.allowed(token, [needed]) : []) };
  }

  /** GET /oauth2/token with Basic credentials (docker login, Harbor's adapter, skopeo). */
  private basicGrant(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    req.resume();
    const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const text = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = text.indexOf(':');
    const token = colon > 0 ? this.login(text.slice(0, colon), text.slice(colon + 1)) : undefined;
    if (!token)
      return json(res, 401, {
        errors: [
          {
            code: 'UNAUTHORIZED',
            message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
          },
        ],
      });
    const requested = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    json(res, 200, {
      access_token: this.issue({ subject: token.name, token, scopes: new Set(this.allowed(token, requested)) }),
    });
  }

  /** POST /oauth2/exchange: an Entra access token (any the fake ARM accepts) for an ACR refresh token. */
  private exchange(body: URLSearchParams, res: http.ServerResponse): void {
    const aad = body.get('access_token') ?? '';
    if (body.get('grant_type') !== 'access_token' || body.get('service') !== this.host || !this.arm.acceptsToken(aad)) {
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid Entra access token or service' }] });
    }
    const refresh = randomBytes(16).toString('hex');
    this.refreshTokens.set(refresh, 'entra-identity');
    json(res, 200, { refresh_token: refresh });
  }

  /** POST /oauth2/token with grant_type=refresh_token: an access token for the requested scope. */
  private refreshGrant(body: URLSearchParams, res: http.ServerResponse): void {
    const subject = this.refreshTokens.get(body.get('refresh_token') ?? '');
    if (body.get('grant_type') !== 'refresh_token' || !subject || body.get('service') !== this.host) {
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }] });
    }
    // The identity's Azure role (Data Reader or above) covers reading every repository; pulls are what the product asks.
    const scopes = (body.get('scope') ?? '').split(' ').filter((s) => /^repository:[^:]+:pull$/.test(s));
    json(res, 200, { access_token: this.issue({ subject, scopes: new Set(scopes) }) });
  }

  private issue(grant: Grant): string {
    const access = randomBytes(16).toString('hex');
    this.grants.set(access, grant);
    return access;
  }

  /** The token for these credentials, or undefined (and why, in `logins`). */
  private login(username: string, password: string): FakeToken | undefined {
    const token = this.registry.tokens.get(username.toLowerCase());
    const refuse = (why: string) => {
      this.logins.push(`${username}: refused (${why})`);
      return undefined;
    };
    if (!token) return refuse('no such token');
    if (token.status !== 'enabled') return refuse('token disabled');
    const slot = token.passwords.find((p) => p.value === password);
    if (!slot) return refuse('wrong password');
    const now = this.arm.now();
    if (slot.expiry && Date.parse(slot.expiry) <= now) return refuse(`${slot.name} expired`);
    if (now - Date.parse(slot.creationTime) < this.replicationDelayMs) {
      this.freshRefusals++;
      return refuse(`${slot.name} not replicated yet`);
    }
    this.logins.push(`${username}: accepted (${slot.name})`);
    return token;
  }

  /** The requested `repository:<name>:<actions>` scopes this token's scope map allows (the catalog never). */
  private allowed(token: FakeToken, requested: string[]): string[] {
    const mapName = (token.scopeMapId ?? '').split('/').pop()?.toLowerCase() ?? '';
    const actions = this.registry.scopeMaps.get(mapName)?.actions ?? [];
    const granted: string[] = [];
    for (const scope of requested) {
      const match = /^repository:([^:]+):(.+)$/.exec(scope);
      if (!match) continue;
      const [, repository, wanted] = match;
      // Like Distribution's token servers, grant the actions that are allowed and leave out the rest.
      for (const verb of wanted.split(',')) {
        const needs =
          verb === 'pull'
            ? 'content/read'
            : verb === 'push'
              ? 'content/write'
              : verb === 'delete'
                ? 'content/delete'
                : undefined;
        if (needs && actions.some((a) => grants(a, repository, needs)))
          granted.push(`repository:${repository}:${verb}`);
      }
    }
    return granted;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { ...req.headers };
    delete headers.authorization;
    if (this.storage.username)
      headers.authorization = `Basic ${Buffer.from(`${this.storage.username}:${this.storage.password ?? ''}`).toString('base64')}`;
    // The storage builds absolute Location URLs from Host: keep ours so clients come back through the data plane.
    const [hostname, port] = this.storage.host.split(':');
    const upstream = http.request(
      { host: hostname, port: Number(port), method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(upstream);
  }
}

/** Does scope-map action `action` (repositories/<pattern>/<verb>) grant `verb` on `repository`? */
function grants(action: string, repository: string, verb: string): boolean {
  if (!action.toLowerCase().endsWith(`/${verb}`)) return false;
  const pattern = action.slice('repositories/'.length, -(verb.length + 1));
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return repository.startsWith(pattern.slice(0, -1));
  return pattern === repository;
}

/** The scope a /v2/ request needs, as the Docker token flow names it; undefined for the base endpoint. */
function neededScope(method: string, pathname: string): string | undefined {
  if (pathname === '/v2/' || pathname === '/v2') return undefined;
  if (pathname.startsWith('/v2/_catalog')) return 'registry:catalog:*';
  const match = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(pathname);
  if (!match) return 'registry:catalog:*';
  const [, repository, kind] = match;
  // Listing tags and referrers is metadata/read in ACR's terms; clients ask for it as pull, which is checked here.
  if (kind === 'tags' || kind === 'referrers') return `repository:${repository}:pull`;
  if (method === 'DELETE') return `repository:${repository}:delete`;
  return method === 'GET' || method === 'HEAD' ? `repository:${repository}:pull` : `repository:${repository}:push`;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function form(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
