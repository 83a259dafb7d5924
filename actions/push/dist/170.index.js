"use strict";
exports.id = 170;
exports.ids = [170,71];
exports.modules = {

/***/ 3071:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openDockerArchive: () => (/* binding */ openDockerArchive),
  splitArchiveSpec: () => (/* binding */ splitArchiveSpec)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/util/files.ts
var files = __webpack_require__(6512);
// EXTERNAL MODULE: ./shared/oci/image.ts
var oci_image = __webpack_require__(3697);
// EXTERNAL MODULE: ./shared/oci/media-types.ts
var media_types = __webpack_require__(9112);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/oci/file-range.ts
var file_range = __webpack_require__(8324);
;// CONCATENATED MODULE: ./shared/oci/sources/tar-index.ts




const MAX_LINK_DEPTH = 16;
/**
 * The entries of an uncompressed tar file, indexed from their headers alone (each 512-byte header is read and the
 * entry's data skipped), so every entry can be streamed later straight from the file (in parallel, and again for a
 * retry) without unpacking the archive anywhere or reading it twice. Names that escape the archive (absolute, `..`)
 * and links that point out of it are refused.
 */
class TarIndex {
    file;
    entries;
    constructor(file, entries) {
        this.file = file;
        this.entries = entries;
    }
    static async open(file) {
        let handle;
        try {
            handle = await external_node_fs_.promises.open(file, 'r');
        }
        catch (error) {
            throw unreadable(file, error);
        }
        try {
            return new TarIndex(file, await readHeaders(handle, file));
        }
        catch (error) {
            throw error instanceof errors/* UserError */.yo ? error : unreadable(file, error);
        }
        finally {
            await handle.close();
        }
    }
    has(name) {
        return this.find(name) !== undefined;
    }
    /** The regular file behind `name`, following symlinks and hard links inside the archive. */
    entry(name) {
        const entry = this.find(name);
        if (!entry)
            throw new errors/* UserError */.yo(`${this.file} has no entry ${name}`);
        return entry;
    }
    async read(name) {
        const entry = this.entry(name);
        const handle = await external_node_fs_.promises.open(this.file, 'r');
        try {
            const buffer = Buffer.alloc(entry.size);
            await handle.read(buffer, 0, entry.size, entry.offset);
            return buffer;
        }
        finally {
            await handle.close();
        }
    }
    /** The entry's bytes in [start, end). */
    stream(name, start = 0, end) {
        const entry = this.entry(name);
        const stop = Math.min(end ?? entry.size, entry.size);
        return (0,file_range/* fileRange */.Yj)(this.file, entry.offset + start, entry.offset + stop);
    }
    /** The entry's bytes in [start, end) in reused buffers (see fileChunks). */
    chunks(name, start, end) {
        const entry = this.entry(name);
        return (0,file_range/* fileChunks */.T9)(this.file, entry.offset + start, entry.offset + Math.min(end, entry.size));
    }
    find(name) {
        let current = external_node_path_.posix.normalize(name).replace(/^\.\//, '');
        for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
            const entry = this.entries.get(current);
            if (!entry)
                return undefined;
            if (entry.type === 'file' || entry.type === 'contiguous-file')
                return entry;
            if (entry.type === 'symlink' && entry.linkname) {
                current = resolveLink(external_node_path_.posix.dirname(current), entry.linkname, name, this.file);
            }
            else if (entry.type === 'link' && entry.linkname) {
                current = resolveLink('', entry.linkname, name, this.file);
            }
            else {
                return undefined;
            }
        }
        throw new errors/* UserError */.yo(`${this.file}: ${name} is a chain of more than ${MAX_LINK_DEPTH} links`);
    }
}
function safeName(raw, file) {
    if (raw.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(raw))
        throw new errors/* UserError */.yo(`${file}: refusing entry with an absolute path: ${raw}`);
    const name = external_node_path_.posix.normalize(raw).replace(/^\.\//, '').replace(/\/$/, '');
    if (name === '..' || name.startsWith('../'))
        throw new errors/* UserError */.yo(`${file}: refusing entry that escapes the archive: ${raw}`);
    return name;
}
/** A symlink's target relative to its directory (`base`), a hard link's relative to the archive root (`base` ''). */
function resolveLink(base, target, name, file) {
    const resolved = external_node_path_.posix.normalize(external_node_path_.posix.join(base, target));
    if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
        throw new errors/* UserError */.yo(`${file}: refusing ${name}, a link that points out of the archive`);
    }
    return resolved.replace(/^\.\//, '');
}
function unreadable(file, error) {
    const code = error.code;
    return new errors/* UserError */.yo(code === 'ENOENT'
        ? `Archive ${file} does not exist`
        : `${file} is not a readable tar archive (${code ?? error.message})`);
}
const BLOCK = 512;
/** The most a PAX or GNU long-name record may hold (tar-stream's limit: an archive beyond it is refused alike). */
const MAX_LONG_HEADER = 4 * 1024 * 1024;
/**
 * Walks the archive header by header (POSIX ustar/pax and GNU headers; old v7 ones are refused, as tar-stream refuses
 * them), reading each header and each PAX or long-name record, skipping every entry's data. The rules are tar-stream's extractor's
 * (the reader this replaced, kept as the reference in test/unit/tar-index.test.ts): an all-zero block is skipped, a
 * header of neither ustar nor GNU format is refused, a checksum must match, the file must not end inside a header,
 * an entry's data or its padding, a directory's size is ignored, and PAX `path`, `linkpath` and `size` (with the
 * globals) and GNU long names apply to the next entry.
 */
async function readHeaders(handle, file) {
    const { size: length } = await handle.stat();
    const entries = new Map();
    const block = Buffer.alloc(BLOCK);
    const read = async (buffer, at, size) => {
        if (at + padded(size) > length)
            throw new Error('Unexpected end of data');
        const { bytesRead } = await handle.read(buffer, 0, size, at);
        if (bytesRead !== size)
            throw new Error('Unexpected end of data');
        return buffer.subarray(0, size);
    };
    let longPath;
    let longLink;
    let pax;
    let paxGlobal;
    for (let at = 0; at < length;) {
        const header = decodeHeader(await read(block, at, BLOCK));
        at += BLOCK;
        if (header === null)
            continue;
        if (header.long) {
            if (header.size > MAX_LONG_HEADER)
                throw new Error('Header exceeds max size');
            const record = await read(Buffer.alloc(header.size), at, header.size);
            at += padded(header.size);
            if (header.long === 'gnu-long-path')
                longPath = tar_index_text(record, 0, record.length);
            else if (header.long === 'gnu-long-link-path')
                longLink = tar_index_text(record, 0, record.length);
            else if (header.long === 'pax-global-header')
                paxGlobal = decodePax(record);
            else
                pax = { ...paxGlobal, ...decodePax(record) };
            continue;
        }
        let { name, linkname, size } = header;
        if (longPath)
            name = longPath;
        if (longLink)
            linkname = longLink;
        if (pax) {
            if (pax.path)
                name = pax.path;
            if (pax.linkpath)
                linkname = pax.linkpath;
            if (pax.size)
                size = parseInt(pax.size, 10);
        }
        longPath = longLink = pax = undefined;
        if (!(size >= 0))
            throw new Error('Invalid header');
        const safe = safeName(name, file);
        // Checked for every link, used or not: an archive that reaches outside itself is not one to trust.
        if (header.type === 'symlink' && linkname)
            resolveLink(external_node_path_.posix.dirname(safe), linkname, safe, file);
        if (header.type === 'link' && linkname)
            resolveLink('', linkname, safe, file);
        entries.set(safe, { name: safe, type: header.type, size, offset: at, linkname });
        if (size === 0 || header.type === 'directory')
            continue;
        if (at + padded(size) > length)
            throw new Error('Unexpected end of data');
        at += padded(size);
    }
    return entries;
}
function padded(size) {
    return Math.ceil(size / BLOCK) * BLOCK;
}
const TYPES = {
    '0': 'file',
    '1': 'link',
    '2': 'symlink',
    '3': 'character-device',
    '4': 'block-device',
    '5': 'directory',
    '6': 'fifo',
    '7': 'contiguous-file',
    x: 'pax-header',
    g: 'pax-global-header',
    L: 'gnu-long-path',
    N: 'gnu-long-path',
    K: 'gnu-long-link-path',
};
/** One 512-byte header (POSIX.1-1988 ustar layout); null for an all-zero block. */
function decodeHeader(buf) {
    let checksum = 0;
    for (let i = 0; i < BLOCK; i++)
        checksum += i >= 148 && i < 156 ? 0x20 : buf[i];
    // The checksum of an all-zero block: its checksum field counted as spaces.
    if (checksum === 8 * 0x20)
        return null;
    if (checksum !== number(buf, 148, 8))
        throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
    const magic = buf.toString('latin1', 257, 265);
    const ustar = magic.startsWith('ustar\0');
    if (!ustar && magic !== 'ustar  \0')
        throw new Error('Invalid tar header: unknown format.');
    let name = tar_index_text(buf, 0, 100);
    if (ustar && buf[345] !== 0)
        name = `${tar_index_text(buf, 345, 155)}/${name}`;
    // NUL is an old regular file. A regular file whose name ends in '/' stays a file, as tar-stream 3 has it (its
    // directory rule for old tars changes a flag it no longer reads); safeName drops the '/'.
    const kind = TYPES[buf[156] === 0 ? '0' : String.fromCharCode(buf[156])] ?? null;
    const long = kind === 'pax-header' || kind === 'pax-global-header' || kind?.startsWith('gnu-long');
    return {
        name,
        linkname: buf[157] === 0 ? null : tar_index_text(buf, 157, 100),
        size: number(buf, 124, 12),
        type: long ? null : kind,
        long: long ? kind : undefined,
    };
}
/** A NUL-terminated UTF-8 field. */
function tar_index_text(buf, start, length) {
    const end = buf.indexOf(0, start);
    return buf.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}
/**
 * A numeric field: octal digits after optional spaces and zeros, ended by a space or NUL; or, when its first byte has
 * the high bit set, a big-endian base-256 number (GNU tar, for sizes of 8 GiB and more).
 */
function number(buf, start, length) {
    if (buf[start] & 0x80) {
        // 0x80 first: the other bytes are the number. 0xff: a negative one, which no size may be; anything else: invalid.
        if (buf[start] !== 0x80)
            return buf[start] === 0xff ? -1 : NaN;
        let value = 0;
        for (let i = start + 1; i < start + length; i++)
            value = value * 256 + buf[i];
        return value;
    }
    let i = start;
    const end = start + length;
    while (i < end && buf[i] === 0x20)
        i++;
    let stop = i;
    while (stop < end && buf[stop] !== 0x20)
        stop++;
    while (i < stop && buf[i] === 0)
        i++;
    if (i === stop)
        return 0;
    // parseInt stops at the first byte that is not an octal digit (the NUL that usually ends the field).
    return parseInt(buf.toString('latin1', i, stop), 8);
}
/** PAX records, `<length> <key>=<value>\n` each; a malformed one ends the list, as in tar-stream. */
function decodePax(buf) {
    const result = {};
    for (let rest = buf; rest.length > 0;) {
        const space = rest.indexOf(0x20);
        const size = parseInt(rest.toString('utf8', 0, space < 0 ? rest.length : space), 10);
        if (!size)
            return result;
        const record = rest.toString('utf8', (space < 0 ? rest.length : space) + 1, size - 1);
        const equals = record.indexOf('=');
        if (equals < 0)
            return result;
        result[record.slice(0, equals)] = record.slice(equals + 1);
        rest = rest.subarray(size);
    }
    return result;
}

;// CONCATENATED MODULE: ./shared/oci/sources/docker-archive.ts





const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
/**
 * `docker-archive:<file>[:<image>]`, the output of `docker save`: either the legacy layout (manifest.json, a config
 * JSON and `<id>/layer.tar` per layer) or the OCI layout inside the tar that Docker 25+ writes (index.json +
 * blobs/). Layers are streamed from the archive in place; uncompressed ones are gzipped on the way when `compress`
 * is given.
 */
async function openDockerArchive(spec, options = {}) {
    const { file, ref } = splitArchiveSpec(spec);
    const tar = await TarIndex.open(file);
    if (tar.has('index.json') && tar.has('oci-layout')) {
        const index = parseJson(await tar.read('index.json'), `${file}: index.json`);
        const descriptor = pickOciEntry(index.manifests ?? [], ref, file);
        const root = await (0,oci_image/* loadGraph */.f)(tarStore(tar), descriptor, options);
        return { description: `docker archive ${file}${ref ? ` (${ref})` : ''}`, root, close: async () => undefined };
    }
    if (!tar.has('manifest.json')) {
        throw new errors/* UserError */.yo(`${file} is not a docker-archive (no manifest.json or index.json); create it with docker save -o <file> <image>`);
    }
    const entries = parseJson(await tar.read('manifest.json'), `${file}: manifest.json`);
    const entry = pickLegacyEntry(entries, ref, file);
    const root = await legacyManifest(tar, entry, options);
    return { description: `docker archive ${file}${ref ? ` (${ref})` : ''}`, root, close: async () => undefined };
}
function tarStore(tar) {
    const nameOf = (digest) => `blobs/${digest.replace(':', '/')}`;
    return {
        where: `docker archive ${tar.file}`,
        read: (digest) => {
            if (!tar.has(nameOf(digest)))
                throw new errors/* UserError */.yo(`docker archive ${tar.file} has no blob ${digest}`);
            return tar.read(nameOf(digest));
        },
        blob(descriptor, label) {
            const name = nameOf(descriptor.digest);
            if (!tar.has(name))
                throw new errors/* UserError */.yo(`docker archive ${tar.file} has no blob ${descriptor.digest} (${label})`);
            return {
                mediaType: descriptor.mediaType,
                digest: descriptor.digest,
                size: descriptor.size,
                label,
                annotations: descriptor.annotations,
                open: (start, end) => tar.stream(name, start, end),
                chunks: (start, end) => tar.chunks(name, start, end),
            };
        },
    };
}
/** The legacy layout has no manifest: write a Docker v2 schema 2 one, as `docker push` would. */
async function legacyManifest(tar, entry, options) {
    const configBytes = await tar.read(entry.Config);
    const diffIds = parseJson(configBytes, `${tar.file}: ${entry.Config}`).rootfs?.diff_ids ?? [];
    const config = {
        mediaType: media_types/* MediaType */.zu.dockerConfig,
        digest: (0,oci_image/* sha256 */.s)(configBytes),
        size: configBytes.length,
        label: 'config',
        open: (start, end) => tar.stream(entry.Config, start, end),
    };
    const layers = await Promise.all(entry.Layers.map(async (name, i) => {
        const size = tar.entry(name).size;
        const gzipped = (await readHead(tar, name)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
        const label = `layer ${i + 1}`;
        if (gzipped) {
            // Already compressed: its digest is not in the config (diff_ids are of the uncompressed tar); the pusher hashes it.
            return { mediaType: media_types/* MediaType */.zu.dockerLayerGzip, size, label, open: () => tar.stream(name) };
        }
        const plain = {
            mediaType: media_types/* MediaType */.zu.dockerLayer,
            digest: diffIds[i],
            size,
            label,
            open: (start, end) => tar.stream(name, start, end),
        };
        return options.compress ? options.compress(plain) : plain;
    }));
    const blobs = [config, ...layers];
    const build = (resolved) => Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: media_types/* MediaType */.zu.dockerManifest,
        config: { mediaType: resolved[0].mediaType, size: resolved[0].size, digest: resolved[0].digest },
        layers: resolved.slice(1).map((d) => ({ mediaType: d.mediaType, size: d.size, digest: d.digest })),
    }));
    const known = blobs.every((b) => b.digest !== undefined && b.size !== undefined);
    return {
        mediaType: media_types/* MediaType */.zu.dockerManifest,
        bytes: known ? build(blobs.map((b) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size }))) : undefined,
        build: known ? undefined : build,
        blobs,
        children: [],
    };
}
async function readHead(tar, name) {
    const chunks = [];
    for await (const chunk of tar.stream(name)) {
        chunks.push(chunk);
        break;
    }
    return Buffer.concat(chunks);
}
function pickLegacyEntry(entries, ref, file) {
    if (!Array.isArray(entries) || entries.length === 0)
        throw new errors/* UserError */.yo(`${file}: manifest.json lists no image`);
    const tags = entries.flatMap((e) => e.RepoTags ?? []);
    if (ref === undefined) {
        if (entries.length === 1)
            return entries[0];
        throw new errors/* UserError */.yo(`${file} holds ${entries.length} images; name one as docker-archive:${file}:<image> (${tags.join(', ')})`);
    }
    const match = entries.find((e) => (e.RepoTags ?? []).some((t) => sameImage(t, ref)));
    if (!match)
        throw new errors/* UserError */.yo(`${file} has no image '${ref}'${tags.length ? ` (it has ${tags.join(', ')})` : ''}`);
    return match;
}
function pickOciEntry(entries, ref, file) {
    const names = entries
        .map((e) => e.annotations?.[CONTAINERD_NAME] ?? e.annotations?.[REF_NAME])
        .filter((n) => !!n);
    if (ref === undefined) {
        if (entries.length === 1)
            return entries[0];
        throw new errors/* UserError */.yo(`${file} holds ${entries.length} images; name one as docker-archive:${file}:<image> (${names.join(', ')})`);
    }
    const match = entries.find((e) => e.digest === ref ||
        e.annotations?.[REF_NAME] === ref ||
        (e.annotations?.[CONTAINERD_NAME] !== undefined && sameImage(e.annotations[CONTAINERD_NAME], ref)));
    if (!match)
        throw new errors/* UserError */.yo(`${file} has no image '${ref}'${names.length ? ` (it has ${names.join(', ')})` : ''}`);
    return match;
}
/** `app:1`, `library/app:1` and `docker.io/library/app:1` name the same image. */
function sameImage(a, b) {
    const norm = (s) => s.replace(/^docker\.io\//, '').replace(/^library\//, '');
    return norm(a) === norm(b);
}
/** `file`, `file:image:tag`; the longest prefix that is an existing file is the archive. */
function splitArchiveSpec(spec) {
    if ((0,files/* pathKind */.gl)(spec) === 'file')
        return { file: spec };
    for (let i = spec.indexOf(':'); i > 0; i = spec.indexOf(':', i + 1)) {
        if ((0,files/* pathKind */.gl)(spec.slice(0, i)) === 'file')
            return { file: spec.slice(0, i), ref: spec.slice(i + 1) || undefined };
    }
    return { file: spec };
}
function parseJson(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* UserError */.yo(`${what} is not valid JSON`);
    }
}


