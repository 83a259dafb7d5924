import { createECDH, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyVaultContract } from './fake-arm/arm-contract';
import { standInServer } from './stand-in-server';

/**
 * A stand-in for Azure Key Vault's key `sign` operation, checked on every request and answer against Key Vault's
 * published REST spec (keyvault/data-plane stable/7.5 keys.json, through the ARM contract checker). What it follows:
 * - sign (keys.json operationId `sign`): the caller sends `alg` and the digest it computed (base64url); the answer is
 *   `{kid, value}` with, for ECDSA, the JWS form of the signature (r‖s) — Key Vault's documented output;
 * - the digest must be as long as the algorithm's hash (Key Vault answers 400 BadParameter otherwise), and the
 *   algorithm must fit the key (ES256 for P-256 …);
 * - authentication: a missing or wrong bearer token gets 401 with Key Vault's challenge
 *   (`WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"`); an identity without the
 *   keys/sign permission gets 403 Forbidden (innererror ForbiddenByRbac, as with RBAC-enabled vaults);
 *   an unknown key or version gets 404 KeyNotFound.
 * Only EC keys are modelled (what the tests sign with).
 */

interface VaultKey {
  name: string;
  version: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Identities allowed to sign (tokens map to identities). */
  signers: Set<string>;
}

const CURVES: Record<string, { alg: string; hashBytes: number; nodeCurve: string; n: bigint }> = {
  'P-256': {
    alg: 'ES256',
    hashBytes: 32,
    nodeCurve: 'prime256v1',
    n: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  },
};

export class FakeKeyVault {
  readonly requests: { method: string; path: string; body: string }[] = [];
  readonly violations: string[] = [];
  private readonly keys = new Map<string, VaultKey>();
  /** bearer token → identity */
  private readonly tokens = new Map<string, string>();
  private server?: http.Server;
  url = '';

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

  /** Creates a P-256 key; `signers` are the identities with keys/sign on it. Returns its kid. */
  createKey(name: string, signers: string[]): { kid: string; publicKey: KeyObject; privateKey: KeyObject } {
    const version = randomBytes(16).toString('hex');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.keys.set(`${name}/${version}`, { name, version, privateKey, publicKey, signers: new Set(signers) });
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
    if (!matched || matched.operation.operationId !== 'sign') {
      return { status: 404, body: { error: { code: 'NotFound', message: 'no such operation in this stand-in' } } };
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    for (const p of contract.checkRequest(matched.operation, matched.params, url.searchParams, headers, body)) {
      this.violations.push(`request ${req.method} ${url.pathname}: ${p}`);
    }
    const answer = this.sign(matched.params, headers.authorization, body);
    const checked = contract.checkResponse(
      matched.operation,
      answer.status,
      { 'content-type': 'application/json' },
      JSON.stringify(answer.body ?? {}),
    );
    for (const p of checked) this.violations.push(`response ${answer.status} ${url.pathname}: ${p}`);
    return answer;
  }

  private sign(
    params: Record<string, string>,
    authorization: string | undefined,
    body: string,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const identity = token ? this.tokens.get(token) : undefined;
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
            message: `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/keys/sign/action'`,
            innererror: { code: 'ForbiddenByRbac' },
          },
        },
      };
    }
    const { alg, value } = JSON.parse(body) as { alg: string; value: string };
    const curve = CURVES[key.privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P-256' : ''];
    const digest = Buffer.from(value, 'base64url');
    if (!curve || alg !== curve.alg || digest.length !== curve.hashBytes) {
      return {
        status: 400,
        body: { error: { code: 'BadParameter', message: `Invalid algorithm or digest length for this key (${alg}).` } },
      };
    }
    return {
      status: 200,
      body: {
        kid: `${this.url}/keys/${key.name}/${key.version}`,
        value: ecdsaSignDigest(key.privateKey, digest, curve).toString('base64url'),
      },
    };
  }
}

/**
 * ECDSA over a digest the caller computed (FIPS 186-4 6.4), which Node's sign() cannot do (it always hashes): r is
 * the x coordinate of k·G (from Node's ECDH, which multiplies the base point), s = k⁻¹(z + r·d) mod n.
 */
function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer, curve: { nodeCurve: string; n: bigint }): Buffer {
  const d = BigInt(`0x${Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex')}`);
  const z = BigInt(`0x${digest.toString('hex')}`);
  const mod = (a: bigint) => ((a % curve.n) + curve.n) % curve.n;
  for (;;) {
    const kBytes = randomBytes(32);
    const k = mod(BigInt(`0x${kBytes.toString('hex')}`));
    if (k === 0n) continue;
    const ecdh = createECDH(curve.nodeCurve);
    ecdh.setPrivateKey(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
    const point = ecdh.getPublicKey();
    const r = mod(BigInt(`0x${point.subarray(1, 33).toString('hex')}`));
    if (r === 0n) continue;
    const s = mod(inverse(k, curve.n) * (z + r * d));
    if (s === 0n) continue;
    return Buffer.concat([
      Buffer.from(r.toString(16).padStart(64, '0'), 'hex'),
      Buffer.from(s.toString(16).padStart(64, '0'), 'hex'),
    ]);
  }
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
