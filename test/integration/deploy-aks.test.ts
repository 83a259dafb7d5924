/**
 * deploy reaching AKS through the Azure sign-in: the spec-checked fake ARM (managedClusters), the Entra stand-in
 * issuing audience-bearing tokens, an HTTPS API-server stand-in that accepts only tokens for the AKS server app, and
 * the fake helm recording the kubeconfig it was given. One run per sign-in flow, then each refusal.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { runCapability } from '../../shared/capability';
import deploy from '../../shared/capabilities/deploy';
import type { ServiceConnection } from '../../shared/platform';
import {
  AKS_GROUP,
  ENTRA_MIXED,
  ENTRA_ONLY,
  FAKE_AZ_BIN,
  jwtClaims,
  LEGACY_SERVER_APP,
  LOCAL_ONLY,
  OTHER_AUDIENCE,
  startAksWorld,
  type AksWorld,
} from '../support/fake-arm/aks-world';
import { FEDERATED_APP, SUBSCRIPTION, TENANT } from '../support/fake-arm/azure-world';
import { AKS_SERVER_APP } from '../support/fake-arm/fake-aks';
import { FakePlatform } from '../support/fake-platform';

const FAKE_HELM = join(__dirname, '../fixtures/fake-helm');
const ADMIN = 'Adm1n-Pa55-aks';

interface Call {
  tool: string;
  argv: string[];
  kubeconfig?: { path: string; mode: number; content: string };
}

let world: AksWorld;
let state: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  world = await startAksWorld();
});
afterAll(async () => {
  process.env = savedEnv;
  await world.stop();
});

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fake-helm-state-'));
  process.env = { ...savedEnv, PATH: `${FAKE_HELM}${delimiter}${savedEnv.PATH}`, FAKE_HELM_STATE: state };
  delete process.env.KUBECONFIG;
  world.arm.calls.length = 0;
  world.arm.denied.clear();
  world.kube.requests.length = 0;
  world.kube.forbidden = false;
  world.kube.noSelfSubjectReview = false;
});
afterEach(() => {
  rmSync(state, { recursive: true, force: true });
  expect(world.arm.violations).toEqual([]);
  expect(world.identity.problems).toEqual([]);
});

function calls(): Call[] {
  const file = join(state, 'calls.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Call)
    : [];
}
const upgrade = () => calls().find((c) => c.argv[0] === 'upgrade');

const harbor = { profile: 'managed-disks', hostname: 'harbor.example.com', 'admin-password': ADMIN, wait: 'false' };

async function run(inputs: Record<string, string>, connection?: ServiceConnection): Promise<FakePlatform> {
  const platform = new FakePlatform({ ...harbor, 'resource-group': AKS_GROUP, ...inputs });
  if (connection) platform.connections.azureSubscription = connection;
  await runCapability(deploy, platform);
  return platform;
}

function managedIdentityConnection(): ServiceConnection {
  const data: Record<string, string> = { subscriptionId: SUBSCRIPTION, environment: 'AzureCloud' };
  return {
    id: 'msi',
    url: `${world.arm.url}/`,
    scheme: 'ManagedServiceIdentity',
    auth: { tenantid: TENANT },
    data: (k) => data[k],
  };
}

/** The proof each sign-in flow must give: the kubeconfig helm got, what the API server saw, what was never shown. */
function expectEntraKubeconfig(platform: FakePlatform): string {
  expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
  const call = upgrade()!;
  expect(call.kubeconfig!.mode).toBe(0o600);
  expect(existsSync(call.kubeconfig!.path)).toBe(false);
  const config = parse(call.kubeconfig!.content);
  expect(config.clusters).toEqual([
    {
      name: ENTRA_ONLY,
      cluster: {
        server: world.kube.url,
        'certificate-authority-data': Buffer.from(world.kube.caPem).toString('base64'),
      },
    },
  ]);
  // The token itself: no exec plugin, no kubelogin, no auth-provider.
  expect(config.users).toHaveLength(1);
  expect(Object.keys(config.users[0].user)).toEqual(['token']);
  const token: string = config.users[0].user.token;
  expect(jwtClaims(token).aud).toBe(AKS_SERVER_APP);
  expect(world.identity.audienceOf(token)).toBe(AKS_SERVER_APP);
  // The API server got that token before helm ran (who am I, may I write the release), and nothing else.
  expect(world.kube.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    'POST /apis/authentication.k8s.io/v1/selfsubjectreviews 201',
    'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews 201',
  ]);
  expect(world.kube.requests.every((r) => r.bearer === token)).toBe(true);
  // Masked before first use, never shown, never on a command line.
  expect(platform.secrets.has(token)).toBe(true);
  expect(platform.transcript).not.toContain(token);
  for (const c of calls()) expect(c.argv.join(' ')).not.toContain(token);
  expect(world.arm.calls).toEqual(['GET ManagedClusters_Get', 'POST ManagedClusters_ListClusterUserCredentials']);
  return token;
}

