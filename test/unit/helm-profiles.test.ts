import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PINNED_CHART, pinnedChartValues, unknownPaths } from '../../shared/helm/chart-values';
import { harborValues, type HarborOptions, type Profile } from '../../shared/helm/harbor-profiles';
import { formatPath, getPath, leafPaths } from '../../shared/helm/values';
import { referencePath } from '../reference';

const base = (profile: Profile): HarborOptions => ({
  profile,
  release: 'harbor',
  hostname: 'harbor.example.com',
  adminPassword: 'S3cret-admin',
  expose: 'ingress',
  ingressClass: 'nginx',
  certManagerIssuer: 'letsencrypt-prod',
  storage: {},
  replicas: {},
  ...(profile === 'external-services'
    ? {
        database: { host: 'pg.postgres.database.azure.com', username: 'harbor', password: 'Db-pass' },
        redis: { addr: 'cache.redis.cache.windows.net:6380', password: 'Redis-key', tls: true },
      }
    : {}),
});

const PVC = 'persistence.persistentVolumeClaim';
const SPREAD = [
  { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
];

/** The guide's sizes: registry 256Gi, every other volume 8Gi. */
const SIZES = (components: string[]) =>
  Object.fromEntries(components.map((c) => [`${PVC}.${c}.size`, c === 'registry' ? '256Gi' : '8Gi']));
const ONE_EACH = {
  'portal.replicas': 1,
  'core.replicas': 1,
  'jobservice.replicas': 1,
  'registry.replicas': 1,
  'trivy.replicas': 1,
};

/** What the seed's scripts set, key by key (03 managed disks, 04 external services, 05 availability zones). */
const COMMON: Record<string, unknown> = {
  'expose.type': 'ingress',
  'expose.tls.enabled': true,
  'expose.tls.certSource': 'secret',
  'expose.tls.secret.secretName': 'harbor-tls',
  'expose.ingress.className': 'nginx',
  'expose.ingress.hosts.core': 'harbor.example.com',
  'expose.ingress.annotations.cert-manager\\.io/cluster-issuer': 'letsencrypt-prod',
  'expose.ingress.annotations.acme\\.cert-manager\\.io/http01-edit-in-place': 'true',
  externalURL: 'https://harbor.example.com',
  harborAdminPassword: 'S3cret-admin',
  'persistence.enabled': true,
};

const EXPECTED: Record<Profile, Record<string, unknown>> = {
  'managed-disks': {
    ...COMMON,
    [`${PVC}.registry.storageClass`]: 'managed-csi-premium',
    [`${PVC}.registry.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.jobservice.jobLog.storageClass`]: 'managed-csi-premium',
    [`${PVC}.jobservice.jobLog.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.database.storageClass`]: 'managed-csi-premium',
    [`${PVC}.database.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.redis.storageClass`]: 'managed-csi-premium',
    [`${PVC}.redis.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.trivy.storageClass`]: 'managed-csi-premium',
    [`${PVC}.trivy.accessMode`]: 'ReadWriteOnce',
    'updateStrategy.type': 'Recreate',
    ...SIZES(['registry', 'jobservice.jobLog', 'database', 'redis', 'trivy']),
    ...ONE_EACH,
  },
  'external-services': {
    ...COMMON,
    [`${PVC}.registry.storageClass`]: 'managed-csi-premium',
    [`${PVC}.registry.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.jobservice.jobLog.storageClass`]: 'managed-csi-premium',
    [`${PVC}.jobservice.jobLog.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.trivy.storageClass`]: 'managed-csi-premium',
    [`${PVC}.trivy.accessMode`]: 'ReadWriteOnce',
    'updateStrategy.type': 'Recreate',
    'database.type': 'external',
    'database.external.host': 'pg.postgres.database.azure.com',
    'database.external.port': '5432',
    'database.external.username': 'harbor',
    'database.external.password': 'Db-pass',
    'database.external.coreDatabase': 'registry',
    'database.external.sslmode': 'require',
    'redis.type': 'external',
    'redis.external.addr': 'cache.redis.cache.windows.net:6380',
    'redis.external.password': 'Redis-key',
    'redis.external.tlsOptions.enable': true,
    ...SIZES(['registry', 'jobservice.jobLog', 'trivy']),
    ...ONE_EACH,
  },
  'availability-zones': {
    ...COMMON,
    [`${PVC}.registry.storageClass`]: 'azurefile-csi-premium-zrs',
    [`${PVC}.registry.accessMode`]: 'ReadWriteMany',
    [`${PVC}.jobservice.jobLog.storageClass`]: 'azurefile-csi-premium-zrs',
    [`${PVC}.jobservice.jobLog.accessMode`]: 'ReadWriteMany',
    [`${PVC}.database.storageClass`]: 'managed-csi-premium-zrs',
    [`${PVC}.database.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.redis.storageClass`]: 'managed-csi-premium-zrs',
    [`${PVC}.redis.accessMode`]: 'ReadWriteOnce',
    [`${PVC}.trivy.storageClass`]: 'managed-csi-premium-zrs',
    [`${PVC}.trivy.accessMode`]: 'ReadWriteOnce',
    'portal.replicas': 3,
    'core.replicas': 3,
    'jobservice.replicas': 3,
    'registry.replicas': 3,
    'trivy.replicas': 1,
    ...SIZES(['registry', 'jobservice.jobLog', 'database', 'redis', 'trivy']),
    'portal.topologySpreadConstraints': SPREAD,
    'core.topologySpreadConstraints': SPREAD,
    'jobservice.topologySpreadConstraints': SPREAD,
    'registry.topologySpreadConstraints': SPREAD,
    'trivy.topologySpreadConstraints': SPREAD,
    'exporter.topologySpreadConstraints': SPREAD,
  },
};

/** `a.b\.c` → ['a', 'b.c'] (annotation keys contain dots). */
const split = (key: string) => key.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));

