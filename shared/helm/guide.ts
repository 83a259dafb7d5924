import { harborValues, type HarborOptions, type Profile } from './harbor-profiles';
import { formatPath, getPath, leafPaths } from './values';
import { markdownCell, markdownCode } from '../util/markdown';

/**
 * Where the profiles deliberately differ from the guide they implement (the seed's use-harbor-with-aks-and-acr.md,
 * its three `helm install` commands). Everything else follows the guide key by key, which
 * test/unit/helm-guide.test.ts checks against its own table of the guide's settings; docs/deploy.md's per-profile
 * table is generated from this list and from the values the step builds (guideTable below).
 */
export interface GuideDifference {
  profiles: readonly Profile[];
  /** The values path, dotted as helm --set spells it (`a.b\.c` for a key with dots). */
  key: string;
  /** What the guide sets; undefined when it does not set the key. */
  guide: unknown;
  why: string;
  source: string;
}

const ALL: readonly Profile[] = ['managed-disks', 'external-services', 'availability-zones'];

export const GUIDE_DIFFERENCES: readonly GuideDifference[] = [
  {
    profiles: ALL,
    key: 'expose.ingress.annotations.cert-manager\\.io/acme-challenge-type',
    guide: 'http01',
    why: "cert-manager does not read this annotation (it was ingress-shim's `certmanager.k8s.io/acme-challenge-type` before cert-manager 0.11); the issuer's solvers choose the challenge type",
    source: 'https://cert-manager.io/docs/usage/ingress/#supported-annotations',
  },
  {
    profiles: ALL,
    key: 'expose.ingress.annotations.acme\\.cert-manager\\.io/http01-edit-in-place',
    guide: undefined,
    why: "cert-manager solves HTTP-01 through Harbor's own ingress (same host and class) instead of creating a second ingress for the challenge",
    source: 'https://cert-manager.io/docs/reference/annotations/#acmecert-manageriohttp01-edit-in-place',
  },
  {
    profiles: ['managed-disks', 'external-services'],
    key: 'updateStrategy.type',
    guide: undefined,
    why: 'registry and jobservice sit on ReadWriteOnce disks, which the old and the new pod of a rolling update cannot mount at once; the chart says to use Recreate then',
    source:
      'goharbor/harbor-helm values.yaml (updateStrategy: "Set it as Recreate when RWM for volumes isn\'t supported")',
  },
  {
    profiles: ['external-services'],
    key: 'database.external.database',
    guide: 'registry',
    why: 'the chart has no such key (helm ignores it); its key for the database name is database.external.coreDatabase, which the step sets (database-name, default registry)',
    source: 'goharbor/harbor-helm values.yaml (database.external.coreDatabase)',
  },
  {
    profiles: ['availability-zones'],
    key: 'persistence.persistentVolumeClaim.jobservice.accessMode',
    guide: 'ReadWriteMany',
    why: "the chart has no such key (helm ignores it, so the guide's job-log volume stays ReadWriteOnce); the chart's key is persistence.persistentVolumeClaim.jobservice.jobLog.accessMode, which the step sets",
    source: 'goharbor/harbor-helm values.yaml (persistence.persistentVolumeClaim.jobservice.jobLog)',
  },
  {
    profiles: ['availability-zones'],
    key: 'persistence.persistentVolumeClaim.jobservice.jobLog.accessMode',
    guide: undefined,
    why: 'what the guide means to set under a key the chart does not have (above): the job-log volume on Azure Files is shared by the jobservice replicas in every zone',
    source: 'goharbor/harbor-helm templates/jobservice/jobservice-pvc.yaml',
  },
  {
    profiles: ['availability-zones'],
    key: 'persistence.persistentVolumeClaim.trivy.storageClass',
    guide: 'azurefile-csi-premium-zrs',
    why: "Trivy is a StatefulSet whose volumeClaimTemplates give each replica its own volume, so nothing is shared and ReadWriteMany buys nothing; a zone-redundant (Premium_ZRS) disk re-attaches in another zone when a zone fails, and keeps Trivy's database off SMB",
    source:
      'goharbor/harbor-helm templates/trivy/trivy-sts.yaml (volumeClaimTemplates); https://learn.microsoft.com/azure/aks/azure-disk-csi (zone-redundant storage disks)',
  },
  {
    profiles: ['availability-zones'],
    key: 'persistence.persistentVolumeClaim.trivy.accessMode',
    guide: 'ReadWriteMany',
    why: 'a per-replica disk (see the storage class above) is ReadWriteOnce',
    source: 'goharbor/harbor-helm templates/trivy/trivy-sts.yaml',
  },
  ...(['portal', 'core', 'jobservice', 'registry'] as const).map((component): GuideDifference => ({
    profiles: ['availability-zones'],
    key: `${component}.replicas`,
    guide: 1,
    why: 'the guide keeps its replica variables at 1 in every profile; one replica cannot survive the loss of its zone, and the zone spread this profile sets needs a replica per zone (AKS spreads nodes over 3 zones)',
    source: 'https://learn.microsoft.com/azure/aks/availability-zones',
  })),
];

/** `a.b\.c` → ['a', 'b.c'] and back. */
export const splitKey = (key: string): string[] => key.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
export const joinKey = (path: readonly string[]): string => path.map((k) => k.replace(/\./g, '\\.')).join('.');

/**
 * The guide's variables as the step's options (hostname and passwords are placeholders the guide derives). With these
 * inputs each profile's values are compared with the guide.
 */
export function guideOptions(profile: Profile): HarborOptions {
  return {
    profile,
    release: 'harbor',
    hostname: 'harbor.contoso.com',
    adminPassword: '<harborAdminPassword>',
    expose: 'ingress',
    ingressClass: 'nginx',
    tlsSecret: 'harbor-tls',
    certManagerIssuer: 'letsencrypt-nginx',
    storage: {},
    replicas: {},
    ...(profile === 'external-services'
      ? {
          database: {
            host: '<server FQDN>',
            username: '<postgreSqlAdminUsername>',
            password: '<postgreSqlAdminPassword>',
            name: 'registry',
          },
          redis: { addr: '<redisCacheHostName>:<redisCachePort>', password: '<redisCachePrimaryKey>' },
        }
      : {}),
  };
}

/** docs/deploy.md's per-profile table: every key the step sets with the guide's inputs, beside the guide's value. */
export function guideTable(): string {
  const out: string[] = [];
  const cell = (v: unknown) =>
    v === undefined ? 'not set' : markdownCode(typeof v === 'string' ? v : JSON.stringify(v));
  for (const profile of ALL) {
    const { values, secretPaths } = harborValues(guideOptions(profile));
    const secret = new Set(secretPaths.map(joinKey));
    const differences = GUIDE_DIFFERENCES.filter((d) => d.profiles.includes(profile));
    const keys = [...new Set([...leafPaths(values).map(joinKey), ...differences.map((d) => d.key)])];
    out.push(
      `### ${profile}`,
      '',
      '| Key | This step | The guide | Why they differ (source) |',
      '| --- | --- | --- | --- |',
    );
    for (const key of keys) {
      const ours = getPath(values, splitKey(key));
      const difference = differences.find((d) => d.key === key);
      const shown = secret.has(key) ? '(the secret input)' : cell(ours);
      const guide = difference ? cell(difference.guide) : 'the same';
      const why = difference ? markdownCell(`${difference.why} (${difference.source})`) : '';
      out.push(`| ${markdownCode(formatPath(splitKey(key)))} | ${shown} | ${guide} | ${why} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
