/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ 352:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.FNV_PRIME = exports.FNV_OFFSET = exports.ByteStrings = void 0;
exports.hashBytes = hashBytes;
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
class ByteStrings {
    buf;
    /**
     * Open addressing, one record of RECORD ints per slot: the hash, the length and pool offset of the bytes, and the
     * value's index + 1 (0: free). A probe reads one record, not three arrays: the table is MBs for a large report,
     * and every lookup missed the cache once per array.
     */
    table = new Int32Array(RECORD << 12);
    values = [];
    /**
     * A copy of each distinct run, one after another: a repeat is compared with these few MB rather than with its first
     * occurrence anywhere in a 50 MB report, which missed the cache on almost every compare.
     */
    pool = new Uint8Array(1 << 16);
    used = 0;
    constructor(buf) {
        this.buf = buf;
    }
    /** The string of buf[start, end); `hash` is hashBytes of those bytes when the caller already has it. */
    get(start, end, hash = hashBytes(this.buf, start, end)) {
        const length = end - start;
        const table = this.table;
        const mask = (table.length >> 2) - 1;
        let slot = hash & mask;
        for (;;) {
            const at = slot << 2;
            const index = table[at + 3];
            if (index === 0)
                return this.insert(at, start, end, hash);
            if (table[at] === hash && table[at + 1] === length && this.samePooled(table[at + 2], start, length))
                return this.values[index - 1];
            slot = (slot + 1) & mask;
        }
    }
    /** How many distinct strings were decoded. */
    get size() {
        return this.values.length;
    }
    insert(at, start, end, hash) {
        const buf = this.buf;
        const length = end - start;
        let ascii = true;
        for (let p = start; p < end && ascii; p++)
            ascii = buf[p] < 0x80;
        // Plain ASCII decodes the same either way, and latin1 skips UTF-8's validation.
        const text = buf.toString(ascii ? 'latin1' : 'utf8', start, end);
        if (this.used + length > this.pool.length) {
            const pool = new Uint8Array(2 * (this.used + length));
            pool.set(this.pool);
            this.pool = pool;
        }
        const pool = this.pool;
        for (let k = 0; k < length; k++)
            pool[this.used + k] = buf[start + k];
        this.values.push(text);
        const table = this.table;
        table[at] = hash;
        table[at + 1] = length;
        table[at + 2] = this.used;
        table[at + 3] = this.values.length;
        this.used += length;
        // At most half full, so probe runs stay short.
        if (2 * this.values.length > table.length >> 2)
            this.rehash();
        return text;
    }
    samePooled(at, start, length) {
        const buf = this.buf;
        const pool = this.pool;
        for (let k = 0; k < length; k++)
            if (pool[at + k] !== buf[start + k])
                return false;
        return true;
    }
    rehash() {
        const old = this.table;
        const table = new Int32Array(old.length * 2);
        const mask = (table.length >> 2) - 1;
        for (let from = 0; from < old.length; from += RECORD) {
            if (old[from + 3] === 0)
                continue;
            let slot = old[from] & mask;
            while (table[(slot << 2) + 3] !== 0)
                slot = (slot + 1) & mask;
            const to = slot << 2;
            for (let k = 0; k < RECORD; k++)
                table[to + k] = old[from + k];
        }
        this.table = table;
    }
}
exports.ByteStrings = ByteStrings;
const RECORD = 4;
/** FNV-1a, 32 bits: hash = (hash ^ byte) * FNV_PRIME from FNV_OFFSET, as `ByteStrings` expects. */
exports.FNV_OFFSET = 0x811c9dc5 | 0;
exports.FNV_PRIME = 0x01000193;
function hashBytes(buf, start, end) {
    let hash = exports.FNV_OFFSET;
    for (let p = start; p < end; p++)
        hash = Math.imul(hash ^ buf[p], exports.FNV_PRIME);
    return hash;
}


/***/ }),

/***/ 207:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Walks the structure of a JSON document held in a Buffer without materialising it: only the values a caller asks
 * for are handed to JSON.parse, one slice at a time. A Trivy report of 100 000 findings is ~45 MB of text and several
 * hundred MB as one parsed tree (and V8 cannot hold a string over ~512 MB at all); walked this way the gate keeps only
 * the fields it uses. JSON.parse (for Trivy vulnerabilities, the strict byte reader in trivy-vulnerability.ts) still
 * validates every value that is read; the walker checks the punctuation between them and reports the byte offset of
 * anything malformed.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.JsonSlices = exports.JsonSyntaxError = exports.BYTE = void 0;
