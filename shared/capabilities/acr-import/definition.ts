import { IMPORT_ROLE } from '../../azure/roles';
import { azureConnection, azureInputs } from '../../azure/inputs';
import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability, type SettingsOf } from '../../inputs/definition';

const harbor = harborInputs({
  groups: { main: 'harbor', tls: 'harbor' },
  required: true,
  account:
    'Harbor account that can pull the artifacts (a project robot account is enough); ACR logs in to Harbor with it.',
});
const azure = azureInputs({ main: 'azure', advanced: 'azure' });

export const definition = defineCapability({
  id: 'acr-import',
  taskName: 'HarborAcrImport',
  friendlyName: 'ACR import from Harbor',
  shortDescription:
    'Let Azure Container Registry import images and charts from Harbor itself (ARM importImage, as az acr import).',
  description:
    'Select artifacts in Harbor (a list or name/tag filters) and let Azure Container Registry pull each of them itself with ARM importImage, as `az acr import` does: no image bytes pass through the agent and Harbor needs no endpoint, policy or job. Reports every import and skips tags that already hold the same image.',
  category: 'Deploy',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: '2cd8b5ab-d3af-42c2-9aeb-804f903cfe8d',
  branding: { icon: 'download-cloud', color: 'blue' },
  connections: [
    harborServiceConnection(
      'The Harbor to import from, with an account that can pull the artifacts: this step reads them with it, and ACR logs in to Harbor with it.',
      { group: 'harbor' },
    ),
    azureConnection(IMPORT_ROLE, { group: 'azure' }),
  ],
  groups: [
    ['harbor', 'Harbor (source)'],
    ['import', 'What to import'],
    ['azure', 'Azure Container Registry'],
    ['run', 'Run'],
  ],
  inputs: {
    ...harbor,
    'harbor-url': {
      ...harbor['harbor-url'],
      description:
        'Harbor URL, e.g. https://harbor.example.com. ACR pulls over HTTPS from the same host, so Azure must reach it.',
    },
    insecure: {
      ...harbor.insecure,
      description:
        "Skip TLS verification of Harbor for this step's calls (prefer ca-file). ACR itself always verifies Harbor's certificate.",
    },
    'ca-file': {
      ...harbor['ca-file'],
      description:
        "PEM file of the CA that signed Harbor's certificate (for this step's calls; ACR itself needs a publicly trusted one).",
    },

    images: {
      name: 'images',
      type: 'lines',
      description:
        'The artifacts to import, one `project/repo:tag` (or `project/repo@sha256:…`) per line, instead of name-filter/tag-filter. Each is looked up in Harbor before anything is imported.',
      group: 'import',
    },
    'name-filter': {
      name: 'name-filter',
      type: 'string',
      description:
        'Harbor repositories (project/repo) to import, with the filter syntax of a Harbor replication policy (doublestar: `*` within a path segment, `**` across, `{a,b}`), e.g. `shop/**`. Instead of images.',
      group: 'import',
    },
    'tag-filter': {
      name: 'tag-filter',
      type: 'string',
      description:
        'With name-filter: the tags to import, e.g. `v*` or `{latest,stable}`. Untagged artifacts are never imported by filter.',
      group: 'import',
    },
    'tag-match': {
      name: 'tag-match',
      type: 'choice',
      options: ['matches', 'excludes'],
      description: 'Whether tag-filter selects the matching tags or all the others.',
      group: 'import',
    },
    'target-repository-prefix': {
      name: 'target-repository-prefix',
      type: 'string',
      description:
        'Path put in front of the Harbor repository in ACR, e.g. `mirror` imports `shop/web:1.0` as `mirror/shop/web:1.0`. Empty keeps the Harbor path.',
      group: 'import',
    },
    'import-mode': {
      name: 'import-mode',
      type: 'choice',
      options: ['NoForce', 'Force'],
      default: 'NoForce',
      description:
        'NoForce leaves existing tags alone (a tag already on the same digest is reported as skipped, one on another digest fails the import); Force overwrites them.',
      group: 'import',
    },
    'include-referrers': {
      name: 'include-referrers',
      type: 'boolean',
      default: 'true',
      description:
        "Also import what is attached to each artifact in Harbor, by digest: its OCI referrers (Notation and cosign signatures, SBOMs, attestations; Harbor's referrers API) and cosign's `sha256-<digest>.sig`/`.att`/`.sbom` tags, for an index's children too, and what is attached to those (a signature of an SBOM). ACR's own import copies the image only. cosign tags always overwrite ACR's (cosign rewrites the tag whenever a signature is added).",
      group: 'import',
    },
    'destination-check': {
      name: 'destination-check',
      type: 'boolean',
      default: 'true',
      description:
        "After the imports, read every manifest they should have left in ACR back from ACR with the step's own Azure sign-in: each artifact, an index's children, and everything attached to it in Harbor (signatures, SBOMs, cosign tags). The step fails listing what is missing. With include-referrers false, attached manifests ACR lacks fail the check too; set this to false to accept that.",
      group: 'import',
    },
    'parallel-imports': {
      name: 'parallel-imports',
      type: 'integer',
      default: '4',
      min: 1,
      max: 32,
      description: 'How many imports run at the same time.',
      group: 'import',
    },

    ...azure,
    'resource-group': { ...azure['resource-group'], required: true },
    registry: { ...azure.registry, required: true },

    run: {
      name: 'run',
      type: 'boolean',
      default: 'true',
      description:
        'Import now. false resolves the selection in Harbor and the registry in Azure, lists what would be imported, and imports nothing.',
      group: 'run',
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '30m',
      description:
        "The step's whole time for its remote work: selecting the artifacts in Harbor, signing in to Azure, and every import with its polling (an import still running when it ends is reported as timed out and may still complete in Azure; none starts after it), e.g. 90s, 30m, 2h.",
      group: 'run',
    },
  },
  outputs: [
    { name: 'total', description: 'Number of imports: one per artifact and one per attached referrer.' },
    { name: 'succeeded', description: 'Number of imports that succeeded.' },
    {
      name: 'skipped',
      description: 'Imports skipped because every target tag already held the same digest (a re-run under NoForce).',
    },
    {
      name: 'failed',
      description: 'Imports that did not succeed: failed, timed out, or not started after a fatal error.',
    },
    { name: 'login-server', description: 'Login server of the registry, e.g. myregistry.azurecr.io.' },
    {
      name: 'imported',
      description: 'JSON array of the images imported by this run, as login-server/repository:tag.',
    },
  ],
});

export type Settings = SettingsOf<typeof definition.inputs>;
