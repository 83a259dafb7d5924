import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeTempDir } from './child-processes';

/** How to reach one registry: host:port, optional credentials, https with a CA or plain http. */
export interface RegistryAccess {
  host: string;
  username?: string;
  password?: string;
  /** PEM CA for an https registry; without it the registry is spoken to over plain http. */
  caFile?: string;
  /** https without verification (Harbor registry `insecure: true`). */
  insecure?: boolean;
  https?: boolean;
}

export interface SkopeoResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs skopeo with credentials in 0600 auth files (never on argv, where `ps` would show them) and per-side TLS
 * settings. Used by tests to check the product independently, and by the emulator's replication jobs.
 */
export async function runSkopeo(
  command: 'copy' | 'inspect' | 'list-tags' | 'delete',
  args: string[],
  sides: { src?: RegistryAccess; dest?: RegistryAccess },
  timeoutMs = 60000,
): Promise<SkopeoResult> {
  const dir = makeTempDir('skopeo');
  try {
    const flags: string[] = ['--insecure-policy', command];
    // `inspect`/`list-tags`/`delete` take un-prefixed flags; `copy` takes --src-*/--dest-*.
    const sideFlags = (prefix: string, access: RegistryAccess | undefined) => {
      const p = prefix ? `--${prefix}-` : '--';
      if (!access) return;
      if (access.username !== undefined) {
        const file = path.join(dir, `${prefix || 'auth'}.json`);
        const auth = Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64');
        fs.writeFileSync(file, JSON.stringify({ auths: { [access.host]: { auth } } }), { mode: 0o600 });
        flags.push(`${p}authfile`, file);
      } else {
        flags.push(prefix ? `${p}no-creds` : '--no-creds');
      }
      if (access.caFile) {
        // cert-dir treats every *.crt as a CA, so give it a directory holding only this CA.
        const certDir = path.join(dir, `${prefix || 'certs'}-certs`);
        fs.mkdirSync(certDir);
        fs.copyFileSync(access.caFile, path.join(certDir, 'ca.crt'));
        flags.push(`${p}cert-dir`, certDir);
      } else if (!access.https || access.insecure) {
        // tls-verify=false is also how skopeo is told it may fall back to plain http.
        flags.push(`${p}tls-verify=false`);
      }
    };
    if (command === 'copy') {
      sideFlags('src', sides.src);
      sideFlags('dest', sides.dest);
    } else {
      sideFlags('', sides.src ?? sides.dest);
    }
    return await new Promise<SkopeoResult>((resolve, reject) => {
      execFile(
        'skopeo',
        [...flags, ...args],
        { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`skopeo ${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
          else resolve({ stdout, stderr });
        },
      );
    });
  } finally {
    removeTempDir(dir);
  }
}

/** skopeo copy --all src dest (all platforms of a multi-arch image, digests preserved). */
export function skopeoCopy(
  src: string,
  dest: string,
  sides: { src?: RegistryAccess; dest?: RegistryAccess } = {},
): Promise<SkopeoResult> {
  return runSkopeo('copy', ['--all', '--preserve-digests', src, dest], sides);
}

/** The digest a registry serves for `ref` (docker://host/repo:tag), as skopeo sees it. */
export async function skopeoDigest(ref: string, access?: RegistryAccess): Promise<string> {
  const { stdout } = await runSkopeo('inspect', ['--raw', ref], { src: access });
  // --raw returns the manifest bytes exactly as served; their sha256 is the digest (no platform resolution).
  return 'sha256:' + createHash('sha256').update(stdout, 'utf8').digest('hex');
}
