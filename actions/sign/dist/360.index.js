"use strict";
exports.id = 360;
exports.ids = [360];
exports.modules = {

/***/ 4360:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ sign)
});

// EXTERNAL MODULE: ./shared/capability.ts + 4 modules
var capability = __webpack_require__(3462);
// EXTERNAL MODULE: ./shared/capabilities/sign/definition.ts
var definition = __webpack_require__(5838);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http/client.ts + 1 modules
var client = __webpack_require__(371);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
// EXTERNAL MODULE: ./shared/util/clock.ts
var clock = __webpack_require__(5977);
;// CONCATENATED MODULE: ./shared/util/poll.ts

/**
 * The one poll loop: calls `attempt` until it answers a value (not undefined), with capped exponential backoff, and
 * calls `timedOut` when the deadline ends it (which throws, or answers what the caller reports instead).
 */
async function poll_pollWithBackoff(options, attempt, timedOut) {
    const clock = options.clock ?? systemClock;
    const maxDelay = options.maxDelayMs ?? options.initialDelayMs;
    const factor = options.factor ?? 2;
    const started = clock.now();
    const deadline = started + options.timeoutMs;
    let delay = options.initialDelayMs;
    if (options.startDelayMs !== undefined && options.startDelayMs > 0)
        await clock.sleep(Math.min(options.startDelayMs, Math.max(0, deadline - clock.now())));
    for (let n = 1;; n++) {
        let override;
        const overdue = options.atDeadline === 'last-poll' && clock.now() >= deadline;
        const turn = {
            attempt: n,
            elapsedMs: () => clock.now() - started,
            overdue,
            waitNext: (ms) => {
                override = ms;
            },
        };
        let value;
        try {
            value = await attempt(turn);
        }
        catch (error) {
            if (options.cutOff?.(error, turn))
                return timedOut();
            throw error;
        }
        if (value !== undefined)
            return value;
        const wait = override ?? delay;
        const left = deadline - clock.now();
        if (overdue || left <= 0)
            return timedOut();
        if (options.atDeadline !== 'last-poll' && wait >= left)
            return timedOut();
        if (wait > 0) {
            options.onWait?.(Math.min(wait, left));
            await clock.sleep(Math.min(wait, left));
        }
        if (override === undefined)
            delay = Math.min(Math.round(delay * factor), maxDelay);
    }
}

// EXTERNAL MODULE: ./shared/harbor/client.ts
var harbor_client = __webpack_require__(438);
;// CONCATENATED MODULE: ./shared/harbor/artifacts.ts






const VULN_REPORT_V11 = 'application/vnd.security.vulnerability.report; version=1.1';
const VULN_REPORT_V10 = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';
/** Harbor picks the first report type the artifact has; ask for both so Harbor 2.x of any age answers. */
const ACCEPT_VULNERABILITIES = (/* unused pure expression or super */ null && (`${VULN_REPORT_V11}, ${VULN_REPORT_V10}`));
/** Job states Harbor reports for a scan; anything else is still in progress. */
const FINISHED = new Set(['Success', 'Error', 'Stopped']);
function artifactLabel(ref) {
    return `${ref.project}/${ref.repository}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`;
}
/** `/projects/{p}/repositories/{r}/artifacts/{ref}` with `/` in the repository double-encoded, as Harbor requires. */
function artifactPath(ref) {
    // A digest's ':' is legal in a path segment; Harbor's router expects it unescaped.
    const reference = encodeURIComponent(ref.reference).replace(/%3A/gi, ':');
    return `/projects/${encodeURIComponent(ref.project)}/repositories/${(0,harbor_client/* encodeRepository */.t)(ref.repository)}/artifacts/${reference}`;
}
/** Every artifact of a repository (`project/repo`, the repository may contain `/`), with its tags. */
async function listArtifacts(harbor, repository) {
    const slash = repository.indexOf('/');
    const path = `/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${encodeRepository(repository.slice(slash + 1))}/artifacts`;
    return harbor.list(path, { with_tag: true, with_label: false, with_scan_overview: false }, `list artifacts of ${repository}`);
}
async function getArtifact(harbor, ref) {
    try {
        return await harbor.json('GET', artifactPath(ref), {
            query: { with_scan_overview: true },
            headers: { 'x-accept-vulnerabilities': ACCEPT_VULNERABILITIES },
            expected: [200],
            what: `reading artifact ${artifactLabel(ref)}`,
        });
    }
    catch (error) {
        if (error instanceof RemoteError && error.kind === 'not-found') {
            throw error.with({ advice: 'check the project, repository and reference' });
        }
        throw error;
    }
}
/** The vulnerability entry of an artifact's scan overview; undefined when Harbor has none (never scanned, or queued). */
function vulnerabilityOverview(artifact) {
    const overview = artifact.scan_overview ?? {};
    return (overview[VULN_REPORT_V11] ??
        overview[VULN_REPORT_V10] ??
        Object.entries(overview).find(([mime]) => /vuln/i.test(mime))?.[1]);
}
/**
 * Finished, and complete: for an image index Harbor merges its children's summaries, and one child's Success with
 * another's Pending reads Success while `complete_percent` stays below 100 (src/pkg/scan/vuln/util.go MergeScanStatus,
 * summary.go Merge) — that report lacks platforms, so it is not the answer yet.
 */
function isFinished(overview) {
    if (overview?.scan_status === undefined || !FINISHED.has(overview.scan_status))
        return false;
    return !(overview.scan_status === 'Success' &&
        overview.complete_percent !== undefined &&
        overview.complete_percent < 100);
}
/**
 * Asks Harbor to scan the artifact (202 Accepted, no body); the scan runs asynchronously. Harbor answers 409 when a
 * scan of the artifact is already queued or running (e.g. scan on push not yet visible in the overview): that scan is
 * the one to wait for. Returns whether a new scan was started.
 */
async function triggerScan(harbor, ref) {
    const res = await harbor.call('POST', `${artifactPath(ref)}/scan`, {
        expected: [202, 409],
        what: `starting a scan of ${artifactLabel(ref)}`,
    });
    return res.status === 202;
}
/** The scan did not produce a report (Error, Stopped, timed out, never scanned): on-scan-error decides, not the policy. */
class ScanError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'ScanError';
    }
}
/**
 * Polls the artifact until its vulnerability scan has finished, with capped exponential backoff (2 s doubling to
 * 15 s): a 2-minute scan costs about a dozen calls and the answer arrives at most 15 s late. An absent overview is a
 * scan still queued. Returns the finished overview (Success, Error or Stopped); the caller decides what each means.
 */
async function waitForScan(harbor, ref, options) {
    const timedOut = (overview) => {
        const partial = overview?.scan_status === 'Success' && overview.complete_percent !== undefined && overview.complete_percent < 100
            ? ` at ${overview.complete_percent}%: platforms of the index are not scanned yet`
            : '';
        const state = overview?.scan_status ? `still ${overview.scan_status}${partial}` : 'still queued';
        return new ScanError(`Harbor scan of ${artifactLabel(ref)} did not finish within ${Math.round(options.timeoutMs / 1000)} s (${state}); raise timeout or check Harbor's scanner`);
    };
    let last;
    // Give up when the next poll would land past the timeout: the step's own deadline (same input) would cut that
    // request off and hide what the scan's state was.
    return pollWithBackoff({
        timeoutMs: options.timeoutMs,
        initialDelayMs: options.initialDelayMs ?? 2_000,
        maxDelayMs: options.maxDelayMs ?? 15_000,
        clock: clockWith(options),
        // The step's deadline (same input, counted from the step's start, so a little ahead of this loop's clock) cut a
        // poll off: what matters is the scan's state when time ran out, which the previous poll read (if one did).
        cutOff: (error, turn) => error instanceof BudgetExceededError && turn.attempt > 1,
    }, async (turn) => {
        const overview = vulnerabilityOverview(await getArtifact(harbor, ref));
        last = overview;
        options.onPoll?.(overview, turn.elapsedMs());
        return isFinished(overview) && !sameRun(overview, options.stale) ? overview : undefined;
    }, () => {
        throw timedOut(last);
    });
}
function sameRun(a, b) {
    return b !== undefined && a.report_id === b.report_id && a.end_time === b.end_time && a.start_time === b.start_time;
}
/** The full report from `additions/vulnerabilities`, keyed by report MIME type in Harbor's answer. */
async function getVulnerabilityReport(harbor, ref) {
    const body = await harbor.json('GET', `${artifactPath(ref)}/additions/vulnerabilities`, {
        headers: { 'x-accept-vulnerabilities': ACCEPT_VULNERABILITIES },
        expected: [200],
        what: `reading the vulnerability report of ${artifactLabel(ref)}`,
    });
    const entries = Object.entries(body ?? {});
    const found = entries.find(([mime]) => mime === VULN_REPORT_V11) ??
        entries.find(([mime]) => mime === VULN_REPORT_V10) ??
        entries[0];
    if (!found || !found[1])
        throw new UserError(`Harbor has no vulnerability report for ${artifactLabel(ref)} although its scan finished`);
    return { mimeType: found[0], report: found[1] };
}
/** The scanner's log for a finished report, for explaining an Error; '' when Harbor cannot give it. */
async function getScanLog(harbor, ref, reportId) {
    try {
        const res = await harbor.call('GET', `${artifactPath(ref)}/scan/${encodeURIComponent(reportId)}/log`, {
            expected: [200],
            headers: { accept: 'text/plain' },
        });
        return res.text();
    }
    catch {
        return '';
    }
}

