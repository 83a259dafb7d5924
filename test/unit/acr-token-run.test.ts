/**
 * The acr-token capability against the fake ARM (every request and response checked against the ACR spec) and the
 * Entra stand-in, signed in through an ADO-style AzureRM connection handed over by the platform.
 */
import { runCapability } from '../../shared/capability';
import { clockWith } from '../../shared/util/clock';
import capability from '../../shared/capabilities/acr-token';
import { TOKEN_ADMIN_ROLE } from '../../shared/azure/roles';
import { FakePlatform } from '../support/fake-platform';
import { APP_SECRET, startAzureWorld, SUBSCRIPTION, type AzureWorld } from '../support/fake-arm/azure-world';

let world: AzureWorld;

beforeEach(async () => {
  world = await startAzureWorld();
});

afterEach(async () => {
  expect(world.arm.violations).toEqual([]);
  await world.stop();
});

const baseInputs = {
  'resource-group': 'rg-registry',
  registry: 'contosoregistry',
  token: 'harbor-replication',
  repositories: 'team/app\nteam/base: content/read, metadata/read',
};

async function run(
  inputs: Record<string, string> = {},
  scheme: 'ServicePrincipal' | 'WorkloadIdentityFederation' = 'ServicePrincipal',
  timing?: Parameters<typeof clockWith>[0],
): Promise<FakePlatform> {
  const platform = new FakePlatform({ ...baseInputs, ...inputs });
  platform.connections.azureSubscription = world.connection(scheme);
  await runCapability(capability, platform, { clock: clockWith(timing) });
  return platform;
}

