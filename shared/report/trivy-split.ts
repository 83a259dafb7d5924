import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { types } from 'node:util';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { BYTE } from './json-slices';
import type { Finding } from './model';
import { RECORD_LENGTH, VulnerabilityReader } from './trivy-vulnerability';

/**
 * Reading a large Trivy report on two threads. The byte reader (trivy-vulnerability.ts) is most of the gate's time on
 * a large report, and reading an element needs nothing from the elements before it: a worker thread scans the
 * vulnerabilities of the second half of the file (a copy of those bytes, moved to it) while the main thread reads the
 * first half.
 *
 * The worker does not know the structure around the bytes it starts at, so the main thread trusts nothing it has not
 * verified itself. The worker starts at a guess — the first `{` followed (after JSON whitespace) by the member name
 * `"VulnerabilityID"` past the middle; Trivy writes that member first in every vulnerability (pkg/types/vulnerability.go,
 * DetectedVulnerability, whose fields encoding/json writes in declaration order) — and scans consecutive array elements
 * from there with the same strict `VulnerabilityReader.scan` (separators checked, JSON whitespace allowed) until the
 * array ends or an element is refused; then it looks for the next such guess, to the end of the file. It hands back
 * runs (start, elements, end) and a record per element of where its fields are. The main thread walks the report as it
 * always does and takes a run only when it reaches, as an element of a `Results[i].Vulnerabilities` array it is
 * walking, exactly the position a run starts at: from a verified element start, elements checked one after another
 * with their separators are that array's next elements. It builds the findings from the records with its own reader
 * (its string tables, in order: the worker only notes where each field is), continues after the run's last element and
 * checks the separator itself; an element the worker refused is read by the main thread as always (JSON.parse and the
 * checks that name the path), so findings and errors are exactly those of reading alone. A guess the walk never lands
 * on is ignored. Trivy's field order: github.com/aquasecurity/trivy v0.74.0 pkg/types/vulnerability.go; `trivy -f json`
 * indents (pkg/report/json.go, json.MarshalIndent), hence the whitespace.
 *
 * `parseTrivyReport` stays synchronous: the main thread waits with Atomics.wait on an Int32Array over a
 * SharedArrayBuffer and takes the worker's one message with `receiveMessageOnPort` (Node's worker_threads docs). A
 * worker that cannot start or stops making progress is given up (terminated; the main thread reads on alone), and it
 * never keeps the process alive (unref).
 */

/**
 * Reports from this size on are read on two threads. The worker costs ~90 ms of CPU to start (Node's bootstrap and this
 * bundle) and its scan of half the bench's 47.6 MB report 110-130 ms (bench/trivy-gate/RESULTS.md): below ~20 MB the
 * main thread would reach the middle before the worker has finished, and wait.
 */
export const SPLIT_READ_BYTES = 24 << 20;

/** The worker's entry, bundled beside the chunk that holds this module (scripts/bundle.ts: `<module>.worker.ts`). */
export const WORKER_FILE = 'trivy-json.worker.js';

export interface SplitOptions {
  /** The smallest report read on two threads (default SPLIT_READ_BYTES). */
  threshold?: number;
  /** The worker's script (default WORKER_FILE beside this code; none there, as when run from source: one thread). */
  workerFile?: string;
  /** How long a worker may make no progress before the main thread reads on alone (ms). */
  stallMs?: number;
}

/** What the worker hands back: per run start, elements and end, then RECORD_LENGTH Int32s per element read. */
interface WorkerResult {
  runs: Int32Array;
  records: Int32Array;
}

interface WorkerData {
  /** A copy of the report's bytes from `base` on, moved to the worker (transferred, not copied again). */
  bytes: Uint8Array;
  base: number;
  state: Int32Array;
  port: MessagePort;
}

/** Int32s of the shared state: DONE becomes 1 when the worker has posted (or failed); PROGRESS counts up as it reads. */
const DONE = 0;
const PROGRESS = 1;
const POLL_MS = 200;
const STALL_MS = 10_000;

