/**
 * The shipped sign bundles (actions/sign/dist, tasks/HarborSign/dist) writing Notary Project signatures, as the runners
 * start them, against the Harbor emulator (accessories as Harbor keeps them, test/sandbox/harbor/accessories.ts):
 * - with a local key and certificate made by the real `notation cert generate-test`;
 * - with a key in the Key Vault stand-in (GetKey and sign checked against keys.json 7.5), signed in through the pack's
 *   Azure sign-in against the Entra stand-in: GitHub OIDC on GitHub, an azureSubscription service connection with a
 *   secret on Azure DevOps.
 * The real `notation verify` (trust store + strict trust policy) judges every signature, and Harbor's accessory API must
 * list it as signature.notation. Keys and secrets never reach the log, any process's command line or a temp file. Bad
 * input fails with one line naming the input, before any request reaches Harbor or Key Vault.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { authHeader, startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { request } from '../sandbox/net-utils';
import { makeCa, makeCodeSigningCert } from '../sandbox/pki';
import { harborAccess, seedImage } from '../sandbox/seed';
import { runActionBundle, runTaskBundle, type BundleRun, type Endpoint } from '../support/bundles';
import { armEndpoint, githubOidc } from '../support/azure-bundle-env';
import { jwtClaims } from '../support/fake-arm/aks-world';
import {
  APP_SECRET,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';
import { FakeKeyVault } from '../support/fake-key-vault';
import { codeSigningChain, runNotation, trustCa, trustTsa, writeTrustPolicy } from '../support/notation';
import { makeTsaCert, startTsa, type Tsa } from '../support/tsa';

const VAULT_AUDIENCE = 'https://vault.azure.net';

let harbor: HarborEmulator;
let world: AzureWorld;
let vault: FakeKeyVault;
let home: string;
let workspace: string;
/** Recording stand-ins for the tools a careless step might start: any call lands in `calls`. */
let shims: string;
let calls: string;
const digests: Record<string, string> = {};
/** The local key and certificate `notation cert generate-test` made. */
let localKey: string;
let localChain: string;
/** A Key Vault key both sign-in identities may use, and its chain issued by the `kv` CA. */
let vaultKey: { kid: string; chainPem: string };
/** A local RSA 3072 key (PKCS #8 PEM) and its chain; an RSA 2048 key in Key Vault and its chain. */
let rsaKey: string;
let rsaChain: string;
let rsaVaultKey: { kid: string; chainPem: string };
/** A real TSA (openssl ts) and its root, in notation's trust store tsa:test-tsa. */
let tsa: Tsa;
let tsaRootPem: string;

const endpoints = (extra: Record<string, Endpoint> = {}): Record<string, Endpoint> => ({
  'harbor-conn': {
    url: harbor.url,
    scheme: 'UsernamePassword',
    parameters: { username: harbor.admin.username, password: harbor.admin.password },
    data: { acceptUntrustedCerts: 'false' },
  },
  ...extra,
});

/** Lines of a PEM body: each must stay out of every log. */
const pemLines = (pem: string) =>
  pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('-----'));

/** Every file under `dir` (the runner's temp), read as text. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'));
}

/** The secrets were never displayed, written to stderr, put on a command line or left in the runner's temp. */
function expectKeptSecret(run: BundleRun, temp: string, secrets: string[]): void {
  expect(fs.existsSync(calls)).toBe(false);
  const leftovers = filesUnder(temp);
  for (const secret of secrets) {
    expect(run.displayed).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    for (const text of leftovers) expect(text).not.toContain(secret);
  }
}

/** A runner temp directory of the test's own, to look into after the run; PATH holds only the recording tools. */
function runnerEnv(
  kind: 'github' | 'ado',
  extra: Record<string, string> = {},
): { env: Record<string, string>; temp: string } {
  const temp = makeTempDir('sign-notation-temp');
  return {
    temp,
    env: {
      PATH: shims,
      FAKE_TOOL_CALLS: calls,
      ...(kind === 'github' ? { RUNNER_TEMP: temp } : { AGENT_TEMPDIRECTORY: temp }),
      ...extra,
    },
  };
}

async function accessoryTypes(repository: string, digest: string): Promise<Record<string, string>> {
  const [project, ...rest] = repository.split('/');
  const res = await request(
    `${harbor.url}/api/v2.0/projects/${project}/repositories/${encodeURIComponent(rest.join('/'))}/artifacts/${digest}/accessories`,
    { headers: authHeader(harbor.admin) },
  );
  expect(res.status).toBe(200);
  const list = JSON.parse(res.body.toString()) as { digest: string; type: string }[];
  return Object.fromEntries(list.map((a) => [a.digest, a.type]));
}

async function expectVerified(
  run: BundleRun,
  repository: string,
  digest: string,
  signatureDigest: string,
): Promise<void> {
  expect(run.displayed).toContain('Harbor lists the signature as signature.notation');
  expect(await accessoryTypes(repository, digest)).toMatchObject({ [signatureDigest]: 'signature.notation' });
  const verified = await runNotation(home, ['verify', '--insecure-registry', `${harbor.host}/${repository}@${digest}`]);
  expect({ code: verified.code, stderr: verified.stderr }).toEqual({ code: 0, stderr: '' });
  expect(verified.stdout).toContain(`Successfully verified signature for ${harbor.host}/${repository}@${digest}`);
}

