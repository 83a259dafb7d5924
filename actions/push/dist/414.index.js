"use strict";
exports.id = 414;
exports.ids = [414];
exports.modules = {

/***/ 3414:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gzipOnTheFly: () => (/* binding */ gzipOnTheFly)
/* harmony export */ });
/* unused harmony exports GZIP_LEVEL, gzipStream */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _media_types__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9112);




/**
 * Level 1: on layers of binaries and text it is about twice as fast as the default level 6 for some 8% more bytes, so
 * the push is limited by the upload rather than the CPU (bench/push/RESULTS.md).
 */
const GZIP_LEVEL = 1;
/** Input is cut in fixed blocks, so the output depends on the content only, never on how reads were chunked. */
const BLOCK = 1024 * 1024;
/** Deflate's window: each block is compressed with the previous block's tail as dictionary, so the ratio is kept. */
const WINDOW = 32 * 1024;
/** Blocks compressed at once in libuv's thread pool (4 threads by default). */
const PARALLEL = 4;
/** Bits per byte above which deflate cannot win anything worth its time (random data is ~7.9998, binaries ~6). */
const INCOMPRESSIBLE_ENTROPY = 7.95;
const deflateRaw = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_2__.deflateRaw);
/** An uncompressed layer gzipped while it streams; digest and size are learned by the pusher during the upload. */
function gzipOnTheFly(blob, level = GZIP_LEVEL) {
    const mediaType = (0,_media_types__WEBPACK_IMPORTED_MODULE_3__/* .gzipVariant */ .WJ)(blob.mediaType);
    if (!mediaType)
        return blob;
    return {
        mediaType,
        label: blob.label,
        annotations: blob.annotations,
        // Same input, same settings, same output: a retry produces the same bytes and so the same digest.
        open: () => (0,node_stream__WEBPACK_IMPORTED_MODULE_0__.pipeline)(blob.open(), gzipStream(level), () => undefined),
    };
}
/**
 * gzip the way klauspost/pgzip (used by skopeo) does it: the input is cut into 1 MiB blocks that are deflated in
 * parallel on the thread pool, each primed with the previous block's last 32 KiB, and joined into one ordinary gzip
 * member. Blocks that cannot be compressed (already-compressed files, random data) are stored instead of being run
 * through deflate for nothing. Node's zlib stream can do neither: it is serial, and its level cannot be lowered to
 * 0 mid-stream (params() keeps deflating).
 */
function gzipStream(level = GZIP_LEVEL) {
    return node_stream__WEBPACK_IMPORTED_MODULE_0__.Duplex.from(async function* (source) {
        yield Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]); // gzip header: deflate, no name, mtime 0, OS unknown
        let crc = 0;
        let size = 0;
        let dictionary;
        // In input order: segments still being deflated (promises) and stored ones (ready at once).
        const inflight = [];
        for await (const block of blocks(source)) {
            crc = crc32(block, crc);
            size += block.length;
            if (level === 0 || entropy(block) >= INCOMPRESSIBLE_ENTROPY) {
                inflight.push(stored(block));
            }
            else {
                // Sync flush: the segment ends byte-aligned and not final, so the next block's segment can follow it.
                // One output buffer per block: zlib's default 16 KiB chunks are slower to join.
                const options = {
                    level,
                    finishFlush: node_zlib__WEBPACK_IMPORTED_MODULE_2__.constants.Z_SYNC_FLUSH,
                    chunkSize: BLOCK + WINDOW,
                };
                inflight.push(deflateRaw(block, dictionary ? { ...options, dictionary } : options));
            }
            dictionary = Buffer.from(block.subarray(Math.max(0, block.length - WINDOW)));
            // A ready segment at the head goes out now rather than waiting in the queue with its megabyte.
            while (inflight.length >= PARALLEL || Buffer.isBuffer(inflight[0]))
                yield await inflight.shift();
        }
        while (inflight.length > 0)
            yield await inflight.shift();
        const trailer = Buffer.alloc(10);
        trailer.set([0x03, 0x00]); // an empty final block ends the deflate stream
        trailer.writeUInt32LE(crc >>> 0, 2);
        trailer.writeUInt32LE(size % 2 ** 32, 6);
        yield trailer;
    });
}
/** Longest stored deflate block (RFC 1951 3.2.4: LEN is 16 bits). */
const MAX_STORED = 0xffff;
/**
 * `data` as non-final stored deflate blocks, framed here on the main thread: one copy instead of a trip through zlib
 * (a thread-pool job, its own output buffer and a join), which made incompressible layers CPU-bound on two cores.
 * The stream is byte-aligned before and after (every segment ends so), so each block is a 5-byte header and the bytes.
 */
function stored(data) {
    const count = Math.max(1, Math.ceil(data.length / MAX_STORED));
    const out = Buffer.allocUnsafe(data.length + 5 * count);
    let at = 0;
    for (let start = 0; start < data.length || at === 0; start += MAX_STORED) {
        const length = Math.min(MAX_STORED, data.length - start);
        out[at] = 0; // BFINAL 0, BTYPE 00 (stored), padded to the byte
        out.writeUInt16LE(length, at + 1);
        out.writeUInt16LE(~length & 0xffff, at + 3);
        data.copy(out, at + 5, start, start + length);
        at += 5 + length;
    }
    return out;
}
async function* blocks(source) {
    let held = [];
    let heldBytes = 0;
    for await (const chunk of source) {
        held.push(chunk);
        heldBytes += chunk.length;
        while (heldBytes >= BLOCK) {
            const all = held.length === 1 ? held[0] : Buffer.concat(held);
            yield all.subarray(0, BLOCK);
            held = all.length > BLOCK ? [all.subarray(BLOCK)] : [];
            heldBytes -= BLOCK;
        }
    }
    if (heldBytes > 0)
        yield Buffer.concat(held);
}
/** Slices of the block whose byte entropy decides; evenly spread, so a block half text, half zip is still seen. */
const SAMPLES = 16;
const SAMPLE = 4096;
/** Shannon entropy of the byte distribution of a sample of `data`, in bits per byte. */
function entropy(data) {
    if (data.length === 0)
        return 0;
    const counts = new Uint32Array(256);
    let total = 0;
    const stride = data.length > SAMPLES * SAMPLE ? Math.floor(data.length / SAMPLES) : SAMPLE;
    for (let start = 0; start < data.length; start += stride) {
        const end = Math.min(start + SAMPLE, data.length);
        for (let i = start; i < end; i++)
            counts[data[i]]++;
        total += end - start;
    }
    let bits = 0;
    for (const count of counts) {
        if (count === 0)
            continue;
        const p = count / total;
        bits -= p * Math.log2(p);
    }
    return bits;
}
let table;
/** zlib.crc32 where Node has it (20.15+); the table-driven CRC-32 of RFC 1952 on older agents' Node 20. */
function crc32(data, value) {
    const native = node_zlib__WEBPACK_IMPORTED_MODULE_2__.crc32;
    if (native)
        return native(data, value);
    table ??= Int32Array.from({ length: 256 }, (_, n) => {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        return c;
    });
    let c = ~value;
    for (let i = 0; i < data.length; i++)
        c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
}


/***/ })

};
;