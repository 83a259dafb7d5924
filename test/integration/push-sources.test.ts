import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { request } from '../sandbox/net-utils';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { runSkopeo, skopeoDigest, type RegistryAccess } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';
import { makeChart, makeDockerArchive, pullWithSkopeo } from './push-fixtures';

// Every source type pushed to real registries — CNCF Distribution with htpasswd, and the Harbor emulator (token auth,
// project API) — then read back with skopeo, the independent client, and compared with the source.

let plain: RegistryHandle;
let harbor: HarborEmulator;
let robot: { username: string; password: string };
const dev = { username: 'dev', password: 'dev-password-1' };
const guest = { username: 'guest', password: 'guest-password-1' };

beforeAll(async () => {
  [plain, harbor] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startHarborEmulator({
      projects: [{ name: 'team' }],
      users: [
        { ...dev, projects: { team: 'developer' } },
        { ...guest, projects: { team: 'guest' } },
      ],
    }),
  ]);
  robot = harbor.addRobot({ name: 'ci', level: 'project', project: 'team', permissions: ['pull', 'push'] });
}, 30_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), harbor?.stop()]);
});

useContractCheck(() => [harbor]);

const plainAccess = (): RegistryAccess => ({ host: plain.host, ...plain.users[0] });
const harborAccess = (c: { username: string; password: string } = harbor.admin): RegistryAccess => ({
  host: harbor.host,
  ...c,
});

async function runPush(inputs: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform(inputs);
  await runCapability(push, platform);
  return platform;
}

function toPlain(extra: Record<string, string>): Record<string, string> {
  return {
    'harbor-url': plain.url,
    username: plain.users[0].username,
    password: plain.users[0].password,
    'create-project': 'false',
    ...extra,
  };
}

function toHarbor(
  extra: Record<string, string>,
  who: { username: string; password: string } = harbor.admin,
): Record<string, string> {
  return { 'harbor-url': harbor.url, username: who.username, password: who.password, ...extra };
}

async function rawManifest(ref: string, access: RegistryAccess): Promise<{ digest: string; json: any }> {
  const { stdout } = await runSkopeo('inspect', ['--raw', ref], { src: access });
  return { digest: `sha256:${createHash('sha256').update(stdout).digest('hex')}`, json: JSON.parse(stdout) };
}

function succeeded(p: FakePlatform): void {
  if (p.result?.result !== 'succeeded') throw new Error(`push failed: ${p.result?.message}\n${p.transcript}`);
}

