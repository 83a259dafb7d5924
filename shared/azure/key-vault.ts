import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { InputError } from '../errors';
import type { HttpClient, HttpResponse } from '../http/client';
import { parseRemoteBody, RemoteError, type RemoteKind } from '../remote-error';
import type { TokenCredential } from './credentials';

/** Key Vault data plane (azure-rest-api-specs keyvault/data-plane stable/7.5 keys.json). */
const API_VERSION = '7.5';
/** Entra scope of the Key Vault data plane in Azure public cloud. */
export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';

/**
 * The Entra scope for a vault: its DNS suffix is the resource (`<vault>.vault.azure.net` → https://vault.azure.net,
 * `.vault.usgovcloudapi.net`, `.vault.azure.cn`, Managed HSM's `<hsm>.managedhsm.azure.net`), as the `resource` of
 * Key Vault's 401 challenge names it. A vault on an address (a local stand-in) gets the public cloud's.
 */
export function keyVaultScope(vault: string): string {
  const host = new URL(vault).hostname;
  const m = /^[^.]+\.((?:vault|managedhsm)\.[a-z0-9.-]+)$/i.exec(host);
  return m ? `https://${m[1].toLowerCase()}/.default` : KEY_VAULT_SCOPE;
}

/** What GetKey tells about a key version: its public half, whether it is enabled, and what it may be used for. */
export interface KeyVaultKey {
  kid: string;
  publicKey: KeyObject;
  enabled: boolean;
  /** JsonWebKey key_ops: sign, verify, … (Key Vault refuses an operation not listed); undefined when not given. */
  keyOps?: string[];
}

export interface KeyVaultKeyId {
  /** `https://<vault>.vault.azure.net`, without a trailing slash. */
  vault: string;
  name: string;
  version: string;
}

/**
 * A versioned key identifier as Key Vault prints it (`kid`): `https://<vault>/keys/<name>/<version>`. The version is
 * required: a signature must name the key version its certificate belongs to, and `sign` is addressed by version.
 */
export function parseKeyId(id: string, label: string): KeyVaultKeyId {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    throw new InputError(
      `Input '${label}': '${id}' is not a Key Vault key identifier (https://<vault>/keys/<name>/<version>)`,
    );
  }
  const m = /^\/keys\/([0-9A-Za-z-]{1,127})\/([0-9A-Za-z]{1,64})\/?$/.exec(url.pathname);
  if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
    throw new InputError(`Input '${label}': a Key Vault key identifier starts with https://`);
  }
  if (!m || url.search || url.hash) {
    throw new InputError(
      `Input '${label}': '${id}' is not a versioned Key Vault key identifier (https://<vault>/keys/<name>/<version>, as 'az keyvault key show --query key.kid' prints it)`,
    );
  }
  return { vault: `${url.protocol}//${url.host}`, name: m[1], version: m[2] };
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/**
 * Key Vault's key operations the step uses: GetKey (the public key, enabled, key_ops) and `sign`, where Key Vault signs
 * a digest the caller computed; the private key never leaves the vault.
 */
export class KeyVaultClient {
  constructor(
    private readonly http: HttpClient,
    private readonly credential: TokenCredential,
  ) {}

  /** `GET {vault}/keys/{name}/{version}` (keys.json operationId GetKey; needs the keys/get permission). */
  async getKey(key: KeyVaultKeyId): Promise<KeyVaultKey> {
    const operation = `reading key ${key.name}/${key.version} in ${new URL(key.vault).host}`;
    const res = await this.request(key, 'GET', '', undefined);
    if (res.status !== 200) throw this.refusal(res, key, operation, 'get');
    const bundle = res.json<{
      key?: JsonWebKey & { kid?: string; key_ops?: string[] };
      attributes?: { enabled?: boolean };
    }>();
    const jwk = bundle?.key;
    let publicKey: KeyObject;
    try {
      // EC-HSM and RSA-HSM keys have the same public form as EC and RSA.
      const kty = String(jwk?.kty ?? '').replace(/-HSM$/, '');
      const publicJwk = kty === 'EC' ? { kty, crv: jwk?.crv, x: jwk?.x, y: jwk?.y } : { kty, n: jwk?.n, e: jwk?.e };
      publicKey = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
    } catch {
      throw new RemoteError({
        service: 'Key Vault',
        operation,
        status: res.status,
        remoteMessage: `the answer holds no usable public key (kty ${String(jwk?.kty)})`,
        endpoint: new URL(key.vault).host,
        kind: 'unexpected',
      });
    }
    return {
      kid: jwk?.kid ?? `${key.vault}/keys/${key.name}/${key.version}`,
      publicKey,
      // Absent means enabled (keys.json KeyAttributes: `enabled` is optional).
      enabled: bundle?.attributes?.enabled !== false,
      keyOps: Array.isArray(jwk?.key_ops) ? jwk.key_ops : undefined,
    };
  }

