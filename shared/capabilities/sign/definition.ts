import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability } from '../../inputs/definition';

const harbor = harborInputs({
  groups: { tls: 'advanced' },
  account:
    'Account that signs: a robot account with repository push and pull in the project is enough (see the docs). Empty for anonymous.',
});

export const definition = defineCapability({
  id: 'sign',
  taskName: 'HarborSign',
  friendlyName: 'Harbor: sign image (cosign)',
  shortDescription:
    'Sign an image in Harbor by digest with a cosign key, optionally attach an SBOM, and check Harbor lists the signature.',
  description:
    'Sign an image or chart in Harbor by digest with a cosign key pair (signatures that `cosign verify --key` accepts), optionally attach a CycloneDX or SPDX SBOM as an OCI referrer, and fail when Harbor does not list the signature as a signature.',
  category: 'Build',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: 'ac9bf7a0-e1bb-45c8-a720-61f54c3a7a04',
  branding: { icon: 'check-circle', color: 'blue' },
  connections: [
    harborServiceConnection('Harbor URL and the account (user or robot account) that pushes the signature.', {
      group: 'main',
    }),
  ],
  groups: [
    ['main', 'Artifact'],
    ['key', 'Signing key'],
    ['advanced', 'Advanced'],
  ],
  inputs: {
    ...harbor,
    'harbor-url': { ...harbor['harbor-url'], required: true },
    repository: {
      name: 'repository',
      type: 'string',
      required: true,
      group: 'main',
      description: 'Repository with its project, e.g. `library/web`.',
    },
    reference: {
      name: 'reference',
      type: 'string',
      required: true,
      group: 'main',
      description:
        'Tag or digest (`sha256:…`) of the artifact. A tag is resolved to its digest first, and the digest is what gets signed (e.g. the `digest` output of the push step).',
    },
    'cosign-key': {
      name: 'cosign-key',
      type: 'multiline',
      required: true,
      group: 'key',
      description:
        'The cosign private key (ECDSA P-256) as PEM: unencrypted (`EC PRIVATE KEY` or `PRIVATE KEY`) or the encrypted file `cosign generate-key-pair` writes. Pass it from a secret; every line is masked before use, and it never reaches a command line, a log or a file.',
    },
    'cosign-key-password': {
      name: 'cosign-key-password',
      type: 'secret',
      group: 'key',
      description: 'Password of an encrypted cosign key.',
    },
    layout: {
      name: 'layout',
      type: 'choice',
      options: ['auto', 'tag', 'referrer'],
      default: 'auto',
      group: 'main',
      description:
        "`tag` writes the signature under cosign's `sha256-<hex>.sig` tag, which plain `cosign verify` reads and Harbor lists as a signature from 2.5 on; `referrer` writes an OCI 1.1 referrer (`cosign verify --experimental-oci11`), which Harbor lists as a signature from 2.11 on. `auto` reads Harbor's version: the `.sig` tag, and from Harbor 2.11 a referrer when an immutable tag rule refuses the `.sig` tag (see the docs).",
    },
    sbom: {
      name: 'sbom',
      type: 'path',
      group: 'main',
      description:
        'A CycloneDX or SPDX JSON file (e.g. from trivy or syft) to attach to the artifact as an OCI referrer; relative to the workspace.',
    },
    'verify-in-harbor': {
      name: 'verify-in-harbor',
      type: 'boolean',
      default: 'true',
      group: 'advanced',
      description:
        "Read the artifact's accessories back from Harbor's API and fail when Harbor does not list the signature as `signature.cosign`. Set false for a plain OCI registry.",
    },
    timeout: {
      name: 'timeout',
      type: 'duration',
      default: '10m',
      group: 'advanced',
      description: "The step's whole time for its registry and Harbor requests, retries included.",
    },
  },
  outputs: [
    { name: 'digest', description: 'Digest of the signed manifest.' },
    { name: 'signature-digest', description: 'Digest of the manifest that holds the signature.' },
    { name: 'sbom-digest', description: 'Digest of the SBOM referrer (with `sbom`).' },
  ],
});
