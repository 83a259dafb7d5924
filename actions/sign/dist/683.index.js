"use strict";
exports.id = 683;
exports.ids = [683];
exports.modules = {

/***/ 5683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ sign)
});

// EXTERNAL MODULE: ./shared/capability.ts + 5 modules
var capability = __webpack_require__(5843);
// EXTERNAL MODULE: ./shared/capabilities/sign/definition.ts + 1 modules
var definition = __webpack_require__(7692);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
;// CONCATENATED MODULE: ./shared/azure/key-vault.ts



/** Key Vault data plane (azure-rest-api-specs keyvault/data-plane stable/7.5 keys.json). */
const API_VERSION = '7.5';
/** Entra scope of the Key Vault data plane in Azure public cloud. */
const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';
/**
 * The Entra scope for a vault: its DNS suffix is the resource (`<vault>.vault.azure.net` → https://vault.azure.net,
 * `.vault.usgovcloudapi.net`, `.vault.azure.cn`, Managed HSM's `<hsm>.managedhsm.azure.net`), as the `resource` of
 * Key Vault's 401 challenge names it. A vault on an address (a local stand-in) gets the public cloud's.
 */
function keyVaultScope(vault) {
    const host = new URL(vault).hostname;
    const m = /^[^.]+\.((?:vault|managedhsm)\.[a-z0-9.-]+)$/i.exec(host);
    return m ? `https://${m[1].toLowerCase()}/.default` : KEY_VAULT_SCOPE;
}
/**
 * A versioned key identifier as Key Vault prints it (`kid`): `https://<vault>/keys/<name>/<version>`. The version is
 * required: a signature must name the key version its certificate belongs to, and `sign` is addressed by version.
 */
function parseKeyId(id, label) {
    let url;
    try {
        url = new URL(id);
    }
    catch {
        throw new errors/* InputError */.dz(`Input '${label}': '${id}' is not a Key Vault key identifier (https://<vault>/keys/<name>/<version>)`);
    }
    const m = /^\/keys\/([0-9A-Za-z-]{1,127})\/([0-9A-Za-z]{1,64})\/?$/.exec(url.pathname);
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
        throw new errors/* InputError */.dz(`Input '${label}': a Key Vault key identifier starts with https://`);
    }
    if (!m || url.search || url.hash) {
        throw new errors/* InputError */.dz(`Input '${label}': '${id}' is not a versioned Key Vault key identifier (https://<vault>/keys/<name>/<version>, as 'az keyvault key show --query key.kid' prints it)`);
    }
    return { vault: `${url.protocol}//${url.host}`, name: m[1], version: m[2] };
}
function isLoopback(host) {
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}
/**
 * Key Vault's key operations the step uses: GetKey (the public key, enabled, key_ops) and `sign`, where Key Vault signs
 * a digest the caller computed; the private key never leaves the vault.
 */
