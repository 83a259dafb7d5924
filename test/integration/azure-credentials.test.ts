/**
 * Sign-in flows against the loopback stand-ins: Entra client credentials (secret and federated assertion), GitHub's
 * and Azure Pipelines' ID-token endpoints, and the Azure CLI credential through a real `az` stand-in on PATH.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import capability from '../../shared/capabilities/acr-token';
import {
  AzureCliCredential,
  ClientSecretCredential,
  githubIdToken,
  ClientAssertionCredential,
  resourceToScope,
  scopeToResource,
} from '../../shared/azure/credentials';
import { signInWithConnection } from '../../shared/azure/sign-in';
import { HttpClient } from '../../shared/http/client';
import { makeTempDir, removeTempDir } from '../sandbox/child-processes';
import { makeTokenSigningKey } from '../sandbox/pki';
import { FakePlatform } from '../support/fake-platform';
import {
  APP_SECRET,
  CERTIFICATE_APP,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';

let world: AzureWorld;
let http: HttpClient;
let bin: string;
const originalPath = process.env.PATH;

beforeAll(async () => {
  world = await startAzureWorld();
  http = new HttpClient({ retry: { attempts: 1 } });
  // A stand-in for the Azure CLI: a real executable found on PATH, answering like `az account get-access-token`.
  bin = mkdtempSync(join(tmpdir(), 'fake-az-'));
  writeFileSync(
    join(bin, 'az'),
    `#!${process.execPath}
const args = process.argv.slice(2);
require('fs').writeFileSync(process.env.FAKE_AZ_ARGS, JSON.stringify(args));
if (process.env.FAKE_AZ_FAIL) { process.stderr.write("ERROR: Please run 'az login' to setup account.\\n"); process.exit(1); }
process.stdout.write(JSON.stringify({ accessToken: process.env.FAKE_AZ_TOKEN, expiresOn: '2099-01-01 00:00:00.000000', expires_on: 4070908800, subscription: process.env.FAKE_AZ_SUBSCRIPTION, tenant: '${TENANT}', tokenType: 'Bearer' }, null, 2));
`,
  );
  chmodSync(join(bin, 'az'), 0o755);
});

afterAll(async () => {
  process.env.PATH = originalPath;
  rmSync(bin, { recursive: true, force: true });
  await http.close();
  await world.stop();
});

afterEach(() => {
  for (const name of [
    'AZURE_POD_IDENTITY_AUTHORITY_HOST',
    'FAKE_AZ_FAIL',
    'FAKE_AZ_TOKEN',
    'FAKE_AZ_SUBSCRIPTION',
    'FAKE_AZ_ARGS',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  ])
    delete process.env[name];
  process.env.PATH = originalPath;
  expect(world.arm.violations).toEqual([]);
});

const scope = 'https://management.azure.com/.default';

describe('Entra client credentials', () => {
  it('a secret credential caches its token until shortly before expiry and masks it', async () => {
    const platform = new FakePlatform();
    const credential = new ClientSecretCredential(
      { tenantId: TENANT, clientId: SECRET_APP, authorityHost: world.identity.url, http, platform },
      APP_SECRET,
    );
    const before = world.identity.exchanges.length;
    const first = await credential.getToken(scope);
    const second = await credential.getToken(scope);
    expect(second).toBe(first);
    expect(world.identity.exchanges.length - before).toBe(1);
    expect(world.identity.acceptToken(first.token)).toBe(true);
    expect(platform.secrets.has(first.token)).toBe(true);
    expect(platform.secrets.has(APP_SECRET)).toBe(true);
    expect(first.expiresOnMs).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('GitHub OIDC: keeps the request URL query, asks for the federation audience, and Entra accepts the assertion', async () => {
    const platform = new FakePlatform();
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
    };
    const credential = new ClientAssertionCredential(
      { tenantId: TENANT, clientId: FEDERATED_APP, authorityHost: world.identity.url, http, platform },
      githubIdToken(http, platform, undefined, env),
      'GitHub OIDC',
    );
    const token = await credential.getToken(scope);
    expect(world.identity.acceptToken(token.token)).toBe(true);
    expect(world.identity.problems).toEqual([]);
    expect(platform.secrets.has(world.identity.githubRequestToken)).toBe(true);
  });

  it('GitHub OIDC with an audience the federated credential does not list fails with Entra’s reason', async () => {
    const platform = new FakePlatform();
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
    };
    const credential = new ClientAssertionCredential(
      { tenantId: TENANT, clientId: FEDERATED_APP, authorityHost: world.identity.url, http, platform },
      githubIdToken(http, platform, 'api://SomethingElse', env),
      'GitHub OIDC',
    );
    await expect(credential.getToken(scope)).rejects.toThrow(
      /^Entra ID refused a token for client .* \(400: invalid_client: AADSTS70021: No matching federated identity record found for presented assertion\. .*Assertion Audience: 'api:\/\/SomethingElse'\.\)$/,
    );
  });

  it('an unknown tenant is named in the error', async () => {
    const credential = new ClientSecretCredential(
      {
        tenantId: 'other-tenant',
        clientId: SECRET_APP,
        authorityHost: world.identity.url,
        http,
        platform: new FakePlatform(),
      },
      APP_SECRET,
    );
    await expect(credential.getToken(scope)).rejects.toThrow(
      `Entra ID refused a token for client ${SECRET_APP} in tenant other-tenant (400: unauthorized_client: AADSTS700016`,
    );
  });
});

describe('ADO service connections', () => {
  it('ServicePrincipal with a certificate: a signed assertion Entra matches to the registered certificate', async () => {
    const platform = new FakePlatform({
      'resource-group': 'rg-registry',
      registry: 'contosoregistry',
      token: 'cert-token',
      repositories: 'shop/web',
    });
    platform.connections.azureSubscription = world.certificateConnection();
    await runCapability(capability, platform);
    expect(platform.result?.result).toBe('succeeded');
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: CERTIFICATE_APP,
      method: 'certificate',
      scope: `${world.arm.url}/.default`,
    });
    expect(platform.messages('info')[0]).toBe(
      `Signed in to Azure with service principal ${CERTIFICATE_APP} (certificate)`,
    );
  });

  it('a certificate Entra does not know is refused with its reason; a malformed one before any request', async () => {
    const connection = world.certificateConnection();
    const dir = makeTempDir('other-cert');
    const other = makeTokenSigningKey(dir);
    removeTempDir(dir);
    connection.auth.servicePrincipalCertificate = `${other.certPem}${other.keyPem}`;
    const stranger = signInWithConnection(connection, 'azureSubscription', http, new FakePlatform());
    await expect(stranger.credential.getToken(scope)).rejects.toThrow(
      `Entra ID refused a token for client ${CERTIFICATE_APP} in tenant ${TENANT} (400: invalid_client: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.)`,
    );
    connection.auth.servicePrincipalCertificate = other.certPem;
    expect(() => signInWithConnection(connection, 'azureSubscription', http, new FakePlatform())).toThrow(
      `The certificate of service principal ${CERTIFICATE_APP} is not a PEM certificate with its private key`,
    );
  });

  it("ManagedServiceIdentity: the agent VM's identity from the metadata service, for the ARM resource", async () => {
    const platform = new FakePlatform({
      'resource-group': 'rg-registry',
      registry: 'contosoregistry',
      token: 'msi-token',
      repositories: 'shop/web',
    });
    const connection = world.connection('ServicePrincipal');
    connection.scheme = 'ManagedServiceIdentity';
    connection.auth = { tenantid: TENANT };
    platform.connections.azureSubscription = connection;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = world.identity.url;
    await runCapability(capability, platform);
    expect(platform.result?.result).toBe('succeeded');
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: 'managed-identity',
      method: 'managed-identity',
      scope: `${world.arm.url}/`,
    });
    world.identity.managedIdentity = false;
    const without = new FakePlatform(platform.inputs);
    without.connections.azureSubscription = connection;
    await runCapability(capability, without);
    expect(without.result?.message).toBe(
      'The managed identity of this agent got no token (400: Identity not found); check that the VM has an identity',
    );
    world.identity.managedIdentity = true;
  });

  it.each([
    [
      { scheme: 'PublishProfile' },
      "Service connection 'azureSubscription' uses the PublishProfile scheme; this step supports ServicePrincipal, WorkloadIdentityFederation and ManagedServiceIdentity",
    ],
    [
      { scheme: 'WorkloadIdentityFederation', noOidc: true },
      "Service connection 'azureSubscription' uses workload identity federation, but the agent offers no OIDC endpoint (System.OidcRequestUri); update the agent, or use another scheme",
    ],
  ])('%j is refused in one line', (change, message) => {
    const connection = world.connection(
      change.scheme === 'WorkloadIdentityFederation' ? 'WorkloadIdentityFederation' : 'ServicePrincipal',
    );
    connection.scheme = change.scheme;
    if ('noOidc' in change) delete connection.oidcRequest;
    expect(() => signInWithConnection(connection, 'azureSubscription', http, new FakePlatform())).toThrow(message);
  });

  it('takes ARM endpoint, token resource and subscription from the connection', () => {
    const connection = world.connection('ServicePrincipal');
    const data: Record<string, string> = {
      subscriptionId: SUBSCRIPTION,
      activeDirectoryServiceEndpointResourceId: 'https://management.core.windows.net/',
    };
    connection.data = (key) => data[key];
    const signIn = signInWithConnection(connection, 'azureSubscription', http, new FakePlatform());
    expect(signIn.armEndpoint).toBe(`${world.arm.url}/`);
    expect(signIn.tokenResource).toBe('https://management.core.windows.net/');
    expect(signIn.subscriptionId()).toBe(SUBSCRIPTION);
  });
});

describe('Azure CLI credential', () => {
  function useFakeAz(platform: FakePlatform): string {
    process.env.PATH = `${bin}:${originalPath}`;
    const argsFile = join(platform.tempDir(), 'az-args.json');
    process.env.FAKE_AZ_ARGS = argsFile;
    return argsFile;
  }

  it('runs az silently with the token nowhere on the command line, masks it, and learns the subscription', async () => {
    const platform = new FakePlatform();
    useFakeAz(platform);
    process.env.FAKE_AZ_TOKEN = world.identity.mintAccessToken();
    process.env.FAKE_AZ_SUBSCRIPTION = SUBSCRIPTION;
    const credential = new AzureCliCredential(platform);
    const token = await credential.getToken(scope);
    expect(token).toEqual({ token: process.env.FAKE_AZ_TOKEN, expiresOnMs: 4070908800 * 1000 });
    expect(platform.execs).toEqual([
      {
        tool: join(bin, 'az'),
        args: ['account', 'get-access-token', '--resource', 'https://management.azure.com/', '--output', 'json'],
        options: { silent: true, ignoreReturnCode: true },
      },
    ]);
    expect(platform.secrets.has(token.token)).toBe(true);
    expect(credential.subscriptionId).toBe(SUBSCRIPTION);
  });

  it("passes on az's own reason when it has no login", async () => {
    const platform = new FakePlatform();
    useFakeAz(platform);
    process.env.FAKE_AZ_FAIL = '1';
    await expect(new AzureCliCredential(platform).getToken(scope)).rejects.toThrow(
      "Azure CLI could not get an access token: Please run 'az login' to setup account.; run azure/login before this step, or set client-id and tenant-id to sign in with OIDC",
    );
  });

  it('without az on PATH the step says how to sign in', async () => {
    process.env.PATH = bin.replace(/fake-az-/, 'nothing-here-');
    await expect(new AzureCliCredential(new FakePlatform()).getToken(scope)).rejects.toThrow(
      'Azure CLI (az) not found on PATH: run azure/login first, or set client-id and tenant-id to sign in with OIDC',
    );
  });

  it('the whole step on GitHub after azure/login: subscription from the CLI, token accepted by ARM', async () => {
    const platform = new FakePlatform({
      'resource-group': 'rg-registry',
      registry: 'contosoregistry',
      token: 'cli-token',
      repositories: 'shop/web',
      'resource-manager-url': world.arm.url,
    });
    useFakeAz(platform);
    process.env.FAKE_AZ_TOKEN = world.identity.mintAccessToken();
    process.env.FAKE_AZ_SUBSCRIPTION = SUBSCRIPTION;
    await runCapability(capability, platform);
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.outputs.password).toBe(world.registry.tokens.get('cli-token')!.passwords[0].value);
    expect(platform.transcript).not.toContain(process.env.FAKE_AZ_TOKEN);
    expect(platform.messages('info')[0]).toBe(
      'Signed in to Azure with Azure CLI credential (az account get-access-token)',
    );
  });

  it('a token ARM refuses (expired, other tenant) fails in one line', async () => {
    const platform = new FakePlatform({
      'resource-group': 'rg-registry',
      registry: 'contosoregistry',
      token: 'cli-token',
      repositories: 'shop/web',
      'resource-manager-url': world.arm.url,
    });
    useFakeAz(platform);
    process.env.FAKE_AZ_TOKEN = 'eyJ0eXAi.not-issued-by-entra';
    process.env.FAKE_AZ_SUBSCRIPTION = SUBSCRIPTION;
    await runCapability(capability, platform);
    expect(platform.result).toEqual({
      result: 'failed',
      message:
        "Azure rejected the access token (401: The access token is invalid.); check the identity's tenant and that the sign-in is still valid",
    });
  });

  it('a CLI account without a subscription needs subscription-id', async () => {
    const platform = new FakePlatform({
      'resource-group': 'rg-registry',
      registry: 'contosoregistry',
      token: 'cli-token',
      repositories: 'shop/web',
      'resource-manager-url': world.arm.url,
    });
    useFakeAz(platform);
    process.env.FAKE_AZ_TOKEN = world.identity.mintAccessToken();
    await runCapability(capability, platform);
    expect(platform.result).toEqual({
      result: 'failed',
      message: 'Input required and not supplied: subscription-id (the sign-in names no subscription)',
    });
  });
});

describe('resourceToScope', () => {
  it('forms scopes as the Azure CLI does, keeping the resource id trailing slash', () => {
    expect(resourceToScope('https://management.core.windows.net/')).toBe(
      'https://management.core.windows.net//.default',
    );
    expect(resourceToScope('https://management.azure.com')).toBe('https://management.azure.com/.default');
    expect(scopeToResource(resourceToScope('https://management.core.windows.net/'))).toBe(
      'https://management.core.windows.net/',
    );
  });
});