describe('push to a plain registry (htpasswd, create-project false)', () => {
  it('OCI layout: the registry serves the source digest and every source layer, under every tag', async () => {
    const image = makeImage({ layers: 3, layerSize: 200_000 });
    const p = await runPush(
      toPlain({ project: 'lib', repository: 'web', tags: 'v1\nlatest', source: `oci:${image.dir}` }),
    );
    succeeded(p);
    expect(p.outputs.digest).toBe(image.digest);
    for (const tag of ['v1', 'latest'])
      expect(await skopeoDigest(`docker://${plain.host}/lib/web:${tag}`, plainAccess())).toBe(image.digest);
    const { manifest } = await pullWithSkopeo(`docker://${plain.host}/lib/web:v1`, plainAccess());
    expect(manifest.layers.map((l) => l.digest)).toEqual(image.manifests[0].layers);
    expect(p.outputs.images.split('\n')).toEqual([
      `${plain.host}/lib/web:v1`,
      `${plain.host}/lib/web:latest`,
      `${plain.host}/lib/web@${image.digest}`,
    ]);
    expect(Number(p.outputs.size)).toBeGreaterThan(600_000);
    expect(p.summaries.join('')).toContain('| Layers | 3 uploaded, 0 skipped, 0 mounted |');
    expect(
      p
        .messages('info')
        .filter((m) => /^ {2}uploaded layer \d sha256:[a-f0-9]{12} \S+ KiB in [\d.]+ s \(.+\/s\)$/.test(m)),
    ).toHaveLength(3);
    expect(p.transcript).not.toContain(plain.users[0].password);
  });

  it('multi-arch OCI index: pushed whole, children first, verified with skopeo inspect --raw', async () => {
    const image = makeImage({
      layers: 2,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
    const p = await runPush(
      toPlain({ project: 'lib', repository: 'multi', tags: '1.0', source: `oci:${image.dir}:${image.tag}` }),
    );
    succeeded(p);
    const index = await rawManifest(`docker://${plain.host}/lib/multi:1.0`, plainAccess());
    expect(index.digest).toBe(image.digest);
    expect(index.json.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.json.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture)).toEqual([
      'amd64',
      'arm64',
    ]);
    for (const child of image.manifests) {
      const m = await rawManifest(`docker://${plain.host}/lib/multi@${child.digest}`, plainAccess());
      expect(m.digest).toBe(child.digest);
      expect(m.json.layers.map((l: { digest: string }) => l.digest)).toEqual(child.layers);
    }
  });

  it('docker-archive (legacy docker save): layers gzipped on the fly; unpacked they equal the source layers', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 3, layerSize: 300_000 });
    const p = await runPush(
      toPlain({ project: 'lib', repository: 'legacy', tags: '1', source: `docker-archive:${archive.file}` }),
    );
    succeeded(p);
    const pulled = await pullWithSkopeo(`docker://${plain.host}/lib/legacy:1`, plainAccess());
    expect(pulled.manifest.config.digest).toBe(archive.configDigest);
    expect(
      pulled.manifest.layers.every((l) => l.mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip'),
    ).toBe(true);
    expect(pulled.uncompressed).toEqual(archive.diffIds);
    expect(await skopeoDigest(`docker://${plain.host}/lib/legacy:1`, plainAccess())).toBe(p.outputs.digest);
  });

  it('docker-archive re-push: the tag already holds the same image (same config), so nothing is uploaded again', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 2, layerSize: 100_000 });
    const first = await runPush(
      toPlain({ project: 'lib', repository: 'rerun', tags: '7,latest', source: `docker-archive:${archive.file}` }),
    );
    succeeded(first);
    const again = await runPush(
      toPlain({ project: 'lib', repository: 'rerun', tags: '7,latest', source: `docker-archive:${archive.file}` }),
    );
    succeeded(again);
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.outputs.size).toBe(first.outputs.size);
    expect(again.summaries.join('')).toContain('| Layers | 0 uploaded, 2 skipped, 0 mounted |');
    expect(again.messages('info').some((m) => m.startsWith('  skipped all layers: 7 already holds this image'))).toBe(
      true,
    );
    // Asking for other layer types is not the same image: it is pushed, and the tag moves.
    const plainLayers = await runPush(
      toPlain({
        project: 'lib',
        repository: 'rerun',
        tags: '7',
        compression: 'none',
        source: `docker-archive:${archive.file}`,
      }),
    );
    succeeded(plainLayers);
    expect(plainLayers.outputs.digest).not.toBe(first.outputs.digest);
    expect(await skopeoDigest(`docker://${plain.host}/lib/rerun:7`, plainAccess())).toBe(plainLayers.outputs.digest);
  });

  it('docker-archive (Docker 25+ OCI layout in the tar, symlinked layers): compression none keeps the digest', async () => {
    const archive = await makeDockerArchive({ layout: 'oci', layers: 2 });
    const p = await runPush(
      toPlain({
        project: 'lib',
        repository: 'ocitar',
        tags: '1',
        compression: 'none',
        source: `docker-archive:${archive.file}:app:1.0`,
      }),
    );
    succeeded(p);
    expect(p.outputs.digest).toBe(archive.manifestDigest);
    expect(await skopeoDigest(`docker://${plain.host}/lib/ocitar:1`, plainAccess())).toBe(archive.manifestDigest);
    const gz = await runPush(
      toPlain({ project: 'lib', repository: 'ocitar', tags: 'gz', source: `docker-archive:${archive.file}` }),
    );
    succeeded(gz);
    const pulled = await pullWithSkopeo(`docker://${plain.host}/lib/ocitar:gz`, plainAccess());
    expect(pulled.manifest.layers.map((l) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    expect(pulled.uncompressed).toEqual(archive.diffIds);
  });

  it('Helm chart: Helm media types, repository = chart name, tag = version (+ as _)', async () => {
    const chart = await makeChart('mychart', '1.2.3+build.4');
    const p = await runPush(toPlain({ project: 'charts', source: `chart:${chart}` }));
    succeeded(p);
    const m = await rawManifest(`docker://${plain.host}/charts/mychart:1.2.3_build.4`, plainAccess());
    expect(m.digest).toBe(p.outputs.digest);
    expect(m.json.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.json.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    expect(m.json.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    ]);
    expect(m.json.annotations['org.opencontainers.image.version']).toBe('1.2.3+build.4');
    const chartDigest = `sha256:${createHash('sha256').update(readFileSync(chart)).digest('hex')}`;
    expect(m.json.layers[0].digest).toBe(chartDigest);
    // The same chart pushed again has the same digest (no creation time in it).
    const again = await runPush(toPlain({ project: 'charts', source: `chart:${chart}`, tags: 'again,1.2.3_build.4' }));
    expect(again.outputs.digest).toBe(p.outputs.digest);
  });

  it('re-push skips everything; mount-from mounts layers from a sibling repository', async () => {
    const image = makeImage({ layers: 2, layerSize: 100_000 });
    succeeded(await runPush(toPlain({ project: 'lib', repository: 'base', source: `oci:${image.dir}` })));
    const again = await runPush(toPlain({ project: 'lib', repository: 'base', source: `oci:${image.dir}` }));
    succeeded(again);
    expect(again.summaries.join('')).toContain('| Layers | 0 uploaded, 2 skipped, 0 mounted |');
    const mounted = await runPush(
      toPlain({ project: 'lib', repository: 'derived', 'mount-from': 'lib/base', source: `oci:${image.dir}` }),
    );
    succeeded(mounted);
    expect(mounted.summaries.join('')).toContain('| Layers | 0 uploaded, 0 skipped, 2 mounted |');
    expect(
      mounted
        .messages('info')
        .filter((m) => /^ {2}mounted layer \d sha256:[a-f0-9]{12} \S+ KiB from lib\/base$/.test(m)),
    ).toHaveLength(2);
    expect(again.messages('info').filter((m) => m.startsWith('  skipped manifest'))).toHaveLength(1);
    expect(await skopeoDigest(`docker://${plain.host}/lib/derived:latest`, plainAccess())).toBe(image.digest);
  });

  it('create-project left at true on a plain registry: one line saying to set it false, nothing pushed', async () => {
    const image = makeImage();
    const p = await runPush(
      toPlain({ project: 'lib', repository: 'noharbor', 'create-project': 'true', source: `oci:${image.dir}` }),
    );
    expect(p.result).toEqual({
      result: 'failed',
      message: `${plain.host} does not serve the Harbor API (creating project lib answered 404); for a plain OCI registry set create-project to false`,
    });
    await expect(skopeoDigest(`docker://${plain.host}/lib/noharbor:latest`, plainAccess())).rejects.toThrow();
  });

  it('chunked upload (layers larger than chunk-size) lands intact', async () => {
    const image = makeImage({ layers: 1, layerSize: 3 * 1024 * 1024 + 17 });
    const p = await runPush(
      toPlain({ project: 'lib', repository: 'chunked', 'chunk-size': '1MiB', source: `oci:${image.dir}` }),
    );
    succeeded(p);
    const { manifest } = await pullWithSkopeo(`docker://${plain.host}/lib/chunked:latest`, plainAccess());
    expect(manifest.layers[0].digest).toBe(image.manifests[0].layers[0]);
  });

  it('a layout layer whose bytes do not match its digest is refused by the registry, and no tag is written', async () => {
    // The client does not hash a known blob while sending it: the registry hashes every upload and refuses a mismatch
    // (DIGEST_INVALID, distribution-spec), and the manifest and tags go up only after every blob was accepted.
    for (const [repository, chunkSize] of [
      ['tampered', '64MiB'],
      ['tampered-chunked', '1MiB'],
    ]) {
      const image = makeImage({ layers: 2, layerSize: 2 * 1024 * 1024 + 5 });
      const layer = join(image.dir, 'blobs', 'sha256', image.manifests[0].layers[1].slice(7));
      const bytes = readFileSync(layer);
      bytes[bytes.length >> 1] ^= 0xff; // same size, other bytes
      writeFileSync(layer, bytes);
      const p = await runPush(
        toPlain({ project: 'lib', repository, 'chunk-size': chunkSize, tags: 'v1', source: `oci:${image.dir}` }),
      );
      expect(p.result?.result).toBe('failed');
      expect(p.result?.message).toMatch(/DIGEST_INVALID/);
      expect(p.result?.message).toContain(image.manifests[0].layers[1].slice(0, 19));
      await expect(skopeoDigest(`docker://${plain.host}/lib/${repository}:v1`, plainAccess())).rejects.toThrow();
    }
  });

  it('docker: exports through the docker CLI into a private temp file that is removed afterwards', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 1 });
    const platform = new FakePlatform(toPlain({ project: 'lib', repository: 'fromdaemon', source: 'docker:app:1.0' }));
    platform.which = async (tool) => (tool === 'docker' ? '/usr/bin/docker' : undefined);
    let exported = '';
    platform.execHandler = async (_tool, args) => {
      exported = args[args.indexOf('--output') + 1];
      copyFileSync(archive.file, exported);
      return { code: 0, stdout: '', stderr: '' };
    };
    await runCapability(push, platform);
    succeeded(platform);
    expect(platform.execs[0].args).toEqual(['image', 'save', '--output', exported, 'app:1.0']);
    expect(existsSync(exported)).toBe(false);
    const pulled = await pullWithSkopeo(`docker://${plain.host}/lib/fromdaemon:latest`, plainAccess());
    expect(pulled.uncompressed).toEqual(archive.diffIds);
  });
});