beforeAll(async () => {
  harbor = await startHarborEmulator({ projects: [{ name: 'shop' }] });
  world = await startAzureWorld();
  // Key Vault knows the identities Entra vouches for: a stand-in token for the vault's audience, by its client id.
  vault = await new FakeKeyVault({
    authenticate: (token) =>
      world.identity.audienceOf(token) === VAULT_AUDIENCE ? String(jwtClaims(token).appid) : undefined,
  }).start();
  for (const [repository, tag] of [
    ['shop/web', '1.0'],
    ['shop/api', '2.0'],
    ['shop/kv-gh', '1.0'],
    ['shop/kv-ado', '1.0'],
    ['shop/cose-gh', '1.0'],
    ['shop/cose-ado', '1.0'],
    ['shop/expiry-gh', '1.0'],
    ['shop/expiry-ado', '1.0'],
    ['shop/stamped-gh', '1.0'],
    ['shop/stamped-ado', '1.0'],
  ]) {
    digests[repository] = await seedImage(harborAccess(harbor), repository, tag);
  }

  home = makeTempDir('sign-notation-home');
  // notation reads registry credentials from the Docker config (0600), never from argv.
  fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
  const auth = Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64');
  fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [harbor.host]: { auth } } }), {
    mode: 0o600,
  });
  // The real notation makes the local key, its self-signed certificate and the trust store entry ca:sign.test.
  const made = await runNotation(home, ['cert', 'generate-test', 'sign.test']);
  expect({ code: made.code, stderr: made.stderr }).toMatchObject({ code: 0 });
  const keys = path.join(home, '.config', 'notation', 'localkeys');
  localKey = fs.readFileSync(path.join(keys, 'sign.test.key'), 'utf8');
  localChain = fs.readFileSync(path.join(keys, 'sign.test.crt'), 'utf8');

  const key = vault.createKey('release-signing', [SECRET_APP, FEDERATED_APP]);
  const chain = codeSigningChain(key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  vaultKey = { kid: key.kid, chainPem: chain.chainPem };
  trustCa(home, 'kv', chain.caFile);

  // COSE with RSA keys: a local RSA 3072 key (PS384) and an RSA 2048 key in Key Vault (PS256), each with its own CA.
  const rsaLocal = generateKeyPairSync('rsa', { modulusLength: 3072 });
  rsaKey = rsaLocal.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsaPki = makeTempDir('sign-notation-rsa-pki');
  const rsaCa = makeCa(rsaPki, 'cose-rsa-ca');
  rsaChain =
    makeCodeSigningCert(
      rsaPki,
      rsaCa,
      rsaLocal.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      '/C=US/ST=WA/O=harbor-pipelines/CN=cose-signer',
    ) + rsaCa.certPem;
  trustCa(home, 'cose', rsaCa.certFile);
  const rsaInVault = vault.createKey('rsa-signing', [SECRET_APP, FEDERATED_APP], { kty: 'RSA', size: 2048 });
  const rsaVaultChain = codeSigningChain(rsaInVault.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  rsaVaultKey = { kid: rsaInVault.kid, chainPem: rsaVaultChain.chainPem };
  trustCa(home, 'kv-rsa', rsaVaultChain.caFile);
  const tsaPki = makeTempDir('sign-notation-tsa');
  const tsaCa = makeCa(tsaPki, 'test-tsa-root');
  tsa = await startTsa(tsaPki, makeTsaCert(tsaPki, tsaCa, 'test-tsa'));
  tsaRootPem = tsaCa.certPem;
  trustTsa(home, 'test-tsa', tsaCa.certFile);
  writeTrustPolicy(home, ['sign.test', 'kv', 'cose', 'kv-rsa']);
  // A policy with a tsa trust store requires a time stamp (notation refuses a signature without one), so it covers
  // only the repositories the time-stamp tests sign.
  const policyFile = path.join(home, '.config', 'notation', 'trustpolicy.json');
  const policy = JSON.parse(fs.readFileSync(policyFile, 'utf8')) as { trustPolicies: Record<string, unknown>[] };
  policy.trustPolicies.push({
    ...policy.trustPolicies[0],
    name: 'stamped',
    registryScopes: ['shop/stamped-gh', 'shop/stamped-ado'].map((r) => `${harbor.host}/${r}`),
    trustStores: ['ca:sign.test', 'ca:cose', 'tsa:test-tsa'],
  });
  fs.writeFileSync(policyFile, JSON.stringify(policy));

  workspace = makeTempDir('sign-notation-workspace');
  fs.writeFileSync(path.join(workspace, 'chain.pem'), localChain);
  fs.writeFileSync(path.join(workspace, 'tsa-root.pem'), tsaRootPem);
  shims = makeTempDir('sign-notation-shims');
  calls = path.join(makeTempDir('sign-notation-calls'), 'calls.log');
  for (const tool of ['az', 'notation', 'cosign', 'oras', 'openssl', 'curl', 'docker', 'sh', 'bash']) {
    fs.writeFileSync(path.join(shims, tool), `#!/bin/sh\necho "$0 $*" >> "$FAKE_TOOL_CALLS"\nexit 1\n`, {
      mode: 0o755,
    });
  }
}, 300_000);

