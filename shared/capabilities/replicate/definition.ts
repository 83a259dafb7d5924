import { IMPORT_ROLE } from '../../azure/acr';
import { azureConnection, azureInputs } from '../../azure/inputs';
import { REGISTRY_TYPES } from '../../harbor/registries';
import { defineCapability, harborConnection, type SettingsOf } from '../../inputs/definition';

/** ADO shows each mode's inputs only in that mode; the step refuses the other mode's inputs either way (see modes.ts). */
const POLICY = 'mode = policy';
const ACR_IMPORT = 'mode = acr-import';
const azure = azureInputs({ main: 'azure', advanced: 'azure' }, ACR_IMPORT);

// Policy booleans are true/false choices without a default: Azure DevOps fills an unset boolean input with "false",
// which would silently rewrite a policy the pipeline only meant to run.
const TRI_STATE = ['true', 'false'] as const;

export const definition = defineCapability({
  id: 'replicate',
  taskName: 'HarborReplicate',
  friendlyName: 'Harbor replicate',
  shortDescription:
    'Create and run a Harbor replication policy and report what it copied, or import images from Harbor into ACR.',
  description:
    'Ensure a Harbor registry endpoint and replication policy (push or pull; Harbor, ACR, Docker Hub, any registry), run it, wait for it and report every copied artifact; or import artifacts from Harbor into ACR with ARM importImage.',
  category: 'Deploy',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: '2b200fd3-a7a4-44ac-84cd-e3aee7acfc9b',
  branding: { icon: 'copy', color: 'blue' },
  connections: [
    {
      input: 'harborConnection',
      kind: 'harbor',
      label: 'Harbor service connection',
      description:
        'The Harbor that owns the policy (replication is a system-level API: an administrator or a system robot account), or the import source (acr-import: an account that can pull).',
      group: 'harbor',
    },
    azureConnection(IMPORT_ROLE, { group: 'azure', required: false, visibleRule: ACR_IMPORT }),
  ],
  groups: [
    ['harbor', 'Harbor'],
    ['endpoint', 'Registry endpoint'],
    ['policy', 'Replication policy'],
    ['import', 'ACR import'],
    ['azure', 'Azure'],
    ['run', 'Run'],
  ],
  inputs: {
    mode: {
      name: 'mode',
      type: 'choice',
      options: ['policy', 'acr-import'],
      default: 'policy',
      description:
        'policy: ensure and run a Harbor replication policy. acr-import: ACR pulls the selected artifacts from Harbor itself (ARM importImage, as `az acr import`); no policy, endpoint or Harbor job is involved.',
    },
    'harbor-url': {
      name: 'harbor-url',
      type: 'url',
      required: true,
      description: 'Harbor URL, e.g. https://harbor.example.com.',
      group: 'harbor',
      connection: harborConnection('url'),
    },
    username: {
      name: 'username',
      type: 'string',
      required: true,
      description:
        'Harbor administrator or system robot account (robot$name); project robot accounts cannot use replication. acr-import: any account that can pull the artifacts (ACR logs in to Harbor with it).',
      group: 'harbor',
      connection: harborConnection('username'),
    },
    password: {
      name: 'password',
      type: 'secret',
      required: true,
      description: 'Password or robot secret.',
      group: 'harbor',
      connection: harborConnection('password'),
    },
    insecure: {
      name: 'insecure',
      type: 'boolean',
      default: 'false',
      description: 'Skip TLS verification of Harbor (prefer ca-file).',
      group: 'harbor',
      connection: harborConnection('insecure'),
    },
    'ca-file': {
      name: 'ca-file',
      type: 'path',
      description:
        "PEM file of the CA that signed Harbor's certificate (for this step's calls; ACR itself needs a publicly trusted one).",
      group: 'harbor',
    },

    'registry-name': {
      name: 'registry-name',
      type: 'string',
      description:
        'Registry endpoint name in Harbor. With registry-url the endpoint is created or updated; without it an existing endpoint of that name is used.',
      group: 'endpoint',
      visibleRule: POLICY,
    },
    'registry-type': {
      name: 'registry-type',
      type: 'choice',
      options: REGISTRY_TYPES,
      description:
        "Harbor's provider for the endpoint (needed with registry-url); azure-acr for ACR, docker-hub for Docker Hub.",
      group: 'endpoint',
      visibleRule: POLICY,
    },
    'registry-url': {
      name: 'registry-url',
      type: 'url',
      description:
        'Endpoint URL, e.g. https://myregistry.azurecr.io or https://hub.docker.com. Pinged through Harbor before anything is saved.',
      group: 'endpoint',
      visibleRule: POLICY,
    },
    'registry-username': {
      name: 'registry-username',
      type: 'string',
      description: 'Endpoint user (an ACR token name, a Harbor robot account, a Docker Hub user).',
      group: 'endpoint',
      visibleRule: POLICY,
    },
    'registry-password': {
      name: 'registry-password',
      type: 'secret',
      description:
        'Endpoint password or token. Harbor never reveals the stored one, so a given password is always written.',
      group: 'endpoint',
      visibleRule: POLICY,
    },
    'registry-insecure': {
      name: 'registry-insecure',
      type: 'boolean',
      default: 'false',
      description: 'Let Harbor skip TLS verification of the endpoint (only used with registry-url).',
      group: 'endpoint',
      visibleRule: POLICY,
    },

    'policy-name': {
      name: 'policy-name',
      type: 'string',
      description:
        'Replication policy name (required in policy mode). Given alone, the existing policy is run as it is; with any policy field it is created or updated.',
      group: 'policy',
      visibleRule: POLICY,
    },
    direction: {
      name: 'direction',
      type: 'choice',
      options: ['push', 'pull'],
      description: 'push: this Harbor → the endpoint; pull: the endpoint → this Harbor. Needed to create a policy.',
      group: 'policy',
      visibleRule: POLICY,
    },
    'name-filter': {
      name: 'name-filter',
      type: 'string',
      description:
        'Repository filter (doublestar: `*` within a path segment, `**` across, `{a,b}`), e.g. `library/**`. Docker Hub official images are `library/<name>`. acr-import: selects Harbor repositories (project/repo) to import.',
      group: 'policy',
    },
    'tag-filter': {
      name: 'tag-filter',
      type: 'string',
      description:
        'Tag filter, e.g. `v*` or `{latest,stable}`. acr-import: selects the tags to import (untagged artifacts are never imported).',
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
      visibleRule: POLICY,
    },
    'resource-filter': {
      name: 'resource-filter',
      type: 'choice',
      options: ['image', 'artifact'],
      description: 'Replicate only images, or every artifact (images, Helm charts, signatures, SBOMs).',
      group: 'policy',
      visibleRule: POLICY,
    },
    'dest-namespace': {
      name: 'dest-namespace',
      type: 'string',
      description: 'Destination namespace (project); empty keeps the source path.',
      group: 'policy',
      visibleRule: POLICY,
    },
    flattening: {
      name: 'flattening',
      type: 'choice',
      options: ['all', 'none', '1', '2', '3'],
      description:
        'How many leading path components dest-namespace replaces: all (a/b/c → ns/c), none (ns/a/b/c), 1 (ns/b/c), 2, 3.',
      group: 'policy',
      visibleRule: POLICY,
    },
    trigger: {
      name: 'trigger',
      type: 'choice',
      options: ['manual', 'scheduled', 'event_based'],
      description:
        'When Harbor runs the policy by itself: never (manual), on a cron schedule, or on every push (push policies only).',
      group: 'policy',
      visibleRule: POLICY,
    },
    cron: {
      name: 'cron',
      type: 'string',
      description:
        "Schedule for trigger scheduled, in Harbor's 6-field form with seconds first and 0 seconds, e.g. `0 0 2 * * *` (02:00 daily, UTC).",
      group: 'policy',
      visibleRule: `${POLICY} && trigger = scheduled`,
    },
    override: {
      name: 'override',
      type: 'choice',
      options: TRI_STATE,
      description:
        'Overwrite artifacts that already exist at the destination with the same name (Harbor default on creation: true).',
      group: 'policy',
      visibleRule: POLICY,
    },
    speed: {
      name: 'speed',
      type: 'integer',
      min: -1,
      description: 'Bandwidth limit per task in KB/s; 0 or -1 for unlimited (Harbor stores both as 0).',
      group: 'policy',
      visibleRule: POLICY,
    },
    'copy-by-chunk': {
      name: 'copy-by-chunk',
      type: 'choice',
      options: TRI_STATE,
      description: 'Copy blobs in chunks (for registries that limit the request size).',
      group: 'policy',
      visibleRule: POLICY,
    },
    deletion: {
      name: 'deletion',
      type: 'choice',
      options: TRI_STATE,
      description: 'Also replicate deletions of artifacts.',
      group: 'policy',
      visibleRule: POLICY,
    },
    enabled: {
      name: 'enabled',
      type: 'choice',
      options: TRI_STATE,
      description:
        'Whether the policy is enabled (Harbor default on creation: true). Harbor cannot run a disabled policy, so set run to false with it.',
      group: 'policy',
      visibleRule: POLICY,
    },

    images: {
      name: 'images',
      type: 'lines',
      description:
        'acr-import: the artifacts to import, one `project/repo:tag` (or `project/repo@sha256:…`) per line, instead of name-filter/tag-filter. Each is looked up in Harbor before anything is imported.',
      group: 'import',
      visibleRule: ACR_IMPORT,
    },
    'target-repository-prefix': {
      name: 'target-repository-prefix',
      type: 'string',
      description:
        'acr-import: path put in front of the Harbor repository in ACR, e.g. `mirror` imports `shop/web:1.0` as `mirror/shop/web:1.0`. Empty keeps the Harbor path.',
      group: 'import',
      visibleRule: ACR_IMPORT,
    },
    'import-mode': {
      name: 'import-mode',
      type: 'choice',
      options: ['NoForce', 'Force'],
      default: 'NoForce',
      description:
        'acr-import: NoForce leaves existing tags alone (a tag already on the same digest is reported as skipped, one on another digest fails the import); Force overwrites them.',
      group: 'import',
      visibleRule: ACR_IMPORT,
    },
    'parallel-imports': {
      name: 'parallel-imports',
      type: 'integer',
      default: '4',
      min: 1,
      max: 32,
      description: 'acr-import: how many imports run at the same time.',
      group: 'import',
      visibleRule: ACR_IMPORT,
    },
    ...azure,

    run: {
      name: 'run',
      type: 'boolean',
      default: 'true',
      description:
        'Start an execution of the policy now. acr-import: false lists what would be imported and imports nothing.',
      group: 'run',
    },
    wait: {
      name: 'wait',
      type: 'boolean',
      default: 'true',
      description: 'Wait for the execution to finish and fail the step when a task fails.',
      group: 'run',
      visibleRule: POLICY,
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '30m',
      description:
        'How long the step may spend on Harbor, every request and retry and the wait for the execution included, e.g. 90s, 30m, 2h. acr-import: also how long each import may take.',
      group: 'run',
    },
    'stop-on-timeout': {
      name: 'stop-on-timeout',
      type: 'boolean',
      default: 'false',
      description: 'Stop the execution in Harbor when the timeout is reached (otherwise it goes on there).',
      group: 'run',
      visibleRule: POLICY,
    },
  },
  outputs: [
    { name: 'registry-id', description: 'Id of the registry endpoint the policy uses.' },
    { name: 'policy-id', description: 'Id of the replication policy.' },
    { name: 'execution-id', description: 'Id of the execution started by this step.' },
    {
      name: 'total',
      description: 'Number of replication tasks in the execution (acr-import: of imports, one per artifact).',
    },
    { name: 'succeeded', description: 'Number of tasks (imports) that succeeded.' },
    {
      name: 'skipped',
      description:
        'acr-import: imports skipped because every target tag already held the same digest (a re-run under NoForce).',
    },
    {
      name: 'failed',
      description:
        'Number of tasks that failed (acr-import: imports that did not succeed: failed, timed out, or not started after a fatal error).',
    },
    { name: 'login-server', description: 'acr-import: login server of the registry, e.g. myregistry.azurecr.io.' },
    {
      name: 'imported',
      description: 'acr-import: JSON array of the images imported by this run, as login-server/repository:tag.',
    },
  ],
});

export type Settings = SettingsOf<typeof definition.inputs>;