;// CONCATENATED MODULE: ./shared/harbor/accessories.ts


/** GET …/artifacts/{reference}/accessories (ListAccessories; needs accessory:list, which every project role has). */
function listAccessories(harbor, ref) {
    return harbor.list(`${artifactPath(ref)}/accessories`, {}, `listing the accessories of ${artifactLabel(ref)}`);
}
/**
 * Harbor's reading of a signature just written: listed under the artifact as `expected`, or a one-line reason — the
 * #1 complaint about signing with Harbor is a signature it shows as "unsigned". Harbor classifies a cosign signature
 * pushed as an OCI 1.1 referrer only from 2.11 (src/server/middleware/subject/subject.go gained the cosign config type in v2.11.0; v2.8–v2.10 list it as subject.accessory);
 * the `.sig` tag layout is recognised by every 2.x with the cosign middleware.
 */
function checkListedAsSignature(accessories, signatureDigest, expected, artifact) {
    const found = accessories.find((a) => a.digest === signatureDigest);
    if (!found) {
        throw new errors/* UserError */.yo(`Harbor does not list the signature ${signatureDigest} under ${artifact} (it lists ${accessories.length === 0 ? 'no accessories' : accessories.map((a) => `${a.type} ${a.digest.slice(0, 19)}`).join(', ')}): Harbor did not see the push as an accessory — for cosign on Harbor older than 2.11 use the .sig tag layout`);
    }
    if (found.type !== expected) {
        throw new errors/* UserError */.yo(`Harbor lists the signature ${signatureDigest} under ${artifact} as ${found.type}, not ${expected}: Harbor will show the artifact as unsigned`);
    }
    return found;
}

// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
;// CONCATENATED MODULE: ./shared/oci/reference.ts

/** OCI distribution-spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** OCI distribution-spec `<name>`: path components of lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG_RULE = 'up to 128 characters of letters, digits, _ . -, not starting with . or -';
function checkTag(tag, inputLabel) {
    if (!isTag(tag))
        throw new InputError(`Input '${inputLabel}': '${tag}' is not a valid tag (OCI tags are ${TAG_RULE})`);
    return tag;
}
function checkRepository(name, inputLabel) {
    if (!REPOSITORY.test(name) || name.length > 255) {
        throw new errors/* InputError */.dz(`Input '${inputLabel}': '${name}' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)`);
    }
    return name;
}
function isTag(value) {
    return TAG.test(value);
}
function isDigest(value) {
    return DIGEST.test(value);
}
/** Helm stores chart versions as tags; `+` (semver build metadata) is not allowed in a tag, so Helm writes `_`. */
function tagForChartVersion(version) {
    return version.replace(/\+/g, '_');
}

// EXTERNAL MODULE: ./shared/redact.ts
var redact = __webpack_require__(4781);
// EXTERNAL MODULE: ./shared/util/basic-auth.ts
var basic_auth = __webpack_require__(7740);
;// CONCATENATED MODULE: ./shared/oci/auth.ts





/**
 * Parses a WWW-Authenticate header (RFC 7235): `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
 * Prefers Bearer when a registry offers both.
 */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const challenges = [];
    let current;
    // Each step reads either `name=value` / `name="quoted"` (a parameter) or a bare token (the next challenge's scheme).
    const step = /[\s,]*(?:([A-Za-z][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))|([A-Za-z][\w.-]*))/y;
    for (let m = step.exec(header); m && m[0] !== ''; m = step.exec(header)) {
        if (m[4]) {
            const scheme = m[4].toLowerCase();
            current = scheme === 'bearer' || scheme === 'basic' ? { scheme, params: {} } : undefined;
            if (current)
                challenges.push(current);
        }
        else if (current) {
            current.params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
        }
    }
    return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}
/**
 * Registry authentication as the distribution spec and Harbor do it: ping `/v2/`, follow its challenge — Basic, or a
 * Bearer token from the token service for exactly the scopes the push needs (`repository:<repo>:pull,push` plus pull on
 * repositories to mount from). Credentials travel only in the Authorization header (robot names contain `$`).
 */
class RegistryAuth {
    http;
    baseUrl;
    credentials;
    scopes;
    onSecret;
    authorization;
    challenge;
    token;
    constructor(http, baseUrl, credentials, scopes, onSecret) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.scopes = scopes;
        this.onSecret = onSecret;
    }
    get header() {
        return this.authorization;
    }
    get who() {
        return this.credentials.username ?? 'anonymous';
    }
    /** Pings the registry and obtains credentials up front, so the first blob request does not pay for a 401. */
    async login() {
        const res = await this.http.request({ method: 'GET', url: `${this.baseUrl}/v2/` });
        if ((0,client/* answeredHtml */.l9)(res)) {
            throw new errors/* UserError */.yo(`${(0,redact/* redactUrl */.BO)(this.baseUrl)} answered HTML, not the registry API (GET /v2/ ${res.status}): is this the registry URL (a proxy or a login page in between)?`);
        }
        if (res.status === 200)
            return;
        if (res.status !== 401) {
            throw new errors/* UserError */.yo(`${this.baseUrl} is not an OCI registry: GET /v2/ answered ${res.status}${(0,client/* remoteMessage */.aT)(res) ? ` (${(0,client/* remoteMessage */.aT)(res)})` : ''}`);
        }
        const challenge = parseChallenge(res.headers['www-authenticate']);
        if (!challenge)
            throw new errors/* UserError */.yo(`${this.baseUrl} asked for authentication without a usable WWW-Authenticate challenge`);
        await this.answer(challenge);
        if (challenge.scheme === 'basic') {
            // Basic is checked by the ping itself; a wrong password must fail here, before any blob is sent.
            const check = await this.http.request({
                method: 'GET',
                url: `${this.baseUrl}/v2/`,
                headers: { authorization: this.authorization },
            });
            if (check.status === 401)
                throw this.authFailed(check);
        }
    }
    /**
     * Called when a request answered 401. Returns true when new credentials were obtained and the request should be
     * sent again (an expired token); false when it is final.
     */
    async refresh(res) {
        const challenge = parseChallenge(res.headers['www-authenticate']);
        if (!challenge)
            return false;
        if (challenge.params.error === 'insufficient_scope')
            return false;
        if (challenge.scheme === 'basic' && this.authorization?.startsWith('Basic '))
            return false;
        const before = this.authorization;
        await this.answer(challenge);
        return this.authorization !== before || challenge.scheme === 'bearer';
    }
    /** Actions the current token grants on `repository`, when the token is a JWT we can read; undefined otherwise. */
    grantedActions(repository) {
        const access = this.claims()?.access;
        if (!Array.isArray(access))
            return undefined;
        return access.filter((a) => a.type === 'repository' && a.name === repository).flatMap((a) => a.actions ?? []);
    }
    claims() {
        const payload = this.token?.split('.')[1];
        if (!payload)
            return undefined;
        try {
            return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        }
        catch {
            return undefined;
        }
    }
    /** The credentials were refused: wrong password, unknown user, expired robot. Never retried. */
    authFailed(res) {
        const { code, message } = res ? (0,remote_error/* parseRemoteBody */._z)(res.body) : {};
        return new remote_error/* RemoteError */.Hi({
            service: 'Registry',
            operation: 'login',
            status: res?.status ?? 401,
            code,
            remoteMessage: message,
            account: this.credentials.username,
            endpoint: new URL(this.baseUrl).host,
            kind: 'credentials',
            advice: 'check the username and password (robot accounts: the full name, e.g. robot$project+name)',
        });
    }
    async answer(challenge) {
        this.challenge = challenge;
        const basic = this.credentials.username !== undefined
            ? (0,basic_auth/* basicAuth */.t)(this.credentials.username, this.credentials.password)
            : undefined;
        if (challenge.scheme === 'basic') {
            if (!basic)
                throw new remote_error/* RemoteError */.Hi({
                    service: 'Registry',
                    operation: 'login',
                    status: 401,
                    endpoint: new URL(this.baseUrl).host,
                    kind: 'credentials',
                    advice: 'it requires a username and password',
                });
            this.authorization = basic;
            return;
        }
        const realm = challenge.params.realm;
        if (!realm)
            throw new errors/* UserError */.yo(`${this.baseUrl} sent a Bearer challenge without a realm`);
        const url = new URL(realm, this.baseUrl);
        if (challenge.params.service)
            url.searchParams.set('service', challenge.params.service);
        const scopes = new Set(this.scopes);
        if (challenge.params.scope)
            for (const s of challenge.params.scope.split(' '))
                scopes.add(s);
        for (const scope of scopes)
            url.searchParams.append('scope', scope);
        const res = await this.http.request({
            method: 'GET',
            url: url.toString(),
            headers: basic ? { authorization: basic } : {},
        });
        if (res.status === 401 || res.status === 403)
            throw this.authFailed(res);
        if (res.status !== 200) {
            const { code, message } = (0,remote_error/* parseRemoteBody */._z)(res.body);
            throw new remote_error/* RemoteError */.Hi({
                service: 'Token service',
                operation: `${url.origin}${url.pathname}`,
                status: res.status,
                code,
                remoteMessage: message,
                account: this.credentials.username,
            });
        }
        let body;
        try {
            body = res.json();
        }
        catch {
            throw new errors/* UserError */.yo(`Token service ${url.origin}${url.pathname} did not answer JSON`);
        }
        const token = body.token ?? body.access_token;
        if (!token)
            throw new errors/* UserError */.yo(`Token service ${url.origin}${url.pathname} answered without a token`);
        this.onSecret(token);
        this.token = token;
        this.authorization = `Bearer ${token}`;
        // Harbor treats refused credentials as anonymous and still issues a token when scopes are asked, with an empty
        // subject (src/server/middleware/security/basic_auth.go, robot.go; src/core/service/token/creator.go). Credentials
        // were sent, yet the token names nobody: they were wrong — not a missing role.
        if (this.credentials.username !== undefined && this.claims()?.sub === '')
            throw this.authFailed();
    }
    get scheme() {
        return this.challenge?.scheme;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/oci/media-types.ts
/** Media types the push path reads and writes (image-spec media-types.md, Docker v2 schema 2, Helm's OCI support). */
const MediaType = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    /** The empty descriptor's type (image-spec manifest.md "Guidance for an Empty Descriptor"): the config of artifacts. */
    ociEmpty: 'application/vnd.oci.empty.v1+json',
    ociLayer: 'application/vnd.oci.image.layer.v1.tar',
    ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json',
    dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
    dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    helmConfig: 'application/vnd.cncf.helm.config.v1+json',
    helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
};
function media_types_isIndex(mediaType) {
    return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}
