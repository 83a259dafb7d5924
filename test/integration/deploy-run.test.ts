import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { runCapability } from '../../shared/capability';
import deploy from '../../shared/capabilities/deploy';
import { valuesDigest } from '../../shared/helm/values';
import { FakePlatform } from '../support/fake-platform';
import { startHarborAtHostname, type HarborAtHostname } from '../fixtures/fake-helm/harbor-at-hostname';
import { referencePath } from '../reference';

const FAKE_BIN = join(__dirname, '../fixtures/fake-helm');
const ADMIN = 'Adm1n-Pa55-unit';
const DB_PASSWORD = 'Db-Pa55-unit';
const REDIS_PASSWORD = 'Redis-Pa55-unit';

interface Call {
  tool: 'helm' | 'kubectl';
  argv: string[];
  kubeconfig?: { path: string; mode: number; content: string };
  values?: { path: string; mode: number; content: string };
  manifest?: { path: string; mode: number; content: string };
}

let state: string;
const savedEnv = { ...process.env };

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'fake-helm-state-'));
  process.env.PATH = `${FAKE_BIN}${delimiter}${savedEnv.PATH}`;
  process.env.FAKE_HELM_STATE = state;
  delete process.env.FAKE_HELM_VERSION;
  delete process.env.FAKE_HELM_FAIL;
  delete process.env.FAKE_HELM_WARN;
  delete process.env.FAKE_HELM_CHART_VALUES;
  delete process.env.FAKE_HELM_INSTALL_NOTICE;
  delete process.env.FAKE_HELM_CONFLICT;
  // the runner's own kubeconfig must not leak into these runs
  delete process.env.KUBECONFIG;
});

afterEach(() => rmSync(state, { recursive: true, force: true }));
afterAll(() => {
  process.env = savedEnv;
});

