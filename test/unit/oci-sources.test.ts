import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { gzipOnTheFly, gzipStream } from '../../shared/oci/compress';
import { openDockerArchive, splitArchiveSpec } from '../../shared/oci/sources/docker-archive';
import { openDockerDaemon } from '../../shared/oci/sources/docker-daemon';
import { openHelmChart } from '../../shared/oci/sources/helm-chart';
import { openOciLayout, splitLayoutSpec } from '../../shared/oci/sources/oci-layout';
import { TarIndex } from '../../shared/oci/sources/tar-index';
import { fileChunks } from '../../shared/oci/file-range';
import { makeImage } from '../sandbox/make-image';
import { FakePlatform } from '../support/fake-platform';
import { makeChart, makeDockerArchive, writeTar } from '../integration/push-fixtures';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oci-sources-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('file chunks for upload bodies', () => {
  it('reads exactly [start, end) of a file, in chunks a consumer copies before asking for the next', async () => {
    const data = randomBytes(2.5 * 1024 * 1024 + 17);
    const file = join(dir, 'blob');
    writeFileSync(file, data);
    for (const [start, end] of [
      [0, data.length],
      [5, data.length - 7],
      [1024 * 1024, 2 * 1024 * 1024],
      [3, 3],
      [0, 100],
    ]) {
      const copies: Buffer[] = [];
      for await (const chunk of fileChunks(file, start, end)) copies.push(Buffer.from(chunk));
      expect(Buffer.concat(copies).equals(data.subarray(start, end))).toBe(true);
    }
    await expect(async () => {
      for await (const chunk of fileChunks(file, 0, data.length + 10)) void chunk;
    }).rejects.toThrow(`${file} ended at byte ${data.length}, before byte ${data.length + 10}`);
  });
});

describe('tar index (docker-archive reader)', () => {
  it('streams entries in place, byte ranges included, and follows symlinks inside the archive', async () => {
    const file = join(dir, 'a.tar');
    const data = Buffer.from('0123456789'.repeat(100));
    await writeTar(file, [
      { name: 'blobs/sha256/abc', data },
      { name: 'x/layer.tar', type: 'symlink', linkname: '../blobs/sha256/abc' },
      { name: './hard', type: 'link', linkname: 'blobs/sha256/abc' },
    ]);
    const tar = await TarIndex.open(file);
    expect(await readAll(tar.stream('x/layer.tar'))).toEqual(data);
    expect(await readAll(tar.stream('hard', 5, 15))).toEqual(data.subarray(5, 15));
    expect(await tar.read('blobs/sha256/abc')).toEqual(data);
  });

  it.each([
    [
      'a path with ..',
      [{ name: '../evil', data: Buffer.from('x') }],
      'refusing entry that escapes the archive: ../evil',
    ],
    [
      'an absolute path',
      [{ name: '/etc/evil', data: Buffer.from('x') }],
      'refusing entry with an absolute path: /etc/evil',
    ],
    [
      'a symlink out',
      [{ name: 'layer.tar', type: 'symlink' as const, linkname: '../../etc/passwd' }],
      'refusing layer.tar, a link that points out of the archive',
    ],
    [
      'an absolute symlink',
      [{ name: 'layer.tar', type: 'symlink' as const, linkname: '/etc/passwd' }],
      'refusing layer.tar, a link that points out of the archive',
    ],
    [
      'a hard link out',
      [{ name: 'a/b', type: 'link' as const, linkname: 'a/../../x' }],
      'refusing a/b, a link that points out of the archive',
    ],
  ])('refuses %s', async (_what, entries, message) => {
    const file = join(dir, 'evil.tar');
    await writeTar(file, entries);
    await expect(TarIndex.open(file)).rejects.toThrow(`${file}: ${message}`);
  });

  it('names a file that is not a tar', async () => {
    const file = join(dir, 'not.tar');
    writeFileSync(file, 'hello, this is not a tar archive'.repeat(40));
    await expect(TarIndex.open(file)).rejects.toThrow(new RegExp(`^${file} is not a readable tar archive`));
  });
});

