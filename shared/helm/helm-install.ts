import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UserError } from '../errors';
import type { HttpClient, HttpResponse } from '../http/client';
import type { Platform } from '../platform';
import { redactUrl } from '../redact';
import { PrivateDir } from '../kube/private-dir';
import { DEFAULT_HELM_VERSION } from './helm-defaults';

/**
 * Installs helm into the runner's tool cache from the official release archives (or a mirror with the same layout).
 * The archive URL is derived from the version — no GitHub API lookup that can be rate-limited into an old fallback —
 * and the archive must match the `.sha256sum` published next to it, or it is never unpacked.
 */
const OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export interface HelmArchive {
  /** e.g. helm-v3.19.0-linux-amd64.tar.gz */
  file: string;
  /** The folder inside the archive that holds the binary, e.g. linux-amd64 */
  folder: string;
  binary: string;
}

export function helmArchive(
  version: string,
  platform: string = process.platform,
  arch: string = process.arch,
): HelmArchive {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (!os || !cpu) throw new UserError(`helm has no release archive for ${platform}/${arch}; put helm on PATH instead`);
  const ext = os === 'windows' ? 'zip' : 'tar.gz';
  return {
    file: `helm-v${version}-${os}-${cpu}.${ext}`,
    folder: `${os}-${cpu}`,
    binary: os === 'windows' ? 'helm.exe' : 'helm',
  };
}

/**
 * `4.3.1` or `v4.3.1` → `4.3.1`; anything else is refused before a URL is built from it. Helm 3 and 4 publish
 * their archives and `.sha256sum` files under the same names on get.helm.sh, so one installer serves both.
 */
export function normalizeHelmVersion(text: string, label: string): string {
  const m = /^v?((\d+)\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(text.trim());
  if (!m)
    throw new UserError(
      `Input '${label}' must be an exact helm version like ${DEFAULT_HELM_VERSION} (got '${text.trim()}')`,
    );
  if (m[2] !== '3' && m[2] !== '4')
    throw new UserError(
      `Input '${label}' must be a Helm 3 or Helm 4 version like ${DEFAULT_HELM_VERSION} (got '${text.trim()}')`,
    );
  return m[1];
}

/** Returns the helm binary for `version`, from the tool cache or freshly downloaded and verified. */
export async function installHelm(
  platform: Platform,
  http: HttpClient,
  version: string,
  mirror: string,
): Promise<string> {
  const archive = helmArchive(version);
  const cached = await platform.findCachedTool('helm', version);
  if (cached && existsSync(join(cached, archive.binary))) {
    platform.debug(`helm ${version} found in the tool cache: ${cached}`);
    return join(cached, archive.binary);
  }
  const base = mirror.replace(/\/+$/, '');
  const url = `${base}/${archive.file}`;
  platform.info(`Downloading helm ${version} from ${redactUrl(url)}`);

  const expected = parseChecksum((await get(http, `${url}.sha256sum`)).text(), archive.file, url);
  const dir = new PrivateDir(platform.tempDir(), 'helm-install-');
  try {
    const file = dir.file(archive.file);
    const res = await get(http, url, true);
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(res.stream!, tap, createWriteStream(file, { mode: 0o600 }));
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new UserError(
        `helm ${version} from ${redactUrl(url)} does not match its published sha256 (expected ${expected}, got ${actual}); refusing to install it`,
      );
    }
    const out = join(dir.path, 'unpacked');
    mkdirSync(out);
    // tar unpacks .tar.gz everywhere and .zip on Windows (bsdtar), as the runners' own tool installers do.
    const args = archive.file.endsWith('.zip') ? ['-xf', file, '-C', out] : ['-xzf', file, '-C', out];
    const untar = await platform.exec('tar', args, { silent: true, ignoreReturnCode: true });
    if (untar.code !== 0 || !existsSync(join(out, archive.folder, archive.binary))) {
      throw new UserError(
        `Cannot unpack ${archive.file}: ${untar.stderr.trim() || `no ${archive.folder}/${archive.binary} inside`}`,
      );
    }
    const cachedDir = await platform.cacheTool(join(out, archive.folder), 'helm', version);
    const binary = join(cachedDir, archive.binary);
    chmodSync(binary, 0o755);
    platform.info(`helm ${version} verified (sha256 ${actual}) and cached`);
    return binary;
  } finally {
    dir.dispose();
  }
}

/** A `.sha256sum` file (`<hex>  <file>`) or a bare `.sha256` (`<hex>`). */
export function parseChecksum(text: string, file: string, url: string): string {
  for (const line of text.split(/\r?\n/)) {
    const [hex, name] = line.trim().split(/\s+/);
    if (/^[0-9a-f]{64}$/i.test(hex ?? '') && (name === undefined || name.replace(/^\*/, '') === file))
      return hex.toLowerCase();
  }
  throw new UserError(`No sha256 for ${file} in ${redactUrl(url)}.sha256sum; refusing to install an unverified helm`);
}

/** GET that follows a few redirects (mirrors often sit behind one) and fails with the remote's answer. */
async function get(http: HttpClient, url: string, stream = false): Promise<HttpResponse> {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const res = await http.request({ method: 'GET', url: current, stream, timeoutMs: 120_000 });
    const location = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(res.status) && location) {
      res.stream?.resume();
      current = new URL(location, current).toString();
      continue;
    }
    if (res.status !== 200) {
      res.stream?.resume();
      throw new UserError(
        `Downloading ${redactUrl(current)} answered ${res.status}; check helm-version and helm-mirror`,
      );
    }
    return res;
  }
  throw new UserError(`Too many redirects downloading ${redactUrl(url)}`);
}
