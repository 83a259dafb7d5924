"use strict";
exports.id = 572;
exports.ids = [572];
exports.modules = {

/***/ 1572:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ push)
});

// EXTERNAL MODULE: ./shared/capability.ts + 3 modules
var capability = __webpack_require__(2307);
// EXTERNAL MODULE: ./shared/capabilities/push/definition.ts
var definition = __webpack_require__(1929);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
// EXTERNAL MODULE: ./shared/harbor/client.ts
var harbor_client = __webpack_require__(438);
;// CONCATENATED MODULE: ./shared/harbor/projects.ts


/** Harbor project names (swagger ProjectReq.project_name; Harbor validates lower-case, digits and . _ - inside). */
const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
function isValidProjectName(name) {
    return name.length <= 255 && PROJECT_NAME.test(name);
}
/**
 * Whether the project exists, as the account sees it: `GET /projects?q=name=<name>` (an exact match). Not HEAD
 * /projects: in OIDC mode Harbor accepts a user's CLI secret only on the token service, /v2/, project creation and a
 * few GETs, listing projects among them (src/server/middleware/security/oidc_cli.go valid); on HEAD the request would
 * run as anonymous and fail with 401.
 */
async function projectExists(client, name) {
    const found = await client.list('/projects', { q: (0,harbor_client/* exactQuery */.OS)('name', name) }, `check project ${name}`);
    return found.some((p) => p.name === name);
}
/**
 * Makes sure a project exists: look it up, then POST when missing. Another pipeline creating it in between answers 409,
 * which is success too. An existing project is left as it is (its visibility is the owner's choice, not the push's).
 */
async function ensureProject(client, name, options) {
    if (await projectExists(client, name))
        return 'exists';
    try {
        const res = await client.call('POST', '/projects', {
            json: { project_name: name, metadata: { public: String(options.public) } },
            expected: [201, 409],
            // A POST that timed out may have created the project; the 409 of a retry is handled as success.
            what: `create project ${name}`,
        });
        return res.status === 201 ? 'created' : 'exists';
    }
    catch (error) {
        if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'permission') {
            // project_creation_restriction "adminonly" lets only admins create (src/controller/project/controller.go).
            throw error.with({
                advice: `project ${name} does not exist and only admins may create projects when creation is restricted; create the project first`,
            });
        }
        throw error;
    }
}
/** Names of every project the account can see. */
async function listProjectNames(client) {
    return (await client.list('/projects', {}, 'list projects')).map((p) => p.name);
}
/** Names (`project/repo`) of every repository of a project. */
async function listRepositoryNames(client, project) {
    return (await client.list(`/projects/${encodeURIComponent(project)}/repositories`, {}, `list repositories of project ${project}`)).map((r) => r.name);
}
/**
 * Whether the account can read the project: true, false for a project Harbor says does not exist (404); a private
 * project the account cannot see (403) throws its RemoteError for the caller to word. Only an administrator ever gets
 * the 404, and only from Harbor 2.7: Harbor checks the permission first and grants nothing on a project it cannot
 * find, so anyone else gets the same 403 (401 anonymous) for a missing project as for a private one
 * (src/server/v2.0/handler/base.go HasProjectPermission, handler/project.go GetProject; before 2.7 the permission
 * check refused administrators too, v2.6.0 base.go).
 */