/** The JSON punctuation, by byte. */
exports.BYTE = {
    QUOTE: 0x22,
    BACKSLASH: 0x5c,
    OPEN_OBJECT: 0x7b,
    CLOSE_OBJECT: 0x7d,
    OPEN_ARRAY: 0x5b,
    CLOSE_ARRAY: 0x5d,
    COMMA: 0x2c,
    COLON: 0x3a,
};
// Module constants, not property reads of an import, in the loops below.
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON } = exports.BYTE;
class JsonSyntaxError extends Error {
    offset;
    constructor(message, offset) {
        super(`${message} at byte ${offset}`);
        this.offset = offset;
        this.name = 'JsonSyntaxError';
    }
}
exports.JsonSyntaxError = JsonSyntaxError;
class JsonSlices {
    buf;
    constructor(buf) {
        this.buf = buf;
    }
    /** Position of the first non-whitespace byte at or after pos (a UTF-8 BOM at the start counts as whitespace). */
    ws(pos) {
        const buf = this.buf;
        if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
            pos = 3;
        while (pos < buf.length) {
            const c = buf[pos];
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                break;
            pos++;
        }
        return pos;
    }
    /** The byte at pos as a character, '' at the end. */
    peek(pos) {
        return pos < this.buf.length ? String.fromCharCode(this.buf[pos]) : '';
    }
    /** Position just after the value that starts at pos (pos must be at the value, not at whitespace). */
    skip(pos) {
        const buf = this.buf;
        const c = buf[pos];
        if (c === QUOTE)
            return this.stringEnd(pos);
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            let depth = 0;
            for (let p = pos; p < buf.length; p++) {
                const b = buf[p];
                if (b === QUOTE)
                    p = this.stringEnd(p) - 1;
                else if (b === OPEN_OBJECT || b === OPEN_ARRAY)
                    depth++;
                else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
                    if (--depth === 0)
                        return p + 1;
                }
            }
            throw new JsonSyntaxError('unexpected end of JSON (truncated file?)', buf.length);
        }
        // true, false, null or a number: runs to the next delimiter
        let p = pos;
        while (p < buf.length) {
            const b = buf[p];
            if (b === COMMA ||
                b === CLOSE_OBJECT ||
                b === CLOSE_ARRAY ||
                b === 0x20 ||
                b === 0x0a ||
                b === 0x0d ||
                b === 0x09)
                break;
            p++;
        }
        if (p === pos)
            throw new JsonSyntaxError('expected a value', pos);
        return p;
    }
    /** Parses the value at pos with JSON.parse; returns it and the position after it. */
    value(pos) {
        const end = this.skip(pos);
        return { value: this.parse(pos, end), end };
    }
    parse(start, end) {
        try {
            return JSON.parse(this.buf.toString('utf8', start, end));
        }
        catch (error) {
            throw new JsonSyntaxError(`invalid JSON value (${error.message})`, start);
        }
    }
    /**
     * Calls fn for each member of the object at pos with its key and the position of its value; fn returns the
     * position after the value (usually `this.skip(valuePos)` or the end of a nested walk). Returns the position after
     * the object.
     */
    members(pos, fn) {
        const buf = this.buf;
        if (buf[pos] !== OPEN_OBJECT)
            throw new JsonSyntaxError('expected an object', pos);
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_OBJECT)
            return p + 1;
        for (;;) {
            if (buf[p] !== QUOTE)
                throw new JsonSyntaxError('expected a member name', p);
            const keyEnd = this.stringEnd(p);
            const key = this.parse(p, keyEnd);
            p = this.ws(keyEnd);
            if (buf[p] !== COLON)
                throw new JsonSyntaxError("expected ':'", p);
            p = this.ws(fn(key, this.ws(p + 1)));
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_OBJECT)
                return p + 1;
            else
                throw new JsonSyntaxError("expected ',' or '}'", p);
        }
    }
    /** Like members, for the elements of the array at pos. */
    elements(pos, fn) {
        const buf = this.buf;
        if (buf[pos] !== OPEN_ARRAY)
            throw new JsonSyntaxError('expected an array', pos);
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_ARRAY)
            return p + 1;
        for (;;) {
            p = this.ws(fn(p));
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_ARRAY)
                return p + 1;
            else
                throw new JsonSyntaxError("expected ',' or ']'", p);
        }
    }
    /** Position after the closing quote of the string that starts at pos; an escaped quote does not end it. */
    stringEnd(pos) {
        const buf = this.buf;
        let p = pos + 1;
        for (;;) {
            const q = buf.indexOf(QUOTE, p);
            if (q < 0)
                throw new JsonSyntaxError('unterminated string', pos);
            let backslashes = 0;
            for (let b = q - 1; b > pos && buf[b] === BACKSLASH; b--)
                backslashes++;
            if (backslashes % 2 === 0)
                return q + 1;
            p = q + 1;
        }
    }
}
exports.JsonSlices = JsonSlices;


