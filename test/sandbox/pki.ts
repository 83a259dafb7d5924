import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Key material is made with the openssl CLI because node:crypto can parse X.509 but cannot issue certificates.

export interface CertificateAuthority {
  certFile: string;
  keyFile: string;
  certPem: string;
}

export interface ServerCertificate {
  certFile: string;
  keyFile: string;
}

export interface TokenSigningKey {
  keyFile: string;
  certFile: string;
  keyPem: string;
  certPem: string;
  /** libtrust key id of the public key: what distribution 2.8 matches the JWT header `kid` against. */
  kid: string;
  /** base64 DER of the certificate, for the alternative `x5c` header. */
  certDerBase64: string;
}

/** P-256 for TLS: its keys are generated far faster than RSA's, and Go, Node and skopeo all accept it. */
const EC_KEY = ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, commonName = 'harbor-sandbox-ca'): CertificateAuthority {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      ...EC_KEY,
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const certFile = path.join(dir, 'ca.crt');
  return { certFile, keyFile: path.join(dir, 'ca.key'), certPem: fs.readFileSync(certFile, 'utf8') };
}

/**
 * A leaf key and certificate issued by `ca` for two days: `openssl req` makes the key (`-newkey` arguments in `key`)
 * (P-256 unless given) and its request for `subject`, `openssl x509 -req` signs it with the extensions in `extensions` (an extfile's text).
 */
export function issueLeafCert(
  dir: string,
  ca: CertificateAuthority,
  name: string,
  options: { subject: string; extensions: string; key?: string[] },
): ServerCertificate {
  fs.writeFileSync(path.join(dir, `${name}.ext`), options.extensions);
  const key = options.key ?? EC_KEY;
  openssl(
    ['req', '-newkey', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', options.subject],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
  return { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
}

/** A server certificate for 127.0.0.1 and localhost, issued by `ca`. */
export function makeServerCert(dir: string, ca: CertificateAuthority, name = 'server'): ServerCertificate {
  return issueLeafCert(dir, ca, name, {
    subject: '/CN=127.0.0.1',
    extensions:
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  });
}

/**
 * A code-signing leaf certificate for `publicKeyPem` (any key type), issued by `ca`: what a Notary Project verifier
 * asks of a signing certificate (signature-specification.md "Certificate Requirements": not a CA, digitalSignature
 * key usage, the codeSigning extended key usage). `-force_pubkey` lets the key stay where it is (a vault, a test).
 */
export function makeCodeSigningCert(
  dir: string,
  ca: CertificateAuthority,
  publicKeyPem: string,
  subject: string,
  name = 'leaf',
): string {
  fs.writeFileSync(path.join(dir, `${name}.pub.pem`), publicKeyPem);
  fs.writeFileSync(
    path.join(dir, `${name}.ext`),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n',
  );
  openssl(
    [
      'x509',
      '-new',
      '-force_pubkey',
      `${name}.pub.pem`,
      '-subj',
      subject,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
  return fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8');
}

/**
 * libtrust's KeyID: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, in 12 groups of 4 joined by ':'.
 * (docker/libtrust util.go keyIDFromCryptoKey; distribution registry/auth/token builds its trusted-key map with it.)
 */
export function libtrustKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}

/** The token service's key pair and the self-signed certificate the registry trusts (auth.token.rootcertbundle). */
export function makeTokenSigningKey(dir: string): TokenSigningKey {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'token.key',
      '-out',
      'token.crt',
      '-days',
      '2',
      '-subj',
      '/CN=harbor-token-issuer',
    ],
    dir,
  );
  const keyPem = fs.readFileSync(path.join(dir, 'token.key'), 'utf8');
  const certPem = fs.readFileSync(path.join(dir, 'token.crt'), 'utf8');
  const certDerBase64 = certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return {
    keyFile: path.join(dir, 'token.key'),
    certFile: path.join(dir, 'token.crt'),
    keyPem,
    certPem,
    kid: libtrustKeyId(keyPem),
    certDerBase64,
  };
}
