/**
 * The real helm 3 and helm 4 (pinned in scripts/tools.json, installed by scripts/install-tools.sh) judge the deploy
 * step's helm runner and the fake helm the unit tests use:
 * - every argv the runner builds is accepted by both majors (run against an unreachable cluster, the error must be the
 *   cluster-unreachable one), and the argv each major must refuse is refused by the real helm and by the fake alike;
 * - the fake's flag table, deprecation lines and warning format match the real binaries;
 * - versions, warnings (a chart of our own with `deprecated: true`) and `helm show values` are parsed from real output,
 *   including Helm 4's `Pulled:`/`Digest:` lines for an OCI chart pulled from a real registry;
 * - `helm template` of a chart the test generates, with the values file the step writes for each profile, renders the
 *   settings the profile promises.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { harborValues, type HarborOptions, type Profile } from '../../shared/helm/harbor-profiles';
import {
  Helm,
  helmLogLine,
  parseHelmVersion,
  stripPullNotices,
  type ApplyMethod,
  type HelmVersion,
  type UpgradeOptions,
} from '../../shared/helm/helm-runner';
import { parseChartValues } from '../../shared/helm/chart-values';
import { FakePlatform } from '../support/fake-platform';
import { pinnedHelms } from '../support/tools';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fake = require('../fixtures/fake-helm/fake-tools') as {
  UPGRADE_FLAGS: Record<3 | 4, Record<string, unknown>>;
  DEPRECATED_IN_4: Record<string, string>;
  warningLine(major: number, message: string): string;
};
const FAKE_HELM = join(__dirname, '../fixtures/fake-helm/helm');

jest.setTimeout(600_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let env: Record<string, string>;

function run(binary: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { ...process.env, ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs `tasks` with at most `limit` at a time: the box is shared, and each helm start costs a core for a moment. */
async function limited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]);
      }
    }),
  );
  return results;
}