describe('docker-archive source', () => {
  it('legacy layout: a Docker v2 manifest over the config and the layers, gzipped on the fly when asked', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 2 });
    const plain = await openDockerArchive(archive.file);
    expect(plain.root.bytes).toBeDefined();
    const manifest = JSON.parse(plain.root.bytes!.toString());
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.config.digest).toBe(archive.configDigest);
    expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual(archive.diffIds);
    const gz = await openDockerArchive(archive.file, { compress: (b) => gzipOnTheFly(b) });
    expect(gz.root.bytes).toBeUndefined();
    const layer = gz.root.blobs[1];
    expect(layer.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(layer.digest).toBeUndefined();
    expect(sha256(gunzipSync(await readAll(layer.open())))).toBe(archive.diffIds[0]);
    const rebuilt = JSON.parse(
      gz.root.build!(
        [
          { mediaType: 'c', digest: 'sha256:c', size: 1 },
          { mediaType: 'l', digest: 'sha256:1', size: 2 },
          { mediaType: 'l', digest: 'sha256:2', size: 3 },
        ],
        [],
      ).toString(),
    );
    expect(rebuilt.layers).toEqual([
      { mediaType: 'l', digest: 'sha256:1', size: 2 },
      { mediaType: 'l', digest: 'sha256:2', size: 3 },
    ]);
  });

  it('OCI layout inside the tar: picks the image by name in any spelling', async () => {
    const archive = await makeDockerArchive({ layout: 'oci', tag: 'app:1.0' });
    for (const ref of [undefined, 'app:1.0', 'library/app:1.0', 'docker.io/library/app:1.0', '1.0']) {
      const source = await openDockerArchive(ref ? `${archive.file}:${ref}` : archive.file);
      expect(sha256(source.root.bytes!)).toBe(archive.manifestDigest);
    }
    await expect(openDockerArchive(`${archive.file}:other:2`)).rejects.toThrow(
      `${archive.file} has no image 'other:2' (it has docker.io/library/app:1.0)`,
    );
  });

  it('names what is wrong with an archive', async () => {
    const file = join(dir, 'empty.tar');
    await writeTar(file, [{ name: 'readme', data: Buffer.from('x') }]);
    await expect(openDockerArchive(file)).rejects.toThrow(
      `${file} is not a docker-archive (no manifest.json or index.json); create it with docker save -o <file> <image>`,
    );
    await expect(openDockerArchive(join(dir, 'missing.tar'))).rejects.toThrow(
      `Archive ${join(dir, 'missing.tar')} does not exist`,
    );
  });

  it('splits file:image specs on the longest existing file', () => {
    const file = join(dir, 'img.tar');
    writeFileSync(file, '');
    expect(splitArchiveSpec(`${file}:app:1.0`)).toEqual({ file, ref: 'app:1.0' });
    expect(splitArchiveSpec(file)).toEqual({ file });
  });
});

