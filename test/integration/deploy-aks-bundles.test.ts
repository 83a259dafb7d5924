/**
 * The shipped deploy bundles reaching an Entra-only AKS cluster through the Azure sign-in, as the runners start them
 * (node_modules out of reach): the GitHub action with GitHub OIDC, the Azure DevOps task with an AzureRM service
 * connection (secret, workload identity federation). ARM is the spec-checked fake, Entra the loopback stand-in, the
 * API server an HTTPS stand-in accepting only tokens for the AKS server app, helm the fake recording its kubeconfig.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { runActionBundle, runTaskBundle, type BundleRun } from '../support/bundles';
import { armEndpoint, githubOidc } from '../support/azure-bundle-env';
import { AKS_GROUP, ENTRA_ONLY, jwtClaims, startAksWorld, type AksWorld } from '../support/fake-arm/aks-world';
import { APP_SECRET, CONNECTION_ID, FEDERATED_APP } from '../support/fake-arm/azure-world';
import { AKS_SERVER_APP } from '../support/fake-arm/fake-aks';

const FAKE_HELM = join(__dirname, '../fixtures/fake-helm');
const ADMIN = 'Bundle-Adm1n-aks';

let world: AksWorld;
let state: string;

beforeAll(async () => {
  world = await startAksWorld();
});
afterAll(() => world.stop());
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fake-helm-state-'));
  world.kube.requests.length = 0;
  world.arm.calls.length = 0;
});
afterEach(() => {
  rmSync(state, { recursive: true, force: true });
  expect(world.arm.violations).toEqual([]);
  expect(world.identity.problems).toEqual([]);
});

const env = (extra: Record<string, string> = {}) => ({
  PATH: `${FAKE_HELM}${delimiter}${process.env.PATH}`,
  FAKE_HELM_STATE: state,
  ...extra,
});
const calls = (): { argv: string[]; kubeconfig?: { path: string; mode: number; content: string } }[] =>
  existsSync(join(state, 'calls.jsonl'))
    ? readFileSync(join(state, 'calls.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];

/** helm got a kubeconfig with the stand-in's server + CA and an Entra token for the AKS server app, never shown. */
function expectTokenKubeconfig(run: BundleRun, maskLine: (token: string) => string): void {
  const upgrade = calls().find((c) => c.argv[0] === 'upgrade')!;
  expect(upgrade.kubeconfig!.mode).toBe(0o600);
  expect(existsSync(upgrade.kubeconfig!.path)).toBe(false);
  const config = parse(upgrade.kubeconfig!.content);
  expect(config.clusters[0].cluster).toEqual({
    server: world.kube.url,
    'certificate-authority-data': Buffer.from(world.kube.caPem).toString('base64'),
  });
  const token: string = config.users[0].user.token;
  expect(Object.keys(config.users[0].user)).toEqual(['token']);
  expect(jwtClaims(token).aud).toBe(AKS_SERVER_APP);
  expect(world.kube.requests.length).toBeGreaterThan(0);
  expect(world.kube.requests.every((r) => r.bearer === token && r.status === 201)).toBe(true);
  // Registered for masking before the first request that carries it, and never displayed.
  expect(run.stdout).toContain(maskLine(token));
  expect(run.displayed).not.toContain(token);
  expect(run.stderr).not.toContain(token);
}

describe('GitHub action bundle', () => {
  const inputs = () => ({
    profile: 'managed-disks',
    hostname: 'harbor.example.com',
    'admin-password': ADMIN,
    wait: 'false',
    'cluster-name': ENTRA_ONLY,
    'resource-group': AKS_GROUP,
    ...githubOidc(world).inputs,
  });
  const oidc = () => githubOidc(world).env;

  it('GitHub OIDC → Entra-only cluster: helm gets a token kubeconfig', async () => {
    const run = await runActionBundle('deploy', inputs(), { env: env(oidc()) });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expectTokenKubeconfig(run, (t) => `::add-mask::${t}`);
    expect(run.outputs.revision).toBe('1');
  });

  it('Entra-only + use-cluster-admin: one error line, helm never runs', async () => {
    const run = await runActionBundle('deploy', { ...inputs(), 'use-cluster-admin': 'true' }, { env: env(oidc()) });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::Input 'use-cluster-admin' asks for the cluster admin credentials, but AKS cluster aks-entra-only has local accounts disabled \(Entra ID only\): set it to false/,
    );
    expect(calls()).toEqual([]);
  });
});

describe('Azure DevOps task bundle', () => {
  const inputs = {
    profile: 'managed-disks',
    hostname: 'harbor.example.com',
    adminPassword: ADMIN,
    wait: 'false',
    clusterName: ENTRA_ONLY,
    resourceGroup: AKS_GROUP,
  };

  it('AzureRM service principal connection → Entra-only cluster', async () => {
    const run = await runTaskBundle(
      'HarborDeploy',
      { ...inputs, azureSubscription: 'arm-conn' },
      { env: env(), endpoints: { 'arm-conn': armEndpoint(world, 'ServicePrincipal') } },
    );
    expect(run.stdout).not.toContain('result=Failed');
    expect(run.code).toBe(0);
    expectTokenKubeconfig(run, (t) => `##vso[task.setsecret]${t}`);
    expect(run.displayed).not.toContain(APP_SECRET);
  });

  it('AzureRM workload identity federation connection → Entra-only cluster', async () => {
    const run = await runTaskBundle(
      'HarborDeploy',
      { ...inputs, azureSubscription: CONNECTION_ID },
      {
        env: env({ SYSTEM_OIDCREQUESTURI: world.identity.pipelinesOidcUri }),
        endpoints: {
          [CONNECTION_ID]: armEndpoint(world, 'WorkloadIdentityFederation'),
          SystemVssConnection: {
            url: 'https://dev.azure.com/contoso/',
            scheme: 'OAuth',
            parameters: { AccessToken: world.identity.pipelinesAccessToken },
          },
        },
      },
    );
    expect(run.code).toBe(0);
    expectTokenKubeconfig(run, (t) => `##vso[task.setsecret]${t}`);
    expect(world.identity.exchanges.at(-1)).toMatchObject({
      clientId: FEDERATED_APP,
      method: 'assertion',
      scope: `${AKS_SERVER_APP}/.default`,
    });
  });

  it('Entra-only + useClusterAdmin: one failure line naming the input, helm never runs', async () => {
    const run = await runTaskBundle(
      'HarborDeploy',
      { ...inputs, azureSubscription: 'arm-conn', useClusterAdmin: 'true' },
      { env: env(), endpoints: { 'arm-conn': armEndpoint(world, 'ServicePrincipal') } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /##vso\[task\.complete result=Failed;\]Input 'useClusterAdmin' asks for the cluster admin credentials, but AKS cluster aks-entra-only has local accounts disabled/,
    );
    expect(calls()).toEqual([]);
  });
});
