/**
 * The shipped acr-import bundles (actions/acr-import/dist, tasks/HarborAcrImport/dist), as the runners start them (node_modules out of reach): the GitHub
 * action signing in with the runner's OIDC token, the Azure DevOps task with its Harbor and AzureRM service
 * connections. The spec-checked fake ARM imports for real (skopeo from the Harbor emulator into an htpasswd registry
 * standing in for ACR, with ACR's data plane in front), and skopeo then finds the Harbor digests in the ACR stand-in.
 * shop/web carries a cosign signature in Harbor: include-referrers (default) takes it along, the destination check
 * reads everything back, and the real `cosign verify --key` accepts the signature in ACR.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';
import { signWithCosignKey } from '../../shared/sign/cosign';
import { loadSigningKey } from '../../shared/sign/keys';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import { requireGoTool } from '../support/tools';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { APP_SECRET, startAzureWorld, type AzureWorld } from '../support/fake-arm/azure-world';
import { armEndpoint, githubOidc } from '../support/azure-bundle-env';
import { harborAccess, registryAccess, seedImage } from '../sandbox/seed';

let harbor: HarborEmulator;
let acr: RegistryHandle;
let world: AzureWorld;
let dataPlane: FakeAcrDataPlane;
let home: string;
const digests: Record<string, string> = {};
const VERIFIER = { username: 'verifier', password: 'verifier-password-0123456789' };

/** The real cosign, offline (BRIEF: cosign 3 with the tlog off), against ACR's data plane with a pull token. */
function cosignVerify(ref: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool('cosign'),
      [
        'verify',
        '--key',
        path.join(home, 'cosign.pub'),
        '--insecure-ignore-tlog=true',
        '--allow-http-registry=true',
        ref,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: home, TUF_ROOT: path.join(home, 'tuf') }, timeout: 300_000 },
      (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr: String(stderr) }),
    ),
  );
}

beforeAll(async () => {
  [harbor, acr] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'shop' }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  world = await startAzureWorld({ loginServer: acr.host, dataPlane: acr.users[0] });
  dataPlane = await new FakeAcrDataPlane(world.arm, world.registry, { host: acr.host, ...acr.users[0] }).start();
  dataPlane.addReadToken(VERIFIER.username, VERIFIER.password);
  digests.web = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
  digests.api = await seedImage(harborAccess(harbor), 'shop/api', '2.0');

  // shop/web:1.0 gets a cosign signature in Harbor (the sign step's core, `.sig` tag layout).
  home = makeTempDir('acr-import-bundles-home');
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const key = await loadSigningKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, {
    key: 'cosign-key',
    password: 'cosign-password',
  });
  fs.writeFileSync(path.join(home, 'cosign.pub'), key.publicKeyPem);
  fs.mkdirSync(path.join(home, '.docker'));
  const auth = Buffer.from(`${VERIFIER.username}:${VERIFIER.password}`).toString('base64');
  fs.writeFileSync(
    path.join(home, '.docker', 'config.json'),
    JSON.stringify({ auths: { [dataPlane.host]: { auth } } }),
    {
      mode: 0o600,
    },
  );
  const http = new HttpClient({ timeoutMs: 60_000 });
  try {
    const client = new RegistryClient(http, harbor.url, 'shop/web', harbor.admin, { onSecret: () => undefined });
    await client.login();
    const manifest = (await client.getManifest('1.0'))!;
    const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
    const quiet = { log: () => undefined, debug: () => undefined };
    await signWithCosignKey({ registry: client, subject, key, layout: 'tag', push: quiet });
  } finally {
    await http.close();
  }
}, 120_000);

afterAll(async () => {
  await dataPlane?.stop();
  await world?.stop();
  removeAllTempDirs();
  await acr?.stop();
  await harbor?.stop();
});

afterEach(() => {
  expect(world.arm.violations).toEqual([]);
  expect(world.identity.problems).toEqual([]);
});

