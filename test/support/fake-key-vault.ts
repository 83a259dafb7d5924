import {
  constants,
  createECDH,
  createHash,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyVaultContract } from './fake-arm/arm-contract';
import { standInServer } from './stand-in-server';

/**
 * A stand-in for Azure Key Vault's key `GetKey` and `sign` operations, checked on every request and answer against Key
 * Vault's published REST spec (keyvault/data-plane stable/7.5 keys.json, through the ARM contract checker). What it
 * follows:
 * - GetKey (operationId `GetKey`): the KeyBundle with the public JsonWebKey (kid, kty, key_ops, crv, x, y) and the
 *   attributes; a disabled key is still returned, with `enabled: false` (unlike secrets, whose get answers 403
 *   SecretDisabled);
 * - sign (keys.json operationId `sign`): the caller sends `alg` and the digest it computed (base64url); the answer is
 *   `{kid, value}`: for ECDSA the JWS form of the signature (r‖s, each as long as the curve), for RSASSA-PSS the
 *   signature octets — Key Vault's documented output (its "Supported algorithms" page: PS256/384/512 are RFC 7518
 *   RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash);
 * - the algorithm must fit the key (ES256 for P-256, ES384 for P-384, ES512 for P-521; PS* for any RSA size) and the
 *   digest must be as long as the algorithm's hash (Key Vault answers 400 BadParameter otherwise);
 * - a disabled key answers sign with 403 Forbidden, innererror KeyDisabled (the SecretDisabled counterpart), a key
 *   whose key_ops lack `sign` with 403 Forbidden, innererror KeyOperationForbidden (the body Key Vault sends for a key
 *   operation not permitted, as quoted in Azure/azure-sdk-for-net#11518);
 * - authentication: a missing or wrong bearer token gets 401 with Key Vault's challenge
 *   (`WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"`); an identity without the
 *   keys/sign permission gets 403 Forbidden (innererror ForbiddenByRbac, as with RBAC-enabled vaults);
 *   an unknown key or version gets 404 KeyNotFound.
 * Modelled keys: EC P-256/P-384/P-521 and RSA; of the spec's algorithms ES256/384/512 and PS256/384/512. Any other
 * algorithm the spec allows (RS*, ES256K, RSNULL) is recorded as a violation, so a test using one fails loudly instead of
 * being answered as Key Vault would not. Signing is the stand-in's own (from the RFCs, on node's crypto primitives),
 * never the product's code.
 */

/** What kind of key `createKey` makes: Key Vault's kty and curve (keys.json JsonWebKeyCurveName) or RSA size. */
export type VaultKeySpec = { kty: 'EC'; crv: 'P-256' | 'P-384' | 'P-521' } | { kty: 'RSA'; size: 2048 | 3072 | 4096 };

interface VaultKey {
  name: string;
  version: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Identities allowed to get and sign (Key Vault Crypto User; tokens map to identities). */
  signers: Set<string>;
  enabled: boolean;
  keyOps: string[];
}

interface Curve {
  crv: string;
  alg: string;
  hash: string;
  nodeCurve: string;
  /** Byte length of the order (and of r and s). */
  bytes: number;
  n: bigint;
}

