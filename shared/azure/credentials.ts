import { createPrivateKey, createSign, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { UserError } from '../errors';
import { remoteMessage, type HttpClient } from '../http/client';
import type { Platform } from '../platform';

/** A bearer token and when it stops being valid (epoch ms). */
export interface AccessToken {
  token: string;
  expiresOnMs: number;
}

/** Something that can hand out Entra access tokens for a scope (`https://management.azure.com/.default`). */
export interface TokenCredential {
  /** How the step authenticates, for the log (never contains a secret). */
  readonly description: string;
  getToken(scope: string): Promise<AccessToken>;
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The audience Entra expects in federated (OIDC) assertions. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/** Renew a little before expiry so a token never dies in the middle of a long-running operation. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** Caches a token per scope until shortly before it expires. */
abstract class CachingCredential implements TokenCredential {
  abstract readonly description: string;
  private readonly cache = new Map<string, AccessToken>();

  async getToken(scope: string): Promise<AccessToken> {
    const cached = this.cache.get(scope);
    if (cached && cached.expiresOnMs - EXPIRY_MARGIN_MS > Date.now()) return cached;
    const fresh = await this.fetchToken(scope);
    this.cache.set(scope, fresh);
    return fresh;
  }

  protected abstract fetchToken(scope: string): Promise<AccessToken>;
}

/**
 * The Azure CLI's signed-in account (what `azure/login` leaves behind on GitHub). The token comes from
 * `az account get-access-token`: its output is captured silently and the token masked before anything else happens.
 */
export class AzureCliCredential extends CachingCredential {
  readonly description = 'Azure CLI credential (az account get-access-token)';
  /** The CLI's current subscription, known after the first token. */
  subscriptionId?: string;

  /** `names`: the OIDC inputs as the user spells them, for the advice in errors (this credential is GitHub's only). */
  constructor(
    private readonly platform: Platform,
    private readonly names: { clientId: string; tenantId: string } = { clientId: 'client-id', tenantId: 'tenant-id' },
  ) {
    super();
  }

  protected async fetchToken(scope: string): Promise<AccessToken> {
    const az = await this.platform.which('az');
    if (!az)
      throw new UserError(
        `Azure CLI (az) not found on PATH: run azure/login first, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`,
      );
    const args = ['account', 'get-access-token', '--resource', scopeToResource(scope), '--output', 'json'];
    const result = await this.platform.exec(az, args, { silent: true, ignoreReturnCode: true });
    let parsed: { accessToken?: string; expires_on?: number; expiresOn?: string; subscription?: string } | undefined;
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      parsed = undefined;
    }
    if (parsed?.accessToken) this.platform.setSecret(parsed.accessToken);
    if (result.code !== 0 || !parsed?.accessToken) {
      const reason = result.stderr
        .split(/\r?\n/)
        .find((l) => l.trim() !== '')
        ?.replace(/^ERROR:\s*/, '')
        .trim();
      throw new UserError(
        `Azure CLI could not get an access token${reason ? `: ${reason}` : ''}; run azure/login before this step, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`,
      );
    }
    this.subscriptionId = parsed.subscription;
    const expiresOnMs = parsed.expires_on
      ? parsed.expires_on * 1000
      : parsed.expiresOn
        ? Date.parse(parsed.expiresOn)
        : Date.now() + 60 * 60_000;
    return { token: parsed.accessToken, expiresOnMs };
  }
}

/** Where Azure's instance metadata service answers; @azure/identity honours the same override for pod identity. */
function imdsHost(env: NodeJS.ProcessEnv = process.env): string {
  return (env.AZURE_POD_IDENTITY_AUTHORITY_HOST || 'http://169.254.169.254').replace(/\/+$/, '');
}

/**
 * The managed identity of the VM the agent runs on (the ADO AzureRM "ManagedServiceIdentity" scheme), from the
 * instance metadata service. `http` must not use a proxy: the service only answers on the link-local address.
 */
export class ManagedIdentityCredential extends CachingCredential {
  readonly description = 'managed identity of the agent machine';

  constructor(
    private readonly http: HttpClient,
    private readonly platform: Platform,
    private readonly host = imdsHost(),
  ) {
    super();
  }

  protected async fetchToken(scope: string): Promise<AccessToken> {
    const url = new URL(`${this.host}/metadata/identity/oauth2/token`);
    url.searchParams.set('api-version', '2018-02-01');
    url.searchParams.set('resource', scopeToResource(scope));
    let res;
    try {
      res = await this.http.request({
        method: 'GET',
        url: url.toString(),
        headers: { metadata: 'true', accept: 'application/json' },
        timeoutMs: 10_000,
      });
    } catch (error) {
      throw new UserError(
        `No managed identity on this agent: the instance metadata service at ${this.host} did not answer (${(error as Error).message}); run the agent on an Azure VM with an identity, or use another scheme`,
      );
    }
    const body = (() => {
      try {
        return res.json<{ access_token?: string; expires_on?: string | number; error_description?: string }>();
      } catch {
        return {} as { access_token?: string; expires_on?: string | number; error_description?: string };
      }
    })();
    if (res.status !== 200 || !body.access_token) {
      throw new UserError(
        `The managed identity of this agent got no token (${res.status}${body.error_description ? `: ${body.error_description}` : ''}); check that the VM has an identity`,
      );
    }
    this.platform.setSecret(body.access_token);
    return { token: body.access_token, expiresOnMs: Number(body.expires_on) * 1000 || Date.now() + 3600_000 };
  }
}

interface EntraOptions {
  tenantId: string;
  clientId: string;
  authorityHost?: string;
  http: HttpClient;
  platform: Platform;
}

/** The OAuth 2.0 client-credentials grant at Entra's v2.0 token endpoint (secret or signed assertion). */
abstract class EntraCredential extends CachingCredential {
  constructor(protected readonly options: EntraOptions) {
    super();
  }

  /** The form fields that prove the client's identity to `tokenUrl`. */
  protected abstract clientAuthentication(tokenUrl: string): Promise<Record<string, string>>;

  protected async fetchToken(scope: string): Promise<AccessToken> {
    const authority = (this.options.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
    const url = `${authority}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      scope,
      ...(await this.clientAuthentication(url)),
    });
    const res = await this.options.http.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    if (res.status !== 200) {
      throw new UserError(
        `Entra ID refused a token for client ${this.options.clientId} in tenant ${this.options.tenantId} (${res.status}: ${entraMessage(res.body)})`,
      );
    }
    const body = res.json<{ access_token?: string; expires_in?: number | string }>();
    if (!body.access_token) throw new UserError(`Entra ID answered without an access_token at ${url}`);
    this.options.platform.setSecret(body.access_token);
    return { token: body.access_token, expiresOnMs: Date.now() + Number(body.expires_in ?? 3600) * 1000 };
  }
}

/** Entra's error bodies put the useful text in error_description; keep its first line (it carries trace ids after). */
function entraMessage(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: string; error_description?: string };
    const first = parsed.error_description?.split(/\r?\n/)[0];
    return [parsed.error, first].filter(Boolean).join(': ') || 'no details';
  } catch {
    return body.toString('utf8').split(/\r?\n/)[0].slice(0, 200) || 'no details';
  }
}

/** A service principal with a client secret (the ADO AzureRM "ServicePrincipal" scheme with a key). */
export class ClientSecretCredential extends EntraCredential {
  readonly description: string;

  constructor(
    options: EntraOptions,
    private readonly secret: string,
  ) {
    super(options);
    options.platform.setSecret(secret);
    this.description = `service principal ${options.clientId} (client secret)`;
  }

  protected async clientAuthentication(): Promise<Record<string, string>> {
    return { client_secret: this.secret };
  }
}

/**
 * A service principal with a certificate (the ADO AzureRM "ServicePrincipal" scheme with `spnCertificate`): a JWT
 * signed with the certificate's key, carrying its SHA-1 thumbprint (x5t) so Entra finds the registered certificate.
 */
export class ClientCertificateCredential extends EntraCredential {
  readonly description: string;
  private readonly key: KeyObject;
  private readonly thumbprint: string;

  /** `pem` holds the certificate and its unencrypted private key, as ADO stores it. */
  constructor(options: EntraOptions, pem: string) {
    super(options);
    // Runners mask line by line (task-lib refuses a multi-line secret), so each line of the PEM is registered; the
    // BEGIN/END markers are not secret.
    for (const line of pem.split(/\r?\n/))
      if (line.trim() && !line.startsWith('-----')) options.platform.setSecret(line.trim());
    try {
      this.key = createPrivateKey(pem);
      this.thumbprint = Buffer.from(new X509Certificate(pem).fingerprint.replace(/:/g, ''), 'hex').toString(
        'base64url',
      );
    } catch {
      throw new UserError(
        `The certificate of service principal ${options.clientId} is not a PEM certificate with its private key`,
      );
    }
    this.description = `service principal ${options.clientId} (certificate)`;
  }

  protected async clientAuthentication(tokenUrl: string): Promise<Record<string, string>> {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      aud: tokenUrl,
      iss: this.options.clientId,
      sub: this.options.clientId,
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600,
    };
    const input = `${encode({ alg: 'RS256', typ: 'JWT', x5t: this.thumbprint })}.${encode(claims)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.key).toString('base64url');
    return { client_assertion_type: JWT_BEARER, client_assertion: `${input}.${signature}` };
  }
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Workload identity federation: the runner's OIDC ID token is presented as the client assertion, so no secret exists
 * anywhere. The assertion is fetched anew for each Entra exchange because runner ID tokens live only minutes.
 */
export class ClientAssertionCredential extends EntraCredential {
  readonly description: string;

  constructor(
    options: EntraOptions,
    private readonly assertion: () => Promise<string>,
    source: string,
  ) {
    super(options);
    this.description = `${source} → service principal ${options.clientId} (workload identity federation)`;
  }

  protected async clientAuthentication(): Promise<Record<string, string>> {
    return {
      client_assertion_type: JWT_BEARER,
      client_assertion: await this.assertion(),
    };
  }
}

/**
 * GitHub's ID token: the runner exposes ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN when the job has `permissions: id-token: write`.
 * act (which sets ACT=true) never provides them, whatever the permissions say (act pkg/runner sets no such variable),
 * so under act the advice is another sign-in rather than a permission that would change nothing.
 */
export function githubIdToken(
  http: HttpClient,
  platform: Platform,
  audience = FEDERATION_AUDIENCE,
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<string> {
  return async () => {
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl || !requestToken) {
      if (env.ACT === 'true')
        throw new UserError(
          "GitHub OIDC sign-in is not available under act (act provides no ACTIONS_ID_TOKEN_REQUEST_URL, whatever the job's permissions): leave 'client-id' empty to use your Azure CLI login (az login)",
        );
      throw new UserError(
        "GitHub did not provide an OIDC token: add 'permissions: id-token: write' to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)",
      );
    }
    platform.setSecret(requestToken);
    const url = new URL(requestUrl);
    url.searchParams.set('audience', audience);
    const body = await fetchJson<{ value?: string }>(
      http,
      'GET',
      url.toString(),
      requestToken,
      'the GitHub OIDC token endpoint',
    );
    if (!body.value) throw new UserError('The GitHub OIDC token endpoint answered without a token');
    platform.setSecret(body.value);
    return body.value;
  };
}

/** Where and how an Azure Pipelines job asks for a service connection's ID token (System.OidcRequestUri). */
export interface PipelinesOidcRequest {
  url: string;
  accessToken: string;
}

/** Azure Pipelines' ID token for a workload-identity-federation service connection. */
export function azurePipelinesIdToken(
  http: HttpClient,
  platform: Platform,
  request: PipelinesOidcRequest,
): () => Promise<string> {
  return async () => {
    platform.setSecret(request.accessToken);
    const body = await fetchJson<{ oidcToken?: string }>(
      http,
      'POST',
      request.url,
      request.accessToken,
      'the Azure Pipelines OIDC endpoint',
    );
    if (!body.oidcToken) throw new UserError('The Azure Pipelines OIDC endpoint answered without an oidcToken');
    platform.setSecret(body.oidcToken);
    return body.oidcToken;
  };
}

async function fetchJson<T>(http: HttpClient, method: string, url: string, bearer: string, what: string): Promise<T> {
  const res = await http.request({
    method,
    url,
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', 'content-type': 'application/json' },
  });
  const remote = remoteMessage(res);
  if (res.status !== 200)
    throw new UserError(`${what} refused the ID token request (${res.status}${remote ? `: ${remote}` : ''})`);
  try {
    return res.json<T>();
  } catch {
    throw new UserError(`${what} answered with a body that is not JSON`);
  }
}

/**
 * The inverse of resourceToScope: the resource id the CLI's `--resource` and IMDS's `resource` take. A URL keeps one
 * trailing slash (the identifier URI form); an application id (the AKS server app) is the bare GUID, as kubelogin
 * passes it to `az account get-access-token --resource`.
 */
export function scopeToResource(scope: string): string {
  const resource = scope.replace(/\.default$/, '');
  return resource.includes('://') ? resource.replace(/\/+$/, '/') : resource.replace(/\/+$/, '');
}

/**
 * The token scope for an Entra resource id, as the Azure CLI and MSAL form it: append `/.default` and keep a trailing
 * slash (`https://management.core.windows.net/` → `https://management.core.windows.net//.default`), because the
 * resource's identifier URI is the slashed one; stripping it asks Entra for a resource that does not exist.
 */
export function resourceToScope(resource: string): string {
  return `${resource}/.default`;
}
