import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ServiceConnection } from '../../shared/platform';
import { kubeconfigFromConnection, resolveClusterAccess } from '../../shared/kube/kubeconfig';
import { PrivateDir } from '../../shared/kube/private-dir';
import { FakePlatform } from '../support/fake-platform';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: aks
  cluster: {server: "https://aks.example.com", certificate-authority-data: Q0E=}
users:
- name: admin
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZLWRhdGEtc2VjcmV0}
- name: sp
  user:
    auth-provider: {name: azure, config: {access-token: at-secret-1, refresh-token: rt-secret-2}}
contexts:
- {name: one, context: {cluster: aks, user: admin}}
- {name: two, context: {cluster: aks, user: sp}}
current-context: one
`;

const connection = (
  data: Record<string, string>,
  auth: Record<string, string>,
  url = 'https://aks.example.com',
): ServiceConnection => ({
  id: 'k8s',
  url,
  scheme: 'Kubernetes',
  auth,
  data: (key) => data[key],
});

let work: string;
let dir: PrivateDir;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'kube-'));
  dir = new PrivateDir(work);
});
afterEach(() => {
  dir.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('cluster access', () => {
  it('uses a kubeconfig path from the workspace in place and masks its credentials', () => {
    writeFileSync(join(work, 'kube.yaml'), KUBECONFIG);
    const platform = new FakePlatform({}, work);
    const access = resolveClusterAccess(
      platform,
      { connectionInput: 'kubernetesServiceConnection', kubeconfig: 'kube.yaml', kubeconfigLabel: 'kubeconfig' },
      dir,
    );
    expect(access).toEqual({ kubeconfig: join(work, 'kube.yaml'), source: 'input kubeconfig (kube.yaml)' });
    expect([...platform.secrets].sort()).toEqual(['S0VZLWRhdGEtc2VjcmV0', 'at-secret-1', 'rt-secret-2']);
  });

  it('expands ~/ in a kubeconfig path', () => {
    const home = mkdtempSync(join(homedir(), '.deploy-kubeconfig-test-'));
    try {
      writeFileSync(join(home, 'config'), KUBECONFIG);
      const relative = `~/${home.slice(homedir().length + 1)}/config`;
      const access = resolveClusterAccess(
        new FakePlatform(),
        { connectionInput: 'c', kubeconfig: relative, kubeconfigLabel: 'kubeconfig' },
        dir,
      );
      expect(access.kubeconfig).toBe(join(home, 'config'));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('writes kubeconfig content to a 0600 file inside a 0700 directory', () => {
    const platform = new FakePlatform();
    const access = resolveClusterAccess(
      platform,
      { connectionInput: 'c', kubeconfig: KUBECONFIG, kubeconfigLabel: 'kubeconfig' },
      dir,
    );
    expect(readFileSync(access.kubeconfig!, 'utf8')).toBe(KUBECONFIG);
    expect(statSync(access.kubeconfig!).mode & 0o777).toBe(0o600);
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
  });

  it('refuses content that is not a kubeconfig, without echoing it', () => {
    const platform = new FakePlatform();
    expect(() =>
      resolveClusterAccess(
        platform,
        { connectionInput: 'c', kubeconfig: 'apiVersion: v1\nkind: Config\n', kubeconfigLabel: 'kubeconfig' },
        dir,
      ),
    ).toThrow("'kubeconfig' is not a kubeconfig (no clusters list)");
    expect(() =>
      resolveClusterAccess(
        platform,
        { connectionInput: 'c', kubeconfig: 'clusters: [\n', kubeconfigLabel: 'kubeconfig' },
        dir,
      ),
    ).toThrow("'kubeconfig' is not a valid kubeconfig (YAML does not parse)");
  });

  it("falls back to the runner's kubeconfig when nothing is given", () => {
    const access = resolveClusterAccess(
      new FakePlatform(),
      { connectionInput: 'c', kubeconfigLabel: 'kubeconfig' },
      dir,
    );
    expect(access.kubeconfig).toBeUndefined();
  });

  it('prefers the service connection on Azure DevOps, switching to its cluster context', () => {
    const platform = new FakePlatform();
    platform.connections.k8s = connection(
      { authorizationType: 'Kubeconfig' },
      { kubeconfig: KUBECONFIG, clusterContext: 'two' },
    );
    const access = resolveClusterAccess(platform, { connectionInput: 'k8s', kubeconfigLabel: 'kubeconfig' }, dir);
    expect(access.source).toBe('service connection k8s');
    expect(parse(readFileSync(access.kubeconfig!, 'utf8'))['current-context']).toBe('two');
    expect(platform.secrets.has('at-secret-1')).toBe(true);
  });

  it('treats a connection without authorizationType as Kubeconfig, as the ADO Kubernetes tasks do', () => {
    expect(kubeconfigFromConnection(connection({}, { kubeconfig: KUBECONFIG }), 'k8s')).toBe(KUBECONFIG);
    expect(() => kubeconfigFromConnection(connection({}, {}), 'k8s')).toThrow(
      "Service connection 'k8s' has no kubeconfig; edit the connection and paste one",
    );
  });

  it('builds a token kubeconfig for Service Account connections, honouring acceptUntrustedCerts', () => {
    const token = Buffer.from('sa-token').toString('base64');
    const verified = parse(
      kubeconfigFromConnection(
        connection({ authorizationType: 'ServiceAccount' }, { apiToken: token, serviceAccountCertificate: 'Q0E=' }),
        'k8s',
      ),
    );
    expect(verified.clusters[0].cluster).toEqual({
      server: 'https://aks.example.com',
      'certificate-authority-data': 'Q0E=',
    });
    expect(verified.users[0].user).toEqual({ token: 'sa-token' });
    const insecure = parse(
      kubeconfigFromConnection(
        connection(
          { authorizationType: 'ServiceAccount', acceptUntrustedCerts: 'true' },
          { apiToken: token, serviceAccountCertificate: 'Q0E=' },
        ),
        'k8s',
      ),
    );
    expect(insecure.clusters[0].cluster).toEqual({
      server: 'https://aks.example.com',
      'insecure-skip-tls-verify': true,
    });
  });

  it('says plainly which connection types are not supported', () => {
    expect(() => kubeconfigFromConnection(connection({ authorizationType: 'AzureSubscription' }, {}), 'k8s')).toThrow(
      "Service connection 'k8s' (AzureSubscription) carries no service-account token (an Entra ID cluster); leave it empty and name the cluster with the Azure subscription connection (azureSubscription), resourceGroup and clusterName instead",
    );
    expect(() => kubeconfigFromConnection(connection({ authorizationType: 'WorkloadIdentity' }, {}), 'k8s')).toThrow(
      "Service connection 'k8s' uses authorization type 'WorkloadIdentity', which is not supported; use a Kubeconfig or Service Account connection",
    );
  });
});