describe('OCI layout source', () => {
  it('finds the image by ref name or digest, and lists the refs when it must choose', async () => {
    const a = makeImage({ dir: join(dir, 'layout'), tag: 'v1' });
    const index = JSON.parse(readFileSync(join(a.dir, 'index.json'), 'utf8'));
    index.manifests.push({ ...index.manifests[0], annotations: { 'org.opencontainers.image.ref.name': 'v2' } });
    writeFileSync(join(a.dir, 'index.json'), JSON.stringify(index));
    expect(sha256((await openOciLayout(`${a.dir}:v1`)).root.bytes!)).toBe(a.digest);
    expect(sha256((await openOciLayout(`${a.dir}@${a.digest}`)).root.bytes!)).toBe(a.digest);
    await expect(openOciLayout(a.dir)).rejects.toThrow(
      `OCI layout ${a.dir} holds 2 images; name one as oci:${a.dir}:<ref> (refs: v1, v2)`,
    );
    await expect(openOciLayout(`${a.dir}:v3`)).rejects.toThrow(`OCI layout ${a.dir} has no image 'v3' (refs: v1, v2)`);
  });

  it('a missing or corrupt blob fails before anything is pushed', async () => {
    const image = makeImage({ dir: join(dir, 'broken'), layers: 1 });
    const layer = join(image.dir, 'blobs', 'sha256', image.manifests[0].layers[0].slice(7));
    rmSync(layer);
    await expect(openOciLayout(image.dir)).rejects.toThrow(
      `OCI layout ${image.dir} has no blob ${image.manifests[0].layers[0]} (layer 1); copy the image again with all its platforms`,
    );
    writeFileSync(join(image.dir, 'blobs', 'sha256', image.digest.slice(7)), '{"tampered":true}');
    await expect(openOciLayout(image.dir)).rejects.toThrow(
      /is \d+ bytes, but its descriptor says|does not match its digest/,
    );
    await expect(openOciLayout(join(dir, 'nowhere'))).rejects.toThrow(
      `${join(dir, 'nowhere')} is not an OCI image layout (no valid oci-layout file)`,
    );
  });

  it('splits dir:ref and dir@digest specs', () => {
    expect(splitLayoutSpec('/out/img:v1')).toEqual({ dir: '/out/img', ref: 'v1' });
    expect(splitLayoutSpec(`/out/img@sha256:${'a'.repeat(64)}`)).toEqual({
      dir: '/out/img',
      ref: `sha256:${'a'.repeat(64)}`,
    });
    expect(splitLayoutSpec(dir)).toEqual({ dir });
  });
});

describe('Helm chart source', () => {
  it('writes Helm’s config (chart metadata in Helm’s field order) and suggests name and version', async () => {
    const chart = await makeChart('web', '1.0.0');
    const source = await openHelmChart(chart);
    const config = JSON.parse((await readAll(source.root.blobs[0].open())).toString());
    expect(Object.keys(config)).toEqual(['name', 'version', 'description', 'apiVersion', 'appVersion', 'type']);
    expect(config).toMatchObject({ name: 'web', version: '1.0.0', appVersion: '2.0' });
    expect(source.suggested).toEqual({ repository: 'web', tag: '1.0.0' });
    expect(source.root.blobs[1].digest).toBe(sha256(readFileSync(chart)));
    expect(source.root.blobs).toHaveLength(2);
  });

  it('adds the provenance file as a layer when it lies next to the chart', async () => {
    const chart = await makeChart('signed', '0.1.0');
    writeFileSync(`${chart}.prov`, '-----BEGIN PGP SIGNED MESSAGE-----\n');
    const source = await openHelmChart(chart);
    expect(source.root.blobs.map((b) => b.mediaType)).toEqual([
      'application/vnd.cncf.helm.config.v1+json',
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      'application/vnd.cncf.helm.chart.provenance.v1.prov',
    ]);
  });

  it('refuses files that are not packaged charts', async () => {
    const notChart = join(dir, 'x.tgz');
    await writeTar(
      notChart,
      [{ name: 'dep/charts/sub/Chart.yaml', data: Buffer.from('name: sub\nversion: 1.0.0\n') }],
      true,
    );
    await expect(openHelmChart(notChart)).rejects.toThrow(
      `${notChart} is not a packaged Helm chart: no <name>/Chart.yaml inside`,
    );
    await expect(openHelmChart(join(dir, 'none.tgz'))).rejects.toThrow(
      `Chart ${join(dir, 'none.tgz')} does not exist; package it with helm package first`,
    );
  });
});

/** gzipStream's output for the fixed input below, taken from the implementation of bench/push/RESULTS.md (Node 20's zlib). */
const PINNED_GZIP = {
  size: 1_442_045,
  digest: 'sha256:0e5a520eeb3d2db2a9d4ba1670560db6480acab55f541c96d760a4ddd4d95aaf',
};

