"use strict";
exports.id = 396;
exports.ids = [396];
exports.modules = {

/***/ 396:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ acr_import)
});

// EXTERNAL MODULE: ./shared/capability.ts + 6 modules
var capability = __webpack_require__(5522);
// EXTERNAL MODULE: ./shared/capabilities/acr-import/definition.ts + 1 modules
var definition = __webpack_require__(3885);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http/client.ts
var client = __webpack_require__(6160);
// EXTERNAL MODULE: ./shared/redact.ts
var redact = __webpack_require__(4781);
// EXTERNAL MODULE: ./shared/util/clock.ts
var util_clock = __webpack_require__(5977);
;// CONCATENATED MODULE: ./shared/util/poll.ts

/**
 * The one poll loop: calls `attempt` until it answers a value (not undefined), with capped exponential backoff, and
 * calls `timedOut` when the deadline ends it (which throws, or answers what the caller reports instead).
 */
async function poll_pollWithBackoff(options, attempt, timedOut) {
    const clock = options.clock ?? util_clock/* systemClock */.ml;
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/azure/credentials.ts



const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The audience Entra expects in federated (OIDC) assertions. */
const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
/** Renew a little before expiry so a token never dies in the middle of a long-running operation. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** Caches a token per scope until shortly before it expires. */
class CachingCredential {
    cache = new Map();
    async getToken(scope) {
        const cached = this.cache.get(scope);
        if (cached && cached.expiresOnMs - EXPIRY_MARGIN_MS > Date.now())
            return cached;
        const fresh = await this.fetchToken(scope);
        this.cache.set(scope, fresh);
        return fresh;
    }
}
/**
 * The Azure CLI's signed-in account (what `azure/login` leaves behind on GitHub). The token comes from
 * `az account get-access-token`: its output is captured silently and the token masked before anything else happens.
 */
class AzureCliCredential extends CachingCredential {
    platform;
    names;
    description = 'Azure CLI credential (az account get-access-token)';
    /** The CLI's current subscription, known after the first token. */
    subscriptionId;
    /** `names`: the OIDC inputs as the user spells them, for the advice in errors (this credential is GitHub's only). */
    constructor(platform, names = { clientId: 'client-id', tenantId: 'tenant-id' }) {
        super();
        this.platform = platform;
        this.names = names;
    }
    async fetchToken(scope) {
        const az = await this.platform.which('az');
        if (!az)
            throw new errors/* UserError */.yo(`Azure CLI (az) not found on PATH: run azure/login first, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`);
        const args = ['account', 'get-access-token', '--resource', scopeToResource(scope), '--output', 'json'];
        const result = await this.platform.exec(az, args, { silent: true, ignoreReturnCode: true });
        let parsed;
        try {
            parsed = JSON.parse(result.stdout);
        }
        catch {
            parsed = undefined;
        }
        if (parsed?.accessToken)
            this.platform.setSecret(parsed.accessToken);
        if (result.code !== 0 || !parsed?.accessToken) {
            const reason = result.stderr
                .split(/\r?\n/)
                .find((l) => l.trim() !== '')
                ?.replace(/^ERROR:\s*/, '')
                .trim();
            throw new errors/* UserError */.yo(`Azure CLI could not get an access token${reason ? `: ${reason}` : ''}; run azure/login before this step, or set ${this.names.clientId} and ${this.names.tenantId} to sign in with OIDC`);
        }
        this.subscriptionId = parsed.subscription;
        const expiresOnMs = parsed.expires_on
            ? parsed.expires_on * 1000
            : parsed.expiresOn
                ? Date.parse(parsed.expiresOn)
                : Date.now() + 60 * 60_000;
        return { token: parsed.accessToken, expiresOnMs };
    }
}
/** Where Azure's instance metadata service answers; @azure/identity honours the same override for pod identity. */
function imdsHost(env = process.env) {
    return (env.AZURE_POD_IDENTITY_AUTHORITY_HOST || 'http://169.254.169.254').replace(/\/+$/, '');
}
/**
 * The managed identity of the VM the agent runs on (the ADO AzureRM "ManagedServiceIdentity" scheme), from the
 * instance metadata service. `http` must not use a proxy: the service only answers on the link-local address.
 */
class ManagedIdentityCredential extends CachingCredential {
    http;
    platform;
    host;
    description = 'managed identity of the agent machine';
    constructor(http, platform, host = imdsHost()) {
        super();
        this.http = http;
        this.platform = platform;
        this.host = host;
    }
    async fetchToken(scope) {
        const url = new URL(`${this.host}/metadata/identity/oauth2/token`);
        url.searchParams.set('api-version', '2018-02-01');
        url.searchParams.set('resource', scopeToResource(scope));
        let res;
        try {
            res = await this.http.request({
                method: 'GET',
                url: url.toString(),
                headers: { metadata: 'true', accept: 'application/json' },
                timeoutMs: 10_000,
            });
        }
        catch (error) {
            throw new errors/* UserError */.yo(`No managed identity on this agent: the instance metadata service at ${this.host} did not answer (${error.message}); run the agent on an Azure VM with an identity, or use another scheme`);
        }
        const body = (() => {
            try {
                return res.json();
            }
            catch {
                return {};
            }
        })();
        if (res.status !== 200 || !body.access_token) {
            throw new errors/* UserError */.yo(`The managed identity of this agent got no token (${res.status}${body.error_description ? `: ${body.error_description}` : ''}); check that the VM has an identity`);
        }
        this.platform.setSecret(body.access_token);
        return { token: body.access_token, expiresOnMs: Number(body.expires_on) * 1000 || Date.now() + 3600_000 };
    }
}
/** The OAuth 2.0 client-credentials grant at Entra's v2.0 token endpoint (secret or signed assertion). */
class EntraCredential extends CachingCredential {
    options;
    constructor(options) {
        super();
        this.options = options;
    }
    async fetchToken(scope) {
        const authority = (this.options.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
        const url = `${authority}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`;
        const form = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.options.clientId,
            scope,
            ...(await this.clientAuthentication(url)),
        });
        const res = await this.options.http.request({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
        });
        if (res.status !== 200) {
            throw new errors/* UserError */.yo(`Entra ID refused a token for client ${this.options.clientId} in tenant ${this.options.tenantId} (${res.status}: ${entraMessage(res.body)})`);
        }
        const body = res.json();
        if (!body.access_token)
            throw new errors/* UserError */.yo(`Entra ID answered without an access_token at ${url}`);
        this.options.platform.setSecret(body.access_token);
        return { token: body.access_token, expiresOnMs: Date.now() + Number(body.expires_in ?? 3600) * 1000 };
    }
}
/** Entra's error bodies put the useful text in error_description; keep its first line (it carries trace ids after). */
function entraMessage(body) {
    try {
        const parsed = JSON.parse(body.toString('utf8'));
        const first = parsed.error_description?.split(/\r?\n/)[0];
        return [parsed.error, first].filter(Boolean).join(': ') || 'no details';
    }
    catch {
        return body.toString('utf8').split(/\r?\n/)[0].slice(0, 200) || 'no details';
    }
}
/** A service principal with a client secret (the ADO AzureRM "ServicePrincipal" scheme with a key). */
class ClientSecretCredential extends EntraCredential {
    secret;
    description;
    constructor(options, secret) {
        super(options);
        this.secret = secret;
        options.platform.setSecret(secret);
        this.description = `service principal ${options.clientId} (client secret)`;
    }
    async clientAuthentication() {
        return { client_secret: this.secret };
    }
}
/**
 * A service principal with a certificate (the ADO AzureRM "ServicePrincipal" scheme with `spnCertificate`): a JWT
 * signed with the certificate's key, carrying its SHA-1 thumbprint (x5t) so Entra finds the registered certificate.
 */
class ClientCertificateCredential extends EntraCredential {
    description;
    key;
    thumbprint;
    /** `pem` holds the certificate and its unencrypted private key, as ADO stores it. */
    constructor(options, pem) {
        super(options);
        // Runners mask line by line (task-lib refuses a multi-line secret), so each line of the PEM is registered; the
        // BEGIN/END markers are not secret.
        for (const line of pem.split(/\r?\n/))
            if (line.trim() && !line.startsWith('-----'))
                options.platform.setSecret(line.trim());
        try {
            this.key = (0,external_node_crypto_.createPrivateKey)(pem);
            this.thumbprint = Buffer.from(new external_node_crypto_.X509Certificate(pem).fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
        }
        catch {
            throw new errors/* UserError */.yo(`The certificate of service principal ${options.clientId} is not a PEM certificate with its private key`);
        }
        this.description = `service principal ${options.clientId} (certificate)`;
    }
    async clientAuthentication(tokenUrl) {
        const now = Math.floor(Date.now() / 1000);
        const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const claims = {
            aud: tokenUrl,
            iss: this.options.clientId,
            sub: this.options.clientId,
            jti: (0,external_node_crypto_.randomUUID)(),
            nbf: now,
            iat: now,
            exp: now + 600,
        };
        const input = `${encode({ alg: 'RS256', typ: 'JWT', x5t: this.thumbprint })}.${encode(claims)}`;
        const signature = (0,external_node_crypto_.createSign)('RSA-SHA256').update(input).sign(this.key).toString('base64url');
        return { client_assertion_type: JWT_BEARER, client_assertion: `${input}.${signature}` };
    }
}
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/**
 * Workload identity federation: the runner's OIDC ID token is presented as the client assertion, so no secret exists
 * anywhere. The assertion is fetched anew for each Entra exchange because runner ID tokens live only minutes.
 */
class ClientAssertionCredential extends EntraCredential {
    assertion;
    description;
    constructor(options, assertion, source) {
        super(options);
        this.assertion = assertion;
        this.description = `${source} → service principal ${options.clientId} (workload identity federation)`;
    }
    async clientAuthentication() {
        return {
            client_assertion_type: JWT_BEARER,
            client_assertion: await this.assertion(),
        };
    }
}
/**
 * GitHub's ID token: the runner exposes ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN when the job has `permissions: id-token: write`.
 * act (which sets ACT=true) never provides them, whatever the permissions say (act pkg/runner sets no such variable),
 * so under act the advice is another sign-in rather than a permission that would change nothing.
 */
function githubIdToken(http, platform, audience = FEDERATION_AUDIENCE, env = process.env) {
    return async () => {
        const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
        const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!requestUrl || !requestToken) {
            if (env.ACT === 'true')
                throw new errors/* UserError */.yo("GitHub OIDC sign-in is not available under act (act provides no ACTIONS_ID_TOKEN_REQUEST_URL, whatever the job's permissions): leave 'client-id' empty to use your Azure CLI login (az login)");
            throw new errors/* UserError */.yo("GitHub did not provide an OIDC token: add 'permissions: id-token: write' to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)");
        }
        platform.setSecret(requestToken);
        const url = new URL(requestUrl);
        url.searchParams.set('audience', audience);
        const body = await fetchJson(http, 'GET', url.toString(), requestToken, 'the GitHub OIDC token endpoint');
        if (!body.value)
            throw new errors/* UserError */.yo('The GitHub OIDC token endpoint answered without a token');
        platform.setSecret(body.value);
        return body.value;
    };
}
/** Azure Pipelines' ID token for a workload-identity-federation service connection. */
function azurePipelinesIdToken(http, platform, request) {
    return async () => {
        platform.setSecret(request.accessToken);
        const body = await fetchJson(http, 'POST', request.url, request.accessToken, 'the Azure Pipelines OIDC endpoint');
        if (!body.oidcToken)
            throw new errors/* UserError */.yo('The Azure Pipelines OIDC endpoint answered without an oidcToken');
        platform.setSecret(body.oidcToken);
        return body.oidcToken;
    };
}
async function fetchJson(http, method, url, bearer, what) {
    const res = await http.request({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', 'content-type': 'application/json' },
    });
    const remote = (0,client/* remoteMessage */.aT)(res);
    if (res.status !== 200)
        throw new errors/* UserError */.yo(`${what} refused the ID token request (${res.status}${remote ? `: ${remote}` : ''})`);
    try {
        return res.json();
    }
    catch {
        throw new errors/* UserError */.yo(`${what} answered with a body that is not JSON`);
    }
}
/**
 * The inverse of resourceToScope: the resource id the CLI's `--resource` and IMDS's `resource` take. A URL keeps one
 * trailing slash (the identifier URI form); an application id (the AKS server app) is the bare GUID, as kubelogin
 * passes it to `az account get-access-token --resource`.
 */