afterAll(async () => {
  await tsa?.stop();
  await vault?.stop();
  await world?.stop();
  await harbor?.stop();
  removeAllTempDirs();
});

afterEach(() => {
  expect(vault.violations).toEqual([]);
  expect(world.identity.problems).toEqual([]);
});

describe('Notation with a local key', () => {
  it('GitHub action: a tag is resolved and its digest signed with a PKCS #8 key and a chain file; notation verify accepts it', async () => {
    const { env, temp } = runnerEnv('github');
    const inputs = {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      repository: 'shop/web',
      reference: '1.0',
      'signature-type': 'notation',
      'notation-key': localKey,
      'notation-certificate-chain': 'chain.pem',
    };
    const run = await runActionBundle('sign', inputs, { cwd: workspace, env, timeoutMs: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/web']);
    expect(run.outputs['signature-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expectKeptSecret(run, temp, [...pemLines(localKey), harbor.admin.password]);
    await expectVerified(run, 'shop/web', digests['shop/web'], run.outputs['signature-digest']);

    // A re-run with the same certificate finds its signature and writes nothing.
    harbor.clearRequests();
    const again = await runActionBundle('sign', inputs, { cwd: workspace, env, timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect(again.outputs['signature-digest']).toBe(run.outputs['signature-digest']);
    expect(again.displayed).toContain("already carries this certificate's signature");
    expect(harbor.requests().filter((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'PATCH')).toEqual(
      [],
    );
  }, 400_000);

  it('Azure DevOps task: a digest signed with the key as RSA PRIVATE KEY (PKCS #1) and an inline chain; notation verify accepts it', async () => {
    const pkcs1 = createPrivateKey(localKey).export({ type: 'pkcs1', format: 'pem' }).toString();
    const { env, temp } = runnerEnv('ado');
    const run = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/api',
        reference: digests['shop/api'],
        signatureType: 'notation',
        notationKey: pkcs1,
        notationCertificateChain: localChain,
      },
      { endpoints: endpoints(), env, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/api']);
    expect(run.outputs.signatureDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expectKeptSecret(run, temp, [...pemLines(pkcs1), harbor.admin.password]);
    await expectVerified(run, 'shop/api', digests['shop/api'], run.outputs.signatureDigest);
  }, 400_000);
});

describe('Notation with a key in Key Vault, through the pack’s Azure sign-in', () => {
  it('GitHub action with GitHub OIDC: GetKey, then Key Vault signs the digest; notation verify accepts it', async () => {
    vault.requests.length = 0;
    const { env, temp } = runnerEnv('github', githubOidc(world).env);
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/kv-gh',
        reference: '1.0',
        'signature-type': 'notation',
        'key-vault-key-id': vaultKey.kid,
        'notation-certificate-chain': vaultKey.chainPem,
        'client-id': FEDERATED_APP,
        'tenant-id': TENANT,
        'authority-host': world.identity.url,
      },
      { cwd: workspace, env, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/kv-gh']);
    expect(run.displayed).toContain('Signed in to Azure with GitHub OIDC');
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${VAULT_AUDIENCE}/.default`,
    });
    // GetKey first (the key is checked against the certificate), then one sign carrying only the digest.
    expect(vault.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/, '<v>')}`)).toEqual([
      'GET /keys/release-signing/<v>',
      'POST /keys/release-signing/<v>/sign',
    ]);
    expect(Object.keys(JSON.parse(vault.requests[1].body) as object).sort()).toEqual(['alg', 'value']);
    expectKeptSecret(run, temp, [world.identity.githubRequestToken, harbor.admin.password]);
    await expectVerified(run, 'shop/kv-gh', digests['shop/kv-gh'], run.outputs['signature-digest']);
  }, 400_000);

  it('Azure DevOps task with an azureSubscription service connection (secret): Key Vault signs; notation verify accepts it', async () => {
    vault.requests.length = 0;
    const { env, temp } = runnerEnv('ado');
    const run = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        azureSubscription: 'azure-conn',
        repository: 'shop/kv-ado',
        reference: '1.0',
        signatureType: 'notation',
        keyVaultKeyId: vaultKey.kid,
        notationCertificateChain: vaultKey.chainPem,
      },
      { endpoints: endpoints({ 'azure-conn': armEndpoint(world, 'ServicePrincipal') }), env, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/kv-ado']);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: SECRET_APP,
      method: 'secret',
      scope: `${VAULT_AUDIENCE}/.default`,
    });
    expect(vault.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expectKeptSecret(run, temp, [APP_SECRET, harbor.admin.password]);
    await expectVerified(run, 'shop/kv-ado', digests['shop/kv-ado'], run.outputs.signatureDigest);
  }, 400_000);

  it('Key Vault refusals are reported as what they are, before anything reaches Harbor', async () => {
    const connection = {
      endpoints: endpoints({ 'azure-conn': armEndpoint(world, 'ServicePrincipal') }),
      timeoutMs: 120_000,
    };
    const inputs = (kid: string, chainPem: string) => ({
      harborConnection: 'harbor-conn',
      azureSubscription: 'azure-conn',
      repository: 'shop/kv-ado',
      reference: '1.0',
      signatureType: 'notation',
      keyVaultKeyId: kid,
      notationCertificateChain: chainPem,
    });
    const failure = (run: BundleRun) => {
      expect(run.code).not.toBe(0);
      const lines = run.stdout.split('\n').filter((l) => l.startsWith('##vso[task.complete result=Failed;]'));
      expect(lines).toHaveLength(1);
      return lines[0].replace('##vso[task.complete result=Failed;]', '');
    };
    const chainOf = (key: { publicKey: import('node:crypto').KeyObject }) =>
      codeSigningChain(key.publicKey.export({ type: 'spki', format: 'pem' }).toString()).chainPem;
    harbor.clearRequests();

    // No role on the key: 403 Forbidden (ForbiddenByRbac) at GetKey.
    const foreign = vault.createKey('other-team', ['someone-else']);
    const denied = failure(await runTaskBundle('HarborSign', inputs(foreign.kid, chainOf(foreign)), connection));
    expect(denied).toMatch(
      /^Key Vault denied reading key other-team\/[0-9a-f]{32} in 127\.0\.0\.1:\d+ for service principal/,
    );
    expect(denied).toContain('keys/get permission');

    // A disabled key version, and one whose key_ops leave out sign: GetKey tells, nothing is signed.
    const disabled = vault.createKey('disabled', [SECRET_APP], undefined, { enabled: false });
    expect(failure(await runTaskBundle('HarborSign', inputs(disabled.kid, chainOf(disabled)), connection))).toMatch(
      /^Key Vault key disabled\/[0-9a-f]{32} in 127\.0\.0\.1:\d+ is disabled: enable that version, or name an enabled one in 'keyVaultKeyId'$/,
    );
    const verifyOnly = vault.createKey('verify-only', [SECRET_APP], undefined, { keyOps: ['verify'] });
    expect(failure(await runTaskBundle('HarborSign', inputs(verifyOnly.kid, chainOf(verifyOnly)), connection))).toMatch(
      /does not permit sign \(its key_ops: verify\)/,
    );

    // A key that is not the certificate's: the leaf's public key is compared with GetKey's before any signing.
    vault.requests.length = 0;
    const mismatch = failure(await runTaskBundle('HarborSign', inputs(vaultKey.kid, localChain), connection));
    expect(mismatch).toMatch(
      /^Input 'notationCertificateChain': the leaf certificate \(.*\) is not for Key Vault key release-signing\//,
    );
    expect(vault.requests.map((r) => r.method)).toEqual(['GET']);

    // An unknown key version: 404 KeyNotFound.
    const missing = failure(
      await runTaskBundle(
        'HarborSign',
        inputs(vaultKey.kid.replace(/[0-9a-f]{32}$/, '0'.repeat(32)), vaultKey.chainPem),
        connection,
      ),
    );
    expect(missing).toMatch(/^Key Vault reading key release-signing\/0{32} .* failed with 404: KeyNotFound/);

    // Entra refuses the service principal's secret: no token, so Key Vault hears nothing.
    vault.requests.length = 0;
    const wrongSecret = armEndpoint(world, 'ServicePrincipal');
    wrongSecret.parameters.serviceprincipalkey = 'not-the-secret-Zq9~';
    const refused = await runTaskBundle('HarborSign', inputs(vaultKey.kid, vaultKey.chainPem), {
      ...connection,
      endpoints: endpoints({ 'azure-conn': wrongSecret }),
    });
    expect(failure(refused)).toMatch(
      /^Entra ID refused a token for client 11111111-aaaa-4bbb-8ccc-000000000001 .*\(401: invalid_client/,
    );
    expect(refused.displayed).not.toContain('not-the-secret-Zq9~');
    expect(vault.requests).toEqual([]);

    expect(harbor.requests()).toEqual([]);
  }, 400_000);
});

/** What the real notation reads from the one signature on `digest`: its envelope media type and algorithm. */
async function inspected(
  repository: string,
  digest: string,
): Promise<{ mediaType: string; signatureAlgorithm: string }[]> {
  const run = await runNotation(home, [
    'inspect',
    '--insecure-registry',
    '--output',
    'json',
    `${harbor.host}/${repository}@${digest}`,
  ]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(run.stdout) as { Signatures: { mediaType: string; signatureAlgorithm: string }[] }).Signatures.map(
    ({ mediaType, signatureAlgorithm }) => ({ mediaType, signatureAlgorithm }),
  );
}

describe('Notation COSE envelope (signature-format cose) with RSA keys', () => {
  it('GitHub action: a local RSA 3072 key signs a COSE envelope (PS384); notation verify accepts it', async () => {
    const { env, temp } = runnerEnv('github');
    const run = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/cose-gh',
        reference: '1.0',
        'signature-type': 'notation',
        'signature-format': 'cose',
        'notation-key': rsaKey,
        'notation-certificate-chain': rsaChain,
      },
      { cwd: workspace, env, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/cose-gh']);
    expect(run.displayed).toContain(`Notation COSE referrer ${run.outputs['signature-digest']}`);
    expectKeptSecret(run, temp, [...pemLines(rsaKey), harbor.admin.password]);
    await expectVerified(run, 'shop/cose-gh', digests['shop/cose-gh'], run.outputs['signature-digest']);
    expect(await inspected('shop/cose-gh', digests['shop/cose-gh'])).toEqual([
      { mediaType: 'application/cose', signatureAlgorithm: 'RSASSA-PSS-SHA-384' },
    ]);
  }, 400_000);

  it('Azure DevOps task: an RSA 2048 key in Key Vault signs a COSE envelope (PS256) through the service connection; notation verify accepts it', async () => {
    vault.requests.length = 0;
    const { env, temp } = runnerEnv('ado');
    const run = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        azureSubscription: 'azure-conn',
        repository: 'shop/cose-ado',
        reference: '1.0',
        signatureType: 'notation',
        signatureFormat: 'cose',
        keyVaultKeyId: rsaVaultKey.kid,
        notationCertificateChain: rsaVaultKey.chainPem,
      },
      { endpoints: endpoints({ 'azure-conn': armEndpoint(world, 'ServicePrincipal') }), env, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(digests['shop/cose-ado']);
    // The RSA key's size decides the algorithm Key Vault is asked for.
    expect(vault.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect((JSON.parse(vault.requests[1].body) as { alg: string }).alg).toBe('PS256');
    expectKeptSecret(run, temp, [APP_SECRET, harbor.admin.password]);
    await expectVerified(run, 'shop/cose-ado', digests['shop/cose-ado'], run.outputs.signatureDigest);
    expect(await inspected('shop/cose-ado', digests['shop/cose-ado'])).toEqual([
      { mediaType: 'application/cose', signatureAlgorithm: 'RSASSA-PSS-SHA-256' },
    ]);
  }, 400_000);

  it('a wrong envelope choice fails with one line naming the input, before any request', async () => {
    harbor.clearRequests();
    const cosignType = await runActionBundle('sign', {
      'harbor-url': harbor.url,
      repository: 'shop/web',
      reference: '1.0',
      'signature-format': 'cose',
      'notation-key': rsaKey,
      'notation-certificate-chain': rsaChain,
    });
    expect(cosignType.code).toBe(1);
    expect(cosignType.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      "::error::Input 'signature-format' is cose, an envelope of Notation signatures, but 'signature-type' is cosign (the default): set 'signature-type' to notation",
    ]);
    const task = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/web',
        reference: '1.0',
        signatureType: 'notation',
        signatureFormat: 'jwt',
        notationKey: rsaKey,
        notationCertificateChain: rsaChain,
      },
      { endpoints: endpoints() },
    );
    expect(task.code).not.toBe(0);
    const failed = task.stdout.split('\n').filter((l) => l.startsWith('##vso[task.complete result=Failed;]'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/\]Input 'signatureFormat'.*jws.*cose/);
    expect(harbor.requests()).toEqual([]);
  }, 120_000);
});

/** notation's reading of the signatures on `digest`: signing time and expiry (none when the signature has none). */
async function signedTimes(repository: string, digest: string): Promise<{ signingTime: number; expiry?: number }[]> {
  const run = await runNotation(home, [
    'inspect',
    '--insecure-registry',
    '--output',
    'json',
    `${harbor.host}/${repository}@${digest}`,
  ]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const found = JSON.parse(run.stdout) as { Signatures: { signedAttributes: Record<string, string> }[] };
  return found.Signatures.map(({ signedAttributes: a }) => ({
    signingTime: Date.parse(a.signingTime),
    ...(a.expiry ? { expiry: Date.parse(a.expiry) } : {}),
  }));
}

describe('Notation expiry (notation-expiry, as notation sign --expiry)', () => {
  it('JWS from the GitHub action and COSE from the Azure DevOps task: notation verify accepts them until the expiry, then refuses them; a re-run renews', async () => {
    const EXPIRY_S = 25;
    const gh = runnerEnv('github');
    const ado = runnerEnv('ado');
    const [jws, cose] = await Promise.all([
      runActionBundle(
        'sign',
        {
          'harbor-url': harbor.url,
          username: harbor.admin.username,
          password: harbor.admin.password,
          repository: 'shop/expiry-gh',
          reference: '1.0',
          'signature-type': 'notation',
          'notation-key': localKey,
          'notation-certificate-chain': 'chain.pem',
          'notation-expiry': `${EXPIRY_S}s`,
        },
        { cwd: workspace, env: gh.env, timeoutMs: 120_000 },
      ),
      runTaskBundle(
        'HarborSign',
        {
          harborConnection: 'harbor-conn',
          repository: 'shop/expiry-ado',
          reference: '1.0',
          signatureType: 'notation',
          signatureFormat: 'cose',
          notationKey: rsaKey,
          notationCertificateChain: rsaChain,
          notationExpiry: `${EXPIRY_S}s`,
        },
        { endpoints: endpoints(), env: ado.env, timeoutMs: 120_000 },
      ),
    ]);
    expect({ code: jws.code, stderr: jws.stderr }).toEqual({ code: 0, stderr: '' });
    expect({ code: cose.code, stderr: cose.stderr }).toEqual({ code: 0, stderr: '' });
    expectKeptSecret(jws, gh.temp, pemLines(localKey));
    expectKeptSecret(cose, ado.temp, pemLines(rsaKey));
    const signed = [
      { repository: 'shop/expiry-gh', run: jws, signature: jws.outputs['signature-digest'] },
      { repository: 'shop/expiry-ado', run: cose, signature: cose.outputs.signatureDigest },
    ];
    let expiresAt = 0;
    const expiries: Record<string, number> = {};
    for (const { repository, run, signature } of signed) {
      // Accepted now: the expiry is in the future, and notation reads it as signing time + the input.
      await expectVerified(run, repository, digests[repository], signature);
      const [times] = await signedTimes(repository, digests[repository]);
      expect(times.expiry! - times.signingTime).toBe(EXPIRY_S * 1000);
      expiresAt = Math.max(expiresAt, times.expiry!);
      expiries[repository] = times.expiry!;
    }
    expect(await inspected('shop/expiry-ado', digests['shop/expiry-ado'])).toEqual([
      { mediaType: 'application/cose', signatureAlgorithm: 'RSASSA-PSS-SHA-384' },
    ]);

    // Wait the expiry out (the times are whole seconds; a second more for the clocks' rounding).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1500));
    for (const { repository } of signed) {
      const refused = await runNotation(home, [
        'verify',
        '--verbose',
        '--insecure-registry',
        `${harbor.host}/${repository}@${digests[repository]}`,
      ]);
      expect({ repository, code: refused.code }).toEqual({ repository, code: 1 });
      expect(refused.stderr).toMatch(/digital signature has expired/);
    }

    // Without notation-expiry, a re-run does not keep the expired signature: it writes a new one without an expiry,
    // which notation accepts; a further re-run keeps that one and writes nothing.
    const adoInputs = {
      harborConnection: 'harbor-conn',
      repository: 'shop/expiry-ado',
      reference: '1.0',
      signatureType: 'notation',
      signatureFormat: 'cose',
      notationKey: rsaKey,
      notationCertificateChain: rsaChain,
    };
    const fresh = await runTaskBundle('HarborSign', adoInputs, {
      endpoints: endpoints(),
      env: ado.env,
      timeoutMs: 120_000,
    });
    expect({ code: fresh.code, stderr: fresh.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fresh.outputs.signatureDigest).not.toBe(cose.outputs.signatureDigest);
    expect(fresh.displayed).toContain(
      `Not keeping the existing signature ${cose.outputs.signatureDigest}: it expired ${new Date(expiries['shop/expiry-ado']).toISOString().replace('.000Z', 'Z')}; writing a new one`,
    );
    await expectVerified(fresh, 'shop/expiry-ado', digests['shop/expiry-ado'], fresh.outputs.signatureDigest);
    harbor.clearRequests();
    const kept = await runTaskBundle('HarborSign', adoInputs, {
      endpoints: endpoints(),
      env: ado.env,
      timeoutMs: 120_000,
    });
    expect(kept.code).toBe(0);
    expect(kept.outputs.signatureDigest).toBe(fresh.outputs.signatureDigest);
    expect(harbor.requests().filter((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'PATCH')).toEqual(
      [],
    );

    // The same inputs again: a new signature with a fresh expiry, which notation accepts; the expired one stays.
    const renewed = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/expiry-gh',
        reference: '1.0',
        'signature-type': 'notation',
        'notation-key': localKey,
        'notation-certificate-chain': 'chain.pem',
        'notation-expiry': '1h',
      },
      { cwd: workspace, env: gh.env, timeoutMs: 120_000 },
    );
    expect(renewed.code).toBe(0);
    expect(renewed.outputs['signature-digest']).not.toBe(jws.outputs['signature-digest']);
    await expectVerified(renewed, 'shop/expiry-gh', digests['shop/expiry-gh'], renewed.outputs['signature-digest']);
    expect(await signedTimes('shop/expiry-gh', digests['shop/expiry-gh'])).toHaveLength(2);
  }, 400_000);

  it('without notation-expiry the signature carries no expiry', async () => {
    // shop/web was signed without one by the first test of this file.
    const found = await signedTimes('shop/web', digests['shop/web']);
    expect(found.length).toBeGreaterThan(0);
    for (const times of found) expect(times.expiry).toBeUndefined();
  }, 120_000);

  it('a bad expiry fails with one line naming the input as each platform spells it, before any request', async () => {
    harbor.clearRequests();
    const github = async (expiry: string, extra: Record<string, string> = {}) => {
      const run = await runActionBundle('sign', {
        'harbor-url': harbor.url,
        repository: 'shop/web',
        reference: '1.0',
        'signature-type': 'notation',
        'notation-key': localKey,
        'notation-certificate-chain': localChain,
        'notation-expiry': expiry,
        ...extra,
      });
      expect(run.code).toBe(1);
      return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    };
    const azure = async (expiry: string) => {
      const run = await runTaskBundle(
        'HarborSign',
        {
          harborConnection: 'harbor-conn',
          repository: 'shop/web',
          reference: '1.0',
          signatureType: 'notation',
          notationKey: localKey,
          notationCertificateChain: localChain,
          notationExpiry: expiry,
        },
        { endpoints: endpoints() },
      );
      expect(run.code).not.toBe(0);
      return run.stdout
        .split('\n')
        .filter((l) => l.startsWith('##vso[task.complete result=Failed;]'))
        .map((l) => l.replace('##vso[task.complete result=Failed;]', ''));
    };
    expect(await github('24 hours')).toEqual([
      "::error::Input 'notation-expiry' must be a duration like 90s, 5m, 1h30m or 2d (got '24 hours')",
    ]);
    expect(await github('0s')).toEqual([
      "::error::Input 'notation-expiry' must be longer than 0 (got '0s'); give a limit like 90s or 10m",
    ]);
    expect(await github('24h', { 'signature-type': 'cosign' })).toEqual([
      "::error::Input 'notation-expiry' is set but 'signature-type' is cosign (the default): set 'signature-type' to notation",
    ]);
    expect(await azure('1500ms')).toEqual([
      "Input 'notationExpiry' must be whole seconds, as notation's --expiry (e.g. 90s, 24h, 30d)",
    ]);
    expect(await azure('2562048h')).toEqual([
      "Input 'notationExpiry' must be at most 2562047h (about 292 years, the longest expiry notation takes)",
    ]);
    expect(harbor.requests()).toEqual([]);
  }, 120_000);
});

describe('RFC 3161 time stamps (timestamp-url, timestamp-root-cert), as notation sign --timestamp-url', () => {
  /** The unsigned attributes notation reads from the signatures on `digest`. */
  async function timestamps(repository: string, digest: string): Promise<unknown[]> {
    const run = await runNotation(home, [
      'inspect',
      '--insecure-registry',
      '--output',
      'json',
      `${harbor.host}/${repository}@${digest}`,
    ]);
    expect(run.code).toBe(0);
    return (
      JSON.parse(run.stdout) as { Signatures: { unsignedAttributes: { timestampSignature?: unknown } }[] }
    ).Signatures.map((s) => s.unsignedAttributes.timestampSignature);
  }

  it('GitHub action (JWS, root from a workspace file) and Azure DevOps task (COSE, inline root): the TSA stamps each signature; notation verify with a tsa trust store accepts them', async () => {
    tsa.mode = 'ok';
    const before = tsa.queries.length;
    const gh = runnerEnv('github');
    const jws = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/stamped-gh',
        reference: '1.0',
        'signature-type': 'notation',
        'notation-key': localKey,
        'notation-certificate-chain': 'chain.pem',
        'timestamp-url': tsa.url,
        'timestamp-root-cert': 'tsa-root.pem',
      },
      { cwd: workspace, env: gh.env, timeoutMs: 120_000 },
    );
    expect({ code: jws.code, stderr: jws.stderr }).toEqual({ code: 0, stderr: '' });
    expectKeptSecret(jws, gh.temp, pemLines(localKey));
    await expectVerified(jws, 'shop/stamped-gh', digests['shop/stamped-gh'], jws.outputs['signature-digest']);

    const ado = runnerEnv('ado');
    const cose = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        repository: 'shop/stamped-ado',
        reference: '1.0',
        signatureType: 'notation',
        signatureFormat: 'cose',
        notationKey: rsaKey,
        notationCertificateChain: rsaChain,
        timestampUrl: tsa.url,
        timestampRootCert: tsaRootPem,
      },
      { endpoints: endpoints(), env: ado.env, timeoutMs: 120_000 },
    );
    expect({ code: cose.code, stderr: cose.stderr }).toEqual({ code: 0, stderr: '' });
    expectKeptSecret(cose, ado.temp, pemLines(rsaKey));
    await expectVerified(cose, 'shop/stamped-ado', digests['shop/stamped-ado'], cose.outputs.signatureDigest);

    // One query per signature reached the TSA, and notation finds a time stamp in each envelope.
    expect(tsa.queries.length - before).toBe(2);
    for (const repository of ['shop/stamped-gh', 'shop/stamped-ado']) {
      const [stamp] = await timestamps(repository, digests[repository]);
      expect(stamp).toMatchObject({ certificates: [expect.objectContaining({ issuedTo: 'CN=test-tsa' })] });
    }
  }, 400_000);

  it('a TSA reply that is not for this request fails with one line naming the input, and Harbor gets no write', async () => {
    tsa.mode = 'other-nonce';
    harbor.clearRequests();
    try {
      const run = await runTaskBundle(
        'HarborSign',
        {
          harborConnection: 'harbor-conn',
          repository: 'shop/stamped-ado',
          reference: '1.0',
          signatureType: 'notation',
          notationKey: localKey,
          notationCertificateChain: localChain,
          timestampUrl: tsa.url,
          timestampRootCert: tsaRootPem,
        },
        { endpoints: endpoints(), timeoutMs: 120_000 },
      );
      expect(run.code).not.toBe(0);
      expect(run.stdout.split('\n').filter((l) => l.startsWith('##vso[task.complete result=Failed;]'))).toEqual([
        "##vso[task.complete result=Failed;]Input 'timestampUrl': the TSA's token does not carry the request's nonce; nothing was written",
      ]);
      expect(harbor.requests().filter((r) => !['GET', 'HEAD'].includes(r.method))).toEqual([]);
    } finally {
      tsa.mode = 'ok';
    }
  }, 120_000);

  it('bad timestamp inputs fail with one line naming the input, before any request', async () => {
    harbor.clearRequests();
    const queries = tsa.queries.length;
    const errors = async (inputs: Record<string, string>) => {
      const run = await runActionBundle(
        'sign',
        {
          'harbor-url': harbor.url,
          repository: 'shop/web',
          reference: '1.0',
          'signature-type': 'notation',
          'notation-key': localKey,
          'notation-certificate-chain': localChain,
          ...inputs,
        },
        { cwd: workspace },
      );
      expect(run.code).toBe(1);
      return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    };
    expect(await errors({ 'timestamp-url': tsa.url })).toEqual([
      "::error::Input 'timestamp-url' needs 'timestamp-root-cert' too: give both or neither",
    ]);
    expect(await errors({ 'timestamp-url': tsa.url, 'timestamp-root-cert': localChain + tsaRootPem })).toEqual([
      "::error::Input 'timestamp-root-cert': expected exactly one PEM certificate, the TSA's root (found 2)",
    ]);
    const leaf = vaultKey.chainPem.slice(0, vaultKey.chainPem.indexOf('-----END CERTIFICATE-----') + 25);
    expect(await errors({ 'timestamp-url': tsa.url, 'timestamp-root-cert': leaf })).toEqual([
      "::error::Input 'timestamp-root-cert': C=US, ST=WA, O=harbor-pipelines, CN=kv-signer is not a self-signed root certificate",
    ]);
    expect(await errors({ 'timestamp-url': tsa.url, 'timestamp-root-cert': 'missing.pem' })).toEqual([
      "::error::Input 'timestamp-root-cert': neither PEM nor a readable file: missing.pem (ENOENT)",
    ]);
    expect(await errors({ 'timestamp-url': 'ftp://tsa.example', 'timestamp-root-cert': tsaRootPem })).toHaveLength(1);
    expect(await errors({ 'signature-type': 'cosign', 'timestamp-url': tsa.url })).toEqual([
      "::error::Input 'timestamp-url' is set but 'signature-type' is cosign (the default): set 'signature-type' to notation",
    ]);
    expect(harbor.requests()).toEqual([]);
    expect(tsa.queries.length).toBe(queries);
  }, 120_000);
});

describe('bad input', () => {
  it('fails with one line naming the input as each platform spells it, before any request to Harbor, Entra or Key Vault', async () => {
    harbor.clearRequests();
    vault.requests.length = 0;
    const exchanges = world.identity.exchanges.length;

    // GitHub: the local key is not the certificate's.
    const action = await runActionBundle(
      'sign',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        repository: 'shop/web',
        reference: '1.0',
        'signature-type': 'notation',
        'notation-key': localKey,
        'notation-certificate-chain': vaultKey.chainPem,
      },
      { cwd: workspace },
    );
    expect(action.code).toBe(1);
    expect(action.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      "::error::Input 'notation-certificate-chain': the first (leaf) certificate is not for the key in 'notation-key' (the chain must start with the signing certificate)",
    ]);
    expect(action.displayed).not.toContain(pemLines(localKey)[1]);

    // Azure DevOps: a key identifier without its version.
    const task = await runTaskBundle(
      'HarborSign',
      {
        harborConnection: 'harbor-conn',
        azureSubscription: 'azure-conn',
        repository: 'shop/web',
        reference: '1.0',
        signatureType: 'notation',
        keyVaultKeyId: `${vault.url}/keys/release-signing`,
        notationCertificateChain: vaultKey.chainPem,
      },
      { endpoints: endpoints({ 'azure-conn': armEndpoint(world, 'ServicePrincipal') }) },
    );
    expect(task.code).not.toBe(0);
    const failed = task.stdout.split('\n').filter((l) => l.startsWith('##vso[task.complete result=Failed;]'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(
      /\]Input 'keyVaultKeyId': '.*\/keys\/release-signing' is not a versioned Key Vault key identifier/,
    );

    // A notation key with the default signature type: the line says what to set.
    const forgot = await runActionBundle('sign', {
      'harbor-url': harbor.url,
      repository: 'shop/web',
      reference: '1.0',
      'notation-key': localKey,
      'notation-certificate-chain': localChain,
    });
    expect(forgot.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      "::error::Input 'notation-key' is set but 'signature-type' is cosign (the default): set 'signature-type' to notation",
    ]);

    expect(harbor.requests()).toEqual([]);
    expect(vault.requests).toEqual([]);
    expect(world.identity.exchanges).toHaveLength(exchanges);
  }, 120_000);

  it('a Harbor that would not list the signature as signature.notation (before 2.9) is refused before anything is written', async () => {
    // src/server/middleware/subject/subject.go types a notary signature only from v2.9.0; v2.8 lists it as
    // subject.accessory and would show the image unsigned.
    const harbor28 = await startHarborEmulator({ projects: [{ name: 'shop' }], harborVersion: 'v2.8.6-b2a0a1a7' });
    try {
      await seedImage(harborAccess(harbor28), 'shop/web', '1.0');
      harbor28.clearRequests();
      const run = await runActionBundle('sign', {
        'harbor-url': harbor28.url,
        username: harbor28.admin.username,
        password: harbor28.admin.password,
        repository: 'shop/web',
        reference: '1.0',
        'signature-type': 'notation',
        'notation-key': localKey,
        'notation-certificate-chain': localChain,
      });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
        "::error::Input 'signature-type': Harbor v2.8.6-b2a0a1a7 does not list a Notation signature as signature.notation (Harbor lists them from 2.9); set 'verify-in-harbor' to false to sign anyway",
      ]);
      expect(harbor28.requests().filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    } finally {
      await harbor28.stop();
    }
  }, 120_000);
});
