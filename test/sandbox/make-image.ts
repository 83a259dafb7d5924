import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from './child-processes';

// Writes OCI image layouts (image-spec image-layout.md) that skopeo reads as `oci:<dir>:<tag>`, so tests push
// real, valid images without a container engine or network.

export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface MakeImageOptions {
  /** Target directory (created); default a temp dir removed when the process exits. */
  dir?: string;
  /** Tag recorded in index.json as org.opencontainers.image.ref.name; default 'latest'. */
  tag?: string;
  /** Layers per image; default 1. */
  layers?: number;
  /** Bytes of (incompressible) content per layer; default 1024. */
  layerSize?: number;
  /** More than one platform writes a multi-arch image index; default linux/amd64 only. */
  platforms?: Platform[];
  /** Same seed, same bytes, same digests; default random (every image unique). */
  seed?: string;
  /** Config labels, e.g. to make two images differ on purpose. */
  labels?: Record<string, string>;
}

export interface ImageLayout {
  dir: string;
  tag: string;
  /** skopeo source/destination reference: oci:<dir>:<tag> */
  ref: string;
  /** Digest of the top-level manifest (or image index for multi-arch) — what a registry reports after a push. */
  digest: string;
  mediaType: string;
  /** Per-platform image manifests (one entry for a single-arch image). */
  manifests: Array<{ digest: string; platform: Platform; layers: string[] }>;
}

const sha256 = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

function pseudoRandom(seed: string | undefined, label: string, size: number): Buffer {
  if (seed === undefined) return randomBytes(size);
  const out = Buffer.alloc(size);
  let counter = 0;
  for (let off = 0; off < size; off += 32) {
    createHash('sha256').update(`${seed}/${label}/${counter++}`).digest().copy(out, off);
  }
  return out;
}

/** A one-file ustar archive; enough for a valid layer and avoids a tar dependency for 30 lines. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (value: string, offset: number, length: number) => header.write(value, offset, length, 'ascii');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(content.length, 12), 124, 12);
  put(octal(0, 12), 136, 12); // mtime 0: reproducible digests
  put('        ', 148, 8); // checksum is computed with spaces here
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(octal(sum, 7) + ' ', 148, 8);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

export function makeImage(opts: MakeImageOptions = {}): ImageLayout {
  const dir = opts.dir ?? makeTempDir('image');
  const tag = opts.tag ?? 'latest';
  const platforms = opts.platforms ?? [{ os: 'linux', architecture: 'amd64' }];
  const blobsDir = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobsDir, { recursive: true });
  const writeBlob = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    fs.writeFileSync(path.join(blobsDir, digest.slice('sha256:'.length)), data);
    return { digest, size: data.length };
  };

  const manifests = platforms.map((platform, p) => {
    const layers: Array<{ digest: string; size: number }> = [];
    const diffIds: string[] = [];
    for (let i = 0; i < (opts.layers ?? 1); i++) {
      const tar = tarOneFile(`layer-${p}-${i}.bin`, pseudoRandom(opts.seed, `${p}/${i}`, opts.layerSize ?? 1024));
      diffIds.push(sha256(tar));
      layers.push(writeBlob(gzipSync(tar)));
    }
    const config = Buffer.from(
      JSON.stringify({
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        config: { Labels: opts.labels ?? {} },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: diffIds.map(() => ({ created_by: 'harbor-pipelines test/sandbox/make-image' })),
      }),
    );
    const configBlob = writeBlob(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        config: { mediaType: MEDIA_TYPES.config, ...configBlob },
        layers: layers.map((l) => ({ mediaType: MEDIA_TYPES.layer, ...l })),
      }),
    );
    const blob = writeBlob(manifest);
    return { ...blob, platform, layers: layers.map((l) => l.digest) };
  });

  let top: { digest: string; size: number; mediaType: string };
  if (manifests.length === 1) {
    top = { digest: manifests[0].digest, size: manifests[0].size, mediaType: MEDIA_TYPES.manifest };
  } else {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.index,
        manifests: manifests.map((m) => ({
          mediaType: MEDIA_TYPES.manifest,
          digest: m.digest,
          size: m.size,
          platform: m.platform,
        })),
      }),
    );
    top = { ...writeBlob(index), mediaType: MEDIA_TYPES.index };
  }
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [
        {
          mediaType: top.mediaType,
          digest: top.digest,
          size: top.size,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return {
    dir,
    tag,
    ref: `oci:${dir}:${tag}`,
    digest: top.digest,
    mediaType: top.mediaType,
    manifests: manifests.map((m) => ({ digest: m.digest, platform: m.platform, layers: m.layers })),
  };
}
