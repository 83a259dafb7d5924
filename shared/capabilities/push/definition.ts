import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability } from '../../inputs/definition';

const harbor = harborInputs({
  groups: { tls: 'advanced' },
  account:
    'Account that pushes (needs push access to the project; creating it needs a user allowed to create projects). Empty for anonymous.',
});

export const definition = defineCapability({
  id: 'push',
  taskName: 'HarborPush',
  friendlyName: 'Harbor: push image or chart',
  shortDescription:
    'Push an image (OCI layout, docker archive, local image) or a Helm chart to Harbor without a Docker daemon.',
  description:
    'Push an OCI image layout, a docker save archive, a local Docker image or a Helm chart to Harbor (or any OCI registry) without a Docker daemon, and output the pushed digest.',
  category: 'Build',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: 'edb7ae9c-fd50-4779-af3b-d349e9f01d19',
  branding: { icon: 'upload-cloud', color: 'blue' },
  connections: [
    harborServiceConnection('Harbor URL and the account (user or robot account) that pushes.', { group: 'main' }),
  ],
  groups: [
    ['main', 'Image'],
    ['project', 'Harbor project'],
    ['advanced', 'Advanced'],
  ],
  inputs: {
    ...harbor,
    'harbor-url': {
      ...harbor['harbor-url'],
      required: true,
      description: 'Harbor (or registry) URL, e.g. `https://harbor.example.com`; `http://` only for local registries.',
    },
    source: {
      name: 'source',
      type: 'string',
      required: true,
      group: 'main',
      description:
        'What to push: `oci:<dir>[:<ref>]` (OCI image layout, multi-arch indexes pushed whole), `docker-archive:<file>[:<image>]` (`docker save` output), `docker:<image>` (local Docker daemon) or `chart:<file.tgz>` (packaged Helm chart). Paths are relative to the workspace.',
    },
    project: {
      name: 'project',
      type: 'string',
      group: 'main',
      description:
        'Harbor project (the first part of the repository path). Empty only for a plain registry with `create-project: false`.',
    },
    repository: {
      name: 'repository',
      type: 'string',
      group: 'main',
      description: 'Repository inside the project, e.g. `web/api`. For charts it defaults to the chart name.',
    },
    tags: {
      name: 'tags',
      type: 'list',
      group: 'main',
      description:
        'Tags, newline- or comma-separated; the first is the primary one. Default `latest`; for charts, the chart version (as `helm push` does).',
    },
    'create-project': {
      name: 'create-project',
      type: 'boolean',
      default: 'true',
      group: 'project',
      description:
        'Create the Harbor project through the Harbor API when it does not exist. Set false for a plain OCI registry.',
    },
    'project-public': {
      name: 'project-public',
      type: 'boolean',
      default: 'false',
      group: 'project',
      description: 'Make a project this step creates public (anonymous pull). An existing project is never changed.',
    },
    compression: {
      name: 'compression',
      type: 'choice',
      options: ['auto', 'gzip', 'none'],
      default: 'auto',
      group: 'advanced',
      description:
        '`auto` gzips the uncompressed layers of `docker-archive:`/`docker:` sources while uploading and pushes OCI layouts byte for byte (same digest as built); `gzip` gzips uncompressed layers of every source; `none` pushes layers as they are.',
    },
    'mount-from': {
      name: 'mount-from',
      type: 'list',
      group: 'advanced',
      description:
        'Repositories of the same registry (e.g. `library/base`) to mount missing layers from instead of uploading them; the account needs pull access there.',
    },
    concurrency: {
      name: 'concurrency',
      type: 'integer',
      default: '4',
      min: 1,
      max: 16,
      group: 'advanced',
      description: 'Layers transferred at the same time.',
    },
    'chunk-size': {
      name: 'chunk-size',
      type: 'size',
      default: '64MiB',
      group: 'advanced',
      description:
        'Layers larger than this are uploaded in chunks of this size; a failed chunk is resumed where the registry stopped.',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '30m',
      group: 'advanced',
      description:
        "The step's whole time for its remote work: every registry and Harbor request, upload and retry wait fits inside it, and the step fails with one line when it runs out. A single request that stays silent for a minute (or the whole timeout, if shorter) is retried.",
    },
  },
  outputs: [
    { name: 'digest', description: 'Digest of the pushed manifest (or image index for multi-arch images).' },
    {
      name: 'images',
      description:
        'Full references pushed, one per line: `host/project/repo:tag` for every tag, then `host/project/repo@digest`.',
    },
    { name: 'size', description: 'Total bytes of the pushed image: manifests, configs and layers.' },
  ],
});
