import {
  AKS_AAD_SERVER_APP,
  AksCluster,
  checkClusterName,
  isEntraCluster,
  KUBERNETES_ROLES,
  type ManagedCluster,
} from '../azure/aks';
import { resourceToScope } from '../azure/credentials';
import { checkName } from '../azure/names';
import { connectArm, type StepAzureSettings } from '../azure/sign-in';
import { httpClientFor } from '../capability';
import { InputError, UserError } from '../errors';
import type { Platform } from '../platform';
import { checkTokenAccess } from './api-access';
import { checkKubeconfig, registerSecrets, type ClusterAccess } from './kubeconfig';
import type { PrivateDir } from './private-dir';

export interface AksAccessOptions {
  azure: StepAzureSettings;
  resourceGroup?: string;
  cluster: string;
  admin: boolean;
  /** Namespace and dry-run of the deploy, for the Kubernetes access check. */
  namespace: string;
  dryRun: boolean;
  /** How long helm may take: the token must outlive it. */
  timeoutMs: number;
  /** Input names as the platform spells them. */
  names: {
    subscriptionId: string;
    clientId: string;
    tenantId: string;
    resourceGroup: string;
    cluster: string;
    admin: string;
  };
}

/**
 * Reaches an AKS cluster through the step's Azure sign-in, as `az aks get-credentials` + kubelogin would, without
 * either: read the cluster through ARM, list its user (or, when asked and allowed, admin) credentials for the server
 * and CA, and for an Entra ID cluster put an Entra token for the cluster's server app, from the same credential,
 * straight into the kubeconfig. The kubeconfig is 0600 in the step's private directory (removed with it); the token is
 * masked before it is written anywhere.
 */
export async function aksClusterAccess(
  platform: Platform,
  options: AksAccessOptions,
  dir: PrivateDir,
): Promise<ClusterAccess> {
  const { names } = options;
  if (!options.resourceGroup)
    throw new InputError(`Input required and not supplied: ${names.resourceGroup} (with ${names.cluster})`);
  const ref = {
    resourceGroup: checkName('resourceGroup', options.resourceGroup, names.resourceGroup),
    cluster: checkClusterName(options.cluster, names.cluster),
  };
  // ARM and the API server get the runner's trust settings (proxy, CA); never the deployed Harbor's ca-file/insecure.
  const armHttp = httpClientFor(platform);
  try {
    const { arm, subscriptionId } = await connectArm(options.azure, names, armHttp, platform, options.timeoutMs);
    const aks = new AksCluster(arm, { subscriptionId, ...ref });
    const cluster = await aks.get();
    describe(platform, ref.cluster, cluster);
    if (cluster.properties?.powerState?.code === 'Stopped') {
      throw new UserError(`AKS cluster ${ref.cluster} is stopped; start it (az aks start) before deploying`);
    }
    const entra = isEntraCluster(cluster);
    const localAccountsDisabled = cluster.properties?.disableLocalAccounts === true;

    if (options.admin) {
      if (localAccountsDisabled) {
        throw new InputError(
          `Input '${names.admin}' asks for the cluster admin credentials, but AKS cluster ${ref.cluster} has local accounts disabled (Entra ID only): set it to false and grant the identity ${KUBERNETES_ROLES}`,
        );
      }
      const text = await aks.adminKubeconfig();
      checkKubeconfig(text, `admin credentials of ${ref.cluster}`);
      registerSecrets(platform, text);
      return { kubeconfig: dir.write('kubeconfig', text), source: `AKS cluster ${ref.cluster} (admin credentials)` };
    }

    const text = await aks.userKubeconfig(entra);
    const doc = checkKubeconfig(text, `user credentials of ${ref.cluster}`);
    if (!entra) {
      // Kubernetes-RBAC-only cluster: the user credential is a client certificate, usable as it is.
      registerSecrets(platform, text);
      return { kubeconfig: dir.write('kubeconfig', text), source: `AKS cluster ${ref.cluster} (user credentials)` };
    }

    const target = currentTarget(doc, ref.cluster);
    const audience = target.serverId ?? cluster.properties?.aadProfile?.serverAppID ?? AKS_AAD_SERVER_APP;
    const token = await arm.credential.getToken(resourceToScope(audience));
    // The credential masks what it fetches; masking here too keeps this true for any credential.
    platform.setSecret(token.token);
    const remainingMs = token.expiresOnMs - Date.now();
    if (remainingMs < options.timeoutMs + 60_000) {
      platform.warning(
        `The Entra token for ${ref.cluster} expires in ${Math.max(0, Math.floor(remainingMs / 60_000))} min, before the helm timeout; a long rollout may fail with 401`,
      );
    }
    const kubeconfig = dir.write('kubeconfig', `${JSON.stringify(tokenKubeconfig(target, token.token), null, 2)}\n`);

    const apiHttp = httpClientFor(
      platform,
      target.caData ? { caFile: dir.write('cluster-ca.crt', Buffer.from(target.caData, 'base64')) } : {},
    );
    try {
      await checkTokenAccess(platform, apiHttp, {
        server: target.server,
        token: token.token,
        namespace: options.namespace,
        dryRun: options.dryRun,
        cluster: ref.cluster,
        audience,
        roles: KUBERNETES_ROLES,
      });
    } finally {
      await apiHttp.close();
    }
    return {
      kubeconfig,
      source: `AKS cluster ${ref.cluster} (Entra ID token for ${audience}, ${arm.credential.description})`,
    };
  } finally {
    await armHttp.close();
  }
}