describe('Harbor values per profile', () => {
  const chart = pinnedChartValues();

  it('ships the reference chart values.yaml (as JSON) for the pinned chart version', () => {
    const reference = parse(readFileSync(referencePath('harbor-helm/Chart.yaml'), 'utf8')) as {
      version: string;
      appVersion: string;
    };
    expect(PINNED_CHART.version).toBe(reference.version);
    expect(PINNED_CHART.appVersion).toBe(reference.appVersion);
    expect(chart).toEqual(parse(readFileSync(referencePath('harbor-helm/values.yaml'), 'utf8')));
  });

  describe.each(Object.keys(EXPECTED) as Profile[])('%s', (profile) => {
    const { values } = harborValues(base(profile));
    const expected = EXPECTED[profile];

    it.each(Object.entries(expected))('sets %s as the seed does', (key, value) => {
      expect(getPath(values, split(key))).toEqual(value);
    });

    it('sets nothing beyond the seed table', () => {
      const produced = leafPaths(values).map((p) => p.map((k) => k.replace(/\./g, '\\.')).join('.'));
      expect(produced.sort()).toEqual(Object.keys(expected).sort());
    });

    it("uses only keys that exist in the chart's values.yaml", () => {
      expect(unknownPaths(values, chart).map(formatPath)).toEqual([]);
      // and the check is not vacuous: every path's parent exists in the chart as a map
      for (const path of leafPaths(values)) {
        const top = getPath(chart, path.slice(0, 1));
        expect(top).not.toBeUndefined();
      }
    });
  });

  it('gives topologySpreadConstraints only to components the chart spreads (exporter included)', () => {
    for (const component of ['portal', 'core', 'jobservice', 'registry', 'trivy', 'exporter', 'nginx']) {
      expect(Object.keys(getPath(chart, [component]) as object)).toContain('topologySpreadConstraints');
    }
    const lb = harborValues({ ...base('availability-zones'), expose: 'loadBalancer', certManagerIssuer: undefined });
    expect(getPath(lb.values, ['nginx', 'topologySpreadConstraints'])).toEqual(SPREAD);
    expect(unknownPaths(lb.values, chart)).toEqual([]);
  });

  it('catches a key the chart does not have', () => {
    expect(
      unknownPaths({ core: { replica: 3 }, expose: { ingress: { annotations: { 'x.io/y': 'z' } } } }, chart).map(
        formatPath,
      ),
    ).toEqual(['core.replica']);
  });

  it('marks every password as a secret path', () => {
    const { secretPaths } = harborValues(base('external-services'));
    expect(secretPaths.map((p) => p.join('.')).sort()).toEqual([
      'database.external.password',
      'harborAdminPassword',
      'redis.external.password',
    ]);
  });

  it('lets storage-class replace every profile class, and then defaults access modes to ReadWriteOnce', () => {
    const { values } = harborValues({
      ...base('availability-zones'),
      storageClass: 'premium-fast',
      storage: { trivy: { storageClass: 'cheap', size: '20Gi' } },
    });
    expect(getPath(values, split(`${PVC}.registry.storageClass`))).toBe('premium-fast');
    expect(getPath(values, split(`${PVC}.registry.accessMode`))).toBe('ReadWriteOnce');
    expect(getPath(values, split(`${PVC}.trivy.storageClass`))).toBe('cheap');
    expect(getPath(values, split(`${PVC}.trivy.size`))).toBe('20Gi');
    expect(getPath(values, ['updateStrategy', 'type'])).toBe('Recreate');
  });

  it('exposes through a LoadBalancer with the chart certificate for the host name', () => {
    const { values } = harborValues({ ...base('managed-disks'), expose: 'loadBalancer', certManagerIssuer: undefined });
    expect(getPath(values, ['expose'])).toEqual({
      type: 'loadBalancer',
      tls: { enabled: true, certSource: 'auto', auto: { commonName: 'harbor.example.com' } },
    });
    expect(unknownPaths(values, chart)).toEqual([]);
  });
});

describe('a hostname with a port', () => {
  it('keeps the port in externalURL but not in the ingress host or the certificate name, which Kubernetes refuses with one', () => {
    const ingress = harborValues({ ...base('managed-disks'), hostname: 'harbor.example.com:8443' }).values;
    expect(ingress.externalURL).toBe('https://harbor.example.com:8443');
    expect(getPath(ingress, ['expose', 'ingress', 'hosts', 'core'])).toBe('harbor.example.com');
    const lb = harborValues({
      ...base('managed-disks'),
      expose: 'loadBalancer',
      certManagerIssuer: undefined,
      hostname: '20.1.2.3:8443',
    }).values;
    expect(getPath(lb, ['expose', 'tls', 'auto', 'commonName'])).toBe('20.1.2.3');
  });
});