function media_types_isManifest(mediaType) {
    return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}
/** The gzip variant of an uncompressed layer media type, or undefined when the type is not an uncompressed layer. */
function media_types_gzipVariant(mediaType) {
    if (mediaType === MediaType.ociLayer)
        return MediaType.ociLayerGzip;
    if (mediaType === MediaType.dockerLayer)
        return MediaType.dockerLayerGzip;
    return undefined;
}
/** Every manifest media type a registry may answer with; sent as Accept so HEAD reports the stored type. */
const MANIFEST_ACCEPT = [
    MediaType.ociManifest,
    MediaType.ociIndex,
    MediaType.dockerManifest,
    MediaType.dockerManifestList,
].join(', ');

;// CONCATENATED MODULE: ./shared/oci/image.ts



function sha256(data) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
}
/**
 * Reads a manifest or index and everything under it from a content store. Multi-arch indexes are loaded whole (every
 * child manifest), because an index pushed without its children is broken for every platform.
 */
async function loadGraph(store, descriptor, options = {}) {
    const bytes = await store.read(descriptor.digest);
    if (bytes.length !== descriptor.size && descriptor.size !== undefined) {
        throw new UserError(`${store.where}: ${descriptor.digest} is ${bytes.length} bytes, but its descriptor says ${descriptor.size}`);
    }
    if (sha256(bytes) !== descriptor.digest) {
        throw new UserError(`${store.where}: the content of ${descriptor.digest} does not match its digest (the layout is corrupt)`);
    }
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new UserError(`${store.where}: ${descriptor.digest} is not valid JSON`);
    }
    const mediaType = json.mediaType ?? descriptor.mediaType;
    const common = { platform: descriptor.platform, annotations: descriptor.annotations };
    if (isIndex(mediaType) || (json.manifests && !json.layers)) {
        const children = await Promise.all((json.manifests ?? []).map((child) => loadGraph(store, child, options)));
        const changed = children.some((c) => !c.bytes);
        return {
            mediaType,
            ...common,
            bytes: changed ? undefined : bytes,
            build: changed
                ? (_blobs, resolved) => rebuild(json, { manifests: (json.manifests ?? []).map((d, i) => ({ ...d, ...pick(resolved[i]) })) })
                : undefined,
            blobs: [],
            children,
        };
    }
    if (!isManifest(mediaType) && !json.config) {
        throw new UserError(`${store.where}: ${descriptor.digest} has media type ${mediaType}, which is neither an image manifest nor an index`);
    }
    if (!json.config)
        throw new UserError(`${store.where}: manifest ${descriptor.digest} has no config`);
    const config = store.blob(json.config, 'config');
    const layers = (json.layers ?? []).map((layer, i) => {
        const blob = store.blob(layer, `layer ${i + 1}`);
        return options.compress && gzipVariant(layer.mediaType) ? options.compress(blob) : blob;
    });
    const changed = layers.some((l, i) => l.digest !== json.layers[i].digest);
    return {
        mediaType,
        ...common,
        bytes: changed ? undefined : bytes,
        build: changed
            ? (resolved) => rebuild(json, {
                config: json.config,
                layers: resolved.slice(1).map((d, i) => ({ ...json.layers[i], ...pick(d) })),
            })
            : undefined,
        blobs: [config, ...layers],
        children: [],
    };
}
function pick(d) {
    return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}
/** A changed manifest keeps every field of the original (annotations, subject, artifactType) but the replaced ones. */
function rebuild(json, replace) {
    return Buffer.from(JSON.stringify({ ...json, ...replace }));
}

;// CONCATENATED MODULE: ./shared/oci/registry-client.ts






/**
 * The distribution-spec push endpoints for one repository: blob HEAD, cross-repository mount, upload sessions
 * (monolithic PUT, chunked PATCH with Content-Range, status GET for resuming), manifest HEAD and PUT. Every request
 * carries the registry credentials; an expired token is renewed once.
 */
