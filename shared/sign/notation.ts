import { constants, createHash, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { KeyVaultClient, KeyVaultKeyId } from '../azure/key-vault';
import { InputError, oneLine, UserError } from '../errors';
import { CborTag, decodeCbor, encodeCbor, type CborValue } from './cbor';
import type { Timestamper } from './timestamp';
import { buildArtifact, listReferrers, pushReferrer, type ArtifactPushOptions } from '../oci/artifact';
import type { Descriptor } from '../oci/image';
import type { RegistryClient } from '../oci/registry-client';

/**
 * Notary Project signatures (notaryproject/specifications v1.1.0 specs/signature-specification.md,
 * signature-envelope-jws.md and signature-envelope-cose.md, as notation-go v1.3 and notation-core-go v1.3 write them):
 * a JWS JSON or a COSE_Sign1 envelope over the payload `{"targetArtifact": <descriptor>}`, stored as an OCI referrer
 * of the artifact.
 */
export const Notation = {
  artifactType: 'application/vnd.cncf.notary.signature',
  jwsMediaType: 'application/jose+json',
  /** notation-core-go signature/cose/envelope.go MediaTypeEnvelope. */
  coseMediaType: 'application/cose',
  payloadType: 'application/vnd.cncf.notary.payload.v1+json',
  thumbprintAnnotation: 'io.cncf.notary.x509chain.thumbprint#S256',
  signingAgent: 'harbor-pipelines',
} as const;

/** The two envelope formats notation signs with (`notation sign --signature-format jws|cose`). */
export type NotationEnvelope = 'jws' | 'cose';

export const NOTATION_ENVELOPES: readonly NotationEnvelope[] = ['jws', 'cose'];

/**
 * A Notary Project signature algorithm: the JWS `alg` name (also what Key Vault's `sign` takes), the COSE `alg` label
 * (IANA COSE Algorithms, as in signature-envelope-cose.md "Supported alg header values"), the hash, and whether it is
 * ECDSA (else RSASSA-PSS).
 */
export interface SignatureAlgorithm {
  alg: 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512';
  cose: number;
  hash: 'sha256' | 'sha384' | 'sha512';
  ec: boolean;
}

/**
 * The algorithm a key must sign with (signature-specification.md "Algorithm Selection"; notation-core-go
 * signature/cose/envelope.go getSignatureAlgorithmFromKeySpec): RSASSA-PSS 2048 → PS256, 3072 → PS384,
 * 4096 → PS512; ECDSA P-256 → ES256, P-384 → ES384, P-521 → ES512. Anything else no Notary Project verifier accepts.
 */
export function algorithmFor(key: KeyObject, label: string): SignatureAlgorithm {
  const found = notaryAlgorithm(key);
  if (found) return found;
  throw new InputError(
    `Input '${label}': Notary Project signatures need an EC P-256/P-384/P-521 or RSA 2048/3072/4096 key (got ${keyKind(key)})`,
  );
}

/**
 * The signature algorithm of a key the Notary Project accepts (notation-core-go internal/algorithm ExtractKeySpec:
 * EC P-256/P-384/P-521, RSA 2048/3072/4096), or undefined for any other key.
 */
export function notaryAlgorithm(key: KeyObject): SignatureAlgorithm | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const byCurve: Record<string, SignatureAlgorithm> = {
      prime256v1: { alg: 'ES256', cose: -7, hash: 'sha256', ec: true },
      secp384r1: { alg: 'ES384', cose: -35, hash: 'sha384', ec: true },
      secp521r1: { alg: 'ES512', cose: -36, hash: 'sha512', ec: true },
    };
    return byCurve[details.namedCurve ?? ''];
  }
  if (key.asymmetricKeyType === 'rsa') {
    const byBits: Record<number, SignatureAlgorithm> = {
      2048: { alg: 'PS256', cose: -37, hash: 'sha256', ec: false },
      3072: { alg: 'PS384', cose: -38, hash: 'sha384', ec: false },
      4096: { alg: 'PS512', cose: -39, hash: 'sha512', ec: false },
    };
    return byBits[details.modulusLength ?? 0];
  }
  return undefined;
}

/** A key's type and size in words: `EC secp384r1`, `RSA 1024-bit`. */
export function keyKind(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  return key.asymmetricKeyType === 'ec'
    ? `EC ${details.namedCurve ?? '?'}`
    : key.asymmetricKeyType === 'rsa'
      ? `RSA ${details.modulusLength ?? '?'}-bit`
      : (key.asymmetricKeyType ?? 'unknown');
}