class KeyVaultClient {
    http;
    credential;
    constructor(http, credential) {
        this.http = http;
        this.credential = credential;
    }
    /** `GET {vault}/keys/{name}/{version}` (keys.json operationId GetKey; needs the keys/get permission). */
    async getKey(key) {
        const operation = `reading key ${key.name}/${key.version} in ${new URL(key.vault).host}`;
        const res = await this.request(key, 'GET', '', undefined);
        if (res.status !== 200)
            throw this.refusal(res, key, operation, 'get');
        const bundle = res.json();
        const jwk = bundle?.key;
        let publicKey;
        try {
            // EC-HSM and RSA-HSM keys have the same public form as EC and RSA.
            const kty = String(jwk?.kty ?? '').replace(/-HSM$/, '');
            const publicJwk = kty === 'EC' ? { kty, crv: jwk?.crv, x: jwk?.x, y: jwk?.y } : { kty, n: jwk?.n, e: jwk?.e };
            publicKey = (0,external_node_crypto_.createPublicKey)({ key: publicJwk, format: 'jwk' });
        }
        catch {
            throw new remote_error/* RemoteError */.Hi({
                service: 'Key Vault',
                operation,
                status: res.status,
                remoteMessage: `the answer holds no usable public key (kty ${String(jwk?.kty)})`,
                endpoint: new URL(key.vault).host,
                kind: 'unexpected',
            });
        }
        return {
            kid: jwk?.kid ?? `${key.vault}/keys/${key.name}/${key.version}`,
            publicKey,
            // Absent means enabled (keys.json KeyAttributes: `enabled` is optional).
            enabled: bundle?.attributes?.enabled !== false,
            keyOps: Array.isArray(jwk?.key_ops) ? jwk.key_ops : undefined,
        };
    }
    /** `POST {vault}/keys/{name}/{version}/sign`: the signature (for EC keys the JWS form, r‖s) of `digest`. */
    async sign(key, alg, digest) {
        const operation = `sign with key ${key.name}/${key.version} in ${new URL(key.vault).host}`;
        const res = await this.request(key, 'POST', '/sign', { alg, value: digest.toString('base64url') });
        if (res.status !== 200)
            throw this.refusal(res, key, operation, 'sign');
        const value = (res.json() ?? {}).value;
        if (typeof value !== 'string' || value === '') {
            throw new remote_error/* RemoteError */.Hi({
                service: 'Key Vault',
                operation,
                status: res.status,
                remoteMessage: 'the answer has no signature value',
                endpoint: new URL(key.vault).host,
                kind: 'unexpected',
            });
        }
        return Buffer.from(value, 'base64url');
    }
    async request(key, method, suffix, json) {
        const { token } = await this.credential.getToken(keyVaultScope(key.vault));
        return this.http.request({
            method,
            url: `${key.vault}/keys/${encodeURIComponent(key.name)}/${encodeURIComponent(key.version)}${suffix}?api-version=${API_VERSION}`,
            headers: { authorization: `Bearer ${token}` },
            ...(json === undefined ? {} : { json }),
        });
    }
    /**
     * A refusal as what it is, from the status and Key Vault's codes (`error.code`, and `error.innererror.code` where one
     * status means several things), never the message: 403 Forbidden is a missing permission (innererror
     * ForbiddenByRbac / AccessDenied), or a rule of the key: KeyDisabled (a disabled key version; Key Vault's
     * SecretDisabled counterpart) or KeyOperationForbidden (the operation is not in the key's key_ops).
     */
    refusal(res, key, operation, permission) {
        const { code, message } = (0,remote_error/* parseRemoteBody */._z)(res.body);
        const inner = innerCode(res.body);
        let kind;
        let advice;
        if (res.status === 403 && inner === 'KeyDisabled') {
            kind = 'policy';
            advice = 'the key version is disabled; enable it or name an enabled version';
        }
        else if (res.status === 403 && inner === 'KeyOperationForbidden') {
            kind = 'policy';
            advice = `the key's permitted operations (key_ops) do not include ${permission}`;
        }
        else if (res.status === 403) {
            advice = `the identity needs the keys/${permission} permission on the key (RBAC role "Key Vault Crypto User", or an access policy with Get and Sign)`;
        }
        else if (res.status === 404) {
            advice = 'check the vault, key name and version in the key identifier';
        }
        return new remote_error/* RemoteError */.Hi({
            service: 'Key Vault',
            operation,
            status: res.status,
            code,
            remoteMessage: message,
            account: this.credential.description,
            endpoint: new URL(key.vault).host,
            retryAfter: res.headers['retry-after'],
            kind,
            advice,
        });
    }
}
function innerCode(body) {
    try {
        const inner = JSON.parse(body.toString()).error?.innererror;
        return typeof inner?.code === 'string' ? inner.code : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./shared/http/client.ts
var client = __webpack_require__(6160);
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
function credentials_resourceToScope(resource) {
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
class arm_client_ArmClient {
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
        this.clock = clockWith({ sleep: options.sleep });
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
                throw new UserError(`Azure accepted ${options.what} but sent no operation URL to follow`);
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
            cutOff: (error) => error instanceof BudgetExceededError,
        }, attempt, timedOut);
    }
    /** Operation URLs come from response headers; the bearer token only ever goes back to the ARM endpoint. */
    sameOrigin(url, what) {
        if (new URL(url).origin !== new URL(this.endpoint).origin) {
            throw new UserError(`Azure sent an operation URL for ${what} outside ${this.endpoint} (${redactUrl(url)}); refusing to send the token there`);
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
        message = remoteMessage(res);
    }
    const detail = [code, message].filter(Boolean).join(': ') || remoteMessage(res);
    return new ArmError(res.status, code, message, `Azure ${what} failed with ${res.status}${detail ? `: ${detail}` : ''}`);
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
        throw new InputError(`Input '${label}' must be ${rule.min}-${rule.max} characters of ${rule.what} (got '${value}')`);
    }
    return value;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function names_checkSubscription(value, label) {
    if (!UUID.test(value))
        throw new InputError(`Input '${label}' must be a subscription id (a GUID), not a name (got '${value}')`);
    return value;
}
/** The registry input: its name, never the login server (a common mix-up), within ARM's rules. */
function checkRegistryName(value, label) {
    if (value.includes('.')) {
        throw new InputError(`Input '${label}' takes the registry name (${value.split('.')[0]}), not the login server (got '${value}')`);
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
        throw new InputError(`Input required and not supplied: ${names.subscriptionId} (the sign-in names no subscription)`);
    return { arm, subscriptionId: checkSubscription(subscription, names.subscriptionId) };
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
    return `/projects/${encodeURIComponent(ref.project)}/repositories/${(0,harbor_client/* encodeRepository */.tL)(ref.repository)}/artifacts/${reference}`;
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
            const actual = sha256(bytes);
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
async function artifact_listReferrers(registry, digest) {
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
    for (const referrer of await artifact_listReferrers(registry, subject.digest)) {
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

;// CONCATENATED MODULE: ./shared/oci/referrer-graph.ts


/** cosign's tag layout for what it attaches to `sha256:<hex>`: `sha256-<hex>.sig`, `.att`, `.sbom` (cosign `pkg/oci/remote`). */
const COSIGN_TAG_SUFFIXES = (/* unused pure expression or super */ null && (['sig', 'att', 'sbom']));
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
    if (manifest && isIndex(manifest.mediaType)) {
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
    return cosignTag(digest, 'sig');
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
    for (const referrer of await artifact_listReferrers(registry, subject.digest)) {
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
/**
 * Notation's signing key as notation keeps it (`notation cert generate-test` writes PKCS #8; notation-go's
 * signer.NewFromFiles reads any unencrypted PEM private key): `PRIVATE KEY`, `EC PRIVATE KEY` or `RSA PRIVATE KEY`.
 * Which curves and sizes sign is the envelope's decision (notation.ts algorithmFor), made from the certificate.
 */
function loadNotationKey(pem, label) {
    const block = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
    if (!block) {
        throw new errors/* InputError */.dz(`Input '${label}': not a PEM private key (no '-----BEGIN … PRIVATE KEY-----' block)`);
    }
    if (!['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'].includes(block[1])) {
        throw new errors/* InputError */.dz(`Input '${label}': a '${block[1]}' PEM block is not a supported key (expected an unencrypted PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)`);
    }
    return parseKey(() => (0,external_node_crypto_.createPrivateKey)({ key: block[0], format: 'pem' }), { key: label, password: '' });
}

;// CONCATENATED MODULE: ./shared/sign/cbor.ts
/**
 * The CBOR subset a COSE_Sign1 envelope needs (RFC 8949): unsigned and negative integers, byte and text strings,
 * arrays, maps and tags, always in the core deterministic encoding (§4.2.1): shortest argument, definite lengths, map
 * keys sorted by the bytes of their encoding. That is the encoding go-cose writes (its cbor.go encMode is
 * SortCoreDeterministic with indefinite lengths forbidden), and the one RFC 9052 §9 asks of a protected header.
 * This small encoder keeps a CBOR library (and its start-up cost) out of every bundle. The decoder reads the same subset
 * (plus floats, which a tag-1 time may hold) from envelopes others wrote, only to find a signed attribute in them.
 */
/** A tagged data item (RFC 8949 §3.4), e.g. tag 1 (epoch-based date/time) or COSE's tag 18 (COSE_Sign1). */
class CborTag {
    tag;
    value;
    constructor(tag, value) {
        this.tag = tag;
        this.value = value;
    }
}
const UNSIGNED = 0;
const NEGATIVE = 1;
const BYTES = 2;
const TEXT = 3;
const ARRAY = 4;
const MAP = 5;
const cbor_TAG = 6;
/** The initial byte and argument of a data item in its shortest form (RFC 8949 §3, §4.2.1 "preferred serialization"). */
function head(major, argument) {
    if (!Number.isSafeInteger(argument) || argument < 0)
        throw new RangeError(`CBOR argument out of range: ${argument}`);
    if (argument < 24)
        return Buffer.of((major << 5) | argument);
    if (argument < 0x100)
        return Buffer.of((major << 5) | 24, argument);
    if (argument < 0x10000) {
        const b = Buffer.alloc(3);
        b[0] = (major << 5) | 25;
        b.writeUInt16BE(argument, 1);
        return b;
    }
    if (argument < 0x100000000) {
        const b = Buffer.alloc(5);
        b[0] = (major << 5) | 26;
        b.writeUInt32BE(argument, 1);
        return b;
    }
    const b = Buffer.alloc(9);
    b[0] = (major << 5) | 27;
    b.writeBigUInt64BE(BigInt(argument), 1);
    return b;
}
function encodeCbor(value) {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value))
            throw new RangeError(`only integers are encoded, not ${value}`);
        return value >= 0 ? head(UNSIGNED, value) : head(NEGATIVE, -1 - value);
    }
    if (typeof value === 'string') {
        const utf8 = Buffer.from(value, 'utf8');
        return Buffer.concat([head(TEXT, utf8.length), utf8]);
    }
    if (value instanceof Uint8Array)
        return Buffer.concat([head(BYTES, value.length), value]);
    if (Array.isArray(value))
        return Buffer.concat([head(ARRAY, value.length), ...value.map(encodeCbor)]);
    if (value instanceof CborTag)
        return Buffer.concat([head(cbor_TAG, value.tag), encodeCbor(value.value)]);
    // Keys are unique (§5.6): a Map holds each number or string once, and distinct ones encode differently.
    const entries = [...value].map(([k, v]) => ({ key: encodeCbor(k), value: encodeCbor(v) }));
    entries.sort((a, b) => Buffer.compare(a.key, b.key));
    return Buffer.concat([head(MAP, entries.length), ...entries.flatMap((e) => [e.key, e.value])]);
}
/** Nested arrays, maps and tags deeper than a COSE envelope ever goes (its certificates are byte strings). */
const MAX_DEPTH = 16;
/**
 * Decodes one data item of the subset above (RFC 8949 §3), plus half, single and double floats (major type 7); fails
 * on anything else (booleans, null, indefinite lengths, integers outside the safe range, other map keys) and on bytes
 * after the item. Lengths are checked against the bytes there are before anything is allocated.
 */
function decodeCbor(bytes) {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let at = 0;
    const take = (n) => {
        if (n > data.length - at)
            throw new RangeError('CBOR item runs past the end of its bytes');
        const out = data.subarray(at, at + n);
        at += n;
        return out;
    };
    const argument = (info) => {
        if (info < 24)
            return info;
        if (info === 24)
            return take(1)[0];
        if (info === 25)
            return take(2).readUInt16BE(0);
        if (info === 26)
            return take(4).readUInt32BE(0);
        if (info === 27) {
            const big = take(8).readBigUInt64BE(0);
            if (big > BigInt(Number.MAX_SAFE_INTEGER))
                throw new RangeError('CBOR integer outside the safe range');
            return Number(big);
        }
        throw new RangeError(`CBOR additional information ${info} (indefinite or reserved) is not read`);
    };
    const item = (depth) => {
        if (depth > MAX_DEPTH)
            throw new RangeError('CBOR nesting too deep');
        const initial = take(1)[0];
        const major = initial >> 5;
        const info = initial & 0x1f;
        if (major === 7) {
            if (info === 25)
                return half(take(2).readUInt16BE(0));
            if (info === 26)
                return take(4).readFloatBE(0);
            if (info === 27)
                return take(8).readDoubleBE(0);
            throw new RangeError(`CBOR simple value ${info} is not read`);
        }
        const n = argument(info);
        switch (major) {
            case UNSIGNED:
                return n;
            case NEGATIVE:
                return -1 - n;
            case BYTES:
                return Buffer.from(take(n));
            case TEXT:
                return take(n).toString('utf8');
            case ARRAY: {
                // Each element takes at least one byte: a count beyond the bytes left is malformed, not a huge allocation.
                if (n > data.length - at)
                    throw new RangeError('CBOR array longer than its bytes');
                return Array.from({ length: n }, () => item(depth + 1));
            }
            case MAP: {
                if (n * 2 > data.length - at)
                    throw new RangeError('CBOR map longer than its bytes');
                const map = new Map();
                for (let i = 0; i < n; i++) {
                    const key = item(depth + 1);
                    if (typeof key !== 'number' && typeof key !== 'string')
                        throw new RangeError('CBOR map key of another type');
                    map.set(key, item(depth + 1));
                }
                return map;
            }
            default:
                return new CborTag(n, item(depth + 1));
        }
    };
    const value = item(0);
    if (at !== data.length)
        throw new RangeError('bytes after the CBOR item');
    return value;
}
/** IEEE 754 half precision (RFC 8949 Appendix D). */
function half(bits) {
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    const magnitude = exponent === 0
        ? mantissa * 2 ** -24
        : exponent === 31
            ? mantissa === 0
                ? Infinity
                : NaN
            : (mantissa + 1024) * 2 ** (exponent - 25);
    return bits & 0x8000 ? -magnitude : magnitude;
}

;// CONCATENATED MODULE: ./shared/sign/notation.ts




/**
 * Notary Project signatures (notaryproject/specifications v1.1.0 specs/signature-specification.md,
 * signature-envelope-jws.md and signature-envelope-cose.md, as notation-go v1.3 and notation-core-go v1.3 write them):
 * a JWS JSON or a COSE_Sign1 envelope over the payload `{"targetArtifact": <descriptor>}`, stored as an OCI referrer
 * of the artifact.
 */
const Notation = {
    artifactType: 'application/vnd.cncf.notary.signature',
    jwsMediaType: 'application/jose+json',
    /** notation-core-go signature/cose/envelope.go MediaTypeEnvelope. */
    coseMediaType: 'application/cose',
    payloadType: 'application/vnd.cncf.notary.payload.v1+json',
    thumbprintAnnotation: 'io.cncf.notary.x509chain.thumbprint#S256',
    signingAgent: 'harbor-pipelines',
};
const NOTATION_ENVELOPES = (/* unused pure expression or super */ null && (['jws', 'cose']));
/**
 * The algorithm a key must sign with (signature-specification.md "Algorithm Selection"; notation-core-go
 * signature/cose/envelope.go getSignatureAlgorithmFromKeySpec): RSASSA-PSS 2048 → PS256, 3072 → PS384,
 * 4096 → PS512; ECDSA P-256 → ES256, P-384 → ES384, P-521 → ES512. Anything else no Notary Project verifier accepts.
 */
function algorithmFor(key, label) {
    const found = notaryAlgorithm(key);
    if (found)
        return found;
    throw new errors/* InputError */.dz(`Input '${label}': Notary Project signatures need an EC P-256/P-384/P-521 or RSA 2048/3072/4096 key (got ${keyKind(key)})`);
}
/**
 * The signature algorithm of a key the Notary Project accepts (notation-core-go internal/algorithm ExtractKeySpec:
 * EC P-256/P-384/P-521, RSA 2048/3072/4096), or undefined for any other key.
 */
function notaryAlgorithm(key) {
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'ec') {
        const byCurve = {
            prime256v1: { alg: 'ES256', cose: -7, hash: 'sha256', ec: true },
            secp384r1: { alg: 'ES384', cose: -35, hash: 'sha384', ec: true },
            secp521r1: { alg: 'ES512', cose: -36, hash: 'sha512', ec: true },
        };
        return byCurve[details.namedCurve ?? ''];
    }
    if (key.asymmetricKeyType === 'rsa') {
        const byBits = {
            2048: { alg: 'PS256', cose: -37, hash: 'sha256', ec: false },
            3072: { alg: 'PS384', cose: -38, hash: 'sha384', ec: false },
            4096: { alg: 'PS512', cose: -39, hash: 'sha512', ec: false },
        };
        return byBits[details.modulusLength ?? 0];
    }
    return undefined;
}
/** A key's type and size in words: `EC secp384r1`, `RSA 1024-bit`. */
function keyKind(key) {
    const details = key.asymmetricKeyDetails ?? {};
    return key.asymmetricKeyType === 'ec'
        ? `EC ${details.namedCurve ?? '?'}`
        : key.asymmetricKeyType === 'rsa'
            ? `RSA ${details.modulusLength ?? '?'}-bit`
            : (key.asymmetricKeyType ?? 'unknown');
}
/** RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 7518 §3.5; RFC 8230 §2 for COSE). */
function keyOptions(algorithm) {
    return algorithm.ec
        ? { dsaEncoding: 'ieee-p1363' }
        : { padding: external_node_crypto_.constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[algorithm.hash] };
}
function localSigner(key) {
    return {
        sign: (input, algorithm) => Promise.resolve((0,external_node_crypto_.sign)(algorithm.hash, input, { key, ...keyOptions(algorithm) })),
    };
}
/** The PEM certificate blocks in a text, in order (the chain and the TSA root inputs). */
function certificateBlocks(pem) {
    return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
/** Whether `parent` issued `child`: its subject is the child's issuer and its key verifies the child's signature. */
function issuedBy(child, parent) {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
}
/** A certificate's subject on one line, for an error line: `C=US, O=Contoso, CN=release-signing`. */
function subjectText(cert) {
    return cert.subject.replace(/\n/g, ', ');
}
/** The certificate chain as PEM blocks, leaf first, checked against the key: notation verifies the leaf's key. */
function parseChain(pem, key, labels) {
    const blocks = certificateBlocks(pem);
    if (blocks.length === 0) {
        throw new errors/* InputError */.dz(`Input '${labels.chain}': no PEM certificate (-----BEGIN CERTIFICATE-----) found`);
    }
    const chain = blocks.map((b, i) => {
        try {
            return new external_node_crypto_.X509Certificate(b);
        }
        catch {
            throw new errors/* InputError */.dz(`Input '${labels.chain}': certificate ${i + 1} cannot be parsed`);
        }
    });
    if (key && !chain[0].checkPrivateKey(key)) {
        throw new errors/* InputError */.dz(`Input '${labels.chain}': the first (leaf) certificate is not for the key in '${labels.key}' (the chain must start with the signing certificate)`);
    }
    for (let i = 0; i + 1 < chain.length; i++) {
        if (!issuedBy(chain[i], chain[i + 1])) {
            throw new errors/* InputError */.dz(`Input '${labels.chain}': certificate ${i + 1} is not issued by certificate ${i + 2} (order the chain leaf first, root last)`);
        }
    }
    return chain;
}
const b64url = (data) => Buffer.from(data).toString('base64url');
/**
 * The payload both envelopes sign (signature-specification.md "Payload"): the target artifact's descriptor, its
 * annotations included, as notation-go's envelope.Payload marshals it.
 */
function targetPayload(subject) {
    const target = {
        mediaType: subject.mediaType,
        digest: subject.digest,
        size: subject.size,
        ...(subject.annotations ? { annotations: subject.annotations } : {}),
    };
    return Buffer.from(JSON.stringify({ targetArtifact: target }));
}
/** RFC 3339 in whole seconds, as the JWS headers and the manifest's created annotation carry times. */
const rfc3339 = (t) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');
/**
 * Signs `input` and checks the result against the leaf certificate before it goes anywhere: a remote key that is not
 * the certificate's would make a signature no verifier accepts.
 */
async function signChecked(signer, input, algorithm, leaf, label) {
    const signature = await signer.sign(input, algorithm);
    if (!(0,external_node_crypto_.verify)(algorithm.hash, input, { key: leaf.publicKey, ...keyOptions(algorithm) }, signature)) {
        throw new errors/* InputError */.dz(`Input '${label}': the signing key does not match the leaf certificate's public key (${subjectText(leaf)})`);
    }
    return signature;
}
/** The protected headers a verifier must understand: the signing scheme always, the expiry when one is set. */
function criticalHeaders(attributes) {
    return ['io.cncf.notary.signingScheme', ...(attributes.expiry ? ['io.cncf.notary.expiry'] : [])];
}
/**
 * The JWS envelope (signature-envelope-jws.md): protected header with alg, cty, crit [signingScheme (, expiry)] and
 * the signing time; the certificate chain (x5c, standard base64 DER as Go's encoding/json writes []byte) and signing
 * agent unprotected; the signature over `protected.payload`. The protected header's members are in the order
 * notation-core-go v1.3.0 writes them (signature/jws/jws.go getSignedAttributes builds a map that golang-jwt marshals
 * with encoding/json, which sorts map keys): alg, crit, cty, then the io.cncf.notary.* names in byte order, so the
 * expiry comes before the signing scheme.
 */
const jwsEnvelope = async (subject, signer, chain, attributes, label) => {
    const algorithm = algorithmFor(chain[0].publicKey, label);
    const protectedHeader = b64url(JSON.stringify({
        alg: algorithm.alg,
        crit: criticalHeaders(attributes),
        cty: Notation.payloadType,
        ...(attributes.expiry ? { 'io.cncf.notary.expiry': rfc3339(attributes.expiry) } : {}),
        'io.cncf.notary.signingScheme': 'notary.x509',
        'io.cncf.notary.signingTime': rfc3339(attributes.now),
    }));
    const payload = b64url(targetPayload(subject));
    const signingInput = Buffer.from(`${protectedHeader}.${payload}`, 'ascii');
    const signature = await signChecked(signer, signingInput, algorithm, chain[0], label);
    const token = await attributes.timestamp?.(signature, algorithm.hash);
    // The unprotected header in notation-core-go's field order (signature/jws/types.go jwsUnprotectedHeader):
    // timestampSignature (standard base64, Go's []byte), x5c, signingAgent.
    return Buffer.from(JSON.stringify({
        payload,
        protected: protectedHeader,
        header: {
            ...(token ? { 'io.cncf.notary.timestampSignature': token.toString('base64') } : {}),
            x5c: chain.map((c) => c.raw.toString('base64')),
            'io.cncf.notary.signingAgent': Notation.signingAgent,
        },
        signature: b64url(signature),
    }));
};
/** COSE header labels (RFC 9052 §3.1; x5chain: RFC 9360 §2). */
const COSE_ALG = 1;
const COSE_CRIT = 2;
const COSE_CONTENT_TYPE = 3;
const COSE_X5CHAIN = 33;
/** CBOR tags: 1 epoch-based date/time (RFC 8949 §3.4.2), 18 COSE_Sign1 (RFC 9052 §4.2). */
const TAG_EPOCH = 1;
const TAG_COSE_SIGN1 = 18;
/** A time as notation-core-go encodeTime writes it (fxamacker/cbor TimeUnix + EncTagRequired): tag 1, whole seconds. */
const epoch = (t) => new CborTag(TAG_EPOCH, Math.floor(t.getTime() / 1000));
/**
 * The COSE_Sign1_Tagged envelope (signature-envelope-cose.md; notation-core-go v1.3.0 signature/cose/envelope.go Sign,
 * generateProtectedHeaders, generateUnprotectedHeaders; go-cose v1.3.0 sign1.go toBeSigned):
 * - protected: alg (COSE label), crit [signingScheme (, expiry)], content type, signingScheme `notary.x509`,
 *   signingTime (and expiry) as tag-1 date/times, encoded deterministically and carried as a byte string;
 * - unprotected: x5chain (always an array of DER certificates, leaf first — notation-core-go reads nothing else) and
 *   the signing agent;
 * - payload: the same descriptor payload the JWS envelope signs;
 * - signature over Sig_structure ["Signature1", protected, h'', payload], r‖s for ECDSA.
 */
const coseEnvelope = async (subject, signer, chain, attributes, label) => {
    const algorithm = algorithmFor(chain[0].publicKey, label);
    const protectedHeader = new Map([
        [COSE_ALG, algorithm.cose],
        [COSE_CRIT, criticalHeaders(attributes)],
        [COSE_CONTENT_TYPE, Notation.payloadType],
        ['io.cncf.notary.signingScheme', 'notary.x509'],
        ['io.cncf.notary.signingTime', epoch(attributes.now)],
    ]);
    if (attributes.expiry)
        protectedHeader.set('io.cncf.notary.expiry', epoch(attributes.expiry));
    const protectedBytes = encodeCbor(protectedHeader);
    const payload = targetPayload(subject);
    const toBeSigned = encodeCbor(['Signature1', protectedBytes, Buffer.alloc(0), payload]);
    const signature = await signChecked(signer, toBeSigned, algorithm, chain[0], label);
    const unprotected = new Map([
        [COSE_X5CHAIN, chain.map((c) => c.raw)],
        ['io.cncf.notary.signingAgent', Notation.signingAgent],
    ]);
    const token = await attributes.timestamp?.(signature, algorithm.hash);
    if (token)
        unprotected.set('io.cncf.notary.timestampSignature', token);
    return encodeCbor(new CborTag(TAG_COSE_SIGN1, [protectedBytes, unprotected, payload, signature]));
};
/**
 * Signs `subject` and pushes the signature as notation does (notation-go v1.3.2 registry/repository.go
 * uploadSignatureManifest): config of type application/vnd.cncf.notary.signature holding `{}`, the envelope as the
 * one layer typed by its format (application/jose+json or application/cose), the chain's SHA-256 thumbprints and the
 * signing time as manifest annotations, the artifact as subject. Without an expiry, a signature in the same format by
 * the same certificate over the same artifact is kept and nothing is written — if its envelope carries no expiry of
 * its own: one that expires (or has) is not kept, nor one whose envelope cannot be read, since `notation verify`
 * would refuse it sooner or later. With an expiry, a new signature is always written, as `notation sign --expiry`
 * does: the expiry counts from this run, and re-running is how a pipeline renews a signature before it expires.
 */
async function signWithNotation(req) {
    const format = req.envelope ?? 'jws';
    const layerType = format === 'cose' ? Notation.coseMediaType : Notation.jwsMediaType;
    const thumbprints = JSON.stringify(req.chain.map((c) => (0,external_node_crypto_.createHash)('sha256').update(c.raw).digest('hex')));
    // A signature found on the artifact may lack the expiry or the time stamp asked for now: keep one only when neither is.
    const candidates = req.expiry || req.timestamp ? [] : await artifact_listReferrers(req.registry, req.subject.digest);
    for (const referrer of candidates) {
        if (referrer.artifactType !== Notation.artifactType ||
            referrer.annotations?.[Notation.thumbprintAnnotation] !== thumbprints)
            continue;
        const layer = await envelopeLayer(req.registry, referrer.digest);
        if (layer?.mediaType !== layerType)
            continue;
        const reason = await whyNotKept(req.registry, layer, format, req.now);
        if (reason === undefined)
            return { manifestDigest: referrer.digest, envelope: Buffer.alloc(0), existing: true };
        req.push.log(`Not keeping the existing signature ${referrer.digest}: ${reason}; writing a new one`);
    }
    const make = format === 'cose' ? coseEnvelope : jwsEnvelope;
    const envelope = await make(req.subject, req.signer, req.chain, req, req.labels.key);
    const built = buildArtifact({
        config: { mediaType: Notation.artifactType, bytes: Buffer.from('{}') },
        layers: [{ mediaType: layerType, bytes: envelope }],
        subject: req.subject,
        annotations: {
            [Notation.thumbprintAnnotation]: thumbprints,
            'org.opencontainers.image.created': rfc3339(req.now),
        },
    });
    await pushReferrer(req.registry, built, req.push);
    return { manifestDigest: built.digest, envelope, existing: false };
}
/** The envelope layer of a signature manifest (its one layer): the referrers list does not carry its type. */
async function envelopeLayer(registry, digest) {
    const manifest = await registry.getManifest(digest);
    if (!manifest)
        return undefined;
    try {
        return JSON.parse(manifest.bytes.toString('utf8')).layers?.[0];
    }
    catch {
        return undefined;
    }
}
/** Envelopes are a few KiB (a chain of certificates and perhaps a time stamp token); more is not an envelope. */
const ENVELOPE_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Why an existing signature is not to be kept, in words for the log, or undefined to keep it: its envelope signs an
 * `io.cncf.notary.expiry`, or cannot be read. A time stamp does not matter: it only lets the signature outlive its
 * certificate. Reading is best effort — any failure means a new signature, never a failed step.
 */
async function whyNotKept(registry, layer, format, now) {
    let expiry;
    try {
        expiry = envelopeExpiry(await registry.getBlob(layer, ENVELOPE_MAX_BYTES), format);
    }
    catch (error) {
        return `its envelope ${layer.digest} cannot be read (${(0,errors/* oneLine */.TN)(error)})`;
    }
    if (!expiry)
        return undefined;
    return expiry.getTime() <= now.getTime() ? `it expired ${rfc3339(expiry)}` : `it expires ${rfc3339(expiry)}`;
}
/**
 * The `io.cncf.notary.expiry` an envelope signs, or undefined when it has none; throws when the envelope, its protected
 * header or the expiry cannot be read. Only the protected header is decoded: the JWS one is base64url JSON with an
 * RFC 3339 time (signature-envelope-jws.md), the COSE one a CBOR map in a byte string with a tag-1 time
 * (signature-envelope-cose.md). The signature itself is not checked: this decides only whether to sign again.
 */
function envelopeExpiry(envelope, format) {
    let expiry;
    if (format === 'jws') {
        const { protected: header } = JSON.parse(envelope.toString('utf8'));
        if (typeof header !== 'string')
            throw new Error('the JWS envelope has no protected header');
        const value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))['io.cncf.notary.expiry'];
        if (value === undefined)
            return undefined;
        if (typeof value !== 'string')
            throw new Error('the JWS expiry is not a time');
        expiry = new Date(value);
    }
    else {
        const outer = decodeCbor(envelope);
        const sign1 = outer instanceof CborTag && outer.tag === TAG_COSE_SIGN1 ? outer.value : outer;
        const protectedBytes = Array.isArray(sign1) && sign1.length === 4 ? sign1[0] : undefined;
        if (!(protectedBytes instanceof Uint8Array))
            throw new Error('the COSE envelope is not a COSE_Sign1');
        const header = decodeCbor(protectedBytes);
        if (!(header instanceof Map))
            throw new Error('the COSE protected header is not a map');
        const value = header.get('io.cncf.notary.expiry');
        if (value === undefined)
            return undefined;
        if (!(value instanceof CborTag && value.tag === TAG_EPOCH && typeof value.value === 'number'))
            throw new Error('the COSE expiry is not a tag-1 time');
        expiry = new Date(value.value * 1000);
    }
    if (Number.isNaN(expiry.getTime()))
        throw new Error('the expiry is not a time');
    return expiry;
}
/** A key in Azure Key Vault: the digest of the signing input is signed by the vault's `sign` operation. */
function keyVaultSigner(client, key) {
    return { sign: (input, { alg, hash }) => client.sign(key, alg, (0,external_node_crypto_.createHash)(hash).update(input).digest()) };
}
/**
 * The Key Vault signer, after GetKey has shown the key can make a signature `notation verify` accepts: enabled, `sign`
 * in its key_ops, and the leaf certificate's own key. Each refusal comes before any signature is made or pushed.
 */
async function checkedKeyVaultSigner(client, key, leaf, labels) {
    const found = await client.getKey(key);
    const id = `${key.name}/${key.version} in ${new URL(key.vault).host}`;
    if (!found.enabled) {
        throw new errors/* UserError */.yo(`Key Vault key ${id} is disabled: enable that version, or name an enabled one in '${labels.key}'`);
    }
    if (found.keyOps && !found.keyOps.includes('sign')) {
        throw new errors/* UserError */.yo(`Key Vault key ${id} does not permit sign (its key_ops: ${found.keyOps.join(', ') || 'none'}): add sign to the key's operations, or name another key in '${labels.key}'`);
    }
    const spki = (k) => k.export({ type: 'spki', format: 'der' });
    if (!spki(found.publicKey).equals(spki(leaf.publicKey))) {
        throw new errors/* InputError */.dz(`Input '${labels.chain}': the leaf certificate (${subjectText(leaf)}) is not for Key Vault key ${id} in '${labels.key}' (their public keys differ; the chain must start with the key's certificate)`);
    }
    return keyVaultSigner(client, key);
}

;// CONCATENATED MODULE: ./shared/sign/der.ts
/**
 * The ASN.1 DER a time-stamp request and reply need (ITU-T X.690 §8, §10): definite lengths, single-byte tags.
 * Writing covers INTEGER, BOOLEAN, NULL, OBJECT IDENTIFIER, OCTET STRING and SEQUENCE; reading gives any element's
 * tag, content and exact bytes, so a signature can be checked over what was received. A BER reply (indefinite
 * lengths) is refused as malformed rather than converted: RFC 3161 §2.4.2 asks the TSA for DER.
 */
class DerError extends Error {
}
/** Universal tags and the context-specific ones the reply uses (identifier octets, X.690 §8.1.2). */
const Tag = {
    boolean: 0x01,
    integer: 0x02,
    octetString: 0x04,
    null: 0x05,
    oid: 0x06,
    sequence: 0x30,
    set: 0x31,
    generalizedTime: 0x18,
    /** [n] constructed, context-specific (e.g. [0] certificates and signedAttrs in CMS). */
    context: (n) => 0xa0 | n,
};
/** Reads the element at `offset`; `end` is where the next one starts. */
function readElement(bytes, offset = 0) {
    if (offset + 2 > bytes.length)
        throw new DerError('truncated element');
    const tag = bytes[offset];
    if ((tag & 0x1f) === 0x1f)
        throw new DerError('multi-byte tags are not used here');
    let length = bytes[offset + 1];
    let start = offset + 2;
    if (length & 0x80) {
        const count = length & 0x7f;
        if (count === 0)
            throw new DerError('indefinite length (BER), not DER');
        if (count > 4 || start + count > bytes.length)
            throw new DerError('length out of range');
        length = 0;
        for (let i = 0; i < count; i++)
            length = length * 256 + bytes[start + i];
        start += count;
    }
    const end = start + length;
    if (end > bytes.length)
        throw new DerError('truncated element');
    return { tag, content: bytes.subarray(start, end), raw: bytes.subarray(offset, end), end };
}
/** The one element `bytes` holds, nothing after it. */
function readOnly(bytes) {
    const element = readElement(bytes);
    if (element.end !== bytes.length)
        throw new DerError('trailing bytes after the element');
    return element;
}
/** The elements inside a constructed one (SEQUENCE, SET, [n]). */
function childrenOf(element) {
    const out = [];
    for (let offset = 0; offset < element.content.length;) {
        const child = readElement(element.content, offset);
        out.push(child);
        offset = child.end;
    }
    return out;
}
/** The element expected to carry `tag`, or a DerError naming what was expected. */
function expectTag(element, tag, what) {
    if (!element || element.tag !== tag)
        throw new DerError(`${what} missing or malformed`);
    return element;
}
function oidText(element) {
    expectTag(element, Tag.oid, 'object identifier');
    const parts = [];
    let value = 0;
    for (const byte of element.content) {
        value = value * 128 + (byte & 0x7f);
        if (!(byte & 0x80)) {
            parts.push(value);
            value = 0;
        }
    }
    const first = parts.shift() ?? 0;
    const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
    return [...head, ...parts].join('.');
}
function integerValue(element) {
    expectTag(element, Tag.integer, 'integer');
    if (element.content.length === 0)
        throw new DerError('empty integer');
    let value = BigInt(`0x${element.content.toString('hex')}`);
    if (element.content[0] & 0x80)
        value -= 1n << BigInt(element.content.length * 8);
    return value;
}
function lengthOctets(length) {
    if (length < 0x80)
        return Buffer.of(length);
    const bytes = [];
    for (let n = length; n > 0; n = Math.floor(n / 256))
        bytes.unshift(n % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function encode(tag, content) {
    return Buffer.concat([Buffer.of(tag), lengthOctets(content.length), content]);
}
const sequence = (...items) => encode(Tag.sequence, Buffer.concat(items));
const nullValue = () => encode(Tag.null, Buffer.alloc(0));
const octetString = (bytes) => encode(Tag.octetString, bytes);
const booleanValue = (value) => encode(Tag.boolean, Buffer.of(value ? 0xff : 0));
/** A non-negative INTEGER in its shortest two's-complement form (a leading 0 when the top bit is set). */
function integer(value) {
    if (value < 0n)
        throw new DerError('negative integers are not written here');
    let hex = value.toString(16);
    if (hex.length % 2)
        hex = `0${hex}`;
    let bytes = Buffer.from(hex, 'hex');
    if (bytes[0] & 0x80)
        bytes = Buffer.concat([Buffer.of(0), bytes]);
    return encode(Tag.integer, bytes);
}
function oid(text) {
    const [a, b, ...rest] = text.split('.').map(Number);
    const out = [];
    for (const arc of [a * 40 + b, ...rest]) {
        const group = [arc & 0x7f];
        for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128))
            group.unshift((n & 0x7f) | 0x80);
        out.push(...group);
    }
    return encode(Tag.oid, Buffer.from(out));
}

;// CONCATENATED MODULE: ./shared/sign/timestamp.ts






/**
 * RFC 3161 time-stamping of a Notary Project signature, as notation-core-go v1.3.0 does it
 * (internal/timestamp/timestamp.go Timestamp; signature/jws/jws.go timestampJWS; signature/cose/envelope.go Sign)
 * through notaryproject/tspclient-go at 4f55b14 (request.go NewRequest, http.go Timestamp, response.go Validate,
 * token.go Verify and SigningCertificate) and notation-core-go x509/timestamp_cert_validations.go:
 * - what is stamped: the signature value itself (JWS: the decoded `signature`; COSE: the COSE_Sign1 signature), hashed
 *   with the signature algorithm's hash (SHA-256/384/512);
 * - the request: version 1, the message imprint (hash OID with NULL parameters, digest), a random nonce below 2^159,
 *   certReq true, no policy, no extensions; POSTed as application/timestamp-query;
 * - the reply (application/timestamp-reply, at most 1 MiB): status granted or grantedWithMods, a SignedData token of
 *   id-ct-TSTInfo whose TSTInfo is version 1, carries the same message imprint and nonce and a UTC genTime; the
 *   signer's certificate named by the signingCertificateV2 attribute, the CMS signature valid, the chain from it to
 *   the given root, the signer's extended key usage timeStamping only and critical;
 * - the token's bytes go into the envelope's unprotected header io.cncf.notary.timestampSignature.
 * Not done (notation does it): OCSP/CRL revocation checks of the TSA's chain.
 */
const TIMESTAMP_QUERY = 'application/timestamp-query';
const TIMESTAMP_REPLY = 'application/timestamp-reply';
/** tspclient-go http.go maxBodyLength. */
const MAX_REPLY_BYTES = 1024 * 1024;
const OID = {
    sha256: '2.16.840.1.101.3.4.2.1',
    sha384: '2.16.840.1.101.3.4.2.2',
    sha512: '2.16.840.1.101.3.4.2.3',
    signedData: '1.2.840.113549.1.7.2',
    tstInfo: '1.2.840.113549.1.9.16.1.4',
    contentType: '1.2.840.113549.1.9.3',
    messageDigest: '1.2.840.113549.1.9.4',
    signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
    extKeyUsage: '2.5.29.37',
    keyUsage: '2.5.29.15',
    timeStamping: '1.3.6.1.5.5.7.3.8',
};
const HASH_BY_OID = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
/** CMS signature algorithms a TSA signs with: RSA PKCS #1 v1.5 and ECDSA (RFC 5754 §3), by the digest algorithm. */
const RSA_PKCS1 = new Set([
    '1.2.840.113549.1.1.1',
    '1.2.840.113549.1.1.11',
    '1.2.840.113549.1.1.12',
    '1.2.840.113549.1.1.13',
]);
const ECDSA = new Set(['1.2.840.10045.2.1', '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4']);
/** The TimeStampReq for `content` (RFC 3161 §2.4.1), as tspclient-go NewRequest builds it. */
function timestampRequest(content, hash, nonce = randomNonce()) {
    const digest = (0,external_node_crypto_.createHash)(hash).update(content).digest();
    const der = sequence(integer(1n), sequence(sequence(oid(OID[hash]), nullValue()), octetString(digest)), integer(nonce), booleanValue(true));
    return { der, hash, digest, nonce };
}
/** A random nonce in [0, 2^159), as tspclient-go generateNonce. */
function randomNonce() {
    const bytes = (0,external_node_crypto_.randomBytes)(20);
    bytes[0] &= 0x7f;
    return BigInt(`0x${bytes.toString('hex')}`);
}
/** Why a reply is refused; the caller names the input it is about. */
class TimestampRefused extends Error {
    about;
    constructor(message, about) {
        super(message);
        this.about = about;
    }
}
const STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
/**
 * Checks a TimeStampResp against the request and the TSA root, and returns the time-stamp token (the ContentInfo's
 * bytes as received) to embed. The genTime is read only to check it is UTC; the certificates are checked at `now`, as
 * Go's x509 Verify does for tspclient-go. Throws TimestampRefused otherwise.
 */
function checkTimestampReply(reply, request, root, now) {
    try {
        const [statusInfo, token] = childrenOf(expectTag(readOnly(reply), Tag.sequence, 'TimeStampResp'));
        const status = Number(integerValue(childrenOf(expectTag(statusInfo, Tag.sequence, 'PKIStatusInfo'))[0]));
        if (status !== 0 && status !== 1) {
            throw new TimestampRefused(`the TSA did not grant the time stamp (status ${STATUS[status] ?? status})`, 'tsa');
        }
        const parsed = parseToken(expectTag(token, Tag.sequence, 'timeStampToken'));
        checkTstInfo(parsed.tstInfo, request);
        const signer = signerOf(parsed);
        checkTokenSignature(parsed, signer);
        checkTsaChain(signer, parsed.certificates, root, now);
        return Buffer.from(token.raw);
    }
    catch (error) {
        if (error instanceof TimestampRefused)
            throw error;
        // A DER error, or a field of the wrong shape (a certificate node:crypto cannot parse, a missing element).
        const detail = error instanceof DerError ? ` (${error.message})` : '';
        throw new TimestampRefused(`the TSA's reply is malformed${detail}`, 'tsa');
    }
}
/** ContentInfo → SignedData (RFC 5652 §5) → the TSTInfo (RFC 3161 §2.4.2), its certificates and its one signer. */
function parseToken(contentInfo) {
    const [type, wrapped] = childrenOf(contentInfo);
    if (oidText(type) !== OID.signedData)
        throw new TimestampRefused('the time-stamp token is not CMS SignedData', 'tsa');
    const signedData = childrenOf(expectTag(childrenOf(expectTag(wrapped, Tag.context(0), 'content'))[0], Tag.sequence, 'SignedData'));
    const [encap] = signedData.slice(2, 3).map((e) => childrenOf(expectTag(e, Tag.sequence, 'encapContentInfo')));
    if (oidText(encap[0]) !== OID.tstInfo)
        throw new TimestampRefused('the time-stamp token does not hold a TSTInfo', 'tsa');
    const eContent = expectTag(childrenOf(expectTag(encap[1], Tag.context(0), 'eContent'))[0], Tag.octetString, 'eContent').content;
    const rest = signedData.slice(3);
    const certificates = rest
        .filter((e) => e.tag === Tag.context(0))
        .flatMap((e) => childrenOf(e))
        .map((c) => new external_node_crypto_.X509Certificate(c.raw));
    const signerInfos = childrenOf(expectTag(rest.at(-1), Tag.set, 'signerInfos'));
    if (signerInfos.length !== 1)
        throw new TimestampRefused('the time-stamp token must have exactly one signer', 'tsa');
    const info = childrenOf(expectTag(signerInfos[0], Tag.sequence, 'SignerInfo'));
    const digest = HASH_BY_OID[oidText(childrenOf(info[2])[0])];
    if (!digest)
        throw new TimestampRefused('the time-stamp token is signed with an unsupported digest', 'tsa');
    const signedAttrs = expectTag(info[3], Tag.context(0), 'signedAttrs');
    const attributes = new Map();
    for (const attribute of childrenOf(signedAttrs)) {
        const [attrType, values] = childrenOf(attribute);
        attributes.set(oidText(attrType), childrenOf(expectTag(values, Tag.set, 'attrValues')));
    }
    return {
        eContent,
        tstInfo: parseTstInfo(eContent),
        certificates,
        signerInfo: {
            digest,
            signedAttrs,
            attributes,
            signatureOid: oidText(childrenOf(info[4])[0]),
            signature: expectTag(info[5], Tag.octetString, 'signature').content,
        },
    };
}
function parseTstInfo(bytes) {
    const fields = childrenOf(expectTag(readOnly(bytes), Tag.sequence, 'TSTInfo'));
    if (integerValue(fields[0]) !== 1n)
        throw new TimestampRefused('the TSTInfo is not version 1', 'tsa');
    const [algorithm, hashed] = childrenOf(expectTag(fields[2], Tag.sequence, 'messageImprint'));
    const time = expectTag(fields[4], Tag.generalizedTime, 'genTime').content.toString('latin1');
    // RFC 3161 §2.4.2: GeneralizedTime in UTC ("Z"), optionally with fractions of a second.
    if (!/^\d{14}(\.\d+)?Z$/.test(time))
        throw new TimestampRefused(`the TSTInfo's genTime is not UTC (${time})`, 'tsa');
    const nonce = fields.slice(5).find((f) => f.tag === Tag.integer);
    return {
        imprintOid: oidText(childrenOf(algorithm)[0]),
        imprint: expectTag(hashed, Tag.octetString, 'hashedMessage').content,
        nonce: nonce ? integerValue(nonce) : undefined,
    };
}
function checkTstInfo(info, request) {
    if (info.imprintOid !== OID[request.hash] || !info.imprint.equals(request.digest)) {
        throw new TimestampRefused("the TSA's token is for another message (its message imprint is not the one sent)", 'tsa');
    }
    if (info.nonce !== request.nonce) {
        throw new TimestampRefused("the TSA's token does not carry the request's nonce", 'tsa');
    }
}
/** The signer's certificate: the one whose hash the signingCertificateV2 attribute names (RFC 5816 §2.2.1). */
function signerOf(token) {
    const [value] = token.signerInfo.attributes.get(OID.signingCertificateV2) ?? [];
    if (!value)
        throw new TimestampRefused('the time-stamp token has no signingCertificateV2 attribute', 'tsa');
    const [certs] = childrenOf(expectTag(value, Tag.sequence, 'SigningCertificateV2'));
    const [first] = childrenOf(expectTag(certs, Tag.sequence, 'certs'));
    const id = childrenOf(expectTag(first, Tag.sequence, 'ESSCertIDv2'));
    // hashAlgorithm DEFAULT id-sha256 is left out in DER.
    const hash = id[0].tag === Tag.sequence ? HASH_BY_OID[oidText(childrenOf(id[0])[0])] : 'sha256';
    const certHash = (id[0].tag === Tag.sequence ? id[1] : id[0]).content;
    const signer = hash && token.certificates.find((c) => (0,external_node_crypto_.createHash)(hash).update(c.raw).digest().equals(certHash));
    if (!signer)
        throw new TimestampRefused("the time-stamp token does not include the TSA's signing certificate", 'tsa');
    return signer;
}
/** RFC 5652 §5.4: content type and message digest attributes, then the signature over the DER SET of attributes. */
function checkTokenSignature(token, signer) {
    const { digest, attributes, signedAttrs, signatureOid, signature } = token.signerInfo;
    const [contentType] = attributes.get(OID.contentType) ?? [];
    const [messageDigest] = attributes.get(OID.messageDigest) ?? [];
    if (!contentType || oidText(contentType) !== OID.tstInfo) {
        throw new TimestampRefused("the time-stamp token's signed content type is not TSTInfo", 'tsa');
    }
    if (!messageDigest || !messageDigest.content.equals((0,external_node_crypto_.createHash)(digest).update(token.eContent).digest())) {
        throw new TimestampRefused("the time-stamp token's message digest does not match its TSTInfo", 'tsa');
    }
    // The signature covers the attributes encoded as a SET OF (tag 0x31), not as the [0] IMPLICIT they are sent in.
    const signed = Buffer.concat([Buffer.of(Tag.set), signedAttrs.raw.subarray(1)]);
    let valid;
    if (RSA_PKCS1.has(signatureOid)) {
        valid = (0,external_node_crypto_.verify)(digest, signed, { key: signer.publicKey, padding: external_node_crypto_.constants.RSA_PKCS1_PADDING }, signature);
    }
    else if (ECDSA.has(signatureOid)) {
        valid = (0,external_node_crypto_.verify)(digest, signed, signer.publicKey, signature);
    }
    else {
        throw new TimestampRefused(`the time-stamp token is signed with an unsupported algorithm (${signatureOid})`, 'tsa');
    }
    if (!valid)
        throw new TimestampRefused("the time-stamp token's signature does not verify", 'tsa');
}
/** An extension of a certificate by OID, with its critical flag (RFC 5280 §4.1). */
function extension(cert, id) {
    const tbs = childrenOf(childrenOf(readOnly(cert.raw))[0]);
    const wrapped = tbs.find((e) => e.tag === Tag.context(3));
    for (const ext of wrapped ? childrenOf(childrenOf(wrapped)[0]) : []) {
        const parts = childrenOf(ext);
        if (oidText(parts[0]) !== id)
            continue;
        const critical = parts.length === 3 && parts[1].content[0] !== 0;
        return { critical, value: parts.at(-1).content };
    }
    return undefined;
}
/**
 * What the time-stamping leaf must be (timestamp_cert_validations.go validateTimestampingLeafCertificate): timeStamping
 * only, critical; signs digitally and only; a key notation takes.
 */
function checkTsaLeaf(leaf) {
    const name = subjectText(leaf);
    const eku = extension(leaf, OID.extKeyUsage);
    const usages = eku ? childrenOf(readOnly(eku.value)).map(oidText) : [];
    if (!eku || usages.length !== 1 || usages[0] !== OID.timeStamping || !eku.critical) {
        throw new TimestampRefused(`the TSA's certificate (${name}) must have timeStamping as its only extended key usage, marked critical`, 'tsa');
    }
    const keyUsage = extension(leaf, OID.keyUsage);
    // BIT STRING: unused-bits octet, then bit 0 (digitalSignature) is the first octet's top bit.
    const bits = keyUsage ? readOnly(keyUsage.value).content : undefined;
    if (!bits || bits.length < 2 || !(bits[1] & 0x80) || leaf.ca) {
        throw new TimestampRefused(`the TSA's certificate (${name}) must be a leaf with key usage digitalSignature`, 'tsa');
    }
    // validateSignatureAlgorithm: the key sizes and curves notation signs with.
    if (!notaryAlgorithm(leaf.publicKey)) {
        throw new TimestampRefused(`the TSA's certificate (${name}) has an ${keyKind(leaf.publicKey)} key; notation takes a TSA key of EC P-256/P-384/P-521 or RSA 2048/3072/4096`, 'tsa');
    }
    // notation-core-go x509/helper.go validateLeafKeyUsage: beside digitalSignature, nonRepudiation only; notation
    // sign --timestamp-url and notation verify refuse a TSA leaf with any of these.
    const forbidden = LEAF_FORBIDDEN_KEY_USAGES.filter(([bit]) => bits[1 + (bit >> 3)] & (0x80 >> (bit & 7)));
    if (forbidden.length > 0) {
        throw new TimestampRefused(`the TSA's certificate (${name}) must not have key usage ${forbidden.map(([, usage]) => usage).join(', ')} (a time-stamping certificate signs only)`, 'tsa');
    }
}
/** KeyUsage bits (RFC 5280 §4.2.1.3) a signing leaf must not have. */
const LEAF_FORBIDDEN_KEY_USAGES = [
    [2, 'keyEncipherment'],
    [3, 'dataEncipherment'],
    [4, 'keyAgreement'],
    [5, 'keyCertSign'],
    [6, 'cRLSign'],
    [7, 'encipherOnly'],
    [8, 'decipherOnly'],
];
/** From the signer through the token's certificates to the given root, each valid now and issued by the next. */
function checkTsaChain(signer, certificates, root, now) {
    checkTsaLeaf(signer);
    const within = (c) => Date.parse(c.validFrom) <= now.getTime() && now.getTime() <= Date.parse(c.validTo);
    let current = signer;
    for (let depth = 0; depth < 8; depth++) {
        if (!within(current)) {
            throw new TimestampRefused(`the TSA's certificate ${subjectText(current)} is not valid now`, 'tsa');
        }
        if (current.raw.equals(root.raw) || issuedBy(current, root)) {
            if (!within(root))
                throw new TimestampRefused('the TSA root certificate is not valid now', 'root');
            return;
        }
        const parent = certificates.find((c) => c !== current && c.ca && issuedBy(current, c));
        if (!parent)
            break;
        current = parent;
    }
    throw new TimestampRefused(`the TSA's certificate (${subjectText(signer)}) does not chain to the given TSA root (${subjectText(root)})`, 'root');
}
/** A self-signed root, exactly one certificate, as notation's --timestamp-root-cert (cmd/notation/sign.go). */
function parseTsaRoot(pem, label) {
    const blocks = certificateBlocks(pem);
    if (blocks.length !== 1) {
        throw new errors/* InputError */.dz(`Input '${label}': expected exactly one PEM certificate, the TSA's root (found ${blocks.length})`);
    }
    let root;
    try {
        root = new external_node_crypto_.X509Certificate(blocks[0]);
    }
    catch {
        throw new errors/* InputError */.dz(`Input '${label}': the certificate cannot be parsed`);
    }
    // notation checks self-signed only (notation-core-go x509 IsRootCertificate): a TSA may sign with its root itself.
    if (!issuedBy(root, root)) {
        throw new errors/* InputError */.dz(`Input '${label}': ${subjectText(root)} is not a self-signed root certificate`);
    }
    return root;
}
/**
 * The TSA at `url` over the pack's HTTP client: one POST (retried by the client's policy for network errors, 5xx and
 * 429 — a time-stamp request is safe to repeat), the reply checked before the token is returned. Every refusal is one
 * line naming the input it is about.
 */
function httpTimestamper(http, url, root, labels, now) {
    const host = new URL(url).host;
    return async (signature, hash) => {
        const request = timestampRequest(signature, hash);
        const res = await http
            .request({
            method: 'POST',
            url,
            headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
            body: request.der,
            // Read here, up to tspclient-go's limit: a reply that never ends must not be held in memory whole.
            stream: true,
        })
            .catch((error) => {
            // The URL is the one input behind a TSA that cannot be reached (the step's timeout keeps its own words).
            if (!(error instanceof client/* NetworkError */.Dr))
                throw error;
            throw new errors/* UserError */.yo(`Input '${labels.url}': ${error.message}; nothing was written`, { cause: error });
        });
        const stream = res.stream;
        if (res.status !== 200) {
            stream.destroy();
            // The TSA is called without credentials, so even a 401 is about the URL, not a username or password.
            throw new remote_error/* RemoteError */.Hi({
                service: 'TSA',
                operation: `time-stamp the signature at ${host}`,
                status: res.status,
                endpoint: host,
                advice: `check '${labels.url}' (an RFC 3161 TSA URL that time-stamps without credentials); nothing was written`,
            });
        }
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        const notAReply = (what) => new errors/* UserError */.yo(`Input '${labels.url}': ${host} did not answer with a time-stamp reply (${what}): is it an RFC 3161 TSA URL?`);
        if (type !== TIMESTAMP_REPLY) {
            stream.destroy();
            throw notAReply(type || 'no content type');
        }
        // tspclient-go http.go refuses a reply of maxBodyLength bytes or more.
        const body = await (0,client/* readAtMost */.rU)(stream, MAX_REPLY_BYTES - 1).catch((error) => {
            if (error instanceof errors/* UserError */.yo)
                throw error;
            throw new errors/* UserError */.yo(`Input '${labels.url}': the reply from ${host} broke off (${error.message}); nothing was written`, { cause: error });
        });
        if (body === undefined)
            throw notAReply(`${TIMESTAMP_REPLY}, more than ${MAX_REPLY_BYTES} bytes`);
        try {
            return checkTimestampReply(body, request, root, now());
        }
        catch (error) {
            if (!(error instanceof TimestampRefused))
                throw error;
            throw new errors/* UserError */.yo(`Input '${error.about === 'root' ? labels.root : labels.url}': ${error.message}; nothing was written`);
        }
    };
}

;// CONCATENATED MODULE: ./shared/capabilities/sign/layout.ts

/**
 * `harbor_version` is `<ReleaseVersion>-<GitCommit>` (src/controller/systeminfo/controller.go GetInfo; the Makefile
 * stamps both), e.g. `v2.15.2-080b0220`. A development build (`dev-…`) or anything else is no release: undefined.
 */
function parseHarborVersion(text) {
    // The whole value must look like a release: it is quoted in the log, so nothing else of it is taken.
    const m = text === undefined ? null : /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:[-+][0-9A-Za-z.+-]{0,64})?$/.exec(text.trim());
    if (!m)
        return undefined;
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: m[0] };
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
 * Whether a Harbor release lists a Notary Project signature (an OCI 1.1 referrer whose config is
 * `application/vnd.cncf.notary.signature`) as `signature.notation`: from v2.9.0, where src/server/middleware/subject/
 * subject.go types it and src/pkg/accessory/model/accessory.go gained TypeNotationSignature; v2.8 lists it as
 * `subject.accessory`.
 */
function listsNotation(release) {
    return atLeast(release, 2, 9);
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
            reason: "Harbor's version is not known (systeminfo shows it only to a signed-in account, and only a release version counts): the .sig tag, which every Harbor from 2.5 lists as a signature",
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
    for (const pem of [settings.cosignKey, settings.notationKey]) {
        for (const line of (pem ?? '').split(/\r?\n/)) {
            const text = line.trim();
            if (text && !text.startsWith('-----'))
                platform.setSecret(text);
        }
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
    const keyChoice = await chooseKey(settings, ctx);
    const sbom = settings.sbom === undefined ? undefined : await readSbom(settings.sbom, platform, name('sbom'));
    // A Key Vault key is checked (GetKey: enabled, may sign, the leaf certificate's key) before Harbor hears of the run.
    // Key Vault gets the runner's trust settings, never Harbor's insecure flag or CA file.
    const keyVaultHttp = keyChoice.type === 'notation' && keyChoice.keyVault
        ? ctx.http({
            timeoutMs: Math.min(60_000, settings.timeout),
            budget: { ms: settings.timeout, input: name('timeout') },
        })
        : undefined;
    // The TSA gets the runner's trust settings too, and its own client: it is neither Harbor nor Key Vault.
    const tsa = keyChoice.type === 'notation' ? keyChoice.tsa : undefined;
    const tsaHttp = tsa
        ? ctx.http({
            timeoutMs: Math.min(60_000, settings.timeout),
            budget: { ms: settings.timeout, input: name('timeout') },
        })
        : undefined;
    const stamp = tsa &&
        httpTimestamper(tsaHttp, tsa.url, tsa.root, { url: name('timestamp-url'), root: name('timestamp-root-cert') }, () => new Date(ctx.clock.now()));
    const timestamp = stamp &&
        (async (signature, hash) => {
            const token = await stamp(signature, hash);
            platform.info(`Time-stamped the signature at ${new URL(tsa.url).host} (RFC 3161, ${hash.toUpperCase()})`);
            return token;
        });
    let notationSigner;
    try {
        if (keyChoice.type === 'notation') {
            notationSigner =
                keyChoice.local ??
                    (await run_keyVaultSigner(keyChoice.keyVault, keyChoice.chain[0], settings, ctx, keyVaultHttp));
        }
    }
    catch (error) {
        await keyVaultHttp?.close();
        await tsaHttp?.close();
        throw error;
    }
    const { harbor, http } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, settings, {
        timeoutMs: Math.min(60_000, settings.timeout),
        budget: { ms: settings.timeout, input: name('timeout') },
    });
    try {
        const registry = new RegistryClient(http, settings.harborUrl, repository, { username: settings.username, password: settings.password }, { onSecret: (v) => platform.setSecret(v) });
        const host = registry.host;
        // Harbor's version decides the layout (./layout.ts) — read before anything is written, so a layout this Harbor
        // would not list as a signature is refused with nothing half-written.
        // A Notation signature is always an OCI 1.1 referrer, which Harbor lists as signature.notation from 2.9 on.
        let release;
        let choice;
        if (keyChoice.type === 'notation' && settings.verifyInHarbor) {
            release = parseHarborVersion(await harbor.harborVersion());
            if (release && !listsNotation(release)) {
                throw new errors/* InputError */.dz(`Input '${name('signature-type')}': Harbor ${release.text} does not list a Notation signature as signature.notation (Harbor lists them from 2.9); set '${name('verify-in-harbor')}' to false to sign anyway`);
            }
        }
        else if (keyChoice.type === 'cosign') {
            const requested = settings.layout;
            release =
                requested === 'auto' || settings.verifyInHarbor ? parseHarborVersion(await harbor.harborVersion()) : undefined;
            choice = chooseLayout(requested, release, {
                verifyInHarbor: settings.verifyInHarbor,
                layoutLabel: name('layout'),
                verifyLabel: name('verify-in-harbor'),
            });
            platform.info(`Signature layout: ${choice.layout} (${choice.reason})`);
        }
        await registry.login();
        const manifest = await registry.getManifest(reference);
        if (!manifest)
            throw new errors/* UserError */.yo(`${host}/${repository}${isDigest(reference) ? '@' : ':'}${reference} not found`);
        const subject = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
        const artifact = `${host}/${repository}@${subject.digest}`;
        if (!isDigest(reference))
            platform.info(`${repository}:${reference} is ${subject.digest}`);
        const push = { log: (m) => platform.info(m), debug: (m) => platform.debug(m) };
        let signature;
        if (keyChoice.type === 'cosign') {
            const key = keyChoice.key;
            const layoutChoice = choice;
            const sign = (layout) => signWithCosignKey({ registry, subject, key, layout, push });
            let cosign;
            try {
                cosign = await sign(layoutChoice.layout);
            }
            catch (error) {
                // A tag immutability rule matching the .sig tag refuses its rewrite when another key signs (412,
                // src/server/middleware/immutable/pushmf.go); from Harbor 2.11 the referrer layout is a signature as well.
                if (!(layoutChoice.referrerFallback && error instanceof remote_error/* RemoteError */.Hi && error.status === 412))
                    throw error;
                platform.warning(`Harbor refused to rewrite ${artifact}'s signature tag (an immutable tag rule matches it): writing the signature as an OCI 1.1 referrer, which ${release.text} lists as a signature too (cosign verify finds it with --experimental-oci11)`);
                cosign = await sign('referrer');
            }
            signature = {
                ...cosign,
                where: cosign.layout === 'tag' ? `tag ${cosign.location}` : 'referrer',
            };
        }
        else {
            const envelope = settings.signatureFormat;
            const now = new Date(ctx.clock.now());
            const notation = await signWithNotation({
                registry,
                subject,
                signer: notationSigner,
                chain: keyChoice.chain,
                now,
                ...(settings.notationExpiry !== undefined ? { expiry: new Date(now.getTime() + settings.notationExpiry) } : {}),
                ...(timestamp ? { timestamp } : {}),
                envelope,
                labels: { key: name(keyChoice.keyVault ? 'key-vault-key-id' : 'notation-key') },
                push,
            });
            signature = { ...notation, where: `Notation ${envelope.toUpperCase()} referrer` };
        }
        platform.info(signature.existing
            ? `${artifact} already carries this ${keyChoice.type === 'cosign' ? "key's" : "certificate's"} signature (${signature.manifestDigest}); nothing written`
            : `Signed ${artifact}: ${signature.where} ${signature.manifestDigest}`);
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
            listedAs = checkListedAsSignature(accessories, signature.manifestDigest, keyChoice.type === 'cosign' ? 'signature.cosign' : 'signature.notation', artifact).type;
            platform.info(`Harbor lists the signature as ${listedAs}`);
        }
        await platform.addSummary([
            `### Signed \`${host}/${repository}\``,
            '',
            '| | |',
            '| --- | --- |',
            `| Digest | \`${subject.digest}\` |`,
            `| Signature | \`${signature.manifestDigest}\` (${signature.where}) |`,
            `| Harbor lists it as | ${listedAs} |`,
            ...(sbomDigest ? [`| SBOM | \`${sbomDigest}\` |`] : []),
            '',
        ].join('\n'));
    }
    finally {
        await http.close();
        await keyVaultHttp?.close();
        await tsaHttp?.close();
    }
}
/** The signing key from the inputs, every problem an input error before any request. */
async function chooseKey(settings, ctx) {
    const name = ctx.label;
    const set = (key) => ctx.setting(settings, key) !== undefined;
    if (settings.signatureType === 'cosign') {
        if (settings.signatureFormat !== 'jws') {
            throw new errors/* InputError */.dz(`Input '${name('signature-format')}' is ${settings.signatureFormat}, an envelope of Notation signatures, but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`);
        }
        const notationOnly = ['notation-expiry', 'timestamp-url', 'timestamp-root-cert'].find(set);
        if (notationOnly) {
            throw new errors/* InputError */.dz(`Input '${name(notationOnly)}' is set but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`);
        }
        if (!set('cosign-key')) {
            const notation = ['notation-key', 'key-vault-key-id'].find(set);
            throw new errors/* InputError */.dz(notation
                ? `Input '${name(notation)}' is set but '${name('signature-type')}' is cosign (the default): set '${name('signature-type')}' to notation`
                : `Input required and not supplied: ${name('cosign-key')} (with '${name('signature-type')}' cosign)`);
        }
        const key = await loadSigningKey(settings.cosignKey, settings.cosignKeyPassword, {
            key: name('cosign-key'),
            password: name('cosign-key-password'),
        });
        return { type: 'cosign', key };
    }
    checkExpiry(settings.notationExpiry, name('notation-expiry'));
    if (set('notation-key') === set('key-vault-key-id')) {
        throw new errors/* InputError */.dz(set('notation-key')
            ? `Inputs '${name('notation-key')}' and '${name('key-vault-key-id')}' are both set: give one (a local key, or a key in Azure Key Vault)`
            : `Input required and not supplied: ${name('notation-key')} or ${name('key-vault-key-id')} (with '${name('signature-type')}' notation)`);
    }
    if (!set('notation-certificate-chain')) {
        throw new errors/* InputError */.dz(`Input required and not supplied: ${name('notation-certificate-chain')} (with '${name('signature-type')}' notation)`);
    }
    // As notation's flags, the TSA URL and its root come together (cobra MarkFlagsRequiredTogether in sign.go).
    if (set('timestamp-url') !== set('timestamp-root-cert')) {
        const [given, missing] = set('timestamp-url')
            ? ['timestamp-url', 'timestamp-root-cert']
            : ['timestamp-root-cert', 'timestamp-url'];
        throw new errors/* InputError */.dz(`Input '${name(given)}' needs '${name(missing)}' too: give both or neither`);
    }
    const tsa = settings.timestampUrl !== undefined
        ? {
            url: settings.timestampUrl,
            root: parseTsaRoot(await readPem(settings.timestampRootCert, name('timestamp-root-cert'), ctx), name('timestamp-root-cert')),
        }
        : undefined;
    const chainPem = await readPem(settings.notationCertificateChain, name('notation-certificate-chain'), ctx);
    const labels = { chain: name('notation-certificate-chain') };
    if (settings.keyVaultKeyId !== undefined) {
        const keyVault = parseKeyId(settings.keyVaultKeyId, name('key-vault-key-id'));
        return {
            type: 'notation',
            chain: parseChain(chainPem, undefined, { ...labels, key: name('key-vault-key-id') }),
            keyVault,
            ...(tsa ? { tsa } : {}),
        };
    }
    const key = loadNotationKey(settings.notationKey, name('notation-key'));
    const chain = parseChain(chainPem, key, { ...labels, key: name('notation-key') });
    return { type: 'notation', chain, local: localSigner(key), ...(tsa ? { tsa } : {}) };
}
/** notation's longest --expiry: Go's time.Duration tops out at 2562047h47m16.854775807s (about 292 years). */
const MAX_EXPIRY_MS = 2_562_047 * 3_600_000;
/**
 * The expiry as notation takes it: whole seconds (notation-go v1.3.2 notation.go validateSignArguments refuses a
 * finer duration) and no longer than a Go duration can be (notation's flag parser refuses that).
 */
