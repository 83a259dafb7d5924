import { TOKEN_ADMIN_ROLE } from '../../azure/roles';
import { azureConnection, azureInputs } from '../../azure/inputs';
import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability } from '../../inputs/definition';

const registration = 'registerInHarbor = true';
const harbor = harborInputs({
  prefix: 'harbor-',
  groups: { main: 'harbor', tls: 'harbor' },
  account: 'Harbor administrator or system robot account (it creates registry endpoints).',
  visibleRule: registration,
});
const azure = azureInputs({ main: 'main', advanced: 'advanced' });

export const definition = defineCapability({
  id: 'acr-token',
  taskName: 'HarborAcrToken',
  friendlyName: 'ACR scoped token',
  shortDescription:
    'Create or rotate a scoped Azure Container Registry token with an expiring password; optionally register it in Harbor.',
  description:
    'Create or update an Azure Container Registry scope map and token, generate an expiring password as a secret output, and optionally register it in Harbor as a replication endpoint.',
  category: 'Deploy',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: 'aa437404-6be2-4097-9b4f-b98e376e926f',
  branding: { icon: 'lock', color: 'blue' },
  connections: [
    azureConnection(TOKEN_ADMIN_ROLE, { group: 'main' }),
    harborServiceConnection(
      'Harbor service connection (an administrator or a system robot account with registry permissions).',
      { required: false, visibleRule: registration, group: 'harbor' },
    ),
  ],
  groups: [
    ['main', 'Registry, scope map and token'],
    ['harbor', 'Harbor registration'],
    ['advanced', 'Advanced'],
  ],
  inputs: {
    ...azure,
    'resource-group': { ...azure['resource-group'], required: true },
    registry: { ...azure.registry, required: true },
    'scope-map': {
      name: 'scope-map',
      type: 'string',
      description:
        'Scope map name (5-50 letters, digits, - or _). Default: <token>-scope-map, as az acr token create names it.',
      group: 'main',
    },
    repositories: {
      name: 'repositories',
      type: 'lines',
      required: true,
      description:
        'One repository per line: `repo: action, action`. Actions: content/read, content/write, content/delete, metadata/read, metadata/write; `repo` alone grants content/read, content/write and metadata/read. `*` is a wildcard alone or as the whole last segment (`samples/*`); at most 500 repositories and 500 actions.',
      group: 'main',
    },
    token: {
      name: 'token',
      type: 'string',
      required: true,
      description: 'Token name (5-50 letters, digits or -); it is the registry username.',
      group: 'main',
    },
    'password-expiry': {
      name: 'password-expiry',
      type: 'string',
      default: '30d',
      description:
        'When a generated password expires: a duration from now (12h, 30d) or an ISO date (2026-12-31 or 2026-12-31T18:00:00Z); `never` for no expiry.',
      group: 'main',
    },
    'password-name': {
      name: 'password-name',
      type: 'choice',
      options: ['password1', 'password2'],
      default: 'password1',
      description:
        'Which of the two token passwords to generate. With register-in-harbor and an existing endpoint the step alternates on its own: it generates the slot Harbor is not using, so the running endpoint keeps working until it switches.',
      group: 'main',
    },
    rotate: {
      name: 'rotate',
      type: 'boolean',
      default: 'false',
      description:
        'Generate a new password even when the token exists and its password is still valid (the previous value of that password stops working).',
      group: 'main',
    },
    status: {
      name: 'status',
      type: 'choice',
      options: ['enabled', 'disabled'],
      default: 'enabled',
      description: 'Token status; disabled blocks every login with it.',
      group: 'main',
    },
    'register-in-harbor': {
      name: 'register-in-harbor',
      type: 'boolean',
      default: 'false',
      description:
        'Create or update a Harbor registry endpoint (type azure-acr) with the token credentials, ping-tested before it is saved.',
      group: 'harbor',
    },
    ...harbor,

    'harbor-registry-name': {
      name: 'harbor-registry-name',
      type: 'string',
      description: 'Name of the Harbor registry endpoint. Default: the login server (myregistry.azurecr.io).',
      visibleRule: registration,
      group: 'harbor',
    },
    'harbor-registry-url': {
      name: 'harbor-registry-url',
      type: 'url',
      description: 'URL Harbor uses to reach the registry. Default: https://<login server>.',
      visibleRule: registration,
      group: 'harbor',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '10m',
      description:
        'How long the step may take for all its Azure and Harbor calls, retries and long-running operations included.',
      group: 'advanced',
    },
  },
  outputs: [
    { name: 'username', description: 'Registry username (the token name).' },
    {
      name: 'password',
      description:
        'The generated password; set only when one was generated (new token, rotate, or the password was missing or expired).',
      secret: true,
    },
    {
      name: 'password-name',
      description:
        'The slot (password1 or password2) the password output belongs to; with register-in-harbor, the slot the Harbor endpoint now uses.',
    },
    { name: 'login-server', description: 'Registry login server, e.g. myregistry.azurecr.io.' },
    { name: 'expiry', description: "Expiry of the token's password (ISO 8601), empty when it never expires." },
    { name: 'scope-map-id', description: 'Resource id of the scope map.' },
    { name: 'token-id', description: 'Resource id of the token.' },
    { name: 'harbor-registry-id', description: 'Id of the Harbor registry endpoint (with register-in-harbor).' },
  ],
});