class RegistryClient {
    http;
    baseUrl;
    repository;
    auth;
    constructor(http, baseUrl, repository, credentials, options) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.repository = repository;
        const scopes = [
            `repository:${repository}:pull,push`,
            ...(options.mountFrom ?? []).map((r) => `repository:${r}:pull`),
        ];
        this.auth = new RegistryAuth(http, baseUrl, credentials, scopes, options.onSecret);
    }
    get host() {
        return new URL(this.baseUrl).host;
    }
    async login() {
        await this.auth.login();
        const granted = this.auth.grantedActions(this.repository);
        if (granted !== undefined && !granted.includes('push'))
            throw this.denied();
    }
    /** Size of the blob when this repository has it. */
    async blobSize(digest) {
        const res = await this.send({
            method: 'HEAD',
            url: `/v2/${this.repository}/blobs/${digest}`,
            what: `check blob ${registry_client_short(digest)}`,
            expected: [200, 404],
        });
        return res.status === 200 ? Number(res.headers['content-length'] ?? NaN) : undefined;
    }
    /** Mounts a blob from another repository of the registry; when the registry cannot, returns the upload it opened. */
    async mount(digest, from) {
        const url = `/v2/${this.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
        const res = await this.send({
            method: 'POST',
            url,
            what: `mount ${registry_client_short(digest)} from ${from}`,
            expected: [201, 202],
            headers: { 'content-length': '0' },
        });
        return res.status === 201 ? { mounted: true } : { mounted: false, location: this.location(res) };
    }
    async startUpload() {
        const res = await this.send({
            method: 'POST',
            url: `/v2/${this.repository}/blobs/uploads/`,
            what: 'start a blob upload',
            expected: [202],
            headers: { 'content-length': '0' },
        });
        return this.location(res);
    }
    /**
     * How many bytes the registry holds for an upload session, with the location to continue at; undefined when the
     * session is gone. Distribution signs the offset into the upload URL and cancels a session whose data no longer
     * matches it (a chunk cut off half-way), so after a partial chunk this is usually undefined and the upload restarts.
     */
    async uploadStatus(location) {
        const res = await this.send({
            method: 'GET',
            url: location,
            what: 'query the upload status',
            expected: [204, 400, 404, 416],
        });
        if (res.status !== 204)
            return undefined;
        const range = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.range ?? '');
        // Distribution answers `0-0` for an empty upload too; reading it as empty at worst re-sends one byte, which the
        // registry refuses (416) and the upload restarts — never a corrupt blob.
        const end = range ? Number(range[1]) : 0;
        return { offset: end > 0 ? end + 1 : 0, location: res.headers.location ? this.location(res) : location };
    }
    /** One chunk (with Content-Range) or, with `length` undefined, a stream of unknown length; returns the next location. */
    async patch(location, body, start, length) {
        const headers = { 'content-type': 'application/octet-stream' };
        if (length !== undefined) {
            headers['content-length'] = String(length);
            headers['content-range'] = `${start}-${start + length - 1}`;
        }
        const res = await this.send({
            method: 'PATCH',
            url: location,
            headers,
            body,
            retry: false,
            what: 'upload a blob chunk',
            expected: [202],
        });
        return this.location(res);
    }
    /** Closes an upload with its digest, sending the last (or only) bytes with it; checks the digest the registry stored. */
    async complete(location, digest, body) {
        const url = new URL(location, this.baseUrl);
        url.searchParams.set('digest', digest);
        const headers = {
            'content-type': 'application/octet-stream',
            'content-length': String(body?.length ?? 0),
        };
        const res = await this.send({
            method: 'PUT',
            url: url.toString(),
            headers,
            body: body?.stream,
            retry: body === undefined,
            what: `upload blob ${registry_client_short(digest)}`,
            expected: [201],
        });
        const stored = res.headers['docker-content-digest'];
        if (stored && stored !== digest)
            throw new errors/* UserError */.yo(`The registry stored blob ${stored}, but the pushed bytes have digest ${digest}`);
    }
    async cancelUpload(location) {
        await this.send({ method: 'DELETE', url: location, what: 'cancel an upload', expected: [204, 404, 405] }).catch(() => undefined);
    }
    /** The digest of a manifest the repository has under `reference`, or undefined. */
    async manifestDigest(reference) {
        const res = await this.send({
            method: 'HEAD',
            url: `/v2/${this.repository}/manifests/${reference}`,
            headers: { accept: MANIFEST_ACCEPT },
            what: `check manifest ${registry_client_short(reference)}`,
            expected: [200, 404],
        });
        return res.status === 200 ? (res.headers['docker-content-digest'] ?? reference) : undefined;
    }
    /** The manifest the repository serves for `reference`, checked against its digest; undefined when there is none. */
    async getManifest(reference) {
        const res = await this.send({
            method: 'GET',
            url: `/v2/${this.repository}/manifests/${reference}`,
            headers: { accept: MANIFEST_ACCEPT },
            what: `get manifest ${reference}`,
            expected: [200, 404],
        });
        if (res.status === 404)
            return undefined;
        const digest = sha256(res.body);
        const served = res.headers['docker-content-digest'];
        if (served && served !== digest)
            throw new errors/* UserError */.yo(`${this.host} served ${this.repository}:${reference} with digest ${served}, but its bytes have digest ${digest}`);
        return { bytes: res.body, mediaType: (res.headers['content-type'] ?? '').split(';')[0].trim(), digest };
    }
    /**
     * The referrers API (distribution-spec v1.1 `GET /v2/<name>/referrers/<digest>`): the image index listing the
     * manifests whose subject is `digest`, or undefined when the registry does not serve the API (404), in which case
     * clients use the referrers tag schema instead — how oras-go and go-containerregistry decide.
     */
    async referrers(digest) {
        const res = await this.send({
            method: 'GET',
            url: `/v2/${this.repository}/referrers/${digest}`,
            headers: { accept: MediaType.ociIndex },
            what: `list the referrers of ${registry_client_short(digest)}`,
            expected: [200, 404],
        });
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        return res.status === 200 && type === MediaType.ociIndex ? res.body : undefined;
    }
    /** PUTs a manifest or index under a tag or digest; fails unless the registry's digest is the one computed here. */
    async putManifest(reference, mediaType, bytes, digest) {
        const res = await this.send({
            method: 'PUT',
            url: `/v2/${this.repository}/manifests/${reference}`,
            headers: { 'content-type': mediaType },
            body: bytes,
            what: `put manifest ${reference.startsWith('sha256:') ? registry_client_short(reference) : reference}`,
            expected: [201],
        });
        const stored = res.headers['docker-content-digest'];
        if (stored && stored !== digest) {
            throw new errors/* UserError */.yo(`The registry stored ${this.repository}:${reference} as ${stored}, but the pushed manifest's digest is ${digest}`);
        }
    }
    location(res) {
        const location = res.headers.location;
        if (!location)
            throw new errors/* UserError */.yo(`${this.host} answered ${res.status} without a Location header for the upload`);
        return new URL(location, this.baseUrl).toString();
    }
    async send(req) {
        const url = req.url.startsWith('/') ? `${this.baseUrl}${req.url}` : req.url;
        for (let renewed = false;; renewed = true) {
            const headers = { ...req.headers };
            if (this.auth.header)
                headers.authorization = this.auth.header;
            const res = await this.http.request({ method: req.method, url, headers, body: req.body, retry: req.retry });
            if (res.status === 401 && !renewed && (await this.auth.refresh(res)))
                continue;
            if (req.expected.includes(res.status)) {
                if ((0,client/* answeredHtml */.l9)(res))
                    throw new errors/* UserError */.yo(`${this.host} answered HTML, not the registry API (${req.what}): is this the registry URL (a proxy or a login page in between)?`);
                return res;
            }
            throw this.errorFor(res, req.what);
        }
    }
    errorFor(res, what) {
        const { code, message } = (0,remote_error/* parseRemoteBody */._z)(res.body);
        if (res.status === 401) {
            // A token was issued, so the credentials passed the token service: the refusal is about this repository.
            const insufficient = /insufficient_scope/.test(res.headers['www-authenticate'] ?? '') || this.auth.scheme === 'bearer';
            return insufficient ? this.denied({ status: 401, code, message }) : this.auth.authFailed(res);
        }
        if (res.status === 403 && (0,remote_error/* classify */.L8)(403, code) === 'permission')
            return this.denied({ status: 403, code, message });
        return new remote_error/* RemoteError */.Hi({
            service: 'Registry',
            operation: `${what} in ${this.host}/${this.repository}`,
            status: res.status,
            code,
            remoteMessage: message,
            account: this.auth.who,
            endpoint: this.host,
            retryAfter: res.headers['retry-after'],
        });
    }
    denied(answer) {
        return new remote_error/* RemoteError */.Hi({
            service: 'Registry',
            operation: `push to ${this.host}/${this.repository}`,
            status: answer?.status ?? 401,
            code: answer?.code,
            remoteMessage: answer?.message,
            account: this.auth.who,
            endpoint: this.host,
            kind: 'permission',
            advice: 'on Harbor the account needs the project role Developer or above (robot accounts: push permission on the repository)',
        });
    }
}
function registry_client_short(digest) {
    return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./shared/http/retry.ts
var retry = __webpack_require__(5129);
// EXTERNAL MODULE: ./shared/http/network-errors.ts
var network_errors = __webpack_require__(7541);
;// CONCATENATED MODULE: ./shared/util/limit.ts
/**
 * A concurrency limit: at most `limit` calls of the returned function run at once, the rest wait in order. A freed
 * slot goes straight to the next waiter, so a newcomer cannot slip in ahead of it.
 */
function limiter(limit) {
    let active = 0;
    const waiting = [];
    return async (fn) => {
        if (active < limit)
            active++;
        else
            await new Promise((resolve) => waiting.push(resolve));
        try {
            return await fn();
        }
        finally {
            const next = waiting.shift();
            if (next)
                next();
            else
                active--;
        }
    };
}
/** `fn` over `items` with at most `limit` in flight, results in the order of `items`. */
function mapLimited(items, limit, fn) {
    const run = limiter(Math.max(1, limit));
    return Promise.all(items.map((item, index) => run(() => fn(item, index))));
}

;// CONCATENATED MODULE: ./shared/oci/pusher.ts








/**
 * Pushes a manifest graph: all blobs (in parallel, skipping what the repository has, mounting what a sibling
 * repository has), then child manifests by digest, and only then the root under every tag — so no tag ever points at
 * something half-pushed. Digests are checked against the registry's at every step.
 */
class Pusher {
    registry;
    options;
    stats = {
        layers: { uploaded: 0, skipped: 0, mounted: 0 },
        bytesUploaded: 0,
        totalSize: 0,
        manifests: 0,
        elapsedMs: 0,
    };
    blobs = new Map();
    sized = new Set();
    sleep;
    /** A transfer slot; HEADs, mounts and uploads of one blob share a slot. */
    limited;
    now;
    constructor(registry, options) {
        this.registry = registry;
        this.options = options;
        this.sleep = options.sleep ?? clock/* sleep */.yy;
        this.limited = limiter(options.concurrency);
        this.now = options.now ?? Date.now;
    }
    async push(root, tags) {
        const started = this.now();
        const { descriptor, bytes } = (await this.equivalentUnderTag(root, tags)) ?? (await this.pushManifest(root, tags.length === 0));
        for (const tag of tags)
            await this.registry.putManifest(tag, descriptor.mediaType, bytes, descriptor.digest);
        this.stats.elapsedMs = this.now() - started;
        return { digest: descriptor.digest, mediaType: descriptor.mediaType, stats: this.stats };
    }
    /**
     * An image whose layers are compressed on the way has no digest until it is pushed, so the manifest HEAD cannot
     * find it. But the config lists the uncompressed layers (diff_ids): a tag that already holds a manifest with the same
     * config and the same layer types holds this very image, and a re-run is re-tagging, not re-uploading.
     */
    async equivalentUnderTag(root, tags) {
        const config = root.blobs[0];
        if (root.bytes || !root.build || root.children.length > 0 || !config?.digest)
            return undefined;
        for (const tag of tags) {
            const existing = await this.registry.getManifest(tag);
            if (!existing || existing.mediaType !== root.mediaType)
                continue;
            const json = JSON.parse(existing.bytes.toString('utf8'));
            const layers = root.blobs.slice(1);
            const same = json.config?.digest === config.digest &&
                json.layers?.length === layers.length &&
                json.layers.every((l, i) => l.mediaType === layers[i].mediaType);
            if (!same)
                continue;
            this.options.log(`  skipped all layers: ${tag} already holds this image (${registry_client_short(existing.digest)}, same config ${registry_client_short(config.digest)})`);
            this.stats.manifests++;
            this.stats.totalSize +=
                existing.bytes.length + (json.config?.size ?? 0) + json.layers.reduce((sum, l) => sum + l.size, 0);
            this.stats.layers.skipped += layers.length;
            return {
                descriptor: { mediaType: existing.mediaType, digest: existing.digest, size: existing.bytes.length },
                bytes: existing.bytes,
            };
        }
        return undefined;
    }
    /** Everything under `manifest`, then the manifest itself by digest (the root only when it has no tags). */
    async pushManifest(manifest, putByDigest) {
        if (manifest.bytes) {
            const digest = sha256(manifest.bytes);
            if ((await this.registry.manifestDigest(digest)) === digest) {
                // The registry only accepts a manifest whose blobs and children it has, so the whole graph is there.
                this.options.log(`  skipped manifest ${registry_client_short(digest)} (already in ${this.registry.repository})`);
                this.countExisting(manifest);
                return { descriptor: this.describe(manifest, digest, manifest.bytes), bytes: manifest.bytes };
            }
        }
        const [children, blobs] = await Promise.all([
            Promise.all(manifest.children.map(async (child) => (await this.pushManifest(child, true)).descriptor)),
            Promise.all(manifest.blobs.map((blob) => this.pushBlob(blob))),
        ]);
        const bytes = manifest.bytes ?? manifest.build(blobs, children);
        const digest = sha256(bytes);
        if (putByDigest)
            await this.registry.putManifest(digest, manifest.mediaType, bytes, digest);
        this.stats.manifests++;
        this.stats.totalSize += bytes.length;
        return { descriptor: this.describe(manifest, digest, bytes), bytes };
    }
    describe(manifest, digest, bytes) {
        return {
            mediaType: manifest.mediaType,
            digest,
            size: bytes.length,
            ...(manifest.platform ? { platform: manifest.platform } : {}),
        };
    }
    /** Counts a manifest found in the registry, so size and skipped layers are reported the same on every re-push. */
    countExisting(manifest) {
        this.stats.manifests++;
        this.stats.totalSize += manifest.bytes?.length ?? 0;
        for (const child of manifest.children)
            this.countExisting(child);
        for (const blob of manifest.blobs) {
            if (blob.digest && this.sized.has(blob.digest))
                continue;
            if (blob.digest)
                this.sized.add(blob.digest);
            this.stats.totalSize += blob.size ?? 0;
            if (blob.label !== 'config')
                this.stats.layers.skipped++;
        }
    }
    pushBlob(blob) {
        if (!blob.digest || blob.size === undefined)
            return this.limited(() => this.uploadStreamed(blob));
        const existing = this.blobs.get(blob.digest);
        if (existing)
            return existing;
        const digest = blob.digest;
        const size = blob.size;
        const task = this.limited(async () => {
            const { outcome, from } = await this.transfer(blob, digest, size);
            this.record(blob, outcome, digest, size, from);
            return { mediaType: blob.mediaType, digest, size };
        });
        this.blobs.set(digest, task);
        return task;
    }
    record(blob, outcome, digest, size, from) {
        if (!this.sized.has(digest)) {
            this.sized.add(digest);
            this.stats.totalSize += size;
        }
        if (blob.label !== 'config')
            this.stats.layers[outcome]++;
        if (outcome !== 'uploaded')
            this.options.log(`  ${outcome} ${blob.label} ${registry_client_short(digest)} ${formatBytes(size)}${from ? ` from ${from}` : ' (already in the repository)'}`);
    }
    async transfer(blob, digest, size) {
        if ((await this.registry.blobSize(digest)) !== undefined)
            return { outcome: 'skipped' };
        let location;
        for (const [i, from] of this.options.mountFrom.entries()) {
            const mount = await this.registry.mount(digest, from);
            if (mount.mounted)
                return { outcome: 'mounted', from };
            // The registry opened an upload instead; use it unless another repository is still to be tried.
            if (i === this.options.mountFrom.length - 1)
                location = mount.location;
            else
                await this.registry.cancelUpload(mount.location);
        }
        await this.uploadKnown(blob, digest, size, location);
        return { outcome: 'uploaded' };
    }
    /**
     * A blob of known digest and size: one PUT when it fits in a chunk, otherwise PATCHes of `chunkSize` bytes. After
     * a network error, 5xx or 429, a chunked upload asks the registry how far it got and resumes from there; a
     * monolithic one starts a new session.
     */
    async uploadKnown(blob, digest, size, opened) {
        const chunkSize = this.options.chunkSize;
        const chunked = size > chunkSize;
        const progress = this.progress(blob, digest, size);
        let location = opened ?? (await this.registry.startUpload());
        let offset = 0;
        try {
            // The budget counts failures in a row: a long upload over a flaky link keeps going as long as chunks land.
            for (let failures = 1;; failures++) {
                try {
                    if (!chunked) {
                        await this.registry.complete(location, digest, {
                            stream: () => progress.count(read(blob, 0, size)),
                            length: size,
                        });
                    }
                    else {
                        while (offset < size) {
                            const end = Math.min(offset + chunkSize, size);
                            const from = offset;
                            location = await this.registry.patch(location, () => progress.count(read(blob, from, end)), from, end - from);
                            offset = end;
                            failures = 1;
                        }
                        await this.registry.complete(location, digest);
                    }
                    this.stats.bytesUploaded += size;
                    progress.done(size);
                    return;
                }
                catch (error) {
                    await this.backoffOrThrow(error, failures, `${blob.label} ${registry_client_short(digest)}`);
                    const held = chunked ? await this.registry.uploadStatus(location) : undefined;
                    if (held === undefined || held.offset > size) {
                        await this.registry.cancelUpload(location);
                        location = await this.registry.startUpload();
                        offset = 0;
                    }
                    else {
                        ({ offset, location } = held);
                    }
                    progress.reset(offset);
                    this.options.debug(`resuming ${blob.label} ${registry_client_short(digest)} at byte ${offset}`);
                }
            }
        }
        finally {
            progress.stop();
        }
    }
    /** A blob produced on the way (gzip): streamed in one PATCH while hashed, then closed with the digest it turned out to have. */
    async uploadStreamed(blob) {
        const progress = this.progress(blob, undefined, undefined);
        try {
            for (let attempt = 1;; attempt++) {
                let hash = (0,external_node_crypto_.createHash)('sha256');
                let size = 0;
                try {
                    let location = await this.registry.startUpload();
                    // The body is opened again when the request is re-sent (a token renewed on a 401): hash only the last send.
                    const hashing = () => {
                        hash = (0,external_node_crypto_.createHash)('sha256');
                        size = 0;
                        progress.reset(0);
                        return progress.count((async function* () {
                            for await (const chunk of blob.open()) {
                                hash.update(chunk);
                                size += chunk.length;
                                yield chunk;
                            }
                        })());
                    };
                    location = await this.registry.patch(location, hashing, 0, undefined);
                    const digest = `sha256:${hash.digest('hex')}`;
                    await this.registry.complete(location, digest);
                    this.stats.bytesUploaded += size;
                    progress.done(size, digest);
                    if (!this.sized.has(digest)) {
                        this.sized.add(digest);
                        this.stats.totalSize += size;
                    }
                    if (blob.label !== 'config')
                        this.stats.layers.uploaded++;
                    return { mediaType: blob.mediaType, digest, size };
                }
                catch (error) {
                    await this.backoffOrThrow(error, attempt, blob.label);
                    progress.reset(0);
                }
            }
        }
        finally {
            progress.stop();
        }
    }
    async backoffOrThrow(error, attempt, what) {
        const attempts = this.options.attempts ?? retry/* DEFAULT_RETRY */.vI.attempts;
        const retryable = error instanceof remote_error/* RemoteError */.Hi
            ? error.retryable
            : (0,network_errors/* isRetryableNetworkError */.Hr)(error?.cause ?? error);
        if (!retryable || attempt >= attempts)
            throw error;
        const hinted = error instanceof remote_error/* RemoteError */.Hi ? (0,retry/* retryAfterMs */.Vs)(error.retryAfter, retry/* DEFAULT_RETRY */.vI.maxRetryAfterMs) : undefined;
        const delay = hinted ?? (0,retry/* backoffDelay */.EY)(attempt, retry/* DEFAULT_RETRY */.vI);
        this.options.checkWait?.(delay, `while the upload of ${what} waited for attempt ${attempt + 1} of ${attempts}`);
        this.options.debug(`upload of ${what} failed (${error.message}); attempt ${attempt + 1} of ${attempts} in ${delay} ms`);
        await this.sleep(delay);
    }
    progress(blob, digest, size) {
        const started = this.now();
        let sent = 0;
        const name = () => `${blob.label}${digest ? ` ${registry_client_short(digest)}` : ''}`;
        const timer = setInterval(() => {
            const total = size !== undefined ? ` of ${formatBytes(size)} (${Math.floor((sent / size) * 100)}%)` : '';
            this.options.log(`  uploading ${name()}: ${formatBytes(sent)}${total}`);
        }, this.options.progressIntervalMs ?? 10_000);
        timer.unref();
        return {
            /** The body as it is sent, counted; chunks pass straight through (nothing is held, see fileChunks). */
            count: async function* (chunks) {
                for await (const chunk of chunks) {
                    sent += chunk.length;
                    yield chunk;
                }
            },
            reset: (offset) => {
                sent = offset;
            },
            done: (bytes, learned) => {
                const seconds = Math.max(1, this.now() - started) / 1000;
                this.options.log(`  uploaded ${blob.label} ${registry_client_short(learned ?? digest ?? '')} ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / seconds)}/s)`);
            },
            stop: () => clearInterval(timer),
        };
    }
}
/** A known blob's bytes for an upload body: reused buffers where the source has them. */
function read(blob, start, end) {
    return blob.chunks ? blob.chunks(start, end) : blob.open(start, end);
}
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

;// CONCATENATED MODULE: ./shared/oci/artifact.ts






/** The empty JSON config (image-spec manifest.md, "Guidance for an Empty Descriptor"): `{}`, for artifacts without one. */
const EMPTY_CONFIG = { mediaType: MediaType.ociEmpty, bytes: Buffer.from('{}') };
function describe(blob) {
    return {
        mediaType: blob.mediaType,
        ...('bytes' in blob
            ? { digest: sha256(blob.bytes), size: blob.bytes.length }
            : { digest: blob.digest, size: blob.size }),
        ...(blob.annotations && Object.keys(blob.annotations).length > 0 ? { annotations: blob.annotations } : {}),
    };
}
function blobSource(blob, label) {
    const { digest, size } = describe(blob);
    return {
        mediaType: blob.mediaType,
        digest,
        size,
        open: (start = 0, end = size) => {
            // The pusher opens a blob only when the repository lacks it; one named by digest was read from this repository.
            if (!('bytes' in blob))
                throw new errors/* UserError */.yo(`Blob ${registry_client_short(digest)} (${label}) vanished from the repository while it was being written`);
            return external_node_stream_.Readable.from([blob.bytes.subarray(start, end)]);
        },
        label,
    };
}
/** Serialises the manifest in the field order go-containerregistry and oras write (the bytes are what is signed over). */
function buildArtifact(artifact) {
    const manifest = {
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        ...(artifact.artifactType ? { artifactType: artifact.artifactType } : {}),
        config: describe(artifact.config),
        layers: artifact.layers.map(describe),
        ...(artifact.subject
            ? {
                subject: {
                    mediaType: artifact.subject.mediaType,
                    digest: artifact.subject.digest,
                    size: artifact.subject.size,
                },
            }
            : {}),
        ...(artifact.annotations && Object.keys(artifact.annotations).length > 0
            ? { annotations: artifact.annotations }
            : {}),
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = sha256(bytes);
    // distribution-spec "Listing Referrers": artifactType, else the config's media type; the manifest's annotations.
    const descriptor = {
        mediaType: MediaType.ociManifest,
        digest,
        size: bytes.length,
        artifactType: artifact.artifactType ?? artifact.config.mediaType,
        ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
    };
    return {
        bytes,
        digest,
        descriptor,
        source: {
            mediaType: MediaType.ociManifest,
            bytes,
            blobs: [blobSource(artifact.config, 'config'), ...artifact.layers.map((l, i) => blobSource(l, `layer ${i + 1}`))],
            children: [],
        },
    };
}
function pusher(registry, options) {
    return new Pusher(registry, { concurrency: 2, chunkSize: 8 * 1024 * 1024, mountFrom: [], ...options });
}
/** Pushes an artifact's blobs, then its manifest under each tag (by digest when there are none). */
async function pushArtifact(registry, built, tags, options) {
    await pusher(registry, options).push(built.source, tags);
}
/** distribution-spec "Referrers Tag Schema": `<alg>-<hex>` names the index of a digest's referrers. */
function referrersTag(digest) {
    return digest.replace(':', '-');
}
/**
 * Pushes a manifest with a `subject` by digest. A registry that serves the referrers API indexes it itself; for one
 * that does not (CNCF Distribution 2.x), the referrers tag schema's index is updated, as the distribution spec asks a
 * client to do ("Pushing Manifests with Subject") — what oras and go-containerregistry read back.
 */
async function pushReferrer(registry, built, options) {
    const subject = JSON.parse(built.bytes.toString('utf8')).subject;
    if (!subject)
        throw new Error('pushReferrer needs a manifest with a subject');
    const api = (await registry.referrers(subject.digest)) !== undefined;
    await pushArtifact(registry, built, [], options);
    if (api)
        return { digest: built.digest, listedBy: 'referrers-api' };
    const tag = referrersTag(subject.digest);
    const index = await referrersTagIndex(registry, subject.digest);
    if (!index.manifests.some((m) => m.digest === built.digest)) {
        index.manifests.push(built.descriptor);
        const bytes = Buffer.from(JSON.stringify(index));
        await registry.putManifest(tag, MediaType.ociIndex, bytes, sha256(bytes));
    }
    return { digest: built.digest, listedBy: 'referrers-tag' };
}
async function referrersTagIndex(registry, digest) {
    const tag = referrersTag(digest);
    const existing = await registry.getManifest(tag);
    if (!existing)
        return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    if (existing.mediaType !== MediaType.ociIndex) {
        throw new errors/* UserError */.yo(`${registry.host}/${registry.repository}:${tag} is the referrers tag of ${registry_client_short(digest)}, but holds a ${existing.mediaType || 'manifest of unknown type'}, not an OCI index; it was not overwritten`);
    }
    const index = JSON.parse(existing.bytes.toString('utf8'));
    return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index.manifests ?? [] };
}
/** The referrers of a digest, from the referrers API or, where the registry has none, the referrers tag schema. */
async function listReferrers(registry, digest) {
    const api = await registry.referrers(digest);
    if (api)
        return JSON.parse(api.toString('utf8')).manifests ?? [];
    return (await referrersTagIndex(registry, digest)).manifests;
}

;// CONCATENATED MODULE: ./shared/sign/attach.ts




/**
 * SBOM media types, as registered with IANA and written by syft, trivy and `oras attach` users (and what `docker
 * buildx` and Microsoft's ACR docs use as artifactType): CycloneDX JSON and SPDX JSON.
 */
const SbomMediaType = {
    cyclonedx: 'application/vnd.cyclonedx+json',
    spdx: 'application/spdx+json',
};
/** The SBOM's media type, decided from its content: CycloneDX has `bomFormat: "CycloneDX"`, SPDX an `spdxVersion`. */
function sbomMediaType(bytes, label) {
    let doc;
    try {
        doc = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new errors/* InputError */.dz(`Input '${label}': the SBOM is not JSON (a CycloneDX or SPDX JSON document is expected)`);
    }
    const fields = doc && typeof doc === 'object' ? doc : {};
    if (fields.bomFormat === 'CycloneDX')
        return SbomMediaType.cyclonedx;
    if (typeof fields.spdxVersion === 'string' && fields.spdxVersion.startsWith('SPDX-'))
        return SbomMediaType.spdx;
    throw new errors/* InputError */.dz(`Input '${label}': the JSON is neither a CycloneDX SBOM (bomFormat "CycloneDX") nor an SPDX one (spdxVersion "SPDX-…")`);
}
/**
 * Attaches one file as an OCI 1.1 referrer of `subject` (image-spec manifest.md "artifact usage": empty config,
 * artifactType, the file as the only layer). A referrer of the same artifactType holding the same bytes is reused.
 */
async function attachFile(req) {
    const { registry, subject } = req;
    const layerDigest = sha256(req.bytes);
    for (const referrer of await listReferrers(registry, subject.digest)) {
        if (referrer.artifactType !== req.artifactType)
            continue;
        const manifest = await registry.getManifest(referrer.digest);
        const layers = manifest
            ? (JSON.parse(manifest.bytes.toString('utf8')).layers ?? [])
            : [];
        if (layers.length === 1 && layers[0].digest === layerDigest)
            return { digest: referrer.digest, existing: true };
    }
    const built = buildArtifact({
        artifactType: req.artifactType,
        config: EMPTY_CONFIG,
        layers: [
            {
                mediaType: req.artifactType,
                bytes: req.bytes,
                annotations: { 'org.opencontainers.image.title': (0,external_node_path_.basename)(req.fileName) },
            },
        ],
        subject,
        annotations: { 'org.opencontainers.image.created': req.created },
    });
    const pushed = await pushReferrer(registry, built, req.push);
    return { ...pushed, existing: false };
}

;// CONCATENATED MODULE: ./shared/sign/cosign.ts




/** What cosign writes (sigstore/cosign pkg/types/media.go, pkg/oci/static/signature.go, internal/pkg/oci/remote). */
const Cosign = {
    simpleSigningMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    signatureAnnotation: 'dev.cosignproject.cosign/signature',
    /** `ociexperimental.ArtifactType("sig")`: the artifactType and config type of a signature written as a referrer. */
    signatureArtifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    signatureType: 'cosign container image signature',
};
/** cosign's signature tag for a digest (pkg/oci/remote: `sha256-<hex>.sig`). */
function signatureTag(digest) {
    return `${digest.replace(':', '-')}.sig`;
}
/**
 * The Simple Signing payload cosign signs (sigstore/sigstore pkg/signature/payload: Cosign.SimpleContainerImage),
 * serialised as Go's encoding/json does: struct fields in declaration order, `optional` null when there is none.
 * `dockerReference` is `<registry>/<repository>` (name.Repository.Name()), as cosign writes it without a claimed identity.
 */
function simpleSigningPayload(dockerReference, digest) {
    return Buffer.from(JSON.stringify({
        critical: {
            identity: { 'docker-reference': dockerReference },
            image: { 'docker-manifest-digest': digest },
            type: Cosign.signatureType,
        },
        optional: null,
    }));
}
/** ECDSA over SHA-256, ASN.1 DER, base64: the `dev.cosignproject.cosign/signature` annotation's value. */
function signPayload(payload, key) {
    return (0,external_node_crypto_.sign)('sha256', payload, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
}
function signedBy(payload, signature, key) {
    if (!signature)
        return false;
    try {
        return (0,external_node_crypto_.verify)('sha256', payload, { key: key.publicKeyPem, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    }
    catch {
        return false;
    }
}
/**
 * The config go-containerregistry writes for cosign's signature image (empty.Image plus one layer per signature):
 * the layers' digests as diff_ids (the payloads are not compressed) and zero times.
 */
function signatureConfig(layers) {
    return Buffer.from(JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
        os: '',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        config: {},
    }));
}
/**
 * Signs `subject` with a cosign key pair and writes the signature as cosign does. Like cosign's duplicate detector
 * (pkg/oci/mutate with a dupe detector), a layer that already holds this payload signed by this key is kept and
 * nothing is written, so re-running a pipeline does not pile up signatures; other signatures are kept beside ours.
 */
async function signWithCosignKey(req) {
    const { registry, subject, key } = req;
    const payload = simpleSigningPayload(`${registry.host}/${registry.repository}`, subject.digest);
    const payloadDigest = sha256(payload);
    const ours = (layer) => layer.mediaType === Cosign.simpleSigningMediaType &&
        layer.digest === payloadDigest &&
        signedBy(payload, layer.annotations?.[Cosign.signatureAnnotation], key);
    const fresh = () => ({
        mediaType: Cosign.simpleSigningMediaType,
        bytes: payload,
        annotations: { [Cosign.signatureAnnotation]: signPayload(payload, key) },
    });
    if (req.layout === 'tag') {
        const tag = signatureTag(subject.digest);
        const existing = await registry.getManifest(tag);
        const previous = existing ? (JSON.parse(existing.bytes.toString('utf8')).layers ?? []) : [];
        if (existing && previous.some(ours)) {
            return { manifestDigest: existing.digest, location: tag, layout: 'tag', existing: true, payload };
        }
        const layers = [
            ...previous.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations })),
            fresh(),
        ];
        const built = buildArtifact({
            config: { mediaType: MediaType.ociConfig, bytes: signatureConfig(layers.map(descriptorOf)) },
            layers,
        });
        await pushArtifact(registry, built, [tag], req.push);
        return { manifestDigest: built.digest, location: tag, layout: 'tag', existing: false, payload };
    }
    for (const referrer of await listReferrers(registry, subject.digest)) {
        if (referrer.artifactType !== Cosign.signatureArtifactType)
            continue;
        const manifest = await registry.getManifest(referrer.digest);
        const layers = manifest ? (JSON.parse(manifest.bytes.toString('utf8')).layers ?? []) : [];
        if (layers.some(ours)) {
            return {
                manifestDigest: referrer.digest,
                location: referrer.digest,
                layout: 'referrer',
                existing: true,
                payload,
            };
        }
    }
    const layer = fresh();
    const built = buildArtifact({
        artifactType: Cosign.signatureArtifactType,
        config: { mediaType: Cosign.signatureArtifactType, bytes: signatureConfig([descriptorOf(layer)]) },
        layers: [layer],
        subject,
    });
    await pushReferrer(registry, built, req.push);
    return { manifestDigest: built.digest, location: built.digest, layout: 'referrer', existing: false, payload };
}
function descriptorOf(blob) {
    return 'bytes' in blob
        ? { mediaType: blob.mediaType, digest: sha256(blob.bytes), size: blob.bytes.length }
        : { mediaType: blob.mediaType, digest: blob.digest, size: blob.size };
}