/**
 * Whoever holds the private key: signs the envelope's signing input with the certificate's algorithm and returns the
 * signature in the form both envelopes carry (JWS RFC 7518 §3.4 and COSE RFC 9053 §2.1 alike: r‖s, each as long as
 * the curve, for ECDSA; the RSASSA-PSS octets for RSA). A local key signs in process; a Key Vault key signs the digest.
 */
export interface NotationSigner {
  sign(input: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer>;
}

/** RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 7518 §3.5; RFC 8230 §2 for COSE). */
function keyOptions(algorithm: SignatureAlgorithm) {
  return algorithm.ec
    ? { dsaEncoding: 'ieee-p1363' as const }
    : { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[algorithm.hash] };
}

export function localSigner(key: KeyObject): NotationSigner {
  return {
    sign: (input, algorithm) => Promise.resolve(sign(algorithm.hash, input, { key, ...keyOptions(algorithm) })),
  };
}

/** The PEM certificate blocks in a text, in order (the chain and the TSA root inputs). */
export function certificateBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** Whether `parent` issued `child`: its subject is the child's issuer and its key verifies the child's signature. */
export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/** A certificate's subject on one line, for an error line: `C=US, O=Contoso, CN=release-signing`. */
export function subjectText(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}

/** The certificate chain as PEM blocks, leaf first, checked against the key: notation verifies the leaf's key. */
export function parseChain(
  pem: string,
  key: KeyObject | undefined,
  labels: { chain: string; key: string },
): X509Certificate[] {
  const blocks = certificateBlocks(pem);
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
    if (!issuedBy(chain[i], chain[i + 1])) {
      throw new InputError(
        `Input '${labels.chain}': certificate ${i + 1} is not issued by certificate ${i + 2} (order the chain leaf first, root last)`,
      );
    }
  }
  return chain;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** What a signature says beside the artifact: when it was made and, optionally, until when it should be trusted. */
export interface SignedAttributes {
  /** Signing time, from the step's clock. */
  now: Date;
  /** `io.cncf.notary.expiry` (signature-specification.md: the signer's "best by use" time); none when undefined. */
  expiry?: Date;
  /**
   * An RFC 3161 TSA that countersigns the signature value (./timestamp.ts); its token goes into the unprotected
   * header io.cncf.notary.timestampSignature. Not a signed attribute: the token is over the signature itself.
   */
  timestamp?: Timestamper;
}

export interface NotationSignRequest extends SignedAttributes {
  registry: RegistryClient;
  subject: Descriptor;
  signer: NotationSigner;
  /** Leaf first; the leaf's public key decides the algorithm. */
  chain: X509Certificate[];
  /** `jws` unless given, as notation's default `--signature-format`. */
  envelope?: NotationEnvelope;
  labels: { key: string };
  push: ArtifactPushOptions;
}

export interface NotationSignature {
  manifestDigest: string;
  envelope: Buffer;
}

/**
 * The payload both envelopes sign (signature-specification.md "Payload"): the target artifact's descriptor, its
 * annotations included, as notation-go's envelope.Payload marshals it.
 */
function targetPayload(subject: Descriptor): Buffer {
  const target = {
    mediaType: subject.mediaType,
    digest: subject.digest,
    size: subject.size,
    ...(subject.annotations ? { annotations: subject.annotations } : {}),
  };
  return Buffer.from(JSON.stringify({ targetArtifact: target }));
}

/** RFC 3339 in whole seconds, as the JWS headers and the manifest's created annotation carry times. */
const rfc3339 = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Signs `input` and checks the result against the leaf certificate before it goes anywhere: a remote key that is not
 * the certificate's would make a signature no verifier accepts.
 */
async function signChecked(
  signer: NotationSigner,
  input: Buffer,
  algorithm: SignatureAlgorithm,
  leaf: X509Certificate,
  label: string,
): Promise<Buffer> {
  const signature = await signer.sign(input, algorithm);
  if (!verify(algorithm.hash, input, { key: leaf.publicKey, ...keyOptions(algorithm) }, signature)) {
    throw new InputError(
      `Input '${label}': the signing key does not match the leaf certificate's public key (${subjectText(leaf)})`,
    );
  }
  return signature;
}

/** One signature for both envelope formats: the subject, the key, its chain (leaf first) and the signed attributes. */
type EnvelopeEncoder = (
  subject: Descriptor,
  signer: NotationSigner,
  chain: X509Certificate[],
  attributes: SignedAttributes,
  label: string,
) => Promise<Buffer>;

/** The protected headers a verifier must understand: the signing scheme always, the expiry when one is set. */
function criticalHeaders(attributes: SignedAttributes): string[] {
  return ['io.cncf.notary.signingScheme', ...(attributes.expiry ? ['io.cncf.notary.expiry'] : [])];
}

/**
 * The JWS envelope (signature-envelope-jws.md): protected header with alg, cty, crit [signingScheme (, expiry)] and
 * the signing time; the certificate chain (x5c, standard base64 DER as Go's encoding/json writes []byte) and signing
 * agent unprotected; the signature over `protected.payload`. The protected header's members are in the order
 * notation-core-go v1.3.0 writes them (signature/jws/jws.go getSignedAttributes builds a map that golang-jwt marshals
 * with encoding/json, which sorts map keys): alg, crit, cty, then the io.cncf.notary.* names in byte order, so the
 * expiry comes before the signing scheme.
 */
export const jwsEnvelope: EnvelopeEncoder = async (subject, signer, chain, attributes, label) => {
  const algorithm = algorithmFor(chain[0].publicKey, label);
  const protectedHeader = b64url(
    JSON.stringify({
      alg: algorithm.alg,
      crit: criticalHeaders(attributes),
      cty: Notation.payloadType,
      ...(attributes.expiry ? { 'io.cncf.notary.expiry': rfc3339(attributes.expiry) } : {}),
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': rfc3339(attributes.now),
    }),
  );
  const payload = b64url(targetPayload(subject));
  const signingInput = Buffer.from(`${protectedHeader}.${payload}`, 'ascii');
  const signature = await signChecked(signer, signingInput, algorithm, chain[0], label);
  const token = await attributes.timestamp?.(signature, algorithm.hash);
  // The unprotected header in notation-core-go's field order (signature/jws/types.go jwsUnprotectedHeader):
  // timestampSignature (standard base64, Go's []byte), x5c, signingAgent.
  return Buffer.from(
    JSON.stringify({
      payload,
      protected: protectedHeader,
      header: {
        ...(token ? { 'io.cncf.notary.timestampSignature': token.toString('base64') } : {}),
        x5c: chain.map((c) => c.raw.toString('base64')),
        'io.cncf.notary.signingAgent': Notation.signingAgent,
      },
      signature: b64url(signature),
    }),
  );
};

/** COSE header labels (RFC 9052 §3.1; x5chain: RFC 9360 §2). */
const COSE_ALG = 1;
const COSE_CRIT = 2;
const COSE_CONTENT_TYPE = 3;
const COSE_X5CHAIN = 33;
/** CBOR tags: 1 epoch-based date/time (RFC 8949 §3.4.2), 18 COSE_Sign1 (RFC 9052 §4.2). */
const TAG_EPOCH = 1;
const TAG_COSE_SIGN1 = 18;

/** A time as notation-core-go encodeTime writes it (fxamacker/cbor TimeUnix + EncTagRequired): tag 1, whole seconds. */
const epoch = (t: Date) => new CborTag(TAG_EPOCH, Math.floor(t.getTime() / 1000));

/**
 * The COSE_Sign1_Tagged envelope (signature-envelope-cose.md; notation-core-go v1.3.0 signature/cose/envelope.go Sign,
 * generateProtectedHeaders, generateUnprotectedHeaders; go-cose v1.3.0 sign1.go toBeSigned):
 * - protected: alg (COSE label), crit [signingScheme (, expiry)], content type, signingScheme `notary.x509`,
 *   signingTime (and expiry) as tag-1 date/times, encoded deterministically and carried as a byte string;
 * - unprotected: x5chain (always an array of DER certificates, leaf first — notation-core-go reads nothing else) and
 *   the signing agent;
 * - payload: the same descriptor payload the JWS envelope signs;
 * - signature over Sig_structure ["Signature1", protected, h'', payload], r‖s for ECDSA.
 */
export const coseEnvelope: EnvelopeEncoder = async (subject, signer, chain, attributes, label) => {
  const algorithm = algorithmFor(chain[0].publicKey, label);
  const protectedHeader = new Map<number | string, CborValue>([
    [COSE_ALG, algorithm.cose],
    [COSE_CRIT, criticalHeaders(attributes)],
    [COSE_CONTENT_TYPE, Notation.payloadType],
    ['io.cncf.notary.signingScheme', 'notary.x509'],
    ['io.cncf.notary.signingTime', epoch(attributes.now)],
  ]);
  if (attributes.expiry) protectedHeader.set('io.cncf.notary.expiry', epoch(attributes.expiry));
  const protectedBytes = encodeCbor(protectedHeader);
  const payload = targetPayload(subject);
  const toBeSigned = encodeCbor(['Signature1', protectedBytes, Buffer.alloc(0), payload]);
  const signature = await signChecked(signer, toBeSigned, algorithm, chain[0], label);
  const unprotected = new Map<number | string, CborValue>([
    [COSE_X5CHAIN, chain.map((c) => c.raw)],
    ['io.cncf.notary.signingAgent', Notation.signingAgent],
  ]);
  const token = await attributes.timestamp?.(signature, algorithm.hash);
  if (token) unprotected.set('io.cncf.notary.timestampSignature', token);
  return encodeCbor(new CborTag(TAG_COSE_SIGN1, [protectedBytes, unprotected, payload, signature]));
};

/**
 * Signs `subject` and pushes the signature as notation does (notation-go v1.3.2 registry/repository.go
 * uploadSignatureManifest): config of type application/vnd.cncf.notary.signature holding `{}`, the envelope as the
 * one layer typed by its format (application/jose+json or application/cose), the chain's SHA-256 thumbprints and the
 * signing time as manifest annotations, the artifact as subject. Without an expiry, a signature in the same format by
 * the same certificate over the same artifact is kept and nothing is written — if its envelope carries no expiry of
 * its own: one that expires (or has) is not kept, nor one whose envelope cannot be read, since `notation verify`
 * would refuse it sooner or later. With an expiry, a new signature is always written, as `notation sign --expiry`
 * does: the expiry counts from this run, and re-running is how a pipeline renews a signature before it expires.
 */
export async function signWithNotation(req: NotationSignRequest): Promise<NotationSignature & { existing: boolean }> {
  const format = req.envelope ?? 'jws';
  const layerType = format === 'cose' ? Notation.coseMediaType : Notation.jwsMediaType;
  const thumbprints = JSON.stringify(req.chain.map((c) => createHash('sha256').update(c.raw).digest('hex')));
  // A signature found on the artifact may lack the expiry or the time stamp asked for now: keep one only when neither is.
  const candidates = req.expiry || req.timestamp ? [] : await listReferrers(req.registry, req.subject.digest);
  for (const referrer of candidates) {
    if (
      referrer.artifactType !== Notation.artifactType ||
      referrer.annotations?.[Notation.thumbprintAnnotation] !== thumbprints
    )
      continue;
    const layer = await envelopeLayer(req.registry, referrer.digest);
    if (layer?.mediaType !== layerType) continue;
    const reason = await whyNotKept(req.registry, layer, format, req.now);
    if (reason === undefined) return { manifestDigest: referrer.digest, envelope: Buffer.alloc(0), existing: true };
    req.push.log(`Not keeping the existing signature ${referrer.digest}: ${reason}; writing a new one`);
  }
  const make = format === 'cose' ? coseEnvelope : jwsEnvelope;
  const envelope = await make(req.subject, req.signer, req.chain, req, req.labels.key);
  const built = buildArtifact({
    config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
    layers: [{ mediaType: layerType, bytes: envelope }],
    subject: req.subject,
    annotations: {
      [Notation.thumbprintAnnotation]: thumbprints,
      'org.opencontainers.image.created': rfc3339(req.now),
    },
  });
  await pushReferrer(req.registry, built, req.push);
  return { manifestDigest: built.digest, envelope, existing: false };
}

/** The envelope layer of a signature manifest (its one layer): the referrers list does not carry its type. */
async function envelopeLayer(registry: RegistryClient, digest: string): Promise<Descriptor | undefined> {
  const manifest = await registry.getManifest(digest);
  if (!manifest) return undefined;
  try {
    return (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: Descriptor[] }).layers?.[0];
  } catch {
    return undefined;
  }
}