/***/ }),

/***/ 368:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.SplitRead = exports.WORKER_FILE = exports.SPLIT_READ_BYTES = void 0;
exports.guessElement = guessElement;
exports.readRuns = readRuns;
exports.runWorker = runWorker;
const node_fs_1 = __nccwpck_require__(24);
const node_path_1 = __nccwpck_require__(760);
const node_util_1 = __nccwpck_require__(975);
const node_worker_threads_1 = __nccwpck_require__(919);
const json_slices_1 = __nccwpck_require__(207);
const trivy_vulnerability_1 = __nccwpck_require__(58);
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
exports.SPLIT_READ_BYTES = 24 << 20;
/** The worker's entry, bundled beside the chunk that holds this module (scripts/bundle.ts: `<module>.worker.ts`). */
exports.WORKER_FILE = 'trivy-json.worker.js';
/** Int32s of the shared state: DONE becomes 1 when the worker has posted (or failed); PROGRESS counts up as it reads. */
const DONE = 0;
const PROGRESS = 1;
const POLL_MS = 200;
const STALL_MS = 10_000;
const { OPEN_OBJECT, COMMA } = json_slices_1.BYTE;
const VULNERABILITY_ID = Buffer.from('"VulnerabilityID"');
/** The first `{` at or after `from` whose first member name (after JSON whitespace) is "VulnerabilityID"; -1 if none. */
function guessElement(buf, from) {
    for (let at = from;;) {
        const key = buf.indexOf(VULNERABILITY_ID, at);
        if (key < 0)
            return -1;
        let b = key - 1;
        while (b >= from && isSpace(buf[b]))
            b--;
        if (b >= from && buf[b] === OPEN_OBJECT)
            return b;
        at = key + 1;
    }
}
/**
 * The worker's part: from the first guess at or after `from` to the end of the file, runs of consecutive elements the
 * byte reader accepts, and the record of each. buf holds the report's bytes from `base` on; the positions handed back
 * are the report's. `state` (when given) counts progress.
 */