function scopeToResource(scope) {
    const resource = scope.replace(/\.default$/, '');
    return resource.includes('://') ? resource.replace(/\/+$/, '/') : resource.replace(/\/+$/, '');
}
/**
 * The token scope for an Entra resource id, as the Azure CLI and MSAL form it: append `/.default` and keep a trailing
 * slash (`https://management.core.windows.net/` → `https://management.core.windows.net//.default`), because the
 * resource's identifier URI is the slashed one; stripping it asks Entra for a resource that does not exist.
 */
function resourceToScope(resource) {
    return `${resource}/.default`;
}

;// CONCATENATED MODULE: ./shared/azure/arm-client.ts






const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
/** An ARM answer the caller did not expect, with Azure's error code kept for callers that branch on it. */
class ArmError extends errors/* UserError */.yo {
    status;
    code;
    azureMessage;
    constructor(status, code, azureMessage, message) {
        super(message);
        this.status = status;
        this.code = code;
        this.azureMessage = azureMessage;
        this.name = 'ArmError';
    }
    /** ARM's authorization refusal: 403, or its codes for a missing role assignment (also on a linked resource). */
    get denied() {
        return this.status === 403 || this.code === 'AuthorizationFailed' || this.code === 'LinkedAuthorizationFailed';
    }
    /** The subscription or resource group in the resource's path does not exist. */
    get scopeMissing() {
        return this.code === 'ResourceGroupNotFound' || this.code === 'SubscriptionNotFound';
    }
}
/** A long-running operation outlived the timeout; it may still complete in Azure. */
class ArmTimeoutError extends errors/* UserError */.yo {
    constructor(message) {
        super(message);
        this.name = 'ArmTimeoutError';
    }
}
const TERMINAL_FAILURE = new Set(['failed', 'canceled', 'cancelled']);
/** Poll interval when Azure sends no Retry-After (as @azure/core-lro); ACR operations take seconds. */
const DEFAULT_POLL_MS = 2000;
/**
 * A thin Azure Resource Manager client on the shared HTTP layer: bearer token from a TokenCredential, api-version on
 * every call, ARM error bodies turned into one line, and long-running operations followed through
 * Azure-AsyncOperation or Location to completion within a timeout.
 */
class ArmClient {
    credential;
    http;
    options;
    endpoint;
    scope;
    clock;
    constructor(endpoint, credential, http, options = {}) {
        this.credential = credential;
        this.http = http;
        this.options = options;
        this.endpoint = endpoint.replace(/\/+$/, '');
        this.scope = resourceToScope(options.tokenResource ?? this.endpoint);
        this.clock = (0,util_clock/* clockWith */.RK)({ sleep: options.sleep });
    }
    /** Fetches the first token, so a sign-in problem is reported before anything else happens. */
    async authenticate() {
        await this.credential.getToken(this.scope);
    }
    /** A Microsoft Entra access token for ARM (ACR's data plane accepts it at /oauth2/exchange). */
    async accessToken() {
        return (await this.credential.getToken(this.scope)).token;
    }
    /** One ARM request; any status outside `expected` (default 200) becomes an ArmError naming what failed. */
    async call(method, path, options) {
        const res = await this.send(method, this.urlFor(path, options.apiVersion), options.json);
        if (!(options.expected ?? [200]).includes(res.status))
            throw armError(res, options.what);
        return res;
    }
    /** GET that answers undefined for 404 instead of failing. */
    async getOptional(path, options) {
        const res = await this.call('GET', path, { ...options, expected: [200, 404] });
        if (res.status === 404)
            return undefined;
        return res.json();
    }
    /**
     * A long-running PUT/PATCH/POST/DELETE. `finalState` follows the spec's `final-state-via`: for `azure-async-operation`
     * the result is the resource itself (GET after the operation succeeds), for `location` it is what the Location URL
     * finally answers. Returns the final body, or undefined when there is none.
     */
    async longRunning(method, path, options) {
        const url = this.urlFor(path, options.apiVersion);
        const first = await this.send(method, url, options.json);
        if (![200, 201, 202, 204].includes(first.status))
            throw armError(first, options.what);
        const asyncUrl = first.headers['azure-asyncoperation'];
        const locationUrl = first.headers.location;
        if (!asyncUrl && !locationUrl) {
            if (first.status === 202)
                throw new errors/* UserError */.yo(`Azure accepted ${options.what} but sent no operation URL to follow`);
            return bodyOf(first);
        }
        // Never past the step's whole budget (the HTTP client's), so the operation's own timeout is the error reported.
        const deadline = Date.now() + Math.min(this.options.operationTimeoutMs ?? 10 * 60_000, this.http.remainingMs());
        const wait = retryAfter(first);
        if (asyncUrl) {
            await this.pollStatus(asyncUrl, options.what, deadline, wait);
            if (options.finalState === 'location' && locationUrl)
                return this.pollLocation(locationUrl, options.what, deadline, 0);
            if (method === 'DELETE' || method === 'POST')
                return undefined;
            return bodyOf(await this.call('GET', path, { apiVersion: options.apiVersion, what: options.what }));
        }
        return this.pollLocation(locationUrl, options.what, deadline, wait);
    }
    async pollStatus(statusUrl, what, deadline, firstWait) {
        await this.poll(deadline, firstWait, what, async (turn) => {
            const res = await this.send('GET', this.sameOrigin(statusUrl, what));
            if (res.status !== 200)
                throw armError(res, `${what} (operation status)`);
            const body = res.json();
            const status = (body.status ?? '').toLowerCase();
            if (status === 'succeeded')
                return true;
            if (TERMINAL_FAILURE.has(status)) {
                const detail = [body.error?.code, body.error?.message].filter(Boolean).join(': ');
                throw new ArmError(res.status, body.error?.code, body.error?.message ?? '', `Azure operation ${what} ${status === 'failed' ? 'failed' : 'was canceled'}${detail ? `: ${detail}` : ''}`);
            }
            turn.waitNext(retryAfter(res));
            return undefined;
        });
    }
    async pollLocation(locationUrl, what, deadline, firstWait) {
        let pollUrl = locationUrl;
        const { body } = await this.poll(deadline, firstWait, what, async (turn) => {
            const res = await this.send('GET', this.sameOrigin(pollUrl, what));
            if (res.status === 202) {
                turn.waitNext(retryAfter(res));
                // Azure may move the operation along; the latest Location is the one to follow (as the Azure SDKs do).
                pollUrl = res.headers.location ?? pollUrl;
                return undefined;
            }
            if (res.status === 200 || res.status === 201 || res.status === 204)
                return { body: bodyOf(res) };
            throw armError(res, what);
        });
        return body;
    }
    /** Polls an operation at the pace Azure asks for (Retry-After; 0 means at once) until `deadline`. */
    poll(deadline, firstWait, what, attempt) {
        const timedOut = () => {
            const minutes = Math.round((this.options.operationTimeoutMs ?? 600_000) / 60_000);
            throw new ArmTimeoutError(`Azure operation ${what} did not finish within ${minutes >= 1 ? `${minutes} min` : `${this.options.operationTimeoutMs} ms`}; it may still complete in Azure — re-run the step, or raise the timeout`);
        };
        return poll_pollWithBackoff({
            timeoutMs: deadline - Date.now(),
            initialDelayMs: DEFAULT_POLL_MS,
            startDelayMs: firstWait ?? DEFAULT_POLL_MS,
            clock: this.clock,
            atDeadline: 'last-poll',
            // When the step's budget is what bounds the operation, its last poll lands on that budget's end: the answer
            // is still that the operation did not finish, not which status request was cut off.
            cutOff: (error) => error instanceof client/* BudgetExceededError */.Zq,
        }, attempt, timedOut);
    }
    /** Operation URLs come from response headers; the bearer token only ever goes back to the ARM endpoint. */
    sameOrigin(url, what) {
        if (new URL(url).origin !== new URL(this.endpoint).origin) {
            throw new errors/* UserError */.yo(`Azure sent an operation URL for ${what} outside ${this.endpoint} (${(0,redact/* redactUrl */.BO)(url)}); refusing to send the token there`);
        }
        return url;
    }
    urlFor(path, apiVersion) {
        const url = new URL(this.endpoint + path);
        url.searchParams.set('api-version', apiVersion);
        return url.toString();
    }
    async send(method, url, json) {
        // PUT, PATCH and DELETE are idempotent in ARM and go through the HTTP layer's retry policy. A POST
        // (generateCredentials, importImage) is not: a lost answer must not mint a second password behind the user's back.
        // A 429, though, means ARM's throttling refused the request before the provider saw it
        // (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling), so a POST is retried
        // on 429 only, after the Retry-After ARM sends.
        const attempts = method === 'POST' ? POST_THROTTLE_ATTEMPTS : 1;
        for (let attempt = 1;; attempt++) {
            const { token } = await this.credential.getToken(this.scope);
            const res = await this.http.request({
                method,
                url,
                json,
                headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
                retry: method !== 'POST',
            });
            if (res.status !== 429 || attempt >= attempts)
                return res;
            await this.clock.sleep(retryAfter(res) ?? Math.min(THROTTLE_FALLBACK_MS * 2 ** (attempt - 1), 60_000));
        }
    }
}
/** Tries of a POST that ARM throttles (429) before the step reports the throttling. */
const POST_THROTTLE_ATTEMPTS = 6;
/** Wait after a 429 without Retry-After (ARM always sends one; this is only the fallback). */
const THROTTLE_FALLBACK_MS = 5_000;
function bodyOf(res) {
    return res.body.length > 0 ? res.json() : undefined;
}
/** Retry-After in ms (seconds in ARM), or undefined. */
function retryAfter(res) {
    const value = res.headers['retry-after'];
    if (value === undefined)
        return undefined;
    const seconds = Number(value);
    return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}
