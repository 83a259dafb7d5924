import { InputError, UserError } from '../errors';
import type { ArmClient } from './arm-client';
import { guardArm } from './arm-refusals';
import { CLUSTER_ADMIN_ROLE, CLUSTER_USER_ROLE } from './roles';

/** The AKS API the step is written and tested against (reference file azure/aks/managedClusters.json, pinned in test/reference/manifest.json). */
export const AKS_API_VERSION = '2026-10-01';

/**
 * The Entra application every AKS-managed Entra ID cluster accepts tokens for (the "Azure Kubernetes Service AAD
 * Server" app). The cluster's own kubeconfig names it (kubelogin's `--server-id`); this is the fallback.
 */
export const AKS_AAD_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';

export const KUBERNETES_ROLES =
  "'Azure Kubernetes Service RBAC Writer' on the namespace, 'Azure Kubernetes Service RBAC Admin' or 'Azure Kubernetes Service RBAC Cluster Admin' (Azure RBAC clusters), or a Kubernetes RoleBinding/ClusterRoleBinding to admin or cluster-admin for the identity or one of its groups";

export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  cluster: string;
}

/** The parts of a managed cluster the step reads (the spec's ManagedCluster). */
export interface ManagedCluster {
  id?: string;
  name?: string;
  properties?: {
    provisioningState?: string;
    powerState?: { code?: 'Running' | 'Stopped' | string };
    fqdn?: string;
    privateFQDN?: string;
    enableRBAC?: boolean;
    disableLocalAccounts?: boolean;
    aadProfile?: {
      managed?: boolean;
      enableAzureRBAC?: boolean;
      serverAppID?: string;
      tenantID?: string;
      adminGroupObjectIDs?: string[];
    };
    apiServerAccessProfile?: { enablePrivateCluster?: boolean };
  };
}

interface CredentialResults {
  kubeconfigs?: { name?: string; value?: string }[];
}

/** ARM's rule for managed cluster names (the spec's resourceName path parameter). */
const CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;

export function checkClusterName(value: string, label: string): string {
  if (!CLUSTER_NAME.test(value)) {
    throw new InputError(
      `Input '${label}' must be an AKS cluster name: 1-63 letters, digits, - and _, starting and ending with a letter or digit (got '${value}')`,
    );
  }
  return value;
}

export function clusterPath(ref: ClusterRef): string {
  return `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(ref.cluster)}`;
}

/** An Entra-enabled cluster takes Entra tokens for its server app (AKS-managed Entra ID, or the legacy integration). */
export function isEntraCluster(cluster: ManagedCluster): boolean {
  return cluster.properties?.aadProfile !== undefined;
}

/**
 * One managed cluster through ARM: read it, list its user or admin credentials. ARM refusals become one line of advice
 * decided by status and error code: not found, which role is missing, a sign-in ARM did not accept.
 */
export class AksCluster {
  readonly path: string;

  constructor(
    private readonly arm: ArmClient,
    readonly ref: ClusterRef,
    private readonly apiVersion = AKS_API_VERSION,
  ) {
    this.path = clusterPath(ref);
  }

  async get(): Promise<ManagedCluster> {
    const cluster = await this.guard('read the cluster', CLUSTER_USER_ROLE, () =>
      this.arm.getOptional<ManagedCluster>(this.path, {
        apiVersion: this.apiVersion,
        what: `read AKS cluster ${this.ref.cluster}`,
      }),
    );
    if (!cluster) throw this.notFound();
    return cluster;
  }

  /**
   * The user kubeconfig. For Entra clusters ARM hands out a kubelogin exec (or azure auth-provider) kubeconfig; `exec`
   * is asked for explicitly so the shape does not depend on the cluster's Kubernetes version.
   */
  userKubeconfig(entra: boolean): Promise<string> {
    const query = entra ? '?format=exec' : '';
    return this.kubeconfig(`listClusterUserCredential${query}`, 'list the cluster user credentials', CLUSTER_USER_ROLE);
  }

  adminKubeconfig(): Promise<string> {
    return this.kubeconfig('listClusterAdminCredential', 'list the cluster admin credentials', CLUSTER_ADMIN_ROLE);
  }

  private async kubeconfig(action: string, what: string, role: string): Promise<string> {
    const res = await this.guard(what, role, () =>
      this.arm.call('POST', `${this.path}/${action}`, {
        apiVersion: this.apiVersion,
        what: `${what} of AKS cluster ${this.ref.cluster}`,
      }),
    );
    const body = res.json<CredentialResults>();
    // ARM lists one kubeconfig per credential; AKS returns one (clusterUser_/clusterAdmin_), any further are alternates.
    const value = body.kubeconfigs?.find((k) => k.value)?.value;
    if (!value) throw new UserError(`Azure answered ${what} of AKS cluster ${this.ref.cluster} without a kubeconfig`);
    return Buffer.from(value, 'base64').toString('utf8');
  }

  private notFound(detail = ''): UserError {
    return new UserError(
      `AKS cluster ${this.ref.cluster} not found in resource group ${this.ref.resourceGroup} of subscription ${this.ref.subscriptionId}${detail}; check the cluster-name, resource-group and subscription inputs`,
    );
  }

  private guard<T>(action: string, role: string, fn: () => Promise<T>): Promise<T> {
    return guardArm(fn, {
      denied: (error) =>
        `Azure denied the step permission to ${action} of AKS cluster ${this.ref.cluster} (${error.code ?? error.status}): assign the identity the '${role}' role on the cluster (or its resource group)`,
      notFound: (error) =>
        error.scopeMissing || error.code === 'ResourceNotFound' || error.status === 404
          ? this.notFound(` (${error.code ?? error.status})`)
          : undefined,
    });
  }
}