  /** `POST {vault}/keys/{name}/{version}/sign`: the signature (for EC keys the JWS form, r‖s) of `digest`. */
  async sign(key: KeyVaultKeyId, alg: string, digest: Buffer): Promise<Buffer> {
    const operation = `sign with key ${key.name}/${key.version} in ${new URL(key.vault).host}`;
    const res = await this.request(key, 'POST', '/sign', { alg, value: digest.toString('base64url') });
    if (res.status !== 200) throw this.refusal(res, key, operation, 'sign');
    const value = (res.json<{ value?: unknown }>() ?? {}).value;
    if (typeof value !== 'string' || value === '') {
      throw new RemoteError({
        service: 'Key Vault',
        operation,
        status: res.status,
        remoteMessage: 'the answer has no signature value',
        endpoint: new URL(key.vault).host,
        kind: 'unexpected',
      });
    }
    return Buffer.from(value, 'base64url');
  }

  private async request(key: KeyVaultKeyId, method: string, suffix: string, json: unknown): Promise<HttpResponse> {
    const { token } = await this.credential.getToken(keyVaultScope(key.vault));
    return this.http.request({
      method,
      url: `${key.vault}/keys/${encodeURIComponent(key.name)}/${encodeURIComponent(key.version)}${suffix}?api-version=${API_VERSION}`,
      headers: { authorization: `Bearer ${token}` },
      ...(json === undefined ? {} : { json }),
    });
  }

  /**
   * A refusal as what it is, from the status and Key Vault's codes (`error.code`, and `error.innererror.code` where one
   * status means several things), never the message: 403 Forbidden is a missing permission (innererror
   * ForbiddenByRbac / AccessDenied), or a rule of the key: KeyDisabled (a disabled key version; Key Vault's
   * SecretDisabled counterpart) or KeyOperationForbidden (the operation is not in the key's key_ops).
   */
  private refusal(res: HttpResponse, key: KeyVaultKeyId, operation: string, permission: 'get' | 'sign'): RemoteError {
    const { code, message } = parseRemoteBody(res.body);
    const inner = innerCode(res.body);
    let kind: RemoteKind | undefined;
    let advice: string | undefined;
    if (res.status === 403 && inner === 'KeyDisabled') {
      kind = 'policy';
      advice = 'the key version is disabled; enable it or name an enabled version';
    } else if (res.status === 403 && inner === 'KeyOperationForbidden') {
      kind = 'policy';
      advice = `the key's permitted operations (key_ops) do not include ${permission}`;
    } else if (res.status === 403) {
      advice = `the identity needs the keys/${permission} permission on the key (RBAC role "Key Vault Crypto User", or an access policy with Get and Sign)`;
    } else if (res.status === 404) {
      advice = 'check the vault, key name and version in the key identifier';
    }
    return new RemoteError({
      service: 'Key Vault',
      operation,
      status: res.status,
      code,
      remoteMessage: message,
      account: this.credential.description,
      endpoint: new URL(key.vault).host,
      retryAfter: res.headers['retry-after'],
      kind,
      advice,
    });
  }
}

function innerCode(body: Buffer): string | undefined {
  try {
    const inner = (JSON.parse(body.toString()) as { error?: { innererror?: { code?: unknown } } }).error?.innererror;
    return typeof inner?.code === 'string' ? inner.code : undefined;
  } catch {
    return undefined;
  }
}
