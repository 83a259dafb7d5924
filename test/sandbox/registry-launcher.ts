import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashSync } from 'bcryptjs';
import { stringify } from 'yaml';
import { makeTempDir, removeTempDir, spawnTracked, stopTracked } from './child-processes';
import { freePort, request, waitUntil } from './net-utils';
import { makeCa, makeServerCert } from './pki';

export interface Credentials {
  username: string;
  password: string;
}

/** Token auth as Harbor configures its registry: the realm is Harbor's /service/token. */
export interface TokenAuthSettings {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the certificate(s) whose keys may sign tokens (auth.token.rootcertbundle). */
  rootCertFile: string;
}

export interface StartRegistryOptions {
  /** 'none' (default), 'htpasswd' (stands in for ACR token credentials, Docker Hub) or 'token' (Harbor). */
  auth?: 'none' | 'htpasswd' | 'token';
  /** htpasswd users; default one random user. */
  users?: Credentials[];
  /** Required for auth 'token'. */
  token?: TokenAuthSettings;
  /** Serve HTTPS with a certificate from a fresh self-signed CA (handle.caFile). */
  tls?: boolean;
  /** Fixed port; default a free one. */
  port?: number;
}

export interface RegistryHandle {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** host:port as used in image references, e.g. 127.0.0.1:41234 */
  host: string;
  port: number;
  /** CA certificate (PEM file) to trust when tls is on. */
  caFile?: string;
  users: Credentials[];
  auth: 'none' | 'htpasswd' | 'token';
  /** Where the registry keeps its blobs; removed by stop(). */
  storageDir: string;
  pid: number;
  stop(): Promise<void>;
}

export function randomSecret(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/** Starts CNCF Distribution (`docker-registry serve`) on loopback with throw-away storage. */
export async function startRegistry(opts: StartRegistryOptions = {}): Promise<RegistryHandle> {
  const auth = opts.auth ?? 'none';
  const dir = makeTempDir('registry');
  try {
    const port = opts.port ?? (await freePort());
    const storageDir = path.join(dir, 'storage');
    fs.mkdirSync(storageDir);
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: 'error', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        // Upload purging is a background goroutine that only adds noise to a registry living for seconds.
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: `127.0.0.1:${port}`, secret: randomSecret(), headers: { 'X-Content-Type-Options': ['nosniff'] } },
    };
    let users: Credentials[] = [];
    if (auth === 'htpasswd') {
      users = opts.users ?? [{ username: 'sandbox-user', password: randomSecret() }];
      // bcrypt is the only hash distribution's htpasswd accepts; cost 5 keeps logins fast in tests.
      const lines = users.map((u) => `${u.username}:${hashSync(u.password, 5)}`).join('\n') + '\n';
      fs.writeFileSync(path.join(dir, 'htpasswd'), lines, { mode: 0o600 });
      config.auth = { htpasswd: { realm: 'sandbox-basic-realm', path: path.join(dir, 'htpasswd') } };
    } else if (auth === 'token') {
      if (!opts.token)
        throw new Error('startRegistry: auth "token" needs the token settings (realm, service, issuer, rootCertFile)');
      const t = opts.token;
      config.auth = { token: { realm: t.realm, service: t.service, issuer: t.issuer, rootcertbundle: t.rootCertFile } };
    }
    let caFile: string | undefined;
    if (opts.tls) {
      const ca = makeCa(dir);
      const server = makeServerCert(dir, ca);
      caFile = ca.certFile;
      (config.http as Record<string, unknown>).tls = { certificate: server.certFile, key: server.keyFile };
    }
    const configFile = path.join(dir, 'config.yml');
    fs.writeFileSync(configFile, stringify(config));

    const child = spawnTracked('docker-registry', ['serve', configFile]);
    let output = '';
    const keep = (c: Buffer) => {
      output = (output + c.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const ca = caFile ? fs.readFileSync(caFile) : undefined;
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await stopTracked(child);
      removeTempDir(dir);
    };
    try {
      await waitUntil(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`docker-registry exited with ${child.exitCode}: ${output.trim()}`);
          const res = await request(`${url}/v2/`, { ca, timeoutMs: 1000 });
          return res.status === 200 || res.status === 401;
        },
        10000,
        `docker-registry on ${url}`,
      );
    } catch (e) {
      await stop();
      throw e;
    }
    return { url, host: `127.0.0.1:${port}`, port, caFile, users, auth, storageDir, pid: child.pid!, stop };
  } catch (e) {
    removeTempDir(dir);
    throw e;
  }
}
