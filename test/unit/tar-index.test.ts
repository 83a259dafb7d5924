import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { TarIndex } from '../../shared/oci/sources/tar-index';

/**
 * TarIndex reads only the headers of a docker-archive and skips each entry's data. Until then it streamed the whole
 * archive through tar-stream's extractor; that reader is kept here as the reference, and both must index every
 * archive below alike (the same entries: name, type, size, data offset, link) or refuse it with the same message:
 * archives written by tar-stream, GNU tar in each of its formats (long names through PAX records and GNU long-name
 * entries, ustar prefixes, links, directories, empty files), and damaged ones.
 */

interface Indexed {
  name: string;
  type: string | null;
  size: number;
  offset: number;
  linkname?: string | null;
}

/** The previous TarIndex.open (tar-stream's extractor over the whole file), reduced to its entries and its errors. */
async function referenceIndex(file: string): Promise<Map<string, Indexed>> {
  const entries = new Map<string, Indexed>();
  const parser = extract();
  parser.on('entry', (header, stream, next) => {
    stream.on('error', () => undefined);
    try {
      const name = posix.normalize(header.name).replace(/^\.\//, '').replace(/\/$/, '');
      entries.set(name, {
        name,
        type: header.type ?? null,
        size: header.size!,
        offset: (header as { byteOffset?: number }).byteOffset!,
        linkname: header.linkname,
      });
    } catch (error) {
      stream.resume();
      next(error as Error);
      return;
    }
    stream.on('end', () => next());
    stream.resume();
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), parser);
  } catch (error) {
    throw new Error(`${file} is not a readable tar archive (${(error as Error).message})`, { cause: error });
  }
  return entries;
}

async function indexOf(file: string): Promise<Map<string, Indexed>> {
  const tar = await TarIndex.open(file);
  return new Map(
    [...(tar as unknown as { entries: Map<string, Indexed> }).entries].map(([name, e]) => [
      name,
      { name: e.name, type: e.type, size: e.size, offset: e.offset, linkname: e.linkname },
    ]),
  );
}