describe('push to Harbor (token auth through the emulator)', () => {
  it('creates the missing project (private by default) and pushes; skopeo reads it back through Harbor', async () => {
    const image = makeImage({ layers: 2 });
    const p = await runPush(
      toHarbor({ project: 'newproj', repository: 'svc/api', tags: 'v1', source: `oci:${image.dir}` }),
    );
    succeeded(p);
    expect(p.messages('info')).toContain('Created Harbor project newproj (private)');
    const project = await request(`${harbor.url}/api/v2.0/projects/newproj`, {
      headers: {
        authorization: `Basic ${Buffer.from('admin:Harbor12345').toString('base64')}`,
        'x-is-resource-name': 'true',
      },
    });
    expect(project.json<{ metadata: { public: string } }>().metadata.public).toBe('false');
    expect(await skopeoDigest(`docker://${harbor.host}/newproj/svc/api:v1`, harborAccess())).toBe(image.digest);
  });

  it('a robot account (name with $) pushes a docker-archive into its project', async () => {
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 2 });
    const p = await runPush(
      toHarbor(
        {
          project: 'team',
          repository: 'robotpush',
          tags: '1.0',
          source: `docker-archive:${archive.file}`,
          'create-project': 'false',
        },
        robot,
      ),
    );
    succeeded(p);
    const pulled = await pullWithSkopeo(`docker://${harbor.host}/team/robotpush:1.0`, harborAccess());
    expect(pulled.uncompressed).toEqual(archive.diffIds);
    expect(p.transcript).not.toContain(robot.password);
  });

  it('a developer pushes a chart into an existing project', async () => {
    const chart = await makeChart('webapp', '0.1.0');
    const p = await runPush(toHarbor({ project: 'team', source: `chart:${chart}` }, dev));
    succeeded(p);
    expect(p.messages('info')).toContain('Harbor project team exists');
    const m = await rawManifest(`docker://${harbor.host}/team/webapp:0.1.0`, harborAccess());
    expect(m.json.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
  });

  it('every source type into one auto-created project: multi-arch index, OCI-in-tar archive, chart', async () => {
    const multi = makeImage({
      layers: 1,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    const archive = await makeDockerArchive({ layout: 'oci', layers: 2 });
    const chart = await makeChart('allchart', '3.0.0');
    const index = await runPush(
      toHarbor({ project: 'allsources', repository: 'multi', tags: '1', source: `oci:${multi.dir}` }),
    );
    succeeded(index);
    expect(index.messages('info')).toContain('Created Harbor project allsources (private)');
    const raw = await rawManifest(`docker://${harbor.host}/allsources/multi:1`, harborAccess());
    expect(raw.digest).toBe(multi.digest);
    expect(raw.json.manifests.map((m: { digest: string }) => m.digest)).toEqual(multi.manifests.map((m) => m.digest));
    const tar = await runPush(
      toHarbor({ project: 'allsources', repository: 'archive', tags: '1', source: `docker-archive:${archive.file}` }),
    );
    succeeded(tar);
    expect(tar.messages('info')).toContain('Harbor project allsources exists');
    expect((await pullWithSkopeo(`docker://${harbor.host}/allsources/archive:1`, harborAccess())).uncompressed).toEqual(
      archive.diffIds,
    );
    succeeded(await runPush(toHarbor({ project: 'allsources', source: `chart:${chart}` })));
    expect(
      (await rawManifest(`docker://${harbor.host}/allsources/allchart:3.0.0`, harborAccess())).json.layers[0].mediaType,
    ).toBe('application/vnd.cncf.helm.chart.content.v1.tar+gzip');
  });

  it('wrong password: one line naming the user and the registry, no retry', async () => {
    const image = makeImage();
    const p = await runPush(
      toHarbor(
        { project: 'team', repository: 'x', source: `oci:${image.dir}`, 'create-project': 'false' },
        { username: 'robot$team+ci', password: 'wrong' },
      ),
    );
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      new RegExp(`^Registry authentication failed for robot\\$team\\+ci at ${harbor.host.replace(/\./g, '\\.')}`),
    );
  });

  it('a guest may not push: the message names the project role needed', async () => {
    const image = makeImage();
    const p = await runPush(toHarbor({ project: 'team', repository: 'x', source: `oci:${image.dir}` }, guest));
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toContain('Registry denied push to');
    expect(p.result?.message).toContain('for guest');
    expect(p.result?.message).toContain('Developer or above');
  });

  it('create-project false and no such project: says so', async () => {
    const image = makeImage();
    const p = await runPush(
      toHarbor({ project: 'nothere', repository: 'x', source: `oci:${image.dir}`, 'create-project': 'false' }),
    );
    expect(p.result).toEqual({
      result: 'failed',
      message: 'Harbor project nothere does not exist; create it, or set create-project to true',
    });
  });

  it('an invalid tag fails before anything is sent', async () => {
    const image = makeImage();
    const before = harbor.requests().length;
    const p = await runPush(
      toHarbor({ project: 'team', repository: 'x', tags: 'ok,-bad', source: `oci:${image.dir}` }),
    );
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toBe(
      "Input 'tags': '-bad' is not a valid tag (OCI tags are up to 128 characters of letters, digits, _ . -, not starting with . or -)",
    );
    expect(harbor.requests().length).toBe(before);
  });
});