/** Envelopes are a few KiB (a chain of certificates and perhaps a time stamp token); more is not an envelope. */
const ENVELOPE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Why an existing signature is not to be kept, in words for the log, or undefined to keep it: its envelope signs an
 * `io.cncf.notary.expiry`, or cannot be read. A time stamp does not matter: it only lets the signature outlive its
 * certificate. Reading is best effort — any failure means a new signature, never a failed step.
 */
async function whyNotKept(
  registry: RegistryClient,
  layer: Descriptor,
  format: NotationEnvelope,
  now: Date,
): Promise<string | undefined> {
  let expiry: Date | undefined;
  try {
    expiry = envelopeExpiry(await registry.getBlob(layer, ENVELOPE_MAX_BYTES), format);
  } catch (error) {
    return `its envelope ${layer.digest} cannot be read (${oneLine(error)})`;
  }
  if (!expiry) return undefined;
  return expiry.getTime() <= now.getTime() ? `it expired ${rfc3339(expiry)}` : `it expires ${rfc3339(expiry)}`;
}

/**
 * The `io.cncf.notary.expiry` an envelope signs, or undefined when it has none; throws when the envelope, its protected
 * header or the expiry cannot be read. Only the protected header is decoded: the JWS one is base64url JSON with an
 * RFC 3339 time (signature-envelope-jws.md), the COSE one a CBOR map in a byte string with a tag-1 time
 * (signature-envelope-cose.md). The signature itself is not checked: this decides only whether to sign again.
 */
