"use strict";
exports.id = 652;
exports.ids = [652];
exports.modules = {

/***/ 5652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openHelmChart: () => (/* binding */ openHelmChart)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var tar_stream__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6118);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8815);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2635);
/* harmony import */ var _image__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3697);
/* harmony import */ var _media_types__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(9112);
/* harmony import */ var _reference__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(7121);
/* harmony import */ var _file_range__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(8324);












const PROVENANCE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** Helm writes the config as its chart.Metadata struct in JSON; this is that struct's field order. */
const METADATA_FIELDS = [
    'name',
    'home',
    'sources',
    'version',
    'description',
    'keywords',
    'maintainers',
    'icon',
    'apiVersion',
    'condition',
    'tags',
    'appVersion',
    'deprecated',
    'annotations',
    'kubeVersion',
    'dependencies',
    'type',
];
/**
 * `chart:<file.tgz>`: a packaged Helm chart as an OCI artifact with Helm's media types (config
 * `application/vnd.cncf.helm.config.v1+json`, one chart layer, the `.prov` file as a second layer when it lies next
 * to the chart), so `helm pull oci://…` and Harbor's chart view read it. The repository defaults to the chart name and
 * the tag to its version, as `helm push` does. No creation time is written, so the same chart always has the same digest.
 */
async function openHelmChart(file) {
    let size;
    try {
        size = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file).size;
    }
    catch {
        throw new _errors__WEBPACK_IMPORTED_MODULE_7__/* .UserError */ .yo(`Chart ${file} does not exist; package it with helm package first`);
    }
    const chartYaml = await readChartYaml(file);
    let metadata;
    try {
        metadata = (0,yaml__WEBPACK_IMPORTED_MODULE_6__/* .parse */ .qg)(chartYaml);
    }
    catch (error) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_7__/* .UserError */ .yo(`${file}: Chart.yaml is not valid YAML (${error.message.split('\n')[0]})`);
    }
    if (!metadata?.name || !metadata.version)
        throw new _errors__WEBPACK_IMPORTED_MODULE_7__/* .UserError */ .yo(`${file}: Chart.yaml must have a name and a version`);
    const version = String(metadata.version);
    const configBytes = Buffer.from(JSON.stringify(orderedMetadata({ ...metadata, version })));
    const chartBytes = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.readFile(file);
    const blob = (mediaType, bytes, label, path) => ({
        mediaType,
        digest: (0,_image__WEBPACK_IMPORTED_MODULE_8__/* .sha256 */ .s)(bytes),
        size: bytes.length,
        label,
        open: (start = 0, end = bytes.length) => (0,_file_range__WEBPACK_IMPORTED_MODULE_11__/* .fileRange */ .Yj)(path, start, end),
    });
    const config = {
        ...blob(_media_types__WEBPACK_IMPORTED_MODULE_9__/* .MediaType */ .zu.helmConfig, configBytes, 'config', file),
        open: (start = 0, end = configBytes.length) => node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable.from([configBytes.subarray(start, end)]),
    };
    const layers = [blob(_media_types__WEBPACK_IMPORTED_MODULE_9__/* .MediaType */ .zu.helmChart, chartBytes, `chart ${node_path__WEBPACK_IMPORTED_MODULE_1__.posix.basename(file)}`, file)];
    const provFile = `${file}.prov`;
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(provFile))
        layers.push(blob(PROVENANCE, await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.readFile(provFile), 'provenance', provFile));
    const annotations = {
        'org.opencontainers.image.title': metadata.name,
        'org.opencontainers.image.version': version,
    };
    if (metadata.description)
        annotations['org.opencontainers.image.description'] = metadata.description;
    if (metadata.home)
        annotations['org.opencontainers.image.url'] = metadata.home;
    if (metadata.sources?.[0])
        annotations['org.opencontainers.image.source'] = metadata.sources[0];
    const authors = (metadata.maintainers ?? [])
        .map((m) => (m.email ? `${m.name} (${m.email})` : m.name))
        .filter(Boolean);
    if (authors.length)
        annotations['org.opencontainers.image.authors'] = authors.join(', ');
    const manifest = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: _media_types__WEBPACK_IMPORTED_MODULE_9__/* .MediaType */ .zu.ociManifest,
        config: { mediaType: _media_types__WEBPACK_IMPORTED_MODULE_9__/* .MediaType */ .zu.helmConfig, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
        annotations,
    }));
    return {
        description: `Helm chart ${metadata.name} ${version} (${file}, ${size} bytes)`,
        root: { mediaType: _media_types__WEBPACK_IMPORTED_MODULE_9__/* .MediaType */ .zu.ociManifest, bytes: manifest, blobs: [config, ...layers], children: [] },
        suggested: { repository: metadata.name, tag: (0,_reference__WEBPACK_IMPORTED_MODULE_10__/* .tagForChartVersion */ .mj)(version) },
        close: async () => undefined,
    };
}
function orderedMetadata(metadata) {
    const out = {};
    for (const key of METADATA_FIELDS)
        if (metadata[key] !== undefined && metadata[key] !== null && metadata[key] !== '')
            out[key] = metadata[key];
    return out;
}
/** Chart.yaml of the chart's top-level directory (`<name>/Chart.yaml`), not of a bundled dependency. */
async function readChartYaml(file) {
    let found;
    const parser = (0,tar_stream__WEBPACK_IMPORTED_MODULE_5__.extract)();
    parser.on('entry', (header, stream, next) => {
        const parts = node_path__WEBPACK_IMPORTED_MODULE_1__.posix.normalize(header.name).split('/');
        if (found === undefined && parts.length === 2 && parts[1] === 'Chart.yaml' && header.type === 'file') {
            const chunks = [];
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', () => {
                found = Buffer.concat(chunks).toString('utf8');
                next();
            });
        }
        else {
            stream.on('end', () => next());
            stream.resume();
        }
    });
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file), (0,node_zlib__WEBPACK_IMPORTED_MODULE_4__.createGunzip)(), parser);
    }
    catch (error) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_7__/* .UserError */ .yo(`${file} is not a packaged Helm chart (.tgz): ${error.message}`);
    }
    if (found === undefined)
        throw new _errors__WEBPACK_IMPORTED_MODULE_7__/* .UserError */ .yo(`${file} is not a packaged Helm chart: no <name>/Chart.yaml inside`);
    return found;
}


/***/ })

};
;