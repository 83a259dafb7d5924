import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCapability } from '../../shared/capability';
import deploy from '../../shared/capabilities/deploy';
import { httpClientFor } from '../../shared/capability';
import { helmArchive, installHelm, normalizeHelmVersion, parseChecksum } from '../../shared/helm/helm-install';
import { FakePlatform } from '../support/fake-platform';

const VERSION = '3.19.1';
const FAKE_TOOLS = join(__dirname, '../fixtures/fake-helm/fake-tools.js');

/**
 * A loopback "get.helm.sh": serves a real helm-v<version>-<os>-<arch>.tar.gz built here (its `helm` is the fake helm
 * reporting that version) and the matching .sha256sum, and counts requests.
 */
class Mirror {
  server!: Server;
  url = '';
  requests: string[] = [];
  files = new Map<string, Buffer>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'helm-mirror-'));

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      // a mirror behind a redirect (CDNs, release pages)
      if (req.url?.startsWith('/moved/')) {
        res.writeHead(302, { location: req.url.slice('/moved'.length) }).end();
        return;
      }
      const body = this.files.get((req.url ?? '').slice(1));
      if (!body) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  /** Builds the archive the way helm's release does: <os>-<arch>/helm plus LICENSE and README.md. */
  publish(version: string, { checksum }: { checksum?: string } = {}): string {
    const archive = helmArchive(version);
    const root = join(this.dir, version);
    mkdirSync(join(root, archive.folder), { recursive: true });
    const helm = join(root, archive.folder, archive.binary);
    writeFileSync(
      helm,
      `#!/bin/sh\nFAKE_HELM_VERSION=v${version}+gmirror exec "${process.execPath}" -e 'require(${JSON.stringify(FAKE_TOOLS)}).helm(process.argv.slice(1))' "$@"\n`,
    );
    chmodSync(helm, 0o755);
    writeFileSync(join(root, archive.folder, 'LICENSE'), 'Apache License 2.0\n');
    const tarball = join(this.dir, archive.file);
    execFileSync('tar', ['-czf', tarball, '-C', root, archive.folder]);
    const body = readFileSync(tarball);
    const sha = checksum ?? createHash('sha256').update(body).digest('hex');
    this.files.set(archive.file, body);
    this.files.set(`${archive.file}.sha256sum`, Buffer.from(`${sha}  ${archive.file}\n`));
    return sha;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let mirror: Mirror;
let state: string;
const savedEnv = { ...process.env };

beforeEach(async () => {
  mirror = await new Mirror().start();
  state = mkdtempSync(join(tmpdir(), 'fake-helm-state-'));
  // node and tar, but no helm: the step has to install it
  process.env.PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(':');
  process.env.FAKE_HELM_STATE = state;
});
afterEach(async () => {
  await mirror.stop();
  rmSync(state, { recursive: true, force: true });
  process.env = { ...savedEnv };
});

describe('helm from the tool cache', () => {
  it('names archives as get.helm.sh does', () => {
    expect(helmArchive('3.19.0', 'linux', 'x64')).toEqual({
      file: 'helm-v3.19.0-linux-amd64.tar.gz',
      folder: 'linux-amd64',
      binary: 'helm',
    });
    expect(helmArchive('3.19.0', 'darwin', 'arm64').file).toBe('helm-v3.19.0-darwin-arm64.tar.gz');
    expect(helmArchive('3.19.0', 'win32', 'x64')).toEqual({
      file: 'helm-v3.19.0-windows-amd64.zip',
      folder: 'windows-amd64',
      binary: 'helm.exe',
    });
    expect(() => helmArchive('3.19.0', 'aix', 'ppc')).toThrow(/no release archive for aix\/ppc/);
    expect(normalizeHelmVersion('v3.19.0', 'helm-version')).toBe('3.19.0');
    expect(() => normalizeHelmVersion('latest', 'helm-version')).toThrow(
      "Input 'helm-version' must be an exact helm version like 4.3.1 (got 'latest')",
    );
    expect(() => normalizeHelmVersion('3.19', 'helm-version')).toThrow(/exact helm version/);
    expect(normalizeHelmVersion('4.3.1', 'helm-version')).toBe('4.3.1');
    expect(() => normalizeHelmVersion('2.17.0', 'helmVersion')).toThrow(
      "Input 'helmVersion' must be a Helm 3 or Helm 4 version like 4.3.1 (got '2.17.0')",
    );
    expect(() => normalizeHelmVersion('v5.0.0', 'helm-version')).toThrow(/must be a Helm 3 or Helm 4 version/);
  });

  it('parses .sha256sum files and bare .sha256 files', () => {
    const hex = 'a'.repeat(64);
    expect(parseChecksum(`${hex}  helm-v3.19.0-linux-amd64.tar.gz\n`, 'helm-v3.19.0-linux-amd64.tar.gz', 'u')).toBe(
      hex,
    );
    expect(parseChecksum(`${hex.toUpperCase()}\n`, 'x.tar.gz', 'u')).toBe(hex);
    expect(() => parseChecksum(`${hex}  other.tar.gz\n`, 'x.tar.gz', 'http://m/x.tar.gz')).toThrow(
      /No sha256 for x.tar.gz .* refusing to install an unverified helm/,
    );
  });

  it('downloads, verifies and caches helm; the second run uses the cache without a request', async () => {
    const sha = mirror.publish(VERSION);
    const platform = new FakePlatform();
    const http = httpClientFor(platform);
    const helm = await installHelm(platform, http, VERSION, mirror.url);
    expect(execFileSync(helm, ['version', '--short'], { env: process.env }).toString().trim()).toBe(
      `v${VERSION}+gmirror`,
    );
    expect(platform.messages('info')).toContain(`helm ${VERSION} verified (sha256 ${sha}) and cached`);
    expect(mirror.requests).toEqual([`/${helmArchive(VERSION).file}.sha256sum`, `/${helmArchive(VERSION).file}`]);
    // the download and the unpacked tree are gone from temp; only the cache keeps helm
    expect(readdirSync(platform.tempDir()).filter((n) => n.startsWith('helm-install-'))).toEqual([]);

    expect(await installHelm(platform, http, VERSION, mirror.url)).toBe(helm);
    expect(mirror.requests).toHaveLength(2);
  });

  it('follows the redirects of a mirror', async () => {
    mirror.publish(VERSION);
    const platform = new FakePlatform();
    await installHelm(platform, httpClientFor(platform), VERSION, `${mirror.url}/moved`);
    expect(mirror.requests.filter((r) => !r.startsWith('/moved/'))).toEqual([
      `/${helmArchive(VERSION).file}.sha256sum`,
      `/${helmArchive(VERSION).file}`,
    ]);
    expect(await platform.findCachedTool('helm', VERSION)).toBeDefined();
  });

  it('refuses an archive that does not match its published checksum, and caches nothing', async () => {
    mirror.publish(VERSION, { checksum: 'b'.repeat(64) });
    const platform = new FakePlatform();
    await expect(installHelm(platform, httpClientFor(platform), VERSION, mirror.url)).rejects.toThrow(
      new RegExp(
        `helm ${VERSION} from http://127.0.0.1:\\d+/helm-v${VERSION}-\\S+ does not match its published sha256 \\(expected b{64}, got [0-9a-f]{64}\\); refusing to install it`,
      ),
    );
    expect(await platform.findCachedTool('helm', VERSION)).toBeUndefined();
  });

  it('refuses when no checksum is published', async () => {
    mirror.publish(VERSION);
    mirror.files.delete(`${helmArchive(VERSION).file}.sha256sum`);
    const platform = new FakePlatform();
    await expect(installHelm(platform, httpClientFor(platform), VERSION, mirror.url)).rejects.toThrow(
      /\.sha256sum answered 404; check helm-version and helm-mirror/,
    );
    expect(mirror.requests).toHaveLength(1);
  });

  it('the deploy step installs the pinned helm-version when helm is missing and deploys with it', async () => {
    mirror.publish(VERSION);
    const platform = new FakePlatform({
      profile: 'managed-disks',
      hostname: 'harbor.example.com',
      'admin-password': 'Install-Adm1n',
      wait: 'false',
      'helm-version': `v${VERSION}`,
      'helm-mirror': mirror.url,
    });
    await runCapability(deploy, platform);
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.messages('info')).toContain(
      `Using helm ${VERSION} (${join((await platform.findCachedTool('helm', VERSION))!, 'helm')})`,
    );
    const calls = readFileSync(join(state, 'calls.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[] });
    expect(calls.map((c) => c.argv[0])).toEqual(['version', 'get', 'upgrade']);
    expect(platform.outputs.revision).toBe('1');
  });

  it('the deploy step stops before the cluster when the download is refused', async () => {
    mirror.publish(VERSION, { checksum: 'c'.repeat(64) });
    const platform = new FakePlatform({
      profile: 'managed-disks',
      hostname: 'h.example.com',
      'admin-password': 'x-Adm1n',
      'helm-version': VERSION,
      'helm-mirror': mirror.url,
    });
    await runCapability(deploy, platform);
    expect(platform.result?.message).toMatch(/does not match its published sha256/);
    expect(existsSync(join(state, 'calls.jsonl'))).toBe(false);
  });
});
