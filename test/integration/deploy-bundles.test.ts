import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { startHarborAtHostname, type HarborAtHostname } from '../fixtures/fake-helm/harbor-at-hostname';

const FAKE_BIN = join(__dirname, '../fixtures/fake-helm');
const ADMIN = 'Bundle-Adm1n-Secret';
const TOKEN = 'sa-token-bundle-0042';

interface Call {
  tool: string;
  argv: string[];
  kubeconfig?: { path: string; mode: number; content: string };
  values?: { path: string; mode: number; content: string };
}

let state: string;
let harbor: HarborAtHostname | undefined;

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fake-helm-state-'));
});
afterEach(async () => {
  rmSync(state, { recursive: true, force: true });
  await harbor?.stop();
  harbor = undefined;
});

const env = () => ({ PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`, FAKE_HELM_STATE: state });
const calls = (): Call[] =>
  existsSync(join(state, 'calls.jsonl'))
    ? readFileSync(join(state, 'calls.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Call)
    : [];

describe('deploy bundles', () => {
  it('the GitHub action deploys, waits for health and sets its outputs', async () => {
    harbor = await startHarborAtHostname();
    const run = await runActionBundle(
      'deploy',
      {
        profile: 'availability-zones',
        hostname: harbor.host,
        expose: 'loadBalancer',
        'admin-password': ADMIN,
        timeout: '20s',
        'ca-file': harbor.caFile,
        'create-zrs-storage-classes': 'true',
      },
      { env: env() },
    );
    expect(run.stdout).not.toContain('::error::');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({
      'harbor-url': `https://${harbor.host}`,
      revision: '1',
      'values-digest': expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(run.stdout).toContain(`::add-mask::${ADMIN}`);
    expect(run.displayed).not.toContain(ADMIN);
    expect(run.summary).toContain('| Profile | availability-zones |');
    const upgrade = calls().find((c) => c.argv[0] === 'upgrade')!;
    expect(upgrade.values!.mode).toBe(0o600);
    expect(parse(upgrade.values!.content).registry.topologySpreadConstraints).toHaveLength(2);
    for (const call of calls()) expect(call.argv.join(' ')).not.toContain(ADMIN);
    expect(calls().map((c) => `${c.tool} ${c.argv[0]}`)).toEqual([
      'helm version',
      'kubectl apply',
      'helm get',
      'helm upgrade',
    ]);
    expect(harbor.healthRequests()).toBe(1);
  });

  it('the GitHub action fails with one line naming the input', async () => {
    const run = await runActionBundle(
      'deploy',
      { profile: 'managed-disks', hostname: 'harbor.example.com', 'admin-password': ADMIN, wait: 'yes' },
      { env: env() },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain("::error::Input 'wait' must be true or false (got 'yes')");
    expect(calls()).toEqual([]);
  });

  it('the Azure DevOps task reads a Kubeconfig service connection and writes it to a private file', async () => {
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: aks\n  cluster: {server: "https://aks.example.com"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: a\n  context: {cluster: aks, user: u}\n- name: b\n  context: {cluster: aks, user: u}\ncurrent-context: a\n`;
    const run = await runTaskBundle(
      'HarborDeploy',
      {
        profile: 'managed-disks',
        hostname: 'harbor.example.com',
        adminPassword: ADMIN,
        wait: 'false',
        kubernetesServiceConnection: 'k8s',
      },
      {
        env: env(),
        endpoints: {
          k8s: {
            url: 'https://aks.example.com',
            scheme: 'Kubernetes',
            parameters: { kubeconfig, clusterContext: 'b' },
            data: { authorizationType: 'Kubeconfig' },
          },
        },
      },
    );
    expect(run.stdout).not.toContain('result=Failed');
    expect(run.code).toBe(0);
    expect(run.outputs.revision).toBe('1');
    expect(run.displayed).not.toContain(ADMIN);
    expect(run.displayed).not.toContain(TOKEN);
    const upgrade = calls().find((c) => c.argv[0] === 'upgrade')!;
    expect(upgrade.kubeconfig!.mode).toBe(0o600);
    expect(parse(upgrade.kubeconfig!.content)['current-context']).toBe('b');
    expect(existsSync(upgrade.kubeconfig!.path)).toBe(false);
    expect(upgrade.argv.join(' ')).not.toMatch(new RegExp(`${ADMIN}|${TOKEN}`));
  });

  it('the Azure DevOps task builds a kubeconfig from a Service Account connection', async () => {
    const run = await runTaskBundle(
      'HarborDeploy',
      {
        profile: 'managed-disks',
        hostname: 'harbor.example.com',
        adminPassword: ADMIN,
        wait: 'false',
        kubernetesServiceConnection: 'sa',
      },
      {
        env: env(),
        endpoints: {
          sa: {
            url: 'https://aks.example.com:443',
            scheme: 'Token',
            parameters: {
              apiToken: Buffer.from(TOKEN).toString('base64'),
              serviceAccountCertificate: 'LS0tLS1CRUdJTg==',
            },
            data: { authorizationType: 'ServiceAccount' },
          },
        },
      },
    );
    expect(run.code).toBe(0);
    const config = parse(calls().find((c) => c.argv[0] === 'upgrade')!.kubeconfig!.content);
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://aks.example.com:443',
      'certificate-authority-data': 'LS0tLS1CRUdJTg==',
    });
    expect(config.users[0].user.token).toBe(TOKEN);
    expect(run.displayed).not.toContain(TOKEN);
  });

  it('the Azure DevOps task says which connection types it does not support', async () => {
    const run = await runTaskBundle(
      'HarborDeploy',
      {
        profile: 'managed-disks',
        hostname: 'harbor.example.com',
        adminPassword: ADMIN,
        wait: 'false',
        kubernetesServiceConnection: 'az',
      },
      {
        env: env(),
        endpoints: {
          az: {
            url: 'https://aks.example.com',
            scheme: 'Kubernetes',
            parameters: {},
            data: { authorizationType: 'AzureSubscription' },
          },
        },
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(
      /##vso\[task\.complete result=Failed;\]Service connection 'kubernetesServiceConnection' \(AzureSubscription\) carries no service-account token \(an Entra ID cluster\); leave it empty and name the cluster with the Azure subscription connection \(azureSubscription\), resourceGroup and clusterName instead/,
    );
    expect(calls().some((c) => c.argv[0] === 'upgrade')).toBe(false);
  });
});