const { OPEN_OBJECT, COMMA } = BYTE;
const VULNERABILITY_ID = Buffer.from('"VulnerabilityID"');

/** The first `{` at or after `from` whose first member name (after JSON whitespace) is "VulnerabilityID"; -1 if none. */
export function guessElement(buf: Buffer, from: number): number {
  for (let at = from; ;) {
    const key = buf.indexOf(VULNERABILITY_ID, at);
    if (key < 0) return -1;
    let b = key - 1;
    while (b >= from && isSpace(buf[b])) b--;
    if (b >= from && buf[b] === OPEN_OBJECT) return b;
    at = key + 1;
  }
}

/**
 * The worker's part: from the first guess at or after `from` to the end of the file, runs of consecutive elements the
 * byte reader accepts, and the record of each. buf holds the report's bytes from `base` on; the positions handed back
 * are the report's. `state` (when given) counts progress.
 */
export function readRuns(buf: Buffer, from: number, state?: Int32Array, base = 0): WorkerResult {
  const reader = new VulnerabilityReader(buf);
  const runs: number[] = [];
  let records = new Int32Array(RECORD_LENGTH << 12);
  let count = 0;
  for (let start = guessElement(buf, from); start >= 0;) {
    const first = count;
    let pos = start;
    let end = start;
    for (;;) {
      const after = reader.scan(pos);
      if (after < 0) break;
      if ((count + 1) * RECORD_LENGTH > records.length) {
        const grown = new Int32Array(records.length * 2);
        grown.set(records);
        records = grown;
      }
      reader.save(records, count * RECORD_LENGTH, base);
      count++;
      if (state && (count & 1023) === 0) Atomics.add(state, PROGRESS, 1);
      end = after;
      const p = skipSpace(buf, after);
      if (buf[p] !== COMMA) {
        pos = p;
        break;
      }
      pos = skipSpace(buf, p + 1);
    }
    runs.push(start + base, count - first, end + base);
    // The next guess lies past where this run stopped: its end, or the element it refused.
    start = guessElement(buf, Math.max(pos, start) + 1);
  }
  return { runs: Int32Array.from(runs), records };
}

/** The worker's entry (trivy-json.worker.ts): always signals, whatever happens. */
export function runWorker({ bytes, base, state, port }: WorkerData): void {
  try {
    Atomics.add(state, PROGRESS, 1);
    const result = readRuns(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 0, state, base);
    port.postMessage(result, [result.records.buffer as ArrayBuffer]);
  } finally {
    Atomics.store(state, DONE, 1);
    Atomics.notify(state, DONE);
  }
}

