import { createHash } from 'node:crypto';
import { basicAuth, request, SimpleResponse } from './net-utils';

// The emulator's own Distribution API client (reading repositories/tags/manifests, pinging remote registries).
// It speaks the token flow the way docker/skopeo do: 401 challenge -> realm with Basic credentials -> Bearer.

export interface RegistryEndpoint {
  url: string;
  username?: string;
  password?: string;
  ca?: string | Buffer;
  insecure?: boolean;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Manifest {
  digest: string;
  mediaType: string;
  raw: Buffer;
  json: any;
}

export class RegistryAuthError extends Error {}

function parseChallenge(header: string | undefined): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.split(' ');
  const params: Record<string, string> = {};
  for (const m of rest.join(' ').matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return { scheme: scheme.toLowerCase(), params };
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private basicOnly = false;

  constructor(readonly endpoint: RegistryEndpoint) {}

  private base(): string {
    return this.endpoint.url.replace(/\/+$/, '');
  }

  private async authorize(challenge: string | undefined, scope: string): Promise<string | undefined> {
    const c = parseChallenge(challenge);
    const { username, password } = this.endpoint;
    if (!c) return undefined;
    if (c.scheme === 'basic') {
      this.basicOnly = true;
      return username !== undefined ? basicAuth(username, password ?? '') : undefined;
    }
    const u = new URL(c.params.realm);
    if (c.params.service) u.searchParams.set('service', c.params.service);
    const wanted = c.params.scope ?? scope;
    if (wanted) u.searchParams.set('scope', wanted);
    const res = await request(u.toString(), {
      headers: username !== undefined ? { authorization: basicAuth(username, password ?? '') } : {},
      ca: this.endpoint.ca,
      insecure: this.endpoint.insecure,
    });
    if (res.status !== 200)
      throw new RegistryAuthError(`token service ${u.origin}${u.pathname} answered ${res.status}`);
    const body = res.json<{ token?: string; access_token?: string }>();
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryAuthError('token service returned no token');
    this.tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  /** One request with the challenge dance; `scope` names the access it needs. */
  async send(
    method: string,
    path: string,
    scope: string,
    headers: Record<string, string> = {},
  ): Promise<SimpleResponse> {
    const url = this.base() + path;
    const opts = { method, ca: this.endpoint.ca, insecure: this.endpoint.insecure };
    const cached = this.basicOnly
      ? this.endpoint.username !== undefined
        ? basicAuth(this.endpoint.username, this.endpoint.password ?? '')
        : undefined
      : this.tokens.has(scope)
        ? `Bearer ${this.tokens.get(scope)}`
        : undefined;
    let res = await request(url, { ...opts, headers: { ...headers, ...(cached ? { authorization: cached } : {}) } });
    if (res.status === 401) {
      const authorization = await this.authorize(res.headers['www-authenticate'] as string | undefined, scope);
      if (authorization) res = await request(url, { ...opts, headers: { ...headers, authorization } });
    }
    return res;
  }

  /** GET /v2/ with credentials: true when the registry accepts them (Harbor's registry health check). */
  async ping(): Promise<boolean> {
    const res = await this.send('GET', '/v2/', '');
    return res.status === 200;
  }

  async catalog(): Promise<string[]> {
    const names: string[] = [];
    let next: string | undefined = '/v2/_catalog?n=1000';
    while (next) {
      const res = await this.send('GET', next, 'registry:catalog:*');
      if (res.status !== 200) throw new Error(`catalog: ${res.status} ${res.text()}`);
      names.push(...(res.json<{ repositories: string[] | null }>().repositories ?? []));
      const link = res.headers.link as string | undefined;
      next = link ? /<([^>]+)>/.exec(link)?.[1] : undefined;
    }
    return names;
  }

  async tags(repository: string): Promise<string[]> {
    const res = await this.send('GET', `/v2/${repository}/tags/list`, `repository:${repository}:pull`);
    if (res.status === 404) return [];
    if (res.status !== 200) throw new Error(`tags of ${repository}: ${res.status} ${res.text()}`);
    return res.json<{ tags: string[] | null }>().tags ?? [];
  }

  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.send('GET', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, {
      accept: MANIFEST_ACCEPT,
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`manifest ${repository}:${reference}: ${res.status} ${res.text()}`);
    const digest =
      (res.headers['docker-content-digest'] as string) ??
      'sha256:' + createHash('sha256').update(res.body).digest('hex');
    const json = JSON.parse(res.body.toString('utf8'));
    return { digest, mediaType: json.mediaType ?? String(res.headers['content-type']), raw: res.body, json };
  }

  async deleteManifest(repository: string, digest: string): Promise<number> {
    const res = await this.send('DELETE', `/v2/${repository}/manifests/${digest}`, `repository:${repository}:delete`);
    return res.status;
  }
}
