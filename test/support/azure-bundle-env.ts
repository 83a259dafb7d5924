/**
 * What a bundle test hands a step to sign in to the Azure stand-ins (azure-world): the AzureRM service connection as
 * task-lib's endpoint variables carry it, and the GitHub OIDC inputs plus the runner's ID-token variables.
 */
import type { Endpoint } from './bundles';
import {
  APP_SECRET,
  CONNECTION_ID,
  FEDERATED_APP,
  SECRET_APP,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from './fake-arm/azure-world';

/** An AzureRM connection (client secret, or workload identity federation with the agent's OIDC token). */
export function armEndpoint(world: AzureWorld, scheme: 'ServicePrincipal' | 'WorkloadIdentityFederation'): Endpoint {
  return {
    url: `${world.arm.url}/`,
    scheme,
    parameters:
      scheme === 'ServicePrincipal'
        ? {
            serviceprincipalid: SECRET_APP,
            serviceprincipalkey: APP_SECRET,
            tenantid: TENANT,
            authenticationType: 'spnKey',
          }
        : {
            serviceprincipalid: FEDERATED_APP,
            tenantid: TENANT,
            workloadIdentityFederationSubject: `sc://contoso/app/${CONNECTION_ID}`,
          },
    data: {
      subscriptionId: SUBSCRIPTION,
      environmentAuthorityUrl: `${world.identity.url}/`,
      environment: 'AzureCloud',
    },
  };
}

/** GitHub: the Azure inputs of an OIDC sign-in at the stand-ins, and the ID-token variables the runner sets. */
export function githubOidc(world: AzureWorld): { inputs: Record<string, string>; env: Record<string, string> } {
  return {
    inputs: {
      'subscription-id': SUBSCRIPTION,
      'client-id': FEDERATED_APP,
      'tenant-id': TENANT,
      'authority-host': world.identity.url,
      'resource-manager-url': world.arm.url,
    },
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
    },
  };
}