/** The main thread's side: where the worker's runs start, and taking one when the walk lands on it. */
export class SplitRead {
  /** Elements taken from the worker (a diagnostic for tests and benchmarks). */
  taken = 0;
  /** The position the walk must reach exactly to take the next run; Infinity once nothing more can be taken. */
  next: number;
  private result: WorkerResult | undefined;
  /** Index of the next run in result.runs (by 3), and of its first record. */
  private run = 0;
  private record = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly state: Int32Array,
    first: number,
    private readonly stallMs: number,
  ) {
    this.next = first;
  }

  /**
   * Starts the worker on buf from about its middle, when buf is at least the threshold and has a guess there and the
   * worker's file is at hand; undefined otherwise (read on one thread).
   */
  static start(buf: Buffer, options: SplitOptions = {}): SplitRead | undefined {
    if (buf.length < (options.threshold ?? SPLIT_READ_BYTES)) return undefined;
    const workerFile = options.workerFile ?? join(__dirname, WORKER_FILE);
    if (!existsSync(workerFile)) return undefined;
    const from = guessElement(buf, buf.length >> 1);
    if (from < 0) return undefined;
    // The worker gets its own copy of the second half, moved to it: the main thread's buffer stays its own, so it can
    // be given back once read (util/files.ts releaseBuffer), and the copy goes when the worker ends. Sharing the whole
    // file through a SharedArrayBuffer kept all of it until V8's next full GC: Node 24 peaked at 216-246 MB instead of
    // 186-191 on the bench's report (bench/trivy-gate/RESULTS.md).
    const bytes = new Uint8Array(buf.length - from);
    bytes.set(buf.subarray(from));
    const state = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { bytes, base: from, state, port: port2 };
    let worker: Worker;
    try {
      worker = new Worker(workerFile, {
        workerData: data,
        transferList: [port2, bytes.buffer as ArrayBuffer],
        stdout: true,
        stderr: true,
      });
    } catch {
      port1.close();
      return undefined;
    }
    // Nothing the worker does may fail the gate or keep the process alive; without a listener an error would throw.
    worker.on('error', () => undefined);
    worker.unref();
    return new SplitRead(worker, port1, state, from, options.stallMs ?? STALL_MS);
  }

  /**
   * Called for the element of a Vulnerabilities array at pos when pos >= next. If a run starts exactly there, pushes its
   * findings (built by `reader`) onto `found` and returns the position after its last element (`count` elements);
   * otherwise -1, and the caller reads the element itself.
   */
  take(pos: number, reader: VulnerabilityReader, found: Finding[]): { end: number; count: number } | undefined {
    if (!this.result) {
      if (pos !== this.next || !this.wait()) {
        this.close();
        return undefined;
      }
    }
    const { runs, records } = this.result!;
    while (this.run < runs.length && runs[this.run] < pos) this.skipRun();
    if (this.run >= runs.length || runs[this.run] !== pos || runs[this.run + 1] === 0) {
      this.setNext();
      return undefined;
    }
    const count = runs[this.run + 1];
    const end = runs[this.run + 2];
    for (let i = 0; i < count; i++) {
      reader.load(records, (this.record + i) * RECORD_LENGTH);
      found.push(reader.build());
    }
    this.taken += count;
    this.skipRun();
    this.setNext();
    return { end, count };
  }

  /** Stops the worker if it still runs and lets go of everything. Safe to call more than once. */
  close(): void {
    this.next = Infinity;
    this.result = undefined;
    this.port.close();
    void this.worker.terminate();
  }

  private skipRun(): void {
    this.record += this.result!.runs[this.run + 1];
    this.run += 3;
  }

  /** The next run that has elements, past the position just read. */
  private setNext(): void {
    const runs = this.result!.runs;
    let run = this.run;
    while (run < runs.length && runs[run + 1] === 0) run += 3;
    if (run < runs.length) this.next = runs[run];
    else this.close();
  }

  /** Waits for the worker's result; false if it fails or stops making progress for stallMs. */
  private wait(): boolean {
    const state = this.state;
    let progress = -1;
    let since = Date.now();
    while (Atomics.load(state, DONE) === 0) {
      Atomics.wait(state, DONE, 0, POLL_MS);
      const now = Atomics.load(state, PROGRESS);
      if (now !== progress) {
        progress = now;
        since = Date.now();
      } else if (Date.now() - since > this.stallMs) {
        return false;
      }
    }
    const message = receiveMessageOnPort(this.port)?.message as WorkerResult | undefined;
    // util.types, not instanceof: the message is made in Node's own realm, which is not the caller's under jest.
    if (!message || !types.isInt32Array(message.runs) || !types.isInt32Array(message.records)) return false;
    this.result = message;
    // Its thread with its heap and its copy of the bytes otherwise stayed until the step ended (peak RSS +35-40 MB on
    // the bench's report), though its script had ended: everything it had to give is in this thread now.
    void this.worker.terminate();
    return true;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(buf: Buffer, pos: number): number {
  let p = pos;
  while (isSpace(buf[p])) p++;
  return p;
}
