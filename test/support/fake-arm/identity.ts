import {
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { standInServer } from '../stand-in-server';

/**
 * Loopback stand-ins for the identity side of an Azure sign-in, on one port:
 * - Entra ID's v2.0 token endpoint (`/{tenant}/oauth2/v2.0/token`): client credentials with a secret, or with a
 *   federated client assertion it verifies like Entra does (signature by the issuer's key, issuer, subject, audience,
 *   expiry) against the federated credentials configured for the app;
 * - GitHub's runner ID-token endpoint (`/github/idtoken`, the ACTIONS_ID_TOKEN_REQUEST_URL);
 * - Azure Pipelines' OIDC endpoint (`/ado/oidctoken`, the System.OidcRequestUri);
 * - the instance metadata service's managed-identity token endpoint (`/metadata/identity/oauth2/token`);
 * - what `az account get-access-token --resource` answers after azure/login (`/azure-cli/token`), for a fake az.
 * Access tokens are JWTs signed by the stand-in, carrying the audience they were asked for (the scope without
 * `/.default`, or the resource): ARM accepts only tokens for a URL resource (`acceptToken`), the AKS API stand-in only
 * tokens for the AKS server app (`audienceOf`).
 */

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  secret?: string;
  /** A registered certificate (PEM): assertions signed with its key and carrying its x5t thumbprint are accepted. */
  certificatePem?: string;
  /** Federated credentials: the issuer/subject/audience an assertion must carry. */
  federated?: { issuer: string; subject: string; audience: string }[];
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const ADO_ISSUER = 'https://vstoken.dev.azure.com/11111111-2222-3333-4444-555555555555';

/** RSA key generation takes a noticeable fraction of a second; one key per issuer serves every stand-in in a process. */
const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
function issuerKey(issuer: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let key = keys.get(issuer);
  if (!key) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = {
      privateKey: pair.privateKey,
      publicKey: createPublicKey(pair.publicKey.export({ type: 'spki', format: 'pem' })),
    };
    keys.set(issuer, key);
  }
  return key;
}

export class FakeIdentity {
  url = '';
  readonly apps: AppRegistration[] = [];
  /** Every Entra exchange: which client, how it authenticated, the scope asked for. */
  readonly exchanges: {
    clientId: string;
    method: 'secret' | 'assertion' | 'certificate' | 'managed-identity' | 'azure-cli';
    scope: string;
  }[] = [];
  /** Whether the runner's Azure CLI is signed in (azure/login ran). */
  cliSignedIn = true;
  /** Whether the "VM" has a managed identity (the metadata-service stand-in at `/metadata/identity/oauth2/token`). */
  managedIdentity = true;
  readonly problems: string[] = [];
  /** The bearer the runner endpoints demand (ACTIONS_ID_TOKEN_REQUEST_TOKEN / System.AccessToken). */
  readonly githubRequestToken = randomBytes(16).toString('hex');
  readonly pipelinesAccessToken = randomBytes(16).toString('hex');
  /** GitHub token subject, as in `repo:org/repo:ref:refs/heads/main`. */
  githubSubject = 'repo:contoso/app:ref:refs/heads/main';
  /** Issued token → its audience. */
  private readonly issued = new Map<string, string>();
  private readonly issuerKeys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  private readonly server: http.Server;

