import { stringify } from 'yaml';
import type { ArmOperation } from './arm-contract';

/**
 * The AKS half of the fake ARM (Microsoft.ContainerService/managedClusters, api-version 2026-10-01): read a cluster,
 * list its user or admin credentials. FakeArm routes the spec's operations here and checks every request and answer
 * against aks/managedClusters.json, as it does for ACR.
 *
 * What the answers follow:
 * - the spec: ManagedCluster (aadProfile, disableLocalAccounts, powerState), CredentialResults (base64 kubeconfigs),
 *   the `format` query (`exec` or the deprecated `azure` auth-provider; exec when absent, as for Kubernetes >= 1.24);
 * - the kubeconfig AKS hands out for an Entra ID cluster: a kubelogin exec user whose args carry `--server-id` (the
 *   AKS AAD server app), `--client-id`, `--tenant-id`, `--environment`, `--login devicecode` — the shape
 *   Azure/kubelogin pkg/internal/converter/convert.go reads (`--server-id`, or the auth-provider's `apiserver-id`);
 * - admin credentials on a cluster with local accounts disabled: 400 BadRequest, as AKS refuses static credentials;
 * - authorization: ARM's 403 AuthorizationFailed naming the missing action
 *   (Microsoft.ContainerService/managedClusters/{read, listClusterUserCredential/action, listClusterAdminCredential/action}).
 */

export const AKS_PROVIDER = 'Microsoft.ContainerService';
/** The well-known "Azure Kubernetes Service AAD Server" application. */
export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The well-known "Azure Kubernetes Service AAD Client" (kubelogin's default public client). */
const AKS_CLIENT_APP = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export interface FakeClusterInit {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** API server URL the kubeconfigs name (a loopback HTTPS stand-in in tests). */
  server: string;
  /** PEM of the CA that signed the API server's certificate. */
  caPem: string;
  /** AKS-managed Entra ID; `serverAppId` models the legacy integration's own server app. */
  entra?: { enableAzureRBAC?: boolean; tenantId?: string; serverAppId?: string };
  disableLocalAccounts?: boolean;
  powerState?: 'Running' | 'Stopped';
  /** The static token local accounts carry (user and admin kubeconfigs of non-Entra or mixed clusters). */
  localToken?: string;
}

export type FakeCluster = Required<Pick<FakeClusterInit, 'powerState' | 'disableLocalAccounts' | 'localToken'>> &
  FakeClusterInit;

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function error(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message } } };
}

export function aksClusterKey(subscription: string, group: string, name: string): string {
  return `${subscription}/${group}/${name}`.toLowerCase();
}

export function makeCluster(init: FakeClusterInit): FakeCluster {
  return {
    powerState: 'Running',
    disableLocalAccounts: false,
    localToken: `local-${init.name}-0123456789abcdef`,
    ...init,
  };
}

const ACTIONS: Record<string, string> = {
  ManagedClusters_Get: 'managedClusters/read',
  ManagedClusters_ListClusterUserCredentials: 'managedClusters/listClusterUserCredential/action',
  ManagedClusters_ListClusterAdminCredentials: 'managedClusters/listClusterAdminCredential/action',
};

