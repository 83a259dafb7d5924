/**
 * Walks the structure of a JSON document held in a Buffer without materialising it: only the values a caller asks
 * for are handed to JSON.parse, one slice at a time. A Trivy report of 100 000 findings is ~45 MB of text and several
 * hundred MB as one parsed tree (and V8 cannot hold a string over ~512 MB at all); walked this way the gate keeps only
 * the fields it uses. JSON.parse (for Trivy vulnerabilities, the strict byte reader in trivy-vulnerability.ts) still
 * validates every value that is read; the walker checks the punctuation between them and reports the byte offset of
 * anything malformed.
 */

/** The JSON punctuation, by byte. */
export const BYTE = {
  QUOTE: 0x22,
  BACKSLASH: 0x5c,
  OPEN_OBJECT: 0x7b,
  CLOSE_OBJECT: 0x7d,
  OPEN_ARRAY: 0x5b,
  CLOSE_ARRAY: 0x5d,
  COMMA: 0x2c,
  COLON: 0x3a,
} as const;
// Module constants, not property reads of an import, in the loops below.
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON } = BYTE;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

export class JsonSlices {
  constructor(readonly buf: Buffer) {}

  /** Position of the first non-whitespace byte at or after pos (a UTF-8 BOM at the start counts as whitespace). */
  ws(pos: number): number {
    const buf = this.buf;
    if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    while (pos < buf.length) {
      const c = buf[pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
    return pos;
  }

  /** The byte at pos as a character, '' at the end. */
  peek(pos: number): string {
    return pos < this.buf.length ? String.fromCharCode(this.buf[pos]) : '';
  }

  /** Position just after the value that starts at pos (pos must be at the value, not at whitespace). */
  skip(pos: number): number {
    const buf = this.buf;
    const c = buf[pos];
    if (c === QUOTE) return this.stringEnd(pos);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      for (let p = pos; p < buf.length; p++) {
        const b = buf[p];
        if (b === QUOTE) p = this.stringEnd(p) - 1;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (--depth === 0) return p + 1;
        }
      }
      throw new JsonSyntaxError('unexpected end of JSON (truncated file?)', buf.length);
    }
    // true, false, null or a number: runs to the next delimiter
    let p = pos;
    while (p < buf.length) {
      const b = buf[p];
      if (
        b === COMMA ||
        b === CLOSE_OBJECT ||
        b === CLOSE_ARRAY ||
        b === 0x20 ||
        b === 0x0a ||
        b === 0x0d ||
        b === 0x09
      )
        break;
      p++;
    }
    if (p === pos) throw new JsonSyntaxError('expected a value', pos);
    return p;
  }

  /** Parses the value at pos with JSON.parse; returns it and the position after it. */
  value<T = unknown>(pos: number): { value: T; end: number } {
    const end = this.skip(pos);
    return { value: this.parse<T>(pos, end), end };
  }

  parse<T = unknown>(start: number, end: number): T {
    try {
      return JSON.parse(this.buf.toString('utf8', start, end)) as T;
    } catch (error) {
      throw new JsonSyntaxError(`invalid JSON value (${(error as Error).message})`, start);
    }
  }

  /**
   * Calls fn for each member of the object at pos with its key and the position of its value; fn returns the
   * position after the value (usually `this.skip(valuePos)` or the end of a nested walk). Returns the position after
   * the object.
   */
  members(pos: number, fn: (key: string, valuePos: number) => number): number {
    const buf = this.buf;
    if (buf[pos] !== OPEN_OBJECT) throw new JsonSyntaxError('expected an object', pos);
    let p = this.ws(pos + 1);
    if (buf[p] === CLOSE_OBJECT) return p + 1;
    for (;;) {
      if (buf[p] !== QUOTE) throw new JsonSyntaxError('expected a member name', p);
      const keyEnd = this.stringEnd(p);
      const key = this.parse<string>(p, keyEnd);
      p = this.ws(keyEnd);
      if (buf[p] !== COLON) throw new JsonSyntaxError("expected ':'", p);
      p = this.ws(fn(key, this.ws(p + 1)));
      if (buf[p] === COMMA) p = this.ws(p + 1);
      else if (buf[p] === CLOSE_OBJECT) return p + 1;
      else throw new JsonSyntaxError("expected ',' or '}'", p);
    }
  }

  /** Like members, for the elements of the array at pos. */
  elements(pos: number, fn: (valuePos: number) => number): number {
    const buf = this.buf;
    if (buf[pos] !== OPEN_ARRAY) throw new JsonSyntaxError('expected an array', pos);
    let p = this.ws(pos + 1);
    if (buf[p] === CLOSE_ARRAY) return p + 1;
    for (;;) {
      p = this.ws(fn(p));
      if (buf[p] === COMMA) p = this.ws(p + 1);
      else if (buf[p] === CLOSE_ARRAY) return p + 1;
      else throw new JsonSyntaxError("expected ',' or ']'", p);
    }
  }

  /** Position after the closing quote of the string that starts at pos; an escaped quote does not end it. */
  private stringEnd(pos: number): number {
    const buf = this.buf;
    let p = pos + 1;
    for (;;) {
      const q = buf.indexOf(QUOTE, p);
      if (q < 0) throw new JsonSyntaxError('unterminated string', pos);
      let backslashes = 0;
      for (let b = q - 1; b > pos && buf[b] === BACKSLASH; b--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      p = q + 1;
    }
  }
}
