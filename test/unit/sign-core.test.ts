import { generateKeyPairSync, randomBytes, scryptSync, verify } from 'node:crypto';
import nacl from 'tweetnacl';
import { InputError } from '../../shared/errors';
import { loadSigningKey } from '../../shared/sign/keys';
import { buildArtifact, EMPTY_CONFIG, referrersTag } from '../../shared/oci/artifact';
import { MediaType } from '../../shared/oci/media-types';
import { SbomMediaType, sbomMediaType } from '../../shared/sign/attach';
import { signPayload, simpleSigningPayload, signatureTag } from '../../shared/sign/cosign';

const labels = { key: 'cosign-key', password: 'cosign-password' };

function p256(): { sec1: string; pkcs8: string; spki: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    sec1: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    spki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Writes the encrypted key format from its description (go-securesystemslib encrypted.go: scrypt → 32-byte key,
 * secretbox with a 24-byte nonce, JSON with base64 byte fields) so the unit tier can probe each failure; the
 * integration tier decrypts keys made by the real `cosign generate-key-pair`.
 */
function encrypted(
  pkcs8Pem: string,
  password: string,
  over: { N?: number; kdf?: string; cipher?: string; type?: string; nonce?: Buffer } = {},
): string {
  const body = Buffer.from(pkcs8Pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const salt = randomBytes(32);
  const nonce = over.nonce ?? randomBytes(24);
  const N = over.N ?? 65536;
  const key = scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  const box = nacl.secretbox(new Uint8Array(body), new Uint8Array(nonce), new Uint8Array(key));
  const json = JSON.stringify({
    kdf: { name: over.kdf ?? 'scrypt', params: { N, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: over.cipher ?? 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(box).toString('base64'),
  });
  const type = over.type ?? 'ENCRYPTED SIGSTORE PRIVATE KEY';
  const lines = Buffer.from(json)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN ${type}-----\n${lines}\n-----END ${type}-----\n`;
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('signing keys as cosign loads them', () => {
  const key = p256();

  it('reads SEC 1 and PKCS #8 P-256 keys and derives the public key cosign verify needs', async () => {
    for (const pem of [key.sec1, key.pkcs8]) {
      const loaded = await loadSigningKey(pem, undefined, labels);
      expect(loaded.publicKeyPem).toBe(key.spki);
    }
  });

  it('decrypts the encrypted format (SIGSTORE and the older COSIGN block name), with an empty password too', async () => {
    for (const [password, type] of [
      ['s3cret', 'ENCRYPTED SIGSTORE PRIVATE KEY'],
      ['', 'ENCRYPTED COSIGN PRIVATE KEY'],
    ]) {
      const loaded = await loadSigningKey(encrypted(key.pkcs8, password, { type }), password, labels);
      expect(loaded.publicKeyPem).toBe(key.spki);
    }
  });

  it('names the password input for a wrong password, and never echoes key material', async () => {
    const pem = encrypted(key.pkcs8, 'right');
    const error = await refusal(loadSigningKey(pem, 'wrong', labels));
    expect(error.message).toBe(
      "Input 'cosign-password': the password does not decrypt the key in 'cosign-key' (wrong password, or a damaged key file)",
    );
    const missing = await refusal(loadSigningKey(pem, undefined, labels));
    expect(missing.message).toMatch(/^Input 'cosign-key' is a cosign encrypted key; set 'cosign-password'/);
  });

  it('refuses scrypt parameters go-securesystemslib would not accept, before deriving anything', async () => {
    // N = 2^20 would need 1 GiB; the check must refuse it rather than attempt it.
    const pem = encrypted(key.pkcs8, 'pw', { N: 1024 });
    const tampered = pem.replace(/(?<=-----\n)[\s\S]*(?=\n-----END)/, (b64) =>
      Buffer.from(Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString().replace('"N":1024', '"N":1048576'))
        .toString('base64')
        .match(/.{1,64}/g)!
        .join('\n'),
    );
    for (const p of [pem, tampered]) {
      expect((await refusal(loadSigningKey(p, 'pw', labels))).message).toBe(
        "Input 'cosign-key': unsupported scrypt parameters in the encrypted key",
      );
    }
  });

  it('refuses other ciphers, other curves, RSA and non-keys with one line naming the input', async () => {
    expect(
      (await refusal(loadSigningKey(encrypted(key.pkcs8, 'pw', { cipher: 'aes' }), 'pw', labels))).message,
    ).toMatch(/^Input 'cosign-key': unsupported key encryption \(kdf 'scrypt', cipher 'aes'/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect((await refusal(loadSigningKey(p384, undefined, labels))).message).toBe(
      "Input 'cosign-key': a EC secp384r1 key is not supported; use an ECDSA P-256 key (what 'cosign generate-key-pair' makes)",
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect((await refusal(loadSigningKey(rsa, undefined, labels))).message).toMatch(
      /'RSA PRIVATE KEY' PEM block is not/,
    );
    expect((await refusal(loadSigningKey('hello', undefined, labels))).message).toMatch(
      /^Input 'cosign-key': not a PEM/,
    );
    const broken = key.pkcs8.replace(/(?<=\n)[A-Za-z0-9+/]{10}/, 'AAAAAAAAAA');
    expect((await refusal(loadSigningKey(broken, undefined, labels))).message).toBe(
      "Input 'cosign-key': the private key cannot be parsed (is the PEM block complete?)",
    );
  });
});

describe('the cosign simple-signing signature', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;

  it('is the payload cosign signs, byte for byte (Go encoding/json field order, optional null)', () => {
    expect(simpleSigningPayload('127.0.0.1:5000/library/app', digest).toString()).toBe(
      `{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/library/app"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`,
    );
    expect(signatureTag(digest)).toBe(`sha256-${'ab'.repeat(32)}.sig`);
  });

  it('is an ASN.1 ECDSA signature over SHA-256 that the public key verifies, and only for that payload', async () => {
    const key = p256();
    const loaded = await loadSigningKey(key.pkcs8, undefined, labels);
    const payload = simpleSigningPayload('r/app', digest);
    const signature = Buffer.from(signPayload(payload, loaded), 'base64');
    expect(signature[0]).toBe(0x30); // DER SEQUENCE, not the 64-byte IEEE P1363 form
    expect(verify('sha256', payload, key.spki, signature)).toBe(true);
    const other = simpleSigningPayload('r/app', `sha256:${'cd'.repeat(32)}`);
    expect(verify('sha256', other, key.spki, signature)).toBe(false);
  });
});

describe('artifacts for referrers', () => {
  const subject = { mediaType: MediaType.ociManifest, digest: `sha256:${'ef'.repeat(32)}`, size: 123 };

  it('lists a manifest by its artifactType, else its config type, with its annotations (distribution-spec)', () => {
    const sbom = buildArtifact({
      artifactType: SbomMediaType.spdx,
      config: EMPTY_CONFIG,
      layers: [{ mediaType: SbomMediaType.spdx, bytes: Buffer.from('{}') }],
      subject,
      annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' },
    });
    const manifest = JSON.parse(sbom.bytes.toString()) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: SbomMediaType.spdx,
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      subject,
    });
    expect(sbom.descriptor).toEqual({
      mediaType: MediaType.ociManifest,
      digest: sbom.digest,
      size: sbom.bytes.length,
      artifactType: SbomMediaType.spdx,
      annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' },
    });
    const legacy = buildArtifact({
      config: { mediaType: 'application/x-config', bytes: Buffer.from('{}') },
      layers: [],
    });
    expect(legacy.descriptor.artifactType).toBe('application/x-config');
    expect(referrersTag(subject.digest)).toBe(`sha256-${'ef'.repeat(32)}`);
  });

  it('tells CycloneDX from SPDX by content and names the input for anything else', () => {
    expect(sbomMediaType(Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.6"}'), 'sbom')).toBe(
      'application/vnd.cyclonedx+json',
    );
    expect(sbomMediaType(Buffer.from('{"spdxVersion":"SPDX-2.3"}'), 'sbom')).toBe('application/spdx+json');
    expect(() => sbomMediaType(Buffer.from('<bom/>'), 'sbom')).toThrow(
      "Input 'sbom': the SBOM is not JSON (a CycloneDX or SPDX JSON document is expected)",
    );
    expect(() => sbomMediaType(Buffer.from('{"SchemaVersion":2}'), 'sbom')).toThrow(
      /^Input 'sbom': the JSON is neither/,
    );
  });
});
