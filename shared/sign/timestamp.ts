import { constants, createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { InputError, UserError } from '../errors';
import { NetworkError, readAtMost, type HttpClient } from '../http/client';
import { RemoteError } from '../remote-error';
import {
  booleanValue,
  childrenOf,
  DerError,
  expectTag,
  integer,
  integerValue,
  nullValue,
  octetString,
  oid,
  oidText,
  readOnly,
  sequence,
  Tag,
  type DerElement,
} from './der';
import { certificateBlocks, issuedBy, keyKind, notaryAlgorithm, subjectText } from './notation';

/**
 * RFC 3161 time-stamping of a Notary Project signature, as notation-core-go v1.3.0 does it
 * (internal/timestamp/timestamp.go Timestamp; signature/jws/jws.go timestampJWS; signature/cose/envelope.go Sign)
 * through notaryproject/tspclient-go at 4f55b14 (request.go NewRequest, http.go Timestamp, response.go Validate,
 * token.go Verify and SigningCertificate) and notation-core-go x509/timestamp_cert_validations.go:
 * - what is stamped: the signature value itself (JWS: the decoded `signature`; COSE: the COSE_Sign1 signature), hashed
 *   with the signature algorithm's hash (SHA-256/384/512);
 * - the request: version 1, the message imprint (hash OID with NULL parameters, digest), a random nonce below 2^159,
 *   certReq true, no policy, no extensions; POSTed as application/timestamp-query;
 * - the reply (application/timestamp-reply, at most 1 MiB): status granted or grantedWithMods, a SignedData token of
 *   id-ct-TSTInfo whose TSTInfo is version 1, carries the same message imprint and nonce and a UTC genTime; the
 *   signer's certificate named by the signingCertificateV2 attribute, the CMS signature valid, the chain from it to
 *   the given root, the signer's extended key usage timeStamping only and critical;
 * - the token's bytes go into the envelope's unprotected header io.cncf.notary.timestampSignature.
 * Not done (notation does it): OCSP/CRL revocation checks of the TSA's chain.
 */

const TIMESTAMP_QUERY = 'application/timestamp-query';
const TIMESTAMP_REPLY = 'application/timestamp-reply';
/** tspclient-go http.go maxBodyLength. */
const MAX_REPLY_BYTES = 1024 * 1024;

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  extKeyUsage: '2.5.29.37',
  keyUsage: '2.5.29.15',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

type Hash = 'sha256' | 'sha384' | 'sha512';
const HASH_BY_OID: Record<string, Hash> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/** CMS signature algorithms a TSA signs with: RSA PKCS #1 v1.5 and ECDSA (RFC 5754 §3), by the digest algorithm. */
const RSA_PKCS1 = new Set([
  '1.2.840.113549.1.1.1',
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
]);
const ECDSA = new Set(['1.2.840.10045.2.1', '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4']);

export interface TimestampRequest {
  der: Buffer;
  hash: Hash;
  digest: Buffer;
  nonce: bigint;
}

/** The TimeStampReq for `content` (RFC 3161 §2.4.1), as tspclient-go NewRequest builds it. */
export function timestampRequest(content: Buffer, hash: Hash, nonce = randomNonce()): TimestampRequest {
  const digest = createHash(hash).update(content).digest();
  const der = sequence(
    integer(1n),
    sequence(sequence(oid(OID[hash]), nullValue()), octetString(digest)),
    integer(nonce),
    booleanValue(true),
  );
  return { der, hash, digest, nonce };
}

/** A random nonce in [0, 2^159), as tspclient-go generateNonce. */
function randomNonce(): bigint {
  const bytes = randomBytes(20);
  bytes[0] &= 0x7f;
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** Why a reply is refused; the caller names the input it is about. */
export class TimestampRefused extends Error {
  constructor(
    message: string,
    readonly about: 'tsa' | 'root',
  ) {
    super(message);
  }
}

const STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

/**
 * Checks a TimeStampResp against the request and the TSA root, and returns the time-stamp token (the ContentInfo's
 * bytes as received) to embed. The genTime is read only to check it is UTC; the certificates are checked at `now`, as
 * Go's x509 Verify does for tspclient-go. Throws TimestampRefused otherwise.
 */
export function checkTimestampReply(
  reply: Buffer,
  request: TimestampRequest,
  root: X509Certificate,
  now: Date,
): Buffer {
  try {
    const [statusInfo, token] = childrenOf(expectTag(readOnly(reply), Tag.sequence, 'TimeStampResp'));
    const status = Number(integerValue(childrenOf(expectTag(statusInfo, Tag.sequence, 'PKIStatusInfo'))[0]));
    if (status !== 0 && status !== 1) {
      throw new TimestampRefused(`the TSA did not grant the time stamp (status ${STATUS[status] ?? status})`, 'tsa');
    }
    const parsed = parseToken(expectTag(token, Tag.sequence, 'timeStampToken'));
    checkTstInfo(parsed.tstInfo, request);
    const signer = signerOf(parsed);
    checkTokenSignature(parsed, signer);
    checkTsaChain(signer, parsed.certificates, root, now);
    return Buffer.from(token.raw);
  } catch (error) {
    if (error instanceof TimestampRefused) throw error;
    // A DER error, or a field of the wrong shape (a certificate node:crypto cannot parse, a missing element).
    const detail = error instanceof DerError ? ` (${error.message})` : '';
    throw new TimestampRefused(`the TSA's reply is malformed${detail}`, 'tsa');
  }
}

interface ParsedToken {
  eContent: Buffer;
  tstInfo: { imprintOid: string; imprint: Buffer; nonce?: bigint };
  certificates: X509Certificate[];
  signerInfo: {
    digest: Hash;
    signedAttrs: DerElement;
    attributes: Map<string, DerElement[]>;
    signatureOid: string;
    signature: Buffer;
  };
}

/** ContentInfo → SignedData (RFC 5652 §5) → the TSTInfo (RFC 3161 §2.4.2), its certificates and its one signer. */
function parseToken(contentInfo: DerElement): ParsedToken {
  const [type, wrapped] = childrenOf(contentInfo);
  if (oidText(type) !== OID.signedData) throw new TimestampRefused('the time-stamp token is not CMS SignedData', 'tsa');
  const signedData = childrenOf(
    expectTag(childrenOf(expectTag(wrapped, Tag.context(0), 'content'))[0], Tag.sequence, 'SignedData'),
  );
  const [encap] = signedData.slice(2, 3).map((e) => childrenOf(expectTag(e, Tag.sequence, 'encapContentInfo')));
  if (oidText(encap[0]) !== OID.tstInfo)
    throw new TimestampRefused('the time-stamp token does not hold a TSTInfo', 'tsa');
  const eContent = expectTag(
    childrenOf(expectTag(encap[1], Tag.context(0), 'eContent'))[0],
    Tag.octetString,
    'eContent',
  ).content;
  const rest = signedData.slice(3);
  const certificates = rest
    .filter((e) => e.tag === Tag.context(0))
    .flatMap((e) => childrenOf(e))
    .map((c) => new X509Certificate(c.raw));
  const signerInfos = childrenOf(expectTag(rest.at(-1), Tag.set, 'signerInfos'));
  if (signerInfos.length !== 1) throw new TimestampRefused('the time-stamp token must have exactly one signer', 'tsa');
  const info = childrenOf(expectTag(signerInfos[0], Tag.sequence, 'SignerInfo'));
  const digest = HASH_BY_OID[oidText(childrenOf(info[2])[0])];
  if (!digest) throw new TimestampRefused('the time-stamp token is signed with an unsupported digest', 'tsa');
  const signedAttrs = expectTag(info[3], Tag.context(0), 'signedAttrs');
  const attributes = new Map<string, DerElement[]>();
  for (const attribute of childrenOf(signedAttrs)) {
    const [attrType, values] = childrenOf(attribute);
    attributes.set(oidText(attrType), childrenOf(expectTag(values, Tag.set, 'attrValues')));
  }
  return {
    eContent,
    tstInfo: parseTstInfo(eContent),
    certificates,
    signerInfo: {
      digest,
      signedAttrs,
      attributes,
      signatureOid: oidText(childrenOf(info[4])[0]),
      signature: expectTag(info[5], Tag.octetString, 'signature').content,
    },
  };
}

function parseTstInfo(bytes: Buffer): ParsedToken['tstInfo'] {
  const fields = childrenOf(expectTag(readOnly(bytes), Tag.sequence, 'TSTInfo'));
  if (integerValue(fields[0]) !== 1n) throw new TimestampRefused('the TSTInfo is not version 1', 'tsa');
  const [algorithm, hashed] = childrenOf(expectTag(fields[2], Tag.sequence, 'messageImprint'));
  const time = expectTag(fields[4], Tag.generalizedTime, 'genTime').content.toString('latin1');
  // RFC 3161 §2.4.2: GeneralizedTime in UTC ("Z"), optionally with fractions of a second.
  if (!/^\d{14}(\.\d+)?Z$/.test(time)) throw new TimestampRefused(`the TSTInfo's genTime is not UTC (${time})`, 'tsa');
  const nonce = fields.slice(5).find((f) => f.tag === Tag.integer);
  return {
    imprintOid: oidText(childrenOf(algorithm)[0]),
    imprint: expectTag(hashed, Tag.octetString, 'hashedMessage').content,
    nonce: nonce ? integerValue(nonce) : undefined,
  };
}

function checkTstInfo(info: ParsedToken['tstInfo'], request: TimestampRequest): void {
  if (info.imprintOid !== OID[request.hash] || !info.imprint.equals(request.digest)) {
    throw new TimestampRefused(
      "the TSA's token is for another message (its message imprint is not the one sent)",
      'tsa',
    );
  }
  if (info.nonce !== request.nonce) {
    throw new TimestampRefused("the TSA's token does not carry the request's nonce", 'tsa');
  }
}

/** The signer's certificate: the one whose hash the signingCertificateV2 attribute names (RFC 5816 §2.2.1). */
function signerOf(token: ParsedToken): X509Certificate {
  const [value] = token.signerInfo.attributes.get(OID.signingCertificateV2) ?? [];
  if (!value) throw new TimestampRefused('the time-stamp token has no signingCertificateV2 attribute', 'tsa');
  const [certs] = childrenOf(expectTag(value, Tag.sequence, 'SigningCertificateV2'));
  const [first] = childrenOf(expectTag(certs, Tag.sequence, 'certs'));
  const id = childrenOf(expectTag(first, Tag.sequence, 'ESSCertIDv2'));
  // hashAlgorithm DEFAULT id-sha256 is left out in DER.
  const hash = id[0].tag === Tag.sequence ? HASH_BY_OID[oidText(childrenOf(id[0])[0])] : 'sha256';
  const certHash = (id[0].tag === Tag.sequence ? id[1] : id[0]).content;
  const signer = hash && token.certificates.find((c) => createHash(hash).update(c.raw).digest().equals(certHash));
  if (!signer) throw new TimestampRefused("the time-stamp token does not include the TSA's signing certificate", 'tsa');
  return signer;
}

/** RFC 5652 §5.4: content type and message digest attributes, then the signature over the DER SET of attributes. */
function checkTokenSignature(token: ParsedToken, signer: X509Certificate): void {
  const { digest, attributes, signedAttrs, signatureOid, signature } = token.signerInfo;
  const [contentType] = attributes.get(OID.contentType) ?? [];
  const [messageDigest] = attributes.get(OID.messageDigest) ?? [];
  if (!contentType || oidText(contentType) !== OID.tstInfo) {
    throw new TimestampRefused("the time-stamp token's signed content type is not TSTInfo", 'tsa');
  }
  if (!messageDigest || !messageDigest.content.equals(createHash(digest).update(token.eContent).digest())) {
    throw new TimestampRefused("the time-stamp token's message digest does not match its TSTInfo", 'tsa');
  }
  // The signature covers the attributes encoded as a SET OF (tag 0x31), not as the [0] IMPLICIT they are sent in.
  const signed = Buffer.concat([Buffer.of(Tag.set), signedAttrs.raw.subarray(1)]);
  let valid: boolean;
  if (RSA_PKCS1.has(signatureOid)) {
    valid = verify(digest, signed, { key: signer.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } else if (ECDSA.has(signatureOid)) {
    valid = verify(digest, signed, signer.publicKey, signature);
  } else {
    throw new TimestampRefused(`the time-stamp token is signed with an unsupported algorithm (${signatureOid})`, 'tsa');
  }
  if (!valid) throw new TimestampRefused("the time-stamp token's signature does not verify", 'tsa');
}

/** An extension of a certificate by OID, with its critical flag (RFC 5280 §4.1). */
function extension(cert: X509Certificate, id: string): { critical: boolean; value: Buffer } | undefined {
  const tbs = childrenOf(childrenOf(readOnly(cert.raw))[0]);
  const wrapped = tbs.find((e) => e.tag === Tag.context(3));
  for (const ext of wrapped ? childrenOf(childrenOf(wrapped)[0]) : []) {
    const parts = childrenOf(ext);
    if (oidText(parts[0]) !== id) continue;
    const critical = parts.length === 3 && parts[1].content[0] !== 0;
    return { critical, value: parts.at(-1)!.content };
  }
  return undefined;
}

/**
 * What the time-stamping leaf must be (timestamp_cert_validations.go validateTimestampingLeafCertificate): timeStamping
 * only, critical; signs digitally and only; a key notation takes.
 */
function checkTsaLeaf(leaf: X509Certificate): void {
  const name = subjectText(leaf);
  const eku = extension(leaf, OID.extKeyUsage);
  const usages = eku ? childrenOf(readOnly(eku.value)).map(oidText) : [];
  if (!eku || usages.length !== 1 || usages[0] !== OID.timeStamping || !eku.critical) {
    throw new TimestampRefused(
      `the TSA's certificate (${name}) must have timeStamping as its only extended key usage, marked critical`,
      'tsa',
    );
  }
  const keyUsage = extension(leaf, OID.keyUsage);
  // BIT STRING: unused-bits octet, then bit 0 (digitalSignature) is the first octet's top bit.
  const bits = keyUsage ? readOnly(keyUsage.value).content : undefined;
  if (!bits || bits.length < 2 || !(bits[1] & 0x80) || leaf.ca) {
    throw new TimestampRefused(`the TSA's certificate (${name}) must be a leaf with key usage digitalSignature`, 'tsa');
  }
  // validateSignatureAlgorithm: the key sizes and curves notation signs with.
  if (!notaryAlgorithm(leaf.publicKey)) {
    throw new TimestampRefused(
      `the TSA's certificate (${name}) has an ${keyKind(leaf.publicKey)} key; notation takes a TSA key of EC P-256/P-384/P-521 or RSA 2048/3072/4096`,
      'tsa',
    );
  }
  // notation-core-go x509/helper.go validateLeafKeyUsage: beside digitalSignature, nonRepudiation only; notation
  // sign --timestamp-url and notation verify refuse a TSA leaf with any of these.
  const forbidden = LEAF_FORBIDDEN_KEY_USAGES.filter(([bit]) => bits[1 + (bit >> 3)] & (0x80 >> (bit & 7)));
  if (forbidden.length > 0) {
    throw new TimestampRefused(
      `the TSA's certificate (${name}) must not have key usage ${forbidden.map(([, usage]) => usage).join(', ')} (a time-stamping certificate signs only)`,
      'tsa',
    );
  }
}

/** KeyUsage bits (RFC 5280 §4.2.1.3) a signing leaf must not have. */
const LEAF_FORBIDDEN_KEY_USAGES: [number, string][] = [
  [2, 'keyEncipherment'],
  [3, 'dataEncipherment'],
  [4, 'keyAgreement'],
  [5, 'keyCertSign'],
  [6, 'cRLSign'],
  [7, 'encipherOnly'],
  [8, 'decipherOnly'],
];

/** From the signer through the token's certificates to the given root, each valid now and issued by the next. */
function checkTsaChain(
  signer: X509Certificate,
  certificates: X509Certificate[],
  root: X509Certificate,
  now: Date,
): void {
  checkTsaLeaf(signer);
  const within = (c: X509Certificate) =>
    Date.parse(c.validFrom) <= now.getTime() && now.getTime() <= Date.parse(c.validTo);
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (!within(current)) {
      throw new TimestampRefused(`the TSA's certificate ${subjectText(current)} is not valid now`, 'tsa');
    }
    if (current.raw.equals(root.raw) || issuedBy(current, root)) {
      if (!within(root)) throw new TimestampRefused('the TSA root certificate is not valid now', 'root');
      return;
    }
    const parent = certificates.find((c) => c !== current && c.ca && issuedBy(current, c));
    if (!parent) break;
    current = parent;
  }
  throw new TimestampRefused(
    `the TSA's certificate (${subjectText(signer)}) does not chain to the given TSA root (${subjectText(root)})`,
    'root',
  );
}

/** A self-signed root, exactly one certificate, as notation's --timestamp-root-cert (cmd/notation/sign.go). */
export function parseTsaRoot(pem: string, label: string): X509Certificate {
  const blocks = certificateBlocks(pem);
  if (blocks.length !== 1) {
    throw new InputError(
      `Input '${label}': expected exactly one PEM certificate, the TSA's root (found ${blocks.length})`,
    );
  }
  let root: X509Certificate;
  try {
    root = new X509Certificate(blocks[0]);
  } catch {
    throw new InputError(`Input '${label}': the certificate cannot be parsed`);
  }
  // notation checks self-signed only (notation-core-go x509 IsRootCertificate): a TSA may sign with its root itself.
  if (!issuedBy(root, root)) {
    throw new InputError(`Input '${label}': ${subjectText(root)} is not a self-signed root certificate`);
  }
  return root;
}

/** Stamps a signature value through the TSA; the envelope encoders call it once the signature exists. */
export type Timestamper = (signature: Buffer, hash: Hash) => Promise<Buffer>;

/**
 * The TSA at `url` over the pack's HTTP client: one POST (retried by the client's policy for network errors, 5xx and
 * 429 — a time-stamp request is safe to repeat), the reply checked before the token is returned. Every refusal is one
 * line naming the input it is about.
 */
export function httpTimestamper(
  http: HttpClient,
  url: string,
  root: X509Certificate,
  labels: { url: string; root: string },
  now: () => Date,
): Timestamper {
  const host = new URL(url).host;
  return async (signature, hash) => {
    const request = timestampRequest(signature, hash);
    const res = await http
      .request({
        method: 'POST',
        url,
        headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
        body: request.der,
        // Read here, up to tspclient-go's limit: a reply that never ends must not be held in memory whole.
        stream: true,
      })
      .catch((error: unknown) => {
        // The URL is the one input behind a TSA that cannot be reached (the step's timeout keeps its own words).
        if (!(error instanceof NetworkError)) throw error;
        throw new UserError(`Input '${labels.url}': ${error.message}; nothing was written`, { cause: error });
      });
    const stream = res.stream!;
    if (res.status !== 200) {
      stream.destroy();
      // The TSA is called without credentials, so even a 401 is about the URL, not a username or password.
      throw new RemoteError({
        service: 'TSA',
        operation: `time-stamp the signature at ${host}`,
        status: res.status,
        endpoint: host,
        advice: `check '${labels.url}' (an RFC 3161 TSA URL that time-stamps without credentials); nothing was written`,
      });
    }
    const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
    const notAReply = (what: string) =>
      new UserError(
        `Input '${labels.url}': ${host} did not answer with a time-stamp reply (${what}): is it an RFC 3161 TSA URL?`,
      );
    if (type !== TIMESTAMP_REPLY) {
      stream.destroy();
      throw notAReply(type || 'no content type');
    }
    // tspclient-go http.go refuses a reply of maxBodyLength bytes or more.
    const body = await readAtMost(stream, MAX_REPLY_BYTES - 1).catch((error: unknown) => {
      if (error instanceof UserError) throw error;
      throw new UserError(
        `Input '${labels.url}': the reply from ${host} broke off (${(error as Error).message}); nothing was written`,
        { cause: error },
      );
    });
    if (body === undefined) throw notAReply(`${TIMESTAMP_REPLY}, more than ${MAX_REPLY_BYTES} bytes`);
    try {
      return checkTimestampReply(body, request, root, now());
    } catch (error) {
      if (!(error instanceof TimestampRefused)) throw error;
      throw new UserError(
        `Input '${error.about === 'root' ? labels.root : labels.url}': ${error.message}; nothing was written`,
      );
    }
  };
}