describe('each Azure sign-in reaches an Entra-only AKS cluster with a token for the AKS server app', () => {
  it('Azure DevOps service principal with a secret', async () => {
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toMatchObject({ method: 'secret', scope: `${AKS_SERVER_APP}/.default` });
    expect(platform.messages('info')).toContain(
      `AKS cluster ${ENTRA_ONLY}: Entra ID with Azure RBAC, local accounts disabled`,
    );
  });

  it('Azure DevOps service principal with a certificate', async () => {
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.certificateConnection());
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toMatchObject({
      method: 'certificate',
      scope: `${AKS_SERVER_APP}/.default`,
    });
  });

  it('Azure DevOps workload identity federation', async () => {
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('WorkloadIdentityFederation'));
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toMatchObject({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${AKS_SERVER_APP}/.default`,
    });
  });

  it('Azure DevOps managed identity of the agent machine (resource = the bare app id)', async () => {
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = world.identity.url;
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, managedIdentityConnection());
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: 'managed-identity',
      method: 'managed-identity',
      scope: AKS_SERVER_APP,
    });
  });

  it('GitHub OIDC with client-id and tenant-id', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = world.identity.githubRequestUrl;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = world.identity.githubRequestToken;
    const platform = await run({
      'cluster-name': ENTRA_ONLY,
      'subscription-id': SUBSCRIPTION,
      'client-id': FEDERATED_APP,
      'tenant-id': TENANT,
      'authority-host': world.identity.url,
      'resource-manager-url': world.arm.url,
    });
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toMatchObject({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${AKS_SERVER_APP}/.default`,
    });
  });

  it('GitHub after azure/login: the Azure CLI asked for the bare app id, the token never on its command line', async () => {
    process.env.PATH = `${FAKE_AZ_BIN}${delimiter}${process.env.PATH}`;
    Object.assign(process.env, world.azEnv());
    const platform = await run({ 'cluster-name': ENTRA_ONLY, 'resource-manager-url': world.arm.url });
    expectEntraKubeconfig(platform);
    expect(world.identity.exchanges.at(-1)).toEqual({
      clientId: 'azure-cli',
      method: 'azure-cli',
      scope: AKS_SERVER_APP,
    });
  });
});

