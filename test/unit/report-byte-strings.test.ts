import { ByteStrings } from '../../shared/report/byte-strings';
import { VulnerabilityReader } from '../../shared/report/trivy-vulnerability';

/** The runs of `parts` laid out one after another in one buffer, with where each starts and ends. */
function layout(parts: (string | Buffer)[]) {
  const bufs = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
  const buf = Buffer.concat(bufs);
  let at = 0;
  const runs = bufs.map((b) => {
    const run = { start: at, end: at + b.length };
    at += b.length;
    return run;
  });
  return { buf, runs };
}

describe('ByteStrings (one decoded string per distinct byte run)', () => {
  it('decodes ASCII, UTF-8 and bytes that are not UTF-8 as Buffer#toString("utf8") does', () => {
    const parts = [
      'CVE-2024-0001',
      'libc6',
      'ünïcödé – 漢字 😀',
      Buffer.from([0x61, 0xff, 0x62]), // not UTF-8: U+FFFD as toString gives
      Buffer.from([0xe2, 0x82]), // a truncated sequence
      Buffer.from([0x80]),
      '',
    ];
    const { buf, runs } = layout(parts);
    const strings = new ByteStrings(buf);
    for (const { start, end } of runs) expect(strings.get(start, end)).toBe(buf.toString('utf8', start, end));
  });

  it('decodes each distinct run once, wherever in the buffer it repeats', () => {
    const words = ['openssl', '3.0.11-1~deb12u2', 'openssl', 'libssl3', '3.0.11-1~deb12u2', 'openssl', ''];
    const { buf, runs } = layout(words);
    const strings = new ByteStrings(buf);
    expect(runs.map(({ start, end }) => strings.get(start, end))).toEqual(words);
    expect(strings.size).toBe(4); // openssl, the version, libssl3, ''
  });

  it('tells apart runs that differ in one byte or in length, across many entries and table growths', () => {
    // 20 000 distinct runs (the table starts with room for 2 048), each asked for twice in different orders; many
    // share a prefix and a length, and one is a prefix of another.
    const words: string[] = [];
    for (let i = 0; i < 10_000; i++) words.push(`pkg-${i}`, `pkg-${i}x`);
    const { buf, runs } = layout([...words, ...words.slice().reverse()]);
    const strings = new ByteStrings(buf);
    const read = runs.map(({ start, end }) => strings.get(start, end));
    expect(read).toEqual([...words, ...words.slice().reverse()]);
    expect(strings.size).toBe(words.length);
  });

  it('keeps apart runs of the same length whose hashes are equal', () => {
    // Two runs FNV-1a hashes alike (checked here), so only the byte comparison can tell them apart.
    const fnv1a = (text: string) => {
      let hash = 0x811c9dc5 | 0;
      for (const c of Buffer.from(text)) hash = Math.imul(hash ^ c, 0x01000193);
      return hash;
    };
    expect(fnv1a('pkg-1816628')).toBe(fnv1a('pkg-2354066'));
    const words = ['pkg-1816628', 'pkg-2354066', 'pkg-2354066', 'pkg-1816628'];
    const { buf, runs } = layout(words);
    const strings = new ByteStrings(buf);
    expect(runs.map(({ start, end }) => strings.get(start, end))).toEqual(words);
    expect(strings.size).toBe(2);
  });
});

describe('Trivy vulnerability reader with the string table', () => {
  it('reads the same findings with the table warm: repeats, non-ASCII text, escapes and equal bytes in other fields', () => {
    const vuln = (id: string, pkg: string, title: string) =>
      `{"VulnerabilityID":"${id}","PkgName":"${pkg}","InstalledVersion":"1.0","FixedVersion":"1.0","Severity":"LOW","Title":${title},"PrimaryURL":"${pkg}"}`;
    const elements = [
      vuln('CVE-1', 'zlib', '"zlib: überlauf"'),
      vuln('CVE-1', 'zlib', '"zlib: \\u00fcberlauf"'),
      vuln('CVE-2', 'CVE-1', '"zlib: überlauf"'),
      vuln('CVE-1', 'zlib', '"zlib: überlauf"'),
    ];
    const buf = Buffer.from(`[${elements.join(',')}]`);
    const reader = new VulnerabilityReader(buf);
    let pos = 1;
    const read = elements.map(() => {
      const end = reader.read(pos);
      expect(end).toBeGreaterThan(0);
      pos = end + 1;
      return reader.finding;
    });
    expect(read).toEqual(
      elements.map((e) => {
        const v = JSON.parse(e);
        return {
          id: v.VulnerabilityID,
          pkg: v.PkgName,
          installed: '1.0',
          fixed: '1.0',
          severity: 'LOW',
          title: v.Title,
          url: v.PrimaryURL,
          targets: [],
        };
      }),
    );
  });
});
