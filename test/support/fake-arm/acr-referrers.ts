import { createHash } from 'node:crypto';
import type { FakeRegistry } from './fake-arm';

/** One entry of a referrers answer (distribution-spec "Listing Referrers"). */
export interface ReferrerEntry {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * ACR's referrers index, kept per registry as ACR keeps it in its metadata store: every manifest with a `subject` that
 * reaches the registry — pushed, or copied in by importImage — is listed under `<repository>@<subject digest>`.
 * Microsoft documents both halves: "Manage OCI Artifacts and Supply Chain Artifacts with ORAS" (ACR supports the OCI
 * 1.1 referrers API; `oras discover` lists signatures and SBOMs attached by `subject`) and "Import container images to
 * a container registry" (import copies "images or OCI artifacts" by digest; what refers to them is not copied unless
 * imported itself). The storage registry behind the stand-in (CNCF Distribution 2.8) has no referrers API, so the
 * stand-in answers it from this index.
 */
export function referrersOf(registry: FakeRegistry, repository: string, digest: string): ReferrerEntry[] {
  return registry.referrers.get(`${repository}@${digest}`) ?? [];
}

/** Indexes `bytes` (a manifest stored in `repository`) when it has a subject; returns the subject's digest. */
export function recordManifest(registry: FakeRegistry, repository: string, bytes: Buffer): string | undefined {
  let manifest: {
    mediaType?: string;
    artifactType?: string;
    config?: { mediaType?: string };
    subject?: { digest?: string };
    annotations?: Record<string, string>;
  };
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const subject = manifest.subject?.digest;
  if (!subject) return undefined;
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const key = `${repository}@${subject}`;
  const list = registry.referrers.get(key) ?? [];
  if (!list.some((e) => e.digest === digest)) {
    list.push({
      mediaType: manifest.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: bytes.length,
      // distribution-spec: artifactType, else the config's media type.
      ...(manifest.artifactType || manifest.config?.mediaType
        ? { artifactType: manifest.artifactType ?? manifest.config?.mediaType }
        : {}),
      ...(manifest.annotations && Object.keys(manifest.annotations).length
        ? { annotations: manifest.annotations }
        : {}),
    });
    registry.referrers.set(key, list);
  }
  return subject;
}