  constructor() {
    for (const issuer of [GITHUB_ISSUER, ADO_ISSUER]) this.issuerKeys.set(issuer, issuerKey(issuer));
    this.server = standInServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const answer = this.handle(req, body);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** For FakeArm's acceptToken: issued here, for a resource URL (ARM), not for an application id such as AKS's. */
  readonly acceptToken = (token: string): boolean => this.issued.get(token)?.includes('://') === true;

  /** The audience of a token this stand-in issued; undefined for any other token. */
  audienceOf(token: string): string | undefined {
    return this.issued.get(token);
  }

  /** Issues an access token directly (what `az account get-access-token` would print), for ARM unless told otherwise. */
  mintAccessToken(audience = 'https://management.azure.com/', subject = 'stand-in'): string {
    const now = Math.floor(Date.now() / 1000);
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = {
      aud: audience,
      iss: 'https://sts.windows.net/stand-in/',
      sub: subject,
      appid: subject,
      oid: subject,
      iat: now,
      nbf: now,
      exp: now + 3600,
      uti: randomBytes(8).toString('hex'),
    };
    const input = `${enc({ typ: 'JWT', alg: 'RS256', kid: 'entra-stand-in' })}.${enc(claims)}`;
    const token = `${input}.${createSign('RSA-SHA256').update(input).sign(issuerKey('entra').privateKey).toString('base64url')}`;
    this.issued.set(token, audience);
    return token;
  }

  get githubRequestUrl(): string {
    // Like the real one: it already carries a query string the client must extend, not replace.
    return `${this.url}/github/idtoken?api-version=2.0`;
  }

  get pipelinesOidcUri(): string {
    return `${this.url}/ado/oidctoken`;
  }

  private handle(req: http.IncomingMessage, body: string): { status: number; body: unknown } {
    const url = new URL(req.url ?? '/', this.url);
    const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (req.method === 'GET' && url.pathname === '/github/idtoken') {
      if (bearer !== this.githubRequestToken) return { status: 401, body: { message: 'bad request token' } };
      if (url.searchParams.get('api-version') !== '2.0')
        this.problems.push('GitHub ID token request lost its api-version');
      const audience = url.searchParams.get('audience') ?? 'https://github.com/contoso';
      return { status: 200, body: { value: this.sign(GITHUB_ISSUER, this.githubSubject, audience) } };
    }
    if (req.method === 'POST' && url.pathname === '/ado/oidctoken') {
      if (bearer !== this.pipelinesAccessToken) return { status: 401, body: { message: 'bad System.AccessToken' } };
      const connection = url.searchParams.get('serviceConnectionId');
      if (url.searchParams.get('api-version') !== '7.1' || !connection)
        return { status: 400, body: { message: 'api-version 7.1 and serviceConnectionId required' } };
      return {
        status: 200,
        body: { oidcToken: this.sign(ADO_ISSUER, `sc://contoso/app/${connection}`, 'api://AzureADTokenExchange') },
      };
    }
    if (req.method === 'GET' && url.pathname === '/metadata/identity/oauth2/token') {
      // Azure's instance metadata service: only with the Metadata header (SSRF protection), for a resource, not a scope.
      if (req.headers.metadata !== 'true')
        return {
          status: 400,
          body: { error: 'invalid_request', error_description: 'Required metadata header not specified' },
        };
      if (url.searchParams.get('api-version') !== '2018-02-01' || !url.searchParams.get('resource'))
        return {
          status: 400,
          body: { error: 'invalid_request', error_description: 'api-version and resource required' },
        };
      if (!this.managedIdentity)
        return { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } };
      this.exchanges.push({
        clientId: 'managed-identity',
        method: 'managed-identity',
        scope: url.searchParams.get('resource')!,
      });
      return {
        status: 200,
        body: {
          access_token: this.mintAccessToken(url.searchParams.get('resource')!, 'managed-identity'),
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: url.searchParams.get('resource'),
          token_type: 'Bearer',
        },
      };
    }
    if (req.method === 'GET' && url.pathname === '/azure-cli/token') {
      if (!this.cliSignedIn)
        return {
          status: 401,
          body: { error: 'not_signed_in', error_description: "Please run 'az login' to setup account." },
        };
      const resource = url.searchParams.get('resource') ?? 'https://management.core.windows.net/';
      this.exchanges.push({ clientId: 'azure-cli', method: 'azure-cli', scope: resource });
      const expires = Math.floor(Date.now() / 1000) + 3600;
      return {
        status: 200,
        body: {
          accessToken: this.mintAccessToken(resource, 'azure-cli'),
          expires_on: expires,
          expiresOn: new Date(expires * 1000).toISOString(),
          tokenType: 'Bearer',
        },
      };
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method === 'POST' && token)
      return this.exchange(decodeURIComponent(token[1]), String(req.headers['content-type'] ?? ''), body);
    return { status: 404, body: { error: 'not_found' } };
  }