/** ARM's `{"error":{"code","message"}}` as an ArmError; callers map codes to advice. */
function armError(res, what) {
    let code;
    let message;
    try {
        const body = res.json();
        code = body.error?.code;
        message = body.error?.message ?? '';
    }
    catch {
        message = (0,client/* remoteMessage */.aT)(res);
    }
    const detail = [code, message].filter(Boolean).join(': ') || (0,client/* remoteMessage */.aT)(res);
    return new ArmError(res.status, code, message, `Azure ${what} failed with ${res.status}${detail ? `: ${detail}` : ''}`);
}

;// CONCATENATED MODULE: ./shared/azure/arm-refusals.ts


/**
 * Runs one ARM call and turns the answers a user can fix into one line of advice, decided by status and error code;
 * everything else keeps Azure's message.
 */
async function guardArm(fn, refusals) {
    try {
        return await fn();
    }
    catch (error) {
        if (!(error instanceof ArmError))
            throw error;
        if (error.denied)
            throw new errors/* UserError */.yo(refusals.denied(error), { cause: error });
        if (error.status === 429 && refusals.throttled)
            throw new errors/* UserError */.yo(refusals.throttled(error), { cause: error });
        if (error.status === 401) {
            const detail = error.azureMessage ? `: ${error.azureMessage}` : error.code ? ` ${error.code}` : '';
            throw new errors/* UserError */.yo(`Azure rejected the access token (401${detail}); check the identity's tenant and that the sign-in is still valid`, { cause: error });
        }
        const missing = refusals.notFound(error);
        if (missing)
            throw Object.assign(missing, { cause: error });
        throw error;
    }
}

// EXTERNAL MODULE: ./shared/azure/roles.ts
var roles = __webpack_require__(1443);
;// CONCATENATED MODULE: ./shared/azure/acr.ts



/** The stable ACR API the step is written and tested against (reference file azure/containerregistry.json, pinned in test/reference/manifest.json). */
const ACR_API_VERSION = '2025-04-01';
/** Classic registries (retired, but still answered by ARM) have no repository-scoped tokens. */
function skuSupportsTokens(sku) {
    return (sku ?? '').toLowerCase() !== 'classic';
}
function registryPath(ref) {
    return `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.ContainerRegistry/registries/${encodeURIComponent(ref.registry)}`;
}
/**
 * Operations on one registry. Every ARM failure is mapped onto the advice a user needs: which role is missing, that the
 * registry does not exist, or Azure's own message for a failed operation.
 */
class AcrRegistry {
    arm;
    ref;
    apiVersion;
    path;
    constructor(arm, ref, apiVersion = ACR_API_VERSION) {
        this.arm = arm;
        this.ref = ref;
        this.apiVersion = apiVersion;
        this.path = registryPath(ref);
    }
    /** `role`: the role a 403 names, the one the calling step needs anyway. */
    async get(role = roles/* TOKEN_ADMIN_ROLE */.H6) {
        const registry = await this.guard('read the registry', () => this.arm.getOptional(this.path, {
            apiVersion: this.apiVersion,
            what: `read registry ${this.ref.registry}`,
        }), role);
        if (!registry) {
            throw new errors/* UserError */.yo(`Container registry ${this.ref.registry} not found in resource group ${this.ref.resourceGroup} of subscription ${this.ref.subscriptionId}; check the registry, resource-group and subscription inputs`);
        }
        return registry;
    }
    getScopeMap(name) {
        return this.guard('read scope maps', () => this.arm.getOptional(`${this.path}/scopeMaps/${encodeURIComponent(name)}`, {
            apiVersion: this.apiVersion,
            what: `read scope map ${name}`,
        }));
    }
    createScopeMap(name, actions, description) {
        return this.write('create', 'scope map', name, { description, actions }, [200, 201]);
    }
    updateScopeMap(name, actions, description) {
        return this.write('update', 'scope map', name, { description, actions });
    }
    getToken(name) {
        return this.guard('read tokens', () => this.arm.getOptional(`${this.path}/tokens/${encodeURIComponent(name)}`, {
            apiVersion: this.apiVersion,
            what: `read token ${name}`,
        }));
    }
    createToken(name, scopeMapId, status) {
        return this.write('create', 'token', name, { scopeMapId, status });
    }
    updateToken(name, changes) {
        return this.write('update', 'token', name, changes);
    }
    /** Creates (PUT) or updates (PATCH) a scope map or token and waits for Azure's async operation to finish. */
    async write(verb, kind, name, properties, expected) {
        const [collection, plural] = kind === 'token' ? ['tokens', 'tokens'] : ['scopeMaps', 'scope maps'];
        return this.required(await this.guard(`${verb} ${plural}`, () => this.arm.longRunning(verb === 'create' ? 'PUT' : 'PATCH', `${this.path}/${collection}/${encodeURIComponent(name)}`, {
            apiVersion: this.apiVersion,
            json: { properties },
            finalState: 'azure-async-operation',
            ...(expected ? { expected } : {}),
            what: `${verb} ${kind} ${name}`,
        })), `${kind} ${name}`);
    }
    /** Makes a new password for a token (the only moment Azure shows its value). Never retried: see ArmClient.send. */
    async generateCredentials(params) {
        return this.required(await this.guard('generate token passwords', () => this.arm.longRunning('POST', `${this.path}/generateCredentials`, {
            apiVersion: this.apiVersion,
            json: params,
            finalState: 'location',
            what: `generate ${params.name} for token ${params.tokenId.split('/').pop()}`,
        })), 'generated credentials');
    }
    /**
     * ARM `importImage`: the registry pulls an image from another registry itself, so no bytes pass through the runner
     * (replicate's ACR-import mode). Resolves when the import has finished.
     */
    async importImage(params) {
        await this.guard('import images', () => this.arm.longRunning('POST', `${this.path}/importImage`, {
            apiVersion: this.apiVersion,
            json: params,
            finalState: 'location',
            what: `import ${params.source.sourceImage} into ${this.ref.registry}`,
        }), roles/* IMPORT_ROLE */.L7);
    }
    required(value, what) {
        if (value === undefined)
            throw new errors/* UserError */.yo(`Azure answered without the ${what}`);
        return value;
    }
    /** Turns the ARM answers a user can fix into one line of advice; everything else keeps Azure's message. */
    guard(action, fn, role = roles/* TOKEN_ADMIN_ROLE */.H6) {
        const registry = this.ref.registry;
        return guardArm(fn, {
            denied: (error) => {
                const permission = /action '([^']+)'/.exec(error.azureMessage)?.[1];
                return `Azure denied the step permission to ${action} on registry ${registry}${permission ? ` (${permission})` : ''}: assign the identity the '${role}' role (or Contributor) on the registry`;
            },
            throttled: (error) => `Azure throttled the requests to ${action} on registry ${registry} (429${error.code ? ` ${error.code}` : ''}) and kept refusing after waiting as told; lower the parallelism or run the step again later`,
            notFound: (error) => error.scopeMissing ||
                (error.status === 404 && error.code === 'ResourceNotFound' && action === 'read the registry')
                ? new errors/* UserError */.yo(`Container registry ${registry} not found (${error.code}: ${error.azureMessage}); check the registry, resource-group and subscription inputs`)
                : undefined,
        });
    }
}

;// CONCATENATED MODULE: ./shared/azure/acr-data-plane.ts


const MANIFEST_ACCEPT = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
/**
 * Reads from an ACR's data plane with the step's Microsoft Entra sign-in, as `az acr repository show` does: the Entra
 * access token is exchanged for an ACR refresh token (POST /oauth2/exchange), that for an access token scoped to one
 * repository (POST /oauth2/token), which then reads the registry API (github.com/Azure/acr docs/AAD-OAuth.md).
 * The identity needs a data-plane read role; the import role ('Container Registry Data Importer and Data Reader')
 * includes it.
 */