/** SEC 2 / FIPS 186-4 curve orders, and the algorithm Key Vault pairs with each curve. */
const CURVES: Curve[] = [
  {
    crv: 'P-256',
    alg: 'ES256',
    hash: 'sha256',
    nodeCurve: 'prime256v1',
    bytes: 32,
    n: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  },
  {
    crv: 'P-384',
    alg: 'ES384',
    hash: 'sha384',
    nodeCurve: 'secp384r1',
    bytes: 48,
    n: BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  },
  {
    crv: 'P-521',
    alg: 'ES512',
    hash: 'sha512',
    nodeCurve: 'secp521r1',
    bytes: 66,
    n: BigInt(
      '0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
  },
];

/** RSASSA-PSS per JWA (RFC 7518 §3.5): the hash, for MGF1 too, and its length as the salt length. */
const PSS: Record<string, { hash: string; hLen: number }> = {
  PS256: { hash: 'sha256', hLen: 32 },
  PS384: { hash: 'sha384', hLen: 48 },
  PS512: { hash: 'sha512', hLen: 64 },
};

/** The spec's JsonWebKeySignatureAlgorithm values this stand-in does not sign with (see the header comment). */
const NOT_MODELLED = new Set(['RS256', 'RS384', 'RS512', 'RSNULL', 'ES256K']);

export class FakeKeyVault {
  readonly requests: { method: string; path: string; body: string }[] = [];
  readonly violations: string[] = [];
  private readonly keys = new Map<string, VaultKey>();
  /** bearer token → identity */
  private readonly tokens = new Map<string, string>();
  private server?: http.Server;
  url = '';

  /**
   * `authenticate`: the identity a bearer token stands for (e.g. the Entra stand-in's tokens for
   * https://vault.azure.net); by default only tokens from issueToken are known.
   */
  constructor(private readonly options: { authenticate?: (token: string) => string | undefined } = {}) {}

  async start(): Promise<this> {
    this.server = standInServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.handle(req, body);
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A token the fake accepts, standing for an Entra identity (the tests' credential hands it out). */
  issueToken(identity: string): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, identity);
    return token;
  }

  /**
   * Creates a key (EC P-256 unless `spec` says otherwise); `signers` are the identities with keys/get and keys/sign on
   * it (Key Vault Crypto User); `options` disable it or narrow its key_ops. Returns
   * its kid. RSA keys take a while to generate (seconds for 4096 bits on a loaded machine): create them before a test.
   */
  createKey(
    name: string,
    signers: string[],
    spec: VaultKeySpec = { kty: 'EC', crv: 'P-256' },
    options: { enabled?: boolean; keyOps?: string[] } = {},
  ): { kid: string; publicKey: KeyObject; privateKey: KeyObject } {
    const version = randomBytes(16).toString('hex');
    const { privateKey, publicKey } =
      spec.kty === 'RSA'
        ? generateKeyPairSync('rsa', { modulusLength: spec.size })
        : generateKeyPairSync('ec', { namedCurve: CURVES.find((c) => c.crv === spec.crv)!.nodeCurve });
    this.keys.set(`${name}/${version}`, {
      name,
      version,
      privateKey,
      publicKey,
      signers: new Set(signers),
      enabled: options.enabled ?? true,
      keyOps: options.keyOps ?? ['sign', 'verify'],
    });
    return { kid: `${this.url}/keys/${name}/${version}`, publicKey, privateKey };
  }

  private handle(
    req: http.IncomingMessage,
    body: string,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname, body });
    const contract = keyVaultContract();
    const matched = contract.match(req.method ?? '', url.pathname);
    const operationId = matched?.operation.operationId;
    if (!matched || (operationId !== 'sign' && operationId !== 'GetKey')) {
      return { status: 404, body: { error: { code: 'NotFound', message: 'no such operation in this stand-in' } } };
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    for (const p of contract.checkRequest(matched.operation, matched.params, url.searchParams, headers, body)) {
      this.violations.push(`request ${req.method} ${url.pathname}: ${p}`);
    }
    const answer = this.answer(operationId, matched.params, headers.authorization, body);
    const checked = contract.checkResponse(
      matched.operation,
      answer.status,
      { 'content-type': 'application/json' },
      JSON.stringify(answer.body ?? {}),
    );
    for (const p of checked) this.violations.push(`response ${answer.status} ${url.pathname}: ${p}`);
    return answer;
  }

  private answer(
    operationId: string,
    params: Record<string, string>,
    authorization: string | undefined,
    body: string,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const identity = token ? (this.tokens.get(token) ?? this.options.authenticate?.(token)) : undefined;
    if (!identity) {
      return {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
        },
        body: { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
      };
    }
    const key = this.keys.get(`${params['key-name']}/${params['key-version']}`);
    if (!key) {
      return {
        status: 404,
        body: {
          error: {
            code: 'KeyNotFound',
            message: `A key with (name/id) ${params['key-name']} was not found in this key vault.`,
          },
        },
      };
    }
    if (!key.signers.has(identity)) {
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/keys/${operationId === 'sign' ? 'sign/action' : 'read'}'`,
            innererror: { code: 'ForbiddenByRbac' },
          },
        },
      };
    }
    if (operationId === 'GetKey') return { status: 200, body: this.bundle(key) };
    if (!key.enabled) {
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: 'Operation sign is not allowed on a disabled key.',
            innererror: { code: 'KeyDisabled' },
          },
        },
      };
    }
    if (!key.keyOps.includes('sign')) {
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: 'Operation sign is not permitted on this key.',
            innererror: { code: 'KeyOperationForbidden' },
          },
        },
      };
    }
    const { alg, value } = JSON.parse(body) as { alg: string; value: string };
    const digest = Buffer.from(value, 'base64url');
    if (NOT_MODELLED.has(alg)) this.violations.push(`sign with ${alg}: an algorithm this stand-in does not model`);
    let signature: Buffer | undefined;
    if (key.privateKey.asymmetricKeyType === 'ec') {
      const curve = CURVES.find((c) => c.nodeCurve === key.privateKey.asymmetricKeyDetails?.namedCurve);
      if (curve && alg === curve.alg && digest.length === createHash(curve.hash).digest().length) {
        signature = ecdsaSignDigest(key.privateKey, digest, curve);
      }
    } else if (PSS[alg] && digest.length === PSS[alg].hLen) {
      signature = pssSignDigest(key.privateKey, digest, PSS[alg]);
    }
    if (!signature) {
      return {
        status: 400,
        body: { error: { code: 'BadParameter', message: `Invalid algorithm or digest length for this key (${alg}).` } },
      };
    }
    return {
      status: 200,
      body: { kid: `${this.url}/keys/${key.name}/${key.version}`, value: signature.toString('base64url') },
    };
  }

  /** keys.json KeyBundle: the public JsonWebKey and the attributes. */
  private bundle(key: VaultKey): unknown {
    const jwk = key.publicKey.export({ format: 'jwk' });
    const created = 1_764_547_200;
    const kid = `${this.url}/keys/${key.name}/${key.version}`;
    return {
      key:
        jwk.kty === 'RSA'
          ? { kid, kty: 'RSA', key_ops: key.keyOps, n: jwk.n, e: jwk.e }
          : { kid, kty: 'EC', key_ops: key.keyOps, crv: jwk.crv, x: jwk.x, y: jwk.y },
      attributes: {
        enabled: key.enabled,
        created,
        updated: created,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
    };
  }
}

