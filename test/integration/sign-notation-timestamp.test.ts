import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient } from '../../shared/http/client';
import { buildArtifact, listReferrers, pushArtifact } from '../../shared/oci/artifact';
import { MediaType } from '../../shared/oci/media-types';
import { RegistryClient } from '../../shared/oci/registry-client';
import { localSigner, parseChain, signWithNotation, type NotationEnvelope } from '../../shared/sign/notation';
import { childrenOf, readOnly } from '../../shared/sign/der';
import { httpTimestamper, timestampRequest, type Timestamper } from '../../shared/sign/timestamp';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { makeCa, makeCodeSigningCert, type CertificateAuthority } from '../sandbox/pki';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { runNotation, trustCa } from '../support/notation';
import { makeTsaCert, startTsa, type Tsa } from '../support/tsa';

// RFC 3161 time stamps on Notary Project signatures (JWS and COSE), from a real TSA — `openssl ts -reply` behind a
// small HTTP server, its certificate from a test CA — through the pack's HTTP client, judged by the real notation
// v1.3.2 with a trust policy that has a `tsa` trust store. A reply that is not for this signature, this nonce, or this
// root is refused by the step before anything is written.

const REPO = 'library/stamped';
const SUBJECT = '/C=US/ST=WA/O=harbor-pipelines/CN=stamped-signer';
const LABELS = { url: 'timestamp-url', root: 'timestamp-root-cert' };
const quiet = { log: () => undefined, debug: () => undefined };

let home: string;
let registry: RegistryHandle;
let http: HttpClient;
let tsa: Tsa;
/** A TSA whose certificate may also encipher keys: notation refuses it as a time-stamping leaf. */
let encipheringTsa: Tsa;
/** A TSA with an RSA 1024-bit key: notation takes RSA 2048/3072/4096 and EC P-256/P-384/P-521 only. */
let weakTsa: Tsa;
let tsaRoot: X509Certificate;
let otherRoot: X509Certificate;
const keys: Record<'ec' | 'rsa', { key: KeyObject; chainPem: string }> = {} as never;

beforeAll(async () => {
  home = makeTempDir('stamped-home');
  const pki = makeTempDir('stamped-pki');
  const dirIn = (name: string) => {
    fs.mkdirSync(path.join(pki, name));
    return path.join(pki, name);
  };
  const signingCa = makeCa(dirIn('sign'), 'stamped-ca');
  const tsaCa: CertificateAuthority = makeCa(dirIn('tsa'), 'test-tsa-root');
  const strayCa = makeCa(dirIn('stray'), 'stray-root');
  tsaRoot = new X509Certificate(tsaCa.certPem);
  otherRoot = new X509Certificate(strayCa.certPem);
  for (const [name, pair] of [
    ['ec', generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
    ['rsa', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const) {
    const publicPem = createPublicKey(pair.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    keys[name] = {
      key: pair.privateKey,
      chainPem: makeCodeSigningCert(path.join(pki, 'sign'), signingCa, publicPem, SUBJECT, name) + signingCa.certPem,
    };
  }
  const tsaDir = path.join(pki, 'tsa');
  tsa = await startTsa(tsaDir, makeTsaCert(tsaDir, tsaCa, 'test-tsa'), 'good');
  // openssl ts signs with a digitalSignature (and nonRepudiation) certificate only: its token is signed again.
  encipheringTsa = await startTsa(
    tsaDir,
    makeTsaCert(tsaDir, tsaCa, 'test-tsa-2'),
    'enciphering',
    makeTsaCert(tsaDir, tsaCa, 'enciphering-tsa', { keyUsage: 'digitalSignature,keyEncipherment' }),
  );

  // notation refuses a time stamp that, less its accuracy (1 s here), could precede the signing certificate's
  // notBefore (notation-go verifier: "timestamp can be before certificate ... validity period"); the certificates
  // were made just now, so signing starts once that much time has passed, as it would with any real certificate.
  weakTsa = await startTsa(tsaDir, makeTsaCert(tsaDir, tsaCa, 'weak-tsa', { key: ['rsa:1024'] }), 'weak');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  registry = await startRegistry();
  http = new HttpClient({ timeoutMs: 60_000, retry: { attempts: 1 } });

  trustCa(home, 'stamped', signingCa.certFile);
  const tsaStore = path.join(home, '.config', 'notation', 'truststore', 'x509', 'tsa', 'test-tsa');
  fs.mkdirSync(tsaStore, { recursive: true });
  fs.copyFileSync(tsaCa.certFile, path.join(tsaStore, 'root.crt'));
  fs.writeFileSync(
    path.join(home, '.config', 'notation', 'trustpolicy.json'),
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'stamped',
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:stamped', 'tsa:test-tsa'],
          trustedIdentities: ['*'],
        },
      ],
    }),
  );
}, 300_000);

