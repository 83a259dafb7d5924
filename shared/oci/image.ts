import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { UserError } from '../errors';
import { gzipVariant, isIndex, isManifest } from './media-types';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/**
 * One blob to push. `digest` and `size` are undefined when the bytes are produced on the way (a layer gzipped while it
 * uploads); the pusher learns them from the stream.
 */
export interface BlobSource {
  mediaType: string;
  digest?: string;
  size?: number;
  /** A fresh stream of the bytes in [start, end) (a range only for blobs whose digest and size are known). */
  open(start?: number, end?: number): Readable;
  /**
   * The same bytes as `open`, in reused buffers, for a consumer done with each chunk before it asks for the next (an
   * upload body); only sources that read a file in place have it (see fileChunks).
   */
  chunks?(start: number, end: number): AsyncIterable<Buffer>;
  /** What the progress lines call it (a layer's file in an archive, `config`). */
  label: string;
  /** Descriptor fields to keep when the manifest is rebuilt (annotations). */
  annotations?: Record<string, string>;
}

/**
 * A manifest or index to push, with what it references. When nothing in it changes on the way, `bytes` are the
 * source's own bytes and the pushed digest equals the source digest; otherwise `build` writes the manifest from the
 * descriptors the pusher resolved (same order as `blobs` / `children`).
 */
export interface ManifestSource {
  mediaType: string;
  bytes?: Buffer;
  build?: (blobs: Descriptor[], children: Descriptor[]) => Buffer;
  blobs: BlobSource[];
  children: ManifestSource[];
  /** Copied onto the child's descriptor in a rebuilt index. */
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageSource {
  /** For logs: `OCI layout ./out (tag v1)`. */
  description: string;
  root: ManifestSource;
  /** What a chart implies: its name as repository, its version as tag. */
  suggested?: { repository?: string; tag?: string };
  close(): Promise<void>;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Where the graph loader finds content: an OCI layout directory, or one inside a tar archive. */
export interface ContentStore {
  /** The whole blob (manifests and configs are small). */
  read(digest: string): Promise<Buffer>;
  /** A blob as a stream source. */
  blob(descriptor: Descriptor, label: string): BlobSource;
  /** Where the content lives, for errors. */
  where: string;
}

export interface LoadOptions {
  /** Wrap uncompressed layers so they are gzipped while they upload. */
  compress?: (blob: BlobSource) => BlobSource;
}

interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
}

/**
 * Reads a manifest or index and everything under it from a content store. Multi-arch indexes are loaded whole (every
 * child manifest), because an index pushed without its children is broken for every platform.
 */
export async function loadGraph(
  store: ContentStore,
  descriptor: Descriptor,
  options: LoadOptions = {},
): Promise<ManifestSource> {
  const bytes = await store.read(descriptor.digest);
  if (bytes.length !== descriptor.size && descriptor.size !== undefined) {
    throw new UserError(
      `${store.where}: ${descriptor.digest} is ${bytes.length} bytes, but its descriptor says ${descriptor.size}`,
    );
  }
  if (sha256(bytes) !== descriptor.digest) {
    throw new UserError(
      `${store.where}: the content of ${descriptor.digest} does not match its digest (the layout is corrupt)`,
    );
  }
  let json: ManifestJson;
  try {
    json = JSON.parse(bytes.toString('utf8')) as ManifestJson;
  } catch {
    throw new UserError(`${store.where}: ${descriptor.digest} is not valid JSON`);
  }
  const mediaType = json.mediaType ?? descriptor.mediaType;
  const common = { platform: descriptor.platform, annotations: descriptor.annotations };
  if (isIndex(mediaType) || (json.manifests && !json.layers)) {
    const children = await Promise.all((json.manifests ?? []).map((child) => loadGraph(store, child, options)));
    const changed = children.some((c) => !c.bytes);
    return {
      mediaType,
      ...common,
      bytes: changed ? undefined : bytes,
      build: changed
        ? (_blobs, resolved) =>
            rebuild(json, { manifests: (json.manifests ?? []).map((d, i) => ({ ...d, ...pick(resolved[i]) })) })
        : undefined,
      blobs: [],
      children,
    };
  }
  if (!isManifest(mediaType) && !json.config) {
    throw new UserError(
      `${store.where}: ${descriptor.digest} has media type ${mediaType}, which is neither an image manifest nor an index`,
    );
  }
  if (!json.config) throw new UserError(`${store.where}: manifest ${descriptor.digest} has no config`);
  const config = store.blob(json.config, 'config');
  const layers = (json.layers ?? []).map((layer, i) => {
    const blob = store.blob(layer, `layer ${i + 1}`);
    return options.compress && gzipVariant(layer.mediaType) ? options.compress(blob) : blob;
  });
  const changed = layers.some((l, i) => l.digest !== json.layers![i].digest);
  return {
    mediaType,
    ...common,
    bytes: changed ? undefined : bytes,
    build: changed
      ? (resolved) =>
          rebuild(json, {
            config: json.config,
            layers: resolved.slice(1).map((d, i) => ({ ...json.layers![i], ...pick(d) })),
          })
      : undefined,
    blobs: [config, ...layers],
    children: [],
  };
}

function pick(d: Descriptor): Pick<Descriptor, 'mediaType' | 'digest' | 'size'> {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

/** A changed manifest keeps every field of the original (annotations, subject, artifactType) but the replaced ones. */
function rebuild(json: ManifestJson, replace: Partial<ManifestJson>): Buffer {
  return Buffer.from(JSON.stringify({ ...json, ...replace }));
}
