import { execFile } from 'node:child_process';
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPair,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { TokenCredential } from '../../shared/azure/credentials';
import { KeyVaultClient, parseKeyId } from '../../shared/azure/key-vault';
import { HttpClient } from '../../shared/http/client';
import { buildArtifact, pushArtifact, pushReferrer } from '../../shared/oci/artifact';
import { MediaType } from '../../shared/oci/media-types';
import { RegistryClient } from '../../shared/oci/registry-client';
import {
  keyVaultSigner,
  localSigner,
  Notation,
  parseChain,
  signWithNotation,
  type NotationEnvelope,
} from '../../shared/sign/notation';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { makeCa, makeCodeSigningCert, type CertificateAuthority } from '../sandbox/pki';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { FakeKeyVault, type VaultKeySpec } from '../support/fake-key-vault';
import { requireGoTool } from '../support/tools';

// Notary Project signatures in both envelopes (JWS and COSE) with every key type the Notary Project signs with
// (RSASSA-PSS 2048/3072/4096, ECDSA P-256/P-384/P-521), made by the signing core with a local key and with a key in
// the Key Vault stand-in, and judged by the real notation (pinned in scripts/tools.json) against CNCF Distribution on
// loopback. Keys are made by node (or the stand-in) and certificates by openssl, in the test; nothing is committed.

const REPO = 'library/envelopes';
const SUBJECT = '/C=US/ST=WA/O=harbor-pipelines/CN=envelope-signer';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;
let registry: RegistryHandle;
let http: HttpClient;
let ca: CertificateAuthority;
let pki: string;
let vault: FakeKeyVault;
const quiet = { log: () => undefined, debug: () => undefined };

function notation(args: string[]): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      requireGoTool('notation'),
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );
}

const verify = (digest: string) => notation(['verify', '--insecure-registry', `${registry.host}/${REPO}@${digest}`]);

function client(): RegistryClient {
  return new RegistryClient(http, registry.url, REPO, {}, { onSecret: () => undefined });
}

