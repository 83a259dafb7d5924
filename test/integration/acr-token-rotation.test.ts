/**
 * acr-token's register-in-harbor across password generations, against stand-ins that behave like ACR: the data plane
 * (test/support/fake-arm/acr-data-plane.ts) logs tokens in from the fake ARM's state and refuses a freshly generated
 * password until it has replicated (Microsoft's ACR docs: about 60 s), and the Harbor emulator's ping really logs in
 * there. Time is a scripted clock: the step's sleeps advance it, so nothing waits for real.
 */
import { runCapability } from '../../shared/capability';
import capability from '../../shared/capabilities/acr-token';
import { PASSWORD_REPLICATION_WAIT_MS } from '../../shared/capabilities/acr-token/run';
import { HarborEmulator, startHarborEmulator, authHeader } from '../sandbox/harbor-emulator';
import { request } from '../sandbox/net-utils';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import { startAzureWorld, type AzureWorld } from '../support/fake-arm/azure-world';
import { FakePlatform } from '../support/fake-platform';

let storage: RegistryHandle;
let harbor: HarborEmulator;
let world: AzureWorld;
let acr: FakeAcrDataPlane;
let clock: number;
let slept: number[];
/** Runs inside the step's first sleep: what the running endpoint does while the new password replicates. */
let duringWait: (() => Promise<void>) | undefined;

beforeAll(async () => {
  [storage, harbor] = await Promise.all([startRegistry(), startHarborEmulator()]);
}, 60_000);

afterAll(async () => {
  await storage?.stop();
  await harbor?.stop();
});

beforeEach(async () => {
  clock = Date.now();
  slept = [];
  duringWait = undefined;
  world = await startAzureWorld({ now: () => clock });
  acr = await new FakeAcrDataPlane(
    world.arm,
    world.registry,
    { host: storage.host },
    { replicationDelayMs: 60_000 },
  ).start();
});

afterEach(async () => {
  expect(world.arm.violations).toEqual([]);
  expect(harbor.violations()).toEqual([]);
  await acr.stop();
  await world.stop();
  for (const r of await endpoints())
    await request(`${harbor.url}/api/v2.0/registries/${r.id}`, { method: 'DELETE', headers: authHeader(harbor.admin) });
});

async function endpoints(): Promise<{ id: number; name: string; description: string }[]> {
  return (await request(`${harbor.url}/api/v2.0/registries`, { headers: authHeader(harbor.admin) })).json();
}