class AcrDataPlane {
    http;
    loginServer;
    entraToken;
    base;
    refreshToken;
    /** Access tokens by scope: one per repository for the whole step (ACR's live far longer than a step's budget). */
    accessTokens = new Map();
    constructor(http, loginServer, entraToken) {
        this.http = http;
        this.loginServer = loginServer;
        this.entraToken = entraToken;
        // Docker treats 127.0.0.0/8 registries as plain-HTTP by default ("insecure registries" in the dockerd docs); a real
        // login server is always https.
        this.base = `${/^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(loginServer) ? 'http' : 'https'}://${loginServer}`;
    }
    /** The digest `repository:tag` points at, or undefined when the tag does not exist. */
    async tagDigest(repository, tag) {
        const token = await this.accessToken(`repository:${repository}:pull`);
        const res = await this.http.request({
            method: 'HEAD',
            url: `${this.base}/v2/${repository}/manifests/${encodeURIComponent(tag)}`,
            headers: { authorization: `Bearer ${token}`, accept: MANIFEST_ACCEPT },
        });
        if (res.status === 404)
            return undefined;
        const digest = res.headers['docker-content-digest'];
        if (res.status !== 200 || !digest)
            throw new errors/* UserError */.yo(`Reading ${this.loginServer}/${repository}:${tag} answered ${res.status}${(0,client/* remoteMessage */.aT)(res) ? `: ${(0,client/* remoteMessage */.aT)(res)}` : ''}`);
        return digest;
    }
    /** Whether the repository holds the manifest `digest` (HEAD by digest: a child of an index, an untagged referrer). */
    async hasManifest(repository, digest) {
        const token = await this.accessToken(`repository:${repository}:pull`);
        const res = await this.http.request({
            method: 'HEAD',
            url: `${this.base}/v2/${repository}/manifests/${digest}`,
            headers: { authorization: `Bearer ${token}`, accept: MANIFEST_ACCEPT },
        });
        if (res.status === 404)
            return false;
        if (res.status !== 200)
            throw new errors/* UserError */.yo(`Reading ${this.loginServer}/${repository}@${digest} answered ${res.status}${(0,client/* remoteMessage */.aT)(res) ? `: ${(0,client/* remoteMessage */.aT)(res)}` : ''}`);
        return true;
    }
    accessToken(scope) {
        let token = this.accessTokens.get(scope);
        if (!token) {
            token = this.newAccessToken(scope);
            // A refused exchange is not remembered: the next read tries again and reports its own answer.
            token.catch(() => this.accessTokens.delete(scope));
            this.accessTokens.set(scope, token);
        }
        return token;
    }
    async newAccessToken(scope) {
        const refresh = await (this.refreshToken ??= this.exchange());
        const res = await this.http.request({
            method: 'POST',
            url: `${this.base}/oauth2/token`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'refresh_token',
                service: this.loginServer,
                scope,
                refresh_token: refresh,
            }).toString(),
        });
        const token = res.status === 200 ? res.json().access_token : undefined;
        if (!token)
            throw new errors/* UserError */.yo(`${this.loginServer} gave the step no access token for ${scope} (${res.status}); the identity needs a data-plane read role on the registry`);
        return token;
    }
    async exchange() {
        const res = await this.http.request({
            method: 'POST',
            url: `${this.base}/oauth2/exchange`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'access_token',
                service: this.loginServer,
                access_token: await this.entraToken(),
            }).toString(),
        });
        const token = res.status === 200 ? res.json().refresh_token : undefined;
        if (!token)
            throw new errors/* UserError */.yo(`${this.loginServer} refused to exchange the step's Azure sign-in for a registry token (${res.status})`);
        return token;
    }
}

;// CONCATENATED MODULE: ./shared/azure/names.ts

/** ARM's name rules (swagger path parameters), checked before anything is sent. */
const NAME_RULES = {
    registry: { pattern: /^[a-zA-Z0-9]*$/, min: 5, max: 50, what: 'letters and digits' },
    scopeMap: { pattern: /^[a-zA-Z0-9-_]*$/, min: 5, max: 50, what: 'letters, digits, - and _' },
    token: { pattern: /^[a-zA-Z0-9-]*$/, min: 5, max: 50, what: 'letters, digits and -' },
    resourceGroup: { pattern: /^[-\w._()]+$/, min: 1, max: 90, what: 'letters, digits, -, _, ., ( and )' },
};
function checkName(kind, value, label) {
    const rule = NAME_RULES[kind];
    if (!rule.pattern.test(value) || value.length < rule.min || value.length > rule.max) {
        throw new errors/* InputError */.dz(`Input '${label}' must be ${rule.min}-${rule.max} characters of ${rule.what} (got '${value}')`);
    }
    return value;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function checkSubscription(value, label) {
    if (!UUID.test(value))
        throw new errors/* InputError */.dz(`Input '${label}' must be a subscription id (a GUID), not a name (got '${value}')`);
    return value;
}
/** The registry input: its name, never the login server (a common mix-up), within ARM's rules. */
function checkRegistryName(value, label) {
    if (value.includes('.')) {
        throw new errors/* InputError */.dz(`Input '${label}' takes the registry name (${value.split('.')[0]}), not the login server (got '${value}')`);
    }
    return checkName('registry', value, label);
}

;// CONCATENATED MODULE: ./shared/azure/sign-in.ts





/**
 * An Azure DevOps AzureRM service connection → credential: `ServicePrincipal` with a secret or a certificate,
 * `WorkloadIdentityFederation` (the agent's OIDC token as client assertion) and `ManagedServiceIdentity` (the agent
 * VM's identity).
 */
function signInWithConnection(connection, inputName, http, platform) {
    const clientId = connection.auth.serviceprincipalid;
    const tenantId = connection.auth.tenantid;
    const scheme = connection.scheme ?? '';
    const options = {
        clientId: clientId ?? '',
        tenantId: tenantId ?? '',
        authorityHost: connection.data('environmentAuthorityUrl') ?? DEFAULT_AUTHORITY_HOST,
        http,
        platform,
    };
    let credential;
    switch (scheme.toLowerCase()) {
        case 'serviceprincipal': {
            if (connection.auth.authenticationType === 'spnCertificate') {
                const pem = connection.auth.servicePrincipalCertificate;
                if (!clientId || !tenantId || !pem)
                    throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id, tenant or certificate`);
                credential = new ClientCertificateCredential(options, pem);
                break;
            }
            const secret = connection.auth.serviceprincipalkey;
            if (!clientId || !tenantId || !secret)
                throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id, tenant or key`);
            credential = new ClientSecretCredential(options, secret);
            break;
        }
        case 'workloadidentityfederation': {
            if (!clientId || !tenantId)
                throw new errors/* UserError */.yo(`Service connection '${inputName}' lacks the service principal id or tenant`);
            if (!connection.oidcRequest) {
                throw new errors/* UserError */.yo(`Service connection '${inputName}' uses workload identity federation, but the agent offers no OIDC endpoint (System.OidcRequestUri); update the agent, or use another scheme`);
            }
            credential = new ClientAssertionCredential(options, azurePipelinesIdToken(http, platform, connection.oidcRequest), 'Azure Pipelines OIDC');
            break;
        }
        case 'managedserviceidentity':
            // The metadata service lives on a link-local address: never through the runner's proxy.
            credential = new ManagedIdentityCredential(new client/* HttpClient */.Qq({ timeoutMs: 10_000, retry: { attempts: 2 }, userAgent: 'harbor-pipelines' }), platform);
            break;
        default:
            throw new errors/* UserError */.yo(`Service connection '${inputName}' uses the ${scheme || 'unknown'} scheme; this step supports ServicePrincipal, WorkloadIdentityFederation and ManagedServiceIdentity`);
    }
    const subscription = connection.data('subscriptionId');
    return {
        credential,
        armEndpoint: connection.url || DEFAULT_ARM_ENDPOINT,
        tokenResource: connection.data('activeDirectoryServiceEndpointResourceId'),
        subscriptionId: () => subscription,
    };
}
/**
 * GitHub: OIDC with client-id + tenant-id (the runner's ID token exchanged at Entra), otherwise the Azure CLI login
 * that azure/login leaves behind.
 */
function signInOnGitHub(settings, http, platform) {
    const armEndpoint = settings.armEndpoint ?? DEFAULT_ARM_ENDPOINT;
    if (settings.clientId || settings.tenantId) {
        if (!settings.clientId)
            throw new errors/* InputError */.dz(`Input '${settings.names.clientId}' is required with '${settings.names.tenantId}' (OIDC sign-in)`);
        if (!settings.tenantId)
            throw new errors/* InputError */.dz(`Input '${settings.names.tenantId}' is required with '${settings.names.clientId}' (OIDC sign-in)`);
        const credential = new ClientAssertionCredential({
            clientId: settings.clientId,
            tenantId: settings.tenantId,
            authorityHost: settings.authorityHost,
            http,
            platform,
        }, githubIdToken(http, platform, settings.audience ?? FEDERATION_AUDIENCE), 'GitHub OIDC');
        return { credential, armEndpoint, subscriptionId: () => undefined };
    }
    const cli = new AzureCliCredential(platform, settings.names);
    return { credential: cli, armEndpoint, subscriptionId: () => cli.subscriptionId };
}
/**
 * Signs a step in to Azure the way its platform offers: the `azureSubscription` service connection on Azure DevOps,
 * GitHub OIDC or the Azure CLI login on GitHub. No token is fetched yet: the caller asks for the scope it needs (ARM,
 * or a data plane such as Key Vault's https://vault.azure.net/.default).
 */
function signInToAzure(settings, names, http, platform) {
    const connection = platform.getServiceConnection('azureSubscription');
    // On Azure DevOps the service connection is the only identity: the agent machine's own `az` login (or any other
    // ambient credential) belongs to whoever set the agent up, not to this pipeline.
    if (!connection && platform.kind === 'azure-devops') {
        throw new errors/* InputError */.dz("Input required and not supplied: azureSubscription (an Azure Resource Manager service connection; this task never signs in with the agent machine's own Azure CLI login)");
    }
    return connection
        ? signInWithConnection(connection, 'azureSubscription', http, platform)
        : signInOnGitHub({
            clientId: settings.clientId,
            tenantId: settings.tenantId,
            authorityHost: settings.authorityHost,
            audience: settings.oidcAudience,
            armEndpoint: settings.resourceManagerUrl,
            names,
        }, http, platform);
}
/**
 * Signs a step in to ARM (signInToAzure). Fetches the first token (so a sign-in problem is the first error) and
 * settles the subscription: the input, else the one the sign-in brings.
 */
async function connectArm(settings, names, http, platform, operationTimeoutMs, 
/** Injected by tests so Retry-After and operation polls do not really wait. */
sleep) {
    const signIn = signInToAzure(settings, { clientId: names.clientId, tenantId: names.tenantId }, http, platform);
    const arm = new ArmClient(signIn.armEndpoint, signIn.credential, http, {
        tokenResource: signIn.tokenResource,
        operationTimeoutMs,
        ...(sleep ? { sleep } : {}),
    });
    await arm.authenticate();
    platform.info(`Signed in to Azure with ${signIn.credential.description}`);
    const subscription = settings.subscriptionId ?? signIn.subscriptionId();
    if (!subscription)
        throw new errors/* InputError */.dz(`Input required and not supplied: ${names.subscriptionId} (the sign-in names no subscription)`);
    return { arm, subscriptionId: checkSubscription(subscription, names.subscriptionId) };
}

;// CONCATENATED MODULE: ./shared/oci/reference.ts

/** OCI distribution-spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** OCI distribution-spec `<name>`: path components of lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG_RULE = 'up to 128 characters of letters, digits, _ . -, not starting with . or -';
function checkTag(tag, inputLabel) {
    if (!isTag(tag))
        throw new errors/* InputError */.dz(`Input '${inputLabel}': '${tag}' is not a valid tag (OCI tags are ${TAG_RULE})`);
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

// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
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

;// CONCATENATED MODULE: ./shared/oci/media-types.ts
/** Media types the push path reads and writes (image-spec media-types.md, Docker v2 schema 2, Helm's OCI support). */
const media_types_MediaType = {
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
    return mediaType === media_types_MediaType.ociIndex || mediaType === media_types_MediaType.dockerManifestList;
}
function media_types_isManifest(mediaType) {
    return mediaType === media_types_MediaType.ociManifest || mediaType === media_types_MediaType.dockerManifest;
}
/** The gzip variant of an uncompressed layer media type, or undefined when the type is not an uncompressed layer. */
function media_types_gzipVariant(mediaType) {
    if (mediaType === media_types_MediaType.ociLayer)
        return media_types_MediaType.ociLayerGzip;
    if (mediaType === media_types_MediaType.dockerLayer)
        return media_types_MediaType.dockerLayerGzip;
    return undefined;
}
/** Every manifest media type a registry may answer with; sent as Accept so HEAD reports the stored type. */
const media_types_MANIFEST_ACCEPT = [
    media_types_MediaType.ociManifest,
    media_types_MediaType.ociIndex,
    media_types_MediaType.dockerManifest,
    media_types_MediaType.dockerManifestList,
].join(', ');

;// CONCATENATED MODULE: ./shared/oci/image.ts



function image_sha256(data) {
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
    if (image_sha256(bytes) !== descriptor.digest) {
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
            const actual = image_sha256(bytes);
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
            headers: { accept: media_types_MANIFEST_ACCEPT },
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
            headers: { accept: media_types_MANIFEST_ACCEPT },
            what: `get manifest ${reference}`,
            expected: [200, 404],
        });
        if (res.status === 404)
            return undefined;
        const digest = image_sha256(res.body);
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
            headers: { accept: media_types_MediaType.ociIndex },
            what: `list the referrers of ${registry_client_short(digest)}`,
            expected: [200, 404],
        });
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        return res.status === 200 && type === media_types_MediaType.ociIndex ? res.body : undefined;
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