function checkExpiry(ms, label) {
    if (ms === undefined)
        return;
    if (ms % 1000 !== 0) {
        throw new errors/* InputError */.dz(`Input '${label}' must be whole seconds, as notation's --expiry (e.g. 90s, 24h, 30d)`);
    }
    if (ms > MAX_EXPIRY_MS) {
        throw new errors/* InputError */.dz(`Input '${label}' must be at most 2562047h (about 292 years, the longest expiry notation takes)`);
    }
}
/**
 * A certificate input holds PEM, or names a PEM file in the workspace (public certificates are often kept in the
 * repository): notation-certificate-chain and timestamp-root-cert.
 */
async function readPem(value, label, ctx) {
    if (value.includes('-----BEGIN'))
        return value;
    const file = value.trim();
    try {
        return await (0,promises_.readFile)((0,capability/* workspacePath */.X5)(ctx.platform, file), 'utf8');
    }
    catch (error) {
        throw new errors/* InputError */.dz(`Input '${label}': neither PEM nor a readable file: ${file} (${error.code ?? 'error'})`);
    }
}
/**
 * The pack's Azure sign-in (azureSubscription on Azure DevOps; GitHub OIDC or the Azure CLI login on GitHub) for Key
 * Vault, and the key checked through GetKey before anything is signed.
 */
