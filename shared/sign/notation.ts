import { constants, createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { KeyVaultClient, KeyVaultKeyId } from '../azure/key-vault';
import { InputError } from '../errors';
import { buildArtifact, listReferrers, pushReferrer, type ArtifactPushOptions } from '../oci/artifact';
import type { Descriptor } from '../oci/image';
import type { RegistryClient } from '../oci/registry-client';

/**
 * Notary Project signatures (notaryproject/specifications signature-specification.md and signature-envelope-jws.md,
 * as notation-go v1.3 and notation-core-go v1.3 write them): a JWS JSON envelope over the payload
 * `{"targetArtifact": <descriptor>}`, stored as an OCI referrer of the artifact.
 */
export const Notation = {
  artifactType: 'application/vnd.cncf.notary.signature',
  jwsMediaType: 'application/jose+json',
  payloadType: 'application/vnd.cncf.notary.payload.v1+json',
  thumbprintAnnotation: 'io.cncf.notary.x509chain.thumbprint#S256',
  signingAgent: 'harbor-pipelines',
} as const;

/** JWS `alg` per key (signature-specification.md "Algorithm Selection"): the key size decides the hash. */
export function algorithmFor(key: KeyObject, label: string): JwsAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const byCurve: Record<string, JwsAlgorithm> = {
      prime256v1: { alg: 'ES256', hash: 'sha256', ec: true },
      secp384r1: { alg: 'ES384', hash: 'sha384', ec: true },
      secp521r1: { alg: 'ES512', hash: 'sha512', ec: true },
    };
    const found = byCurve[details.namedCurve ?? ''];
    if (found) return found;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const byBits: Record<number, JwsAlgorithm> = {
      2048: { alg: 'PS256', hash: 'sha256', ec: false },
      3072: { alg: 'PS384', hash: 'sha384', ec: false },
      4096: { alg: 'PS512', hash: 'sha512', ec: false },
    };
    const found = byBits[details.modulusLength ?? 0];
    if (found) return found;
  }
  throw new InputError(
    `Input '${label}': Notary Project signatures need an EC P-256/P-384/P-521 or RSA 2048/3072/4096 key (got ${key.asymmetricKeyType ?? 'unknown'})`,
  );
}

export interface JwsAlgorithm {
  alg: string;
  hash: string;
  ec: boolean;
}

/**
 * Whoever holds the private key: signs the JWS signing input with the certificate's algorithm and returns the
 * signature in JWS form (r‖s for ECDSA). A local key signs in process; a Key Vault key signs the digest remotely.
 */
export interface NotationSigner {
  sign(input: Buffer, algorithm: JwsAlgorithm): Promise<Buffer>;
}

export function localSigner(key: KeyObject): NotationSigner {
  return {
    sign: (input, { hash, ec }) =>
      Promise.resolve(
        ec
          ? sign(hash, input, { key, dsaEncoding: 'ieee-p1363' })
          : sign(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltFor(hash) }),
      ),
  };
}

/** The certificate chain as PEM blocks, leaf first, checked against the key: notation verifies the leaf's key. */
export function parseChain(
  pem: string,
  key: KeyObject | undefined,
  labels: { chain: string; key: string },
): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new InputError(`Input '${labels.chain}': no PEM certificate (-----BEGIN CERTIFICATE-----) found`);
  }
  const chain = blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw new InputError(`Input '${labels.chain}': certificate ${i + 1} cannot be parsed`);
    }
  });
  if (key && !chain[0].checkPrivateKey(key)) {
    throw new InputError(
      `Input '${labels.chain}': the first (leaf) certificate is not for the key in '${labels.key}' (the chain must start with the signing certificate)`,
    );
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i].checkIssued(chain[i + 1]) || !chain[i].verify(chain[i + 1].publicKey)) {
      throw new InputError(
        `Input '${labels.chain}': certificate ${i + 1} is not issued by certificate ${i + 2} (order the chain leaf first, root last)`,
      );
    }
  }
  return chain;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface NotationSignRequest {
  registry: RegistryClient;
  subject: Descriptor;
  signer: NotationSigner;
  /** Leaf first; the leaf's public key decides the algorithm. */
  chain: X509Certificate[];
  /** Signing time, from the step's clock. */
  now: Date;
  labels: { key: string };
  push: ArtifactPushOptions;
}