describe('acr-import bundles', () => {
  it('GitHub action: OIDC sign-in, filters resolved in Harbor, ACR serves the same digests', async () => {
    const run = await runActionBundle(
      'acr-import',
      {
        'harbor-url': harbor.url,
        username: harbor.admin.username,
        password: harbor.admin.password,
        'name-filter': 'shop/**',
        'target-repository-prefix': 'gh',
        'resource-group': 'rg-registry',
        registry: 'contosoregistry',
        ...githubOidc(world).inputs,
      },
      { env: githubOidc(world).env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The two images and shop/web's cosign signature.
    expect(run.outputs).toMatchObject({ total: '3', succeeded: '3', failed: '0', 'login-server': dataPlane.host });
    expect(JSON.parse(run.outputs.imported).sort()).toEqual([
      `${dataPlane.host}/gh/shop/api:2.0`,
      `${dataPlane.host}/gh/shop/web:1.0`,
    ]);
    expect(run.displayed).toContain(`Destination check: all 3 expected manifest(s) are in ${dataPlane.host}`);
    const verified = await cosignVerify(`${dataPlane.host}/gh/shop/web@${digests.web}`);
    expect(verified).toMatchObject({ code: 0 });
    expect(await skopeoDigest(`docker://${acr.host}/gh/shop/web:1.0`, registryAccess(acr))).toBe(digests.web);
    expect(await skopeoDigest(`docker://${acr.host}/gh/shop/api:2.0`, registryAccess(acr))).toBe(digests.api);
    expect(run.summary).toContain(`| \`shop/web:1.0\` | \`${dataPlane.host}/gh/shop/web:1.0\` |`);
    expect(run.displayed).toContain('Signed in to Azure with GitHub OIDC → service principal');
    expect(run.displayed).not.toContain(harbor.admin.password);
  });

  it('Azure DevOps task: Harbor and AzureRM service connections, outputs as task variables', async () => {
    const run = await runTaskBundle(
      'HarborAcrImport',
      {
        harborConnection: 'harbor-conn',
        azureSubscription: 'arm-conn',
        resourceGroup: 'rg-registry',
        registry: 'contosoregistry',
        images: 'shop/web:1.0',
        targetRepositoryPrefix: 'ado',
      },
      {
        endpoints: {
          'harbor-conn': {
            url: harbor.url,
            scheme: 'UsernamePassword',
            parameters: { username: harbor.admin.username, password: harbor.admin.password },
            data: { acceptUntrustedCerts: 'false' },
          },
          'arm-conn': armEndpoint(world, 'ServicePrincipal'),
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      total: '2',
      succeeded: '2',
      failed: '0',
      loginServer: dataPlane.host,
      imported: JSON.stringify([`${dataPlane.host}/ado/shop/web:1.0`]),
    });
    expect(run.displayed).toContain(`Destination check: all 2 expected manifest(s) are in ${dataPlane.host}`);
    expect(await cosignVerify(`${dataPlane.host}/ado/shop/web@${digests.web}`)).toMatchObject({ code: 0 });
    expect(await skopeoDigest(`docker://${acr.host}/ado/shop/web:1.0`, registryAccess(acr))).toBe(digests.web);
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(run.displayed).not.toContain(APP_SECRET);
  });

  it('a missing required input fails with one line naming it as each platform spells it, before any call', async () => {
    world.arm.calls.length = 0;
    harbor.clearRequests();
    const action = await runActionBundle('acr-import', {
      'harbor-url': harbor.url,
      username: 'admin',
      password: 'x',
      images: 'shop/web:1.0',
      registry: 'contosoregistry',
    });
    expect(action.code).toBe(1);
    expect(
      action.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('::error::')),
    ).toEqual(['::error::Input required and not supplied: resource-group']);
    const task = await runTaskBundle(
      'HarborAcrImport',
      { harborConnection: 'harbor-conn', azureSubscription: 'arm-conn', images: 'shop/web:1.0', resourceGroup: 'rg' },
      {
        endpoints: {
          'harbor-conn': {
            url: harbor.url,
            scheme: 'UsernamePassword',
            parameters: { username: 'admin', password: 'x' },
            data: { acceptUntrustedCerts: 'false' },
          },
        },
      },
    );
    expect(task.code).not.toBe(0);
    expect(task.stdout).toContain('##vso[task.complete result=Failed;]Input required and not supplied: registry');
    expect(world.arm.calls).toEqual([]);
    expect(harbor.requests()).toEqual([]);
  });
});
