import { createPrivateKey, createPublicKey, scrypt, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { InputError } from '../errors';

/**
 * A signing key as cosign loads it (sigstore/cosign pkg/cosign/keys.go: ImportKeyPair, LoadPrivateKey): a PEM
 * private key (`EC PRIVATE KEY` / SEC 1 or `PRIVATE KEY` / PKCS #8), or cosign's own encrypted key file
 * (`ENCRYPTED SIGSTORE PRIVATE KEY`, older files `ENCRYPTED COSIGN PRIVATE KEY`) with its password.
 * Only ECDSA P-256 is accepted: it is what `cosign generate-key-pair` makes, and cosign verifies it with SHA-256.
 */
export interface SigningKey {
  privateKey: KeyObject;
  /** The public key as PEM (SubjectPublicKeyInfo), what `cosign verify --key` reads. */
  publicKeyPem: string;
}

/** Where the key came from, for error messages: the inputs as the platform spells them. */
export interface KeyLabels {
  key: string;
  password: string;
}

const ENCRYPTED_TYPES = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
const PLAIN_TYPES = ['EC PRIVATE KEY', 'PRIVATE KEY'];

/**
 * The scrypt parameter sets go-securesystemslib's `encrypted` package accepts (legacy, standard, OWASP); anything
 * else is refused before any work, as CheckParams does, so a crafted key file cannot make the step allocate gigabytes.
 */
const SCRYPT_PARAMS = [
  { N: 32768, r: 8, p: 1 },
  { N: 65536, r: 8, p: 1 },
  { N: 131072, r: 8, p: 1 },
];

export async function loadSigningKey(
  pem: string,
  password: string | undefined,
  labels: KeyLabels,
): Promise<SigningKey> {
  const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!block) {
    throw new InputError(`Input '${labels.key}': not a PEM private key (no '-----BEGIN … PRIVATE KEY-----' block)`);
  }
  const [, type, body] = block;
  let privateKey: KeyObject;
  if (ENCRYPTED_TYPES.includes(type)) {
    if (password === undefined) {
      throw new InputError(
        `Input '${labels.key}' is a cosign encrypted key; set '${labels.password}' to its password (an empty password is allowed if the key was made with one)`,
      );
    }
    const der = await decryptCosignKey(Buffer.from(body.replace(/\s+/g, ''), 'base64'), password, labels);
    privateKey = parseKey(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), labels);
  } else if (PLAIN_TYPES.includes(type)) {
    privateKey = parseKey(() => createPrivateKey({ key: block[0], format: 'pem' }), labels);
  } else {
    throw new InputError(
      `Input '${labels.key}': a '${type}' PEM block is not a supported private key (expected EC PRIVATE KEY, PRIVATE KEY or ENCRYPTED SIGSTORE PRIVATE KEY)`,
    );
  }
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    const what =
      privateKey.asymmetricKeyType === 'ec' ? `EC ${details?.namedCurve ?? '?'}` : privateKey.asymmetricKeyType;
    throw new InputError(
      `Input '${labels.key}': a ${what} key is not supported; use an ECDSA P-256 key (what 'cosign generate-key-pair' makes)`,
    );
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem };
}

function parseKey(parse: () => KeyObject, labels: KeyLabels): KeyObject {
  try {
    return parse();
  } catch {
    // Node's message may quote key material; say only what the user can act on.
    throw new InputError(`Input '${labels.key}': the private key cannot be parsed (is the PEM block complete?)`);
  }
}

interface EncryptedKeyFile {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

/**
 * go-securesystemslib `encrypted.Decrypt`: the PEM body is JSON with a scrypt KDF (N, r, p, 32-byte salt) and a NaCl
 * secretbox (XSalsa20-Poly1305, 24-byte nonce); the key is scrypt(password, salt) of 32 bytes; the plaintext is the
 * PKCS #8 DER of the private key. Node's crypto has scrypt but not XSalsa20, hence tweetnacl's secretbox.
 */
async function decryptCosignKey(json: Buffer, password: string, labels: KeyLabels): Promise<Buffer> {
  let file: EncryptedKeyFile;
  try {
    file = JSON.parse(json.toString('utf8')) as EncryptedKeyFile;
  } catch {
    throw new InputError(`Input '${labels.key}': the encrypted key's content is not cosign's JSON key format`);
  }
  if (file.kdf?.name !== 'scrypt' || file.cipher?.name !== 'nacl/secretbox') {
    throw new InputError(
      `Input '${labels.key}': unsupported key encryption (kdf '${String(file.kdf?.name)}', cipher '${String(file.cipher?.name)}'; cosign uses scrypt and nacl/secretbox)`,
    );
  }
  const params = file.kdf.params ?? {};
  if (!SCRYPT_PARAMS.some((s) => s.N === params.N && s.r === params.r && s.p === params.p)) {
    throw new InputError(`Input '${labels.key}': unsupported scrypt parameters in the encrypted key`);
  }
  const salt = Buffer.from(file.kdf.salt ?? '', 'base64');
  const nonce = Buffer.from(file.cipher.nonce ?? '', 'base64');
  const box = Buffer.from(file.ciphertext ?? '', 'base64');
  if (nonce.length !== nacl.secretbox.nonceLength || box.length <= nacl.secretbox.overheadLength) {
    throw new InputError(`Input '${labels.key}': the encrypted key is truncated or malformed`);
  }
  const { N, r, p } = params as { N: number; r: number; p: number };
  const key = await new Promise<Buffer>((resolve, reject) =>
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below cosign's standard N = 2^16.
    scrypt(Buffer.from(password, 'utf8'), salt, nacl.secretbox.keyLength, { N, r, p, maxmem: 256 * N * r }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
  const opened = nacl.secretbox.open(new Uint8Array(box), new Uint8Array(nonce), new Uint8Array(key));
  key.fill(0);
  if (!opened) {
    // secretbox cannot tell a wrong password from a damaged file: both fail the authenticator.
    throw new InputError(
      `Input '${labels.password}': the password does not decrypt the key in '${labels.key}' (wrong password, or a damaged key file)`,
    );
  }
  return Buffer.from(opened);
}

/**
 * Notation's signing key as notation keeps it (`notation cert generate-test` writes PKCS #8; notation-go's
 * signer.NewFromFiles reads any unencrypted PEM private key): `PRIVATE KEY`, `EC PRIVATE KEY` or `RSA PRIVATE KEY`.
 * Which curves and sizes sign is the envelope's decision (notation.ts algorithmFor), made from the certificate.
 */
export function loadNotationKey(pem: string, label: string): KeyObject {
  const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!block) {
    throw new InputError(`Input '${label}': not a PEM private key (no '-----BEGIN … PRIVATE KEY-----' block)`);
  }
  if (!['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'].includes(block[1])) {
    throw new InputError(
      `Input '${label}': a '${block[1]}' PEM block is not a supported key (expected an unencrypted PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)`,
    );
  }
  return parseKey(() => createPrivateKey({ key: block[0], format: 'pem' }), { key: label, password: '' });
}
