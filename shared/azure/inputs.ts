import type { ConnectionSpec } from '../inputs/definition';

/**
 * The Azure inputs every ARM step takes, declared once so acr-token and acr-import spell, describe and parse them
 * alike. `main` holds the registry and sign-in inputs, `advanced` the sovereign-cloud knobs. resource-group and
 * registry are needed always: a step where Azure is optional checks them itself, the others mark them required.
 */
export function azureInputs<const Main extends string, const Advanced extends string>(groups: {
  main: Main;
  advanced: Advanced;
}) {
  return {
    'subscription-id': {
      name: 'subscription-id',
      type: 'string',
      description:
        "Subscription of the registry. Default: the service connection's subscription (Azure DevOps) or the Azure CLI's current one (GitHub; required with client-id).",
      group: groups.main,
    },
    'resource-group': {
      name: 'resource-group',
      type: 'string',
      description: 'Resource group of the registry.',
      group: groups.main,
    },
    registry: {
      name: 'registry',
      type: 'string',
      description: 'Registry name (myregistry, not myregistry.azurecr.io).',
      group: groups.main,
    },
    ...azureSignInInputs(groups),
    'resource-manager-url': {
      name: 'resource-manager-url',
      type: 'url',
      default: 'https://management.azure.com',
      description:
        'Azure Resource Manager endpoint (sovereign clouds: https://management.usgovcloudapi.net, https://management.chinacloudapi.cn). Azure DevOps takes it from the service connection.',
      platforms: ['github'],
      group: groups.advanced,
    },
  } as const;
}

/**
 * The GitHub sign-in inputs alone (OIDC as an app registration or user-assigned identity, else the Azure CLI login):
 * what a step that reaches an Azure data plane (Key Vault) but not ARM takes. On Azure DevOps the `azureSubscription`
 * service connection (azureConnection) is the sign-in.
 */
export function azureSignInInputs<const Main extends string, const Advanced extends string>(groups: {
  main: Main;
  advanced: Advanced;
}) {
  return {
    'client-id': {
      name: 'client-id',
      type: 'string',
      description:
        'Sign in with GitHub OIDC as this app registration or user-assigned identity (needs tenant-id and `permissions: id-token: write`). Empty: use the Azure CLI login (azure/login).',
      platforms: ['github'],
      group: groups.main,
    },
    'tenant-id': {
      name: 'tenant-id',
      type: 'string',
      description: 'Entra tenant of client-id.',
      platforms: ['github'],
      group: groups.main,
    },
    'authority-host': {
      name: 'authority-host',
      type: 'url',
      default: 'https://login.microsoftonline.com',
      description:
        'Entra authority host for the OIDC exchange (sovereign clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn).',
      platforms: ['github'],
      group: groups.advanced,
    },
    'oidc-audience': {
      name: 'oidc-audience',
      type: 'string',
      default: 'api://AzureADTokenExchange',
      description: 'Audience requested for the GitHub OIDC token; must match the federated credential.',
      platforms: ['github'],
      group: groups.advanced,
    },
  } as const;
}

/** The ADO AzureRM service connection input (`azureSubscription`), naming the role the step needs on the registry. */
export function azureConnection(
  role: string,
  options: Pick<ConnectionSpec, 'group' | 'required' | 'visibleRule'>,
): ConnectionSpec {
  return {
    input: 'azureSubscription',
    kind: 'azurerm',
    label: 'Azure subscription',
    description: `Azure Resource Manager service connection (service principal with a secret or certificate, workload identity federation, or the agent machine managed identity) with the ${role} role (or Contributor) on the registry.`,
    ...options,
  };
}
