import { generateKeyPairSync } from 'node:crypto';
import { InputError } from '../../shared/errors';
import { CborTag, encodeCbor, type CborValue } from '../../shared/sign/cbor';
import { algorithmFor } from '../../shared/sign/notation';

// The Notary Project algorithm table, and the CBOR encoder under the COSE envelope against the encodings RFC 8949 itself gives: Appendix A "Examples of
// Encoded CBOR Data Items" (the subset the encoder supports) and §4.2.1's key order for deterministic maps.

const hex = (v: CborValue) => encodeCbor(v).toString('hex');

describe('CBOR encoding (RFC 8949)', () => {
  it('encodes the Appendix A examples it supports byte for byte', () => {
    const examples: [CborValue, string][] = [
      [0, '00'],
      [1, '01'],
      [10, '0a'],
      [23, '17'],
      [24, '1818'],
      [25, '1819'],
      [100, '1864'],
      [1000, '1903e8'],
      [1000000, '1a000f4240'],
      [1000000000000, '1b000000e8d4a51000'],
      [-1, '20'],
      [-10, '29'],
      [-100, '3863'],
      [-1000, '3903e7'],
      [new CborTag(1, 1363896240), 'c11a514b67b0'],
      [new CborTag(0, '2013-03-21T20:04:00Z'), 'c074323031332d30332d32315432303a30343a30305a'],
      [new CborTag(23, Buffer.from('01020304', 'hex')), 'd74401020304'],
      [new CborTag(32, 'http://www.example.com'), 'd82076687474703a2f2f7777772e6578616d706c652e636f6d'],
      [Buffer.alloc(0), '40'],
      [Buffer.from('01020304', 'hex'), '4401020304'],
      ['', '60'],
      ['a', '6161'],
      ['IETF', '6449455446'],
      ['"\\', '62225c'],
      ['\u00fc', '62c3bc'],
      ['\u6c34', '63e6b0b4'],
      ['\u{10151}', '64f0908591'],
      [[], '80'],
      [[1, 2, 3], '83010203'],
      [[1, [2, 3], [4, 5]], '8301820203820405'],
      [Array.from({ length: 25 }, (_, i) => i + 1), '98190102030405060708090a0b0c0d0e0f101112131415161718181819'],
      [new Map(), 'a0'],
      [
        new Map([
          [1, 2],
          [3, 4],
        ]),
        'a201020304',
      ],
      [
        new Map<string, CborValue>([
          ['a', 1],
          ['b', [2, 3]],
        ]),
        'a26161016162820203',
      ],
      [['a', new Map([['b', 'c']])], '826161a161626163'],
      [
        new Map([
          ['a', 'A'],
          ['b', 'B'],
          ['c', 'C'],
          ['d', 'D'],
          ['e', 'E'],
        ]),
        'a56161614161626142616361436164614461656145',
      ],
    ];
    for (const [value, expected] of examples) expect([value, hex(value)]).toEqual([value, expected]);
  });

  it('sorts map keys by their encoded bytes (§4.2.1), whatever order they were given in', () => {
    // §4.2.1: "10, 100, -1, "z", "aa"" is the deterministic order of those keys.
    const map = new Map<number | string, CborValue>([
      ['aa', 5],
      ['z', 4],
      [-1, 3],
      [100, 2],
      [10, 1],
    ]);
    expect(hex(map)).toBe('a5' + '0a01' + '186402' + '2003' + '617a04' + '62616105');
  });

  it('refuses what it cannot encode deterministically', () => {
    expect(() => encodeCbor(1.5)).toThrow(/only integers/);
    expect(() => encodeCbor(2 ** 53)).toThrow(/only integers/);
    expect(() => encodeCbor(-(2 ** 53))).toThrow(/only integers/);
  });
});

describe('Notary Project algorithm selection (signature-specification.md "Algorithm Selection")', () => {
  it('takes the algorithm from the key: RSASSA-PSS by modulus size, ECDSA by curve, with the COSE label', () => {
    const table = [
      [generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, 'PS256', -37],
      [generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey, 'ES256', -7],
      [generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey, 'ES384', -35],
      [generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).publicKey, 'ES512', -36],
    ] as const;
    for (const [key, alg, cose] of table) expect(algorithmFor(key, 'notation-key')).toMatchObject({ alg, cose });
  });

  it('refuses keys no Notary Project verifier accepts, naming the input', () => {
    const refused = [
      [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, 'RSA 1024-bit'],
      [generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey, 'EC secp256k1'],
      [generateKeyPairSync('ed25519').publicKey, 'ed25519'],
    ] as const;
    for (const [key, what] of refused) {
      const error = (() => {
        try {
          return algorithmFor(key, 'notation-key');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `Input 'notation-key': Notary Project signatures need an EC P-256/P-384/P-521 or RSA 2048/3072/4096 key (got ${what})`,
      );
    }
  });
});
