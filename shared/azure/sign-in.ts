import { InputError, UserError } from '../errors';
import { HttpClient } from '../http/client';
import type { Platform, ServiceConnection } from '../platform';
import { ArmClient, DEFAULT_ARM_ENDPOINT } from './arm-client';
import {
  AzureCliCredential,
  azurePipelinesIdToken,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DEFAULT_AUTHORITY_HOST,
  ManagedIdentityCredential,
  FEDERATION_AUDIENCE,
  githubIdToken,
  type TokenCredential,
} from './credentials';
import { checkSubscription } from './names';

/** How a step reaches ARM: who it is, where ARM is, and the subscription the sign-in implies (if any). */
export interface AzureSignIn {
  credential: TokenCredential;
  armEndpoint: string;
  /** Entra resource for ARM tokens when it differs from the endpoint (ADO connections name it). */
  tokenResource?: string;
  /** The subscription the sign-in brings along (ADO connection, or the Azure CLI's current account after a token). */
  subscriptionId(): string | undefined;
}

/**
 * An Azure DevOps AzureRM service connection → credential: `ServicePrincipal` with a secret or a certificate,
 * `WorkloadIdentityFederation` (the agent's OIDC token as client assertion) and `ManagedServiceIdentity` (the agent
 * VM's identity).
 */
export function signInWithConnection(
  connection: ServiceConnection,
  inputName: string,
  http: HttpClient,
  platform: Platform,
): AzureSignIn {
  const clientId = connection.auth.serviceprincipalid;
  const tenantId = connection.auth.tenantid;
  const scheme = connection.scheme ?? '';
  const options = {
    clientId: clientId ?? '',
    tenantId: tenantId ?? '',
    authorityHost: connection.data('environmentAuthorityUrl') ?? DEFAULT_AUTHORITY_HOST,
    http,
    platform,
  };
  let credential: TokenCredential;
  switch (scheme.toLowerCase()) {
    case 'serviceprincipal': {
      if (connection.auth.authenticationType === 'spnCertificate') {
        const pem = connection.auth.servicePrincipalCertificate;
        if (!clientId || !tenantId || !pem)
          throw new UserError(
            `Service connection '${inputName}' lacks the service principal id, tenant or certificate`,
          );
        credential = new ClientCertificateCredential(options, pem);
        break;
      }
      const secret = connection.auth.serviceprincipalkey;
      if (!clientId || !tenantId || !secret)
        throw new UserError(`Service connection '${inputName}' lacks the service principal id, tenant or key`);
      credential = new ClientSecretCredential(options, secret);
      break;
    }
    case 'workloadidentityfederation': {
      if (!clientId || !tenantId)
        throw new UserError(`Service connection '${inputName}' lacks the service principal id or tenant`);
      if (!connection.oidcRequest) {
        throw new UserError(
          `Service connection '${inputName}' uses workload identity federation, but the agent offers no OIDC endpoint (System.OidcRequestUri); update the agent, or use another scheme`,
        );
      }
      credential = new ClientAssertionCredential(
        options,
        azurePipelinesIdToken(http, platform, connection.oidcRequest),
        'Azure Pipelines OIDC',
      );
      break;
    }
    case 'managedserviceidentity':
      // The metadata service lives on a link-local address: never through the runner's proxy.
      credential = new ManagedIdentityCredential(
        new HttpClient({ timeoutMs: 10_000, retry: { attempts: 2 }, userAgent: 'harbor-pipelines' }),
        platform,
      );
      break;
    default:
      throw new UserError(
        `Service connection '${inputName}' uses the ${scheme || 'unknown'} scheme; this step supports ServicePrincipal, WorkloadIdentityFederation and ManagedServiceIdentity`,
      );
  }
  const subscription = connection.data('subscriptionId');
  return {
    credential,
    armEndpoint: connection.url || DEFAULT_ARM_ENDPOINT,
    tokenResource: connection.data('activeDirectoryServiceEndpointResourceId'),
    subscriptionId: () => subscription,
  };
}

export interface GitHubSignInSettings {
  clientId?: string;
  tenantId?: string;
  authorityHost?: string;
  audience?: string;
  armEndpoint?: string;
  /** Input names as the user spells them, for the error lines. */
  names: { clientId: string; tenantId: string };
}

