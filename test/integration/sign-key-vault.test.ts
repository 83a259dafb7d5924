import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TokenCredential } from '../../shared/azure/credentials';
import { KeyVaultClient, keyVaultScope, parseKeyId } from '../../shared/azure/key-vault';
import { InputError } from '../../shared/errors';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { RemoteError } from '../../shared/remote-error';
import { keyVaultSigner, parseChain, signWithNotation } from '../../shared/sign/notation';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { makeImage } from '../sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { skopeoCopy } from '../sandbox/skopeo';
import { FakeKeyVault } from '../support/fake-key-vault';
import { codeSigningChain } from '../support/notation';
import { requireGoTool } from '../support/tools';

// Notary Project signatures whose key lives in (a stand-in for) Azure Key Vault: the digest goes to Key Vault's `sign`
// operation, the certificate chain is a local file (as with notation-azure-kv's ca_certs). The stand-in checks every
// request and answer against Key Vault's REST spec; the real notation verifies the result.

const REPO = 'library/kv';
let home: string;
let registry: RegistryHandle;
let vault: FakeKeyVault;
let http: HttpClient;
const quiet = { log: () => undefined, debug: () => undefined };

/** Stands for the pack's Azure sign-in: an Entra token for the identity the vault knows. */
function credential(token: string): TokenCredential {
  return {
    description: 'service principal 11111111-2222-3333-4444-555555555555',
    getToken: async () => ({ token, expiresOnMs: Date.now() + 3_600_000 }),
  };
}

function notation(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool('notation'),
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 300_000 },
      (error, _out, stderr) => resolve({ code: error ? 1 : 0, stderr: String(stderr) }),
    ),
  );
}

async function pushImage(tag: string): Promise<{ mediaType: string; digest: string; size: number }> {
  await skopeoCopy(makeImage({ tag }).ref, `docker://${registry.host}/${REPO}:${tag}`, {
    dest: { host: registry.host },
  });
  const manifest = await new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined }).getManifest(
    tag,
  );
  return { mediaType: manifest!.mediaType, digest: manifest!.digest, size: manifest!.bytes.length };
}

beforeAll(async () => {
  home = makeTempDir('kv-home');
  registry = await startRegistry();
  vault = await new FakeKeyVault().start();
  http = new HttpClient({ timeoutMs: 60_000, retry: { attempts: 1 } });
});

afterAll(async () => {
  await http?.close();
  await vault?.stop();
  await registry?.stop();
  removeAllTempDirs();
});

afterEach(() => expect(vault.violations).toEqual([]));

