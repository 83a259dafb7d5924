/**
 * Each profile against the guide it implements, key by key. The table below is the guide's own settings — its three
 * `helm install` commands with its variables filled in (../shared/seed/deploy-profiles.md) — kept here, not derived
 * from the product. Any difference between the values the step builds (with the guide's variables as inputs) and this
 * table must be declared in shared/helm/guide.ts with the guide's value, a reason and a source; a declaration that no
 * longer matches a real difference fails too.
 */
import { pinnedChartValues } from '../../shared/helm/chart-values';
import { GUIDE_DIFFERENCES, guideOptions, guideTable, joinKey, splitKey } from '../../shared/helm/guide';
import { harborValues, type HarborOptions, type Profile } from '../../shared/helm/harbor-profiles';
import { canonicalJson, getPath, leafPaths } from '../../shared/helm/values';

/** Equal as values: key order in a map does not matter. */
const same = (a: unknown, b: unknown) =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

const PVC = 'persistence.persistentVolumeClaim';
const SPREAD = [
  { maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', topologyKey: 'topology.kubernetes.io/zone' },
  { maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', topologyKey: 'kubernetes.io/hostname' },
];

/** The guide's variables (deploy-profiles.md), as the step's inputs take them. */
const GUIDE_INPUTS = {
  release: 'harbor',
  hostname: 'harbor.contoso.com',
  adminPassword: '<harborAdminPassword>',
  tlsSecret: 'harbor-tls',
  ingressClass: 'nginx',
  certManagerIssuer: 'letsencrypt-nginx',
  db: {
    host: '<server FQDN>',
    username: '<postgreSqlAdminUsername>',
    password: '<postgreSqlAdminPassword>',
    name: 'registry',
  },
  redis: { addr: '<redisCacheHostName>:<redisCachePort>', password: '<redisCachePrimaryKey>' },
};

const COMMON = {
  externalURL: 'https://harbor.contoso.com',
  harborAdminPassword: '<harborAdminPassword>',
  'expose.type': 'ingress',
  'expose.tls.certSource': 'secret',
  'expose.tls.secret.secretName': 'harbor-tls',
  'expose.ingress.hosts.core': 'harbor.contoso.com',
  'expose.ingress.className': 'nginx',
  'expose.ingress.annotations.cert-manager\\.io/cluster-issuer': 'letsencrypt-nginx',
  'expose.ingress.annotations.cert-manager\\.io/acme-challenge-type': 'http01',
  'portal.replicas': 1,
  'core.replicas': 1,
  'jobservice.replicas': 1,
  'registry.replicas': 1,
  'trivy.replicas': 1,
  'persistence.enabled': true,
};

const GUIDE: Record<Profile, Record<string, unknown>> = {
  'managed-disks': {
    ...COMMON,
    ...Object.fromEntries(
      (['registry', 'jobservice.jobLog', 'database', 'redis', 'trivy'] as const).flatMap((c) => [
        [`${PVC}.${c}.storageClass`, 'managed-csi-premium'],
        [`${PVC}.${c}.size`, c === 'registry' ? '256Gi' : '8Gi'],
      ]),
    ),
  },
  'external-services': {
    ...COMMON,
    'database.type': 'external',
    'database.external.host': '<server FQDN>',
    // `--set …port=5432` makes a number; the chart quotes it into the config either way, and its own default is "5432".
    'database.external.port': '5432',
    'database.external.username': '<postgreSqlAdminUsername>',
    'database.external.password': '<postgreSqlAdminPassword>',
    'database.external.database': 'registry',
    'database.external.sslmode': 'require',
    'redis.type': 'external',
    'redis.external.addr': '<redisCacheHostName>:<redisCachePort>',
    'redis.external.password': '<redisCachePrimaryKey>',
    ...Object.fromEntries(
      (['registry', 'jobservice.jobLog', 'trivy'] as const).flatMap((c) => [
        [`${PVC}.${c}.storageClass`, 'managed-csi-premium'],
        [`${PVC}.${c}.size`, c === 'registry' ? '256Gi' : '8Gi'],
      ]),
    ),
  },
  'availability-zones': {
    ...COMMON,
    [`${PVC}.registry.storageClass`]: 'azurefile-csi-premium-zrs',
    [`${PVC}.registry.accessMode`]: 'ReadWriteMany',
    [`${PVC}.registry.size`]: '256Gi',
    [`${PVC}.jobservice.jobLog.storageClass`]: 'azurefile-csi-premium-zrs',
    [`${PVC}.jobservice.accessMode`]: 'ReadWriteMany',
    [`${PVC}.jobservice.jobLog.size`]: '8Gi',
    [`${PVC}.database.storageClass`]: 'managed-csi-premium-zrs',
    [`${PVC}.database.size`]: '8Gi',
    [`${PVC}.redis.storageClass`]: 'managed-csi-premium-zrs',
    [`${PVC}.redis.size`]: '8Gi',
    [`${PVC}.trivy.storageClass`]: 'azurefile-csi-premium-zrs',
    [`${PVC}.trivy.accessMode`]: 'ReadWriteMany',
    [`${PVC}.trivy.size`]: '8Gi',
    ...Object.fromEntries(
      ['portal', 'core', 'jobservice', 'registry', 'trivy', 'exporter'].map((c) => [
        `${c}.topologySpreadConstraints`,
        SPREAD,
      ]),
    ),
  },
};

function inputs(profile: Profile): HarborOptions {
  return {
    profile,
    release: GUIDE_INPUTS.release,
    hostname: GUIDE_INPUTS.hostname,
    adminPassword: GUIDE_INPUTS.adminPassword,
    expose: 'ingress',
    ingressClass: GUIDE_INPUTS.ingressClass,
    tlsSecret: GUIDE_INPUTS.tlsSecret,
    certManagerIssuer: GUIDE_INPUTS.certManagerIssuer,
    storage: {},
    replicas: {},
    ...(profile === 'external-services' ? { database: GUIDE_INPUTS.db, redis: GUIDE_INPUTS.redis } : {}),
  };
}

const chart = pinnedChartValues();
const PROFILES = Object.keys(GUIDE) as Profile[];

/** Every key where the step's values and the guide's differ: what each sets, undefined when it sets nothing. */
function differences(profile: Profile): { key: string; ours: unknown; guide: unknown }[] {
  const ours = harborValues(inputs(profile)).values;
  const guide = GUIDE[profile];
  const keys = new Set([...leafPaths(ours).map(joinKey), ...Object.keys(guide)]);
  const found: { key: string; ours: unknown; guide: unknown }[] = [];
  for (const key of keys) {
    const mine = getPath(ours, splitKey(key));
    const theirs = guide[key];
    if (same(mine, theirs)) continue;
    // A key only one side sets counts as the same when it equals the chart's default (e.g. accessMode ReadWriteOnce).
    const chartDefault = getPath(chart, splitKey(key));
    if (mine === undefined && same(theirs, chartDefault)) continue;
    if (theirs === undefined && same(mine, chartDefault)) continue;
    found.push({ key, ours: mine, guide: theirs });
  }
  return found;
}

describe.each(PROFILES)('profile %s against the guide', (profile) => {
  it("differs from the guide only where shared/helm/guide.ts says why, with the guide's value and a source", () => {
    const undeclared = differences(profile)
      .filter(({ key, guide }) => {
        const declared = GUIDE_DIFFERENCES.find((d) => d.profiles.includes(profile) && d.key === key);
        return !declared || !same(declared.guide, guide) || !declared.why || !declared.source;
      })
      .map(({ key, ours, guide }) => `${key}: ours ${JSON.stringify(ours)}, the guide ${JSON.stringify(guide)}`);
    expect(undeclared).toEqual([]);
  });

  it('declares no difference that is not one', () => {
    const real = new Set(differences(profile).map((d) => d.key));
    const stale = GUIDE_DIFFERENCES.filter((d) => d.profiles.includes(profile) && !real.has(d.key)).map((d) => d.key);
    expect(stale).toEqual([]);
  });

  it('uses the same guide inputs as the generated docs table', () => {
    expect(guideOptions(profile)).toEqual(inputs(profile));
  });
});

describe('the comparison can fail', () => {
  it('finds a changed size and a key only the guide sets', () => {
    const before = GUIDE['managed-disks'];
    try {
      GUIDE['managed-disks'] = { ...before, [`${PVC}.registry.size`]: '512Gi', 'exporter.replicas': 2 };
      expect(differences('managed-disks').map((d) => d.key)).toEqual(
        expect.arrayContaining([`${PVC}.registry.size`, 'exporter.replicas']),
      );
    } finally {
      GUIDE['managed-disks'] = before;
    }
  });
});

describe('the generated docs table', () => {
  const table = guideTable();
  it('shows every declared difference with the guide value beside ours and its source', () => {
    for (const d of GUIDE_DIFFERENCES) expect(table).toContain(d.source.replace(/\|/g, '\\|'));
    expect(table).toContain('| `trivy.replicas` | `1` | the same |  |');
    expect(table).toMatch(
      /\| `persistence\.persistentVolumeClaim\.trivy\.storageClass` \| `managed-csi-premium-zrs` \| `azurefile-csi-premium-zrs` \| Trivy is a StatefulSet/,
    );
  });
  it('never prints a secret input', () => {
    expect(table).not.toContain('<harborAdminPassword>');
    expect(table).not.toContain('<postgreSqlAdminPassword>');
  });
});
