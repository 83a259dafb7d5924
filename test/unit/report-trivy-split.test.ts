import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrivyReport } from '../../bench/trivy-gate/generate-report';
import { parseTrivyReport } from '../../shared/report/trivy-json';
import { guessElement, readRuns } from '../../shared/report/trivy-split';

/**
 * Reading a large report on two threads (shared/report/trivy-split.ts) gives exactly what reading it alone gives: the
 * same findings in the same order, the same errors. Each case also says how many vulnerabilities the worker thread
 * read (`taken`), so a case that claims the worker's part cannot pass with the worker idle. The worker runs from
 * source here (test/support/trivy-split-worker.js); the bundles' build of it runs in
 * test/integration/trivy-gate-split.test.ts.
 */
const workerFile = join(__dirname, '..', 'support', 'trivy-split-worker.js');
const work = mkdtempSync(join(tmpdir(), 'trivy-split-'));
// The worker compiles its TypeScript on start; a slow start is waited for, never treated as a failure.
jest.setTimeout(120_000);

/** Reads buf alone and on two threads (from any size); both must agree. Returns the result, the error and `taken`. */
function both(buf: Buffer) {
  const attempt = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (error) {
      return { error: { type: (error as Error).constructor.name, message: (error as Error).message } };
    }
  };
  const alone = attempt(() => parseTrivyReport(buf, 'r', { threshold: Infinity }));
  const diagnostics = { taken: -1 };
  const split = attempt(() => parseTrivyReport(buf, 'r', { threshold: 0, workerFile }, diagnostics));
  expect(split).toEqual(alone);
  return { ...alone, taken: diagnostics.taken };
}

let serial = 0;
/** A vulnerability as Trivy writes it (VulnerabilityID first), with the bulky fields the reader skips. */
function vuln(extra = ''): string {
  const n = serial++;
  return (
    `{"VulnerabilityID":"CVE-2024-${1000 + n}","PkgID":"pkg-${n % 7}@1.${n % 5}","PkgName":"pkg-${n % 7}",` +
    `"InstalledVersion":"1.${n % 5}",${n % 3 ? `"FixedVersion":"1.${n % 5}.1",` : ''}"Status":"fixed",` +
    `"PrimaryURL":"https://avd.aquasec.com/nvd/cve-2024-${1000 + n}","Title":"pkg-${n % 7}: issue ${n}",` +
    `"Severity":"${['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNKNOWN'][n % 5]}",` +
    `"CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N","V3Score":${(n % 100) / 10}}},` +
    `"References":["https://nvd.nist.gov/vuln/detail/CVE-2024-${1000 + n}"]${extra}}`
  );
}
const vulns = (count: number) => Array.from({ length: count }, () => vuln());

/** A report from results given as [target, vulnerability texts] (or whole result texts). */
function report(results: ([string, string[]] | string)[]): Buffer {
  const texts = results.map((r) =>
    typeof r === 'string' ? r : `{"Target":"${r[0]}","Class":"os-pkgs","Vulnerabilities":[${r[1].join(',')}]}`,
  );
  return Buffer.from(`{"SchemaVersion":2,"ArtifactName":"img","Trivy":{"Version":"0.58.0"},"Results":[${texts}]}`);
}

/** How many vulnerabilities start at or after pos, and before `before`. */
function vulnerabilitiesFrom(buf: Buffer, pos: number, before = buf.length): number {
  let count = 0;
  for (
    let at = buf.indexOf('{"VulnerabilityID"', pos);
    at >= 0 && at < before;
    at = buf.indexOf('{"VulnerabilityID"', at + 1)
  )
    count++;
  return count;
}

