import { basename } from 'node:path';
import { InputError } from '../errors';
import {
  buildArtifact,
  EMPTY_CONFIG,
  listReferrers,
  pushReferrer,
  type ArtifactPushOptions,
  type ReferrerPushed,
} from '../oci/artifact';
import { sha256, type Descriptor } from '../oci/image';
import type { RegistryClient } from '../oci/registry-client';

/**
 * SBOM media types, as registered with IANA and written by syft, trivy and `oras attach` users (and what `docker
 * buildx` and Microsoft's ACR docs use as artifactType): CycloneDX JSON and SPDX JSON.
 */
export const SbomMediaType = {
  cyclonedx: 'application/vnd.cyclonedx+json',
  spdx: 'application/spdx+json',
} as const;

/** The SBOM's media type, decided from its content: CycloneDX has `bomFormat: "CycloneDX"`, SPDX an `spdxVersion`. */
export function sbomMediaType(bytes: Buffer, label: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InputError(`Input '${label}': the SBOM is not JSON (a CycloneDX or SPDX JSON document is expected)`);
  }
  const fields = doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
  if (fields.bomFormat === 'CycloneDX') return SbomMediaType.cyclonedx;
  if (typeof fields.spdxVersion === 'string' && fields.spdxVersion.startsWith('SPDX-')) return SbomMediaType.spdx;
  throw new InputError(
    `Input '${label}': the JSON is neither a CycloneDX SBOM (bomFormat "CycloneDX") nor an SPDX one (spdxVersion "SPDX-…")`,
  );
}

export interface AttachRequest {
  registry: RegistryClient;
  subject: Descriptor;
  /** The referrer's artifactType; the one layer has the same media type (as `oras attach --artifact-type` writes). */
  artifactType: string;
  bytes: Buffer;
  /** The file's name, kept as the layer's `org.opencontainers.image.title` (oras pulls it back under that name). */
  fileName: string;
  /** RFC 3339, the manifest's `org.opencontainers.image.created`. */
  created: string;
  push: ArtifactPushOptions;
}

export interface Attached extends Partial<ReferrerPushed> {
  digest: string;
  /** true when a referrer of the same type with the same content was already there, so nothing was written. */
  existing: boolean;
}

/**
 * Attaches one file as an OCI 1.1 referrer of `subject` (image-spec manifest.md "artifact usage": empty config,
 * artifactType, the file as the only layer). A referrer of the same artifactType holding the same bytes is reused.
 */
export async function attachFile(req: AttachRequest): Promise<Attached> {
  const { registry, subject } = req;
  const layerDigest = sha256(req.bytes);
  for (const referrer of await listReferrers(registry, subject.digest)) {
    if (referrer.artifactType !== req.artifactType) continue;
    const manifest = await registry.getManifest(referrer.digest);
    const layers = manifest
      ? ((JSON.parse(manifest.bytes.toString('utf8')) as { layers?: Descriptor[] }).layers ?? [])
      : [];
    if (layers.length === 1 && layers[0].digest === layerDigest) return { digest: referrer.digest, existing: true };
  }
  const built = buildArtifact({
    artifactType: req.artifactType,
    config: EMPTY_CONFIG,
    layers: [
      {
        mediaType: req.artifactType,
        bytes: req.bytes,
        annotations: { 'org.opencontainers.image.title': basename(req.fileName) },
      },
    ],
    subject,
    annotations: { 'org.opencontainers.image.created': req.created },
  });
  const pushed = await pushReferrer(registry, built, req.push);
  return { ...pushed, existing: false };
}