async function run_keyVaultSigner(key, leaf, settings, ctx, http) {
    const name = ctx.label;
    const signIn = signInToAzure(settings, { clientId: name('client-id'), tenantId: name('tenant-id') }, http, ctx.platform);
    const signer = await checkedKeyVaultSigner(new KeyVaultClient(http, signIn.credential), key, leaf, {
        chain: name('notation-certificate-chain'),
        key: name('key-vault-key-id'),
    });
    ctx.platform.info(`Signed in to Azure with ${signIn.credential.description}; Key Vault key ${key.name}/${key.version} signs`);
    return signer;
}
const MIB = 1024 * 1024;
/** Far above a real SBOM (syft's for a large distro image is tens of MiB), far below what would exhaust a runner. */
const MAX_SBOM_BYTES = 256 * MIB;
async function readSbom(file, platform, label) {
    let bytes;
    try {
        const path = (0,capability/* workspacePath */.X5)(platform, file);
        // Checked before reading: the file is held in memory and parsed whole.
        const size = (await (0,promises_.stat)(path)).size;
        if (size > MAX_SBOM_BYTES) {
            throw new errors/* InputError */.dz(`Input '${label}': ${file} is ${Math.ceil(size / MIB)} MiB; the step attaches SBOMs up to ${MAX_SBOM_BYTES / MIB} MiB`);
        }
        bytes = await (0,promises_.readFile)(path);
    }
    catch (error) {
        if (error instanceof errors/* InputError */.dz)
            throw error;
        throw new errors/* InputError */.dz(`Input '${label}': cannot read ${file} (${error.code ?? 'error'})`);
    }
    return { bytes, mediaType: sbomMediaType(bytes, label), fileName: (0,external_node_path_.basename)(file) };
}

;// CONCATENATED MODULE: ./shared/capabilities/sign/index.ts



/* harmony default export */ const sign = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, runSign));


/***/ })

};
;