describe('other clusters', () => {
  it('a cluster with local accounts gives admin credentials when asked (useClusterAdmin)', async () => {
    const platform = await run(
      { 'cluster-name': ENTRA_MIXED, 'use-cluster-admin': 'true' },
      world.connection('ServicePrincipal'),
    );
    expect(platform.result?.result).toBe('succeeded');
    expect(world.arm.calls).toEqual(['GET ManagedClusters_Get', 'POST ManagedClusters_ListClusterAdminCredentials']);
    const config = parse(upgrade()!.kubeconfig!.content);
    expect(config.users[0].name).toBe(`clusterAdmin_${AKS_GROUP}_${ENTRA_MIXED}`);
    const local = world.arm.clusters.get(`${SUBSCRIPTION}/${AKS_GROUP}/${ENTRA_MIXED}`.toLowerCase())!.localToken;
    expect(config.users[0].user.token).toBe(local);
    expect(platform.secrets.has(local)).toBe(true);
    expect(platform.transcript).not.toContain(local);
  });

  it('a cluster without Entra ID uses its user credentials as they are', async () => {
    const platform = await run({ 'cluster-name': LOCAL_ONLY }, world.connection('ServicePrincipal'));
    expect(platform.result?.result).toBe('succeeded');
    const config = parse(upgrade()!.kubeconfig!.content);
    expect(config.users[0].name).toBe(`clusterUser_${AKS_GROUP}_${LOCAL_ONLY}`);
    expect(config.clusters[0].cluster.server).toBe(world.kube.url);
    expect(platform.transcript).not.toContain(config.users[0].user.token);
  });
});

describe('API server checks', () => {
  it('a cluster before Kubernetes 1.28 (no SelfSubjectReview) is still checked with the access review', async () => {
    world.kube.noSelfSubjectReview = true;
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
    expect(platform.result?.result).toBe('succeeded');
    expect(world.kube.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/apis/authentication.k8s.io/v1/selfsubjectreviews 404',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews 201',
    ]);
    expect(upgrade()).toBeDefined();
  });

  it('a dry run asks whether it may list (not create) the release secrets', async () => {
    world.kube.forbidden = true;
    const platform = await run({ 'cluster-name': ENTRA_ONLY, 'dry-run': 'true' }, world.connection('ServicePrincipal'));
    expect(platform.result?.message).toMatch(/may not list secrets in namespace harbor/);
  });

  it('warns when the Entra token expires before the helm timeout', async () => {
    const platform = await run({ 'cluster-name': ENTRA_ONLY, timeout: '2h' }, world.connection('ServicePrincipal'));
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.messages('warning')).toContainEqual(
      expect.stringMatching(/^The Entra token for aks-entra-only expires in \d+ min, before the helm timeout/),
    );
  });
});

