import { UserError } from '../../errors';
import { pathKind } from '../../util/files';
import {
  loadGraph,
  sha256,
  type BlobSource,
  type ContentStore,
  type Descriptor,
  type ImageSource,
  type LoadOptions,
  type ManifestSource,
} from '../image';
import { MediaType } from '../media-types';
import { TarIndex } from './tar-index';

interface LegacyEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

/**
 * `docker-archive:<file>[:<image>]`, the output of `docker save`: either the legacy layout (manifest.json, a config
 * JSON and `<id>/layer.tar` per layer) or the OCI layout inside the tar that Docker 25+ writes (index.json +
 * blobs/). Layers are streamed from the archive in place; uncompressed ones are gzipped on the way when `compress`
 * is given.
 */
export async function openDockerArchive(spec: string, options: LoadOptions = {}): Promise<ImageSource> {
  const { file, ref } = splitArchiveSpec(spec);
  const tar = await TarIndex.open(file);
  if (tar.has('index.json') && tar.has('oci-layout')) {
    const index = parseJson<{ manifests?: Descriptor[] }>(await tar.read('index.json'), `${file}: index.json`);
    const descriptor = pickOciEntry(index.manifests ?? [], ref, file);
    const root = await loadGraph(tarStore(tar), descriptor, options);
    return { description: `docker archive ${file}${ref ? ` (${ref})` : ''}`, root, close: async () => undefined };
  }
  if (!tar.has('manifest.json')) {
    throw new UserError(
      `${file} is not a docker-archive (no manifest.json or index.json); create it with docker save -o <file> <image>`,
    );
  }
  const entries = parseJson<LegacyEntry[]>(await tar.read('manifest.json'), `${file}: manifest.json`);
  const entry = pickLegacyEntry(entries, ref, file);
  const root = await legacyManifest(tar, entry, options);
  return { description: `docker archive ${file}${ref ? ` (${ref})` : ''}`, root, close: async () => undefined };
}

function tarStore(tar: TarIndex): ContentStore {
  const nameOf = (digest: string) => `blobs/${digest.replace(':', '/')}`;
  return {
    where: `docker archive ${tar.file}`,
    read: (digest) => {
      if (!tar.has(nameOf(digest))) throw new UserError(`docker archive ${tar.file} has no blob ${digest}`);
      return tar.read(nameOf(digest));
    },
    blob(descriptor, label) {
      const name = nameOf(descriptor.digest);
      if (!tar.has(name)) throw new UserError(`docker archive ${tar.file} has no blob ${descriptor.digest} (${label})`);
      return {
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
        label,
        annotations: descriptor.annotations,
        open: (start, end) => tar.stream(name, start, end),
        chunks: (start, end) => tar.chunks(name, start, end),
      };
    },
  };
}

/** The legacy layout has no manifest: write a Docker v2 schema 2 one, as `docker push` would. */
async function legacyManifest(tar: TarIndex, entry: LegacyEntry, options: LoadOptions): Promise<ManifestSource> {
  const configBytes = await tar.read(entry.Config);
  const diffIds =
    parseJson<{ rootfs?: { diff_ids?: string[] } }>(configBytes, `${tar.file}: ${entry.Config}`).rootfs?.diff_ids ?? [];
  const config: BlobSource = {
    mediaType: MediaType.dockerConfig,
    digest: sha256(configBytes),
    size: configBytes.length,
    label: 'config',
    open: (start, end) => tar.stream(entry.Config, start, end),
  };
  const layers = await Promise.all(
    entry.Layers.map(async (name, i): Promise<BlobSource> => {
      const size = tar.entry(name).size;
      const gzipped = (await readHead(tar, name)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
      const label = `layer ${i + 1}`;
      if (gzipped) {
        // Already compressed: its digest is not in the config (diff_ids are of the uncompressed tar); the pusher hashes it.
        return { mediaType: MediaType.dockerLayerGzip, size, label, open: () => tar.stream(name) };
      }
      const plain: BlobSource = {
        mediaType: MediaType.dockerLayer,
        digest: diffIds[i],
        size,
        label,
        open: (start, end) => tar.stream(name, start, end),
      };
      return options.compress ? options.compress(plain) : plain;
    }),
  );
  const blobs = [config, ...layers];
  const build = (resolved: Descriptor[]) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: { mediaType: resolved[0].mediaType, size: resolved[0].size, digest: resolved[0].digest },
        layers: resolved.slice(1).map((d) => ({ mediaType: d.mediaType, size: d.size, digest: d.digest })),
      }),
    );
  const known = blobs.every((b) => b.digest !== undefined && b.size !== undefined);
  return {
    mediaType: MediaType.dockerManifest,
    bytes: known ? build(blobs.map((b) => ({ mediaType: b.mediaType, digest: b.digest!, size: b.size! }))) : undefined,
    build: known ? undefined : build,
    blobs,
    children: [],
  };
}

async function readHead(tar: TarIndex, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tar.stream(name)) {
    chunks.push(chunk as Buffer);
    break;
  }
  return Buffer.concat(chunks);
}

function pickLegacyEntry(entries: LegacyEntry[], ref: string | undefined, file: string): LegacyEntry {
  if (!Array.isArray(entries) || entries.length === 0) throw new UserError(`${file}: manifest.json lists no image`);
  const tags = entries.flatMap((e) => e.RepoTags ?? []);
  if (ref === undefined) {
    if (entries.length === 1) return entries[0];
    throw new UserError(
      `${file} holds ${entries.length} images; name one as docker-archive:${file}:<image> (${tags.join(', ')})`,
    );
  }
  const match = entries.find((e) => (e.RepoTags ?? []).some((t) => sameImage(t, ref)));
  if (!match) throw new UserError(`${file} has no image '${ref}'${tags.length ? ` (it has ${tags.join(', ')})` : ''}`);
  return match;
}

function pickOciEntry(entries: Descriptor[], ref: string | undefined, file: string): Descriptor {
  const names = entries
    .map((e) => e.annotations?.[CONTAINERD_NAME] ?? e.annotations?.[REF_NAME])
    .filter((n): n is string => !!n);
  if (ref === undefined) {
    if (entries.length === 1) return entries[0];
    throw new UserError(
      `${file} holds ${entries.length} images; name one as docker-archive:${file}:<image> (${names.join(', ')})`,
    );
  }
  const match = entries.find(
    (e) =>
      e.digest === ref ||
      e.annotations?.[REF_NAME] === ref ||
      (e.annotations?.[CONTAINERD_NAME] !== undefined && sameImage(e.annotations[CONTAINERD_NAME], ref)),
  );
  if (!match)
    throw new UserError(`${file} has no image '${ref}'${names.length ? ` (it has ${names.join(', ')})` : ''}`);
  return match;
}

/** `app:1`, `library/app:1` and `docker.io/library/app:1` name the same image. */
function sameImage(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return norm(a) === norm(b);
}

/** `file`, `file:image:tag`; the longest prefix that is an existing file is the archive. */
export function splitArchiveSpec(spec: string): { file: string; ref?: string } {
  if (pathKind(spec) === 'file') return { file: spec };
  for (let i = spec.indexOf(':'); i > 0; i = spec.indexOf(':', i + 1)) {
    if (pathKind(spec.slice(0, i)) === 'file') return { file: spec.slice(0, i), ref: spec.slice(i + 1) || undefined };
  }
  return { file: spec };
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new UserError(`${what} is not valid JSON`);
  }
}