;// CONCATENATED MODULE: ./shared/oci/destination-check.ts

/** Lines of missing manifests printed before the step fails; the rest are counted. */
const MAX_MISSING_LINES = 20;
/** Everything the destination should hold for one copied artifact: itself, its index's children, what is attached. */
function expectedManifests(graph, repository, label, options) {
    const expected = [{ repository, digest: graph.digest, what: label }];
    for (const child of graph.children)
        expected.push({ repository, digest: child, what: `child of ${label}` });
    if (options.attached) {
        for (const a of graph.attached) {
            expected.push({
                repository,
                digest: a.digest,
                ...(a.tag ? { tag: a.tag } : {}),
                attached: true,
                what: `${a.kind} of ${a.subject === graph.digest ? label : registry_client_short(a.subject)}`,
            });
        }
    }
    return expected;
}
/** Reads every expected manifest back from the destination; returns those it does not hold (or holds elsewhere). */
async function findMissing(expected, reader, limited) {
    const found = await limited(expected, async (e) => {
        if (e.tag) {
            const held = await reader.tagDigest(e.repository, e.tag);
            if (held === e.digest)
                return undefined;
            return { ...e, why: held ? `${e.tag} holds ${registry_client_short(held)}` : 'missing' };
        }
        return (await reader.hasManifest(e.repository, e.digest)) ? undefined : { ...e, why: 'missing' };
    });
    return found.filter((m) => m !== undefined);
}
/** One line per missing manifest: `shop/web@sha256:… (cosign .sig of shop/web:1.0): missing`. */
function missingLine(m) {
    return `${m.repository}${m.tag ? `:${m.tag}` : ''}@${m.digest} (${m.what}): ${m.why}`;
}
/**
 * Logs the check's outcome (`info` is the step's log): all found, or how many are missing with a line for each of the
 * first MAX_MISSING_LINES. Returns true when nothing is missing.
 */
