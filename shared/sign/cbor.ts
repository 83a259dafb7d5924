/**
 * The CBOR subset a COSE_Sign1 envelope needs (RFC 8949): unsigned and negative integers, byte and text strings,
 * arrays, maps and tags, always in the core deterministic encoding (§4.2.1): shortest argument, definite lengths, map
 * keys sorted by the bytes of their encoding. That is the encoding go-cose writes (its cbor.go encMode is
 * SortCoreDeterministic with indefinite lengths forbidden), and the one RFC 9052 §9 asks of a protected header.
 * This small encoder keeps a CBOR library (and its start-up cost) out of every bundle. The decoder reads the same subset
 * (plus floats, which a tag-1 time may hold) from envelopes others wrote, only to find a signed attribute in them.
 */

/** A tagged data item (RFC 8949 §3.4), e.g. tag 1 (epoch-based date/time) or COSE's tag 18 (COSE_Sign1). */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

/** Integers (safe range), text (UTF-8), bytes, arrays, maps with integer or text keys, tags. */
export type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue> | CborTag;

const UNSIGNED = 0;
const NEGATIVE = 1;
const BYTES = 2;
const TEXT = 3;
const ARRAY = 4;
const MAP = 5;
const TAG = 6;

/** The initial byte and argument of a data item in its shortest form (RFC 8949 §3, §4.2.1 "preferred serialization"). */
function head(major: number, argument: number): Buffer {
  if (!Number.isSafeInteger(argument) || argument < 0) throw new RangeError(`CBOR argument out of range: ${argument}`);
  if (argument < 24) return Buffer.of((major << 5) | argument);
  if (argument < 0x100) return Buffer.of((major << 5) | 24, argument);
  if (argument < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(argument, 1);
    return b;
  }
  if (argument < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(argument, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = (major << 5) | 27;
  b.writeBigUInt64BE(BigInt(argument), 1);
  return b;
}

export function encodeCbor(value: CborValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`only integers are encoded, not ${value}`);
    return value >= 0 ? head(UNSIGNED, value) : head(NEGATIVE, -1 - value);
  }
  if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8');
    return Buffer.concat([head(TEXT, utf8.length), utf8]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(BYTES, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(ARRAY, value.length), ...value.map(encodeCbor)]);
  if (value instanceof CborTag) return Buffer.concat([head(TAG, value.tag), encodeCbor(value.value)]);
  // Keys are unique (§5.6): a Map holds each number or string once, and distinct ones encode differently.
  const entries = [...value].map(([k, v]) => ({ key: encodeCbor(k), value: encodeCbor(v) }));
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat([head(MAP, entries.length), ...entries.flatMap((e) => [e.key, e.value])]);
}

/** Nested arrays, maps and tags deeper than a COSE envelope ever goes (its certificates are byte strings). */
const MAX_DEPTH = 16;

/**
 * Decodes one data item of the subset above (RFC 8949 §3), plus half, single and double floats (major type 7); fails
 * on anything else (booleans, null, indefinite lengths, integers outside the safe range, other map keys) and on bytes
 * after the item. Lengths are checked against the bytes there are before anything is allocated.
 */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  const take = (n: number): Buffer => {
    if (n > data.length - at) throw new RangeError('CBOR item runs past the end of its bytes');
    const out = data.subarray(at, at + n);
    at += n;
    return out;
  };
  const argument = (info: number): number => {
    if (info < 24) return info;
    if (info === 24) return take(1)[0];
    if (info === 25) return take(2).readUInt16BE(0);
    if (info === 26) return take(4).readUInt32BE(0);
    if (info === 27) {
      const big = take(8).readBigUInt64BE(0);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('CBOR integer outside the safe range');
      return Number(big);
    }
    throw new RangeError(`CBOR additional information ${info} (indefinite or reserved) is not read`);
  };
  const item = (depth: number): CborValue => {
    if (depth > MAX_DEPTH) throw new RangeError('CBOR nesting too deep');
    const initial = take(1)[0];
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) {
      if (info === 25) return half(take(2).readUInt16BE(0));
      if (info === 26) return take(4).readFloatBE(0);
      if (info === 27) return take(8).readDoubleBE(0);
      throw new RangeError(`CBOR simple value ${info} is not read`);
    }
    const n = argument(info);
    switch (major) {
      case UNSIGNED:
        return n;
      case NEGATIVE:
        return -1 - n;
      case BYTES:
        return Buffer.from(take(n));
      case TEXT:
        return take(n).toString('utf8');
      case ARRAY: {
        // Each element takes at least one byte: a count beyond the bytes left is malformed, not a huge allocation.
        if (n > data.length - at) throw new RangeError('CBOR array longer than its bytes');
        return Array.from({ length: n }, () => item(depth + 1));
      }
      case MAP: {
        if (n * 2 > data.length - at) throw new RangeError('CBOR map longer than its bytes');
        const map = new Map<number | string, CborValue>();
        for (let i = 0; i < n; i++) {
          const key = item(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string') throw new RangeError('CBOR map key of another type');
          map.set(key, item(depth + 1));
        }
        return map;
      }
      default:
        return new CborTag(n, item(depth + 1));
    }
  };
  const value = item(0);
  if (at !== data.length) throw new RangeError('bytes after the CBOR item');
  return value;
}

/** IEEE 754 half precision (RFC 8949 Appendix D). */
function half(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  const magnitude =
    exponent === 0
      ? mantissa * 2 ** -24
      : exponent === 31
        ? mantissa === 0
          ? Infinity
          : NaN
        : (mantissa + 1024) * 2 ** (exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}
