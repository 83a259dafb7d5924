import { REGISTRY_TYPES } from '../../harbor/registries';
import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability, type SettingsOf } from '../../inputs/definition';

const harbor = harborInputs({
  groups: { main: 'harbor', tls: 'harbor' },
  required: true,
  account: 'Harbor administrator or system robot account (robot$name); project robot accounts cannot use replication.',
});

// Policy booleans are true/false choices without a default: Azure DevOps fills an unset boolean input with "false",
// which would silently rewrite a policy the pipeline only meant to run.
const TRI_STATE = ['true', 'false'] as const;

export const definition = defineCapability({
  id: 'replicate',
  taskName: 'HarborReplicate',
  friendlyName: 'Harbor replicate',
  shortDescription: 'Create and run a Harbor replication policy, wait for it and report what it copied.',
  description:
    'Ensure a Harbor registry endpoint and replication policy (push or pull; Harbor, ACR, Docker Hub, any registry), run it, wait for it and report every copied artifact. To have ACR pull images from Harbor without a policy, use the acr-import step (HarborAcrImport).',
  category: 'Deploy',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: '2b200fd3-a7a4-44ac-84cd-e3aee7acfc9b',
  branding: { icon: 'copy', color: 'blue' },
  connections: [
    harborServiceConnection(
      'The Harbor that owns the policy (replication is a system-level API: an administrator or a system robot account).',
      { group: 'harbor' },
    ),
  ],
  groups: [
    ['harbor', 'Harbor'],
    ['endpoint', 'Registry endpoint'],
    ['policy', 'Replication policy'],
    ['run', 'Run'],
  ],
  inputs: {
    ...harbor,

    'registry-name': {
      name: 'registry-name',
      type: 'string',
      description:
        'Registry endpoint name in Harbor. With registry-url the endpoint is created or updated; without it an existing endpoint of that name is used.',
      group: 'endpoint',
    },
    'registry-type': {
      name: 'registry-type',
      type: 'choice',
      options: REGISTRY_TYPES,
      description:
        "Harbor's provider for the endpoint (needed with registry-url); azure-acr for ACR, docker-hub for Docker Hub.",
      group: 'endpoint',
    },
    'registry-url': {
      name: 'registry-url',
      type: 'url',
      description:
        'Endpoint URL, e.g. https://myregistry.azurecr.io or https://hub.docker.com. Pinged through Harbor before anything is saved.',
      group: 'endpoint',
    },
    'registry-username': {
      name: 'registry-username',
      type: 'string',
      description: 'Endpoint user (an ACR token name, a Harbor robot account, a Docker Hub user).',
      group: 'endpoint',
    },
    'registry-password': {
      name: 'registry-password',
      type: 'secret',
      description:
        'Endpoint password or token. Harbor never reveals the stored one, so a given password is always written.',
      group: 'endpoint',
    },
    'destination-username': {
      name: 'destination-username',
      type: 'string',
      description:
        'Account this step reads the destination with for the destination check (pull is enough), e.g. an ACR token with content/read or a Harbor robot with pull. Default: registry-username, when registry-password is given.',
      group: 'endpoint',
    },
    'destination-password': {
      name: 'destination-password',
      type: 'secret',
      description: 'Password or token of destination-username. Default: registry-password.',
      group: 'endpoint',
    },
    'registry-insecure': {
      name: 'registry-insecure',
      type: 'boolean',
      default: 'false',
      description: 'Let Harbor skip TLS verification of the endpoint (only used with registry-url).',
      group: 'endpoint',
    },

    'policy-name': {
      name: 'policy-name',
      type: 'string',
      required: true,
      description:
        'Replication policy name. Given alone, the existing policy is run as it is; with any policy field it is created or updated.',
      group: 'policy',
    },
    direction: {
      name: 'direction',
      type: 'choice',
      options: ['push', 'pull'],
      description: 'push: this Harbor → the endpoint; pull: the endpoint → this Harbor. Needed to create a policy.',
      group: 'policy',
    },
    'name-filter': {
      name: 'name-filter',
      type: 'string',
      description:
        'Repository filter (doublestar: `*` within a path segment, `**` across, `{a,b}`), e.g. `library/**`. Docker Hub official images are `library/<name>`.',
      group: 'policy',
    },
    'tag-filter': {
      name: 'tag-filter',
      type: 'string',
      description: 'Tag filter, e.g. `v*` or `{latest,stable}`.',
      group: 'policy',
    },
    'tag-match': {
      name: 'tag-match',
      type: 'choice',
      options: ['matches', 'excludes'],
      description: 'Whether tag-filter selects the matching tags or all the others.',
      group: 'policy',
    },
    'label-filter': {
      name: 'label-filter',
      type: 'list',
      description: 'Harbor labels an artifact must carry (comma or newline separated).',
      group: 'policy',
    },
    'resource-filter': {
      name: 'resource-filter',
      type: 'choice',
      options: ['image', 'artifact'],
      description: 'Replicate only images, or every artifact (images, Helm charts, signatures, SBOMs).',
      group: 'policy',
    },
    'dest-namespace': {
      name: 'dest-namespace',
      type: 'string',
      description: 'Destination namespace (project); empty keeps the source path.',
      group: 'policy',
    },
    flattening: {
      name: 'flattening',
      type: 'choice',
      options: ['all', 'none', '1', '2', '3'],
      description:
        'How many leading path components dest-namespace replaces: all (a/b/c → ns/c), none (ns/a/b/c), 1 (ns/b/c), 2, 3.',
      group: 'policy',
    },
    trigger: {
      name: 'trigger',
      type: 'choice',
      options: ['manual', 'scheduled', 'event_based'],
      description:
        'When Harbor runs the policy by itself: never (manual), on a cron schedule, or on every push (push policies only).',
      group: 'policy',
    },
    cron: {
      name: 'cron',
      type: 'string',
      description:
        "Schedule for trigger scheduled, in Harbor's 6-field form with seconds first and 0 seconds, e.g. `0 0 2 * * *` (02:00 daily, UTC).",
      group: 'policy',
      visibleRule: 'trigger = scheduled',
    },
    override: {
      name: 'override',
      type: 'choice',
      options: TRI_STATE,
      description:
        'Overwrite artifacts that already exist at the destination with the same name (Harbor default on creation: true).',
      group: 'policy',
    },
    speed: {
      name: 'speed',
      type: 'integer',
      min: -1,
      description: 'Bandwidth limit per task in KB/s; 0 or -1 for unlimited (Harbor stores both as 0).',
      group: 'policy',
    },
    'copy-by-chunk': {
      name: 'copy-by-chunk',
      type: 'choice',
      options: TRI_STATE,
      description: 'Copy blobs in chunks (for registries that limit the request size).',
      group: 'policy',
    },
    deletion: {
      name: 'deletion',
      type: 'choice',
      options: TRI_STATE,
      description: 'Also replicate deletions of artifacts.',
      group: 'policy',
    },
    enabled: {
      name: 'enabled',
      type: 'choice',
      options: TRI_STATE,
      description:
        'Whether the policy is enabled (Harbor default on creation: true). Harbor cannot run a disabled policy, so set run to false with it.',
      group: 'policy',
    },

    run: {
      name: 'run',
      type: 'boolean',
      default: 'true',
      description: 'Start an execution of the policy now; false only ensures the endpoint and the policy.',
      group: 'run',
    },
    wait: {
      name: 'wait',
      type: 'boolean',
      default: 'true',
      description: 'Wait for the execution to finish and fail the step when a task fails.',
      group: 'run',
    },
    'destination-check': {
      name: 'destination-check',
      type: 'boolean',
      default: 'true',
      description:
        "After a push policy's run succeeded, read back from the destination, with the destination's own credentials (destination-username/-password, else registry-username/-password), every tag the policy's tag filter keeps in each replicated repository, each index's children, and every signature, SBOM and cosign tag attached in Harbor; fail listing what is missing. Without credentials for the destination the check is skipped with a note.",
      group: 'run',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '30m',
      description:
        'How long the step may spend on Harbor, every request and retry and the wait for the execution included, e.g. 90s, 30m, 2h.',
      group: 'run',
    },
    'stop-on-timeout': {
      name: 'stop-on-timeout',
      type: 'boolean',
      default: 'false',
      description: 'Stop the execution in Harbor when the timeout is reached (otherwise it goes on there).',
      group: 'run',
    },
  },
  outputs: [
    { name: 'registry-id', description: 'Id of the registry endpoint the policy uses.' },
    { name: 'policy-id', description: 'Id of the replication policy.' },
    { name: 'execution-id', description: 'Id of the execution started by this step.' },
    { name: 'total', description: 'Number of replication tasks in the execution.' },
    { name: 'succeeded', description: 'Number of tasks that succeeded.' },
    { name: 'failed', description: 'Number of tasks that failed.' },
  ],
});

export type Settings = SettingsOf<typeof definition.inputs>;