function logDestinationCheck(info, expected, missing, where) {
    if (missing.length === 0) {
        info(`Destination check: all ${expected} expected manifest(s) are in ${where}`);
        return true;
    }
    info(`Destination check: ${missing.length} of ${expected} expected manifest(s) are not in ${where}:`);
    for (const m of missing.slice(0, MAX_MISSING_LINES))
        info(`  ${missingLine(m)}`);
    if (missing.length > MAX_MISSING_LINES)
        info(`  … and ${missing.length - MAX_MISSING_LINES} more`);
    return false;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./shared/http/retry.ts
var retry = __webpack_require__(5129);
// EXTERNAL MODULE: ./shared/http/network-errors.ts
var network_errors = __webpack_require__(7541);
;// CONCATENATED MODULE: ./shared/oci/pusher.ts








/**
 * Pushes a manifest graph: all blobs (in parallel, skipping what the repository has, mounting what a sibling
 * repository has), then child manifests by digest, and only then the root under every tag — so no tag ever points at
 * something half-pushed. Digests are checked against the registry's at every step.
 */
class pusher_Pusher {
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
        this.sleep = options.sleep ?? sleep;
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
            this.options.log(`  skipped all layers: ${tag} already holds this image (${short(existing.digest)}, same config ${short(config.digest)})`);
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
                this.options.log(`  skipped manifest ${short(digest)} (already in ${this.registry.repository})`);
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
            this.options.log(`  ${outcome} ${blob.label} ${short(digest)} ${formatBytes(size)}${from ? ` from ${from}` : ' (already in the repository)'}`);
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
                    await this.backoffOrThrow(error, failures, `${blob.label} ${short(digest)}`);
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
                    this.options.debug(`resuming ${blob.label} ${short(digest)} at byte ${offset}`);
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
                let hash = createHash('sha256');
                let size = 0;
                try {
                    let location = await this.registry.startUpload();
                    // The body is opened again when the request is re-sent (a token renewed on a 401): hash only the last send.
                    const hashing = () => {
                        hash = createHash('sha256');
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
        const attempts = this.options.attempts ?? DEFAULT_RETRY.attempts;
        const retryable = error instanceof RemoteError
            ? error.retryable
            : isRetryableNetworkError(error?.cause ?? error);
        if (!retryable || attempt >= attempts)
            throw error;
        const hinted = error instanceof RemoteError ? retryAfterMs(error.retryAfter, DEFAULT_RETRY.maxRetryAfterMs) : undefined;
        const delay = hinted ?? backoffDelay(attempt, DEFAULT_RETRY);
        this.options.checkWait?.(delay, `while the upload of ${what} waited for attempt ${attempt + 1} of ${attempts}`);
        this.options.debug(`upload of ${what} failed (${error.message}); attempt ${attempt + 1} of ${attempts} in ${delay} ms`);
        await this.sleep(delay);
    }
    progress(blob, digest, size) {
        const started = this.now();
        let sent = 0;
        const name = () => `${blob.label}${digest ? ` ${short(digest)}` : ''}`;
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
                this.options.log(`  uploaded ${blob.label} ${short(learned ?? digest ?? '')} ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / seconds)}/s)`);
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
const EMPTY_CONFIG = { mediaType: media_types_MediaType.ociEmpty, bytes: Buffer.from('{}') };
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
                throw new UserError(`Blob ${short(digest)} (${label}) vanished from the repository while it was being written`);
            return Readable.from([blob.bytes.subarray(start, end)]);
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
        return { schemaVersion: 2, mediaType: media_types_MediaType.ociIndex, manifests: [] };
    if (existing.mediaType !== media_types_MediaType.ociIndex) {
        throw new errors/* UserError */.yo(`${registry.host}/${registry.repository}:${tag} is the referrers tag of ${registry_client_short(digest)}, but holds a ${existing.mediaType || 'manifest of unknown type'}, not an OCI index; it was not overwritten`);
    }
    const index = JSON.parse(existing.bytes.toString('utf8'));
    return { schemaVersion: 2, mediaType: media_types_MediaType.ociIndex, manifests: index.manifests ?? [] };
}
/** The referrers of a digest, from the referrers API or, where the registry has none, the referrers tag schema. */
async function listReferrers(registry, digest) {
    const api = await registry.referrers(digest);
    if (api)
        return JSON.parse(api.toString('utf8')).manifests ?? [];
    return (await referrersTagIndex(registry, digest)).manifests;
}

;// CONCATENATED MODULE: ./shared/oci/referrer-graph.ts


/** cosign's tag layout for what it attaches to `sha256:<hex>`: `sha256-<hex>.sig`, `.att`, `.sbom` (cosign `pkg/oci/remote`). */
const COSIGN_TAG_SUFFIXES = ['sig', 'att', 'sbom'];
/** How far referrers of referrers are followed (image → SBOM → signature of the SBOM is depth 2). */
const MAX_REFERRER_DEPTH = 4;
/** Referrers followed per artifact: a runaway graph (a bot attaching on every build) stops here, with a warning. */
const MAX_REFERRERS = 100;
/** The cosign tag for what is attached to `digest`: `sha256-<hex>.<suffix>`. */
function cosignTag(digest, suffix) {
    return `${referrersTag(digest)}.${suffix}`;
}
/**
 * Walks what is attached to an artifact in one repository: its referrers (the referrers API, or the referrers tag
 * schema's index where the registry has no API) and cosign's `.sig`/`.att`/`.sbom` tags, for the artifact and, for an
 * index, each child it lists; then the same for everything found, breadth first, up to MAX_REFERRER_DEPTH levels and
 * MAX_REFERRERS manifests. A manifest found both ways (Harbor's referrers API also lists `.sig` accessories) is kept
 * once, with its tag, since cosign finds it by that tag.
 */
async function artifactGraph(registry, digest, limits = {}) {
    const maxDepth = limits.depth ?? MAX_REFERRER_DEPTH;
    const maxCount = limits.count ?? MAX_REFERRERS;
    const manifest = await registry.getManifest(digest);
    const children = [];
    if (manifest && media_types_isIndex(manifest.mediaType)) {
        const index = JSON.parse(manifest.bytes.toString('utf8'));
        for (const child of index.manifests ?? [])
            children.push(child.digest);
    }
    const found = new Map();
    let truncated = false;
    let level = [digest, ...children];
    for (let depth = 1; level.length > 0; depth++) {
        if (depth > maxDepth) {
            truncated = true;
            break;
        }
        const next = [];
        for (const subject of level) {
            const tagged = await Promise.all(COSIGN_TAG_SUFFIXES.map(async (suffix) => {
                const tag = cosignTag(subject, suffix);
                const at = await registry.manifestDigest(tag);
                return at ? { digest: at, subject, tag, kind: `cosign .${suffix}`, depth } : undefined;
            }));
            const referrers = (await listReferrers(registry, subject)).map((d) => ({
                digest: d.digest,
                subject,
                kind: d.artifactType ?? d.mediaType,
                depth,
            }));
            for (const attached of [...tagged.filter((t) => t !== undefined), ...referrers]) {
                const known = found.get(attached.digest);
                if (known) {
                    if (!known.tag && attached.tag)
                        Object.assign(known, { tag: attached.tag, kind: attached.kind });
                    continue;
                }
                if (found.size >= maxCount) {
                    truncated = true;
                    break;
                }
                found.set(attached.digest, attached);
                next.push(attached.digest);
            }
        }
        level = next;
    }
    return { digest, children, attached: [...found.values()], truncated };
}

;// CONCATENATED MODULE: ./shared/util/limit.ts
/**
 * A concurrency limit: at most `limit` calls of the returned function run at once, the rest wait in order. A freed
 * slot goes straight to the next waiter, so a newcomer cannot slip in ahead of it.
 */
function limit_limiter(limit) {
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
    const run = limit_limiter(Math.max(1, limit));
    return Promise.all(items.map((item, index) => run(() => fn(item, index))));
}

;// CONCATENATED MODULE: ./shared/util/report-text.ts
/** Text helpers the steps' logs and job summaries share. */
/** `12s`, `3m04s`, `1h02m`; empty while a task has not ended (Harbor reports end 0001-01-01 then). */
function formatDuration(start, end) {
    const a = start ? Date.parse(start) : NaN;
    const b = end ? Date.parse(end) : NaN;
    if (!Number.isFinite(a) || !Number.isFinite(b) || b < a)
        return '';
    const seconds = Math.round((b - a) / 1000);
    if (seconds < 60)
        return `${seconds}s`;
    if (seconds < 3600)
        return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
    return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
/** A duration input as the user would write it: 90s, 30m, 2h. */
function formatMs(ms) {
    if (ms % 3_600_000 === 0)
        return `${ms / 3_600_000}h`;
    if (ms % 60_000 === 0)
        return `${ms / 60_000}m`;
    return `${ms / 1000}s`;
}
/** Job summaries are capped (GitHub: 1 MiB per step), so a long table shows every unsuccessful row first. */
const MAX_SUMMARY_ROWS = 200;
function summaryRows(rows) {
    if (rows.length <= MAX_SUMMARY_ROWS)
        return rows;
    const fine = (status) => /^(succe|skipped$)/i.test(status);
    const unsuccessful = rows.filter((r) => !fine(r.status));
    const rest = rows.filter((r) => fine(r.status));
    return [...unsuccessful, ...rest].slice(0, Math.max(MAX_SUMMARY_ROWS, unsuccessful.length));
}

;// CONCATENATED MODULE: ./shared/util/markdown.ts
/**
 * Text from outside the step (a remote error, a task's resource name, a finding id) made safe for one markdown table
 * cell: a line break or `|` would end the cell or the row, and `<`/`>` could open HTML.
 */
function markdownCell(text) {
    return flatten(text).replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
/** The same for a cell shown as code: inside backticks entities are not decoded, and a backtick would end the span. */
function markdownCode(text) {
    return `\`${flatten(text).replace(/`/g, "'")}\``;
}
function flatten(text) {
    return text.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
}

;// CONCATENATED MODULE: ./shared/util/table.ts
/** A fixed-width text table for the log: columns padded to their widest cell, a dashed rule under the header. */
function textTable(header, rows) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const format = (cells) => widths
        .map((w, i) => (cells[i] ?? '').padEnd(w))
        .join('  ')
        .trimEnd();
    return [format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)].join('\n');
}

;// CONCATENATED MODULE: ./shared/capabilities/acr-import/report.ts



function importTableText(rows) {
    const header = ['Source → Target', 'Digest', 'Status', 'Duration'];
    return textTable(header, rows.map((r) => [`${r.source} → ${r.target}`, shortDigest(r.digest), r.status, r.duration]));
}
function importSummaryMarkdown(options) {
    const { rows } = options;
    const count = (status) => rows.filter((r) => r.status === status).length;
    const out = [`### ACR import: ${markdownCell(options.harbor)} → ${markdownCell(options.loginServer)}`, ''];
    if (rows.length > 0 && rows.every((r) => r.status === 'Planned')) {
        out.push(`${rows.length} import(s) planned (${options.mode}); nothing was imported.`, '');
    }
    else {
        const notStarted = count('NotStarted');
        const skipped = count('Skipped');
        out.push(`${rows.length} import(s), ${options.mode}: ${count('Succeeded')} succeeded${skipped ? `, ${skipped} skipped (already in ACR with the same digest)` : ''}, ${count('Failed')} failed, ${count('TimedOut')} timed out${notStarted ? `, ${notStarted} not started` : ''}.`, '');
    }
    if (options.note)
        out.push(options.note, '');
    if (rows.length > 0) {
        const shown = summaryRows(rows);
        out.push('| Source | Target | Digest | Status | Duration |', '| --- | --- | --- | --- | --- |');
        for (const r of shown)
            out.push(`| ${markdownCode(r.source)} | ${markdownCode(r.target)} | \`${shortDigest(r.digest)}\` | ${r.status} | ${r.duration} |`);
        if (shown.length < rows.length)
            out.push('', `${rows.length - shown.length} more import(s) succeeded; the step log lists them all.`);
        const failed = rows.filter((r) => r.detail && r.status !== 'Succeeded' && r.status !== 'Skipped');
        if (failed.length > 0) {
            out.push('', '**Failures**', '');
            for (const r of failed.slice(0, MAX_SUMMARY_ROWS))
                out.push(`- ${markdownCode(r.source)}: ${markdownCell(r.detail)}`);
        }
        out.push('');
    }
    return out.join('\n');
}
/** `sha256:` and the first 12 hex digits, as registries' UIs show a digest. */
function shortDigest(digest) {
    return digest.slice(0, 'sha256:'.length + 12);
}

;// CONCATENATED MODULE: ./shared/capabilities/acr-import/referrers.ts

/**
 * Reads, for each selected artifact, what is attached to it in Harbor (referrers and cosign tags, see artifactGraph),
 * with the same account ACR pulls with — so what is found here is what ACR can import.
 */
async function sourceGraphs(items, registryFor, limited) {
    return limited(items, (item) => artifactGraph(registryFor(item.repository), item.digest));
}
/**
 * One import per attached manifest, by digest into the artifact's target repository: untagged for a referrer (ACR
 * lists it through its referrers API from its `subject`), under its tag for a cosign `.sig`/`.att`/`.sbom` (cosign
 * finds it only by that tag). Shallow ones first, so a signature of an SBOM follows the SBOM.
 */
function referrerImports(items, graphs) {
    const imports = [];
    graphs.forEach((graph, root) => {
        for (const attached of graph.attached) {
            imports.push({
                repository: items[root].repository,
                digest: attached.digest,
                tags: attached.tag ? [attached.tag] : [],
                root,
                attached,
            });
        }
    });
    return imports.sort((a, b) => a.attached.depth - b.attached.depth || a.root - b.root);
}

// EXTERNAL MODULE: ./shared/harbor/client.ts
var harbor_client = __webpack_require__(438);
;// CONCATENATED MODULE: ./shared/harbor/artifacts.ts






const VULN_REPORT_V11 = 'application/vnd.security.vulnerability.report; version=1.1';
const VULN_REPORT_V10 = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';
/** Harbor picks the first report type the artifact has; ask for both so Harbor 2.x of any age answers. */
const ACCEPT_VULNERABILITIES = `${VULN_REPORT_V11}, ${VULN_REPORT_V10}`;
/** Job states Harbor reports for a scan; anything else is still in progress. */
const FINISHED = new Set(['Success', 'Error', 'Stopped']);
function artifactLabel(ref) {
    return `${ref.project}/${ref.repository}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`;
}
/** `/projects/{p}/repositories/{r}/artifacts/{ref}` with `/` in the repository double-encoded, as Harbor requires. */
function artifactPath(ref) {
    // A digest's ':' is legal in a path segment; Harbor's router expects it unescaped.
    const reference = encodeURIComponent(ref.reference).replace(/%3A/gi, ':');
    return `/projects/${encodeURIComponent(ref.project)}/repositories/${(0,harbor_client/* encodeRepository */.tL)(ref.repository)}/artifacts/${reference}`;
}
/** Every artifact of a repository (`project/repo`, the repository may contain `/`), with its tags. */
async function listArtifacts(harbor, repository) {
    const slash = repository.indexOf('/');
    const path = `/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${(0,harbor_client/* encodeRepository */.tL)(repository.slice(slash + 1))}/artifacts`;
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
        if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'not-found') {
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
    const found = await client.list('/projects', { q: exactQuery('name', name) }, `check project ${name}`);
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
        if (error instanceof RemoteError && error.kind === 'permission') {
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
        if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'not-found')
            return false;
        throw error;
    }
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
;// CONCATENATED MODULE: ./shared/harbor/filters.ts

/**
 * Harbor's filter matching (util.Match is bmatcuk/doublestar): `*` stays inside a path segment, `**` crosses them,
 * `{a,b}` alternates. acr-import resolves name-filter and tag-filter with it so they select what a Harbor policy with
 * the same filters would; the Harbor emulator replicates with it too.
 */
function doublestarMatch(pattern, value) {
    // picomatch never matches an empty string; doublestar (like path.Match) lets `*` match it (untagged artifacts).
    if (value === '')
        return /^\**$/.test(pattern);
    return picomatch_default().isMatch(value, pattern, { dot: true });
}
/** A filter that selects everything, written the ways Harbor users write it. */
function matchesEverything(pattern) {
    return pattern === undefined || pattern === '' || /^\*\*?$/.test(pattern);
}

;// CONCATENATED MODULE: ./shared/capabilities/acr-import/selection.ts






/** `project/repo:tag` or `project/repo@sha256:…` per line; the error names the input and the line. */
function parseImageLines(lines, label) {
    return lines.map((line) => {
        const at = line.indexOf('@');
        const colon = line.lastIndexOf(':');
        let repository;
        let reference;
        if (at >= 0) {
            repository = line.slice(0, at);
            reference = line.slice(at + 1);
            if (!isDigest(reference))
                throw new errors/* InputError */.dz(`Input '${label}': '${line}' has no valid digest after @ (sha256: and 64 hex digits)`);
        }
        else if (colon > line.lastIndexOf('/')) {
            repository = line.slice(0, colon);
            reference = checkTag(line.slice(colon + 1), label);
        }
        else {
            throw new errors/* InputError */.dz(`Input '${label}': '${line}' needs a tag or a digest, e.g. ${line}:1.0 (imports are explicit; 'latest' is not assumed)`);
        }
        checkRepository(repository, label);
        if (!repository.includes('/'))
            throw new errors/* InputError */.dz(`Input '${label}': '${line}' needs the Harbor project, e.g. library/${line}`);
        return { repository, reference, line };
    });
}
/** Looks every listed image up in Harbor (so a typo fails before any import) and merges tags of one artifact. */
async function resolveImages(harbor, refs, label) {
    const items = new Map();
    for (const ref of refs) {
        const slash = ref.repository.indexOf('/');
        const target = {
            project: ref.repository.slice(0, slash),
            repository: ref.repository.slice(slash + 1),
            reference: ref.reference,
        };
        const artifact = await getArtifact(harbor, target).catch((error) => {
            // Harbor answers 404 for a missing artifact, repository or project alike.
            if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'not-found') {
                throw new errors/* UserError */.yo(`'${ref.line}' of input '${label}' is not in Harbor ${harbor.url} (${artifactLabel(target)} not found); nothing was imported`);
            }
            throw error;
        });
        const key = `${ref.repository}@${artifact.digest}`;
        const item = items.get(key) ?? { repository: ref.repository, digest: artifact.digest, tags: [] };
        if (!isDigest(ref.reference) && !item.tags.includes(ref.reference))
            item.tags = [...item.tags, ref.reference].sort();
        items.set(key, item);
    }
    return [...items.values()];
}
/**
 * name-filter and tag-filter resolved the way a Harbor push policy resolves them: repositories by their full name
 * (project/repo) with doublestar, then the tags of each artifact (tag-match excludes: every other tag). A filter whose
 * first segment is a plain name reads only that project.
 */
