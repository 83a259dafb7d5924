import { getPath, setPath, type Values } from './values';

/**
 * Harbor chart values for the three documented AKS profiles (the seed guide's 03, 04 and 05 scripts), built from
 * typed options instead of `--set` flags. Each profile is the common part (exposure, TLS, admin password,
 * persistence) plus what the profile changes: storage classes and access modes, external database and Redis, zone and
 * host spreading.
 */
export type Profile = 'managed-disks' | 'external-services' | 'availability-zones';
export type Expose = 'ingress' | 'loadBalancer' | 'clusterIP';
export type AccessMode = 'ReadWriteOnce' | 'ReadWriteMany';
export type StorageComponent = 'registry' | 'jobservice' | 'database' | 'redis' | 'trivy';
export type ReplicaComponent = 'portal' | 'core' | 'jobservice' | 'registry' | 'trivy';

export const STORAGE_COMPONENTS: readonly StorageComponent[] = ['registry', 'jobservice', 'database', 'redis', 'trivy'];
export const REPLICA_COMPONENTS: readonly ReplicaComponent[] = ['portal', 'core', 'jobservice', 'registry', 'trivy'];

/** The seed's storage classes: Azure Disk premium (03, 04) and its zone-redundant disk and Azure Files twins (05). */
export const MANAGED_DISK_CLASS = 'managed-csi-premium';
export const ZRS_DISK_CLASS = 'managed-csi-premium-zrs';
export const ZRS_FILE_CLASS = 'azurefile-csi-premium-zrs';

export const CERT_MANAGER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';
/** Lets cert-manager solve HTTP-01 through Harbor's own ingress instead of a second one (the seed sets it too). */
export const ACME_EDIT_IN_PLACE_ANNOTATION = 'acme.cert-manager.io/http01-edit-in-place';

export interface StorageOptions {
  storageClass?: string;
  size?: string;
  accessMode?: AccessMode;
}

export interface HarborOptions {
  profile: Profile;
  release: string;
  hostname: string;
  adminPassword?: string;
  expose: Expose;
  ingressClass: string;
  tlsSecret?: string;
  certManagerIssuer?: string;
  /** Every component's class unless a per-component class is given. */
  storageClass?: string;
  storage: Partial<Record<StorageComponent, StorageOptions>>;
  replicas: Partial<Record<ReplicaComponent, number>>;
  database?: { host?: string; port?: number; username?: string; password?: string; name?: string; sslmode?: string };
  redis?: { addr?: string; password?: string; tls?: boolean };
}

/** Where each component's volume lives in the chart. */
export const PVC_PATH: Record<StorageComponent, string[]> = {
  registry: ['persistence', 'persistentVolumeClaim', 'registry'],
  jobservice: ['persistence', 'persistentVolumeClaim', 'jobservice', 'jobLog'],
  database: ['persistence', 'persistentVolumeClaim', 'database'],
  redis: ['persistence', 'persistentVolumeClaim', 'redis'],
  trivy: ['persistence', 'persistentVolumeClaim', 'trivy'],
};

interface ProfileDefaults {
  /** Components whose volumes the chart creates in this profile. */
  volumes: readonly StorageComponent[];
  storageClass: Partial<Record<StorageComponent, string>>;
  accessMode: Partial<Record<StorageComponent, AccessMode>>;
  replicas: Record<ReplicaComponent, number>;
  spread: boolean;
}

/**
 * The guide's volume sizes (its registrySize, jobserviceJobLogSize, databaseSize, redisSize, trivySize): the chart's
 * own defaults (registry 5Gi, the others 1Gi to 5Gi) fill up within days on a production registry.
 */
export const GUIDE_SIZES: Record<StorageComponent, string> = {
  registry: '256Gi',
  jobservice: '8Gi',
  database: '8Gi',
  redis: '8Gi',
  trivy: '8Gi',
};

/** The guide sets every replica count explicitly (its variables: 1 each). */
const ONE_EACH: Record<ReplicaComponent, number> = { portal: 1, core: 1, jobservice: 1, registry: 1, trivy: 1 };