/**
 * ECDSA over a digest the caller computed (FIPS 186-4 6.4), which Node's sign() cannot do (it always hashes): r is
 * the x coordinate of k·G (from Node's ECDH, which multiplies the base point), s = k⁻¹(z + r·d) mod n, where z is the
 * digest's leftmost bits up to the order's length (SEC 1 4.1.3 step 5; every Key Vault pairing has the hash no longer
 * than the order, so z is the whole digest).
 */
function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer, curve: Curve): Buffer {
  const d = BigInt(`0x${Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex')}`);
  const z = BigInt(`0x${digest.toString('hex')}`);
  const mod = (a: bigint) => ((a % curve.n) + curve.n) % curve.n;
  const octets = (x: bigint) => Buffer.from(x.toString(16).padStart(curve.bytes * 2, '0'), 'hex');
  for (;;) {
    // 8 extra random bytes make k mod n as good as uniform.
    const k = mod(BigInt(`0x${randomBytes(curve.bytes + 8).toString('hex')}`));
    if (k === 0n) continue;
    const ecdh = createECDH(curve.nodeCurve);
    ecdh.setPrivateKey(octets(k));
    const point = ecdh.getPublicKey();
    const r = mod(BigInt(`0x${point.subarray(1, 1 + curve.bytes).toString('hex')}`));
    if (r === 0n) continue;
    const s = mod(inverse(k, curve.n) * (z + r * d));
    if (s === 0n) continue;
    return Buffer.concat([octets(r), octets(s)]);
  }
}

/**
 * RSASSA-PSS over a digest the caller computed (RFC 8017 §8.1.1 with EMSA-PSS-ENCODE §9.1.1, MGF1 §B.2.1), which
 * Node's sign() cannot do (it always hashes): the encoded message is built here and raised to the private exponent by
 * Node's raw RSA (privateEncrypt without padding).
 */
function pssSignDigest(privateKey: KeyObject, mHash: Buffer, pss: { hash: string; hLen: number }): Buffer {
  const modBits = privateKey.asymmetricKeyDetails!.modulusLength!;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(pss.hLen);
  const h = createHash(pss.hash)
    .update(Buffer.concat([Buffer.alloc(8), mHash, salt]))
    .digest();
  const db = Buffer.concat([Buffer.alloc(emLen - pss.hLen - pss.hLen - 2), Buffer.of(0x01), salt]);
  const mask = mgf1(h, db.length, pss.hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.of(0xbc)]);
  const k = Math.ceil(modBits / 8);
  return privateEncrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    Buffer.concat([Buffer.alloc(k - em.length), em]),
  );
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * createHash(hash).digest().length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(
      createHash(hash)
        .update(Buffer.concat([seed, c]))
        .digest(),
    );
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function inverse(a: bigint, n: bigint): bigint {
  let [t, newT, r, newR] = [0n, 1n, n, a];
  while (newR !== 0n) {
    const q = r / newR;
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return t < 0n ? t + n : t;
}
