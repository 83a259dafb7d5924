/**
 * The shipped acr-import bundles (actions/acr-import/dist, tasks/HarborAcrImport/dist), as the runners start them (node_modules out of reach): the GitHub
 * action signing in with the runner's OIDC token, the Azure DevOps task with its Harbor and AzureRM service
 * connections. The spec-checked fake ARM imports for real (skopeo from the Harbor emulator into an htpasswd registry
 * standing in for ACR), and skopeo then finds the Harbor digests in the ACR stand-in.
 */
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import {
  APP_SECRET,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';
import { harborAccess, registryAccess, seedImage } from '../sandbox/seed';

let harbor: HarborEmulator;
let acr: RegistryHandle;
let world: AzureWorld;
const digests: Record<string, string> = {};

beforeAll(async () => {
  [harbor, acr] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'shop' }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  world = await startAzureWorld({ loginServer: acr.host, dataPlane: acr.users[0] });
  digests.web = await seedImage(harborAccess(harbor), 'shop/web', '1.0');
  digests.api = await seedImage(harborAccess(harbor), 'shop/api', '2.0');
}, 60_000);

afterAll(async () => {
  await world?.stop();
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
        'subscription-id': SUBSCRIPTION,
        'resource-group': 'rg-registry',
        registry: 'contosoregistry',
        'client-id': FEDERATED_APP,
        'tenant-id': TENANT,
        'authority-host': world.identity.url,
        'resource-manager-url': world.arm.url,
      },
      {
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: '2', succeeded: '2', failed: '0', 'login-server': acr.host });
    expect(JSON.parse(run.outputs.imported).sort()).toEqual([
      `${acr.host}/gh/shop/api:2.0`,
      `${acr.host}/gh/shop/web:1.0`,
    ]);
    expect(await skopeoDigest(`docker://${acr.host}/gh/shop/web:1.0`, registryAccess(acr))).toBe(digests.web);
    expect(await skopeoDigest(`docker://${acr.host}/gh/shop/api:2.0`, registryAccess(acr))).toBe(digests.api);
    expect(run.summary).toContain(`| \`shop/web:1.0\` | \`${acr.host}/gh/shop/web:1.0\` |`);
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
          'arm-conn': {
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
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      total: '1',
      succeeded: '1',
      failed: '0',
      loginServer: acr.host,
      imported: JSON.stringify([`${acr.host}/ado/shop/web:1.0`]),
    });
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
