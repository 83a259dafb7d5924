import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { sequence } from '../../shared/sign/der';
import { issueLeafCert, type CertificateAuthority } from '../sandbox/pki';

/**
 * A real RFC 3161 time-stamping authority for tests: `openssl ts -reply` (OpenSSL 3) behind a small HTTP server that
 * speaks application/timestamp-query → application/timestamp-reply. Its certificate is issued by a test CA made with
 * openssl; the server can be told to misbehave the ways a TSA or something in between can, each made by openssl too
 * (a reply to another message, or to another nonce), or by hand where openssl cannot (a rejection status).
 */

export type TsaMode =
  | 'ok'
  /** Replies to a query for other data: another message imprint (and nonce). */
  | 'other-message'
  /** Replies to a query for the same digest with a nonce of openssl's own. */
  | 'other-nonce'
  /** openssl's reply with its last octet changed: the end of the SignerInfo's signature. */
  | 'tampered'
  /** PKIStatusInfo status rejection (2), no token. */
  | 'rejection'
  /** HTTP 503 with a text body. */
  | 'unavailable';

export interface Tsa {
  url: string;
  mode: TsaMode;
  /** Queries received, as DER. */
  queries: Buffer[];
  /** The hash algorithm query `index` names, as `openssl ts -query -text` reads it. */
  hashOf(index: number): string;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A TSA signing key and certificate issued by `ca`: timeStamping as its only extended key usage, critical (as the
 * Notary Project asks of a TSA, notation-core-go x509/timestamp_cert_validations.go; openssl ts will not sign with
 * anything else either). `keyUsage` is openssl's list for the key usage extension, `key` its -newkey arguments
 * (a P-256 key unless given).
 */
export function makeTsaCert(
  dir: string,
  ca: CertificateAuthority,
  name: string,
  options: { keyUsage?: string; key?: string[] } = {},
): { certFile: string; keyFile: string } {
  const { keyUsage = 'digitalSignature', key } = options;
  return issueLeafCert(dir, ca, name, {
    subject: `/CN=${name}`,
    extensions: `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,${keyUsage}\nextendedKeyUsage=critical,timeStamping\n`,
    key,
  });
}

/** openssl's TSA configuration (openssl-ts(1) "CONFIGURATION FILE OPTIONS"), ESS cert id by SHA-256 (signingCertificateV2). */
function writeConfig(dir: string, name: string, cert: { certFile: string; keyFile: string }): string {
  const file = path.join(dir, `${name}.cnf`);
  fs.writeFileSync(path.join(dir, `${name}.serial`), '01\n');
  fs.writeFileSync(
    file,
    [
      '[ tsa ]',
      `default_tsa = ${name}`,
      `[ ${name} ]`,
      `serial = ${path.join(dir, `${name}.serial`)}`,
      'crypto_device = builtin',
      `signer_cert = ${cert.certFile}`,
      `signer_key = ${cert.keyFile}`,
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.55555.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  return file;
}

/** The hash a query asks for and its digest, read by `openssl asn1parse` (the OCTET STRING of the message imprint). */
function imprintOf(dir: string, queryFile: string): { hash: string; hex: string } {
  const text = openssl(['asn1parse', '-inform', 'DER', '-in', queryFile], dir).toString();
  const hex = /prim: OCTET STRING\s+\[HEX DUMP\]:([0-9A-F]+)/.exec(text)![1];
  const hash = /prim: OBJECT\s+:(sha256|sha384|sha512)/.exec(text)![1];
  return { hash, hex };
}

/**
 * `token`'s TSTInfo signed anew by `signer` with `openssl cms -sign -cades` (contentType, messageDigest and
 * signingCertificateV2 attributes, as a TSA's SignerInfo has): for a certificate `openssl ts` will not sign with.
 */
function resign(dir: string, token: string, signer: { certFile: string; keyFile: string }): Buffer {
  const tstInfo = `${token}.tst`;
  const resigned = `${token}.resigned`;
  openssl(['cms', '-verify', '-noverify', '-inform', 'DER', '-in', token, '-binary', '-out', tstInfo], dir);
  openssl(
    [
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-in',
      tstInfo,
      '-econtent_type',
      '1.2.840.113549.1.9.16.1.4',
      '-signer',
      signer.certFile,
      '-inkey',
      signer.keyFile,
      '-md',
      'sha256',
      '-cades',
      '-nosmimecap',
      '-outform',
      'DER',
      '-out',
      resigned,
    ],
    dir,
  );
  return fs.readFileSync(path.join(dir, resigned));
}

/**
 * `cert` signs the replies; with `resignWith`, each granted reply's token is signed again by that certificate instead
 * (its TSTInfo kept), for a TSA certificate openssl ts refuses to sign with (a key usage other than digitalSignature
 * and nonRepudiation).
 */
export async function startTsa(
  dir: string,
  cert: { certFile: string; keyFile: string },
  name = 'tsa',
  resignWith?: { certFile: string; keyFile: string },
): Promise<Tsa> {
  const config = writeConfig(dir, name, cert);
  let count = 0;
  const reply = (query: Buffer, mode: TsaMode): { status: number; type: string; body: Buffer } => {
    if (mode === 'unavailable') return { status: 503, type: 'text/plain', body: Buffer.from('try later') };
    if (mode === 'rejection') {
      // TimeStampResp { status PKIStatusInfo { status 2 (rejection) } }
      return { status: 200, type: 'application/timestamp-reply', body: Buffer.from('300530030201' + '02', 'hex') };
    }
    const n = ++count;
    let queryFile = path.join(dir, `${name}-${n}.tsq`);
    fs.writeFileSync(queryFile, query);
    if (mode === 'other-message' || mode === 'other-nonce') {
      const { hash, hex } = imprintOf(dir, queryFile);
      const other = path.join(dir, `${name}-${n}-other.tsq`);
      const source =
        mode === 'other-message'
          ? ['-digest', Buffer.from('another message').toString('hex').padEnd(hex.length, '0')]
          : ['-digest', hex];
      openssl(['ts', '-query', ...source, `-${hash}`, '-cert', '-out', other], dir);
      queryFile = other;
    }
    const out = path.join(dir, `${name}-${n}.tsr`);
    openssl(['ts', '-reply', '-config', config, '-queryfile', queryFile, '-out', out], dir);
    let body: Buffer = fs.readFileSync(out);
    if (resignWith) {
      const token = `${name}-${n}.token`;
      openssl(['ts', '-reply', '-in', out, '-token_out', '-out', token], dir);
      // TimeStampResp { status PKIStatusInfo { granted }, timeStampToken }
      body = sequence(Buffer.from('3003020100', 'hex'), resign(dir, token, resignWith));
    }
    if (mode === 'tampered') body[body.length - 1] ^= 0x01;
    return { status: 200, type: 'application/timestamp-reply', body };
  };
  const tsa: Tsa = {
    url: '',
    mode: 'ok',
    queries: [],
    hashOf: (index) => {
      const file = path.join(dir, `${name}-check-${index}.tsq`);
      fs.writeFileSync(file, tsa.queries[index]);
      return /Hash Algorithm: (\S+)/.exec(openssl(['ts', '-query', '-in', file, '-text'], dir).toString())![1];
    },
    stop: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const query = Buffer.concat(chunks);
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      tsa.queries.push(query);
      try {
        const answer = reply(query, tsa.mode);
        res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  tsa.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return tsa;
}