// EXTERNAL MODULE: ./node_modules/tweetnacl/nacl-fast.js
var nacl_fast = __webpack_require__(668);
var nacl_fast_default = /*#__PURE__*/__webpack_require__.n(nacl_fast);
;// CONCATENATED MODULE: ./shared/sign/keys.ts



const ENCRYPTED_TYPES = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
const PLAIN_TYPES = ['EC PRIVATE KEY', 'PRIVATE KEY'];
/**
 * The scrypt parameter sets go-securesystemslib's `encrypted` package accepts (legacy, standard, OWASP); anything
 * else is refused before any work, as CheckParams does, so a crafted key file cannot make the step allocate gigabytes.
 */
const SCRYPT_PARAMS = [
    { N: 32768, r: 8, p: 1 },
    { N: 65536, r: 8, p: 1 },
    { N: 131072, r: 8, p: 1 },
];
async function loadSigningKey(pem, password, labels) {
    const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
    if (!block) {
        throw new errors/* InputError */.dz(`Input '${labels.key}': not a PEM private key (no '-----BEGIN … PRIVATE KEY-----' block)`);
    }
    const [, type, body] = block;
    let privateKey;
    if (ENCRYPTED_TYPES.includes(type)) {
        if (password === undefined) {
            throw new errors/* InputError */.dz(`Input '${labels.key}' is a cosign encrypted key; set '${labels.password}' to its password (an empty password is allowed if the key was made with one)`);
        }
        const der = await decryptCosignKey(Buffer.from(body.replace(/\s+/g, ''), 'base64'), password, labels);
        privateKey = parseKey(() => (0,external_node_crypto_.createPrivateKey)({ key: der, format: 'der', type: 'pkcs8' }), labels);
    }
    else if (PLAIN_TYPES.includes(type)) {
        privateKey = parseKey(() => (0,external_node_crypto_.createPrivateKey)({ key: block[0], format: 'pem' }), labels);
    }
    else {
        throw new errors/* InputError */.dz(`Input '${labels.key}': a '${type}' PEM block is not a supported private key (expected EC PRIVATE KEY, PRIVATE KEY or ENCRYPTED SIGSTORE PRIVATE KEY)`);
    }
    const details = privateKey.asymmetricKeyDetails;
    if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
        const what = privateKey.asymmetricKeyType === 'ec' ? `EC ${details?.namedCurve ?? '?'}` : privateKey.asymmetricKeyType;
        throw new errors/* InputError */.dz(`Input '${labels.key}': a ${what} key is not supported; use an ECDSA P-256 key (what 'cosign generate-key-pair' makes)`);
    }
    const publicKeyPem = (0,external_node_crypto_.createPublicKey)(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    return { privateKey, publicKeyPem };
}
function parseKey(parse, labels) {
    try {
        return parse();
    }
    catch {
        // Node's message may quote key material; say only what the user can act on.
        throw new errors/* InputError */.dz(`Input '${labels.key}': the private key cannot be parsed (is the PEM block complete?)`);
    }
}
/**
 * go-securesystemslib `encrypted.Decrypt`: the PEM body is JSON with a scrypt KDF (N, r, p, 32-byte salt) and a NaCl
 * secretbox (XSalsa20-Poly1305, 24-byte nonce); the key is scrypt(password, salt) of 32 bytes; the plaintext is the
 * PKCS #8 DER of the private key. Node's crypto has scrypt but not XSalsa20, hence tweetnacl's secretbox.
 */