export function envelopeExpiry(envelope: Buffer, format: NotationEnvelope): Date | undefined {
  let expiry: Date | undefined;
  if (format === 'jws') {
    const { protected: header } = JSON.parse(envelope.toString('utf8')) as { protected?: unknown };
    if (typeof header !== 'string') throw new Error('the JWS envelope has no protected header');
    const value = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>)[
      'io.cncf.notary.expiry'
    ];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error('the JWS expiry is not a time');
    expiry = new Date(value);
  } else {
    const outer = decodeCbor(envelope);
    const sign1 = outer instanceof CborTag && outer.tag === TAG_COSE_SIGN1 ? outer.value : outer;
    const protectedBytes = Array.isArray(sign1) && sign1.length === 4 ? sign1[0] : undefined;
    if (!(protectedBytes instanceof Uint8Array)) throw new Error('the COSE envelope is not a COSE_Sign1');
    const header = decodeCbor(protectedBytes);
    if (!(header instanceof Map)) throw new Error('the COSE protected header is not a map');
    const value = header.get('io.cncf.notary.expiry');
    if (value === undefined) return undefined;
    if (!(value instanceof CborTag && value.tag === TAG_EPOCH && typeof value.value === 'number'))
      throw new Error('the COSE expiry is not a tag-1 time');
    expiry = new Date(value.value * 1000);
  }
  if (Number.isNaN(expiry.getTime())) throw new Error('the expiry is not a time');
  return expiry;
}