const helms = pinnedHelms();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'helm-real-'));
  // A cluster no one listens at: port 1 on loopback refuses at once, so helm fails with "Kubernetes cluster unreachable"
  // after it has parsed its flags — exactly the point this test needs.
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: not-a-secret}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // helm keeps caches and config under these; nothing of the runner's home is read or written.
  env = {
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_DATA_HOME: join(dir, 'data'),
    NO_COLOR: '1',
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: Record<Profile, HarborOptions> = {
  'managed-disks': {
    profile: 'managed-disks',
    release: 'harbor',
    hostname: 'harbor.example.com',
    adminPassword: 'not-a-secret',
    expose: 'ingress',
    ingressClass: 'nginx',
    certManagerIssuer: 'letsencrypt-nginx',
    storage: {},
    replicas: {},
  },
  'external-services': {
    profile: 'external-services',
    release: 'harbor',
    hostname: 'harbor.example.com',
    adminPassword: 'not-a-secret',
    expose: 'ingress',
    ingressClass: 'nginx',
    storage: {},
    replicas: {},
    database: {
      host: 'pg.postgres.database.azure.com',
      username: 'harbor',
      password: 'not-a-secret',
      name: 'registry',
    },
    redis: { addr: 'redis.redis.cache.windows.net:6380', password: 'not-a-secret', tls: true },
  },
  'availability-zones': {
    profile: 'availability-zones',
    release: 'harbor',
    hostname: 'harbor.example.com',
    adminPassword: 'not-a-secret',
    expose: 'ingress',
    ingressClass: 'nginx',
    storage: {},
    replicas: {},
  },
};

function valuesFile(profile: Profile): string {
  const file = join(dir, `values-${profile}.json`);
  writeFileSync(file, `${JSON.stringify(harborValues(OPTIONS[profile]).values, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Every argv the runner builds for one major: each option combination, for both kinds of chart source. */
function allArgv(version: HelmVersion): string[][] {
  const helm = new Helm(new FakePlatform({}), 'helm');
  const methods: ApplyMethod[] =
    version.major === 4
      ? ['auto', 'client-side', 'server-side', 'server-side-force-conflicts']
      : ['auto', 'client-side'];
  const seen = new Map<string, string[]>();
  const file = valuesFile('managed-disks');
  for (const repo of ['https://helm.goharbor.io', 'oci://127.0.0.1:1/charts/harbor']) {
    for (const wait of [true, false]) {
      for (const dryRun of [true, false]) {
        for (const rollbackOnFailure of [true, false]) {
          for (const applyMethod of methods) {
            for (const waitStrategy of ['watcher', 'legacy'] as const) {
              const options: UpgradeOptions = {
                release: 'harbor',
                namespace: 'harbor',
                chart: { name: 'harbor', version: '1.19.2', repo },
                valuesFile: file,
                wait,
                waitStrategy,
                applyMethod,
                rollbackOnFailure,
                timeoutMs: 600_000,
                dryRun,
              };
              const argv = helm.upgradeArgs(options, version);
              seen.set(argv.join(' '), argv);
            }
          }
        }
      }
    }
  }
  return [...seen.values()];
}

const FLAG_ERROR =
  /unknown flag|unknown shorthand|invalid argument|flag needs an argument|none of the others can be|invalid dry-run value/;

describe.each(helms.map((h) => [`Helm ${h.major} (${h.version})`, h] as const))('%s', (_name, pinned) => {
  const version: HelmVersion = { version: pinned.version, major: pinned.major };

  it('reports its version, parsed as the step parses it, through the runner', async () => {
    const platform = new FakePlatform({});
    const parsed = await new Helm(platform, pinned.binary, env).version();
    expect(parsed).toEqual(version);
    const short = await run(pinned.binary, ['version', '--short']);
    expect(parseHelmVersion(short.stdout, pinned.binary)).toEqual(version);
  });

  it('accepts every argv the runner builds: each fails only because the cluster is unreachable, as the fake accepts them', async () => {
    const argvs = allArgv(version);
    expect(argvs.length).toBeGreaterThanOrEqual(pinned.major === 4 ? 32 : 8);
    const results = await limited(argvs, 3, async (argv) => ({
      argv,
      real: await run(pinned.binary, argv),
      fake: await runFake(pinned.version, argv),
    }));
    for (const { argv, real, fake: faked } of results) {
      const what = `helm ${argv.join(' ')}`;
      expect({ what, code: real.code, flagError: FLAG_ERROR.test(real.stderr) }).toEqual({
        what,
        code: 1,
        flagError: false,
      });
      expect({ what, stderr: real.stderr }).toEqual({
        what,
        stderr: expect.stringMatching(/kubernetes cluster unreachable/i),
      });
      expect({ what, fake: faked.code, stderr: faked.stderr }).toEqual({
        what,
        fake: 0,
        stderr: expect.not.stringMatching(FLAG_ERROR),
      });
    }
  });

  it('and through the runner an unreachable cluster becomes one line with the kubeconfig hint', async () => {
    const platform = new FakePlatform({});
    const options: UpgradeOptions = {
      release: 'harbor',
      namespace: 'harbor',
      chart: { name: 'harbor', version: '1.19.2', repo: 'https://helm.goharbor.io' },
      valuesFile: valuesFile('availability-zones'),
      wait: true,
      waitStrategy: 'watcher',
      applyMethod: 'auto',
      rollbackOnFailure: true,
      timeoutMs: 60_000,
      dryRun: false,
    };
    await expect(new Helm(platform, pinned.binary, env).upgrade(options, version)).rejects.toThrow(
      /^helm upgrade --install harbor failed: Error: .*kubernetes cluster unreachable.* — check the kubeconfig or the Kubernetes service connection$/i,
    );
  });

  const refused: string[][] =
    pinned.major === 3
      ? [
          ['--wait=legacy'],
          ['--wait=watcher'],
          ['--rollback-on-failure'],
          ['--server-side=true'],
          ['--force-conflicts'],
          ['--force-replace'],
        ]
      : [['--wait=sometimes'], ['--server-side=true', '--force-conflicts', '--force-replace'], ['--dry-run=later']];
  it.each(refused.map((extra) => [extra.join(' '), extra]))(
    'refuses %s before contacting the cluster, as the fake does',
    async (_label, extra) => {
      const argv = [
        'upgrade',
        '--install',
        'harbor',
        'harbor',
        '--repo',
        'https://helm.goharbor.io',
        '--version',
        '1.19.2',
        '-f',
        valuesFile('managed-disks'),
        ...extra,
      ];
      const [real, faked] = await Promise.all([run(pinned.binary, argv), runFake(pinned.version, argv)]);
      expect(real.code).not.toBe(0);
      expect(real.stderr).toMatch(FLAG_ERROR);
      expect(real.stderr).not.toMatch(/cluster unreachable/i);
      expect(faked.code).not.toBe(0);
      expect(faked.stderr).toMatch(FLAG_ERROR);
    },
  );

  it("knows exactly the fake's flags: each one the fake accepts is in the real `helm upgrade --help`", async () => {
    const help = await run(pinned.binary, ['upgrade', '--help']);
    const listed = new Set([...help.stdout.matchAll(/(?:^|\s)(--[a-z][a-z-]*|-[a-z])\b/gm)].map((m) => m[1]));
    const fakeFlags = Object.keys(fake.UPGRADE_FLAGS[pinned.major]).filter(
      (f) => !(pinned.major === 4 && f in fake.DEPRECATED_IN_4),
    );
    expect(fakeFlags.filter((f) => !listed.has(f))).toEqual([]);
    if (pinned.major === 3) {
      // The Helm 4-only flags are unknown to the real Helm 3 and to the fake's Helm 3 table alike.
      for (const flag of Object.keys(fake.UPGRADE_FLAGS[4]).filter((f) => !(f in fake.UPGRADE_FLAGS[3]))) {
        expect({ flag, real: listed.has(flag) }).toEqual({ flag, real: false });
      }
    }
  });

  if (pinned.major === 4) {
    it('prints the deprecation line the fake prints for --atomic and --force', async () => {
      for (const [old] of Object.entries(fake.DEPRECATED_IN_4)) {
        const argv = [
          'upgrade',
          '--install',
          'harbor',
          'harbor',
          '--repo',
          'https://helm.goharbor.io',
          '-f',
          valuesFile('managed-disks'),
          old,
        ];
        const [real, faked] = await Promise.all([run(pinned.binary, argv), runFake(pinned.version, argv)]);
        const line = (text: string) => text.split('\n').find((l) => l.includes('has been deprecated'));
        expect(line(real.stderr)).toBeDefined();
        expect(line(faked.stderr)).toBe(line(real.stderr));
      }
    });
  }

  it('warns about a deprecated chart in the format the runner reads and the fake writes', async () => {
    const chart = makeChart(join(dir, `deprecated-${pinned.major}`), { deprecated: true });
    const res = await run(pinned.binary, ['template', 'harbor', chart, '-f', valuesFile('managed-disks')]);
    expect(res.code).toBe(0);
    const warnings = res.stderr
      .split('\n')
      .filter(Boolean)
      .map(helmLogLine)
      .filter((l) => l.level === 'warning');
    expect(warnings.map((w) => w.text.toLowerCase())).toContain('this chart is deprecated');
    const text = warnings.find((w) => /deprecated/i.test(w.text))!.text;
    expect(res.stderr.split('\n')).toContain(fake.warningLine(pinned.major, text));
  });

  it.each(Object.keys(OPTIONS) as Profile[])(
    'renders the %s values file the step writes, with the settings the profile promises',
    async (profile) => {
      const chart = makeChart(join(dir, `render-${pinned.major}-${profile}`));
      const res = await run(pinned.binary, [
        'template',
        'harbor',
        chart,
        '--namespace',
        'harbor',
        '-f',
        valuesFile(profile),
      ]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const docs = parseAllDocuments(res.stdout).map(
        (d) =>
          d.toJSON() as {
            kind: string;
            metadata: { name: string; annotations?: Record<string, string> };
            spec: Record<string, unknown>;
            data?: Record<string, string>;
          },
      );
      const byName = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
      const expected = harborValues(OPTIONS[profile]).values as Record<string, any>;
      const pvcs = expected.persistence.persistentVolumeClaim;
      const chartPvcs = CHART_DEFAULTS.persistence.persistentVolumeClaim as Record<string, any>;
      for (const component of Object.keys(pvcs)) {
        const pvc = component === 'jobservice' ? pvcs.jobservice.jobLog : pvcs[component];
        const chartSize = component === 'jobservice' ? chartPvcs.jobservice.jobLog.size : chartPvcs[component].size;
        const rendered = byName('PersistentVolumeClaim', `harbor-${component}`)!;
        expect({ component, spec: rendered.spec }).toEqual({
          component,
          spec: {
            storageClassName: pvc.storageClass,
            accessModes: [pvc.accessMode],
            resources: { requests: { storage: pvc.size ?? chartSize } },
          },
        });
      }
      for (const component of ['portal', 'core', 'jobservice', 'registry', 'trivy']) {
        const deployment = byName('Deployment', `harbor-${component}`)!;
        expect({ component, replicas: deployment.spec.replicas }).toEqual({
          component,
          replicas: expected[component]?.replicas ?? 1,
        });
        expect({ component, spread: deployment.spec.topologySpreadConstraints ?? null }).toEqual({
          component,
          spread: expected[component]?.topologySpreadConstraints ?? null,
        });
      }
      const ingress = byName('Ingress', 'harbor-ingress')!;
      expect(ingress.metadata.annotations ?? {}).toEqual(expected.expose.ingress.annotations ?? {});
      const config = byName('ConfigMap', 'harbor-core')!.data!;
      if (profile === 'external-services') {
        expect(config).toEqual(
          expect.objectContaining({
            POSTGRESQL_HOST: 'pg.postgres.database.azure.com',
            POSTGRESQL_PORT: '5432',
            POSTGRESQL_DATABASE: 'registry',
            POSTGRESQL_SSLMODE: 'require',
            REDIS_URL: 'rediss://redis.redis.cache.windows.net:6380',
          }),
        );
      } else {
        expect(config.POSTGRESQL_HOST).toBe('harbor-database');
      }
    },
  );

  it('reads `helm show values` of a local chart as the chart holds them', async () => {
    const chart = makeChart(join(dir, `show-${pinned.major}`));
    const res = await run(pinned.binary, ['show', 'values', chart]);
    expect(res.code).toBe(0);
    expect(parseChartValues(stripPullNotices(res.stdout))).toEqual(CHART_DEFAULTS);
  });
});

describe('OCI charts from a real registry', () => {
  let registry: RegistryHandle;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry?.stop());

  it.each(helms.map((h) => [h.major, h] as const))(
    'Helm %s: `show values` output parses to the chart values once the pull notices are stripped',
    async (_major, pinned) => {
      const chartDir = makeChart(join(dir, `oci-${pinned.major}`));
      const pkg = await run(pinned.binary, ['package', chartDir, '--destination', join(dir, `pkg-${pinned.major}`)]);
      expect(pkg.code).toBe(0);
      const tgz = join(dir, `pkg-${pinned.major}`, 'harbor-probe-0.1.0.tgz');
      const ref = `oci://${registry.host}/charts-${pinned.major}`;
      const push = await run(pinned.binary, ['push', tgz, ref, '--plain-http']);
      expect({ code: push.code, stderr: push.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const show = await run(pinned.binary, [
        'show',
        'values',
        `${ref}/harbor-probe`,
        '--version',
        '0.1.0',
        '--plain-http',
      ]);
      expect(show.code).toBe(0);
      if (pinned.major === 4) {
        // 4.3 prints the pull notices of `show` on stderr (pkg/cmd/show.go); 4.2.x printed them on stdout.
        expect(show.stderr).toMatch(/^Pulled: /m);
        // install and upgrade still print them on stdout, before --output json (pkg/cmd/install.go and upgrade.go pass
        // `out` to the registry client): a client-side dry run of install takes that path without a cluster.
        const install = await run(pinned.binary, [
          'install',
          'harbor',
          `${ref}/harbor-probe`,
          '--version',
          '0.1.0',
          '--plain-http',
          '--dry-run=client',
          '--output',
          'json',
        ]);
        expect(install.code).toBe(0);
        expect(install.stdout).toMatch(/^Pulled: .*\nDigest: sha256:[0-9a-f]{64}\n/m);
        expect(() => JSON.parse(install.stdout)).toThrow();
        expect((JSON.parse(stripPullNotices(install.stdout)) as { name: string }).name).toBe('harbor');
      }
      expect(parseChartValues(stripPullNotices(show.stdout))).toEqual(CHART_DEFAULTS);
    },
  );
});

function runFake(version: string, argv: string[]): Promise<Run> {
  const state = mkdtempSync(join(dir, 'fake-'));
  return run(FAKE_HELM, argv, { FAKE_HELM_STATE: state, FAKE_HELM_VERSION: `v${version}`, KUBECONFIG: '' });
}

/** The defaults of the generated chart: the Harbor chart's keys the templates below read. */
const CHART_DEFAULTS = {
  externalURL: 'https://core.harbor.domain',
  expose: { type: 'ingress', ingress: { className: '', annotations: {}, hosts: { core: 'core.harbor.domain' } } },
  persistence: {
    enabled: true,
    persistentVolumeClaim: {
      registry: { storageClass: '', accessMode: 'ReadWriteOnce', size: '5Gi' },
      jobservice: { jobLog: { storageClass: '', accessMode: 'ReadWriteOnce', size: '1Gi' } },
      database: { storageClass: '', accessMode: 'ReadWriteOnce', size: '1Gi' },
      redis: { storageClass: '', accessMode: 'ReadWriteOnce', size: '1Gi' },
      trivy: { storageClass: '', accessMode: 'ReadWriteOnce', size: '5Gi' },
    },
  },
  database: { type: 'internal', external: { host: '', port: '5432', coreDatabase: 'registry', sslmode: 'disable' } },
  redis: { type: 'internal', external: { addr: '', tlsOptions: { enable: false } } },
};

/**
 * A chart of the test's own whose templates read the Harbor chart's keys the profiles set (the real chart is not
 * reachable offline), with the chart's defaults for them.
 */
function makeChart(path: string, meta: { deprecated?: boolean } = {}): string {
  mkdirSync(join(path, 'templates'), { recursive: true });
  writeFileSync(
    join(path, 'Chart.yaml'),
    `apiVersion: v2\nname: harbor-probe\nversion: 0.1.0\n${meta.deprecated ? 'deprecated: true\n' : ''}`,
  );
  writeFileSync(join(path, 'values.yaml'), JSON.stringify(CHART_DEFAULTS, null, 2));
  const pvc = (name: string, key: string) =>
    [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      `metadata: {name: {{ .Release.Name }}-${name}}`,
      'spec:',
      `  storageClassName: {{ ${key}.storageClass | quote }}`,
      `  accessModes: [{{ ${key}.accessMode | quote }}]`,
      `  resources: {requests: {storage: {{ ${key}.size | quote }}}}`,
      '---',
    ].join('\n');
  const deployment = (name: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: {{ .Release.Name }}-${name}}`,
      'spec:',
      `  replicas: {{ (.Values.${name}).replicas | default 1 }}`,
      `  {{- with (.Values.${name}).topologySpreadConstraints }}`,
      '  topologySpreadConstraints:',
      '    {{- toYaml . | nindent 4 }}',
      '  {{- end }}',
      '---',
    ].join('\n');
  const templates = [
    pvc('registry', '.Values.persistence.persistentVolumeClaim.registry'),
    pvc('jobservice', '.Values.persistence.persistentVolumeClaim.jobservice.jobLog'),
    pvc('database', '.Values.persistence.persistentVolumeClaim.database'),
    pvc('redis', '.Values.persistence.persistentVolumeClaim.redis'),
    pvc('trivy', '.Values.persistence.persistentVolumeClaim.trivy'),
    ...['portal', 'core', 'jobservice', 'registry', 'trivy'].map(deployment),
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: {{ .Release.Name }}-ingress',
      '  {{- with .Values.expose.ingress.annotations }}',
      '  annotations:',
      '    {{- toYaml . | nindent 4 }}',
      '  {{- end }}',
      'spec:',
      '  ingressClassName: {{ .Values.expose.ingress.className | quote }}',
      '  rules: [{host: {{ .Values.expose.ingress.hosts.core | quote }}}]',
      '---',
    ].join('\n'),
    // As the Harbor chart's templates/core/core-cm.yaml and _helpers.tpl derive them.
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: {{ .Release.Name }}-core}',
      'data:',
      '  {{- if eq .Values.database.type "external" }}',
      '  POSTGRESQL_HOST: {{ .Values.database.external.host | quote }}',
      '  POSTGRESQL_PORT: {{ .Values.database.external.port | quote }}',
      '  POSTGRESQL_DATABASE: {{ .Values.database.external.coreDatabase | quote }}',
      '  POSTGRESQL_SSLMODE: {{ .Values.database.external.sslmode | quote }}',
      '  {{- else }}',
      '  POSTGRESQL_HOST: {{ .Release.Name }}-database',
      '  {{- end }}',
      '  {{- if eq .Values.redis.type "external" }}',
      '  REDIS_URL: {{ printf "%s://%s" (ternary "rediss" "redis" (.Values.redis.external.tlsOptions.enable | default false)) .Values.redis.external.addr | quote }}',
      '  {{- end }}',
    ].join('\n'),
  ];
  writeFileSync(join(path, 'templates', 'all.yaml'), templates.join('\n'));
  return path;
}
