/**
 * End to end on the sandbox: the fake ARM hands out the credentials a real htpasswd registry (standing in for ACR)
 * accepts; the bundled action registers them in the Harbor emulator, whose ping really logs in to that registry; and
 * the replicate capability then pushes an image through the endpoint, verified independently with skopeo.
 */
import { randomSecret, startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { HarborEmulator, startHarborEmulator, authHeader } from '../sandbox/harbor-emulator';
import { request } from '../sandbox/net-utils';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle } from '../support/bundles';
import { FEDERATED_APP, startAzureWorld, SUBSCRIPTION, TENANT, type AzureWorld } from '../support/fake-arm/azure-world';
import { harborAccess, runReplicate, seedImage } from './replicate-setup';

const TOKEN = 'harbor-replication';
const password = randomSecret(24);
let acr: RegistryHandle;
let harbor: HarborEmulator;
let world: AzureWorld;
let digest: string;

beforeAll(async () => {
  [acr, harbor] = await Promise.all([
    startRegistry({ auth: 'htpasswd', users: [{ username: TOKEN, password }] }),
    startHarborEmulator({ projects: [{ name: 'shop' }] }),
  ]);
  world = await startAzureWorld({ loginServer: acr.host, generatePassword: (token) => (token === TOKEN ? password : randomSecret()) });
  digest = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await acr?.stop();
  await harbor?.stop();
});

const oidcEnv = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken });

function stepInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'subscription-id': SUBSCRIPTION,
    'resource-group': 'rg-registry',
    registry: 'contosoregistry',
    token: TOKEN,
    repositories: 'shop/web',
    'client-id': FEDERATED_APP,
    'tenant-id': TENANT,
    'authority-host': world.identity.url,
    'resource-manager-url': world.arm.url,
    'register-in-harbor': 'true',
    'harbor-url': harbor.url,
    'harbor-username': harbor.admin.username,
    'harbor-password': harbor.admin.password,
    'harbor-registry-name': 'acr-westeurope',
    'harbor-registry-url': acr.url,
    ...extra,
  };
}

async function harborRegistries(): Promise<{ id: number; name: string; type: string; url: string; credential: { access_key: string } }[]> {
  const res = await request(`${harbor.url}/api/v2.0/registries`, { headers: authHeader(harbor.admin) });
  return res.json();
}

describe('acr-token end to end', () => {
  it('registers the generated token in Harbor (ping logs in to the registry) and replicate pushes through it', async () => {
    const run = await runActionBundle('acr-token', stepInputs(), { env: oidcEnv() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.password).toBe(password);
    expect(run.outputs['login-server']).toBe(acr.host);
    expect(run.displayed).not.toContain(password);
    expect(run.displayed).not.toContain(harbor.admin.password);

    // The handed-out credentials really open the registry (skopeo, independent of the code under test).
    await expect(skopeoDigest(`docker://${acr.host}/shop/web:1.0`, { host: acr.host, username: run.outputs.username, password: run.outputs.password })).rejects.toThrow(/manifest unknown|not found/i);

    const endpoints = await harborRegistries();
    expect(endpoints).toEqual([expect.objectContaining({ id: Number(run.outputs['harbor-registry-id']), name: 'acr-westeurope', type: 'azure-acr', url: acr.url })]);
    expect(endpoints[0].credential.access_key).toBe(TOKEN);

    const replicated = await runReplicate({
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': 'acr-westeurope',
      'policy-name': 'shop-to-acr',
      direction: 'push',
      'name-filter': 'shop/web',
    });
    expect(replicated.result).toEqual({ result: 'succeeded', message: undefined });
    expect(await skopeoDigest(`docker://${acr.host}/shop/web:1.0`, { host: acr.host, username: TOKEN, password })).toBe(digest);
    expect(world.arm.violations).toEqual([]);
    expect(harbor.violations()).toEqual([]);
  });

  it('a re-run changes nothing in Azure or Harbor and outputs no password', async () => {
    world.arm.calls.length = 0;
    harbor.clearRequests();
    const run = await runActionBundle('acr-token', stepInputs(), { env: oidcEnv() });
    expect(run.code).toBe(0);
    expect(world.arm.writes).toEqual([]);
    expect(run.outputs.password).toBeUndefined();
    expect(run.outputs['harbor-registry-id']).toBe(String((await harborRegistries())[0].id));
    expect(run.displayed).toContain("Registry endpoint 'acr-westeurope' (id 1) is up to date");
  });

  it('rotate generates a new password and hands it to the existing Harbor endpoint after a ping with it', async () => {
    world.arm.calls.length = 0;
    const run = await runActionBundle('acr-token', stepInputs({ rotate: 'true' }), { env: oidcEnv() });
    expect(run.code).toBe(0);
    expect(world.arm.writes).toEqual(['POST Registries_GenerateCredentials']);
    expect(run.outputs.password).toBe(password);
    expect(run.displayed).toMatch(/Registry endpoint 'acr-westeurope' \(id 1\) updated: credential refreshed/);
    expect((await harborRegistries()).map((r) => r.name)).toEqual(['acr-westeurope']);
  });

  it('wrong Harbor credentials with rotate fail before Azure rotates the password the endpoint still uses', async () => {
    world.arm.calls.length = 0;
    harbor.clearRequests();
    const run = await runActionBundle('acr-token', stepInputs({ rotate: 'true', 'harbor-password': 'not-the-harbor-password' }), { env: oidcEnv() });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::Harbor authentication failed for admin at .*; check the username and password$/),
    ]);
    // password1 in Harbor's endpoint is still the valid one: nothing was generated or written in Azure.
    expect(world.arm.writes).toEqual([]);
    expect(run.outputs.password).toBeUndefined();
    expect(run.displayed).not.toContain('not-the-harbor-password');
  });

  it('a wrong registry URL for Harbor fails on the ping and leaves Harbor untouched', async () => {
    const run = await runActionBundle('acr-token', stepInputs({ rotate: 'true', 'harbor-registry-name': 'acr-broken', 'harbor-registry-url': 'http://127.0.0.1:9' }), { env: oidcEnv() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Harbor could not reach registry endpoint http:\/\/127\.0\.0\.1:9 as harbor-replication \(400: .*the registry is unhealthy\); nothing was saved/);
    expect((await harborRegistries()).map((r) => r.name)).toEqual(['acr-westeurope']);
  });
});