afterAll(async () => {
  await http?.close();
  await tsa?.stop();
  await encipheringTsa?.stop();
  await weakTsa?.stop();
  await registry?.stop();
  removeAllTempDirs();
});

function client(): RegistryClient {
  return new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined });
}

async function pushSubject(tag: string): Promise<{ mediaType: string; digest: string; size: number }> {
  const built = buildArtifact({
    config: { mediaType: MediaType.ociConfig, bytes: Buffer.from(JSON.stringify({ tag })) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', bytes: Buffer.from(`content of ${tag}`) }],
  });
  await pushArtifact(client(), built, [tag], quiet);
  return { mediaType: MediaType.ociManifest, digest: built.digest, size: built.bytes.length };
}

async function sign(
  keyName: 'ec' | 'rsa',
  envelope: NotationEnvelope,
  subject: { mediaType: string; digest: string; size: number },
  via: { tsa: Tsa; root: X509Certificate } = { tsa, root: tsaRoot },
) {
  const { key, chainPem } = keys[keyName];
  const registryClient = client();
  await registryClient.login();
  return signWithNotation({
    registry: registryClient,
    subject,
    signer: localSigner(key),
    chain: parseChain(chainPem, key, { chain: 'notation-certificate-chain', key: 'notation-key' }),
    now: new Date(),
    timestamp: httpTimestamper(http, via.tsa.url, via.root, LABELS, () => new Date()),
    envelope,
    labels: { key: 'notation-key' },
    push: quiet,
  });
}

const reference = (digest: string) => `${registry.host}/${REPO}@${digest}`;

describe('RFC 3161 time stamps from a real TSA (openssl ts), judged by the real notation', () => {
  it.each([
    ['jws', 'ec', 'SHA-384'],
    ['jws', 'rsa', 'SHA-256'],
    ['cose', 'ec', 'SHA-384'],
    ['cose', 'rsa', 'SHA-256'],
  ] as const)(
    '%s (%s key): the token is over the signature with its hash, and notation verify accepts it with a tsa trust store',
    async (envelope, keyName, hash) => {
      tsa.mode = 'ok';
      const subject = await pushSubject(`stamped-${envelope}-${keyName}`);
      const before = tsa.queries.length;
      const signed = await sign(keyName, envelope, subject);
      expect(signed.existing).toBe(false);
      expect(tsa.queries.length).toBe(before + 1);
      // The signature algorithm's hash, as openssl reads the query: SHA-384 for P-384, SHA-256 for RSA 2048.
      expect(tsa.hashOf(before)).toBe(hash.replace('-', '').toLowerCase());
      const verified = await runNotation(home, ['verify', '--insecure-registry', reference(subject.digest)]);
      expect({ code: verified.code, stderr: verified.stderr }).toEqual({ code: 0, stderr: '' });
      const inspected = await runNotation(home, [
        'inspect',
        '--insecure-registry',
        '--output',
        'json',
        reference(subject.digest),
      ]);
      expect(inspected.code).toBe(0);
      const [signature] = (
        JSON.parse(inspected.stdout) as {
          Signatures: { unsignedAttributes: { timestampSignature?: { timestamp: string; certificates: unknown[] } } }[];
        }
      ).Signatures;
      // notation read the TSA's token and its certificate from the envelope's unprotected header.
      expect(signature.unsignedAttributes.timestampSignature?.certificates).toHaveLength(1);
    },
    120_000,
  );
});

describe('the judge', () => {
  it('notation, with this tsa trust store, refuses a signature without a time stamp (so accepting one means it read it)', async () => {
    const subject = await pushSubject('unstamped');
    const { key, chainPem } = keys.ec;
    const registryClient = client();
    await registryClient.login();
    await signWithNotation({
      registry: registryClient,
      subject,
      signer: localSigner(key),
      chain: parseChain(chainPem, key, { chain: 'notation-certificate-chain', key: 'notation-key' }),
      now: new Date(),
      labels: { key: 'notation-key' },
      push: quiet,
    });
    const refused = await runNotation(home, ['verify', '--verbose', '--insecure-registry', reference(subject.digest)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/no timestamp countersignature was found/);
  }, 120_000);
});

describe('a reply the step must refuse, before anything is written', () => {
  const cases: [string, () => { tsa: Tsa; root: X509Certificate }, string][] = [
    [
      'a token for another message',
      () => ((tsa.mode = 'other-message'), { tsa, root: tsaRoot }),
      "Input 'timestamp-url': the TSA's token is for another message (its message imprint is not the one sent); nothing was written",
    ],
    [
      'a token with another nonce',
      () => ((tsa.mode = 'other-nonce'), { tsa, root: tsaRoot }),
      "Input 'timestamp-url': the TSA's token does not carry the request's nonce; nothing was written",
    ],
    [
      'a token whose signature was altered',
      () => ((tsa.mode = 'tampered'), { tsa, root: tsaRoot }),
      "Input 'timestamp-url': the time-stamp token's signature does not verify; nothing was written",
    ],
    [
      'a rejection',
      () => ((tsa.mode = 'rejection'), { tsa, root: tsaRoot }),
      "Input 'timestamp-url': the TSA did not grant the time stamp (status rejection); nothing was written",
    ],
    [
      'a TSA that does not chain to the given root',
      () => ((tsa.mode = 'ok'), { tsa, root: otherRoot }),
      "Input 'timestamp-root-cert': the TSA's certificate (CN=test-tsa) does not chain to the given TSA root (CN=stray-root); nothing was written",
    ],
  ];

  // A TSA leaf notation refuses (notation-core-go x509/timestamp_cert_validations.go validateTimestampingLeafCertificate)
  const leaves: [string, () => Tsa, string, RegExp][] = [
    [
      'with a key usage beside digitalSignature and nonRepudiation (keyEncipherment)',
      () => encipheringTsa,
      "Input 'timestamp-url': the TSA's certificate (CN=enciphering-tsa) must not have key usage keyEncipherment (a time-stamping certificate signs only); nothing was written",
      /KeyEncipherment/,
    ],
    [
      'with an RSA 1024-bit key',
      () => weakTsa,
      "Input 'timestamp-url': the TSA's certificate (CN=weak-tsa) has an RSA 1024-bit key; notation takes a TSA key of EC P-256/P-384/P-521 or RSA 2048/3072/4096; nothing was written",
      /rsa key size 1024 bits is not supported/,
    ],
  ];

  it.each(leaves)('a TSA certificate %s', async (name, which, message) => {
    const subject = await pushSubject(`refused-leaf-${name.replace(/[^a-z0-9]+/g, '-')}`);
    await expect(sign('ec', 'jws', subject, { tsa: which(), root: tsaRoot })).rejects.toThrow(message);
    expect(await listReferrers(client(), subject.digest)).toEqual([]);
  });

  it.each(leaves)(
    'the judge: notation verify refuses a TSA certificate %s in a signature written without the check',
    async (name, which, _message, refusal) => {
      const subject = await pushSubject(`judged-leaf-${name.replace(/[^a-z0-9]+/g, '-')}`);
      // The TSA's token taken as it comes, as a step without the leaf checks would embed it.
      const unchecked: Timestamper = async (signature, hash) => {
        const res = await http.request({
          method: 'POST',
          url: which().url,
          headers: { 'content-type': 'application/timestamp-query' },
          body: timestampRequest(signature, hash).der,
        });
        return childrenOf(readOnly(res.body))[1].raw;
      };
      const { key, chainPem } = keys.ec;
      const registryClient = client();
      await registryClient.login();
      await signWithNotation({
        registry: registryClient,
        subject,
        signer: localSigner(key),
        chain: parseChain(chainPem, key, { chain: 'notation-certificate-chain', key: 'notation-key' }),
        now: new Date(),
        timestamp: unchecked,
        labels: { key: 'notation-key' },
        push: quiet,
      });
      const refused = await runNotation(home, [
        'verify',
        '--verbose',
        '--insecure-registry',
        reference(subject.digest),
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(refusal);
    },
    120_000,
  );

  it.each(cases)('%s', async (name, arrange, message) => {
    const subject = await pushSubject(`refused-${name.replace(/[^a-z]+/g, '-')}`);
    const via = arrange();
    await expect(sign('ec', 'jws', subject, via)).rejects.toThrow(message);
    expect(await listReferrers(client(), subject.digest)).toEqual([]);
  });

  it('an HTTP refusal is a remote error from the status, and nothing is written', async () => {
    tsa.mode = 'unavailable';
    const subject = await pushSubject('refused-unavailable');
    const error = (await sign('rsa', 'cose', subject).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(503);
    expect(await listReferrers(client(), subject.digest)).toEqual([]);
  });
});