describe('gzip on the fly', () => {
  const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `line ${i} of a layer with some text\n`).join(''));
  const random = randomBytes(3 * 1024 * 1024 + 123);
  const feed = (data: Buffer, chunk: number) =>
    Readable.from(
      Array.from({ length: Math.ceil(data.length / chunk) }, (_, i) => data.subarray(i * chunk, (i + 1) * chunk)),
    );

  it('is one ordinary gzip member that gunzips to the input', async () => {
    for (const data of [text, random, Buffer.concat([random.subarray(0, 1_500_000), text]), Buffer.alloc(0)]) {
      const out = await readAll(feed(data, 65536).pipe(gzipStream()));
      expect(gunzipSync(out).equals(data)).toBe(true);
      expect(out.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    }
  });

  it('depends on the content only: other read chunking, same bytes (a retried upload has the same digest)', async () => {
    const data = Buffer.concat([text, random]);
    const [a, b] = [
      await readAll(feed(data, 65536).pipe(gzipStream())),
      await readAll(feed(data, 333_333).pipe(gzipStream())),
    ];
    expect(a.equals(b)).toBe(true);
  });

  it('compresses like a plain gzip stream, and stores incompressible blocks instead of deflating them', async () => {
    const packed = await readAll(feed(text, 65536).pipe(gzipStream()));
    expect(packed.length).toBeLessThan(gzipSync(text, { level: 1 }).length * 1.02);
    const stored = await readAll(feed(random, 65536).pipe(gzipStream()));
    expect(stored.length).toBeLessThan(random.length * 1.001);
  });

  it('pins its output bytes: the same input gives the same gzip (and so the same layer digest) as when this was written', async () => {
    // Fixed input: text (deflated blocks), counter-mode SHA-256 noise (stored blocks), and a tail shorter than a block.
    const noise = Buffer.concat(
      Array.from({ length: 40_000 }, (_, i) => createHash('sha256').update(`block ${i}`).digest()),
    );
    const data = Buffer.concat([text, noise, text.subarray(0, 123_457)]);
    const out = await readAll(feed(data, 100_000).pipe(gzipStream()));
    expect(gunzipSync(out).equals(data)).toBe(true);
    // A change here means every docker-archive push gets new layer digests (registries store them again): only on purpose.
    expect({ size: out.length, digest: sha256(out) }).toEqual(PINNED_GZIP);
  });

  it('wraps only uncompressed layer types', async () => {
    const blob = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      label: 'layer 1',
      open: () => Readable.from([text]),
    };
    const gz = gzipOnTheFly(blob);
    expect(gz.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(gunzipSync(await readAll(gz.open())).equals(text)).toBe(true);
    const already = { ...blob, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
    expect(gzipOnTheFly(already)).toBe(already);
  });
});

describe('docker: source', () => {
  it('without a docker CLI it says so and points to the daemonless sources', async () => {
    const platform = new FakePlatform({});
    platform.which = async () => undefined;
    await expect(openDockerDaemon('app:1', platform)).rejects.toThrow(
      'docker:app:1 needs the docker CLI, which is not on PATH; push from files instead (oci:<dir> or docker-archive:<file>)',
    );
  });

  it('a failed docker save is one line and leaves no temp file behind', async () => {
    const platform = new FakePlatform({});
    platform.which = async () => '/usr/bin/docker';
    let output = '';
    platform.execHandler = async (_t, args) => {
      output = args[args.indexOf('--output') + 1];
      return { code: 1, stdout: '', stderr: 'Error response from daemon: reference does not exist\nmore' };
    };
    await expect(openDockerDaemon('nope:1', platform)).rejects.toThrow(
      'docker image save nope:1 failed: Error response from daemon: reference does not exist',
    );
    expect(existsSync(join(output, '..'))).toBe(false);
  });
});
