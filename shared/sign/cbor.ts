/**
 * The CBOR subset a COSE_Sign1 envelope needs (RFC 8949): unsigned and negative integers, byte and text strings,
 * arrays, maps and tags, always in the core deterministic encoding (§4.2.1): shortest argument, definite lengths, map
 * keys sorted by the bytes of their encoding. That is the encoding go-cose writes (its cbor.go encMode is
 * SortCoreDeterministic with indefinite lengths forbidden), and the one RFC 9052 §9 asks of a protected header.
 * This small encoder keeps a CBOR library (and its start-up cost) out of every bundle; no decoder is needed, as the pack
 * only writes envelopes and the real notation reads them.
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
