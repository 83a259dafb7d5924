import { CLUSTER_USER_ROLE } from '../../azure/roles';
import { azureConnection, azureInputs } from '../../azure/inputs';
import { DEFAULT_CHART_REPO, PINNED_CHART } from '../../helm/pinned-chart';
import { DEFAULT_HELM_MIRROR, DEFAULT_HELM_VERSION } from '../../helm/helm-defaults';
import { defineCapability, type SettingsOf } from '../../inputs/definition';

const EXTERNAL = 'profile = external-services';
// The Azure sign-in shared with acr-token and replicate (not the registry input: deploy names a cluster instead).
const { registry, ...azure } = azureInputs({ main: 'aks', advanced: 'aks' });
void registry;
export const definition = defineCapability({
  id: 'deploy',
  taskName: 'HarborDeploy',
  friendlyName: 'Harbor deploy',
  shortDescription: 'Deploy or upgrade Harbor on Kubernetes (AKS included) with Helm, from a validated profile.',
  description:
    'Deploy or upgrade Harbor on Kubernetes with Helm in one of the documented AKS profiles (managed disks, external database and Redis, availability zones), validated before it touches the cluster.',
  category: 'Deploy',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: '4cacf2a7-2aad-4735-9704-6a85afe58034',
  branding: { icon: 'anchor', color: 'blue' },
  connections: [
    {
      input: 'kubernetesServiceConnection',
      kind: 'kubernetes',
      label: 'Kubernetes service connection',
      description:
        "The cluster to deploy to (Kubeconfig, Service Account, or Azure Subscription connections that carry a service-account token). For AKS with Entra ID, use the Azure subscription connection and cluster-name instead. Leave both empty to use the agent's own kubeconfig.",
      required: false,
    },
    {
      ...azureConnection(CLUSTER_USER_ROLE, { group: 'aks', required: false }),
      description: `Azure Resource Manager service connection (service principal with a secret or certificate, workload identity federation, or the agent machine managed identity) to reach the AKS cluster in clusterName: it needs the ${CLUSTER_USER_ROLE} on the cluster and a Kubernetes role (Azure Kubernetes Service RBAC Writer/Admin, or a cluster-admin binding) inside it. Works with Entra-only clusters; no kubelogin needed.`,
    },
  ],
  groups: [
    ['main', 'Harbor'],
    ['aks', 'AKS cluster through Azure sign-in'],
    ['exposure', 'Exposure and TLS'],
    ['storage', 'Storage'],
    ['replicas', 'Replicas'],
    ['external', 'External database and Redis'],
    ['helm', 'Helm'],
  ],
  inputs: {
    profile: {
      name: 'profile',
      type: 'choice',
      options: ['managed-disks', 'external-services', 'availability-zones'],
      required: true,
      description:
        'managed-disks: everything in the cluster on premium Azure Disks. external-services: external PostgreSQL and Redis. availability-zones: zone-redundant storage and pods spread over zones and nodes.',
      group: 'main',
    },
    hostname: {
      name: 'hostname',
      type: 'string',
      required: true,
      description: 'Host name Harbor is reached at, e.g. harbor.example.com; externalURL becomes https://<hostname>.',
      group: 'main',
    },
    'admin-password': {
      name: 'admin-password',
      type: 'secret',
      description:
        'Initial password of the admin user (required unless values-files or set give existingSecretAdminPassword); Harbor uses it only when it first starts, so change it in Harbor later. Written only to a 0600 values file, never to the command line.',
      group: 'main',
    },
    release: { name: 'release', type: 'string', default: 'harbor', description: 'Helm release name.', group: 'main' },
    namespace: {
      name: 'namespace',
      type: 'string',
      default: 'harbor',
      description: 'Namespace (created when missing).',
      group: 'main',
    },
    kubeconfig: {
      name: 'kubeconfig',
      type: 'multiline',
      platforms: ['github'],
      description:
        'Kubeconfig content or a path to it (default: KUBECONFIG or ~/.kube/config, e.g. from azure/aks-set-context). Content is written to a 0600 temp file that is deleted afterwards.',
      group: 'main',
    },
    'cluster-name': {
      name: 'cluster-name',
      type: 'string',
      description:
        'AKS cluster to deploy to, reached through the Azure sign-in (Azure DevOps: the Azure subscription connection; GitHub: client-id + tenant-id OIDC, or the Azure CLI after azure/login). Entra ID clusters get an Entra token in a private kubeconfig, no kubelogin. Needs resource-group.',
      group: 'aks',
    },
    ...azure,
    'subscription-id': {
      ...azure['subscription-id'],
      description:
        "Subscription of the AKS cluster. Default: the service connection's subscription (Azure DevOps) or the Azure CLI's current one (GitHub; required with client-id).",
    },
    'resource-group': {
      ...azure['resource-group'],
      description: 'Resource group of the AKS cluster (with cluster-name).',
    },
    'use-cluster-admin': {
      name: 'use-cluster-admin',
      type: 'boolean',
      default: 'false',
      description:
        "Use the cluster's admin credentials (listClusterAdminCredential, needs the Azure Kubernetes Service Cluster Admin Role) instead of the user's. Refused on clusters with local accounts disabled (Entra ID only).",
      group: 'aks',
    },
    expose: {
      name: 'expose',
      type: 'choice',
      options: ['ingress', 'loadBalancer', 'clusterIP'],
      default: 'ingress',
      description: 'How Harbor is exposed: an ingress (default), a LoadBalancer service, or a ClusterIP service.',
      group: 'exposure',
    },
    'ingress-class': {
      name: 'ingress-class',
      type: 'string',
      default: 'nginx',
      description: 'Ingress class name.',
      group: 'exposure',
    },
    'tls-secret': {
      name: 'tls-secret',
      type: 'string',
      description:
        'Secret holding the TLS certificate (tls.crt, tls.key). Default with cert-manager-issuer: <release>-tls, created by cert-manager; without either, the chart generates a self-signed certificate.',
      group: 'exposure',
    },
    'cert-manager-issuer': {
      name: 'cert-manager-issuer',
      type: 'string',
      description:
        "cert-manager ClusterIssuer for the ingress certificate (e.g. letsencrypt-prod); also sets acme.cert-manager.io/http01-edit-in-place so the HTTP-01 challenge uses Harbor's ingress.",
      group: 'exposure',
    },
    'storage-class': {
      name: 'storage-class',
      type: 'string',
      description:
        'Storage class for every volume unless a per-component class is given (default per profile: managed-csi-premium; availability-zones: azurefile-csi-premium-zrs for registry and jobservice, managed-csi-premium-zrs for the rest).',
      group: 'storage',
    },
    'registry-storage-class': {
      name: 'registry-storage-class',
      type: 'string',
      description: "Storage class of the registry (images) volume (default: storage-class, else the profile's class).",
      group: 'storage',
    },
    'registry-size': {
      name: 'registry-size',
      type: 'string',
      description:
        'Size of the registry (images) volume as a Kubernetes quantity (default 256Gi, as the guide sizes it).',
      group: 'storage',
    },
    'registry-access-mode': {
      name: 'registry-access-mode',
      type: 'choice',
      options: ['ReadWriteOnce', 'ReadWriteMany'],
      description:
        "Access mode of the registry volume (default: ReadWriteMany on the availability-zones profile's Azure Files class, else ReadWriteOnce).",
      group: 'storage',
    },
    'jobservice-storage-class': {
      name: 'jobservice-storage-class',
      type: 'string',
      description: "Storage class of the job service log volume (default: storage-class, else the profile's class).",
      group: 'storage',
    },
    'jobservice-size': {
      name: 'jobservice-size',
      type: 'string',
      description: 'Size of the job service log volume as a Kubernetes quantity (default 8Gi, as the guide sizes it).',
      group: 'storage',
    },
    'jobservice-access-mode': {
      name: 'jobservice-access-mode',
      type: 'choice',
      options: ['ReadWriteOnce', 'ReadWriteMany'],
      description: 'Access mode of the job service log volume (default as for registry-access-mode).',
      group: 'storage',
    },
    'database-storage-class': {
      name: 'database-storage-class',
      type: 'string',
      description: "Storage class of the internal database volume (default: storage-class, else the profile's class).",
      group: 'storage',
    },
    'database-size': {
      name: 'database-size',
      type: 'string',
      description:
        "Size of the internal database volume as a Kubernetes quantity (default 8Gi, as the guide sizes it). On an existing release the size it has is kept unless this input is given: Kubernetes cannot resize a StatefulSet's volume template.",
      group: 'storage',
    },
    'redis-storage-class': {
      name: 'redis-storage-class',
      type: 'string',
      description: "Storage class of the internal Redis volume (default: storage-class, else the profile's class).",
      group: 'storage',
    },
    'redis-size': {
      name: 'redis-size',
      type: 'string',
      description:
        "Size of the internal Redis volume as a Kubernetes quantity (default 8Gi, as the guide sizes it). On an existing release the size it has is kept unless this input is given: Kubernetes cannot resize a StatefulSet's volume template.",
      group: 'storage',
    },
    'trivy-storage-class': {
      name: 'trivy-storage-class',
      type: 'string',
      description: "Storage class of the Trivy cache volume (default: storage-class, else the profile's class).",
      group: 'storage',
    },
    'trivy-size': {
      name: 'trivy-size',
      type: 'string',
      description:
        "Size of the Trivy cache volume as a Kubernetes quantity (default 8Gi, as the guide sizes it). On an existing release the size it has is kept unless this input is given: Kubernetes cannot resize a StatefulSet's volume template.",
      group: 'storage',
    },
    'create-zrs-storage-classes': {
      name: 'create-zrs-storage-classes',
      type: 'boolean',
      default: 'false',
      description:
        'Create or update the storage classes managed-csi-premium-zrs (Azure Disk Premium_ZRS) and azurefile-csi-premium-zrs (Azure Files Premium_ZRS) with kubectl before deploying.',
      group: 'storage',
    },
    'portal-replicas': {
      name: 'portal-replicas',
      type: 'integer',
      min: 1,
      max: 50,
      description:
        "Replicas of portal (default: the profile's: 1, as the guide; availability-zones runs 3 of portal, core, jobservice and registry and 1 of trivy).",
      group: 'replicas',
    },
    'core-replicas': {
      name: 'core-replicas',
      type: 'integer',
      min: 1,
      max: 50,
      description:
        "Replicas of core (default: the profile's: 1, as the guide; availability-zones runs 3 of portal, core, jobservice and registry and 1 of trivy).",
      group: 'replicas',
    },
    'jobservice-replicas': {
      name: 'jobservice-replicas',
      type: 'integer',
      min: 1,
      max: 50,
      description:
        "Replicas of jobservice (default: the profile's: 1, as the guide; availability-zones runs 3 of portal, core, jobservice and registry and 1 of trivy).",
      group: 'replicas',
    },
    'registry-replicas': {
      name: 'registry-replicas',
      type: 'integer',
      min: 1,
      max: 50,
      description:
        "Replicas of registry (default: the profile's: 1, as the guide; availability-zones runs 3 of portal, core, jobservice and registry and 1 of trivy).",
      group: 'replicas',
    },
    'trivy-replicas': {
      name: 'trivy-replicas',
      type: 'integer',
      min: 1,
      max: 50,
      description:
        "Replicas of trivy (default: the profile's: 1, as the guide; availability-zones runs 3 of portal, core, jobservice and registry and 1 of trivy).",
      group: 'replicas',
    },
    'database-host': {
      name: 'database-host',
      type: 'string',
      description: 'PostgreSQL host (external-services).',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'database-port': {
      name: 'database-port',
      type: 'integer',
      min: 1,
      max: 65535,
      description: 'PostgreSQL port (default 5432).',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'database-username': {
      name: 'database-username',
      type: 'string',
      description: 'PostgreSQL user.',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'database-password': {
      name: 'database-password',
      type: 'secret',
      description: 'PostgreSQL password.',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'database-name': {
      name: 'database-name',
      type: 'string',
      description: "Harbor's database (default registry).",
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'database-sslmode': {
      name: 'database-sslmode',
      type: 'choice',
      options: ['disable', 'require', 'verify-ca', 'verify-full'],
      description: 'PostgreSQL sslmode (default require, as Azure Database for PostgreSQL enforces TLS).',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'redis-addr': {
      name: 'redis-addr',
      type: 'string',
      description: 'Redis host:port (external-services).',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'redis-password': {
      name: 'redis-password',
      type: 'secret',
      description: 'Redis password or access key.',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'redis-tls': {
      name: 'redis-tls',
      type: 'boolean',
      default: 'false',
      description: 'Connect to Redis over TLS (Azure Cache for Redis on port 6380).',
      group: 'external',
      visibleRule: EXTERNAL,
    },
    'values-files': {
      name: 'values-files',
      type: 'lines',
      description: "Extra values files merged after the profile's values (relative to the workspace), one per line.",
      group: 'helm',
    },
    set: {
      name: 'set',
      type: 'lines',
      description:
        'Extra values, one key=value per line in helm --set syntax (a.b=c, a\\.b=c for dotted keys, list[0]=x); applied last. They go into the values file, not the command line.',
      group: 'helm',
    },
    wait: {
      name: 'wait',
      type: 'boolean',
      default: 'true',
      description:
        "Wait for the rollout (helm --wait), then until Harbor's /api/v2.0/health reports every component healthy.",
      group: 'helm',
    },
    'wait-strategy': {
      name: 'wait-strategy',
      type: 'choice',
      options: ['watcher', 'legacy'],
      default: 'watcher',
      description:
        "How Helm 4 waits for the rollout (--wait=<strategy>): 'watcher' follows each object's status with list/watch (needs list and watch RBAC on the release's objects); 'legacy' polls with get, as Helm 3 always does. Ignored with Helm 3.",
      group: 'helm',
    },
    'apply-method': {
      name: 'apply-method',
      type: 'choice',
      options: ['auto', 'client-side', 'server-side', 'server-side-force-conflicts'],
      default: 'auto',
      description:
        "How Helm 4 applies objects: 'auto' (Helm 4's default: server-side apply for a new release, the previous method for an upgrade, so a release made by Helm 3 stays client-side), 'client-side', 'server-side', or 'server-side-force-conflicts' (server-side apply that takes over fields another manager owns). Helm 3 only applies client-side: it accepts 'auto' and 'client-side'.",
      group: 'helm',
    },
    'rollback-on-failure': {
      name: 'rollback-on-failure',
      type: 'boolean',
      default: 'false',
      description:
        'Roll the release back when the upgrade fails (Helm 4 --rollback-on-failure, Helm 3 --atomic); it implies waiting for the rollout.',
      group: 'helm',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '10m',
      description: 'Time allowed for the rollout (helm --timeout), and again for the health check.',
      group: 'helm',
    },
    'dry-run': {
      name: 'dry-run',
      type: 'boolean',
      default: 'false',
      description:
        'Render the release against the cluster and show what would change in the values, without changing anything.',
      group: 'helm',
    },
    'chart-version': {
      name: 'chart-version',
      type: 'string',
      default: PINNED_CHART.version,
      description: `Harbor chart version (default ${PINNED_CHART.version}, Harbor ${PINNED_CHART.appVersion}).`,
      group: 'helm',
    },
    'chart-repo': {
      name: 'chart-repo',
      type: 'url',
      schemes: ['https', 'http', 'oci'],
      default: DEFAULT_CHART_REPO,
      description:
        'Chart repository URL, or an oci:// reference to the chart itself (e.g. oci://registry.example.com/charts/harbor).',
      group: 'helm',
    },
    'helm-version': {
      name: 'helm-version',
      type: 'string',
      description: `Helm version to use: Helm 3 (3.x.y) or Helm 4 (4.x.y), e.g. 4.3.1. Default: helm on PATH, else helm ${DEFAULT_HELM_VERSION}. A missing version is downloaded into the tool cache and verified against its published sha256.`,
      group: 'helm',
    },
    'helm-mirror': {
      name: 'helm-mirror',
      type: 'url',
      default: DEFAULT_HELM_MIRROR,
      description: 'Where helm release archives are downloaded from (a mirror of get.helm.sh with the same layout).',
      group: 'helm',
    },
    'ca-file': {
      name: 'ca-file',
      type: 'path',
      description: 'PEM file of a CA to trust for the health check of the deployed Harbor.',
      group: 'helm',
    },
    insecure: {
      name: 'insecure',
      type: 'boolean',
      default: 'false',
      description: "Skip TLS verification in the health check (e.g. the chart's self-signed certificate).",
      group: 'helm',
    },
  },
  outputs: [
    { name: 'harbor-url', description: 'The external URL of the deployed Harbor.' },
    { name: 'revision', description: 'Helm release revision after the deploy (the current one on a dry run).' },
    {
      name: 'values-digest',
      description: 'sha256 of the values the release was deployed with (the values themselves are never output).',
    },
  ],
});

export type DeploySettings = SettingsOf<typeof definition.inputs>;
export type DeployInputs = typeof definition.inputs;