async function projectReadable(client, project) {
    try {
        await client.call('GET', `/projects/${encodeURIComponent(project)}`, {
            // A project name of digits alone would be read as a project id without it (src/server/v2.0/handler/util.go
            // parseProjectNameOrID).
            headers: { 'x-is-resource-name': 'true' },
            expected: [200],
            what: `read project ${project}`,
        });
        return true;
    }
    catch (error) {
        if (error instanceof RemoteError && error.kind === 'not-found')
            return false;
        throw error;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/http/retry.ts
var retry = __webpack_require__(5129);
// EXTERNAL MODULE: ./shared/http/network-errors.ts
var network_errors = __webpack_require__(7541);
// EXTERNAL MODULE: ./shared/oci/image.ts
var oci_image = __webpack_require__(3697);
// EXTERNAL MODULE: ./shared/http/client.ts
var client = __webpack_require__(6160);
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

// EXTERNAL MODULE: ./shared/oci/media-types.ts
var media_types = __webpack_require__(9112);
;// CONCATENATED MODULE: ./shared/oci/registry-client.ts






/** Redirect statuses a blob GET follows (distribution-spec: a registry may redirect a blob to its storage). */
const REDIRECTS = [301, 302, 303, 307, 308];
/** As many hops as a pre-signed storage URL needs, and far fewer than a loop would make. */
const MAX_REDIRECTS = 5;
/** The most of an error answer's body read for its message. */
const ERROR_BODY_BYTES = 64 * 1024;
/**
 * The distribution-spec push endpoints for one repository: blob HEAD, cross-repository mount, upload sessions
 * (monolithic PUT, chunked PATCH with Content-Range, status GET for resuming), manifest HEAD and PUT; and the reads a
 * push decides by (manifest GET, referrers, a small blob GET). Every request to the registry carries its credentials
 * (never one to another origin a blob GET is redirected to); an expired token is renewed once.
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
    /**
     * A small blob read whole (a signature envelope), refused when it is larger than `descriptor.size` or `maxBytes`, or
     * its bytes are not `descriptor.digest` (oras-go registry/remote/repository.go blobStore.Fetch also refuses a
     * Content-Length other than the descriptor's size). The registry may answer with a redirect to its storage (Harbor on
     * S3 or Azure Blob Storage answers 307 with a pre-signed URL): it is followed, and the registry's Authorization header
     * goes only to the registry's own origin — the pre-signed URL carries its own authorization, and the registry's
     * credentials must not reach another host. That is the rule Go's net/http applies to every redirect oras-go follows
     * (registry/remote/auth/client.go leaves redirects to net/http, which drops Authorization for another host); here it
     * is the stricter same-origin (scheme, host and port) test.
     */
    async getBlob(descriptor, maxBytes) {
        const { digest, size } = descriptor;
        const what = `get blob ${registry_client_short(digest)}`;
        if (!/^sha256:[0-9a-f]{64}$/.test(digest))
            throw new errors/* UserError */.yo(`Cannot ${what}: only sha256 digests are read`);
        if (!Number.isSafeInteger(size) || size < 0 || size > maxBytes)
            throw new errors/* UserError */.yo(`Refused to ${what}: its descriptor says ${size} bytes, more than the ${maxBytes} read here`);
        const origin = new URL(this.baseUrl).origin;
        let url = `${this.baseUrl}/v2/${this.repository}/blobs/${digest}`;
        for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
            const own = new URL(url).origin === origin;
            const res = own
                ? await this.send({ method: 'GET', url, what, expected: [200, ...REDIRECTS], stream: true })
                : await this.http.request({ method: 'GET', url, stream: true });
            const host = new URL(url).host;
            const location = res.headers.location;
            if (REDIRECTS.includes(res.status) && location) {
                res.stream?.destroy();
                url = new URL(location, url).toString();
                continue;
            }
            if (res.status !== 200) {
                res.stream?.destroy();
                throw new errors/* UserError */.yo(`Cannot ${what}: ${host} answered ${res.status}`);
            }
            const declared = res.headers['content-length'];
            if (declared !== undefined && Number(declared) !== size) {
                res.stream?.destroy();
                throw new errors/* UserError */.yo(`Refused to ${what}: ${host} sends ${declared} bytes, its descriptor says ${size}`);
            }
            const bytes = await (0,client/* readAtMost */.rU)(res.stream, size);
            if (bytes === undefined || bytes.length !== size)
                throw new errors/* UserError */.yo(`Refused to ${what}: ${host} sent ${bytes ? bytes.length : 'more'} bytes, its descriptor says ${size}`);
            const actual = (0,oci_image/* sha256 */.s)(bytes);
            if (actual !== digest)
                throw new errors/* UserError */.yo(`Refused to ${what}: ${host} sent bytes with digest ${actual}`);
            return bytes;
        }
        throw new errors/* UserError */.yo(`Cannot ${what}: more than ${MAX_REDIRECTS} redirects`);
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
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
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
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
            what: `get manifest ${reference}`,
            expected: [200, 404],
        });
        if (res.status === 404)
            return undefined;
        const digest = (0,oci_image/* sha256 */.s)(res.body);
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
            headers: { accept: media_types/* MediaType */.zu.ociIndex },
            what: `list the referrers of ${registry_client_short(digest)}`,
            expected: [200, 404],
        });
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        return res.status === 200 && type === media_types/* MediaType */.zu.ociIndex ? res.body : undefined;
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
            const res = await this.http.request({
                method: req.method,
                url,
                headers,
                body: req.body,
                retry: req.retry,
                stream: req.stream,
            });
            if (res.stream && !req.expected.includes(res.status)) {
                // An error answer is read (as far as its message needs) like an unstreamed one.
                res.body = (await (0,client/* readAtMost */.rU)(res.stream, ERROR_BODY_BYTES)) ?? Buffer.alloc(0);
            }
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

