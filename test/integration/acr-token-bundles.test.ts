/**
 * The shipped acr-token bundles as the runners start them (node_modules out of reach): the GitHub action signing in
 * with the runner's OIDC token, the Azure DevOps task with task-lib's endpoint variables for the AzureRM schemes (secret, certificate, federation, managed identity), and
 * the one-line failure for a missing registry input. ARM is the spec-checked fake; Entra and the OIDC endpoints are the
 * loopback stand-ins.
 */
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { armEndpoint, githubOidc } from '../support/azure-bundle-env';
import {
  APP_SECRET,
  CERTIFICATE_APP,
  CONNECTION_ID,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';

let world: AzureWorld;

beforeAll(async () => {
  world = await startAzureWorld();
});

afterAll(async () => {
  await world.stop();
});

afterEach(() => {
  expect(world.arm.violations).toEqual([]);
  expect(world.identity.problems).toEqual([]);
});

const token = {
  'resource-group': 'rg-registry',
  registry: 'contosoregistry',
  repositories: 'shop/web\nshop/api: content/read',
};

describe('GitHub action bundle', () => {
  it('signs in with GitHub OIDC at the authority host, creates the token and outputs a masked password', async () => {
    const run = await runActionBundle(
      'acr-token',
      {
        ...token,
        token: 'github-oidc',
        ...githubOidc(world).inputs,
      },
      { env: githubOidc(world).env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const stored = world.registry.tokens.get('github-oidc')!.passwords[0].value;
    expect(run.outputs.password).toBe(stored);
    expect(run.secretOutputs).toContain('password');
    expect(run.outputs).toMatchObject({ username: 'github-oidc', 'login-server': 'contosoregistry.azurecr.io' });
    expect(run.displayed).not.toContain(stored);
    expect(run.displayed).not.toContain(world.identity.githubRequestToken);
    expect(run.displayed).toContain('Signed in to Azure with GitHub OIDC → service principal');
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${world.arm.url}/.default`,
    });
  });

  it('without permissions: id-token: write the failure says so in one line', async () => {
    const run = await runActionBundle('acr-token', {
      ...token,
      token: 'github-oidc',
      'client-id': FEDERATED_APP,
      'tenant-id': TENANT,
      'authority-host': world.identity.url,
    });
    expect(run.code).toBe(1);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('::error::')),
    ).toEqual([
      "::error::GitHub did not provide an OIDC token: add 'permissions: id-token: write' to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)",
    ]);
  });

  it('under act (ACT=true), which never provides an ID token, the failure says so instead of asking for a permission', async () => {
    const run = await runActionBundle(
      'acr-token',
      {
        ...token,
        token: 'github-oidc',
        'client-id': FEDERATED_APP,
        'tenant-id': TENANT,
        'authority-host': world.identity.url,
      },
      { env: { ACT: 'true' } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      "::error::GitHub OIDC sign-in is not available under act (act provides no ACTIONS_ID_TOKEN_REQUEST_URL, whatever the job's permissions): leave 'client-id' empty to use your Azure CLI login (az login)",
    ]);
  });

  it('a missing registry input fails with a line naming it, before any call', async () => {
    world.arm.calls.length = 0;
    const run = await runActionBundle('acr-token', {
      'resource-group': 'rg-registry',
      token: 'github-oidc',
      repositories: 'shop/web',
    });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe('::error::Input required and not supplied: registry');
    expect(world.arm.calls).toEqual([]);
  });
});

describe('Azure DevOps task bundle', () => {
  it('ServicePrincipal connection: client secret exchange, outputs as task variables, password secret', async () => {
    const run = await runTaskBundle(
      'HarborAcrToken',
      {
        azureSubscription: 'arm-conn',
        resourceGroup: 'rg-registry',
        registry: 'contosoregistry',
        token: 'ado-secret',
        repositories: 'shop/web',
      },
      { endpoints: { 'arm-conn': armEndpoint(world, 'ServicePrincipal') } },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const stored = world.registry.tokens.get('ado-secret')!.passwords[0].value;
    expect(run.outputs).toMatchObject({
      username: 'ado-secret',
      password: stored,
      loginServer: 'contosoregistry.azurecr.io',
    });
    expect(run.secretOutputs).toEqual(['password']);
    expect(run.stdout).toContain(`##vso[task.setvariable variable=password;isOutput=true;issecret=true;]${stored}`);
    expect(run.displayed).not.toContain(stored);
    expect(run.displayed).not.toContain(APP_SECRET);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: SECRET_APP,
      method: 'secret',
      scope: `${world.arm.url}/.default`,
    });
  });

  it('ServicePrincipal connection with a certificate: a signed client assertion, the PEM never shown', async () => {
    const certificate = world.certificateConnection();
    const run = await runTaskBundle(
      'HarborAcrToken',
      {
        azureSubscription: 'arm-cert',
        resourceGroup: 'rg-registry',
        registry: 'contosoregistry',
        token: 'ado-certificate',
        repositories: 'shop/web',
      },
      {
        endpoints: { 'arm-cert': { ...armEndpoint(world, 'ServicePrincipal'), parameters: certificate.auth } },
        env: { SYSTEM_DEBUG: 'true' },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.password).toBe(world.registry.tokens.get('ado-certificate')!.passwords[0].value);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: CERTIFICATE_APP,
      method: 'certificate',
      scope: `${world.arm.url}/.default`,
    });
    // Never printed at all, not merely masked: apart from registering them for masking, no line of the PEM reaches stdout.
    const keyLines = certificate.auth.servicePrincipalCertificate
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'));
    const printed = run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]'));
    expect(keyLines.filter((k) => printed.some((l) => l.includes(k)))).toEqual([]);
    expect(keyLines.every((k) => run.stdout.includes(`##vso[task.setsecret]${k}`))).toBe(true);
  });

  it('WorkloadIdentityFederation connection: the agent OIDC token (System.OidcRequestUri + System.AccessToken) as assertion', async () => {
    const run = await runTaskBundle(
      'HarborAcrToken',
      {
        azureSubscription: CONNECTION_ID,
        resourceGroup: 'rg-registry',
        registry: 'contosoregistry',
        token: 'ado-federated',
        repositories: 'shop/web',
      },
      {
        endpoints: {
          [CONNECTION_ID]: armEndpoint(world, 'WorkloadIdentityFederation'),
          SystemVssConnection: {
            url: 'https://dev.azure.com/contoso/',
            scheme: 'OAuth',
            parameters: { AccessToken: world.identity.pipelinesAccessToken },
          },
        },
        // Debug on: task-lib would log the access token as it reads it, before it could be masked.
        env: { SYSTEM_OIDCREQUESTURI: world.identity.pipelinesOidcUri, SYSTEM_DEBUG: 'true' },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.password).toBe(world.registry.tokens.get('ado-federated')!.passwords[0].value);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${world.arm.url}/.default`,
    });
    expect(run.displayed).not.toContain(world.identity.pipelinesAccessToken);
    expect(run.stdout).toContain('##vso[task.debug]');
  });

  it("ManagedServiceIdentity connection: the agent VM's identity from the instance metadata service", async () => {
    const run = await runTaskBundle(
      'HarborAcrToken',
      {
        azureSubscription: 'arm-msi',
        resourceGroup: 'rg-registry',
        registry: 'contosoregistry',
        token: 'ado-managed',
        repositories: 'shop/web',
      },
      {
        endpoints: {
          'arm-msi': {
            ...armEndpoint(world, 'ServicePrincipal'),
            scheme: 'ManagedServiceIdentity',
            parameters: { tenantid: TENANT },
          },
        },
        env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: world.identity.url },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.password).toBe(world.registry.tokens.get('ado-managed')!.passwords[0].value);
    expect(world.identity.exchanges.at(-1)?.method).toBe('managed-identity');
  });

  it('a missing registry input fails with a line naming it', async () => {
    world.arm.calls.length = 0;
    const run = await runTaskBundle(
      'HarborAcrToken',
      { azureSubscription: 'arm-conn', resourceGroup: 'rg-registry', token: 'ado-secret', repositories: 'shop/web' },
      { endpoints: { 'arm-conn': armEndpoint(world, 'ServicePrincipal') } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('##vso[task.complete result=Failed;]Input required and not supplied: registry');
    expect(world.arm.calls).toEqual([]);
  });
});