/**
 * GitHub: OIDC with client-id + tenant-id (the runner's ID token exchanged at Entra), otherwise the Azure CLI login
 * that azure/login leaves behind.
 */
export function signInOnGitHub(settings: GitHubSignInSettings, http: HttpClient, platform: Platform): AzureSignIn {
  const armEndpoint = settings.armEndpoint ?? DEFAULT_ARM_ENDPOINT;
  if (settings.clientId || settings.tenantId) {
    if (!settings.clientId)
      throw new InputError(
        `Input '${settings.names.clientId}' is required with '${settings.names.tenantId}' (OIDC sign-in)`,
      );
    if (!settings.tenantId)
      throw new InputError(
        `Input '${settings.names.tenantId}' is required with '${settings.names.clientId}' (OIDC sign-in)`,
      );
    const credential = new ClientAssertionCredential(
      {
        clientId: settings.clientId,
        tenantId: settings.tenantId,
        authorityHost: settings.authorityHost,
        http,
        platform,
      },
      githubIdToken(http, platform, settings.audience ?? FEDERATION_AUDIENCE),
      'GitHub OIDC',
    );
    return { credential, armEndpoint, subscriptionId: () => undefined };
  }
  const cli = new AzureCliCredential(platform, settings.names);
  return { credential: cli, armEndpoint, subscriptionId: () => cli.subscriptionId };
}

/** The Azure inputs of a step (see ./inputs.ts), parsed. */
export interface StepAzureSettings {
  subscriptionId?: string;
  clientId?: string;
  tenantId?: string;
  authorityHost?: string;
  oidcAudience?: string;
  resourceManagerUrl?: string;
}

/**
 * Signs a step in to Azure the way its platform offers: the `azureSubscription` service connection on Azure DevOps,
 * GitHub OIDC or the Azure CLI login on GitHub. No token is fetched yet: the caller asks for the scope it needs (ARM,
 * or a data plane such as Key Vault's https://vault.azure.net/.default).
 */
export function signInToAzure(
  settings: Omit<StepAzureSettings, 'subscriptionId'>,
  names: { clientId: string; tenantId: string },
  http: HttpClient,
  platform: Platform,
): AzureSignIn {
  const connection = platform.getServiceConnection('azureSubscription');
  // On Azure DevOps the service connection is the only identity: the agent machine's own `az` login (or any other
  // ambient credential) belongs to whoever set the agent up, not to this pipeline.
  if (!connection && platform.kind === 'azure-devops') {
    throw new InputError(
      "Input required and not supplied: azureSubscription (an Azure Resource Manager service connection; this task never signs in with the agent machine's own Azure CLI login)",
    );
  }
  return connection
    ? signInWithConnection(connection, 'azureSubscription', http, platform)
    : signInOnGitHub(
        {
          clientId: settings.clientId,
          tenantId: settings.tenantId,
          authorityHost: settings.authorityHost,
          audience: settings.oidcAudience,
          armEndpoint: settings.resourceManagerUrl,
          names,
        },
        http,
        platform,
      );
}

/**
 * Signs a step in to ARM (signInToAzure). Fetches the first token (so a sign-in problem is the first error) and
 * settles the subscription: the input, else the one the sign-in brings.
 */
export async function connectArm(
  settings: StepAzureSettings,
  names: { subscriptionId: string; clientId: string; tenantId: string },
  http: HttpClient,
  platform: Platform,
  operationTimeoutMs: number,
  /** Injected by tests so Retry-After and operation polls do not really wait. */
  sleep?: (ms: number) => Promise<void>,
): Promise<{ arm: ArmClient; subscriptionId: string }> {
  const signIn = signInToAzure(settings, { clientId: names.clientId, tenantId: names.tenantId }, http, platform);
  const arm = new ArmClient(signIn.armEndpoint, signIn.credential, http, {
    tokenResource: signIn.tokenResource,
    operationTimeoutMs,
    ...(sleep ? { sleep } : {}),
  });
  await arm.authenticate();
  platform.info(`Signed in to Azure with ${signIn.credential.description}`);
  const subscription = settings.subscriptionId ?? signIn.subscriptionId();
  if (!subscription)
    throw new InputError(
      `Input required and not supplied: ${names.subscriptionId} (the sign-in names no subscription)`,
    );
  return { arm, subscriptionId: checkSubscription(subscription, names.subscriptionId) };
}