// EXTERNAL MODULE: ./shared/util/clock.ts
var clock = __webpack_require__(5977);
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
            const digest = (0,oci_image/* sha256 */.s)(manifest.bytes);
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
        const digest = (0,oci_image/* sha256 */.s)(bytes);
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

// EXTERNAL MODULE: ./shared/oci/reference.ts
var reference = __webpack_require__(7121);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/oci/file-range.ts
var file_range = __webpack_require__(8324);
// EXTERNAL MODULE: ./shared/util/files.ts
var files = __webpack_require__(6512);
;// CONCATENATED MODULE: ./shared/oci/sources/oci-layout.ts







const REF_NAME = 'org.opencontainers.image.ref.name';
/** An OCI image layout directory (image-spec image-layout.md) as a content store. */
function layoutStore(dir) {
    const pathOf = (digest) => {
        const [algorithm, hex] = digest.split(':');
        if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) {
            throw new errors/* UserError */.yo(`OCI layout ${dir}: '${digest}' is not a valid digest`);
        }
        return (0,external_node_path_.join)(dir, 'blobs', algorithm, hex);
    };
    return {
        where: `OCI layout ${dir}`,
        async read(digest) {
            try {
                return await external_node_fs_.promises.readFile(pathOf(digest));
            }
            catch {
                throw new errors/* UserError */.yo(`OCI layout ${dir} has no blob ${digest} (a partial copy? copy it again with all platforms)`);
            }
        },
        blob(descriptor, label) {
            const file = pathOf(descriptor.digest);
            let size;
            try {
                size = (0,external_node_fs_.statSync)(file).size;
            }
            catch {
                throw new errors/* UserError */.yo(`OCI layout ${dir} has no blob ${descriptor.digest} (${label}); copy the image again with all its platforms`);
            }
            if (size !== descriptor.size) {
                throw new errors/* UserError */.yo(`OCI layout ${dir}: blob ${descriptor.digest} is ${size} bytes, but its descriptor says ${descriptor.size}`);
            }
            return {
                mediaType: descriptor.mediaType,
                digest: descriptor.digest,
                size,
                label,
                annotations: descriptor.annotations,
                open: (start = 0, end = size) => (0,file_range/* fileRange */.Yj)(file, start, end),
                chunks: (start, end) => (0,file_range/* fileChunks */.T9)(file, start, end),
            };
        },
    };
}
/**
 * `oci:<dir>[:<ref>]` where ref is a tag recorded as `org.opencontainers.image.ref.name`, or `@sha256:…`. Without a
 * ref the layout must hold exactly one image.
 */
