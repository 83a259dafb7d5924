/**
 * The ASN.1 DER a time-stamp request and reply need (ITU-T X.690 §8, §10): definite lengths, single-byte tags.
 * Writing covers INTEGER, BOOLEAN, NULL, OBJECT IDENTIFIER, OCTET STRING and SEQUENCE; reading gives any element's
 * tag, content and exact bytes, so a signature can be checked over what was received. A BER reply (indefinite
 * lengths) is refused as malformed rather than converted: RFC 3161 §2.4.2 asks the TSA for DER.
 */

export class DerError extends Error {}

/** One element as received: its identifier octet, its content octets and the bytes of the whole element. */
export interface DerElement {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

/** Universal tags and the context-specific ones the reply uses (identifier octets, X.690 §8.1.2). */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  generalizedTime: 0x18,
  /** [n] constructed, context-specific (e.g. [0] certificates and signedAttrs in CMS). */
  context: (n: number) => 0xa0 | n,
} as const;

/** Reads the element at `offset`; `end` is where the next one starts. */
export function readElement(bytes: Buffer, offset = 0): DerElement & { end: number } {
  if (offset + 2 > bytes.length) throw new DerError('truncated element');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError('indefinite length (BER), not DER');
    if (count > 4 || start + count > bytes.length) throw new DerError('length out of range');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError('truncated element');
  return { tag, content: bytes.subarray(start, end), raw: bytes.subarray(offset, end), end };
}

/** The one element `bytes` holds, nothing after it. */
export function readOnly(bytes: Buffer): DerElement {
  const element = readElement(bytes);
  if (element.end !== bytes.length) throw new DerError('trailing bytes after the element');
  return element;
}

/** The elements inside a constructed one (SEQUENCE, SET, [n]). */
export function childrenOf(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = 0; offset < element.content.length;) {
    const child = readElement(element.content, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** The element expected to carry `tag`, or a DerError naming what was expected. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) throw new DerError(`${what} missing or malformed`);
  return element;
}

export function oidText(element: DerElement): string {
  expectTag(element, Tag.oid, 'object identifier');
  const parts: number[] = [];
  let value = 0;
  for (const byte of element.content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

export function integerValue(element: DerElement): bigint {
  expectTag(element, Tag.integer, 'integer');
  if (element.content.length === 0) throw new DerError('empty integer');
  let value = BigInt(`0x${element.content.toString('hex')}`);
  if (element.content[0] & 0x80) value -= 1n << BigInt(element.content.length * 8);
  return value;
}

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encode(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.of(tag), lengthOctets(content.length), content]);
}

export const sequence = (...items: Buffer[]) => encode(Tag.sequence, Buffer.concat(items));
export const nullValue = () => encode(Tag.null, Buffer.alloc(0));
export const octetString = (bytes: Buffer) => encode(Tag.octetString, bytes);
export const booleanValue = (value: boolean) => encode(Tag.boolean, Buffer.of(value ? 0xff : 0));

/** A non-negative INTEGER in its shortest two's-complement form (a leading 0 when the top bit is set). */
export function integer(value: bigint): Buffer {
  if (value < 0n) throw new DerError('negative integers are not written here');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return encode(Tag.integer, bytes);
}

export function oid(text: string): Buffer {
  const [a, b, ...rest] = text.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const group = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift((n & 0x7f) | 0x80);
    out.push(...group);
  }
  return encode(Tag.oid, Buffer.from(out));
}
