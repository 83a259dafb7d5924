import { UserError } from '../errors';
import { remoteMessage, type HttpClient } from '../http/client';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Reads from an ACR's data plane with the step's Microsoft Entra sign-in, as `az acr repository show` does: the Entra
 * access token is exchanged for an ACR refresh token (POST /oauth2/exchange), that for an access token scoped to one
 * repository (POST /oauth2/token), which then reads the registry API (github.com/Azure/acr docs/AAD-OAuth.md).
 * The identity needs a data-plane read role; the import role ('Container Registry Data Importer and Data Reader')
 * includes it.
 */
export class AcrDataPlane {
  private readonly base: string;
  private refreshToken?: Promise<string>;
  /** Access tokens by scope: one per repository for the whole step (ACR's live far longer than a step's budget). */
  private readonly accessTokens = new Map<string, Promise<string>>();

  constructor(
    private readonly http: HttpClient,
    private readonly loginServer: string,
    private readonly entraToken: () => Promise<string>,
  ) {
    // Docker treats 127.0.0.0/8 registries as plain-HTTP by default ("insecure registries" in the dockerd docs); a real
    // login server is always https.
    this.base = `${/^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(loginServer) ? 'http' : 'https'}://${loginServer}`;
  }

  /** The digest `repository:tag` points at, or undefined when the tag does not exist. */
  async tagDigest(repository: string, tag: string): Promise<string | undefined> {
    const token = await this.accessToken(`repository:${repository}:pull`);
    const res = await this.http.request({
      method: 'HEAD',
      url: `${this.base}/v2/${repository}/manifests/${encodeURIComponent(tag)}`,
      headers: { authorization: `Bearer ${token}`, accept: MANIFEST_ACCEPT },
    });
    if (res.status === 404) return undefined;
    const digest = res.headers['docker-content-digest'];
    if (res.status !== 200 || !digest)
      throw new UserError(
        `Reading ${this.loginServer}/${repository}:${tag} answered ${res.status}${remoteMessage(res) ? `: ${remoteMessage(res)}` : ''}`,
      );
    return digest;
  }

  /** Whether the repository holds the manifest `digest` (HEAD by digest: a child of an index, an untagged referrer). */
  async hasManifest(repository: string, digest: string): Promise<boolean> {
    const token = await this.accessToken(`repository:${repository}:pull`);
    const res = await this.http.request({
      method: 'HEAD',
      url: `${this.base}/v2/${repository}/manifests/${digest}`,
      headers: { authorization: `Bearer ${token}`, accept: MANIFEST_ACCEPT },
    });
    if (res.status === 404) return false;
    if (res.status !== 200)
      throw new UserError(
        `Reading ${this.loginServer}/${repository}@${digest} answered ${res.status}${remoteMessage(res) ? `: ${remoteMessage(res)}` : ''}`,
      );
    return true;
  }

  private accessToken(scope: string): Promise<string> {
    let token = this.accessTokens.get(scope);
    if (!token) {
      token = this.newAccessToken(scope);
      // A refused exchange is not remembered: the next read tries again and reports its own answer.
      token.catch(() => this.accessTokens.delete(scope));
      this.accessTokens.set(scope, token);
    }
    return token;
  }

  private async newAccessToken(scope: string): Promise<string> {
    const refresh = await (this.refreshToken ??= this.exchange());
    const res = await this.http.request({
      method: 'POST',
      url: `${this.base}/oauth2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        service: this.loginServer,
        scope,
        refresh_token: refresh,
      }).toString(),
    });
    const token = res.status === 200 ? res.json<{ access_token?: string }>().access_token : undefined;
    if (!token)
      throw new UserError(
        `${this.loginServer} gave the step no access token for ${scope} (${res.status}); the identity needs a data-plane read role on the registry`,
      );
    return token;
  }

  private async exchange(): Promise<string> {
    const res = await this.http.request({
      method: 'POST',
      url: `${this.base}/oauth2/exchange`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'access_token',
        service: this.loginServer,
        access_token: await this.entraToken(),
      }).toString(),
    });
    const token = res.status === 200 ? res.json<{ refresh_token?: string }>().refresh_token : undefined;
    if (!token)
      throw new UserError(
        `${this.loginServer} refused to exchange the step's Azure sign-in for a registry token (${res.status})`,
      );
    return token;
  }
}
