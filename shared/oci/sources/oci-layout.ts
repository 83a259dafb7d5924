import { promises as fs, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import { loadGraph, type ContentStore, type Descriptor, type ImageSource, type LoadOptions } from '../image';
import { fileChunks, fileRange } from '../file-range';
import { isDigest } from '../reference';
import { pathKind } from '../../util/files';

const REF_NAME = 'org.opencontainers.image.ref.name';

interface IndexJson {
  manifests?: Descriptor[];
}

/** An OCI image layout directory (image-spec image-layout.md) as a content store. */
export function layoutStore(dir: string): ContentStore {
  const pathOf = (digest: string) => {
    const [algorithm, hex] = digest.split(':');
    if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) {
      throw new UserError(`OCI layout ${dir}: '${digest}' is not a valid digest`);
    }
    return join(dir, 'blobs', algorithm, hex);
  };
  return {
    where: `OCI layout ${dir}`,
    async read(digest) {
      try {
        return await fs.readFile(pathOf(digest));
      } catch {
        throw new UserError(
          `OCI layout ${dir} has no blob ${digest} (a partial copy? copy it again with all platforms)`,
        );
      }
    },
    blob(descriptor, label) {
      const file = pathOf(descriptor.digest);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new UserError(
          `OCI layout ${dir} has no blob ${descriptor.digest} (${label}); copy the image again with all its platforms`,
        );
      }
      if (size !== descriptor.size) {
        throw new UserError(
          `OCI layout ${dir}: blob ${descriptor.digest} is ${size} bytes, but its descriptor says ${descriptor.size}`,
        );
      }
      return {
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size,
        label,
        annotations: descriptor.annotations,
        open: (start = 0, end = size) => fileRange(file, start, end),
        chunks: (start, end) => fileChunks(file, start, end),
      };
    },
  };
}

/**
 * `oci:<dir>[:<ref>]` where ref is a tag recorded as `org.opencontainers.image.ref.name`, or `@sha256:…`. Without a
 * ref the layout must hold exactly one image.
 */
export async function openOciLayout(spec: string, options: LoadOptions = {}): Promise<ImageSource> {
  const { dir, ref } = splitLayoutSpec(spec);
  // image-spec image-layout.md: the `oci-layout` file marks the directory as a layout and names its version.
  let marker: { imageLayoutVersion?: unknown } | undefined;
  try {
    marker = JSON.parse(await fs.readFile(join(dir, 'oci-layout'), 'utf8')) as { imageLayoutVersion?: unknown };
  } catch {
    marker = undefined;
  }
  if (typeof marker?.imageLayoutVersion !== 'string') {
    throw new UserError(
      `${dir} is not an OCI image layout (no valid oci-layout file); build with --output type=oci,dest=… or use docker-archive:`,
    );
  }
  let index: IndexJson;
  try {
    index = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8')) as IndexJson;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `${dir} is not an OCI image layout (no index.json); build with --output type=oci,dest=… or use docker-archive:`
        : `Cannot read ${join(dir, 'index.json')}: ${code ?? 'invalid JSON'}`,
    );
  }
  const entries = index.manifests ?? [];
  const descriptor = pickEntry(entries, ref, dir);
  const root = await loadGraph(layoutStore(dir), descriptor, options);
  const name = descriptor.annotations?.[REF_NAME];
  return { description: `OCI layout ${dir}${name ? ` (${name})` : ''}`, root, close: async () => undefined };
}

function pickEntry(entries: Descriptor[], ref: string | undefined, dir: string): Descriptor {
  const names = entries.map((e) => e.annotations?.[REF_NAME]).filter((n): n is string => !!n);
  if (ref === undefined) {
    if (entries.length === 1) return entries[0];
    throw new UserError(
      `OCI layout ${dir} holds ${entries.length} images; name one as oci:${dir}:<ref>${names.length ? ` (refs: ${names.join(', ')})` : ''}`,
    );
  }
  const match = isDigest(ref)
    ? entries.find((e) => e.digest === ref)
    : entries.find((e) => e.annotations?.[REF_NAME] === ref);
  if (!match) {
    throw new UserError(`OCI layout ${dir} has no image '${ref}'${names.length ? ` (refs: ${names.join(', ')})` : ''}`);
  }
  return match;
}

/** `dir`, `dir:ref`, `dir@sha256:…`; a directory name that itself contains ':' wins when it exists. */
export function splitLayoutSpec(spec: string): { dir: string; ref?: string } {
  const at = spec.lastIndexOf('@');
  if (at > 0 && isDigest(spec.slice(at + 1))) return { dir: spec.slice(0, at), ref: spec.slice(at + 1) };
  if (pathKind(spec) === 'directory') return { dir: spec };
  const colon = spec.lastIndexOf(':');
  if (colon > 0 && !spec.slice(colon + 1).includes('/'))
    return { dir: spec.slice(0, colon), ref: spec.slice(colon + 1) };
  return { dir: spec };
}
