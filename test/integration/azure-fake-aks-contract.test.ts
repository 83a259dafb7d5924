/**
 * The AKS half of the fake ARM refuses what the AKS spec (aks/managedClusters.json, 2026-10-01, with the common types)
 * refuses, checks its own answers against it, and refuses an access token issued for another audience.
 */
import { readFileSync } from 'node:fs';
import { request } from '../sandbox/net-utils';
import { referencePath } from '../reference';
import { aksContract } from '../support/fake-arm/arm-contract';
import { AKS_GROUP, ENTRA_ONLY, startAksWorld, type AksWorld } from '../support/fake-arm/aks-world';
import { SUBSCRIPTION } from '../support/fake-arm/azure-world';
import { AKS_SERVER_APP } from '../support/fake-arm/fake-aks';

let world: AksWorld;
let token: string;

beforeAll(async () => {
  world = await startAksWorld();
  token = world.identity.mintAccessToken();
});
afterAll(() => world.stop());

const cluster = () =>
  `${world.arm.url}/subscriptions/${SUBSCRIPTION}/resourceGroups/${AKS_GROUP}/providers/Microsoft.ContainerService/managedClusters/${ENTRA_ONLY}`;

async function call(method: string, path: string, query: string, bearer = token) {
  world.arm.violations.length = 0;
  const res = await request(`${cluster()}${path}?${query}`, { method, headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.status, body: res.json<Record<string, any>>(), violations: [...world.arm.violations] };
}

describe('the fake ARM enforces the AKS spec', () => {
  it('answers a well-formed GET and user-credential listing within the spec', async () => {
    const get = await call('GET', '', 'api-version=2026-10-01');
    expect(get.violations).toEqual([]);
    expect(get.body.properties).toMatchObject({
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true },
    });
    const list = await call('POST', '/listClusterUserCredential', 'api-version=2026-10-01&format=exec');
    expect(list.violations).toEqual([]);
    const kubeconfig = Buffer.from(list.body.kubeconfigs[0].value, 'base64').toString('utf8');
    expect(kubeconfig).toContain('command: kubelogin');
    expect(kubeconfig).toContain(AKS_SERVER_APP);
  });

  it.each([
    ['another api-version', 'GET', '', 'api-version=2025-04-01', /api-version 2025-04-01 is not the spec's 2026-10-01/],
    [
      'a format outside the enum',
      'POST',
      '/listClusterUserCredential',
      'api-version=2026-10-01&format=kubelogin',
      /query parameter format='kubelogin' is not one of azure, exec/,
    ],
    [
      'an undeclared query parameter',
      'POST',
      '/listClusterAdminCredential',
      'api-version=2026-10-01&format=exec',
      /query parameter format is not declared for ManagedClusters_ListClusterAdminCredentials/,
    ],
  ])('refuses %s', async (_what, method, path, query, problem) => {
    const res = await call(method, path, query);
    expect(res.status).toBe(400);
    expect(res.violations.join('\n')).toMatch(problem);
  });

  it('refuses admin credentials of an Entra-only cluster with ARM error shape (no violation: the default response)', async () => {
    const res = await call('POST', '/listClusterAdminCredential', 'api-version=2026-10-01');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.violations).toEqual([]);
  });

  it('refuses a token Entra issued for the AKS server app (ARM wants its own audience)', async () => {
    const res = await call('GET', '', 'api-version=2026-10-01', world.identity.mintAccessToken(AKS_SERVER_APP));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
  });

  it('its response check catches a malformed answer, and accepts the spec example', () => {
    const contract = aksContract();
    const get = contract.match(
      'GET',
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${AKS_GROUP}/providers/Microsoft.ContainerService/managedClusters/${ENTRA_ONLY}`,
    )!;
    const example = JSON.parse(
      readFileSync(referencePath('azure', 'aks', 'examples', 'ManagedClustersGet.json'), 'utf8'),
    );
    expect(contract.checkResponse(get.operation, 200, {}, JSON.stringify(example.responses['200'].body))).toEqual([]);
    const bad = {
      ...example.responses['200'].body,
      properties: { ...example.responses['200'].body.properties, disableLocalAccounts: 'yes' },
    };
    expect(contract.checkResponse(get.operation, 200, {}, JSON.stringify(bad)).join('\n')).toMatch(
      /disableLocalAccounts must be boolean/,
    );
    const list = contract.match(
      'POST',
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/${AKS_GROUP}/providers/Microsoft.ContainerService/managedClusters/${ENTRA_ONLY}/listClusterUserCredential`,
    )!;
    expect(
      contract
        .checkResponse(list.operation, 200, {}, JSON.stringify({ kubeconfigs: [{ name: 'clusterUser', value: 42 }] }))
        .join('\n'),
    ).toMatch(/value must be string/);
  });
});