describe('reading on two threads gives what reading alone gives', () => {
  it('the bench report: several results, findings repeated across them', () => {
    const file = join(work, 'bench.json');
    generateTrivyReport(file, 4000);
    const { value, taken } = both(readFileSync(file));
    const findings = (value as { findings: unknown[] }).findings;
    expect(findings.length).toBeGreaterThan(3900);
    // The worker's runs start past the middle and go to the end: about half of the 4000 (two of four results).
    expect(taken).toBeGreaterThan(1500);
    expect(taken).toBeLessThan(2500);
  });

  it('pretty-printed, as trivy -f json writes it', () => {
    const compact = report([
      ['a', vulns(150)],
      ['b', vulns(150)],
    ]);
    const pretty = Buffer.from(JSON.stringify(JSON.parse(compact.toString()), null, 2));
    expect(pretty.includes('{\n          "VulnerabilityID"')).toBe(true);
    const { value, taken } = both(pretty);
    expect(taken).toBeGreaterThan(100);
    // Tabs and CRLF are JSON whitespace too.
    const tabs = Buffer.from(JSON.stringify(JSON.parse(compact.toString()), null, '\t').replace(/\n/g, '\r\n'));
    const again = both(tabs);
    expect(again.value).toEqual(value);
    expect(again.taken).toBeGreaterThan(100);
  });

  it('the middle falls in a small array that ends soon after; the next result is read by the worker too', () => {
    const buf = report([
      ['a', vulns(60)],
      ['b', vulns(4)],
      ['c', vulns(60)],
    ]);
    const guess = guessElement(buf, buf.length >> 1);
    const b = buf.indexOf('"Target":"b"');
    const c = buf.indexOf('"Target":"c"');
    expect(guess).toBeGreaterThan(b);
    expect(guess).toBeLessThan(c);
    const { runs } = readRuns(buf, buf.length >> 1);
    // Two runs: the rest of b's array, then all of c's.
    expect(runs.length).toBe(6);
    expect(runs[1]).toBeLessThan(4);
    expect(runs[4]).toBe(60);
    const { taken } = both(buf);
    expect(taken).toBe(runs[1] + 60);
  });

  it('an element the byte reader refuses (escaped member name) is read by the main thread, the rest by the worker', () => {
    const tail = vulns(40);
    tail[5] = tail[5].replace('"PkgName"', '"Pkg\\u004eame"');
    const buf = report([
      ['a', vulns(40)],
      ['b', tail],
    ]);
    const guess = guessElement(buf, buf.length >> 1);
    expect(guess).toBeLessThan(buf.indexOf('Pkg\\u004eame'));
    const { value, taken } = both(buf);
    expect((value as { findings: unknown[] }).findings).toHaveLength(80);
    // All from the guess on but the refused one: the worker went on at the next element.
    expect(taken).toBe(vulnerabilitiesFrom(buf, guess) - 1);
  });

  it('a numeric severity past the middle fails with the same error', () => {
    const tail = vulns(40);
    tail[7] = tail[7].replace(/"Severity":"\w+"/, '"Severity":3');
    const buf = report([
      ['a', vulns(40)],
      ['b', tail],
    ]);
    const { error, taken } = both(buf);
    expect(error?.message).toMatch(/\$\.Results\[1\]\.Vulnerabilities\[7\]\.Severity/);
    const guess = guessElement(buf, buf.length >> 1);
    expect(taken).toBe(
      vulnerabilitiesFrom(buf, guess, buf.lastIndexOf('{"VulnerabilityID"', buf.indexOf('"Severity":3'))),
    );
    expect(taken).toBeGreaterThan(0);
  });

  it.each([
    [
      'a number with a leading zero in a skipped value',
      (v: string) => v.replace(/"V3Score":[\d.]+/, '"V3Score":01'),
      0,
    ],
    ['a missing comma between members', (v: string) => v.replace('","PkgName"', '" "PkgName"'), 0],
    ['a truncated file', (v: string) => v.slice(0, 40), 0],
    // The spoilt element itself is valid: the worker reads it and stops at what follows.
    ['no comma before the next vulnerability', (v: string) => `${v} ${vuln()}`, 1],
  ])('invalid JSON after the middle (%s) fails with the same error', (_, spoil, spoiltRead) => {
    const tail = vulns(40);
    const spoilt = tail[9];
    tail[9] = spoil(tail[9]);
    const buf = report([
      ['a', vulns(40)],
      ['b', tail],
    ]);
    const { error, taken } = both(buf);
    expect(error?.type).toBe('JsonSyntaxError');
    const guess = guessElement(buf, buf.length >> 1);
    const spoiltAt = buf.indexOf(`{"VulnerabilityID":"${/CVE-[\d-]+/.exec(spoilt)![0]}"`);
    expect(taken).toBe(vulnerabilitiesFrom(buf, guess, spoiltAt) + spoiltRead);
    expect(taken).toBeGreaterThan(0);
  });

  it('a {"VulnerabilityID" object right after the middle that is not a vulnerability of a result is not taken', () => {
    const decoys = vulns(30).join(',');
    const buf = report([
      ['a', vulns(30)],
      `{"Target":"b","Custom":{"Seen":[${decoys}]},"Vulnerabilities":[${vulns(5).join(',')}]}`,
    ]);
    const guess = guessElement(buf, buf.length >> 1);
    expect(guess).toBeGreaterThan(buf.indexOf('"Custom"'));
    expect(guess).toBeLessThan(buf.indexOf('"Vulnerabilities"', buf.indexOf('"Custom"')));
    const { value, taken } = both(buf);
    // The worker read the decoys (and b's array), but the walk passed the first guess without landing on it.
    expect(readRuns(buf, buf.length >> 1).runs[1]).toBeGreaterThan(0);
    expect((value as { findings: unknown[] }).findings).toHaveLength(35);
    expect(taken).toBe(0);
  });

  it('a worker that cannot start, or never answers, leaves the main thread reading alone', () => {
    const buf = report([
      ['a', vulns(30)],
      ['b', vulns(30)],
    ]);
    const alone = parseTrivyReport(buf, 'r', { threshold: Infinity });
    const broken = join(work, 'broken-worker.js');
    writeFileSync(broken, 'throw new Error("cannot start");\n');
    const diagnostics = { taken: -1 };
    expect(parseTrivyReport(buf, 'r', { threshold: 0, workerFile: broken, stallMs: 300 }, diagnostics)).toEqual(alone);
    expect(diagnostics.taken).toBe(0);
    // No worker file at all (as when the gate runs from source): not even started.
    const missing = { taken: -1 };
    const workerFile = join(work, 'missing-worker.js');
    expect(parseTrivyReport(buf, 'r', { threshold: 0, workerFile }, missing)).toEqual(alone);
    expect(missing.taken).toBe(-1);
  });

  it('below the threshold, no worker is started', () => {
    const buf = report([
      ['a', vulns(30)],
      ['b', vulns(30)],
    ]);
    const diagnostics = { taken: -1 };
    parseTrivyReport(buf, 'r', { threshold: buf.length + 1, workerFile }, diagnostics);
    expect(diagnostics.taken).toBe(-1);
  });
});
