/**
 * Strings decoded from a buffer, one string per distinct run of bytes: asking again for bytes equal to ones already
 * decoded returns the same string without building a new one.
 *
 * A 100 000-finding Trivy report repeats its package names, versions and fixed versions across most findings. Every
 * finding survives until the reports are written, so each repeated string was copied by V8's young-generation GC and
 * counted towards the survivors that make V8 grow the young generation (to 64 MB semi-spaces on Node 24: the gate's
 * peak RSS, bench/trivy-gate). The table is keyed by the bytes themselves (hash, length, byte compare), so a repeat
 * costs no allocation at all.
 *
 * The bytes are decoded as UTF-8 (invalid sequences become U+FFFD, as Buffer#toString does); JSON escapes are not
 * decoded, so the caller passes only strings without any. The bytes must not change while the table is used.
 */
export class ByteStrings {
  /**
   * Open addressing, one record of RECORD ints per slot: the hash, the length and pool offset of the bytes, and the
   * value's index + 1 (0: free). A probe reads one record, not three arrays: the table is MBs for a large report,
   * and every lookup missed the cache once per array.
   */
  private table = new Int32Array(RECORD << 12);
  private readonly values: string[] = [];
  /**
   * A copy of each distinct run, one after another: a repeat is compared with these few MB rather than with its first
   * occurrence anywhere in a 50 MB report, which missed the cache on almost every compare.
   */
  private pool = new Uint8Array(1 << 16);
  private used = 0;

  constructor(private readonly buf: Buffer) {}

  /** The string of buf[start, end); `hash` is hashBytes of those bytes when the caller already has it. */
  get(start: number, end: number, hash = hashBytes(this.buf, start, end)): string {
    const length = end - start;
    const table = this.table;
    const mask = (table.length >> 2) - 1;
    let slot = hash & mask;
    for (;;) {
      const at = slot << 2;
      const index = table[at + 3];
      if (index === 0) return this.insert(at, start, end, hash);
      if (table[at] === hash && table[at + 1] === length && this.samePooled(table[at + 2], start, length))
        return this.values[index - 1];
      slot = (slot + 1) & mask;
    }
  }

  /** How many distinct strings were decoded. */
  get size(): number {
    return this.values.length;
  }

  private insert(at: number, start: number, end: number, hash: number): string {
    const buf = this.buf;
    const length = end - start;
    let ascii = true;
    for (let p = start; p < end && ascii; p++) ascii = buf[p] < 0x80;
    // Plain ASCII decodes the same either way, and latin1 skips UTF-8's validation.
    const text = buf.toString(ascii ? 'latin1' : 'utf8', start, end);
    if (this.used + length > this.pool.length) {
      const pool = new Uint8Array(2 * (this.used + length));
      pool.set(this.pool);
      this.pool = pool;
    }
    const pool = this.pool;
    for (let k = 0; k < length; k++) pool[this.used + k] = buf[start + k];
    this.values.push(text);
    const table = this.table;
    table[at] = hash;
    table[at + 1] = length;
    table[at + 2] = this.used;
    table[at + 3] = this.values.length;
    this.used += length;
    // At most half full, so probe runs stay short.
    if (2 * this.values.length > table.length >> 2) this.rehash();
    return text;
  }

  private samePooled(at: number, start: number, length: number): boolean {
    const buf = this.buf;
    const pool = this.pool;
    for (let k = 0; k < length; k++) if (pool[at + k] !== buf[start + k]) return false;
    return true;
  }

  private rehash(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 2) - 1;
    for (let from = 0; from < old.length; from += RECORD) {
      if (old[from + 3] === 0) continue;
      let slot = old[from] & mask;
      while (table[(slot << 2) + 3] !== 0) slot = (slot + 1) & mask;
      const to = slot << 2;
      for (let k = 0; k < RECORD; k++) table[to + k] = old[from + k];
    }
    this.table = table;
  }
}

const RECORD = 4;

/** FNV-1a, 32 bits: hash = (hash ^ byte) * FNV_PRIME from FNV_OFFSET, as `ByteStrings` expects. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let p = start; p < end; p++) hash = Math.imul(hash ^ buf[p], FNV_PRIME);
  return hash;
}