  private exchange(tenant: string, contentType: string, body: string): { status: number; body: unknown } {
    const fail = (code: string, description: string) => ({
      status: 400,
      body: { error: code, error_description: `${description}\r\nTrace ID: ${randomBytes(8).toString('hex')}` },
    });
    if (!contentType.startsWith('application/x-www-form-urlencoded'))
      return fail('invalid_request', 'AADSTS900144: form body expected');
    const form = new URLSearchParams(body);
    const app = this.apps.find((a) => a.clientId === form.get('client_id'));
    if (form.get('grant_type') !== 'client_credentials')
      return fail('unsupported_grant_type', 'AADSTS70003: grant_type must be client_credentials');
    if (!app || app.tenantId !== tenant)
      return {
        status: 400,
        body: {
          error: 'unauthorized_client',
          error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'.`,
        },
      };
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) return fail('invalid_scope', `AADSTS1002012: scope ${scope} is not valid`);
    let method: 'secret' | 'assertion' | 'certificate';
    if (form.has('client_secret')) {
      if (form.get('client_secret') !== app.secret)
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
        };
      method = 'secret';
    } else if (
      form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
      form.has('client_assertion')
    ) {
      const assertion = form.get('client_assertion')!;
      const certificate = app.certificatePem !== undefined && 'x5t' in jwtPart(assertion, 0);
      const problem = certificate
        ? this.verifyCertificateAssertion(assertion, app, `${this.url}/${tenant}/oauth2/v2.0/token`)
        : this.verifyAssertion(assertion, app);
      if (problem) return fail('invalid_client', problem);
      method = certificate ? 'certificate' : 'assertion';
    } else {
      return fail('invalid_client', 'AADSTS7000218: The request body must contain client_assertion or client_secret.');
    }
    this.exchanges.push({ clientId: app.clientId, method, scope });
    const accessToken = this.mintAccessToken(scope.replace(/\/\.default$/, ''), app.clientId);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
    };
  }

  private verifyAssertion(jwt: string, app: AppRegistration): string | undefined {
    const [header, payload, signature] = jwt.split('.');
    if (!signature) return 'AADSTS50027: JWT token is invalid or malformed.';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss: string;
      sub: string;
      aud: string;
      exp: number;
    };
    const key = this.issuerKeys.get(claims.iss);
    const verified =
      key &&
      createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(key.publicKey, Buffer.from(signature, 'base64url'));
    if (!verified)
      return `AADSTS700211: No matching federated identity record found for presented assertion issuer '${claims.iss}'.`;
    if (claims.exp * 1000 < Date.now()) return 'AADSTS700024: Client assertion is not within its valid time range.';
    const match = (app.federated ?? []).find(
      (f) => f.issuer === claims.iss && f.subject === claims.sub && f.audience === claims.aud,
    );
    if (!match)
      return `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${claims.aud}'.`;
    return undefined;
  }

  /** What Entra checks for a certificate credential: thumbprint, signature, audience = the token URL, iss = sub = client. */
  private verifyCertificateAssertion(jwt: string, app: AppRegistration, tokenUrl: string): string | undefined {
    const [header, payload, signature] = jwt.split('.');
    const certificate = new X509Certificate(app.certificatePem!);
    const thumbprint = Buffer.from(certificate.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
    if (jwtPart(jwt, 0).x5t !== thumbprint)
      return `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.`;
    if (
      !createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(certificate.publicKey, Buffer.from(signature, 'base64url'))
    ) {
      return 'AADSTS700027: Client assertion failed signature validation.';
    }
    const claims = jwtPart(jwt, 1);
    if (claims.aud !== tokenUrl)
      return `AADSTS700016: assertion audience '${String(claims.aud)}' is not the token endpoint`;
    if (claims.iss !== app.clientId || claims.sub !== app.clientId)
      return 'AADSTS700023: iss and sub must be the client id';
    if (Number(claims.exp) * 1000 < Date.now())
      return 'AADSTS700024: Client assertion is not within its valid time range.';
    return undefined;
  }

  private sign(issuer: string, subject: string, audience: string): string {
    const now = Math.floor(Date.now() / 1000);
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${enc({ typ: 'JWT', alg: 'RS256', kid: 'stand-in' })}.${enc({ iss: issuer, sub: subject, aud: audience, iat: now, nbf: now, exp: now + 300 })}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(this.issuerKeys.get(issuer)!.privateKey).toString('base64url')}`;
  }
}

function jwtPart(jwt: string, index: 0 | 1): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}
