/**
 * Strings decoded from a buffer, one string per distinct run of bytes: asking again for bytes equal to ones already
 * decoded returns the same string without building a new one.
 *
 * A 100 000-finding Trivy report repeats most of what the gate keeps (package names, versions, fixed versions, titles,
 * and the id, title and link of a vulnerability found in several packages). Every finding survives until the reports
 * are written, so each repeated string was copied by V8's young-generation GC and counted towards the survivors that
 * make V8 grow the young generation (to 64 MB semi-spaces on Node 24: the gate's peak RSS, bench/trivy-gate). The
 * table is keyed by the bytes themselves (hash, length, byte compare), so a repeat costs no allocation at all.
 *
 * The bytes are decoded as UTF-8 (invalid sequences become U+FFFD, as Buffer#toString does); JSON escapes are not
 * decoded, so the caller passes only strings without any. The bytes must not change while the table is used.
 */
export class ByteStrings {
  /** Open addressing: entry index + 1 per slot, 0 for free. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 11);
  private starts = new Int32Array(1 << 11);
  private lengths = new Int32Array(1 << 11);
  private readonly values: string[] = [];

  constructor(private readonly buf: Buffer) {}

  /** The string of buf[start, end), decoded once per distinct byte run. */
  get(start: number, end: number): string {
    const buf = this.buf;
    const length = end - start;
    // FNV-1a over the bytes, noting any byte outside ASCII on the way.
    let hash = 0x811c9dc5 | 0;
    let any = 0;
    for (let p = start; p < end; p++) {
      const c = buf[p];
      any |= c;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let entry = slots[slot]; entry !== 0; entry = slots[slot]) {
      const i = entry - 1;
      if (this.hashes[i] === hash && this.lengths[i] === length && this.sameBytes(this.starts[i], start, length))
        return this.values[i];
      slot = (slot + 1) & mask;
    }
    // Plain ASCII decodes the same either way, and latin1 skips UTF-8's validation.
    const text = buf.toString(any < 0x80 ? 'latin1' : 'utf8', start, end);
    const i = this.values.length;
    if (i === this.hashes.length) this.growEntries();
    this.values.push(text);
    this.hashes[i] = hash;
    this.starts[i] = start;
    this.lengths[i] = length;
    slots[slot] = i + 1;
    // At most half full, so probe runs stay short.
    if (2 * (i + 1) > slots.length) this.growSlots();
    return text;
  }

  /** How many distinct strings were decoded. */
  get size(): number {
    return this.values.length;
  }

  private sameBytes(a: number, b: number, length: number): boolean {
    const buf = this.buf;
    for (let k = 0; k < length; k++) if (buf[a + k] !== buf[b + k]) return false;
    return true;
  }

  private growEntries(): void {
    const grow = (old: Int32Array) => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.hashes = grow(this.hashes);
    this.starts = grow(this.starts);
    this.lengths = grow(this.lengths);
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.values.length; i++) {
      let slot = this.hashes[i] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
  }
}