async function decryptCosignKey(json, password, labels) {
    let file;
    try {
        file = JSON.parse(json.toString('utf8'));
    }
    catch {
        throw new errors/* InputError */.dz(`Input '${labels.key}': the encrypted key's content is not cosign's JSON key format`);
    }
    if (file.kdf?.name !== 'scrypt' || file.cipher?.name !== 'nacl/secretbox') {
        throw new errors/* InputError */.dz(`Input '${labels.key}': unsupported key encryption (kdf '${String(file.kdf?.name)}', cipher '${String(file.cipher?.name)}'; cosign uses scrypt and nacl/secretbox)`);
    }
    const params = file.kdf.params ?? {};
    if (!SCRYPT_PARAMS.some((s) => s.N === params.N && s.r === params.r && s.p === params.p)) {
        throw new errors/* InputError */.dz(`Input '${labels.key}': unsupported scrypt parameters in the encrypted key`);
    }
    const salt = Buffer.from(file.kdf.salt ?? '', 'base64');
    const nonce = Buffer.from(file.cipher.nonce ?? '', 'base64');
    const box = Buffer.from(file.ciphertext ?? '', 'base64');
    if (nonce.length !== (nacl_fast_default()).secretbox.nonceLength || box.length <= (nacl_fast_default()).secretbox.overheadLength) {
        throw new errors/* InputError */.dz(`Input '${labels.key}': the encrypted key is truncated or malformed`);
    }
    const { N, r, p } = params;
    const key = await new Promise((resolve, reject) => 
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below cosign's standard N = 2^16.
    (0,external_node_crypto_.scrypt)(Buffer.from(password, 'utf8'), salt, (nacl_fast_default()).secretbox.keyLength, { N, r, p, maxmem: 256 * N * r }, (e, k) => e ? reject(e) : resolve(k)));
    const opened = nacl_fast_default().secretbox.open(new Uint8Array(box), new Uint8Array(nonce), new Uint8Array(key));
    key.fill(0);
    if (!opened) {
        // secretbox cannot tell a wrong password from a damaged file: both fail the authenticator.
        throw new errors/* InputError */.dz(`Input '${labels.password}': the password does not decrypt the key in '${labels.key}' (wrong password, or a damaged key file)`);
    }
    return Buffer.from(opened);
}

