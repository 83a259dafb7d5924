"use strict";
exports.id = 941;
exports.ids = [941];
exports.modules = {

/***/ 6941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ acr_token)
});

// EXTERNAL MODULE: ./shared/capability.ts + 5 modules
var capability = __webpack_require__(5806);
// EXTERNAL MODULE: ./shared/capabilities/acr-token/definition.ts + 1 modules
var definition = __webpack_require__(5563);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http/client.ts + 3 modules
var client = __webpack_require__(2183);
// EXTERNAL MODULE: ./shared/redact.ts
var redact = __webpack_require__(4781);
// EXTERNAL MODULE: ./shared/util/clock.ts
var util_clock = __webpack_require__(5977);
;// CONCATENATED MODULE: ./shared/util/poll.ts

/**
 * The one poll loop: calls `attempt` until it answers a value (not undefined), with capped exponential backoff, and
 * calls `timedOut` when the deadline ends it (which throws, or answers what the caller reports instead).
 */
async function pollWithBackoff(options, attempt, timedOut) {
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
        return pollWithBackoff({
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

;// CONCATENATED MODULE: ./shared/azure/scope-map.ts
/** Repository permissions as ACR scope maps spell them: `repositories/<repo>/<action>`. */
const SCOPE_MAP_ACTIONS = [
    'content/read',
    'content/write',
    'content/delete',
    'metadata/read',
    'metadata/write',
];
/** What `repo` alone grants: pull, push and listing tags, the set a replication endpoint needs. */
const DEFAULT_ACTIONS = ['content/read', 'content/write', 'metadata/read'];
/** One path component of a repository name, as the OCI distribution spec's grammar has it (separators `.`, `_`, `__`, `-+`). */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/**
 * ACR's limits per scope map (learn.microsoft.com/azure/container-registry/container-registry-skus, "Repositories per
 * scope map" and "Actions per scope map"): checked before anything is sent.
 */
const MAX_SCOPE_MAP_REPOSITORIES = 500;
const MAX_SCOPE_MAP_ACTIONS = 500;
/**
 * Why `repository` is not something a scope map accepts, or undefined. ACR's wildcard rules
 * (learn.microsoft.com/azure/container-registry/container-registry-token-based-repository-permissions, "Wildcards"): a
 * bare `*` (every repository), or one `*` as the whole last path segment (`samples/*`); a wildcard mid-path
 * (samples/<*>/teamA), a partial one (`samples/teamA*`) and two of them (a/<*>/b/<*>) are invalid.
 */
function repositoryProblem(repository) {
    if (repository === '*')
        return undefined;
    const segments = repository.split('/');
    for (const [i, segment] of segments.entries()) {
        if (segment === '*' && i === segments.length - 1 && i > 0)
            continue;
        if (segment.includes('*')) {
            return `'${repository}' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name`;
        }
        if (!COMPONENT.test(segment)) {
            return `'${repository}' is not a repository name (lower-case path segments of letters and digits, separated inside by ., _, __ or -)`;
        }
    }
    return undefined;
}
/**
 * Parses `repo: action, action` lines into scope-map actions. Throws `Error` with the offending line; the caller names
 * the input.
 */
function parseRepositoryLines(lines) {
    const actions = new Set();
    const repositories = new Set();
    for (const line of lines) {
        const colon = line.indexOf(':');
        const repository = (colon < 0 ? line : line.slice(0, colon)).trim();
        const problem = repositoryProblem(repository);
        if (problem)
            throw new Error(problem);
        repositories.add(repository);
        const listed = colon < 0
            ? []
            : line
                .slice(colon + 1)
                .split(/[,\s]+/)
                .map((a) => a.trim())
                .filter(Boolean);
        for (const action of listed.length > 0 ? listed : DEFAULT_ACTIONS) {
            const normalised = action.toLowerCase();
            if (!SCOPE_MAP_ACTIONS.includes(normalised)) {
                throw new Error(`'${action}' in line '${line.trim()}' is not an action; use ${SCOPE_MAP_ACTIONS.join(', ')}`);
            }
            actions.add(`repositories/${repository}/${normalised}`);
        }
    }
    if (repositories.size > MAX_SCOPE_MAP_REPOSITORIES) {
        throw new Error(`${repositories.size} repositories, but an ACR scope map holds at most ${MAX_SCOPE_MAP_REPOSITORIES}; use a wildcard such as 'team/*' or split the token`);
    }
    if (actions.size > MAX_SCOPE_MAP_ACTIONS) {
        throw new Error(`${actions.size} actions, but an ACR scope map holds at most ${MAX_SCOPE_MAP_ACTIONS}; grant fewer actions per repository, use a wildcard such as 'team/*', or split the token`);
    }
    return [...actions].sort();
}
/** Scope maps compare as sets: ACR may return the actions in any order, and case is not significant. */
function sameActions(a, b) {
    const left = new Set(a.map((x) => x.toLowerCase()));
    const right = new Set(b.map((x) => x.toLowerCase()));
    return left.size === right.size && [...left].every((x) => right.has(x));
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

// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
// EXTERNAL MODULE: ./shared/harbor/client.ts
var harbor_client = __webpack_require__(438);
;// CONCATENATED MODULE: ./shared/harbor/registries.ts




/**
 * Harbor's registry endpoints (Administration → Registries): the other side of a replication policy. Harbor never
 * returns a stored secret, so an endpoint can be compared on everything but its password; a supplied password is
 * always written (a rotated ACR token must reach Harbor even when nothing else changed).
 */
/**
 * Harbor's `POST /registries/ping` refused the endpoint: `status` is Harbor's answer (400 "the registry is unhealthy"
 * when its health check against the registry failed: src/server/v2.0/handler/registry.go PingRegistry), so callers
 * can decide from it whether waiting can help.
 */
class RegistryPingError extends errors/* UserError */.yo {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'RegistryPingError';
    }
}
/** Adapter names Harbor 2.x registers (src/pkg/reg/model/registry.go); `GET /replication/adapters` lists a live one's. */
const REGISTRY_TYPES = (/* unused pure expression or super */ null && ([
    'harbor',
    'docker-hub',
    'docker-registry',
    'azure-acr',
    'aws-ecr',
    'google-gcr',
    'github-ghcr',
    'gitlab',
    'quay',
    'jfrog-artifactory',
    'ali-acr',
    'huawei-SWR',
    'tencent-tcr',
    'volcengine-cr',
    'dtr',
]));
/** One authenticated read of the registry endpoints: proves the URL, the credentials and the system-level permission. */
async function checkRegistryAccess(harbor) {
    await replicationScope(() => harbor.call('GET', '/registries', {
        query: { page: 1, page_size: 1 },
        expected: [200],
        what: 'listing registry endpoints',
    }));
}
/** The endpoint called `name`, or undefined. `q=name=…` narrows the list where q can say it; the exact match is checked here. */
async function findRegistry(harbor, name) {
    const found = await replicationScope(() => harbor.list('/registries', { q: (0,harbor_client/* exactQuery */.OS)('name', name) }, 'listing registry endpoints'));
    return found.find((r) => r.name === name);
}
async function getRegistry(harbor, id) {
    return replicationScope(() => harbor.json('GET', `/registries/${id}`, { what: `reading registry endpoint ${id}` }));
}
/**
 * Creates the endpoint `spec.name` or brings it in line with `spec`, pinging it through Harbor before anything is
 * saved so a wrong URL or credential leaves Harbor untouched. `log` receives one line per decision (no secrets).
 */
async function ensureRegistryEndpoint(harbor, spec, log) {
    const url = spec.url.replace(/\/+$/, '');
    const existing = await findRegistry(harbor, spec.name);
    if (!existing) {
        await pingRegistry(harbor, { ...spec, url });
        const res = await replicationScope(() => harbor.call('POST', '/registries', {
            json: {
                name: spec.name,
                type: spec.type,
                url,
                insecure: spec.insecure ?? false,
                description: spec.description ?? '',
                credential: credentialOf(spec),
            },
            expected: [201],
            retry: false,
            what: `creating registry endpoint '${spec.name}'`,
        }));
        const id = idFromLocation(res.headers.location) ?? (await findRegistry(harbor, spec.name))?.id;
        if (id === undefined)
            throw new errors/* UserError */.yo(`Harbor created registry endpoint '${spec.name}' but did not say its id, and it cannot be found by name`);
        log(`Registry endpoint '${spec.name}' created (id ${id}, ${spec.type}, ${url})`);
        return { id, created: true, updated: false };
    }
    const changes = registryChanges(existing, { ...spec, url });
    const refreshSecret = spec.password !== undefined;
    if (changes.length === 0 && !refreshSecret) {
        log(`Registry endpoint '${spec.name}' (id ${existing.id}) is up to date`);
        return { id: existing.id, created: false, updated: false };
    }
    // Without a new password Harbor pings with the stored one (the id tells it which).
    await pingRegistry(harbor, { ...spec, url }, refreshSecret ? undefined : existing.id);
    const update = {
        name: spec.name,
        url,
        insecure: spec.insecure ?? existing.insecure ?? false,
    };
    if (spec.description !== undefined)
        update.description = spec.description;
    if (spec.username !== undefined) {
        update.credential_type = 'basic';
        update.access_key = spec.username;
    }
    if (refreshSecret)
        update.access_secret = spec.password;
    await replicationScope(() => harbor.call('PUT', `/registries/${existing.id}`, {
        json: update,
        expected: [200],
        what: `updating registry endpoint '${spec.name}'`,
    }));
    const described = [
        ...changes,
        ...(refreshSecret
            ? ['credential refreshed (Harbor never reveals the stored secret, so a supplied one is always written)']
            : []),
    ];
    log(`Registry endpoint '${spec.name}' (id ${existing.id}) updated: ${described.join('; ')}`);
    return { id: existing.id, created: false, updated: true };
}
/** The differences between a stored endpoint and the wanted one, as `field: old → new` lines (never a secret). */
function registryChanges(existing, spec) {
    const changes = [];
    const compare = (field, from, to) => {
        if (to !== undefined && from !== to)
            changes.push(`${field}: ${show(from)} → ${show(to)}`);
    };
    if (existing.type !== spec.type) {
        throw new errors/* UserError */.yo(`Registry endpoint '${spec.name}' exists with type '${existing.type}', not '${spec.type}'; Harbor cannot change an endpoint's type: choose another registry name or delete the endpoint`);
    }
    compare('url', existing.url.replace(/\/+$/, ''), spec.url);
    compare('insecure', existing.insecure ?? false, spec.insecure);
    compare('description', existing.description ?? '', spec.description);
    compare('username', existing.credential?.access_key ?? '', spec.username);
    return changes;
}
/**
 * `POST /registries/ping`: Harbor reaches the endpoint with the given credentials. Any answer but 200 becomes one
 * line naming the URL and Harbor's reason, before anything is saved.
 */
async function pingRegistry(harbor, spec, id) {
    const body = { type: spec.type, url: spec.url, insecure: spec.insecure ?? false };
    if (id !== undefined)
        body.id = id;
    if (spec.username !== undefined) {
        body.credential_type = 'basic';
        body.access_key = spec.username;
    }
    // With an id and no new password, Harbor must use the stored secret: an empty one would replace it.
    if (spec.password !== undefined || (id === undefined && spec.username !== undefined))
        body.access_secret = spec.password ?? '';
    const res = await replicationScope(() => harbor.call('POST', '/registries/ping', {
        json: body,
        expected: [200, 400, 404, 500],
        retry: false,
        what: `pinging ${spec.url}`,
    }));
    if (res.status === 200)
        return;
    const remote = (0,client/* remoteMessage */.aT)(res);
    const reason = `${res.status}${remote ? `: ${remote}` : ''}`;
    throw new RegistryPingError(res.status, `Harbor could not reach registry endpoint ${spec.url} as ${spec.username ?? 'anonymous'} (${reason}); nothing was saved: check the registry URL, type and credentials`);
}
function credentialOf(spec) {
    if (spec.username === undefined)
        return undefined;
    return { type: 'basic', access_key: spec.username, access_secret: spec.password ?? '' };
}
/** Harbor's 201 answers carry `Location: /api/v2.0/<collection>/<id>`. */
function idFromLocation(location) {
    const match = /\/(\d+)\/?$/.exec(location ?? '');
    return match ? Number(match[1]) : undefined;
}
/**
 * Registries and replication are system-level APIs: a project robot account gets 403 however its permissions are set.
 * Say so instead of Harbor's bare "forbidden". Whether the account is a project robot is not guessed from its name:
 * the robot prefix is configurable (`robot_name_prefix`, src/lib/config/metadata/metadatalist.go) and only an
 * administrator can read it (GET /configurations; systeminfo does not return it, src/controller/systeminfo/
 * controller.go), so the advice names the case instead of deciding it.
 */
async function replicationScope(fn) {
    try {
        return await fn();
    }
    catch (error) {
        if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'permission') {
            throw error.with({
                advice: 'registry endpoints and replication are system-level APIs, which a project robot account can never use; use a Harbor administrator or a system robot account with the registry and replication permissions',
            });
        }
        throw error;
    }
}
function show(value) {
    return value === '' || value === undefined ? "''" : typeof value === 'string' ? `'${value}'` : String(value);
}

// EXTERNAL MODULE: ./shared/inputs/parse.ts
var parse = __webpack_require__(3841);
;// CONCATENATED MODULE: ./shared/capabilities/acr-token/settings.ts



/** `30d`, `12h`, an ISO date (`2026-12-31` is midnight UTC) or date-time, or `never` → ISO expiry or undefined. */
function passwordExpiry(text, label, now = Date.now()) {
    const value = text.trim();
    if (value.toLowerCase() === 'never')
        return undefined;
    let at;
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
        at = Date.parse(value);
        // Date.parse rolls 2027-02-30 over to March 2; a date that does not exist is a typo, not a later day.
        const [year, month, day] = value.slice(0, 10).split('-').map(Number);
        const calendar = new Date(Date.UTC(year, month - 1, day));
        if (Number.isNaN(at) ||
            calendar.getUTCFullYear() !== year ||
            calendar.getUTCMonth() !== month - 1 ||
            calendar.getUTCDate() !== day) {
            throw new errors/* InputError */.dz(`Input '${label}' is not a valid ISO date (got '${value}')`);
        }
    }
    else {
        try {
            at = now + (0,parse/* parseDuration */.E9)(value, label);
        }
        catch {
            throw new errors/* InputError */.dz(`Input '${label}' must be a duration like 30d or 12h, an ISO date like 2026-12-31, or never (got '${value}')`);
        }
    }
    if (at <= now)
        throw new errors/* InputError */.dz(`Input '${label}' must lie in the future (got '${value}')`);
    return new Date(at).toISOString();
}
/** The repositories input as scope-map actions, with the offending line in the error. */
function scopeMapActions(lines, label) {
    if (lines.length === 0)
        throw new errors/* InputError */.dz(`Input '${label}' must list at least one repository`);
    try {
        return parseRepositoryLines(lines);
    }
    catch (error) {
        throw new errors/* InputError */.dz(`Input '${label}': ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./shared/capabilities/acr-token/run.ts










/** A password that expires within this window gets a warning, so rotation happens before logins fail. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;
/**
 * How long Harbor's ping may keep refusing a password Azure just generated. Microsoft's ACR docs
 * (container-registry-token-based-repository-permissions) say a regenerated token password takes about 60 seconds to
 * replicate; 90 s leaves room for a slow region.
 */
const PASSWORD_REPLICATION_WAIT_MS = 90_000;
const PING_RETRY_FIRST_MS = 2_000;
const PING_RETRY_MAX_MS = 15_000;
async function runAcrToken(s, ctx) {
    const { platform } = ctx;
    const name = ctx.label;
    // Every input is judged before the first remote call: a typo must not leave half a configuration in Azure.
    const registryName = checkRegistryName(s.registry, name('registry'));
    if (s.subscriptionId)
        checkSubscription(s.subscriptionId, name('subscription-id'));
    const resourceGroup = checkName('resourceGroup', s.resourceGroup, name('resource-group'));
    const tokenName = checkName('token', s.token, name('token'));
    const scopeMapName = checkName('scopeMap', s.scopeMap ?? `${tokenName}-scope-map`.slice(0, 50), name('scope-map'));
    const actions = scopeMapActions(s.repositories, name('repositories'));
    const expiry = passwordExpiry(s.passwordExpiry, name('password-expiry'));
    if (s.registerInHarbor) {
        const needed = [
            ['harbor-url', s.harborUrl],
            ['harbor-username', s.harborUsername],
            ['harbor-password', s.harborPassword],
        ];
        for (const [spec, value] of needed) {
            if (!value)
                throw new errors/* InputError */.dz(`Input '${name(spec)}' is required with ${name('register-in-harbor')}: true`);
        }
        // ACR refuses every login of a disabled token, so Harbor's ping (and each replication after it) would fail — after
        // Azure had already been changed. Refused before anything is touched.
        if (s.status === 'disabled') {
            throw new errors/* InputError */.dz(`Input '${name('status')}' is disabled while ${name('register-in-harbor')} is true: ACR refuses every login of a disabled token, so Harbor could not use it; enable the token or drop the registration`);
        }
    }
    // Harbor is checked (reachable, credentials, permission) before Azure is touched: a rotated password that Harbor then
    // refuses would leave the endpoint holding the old, now invalid one.
    // `timeout` bounds the whole step: Harbor's check, the sign-in and every ARM call and long-running operation.
    const started = Date.now();
    const budget = () => ({ ms: Math.max(1, s.timeout - (Date.now() - started)), input: name('timeout') });
    const harbor = s.registerInHarbor ? await checkHarbor(s, platform, budget()) : undefined;
    const http = ctx.http({ budget: budget() });
    const { arm, subscriptionId } = await connectArm(s, {
        subscriptionId: name('subscription-id'),
        clientId: name('client-id'),
        tenantId: name('tenant-id'),
    }, http, platform, s.timeout, ctx.clock.sleep);
    const acr = new AcrRegistry(arm, { subscriptionId, resourceGroup, registry: registryName });
    const registry = await acr.get();
    if (!skuSupportsTokens(registry.sku?.name)) {
        throw new errors/* UserError */.yo(`Registry ${registryName} has the ${registry.sku.name} SKU, which has no tokens or scope maps; upgrade it to Basic, Standard or Premium`);
    }
    const loginServer = registry.properties.loginServer ?? `${registryName.toLowerCase()}.azurecr.io`;
    // The endpoint Harbor already has (read before any write in Azure): its description records which password slot it
    // logs in with, so a rotation can write the other slot and leave the running endpoint working until it switches.
    const endpointName = s.harborRegistryName ?? loginServer;
    const endpoint = harbor ? await findRegistry(harbor, endpointName) : undefined;
    const harborSlot = endpoint ? (slotOf(endpoint) ?? s.passwordName) : undefined;
    const endpointUrl = s.harborRegistryUrl ?? `https://${loginServer}`;
    if (harbor) {
        // Harbor must reach the registry URL at all (a ping without credentials only checks that it answers), or no
        // password would ever pass; checked before Azure is changed. After this, a refused ping is about the password.
        await pingRegistry(harbor, { name: endpointName, type: 'azure-acr', url: endpointUrl.replace(/\/+$/, '') });
    }
    const checkedSlot = harborSlot ?? s.passwordName;
    const targetSlot = harborSlot ? otherSlot(harborSlot) : s.passwordName;
    const scopeMap = await ensureScopeMap(acr, scopeMapName, actions, platform);
    const { token, created } = await ensureToken(acr, tokenName, scopeMap.id, s.status, platform);
    const slot = token.properties.credentials?.passwords?.find((p) => p.name === checkedSlot);
    const reason = created
        ? 'the token is new'
        : s.rotate
            ? `${name('rotate')} is true`
            : !slot
                ? `the token has no ${checkedSlot}${harborSlot ? ` (the slot Harbor's endpoint uses)` : ''}`
                : isExpired(slot)
                    ? `${checkedSlot} expired on ${slot.expiry}`
                    : undefined;
    let password;
    let username = tokenName;
    if (reason) {
        const generated = await acr.generateCredentials({
            tokenId: token.id,
            name: targetSlot,
            ...(expiry ? { expiry } : {}),
        });
        // Mask every value Azure returned before anything else can print one.
        for (const p of generated.passwords ?? [])
            if (p.value)
                platform.setSecret(p.value);
        password = generated.passwords?.find((p) => p.name === targetSlot && p.value);
        if (!password?.value)
            throw new errors/* UserError */.yo(`Azure generated credentials for token ${tokenName} but returned no value for ${targetSlot}`);
        username = generated.username ?? tokenName;
        const kept = harborSlot ? `; Harbor's endpoint keeps logging in with ${harborSlot} until it switches` : '';
        platform.info(`Generated ${targetSlot} for token ${tokenName} because ${reason}; it ${password.expiry ? `expires ${password.expiry}` : 'never expires'}${kept}`);
        ctx.setOutput('password', password.value);
        ctx.setOutput('password-name', targetSlot);
    }
    else {
        platform.info(`Token ${tokenName} already has ${checkedSlot} (${slot?.expiry ? `expires ${slot.expiry}` : 'no expiry'}): no password output, because Azure shows a password only when it is generated; set ${name('rotate')}: true to generate a new one`);
    }
    const effectiveExpiry = password ? password.expiry : slot?.expiry;
    let result = 'succeeded';
    if (!password && slot?.expiry && Date.parse(slot.expiry) - Date.now() < EXPIRY_WARNING_MS) {
        platform.warning(`${checkedSlot} of token ${tokenName} expires ${slot.expiry}; rotate it with ${name('rotate')}: true`);
        result = 'succeeded-with-issues';
    }
    ctx.setOutput('username', username);
    ctx.setOutput('login-server', loginServer);
    ctx.setOutput('expiry', effectiveExpiry ?? '');
    ctx.setOutput('scope-map-id', scopeMap.id);
    ctx.setOutput('token-id', token.id);
    let harborRegistryId;
    if (harbor) {
        harborRegistryId = await registerInHarbor(s, platform, harbor, {
            endpointName,
            url: endpointUrl,
            endpoint,
            loginServer,
            username,
            password: password?.value,
            slot: password ? targetSlot : checkedSlot,
            previousSlot: harborSlot,
            clock: ctx.clock,
        });
        ctx.setOutput('harbor-registry-id', harborRegistryId);
    }
    await platform.addSummary([
        `### ACR token ${tokenName} on ${loginServer}`,
        '',
        '| | |',
        '| --- | --- |',
        `| Scope map | ${scopeMapName} (${actions.length} actions) |`,
        `| Status | ${token.properties.status ?? s.status} |`,
        `| Password | ${password ? `${targetSlot} generated (${reason})` : `${checkedSlot} unchanged`} |`,
        `| Expiry | ${effectiveExpiry ?? 'never'} |`,
        ...(harborRegistryId !== undefined ? [`| Harbor endpoint | id ${harborRegistryId} |`] : []),
        '',
    ].join('\n'));
    return result;
}
async function ensureScopeMap(acr, name, actions, platform) {
    const description = 'Managed by harbor-pipelines acr-token';
    const existing = await acr.getScopeMap(name);
    if (!existing) {
        const created = await acr.createScopeMap(name, actions, description);
        platform.info(`Scope map ${name} created: ${actions.join(', ')}`);
        return created;
    }
    const current = existing.properties.actions ?? [];
    if (sameActions(current, actions)) {
        platform.info(`Scope map ${name} unchanged (${actions.length} actions)`);
        return existing;
    }
    if ((existing.properties.type ?? '').toLowerCase() === 'systemdefined') {
        throw new errors/* UserError */.yo(`Scope map ${name} is system-defined and cannot be changed; choose another scope-map name for these repositories`);
    }
    const lower = new Set(current.map((a) => a.toLowerCase()));
    const wanted = new Set(actions.map((a) => a.toLowerCase()));
    const added = actions.filter((a) => !lower.has(a.toLowerCase()));
    const removed = current.filter((a) => !wanted.has(a.toLowerCase()));
    const updated = await acr.updateScopeMap(name, actions, existing.properties.description ?? description);
    // A scope map can back several tokens (az acr token create --scope-map), and this update changes what all of them may do.
    platform.warning(`Scope map ${name} existed with other actions and was overwritten (it may be shared by other tokens, which now get the same permissions):${added.length ? ` added ${added.join(', ')}` : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`);
    return updated;
}
async function ensureToken(acr, name, scopeMapId, status, platform) {
    const existing = await acr.getToken(name);
    if (!existing) {
        const token = await acr.createToken(name, scopeMapId, status);
        platform.info(`Token ${name} created (${status})`);
        return { token, created: true };
    }
    const changes = {};
    // ARM resource ids compare case-insensitively.
    if ((existing.properties.scopeMapId ?? '').toLowerCase() !== scopeMapId.toLowerCase())
        changes.scopeMapId = scopeMapId;
    if (existing.properties.status !== status)
        changes.status = status;
    if (Object.keys(changes).length === 0) {
        platform.info(`Token ${name} unchanged (${status})`);
        return { token: existing, created: false };
    }
    const token = await acr.updateToken(name, changes);
    const described = [
        changes.scopeMapId ? `scope map → ${scopeMapId.split('/').pop()}` : '',
        changes.status ? `status ${existing.properties.status} → ${status}` : '',
    ];
    platform.info(`Token ${name} updated: ${described.filter(Boolean).join(', ')}`);
    return { token, created: false };
}
/**
 * The Harbor to register in. One authenticated read of the registry endpoints proves the URL, the credentials and the
 * system-level permission before anything is written in Azure.
 */
async function checkHarbor(s, platform, budget) {
    const { harbor } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, s, { prefix: 'harbor-', budget });
    await checkRegistryAccess(harbor);
    return harbor;
}
/**
 * Creates or updates the Harbor endpoint. Harbor pings with the credentials before it saves them, and a freshly
 * generated ACR token password is refused until it has replicated (about 60 s, Microsoft's ACR docs), so with a new
 * password an unhealthy ping (Harbor's 400) is retried with backoff for up to PASSWORD_REPLICATION_WAIT_MS. Nothing
 * is saved in Harbor before a ping succeeds, so the endpoint keeps the previous slot's password, which still works.
 */
async function registerInHarbor(s, platform, harbor, r) {
    if (!r.password && !r.endpoint) {
        throw new errors/* UserError */.yo(`Cannot create Harbor registry endpoint '${r.endpointName}': no password was generated because token ${r.username} already exists; set ${platform.inputName(definition/* definition */.m.inputs.rotate)}: true once to hand Harbor a fresh one`);
    }
    const spec = {
        name: r.endpointName,
        type: 'azure-acr',
        url: r.url,
        username: r.username,
        password: r.password,
        description: endpointDescription(r.username, r.slot),
    };
    const ensured = await platform.group(`Harbor registry endpoint ${r.endpointName}`, async () => {
        let refused;
        return pollWithBackoff({
            timeoutMs: PASSWORD_REPLICATION_WAIT_MS,
            initialDelayMs: PING_RETRY_FIRST_MS,
            maxDelayMs: PING_RETRY_MAX_MS,
            clock: r.clock,
            onWait: (ms) => platform.info(`Harbor's ping with the new ${r.slot} failed (${refused.status}); a new ACR token password takes about a minute to replicate: retrying in ${Math.round(ms / 1000)} s`),
        }, async () => {
            try {
                return await ensureRegistryEndpoint(harbor, spec, (m) => platform.info(m));
            }
            catch (error) {
                const waitable = r.password !== undefined && error instanceof RegistryPingError && error.status === 400;
                if (!waitable)
                    throw error;
                refused = error;
                return undefined;
            }
        }, () => {
            const kept = r.previousSlot ? `Harbor's endpoint still holds ${r.previousSlot}, which keeps working; ` : '';
            throw new errors/* UserError */.yo(`${refused.message}; the new ${r.slot} was still refused after ${Math.round(PASSWORD_REPLICATION_WAIT_MS / 1000)} s of retries (a new ACR token password takes about a minute to replicate). ${kept}run the step again with ${platform.inputName(definition/* definition */.m.inputs.rotate)}: true`, { cause: refused });
        });
    });
    return ensured.id;
}
const DESCRIPTION_SUFFIX = '(managed by harbor-pipelines acr-token)';
/** The endpoint's description names the token and the password slot Harbor logs in with. */
function endpointDescription(username, slot) {
    return `ACR token ${username}, ${slot} ${DESCRIPTION_SUFFIX}`;
}
/** The slot an endpoint this step wrote logs in with; undefined for endpoints written otherwise (or before slots were recorded). */
function slotOf(endpoint) {
    const match = /, (password[12]) \(managed by harbor-pipelines acr-token\)$/.exec(endpoint.description ?? '');
    return match ? match[1] : undefined;
}
function otherSlot(slot) {
    return slot === 'password1' ? 'password2' : 'password1';
}
function isExpired(password) {
    return password.expiry !== undefined && Date.parse(password.expiry) <= Date.now();
}

;// CONCATENATED MODULE: ./shared/capabilities/acr-token/index.ts



/* harmony default export */ const acr_token = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, runAcrToken));


/***/ })

};
;