function calls(tool?: string): Call[] {
  const file = join(state, 'calls.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Call)
    .filter((c) => !tool || c.tool === tool);
}

const upgrades = () => calls('helm').filter((c) => c.argv[0] === 'upgrade');

async function run(inputs: Record<string, string>, setup?: (p: FakePlatform) => void): Promise<FakePlatform> {
  const platform = new FakePlatform({
    profile: 'managed-disks',
    hostname: 'harbor.example.com',
    'admin-password': ADMIN,
    wait: 'false',
    ...inputs,
  });
  setup?.(platform);
  await runCapability(deploy, platform);
  return platform;
}

describe('deploy with a fake helm on PATH', () => {
  it('runs one helm upgrade --install with the values in a private file and no secret on argv', async () => {
    process.env.FAKE_HELM_WARN = 'This chart is deprecated';
    const platform = await run({});
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });

    const [upgrade] = upgrades();
    const file = upgrade.values!.path;
    expect(upgrade.argv).toEqual([
      'upgrade',
      '--install',
      'harbor',
      'harbor',
      '--repo',
      'https://helm.goharbor.io',
      '--version',
      '1.19.2',
      '--namespace',
      'harbor',
      '--create-namespace',
      '-f',
      file,
      '--timeout',
      '600s',
      '--output',
      'json',
    ]);
    expect(upgrade.values!.mode).toBe(0o600);
    const values = parse(upgrade.values!.content);
    expect(values.harborAdminPassword).toBe(ADMIN);
    expect(values.persistence.persistentVolumeClaim.registry.storageClass).toBe('managed-csi-premium');
    expect(existsSync(file)).toBe(false);

    for (const call of calls()) expect(call.argv.join(' ')).not.toContain(ADMIN);
    expect(platform.transcript).not.toContain(ADMIN);
    // helm's stderr warning is reported as a warning, and the step still succeeds
    expect(platform.messages('warning')).toContain('helm upgrade --install harbor: This chart is deprecated');

    expect(platform.outputs).toEqual({
      'harbor-url': 'https://harbor.example.com',
      revision: '1',
      'values-digest': valuesDigest(values),
    });
    expect(platform.outputs['values-digest']).not.toContain(ADMIN);
    expect(platform.summaries.join('\n')).toContain('managed-disks');
  });

  it('upgrades the same release on the next run (revision 2) with the same digest for the same inputs', async () => {
    const first = await run({});
    const second = await run({});
    expect(second.result?.result).toBe('succeeded');
    expect(second.outputs.revision).toBe('2');
    expect(second.outputs['values-digest']).toBe(first.outputs['values-digest']);
  });

  it('reads the release JSON even when an older helm announces the install first', async () => {
    process.env.FAKE_HELM_INSTALL_NOTICE = '1';
    const platform = await run({});
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.outputs.revision).toBe('1');
  });

  it('fails on helm exit code with helm’s Error line and still deletes the values file', async () => {
    process.env.FAKE_HELM_FAIL = 'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress';
    const platform = await run({});
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toContain('Error: UPGRADE FAILED: another operation');
    expect(platform.result?.message).toContain('helm rollback');
    expect(existsSync(upgrades()[0].values!.path)).toBe(false);
    expect(platform.outputs.revision).toBeUndefined();
  });

  it('refuses helm 2 before touching the cluster', async () => {
    process.env.FAKE_HELM_VERSION = 'v2.17.0+ga690bad';
    const platform = await run({});
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(/helm 2\.17\.0 .* is Helm 2, which needs Tiller and is not supported/);
    expect(calls('helm').map((c) => c.argv[0])).toEqual(['version']);
  });

  it('names every missing input of the external-services profile, before any tool runs', async () => {
    const platform = await run({ profile: 'external-services', 'database-username': 'harbor' });
    expect(platform.result).toEqual({
      result: 'failed',
      message: "Profile 'external-services' needs inputs database-host, database-password, redis-addr",
    });
    expect(calls()).toEqual([]);
  });

  it('deploys external-services with the database and Redis secrets only in the values file', async () => {
    const platform = await run({
      profile: 'external-services',
      'database-host': 'pg.example.com',
      'database-username': 'harbor',
      'database-password': DB_PASSWORD,
      'redis-addr': 'redis.example.com:6380',
      'redis-password': REDIS_PASSWORD,
      'redis-tls': 'true',
    });
    expect(platform.result?.result).toBe('succeeded');
    const values = parse(upgrades()[0].values!.content);
    expect(values.database).toEqual({
      type: 'external',
      external: {
        host: 'pg.example.com',
        port: '5432',
        username: 'harbor',
        password: DB_PASSWORD,
        coreDatabase: 'registry',
        sslmode: 'require',
      },
    });
    expect(values.redis).toEqual({
      type: 'external',
      external: { addr: 'redis.example.com:6380', password: REDIS_PASSWORD, tlsOptions: { enable: true } },
    });
    for (const call of calls()) expect(call.argv.join(' ')).not.toMatch(/Db-Pa55|Redis-Pa55/);
    expect(platform.transcript).not.toMatch(/Db-Pa55|Redis-Pa55|Adm1n/);
  });

  it('refuses several registry replicas on ReadWriteOnce storage with the multi-attach explanation', async () => {
    const platform = await run({ profile: 'availability-zones', 'registry-storage-class': 'managed-csi-premium-zrs' });
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(
      /^registry with 3 replicas on a ReadWriteOnce volume .* Multi-Attach error\. Use ReadWriteMany storage such as Azure Files/,
    );
    expect(platform.result?.message).toMatch(
      /\(registry-storage-class azurefile-csi-premium-zrs, registry-access-mode ReadWriteMany\).*or registry-replicas 1$/,
    );
    expect(upgrades()).toEqual([]);
  });

  it('names the inputs in the multi-attach advice as the platform spells them (Azure DevOps: camelCase)', async () => {
    const platform = await run(
      { profile: 'availability-zones', 'registry-storage-class': 'managed-csi-premium-zrs' },
      (p) => {
        p.inputName = (spec) => spec.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      },
    );
    expect(platform.result?.message).toMatch(
      /\(registryStorageClass azurefile-csi-premium-zrs, registryAccessMode ReadWriteMany\).*or registryReplicas 1$/,
    );
  });

  it('also refuses it when values-files turn the zones profile back to ReadWriteOnce', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'values-'));
    writeFileSync(
      join(dir, 'rwo.yaml'),
      'persistence:\n  persistentVolumeClaim:\n    jobservice:\n      jobLog:\n        accessMode: ReadWriteOnce\n',
    );
    const platform = await run({ profile: 'availability-zones', 'values-files': 'rwo.yaml' }, (p) =>
      Object.assign(p, { workspaceDir: () => dir }),
    );
    expect(platform.result?.message).toMatch(/^jobservice with 3 replicas on a ReadWriteOnce volume/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows several registry replicas on RWO storage when images go to object storage', async () => {
    const platform = await run({
      'registry-replicas': '2',
      set: 'persistence.imageChartStorage.type=azure\njobservice.jobLoggers[0]=database',
    });
    expect(platform.result?.result).toBe('succeeded');
  });

  it('puts set values in the file, warns about unknown keys with a suggestion, and never puts them on argv', async () => {
    const platform = await run({
      set: 'core.replica=2\nregistry.credentials.password=Set-Secret-1\nexpose.ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-read-timeout=600',
    });
    expect(platform.result?.result).toBe('succeeded');
    const values = parse(upgrades()[0].values!.content);
    expect(values.core).toEqual({ replica: 2, replicas: 1 });
    expect(values.expose.ingress.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe(600);
    expect(platform.messages('warning')).toEqual([
      expect.stringContaining(
        'has no core.replica (from values-files or set); helm will ignore it — did you mean core.replicas?',
      ),
    ]);
    expect(upgrades()[0].argv.join(' ')).not.toContain('Set-Secret-1');
  });

  it('writes values helm reads back exactly, even strings YAML 1.1 would retype', async () => {
    await run({ 'admin-password': 'yes', set: 'registry.credentials.password=0777\nregistry.credentials.username=on' });
    const content = upgrades()[0].values!.content;
    // helm parses values as YAML 1.1, where unquoted yes/on are booleans and 0777 is octal
    const helmReads = parse(content, { version: '1.1' });
    expect(helmReads.harborAdminPassword).toBe('yes');
    expect(helmReads.registry.credentials).toEqual({ password: '0777', username: 'on' });
  });

  it('reads values-files as helm does (YAML 1.1), so `yes` stays a boolean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'values-'));
    writeFileSync(join(dir, 'extra.yaml'), 'trivy:\n  skipUpdate: yes\n  ignoreUnfixed: on\n');
    await run({ 'values-files': 'extra.yaml' }, (p) => Object.assign(p, { workspaceDir: () => dir }));
    expect(JSON.parse(upgrades()[0].values!.content).trivy).toEqual({
      skipUpdate: true,
      ignoreUnfixed: true,
      replicas: 1,
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('dry-run shows the values that would change, hides secrets, and changes nothing', async () => {
    await run({});
    const platform = await run({ 'dry-run': 'true', 'admin-password': 'Another-Adm1n', 'trivy-replicas': '2' });
    expect(platform.result?.result).toBe('succeeded');
    const dry = upgrades()[1];
    expect(dry.argv).toContain('--dry-run=server');
    const info = platform.messages('info').join('\n');
    expect(info).toContain('Release harbor is at revision 1; values that would change:');
    expect(info).toContain('~ trivy.replicas: 1 → 2');
    expect(info).toContain('~ harborAdminPassword: (secret) → (secret)');
    expect(info).toMatch(/Rendered 6 objects \(1 Secret, 4 Deployment, 1 Ingress\); nothing was changed/);
    expect(platform.transcript).not.toMatch(/Another-Adm1n|Adm1n-Pa55|QWRtMW4tUGE1NS11bml0/);
    expect(platform.outputs.revision).toBe('1');
    const again = await run({});
    expect(again.outputs.revision).toBe('2');
  });

  it("dry-run hides every secret-bearing chart key, also when it comes from `set` (the chart's names, not only ours)", async () => {
    await run({});
    const secrets = {
      'core.xsrfKey': 'Xsrf0123456789abcdefXsrf01234567',
      secretKey: 'SeCrEtKeY16chars',
      'core.tokenKey': 'TokenKeyPemBody',
      'jobservice.secret': 'JobSecret123456',
      'persistence.imageChartStorage.azure.accountkey': 'AzureAccountKeyValue',
      'registry.credentials.htpasswdString': 'harbor_registry_user:$2y$10$hash',
      'trivy.gitHubToken': 'ghp_TrivyToken',
      'core.configureUserSettings': '{"ldap_search_password":"LdapPw1"}',
    };
    const platform = await run({
      'dry-run': 'true',
      set: Object.entries(secrets)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    });
    expect(platform.result?.result).toBe('succeeded');
    const shown = platform.transcript;
    for (const [key, value] of Object.entries(secrets)) {
      expect(shown).toContain(`+ ${key}: (secret)`);
      expect(shown).not.toContain(value);
    }
  });

  it('dry-run of a new release lists everything it would install', async () => {
    const platform = await run({ 'dry-run': 'true' });
    expect(platform.messages('info').join('\n')).toContain(
      'Release harbor does not exist yet; it would be installed with:',
    );
    expect(platform.outputs.revision).toBe('0');
  });

  it('validates against `helm show values` for another chart version, and fails clearly when helm cannot fetch it', async () => {
    const failed = await run({ 'chart-version': '1.18.0' });
    expect(failed.result?.message).toContain(
      'helm show values harbor 1.18.0 failed: Error: chart "harbor" version "1.18.0" not found',
    );
    expect(upgrades()).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'chart-'));
    const reference = readFileSync(referencePath('harbor-helm/values.yaml'), 'utf8');
    writeFileSync(join(dir, 'values.yaml'), reference.replace(/^externalURL:.*$/m, ''));
    process.env.FAKE_HELM_CHART_VALUES = join(dir, 'values.yaml');
    const old = await run({ 'chart-version': '1.18.0' });
    expect(old.result?.message).toMatch(/chart harbor 1\.18\.0 values\.yaml has no externalURL/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses credentials in chart-repo, which would go on helm's command line", async () => {
    const platform = await run({ 'chart-repo': 'https://ci:Repo-Pa55@charts.example.com/harbor' });
    expect(platform.result?.message).toMatch(/^Input 'chart-repo' must not contain credentials/);
    expect(platform.transcript).not.toContain('Repo-Pa55');
    expect(calls()).toEqual([]);
  });

  it('uses an oci:// chart reference as the chart itself', async () => {
    await run({ 'chart-repo': 'oci://registry.example.com/charts/harbor' });
    expect(upgrades()[0].argv.slice(0, 6)).toEqual([
      'upgrade',
      '--install',
      'harbor',
      'oci://registry.example.com/charts/harbor',
      '--version',
      '1.19.2',
    ]);
  });

  it('writes kubeconfig content to a 0600 file passed as KUBECONFIG, masks its token and removes it', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://aks.example.com"}}]',
      'users: [{name: u, user: {token: kube-token-123456}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n');
    const platform = await run({ kubeconfig });
    expect(platform.result?.result).toBe('succeeded');
    const upgrade = upgrades()[0];
    expect(upgrade.kubeconfig?.mode).toBe(0o600);
    expect(upgrade.kubeconfig?.content.trim()).toBe(kubeconfig);
    expect(existsSync(upgrade.kubeconfig!.path)).toBe(false);
    expect(platform.secrets.has('kube-token-123456')).toBe(true);
    expect(platform.messages('warning').filter((m) => m.includes('group-readable'))).toEqual([]);
  });

  it('refuses a kubeconfig input that is neither a file nor a kubeconfig', async () => {
    const platform = await run({ kubeconfig: 'does/not/exist.yaml' });
    expect(platform.result?.message).toBe("Input 'kubeconfig': no kubeconfig file at does/not/exist.yaml");
    // refused before helm is even looked up (which may mean a download)
    expect(calls()).toEqual([]);
    const broken = await run({ kubeconfig: 'apiVersion: v1\nclusters: [\n' });
    expect(broken.result?.message).toBe("'kubeconfig' is not a valid kubeconfig (YAML does not parse)");
    expect(calls()).toEqual([]);
  });

  it('applies the ZRS storage classes idempotently from a private manifest', async () => {
    const first = await run({ profile: 'availability-zones', 'create-zrs-storage-classes': 'true' });
    expect(first.result?.result).toBe('succeeded');
    const second = await run({ profile: 'availability-zones', 'create-zrs-storage-classes': 'true' });
    expect(second.result?.result).toBe('succeeded');
    const kubectl = calls('kubectl');
    expect(kubectl).toHaveLength(2);
    expect(kubectl[0].argv).toEqual(['apply', '-f', kubectl[0].manifest!.path]);
    expect(kubectl[0].manifest!.mode).toBe(0o600);
    expect(existsSync(kubectl[0].manifest!.path)).toBe(false);
    expect(first.messages('info')).toEqual(
      expect.arrayContaining([
        'storageclass.storage.k8s.io/managed-csi-premium-zrs created',
        'storageclass.storage.k8s.io/azurefile-csi-premium-zrs created',
      ]),
    );
    expect(second.messages('info')).toEqual(
      expect.arrayContaining([
        'storageclass.storage.k8s.io/managed-csi-premium-zrs unchanged',
        'storageclass.storage.k8s.io/azurefile-csi-premium-zrs unchanged',
      ]),
    );
    // kubectl runs before helm
    expect(
      calls()
        .map((c) => `${c.tool} ${c.argv[0]}`)
        .slice(0, 4),
    ).toEqual(['helm version', 'kubectl apply', 'helm get', 'helm upgrade']);
  });

  it('reports a storage class that exists with other parameters', async () => {
    await run({ profile: 'availability-zones', 'create-zrs-storage-classes': 'true' });
    const stored = join(state, 'storageclasses', 'managed-csi-premium-zrs.json');
    writeFileSync(
      stored,
      JSON.stringify({ ...JSON.parse(readFileSync(stored, 'utf8')), parameters: { skuName: 'StandardSSD_ZRS' } }),
    );
    const platform = await run({ profile: 'availability-zones', 'create-zrs-storage-classes': 'true' });
    expect(platform.result?.message).toMatch(
      /updates to parameters are forbidden.*delete it or set create-zrs-storage-classes to false/,
    );
    expect(upgrades()).toHaveLength(1);
  });

  it('refuses cert-manager without an ingress, and a URL as hostname', async () => {
    const lb = await run({ expose: 'loadBalancer', 'cert-manager-issuer': 'letsencrypt' });
    expect(lb.result?.message).toMatch(/^Input 'cert-manager-issuer' needs expose 'ingress'/);
    const ip = await run({ hostname: '10.0.0.4:443' });
    expect(ip.result?.message).toBe(
      "Input 'hostname' is an IP address, which an ingress cannot serve (Kubernetes accepts only DNS names as ingress hosts); use a DNS name, or expose 'loadBalancer' or 'clusterIP'",
    );
    const url = await run({ hostname: 'https://harbor.example.com' });
    expect(url.result?.message).toMatch(/^Input 'hostname' must be a host name like harbor.example.com, not a URL/);
    const size = await run({ 'registry-size': '100GB' });
    expect(size.result?.message).toBe("Input 'registry-size' must be a Kubernetes quantity like 10Gi (got '100GB')");
    expect(calls()).toEqual([]);
  });

  it('requires an admin password unless an existing secret is given, before helm is looked up', async () => {
    const missing = await run({ 'admin-password': '' });
    expect(missing.result?.message).toMatch(/^Input 'admin-password' is required \(or existingSecretAdminPassword/);
    const chartDefault = await run({ 'admin-password': 'Harbor12345' });
    expect(chartDefault.result?.message).toBe(
      "Input 'admin-password' must not be the chart's well-known default password",
    );
    const viaSet = await run({ 'admin-password': 'Adm1n-Pa55-unit', set: 'harborAdminPassword=Harbor12345' });
    expect(viaSet.result?.message).toBe("Input 'admin-password' must not be the chart's well-known default password");
    // Bad input fails before any tool lookup: the helm on PATH was never even asked its version.
    expect(calls()).toEqual([]);
    for (const p of [missing, chartDefault, viaSet]) expect(p.transcript).not.toMatch(/helm/i);
    const existing = await run({ 'admin-password': '', set: 'existingSecretAdminPassword=harbor-admin' });
    expect(existing.result?.result).toBe('succeeded');
  });

  describe('health wait against Harbor (the emulator behind TLS) at its external URL', () => {
    let harbor: HarborAtHostname;
    afterEach(() => harbor.stop());

    it('succeeds once every component reports healthy, retrying an ingress that is not up yet', async () => {
      // nginx ingress answers 503 until the backend has ready endpoints
      harbor = await startHarborAtHostname([
        { path: /\/api\/v2\.0\/health/, every: 1, times: 2, fault: { kind: 'status', status: 503 } },
      ]);
      harbor.emulator.setHealth('jobservice', false, 'starting');
      // jobservice comes up right after Harbor first answered "unhealthy"
      const flip = setInterval(() => {
        // the emulator logs a request once it has answered it
        if (harbor.emulator.requests({ path: /^\/api\/v2\.0\/health$/ }).length < 1) return;
        harbor.emulator.setHealth('jobservice', true);
        clearInterval(flip);
      }, 20);
      const platform = await run({
        hostname: harbor.host,
        expose: 'loadBalancer',
        wait: 'true',
        timeout: '20s',
        'ca-file': harbor.caFile,
      });
      expect(platform.result?.result).toBe('succeeded');
      expect(upgrades()[0].argv).toEqual(expect.arrayContaining(['--wait', '--timeout', '20s']));
      expect(harbor.proxy.injected().status).toBe(2);
      expect(harbor.healthRequests()).toBe(2);
      expect(platform.messages('info')).toContain(
        'Harbor is healthy: core, database, jobservice, portal, redis, registry, registryctl, trivy',
      );
    });

    it('retries connections the ingress resets while it reloads', async () => {
      harbor = await startHarborAtHostname([
        { path: /\/api\/v2\.0\/health/, every: 1, times: 2, fault: { kind: 'reset' } },
      ]);
      const platform = await run({
        hostname: harbor.host,
        expose: 'loadBalancer',
        wait: 'true',
        timeout: '5s',
        'ca-file': harbor.caFile,
      });
      expect(platform.result?.result).toBe('succeeded');
      expect(harbor.proxy.injected().reset).toBe(2);
      expect(harbor.healthRequests()).toBe(1);
      expect(platform.messages('debug').filter((m) => m.startsWith('Harbor health, attempt'))).toEqual([
        expect.stringMatching(/^Harbor health, attempt 1: .*ECONNRESET/),
        expect.stringMatching(/^Harbor health, attempt 2: .*ECONNRESET/),
      ]);
    });

    it('names the unhealthy components when the timeout passes', async () => {
      harbor = await startHarborAtHostname();
      harbor.emulator.setHealth('database', false, 'dial tcp 10.0.0.5:5432: i/o timeout');
      harbor.emulator.setHealth('redis', false, 'NOAUTH');
      const platform = await run({
        hostname: harbor.host,
        expose: 'loadBalancer',
        wait: 'true',
        timeout: '2s',
        'ca-file': harbor.caFile,
      });
      expect(platform.result?.result).toBe('failed');
      expect(platform.result?.message).toBe(
        `Harbor at https://${harbor.host} is not healthy after 2s: unhealthy components: database (dial tcp 10.0.0.5:5432: i/o timeout), redis (NOAUTH)`,
      );
      expect(harbor.healthRequests()).toBeGreaterThanOrEqual(2);
      expect(platform.outputs.revision).toBe('1');
    });

    it('refuses an untrusted certificate unless told to trust it', async () => {
      harbor = await startHarborAtHostname();
      const platform = await run({ hostname: harbor.host, expose: 'loadBalancer', wait: 'true', timeout: '1s' });
      expect(platform.result?.message).toMatch(
        new RegExp(`^Harbor at https://${harbor.host} is not healthy after 1s: .*TLS verification of .* failed`),
      );
      const insecure = await run({
        hostname: harbor.host,
        expose: 'loadBalancer',
        wait: 'true',
        timeout: '5s',
        insecure: 'true',
      });
      expect(insecure.result?.result).toBe('succeeded');
    });
  });
});