/** Harbor pings the stored endpoint with its stored credentials: is the running endpoint healthy? */
async function endpointHealthy(id: number): Promise<boolean> {
  const res = await request(`${harbor.url}/api/v2.0/registries/ping`, {
    method: 'POST',
    headers: { ...authHeader(harbor.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  return res.status === 200;
}

async function run(inputs: Record<string, string> = {}): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'resource-group': 'rg-registry',
    registry: 'contosoregistry',
    token: 'harbor-replication',
    repositories: 'shop/web',
    'register-in-harbor': 'true',
    'harbor-url': harbor.url,
    'harbor-username': harbor.admin.username,
    'harbor-password': harbor.admin.password,
    'harbor-registry-name': 'acr-westeurope',
    'harbor-registry-url': acr.url,
    ...inputs,
  });
  platform.connections.azureSubscription = world.connection('ServicePrincipal');
  const sleep = async (ms: number) => {
    slept.push(ms);
    const hook = duringWait;
    duringWait = undefined;
    await hook?.();
    clock += ms;
  };
  await runCapability(capability, platform, { clock: { sleep, now: () => clock } });
  return platform;
}

const passwordOf = (slot: 'password1' | 'password2') =>
  world.registry.tokens.get('harbor-replication')!.passwords.find((p) => p.name === slot)?.value;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('register-in-harbor while a new ACR token password replicates', () => {
  it('waits for a new token’s password to replicate before Harbor saves the endpoint', async () => {
    const p = await run();
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(acr.freshRefusals).toBeGreaterThan(0);
    expect(sum(slept)).toBeGreaterThanOrEqual(60_000);
    expect(sum(slept)).toBeLessThanOrEqual(PASSWORD_REPLICATION_WAIT_MS);
    expect(p.messages('info')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Harbor's ping with the new password1 failed \(400\); a new ACR token password takes about a minute to replicate: retrying in 2 s$/,
        ),
      ]),
    );
    const [endpoint] = await endpoints();
    expect(endpoint).toMatchObject({
      name: 'acr-westeurope',
      description: 'ACR token harbor-replication, password1 (managed by harbor-pipelines acr-token)',
    });
    expect(p.outputs['password-name']).toBe('password1');
    expect(await endpointHealthy(endpoint.id)).toBe(true);
  });

  it('rotate writes the slot Harbor is not using; the running endpoint keeps working until it switches', async () => {
    await run();
    const [endpoint] = await endpoints();
    const first = passwordOf('password1');
    slept = [];
    acr.logins.length = 0;
    let healthyDuringRotation: boolean | undefined;
    duringWait = async () => {
      healthyDuringRotation = await endpointHealthy(endpoint.id);
    };

    const p = await run({ rotate: 'true' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs['password-name']).toBe('password2');
    expect(p.outputs.password).toBe(passwordOf('password2'));
    // password1, which Harbor was using, was not touched, and Harbor kept logging in with it during the wait.
    expect(passwordOf('password1')).toBe(first);
    expect(healthyDuringRotation).toBe(true);
    expect(acr.logins).toEqual(
      expect.arrayContaining([
        'harbor-replication: accepted (password1)',
        'harbor-replication: refused (password2 not replicated yet)',
      ]),
    );
    expect(sum(slept)).toBeGreaterThanOrEqual(60_000);
    expect((await endpoints())[0].description).toBe(
      'ACR token harbor-replication, password2 (managed by harbor-pipelines acr-token)',
    );

    // Now Harbor logs in with password2; the next rotation goes back to password1.
    acr.logins.length = 0;
    expect(await endpointHealthy(endpoint.id)).toBe(true);
    expect(acr.logins).toEqual(['harbor-replication: accepted (password2)']);
    const again = await run({ rotate: 'true' });
    expect(again.outputs['password-name']).toBe('password1');
    expect(passwordOf('password1')).not.toBe(first);
    expect((await endpoints())[0].description).toBe(
      'ACR token harbor-replication, password1 (managed by harbor-pipelines acr-token)',
    );
  });

  it('gives up after the replication window with one line, leaving Harbor on the slot that still works', async () => {
    await run();
    const [endpoint] = await endpoints();
    // An hour later, in a region that replicates slowly.
    clock += 3_600_000;
    acr.replicationDelayMs = 10 * 60_000;
    slept = [];
    const p = await run({ rotate: 'true' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Harbor could not reach registry endpoint http:\/\/127\.0\.0\.1:\d+ as harbor-replication \(400: .*the registry is unhealthy\); nothing was saved: .*; the new password2 was still refused after 90 s of retries \(a new ACR token password takes about a minute to replicate\)\. Harbor's endpoint still holds password1, which keeps working; run the step again with rotate: true$/,
    );
    expect(sum(slept)).toBeLessThanOrEqual(PASSWORD_REPLICATION_WAIT_MS);
    expect((await endpoints())[0].description).toBe(
      'ACR token harbor-replication, password1 (managed by harbor-pipelines acr-token)',
    );
    expect(await endpointHealthy(endpoint.id)).toBe(true);
  });

  it('a wrong password is not waited for: only a freshly generated one is', async () => {
    await run();
    slept = [];
    // A re-run without rotate writes no password, so Harbor's endpoint is compared, not pinged.
    const p = await run();
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(slept).toEqual([]);
    expect(world.arm.writes.filter((w) => w.includes('GenerateCredentials'))).toHaveLength(1);
  });
});
