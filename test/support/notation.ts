import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../sandbox/child-processes';
import { makeCa, makeCodeSigningCert } from '../sandbox/pki';
import { requireGoTool } from './tools';

/**
 * What the Notation tests share: a code-signing certificate chain for a public key (a Key Vault key's), the real
 * notation's trust store and trust policy in a HOME of the test's own, and `notation verify` run there.
 */

/** A code-signing leaf for `publicKeyPem`, issued by a fresh CA (openssl: node:crypto cannot issue certificates). */
export function codeSigningChain(publicKeyPem: string): { chainPem: string; caFile: string } {
  const dir = makeTempDir('kv-pki');
  const ca = makeCa(dir, 'kv-sign-ca');
  const leaf = makeCodeSigningCert(dir, ca, publicKeyPem, '/C=US/ST=WA/O=harbor-pipelines/CN=kv-signer');
  return { chainPem: leaf + ca.certPem, caFile: ca.certFile };
}

/** Puts a certificate into notation's trust store `<type>:<store>` under `home`, as `file`. */
function trustStoreAdd(home: string, type: 'ca' | 'tsa', store: string, certFile: string, file: string): void {
  const dir = path.join(home, '.config', 'notation', 'truststore', 'x509', type, store);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(certFile, path.join(dir, file));
}

/** Puts a CA certificate into notation's trust store `ca:<store>` under `home`. */
export function trustCa(home: string, store: string, caFile: string): void {
  trustStoreAdd(home, 'ca', store, caFile, 'ca.crt');
}

/** Puts a TSA root certificate into notation's trust store `tsa:<store>` under `home`. */
export function trustTsa(home: string, store: string, caFile: string): void {
  trustStoreAdd(home, 'tsa', store, caFile, 'root.crt');
}

/** One strict trust policy for every registry, trusting the named stores (`ca:` unless a type is given) and identities. */
export function writeTrustPolicy(home: string, stores: string[], identities: string[] = ['*']): void {
  fs.mkdirSync(path.join(home, '.config', 'notation'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.config', 'notation', 'trustpolicy.json'),
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'sandbox',
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: stores.map((s) => (s.includes(':') ? s : `ca:${s}`)),
          trustedIdentities: identities,
        },
      ],
    }),
  );
}

/** The real notation with HOME = `home` (its config, trust store and the Docker config it reads credentials from). */
export function runNotation(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool('notation'),
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 300_000 },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }),
    ),
  );
}