describe('Notation signatures with a Key Vault key', () => {
  it('Key Vault signs the digest; notation verify accepts the signature with the CA in its trust store', async () => {
    const token = vault.issueToken('pipeline-sp');
    const key = vault.createKey('release-signing', ['pipeline-sp']);
    const { chainPem, caFile } = codeSigningChain(key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const chain = parseChain(chainPem, undefined, { chain: 'notation-certificate-chain', key: 'key-vault-key-id' });
    expect(chain).toHaveLength(2);

    const image = await pushImage('v1');
    const registryClient = new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined });
    await registryClient.login();
    const signer = keyVaultSigner(new KeyVaultClient(http, credential(token)), parseKeyId(key.kid, 'key-vault-key-id'));
    const signed = await signWithNotation({
      registry: registryClient,
      subject: image,
      signer,
      chain,
      now: new Date(),
      labels: { key: 'key-vault-key-id' },
      push: quiet,
    });
    expect(signed.existing).toBe(false);
    // The private key stayed in the vault: the only request carried a digest, never key material.
    const signs = vault.requests.filter((r) => r.path.endsWith('/sign'));
    expect(signs).toHaveLength(1);
    expect(Object.keys(JSON.parse(signs[0].body) as object).sort()).toEqual(['alg', 'value']);

    const store = path.join(home, '.config', 'notation', 'truststore', 'x509', 'ca', 'kv');
    fs.mkdirSync(store, { recursive: true });
    fs.copyFileSync(caFile, path.join(store, 'ca.crt'));
    fs.writeFileSync(
      path.join(home, '.config', 'notation', 'trustpolicy.json'),
      JSON.stringify({
        version: '1.0',
        trustPolicies: [
          {
            name: 'kv',
            registryScopes: ['*'],
            signatureVerification: { level: 'strict' },
            trustStores: ['ca:kv'],
            trustedIdentities: ['x509.subject: C=US, ST=WA, O=harbor-pipelines, CN=kv-signer'],
          },
        ],
      }),
    );
    const ok = await notation(['verify', '--insecure-registry', `${registry.host}/${REPO}@${image.digest}`]);
    expect(ok).toEqual({ code: 0, stderr: '' });
  });

  it('reports a refusal as what it is: no token, no keys/sign permission, unknown key version', async () => {
    const key = vault.createKey('other-team', ['someone-else']);
    const chain = [
      new X509Certificate(codeSigningChain(key.publicKey.export({ type: 'spki', format: 'pem' }).toString()).chainPem),
    ];
    const image = await pushImage('refused');
    const registryClient = new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined });
    const attempt = (token: string, kid: string) =>
      signWithNotation({
        registry: registryClient,
        subject: image,
        signer: keyVaultSigner(new KeyVaultClient(http, credential(token)), parseKeyId(kid, 'key-vault-key-id')),
        chain,
        now: new Date(),
        labels: { key: 'key-vault-key-id' },
        push: quiet,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
    const denied = await attempt(vault.issueToken('pipeline-sp'), key.kid);
    expect(denied).toBeInstanceOf(RemoteError);
    expect(denied).toMatchObject({ service: 'Key Vault', status: 403, kind: 'permission', code: 'Forbidden' });
    expect((denied as RemoteError).message).toMatch(/keys\/sign permission/);

    const unauthenticated = await attempt('not-a-token', key.kid);
    expect(unauthenticated).toMatchObject({ service: 'Key Vault', status: 401, kind: 'credentials' });

    const missing = await attempt(vault.issueToken('someone-else'), key.kid.replace(/[0-9a-f]{32}$/, '0'.repeat(32)));
    expect(missing).toMatchObject({ service: 'Key Vault', status: 404, code: 'KeyNotFound' });
  });

  it('refuses a Key Vault key that is not the certificate’s, before anything is pushed', async () => {
    const token = vault.issueToken('pipeline-sp');
    const certified = vault.createKey('certified', ['pipeline-sp']);
    const other = vault.createKey('not-certified', ['pipeline-sp']);
    const chain = parseChain(
      codeSigningChain(certified.publicKey.export({ type: 'spki', format: 'pem' }).toString()).chainPem,
      undefined,
      { chain: 'notation-certificate-chain', key: 'key-vault-key-id' },
    );
    const image = await pushImage('mismatch');
    const registryClient = new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined });
    const error = await signWithNotation({
      registry: registryClient,
      subject: image,
      signer: keyVaultSigner(new KeyVaultClient(http, credential(token)), parseKeyId(other.kid, 'key-vault-key-id')),
      chain,
      now: new Date(),
      labels: { key: 'key-vault-key-id' },
      push: quiet,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^Input 'key-vault-key-id': the signing key does not match the leaf certificate/,
    );
    expect(await registryClient.manifestDigest(image.digest.replace(':', '-'))).toBeUndefined();
  });
});

describe('Key Vault key identifiers', () => {
  it('takes the versioned kid Key Vault prints, and names the input otherwise', () => {
    expect(parseKeyId('https://myvault.vault.azure.net/keys/testkey/9885aa558e8d448789683188f8c194b0', 'k')).toEqual({
      vault: 'https://myvault.vault.azure.net',
      name: 'testkey',
      version: '9885aa558e8d448789683188f8c194b0',
    });
    expect(() => parseKeyId('https://myvault.vault.azure.net/keys/testkey', 'key-vault-key-id')).toThrow(
      /^Input 'key-vault-key-id': 'https:\/\/myvault.vault.azure.net\/keys\/testkey' is not a versioned Key Vault key identifier/,
    );
    expect(() => parseKeyId('http://myvault.vault.azure.net/keys/a/b', 'k')).toThrow(/starts with https:\/\//);
    expect(() => parseKeyId('testkey', 'k')).toThrow(/is not a Key Vault key identifier/);
  });

  it('asks Entra for the vault’s own resource: public cloud, sovereign clouds and Managed HSM by host name', () => {
    expect(keyVaultScope('https://myvault.vault.azure.net')).toBe('https://vault.azure.net/.default');
    expect(keyVaultScope('https://myvault.vault.usgovcloudapi.net')).toBe('https://vault.usgovcloudapi.net/.default');
    expect(keyVaultScope('https://myvault.vault.azure.cn')).toBe('https://vault.azure.cn/.default');
    expect(keyVaultScope('https://myhsm.managedhsm.azure.net')).toBe('https://managedhsm.azure.net/.default');
    expect(keyVaultScope('http://127.0.0.1:8443')).toBe('https://vault.azure.net/.default');
  });
});