async function openOciLayout(spec, options = {}) {
    const { dir, ref } = splitLayoutSpec(spec);
    // image-spec image-layout.md: the `oci-layout` file marks the directory as a layout and names its version.
    let marker;
    try {
        marker = JSON.parse(await external_node_fs_.promises.readFile((0,external_node_path_.join)(dir, 'oci-layout'), 'utf8'));
    }
    catch {
        marker = undefined;
    }
    if (typeof marker?.imageLayoutVersion !== 'string') {
        throw new errors/* UserError */.yo(`${dir} is not an OCI image layout (no valid oci-layout file); build with --output type=oci,dest=… or use docker-archive:`);
    }
    let index;
    try {
        index = JSON.parse(await external_node_fs_.promises.readFile((0,external_node_path_.join)(dir, 'index.json'), 'utf8'));
    }
    catch (error) {
        const code = error.code;
        throw new errors/* UserError */.yo(code === 'ENOENT'
            ? `${dir} is not an OCI image layout (no index.json); build with --output type=oci,dest=… or use docker-archive:`
            : `Cannot read ${(0,external_node_path_.join)(dir, 'index.json')}: ${code ?? 'invalid JSON'}`);
    }
    const entries = index.manifests ?? [];
    const descriptor = pickEntry(entries, ref, dir);
    const root = await (0,oci_image/* loadGraph */.f)(layoutStore(dir), descriptor, options);
    const name = descriptor.annotations?.[REF_NAME];
    return { description: `OCI layout ${dir}${name ? ` (${name})` : ''}`, root, close: async () => undefined };
}
function pickEntry(entries, ref, dir) {
    const names = entries.map((e) => e.annotations?.[REF_NAME]).filter((n) => !!n);
    if (ref === undefined) {
        if (entries.length === 1)
            return entries[0];
        throw new errors/* UserError */.yo(`OCI layout ${dir} holds ${entries.length} images; name one as oci:${dir}:<ref>${names.length ? ` (refs: ${names.join(', ')})` : ''}`);
    }
    const match = (0,reference/* isDigest */.Bc)(ref)
        ? entries.find((e) => e.digest === ref)
        : entries.find((e) => e.annotations?.[REF_NAME] === ref);
    if (!match) {
        throw new errors/* UserError */.yo(`OCI layout ${dir} has no image '${ref}'${names.length ? ` (refs: ${names.join(', ')})` : ''}`);
    }
    return match;
}
/** `dir`, `dir:ref`, `dir@sha256:…`; a directory name that itself contains ':' wins when it exists. */
function splitLayoutSpec(spec) {
    const at = spec.lastIndexOf('@');
    if (at > 0 && (0,reference/* isDigest */.Bc)(spec.slice(at + 1)))
        return { dir: spec.slice(0, at), ref: spec.slice(at + 1) };
    if ((0,files/* pathKind */.gl)(spec) === 'directory')
        return { dir: spec };
    const colon = spec.lastIndexOf(':');
    if (colon > 0 && !spec.slice(colon + 1).includes('/'))
        return { dir: spec.slice(0, colon), ref: spec.slice(colon + 1) };
    return { dir: spec };
}

;// CONCATENATED MODULE: ./shared/oci/sources/index.ts



const SOURCE_FORMS = 'oci:<dir>[:<ref>], docker-archive:<file>[:<image>], docker:<image> or chart:<file.tgz>';
/**
 * Opens the image named by a `source` input. Relative paths are taken from the workspace. `auto` compression gzips the
 * uncompressed layers of docker-archive/docker sources (docker save writes them uncompressed) and keeps OCI layouts
 * byte for byte, so a layout's digest is the pushed digest.
 */
async function openSource(source, compression, platform, label) {
    try {
        return await openSourceAs(source, compression, platform, label);
    }
    catch (error) {
        // Every problem with what `source` names is reported against the input, also a file system error's errno.
        if (error instanceof errors/* InputError */.dz)
            throw error;
        const code = error.code;
        const reason = code === 'ENOENT'
            ? 'no such file or directory'
            : code === 'EISDIR'
                ? 'a directory, not a file'
                : code === 'EACCES'
                    ? 'permission denied'
                    : code;
        const text = error instanceof errors/* UserError */.yo
            ? error.message
            : reason
                ? `${error.path ?? source}: ${reason}`
                : String(error);
        throw new errors/* InputError */.dz(`Input '${label}': ${text}`);
    }
}
async function openSourceAs(source, compression, platform, label) {
    const colon = source.indexOf(':');
    const kind = colon > 0 ? source.slice(0, colon) : '';
    const rest = source.slice(colon + 1);
    // resolve keeps an absolute path (also a Windows agent's C:\…) and takes a relative one from the workspace.
    const path = (p) => (0,capability/* workspacePath */.X5)(platform, p);
    // zlib and the block compressor load only for a source whose layers are gzipped on the way.
    const options = async (defaultGzip) => {
        if (compression !== 'gzip' && !(compression === 'auto' && defaultGzip))
            return {};
        const { gzipOnTheFly } = await __webpack_require__.e(/* import() */ 414).then(__webpack_require__.bind(__webpack_require__, 3414));
        return { compress: (b) => gzipOnTheFly(b) };
    };
    if (!rest)
        throw new errors/* InputError */.dz(`Input '${label}' must be ${SOURCE_FORMS} (got '${source}')`);
    // The tar and YAML readers load only for the sources that need them: a re-push of a layout is mostly process start.
    switch (kind) {
        case 'oci':
            return openOciLayout(path(rest), await options(false));
        case 'docker-archive':
            return (await __webpack_require__.e(/* import() */ 71).then(__webpack_require__.bind(__webpack_require__, 3071))).openDockerArchive(path(rest), await options(true));
        case 'docker':
            return (await __webpack_require__.e(/* import() */ 170).then(__webpack_require__.bind(__webpack_require__, 1170))).openDockerDaemon(rest, platform, await options(true));
        case 'chart':
            return (await Promise.all(/* import() */[__webpack_require__.e(312), __webpack_require__.e(652)]).then(__webpack_require__.bind(__webpack_require__, 5652))).openHelmChart(path(rest));
        default:
            throw new errors/* InputError */.dz(`Input '${label}' must be ${SOURCE_FORMS} (got '${source}')`);
    }
}