;// CONCATENATED MODULE: ./shared/capabilities/sign/layout.ts

/**
 * `harbor_version` is `<ReleaseVersion>-<GitCommit>` (src/controller/systeminfo/controller.go GetInfo; the Makefile
 * stamps both), e.g. `v2.15.2-080b0220`. A development build (`dev-…`) or anything else is no release: undefined.
 */
function parseHarborVersion(text) {
    const m = text === undefined ? null : /^v?(\d+)\.(\d+)\.(\d+)(?:$|[-+])/.exec(text.trim());
    if (!m)
        return undefined;
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: text.trim() };
}
const atLeast = (r, major, minor) => r.major > major || (r.major === major && r.minor >= minor);
/**
 * Which layouts a Harbor release lists as `signature.cosign` (goharbor/harbor tags, read per release):
 * - the `.sig` tag: src/server/middleware/cosign/cosign.go, from v2.5.0 on (still in v2.15.2 and on main);
 * - the OCI 1.1 referrer: src/server/middleware/subject/subject.go types a manifest with a subject by its config media
 *   type `application/vnd.dev.cosign.artifact.sig.v1+json` only from v2.11.0; v2.8–v2.10 list it as
 *   `subject.accessory` (Harbor shows the image as unsigned) and before v2.8 there is no subject middleware at all.
 */
