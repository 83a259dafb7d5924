"use strict";
exports.id = 71;
exports.ids = [71];
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
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: ./shared/oci/file-range.ts
var file_range = __webpack_require__(8324);
;// CONCATENATED MODULE: ./shared/oci/sources/tar-index.ts






const MAX_LINK_DEPTH = 16;
/**
 * The entries of an uncompressed tar file, indexed in one pass, so every entry can be streamed later straight from
 * the file (in parallel, and again for a retry) without unpacking the archive anywhere. Names that escape the
 * archive (absolute, `..`) and links that point out of it are refused.
 */
class TarIndex {
    file;
    entries;
    constructor(file, entries) {
        this.file = file;
        this.entries = entries;
    }
    static async open(file) {
        const entries = new Map();
        const parser = (0,tar_stream.extract)();
        parser.on('entry', (header, stream, next) => {
            // A refused entry destroys the parser, and with it this stream; the pipeline reports the reason.
            stream.on('error', () => undefined);
            try {
                const name = safeName(header.name, file);
                if (header.byteOffset === undefined)
                    throw new errors/* UserError */.yo(`${file}: cannot locate entry ${name}`);
                // Checked for every link, used or not: an archive that reaches outside itself is not one to trust.
                if (header.type === 'symlink' && header.linkname)
                    resolveLink(external_node_path_.posix.dirname(name), header.linkname, name, file);
                if (header.type === 'link' && header.linkname)
                    resolveLink('', header.linkname, name, file);
                entries.set(name, {
                    name,
                    type: header.type,
                    size: header.size,
                    offset: header.byteOffset,
                    linkname: header.linkname,
                });
            }
            catch (error) {
                stream.resume();
                next(error);
                return;
            }
            stream.on('end', () => next());
            stream.resume();
        });
        try {
            await (0,promises_.pipeline)((0,external_node_fs_.createReadStream)(file, { highWaterMark: file_range/* READ_CHUNK */.vA }), parser);
        }
        catch (error) {
            if (error instanceof errors/* UserError */.yo)
                throw error;
            const code = error.code;
            throw new errors/* UserError */.yo(code === 'ENOENT'
                ? `Archive ${file} does not exist`
                : `${file} is not a readable tar archive (${code ?? error.message})`);
        }
        return new TarIndex(file, entries);
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


/***/ })

};
;