describe('upgrading a release that has other volume sizes', () => {
  function existingRelease(values: Record<string, unknown>): void {
    const file = join(state, 'releases', 'harbor', 'harbor.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ revision: 1, values }));
  }
  const size = (values: any, component: string) =>
    (component === 'jobservice'
      ? values.persistence.persistentVolumeClaim.jobservice.jobLog
      : values.persistence.persistentVolumeClaim[component]
    ).size;

  it("keeps the StatefulSet volume sizes the release has (the chart's defaults when it set none), and grows the others", async () => {
    // As an earlier version of this step installed it: no sizes, so the chart's 1Gi/1Gi/5Gi.
    existingRelease({ harborAdminPassword: ADMIN });
    const platform = await run({});
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
    const values = parse(upgrades()[0].values!.content);
    expect(['database', 'redis', 'trivy', 'registry', 'jobservice'].map((c) => size(values, c))).toEqual([
      '1Gi',
      '1Gi',
      '5Gi',
      '256Gi',
      '8Gi',
    ]);
    expect(platform.messages('info')).toContain(
      "Keeping the 1Gi database volume release harbor has: Kubernetes cannot resize a StatefulSet's volume template (database-size is not given)",
    );
  });

  it('keeps a size the release was given, and passes a size the inputs give', async () => {
    existingRelease({ persistence: { persistentVolumeClaim: { trivy: { size: '20Gi' } } } });
    await run({ 'database-size': '8Gi' });
    const values = parse(upgrades()[0].values!.content);
    expect(['database', 'redis', 'trivy'].map((c) => size(values, c))).toEqual(['8Gi', '1Gi', '20Gi']);
  });

  it("installs a new release with the guide's sizes", async () => {
    await run({});
    const values = parse(upgrades()[0].values!.content);
    expect(['database', 'redis', 'trivy', 'registry', 'jobservice'].map((c) => size(values, c))).toEqual([
      '8Gi',
      '8Gi',
      '8Gi',
      '256Gi',
      '8Gi',
    ]);
  });
});

describe('deploy with a fake Helm 4 on PATH', () => {
  beforeEach(() => {
    process.env.FAKE_HELM_VERSION = 'v4.3.1+g1234567';
  });

  it('spells the wait strategy out, gates renamed flags on the major, and reports Helm 4 warnings', async () => {
    process.env.FAKE_HELM_WARN = 'this chart is deprecated';
    const platform = await run({ wait: 'false', 'rollback-on-failure': 'true' });
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
    const argv = upgrades()[0].argv;
    expect(argv).toEqual(expect.arrayContaining(['--rollback-on-failure', '--wait=watcher', '--timeout', '600s']));
    expect(argv).not.toContain('--atomic');
    expect(argv.some((a) => a.startsWith('--server-side') || a === '--force-conflicts')).toBe(false);
    // slog's `level=WARN msg="…"` becomes the message alone, as a warning
    expect(platform.messages('warning')).toContain('helm upgrade --install harbor: this chart is deprecated');
    expect(platform.messages('info').join('\n')).toContain('revision 1, deployed (server-side apply)');
  });

  it('uses the legacy wait strategy when asked, and plain --atomic/--wait on Helm 3', async () => {
    await run({ wait: 'false', 'wait-strategy': 'legacy', 'rollback-on-failure': 'true' });
    expect(upgrades()[0].argv).toEqual(expect.arrayContaining(['--rollback-on-failure', '--wait=legacy']));
    process.env.FAKE_HELM_VERSION = 'v3.22.0';
    await run({ wait: 'false', 'rollback-on-failure': 'true', 'wait-strategy': 'legacy' });
    expect(upgrades()[1].argv).toEqual(expect.arrayContaining(['--atomic', '--wait']));
    expect(upgrades()[1].argv.some((a) => a.startsWith('--wait='))).toBe(false);
  });

  it('never sends --force-conflicts without server-side apply, and takes over conflicting fields only when asked', async () => {
    process.env.FAKE_HELM_CONFLICT = '1';
    const failed = await run({});
    expect(failed.result?.result).toBe('failed');
    expect(failed.result?.message).toMatch(
      /conflict occurred while applying object .* — another field manager owns fields this release sets; set apply-method 'server-side-force-conflicts'/,
    );
    const forced = await run({ 'apply-method': 'server-side-force-conflicts' });
    expect(forced.result).toEqual({ result: 'succeeded', message: undefined });
    expect(upgrades()[1].argv).toEqual(expect.arrayContaining(['--server-side=true', '--force-conflicts']));
  });

  it('keeps a release made by Helm 3 client-side on upgrade (auto), as Helm 4 does', async () => {
    process.env.FAKE_HELM_VERSION = 'v3.22.0';
    await run({});
    process.env.FAKE_HELM_VERSION = 'v4.3.1';
    const platform = await run({});
    expect(platform.messages('info').join('\n')).toContain('revision 2, deployed (client-side apply)');
  });

  it('refuses a server-side apply method with Helm 3, naming the input, before the cluster is touched', async () => {
    process.env.FAKE_HELM_VERSION = 'v3.22.0';
    const platform = await run({ 'apply-method': 'server-side' });
    expect(platform.result?.message).toBe(
      "Input 'apply-method' 'server-side' needs Helm 4; helm 3.22.0 applies client-side only (set helm-version to a 4.x version)",
    );
    expect(upgrades()).toEqual([]);
  });

  it('refuses Helm 5 and later with one line', async () => {
    process.env.FAKE_HELM_VERSION = 'v5.0.0';
    const platform = await run({});
    expect(platform.result?.message).toMatch(/^helm 5\.0\.0 at .* is not supported; use Helm 3 or 4 \(helm-version\)$/);
    expect(calls('helm').map((c) => c.argv[0])).toEqual(['version']);
  });

  it('strips the Pulled:/Digest: lines Helm 4 prints for OCI charts before reading values and the release', async () => {
    // 4.2.x prints them on stdout for `show values` too (4.3 moved those to stderr).
    process.env.FAKE_HELM_VERSION = 'v4.2.4';
    const file = join(state, 'chart-values.yaml');
    writeFileSync(file, readFileSync(join(__dirname, '../../shared/helm/chart/harbor-1.19.2-values.json'), 'utf8'));
    process.env.FAKE_HELM_CHART_VALUES = file;
    const platform = await run({ 'chart-repo': 'oci://registry.example.com/charts/harbor', 'chart-version': '1.19.1' });
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
    expect(platform.messages('warning').join('\n')).not.toMatch(/Pulled|Digest/);
  });
});