function listsAsSignature(release, layout) {
    return layout === 'tag' ? atLeast(release, 2, 5) : atLeast(release, 2, 11);
}
/**
 * The layout to write. `auto` (the default) picks the `.sig` tag on every Harbor: every release from 2.5 lists it as a
 * signature, plain `cosign verify --key` and admission controllers read it without an OCI 1.1 flag, and Harbor's
 * replication (src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts) copies it with its tag to any registry, where
 * a referrer is found only through a referrers API the destination may not have. Harbor's version decides the rest:
 * from 2.11, where the referrer is a signature too, a `.sig` tag refused by an immutability rule (a second key signing,
 * src/server/middleware/immutable/pushmf.go) is written as a referrer instead; an explicit `referrer` on a Harbor that
 * would not list it as a signature is refused before anything is written when the step is to check Harbor's listing.
 * An unknown version (systeminfo shows it only to an authenticated caller; a proxy may hide the API) gets the `.sig` tag
 * and no fallback: the one layout every Harbor since 2.5 lists.
 */
function chooseLayout(requested, release, options) {
    const version = release ? `Harbor ${release.text}` : undefined;
    if (requested !== 'auto') {
        if (release && options.verifyInHarbor && !listsAsSignature(release, requested)) {
            throw new errors/* InputError */.dz(`Input '${options.layoutLabel}': ${version} does not list a cosign signature in the ${requested} layout as signature.cosign (${requested === 'referrer' ? 'referrers from Harbor 2.11' : '.sig tags from Harbor 2.5'}); use '${requested === 'referrer' ? 'tag' : 'referrer'}' or 'auto', or set '${options.verifyLabel}' to false`);
        }
        return { layout: requested, reason: `layout '${requested}' as set`, referrerFallback: false };
    }
    if (!release) {
        return {
            layout: 'tag',
            reason: "Harbor's version is not shown (systeminfo answers it only to a signed-in account): the .sig tag, which every Harbor from 2.5 lists as a signature",
            referrerFallback: false,
        };
    }
    if (!listsAsSignature(release, 'tag')) {
        if (options.verifyInHarbor) {
            throw new errors/* InputError */.dz(`${version} lists no cosign signature as signature.cosign (from Harbor 2.5); set '${options.verifyLabel}' to false to sign anyway`);
        }
        return { layout: 'tag', reason: `${version} predates cosign accessories: the .sig tag`, referrerFallback: false };
    }
    const both = listsAsSignature(release, 'referrer');
    return {
        layout: 'tag',
        reason: both
            ? `${version} lists both layouts as signatures: the .sig tag, which plain cosign verify reads and any copy keeps`
            : `${version} lists only the .sig tag layout as a signature (referrers from Harbor 2.11)`,
        referrerFallback: both,
    };
}

;// CONCATENATED MODULE: ./shared/capabilities/sign/run.ts














/**
 * The sign step: every input is judged locally first (repository, reference, key, password, SBOM), so a bad key or a
 * missing file fails before anything is written; then the reference is resolved to its digest, the digest is signed
 * with the cosign key, the SBOM attached, and Harbor's own listing of the artifact's accessories is read back.
 */
async function runSign(settings, ctx) {
    const { platform } = ctx;
    const name = ctx.label;
    // Runners mask line by line (task-lib refuses a multi-line secret): every line of the PEM body is registered before
    // the key is parsed. The BEGIN/END markers are not secret. The password is a secret input, masked when read.
    for (const line of settings.cosignKey.split(/\r?\n/)) {
        const text = line.trim();
        if (text && !text.startsWith('-----'))
            platform.setSecret(text);
    }
    if (settings.password)
        platform.setSecret(settings.password);
    const repository = checkRepository(settings.repository, name('repository'));
    const slash = repository.indexOf('/');
    if (slash < 0) {
        throw new errors/* InputError */.dz(`Input '${name('repository')}' must name the project too, e.g. library/web (got '${repository}')`);
    }
    const reference = settings.reference;
    if (!isDigest(reference) && !isTag(reference)) {
        throw new errors/* InputError */.dz(`Input '${name('reference')}' must be a tag or a sha256:<64 hex> digest (got '${reference}')`);
    }
    const key = await loadSigningKey(settings.cosignKey, settings.cosignKeyPassword, {
        key: name('cosign-key'),
        password: name('cosign-key-password'),
    });
    const sbom = settings.sbom === undefined ? undefined : await readSbom(settings.sbom, platform, name('sbom'));
    const { harbor, http } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, settings, {
        timeoutMs: Math.min(60_000, settings.timeout),
        budget: { ms: settings.timeout, input: name('timeout') },
    });
    try {
        const registry = new RegistryClient(http, settings.harborUrl, repository, { username: settings.username, password: settings.password }, { onSecret: (v) => platform.setSecret(v) });
        const host = registry.host;
        // Harbor's version decides the layout (./layout.ts) — read before anything is written, so a layout this Harbor
        // would not list as a signature is refused with nothing half-written.
        const requested = settings.layout;
        const release = requested === 'auto' || settings.verifyInHarbor ? parseHarborVersion(await harbor.harborVersion()) : undefined;
        const choice = chooseLayout(requested, release, {
            verifyInHarbor: settings.verifyInHarbor,
            layoutLabel: name('layout'),
            verifyLabel: name('verify-in-harbor'),
        });
        platform.info(`Signature layout: ${choice.layout} (${choice.reason})`);
        await registry.login();
        const manifest = await registry.getManifest(reference);
        if (!manifest)
            throw new errors/* UserError */.yo(`${host}/${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
        const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
        const artifact = `${host}/${repository}@${subject.digest}`;
        if (!isDigest(reference))
            platform.info(`${repository}:${reference} is ${subject.digest}`);
        const push = { log: (m) => platform.info(m), debug: (m) => platform.debug(m) };
        const sign = (layout) => signWithCosignKey({ registry, subject, key, layout, push });
        let signature;
        try {
            signature = await sign(choice.layout);
        }
        catch (error) {
            // A tag immutability rule matching the .sig tag refuses its rewrite when another key signs (412,
            // src/server/middleware/immutable/pushmf.go); from Harbor 2.11 the referrer layout is a signature as well.
            if (!(choice.referrerFallback && error instanceof remote_error/* RemoteError */.Hi && error.status === 412))
                throw error;
            platform.warning(`Harbor refused to rewrite ${artifact}'s signature tag (an immutable tag rule matches it): writing the signature as an OCI 1.1 referrer, which ${release.text} lists as a signature too (cosign verify finds it with --experimental-oci11)`);
            signature = await sign('referrer');
        }
        platform.info(signature.existing
            ? `${artifact} already carries this key's signature (${signature.manifestDigest}); nothing written`
            : `Signed ${artifact}: ${signature.layout === 'tag' ? `tag ${signature.location}` : 'referrer'} ${signature.manifestDigest}`);
        ctx.setOutput('digest', subject.digest);
        ctx.setOutput('signature-digest', signature.manifestDigest);
        let sbomDigest;
        if (sbom) {
            const attached = await attachFile({
                registry,
                subject,
                artifactType: sbom.mediaType,
                bytes: sbom.bytes,
                fileName: sbom.fileName,
                created: new Date(ctx.clock.now()).toISOString(),
                push,
            });
            sbomDigest = attached.digest;
            platform.info(`${attached.existing ? 'SBOM already attached' : 'Attached SBOM'} (${sbom.mediaType}): ${attached.digest}`);
            ctx.setOutput('sbom-digest', attached.digest);
        }
        let listedAs = 'not checked';
        if (settings.verifyInHarbor) {
            const ref = {
                project: repository.slice(0, slash),
                repository: repository.slice(slash + 1),
                reference: subject.digest,
            };
            const accessories = await listAccessories(harbor, ref);
            listedAs = checkListedAsSignature(accessories, signature.manifestDigest, 'signature.cosign', artifact).type;
            platform.info(`Harbor lists the signature as ${listedAs}`);
        }
        await platform.addSummary([
            `### Signed \`${host}/${repository}\``,
            '',
            '| | |',
            '| --- | --- |',
            `| Digest | \`${subject.digest}\` |`,
            `| Signature | \`${signature.manifestDigest}\` (${signature.layout === 'tag' ? `\`${signature.location}\`` : 'referrer'}) |`,
            `| Harbor lists it as | ${listedAs} |`,
            ...(sbomDigest ? [`| SBOM | \`${sbomDigest}\` |`] : []),
            '',
        ].join('\n'));
    }
    finally {
        await http.close();
    }
}
async function readSbom(file, platform, label) {
    let bytes;
    try {
        bytes = await (0,promises_.readFile)((0,capability/* workspacePath */.X5)(platform, file));
    }
    catch (error) {
        throw new errors/* InputError */.dz(`Input '${label}': cannot read ${file} (${error.code ?? 'error'})`);
    }
    return { bytes, mediaType: sbomMediaType(bytes, label), fileName: (0,external_node_path_.basename)(file) };
}

;// CONCATENATED MODULE: ./shared/capabilities/sign/index.ts



/* harmony default export */ const sign = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, runSign));


/***/ })

};
;