;// CONCATENATED MODULE: ./shared/capabilities/push/run.ts









const MIN_CHUNK = 1024 * 1024;
/**
 * The push step: validate every input and open the source locally first (a bad tag or a broken archive fails before
 * anything is sent), ensure the Harbor project, push the graph, then tag, and report exactly what landed.
 */
async function runPush(settings, ctx) {
    const { platform } = ctx;
    const name = ctx.label;
    if (settings.chunkSize < MIN_CHUNK)
        throw new errors/* InputError */.dz(`Input '${name('chunk-size')}' must be at least 1MiB (got ${settings.chunkSize} bytes)`);
    const project = settings.project;
    if (project !== undefined && !isValidProjectName(project)) {
        throw new errors/* InputError */.dz(`Input '${name('project')}': '${project}' is not a valid Harbor project name (lower-case letters, digits and . _ - inside)`);
    }
    if (settings.createProject && !project) {
        throw new errors/* InputError */.dz(`Input '${name('project')}' is required when ${name('create-project')} is true`);
    }
    const mountFrom = (settings.mountFrom ?? []).map((r) => (0,reference/* checkRepository */.n_)(r, name('mount-from')));
    const userTags = (settings.tags ?? []).map((t) => (0,reference/* checkTag */.Bs)(t, name('tags')));
    if (settings.password)
        platform.setSecret(settings.password);
    const source = await openSource(settings.source, settings.compression, platform, name('source'));
    try {
        const repoName = settings.repository ?? source.suggested?.repository;
        if (!repoName)
            throw new errors/* InputError */.dz(`Input required and not supplied: ${name('repository')}`);
        const repository = (0,reference/* checkRepository */.n_)(project ? `${project}/${repoName}` : repoName, name('repository'));
        const tags = userTags.length > 0 ? [...new Set(userTags)] : [source.suggested?.tag ?? 'latest'];
        if (source.suggested?.tag && !tags.includes(source.suggested.tag)) {
            platform.warning(`No tag equals the chart version ${source.suggested.tag}; helm pull --version ${source.suggested.tag} will not find this chart`);
        }
        const { harbor, http } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, settings, {
            // One request may stay silent for a minute at most (or the whole timeout, if shorter) before it is retried.
            timeoutMs: Math.min(60_000, settings.timeout),
            budget: { ms: settings.timeout, input: name('timeout') },
        });
        const host = harbor.registryHost;
        const credentials = { username: settings.username, password: settings.password };
        try {
            if (settings.createProject) {
                const state = await ensureProject(harbor, project, { public: settings.projectPublic }).catch((error) => {
                    // Harbor's POST /projects never answers 404 (swagger); a registry without Harbor's API does.
                    if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'not-found') {
                        throw new errors/* UserError */.yo(`${host} does not serve the Harbor API (creating project ${project} answered 404); for a plain OCI registry set ${name('create-project')} to false`);
                    }
                    throw error;
                });
                platform.info(state === 'created'
                    ? `Created Harbor project ${project} (${settings.projectPublic ? 'public' : 'private'})`
                    : `Harbor project ${project} exists`);
            }
            const registry = new RegistryClient(http, settings.harborUrl, repository, credentials, {
                mountFrom,
                onSecret: (v) => platform.setSecret(v),
            });
            let result;
            try {
                result = await platform.group(`Push ${source.description} to ${host}/${repository}`, async () => {
                    await registry.login();
                    const pusher = new Pusher(registry, {
                        concurrency: settings.concurrency,
                        chunkSize: settings.chunkSize,
                        mountFrom,
                        log: (m) => platform.info(m),
                        debug: (m) => platform.debug(m),
                        checkWait: (delay, what) => http.checkWait(delay, what),
                    });
                    return pusher.push(source.root, tags);
                });
            }
            catch (error) {
                if (error instanceof remote_error/* RemoteError */.Hi &&
                    error.service === 'Registry' &&
                    error.kind === 'permission' &&
                    !settings.createProject &&
                    project &&
                    (await missingHarborProject(harbor, project))) {
                    throw new errors/* UserError */.yo(`Harbor project ${project} does not exist; create it, or set ${name('create-project')} to true`);
                }
                throw error;
            }
            await report(ctx, host, repository, tags, result);
        }
        finally {
            await http.close();
        }
    }
    finally {
        await source.close();
    }
}
/** True only when Harbor's API says the project is missing; a plain registry has no such API and gives no answer. */
async function missingHarborProject(harbor, project) {
    try {
        return !(await projectExists(harbor, project));
    }
    catch {
        return false;
    }
}
async function report(ctx, host, repository, tags, result) {
    const { platform } = ctx;
    const { stats } = result;
    const seconds = stats.elapsedMs / 1000;
    const speed = stats.bytesUploaded > 0 ? ` (${formatBytes(stats.bytesUploaded / Math.max(seconds, 0.001))}/s)` : '';
    const layers = `${stats.layers.uploaded} uploaded, ${stats.layers.skipped} skipped, ${stats.layers.mounted} mounted`;
    const images = [...tags.map((t) => `${host}/${repository}:${t}`), `${host}/${repository}@${result.digest}`];
    platform.info(`Pushed ${host}/${repository}@${result.digest}`);
    platform.info(`Layers: ${layers}; ${formatBytes(stats.bytesUploaded)} sent in ${seconds.toFixed(1)} s${speed}; image size ${formatBytes(stats.totalSize)}`);
    platform.info(`Tags: ${tags.join(', ')}`);
    ctx.setOutput('digest', result.digest);
    ctx.setOutput('images', images.join('\n'));
    ctx.setOutput('size', stats.totalSize);
    await platform.addSummary([
        `### Pushed \`${host}/${repository}\``,
        '',
        '| | |',
        '| --- | --- |',
        `| Tags | ${tags.map((t) => `\`${t}\``).join(', ')} |`,
        `| Digest | \`${result.digest}\` |`,
        `| Media type | \`${result.mediaType}\` |`,
        `| Size | ${formatBytes(stats.totalSize)} |`,
        `| Layers | ${layers} |`,
        `| Uploaded | ${formatBytes(stats.bytesUploaded)} in ${seconds.toFixed(1)} s${speed} |`,
        '',
    ].join('\n'));
}

