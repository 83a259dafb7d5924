/**
 * The fake ARM is only worth its tests if it refuses what Azure refuses: these requests break the ACR spec in one way
 * each and must be rejected with ARM's error shape and recorded as violations.
 */
import { request } from '../sandbox/net-utils';
import { armContract } from '../support/fake-arm/arm-contract';
import { startAzureWorld, SUBSCRIPTION, type AzureWorld } from '../support/fake-arm/azure-world';

let world: AzureWorld;
let token: string;

beforeAll(async () => {
  world = await startAzureWorld();
  token = world.identity.mintAccessToken();
});

afterAll(() => world.stop());

const base = () =>
  `${world.arm.url}/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoregistry`;

async function put(path: string, body: unknown, query = 'api-version=2025-04-01', auth = true) {
  world.arm.violations.length = 0;
  const res = await request(`${base()}${path}?${query}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: res.json<{ error?: { code: string; message: string } }>(),
    violations: [...world.arm.violations],
  };
}

describe('the fake ARM enforces the ACR spec', () => {
  it('accepts a well-formed scope map and answers 201 with Azure-AsyncOperation', async () => {
    const res = await put('/scopeMaps/readers', { properties: { actions: ['repositories/a/content/read'] } });
    expect(res.violations).toEqual([]);
    expect(res.status).toBe(201);
    expect(res.headers['azure-asyncoperation']).toMatch(
      /\/scopeMaps\/readers\/operationStatuses\/.+\?api-version=2025-04-01$/,
    );
  });

  it.each([
    [
      'another api-version',
      '/scopeMaps/readers',
      { properties: { actions: [] } },
      'api-version=2023-07-01',
      /api-version 2023-07-01 is not the spec's 2025-04-01/,
    ],
    [
      'a read-only property echoed back',
      '/scopeMaps/readers',
      { properties: { actions: [], provisioningState: 'Succeeded' } },
      undefined,
      /\/properties\/provisioningState is read-only/,
    ],
    [
      'an undeclared property',
      '/scopeMaps/readers',
      { properties: { actions: [], repositories: ['a'] } },
      undefined,
      /\/properties\/repositories is not defined by the spec/,
    ],
    [
      'a missing required property',
      '/scopeMaps/readers',
      { properties: {} },
      undefined,
      /must have required property 'actions'/,
    ],
    [
      'a token status outside the enum',
      '/tokens/token1',
      { properties: { status: 'active' } },
      undefined,
      /\/properties\/status must be equal to one of the allowed values/,
    ],
    [
      'a token name breaking the pattern',
      '/tokens/token_1',
      { properties: { status: 'enabled' } },
      undefined,
      /tokenName='token_1' does not match/,
    ],
    [
      'an unknown query parameter',
      '/tokens/token1',
      { properties: { status: 'enabled' } },
      'api-version=2025-04-01&force=true',
      /query parameter force is not declared/,
    ],
  ])('refuses %s', async (_what, path, body, query, problem) => {
    const res = await put(path, body, query);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('InvalidRequestContent');
    expect(res.violations.join('\n')).toMatch(problem);
  });

  it('answers 401 without a token Entra issued, and records a request without any token as a client bug', async () => {
    const missing = await put('/scopeMaps/readers', { properties: { actions: [] } }, undefined, false);
    expect(missing.status).toBe(401);
    expect(missing.body.error?.code).toBe('InvalidAuthenticationToken');
    expect(missing.violations).toEqual(['ScopeMaps_Create request: no bearer token']);
    const forged = await request(`${base()}/scopeMaps/readers?api-version=2025-04-01`, {
      headers: { authorization: 'Bearer forged' },
    });
    expect(forged.status).toBe(401);
  });

  it('resolves the common-types $ref prefix of the spec', () => {
    const contract = armContract();
    expect(
      contract.resolve(
        { $ref: '../../../../../../common-types/resource-management/v6/types.json#/parameters/ApiVersionParameter' },
        'acr',
      ).name,
    ).toBe('api-version');
    expect(contract.checkOperationStatus(JSON.stringify({ status: 'Succeeded' }))).toEqual([]);
    expect(contract.checkOperationStatus(JSON.stringify({ percentComplete: 150 }))).toEqual([
      "(root) must have required property 'status'",
      '/percentComplete must be <= 100',
    ]);
  });
});