/***/ }),

/***/ 1170:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openDockerDaemon: () => (/* binding */ openDockerDaemon)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2635);
/* harmony import */ var _docker_archive__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3071);




/**
 * `docker:<image>`: an image in a local Docker daemon, exported with `docker save` into a private temp file (0600,
 * removed when the push ends) and read as a docker-archive. Needs the docker CLI and a daemon; every other source is
 * daemonless.
 */
async function openDockerDaemon(image, platform, options = {}) {
    if (!image)
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo('docker: needs an image name, e.g. docker:myapp:1.0');
    const docker = await platform.which('docker');
    if (!docker) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`docker:${image} needs the docker CLI, which is not on PATH; push from files instead (oci:<dir> or docker-archive:<file>)`);
    }
    const dir = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.mkdtemp((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(platform.tempDir(), 'push-docker-'));
    await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.chmod(dir, 0o700);
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'image.tar');
    const cleanup = () => node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.rm(dir, { recursive: true, force: true });
    try {
        const result = await platform.exec(docker, ['image', 'save', '--output', file, image], {
            silent: true,
            ignoreReturnCode: true,
        });
        if (result.code !== 0) {
            const why = (result.stderr || result.stdout).trim().split('\n')[0] || `exit code ${result.code}`;
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`docker image save ${image} failed: ${why}`);
        }
        await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.chmod(file, 0o600);
        const source = await (0,_docker_archive__WEBPACK_IMPORTED_MODULE_3__.openDockerArchive)(file, options);
        return { ...source, description: `local docker image ${image}`, close: cleanup };
    }
    catch (error) {
        await cleanup();
        throw error;
    }
}


/***/ })

};
;