async function resolveFilters(harbor, filters, limit) {
    const nameFilter = filters.name ?? '';
    const first = nameFilter.split('/')[0];
    let projects;
    if (nameFilter.includes('/') && !/[*?[\]{}!]/.test(first)) {
        projects = (await projectVisible(harbor, first)) ? [first] : [];
    }
    else {
        projects = await listProjectNames(harbor);
    }
    const repositories = (await limit(projects, (project) => listRepositoryNames(harbor, project)))
        .flat()
        .filter((name) => matchesEverything(nameFilter) || doublestarMatch(nameFilter, name))
        .sort();
    const keepTag = (tag) => matchesEverything(filters.tag) || doublestarMatch(filters.tag, tag) !== (filters.tagMatch === 'excludes');
    let untagged = 0;
    const perRepository = await limit(repositories, async (repository) => {
        const artifacts = await listArtifacts(harbor, repository);
        const items = [];
        for (const artifact of artifacts) {
            const tags = (artifact.tags ?? []).map((t) => t.name);
            if (tags.length === 0) {
                untagged++;
                continue;
            }
            const kept = tags.filter(keepTag).sort();
            if (kept.length > 0)
                items.push({ repository, digest: artifact.digest, tags: kept });
        }
        return items;
    });
    return { items: perRepository.flat(), repositories: repositories.length, untagged };
}
async function projectVisible(harbor, project) {
    try {
        return await projectReadable(harbor, project);
    }
    catch (error) {
        // Harbor answers 403 for a private project the account cannot see and for a project that does not exist: from
        // 2.7 to anyone but an administrator, before 2.7 to administrators too (src/server/v2.0/handler/base.go
        // HasProjectPermission at v2.15.2 and v2.6.0). Neither is "nothing to import": ACR logs in with this account.
        if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'permission') {
            throw new errors/* UserError */.yo(`Harbor account ${harbor.username ?? 'anonymous'} cannot read project '${project}' (403: the project is private to the account or does not exist; Harbor does not say which), so ACR could not pull from it either; check the project in the name filter, or use an account with pull access to the projects the filter selects`);
        }
        throw error;
    }
}

// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
;// CONCATENATED MODULE: ./shared/capabilities/acr-import/run.ts



















/** Harbor API reads while selecting artifacts: enough to hide latency, few enough not to load Harbor. */
const LISTING_PARALLELISM = 4;
/**
 * The registry pulls each selected Harbor artifact itself through ARM `importImage` (as `az acr
 * import`), so no image bytes pass through the runner and Harbor needs no endpoint, policy or job. Everything is
 * checked and resolved (inputs, Harbor artifacts, the ACR registry) before the first import; one import per artifact,
 * pinned by digest, a bounded number at a time, each followed to completion.
 */