describe('connection errors', () => {
  it('unreachable registry: host:port and cause', async () => {
    const image = makeImage();
    const p = await runPush({
      'harbor-url': 'http://127.0.0.1:1',
      project: 'p',
      repository: 'r',
      source: `oci:${image.dir}`,
      'create-project': 'false',
    });
    expect(p.result?.message).toContain('cannot connect to 127.0.0.1:1 (connection refused)');
  });

  it('TLS registry: without its CA the error points to ca-file / insecure; with ca-file the push works', async () => {
    const tls = await startRegistry({ auth: 'htpasswd', tls: true });
    try {
      const image = makeImage();
      const inputs = {
        'harbor-url': tls.url,
        ...tls.users[0],
        project: 'p',
        repository: 'r',
        source: `oci:${image.dir}`,
        'create-project': 'false',
      };
      const bad = await runPush(inputs);
      expect(bad.result?.message).toMatch(
        /^TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); set ca-file to the PEM file of its CA, or insecure to true/,
      );
      // A relative ca-file is taken from the workspace, like the source path (not from the process's directory).
      const workspace = mkdtempSync(join(tmpdir(), 'push-ws-'));
      copyFileSync(tls.caFile!, join(workspace, 'registry-ca.pem'));
      const good = new FakePlatform({ ...inputs, 'ca-file': 'registry-ca.pem' }, workspace);
      await runCapability(push, good);
      succeeded(good);
      expect(
        await skopeoDigest(`docker://${tls.host}/p/r:latest`, {
          host: tls.host,
          ...tls.users[0],
          caFile: tls.caFile,
          https: true,
        }),
      ).toBe(image.digest);
    } finally {
      await tls.stop();
    }
  });
});
