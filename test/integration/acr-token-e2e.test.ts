/**
 * End to end on the sandbox: the fake ARM hands out token passwords, and ACR's data-plane stand-in (in front of a real
 * Distribution registry) logs them in from the fake ARM's state, refusing a fresh password until it has "replicated";
 * the bundled action registers them in the Harbor emulator, whose ping really logs in there; and the replicate
 * capability then pushes an image through the endpoint, verified independently with skopeo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { HarborEmulator, startHarborEmulator, authHeader } from '../sandbox/harbor-emulator';
import { request, waitUntil } from '../sandbox/net-utils';
import { skopeoDigest } from '../sandbox/skopeo';
import { ROOT, runActionBundle, runTaskBundle, type BundleRun, type Endpoint } from '../support/bundles';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import {
  APP_SECRET,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';
import { harborAccess, seedImage } from '../sandbox/seed';
import { runReplicate } from './replicate-setup';

const TOKEN = 'harbor-replication';
/** A short replication delay: the bundles wait for real (2 s, then 4 s), and tests can look in between. */
const REPLICATION_MS = 5_000;
let storage: RegistryHandle;
let acr: FakeAcrDataPlane;
let harbor: HarborEmulator;
let world: AzureWorld;
let digest: string;

beforeAll(async () => {
  [storage, harbor] = await Promise.all([
    startRegistry(),
    startHarborEmulator({ projects: [{ name: 'shop' }, { name: 'team' }] }),
  ]);
  world = await startAzureWorld();
  acr = await new FakeAcrDataPlane(
    world.arm,
    world.registry,
    { host: storage.host },
    { replicationDelayMs: REPLICATION_MS },
  ).start();
  digest = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
}, 60_000);

afterAll(async () => {
  await acr?.stop();
  await world?.stop();
  await storage?.stop();
  await harbor?.stop();
});

const passwordOf = (slot: 'password1' | 'password2', registry = world.registry) =>
  registry.tokens.get(TOKEN)!.passwords.find((p) => p.name === slot)?.value;

const oidcEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
});

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

async function harborRegistries(): Promise<
  { id: number; name: string; type: string; url: string; credential: { access_key: string } }[]
> {
  const res = await request(`${harbor.url}/api/v2.0/registries`, { headers: authHeader(harbor.admin) });
  return res.json();
}