async function importIntoAcr(settings, ctx) {
    const { platform } = ctx;
    const name = ctx.label;
    const registryName = checkRegistryName(settings.registry, name('registry'));
    const resourceGroup = checkName('resourceGroup', settings.resourceGroup, name('resource-group'));
    if (settings.subscriptionId)
        checkSubscription(settings.subscriptionId, name('subscription-id'));
    const images = settings.images?.length ? parseImageLines(settings.images, name('images')) : undefined;
    if (images && (settings.nameFilter || settings.tagFilter)) {
        throw new errors/* InputError */.dz(`Input '${name('images')}' and '${name(settings.nameFilter ? 'name-filter' : 'tag-filter')}' both select what to import; use one of them`);
    }
    if (!images && !settings.nameFilter) {
        throw new errors/* InputError */.dz(`Input '${name('images')}' or '${name('name-filter')}' is required: list the artifacts to import, or select them with a filter such as 'shop/**'`);
    }
    if (settings.tagMatch && !settings.tagFilter)
        throw new errors/* InputError */.dz(`Input '${name('tag-match')}' needs '${name('tag-filter')}'`);
    const prefixText = settings.targetRepositoryPrefix?.replace(/^\/+|\/+$/g, '');
    const prefix = prefixText ? checkRepository(prefixText, name('target-repository-prefix')) : undefined;
    const targetRepository = (repository) => (prefix ? `${prefix}/${repository}` : repository);
    const harborUrl = new URL(settings.harborUrl);
    if (harborUrl.protocol === 'http:') {
        platform.warning(`ACR imports over HTTPS only: ${harborUrl.origin} must also answer at https://${harborUrl.host} with a publicly trusted certificate, reachable from Azure`);
    }
    else if (settings.insecure || settings.caFile) {
        platform.warning(`${name(settings.insecure ? 'insecure' : 'ca-file')} applies to this step's calls only: ACR must trust Harbor's certificate on its own (a publicly trusted one)`);
    }
    const { harbor, http: harborHttp } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, settings, {
        budget: { ms: settings.timeout, input: name('timeout') },
    });
    // ARM gets the runner's trust settings, never Harbor's insecure or CA file. `timeout` bounds the ARM side as a whole
    // too (sign-in, every request, every operation poll): an import's wait ends with the budget, and none starts after.
    const armHttp = ctx.http({
        timeoutMs: Math.min(60_000, settings.timeout),
        budget: { ms: settings.timeout, input: name('timeout') },
    });
    try {
        const limited = (items, fn) => mapLimited(items, LISTING_PARALLELISM, fn);
        let items;
        let note;
        if (images) {
            items = await resolveImages(harbor, images, name('images'));
        }
        else {
            const selection = await resolveFilters(harbor, { name: settings.nameFilter, tag: settings.tagFilter, tagMatch: settings.tagMatch }, limited);
            items = selection.items;
            platform.info(`'${name('name-filter')}' ${settings.nameFilter} matched ${selection.repositories} repository(ies) in Harbor; ${items.length} tagged artifact(s) selected`);
            if (selection.untagged > 0) {
                note = `${selection.untagged} untagged artifact(s) in the matched repositories were left out: an import by filter copies tags.`;
                platform.info(note);
            }
        }
        for (const item of items)
            checkRepository(targetRepository(item.repository), name('target-repository-prefix'));
        // What is attached to each artifact in Harbor, read with the account ACR pulls with.
        let referrers = [];
        let graphs = [];
        if ((settings.includeReferrers || settings.destinationCheck) && items.length > 0) {
            const clients = new Map();
            const registryFor = (repository) => {
                let client = clients.get(repository);
                if (!client) {
                    client = new RegistryClient(harborHttp, harborUrl.origin, repository, { username: settings.username, password: settings.password }, { onSecret: (v) => platform.setSecret(v) });
                    clients.set(repository, client);
                }
                return client;
            };
            graphs = await sourceGraphs(items, registryFor, limited);
            for (const [i, graph] of graphs.entries()) {
                if (graph.truncated)
                    platform.warning(`${items[i].repository}@${registry_client_short(items[i].digest)} has more attached manifests than the step follows (${MAX_REFERRERS} manifests, ${MAX_REFERRER_DEPTH} levels deep); only those are imported`);
            }
            const attached = referrerImports(items, graphs);
            if (settings.includeReferrers)
                referrers = attached;
            if (attached.length > 0)
                platform.info(`Harbor holds ${attached.length} signature(s), SBOM(s) or other referrer(s) attached to the ${items.length} artifact(s)${settings.includeReferrers ? `; '${name('include-referrers')}' imports them too` : ''}`);
        }
        const { arm, subscriptionId } = await connectArm(settings, { subscriptionId: name('subscription-id'), clientId: name('client-id'), tenantId: name('tenant-id') }, armHttp, platform, settings.timeout);
        const acr = new AcrRegistry(arm, { subscriptionId, resourceGroup, registry: registryName });
        const registry = await acr.get(roles/* IMPORT_ROLE */.L7);
        const loginServer = registry.properties.loginServer ?? `${registryName.toLowerCase()}.azurecr.io`;
        ctx.setOutput('login-server', loginServer);
        const rows = items.map((item) => ({
            source: `${item.repository}${item.tags.length ? `:${item.tags.join(',')}` : `@${item.digest}`}`,
            target: `${loginServer}/${targetRepository(item.repository)}${item.tags.length ? `:${item.tags.join(',')}` : ''}`,
            digest: item.digest,
            status: 'Planned',
            duration: '',
        }));
        const referrerRows = referrers.map((r) => ({
            source: `${r.repository}${r.tags.length ? `:${r.tags[0]}` : `@${r.digest}`} (${r.attached.kind} of ${registry_client_short(r.attached.subject)})`,
            target: `${loginServer}/${targetRepository(r.repository)}${r.tags.length ? `:${r.tags[0]}` : ''}`,
            digest: r.digest,
            status: 'Planned',
            duration: '',
        }));
        const summary = {
            harbor: harborUrl.host,
            loginServer,
            mode: settings.importMode,
            rows: [...rows, ...referrerRows],
            note,
        };
        const setCounts = (succeeded, failed, imported, skipped = 0) => {
            ctx.setOutput('total', items.length + referrers.length);
            ctx.setOutput('succeeded', succeeded);
            ctx.setOutput('skipped', skipped);
            ctx.setOutput('failed', failed);
            ctx.setOutput('imported', JSON.stringify(imported));
        };
        if (items.length === 0) {
            setCounts(0, 0, []);
            await platform.addSummary(importSummaryMarkdown(summary));
            // Only filters can select nothing: every listed image was found above.
            const hint = settings.nameFilter?.includes('/')
                ? ''
                : `; it is matched against project/repository, e.g. '${settings.nameFilter}/**'`;
            platform.warning(`Nothing to import: the filters (${name('name-filter')} ${settings.nameFilter}${settings.tagFilter ? `, ${name('tag-filter')} ${settings.tagFilter}` : ''}) matched no tagged artifact in Harbor${hint}`);
            return 'succeeded-with-issues';
        }
        if (!settings.run) {
            await platform.group(`ACR imports planned (${summary.rows.length})`, async () => platform.info(importTableText(summary.rows)));
            setCounts(0, 0, []);
            await platform.addSummary(importSummaryMarkdown(summary));
            platform.info(`${name('run')} is false: nothing was imported`);
            return 'succeeded';
        }
        platform.info(`Importing ${items.length} artifact(s)${referrers.length ? ` and ${referrers.length} referrer(s)` : ''} from ${harborUrl.host} into ${loginServer} (${settings.importMode}, ${settings.parallelImports} at a time)`);
        let fatal;
        let outOfTime = false;
        const notStartedDetail = `not started: '${name('timeout')}' (${formatMs(settings.timeout)}) had run out`;
        const dataPlane = new AcrDataPlane(armHttp, loginServer, () => arm.accessToken());
        const failRow = (row, error) => {
            if (error instanceof ArmTimeoutError || error instanceof client/* BudgetExceededError */.Zq) {
                // The operation's own deadline or the step's whole budget (a request cut at its end): either way the import
                // may go on in Azure, and no time is left for the ones not started yet.
                row.status = 'TimedOut';
                row.detail = `did not finish within ${formatMs(settings.timeout)}; it may still complete in Azure`;
                if (error instanceof client/* BudgetExceededError */.Zq || armHttp.remainingMs() <= 0)
                    outOfTime = true;
            }
            else if (error instanceof ArmError) {
                row.status = 'Failed';
                row.detail = [error.code, error.azureMessage].filter(Boolean).join(': ') || error.message;
            }
            else {
                // Not about this artifact (a missing role, a rejected token, Azure unreachable): every other import would
                // fail the same way, so none is started after it.
                row.status = 'Failed';
                row.detail = error.message;
                fatal ??= error;
            }
        };
        const settleConflict = async (item, row, parameters, conflict) => {
            const repository = targetRepository(item.repository);
            let held;
            try {
                held = await Promise.all(item.tags.map((tag) => dataPlane.tagDigest(repository, tag)));
            }
            catch (error) {
                row.status = 'Failed';
                row.detail = `${[conflict.code, conflict.azureMessage].filter(Boolean).join(': ')}; the tags' digests in ACR could not be compared (${error.message})`;
                row.conflict = 'unknown';
                return;
            }
            const different = item.tags.filter((tag, i) => held[i] !== undefined && held[i] !== item.digest);
            if (different.length > 0) {
                row.status = 'Failed';
                row.conflict = 'different';
                row.detail = different
                    .map((tag) => `${repository}:${tag} already holds ${held[item.tags.indexOf(tag)]}, not ${item.digest}`)
                    .join('; ');
                return;
            }
            const missing = item.tags.filter((_, i) => held[i] === undefined);
            if (missing.length === 0) {
                row.status = 'Skipped';
                row.detail = 'every tag already holds this digest';
                return;
            }
            try {
                await acr.importImage({ ...parameters, targetTags: missing.map((tag) => `${repository}:${tag}`) });
                row.status = 'Succeeded';
                row.detail = `${item.tags.length - missing.length} tag(s) already held this digest; imported ${missing.join(', ')}`;
            }
            catch (error) {
                failRow(row, error);
            }
        };
        const importOne = async (item, row, mode) => {
            if (fatal) {
                row.status = 'NotStarted';
                return;
            }
            if (outOfTime || armHttp.remainingMs() <= 0) {
                outOfTime = true;
                row.status = 'NotStarted';
                row.detail = notStartedDetail;
                return;
            }
            const parameters = {
                source: {
                    registryUri: harborUrl.host,
                    sourceImage: `${item.repository}@${item.digest}`,
                    credentials: { username: settings.username, password: settings.password },
                },
                ...(item.tags.length > 0
                    ? { targetTags: item.tags.map((tag) => `${targetRepository(item.repository)}:${tag}`) }
                    : { untaggedTargetRepositories: [targetRepository(item.repository)] }),
                mode,
            };
            const started = new Date();
            try {
                await acr.importImage(parameters);
                row.status = 'Succeeded';
            }
            catch (error) {
                if (error instanceof ArmError && error.code === CONFLICT && mode === 'NoForce' && item.tags.length > 0) {
                    // NoForce refuses the whole import when any target tag exists, even one that already holds this very digest
                    // (a re-run). Compare what ACR holds before calling it a conflict.
                    await settleConflict(item, row, parameters, error);
                }
                else {
                    failRow(row, error);
                }
            }
            row.duration = formatDuration(started.toISOString(), new Date().toISOString());
            const verb = { Succeeded: 'Imported', Skipped: 'Skipped', TimedOut: 'Timed out:' }[row.status] ?? 'Failed:';
            platform.info(`${verb} ${row.source} → ${row.target}${row.detail ? ` (${row.detail})` : ''}`);
        };
        await mapLimited(items, settings.parallelImports, (item, index) => importOne(item, rows[index], settings.importMode));
        // Then what hangs off each imported artifact, one level at a time (an SBOM before the signature of that SBOM).
        // cosign rewrites its `.sig` tag whenever a signature is added, so Harbor's tag is the newest full set: it
        // replaces ACR's (Force) whatever import-mode says, which protects the artifacts' own tags.
        const depths = [...new Set(referrers.map((r) => r.attached.depth))];
        for (const depth of depths) {
            await mapLimited(referrers.filter((r) => r.attached.depth === depth), settings.parallelImports, async (referrer) => {
                const row = referrerRows[referrers.indexOf(referrer)];
                const root = rows[referrer.root];
                if (root.status !== 'Succeeded' && root.status !== 'Skipped') {
                    row.status = 'NotStarted';
                    row.detail = `${root.source} was not imported`;
                    return;
                }
                await importOne(referrer, row, referrer.tags.length > 0 ? 'Force' : settings.importMode);
            });
        }
        const allRows = summary.rows;
        const succeeded = allRows.filter((r) => r.status === 'Succeeded');
        const skipped = allRows.filter((r) => r.status === 'Skipped');
        const unsuccessful = allRows.filter((r) => r.status !== 'Succeeded' && r.status !== 'Skipped');
        setCounts(succeeded.length, unsuccessful.length, items.flatMap((item, i) => rows[i].status !== 'Succeeded'
            ? []
            : item.tags.map((tag) => `${loginServer}/${targetRepository(item.repository)}:${tag}`)), skipped.length);
        await platform.group(`ACR imports (${allRows.length})`, async () => platform.info(importTableText(allRows)));
        await platform.addSummary(importSummaryMarkdown(summary));
        if (fatal)
            throw fatal;
        if (unsuccessful.length > 0) {
            const first = unsuccessful[0];
            throw new errors/* UserError */.yo(`${unsuccessful.length} of ${allRows.length} import(s) into ${registryName} failed (first: ${first.source} → ${first.target}: ${first.detail})${hintFor(first, settings.username, name)}`);
        }
        if (settings.destinationCheck) {
            await checkDestination(items.flatMap((item, i) => expectedManifests(graphs[i], targetRepository(item.repository), rows[i].source, { attached: true })), dataPlane, { loginServer, registryName, includeReferrers: settings.includeReferrers, name, platform });
        }
        platform.info(`Imported ${succeeded.length - referrerRows.filter((r) => r.status === 'Succeeded').length} artifact(s)${referrers.length ? ` and ${referrerRows.filter((r) => r.status === 'Succeeded').length} referrer(s)` : ''} into ${loginServer}${skipped.length ? `; ${skipped.length} skipped (already there with the same digest)` : ''}`);
        return 'succeeded';
    }
    finally {
        await Promise.all([harborHttp.close(), armHttp.close()]);
    }
}
/**
 * The destination check: every manifest the imports should have left in ACR (each artifact, its index's children,
 * everything attached to it in Harbor) read back through ACR's data plane with the step's own Azure sign-in — what a
 * deployment pulling from ACR will see. One line per missing manifest (bounded), then one failure line.
 */
async function checkDestination(expected, reader, context) {
    const { loginServer, name, platform } = context;
    let missing;
    try {
        missing = await findMissing(expected, reader, (list, fn) => mapLimited(list, LISTING_PARALLELISM, fn));
    }
    catch (error) {
        if (error instanceof client/* BudgetExceededError */.Zq)
            throw error;
        throw new errors/* UserError */.yo(`The destination check could not read ${loginServer} (${error.message}); give the identity a data-plane read role on ${context.registryName} (the '${roles/* IMPORT_ROLE */.L7}' role includes it) or set '${name('destination-check')}' to false`);
    }
    if (logDestinationCheck((line) => platform.info(line), expected.length, missing, loginServer))
        return;
    const hint = !context.includeReferrers && missing.some((m) => m.attached)
        ? `; set '${name('include-referrers')}' to true to import what is attached, or '${name('destination-check')}' to false to accept ACR without it`
        : '';
    throw new errors/* UserError */.yo(`Destination check: ${missing.length} of ${expected.length} expected manifest(s) are not in ${loginServer} after the import (first: ${missingLine(missing[0])})${hint}`);
}
/** What a user can do about the failures Azure reports most. */
function hintFor(row, username, name) {
    if (row.conflict === 'different')
        return `; a tag in ACR holds another image: set '${name('import-mode')}' to Force to overwrite it`;
    if (row.conflict === 'unknown') {
        return `; set '${name('import-mode')}' to Force to overwrite existing tags, or let the identity read the registry (the '${roles/* IMPORT_ROLE */.L7}' role) so re-runs can skip tags that already hold the same image`;
    }
    const detail = row.detail ?? '';
    if (/unauthori[sz]ed|authenticat|denied|credential/i.test(detail)) {
        return `; ACR logs in to Harbor as ${username}: check that this account can pull the artifact and that Harbor is reachable from Azure`;
    }
    if (row.status === 'TimedOut' || row.status === 'NotStarted')
        return `; raise '${name('timeout')}'`;
    return '';
}
/** ARM's error code when NoForce meets an existing target tag. */
const CONFLICT = 'Conflict';

;// CONCATENATED MODULE: ./shared/capabilities/acr-import/index.ts



/* harmony default export */ const acr_import = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, importIntoAcr));


/***/ })

};
;