describe('refusals: one line, before helm runs', () => {
  it('Entra-only cluster + use-cluster-admin', async () => {
    const platform = await run(
      { 'cluster-name': ENTRA_ONLY, 'use-cluster-admin': 'true' },
      world.connection('ServicePrincipal'),
    );
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toBe(
      `Input 'use-cluster-admin' asks for the cluster admin credentials, but AKS cluster ${ENTRA_ONLY} has local accounts disabled (Entra ID only): set it to false and grant the identity 'Azure Kubernetes Service RBAC Writer' on the namespace, 'Azure Kubernetes Service RBAC Admin' or 'Azure Kubernetes Service RBAC Cluster Admin' (Azure RBAC clusters), or a Kubernetes RoleBinding/ClusterRoleBinding to admin or cluster-admin for the identity or one of its groups`,
    );
    expect(calls()).toEqual([]);
    expect(world.arm.calls).toEqual(['GET ManagedClusters_Get']);
  });

  it('a stopped cluster', async () => {
    const cluster = world.arm.clusters.get(`${SUBSCRIPTION}/${AKS_GROUP}/${ENTRA_ONLY}`.toLowerCase())!;
    cluster.powerState = 'Stopped';
    try {
      const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
      expect(platform.result?.message).toBe(
        `AKS cluster ${ENTRA_ONLY} is stopped; start it (az aks start) before deploying`,
      );
      expect(world.arm.calls).toEqual(['GET ManagedClusters_Get']);
      expect(calls()).toEqual([]);
    } finally {
      cluster.powerState = 'Running';
    }
  });

  it('cluster not found', async () => {
    const platform = await run({ 'cluster-name': 'aks-missing' }, world.connection('ServicePrincipal'));
    expect(platform.result?.message).toBe(
      `AKS cluster aks-missing not found in resource group ${AKS_GROUP} of subscription ${SUBSCRIPTION}; check the cluster-name, resource-group and subscription inputs`,
    );
    expect(calls()).toEqual([]);
  });

  it('missing Azure Kubernetes Service Cluster User Role', async () => {
    world.arm.denied.add('Microsoft.ContainerService/managedClusters/listClusterUserCredential/action');
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
    expect(platform.result?.message).toBe(
      `Azure denied the step permission to list the cluster user credentials of AKS cluster ${ENTRA_ONLY} (AuthorizationFailed): assign the identity the 'Azure Kubernetes Service Cluster User Role' role on the cluster (or its resource group)`,
    );
    expect(calls()).toEqual([]);
  });

  it('missing Azure Kubernetes Service Cluster Admin Role when admin is asked', async () => {
    world.arm.denied.add('Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action');
    const platform = await run(
      { 'cluster-name': ENTRA_MIXED, 'use-cluster-admin': 'true' },
      world.connection('ServicePrincipal'),
    );
    expect(platform.result?.message).toContain(
      "assign the identity the 'Azure Kubernetes Service Cluster Admin Role' role",
    );
    expect(calls()).toEqual([]);
  });

  it('missing Kubernetes role inside the cluster (the access review says no)', async () => {
    world.kube.forbidden = true;
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(
      /^11111111-aaaa-4bbb-8ccc-000000000001 may not create secrets in namespace harbor of AKS cluster aks-entra-only \(where helm keeps the release\): grant it 'Azure Kubernetes Service RBAC Writer' on the namespace, /,
    );
    expect(calls()).toEqual([]);
  });

  it('token audience refused by the API server (a legacy server app it does not accept)', async () => {
    const platform = await run({ 'cluster-name': OTHER_AUDIENCE }, world.connection('ServicePrincipal'));
    expect(world.identity.exchanges.at(-1)).toMatchObject({ scope: `${LEGACY_SERVER_APP}/.default` });
    expect(platform.result?.message).toBe(
      `The Kubernetes API server of AKS cluster ${OTHER_AUDIENCE} refused the Entra token (401) issued for audience ${LEGACY_SERVER_APP}: the cluster does not accept this token audience or tenant; check the cluster's Entra ID integration (aadProfile) and that the identity's tenant is the cluster's`,
    );
    expect(calls()).toEqual([]);
  });

  it('cluster-name together with a kubeconfig is refused before any call', async () => {
    const platform = await run(
      { 'cluster-name': ENTRA_ONLY, kubeconfig: 'apiVersion: v1\nclusters: []\n' },
      world.connection('ServicePrincipal'),
    );
    expect(platform.result?.message).toBe(
      "Input 'cluster-name' and 'kubeconfig' both name the cluster; use one of them",
    );
    expect(world.arm.calls).toEqual([]);
  });

  it('an invalid cluster name is refused before any call', async () => {
    const platform = await run(
      { 'cluster-name': 'aks_', 'resource-group': AKS_GROUP },
      world.connection('ServicePrincipal'),
    );
    expect(platform.result?.message).toMatch(/^Input 'cluster-name' must be an AKS cluster name/);
    expect(world.arm.calls).toEqual([]);
  });

  it('when helm fails afterwards, the kubeconfig with the token is removed all the same', async () => {
    process.env.FAKE_HELM_FAIL = 'UPGRADE FAILED: timed out waiting for the condition';
    const platform = await run({ 'cluster-name': ENTRA_ONLY }, world.connection('ServicePrincipal'));
    expect(platform.result?.result).toBe('failed');
    const call = upgrade()!;
    expect(parse(call.kubeconfig!.content).users[0].user.token).toBeTruthy();
    expect(existsSync(call.kubeconfig!.path)).toBe(false);
    expect(existsSync(join(call.kubeconfig!.path, '..'))).toBe(false);
  });
});