const registryId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoregistry`;

describe('acr-token against the fake ARM', () => {
  it('creates the scope map, the token and a password; the password is a masked output and never printed', async () => {
    const before = Date.now();
    const p = await run({ 'password-expiry': '30d' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(world.arm.writes).toEqual([
      'PUT ScopeMaps_Create',
      'PUT Tokens_Create',
      'POST Registries_GenerateCredentials',
    ]);
    const map = world.registry.scopeMaps.get('harbor-replication-scope-map')!;
    expect(map.actions.sort()).toEqual([
      'repositories/team/app/content/read',
      'repositories/team/app/content/write',
      'repositories/team/app/metadata/read',
      'repositories/team/base/content/read',
      'repositories/team/base/metadata/read',
    ]);
    const token = world.registry.tokens.get('harbor-replication')!;
    expect(token.scopeMapId).toBe(`${registryId}/scopeMaps/harbor-replication-scope-map`);
    expect(token.status).toBe('enabled');
    expect(token.provisioningState).toBe('Succeeded');
    const stored = token.passwords.find((x) => x.name === 'password1')!;
    expect(p.outputs.password).toBe(stored.value);
    expect(p.secretOutputs.has('password')).toBe(true);
    expect(p.outputs.username).toBe('harbor-replication');
    expect(p.outputs['login-server']).toBe('contosoregistry.azurecr.io');
    expect(p.outputs['token-id']).toBe(`${registryId}/tokens/harbor-replication`);
    expect(p.outputs['scope-map-id']).toBe(`${registryId}/scopeMaps/harbor-replication-scope-map`);
    const expiry = Date.parse(p.outputs.expiry);
    expect(expiry - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(p.transcript).not.toContain(stored.value);
    expect(p.transcript).not.toContain(APP_SECRET);
    expect(p.messages('info')).toContain(
      'Generated password1 for token harbor-replication because the token is new; it expires ' + p.outputs.expiry,
    );
    expect(world.identity.exchanges).toEqual([
      { clientId: expect.any(String), method: 'secret', scope: `${world.arm.url}/.default` },
    ]);
  });

  it('a re-run with the same inputs changes nothing and says why no password is output', async () => {
    await run();
    const writes = world.arm.writes.length;
    const p = await run();
    expect(p.result?.result).toBe('succeeded');
    expect(world.arm.writes.length).toBe(writes);
    expect(p.outputs.password).toBeUndefined();
    expect(p.outputs.username).toBe('harbor-replication');
    expect(p.outputs.expiry).toBe(world.registry.tokens.get('harbor-replication')!.passwords[0].expiry);
    expect(p.messages('info')).toEqual(
      expect.arrayContaining([
        'Scope map harbor-replication-scope-map unchanged (5 actions)',
        'Token harbor-replication unchanged (enabled)',
        expect.stringMatching(
          /^Token harbor-replication already has password1 \(expires .+\): no password output, because Azure shows a password only when it is generated; set rotate: true/,
        ),
      ]),
    );
  });

  it('updates the scope map only when its actions differ (order and case do not count)', async () => {
    await run();
    world.arm.calls.length = 0;
    await run({ repositories: 'TEAM/BASE: metadata/read, content/read\nteam/app' });
    expect(world.arm.writes).toEqual([]);
    const p = await run({ repositories: 'team/app: content/read, content/delete' });
    expect(world.arm.writes).toEqual(['PATCH ScopeMaps_Update']);
    expect(world.registry.scopeMaps.get('harbor-replication-scope-map')!.actions.sort()).toEqual([
      'repositories/team/app/content/delete',
      'repositories/team/app/content/read',
    ]);
    // A scope map may back other tokens too (az acr token create --scope-map): overwriting it is said out loud.
    expect(p.messages('warning')).toEqual([
      'Scope map harbor-replication-scope-map existed with other actions and was overwritten (it may be shared by other tokens, which now get the same permissions): added repositories/team/app/content/delete removed repositories/team/app/content/write, repositories/team/app/metadata/read, repositories/team/base/content/read, repositories/team/base/metadata/read',
    ]);
    expect(p.outputs.password).toBeUndefined();
  });

  it('rotate generates a new value for the chosen password and leaves the other one alone', async () => {
    const first = await run();
    world.arm.calls.length = 0;
    const second = await run({ rotate: 'true', 'password-name': 'password2', 'password-expiry': '2099-01-31' });
    expect(world.arm.writes).toEqual(['POST Registries_GenerateCredentials']);
    const passwords = world.registry.tokens.get('harbor-replication')!.passwords;
    expect(passwords.map((x) => x.name).sort()).toEqual(['password1', 'password2']);
    expect(passwords.find((x) => x.name === 'password1')!.value).toBe(first.outputs.password);
    expect(second.outputs.password).toBe(passwords.find((x) => x.name === 'password2')!.value);
    expect(second.outputs.password).not.toBe(first.outputs.password);
    expect(second.outputs.expiry).toBe('2099-01-31T00:00:00.000Z');
    world.arm.calls.length = 0;
    const third = await run({ rotate: 'true' });
    expect(third.outputs.password).not.toBe(first.outputs.password);
    expect(world.registry.tokens.get('harbor-replication')!.passwords.find((x) => x.name === 'password2')!.value).toBe(
      second.outputs.password,
    );
  });

  it('a token whose password expired gets a new one without rotate; one that expires soon gets a warning', async () => {
    await run();
    const token = world.registry.tokens.get('harbor-replication')!;
    token.passwords[0].expiry = new Date(Date.now() - 60_000).toISOString();
    world.arm.calls.length = 0;
    const renewed = await run();
    expect(world.arm.writes).toEqual(['POST Registries_GenerateCredentials']);
    expect(renewed.outputs.password).toBe(token.passwords[0].value);
    expect(renewed.messages('info').some((m) => m.includes('because password1 expired on'))).toBe(true);
    token.passwords[0].expiry = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const warned = await run();
    expect(warned.result?.result).toBe('succeeded-with-issues');
    expect(warned.messages('warning')).toEqual([
      `password1 of token harbor-replication expires ${token.passwords[0].expiry}; rotate it with rotate: true`,
    ]);
  });

  it('changes the token status and scope map binding with one PATCH', async () => {
    await run();
    world.arm.calls.length = 0;
    const p = await run({ status: 'disabled', 'scope-map': 'replication-readers' });
    expect(world.arm.writes).toEqual(['PUT ScopeMaps_Create', 'PATCH Tokens_Update']);
    const token = world.registry.tokens.get('harbor-replication')!;
    expect(token.status).toBe('disabled');
    expect(token.scopeMapId).toBe(`${registryId}/scopeMaps/replication-readers`);
    expect(p.messages('info')).toContain(
      'Token harbor-replication updated: scope map → replication-readers, status enabled → disabled',
    );
  });

  it('signs in with workload identity federation: the agent ID token is the client assertion', async () => {
    const p = await run({}, 'WorkloadIdentityFederation');
    expect(p.result?.result).toBe('succeeded');
    expect(world.identity.exchanges.map((e) => e.method)).toEqual(['assertion']);
    expect(p.secrets.has(world.identity.pipelinesAccessToken)).toBe(true);
    expect(p.messages('info')[0]).toMatch(
      /^Signed in to Azure with Azure Pipelines OIDC → service principal .* \(workload identity federation\)$/,
    );
  });
});

describe('acr-token failures are one line, and bad input touches nothing', () => {
  it.each([
    [
      { registry: 'contoso-registry' },
      "Input 'registry' must be 5-50 characters of letters and digits (got 'contoso-registry')",
    ],
    [{ token: 'ab' }, "Input 'token' must be 5-50 characters of letters, digits and - (got 'ab')"],
    [
      { repositories: 'team/app: content/push' },
      "Input 'repositories': 'content/push' in line 'team/app: content/push' is not an action; use content/read, content/write, content/delete, metadata/read, metadata/write",
    ],
    [
      { repositories: 'Team App' },
      "Input 'repositories': 'Team App' is not a repository name (lower-case path segments of letters and digits, separated inside by ., _, __ or -)",
    ],
    [{ 'password-expiry': '2001-01-01' }, "Input 'password-expiry' must lie in the future (got '2001-01-01')"],
    [
      { 'password-expiry': 'soon' },
      "Input 'password-expiry' must be a duration like 30d or 12h, an ISO date like 2026-12-31, or never (got 'soon')",
    ],
    [{ 'password-name': 'password3' }, "Input 'password-name' must be one of password1, password2 (got 'password3')"],
    [{ 'register-in-harbor': 'true' }, "Input 'harbor-url' is required with register-in-harbor: true"],
    // ACR refuses every login of a disabled token: Harbor's ping would fail after Azure had been changed.
    [
      {
        'register-in-harbor': 'true',
        status: 'disabled',
        'harbor-url': 'http://127.0.0.1:9',
        'harbor-username': 'admin',
        'harbor-password': 'x',
      },
      "Input 'status' is disabled while register-in-harbor is true: ACR refuses every login of a disabled token, so Harbor could not use it; enable the token or drop the registration",
    ],
    // ACR's wildcard rules: * alone or as the whole last segment, once.
    [
      { repositories: 'sample/*/teama' },
      "Input 'repositories': 'sample/*/teama' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name",
    ],
    [
      { repositories: 'sample/teama*' },
      "Input 'repositories': 'sample/teama*' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name",
    ],
    [
      { repositories: 'a/*/b/*' },
      "Input 'repositories': 'a/*/b/*' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name",
    ],
    [
      { repositories: '*/app' },
      "Input 'repositories': '*/app' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name",
    ],
    [{ registry: '' }, 'Input required and not supplied: registry'],
    [
      { registry: 'contosoregistry.azurecr.io' },
      "Input 'registry' takes the registry name (contosoregistry), not the login server (got 'contosoregistry.azurecr.io')",
    ],
    [
      { 'subscription-id': 'Production' },
      "Input 'subscription-id' must be a subscription id (a GUID), not a name (got 'Production')",
    ],
  ])('%j → %s', async (inputs, message) => {
    const p = await run(inputs);
    expect(p.result).toEqual({ result: 'failed', message });
    expect(world.arm.calls).toEqual([]);
  });

  it.each([
    [
      501,
      'content/read',
      "Input 'repositories': 501 repositories, but an ACR scope map holds at most 500; use a wildcard such as 'team/*' or split the token",
    ],
    [
      101,
      'content/read, content/write, content/delete, metadata/read, metadata/write',
      "Input 'repositories': 505 actions, but an ACR scope map holds at most 500; grant fewer actions per repository, use a wildcard such as 'team/*', or split the token",
    ],
  ])('%d repositories with %s break ACR’s 500 per scope map limit', async (count, actions, message) => {
    const p = await run({
      repositories: Array.from({ length: count }, (_, i) => `team/app${i}: ${actions}`).join('\n'),
    });
    expect(p.result).toEqual({ result: 'failed', message });
    expect(world.arm.calls).toEqual([]);
  });

  it('registry not found names the registry, group and subscription', async () => {
    const p = await run({ registry: 'missingregistry' });
    expect(p.result?.message).toBe(
      `Container registry missingregistry not found in resource group rg-registry of subscription ${SUBSCRIPTION}; check the registry, resource-group and subscription inputs`,
    );
  });

  it('a missing role names the role needed on the registry, before anything is written', async () => {
    world.arm.denied.add('Microsoft.ContainerRegistry/registries/scopeMaps/write');
    const p = await run();
    expect(p.result?.message).toBe(
      `Azure denied the step permission to create scope maps on registry contosoregistry (Microsoft.ContainerRegistry/registries/scopeMaps/write): assign the identity the '${TOKEN_ADMIN_ROLE}' role (or Contributor) on the registry`,
    );
    expect(world.registry.scopeMaps.size).toBe(0);
  });

  it('a SKU without tokens fails before any write', async () => {
    world.registry.sku = 'Classic';
    const p = await run();
    expect(p.result?.message).toBe(
      'Registry contosoregistry has the Classic SKU, which has no tokens or scope maps; upgrade it to Basic, Standard or Premium',
    );
    expect(world.arm.writes).toEqual([]);
  });

  it("a failed long-running operation reports Azure's message", async () => {
    world.arm.failures.set('Tokens_Create', {
      at: 'operation',
      code: 'TokenQuotaExceeded',
      message: 'The registry has reached its limit of 20000 tokens.',
    });
    const p = await run();
    expect(p.result?.message).toBe(
      'Azure operation create token harbor-replication failed: TokenQuotaExceeded: The registry has reached its limit of 20000 tokens.',
    );
  });

  it('a long-running operation that never finishes times out with advice', async () => {
    world.arm.pollsFor.set('Registries_GenerateCredentials', Infinity);
    // `timeout` bounds the whole step; the operation that never ends is the one reported. The budget leaves the calls
    // before it (sign-in, scope map, token) ample room on a loaded machine: with 2 s they could use it all up first.
    const p = await run({ timeout: '8s' });
    expect(p.result?.message).toBe(
      'Azure operation generate password1 for token harbor-replication did not finish within 8000 ms; it may still complete in Azure — re-run the step, or raise the timeout',
    );
  });

  it('a wrong service principal secret fails with Entra’s reason and never shows the secret', async () => {
    const platform = new FakePlatform(baseInputs);
    const connection = world.connection('ServicePrincipal');
    connection.auth.serviceprincipalkey = 'wrong-secret-value';
    platform.connections.azureSubscription = connection;
    await runCapability(capability, platform);
    expect(platform.result?.message).toMatch(
      /^Entra ID refused a token for client .* \(401: invalid_client: AADSTS7000215: Invalid client secret provided\.\)$/,
    );
    expect(platform.transcript).not.toContain('wrong-secret-value');
  });
});

describe('ACR behaviour the spec does not pin', () => {
  it('accepts every OCI repository name and ACR wildcard form (a__b, a--b, a.b_c, samples/*, *)', async () => {
    const p = await run({ repositories: 'team/a__b\nteam/a--b\nteam/a.b_c-d\nsamples/*\n*: content/read' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(world.registry.scopeMaps.get('harbor-replication-scope-map')!.actions).toEqual(
      expect.arrayContaining([
        'repositories/team/a__b/content/write',
        'repositories/team/a--b/metadata/read',
        'repositories/samples/*/content/read',
        'repositories/*/content/read',
      ]),
    );
  });

  it('the stand-in refuses what ACR refuses in a scope map, so the local checks are not the only ones', async () => {
    const arm = world.arm;
    const res = await fetch(`${arm.url}${registryId}/scopeMaps/bad-scope-map?api-version=2025-04-01`, {
      method: 'PUT',
      headers: { authorization: 'Bearer any', 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { actions: ['repositories/sample/*/teama/content/read'] } }),
    });
    // The identity stand-in did not issue that token: ARM refuses it first. With one it issued, the scope map is refused.
    expect(res.status).toBe(401);
    const token = world.identity.mintAccessToken();
    const refused = await fetch(`${arm.url}${registryId}/scopeMaps/bad-scope-map?api-version=2025-04-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { actions: ['repositories/sample/*/teama/content/read'] } }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('InvalidScopeMapActions');
    expect(world.registry.scopeMaps.size).toBe(0);
  });

  it('generateCredentials answering 200 with the passwords at once (as the real service does) works like 202 + Location', async () => {
    world.arm.generateCredentialsAnswer = 'at-once';
    const p = await run();
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs.password).toBe(
      world.registry.tokens.get('harbor-replication')!.passwords.find((x) => x.name === 'password1')!.value,
    );
    expect(p.outputs['password-name']).toBe('password1');
  });

  it('generateCredentials throttled with 429 is sent again after Retry-After (ARM did not process it)', async () => {
    world.arm.throttle.set('Registries_GenerateCredentials', { times: 2, retryAfterSeconds: 7 });
    const slept: number[] = [];
    const p = await run({}, 'ServicePrincipal', { sleep: async (ms) => void slept.push(ms) });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(world.arm.throttled).toEqual(['Registries_GenerateCredentials', 'Registries_GenerateCredentials']);
    expect(slept.filter((ms) => ms === 7000)).toHaveLength(2);
    // Exactly one password was minted: the throttled requests never reached the provider.
    expect(world.registry.tokens.get('harbor-replication')!.passwords.map((x) => x.name)).toEqual(['password1']);
    expect(p.outputs.password).toBeDefined();
  });

  it('a throttling that does not end is reported as throttling, not as a failed call', async () => {
    world.arm.throttle.set('Registries_GenerateCredentials', { times: 100, retryAfterSeconds: 1 });
    const p = await run({}, 'ServicePrincipal', { sleep: async () => undefined });
    expect(p.result?.message).toBe(
      'Azure throttled the requests to generate token passwords on registry contosoregistry (429 TooManyRequests) and kept refusing after waiting as told; lower the parallelism or run the step again later',
    );
    expect(world.arm.throttled).toHaveLength(6);
  });
});