describe('acr-token end to end', () => {
  it('registers the generated token in Harbor (ping logs in to the registry) and replicate pushes through it', async () => {
    const run = await runActionBundle('acr-token', stepInputs(), { env: oidcEnv() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const password = passwordOf('password1')!;
    expect(run.outputs.password).toBe(password);
    expect(run.outputs['login-server']).toBe(acr.host);
    expect(run.displayed).not.toContain(password);
    // ACR refused the fresh password at first; the step waited for it to replicate instead of failing.
    expect(acr.freshRefusals).toBeGreaterThan(0);
    expect(run.displayed).toMatch(
      /Harbor's ping with the new password1 failed \(400\); a new ACR token password takes about a minute to replicate: retrying in 2 s/,
    );
    expect(run.displayed).not.toContain(harbor.admin.password);

    // The handed-out credentials really open the registry (skopeo, independent of the code under test).
    await expect(
      skopeoDigest(`docker://${acr.host}/shop/web:1.0`, {
        host: acr.host,
        username: run.outputs.username,
        password: run.outputs.password,
      }),
    ).rejects.toThrow(/manifest unknown|not found/i);

    const endpoints = await harborRegistries();
    expect(endpoints).toEqual([
      expect.objectContaining({
        id: Number(run.outputs['harbor-registry-id']),
        name: 'acr-westeurope',
        type: 'azure-acr',
        url: acr.url,
      }),
    ]);
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
    expect(await skopeoDigest(`docker://${acr.host}/shop/web:1.0`, { host: acr.host, username: TOKEN, password })).toBe(
      digest,
    );
    // The token cannot list the catalog, as ACR's docs say of repository-scoped permissions.
    const catalog = await request(`${acr.url}/v2/_catalog`, {
      headers: { authorization: `Basic ${Buffer.from(`${TOKEN}:${password}`).toString('base64')}` },
    });
    expect(catalog.status).toBe(401);
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

  it('rotate generates the other slot and hands it to the existing Harbor endpoint once it has replicated', async () => {
    world.arm.calls.length = 0;
    const before = passwordOf('password1');
    const run = await runActionBundle('acr-token', stepInputs({ rotate: 'true' }), { env: oidcEnv() });
    expect(run.code).toBe(0);
    expect(world.arm.writes).toEqual(['POST Registries_GenerateCredentials']);
    expect(run.outputs['password-name']).toBe('password2');
    expect(run.outputs.password).toBe(passwordOf('password2'));
    expect(passwordOf('password1')).toBe(before);
    expect(run.displayed).toMatch(/Registry endpoint 'acr-westeurope' \(id 1\) updated: .*credential refreshed/);
    expect((await harborRegistries()).map((r) => r.name)).toEqual(['acr-westeurope']);
  });

  it('wrong Harbor credentials with rotate fail before Azure rotates the password the endpoint still uses', async () => {
    world.arm.calls.length = 0;
    harbor.clearRequests();
    const run = await runActionBundle(
      'acr-token',
      stepInputs({ rotate: 'true', 'harbor-password': 'not-the-harbor-password' }),
      { env: oidcEnv() },
    );
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::Harbor authentication failed for admin at .*; check the username and password$/),
    ]);
    // password1 in Harbor's endpoint is still the valid one: nothing was generated or written in Azure.
    expect(world.arm.writes).toEqual([]);
    expect(run.outputs.password).toBeUndefined();
    expect(run.displayed).not.toContain('not-the-harbor-password');
  });

  it('a registry URL Harbor cannot reach fails on a ping before Azure is changed, and leaves Harbor untouched', async () => {
    world.arm.calls.length = 0;
    const run = await runActionBundle(
      'acr-token',
      stepInputs({ rotate: 'true', 'harbor-registry-name': 'acr-broken', 'harbor-registry-url': 'http://127.0.0.1:9' }),
      { env: oidcEnv() },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Harbor could not reach registry endpoint http:\/\/127\.0\.0\.1:9 as anonymous \(400: .*the registry is unhealthy\); nothing was saved/,
    );
    expect(world.arm.writes).toEqual([]);
    expect((await harborRegistries()).map((r) => r.name)).toEqual(['acr-westeurope']);
  });
});

/**
 * The acr-token steps of examples/github/deploy-harbor.yml and examples/azure-devops/deploy-harbor.yml, as written
 * (rotate: true with register-in-harbor), run by the bundled action and task on successive deployments: across
 * rotations the endpoint Harbor runs with keeps working — while the new password replicates Harbor still logs in with
 * the previous slot — and replication through it keeps copying images.
 */
describe('examples/*/deploy-harbor.yml: the acr-token step across rotations', () => {
  const adoExample = parse(readFileSync(join(ROOT, 'examples/azure-devops/deploy-harbor.yml'), 'utf8'));
  const adoStep = findTask(adoExample, 'HarborAcrToken@1')!;
  const example = parse(readFileSync(join(ROOT, 'examples/github/deploy-harbor.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, string | number | boolean> }[] }>;
  };
  const step = Object.values(example.jobs)
    .flatMap((job) => job.steps)
    .find((s) => s.uses === './actions/acr-token')!;

  /** The step's inputs as the runner would hand them over, expressions replaced by the sandbox's values. */
  function exampleInputs(): Record<string, string> {
    const values: Record<string, string> = {
      'vars.AZURE_CLIENT_ID': FEDERATED_APP,
      'vars.AZURE_TENANT_ID': TENANT,
      'vars.AZURE_SUBSCRIPTION_ID': SUBSCRIPTION,
      'steps.deploy.outputs.harbor-url': harbor.url,
      'secrets.HARBOR_ADMIN_PASSWORD': harbor.admin.password,
    };
    const inputs: Record<string, string> = {};
    for (const [key, raw] of Object.entries(step.with ?? {})) {
      inputs[key] = String(raw).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
        if (!(expression in values)) throw new Error(`the example uses ${expression}; give it a sandbox value`);
        return values[expression];
      });
    }
    // The sandbox's stand-ins instead of Azure's and Entra's public endpoints, and the registry's URL as Harbor reaches it.
    return {
      ...inputs,
      'authority-host': world.identity.url,
      'resource-manager-url': world.arm.url,
      'harbor-registry-url': exampleAcr.url,
    };
  }

  /** The task's inputs with the example's service connections handed over as the agent would. */
  function runAdoExample(): Promise<BundleRun> {
    const inputs: Record<string, string> = Object.fromEntries(
      Object.entries(adoStep.inputs).map(([k, v]) => [k, String(v)]),
    );
    const endpoints: Record<string, Endpoint> = {
      [inputs.azureSubscription]: {
        url: `${world.arm.url}/`,
        scheme: 'ServicePrincipal',
        parameters: {
          serviceprincipalid: SECRET_APP,
          serviceprincipalkey: APP_SECRET,
          tenantid: TENANT,
          authenticationType: 'spnKey',
        },
        data: {
          subscriptionId: SUBSCRIPTION,
          environmentAuthorityUrl: `${world.identity.url}/`,
          environment: 'AzureCloud',
        },
      },
      [inputs.harborConnection]: {
        url: harbor.url,
        scheme: 'UsernamePassword',
        parameters: { username: harbor.admin.username, password: harbor.admin.password },
      },
    };
    // The registry's URL as Harbor reaches the stand-in (the example leaves it to the login server's https URL).
    return runTaskBundle('HarborAcrToken', { ...inputs, harborRegistryUrl: exampleAcr.url }, { endpoints });
  }

  let exampleAcr: FakeAcrDataPlane;
  let exampleStorage: RegistryHandle;
  let registry: ReturnType<AzureWorld['arm']['addRegistry']>;
  beforeAll(async () => {
    expect(step.with).toMatchObject({ rotate: true, 'register-in-harbor': true });
    expect(adoStep.inputs).toMatchObject({
      rotate: true,
      registerInHarbor: true,
      harborRegistryName: step.with!['harbor-registry-name'],
      registry: step.with!.registry,
    });
    exampleStorage = await startRegistry();
    registry = world.arm.addRegistry({
      subscriptionId: SUBSCRIPTION,
      resourceGroup: String(step.with!['resource-group']),
      name: String(step.with!.registry),
    });
    exampleAcr = await new FakeAcrDataPlane(
      world.arm,
      registry,
      { host: exampleStorage.host },
      { replicationDelayMs: REPLICATION_MS },
    ).start();
    await seedImage(harborAccess(harbor), 'team/app', '1.0');
  }, 60_000);
  afterAll(async () => {
    await exampleAcr?.stop();
    await exampleStorage?.stop();
  });

  async function pingEndpoint(id: number): Promise<number> {
    const res = await request(`${harbor.url}/api/v2.0/registries/ping`, {
      method: 'POST',
      headers: { ...authHeader(harbor.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    return res.status;
  }

  async function replicateThrough(endpoint: string, tag: string): Promise<string> {
    const pushed = await seedImage(harborAccess(harbor), 'team/app', tag);
    const replicated = await runReplicate({
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': endpoint,
      'policy-name': 'team-to-acr',
      direction: 'push',
      'name-filter': 'team/app',
      'tag-filter': tag,
    });
    expect(replicated.result).toEqual({ result: 'succeeded', message: undefined });
    return pushed;
  }

  it('the first deployment creates the endpoint; each later one rotates the other slot while the endpoint keeps working', async () => {
    const first = await runActionBundle('acr-token', exampleInputs(), { env: oidcEnv() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.outputs['password-name']).toBe('password1');
    const endpoint = (await harborRegistries()).find((r) => r.name === step.with!['harbor-registry-name'])!;
    expect(await replicateThrough(endpoint.name, 'r0')).toBeTruthy();

    // Two GitHub deployments, then the Azure DevOps pipeline's step on the same registry and endpoint.
    for (const [round, slot, previous, runner] of [
      [1, 'password2', 'password1', 'github'],
      [2, 'password1', 'password2', 'github'],
      [3, 'password2', 'password1', 'azure-devops'],
    ] as const) {
      const kept = passwordOf(previous, registry);
      exampleAcr.logins.length = 0;
      const running =
        runner === 'github' ? runActionBundle('acr-token', exampleInputs(), { env: oidcEnv() }) : runAdoExample();
      // While the new password replicates (the step is retrying), Harbor's stored endpoint still logs in — with the
      // previous slot, which the rotation did not touch.
      await waitUntil(
        async () => exampleAcr.logins.some((l) => l === `${TOKEN}: refused (${slot} not replicated yet)`),
        60_000,
        'the step to meet the fresh password',
      );
      expect(await pingEndpoint(endpoint.id)).toBe(200);
      expect(exampleAcr.logins).toContain(`${TOKEN}: accepted (${previous})`);
      const run = await running;
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outputs[runner === 'github' ? 'password-name' : 'passwordName']).toBe(slot);
      expect(passwordOf(previous, registry)).toBe(kept);
      expect(run.displayed).not.toContain(run.outputs.password);

      // After the switch Harbor logs in with the new slot, and replication through the endpoint still copies images.
      exampleAcr.logins.length = 0;
      expect(await pingEndpoint(endpoint.id)).toBe(200);
      expect(exampleAcr.logins).toEqual([`${TOKEN}: accepted (${slot})`]);
      const pushed = await replicateThrough(endpoint.name, `r${round}`);
      expect(
        await skopeoDigest(`docker://${exampleAcr.host}/team/app:r${round}`, {
          host: exampleAcr.host,
          username: TOKEN,
          password: passwordOf(slot, registry)!,
        }),
      ).toBe(pushed);
    }
    expect(world.arm.violations).toEqual([]);
    expect(harbor.violations()).toEqual([]);
  }, 240_000);
});

/** The first step running `task` in an Azure Pipelines YAML file (stages → jobs → steps, or jobs → steps). */
function findTask(doc: any, task: string): { inputs: Record<string, string | number | boolean> } | undefined {
  const jobs = [...(doc.jobs ?? []), ...(doc.stages ?? []).flatMap((stage: any) => stage.jobs ?? [])];
  const steps = jobs.flatMap((job: any) => [...(job.steps ?? []), ...(job.strategy?.runOnce?.deploy?.steps ?? [])]);
  return steps.find((s: any) => s.task === task);
}
