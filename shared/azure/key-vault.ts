import { InputError } from '../errors';
import type { HttpClient } from '../http/client';
import { parseRemoteBody, RemoteError } from '../remote-error';
import type { TokenCredential } from './credentials';

/** Key Vault data plane (azure-rest-api-specs keyvault/data-plane stable/7.5 keys.json). */
const API_VERSION = '7.5';
/** Entra scope of the Key Vault data plane in Azure public cloud. */
export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';

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

/** The `sign` operation: Key Vault signs a digest the caller computed; the private key never leaves the vault. */
export class KeyVaultClient {
  constructor(
    private readonly http: HttpClient,
    private readonly credential: TokenCredential,
  ) {}

  /** `POST {vault}/keys/{name}/{version}/sign`: the signature (for EC keys the JWS form, r‖s) of `digest`. */
  async sign(key: KeyVaultKeyId, alg: string, digest: Buffer): Promise<Buffer> {
    const { token } = await this.credential.getToken(KEY_VAULT_SCOPE);
    const operation = `sign with key ${key.name}/${key.version} in ${new URL(key.vault).host}`;
    const res = await this.http.request({
      method: 'POST',
      url: `${key.vault}/keys/${encodeURIComponent(key.name)}/${encodeURIComponent(key.version)}/sign?api-version=${API_VERSION}`,
      headers: { authorization: `Bearer ${token}` },
      json: { alg, value: digest.toString('base64url') },
    });
    if (res.status !== 200) {
      const { code, message } = parseRemoteBody(res.body);
      throw new RemoteError({
        service: 'Key Vault',
        operation,
        status: res.status,
        code,
        remoteMessage: message,
        account: this.credential.description,
        endpoint: new URL(key.vault).host,
        advice:
          res.status === 403
            ? 'the identity needs the keys/sign permission on the key (RBAC role "Key Vault Crypto User", or an access policy with Sign)'
            : undefined,
      });
    }
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
}