function describe(platform: Platform, name: string, cluster: ManagedCluster): void {
  const p = cluster.properties ?? {};
  const auth = p.aadProfile
    ? `Entra ID${p.aadProfile.enableAzureRBAC ? ' with Azure RBAC' : ' with Kubernetes RBAC'}${p.disableLocalAccounts ? ', local accounts disabled' : ''}`
    : 'local accounts with Kubernetes RBAC';
  platform.info(
    `AKS cluster ${name}: ${auth}${p.apiServerAccessProfile?.enablePrivateCluster ? ', private API server' : ''}`,
  );
}

interface Target {
  clusterName: string;
  server: string;
  caData?: string;
  /** The Entra server app the kubeconfig's kubelogin (or azure auth-provider) user names. */
  serverId?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a kubeconfig is free-form YAML, read field by field
type Json = Record<string, any>;

/**
 * The current context's cluster and its Entra server app, as kubelogin reads them (Azure/kubelogin
 * pkg/internal/converter/convert.go: exec arg `--server-id`, or the legacy azure auth-provider's `apiserver-id`).
 */
function currentTarget(doc: Json, cluster: string): Target {
  const contexts: Json[] = Array.isArray(doc.contexts) ? doc.contexts : [];
  const context = contexts.find((c) => c?.name === doc['current-context']) ?? contexts[0];
  const clusters: Json[] = doc.clusters ?? [];
  const entry = clusters.find((c) => c?.name === context?.context?.cluster) ?? clusters[0];
  const server: unknown = entry?.cluster?.server;
  if (typeof server !== 'string' || !/^https:\/\//.test(server))
    throw new UserError(
      `Azure answered the user credentials of AKS cluster ${cluster} without an https API server URL`,
    );
  const users: Json[] = Array.isArray(doc.users) ? doc.users : [];
  const user = (users.find((u) => u?.name === context?.context?.user) ?? users[0])?.user ?? {};
  const args: unknown[] = Array.isArray(user.exec?.args) ? user.exec.args : [];
  const at = args.indexOf('--server-id');
  const serverId =
    at >= 0 && typeof args[at + 1] === 'string'
      ? (args[at + 1] as string)
      : user['auth-provider']?.config?.['apiserver-id'];
  return {
    clusterName: typeof entry?.name === 'string' ? entry.name : cluster,
    server,
    caData: entry.cluster['certificate-authority-data'],
    serverId: typeof serverId === 'string' && serverId ? serverId : undefined,
  };
}

/** A kubeconfig that carries the token itself: no exec plugin, nothing to download or run. */
function tokenKubeconfig(target: Target, token: string): Json {
  const cluster: Json = { server: target.server };
  if (target.caData) cluster['certificate-authority-data'] = target.caData;
  const user = 'entra-token';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: target.clusterName, cluster }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: target.clusterName, context: { cluster: target.clusterName, user } }],
    'current-context': target.clusterName,
  };
}