function readRuns(buf, from, state, base = 0) {
    const reader = new trivy_vulnerability_1.VulnerabilityReader(buf);
    const runs = [];
    let records = new Int32Array(trivy_vulnerability_1.RECORD_LENGTH << 12);
    let count = 0;
    for (let start = guessElement(buf, from); start >= 0;) {
        const first = count;
        let pos = start;
        let end = start;
        for (;;) {
            const after = reader.scan(pos);
            if (after < 0)
                break;
            if ((count + 1) * trivy_vulnerability_1.RECORD_LENGTH > records.length) {
                const grown = new Int32Array(records.length * 2);
                grown.set(records);
                records = grown;
            }
            reader.save(records, count * trivy_vulnerability_1.RECORD_LENGTH, base);
            count++;
            if (state && (count & 1023) === 0)
                Atomics.add(state, PROGRESS, 1);
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
function runWorker({ bytes, base, state, port }) {
    try {
        Atomics.add(state, PROGRESS, 1);
        const result = readRuns(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 0, state, base);
        port.postMessage(result, [result.records.buffer]);
    }
    finally {
        Atomics.store(state, DONE, 1);
        Atomics.notify(state, DONE);
    }
}
/** The main thread's side: where the worker's runs start, and taking one when the walk lands on it. */
class SplitRead {
    worker;
    port;
    state;
    stallMs;
    /** Elements taken from the worker (a diagnostic for tests and benchmarks). */
    taken = 0;
    /** The position the walk must reach exactly to take the next run; Infinity once nothing more can be taken. */
    next;
    result;
    /** Index of the next run in result.runs (by 3), and of its first record. */
    run = 0;
    record = 0;
    constructor(worker, port, state, first, stallMs) {
        this.worker = worker;
        this.port = port;
        this.state = state;
        this.stallMs = stallMs;
        this.next = first;
    }
    /**
     * Starts the worker on buf from about its middle, when buf is at least the threshold and has a guess there and the
     * worker's file is at hand; undefined otherwise (read on one thread).
     */
    static start(buf, options = {}) {
        if (buf.length < (options.threshold ?? exports.SPLIT_READ_BYTES))
            return undefined;
        const workerFile = options.workerFile ?? (0, node_path_1.join)(__dirname, exports.WORKER_FILE);
        if (!(0, node_fs_1.existsSync)(workerFile))
            return undefined;
        const from = guessElement(buf, buf.length >> 1);
        if (from < 0)
            return undefined;
        // The worker gets its own copy of the second half, moved to it: the main thread's buffer stays its own, so it can
        // be given back once read (util/files.ts releaseBuffer), and the copy goes when the worker ends. Sharing the whole
        // file through a SharedArrayBuffer kept all of it until V8's next full GC: Node 24 peaked at 216-246 MB instead of
        // 186-191 on the bench's report (bench/trivy-gate/RESULTS.md).
        const bytes = new Uint8Array(buf.length - from);
        bytes.set(buf.subarray(from));
        const state = new Int32Array(new SharedArrayBuffer(8));
        const { port1, port2 } = new node_worker_threads_1.MessageChannel();
        const data = { bytes, base: from, state, port: port2 };
        let worker;
        try {
            worker = new node_worker_threads_1.Worker(workerFile, {
                workerData: data,
                transferList: [port2, bytes.buffer],
                stdout: true,
                stderr: true,
            });
        }
        catch {
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
    take(pos, reader, found) {
        if (!this.result) {
            if (pos !== this.next || !this.wait()) {
                this.close();
                return undefined;
            }
        }
        const { runs, records } = this.result;
        while (this.run < runs.length && runs[this.run] < pos)
            this.skipRun();
        if (this.run >= runs.length || runs[this.run] !== pos || runs[this.run + 1] === 0) {
            this.setNext();
            return undefined;
        }
        const count = runs[this.run + 1];
        const end = runs[this.run + 2];
        for (let i = 0; i < count; i++) {
            reader.load(records, (this.record + i) * trivy_vulnerability_1.RECORD_LENGTH);
            found.push(reader.build());
        }
        this.taken += count;
        this.skipRun();
        this.setNext();
        return { end, count };
    }
    /** Stops the worker if it still runs and lets go of everything. Safe to call more than once. */
    close() {
        this.next = Infinity;
        this.result = undefined;
        this.port.close();
        void this.worker.terminate();
    }
    skipRun() {
        this.record += this.result.runs[this.run + 1];
        this.run += 3;
    }
    /** The next run that has elements, past the position just read. */
    setNext() {
        const runs = this.result.runs;
        let run = this.run;
        while (run < runs.length && runs[run + 1] === 0)
            run += 3;
        if (run < runs.length)
            this.next = runs[run];
        else
            this.close();
    }
    /** Waits for the worker's result; false if it fails or stops making progress for stallMs. */
    wait() {
        const state = this.state;
        let progress = -1;
        let since = Date.now();
        while (Atomics.load(state, DONE) === 0) {
            Atomics.wait(state, DONE, 0, POLL_MS);
            const now = Atomics.load(state, PROGRESS);
            if (now !== progress) {
                progress = now;
                since = Date.now();
            }
            else if (Date.now() - since > this.stallMs) {
                return false;
            }
        }
        const message = (0, node_worker_threads_1.receiveMessageOnPort)(this.port)?.message;
        // util.types, not instanceof: the message is made in Node's own realm, which is not the caller's under jest.
        if (!message || !node_util_1.types.isInt32Array(message.runs) || !node_util_1.types.isInt32Array(message.records))
            return false;
        this.result = message;
        // Its thread with its heap and its copy of the bytes otherwise stayed until the step ended (peak RSS +35-40 MB on
        // the bench's report), though its script had ended: everything it had to give is in this thread now.
        void this.worker.terminate();
        return true;
    }
}
exports.SplitRead = SplitRead;
const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
function skipSpace(buf, pos) {
    let p = pos;
    while (isSpace(buf[p]))
        p++;
    return p;
}


/***/ }),

/***/ 58:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RECORD_LENGTH = exports.VulnerabilityReader = void 0;
const byte_strings_1 = __nccwpck_require__(352);
const json_slices_1 = __nccwpck_require__(207);
/**
 * Reads one vulnerability of a Trivy report straight from the file's bytes: the eight fields the gate keeps are
 * decoded, every other value is checked against the JSON grammar and skipped without being built. JSON.parse of the
 * whole element built ~20 values per finding (CVSS, references, dates) only to drop them; on a 100 000-finding report
 * that and its garbage collection were most of the gate's time (bench/trivy-gate).
 *
 * It reads only what it is sure of: a vulnerability as Trivy writes it (an object without escaped member names, every
 * kept field a string or null, VulnerabilityID and PkgName not empty, Severity one of Trivy's five words in capitals,
 * References an array or null) in valid JSON. For anything else — including any JSON it finds invalid — `read` returns
 * -1 and the caller parses the element with JSON.parse and its checks, which accept, correct or name exactly as
 * before. So this reader may only be stricter than JSON.parse, never more lenient.
 */
class VulnerabilityReader {
    /** The finding read by the last successful `read`. */
    finding;
    buf;
    len;
    /** Start and end (exclusive, quotes excluded) of each kept field's string; -1 when absent or null. */
    from = new Int32Array(FIELDS);
    to = new Int32Array(FIELDS);
    /** Whether each kept string has an escape (decoded by JSON.parse) or not (its bytes are its UTF-8 text). */
    escaped = new Uint8Array(FIELDS);
    /** Each kept string's hash for the string table (set when it has no escape). */
    hashes = new Int32Array(FIELDS);
    /** Set by `complete`: the index of the severity word in SEVERITY_WORDS. */
    severity = 0;
    /** Set by `string` and `keptString`: the string had an escape. */
    hadEscape = false;
    /** Set by `keptString`: the hash of the string's bytes. */
    hash = 0;
    /**
     * For the package, version and fixed version: one string per distinct value, a table per field (small enough for the
     * cache). Those repeat across most of a report's findings; the id, title and link belong to a vulnerability and
     * repeat far less, and tables for them cost more CPU and peak RSS than they saved (bench/trivy-gate/RESULTS.md).
     */
    strings;
    constructor(buf) {
        this.buf = buf;
        this.len = buf.length;
        this.strings = Array.from({ length: FIELDS }, (_, field) => TABLED.includes(field) ? new byte_strings_1.ByteStrings(buf) : undefined);
    }
    /** Reads the vulnerability object at pos; returns the position after it, or -1 to leave it to JSON.parse. */
    read(pos) {
        const end = this.scan(pos);
        this.finding = end >= 0 ? this.build() : undefined;
        return end;
    }
    /**
     * `read` without building the finding: checks the element at pos and notes where its kept fields are; returns the
     * position after it, or -1 for anything `read` refuses. `save` copies what it noted, so another reader over the same
     * bytes (`load`, then `build`) makes the finding `read` would have made (trivy-split.ts: a worker thread scans, the
     * main thread builds).
     */
    scan(pos) {
        const buf = this.buf;
        const from = this.from;
        from.fill(-1);
        if (buf[pos] !== OPEN_OBJECT)
            return -1;
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_OBJECT)
            return -1;
        for (;;) {
            if (buf[p] !== QUOTE)
                return -1;
            const keyStart = p + 1;
            const keyEnd = this.string(p);
            if (keyEnd < 0 || this.hadEscape)
                return -1;
            const field = fieldOf(buf, keyStart, keyEnd - 1);
            p = this.ws(keyEnd);
            if (buf[p] !== COLON)
                return -1;
            p = this.ws(p + 1);
            let end;
            if (field < 0) {
                end = this.value(p);
            }
            else if (buf[p] === QUOTE) {
                if (field === REFERENCES)
                    return -1;
                end = this.strings[field] ? this.keptString(p) : this.string(p);
                this.keep(field, p, end);
            }
            else if (this.literal(p, NULL)) {
                end = p + 4;
                from[field] = -1;
                // JSON.parse keeps the last of repeated members, so a later References replaces an earlier one's first link.
                if (field === REFERENCES)
                    from[FIRST_REFERENCE] = -1;
            }
            else if (field === REFERENCES && buf[p] === OPEN_ARRAY) {
                from[FIRST_REFERENCE] = -1;
                end = this.references(p);
            }
            else {
                return -1;
            }
            if (end < 0)
                return -1;
            p = this.ws(end);
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_OBJECT)
                break;
            else
                return -1;
        }
        return this.complete() ? p + 1 : -1;
    }
    /**
     * Copies what the last successful `scan` noted to records[at, at + RECORD_LENGTH), with `base` added to every
     * position (this reader's bytes are those from `base` on of the reader's that will `load` it).
     */
    save(records, at, base = 0) {
        const { from, to } = this;
        for (let field = 0; field < FIELDS; field++) {
            records[at + field] = from[field] < 0 ? -1 : from[field] + base;
            records[at + FIELDS + field] = to[field] + base;
        }
        let flags = this.severity << 16;
        for (let field = 0; field < FIELDS; field++)
            if (this.escaped[field] !== 0)
                flags |= 1 << field;
        records[at + 2 * FIELDS] = flags;
        for (let i = 0; i < TABLED.length; i++)
            records[at + 2 * FIELDS + 1 + i] = this.hashes[TABLED[i]];
    }
    /** Takes a record `save` wrote (from a scan of the same bytes), as if this reader had scanned that element. */
    load(records, at) {
        this.from.set(records.subarray(at, at + FIELDS));
        this.to.set(records.subarray(at + FIELDS, at + 2 * FIELDS));
        const flags = records[at + 2 * FIELDS];
        for (let field = 0; field < FIELDS; field++)
            this.escaped[field] = (flags >> field) & 1;
        this.severity = flags >>> 16;
        for (let i = 0; i < TABLED.length; i++)
            this.hashes[TABLED[i]] = records[at + 2 * FIELDS + 1 + i];
    }
    /** Notes where the kept field's string (opening quote at start, `string` just returned end) is. */
    keep(field, start, end) {
        if (end < 0)
            return;
        this.from[field] = start + 1;
        this.to[field] = end - 1;
        this.escaped[field] = this.hadEscape ? 1 : 0;
        this.hashes[field] = this.hash;
    }
    /** Whether the scanned element has what a finding needs (an id, a package, a severity word), noting its severity. */
    complete() {
        const { buf, from, to } = this;
        if (from[ID] < 0 || to[ID] === from[ID] || from[PKG] < 0 || to[PKG] === from[PKG])
            return false;
        this.severity = severityAt(buf, from[SEVERITY], to[SEVERITY]);
        return this.severity >= 0;
    }
    /** The finding of the element the last successful `scan` (or `load`) noted. */
    build() {
        return {
            id: this.text(ID),
            pkg: this.text(PKG),
            installed: this.text(INSTALLED),
            fixed: this.text(FIXED),
            severity: SEVERITY_WORDS[this.severity][1],
            title: this.text(TITLE),
            url: this.text(URL) || this.text(FIRST_REFERENCE),
            targets: NO_TARGETS,
        };
    }
    /** The kept field's string ('' when absent or null), decoded as JSON.parse decodes it. */
    text(field) {
        const start = this.from[field];
        if (start < 0)
            return '';
        const end = this.to[field];
        if (this.escaped[field] === 0) {
            const table = this.strings[field];
            return table ? table.get(start, end, this.hashes[field]) : this.buf.toString('utf8', start, end);
        }
        return JSON.parse(this.buf.toString('utf8', start - 1, end + 1));
    }
    /** References: an array whose first element, when a string, is the link of last resort (as JSON.parse reads it). */
    references(pos) {
        const buf = this.buf;
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_ARRAY)
            return p + 1;
        let first = true;
        for (;;) {
            let end;
            if (first && buf[p] === QUOTE) {
                end = this.string(p);
                this.keep(FIRST_REFERENCE, p, end);
            }
            else {
                end = this.value(p);
            }
            if (end < 0)
                return -1;
            first = false;
            p = this.ws(end);
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_ARRAY)
                return p + 1;
            else
                return -1;
        }
    }
    /**
     * Position after the JSON value at pos, checked against the grammar; -1 if it is not valid JSON, or nested deeper
     * than MAX_DEPTH: this check recurses, and a report nesting arrays a hundred thousand deep would overflow the stack;
     * JSON.parse (the fallback) does not.
     */
    value(pos, depth = 0) {
        const buf = this.buf;
        const c = buf[pos];
        if (c === QUOTE)
            return this.string(pos);
        if ((c === OPEN_OBJECT || c === OPEN_ARRAY) && depth >= MAX_DEPTH)
            return -1;
        if (c === OPEN_OBJECT) {
            let p = this.ws(pos + 1);
            if (buf[p] === CLOSE_OBJECT)
                return p + 1;
            for (;;) {
                if (buf[p] !== QUOTE)
                    return -1;
                p = this.string(p);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] !== COLON)
                    return -1;
                p = this.value(this.ws(p + 1), depth + 1);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] === COMMA)
                    p = this.ws(p + 1);
                else if (buf[p] === CLOSE_OBJECT)
                    return p + 1;
                else
                    return -1;
            }
        }
        if (c === OPEN_ARRAY) {
            let p = this.ws(pos + 1);
            if (buf[p] === CLOSE_ARRAY)
                return p + 1;
            for (;;) {
                p = this.value(p, depth + 1);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] === COMMA)
                    p = this.ws(p + 1);
                else if (buf[p] === CLOSE_ARRAY)
                    return p + 1;
                else
                    return -1;
            }
        }
        if (c === 0x74)
            return this.literal(pos, TRUE) ? pos + 4 : -1;
        if (c === 0x66)
            return this.literal(pos, FALSE) ? pos + 5 : -1;
        if (c === 0x6e)
            return this.literal(pos, NULL) ? pos + 4 : -1;
        return this.number(pos);
    }
    /** Position after the string at pos (at its opening quote); -1 if it is not a valid JSON string. */
    string(pos) {
        const buf = this.buf;
        const len = this.len;
        let escape = false;
        for (let p = pos + 1; p < len; p++) {
            const c = buf[p];
            if (c === QUOTE) {
                this.hadEscape = escape;
                return p + 1;
            }
            if (c < 0x20)
                return -1;
            if (c === BACKSLASH) {
                escape = true;
                const e = buf[++p];
                if (e === 0x75) {
                    for (let i = 0; i < 4; i++)
                        if (!isHex(buf[++p]))
                            return -1;
                }
                else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || SIMPLE_ESCAPES.includes(e))) {
                    return -1;
                }
            }
        }
        return -1;
    }
    /**
     * `string` for a kept field, hashing its bytes for the string table in the same pass. A string with an escape (or
     * anything invalid) is left to `string`, which checks it; such a string is decoded by JSON.parse, not hashed.
     */
    keptString(pos) {
        const buf = this.buf;
        const len = this.len;
        let hash = byte_strings_1.FNV_OFFSET;
        for (let p = pos + 1; p < len; p++) {
            const c = buf[p];
            if (c === QUOTE) {
                this.hadEscape = false;
                this.hash = hash;
                return p + 1;
            }
            if (c === BACKSLASH || c < 0x20)
                return this.string(pos);
            hash = Math.imul(hash ^ c, byte_strings_1.FNV_PRIME);
        }
        return -1;
    }
    /** Position after the number at pos (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?); -1 if there is none. */
    number(pos) {
        const buf = this.buf;
        let p = pos;
        if (buf[p] === 0x2d)
            p++;
        if (buf[p] === 0x30)
            p++;
        else if (isDigit(buf[p]))
            while (isDigit(buf[p]))
                p++;
        else
            return -1;
        if (buf[p] === 0x2e) {
            if (!isDigit(buf[++p]))
                return -1;
            while (isDigit(buf[p]))
                p++;
        }
        if (buf[p] === 0x65 || buf[p] === 0x45) {
            p++;
            if (buf[p] === 0x2b || buf[p] === 0x2d)
                p++;
            if (!isDigit(buf[p]))
                return -1;
            while (isDigit(buf[p]))
                p++;
        }
        return p;
    }
    literal(pos, word) {
        const buf = this.buf;
        for (let i = 0; i < word.length; i++)
            if (buf[pos + i] !== word[i])
                return false;
        return true;
    }
    /** JSON whitespace is space, tab, line feed and carriage return, nothing else. */
    ws(pos) {
        const buf = this.buf;
        let p = pos;
        for (;;) {
            const c = buf[p];
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                return p;
            p++;
        }
    }
}
exports.VulnerabilityReader = VulnerabilityReader;
// Module constants: a property read of an import in the byte loops costs as much as the loops (CommonJS builds).
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON } = json_slices_1.BYTE;
/** b f n r t */
/** Deeper than any value Trivy writes (CVSS, data sources, vendor severities nest two or three levels). */
const MAX_DEPTH = 32;
/** A read finding's targets until its caller sets them (readResult, once the result's Target is known); never added to. */
const NO_TARGETS = [];
const SIMPLE_ESCAPES = [0x62, 0x66, 0x6e, 0x72, 0x74];
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** The kept members, by index; FIRST_REFERENCE is References[0]. */
const NAMES = [
    'VulnerabilityID',
    'PkgName',
    'InstalledVersion',
    'FixedVersion',
    'Severity',
    'Title',
    'PrimaryURL',
    'References',
].map((name) => Buffer.from(name));
const ID = 0;
const PKG = 1;
const INSTALLED = 2;
const FIXED = 3;
const SEVERITY = 4;
const TITLE = 5;
const URL = 6;
const REFERENCES = 7;
const FIRST_REFERENCE = NAMES.length;
/** The fields read through a string table. */
const TABLED = [PKG, INSTALLED, FIXED];
const FIELDS = NAMES.length + 1;
/** Int32s per record of `save`: each field's start and end, the escape flags and severity, the tabled fields' hashes. */
exports.RECORD_LENGTH = 2 * FIELDS + 1 + TABLED.length;
function fieldOf(buf, start, end) {
    const length = end - start;
    for (let field = 0; field < NAMES.length; field++) {
        const name = NAMES[field];
        if (name.length !== length)
            continue;
        let i = 0;
        while (i < length && buf[start + i] === name[i])
            i++;
        if (i === length)
            return field;
    }
    return -1;
}
const SEVERITY_WORDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].map((s) => [
    Buffer.from(s),
    s,
]);
/** The index in SEVERITY_WORDS of the severity written in capitals exactly as Trivy writes it; -1 for anything else. */
function severityAt(buf, start, end) {
    if (start < 0)
        return -1;
    for (let index = 0; index < SEVERITY_WORDS.length; index++) {
        const word = SEVERITY_WORDS[index][0];
        if (word.length !== end - start)
            continue;
        let i = 0;
        while (i < word.length && buf[start + i] === word[i])
            i++;
        if (i === word.length)
            return index;
    }
    return -1;
}


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = require("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = require("node:path");

/***/ }),

/***/ 975:
/***/ ((module) => {

module.exports = require("node:util");

/***/ }),

/***/ 919:
/***/ ((module) => {

module.exports = require("node:worker_threads");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/compat */
/******/ 	
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// This entry need to be wrapped in an IIFE because it uses a non-standard name for the exports (exports).
(() => {
var exports = __webpack_exports__;

Object.defineProperty(exports, "__esModule", ({ value: true }));
/**
 * The worker thread of trivy-split.ts: scans the vulnerabilities of a report's second half. Bundled as its own entry
 * beside the chunk that starts it (scripts/bundle.ts).
 */
const node_worker_threads_1 = __nccwpck_require__(919);
const trivy_split_1 = __nccwpck_require__(368);
(0, trivy_split_1.runWorker)(node_worker_threads_1.workerData);

})();

module.exports = __webpack_exports__;
/******/ })()
;