;// CONCATENATED MODULE: ./shared/capabilities/push/index.ts



/* harmony default export */ const push = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, runPush));


/***/ }),

/***/ 8324:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T9: () => (/* binding */ fileChunks),
/* harmony export */   Yj: () => (/* binding */ fileRange)
/* harmony export */ });
/* unused harmony export READ_CHUNK */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);



/** Big enough that a fast link is not throttled by small reads; small enough for many blobs in parallel. */
const READ_CHUNK = 1024 * 1024;
/** Bytes [start, end) of a file as a stream; empty ranges are legal (an empty layer) and fs would reject them. */
function fileRange(file, start, end) {
    if (start >= end)
        return node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable.from([]);
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file, { start, end: end - 1, highWaterMark: READ_CHUNK });
}
/** Buffers a chunk reader cycles through. */
const RING = 3;
/**
 * Bytes [start, end) of a file read into a ring of reused buffers: a chunk is valid only until the reader is asked for
 * the one after the next. For a consumer that is done with each chunk before it asks for more — an HTTP upload, which
 * hands a chunk to the kernel and waits for the socket to drain before pulling the next — this halves the CPU of
 * sending a layer: a fresh megabyte per read (createReadStream) costs page faults and garbage collection that a copy
 * into the socket does not (bench/push/RESULTS.md). Never for consumers that keep chunks (gzip's parallel blocks).
 */