/** A small artifact of its own under `tag`, to be signed: a different subject per case, so each verify is alone. */
async function pushSubject(tag: string): Promise<{ mediaType: string; digest: string; size: number }> {
  const built = buildArtifact({
    config: { mediaType: MediaType.ociConfig, bytes: Buffer.from(JSON.stringify({ tag })) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', bytes: Buffer.from(`content of ${tag}`) }],
  });
  await pushArtifact(client(), built, [tag], quiet);
  return { mediaType: MediaType.ociManifest, digest: built.digest, size: built.bytes.length };
}

const keyTypes: { name: string; alg: string; make: () => Promise<KeyObject>; vault: VaultKeySpec }[] = [
  { name: 'RSA 2048', alg: 'PS256', make: () => rsa(2048), vault: { kty: 'RSA', size: 2048 } },
  { name: 'RSA 3072', alg: 'PS384', make: () => rsa(3072), vault: { kty: 'RSA', size: 3072 } },
  { name: 'RSA 4096', alg: 'PS512', make: () => rsa(4096), vault: { kty: 'RSA', size: 4096 } },
  { name: 'EC P-256', alg: 'ES256', make: () => ec('prime256v1'), vault: { kty: 'EC', crv: 'P-256' } },
  { name: 'EC P-384', alg: 'ES384', make: () => ec('secp384r1'), vault: { kty: 'EC', crv: 'P-384' } },
  { name: 'EC P-521', alg: 'ES512', make: () => ec('secp521r1'), vault: { kty: 'EC', crv: 'P-521' } },
];

const generate = promisify(generateKeyPair);
const rsa = async (modulusLength: number) => (await generate('rsa', { modulusLength })).privateKey;
const ec = async (namedCurve: string) => (await generate('ec', { namedCurve })).privateKey;

const keys = new Map<string, { key: KeyObject; chainPem: string }>();
/** The same key types in the Key Vault stand-in, each with its own certificate from the same CA. */
const vaultKeys = new Map<string, { kid: string; publicKey: KeyObject; chainPem: string }>();
let vaultToken: string;

/** Stands for the pack's Azure sign-in: an Entra token for the identity the vault knows. */
function credential(token: string): TokenCredential {
  return {
    description: 'service principal 11111111-2222-3333-4444-555555555555',
    getToken: async () => ({ token, expiresOnMs: Date.now() + 3_600_000 }),
  };
}

beforeAll(async () => {
  home = makeTempDir('envelopes-home');
  pki = makeTempDir('envelopes-pki');
  ca = makeCa(pki, 'envelopes-ca');
  registry = await startRegistry();
  vault = await new FakeKeyVault().start();
  vaultToken = vault.issueToken('pipeline-sp');
  http = new HttpClient({ timeoutMs: 60_000, retry: { attempts: 1 } });
  // Keys are generated off the main thread, all at once (RSA 4096 takes seconds on a loaded machine).
  const made = await Promise.all(keyTypes.map((t) => t.make()));
  keyTypes.forEach((t, i) => {
    const publicPem = createPublicKey(made[i]).export({ type: 'spki', format: 'pem' }).toString();
    const leaf = makeCodeSigningCert(pki, ca, publicPem, SUBJECT, `leaf-${i}`);
    keys.set(t.name, { key: made[i], chainPem: leaf + ca.certPem });
    const inVault = vault.createKey(`kv-${i}`, ['pipeline-sp'], t.vault);
    const vaultPem = inVault.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const vaultLeaf = makeCodeSigningCert(pki, ca, vaultPem, SUBJECT, `kv-leaf-${i}`);
    vaultKeys.set(t.name, { kid: inVault.kid, publicKey: inVault.publicKey, chainPem: vaultLeaf + ca.certPem });
  });
  // notation's own configuration: the CA in a trust store, and a strict policy trusting the signer's subject.
  const store = path.join(home, '.config', 'notation', 'truststore', 'x509', 'ca', 'envelopes');
  fs.mkdirSync(store, { recursive: true });
  fs.copyFileSync(ca.certFile, path.join(store, 'ca.crt'));
  fs.writeFileSync(
    path.join(home, '.config', 'notation', 'trustpolicy.json'),
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'envelopes',
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:envelopes'],
          trustedIdentities: ['x509.subject: C=US, ST=WA, O=harbor-pipelines, CN=envelope-signer'],
        },
      ],
    }),
  );
}, 600_000);

afterAll(async () => {
  await http?.close();
  await vault?.stop();
  await registry?.stop();
  removeAllTempDirs();
});

async function signLocal(
  keyName: string,
  envelope: NotationEnvelope,
  subject: { mediaType: string; digest: string; size: number },
  times: { now?: Date; expiry?: Date; log?: (message: string) => void } = {},
) {
  const { key, chainPem } = keys.get(keyName)!;
  const registryClient = client();
  await registryClient.login();
  return signWithNotation({
    registry: registryClient,
    subject,
    signer: localSigner(key),
    chain: parseChain(chainPem, key, { chain: 'notation-certificate-chain', key: 'notation-key' }),
    now: times.now ?? new Date(),
    expiry: times.expiry,
    envelope,
    labels: { key: 'notation-key' },
    push: { ...quiet, log: times.log ?? quiet.log },
  });
}

/** The signature manifests notation finds on `digest`: `notation inspect` output in JSON. */
async function inspect(digest: string): Promise<
  {
    mediaType: string;
    signatureAlgorithm: string;
    signedAttributes: Record<string, string>;
    unsignedAttributes: Record<string, string>;
    certificates: { issuedTo: string }[];
  }[]
> {
  const run = await notation([
    'inspect',
    '--insecure-registry',
    '--output',
    'json',
    `${registry.host}/${REPO}@${digest}`,
  ]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(run.stdout) as { Signatures: never[] }).Signatures;
}

