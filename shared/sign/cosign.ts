import { sign, verify } from 'node:crypto';
import { sha256, type Descriptor } from '../oci/image';
import {
  buildArtifact,
  listReferrers,
  pushArtifact,
  pushReferrer,
  type ArtifactBlob,
  type ArtifactPushOptions,
} from '../oci/artifact';
import { MediaType } from '../oci/media-types';
import { cosignTag } from '../oci/referrer-graph';
import type { RegistryClient } from '../oci/registry-client';
import type { SigningKey } from './keys';

/** What cosign writes (sigstore/cosign pkg/types/media.go, pkg/oci/static/signature.go, internal/pkg/oci/remote). */
export const Cosign = {
  simpleSigningMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  /** `ociexperimental.ArtifactType("sig")`: the artifactType and config type of a signature written as a referrer. */
  signatureArtifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  signatureType: 'cosign container image signature',
} as const;

/**
 * Where the signature goes: `tag` is cosign's classic `sha256-<hex>.sig` tag in the image's repository (what Harbor
 * lists as `signature.cosign` from 2.5 on, v2.15.2 included: src/server/middleware/cosign/cosign.go); `referrer` is the OCI 1.1 layout, a manifest whose `subject` is the
 * image (cosign `--registry-referrers-mode=oci-1-1`, read back with `cosign verify --experimental-oci11`).
 */
export type CosignLayout = 'tag' | 'referrer';

/** cosign's signature tag for a digest (pkg/oci/remote: `sha256-<hex>.sig`). */
export function signatureTag(digest: string): string {
  return cosignTag(digest, 'sig');
}

/**
 * The Simple Signing payload cosign signs (sigstore/sigstore pkg/signature/payload: Cosign.SimpleContainerImage),
 * serialised as Go's encoding/json does: struct fields in declaration order, `optional` null when there is none.
 * `dockerReference` is `<registry>/<repository>` (name.Repository.Name()), as cosign writes it without a claimed identity.
 */
export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': digest },
        type: Cosign.signatureType,
      },
      optional: null,
    }),
  );
}

/** ECDSA over SHA-256, ASN.1 DER, base64: the `dev.cosignproject.cosign/signature` annotation's value. */
export function signPayload(payload: Buffer, key: SigningKey): string {
  return sign('sha256', payload, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
}

function signedBy(payload: Buffer, signature: string | undefined, key: SigningKey): boolean {
  if (!signature) return false;
  try {
    return verify('sha256', payload, { key: key.publicKeyPem, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The config go-containerregistry writes for cosign's signature image (empty.Image plus one layer per signature):
 * the layers' digests as diff_ids (the payloads are not compressed) and zero times.
 */
function signatureConfig(layers: Descriptor[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
}

export interface CosignSignRequest {
  /** The repository of the signed image, with push rights. */
  registry: RegistryClient;
  /** The signed manifest: its digest, media type and size (the referrer layout's subject). */
  subject: Descriptor;
  key: SigningKey;
  layout: CosignLayout;
  push: ArtifactPushOptions;
}

export interface CosignSignature {
  /** The digest of the manifest holding the signature. */
  manifestDigest: string;
  /** The `.sig` tag, or the referrer's digest. */
  location: string;
  layout: CosignLayout;
  /** true when the artifact already carried a signature of this key over this payload, so nothing was written. */
  existing: boolean;
  payload: Buffer;
}

interface SignatureManifest {
  config?: Descriptor;
  layers?: Descriptor[];
}

/**
 * Signs `subject` with a cosign key pair and writes the signature as cosign does. Like cosign's duplicate detector
 * (pkg/oci/mutate with a dupe detector), a layer that already holds this payload signed by this key is kept and
 * nothing is written, so re-running a pipeline does not pile up signatures; other signatures are kept beside ours.
 */
export async function signWithCosignKey(req: CosignSignRequest): Promise<CosignSignature> {
  const { registry, subject, key } = req;
  const payload = simpleSigningPayload(`${registry.host}/${registry.repository}`, subject.digest);
  const payloadDigest = sha256(payload);
  const ours = (layer: Descriptor): boolean =>
    layer.mediaType === Cosign.simpleSigningMediaType &&
    layer.digest === payloadDigest &&
    signedBy(payload, layer.annotations?.[Cosign.signatureAnnotation], key);
  const fresh = (): ArtifactBlob => ({
    mediaType: Cosign.simpleSigningMediaType,
    bytes: payload,
    annotations: { [Cosign.signatureAnnotation]: signPayload(payload, key) },
  });

  if (req.layout === 'tag') {
    const tag = signatureTag(subject.digest);
    const existing = await registry.getManifest(tag);
    const previous = existing ? ((JSON.parse(existing.bytes.toString('utf8')) as SignatureManifest).layers ?? []) : [];
    if (existing && previous.some(ours)) {
      return { manifestDigest: existing.digest, location: tag, layout: 'tag', existing: true, payload };
    }
    const layers: ArtifactBlob[] = [
      ...previous.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations })),
      fresh(),
    ];
    const built = buildArtifact({
      config: { mediaType: MediaType.ociConfig, bytes: signatureConfig(layers.map(descriptorOf)) },
      layers,
    });
    await pushArtifact(registry, built, [tag], req.push);
    return { manifestDigest: built.digest, location: tag, layout: 'tag', existing: false, payload };
  }

  for (const referrer of await listReferrers(registry, subject.digest)) {
    if (referrer.artifactType !== Cosign.signatureArtifactType) continue;
    const manifest = await registry.getManifest(referrer.digest);
    const layers = manifest ? ((JSON.parse(manifest.bytes.toString('utf8')) as SignatureManifest).layers ?? []) : [];
    if (layers.some(ours)) {
      return {
        manifestDigest: referrer.digest,
        location: referrer.digest,
        layout: 'referrer',
        existing: true,
        payload,
      };
    }
  }
  const layer = fresh();
  const built = buildArtifact({
    artifactType: Cosign.signatureArtifactType,
    config: { mediaType: Cosign.signatureArtifactType, bytes: signatureConfig([descriptorOf(layer)]) },
    layers: [layer],
    subject,
  });
  await pushReferrer(registry, built, req.push);
  return { manifestDigest: built.digest, location: built.digest, layout: 'referrer', existing: false, payload };
}

function descriptorOf(blob: ArtifactBlob): Descriptor {
  return 'bytes' in blob
    ? { mediaType: blob.mediaType, digest: sha256(blob.bytes), size: blob.bytes.length }
    : { mediaType: blob.mediaType, digest: blob.digest, size: blob.size };
}