export const PROFILES: Record<Profile, ProfileDefaults> = {
  // 03: everything in-cluster on premium Azure Disks (ReadWriteOnce, one replica of each stateful part).
  'managed-disks': {
    volumes: STORAGE_COMPONENTS,
    storageClass: Object.fromEntries(STORAGE_COMPONENTS.map((c) => [c, MANAGED_DISK_CLASS])),
    accessMode: {},
    replicas: ONE_EACH,
    spread: false,
  },
  // 04: PostgreSQL and Redis are managed services outside the cluster; no volumes for them.
  'external-services': {
    volumes: ['registry', 'jobservice', 'trivy'],
    storageClass: { registry: MANAGED_DISK_CLASS, jobservice: MANAGED_DISK_CLASS, trivy: MANAGED_DISK_CLASS },
    accessMode: {},
    replicas: ONE_EACH,
    spread: false,
  },
  // 05: shared registry and job-log volumes on zone-redundant Azure Files (RWX, so replicas can run in every zone);
  // database, Redis and Trivy keep one replica on zone-redundant disks that can re-attach in another zone. Where this
  // differs from the guide (Trivy's volume, three replicas), shared/helm/guide.ts says why.
  'availability-zones': {
    volumes: STORAGE_COMPONENTS,
    storageClass: {
      registry: ZRS_FILE_CLASS,
      jobservice: ZRS_FILE_CLASS,
      database: ZRS_DISK_CLASS,
      redis: ZRS_DISK_CLASS,
      trivy: ZRS_DISK_CLASS,
    },
    accessMode: { registry: 'ReadWriteMany', jobservice: 'ReadWriteMany' },
    replicas: { portal: 3, core: 3, jobservice: 3, registry: 3, trivy: 1 },
    spread: true,
  },
};