async function* fileChunks(file, start, end) {
    if (start >= end)
        return;
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, 'r');
    try {
        const ring = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, end - start)));
        for (let at = start, turn = 0; at < end; turn++) {
            const buffer = ring[turn % RING];
            const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
            if (bytesRead === 0)
                throw new Error(`${file} ended at byte ${at}, before byte ${end}`);
            at += bytesRead;
            yield buffer.subarray(0, bytesRead);
        }
    }
    finally {
        await handle.close();
    }
}


/***/ }),

/***/ 3697:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ loadGraph),
/* harmony export */   s: () => (/* binding */ sha256)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _media_types__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9112);



function sha256(data) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex')}`;
}
/**
 * Reads a manifest or index and everything under it from a content store. Multi-arch indexes are loaded whole (every
 * child manifest), because an index pushed without its children is broken for every platform.
 */
async function loadGraph(store, descriptor, options = {}) {
    const bytes = await store.read(descriptor.digest);
    if (bytes.length !== descriptor.size && descriptor.size !== undefined) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${store.where}: ${descriptor.digest} is ${bytes.length} bytes, but its descriptor says ${descriptor.size}`);
    }
    if (sha256(bytes) !== descriptor.digest) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${store.where}: the content of ${descriptor.digest} does not match its digest (the layout is corrupt)`);
    }
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${store.where}: ${descriptor.digest} is not valid JSON`);
    }
    const mediaType = json.mediaType ?? descriptor.mediaType;
    const common = { platform: descriptor.platform, annotations: descriptor.annotations };
    if ((0,_media_types__WEBPACK_IMPORTED_MODULE_2__/* .isIndex */ .nw)(mediaType) || (json.manifests && !json.layers)) {
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
    if (!(0,_media_types__WEBPACK_IMPORTED_MODULE_2__/* .isManifest */ .Yh)(mediaType) && !json.config) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${store.where}: ${descriptor.digest} has media type ${mediaType}, which is neither an image manifest nor an index`);
    }
    if (!json.config)
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${store.where}: manifest ${descriptor.digest} has no config`);
    const config = store.blob(json.config, 'config');
    const layers = (json.layers ?? []).map((layer, i) => {
        const blob = store.blob(layer, `layer ${i + 1}`);
        return options.compress && (0,_media_types__WEBPACK_IMPORTED_MODULE_2__/* .gzipVariant */ .WJ)(layer.mediaType) ? options.compress(blob) : blob;
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


/***/ }),

/***/ 9112:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WJ: () => (/* binding */ gzipVariant),
/* harmony export */   Yh: () => (/* binding */ isManifest),
/* harmony export */   dY: () => (/* binding */ MANIFEST_ACCEPT),
/* harmony export */   nw: () => (/* binding */ isIndex),
/* harmony export */   zu: () => (/* binding */ MediaType)
/* harmony export */ });
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
function isIndex(mediaType) {
    return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}
function isManifest(mediaType) {
    return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}
/** The gzip variant of an uncompressed layer media type, or undefined when the type is not an uncompressed layer. */
function gzipVariant(mediaType) {
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


/***/ }),

/***/ 7121:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   Bs: () => (/* binding */ checkTag),
/* harmony export */   mj: () => (/* binding */ tagForChartVersion),
/* harmony export */   n_: () => (/* binding */ checkRepository)
/* harmony export */ });
/* unused harmony export isTag */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);

/** OCI distribution-spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** OCI distribution-spec `<name>`: path components of lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG_RULE = 'up to 128 characters of letters, digits, _ . -, not starting with . or -';
function checkTag(tag, inputLabel) {
    if (!isTag(tag))
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${inputLabel}': '${tag}' is not a valid tag (OCI tags are ${TAG_RULE})`);
    return tag;
}
function checkRepository(name, inputLabel) {
    if (!REPOSITORY.test(name) || name.length > 255) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input '${inputLabel}': '${name}' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)`);
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


/***/ })

};
;