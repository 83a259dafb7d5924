import { generateKeyPairSync } from 'node:crypto';
import { InputError } from '../../shared/errors';
import { CborTag, decodeCbor, encodeCbor, type CborValue } from '../../shared/sign/cbor';
import { algorithmFor, envelopeExpiry } from '../../shared/sign/notation';

// The Notary Project algorithm table, and the CBOR encoder under the COSE envelope against the encodings RFC 8949 itself gives: Appendix A "Examples of
// Encoded CBOR Data Items" (the subset the encoder supports) and §4.2.1's key order for deterministic maps.

const hex = (v: CborValue) => encodeCbor(v).toString('hex');

/** RFC 8949 Appendix A examples within the supported subset: value and encoding. */
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

describe('CBOR encoding (RFC 8949)', () => {
  it('encodes the Appendix A examples it supports byte for byte', () => {
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

describe('CBOR decoding (RFC 8949), for reading the protected header of a COSE envelope', () => {
  const decode = (h: string) => decodeCbor(Buffer.from(h, 'hex'));

  it('decodes every Appendix A example the encoder writes back to its value', () => {
    for (const [value, encoded] of examples) expect([encoded, decode(encoded)]).toEqual([encoded, value]);
  });

  it('decodes the Appendix A floats, a tag-1 time among them', () => {
    expect(decode('f93c00')).toBe(1);
    expect(decode('f97bff')).toBe(65504);
    expect(decode('f90001')).toBe(5.960464477539063e-8);
    expect(decode('f9c400')).toBe(-4);
    expect(decode('fa47c35000')).toBe(100000);
    expect(decode('fb3ff199999999999a')).toBe(1.1);
    expect(decode('c1fb41d452d9ec200000')).toEqual(new CborTag(1, 1363896240.5));
  });

  it('refuses what it does not read, and bytes that do not hold one whole item', () => {
    expect(() => decode('f5')).toThrow(/simple value/); // true
    expect(() => decode('9f018202039f0405ffff')).toThrow(/indefinite/);
    expect(() => decode('1903')).toThrow(/past the end/);
    expect(() => decode('0000')).toThrow(/bytes after/);
    expect(() => decode('9a7fffffff')).toThrow(/longer than its bytes/);
    expect(() => decode('1bffffffffffffffff')).toThrow(/safe range/);
    expect(() => decode('a1410100')).toThrow(/map key/);
    expect(() => decode('81'.repeat(40) + '00')).toThrow(/too deep/);
  });
});

describe('envelopeExpiry: the io.cncf.notary.expiry an existing envelope signs', () => {
  const expiry = '2026-12-03T10:00:00Z';
  const jws = (header: unknown) =>
    Buffer.from(
      JSON.stringify({ payload: 'e30', protected: Buffer.from(JSON.stringify(header)).toString('base64url') }),
    );
  const cose = (header: Map<number | string, CborValue>, tagged = true) => {
    const sign1 = [encodeCbor(header), new Map(), Buffer.from('{}'), Buffer.alloc(64)];
    return encodeCbor(tagged ? new CborTag(18, sign1) : sign1);
  };

  it('JWS: the RFC 3339 time in the protected header, or none', () => {
    expect(envelopeExpiry(jws({ alg: 'ES256', 'io.cncf.notary.expiry': expiry }), 'jws')).toEqual(new Date(expiry));
    expect(envelopeExpiry(jws({ alg: 'ES256' }), 'jws')).toBeUndefined();
  });

  it('COSE: the tag-1 time in the protected header, or none; tagged or not', () => {
    const seconds = Date.parse(expiry) / 1000;
    const withExpiry = new Map<number | string, CborValue>([
      [1, -7],
      ['io.cncf.notary.expiry', new CborTag(1, seconds)],
    ]);
    expect(envelopeExpiry(cose(withExpiry), 'cose')).toEqual(new Date(expiry));
    expect(envelopeExpiry(cose(withExpiry, false), 'cose')).toEqual(new Date(expiry));
    expect(envelopeExpiry(cose(new Map([[1, -7]])), 'cose')).toBeUndefined();
  });

  it('throws for an envelope, a header or an expiry it cannot read', () => {
    expect(() => envelopeExpiry(Buffer.from('not json'), 'jws')).toThrow();
    expect(() => envelopeExpiry(Buffer.from('{"payload":"e30"}'), 'jws')).toThrow(/no protected header/);
    expect(() => envelopeExpiry(jws({ 'io.cncf.notary.expiry': 1764756000 }), 'jws')).toThrow(/not a time/);
    expect(() => envelopeExpiry(jws({ 'io.cncf.notary.expiry': 'tomorrow' }), 'jws')).toThrow(/not a time/);
    expect(() => envelopeExpiry(encodeCbor([1, 2]), 'cose')).toThrow(/not a COSE_Sign1/);
    expect(() =>
      envelopeExpiry(cose(new Map<number | string, CborValue>([['io.cncf.notary.expiry', expiry]])), 'cose'),
    ).toThrow(/not a tag-1 time/);
    expect(() => envelopeExpiry(Buffer.from('ff', 'hex'), 'cose')).toThrow();
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
