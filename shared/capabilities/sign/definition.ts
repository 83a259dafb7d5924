import { azureConnection, azureSignInInputs } from '../../azure/inputs';
import { harborInputs, harborServiceConnection } from '../../harbor/inputs';
import { defineCapability } from '../../inputs/definition';

const harbor = harborInputs({
  groups: { tls: 'advanced' },
  account:
    'Account that signs: a robot account with repository push and pull in the project is enough (see the docs). Empty for anonymous.',
});
// The pack's Azure sign-in (GitHub: OIDC or the Azure CLI login; Azure DevOps: the azureSubscription connection), here
// for a Key Vault key. Only the sign-in inputs: Key Vault is a data plane, no subscription or ARM endpoint is involved.
const azure = azureSignInInputs({ main: 'keyvault', advanced: 'keyvault' });
const COSIGN = 'signatureType = cosign';
const NOTATION = 'signatureType = notation';

export const definition = defineCapability({
  id: 'sign',
  taskName: 'HarborSign',
  friendlyName: 'Harbor: sign image (cosign or Notation)',
  shortDescription:
    'Sign an image in Harbor by digest (cosign or Notation), optionally attach an SBOM, and check Harbor lists the signature.',
  description:
    'Sign an image or chart in Harbor by digest with a cosign key pair (`cosign verify --key` accepts it) or a Notary Project (Notation) key and certificate, local or in Azure Key Vault (`notation verify` accepts it); optionally attach a CycloneDX or SPDX SBOM as an OCI referrer, and fail when Harbor does not list the signature as a signature.',
  category: 'Build',
  version: { major: 1, minor: 1, patch: 0 },
  taskId: 'ac9bf7a0-e1bb-45c8-a720-61f54c3a7a04',
  branding: { icon: 'check-circle', color: 'blue' },
  connections: [
    harborServiceConnection('Harbor URL and the account (user or robot account) that pushes the signature.', {
      group: 'main',
    }),
    {
      ...azureConnection('Key Vault Crypto User', { group: 'keyvault', required: false, visibleRule: NOTATION }),
      description:
        'Azure Resource Manager service connection (service principal with a secret or certificate, workload identity federation, or the agent machine managed identity) whose identity signs with the Key Vault key in keyVaultKeyId: it needs the get and sign key permissions on the key (RBAC role Key Vault Crypto User, or an access policy with Get and Sign). Only with keyVaultKeyId.',
    },
  ],
  groups: [
    ['main', 'Artifact'],
    ['key', 'Signing key'],
    ['keyvault', 'Notation key in Azure Key Vault'],
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
    'signature-type': {
      name: 'signature-type',
      type: 'choice',
      options: ['cosign', 'notation'],
      default: 'cosign',
      group: 'key',
      description:
        'Which signature to write, named as Harbor lists it (`signature.cosign`, `signature.notation`): `cosign` with cosign-key (verified by `cosign verify --key`), or `notation`, a Notary Project signature with notation-key or key-vault-key-id and notation-certificate-chain (verified by `notation verify`; the path Microsoft documents for ACR).',
    },
    'cosign-key': {
      name: 'cosign-key',
      type: 'multiline',
      group: 'key',
      visibleRule: COSIGN,
      description:
        'The cosign private key (ECDSA P-256) as PEM: unencrypted (`EC PRIVATE KEY` or `PRIVATE KEY`) or the encrypted file `cosign generate-key-pair` writes. Required with signature-type cosign. Pass it from a secret; every line is masked before use, and it never reaches a command line, a log or a file.',
    },
    'cosign-key-password': {
      name: 'cosign-key-password',
      type: 'secret',
      group: 'key',
      visibleRule: COSIGN,
      description: 'Password of an encrypted cosign key.',
    },
    layout: {
      name: 'layout',
      type: 'choice',
      options: ['auto', 'tag', 'referrer'],
      default: 'auto',
      group: 'main',
      visibleRule: COSIGN,
      description:
        "cosign only (a Notation signature is always an OCI 1.1 referrer). `tag` writes the signature under cosign's `sha256-<hex>.sig` tag, which plain `cosign verify` reads and Harbor lists as a signature from 2.5 on; `referrer` writes an OCI 1.1 referrer (`cosign verify --experimental-oci11`), which Harbor lists as a signature from 2.11 on. `auto` reads Harbor's version: the `.sig` tag, and from Harbor 2.11 a referrer when an immutable tag rule refuses the `.sig` tag (see the docs).",
    },
    'notation-key': {
      name: 'notation-key',
      type: 'multiline',
      group: 'key',
      visibleRule: NOTATION,
      description:
        "Notation's signing key as unencrypted PEM (`PRIVATE KEY`, `EC PRIVATE KEY` or `RSA PRIVATE KEY`: EC P-256/P-384/P-521 or RSA 2048/3072/4096, as `notation cert generate-test` makes). Give this or key-vault-key-id with signature-type notation. Pass it from a secret; every line is masked before use, and it never reaches a command line, a log or a file.",
    },
    'notation-certificate-chain': {
      name: 'notation-certificate-chain',
      type: 'multiline',
      group: 'key',
      visibleRule: NOTATION,
      description:
        "The signing certificate chain as PEM, leaf (the signing key's certificate) first and root last, or the path of such a file in the workspace. Required with signature-type notation. The leaf must be for the signing key (checked before anything is written); `notation verify` trusts the root through its trust store.",
    },
    // Named as notation's --signature-format and ADO's Notation@0 signatureFormat name it.
    'signature-format': {
      name: 'signature-format',
      type: 'choice',
      options: ['jws', 'cose'],
      default: 'jws',
      group: 'key',
      visibleRule: NOTATION,
      description:
        "The Notary Project signature envelope, as `notation sign --signature-format` names it: `jws` (JSON, `application/jose+json`; notation's default) or `cose` (CBOR COSE_Sign1, `application/cose`). `notation verify` and Harbor read both; choose `cose` when a verifier or policy asks for it. With signature-type notation only.",
    },
    // Named as notation's --expiry. A duration like the pack's other duration inputs (notation's Go durations in
    // h/m/s, plus d), in whole seconds as notation-go v1.3.2 notation.go validateSignArguments requires.
    'notation-expiry': {
      name: 'notation-expiry',
      type: 'duration',
      group: 'key',
      visibleRule: NOTATION,
      description:
        'How long the Notation signature is to be trusted, as `notation sign --expiry`: a duration from the signing time in whole seconds (e.g. `24h`, `30d`, `1h30m`), signed into the envelope as `io.cncf.notary.expiry`. `notation verify` with a strict trust policy refuses the signature from then on. Empty: no expiry. With an expiry every run writes a new signature (re-run to renew it). With signature-type notation only.',
    },
    // Named as notation's --timestamp-url and --timestamp-root-cert (cmd/notation/sign.go, v1.3.2), required together.
    'timestamp-url': {
      name: 'timestamp-url',
      type: 'url',
      group: 'key',
      visibleRule: NOTATION,
      description:
        "An RFC 3161 time-stamping authority (TSA) URL, as `notation sign --timestamp-url`: the TSA countersigns the Notation signature, so `notation verify` can accept it after the signing certificate expires. Needs timestamp-root-cert. The TSA's answer is checked (granted, for this signature, the request's nonce, signed by a time-stamping certificate that chains to timestamp-root-cert) before anything is written.",
    },
    'timestamp-root-cert': {
      name: 'timestamp-root-cert',
      type: 'multiline',
      group: 'key',
      visibleRule: NOTATION,
      description:
        "The TSA's root certificate as PEM (one self-signed certificate), or the path of such a file in the workspace, as `notation sign --timestamp-root-cert`. With timestamp-url.",
    },
    'key-vault-key-id': {
      name: 'key-vault-key-id',
      type: 'string',
      group: 'keyvault',
      visibleRule: NOTATION,
      description:
        "Sign with a key in Azure Key Vault instead of notation-key: the key's versioned identifier, `https://<vault>.vault.azure.net/keys/<name>/<version>` (`az keyvault key show --query key.kid`). Key Vault signs the digest (its sign operation); the private key never leaves the vault. Signs in with the pack's Azure sign-in; the identity needs the get and sign key permissions (Key Vault Crypto User).",
    },
    ...azure,
    'client-id': {
      ...azure['client-id'],
      description:
        'With key-vault-key-id: sign in to Azure with GitHub OIDC as this app registration or user-assigned identity (needs tenant-id and `permissions: id-token: write`). Empty: use the Azure CLI login (azure/login).',
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
        "Read the artifact's accessories back from Harbor's API and fail when Harbor does not list the signature as `signature.cosign` (or `signature.notation`). Set false for a plain OCI registry.",
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
