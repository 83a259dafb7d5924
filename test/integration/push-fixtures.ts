import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../sandbox/child-processes';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { runSkopeo, type RegistryAccess } from '../sandbox/skopeo';

// Inputs for push tests that the sandbox's make-image does not write: `docker save` archives in both layouts and
// packaged Helm charts. Built with tar-stream's packer (not the product's reader) so the two are independent.

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface TarEntry {
  name: string;
  data?: Buffer;
  type?: Header['type'];
  linkname?: string;
}

export async function writeTar(file: string, entries: TarEntry[], gzip = false): Promise<void> {
  const p = pack();
  for (const e of entries) {
    if (e.type === 'symlink' || e.type === 'link' || e.type === 'directory')
      p.entry({ name: e.name, type: e.type, linkname: e.linkname, mode: 0o755 });
    else p.entry({ name: e.name, mode: 0o644, mtime: new Date(0) }, e.data ?? Buffer.alloc(0));
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  const tar = Buffer.concat(chunks);
  writeFileSync(file, gzip ? gzipSync(tar) : tar);
}

/** A layer tar holding one file of random bytes. */
async function layerTar(dir: string, i: number, size: number): Promise<Buffer> {
  const file = join(dir, `layer-${i}.tar`);
  await writeTar(file, [{ name: `data-${i}.bin`, data: randomBytes(size) }]);
  return readFileSync(file);
}

export interface DockerArchive {
  file: string;
  /** sha256 of each uncompressed layer tar (= the config's diff_ids). */
  diffIds: string[];
  configDigest: string;
  /** For the OCI-in-tar layout: digest of the manifest inside, which compression `none` keeps. */
  manifestDigest?: string;
}

/**
 * `docker save` output. `legacy`: manifest.json + <id>.json + <id>/layer.tar (Docker ≤ 24). `oci`: what Docker 25+
 * writes: index.json, oci-layout, blobs/sha256/*, manifest.json, and the legacy layer paths as symlinks into blobs/.
 */
export async function makeDockerArchive(opts: {
  layout: 'legacy' | 'oci';
  layers?: number;
  layerSize?: number;
  tag?: string;
}): Promise<DockerArchive> {
  const dir = makeTempDir('push-archive');
  const layers = await Promise.all(
    Array.from({ length: opts.layers ?? 2 }, (_, i) => layerTar(dir, i, opts.layerSize ?? 4096)),
  );
  const diffIds = layers.map(sha256);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: diffIds.map(() => ({ created_by: 'test' })),
    }),
  );
  const configDigest = sha256(config);
  const hex = (d: string) => d.slice('sha256:'.length);
  const repoTag = opts.tag ?? 'app:1.0';
  const file = join(dir, 'image.tar');
  if (opts.layout === 'legacy') {
    const entries: TarEntry[] = [
      { name: `${hex(configDigest)}.json`, data: config },
      ...layers.flatMap((l, i) => [
        { name: `${hex(diffIds[i])}/`, type: 'directory' as const },
        { name: `${hex(diffIds[i])}/layer.tar`, data: l },
      ]),
      {
        name: 'manifest.json',
        data: Buffer.from(
          JSON.stringify([
            {
              Config: `${hex(configDigest)}.json`,
              RepoTags: [repoTag],
              Layers: diffIds.map((d) => `${hex(d)}/layer.tar`),
            },
          ]),
        ),
      },
      { name: 'repositories', data: Buffer.from('{}') },
    ];
    await writeTar(file, entries);
    return { file, diffIds, configDigest };
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: layers.map((l, i) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: diffIds[i],
        size: l.length,
      })),
    }),
  );
  const manifestDigest = sha256(manifest);
  const [name, tag] = repoTag.split(':');
  const entries: TarEntry[] = [
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' },
    { name: `blobs/sha256/${hex(configDigest)}`, data: config },
    ...layers.map((l, i) => ({ name: `blobs/sha256/${hex(diffIds[i])}`, data: l })),
    { name: `blobs/sha256/${hex(manifestDigest)}`, data: manifest },
    ...diffIds.flatMap((d) => [
      { name: `${hex(d)}/`, type: 'directory' as const },
      { name: `${hex(d)}/layer.tar`, type: 'symlink' as const, linkname: `../blobs/sha256/${hex(d)}` },
    ]),
    {
      name: 'index.json',
      data: Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            {
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              digest: manifestDigest,
              size: manifest.length,
              annotations: {
                'io.containerd.image.name': `docker.io/library/${name}:${tag}`,
                'org.opencontainers.image.ref.name': tag,
              },
            },
          ],
        }),
      ),
    },
    { name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    {
      name: 'manifest.json',
      data: Buffer.from(
        JSON.stringify([
          {
            Config: `blobs/sha256/${hex(configDigest)}`,
            RepoTags: [repoTag],
            Layers: diffIds.map((d) => `blobs/sha256/${hex(d)}`),
          },
        ]),
      ),
    },
  ];
  await writeTar(file, entries);
  return { file, diffIds, configDigest, manifestDigest };
}

/** A packaged chart as `helm package` writes it: <name>/Chart.yaml, values.yaml, templates/. */
export async function makeChart(name: string, version: string): Promise<string> {
  const dir = makeTempDir('push-chart');
  const file = join(dir, `${name}-${version}.tgz`);
  await writeTar(
    file,
    [
      {
        name: `${name}/Chart.yaml`,
        data: Buffer.from(
          `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "2.0"\ndescription: A test chart\ntype: application\n`,
        ),
      },
      { name: `${name}/values.yaml`, data: Buffer.from('replicas: 1\n') },
      {
        name: `${name}/templates/cm.yaml`,
        data: Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'),
      },
      { name: `${name}/charts/dep/Chart.yaml`, data: Buffer.from('apiVersion: v2\nname: dep\nversion: 9.9.9\n') },
    ],
    true,
  );
  return file;
}

/**
 * Pulls an image with skopeo into a `dir:` copy (skopeo checks every digest on the way) and returns its manifest and
 * the sha256 of every layer after gunzip — what a runtime would unpack, comparable with the source's diff_ids.
 */
export async function pullWithSkopeo(
  ref: string,
  access: RegistryAccess,
): Promise<{
  manifest: { config: { digest: string }; layers: { mediaType: string; digest: string }[] };
  uncompressed: string[];
}> {
  const dir = makeTempDir('push-pull');
  await runSkopeo('copy', [ref, `dir:${dir}`], { src: access });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const uncompressed = (manifest.layers as { mediaType: string; digest: string }[]).map((l) => {
    const data = readFileSync(join(dir, l.digest.slice('sha256:'.length)));
    return sha256(l.mediaType.endsWith('gzip') ? gunzipSync(data) : data);
  });
  removeTempDir(dir);
  return { manifest, uncompressed };
}
