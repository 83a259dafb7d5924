import { Readable } from 'node:stream';
import { UserError } from '../errors';
import { sha256, type BlobSource, type Descriptor, type ManifestSource } from './image';
import { MediaType } from './media-types';
import { Pusher, type PushOptions } from './pusher';
import { short, type RegistryClient } from './registry-client';

/**
 * One blob of an artifact, held in memory (signatures, SBOMs: kilobytes to a few megabytes) — or, without bytes, a
 * blob the repository already holds (a layer of the manifest this one replaces), named by digest and size.
 */
export type ArtifactBlob =
  | { mediaType: string; bytes: Buffer; annotations?: Record<string, string> }
  | { mediaType: string; digest: string; size: number; annotations?: Record<string, string> };

/** An OCI image manifest written by this pack for an artifact: a signature, an SBOM, an attached file. */
export interface ArtifactManifest {
  /** The manifest's `artifactType` (image-spec 1.1); absent for cosign's `.sig` tag layout, which predates it. */
  artifactType?: string;
  config: ArtifactBlob;
  layers: ArtifactBlob[];
  /** The artifact this one refers to (image-spec 1.1 `subject`). */
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** The empty JSON config (image-spec manifest.md, "Guidance for an Empty Descriptor"): `{}`, for artifacts without one. */
export const EMPTY_CONFIG: ArtifactBlob = { mediaType: MediaType.ociEmpty, bytes: Buffer.from('{}') };

export interface BuiltArtifact {
  bytes: Buffer;
  digest: string;
  /** How the referrers API (and the referrers tag schema's index) lists this manifest. */
  descriptor: Descriptor;
  source: ManifestSource;
}

function describe(blob: ArtifactBlob): Descriptor {
  return {
    mediaType: blob.mediaType,
    ...('bytes' in blob
      ? { digest: sha256(blob.bytes), size: blob.bytes.length }
      : { digest: blob.digest, size: blob.size }),
    ...(blob.annotations && Object.keys(blob.annotations).length > 0 ? { annotations: blob.annotations } : {}),
  };
}

function blobSource(blob: ArtifactBlob, label: string): BlobSource {
  const { digest, size } = describe(blob);
  return {
    mediaType: blob.mediaType,
    digest,
    size,
    open: (start = 0, end = size) => {
      // The pusher opens a blob only when the repository lacks it; one named by digest was read from this repository.
      if (!('bytes' in blob))
        throw new UserError(`Blob ${short(digest)} (${label}) vanished from the repository while it was being written`);
      return Readable.from([blob.bytes.subarray(start, end)]);
    },
    label,
  };
}

/** Serialises the manifest in the field order go-containerregistry and oras write (the bytes are what is signed over). */
export function buildArtifact(artifact: ArtifactManifest): BuiltArtifact {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    ...(artifact.artifactType ? { artifactType: artifact.artifactType } : {}),
    config: describe(artifact.config),
    layers: artifact.layers.map(describe),
    ...(artifact.subject
      ? {
          subject: {
            mediaType: artifact.subject.mediaType,
            digest: artifact.subject.digest,
            size: artifact.subject.size,
          },
        }
      : {}),
    ...(artifact.annotations && Object.keys(artifact.annotations).length > 0
      ? { annotations: artifact.annotations }
      : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256(bytes);
  // distribution-spec "Listing Referrers": artifactType, else the config's media type; the manifest's annotations.
  const descriptor: Descriptor = {
    mediaType: MediaType.ociManifest,
    digest,
    size: bytes.length,
    artifactType: artifact.artifactType ?? artifact.config.mediaType,
    ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
  };
  return {
    bytes,
    digest,
    descriptor,
    source: {
      mediaType: MediaType.ociManifest,
      bytes,
      blobs: [blobSource(artifact.config, 'config'), ...artifact.layers.map((l, i) => blobSource(l, `layer ${i + 1}`))],
      children: [],
    },
  };
}

export type ArtifactPushOptions = Pick<PushOptions, 'log' | 'debug'> & Partial<PushOptions>;

function pusher(registry: RegistryClient, options: ArtifactPushOptions): Pusher {
  return new Pusher(registry, { concurrency: 2, chunkSize: 8 * 1024 * 1024, mountFrom: [], ...options });
}

/** Pushes an artifact's blobs, then its manifest under each tag (by digest when there are none). */
export async function pushArtifact(
  registry: RegistryClient,
  built: BuiltArtifact,
  tags: string[],
  options: ArtifactPushOptions,
): Promise<void> {
  await pusher(registry, options).push(built.source, tags);
}

/** distribution-spec "Referrers Tag Schema": `<alg>-<hex>` names the index of a digest's referrers. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

export interface ReferrerPushed {
  digest: string;
  /** How the registry will list it: its referrers API, or the tag-schema index this push updated. */
  listedBy: 'referrers-api' | 'referrers-tag';
}

/**
 * Pushes a manifest with a `subject` by digest. A registry that serves the referrers API indexes it itself; for one
 * that does not (CNCF Distribution 2.x), the referrers tag schema's index is updated, as the distribution spec asks a
 * client to do ("Pushing Manifests with Subject") — what oras and go-containerregistry read back.
 */
export async function pushReferrer(
  registry: RegistryClient,
  built: BuiltArtifact,
  options: ArtifactPushOptions,
): Promise<ReferrerPushed> {
  const subject = (JSON.parse(built.bytes.toString('utf8')) as { subject?: Descriptor }).subject;
  if (!subject) throw new Error('pushReferrer needs a manifest with a subject');
  const api = (await registry.referrers(subject.digest)) !== undefined;
  await pushArtifact(registry, built, [], options);
  if (api) return { digest: built.digest, listedBy: 'referrers-api' };
  const tag = referrersTag(subject.digest);
  const index = await referrersTagIndex(registry, subject.digest);
  if (!index.manifests.some((m) => m.digest === built.digest)) {
    index.manifests.push(built.descriptor);
    const bytes = Buffer.from(JSON.stringify(index));
    await registry.putManifest(tag, MediaType.ociIndex, bytes, sha256(bytes));
  }
  return { digest: built.digest, listedBy: 'referrers-tag' };
}

interface Index {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

async function referrersTagIndex(registry: RegistryClient, digest: string): Promise<Index> {
  const tag = referrersTag(digest);
  const existing = await registry.getManifest(tag);
  if (!existing) return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  if (existing.mediaType !== MediaType.ociIndex) {
    throw new UserError(
      `${registry.host}/${registry.repository}:${tag} is the referrers tag of ${short(digest)}, but holds a ${existing.mediaType || 'manifest of unknown type'}, not an OCI index; it was not overwritten`,
    );
  }
  const index = JSON.parse(existing.bytes.toString('utf8')) as Partial<Index>;
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index.manifests ?? [] };
}

/** The referrers of a digest, from the referrers API or, where the registry has none, the referrers tag schema. */
export async function listReferrers(registry: RegistryClient, digest: string): Promise<Descriptor[]> {
  const api = await registry.referrers(digest);
  if (api) return (JSON.parse(api.toString('utf8')) as Partial<Index>).manifests ?? [];
  return (await referrersTagIndex(registry, digest)).manifests;
}