export interface NotationSignature {
  manifestDigest: string;
  envelope: Buffer;
}

/**
 * The JWS envelope (signature-envelope-jws.md): protected header with alg, cty, crit [signingScheme] and the
 * signing time; the certificate chain (x5c, standard base64 DER as Go's encoding/json writes []byte) and signing
 * agent unprotected; the signature over `protected.payload`, for ECDSA in the JWS (IEEE P1363) form.
 */
export async function jwsEnvelope(
  subject: Descriptor,
  signer: NotationSigner,
  chain: X509Certificate[],
  now: Date,
  label: string,
): Promise<Buffer> {
  const algorithm = algorithmFor(chain[0].publicKey, label);
  const { alg, hash, ec } = algorithm;
  const target = {
    mediaType: subject.mediaType,
    digest: subject.digest,
    size: subject.size,
    ...(subject.annotations ? { annotations: subject.annotations } : {}),
  };
  const protectedHeader = b64url(
    JSON.stringify({
      alg,
      crit: ['io.cncf.notary.signingScheme'],
      cty: Notation.payloadType,
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }),
  );
  const payload = b64url(JSON.stringify({ targetArtifact: target }));
  const signingInput = Buffer.from(`${protectedHeader}.${payload}`, 'ascii');
  const signature = await signer.sign(signingInput, algorithm);
  // A remote key that is not the certificate's would make a signature no verifier accepts: refuse it here.
  const valid = ec
    ? verify(hash, signingInput, { key: chain[0].publicKey, dsaEncoding: 'ieee-p1363' }, signature)
    : verify(
        hash,
        signingInput,
        { key: chain[0].publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: saltFor(hash) },
        signature,
      );
  if (!valid) {
    throw new InputError(
      `Input '${label}': the signing key does not match the leaf certificate's public key (${chain[0].subject.replace(/\n/g, ', ')})`,
    );
  }
  return Buffer.from(
    JSON.stringify({
      payload,
      protected: protectedHeader,
      header: { x5c: chain.map((c) => c.raw.toString('base64')), 'io.cncf.notary.signingAgent': Notation.signingAgent },
      signature: b64url(signature),
    }),
  );
}

/** RFC 7518 PS256/384/512: the salt is as long as the hash. */
function saltFor(hash: string): number {
  return { sha256: 32, sha384: 48, sha512: 64 }[hash] ?? 32;
}

/**
 * Signs `subject` and pushes the signature as notation does (notation-go registry/repository.go
 * uploadSignatureManifest): config of type application/vnd.cncf.notary.signature holding `{}`, the envelope as the
 * one layer, the chain's SHA-256 thumbprints and the signing time as manifest annotations, the artifact as subject.
 * A signature by the same certificate over the same artifact is kept and nothing is written.
 */
export async function signWithNotation(req: NotationSignRequest): Promise<NotationSignature & { existing: boolean }> {
  const thumbprints = JSON.stringify(req.chain.map((c) => createHash('sha256').update(c.raw).digest('hex')));
  for (const referrer of await listReferrers(req.registry, req.subject.digest)) {
    if (
      referrer.artifactType === Notation.artifactType &&
      referrer.annotations?.[Notation.thumbprintAnnotation] === thumbprints
    ) {
      return { manifestDigest: referrer.digest, envelope: Buffer.alloc(0), existing: true };
    }
  }
  const envelope = await jwsEnvelope(req.subject, req.signer, req.chain, req.now, req.labels.key);
  const built = buildArtifact({
    config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
    layers: [{ mediaType: Notation.jwsMediaType, bytes: envelope }],
    subject: req.subject,
    annotations: {
      [Notation.thumbprintAnnotation]: thumbprints,
      'org.opencontainers.image.created': req.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  });
  await pushReferrer(req.registry, built, req.push);
  return { manifestDigest: built.digest, envelope, existing: false };
}

/** A key in Azure Key Vault: the digest of the signing input is signed by the vault's `sign` operation. */
export function keyVaultSigner(client: KeyVaultClient, key: KeyVaultKeyId): NotationSigner {
  return { sign: (input, { alg, hash }) => client.sign(key, alg, createHash(hash).update(input).digest()) };
}