async function sameAsReference(file: string): Promise<number> {
  const reference = await referenceIndex(file);
  expect(await indexOf(file)).toEqual(reference);
  return reference.size;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tar-index-'));
  // A tree with what tar formats differ on: names past 100 bytes (and past 155 + 100), a link name past 100, links,
  // empty files, directories, non-ASCII names, sizes that are and are not multiples of 512.
  const tree = join(dir, 'tree');
  const deep = join(tree, 'd'.repeat(90), 'e'.repeat(90));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(tree, 'small'), 'x');
  writeFileSync(join(tree, 'empty'), '');
  writeFileSync(join(tree, 'block'), Buffer.alloc(512, 7));
  writeFileSync(join(tree, 'naïve-ünïcode'), 'ü'.repeat(300));
  writeFileSync(join(deep, 'f'.repeat(120)), Buffer.alloc(70_000, 1));
  writeFileSync(join(deep, 'short'), Buffer.alloc(600, 3));
  symlinkSync('small', join(tree, 'link-to-small'));
  symlinkSync(join('d'.repeat(90), 'e'.repeat(90), 'f'.repeat(120)), join(tree, 'long-link'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TarIndex reads headers only, and indexes what the tar-stream reader indexed', () => {
  it.each(['gnu', 'oldgnu', 'ustar', 'posix'])('GNU tar --format=%s', async (format) => {
    const file = join(dir, `${format}.tar`);
    // ustar and v7 cannot hold every name of the tree: those formats get the short names only.
    const names = format === 'ustar' || format === 'v7' ? ['small', 'empty', 'block', 'link-to-small'] : ['.'];
    execFileSync('tar', [`--format=${format}`, '-cf', file, '-C', join(dir, 'tree'), ...names]);
    expect(await sameAsReference(file)).toBeGreaterThanOrEqual(4);
  });

  it('GNU tar with hard links and a ustar prefix (a path of 190 bytes)', async () => {
    const file = join(dir, 'hard.tar');
    const tree = join(dir, 'tree');
    execFileSync('ln', ['-f', join(tree, 'small'), join(tree, 'hard-small')]);
    const prefixed = join('d'.repeat(90), 'e'.repeat(90), 'short');
    execFileSync('tar', ['--format=ustar', '-cf', file, '-C', tree, 'small', 'hard-small', prefixed]);
    expect(await sameAsReference(file)).toBeGreaterThanOrEqual(3);
    rmSync(join(tree, 'hard-small'));
  });

  it('tar-stream with PAX records for long names', async () => {
    const file = join(dir, 'tar-stream.tar');
    const p = pack();
    p.entry({ name: 'a/'.repeat(80) + 'layer.tar' }, Buffer.alloc(1000, 2));
    p.entry({ name: 'short' }, 'hello');
    p.entry({ name: 'to-short', type: 'symlink', linkname: 'short' });
    p.entry({ name: 'dir', type: 'directory' });
    p.entry({ name: 'zero' }, '');
    p.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of p) chunks.push(chunk as Buffer);
    writeFileSync(file, Buffer.concat(chunks));
    expect(await sameAsReference(file)).toBe(5);
  });

  it('a docker-archive written by skopeo', async () => {
    const file = join(dir, 'skopeo.tar');
    const layout = join(dir, 'layout');
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    // The smallest image skopeo copies: an empty config and no layers (written here as an OCI layout).
    const sha = (data: Buffer) => execFileSync('sha256sum', { input: data }).toString().split(' ')[0];
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    writeFileSync(join(layout, 'blobs', 'sha256', sha(config)), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${sha(config)}`,
          size: config.length,
        },
        layers: [],
      }),
    );
    writeFileSync(join(layout, 'blobs', 'sha256', sha(manifest)), manifest);
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${sha(manifest)}`,
            size: manifest.length,
          },
        ],
      }),
    );
    execFileSync('skopeo', ['--insecure-policy', 'copy', '--quiet', `oci:${layout}`, `docker-archive:${file}:a/b:c`]);
    expect(await sameAsReference(file)).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['cut inside an entry', (file: string) => truncateSync(file, 1024 + 100)],
    ['cut inside a header', (file: string) => truncateSync(file, 512 + 200)],
    [
      'a changed checksum',
      (file: string) => {
        const data = readFileSync(file);
        data[0] ^= 1;
        writeFileSync(file, data);
      },
    ],
    ['gzipped', (file: string) => writeFileSync(file, gzipSync(readFileSync(file)))],
    [
      'trailing garbage',
      (file: string) => writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.alloc(512, 65)])),
    ],
    [
      'an unknown header format',
      (file: string) => {
        const data = readFileSync(file);
        data.write('xxxxx', 257, 'latin1');
        // Keep the checksum right, so the format is what is refused.
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : data[i];
        data.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
        writeFileSync(file, data);
      },
    ],
  ])('refuses an archive %s with the reference reader’s reason', async (_what, damage) => {
    const file = join(dir, 'damaged.tar');
    execFileSync('tar', ['--format=gnu', '-cf', file, '-C', join(dir, 'tree'), 'block', 'small']);
    damage(file);
    const reason = await referenceIndex(file).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(reason).not.toBe('accepted');
    await expect(TarIndex.open(file)).rejects.toThrow(reason);
  });

  it('refuses a v7 archive (neither ustar nor GNU headers), as the reference does', async () => {
    const file = join(dir, 'v7.tar');
    execFileSync('tar', ['--format=v7', '-cf', file, '-C', join(dir, 'tree'), 'small']);
    const reason = await referenceIndex(file).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(reason).toContain('unknown format');
    await expect(TarIndex.open(file)).rejects.toThrow(reason);
  });

  // A numeric field as other writers leave it: all NUL (some tar writers for an empty file), all spaces, octal padded
  // with spaces instead of zeros, or without its terminator. Each must read as the reference reads it.
  it.each([
    ['all NUL', '\0'.repeat(12), 0],
    ['all spaces', ' '.repeat(12), 0],
    ['octal after spaces', '          0 ', 0],
    ['octal with no terminator', '000000000000', 0],
  ])('reads a size field of %s as the reference does', async (_what, field, size) => {
    const file = join(dir, 'numeric.tar');
    execFileSync('tar', ['--format=gnu', '-cf', file, '-C', join(dir, 'tree'), 'empty', 'small']);
    const data = readFileSync(file);
    expect(data.toString('latin1', 0, 5)).toBe('empty');
    data.write(field, 124, 'latin1');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : data[i];
    data.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    writeFileSync(file, data);
    expect(await sameAsReference(file)).toBe(2);
    expect((await indexOf(file)).get('empty')?.size).toBe(size);
  });

  it('accepts an archive that ends without the two zero blocks, as the reference does', async () => {
    const file = join(dir, 'no-end.tar');
    execFileSync('tar', ['--format=gnu', '-cf', file, '-C', join(dir, 'tree'), 'block', 'small']);
    truncateSync(file, 512 + 512 + 512 + 512);
    expect(await sameAsReference(file)).toBe(2);
  });
});