/** Spread over zones first, then over nodes inside a zone; ScheduleAnyway so a lost zone never blocks scheduling. */
export const TOPOLOGY_SPREAD = [
  { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
] as const;

/** The Deployments/StatefulSets the zones profile spreads; nginx exists only when the chart itself terminates TLS. */
export function spreadComponents(expose: Expose): string[] {
  return ['portal', 'core', 'jobservice', 'registry', 'trivy', 'exporter', ...(expose === 'ingress' ? [] : ['nginx'])];
}

export interface EffectiveStorage {
  storageClass?: string;
  accessMode: AccessMode;
  size?: string;
}

/** The class, access mode and size a component's volume ends up with after profile defaults and inputs. */
export function effectiveStorage(options: HarborOptions, component: StorageComponent): EffectiveStorage {
  const profile = PROFILES[options.profile];
  const own = options.storage[component] ?? {};
  const storageClass = own.storageClass ?? options.storageClass ?? profile.storageClass[component];
  // The profile's access mode belongs to the profile's class: RWX on a class the user chose could never bind.
  const classIsProfiles = own.storageClass === undefined && options.storageClass === undefined;
  const accessMode = own.accessMode ?? (classIsProfiles ? profile.accessMode[component] : undefined) ?? 'ReadWriteOnce';
  return { storageClass, accessMode, size: own.size ?? GUIDE_SIZES[component] };
}

export function effectiveReplicas(options: HarborOptions, component: ReplicaComponent): number | undefined {
  return options.replicas[component] ?? PROFILES[options.profile].replicas[component];
}

/**
 * The volumes of StatefulSets (harbor-helm templates/database/database-ss.yaml, templates/redis/statefulset.yaml,
 * templates/trivy/trivy-sts.yaml): their size lives in volumeClaimTemplates, which Kubernetes refuses to change on an
 * existing StatefulSet.
 */
export const STATEFUL_VOLUMES: readonly StorageComponent[] = ['database', 'redis', 'trivy'];

/**
 * For an upgrade: each StatefulSet volume whose size the user did not give keeps the size the release has (its values,
 * else the chart's default), so a release installed with other defaults (the chart's, or an earlier version of this
 * step) upgrades instead of failing on a forbidden volumeClaimTemplates change. Returns what was kept.
 */
export function keepStatefulSetSizes(
  options: HarborOptions,
  deployed: Values,
  chart: Values,
): { component: StorageComponent; size: string }[] {
  const kept: { component: StorageComponent; size: string }[] = [];
  for (const component of STATEFUL_VOLUMES) {
    if (!PROFILES[options.profile].volumes.includes(component) || options.storage[component]?.size !== undefined)
      continue;
    const path = [...PVC_PATH[component], 'size'];
    const size = getPath(deployed, path) ?? getPath(chart, path);
    if (typeof size !== 'string' || size === effectiveStorage(options, component).size) continue;
    options.storage[component] = { ...options.storage[component], size };
    kept.push({ component, size });
  }
  return kept;
}

export interface HarborValues {
  values: Values;
  /** Paths holding secrets: never shown in a diff, a log or a summary. */
  secretPaths: string[][];
}

export function harborValues(options: HarborOptions): HarborValues {
  const values: Values = {};
  const secretPaths: string[][] = [];
  const set = (path: string[], value: unknown) => {
    if (value !== undefined) setPath(values, path, value);
  };
  const secret = (path: string[], value: string | undefined) => {
    if (value === undefined) return;
    set(path, value);
    secretPaths.push(path);
  };
  const profile = PROFILES[options.profile];

  set(['externalURL'], `https://${options.hostname}`);
  // An ingress host and a certificate name are bare names: Kubernetes refuses `host:port` in either.
  const host = options.hostname.replace(/:\d+$/, '');
  set(['expose', 'type'], options.expose);
  set(['expose', 'tls', 'enabled'], true);
  const tlsSecret = options.tlsSecret ?? (options.certManagerIssuer ? `${options.release}-tls` : undefined);
  if (tlsSecret) {
    set(['expose', 'tls', 'certSource'], 'secret');
    set(['expose', 'tls', 'secret', 'secretName'], tlsSecret);
  } else {
    set(['expose', 'tls', 'certSource'], 'auto');
    if (options.expose !== 'ingress') set(['expose', 'tls', 'auto', 'commonName'], host);
  }
  if (options.expose === 'ingress') {
    set(['expose', 'ingress', 'className'], options.ingressClass);
    set(['expose', 'ingress', 'hosts', 'core'], host);
    if (options.certManagerIssuer) {
      set(['expose', 'ingress', 'annotations', CERT_MANAGER_ISSUER_ANNOTATION], options.certManagerIssuer);
      set(['expose', 'ingress', 'annotations', ACME_EDIT_IN_PLACE_ANNOTATION], 'true');
    }
  }
  secret(['harborAdminPassword'], options.adminPassword);

  set(['persistence', 'enabled'], true);
  for (const component of profile.volumes) {
    const storage = effectiveStorage(options, component);
    const pvc = PVC_PATH[component];
    if (storage.storageClass) set([...pvc, 'storageClass'], storage.storageClass);
    set([...pvc, 'accessMode'], storage.accessMode);
    if (storage.size) set([...pvc, 'size'], storage.size);
  }
  // The chart's own advice: a ReadWriteOnce volume cannot be mounted by the old and the new pod at once, so a rolling
  // update of registry or jobservice would hang on a multi-attach error.
  const rwo = (['registry', 'jobservice'] as const).some(
    (c) => effectiveStorage(options, c).accessMode === 'ReadWriteOnce',
  );
  if (rwo) set(['updateStrategy', 'type'], 'Recreate');

  for (const component of REPLICA_COMPONENTS) {
    const replicas = effectiveReplicas(options, component);
    if (replicas !== undefined) set([component, 'replicas'], replicas);
  }
  if (profile.spread) {
    for (const component of spreadComponents(options.expose)) {
      set(
        [component, 'topologySpreadConstraints'],
        TOPOLOGY_SPREAD.map((c) => ({ ...c })),
      );
    }
  }

  if (options.profile === 'external-services') {
    const db = options.database ?? {};
    set(['database', 'type'], 'external');
    set(['database', 'external', 'host'], db.host);
    // The chart quotes the port as a string.
    set(['database', 'external', 'port'], String(db.port ?? 5432));
    set(['database', 'external', 'username'], db.username);
    secret(['database', 'external', 'password'], db.password);
    set(['database', 'external', 'coreDatabase'], db.name ?? 'registry');
    set(['database', 'external', 'sslmode'], db.sslmode ?? 'require');
    const redis = options.redis ?? {};
    set(['redis', 'type'], 'external');
    set(['redis', 'external', 'addr'], redis.addr);
    secret(['redis', 'external', 'password'], redis.password);
    if (redis.tls) set(['redis', 'external', 'tlsOptions', 'enable'], true);
  }
  return { values, secretPaths };
}