describe('Notary Project envelopes and key types, judged by the real notation', () => {
  it.each(keyTypes.map((t) => [t.name, t.alg]))(
    '%s (%s): notation verify accepts the JWS and the COSE signature, each on its own artifact',
    async (keyName, alg) => {
      const tag = keyName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      for (const envelope of ['jws', 'cose'] as const) {
        const subject = await pushSubject(`${tag}-${envelope}`);
        const signed = await signLocal(keyName, envelope, subject);
        expect(signed.existing).toBe(false);
        const ok = await verify(subject.digest);
        expect({ envelope, code: ok.code, stderr: ok.stderr }).toEqual({ envelope, code: 0, stderr: '' });
        const [signature] = await inspect(subject.digest);
        expect(signature.mediaType).toBe(envelope === 'cose' ? 'application/cose' : 'application/jose+json');
        expect(signature.signatureAlgorithm).toBe(
          `${alg.startsWith('PS') ? 'RSASSA-PSS' : 'ECDSA'}-SHA-${alg.slice(2)}`,
        );
      }
    },
    600_000,
  );

  it('COSE: the signed attributes notation reads are ours, and the envelope on another digest is refused', async () => {
    const subject = await pushSubject('cose-attributes');
    const other = await pushSubject('cose-other');
    const now = new Date();
    const expiry = new Date(now.getTime() + 7 * 24 * 3600_000);
    const signed = await signLocal('EC P-256', 'cose', subject, { now, expiry });
    expect((await verify(subject.digest)).code).toBe(0);
    const [signature] = await inspect(subject.digest);
    expect(signature.mediaType).toBe('application/cose');
    expect(signature.signedAttributes.signingScheme).toBe('notary.x509');
    // Whole seconds, as tag-1 date/times carry them.
    const seconds = (t: Date) => Math.floor(t.getTime() / 1000);
    expect(seconds(new Date(signature.signedAttributes.signingTime))).toBe(seconds(now));
    expect(seconds(new Date(signature.signedAttributes.expiry))).toBe(seconds(expiry));
    expect(signature.unsignedAttributes.signingAgent).toBe(Notation.signingAgent);
    expect(signature.certificates.map((c) => c.issuedTo)).toEqual([
      'CN=envelope-signer,O=harbor-pipelines,ST=WA,C=US',
      'CN=envelopes-ca',
    ]);

    // The same COSE envelope attached to another artifact: a valid signature over the wrong target artifact.
    const annotations = (
      JSON.parse((await client().getManifest(signed.manifestDigest))!.bytes.toString()) as {
        annotations: Record<string, string>;
      }
    ).annotations;
    await pushReferrer(
      client(),
      buildArtifact({
        config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
        layers: [{ mediaType: Notation.coseMediaType, bytes: signed.envelope }],
        subject: other,
        annotations,
      }),
      quiet,
    );
    const refused = await verify(other.digest);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/signature verification failed for all the signatures/);
  });

  it('COSE: an expiry in the past makes notation refuse the signature (the expiry is signed and read)', async () => {
    const subject = await pushSubject('cose-expired');
    const now = new Date(Date.now() - 2 * 24 * 3600_000);
    await signLocal('RSA 2048', 'cose', subject, { now, expiry: new Date(now.getTime() + 3600_000) });
    const refused = await notation([
      'verify',
      '--verbose',
      '--insecure-registry',
      `${registry.host}/${REPO}@${subject.digest}`,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/digital signature has expired/);
  });

  it('JWS: the protected header is as notation-core-go writes it; an expiry is signed, critical and sorted in, and without one the bytes are unchanged', async () => {
    const now = new Date('2026-12-02T08:00:00.750Z');
    const header = async (tag: string, expiry?: Date) => {
      const signed = await signLocal('EC P-256', 'jws', await pushSubject(tag), { now, expiry });
      return Buffer.from(
        (JSON.parse(signed.envelope.toString()) as { protected: string }).protected,
        'base64url',
      ).toString();
    };
    // notation-core-go v1.3.0 signature/jws/jws.go: a map marshalled by encoding/json (keys sorted), crit lists the
    // signing scheme, then the expiry when there is one; times in RFC 3339.
    expect(await header('jws-header-expiry', new Date(now.getTime() + 86_400_000))).toBe(
      '{"alg":"ES256","crit":["io.cncf.notary.signingScheme","io.cncf.notary.expiry"],' +
        '"cty":"application/vnd.cncf.notary.payload.v1+json","io.cncf.notary.expiry":"2026-12-03T08:00:00Z",' +
        '"io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"2026-12-02T08:00:00Z"}',
    );
    expect(await header('jws-header-none')).toBe(
      '{"alg":"ES256","crit":["io.cncf.notary.signingScheme"],"cty":"application/vnd.cncf.notary.payload.v1+json",' +
        '"io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"2026-12-02T08:00:00Z"}',
    );
  });

  it('JWS: an expiry in the past makes notation refuse the signature', async () => {
    const subject = await pushSubject('jws-expired');
    const now = new Date(Date.now() - 2 * 24 * 3600_000);
    await signLocal('EC P-256', 'jws', subject, { now, expiry: new Date(now.getTime() + 3600_000) });
    const refused = await notation([
      'verify',
      '--verbose',
      '--insecure-registry',
      `${registry.host}/${REPO}@${subject.digest}`,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/digital signature has expired/);
  });

  it('with an expiry every run writes a new signature (the expiry counts from the run); without one a re-run keeps it', async () => {
    const subject = await pushSubject('expiry-renewed');
    const first = await signLocal('EC P-256', 'cose', subject, { expiry: new Date(Date.now() + 3600_000) });
    const second = await signLocal('EC P-256', 'cose', subject, { expiry: new Date(Date.now() + 7200_000) });
    expect([first.existing, second.existing]).toEqual([false, false]);
    expect(second.manifestDigest).not.toBe(first.manifestDigest);
    expect(await inspect(subject.digest)).toHaveLength(2);
    expect((await verify(subject.digest)).code).toBe(0);
  });

  /** A time as the envelopes and the log carry it: RFC 3339 in whole seconds. */
  const wholeSeconds = (t: Date) => new Date(Math.floor(t.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

  /** Manifest PUTs the registry received while `run` ran: a kept signature writes none. */
  async function manifestPuts<T>(run: () => Promise<T>): Promise<{ result: T; puts: string[] }> {
    const spy = jest.spyOn(http, 'request');
    try {
      const result = await run();
      const puts = spy.mock.calls
        .map(([req]) => req)
        .filter((req) => req.method === 'PUT' && req.url.includes('/manifests/'))
        .map((req) => req.url);
      return { result, puts };
    } finally {
      spy.mockRestore();
    }
  }

  it('a re-run without an expiry does not keep a signature that expires: it writes a new one, which notation accepts once the first has expired', async () => {
    const EXPIRY_MS = 20_000;
    const cases = await Promise.all(
      (['jws', 'cose'] as const).map(async (envelope) => {
        const subject = await pushSubject(`short-expiry-${envelope}`);
        const expiry = new Date(Date.now() + EXPIRY_MS);
        const first = await signLocal('EC P-256', envelope, subject, { expiry });
        return { envelope, subject, first, expiry };
      }),
    );
    const expiresAt = Date.now() + EXPIRY_MS;
    for (const { envelope, subject, first, expiry } of cases) {
      const logs: string[] = [];
      const rerun = await signLocal('EC P-256', envelope, subject, { log: (m) => logs.push(m) });
      expect({ envelope, existing: rerun.existing }).toEqual({ envelope, existing: false });
      expect(rerun.manifestDigest).not.toBe(first.manifestDigest);
      expect(logs.filter((l) => l.startsWith('Not keeping'))).toEqual([
        `Not keeping the existing signature ${first.manifestDigest}: it expires ${wholeSeconds(expiry)}; writing a new one`,
      ]);
      // The new signature has no expiry, so the next run keeps it and writes nothing.
      const again = await manifestPuts(() => signLocal('EC P-256', envelope, subject));
      expect({ existing: again.result.existing, digest: again.result.manifestDigest, puts: again.puts }).toEqual({
        existing: true,
        digest: rerun.manifestDigest,
        puts: [],
      });
    }
    // Wait the first signatures' expiry out (whole seconds; a second more for rounding).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1500));
    for (const { envelope, subject } of cases) {
      const ok = await notation(['verify', '--insecure-registry', `${registry.host}/${REPO}@${subject.digest}`]);
      expect({ envelope, code: ok.code, stderr: ok.stderr }).toEqual({ envelope, code: 0, stderr: '' });
      expect(await inspect(subject.digest)).toHaveLength(2);
    }
  }, 180_000);

  it('a signature that has already expired is not kept either, and the log says when it expired', async () => {
    const subject = await pushSubject('expired-rerun');
    const now = new Date(Date.now() - 2 * 24 * 3600_000);
    const expiry = new Date(now.getTime() + 3600_000);
    const first = await signLocal('EC P-256', 'jws', subject, { now, expiry });
    const logs: string[] = [];
    const rerun = await signLocal('EC P-256', 'jws', subject, { log: (m) => logs.push(m) });
    expect(rerun.existing).toBe(false);
    expect(logs.filter((l) => l.startsWith('Not keeping'))).toEqual([
      `Not keeping the existing signature ${first.manifestDigest}: it expired ${wholeSeconds(expiry)}; writing a new one`,
    ]);
    expect((await verify(subject.digest)).code).toBe(0);
  });

  it('a re-run over a signature without an expiry keeps it: no manifest is written', async () => {
    const subject = await pushSubject('no-expiry-kept');
    const first = await signLocal('EC P-256', 'cose', subject);
    const { result, puts } = await manifestPuts(() => signLocal('EC P-256', 'cose', subject));
    expect({ existing: result.existing, digest: result.manifestDigest, puts }).toEqual({
      existing: true,
      digest: first.manifestDigest,
      puts: [],
    });
  });

  it('a signature whose envelope cannot be read is not kept: one log line says why, and a new signature is written', async () => {
    // A real signature's manifest annotations (the certificate's thumbprints) over an envelope that is not JSON.
    const signed = await signLocal('EC P-256', 'jws', await pushSubject('unreadable-source'));
    const annotations = (
      JSON.parse((await client().getManifest(signed.manifestDigest))!.bytes.toString()) as {
        annotations: Record<string, string>;
      }
    ).annotations;
    const subject = await pushSubject('unreadable-envelope');
    const broken = buildArtifact({
      config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
      layers: [{ mediaType: Notation.jwsMediaType, bytes: Buffer.from('not an envelope') }],
      subject,
      annotations,
    });
    await pushReferrer(client(), broken, quiet);
    const logs: string[] = [];
    const rerun = await signLocal('EC P-256', 'jws', subject, { log: (m) => logs.push(m) });
    expect(rerun.existing).toBe(false);
    expect(logs.filter((l) => l.startsWith('Not keeping'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Not keeping the existing signature ${broken.digest}: its envelope sha256:[0-9a-f]{64} cannot be read \\(.+\\); writing a new one$`,
        ),
      ),
    ]);
    expect((await verify(subject.digest)).code).toBe(0);
  });

  it('a JWS and a COSE signature by the same certificate are both kept; a re-run in either format writes nothing', async () => {
    const subject = await pushSubject('both-formats');
    const jws = await signLocal('EC P-384', 'jws', subject);
    const cose = await signLocal('EC P-384', 'cose', subject);
    expect(cose.existing).toBe(false);
    expect(cose.manifestDigest).not.toBe(jws.manifestDigest);
    expect((await signLocal('EC P-384', 'cose', subject)).manifestDigest).toBe(cose.manifestDigest);
    expect(await signLocal('EC P-384', 'jws', subject)).toMatchObject({ existing: true });
    const found = await inspect(subject.digest);
    expect(found.map((s) => s.mediaType).sort()).toEqual(['application/cose', 'application/jose+json']);
  });
});

describe('Notary Project envelopes with a key in the Key Vault stand-in, judged by the real notation', () => {
  afterEach(() => expect(vault.violations).toEqual([]));

  it.each(keyTypes.map((t) => [t.name, t.alg]))(
    '%s (%s): Key Vault signs the digest; notation verify accepts the JWS and the COSE signature',
    async (keyName, alg) => {
      const { kid, chainPem } = vaultKeys.get(keyName)!;
      const tag = `kv-${keyName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      for (const envelope of ['jws', 'cose'] as const) {
        const subject = await pushSubject(`${tag}-${envelope}`);
        const registryClient = client();
        await registryClient.login();
        const before = vault.requests.length;
        const signed = await signWithNotation({
          registry: registryClient,
          subject,
          signer: keyVaultSigner(new KeyVaultClient(http, credential(vaultToken)), parseKeyId(kid, 'key-vault-key-id')),
          chain: parseChain(chainPem, undefined, { chain: 'notation-certificate-chain', key: 'key-vault-key-id' }),
          now: new Date(),
          envelope,
          labels: { key: 'key-vault-key-id' },
          push: quiet,
        });
        expect(signed.existing).toBe(false);
        // One sign request with the algorithm the key's size or curve calls for.
        const sent = vault.requests.slice(before).map((r) => (JSON.parse(r.body) as { alg: string }).alg);
        expect(sent).toEqual([alg]);
        const ok = await verify(subject.digest);
        expect({ envelope, code: ok.code, stderr: ok.stderr }).toEqual({ envelope, code: 0, stderr: '' });
        const [signature] = await inspect(subject.digest);
        expect(signature.mediaType).toBe(envelope === 'cose' ? 'application/cose' : 'application/jose+json');
      }
    },
    600_000,
  );
});

describe('the Key Vault stand-in signs as Key Vault does (checked with node:crypto, no product code)', () => {
  afterEach(() => expect(vault.violations).toEqual([]));

  /** POSTs the `sign` operation by hand and returns the status and the signature. */
  async function signOnVault(kid: string, alg: string, digest: Buffer): Promise<{ status: number; value?: Buffer }> {
    const res = await http.request({
      method: 'POST',
      url: `${kid}/sign?api-version=7.5`,
      headers: { authorization: `Bearer ${vaultToken}` },
      json: { alg, value: digest.toString('base64url') },
    });
    const value = res.json<{ value?: string }>()?.value;
    return { status: res.status, value: value ? Buffer.from(value, 'base64url') : undefined };
  }

  it('PS256/384/512 and ES256/384/512 over a digest verify for the message it came from', async () => {
    for (const t of keyTypes) {
      const { kid, publicKey } = vaultKeys.get(t.name)!;
      const hash = `sha${t.alg.slice(2)}`;
      const message = Buffer.from(`signed through the stand-in with ${t.name}`);
      const answer = await signOnVault(kid, t.alg, createHash(hash).update(message).digest());
      expect({ key: t.name, status: answer.status }).toEqual({ key: t.name, status: 200 });
      // RSASSA-PSS with the salt as long as the hash (RFC 7518 §3.5; OpenSSL checks the exact salt length given);
      // ECDSA in the JWS form r‖s.
      const options = t.alg.startsWith('PS')
        ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length }
        : { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
      expect({ key: t.name, valid: cryptoVerify(hash, message, options, answer.value!) }).toEqual({
        key: t.name,
        valid: true,
      });
      expect({
        key: t.name,
        other: cryptoVerify(hash, Buffer.from('another message'), options, answer.value!),
      }).toEqual({ key: t.name, other: false });
    }
  });

  it('answers 400 BadParameter when the algorithm does not fit the key or the digest does not fit the algorithm', async () => {
    const rsaKey = vaultKeys.get('RSA 2048')!.kid;
    const p256 = vaultKeys.get('EC P-256')!.kid;
    expect((await signOnVault(rsaKey, 'ES256', Buffer.alloc(32, 1))).status).toBe(400);
    expect((await signOnVault(rsaKey, 'PS256', Buffer.alloc(48, 1))).status).toBe(400);
    expect((await signOnVault(p256, 'ES384', Buffer.alloc(48, 1))).status).toBe(400);
    expect((await signOnVault(p256, 'PS256', Buffer.alloc(32, 1))).status).toBe(400);
  });
});