export function routeAks(
  operation: ArmOperation,
  p: Record<string, string>,
  query: URLSearchParams,
  clusters: Map<string, FakeCluster>,
  denied: Set<string>,
): Answer {
  const id = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/${AKS_PROVIDER}/managedClusters/${p.resourceName}`;
  const action = ACTIONS[operation.operationId];
  if (!action) return error(501, 'NotImplemented', `${operation.operationId} is not implemented by the fake`);
  const full = `${AKS_PROVIDER}/${action}`;
  if (denied.has(full)) {
    return error(
      403,
      'AuthorizationFailed',
      `The client '00000000-aaaa-bbbb-cccc-000000000000' with object id '00000000-aaaa-bbbb-cccc-000000000000' does not have authorization to perform action '${full}' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
  const cluster = clusters.get(aksClusterKey(p.subscriptionId, p.resourceGroupName, p.resourceName));
  if (!cluster)
    return error(
      404,
      'ResourceNotFound',
      `The Resource '${AKS_PROVIDER}/managedClusters/${p.resourceName}' under resource group '${p.resourceGroupName}' was not found.`,
    );
  switch (operation.operationId) {
    case 'ManagedClusters_Get':
      return { status: 200, body: clusterBody(id, cluster) };
    case 'ManagedClusters_ListClusterUserCredentials': {
      const format = query.get('format') ?? 'exec';
      return credentials(
        `clusterUser_${p.resourceGroupName}_${cluster.name}`,
        cluster,
        cluster.entra ? format : 'local',
      );
    }
    case 'ManagedClusters_ListClusterAdminCredentials':
      if (cluster.disableLocalAccounts)
        return error(
          400,
          'BadRequest',
          'Getting static credential is not allowed because this cluster is set to disable local accounts.',
        );
      return credentials(`clusterAdmin_${p.resourceGroupName}_${cluster.name}`, cluster, 'local');
    default:
      return error(501, 'NotImplemented', `${operation.operationId} is not implemented by the fake`);
  }
}

function clusterBody(id: string, c: FakeCluster): Record<string, unknown> {
  const fqdn = new URL(c.server).hostname;
  return {
    id,
    name: c.name,
    type: `${AKS_PROVIDER}/managedClusters`,
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: c.powerState },
      kubernetesVersion: '1.33',
      currentKubernetesVersion: '1.33.2',
      dnsPrefix: c.name,
      fqdn,
      enableRBAC: true,
      disableLocalAccounts: c.disableLocalAccounts,
      ...(c.entra
        ? {
            aadProfile: {
              managed: c.entra.serverAppId === undefined,
              enableAzureRBAC: c.entra.enableAzureRBAC ?? false,
              tenantID: c.entra.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47',
              ...(c.entra.serverAppId ? { serverAppID: c.entra.serverAppId } : {}),
            },
          }
        : {}),
    },
  };
}

function credentials(user: string, c: FakeCluster, kind: string): Answer {
  const serverId = c.entra?.serverAppId ?? AKS_SERVER_APP;
  const tenant = c.entra?.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  let userEntry: Record<string, unknown>;
  if (kind === 'exec') {
    userEntry = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'kubelogin',
        args: [
          'get-token',
          '--environment',
          'AzurePublicCloud',
          '--server-id',
          serverId,
          '--client-id',
          AKS_CLIENT_APP,
          '--tenant-id',
          tenant,
          '--login',
          'devicecode',
        ],
        env: null,
        installHint:
          '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
        provideClusterInfo: false,
      },
    };
  } else if (kind === 'azure') {
    userEntry = {
      'auth-provider': {
        name: 'azure',
        config: {
          'apiserver-id': serverId,
          'client-id': AKS_CLIENT_APP,
          'config-mode': '1',
          environment: 'AzurePublicCloud',
          'tenant-id': tenant,
        },
      },
    };
  } else {
    // Local accounts: a client certificate and a static token (the API stand-in accepts the token).
    userEntry = {
      'client-certificate-data': Buffer.from(
        '-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n',
      ).toString('base64'),
      'client-key-data': Buffer.from(
        `-----BEGIN RSA PRIVATE KEY-----\nkey-${c.name}\n-----END RSA PRIVATE KEY-----\n`,
      ).toString('base64'),
      token: c.localToken,
    };
  }
  const kubeconfig = stringify({
    apiVersion: 'v1',
    clusters: [
      {
        cluster: { 'certificate-authority-data': Buffer.from(c.caPem).toString('base64'), server: c.server },
        name: c.name,
      },
    ],
    contexts: [{ context: { cluster: c.name, user }, name: c.name }],
    'current-context': c.name,
    kind: 'Config',
    preferences: {},
    users: [{ name: user, user: userEntry }],
  });
  return {
    status: 200,
    body: {
      kubeconfigs: [
        {
          name: user.startsWith('clusterAdmin') ? 'clusterAdmin' : 'clusterUser',
          value: Buffer.from(kubeconfig).toString('base64'),
        },
      ],
    },
  };
}