/** A key in Azure Key Vault: the digest of the signing input is signed by the vault's `sign` operation. */
export function keyVaultSigner(client: KeyVaultClient, key: KeyVaultKeyId): NotationSigner {
  return { sign: (input, { alg, hash }) => client.sign(key, alg, createHash(hash).update(input).digest()) };
}

/**
 * The Key Vault signer, after GetKey has shown the key can make a signature `notation verify` accepts: enabled, `sign`
 * in its key_ops, and the leaf certificate's own key. Each refusal comes before any signature is made or pushed.
 */
export async function checkedKeyVaultSigner(
  client: KeyVaultClient,
  key: KeyVaultKeyId,
  leaf: X509Certificate,
  labels: { chain: string; key: string },
): Promise<NotationSigner> {
  const found = await client.getKey(key);
  const id = `${key.name}/${key.version} in ${new URL(key.vault).host}`;
  if (!found.enabled) {
    throw new UserError(
      `Key Vault key ${id} is disabled: enable that version, or name an enabled one in '${labels.key}'`,
    );
  }
  if (found.keyOps && !found.keyOps.includes('sign')) {
    throw new UserError(
      `Key Vault key ${id} does not permit sign (its key_ops: ${found.keyOps.join(', ') || 'none'}): add sign to the key's operations, or name another key in '${labels.key}'`,
    );
  }
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(found.publicKey).equals(spki(leaf.publicKey))) {
    throw new InputError(
      `Input '${labels.chain}': the leaf certificate (${subjectText(leaf)}) is not for Key Vault key ${id} in '${labels.key}' (their public keys differ; the chain must start with the key's certificate)`,
    );
  }
  return keyVaultSigner(client, key);
}
