"use strict";
exports.id = 16;
exports.ids = [16];
exports.modules = {

/***/ 1016:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ capabilities_replicate)
});

// EXTERNAL MODULE: ./shared/capability.ts + 1 modules
var capability = __webpack_require__(1587);
// EXTERNAL MODULE: ./shared/capabilities/replicate/definition.ts
var definition = __webpack_require__(2036);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
// EXTERNAL MODULE: ./shared/harbor/registries.ts
var registries = __webpack_require__(1398);
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

// EXTERNAL MODULE: ./shared/harbor/client.ts
var client = __webpack_require__(438);
;// CONCATENATED MODULE: ./shared/harbor/replication.ts





const LOCAL_REGISTRY_ID = 0;
async function findPolicy(harbor, name) {
    const found = await (0,registries/* replicationScope */.XU)(() => harbor.list('/replication/policies', { q: (0,client/* exactQuery */.OS)('name', name) }, 'listing replication policies'));
    const match = found.find((p) => p.name === name);
    // The list omits nothing today, but the single GET is the documented full view of a policy.
    return match?.id !== undefined ? getPolicy(harbor, match.id) : undefined;
}
async function getPolicy(harbor, id) {
    return (0,registries/* replicationScope */.XU)(() => harbor.json('GET', `/replication/policies/${id}`, { what: `reading replication policy ${id}` }));
}
function directionOf(policy) {
    return (policy.dest_registry?.id ?? LOCAL_REGISTRY_ID) !== LOCAL_REGISTRY_ID ? 'push' : 'pull';
}
/** The endpoint on the far side of a policy (destination of a push, source of a pull). */
function remoteRegistryOf(policy) {
    const remote = directionOf(policy) === 'push' ? policy.dest_registry : policy.src_registry;
    return remote && (remote.id ?? LOCAL_REGISTRY_ID) !== LOCAL_REGISTRY_ID ? remote : undefined;
}
function filterOf(policy, type) {
    return (policy.filters ?? []).find((f) => f.type === type);
}
/** A policy's current value of each field the pipeline can set, in the same shape as `PolicyFields`. */
function fieldsOf(policy) {
    const remote = remoteRegistryOf(policy);
    const tag = filterOf(policy, 'tag');
    const label = filterOf(policy, 'label');
    return {
        direction: directionOf(policy),
        registry: remote?.id !== undefined ? { id: remote.id, name: remote.name ?? `#${remote.id}` } : undefined,
        nameFilter: stringValue(filterOf(policy, 'name')?.value),
        tagFilter: stringValue(tag?.value),
        tagMatch: tag?.decoration === 'excludes' ? 'excludes' : 'matches',
        labels: Array.isArray(label?.value) ? label.value.map(String) : [],
        resource: (stringValue(filterOf(policy, 'resource')?.value) || 'artifact'),
        destNamespace: policy.dest_namespace ?? '',
        replaceCount: policy.dest_namespace_replace_count ?? -1,
        trigger: (policy.trigger?.type || 'manual'),
        cron: policy.trigger?.trigger_settings?.cron || undefined,
        override: policy.override ?? false,
        speed: harborSpeed(policy.speed ?? 0),
        copyByChunk: policy.copy_by_chunk ?? false,
        deletion: policy.replicate_deletion ?? policy.deletion ?? false,
        enabled: policy.enabled ?? false,
    };
}
/**
 * Harbor stores a negative speed as 0, "unlimited" (CreateReplicationPolicy/UpdateReplicationPolicy in
 * src/server/v2.0/handler/replication.go, v2.15.2): comparing -1 with the stored 0 would rewrite the policy (and reset
 * its schedule) on every run, so every "unlimited" is written and compared as 0.
 */
function harborSpeed(speed) {
    return speed > 0 ? speed : 0;
}
function stringValue(value) {
    return typeof value === 'string' ? value : '';
}
/** What differs between the stored policy and the wanted fields; fields left undefined never count. */
function policyChanges(policy, wanted) {
    const current = fieldsOf(policy);
    const changes = [];
    const add = (field, from, to) => {
        if (to === undefined)
            return;
        const a = show(from);
        const b = show(to);
        if (a !== b)
            changes.push({ field, from: a, to: b });
    };
    add('direction', current.direction, wanted.direction);
    if (wanted.registry && wanted.registry.id !== current.registry?.id) {
        changes.push({ field: 'registry endpoint', from: current.registry?.name ?? 'none', to: wanted.registry.name });
    }
    add('name filter', current.nameFilter, wanted.nameFilter);
    add('tag filter', current.tagFilter, wanted.tagFilter);
    add('tag match', current.tagMatch, wanted.tagFilter !== undefined || current.tagFilter ? wanted.tagMatch : undefined);
    add('label filter', current.labels, wanted.labels);
    add('resource filter', current.resource, wanted.resource);
    add('destination namespace', current.destNamespace, wanted.destNamespace);
    add('flattening', flatteningName(current.replaceCount), wanted.replaceCount === undefined ? undefined : flatteningName(wanted.replaceCount));
    add('trigger', current.trigger, wanted.trigger);
    const trigger = wanted.trigger ?? current.trigger;
    if (trigger === 'scheduled')
        add('cron', current.cron ?? '', wanted.cron);
    add('override', current.override, wanted.override);
    add('speed', current.speed, wanted.speed === undefined ? undefined : harborSpeed(wanted.speed));
    add('copy by chunk', current.copyByChunk, wanted.copyByChunk);
    add('deletion', current.deletion, wanted.deletion);
    add('enabled', current.enabled, wanted.enabled);
    return changes;
}
function flatteningName(count) {
    if (count < 0)
        return 'all';
    if (count === 0)
        return 'none';
    return String(count);
}
function show(value) {
    if (Array.isArray(value))
        return value.length ? value.join(', ') : '(none)';
    if (value === '' || value === undefined || value === null)
        return '(none)';
    return String(value);
}
/**
 * The policy body Harbor stores: the existing policy (if any) with the wanted fields applied. Harbor's API only
 * reads the registry ids, so the local side is `{ id: 0 }` and the remote side `{ id }`.
 */
function buildPolicy(name, wanted, existing) {
    const current = existing ? fieldsOf(existing) : undefined;
    const direction = wanted.direction ?? current?.direction;
    const registry = wanted.registry ?? current?.registry;
    if (!direction || !registry)
        throw new Error('buildPolicy needs a direction and a registry endpoint');
    const remote = { id: registry.id };
    const local = { id: LOCAL_REGISTRY_ID };
    const filters = (existing?.filters ?? []).filter((f) => !['name', 'tag', 'label', 'resource'].includes(f.type));
    const nameFilter = wanted.nameFilter ?? current?.nameFilter;
    if (nameFilter)
        filters.push({ type: 'name', value: nameFilter });
    const tagFilter = wanted.tagFilter ?? current?.tagFilter;
    if (tagFilter)
        filters.push({ type: 'tag', value: tagFilter, decoration: wanted.tagMatch ?? current?.tagMatch ?? 'matches' });
    const labels = wanted.labels ?? current?.labels;
    const labelDecoration = (existing && filterOf(existing, 'label')?.decoration) || 'matches';
    if (labels && labels.length > 0)
        filters.push({ type: 'label', value: labels, decoration: labelDecoration });
    const resource = wanted.resource ?? (existing ? stringValue(filterOf(existing, 'resource')?.value) : '');
    if (resource)
        filters.push({ type: 'resource', value: resource });
    const trigger = wanted.trigger ?? current?.trigger ?? 'manual';
    const cron = wanted.cron ?? current?.cron;
    const deletion = wanted.deletion ?? current?.deletion ?? false;
    const policy = {
        name,
        description: existing?.description ?? 'Managed by harbor-pipelines (replicate)',
        src_registry: direction === 'push' ? local : remote,
        dest_registry: direction === 'push' ? remote : local,
        dest_namespace: wanted.destNamespace ?? current?.destNamespace ?? '',
        trigger: { type: trigger, trigger_settings: { cron: trigger === 'scheduled' ? (cron ?? '') : '' } },
        filters,
        replicate_deletion: deletion,
        // Harbor's API reads only the deprecated `deletion` (every 2.x: ReplicateDeletion: params.Policy.Deletion in
        // src/server/v2.0/handler/replication.go) and answers both names with the stored flag; both carry the same value.
        deletion,
        override: wanted.override ?? current?.override ?? true,
        enabled: wanted.enabled ?? current?.enabled ?? true,
        speed: harborSpeed(wanted.speed ?? current?.speed ?? 0),
        copy_by_chunk: wanted.copyByChunk ?? current?.copyByChunk ?? false,
    };
    // PUT replaces the whole policy (UpdateReplicationPolicy in src/server/v2.0/handler/replication.go): a field the
    // pack does not manage is carried over as Harbor stored it, or the update would switch it off.
    if (existing?.single_active_replication)
        policy.single_active_replication = true;
    const replaceCount = wanted.replaceCount ?? existing?.dest_namespace_replace_count ?? undefined;
    if (replaceCount !== undefined && replaceCount !== null)
        policy.dest_namespace_replace_count = replaceCount;
    if (existing?.id !== undefined)
        policy.id = existing.id;
    return policy;
}
/** Creates the policy or writes only a real difference; `changes` is the diff that was (or would be) applied. */
async function ensurePolicy(harbor, name, wanted, existing) {
    if (!existing) {
        const body = buildPolicy(name, wanted);
        const res = await (0,registries/* replicationScope */.XU)(() => harbor.call('POST', '/replication/policies', {
            json: body,
            expected: [201],
            retry: false,
            what: `creating replication policy '${name}'`,
        }));
        const id = (0,registries/* idFromLocation */.lx)(res.headers.location) ?? (await findPolicy(harbor, name))?.id;
        if (id === undefined)
            throw new errors/* UserError */.yo(`Harbor created replication policy '${name}' but did not say its id, and it cannot be found by name`);
        return { policy: { ...body, id }, id, created: true, changes: [] };
    }
    const changes = policyChanges(existing, wanted);
    if (changes.length === 0)
        return { policy: existing, id: existing.id, created: false, changes };
    const body = buildPolicy(name, wanted, existing);
    await (0,registries/* replicationScope */.XU)(() => harbor.call('PUT', `/replication/policies/${existing.id}`, {
        json: body,
        expected: [200],
        what: `updating replication policy '${name}'`,
    }));
    return { policy: body, id: existing.id, created: false, changes };
}
// Harbor's API renames its job states (Running → InProgress, Success → Succeed, Error → Failed); both spellings
// are accepted so a proxy or an older Harbor that passes the raw ones through is read the same way.
const SUCCEEDED = new Set(['succeed', 'success', 'succeeded']);
const FAILED = new Set(['failed', 'error']);
const STOPPED = new Set(['stopped']);
function isFinalStatus(status) {
    const s = status.toLowerCase();
    return SUCCEEDED.has(s) || FAILED.has(s) || STOPPED.has(s);
}
function isSucceeded(status) {
    return SUCCEEDED.has(status.toLowerCase());
}
function isFailed(status) {
    return FAILED.has(status.toLowerCase());
}
/** `POST /replication/executions`; the new execution's id is the last segment of the `Location` header. */
async function startExecution(harbor, policyId) {
    const res = await (0,registries/* replicationScope */.XU)(() => harbor.call('POST', '/replication/executions', {
        json: { policy_id: policyId },
        expected: [201],
        // A retried start could run the replication twice.
        retry: false,
        what: `starting replication policy ${policyId}`,
    }));
    const id = (0,registries/* idFromLocation */.lx)(res.headers.location);
    if (id !== undefined)
        return id;
    // Without a Location header, the newest manual execution of the policy is the one just started.
    const recent = await (0,registries/* replicationScope */.XU)(() => harbor.json('GET', '/replication/executions', {
        query: { policy_id: policyId, sort: '-start_time', page: 1, page_size: 1 },
        what: 'listing replication executions',
    }));
    if (!recent?.[0])
        throw new errors/* UserError */.yo(`Harbor accepted replication policy ${policyId} but returned no execution id and lists none`);
    return recent[0].id;
}
async function getExecution(harbor, id) {
    return (0,registries/* replicationScope */.XU)(() => harbor.json('GET', `/replication/executions/${id}`, {
        what: `reading replication execution ${id}`,
    }));
}
async function listTasks(harbor, executionId) {
    return (0,registries/* replicationScope */.XU)(() => harbor.list(`/replication/executions/${executionId}/tasks`, {}, `listing tasks of execution ${executionId}`));
}
async function taskLog(harbor, executionId, taskId) {
    const res = await (0,registries/* replicationScope */.XU)(() => harbor.call('GET', `/replication/executions/${executionId}/tasks/${taskId}/log`, {
        headers: { accept: 'text/plain' },
        expected: [200],
        what: `reading the log of task ${taskId}`,
    }));
    return res.text();
}
async function stopExecution(harbor, id) {
    await (0,registries/* replicationScope */.XU)(() => harbor.call('PUT', `/replication/executions/${id}`, {
        expected: [200],
        retry: false,
        what: `stopping replication execution ${id}`,
    }));
}
/**
 * Harbor runs a replication task up to 3 times: a failed run is re-queued (MaxFails in
 * src/jobservice/job/impl/replication/replication.go, goharbor/harbor v2.15.2).
 */
const HARBOR_MAX_RUNS = 3;
/**
 * How long a Failed task may wait before Harbor runs it again: the worker pool re-queues a job that failed `n` times
 * after n^4 + 15 + rand(30)·(n+1) seconds (goharbor/work v0.5.1-patch worker.go defaultBackoffCalculator, pinned by
 * Harbor's src/go.mod), at most 118 s after the second failure; plus the re-queue poller's latency.
 */
const HARBOR_RETRY_WINDOW_MS = 150_000;
/**
 * How long an execution status may contradict its tasks: Harbor recomputes it in the background every
 * execution_status_refresh_interval_seconds, 30 by default (src/pkg/task/dao/execution.go,
 * src/lib/config/metadata/metadatalist.go), while the task counters are live.
 */
const HARBOR_STATUS_SETTLE_MS = 45_000;
/** A final execution status matches its tasks: Succeed has no failed task; Failed has one, or no tasks at all. */
function agrees(execution, tasks) {
    const anyFailed = tasks.some((t) => isFailed(t.status));
    if (isSucceeded(execution.status))
        return !anyFailed;
    if (isFailed(execution.status))
        return anyFailed || tasks.length === 0;
    return true;
}
/**
 * A time Harbor has set, or undefined: the API shows an unset one as Go's zero time, 0001-01-01 (convertTask and
 * convertExecution in src/server/v2.0/handler/replication.go): a task not run yet has no start, a running or
 * re-running one no end (src/pkg/task/dao/task.go UpdateStatus), a running execution no end.
 */
function harborTime(value) {
    return value && !value.startsWith('0001-') ? value : undefined;
}
/** What the poller remembers of each task: the runs it saw and since when the current run reads Failed. */
class TaskWatch {
    now;
    onRetry;
    starts = new Map();
    failedSince = new Map();
    constructor(now, onRetry) {
        this.now = now;
        this.onRetry = onRetry;
    }
    observe(tasks) {
        for (const t of tasks) {
            const start = harborTime(t.start_time);
            const seen = this.starts.get(t.id) ?? new Set();
            this.starts.set(t.id, seen);
            const rerun = start !== undefined && seen.size > 0 && !seen.has(start);
            if (start !== undefined)
                seen.add(start);
            const failed = this.failedSince.get(t.id);
            if (rerun && failed)
                this.onRetry?.(t, seen.size);
            if (isFailed(t.status)) {
                if (!failed || failed.start !== start)
                    this.failedSince.set(t.id, { at: this.now(), start });
            }
            else {
                this.failedSince.delete(t.id);
            }
        }
    }
    attempts(id) {
        return Math.max(1, this.starts.get(id)?.size ?? 0);
    }
    /** A Failed task with runs left, whose re-run could still come. */
    mayRerun(t, windowMs) {
        const failed = this.failedSince.get(t.id);
        if (!isFailed(t.status) || !failed)
            return false;
        return this.attempts(t.id) < HARBOR_MAX_RUNS && this.now() - failed.at < windowMs;
    }
    all() {
        return new Map([...this.starts.keys()].map((id) => [id, this.attempts(id)]));
    }
}
/**
 * Polls until the execution is over: every task final, no failed task still due for Harbor's re-run, and the
 * execution's status agreeing with its tasks. Harbor marks a failed run Failed and runs it again after a backoff (up
 * to 3 runs), so a Failed task is final only after its third run or once the longest backoff passed without a re-run;
 * the execution's status is recomputed in the background and can read Failed while a retry is pending, or lag its
 * finished tasks, so the tasks decide and the status is given `settleMs` to agree.
 */
async function waitForExecution(harbor, id, options) {
    const clock = (0,util_clock/* clockWith */.RK)(options);
    const settleMs = options.settleMs ?? HARBOR_STATUS_SETTLE_MS;
    const retryWindowMs = options.retryWindowMs ?? HARBOR_RETRY_WINDOW_MS;
    const watch = new TaskWatch(clock.now, options.onRetry);
    let disagreeingSince;
    let lastProgress = '';
    let tasks = [];
    let execution;
    let listed = false;
    return poll_pollWithBackoff({
        timeoutMs: options.timeoutMs,
        initialDelayMs: options.initialIntervalMs ?? 1_000,
        maxDelayMs: options.maxIntervalMs ?? 15_000,
        factor: 1.5,
        clock,
        atDeadline: 'last-poll',
    }, async (turn) => {
        // The read that finds the deadline passed goes through the clean-up client: the step's budget may be spent by then.
        const client = turn.overdue ? (options.cleanup ?? harbor) : harbor;
        execution = await getExecution(client, id);
        const progress = `${execution.status} ${execution.succeed}/${execution.failed}/${execution.in_progress}/${execution.total}`;
        if (progress !== lastProgress) {
            lastProgress = progress;
            options.onProgress?.(execution);
        }
        const final = isFinalStatus(execution.status);
        // The counters are live; the task list is read when something failed or nothing is in progress.
        listed = execution.failed > 0 || execution.in_progress === 0 || final || turn.overdue;
        if (listed) {
            tasks = await listTasks(client, id);
            watch.observe(tasks);
        }
        const retrying = tasks.filter((t) => watch.mayRerun(t, retryWindowMs));
        if (listed &&
            tasks.every((t) => isFinalStatus(t.status)) &&
            retrying.length === 0 &&
            (final || tasks.length > 0)) {
            if (final && agrees(execution, tasks))
                return { execution, tasks, timedOut: false, attempts: watch.all(), retrying };
            // Harbor refreshes an execution's status apart from its tasks; give a disagreement time to settle.
            disagreeingSince ??= clock.now();
            if (clock.now() - disagreeingSince >= settleMs)
                return { execution, tasks, timedOut: false, attempts: watch.all(), retrying };
        }
        else {
            disagreeingSince = undefined;
        }
        return undefined;
    }, async () => {
        if (!listed) {
            tasks = await listTasks(options.cleanup ?? harbor, id);
            watch.observe(tasks);
        }
        return {
            execution,
            tasks,
            timedOut: true,
            attempts: watch.all(),
            retrying: tasks.filter((t) => watch.mayRerun(t, retryWindowMs)),
        };
    });
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

// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
// EXTERNAL MODULE: ./shared/http/client.ts
var http_client = __webpack_require__(6160);
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
        if ((0,http_client/* answeredHtml */.l9)(res)) {
            throw new errors/* UserError */.yo(`${(0,redact/* redactUrl */.BO)(this.baseUrl)} answered HTML, not the registry API (GET /v2/ ${res.status}): is this the registry URL (a proxy or a login page in between)?`);
        }
        if (res.status === 200)
            return;
        if (res.status !== 401) {
            throw new errors/* UserError */.yo(`${this.baseUrl} is not an OCI registry: GET /v2/ answered ${res.status}${(0,http_client/* remoteMessage */.aT)(res) ? ` (${(0,http_client/* remoteMessage */.aT)(res)})` : ''}`);
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
const MANIFEST_ACCEPT = [
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
            const bytes = await (0,http_client/* readAtMost */.rU)(res.stream, size);
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
                res.body = (await (0,http_client/* readAtMost */.rU)(res.stream, ERROR_BODY_BYTES)) ?? Buffer.alloc(0);
            }
            if (res.status === 401 && !renewed && (await this.auth.refresh(res)))
                continue;
            if (req.expected.includes(res.status)) {
                if ((0,http_client/* answeredHtml */.l9)(res))
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
    return `/projects/${encodeURIComponent(ref.project)}/repositories/${encodeRepository(ref.repository)}/artifacts/${reference}`;
}
/** Every artifact of a repository (`project/repo`, the repository may contain `/`), with its tags. */
async function listArtifacts(harbor, repository) {
    const slash = repository.indexOf('/');
    const path = `/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${(0,client/* encodeRepository */.tL)(repository.slice(slash + 1))}/artifacts`;
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

;// CONCATENATED MODULE: ./shared/capabilities/replicate/destination-check.ts




/** `<repository> [<n> item(s) in total]` (Harbor's task src_resource/dst_resource, copy.go getResourceName). */
function repositoryOf(resource) {
    const name = resource?.split(' ')[0];
    return name && name.includes('/') ? name : undefined;
}
/**
 * What a push policy's succeeded tasks should have left in the destination, read from this Harbor: per task, the
 * source repository's tagged artifacts the policy's tag filter keeps (their kept tags must point at the same digest
 * in the task's destination repository), each index's children, and everything attached to each artifact (a manual
 * run copies accessories with their artifact: src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts). Untagged
 * artifacts are not expected (the check follows tags). Labels are not read: a policy with a label filter is not
 * checked (the caller skips it).
 */
async function expectedAtDestination(harbor, policy, tasks, sourceRegistry) {
    const tagFilter = (policy.filters ?? []).find((f) => f.type === 'tag');
    const pattern = typeof tagFilter?.value === 'string' ? tagFilter.value : '';
    const excludes = tagFilter?.decoration === 'excludes';
    const keep = (tag) => matchesEverything(pattern) || doublestarMatch(pattern, tag) !== excludes;
    // The resource filter (src/pkg/reg/filter/artifact.go artifactTypeFilter): `image` keeps images only.
    const resource = (policy.filters ?? []).find((f) => f.type === 'resource')?.value;
    const expected = [];
    for (const task of tasks) {
        const source = repositoryOf(task.src_resource);
        const destination = repositoryOf(task.dst_resource);
        if (!source || !destination)
            continue;
        const artifacts = await listArtifacts(harbor, source);
        for (const artifact of artifacts) {
            if (resource === 'image' && artifact.type && artifact.type !== 'IMAGE')
                continue;
            const tags = (artifact.tags ?? []).map((t) => t.name).filter(keep);
            if (tags.length === 0)
                continue;
            const graph = await artifactGraph(sourceRegistry(source), artifact.digest);
            const label = `${source}:${tags[0]}`;
            expected.push(...expectedManifests(graph, destination, label, { attached: true }));
            for (const tag of tags)
                expected.push({ repository: destination, digest: artifact.digest, tag, what: `${source}:${tag}` });
        }
    }
    return expected;
}
/**
 * The destination read with a registry client per repository (the destination's own credentials). Each client logs
 * in once before its first read: the reads run in parallel, and parallel first requests would each answer a Basic
 * challenge that another one had already answered.
 */
function registryReader(registryFor) {
    const logins = new Map();
    const ready = (repository) => {
        let login = logins.get(repository);
        if (!login) {
            const client = registryFor(repository);
            login = client.auth.login().then(() => client);
            logins.set(repository, login);
        }
        return login;
    };
    return {
        hasManifest: async (repository, digest) => (await (await ready(repository)).manifestDigest(digest)) !== undefined,
        tagDigest: async (repository, tag) => (await ready(repository)).manifestDigest(tag),
    };
}

// EXTERNAL MODULE: ./node_modules/cron-parser/dist/index.js
var dist = __webpack_require__(8628);
;// CONCATENATED MODULE: ./shared/capabilities/replicate/cron.ts


/**
 * Harbor schedules replication with robfig/cron v3 in its 6-field form (seconds first: src/common/utils/utils.go
 * CronParser) and refuses any seconds field but `0` and a minutes field of `*` (src/controller/replication/model/
 * model.go Policy.Validate). cron-parser checks the fields and ranges; where it is more lenient than robfig (L W #, a
 * day of week 7) and for Harbor's own rules, the check is here, so a bad schedule fails before anything is saved.
 */
function validateHarborCron(text, label) {
    const cron = text.trim().replace(/\s+/g, ' ');
    const fields = cron.split(' ');
    if (cron.startsWith('@')) {
        throw new errors/* InputError */.dz(`Input '${label}' must be a 6-field cron like '0 0 2 * * *'; Harbor does not accept descriptors such as '${fields[0]}'`);
    }
    if (fields.length === 5) {
        const fixed = fields[0] === '*' ? `0 0 ${fields.slice(1).join(' ')}` : `0 ${cron}`;
        throw new errors/* InputError */.dz(`Input '${label}' has 5 fields; Harbor's cron has 6 with seconds first: use '${fixed}'${fields[0] === '*' ? ` (hourly: Harbor refuses '*' in the minutes field)` : ''} (got '${cron}')`);
    }
    if (fields.length !== 6) {
        throw new errors/* InputError */.dz(`Input '${label}' must have 6 fields (seconds minutes hours day-of-month month day-of-week), e.g. '0 0 2 * * *' (got '${cron}')`);
    }
    // L, W and # are cron-parser (Quartz) extensions that robfig/cron, and so Harbor, rejects.
    if (/[LW#]/i.test(fields
        .slice(3)
        .join(' ')
        .replace(/\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN)\b/gi, ''))) {
        throw new errors/* InputError */.dz(`Input '${label}' uses L, W or #, which Harbor's scheduler does not support (got '${cron}')`);
    }
    // robfig counts days of the week 0-6 (Sunday is 0); cron-parser also takes 7 for Sunday, which Harbor refuses.
    const dayNumbers = fields[5]
        .split(',')
        .flatMap((item) => item.split('/')[0].split('-'))
        .filter((v) => /^\d+$/.test(v))
        .map(Number);
    if (dayNumbers.some((d) => d > 6)) {
        throw new errors/* InputError */.dz(`Input '${label}': Harbor's scheduler numbers the days of the week 0-6 (Sunday is 0, or write SUN); 7 is refused (got '${cron}')`);
    }
    try {
        // Not strict: robfig accepts '?' and a day-of-month with a day-of-week, which strict mode refuses.
        dist.CronExpressionParser.parse(cron, { tz: 'UTC' });
    }
    catch (error) {
        throw new errors/* InputError */.dz(`Input '${label}' is not a valid cron expression: ${error.message} (got '${cron}')`);
    }
    if (fields[0] !== '0') {
        throw new errors/* InputError */.dz(`Input '${label}' must start with 0: Harbor runs replication schedules at whole minutes only (got seconds '${fields[0]}')`);
    }
    // Policy.Validate refuses a minutes field that is exactly '*' (src/controller/replication/model/model.go).
    if (fields[1] === '*') {
        throw new errors/* InputError */.dz(`Input '${label}': Harbor refuses '*' in the minutes field; name the minutes, e.g. '0 0 ${fields.slice(2).join(' ')}' (at :00) or '0 */5 ${fields.slice(2).join(' ')}' (every 5 minutes) (got '${cron}')`);
    }
    return cron;
}
/** The next run after `from`, for the log ("next run …"). */
function nextRun(cron, from = new Date()) {
    return dist.CronExpressionParser.parse(cron, { currentDate: from, tz: 'UTC' }).next().toDate();
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
        if (error instanceof RemoteError && error.kind === 'not-found')
            return false;
        throw error;
    }
}

;// CONCATENATED MODULE: ./shared/capabilities/replicate/event-accessories.ts




/** Repositories read to look for accessories: enough to find them in a typical policy, bounded for a wide one. */
const MAX_REPOSITORIES = 20;
/**
 * What Harbor v2.15.2 does with accessories under an event_based trigger, so the step can warn: the push event's
 * replication hands the flow the pushed artifact alone (src/controller/event/handler/replication/replication.go
 * handlePushArtifact: digest and its own tags, no accessories), so copy.go never lists what is attached to it; an
 * accessory travels only through its own push event, matched as a plain artifact by its own tag (a cosign
 * `sha256-<hex>.sig`) or, untagged (a referrer), by the empty tag — the parent's tags count only for accessories a
 * manual or scheduled run lists (src/pkg/reg/filter/artifact.go artifactTagFilter, IsAcc/ParentTags;
 * src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts). Reads the artifacts the policy's name and tag filters
 * cover in this Harbor, with their accessories.
 */
async function eventAccessories(harbor, policy) {
    const filter = (type) => (policy.filters ?? []).find((f) => f.type === type);
    const name = typeof filter('name')?.value === 'string' ? filter('name').value : '';
    const tagFilter = filter('tag');
    const tagPattern = typeof tagFilter?.value === 'string' ? tagFilter.value : '';
    const excludes = tagFilter?.decoration === 'excludes';
    const tagPasses = (tag) => matchesEverything(tagPattern) || doublestarMatch(tagPattern, tag) !== excludes;
    const first = name.split('/')[0];
    const projects = name.includes('/') && !/[*?[\]{}!]/.test(first) ? [first] : await listProjectNames(harbor);
    const repositories = [];
    for (const project of projects) {
        for (const repository of await listRepositoryNames(harbor, project))
            if (matchesEverything(name) || doublestarMatch(name, repository))
                repositories.push(repository);
    }
    const read = repositories.sort().slice(0, MAX_REPOSITORIES);
    const found = {
        artifacts: [],
        types: [],
        dropped: 0,
        accessories: 0,
        partial: repositories.length > read.length,
    };
    for (const repository of read) {
        const slash = repository.indexOf('/');
        const artifacts = await harbor.list(`/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${(0,client/* encodeRepository */.tL)(repository.slice(slash + 1))}/artifacts`, { with_tag: true, with_accessory: true, with_label: false, with_scan_overview: false }, `list artifacts of ${repository}`);
        for (const artifact of artifacts) {
            const tags = (artifact.tags ?? []).map((t) => t.name).filter(tagPasses);
            const accessories = artifact.accessories ?? [];
            if (tags.length === 0 || accessories.length === 0)
                continue;
            found.artifacts.push(`${repository}:${tags[0]}`);
            for (const a of accessories) {
                found.accessories++;
                if (!found.types.includes(a.type))
                    found.types.push(a.type);
                // A cosign signature is pushed under `sha256-<subject hex>.sig`; every other accessory type is untagged.
                const own = a.type === 'signature.cosign' ? cosignTag(artifact.digest, 'sig') : '';
                if (!tagPasses(own))
                    found.dropped++;
            }
        }
    }
    return found.artifacts.length > 0 ? found : undefined;
}
/** The warning line: what is at stake and what to do. */
function eventAccessoriesWarning(policyName, found) {
    const shown = found.artifacts.slice(0, 3).join(', ') + (found.artifacts.length > 3 ? ', …' : '');
    const dropped = found.dropped > 0
        ? `; the policy's tag filter drops ${found.dropped} of their ${found.accessories} accessory(ies) on their own push events, so Harbor never replicates those on push`
        : '; each reaches the destination only through its own push event, and none already in Harbor does';
    return `Policy '${policyName}' uses the event_based trigger, and ${found.artifacts.length} artifact(s) it covers have accessories (${found.types.join(', ')}; ${shown})${found.partial ? ` in the first ${MAX_REPOSITORIES} repositories read` : ''}: Harbor replicates each pushed manifest on its own, without what is attached to it${dropped}. Manual and scheduled runs copy accessories with their artifact (this step's run is manual); verify signatures at the destination, or use a scheduled trigger`;
}

;// CONCATENATED MODULE: ./shared/capabilities/replicate/specific-path.ts
/**
 * Whether a replication name filter names exact repositories, and which. Harbor's registry adapters (the native one
 * that azure-acr builds on: src/pkg/reg/adapter/native/adapter.go listRepositories) list the remote `_catalog` unless
 * the filter is such a path; the rule is Harbor's src/pkg/reg/util/pattern.go IsSpecificPath (v2.15.2), written here
 * from its description: every `/` segment is non-empty, holds none of `* ? [ \ ] ^`, and may hold one `{a,b}` group,
 * which expands to one name per alternative. Returns the names, or undefined when Harbor would list the catalog.
 */
function specificPaths(filter) {
    if (filter === '')
        return undefined;
    let paths = [''];
    for (const segment of filter.split('/')) {
        const names = specificSegment(segment);
        if (!names)
            return undefined;
        paths = paths.flatMap((prefix) => names.map((name) => (prefix ? `${prefix}/${name}` : name)));
    }
    return paths;
}
function specificSegment(segment) {
    if (segment === '' || /[*?[\\\]^]/.test(segment))
        return undefined;
    if (!/[{},]/.test(segment))
        return [segment];
    const open = segment.indexOf('{');
    const close = segment.lastIndexOf('}');
    // One brace group only, opened before it closes (a comma outside braces is not specific either).
    if (open < 0 || close < open || segment.indexOf('{', open + 1) >= 0)
        return undefined;
    const prefix = segment.slice(0, open);
    const suffix = segment.slice(close + 1);
    return segment
        .slice(open + 1, close)
        .split(',')
        .map((alternative) => prefix + alternative + suffix);
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

// EXTERNAL MODULE: ./shared/step-context.ts + 4 modules
var step_context = __webpack_require__(9500);
;// CONCATENATED MODULE: ./shared/capabilities/replicate/plan.ts







/** The inputs that are fields of the replication policy. */
const POLICY_INPUTS = [
    'direction',
    'name-filter',
    'tag-filter',
    'tag-match',
    'label-filter',
    'resource-filter',
    'dest-namespace',
    'flattening',
    'trigger',
    'cron',
    'override',
    'speed',
    'copy-by-chunk',
    'deletion',
    'enabled',
];
function planFromSettings(settings, platform) {
    const name = (0,step_context/* stepContext */.ev)(definition/* definition */.m, platform).label;
    const given = (key) => platform.getInput(definition/* definition */.m.inputs[key]) !== undefined;
    const policyName = settings.policyName;
    let endpoint;
    if (settings.registryUrl !== undefined) {
        if (!settings.registryName)
            throw new errors/* InputError */.dz(`Input '${name('registry-name')}' is required with '${name('registry-url')}': the endpoint is found and kept by that name`);
        if (!settings.registryType)
            throw new errors/* InputError */.dz(`Input '${name('registry-type')}' is required with '${name('registry-url')}' (e.g. harbor, azure-acr, docker-hub, docker-registry)`);
        if (settings.registryPassword !== undefined && settings.registryUsername === undefined) {
            throw new errors/* InputError */.dz(`Input '${name('registry-password')}' needs '${name('registry-username')}'`);
        }
        endpoint = {
            mode: 'ensure',
            spec: {
                name: settings.registryName,
                type: settings.registryType,
                url: settings.registryUrl,
                username: settings.registryUsername,
                password: settings.registryPassword,
                insecure: settings.registryInsecure,
            },
        };
    }
    else {
        for (const key of ['registry-type', 'registry-username', 'registry-password']) {
            if (given(key))
                throw new errors/* InputError */.dz(`Input '${name(key)}' is only used with '${name('registry-url')}', which is not set`);
        }
        if (settings.registryName)
            endpoint = { mode: 'existing', name: settings.registryName };
    }
    // Harbor refuses both after the endpoint was already saved; refused here, before any write.
    // Harbor validates dest_namespace with lib.RepositoryNameRe (src/controller/replication/model/model.go, Valid).
    if (settings.destNamespace)
        checkRepository(settings.destNamespace, name('dest-namespace'));
    if (settings.tagMatch && !settings.tagFilter)
        throw new errors/* InputError */.dz(`Input '${name('tag-match')}' needs '${name('tag-filter')}'`);
    const fields = {
        direction: settings.direction,
        nameFilter: settings.nameFilter,
        tagFilter: settings.tagFilter,
        tagMatch: settings.tagMatch,
        labels: settings.labelFilter,
        resource: settings.resourceFilter,
        destNamespace: settings.destNamespace,
        replaceCount: settings.flattening === undefined
            ? undefined
            : settings.flattening === 'all'
                ? -1
                : settings.flattening === 'none'
                    ? 0
                    : Number(settings.flattening),
        trigger: settings.trigger,
        override: triState(settings.override),
        speed: settings.speed,
        copyByChunk: triState(settings.copyByChunk),
        deletion: triState(settings.deletion),
        enabled: triState(settings.enabled),
    };
    if (settings.cron !== undefined) {
        if (settings.trigger !== undefined && settings.trigger !== 'scheduled') {
            throw new errors/* InputError */.dz(`Input '${name('cron')}' is only used with '${name('trigger')}' scheduled (got '${settings.trigger}')`);
        }
        fields.cron = validateHarborCron(settings.cron, name('cron'));
    }
    if (settings.trigger === 'event_based' && settings.direction === 'pull') {
        throw new errors/* InputError */.dz(`Input '${name('trigger')}' event_based works only for push policies: Harbor sees pushes to itself, not to the remote registry`);
    }
    return {
        endpoint,
        policyName,
        fields,
        ensurePolicy: endpoint !== undefined || POLICY_INPUTS.some(given),
    };
}
/**
 * Who an azure-acr endpoint logs in as: the admin user is named after the registry (the login server's first label),
 * a service principal by its client id (a GUID); anything else is a repository-scoped token.
 */
function acrAccountKind(remote) {
    const user = remote.username?.toLowerCase();
    if (!user)
        return 'unknown';
    let host = '';
    try {
        host = new URL(remote.url ?? '').hostname.toLowerCase();
    }
    catch {
        // no URL: the admin user cannot be recognised
    }
    if (host && user === host.split('.')[0])
        return 'admin';
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(user))
        return 'service-principal';
    return 'token';
}
/** `shop/**` → `shop/{app,api}`: the filter's fixed prefix with an example group in place of the wildcard part. */
function exactSuggestion(filter) {
    const fixed = filter.split('/').filter((segment) => specificPaths(segment) !== undefined && !segment.includes('{'));
    const kept = fixed.length < filter.split('/').length ? fixed : fixed.slice(0, -1);
    return [...kept, '{app,api}'].join('/');
}
function triState(value) {
    return value === undefined ? undefined : value === 'true';
}
/**
 * Rules that need the stored policy and the endpoint type: they run on the merged result, before anything is
 * written. Returns warnings; throws for what Harbor would accept but can never work.
 */
function checkEffectivePolicy(plan, existing, 
/** `username`: the endpoint's account (access_key), when known; `url`: its registry URL. */
remote, platform) {
    const name = (0,step_context/* stepContext */.ev)(definition/* definition */.m, platform).label;
    const current = existing ? fieldsOf(existing) : undefined;
    const direction = plan.fields.direction ?? current?.direction;
    const trigger = plan.fields.trigger ?? current?.trigger;
    const nameFilter = plan.fields.nameFilter ?? current?.nameFilter ?? '';
    const warnings = [];
    if (!existing && plan.ensurePolicy) {
        if (!direction)
            throw new errors/* InputError */.dz(`Replication policy '${plan.policyName}' does not exist yet; set '${name('direction')}' (push or pull) to create it`);
        if (!remote) {
            throw new errors/* InputError */.dz(`Replication policy '${plan.policyName}' does not exist yet; set '${name('registry-name')}' (with '${name('registry-url')}' to create the endpoint) to create it`);
        }
    }
    if (!existing && !plan.ensurePolicy) {
        throw new errors/* UserError */.yo(`Replication policy '${plan.policyName}' does not exist in Harbor; give '${name('direction')}' and '${name('registry-name')}' (and '${name('registry-url')}' for a new endpoint) to create it`);
    }
    if (!plan.ensurePolicy)
        return warnings;
    if (trigger === 'event_based' && direction === 'pull') {
        throw new errors/* InputError */.dz(`Input '${name('trigger')}' event_based works only for push policies; policy '${plan.policyName}' pulls`);
    }
    if (trigger === 'event_based' && existing?.single_active_replication) {
        // Harbor refuses the combination with a bare error, which it answers as 500 (CreateReplicationPolicy /
        // UpdateReplicationPolicy in src/server/v2.0/handler/replication.go, v2.15.2).
        throw new errors/* InputError */.dz(`Input '${name('trigger')}' event_based cannot be combined with policy '${plan.policyName}''s "single active replication" setting (Harbor refuses it); switch that setting off in Harbor first or keep the '${current?.trigger}' trigger`);
    }
    if (trigger === 'scheduled' && !(plan.fields.cron ?? current?.cron)) {
        throw new errors/* InputError */.dz(`Input '${name('cron')}' is required with '${name('trigger')}' scheduled, e.g. '0 0 2 * * *'`);
    }
    const matchesAll = nameFilter === '' || /^\*\*?$/.test(nameFilter);
    if (remote?.type === 'azure-acr' && direction === 'push' && matchesAll) {
        // Harbor lists its own repositories for a push; ACR then accepts pushes only to the repositories the token's scope
        // map names, so every other repository's task fails.
        throw new errors/* InputError */.dz(`Push policy '${plan.policyName}' to ACR endpoint '${remote.name}' needs '${name('name-filter')}': an ACR token can push only to the repositories its scope map names, so replicating every repository fails for all the others; name the repositories the token covers, e.g. 'myproject/**' or 'myproject/{app,api}'`);
    }
    if (remote?.type === 'azure-acr' && direction === 'pull' && !specificPaths(nameFilter)) {
        // Harbor's azure-acr adapter (the native one) lists the ACR catalog unless the filter is an exact path
        // (pattern.go IsSpecificPath), and ACR refuses the catalog to repository-scoped tokens (Microsoft's ACR docs:
        // "Repository-scoped permissions do not support the ability to list the catalog").
        const filterText = nameFilter
            ? `'${name('name-filter')}' '${nameFilter}' is not an exact repository path`
            : `there is no '${name('name-filter')}'`;
        const suggestion = `name the repositories exactly, e.g. '${exactSuggestion(nameFilter)}' (one {a,b} group per path segment)`;
        const kind = acrAccountKind(remote);
        if (kind === 'token') {
            throw new errors/* InputError */.dz(`Pull policy '${plan.policyName}' from ACR endpoint '${remote.name}': ${filterText}, so Harbor would list the registry catalog, which ACR refuses to token ${remote.username}; ${suggestion}`);
        }
        if (kind !== 'admin') {
            warnings.push(`Pull policy '${plan.policyName}' from ACR endpoint '${remote.name}': ${filterText}, so Harbor lists the registry catalog; that works only for the admin user or an identity allowed to list it, never for an ACR token: ${suggestion}`);
        }
    }
    if (remote?.type === 'docker-hub' && direction === 'pull' && nameFilter && !matchesAll && !nameFilter.includes('/')) {
        warnings.push(`'${name('name-filter')}' '${nameFilter}' has no namespace: Docker Hub official images live under library/, e.g. 'library/${nameFilter}'`);
    }
    if (plan.fields.replaceCount !== undefined && !(plan.fields.destNamespace ?? current?.destNamespace)) {
        warnings.push(`'${name('flattening')}' has no effect without '${name('dest-namespace')}': Harbor keeps the source path`);
    }
    return warnings;
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

;// CONCATENATED MODULE: ./shared/capabilities/replicate/report.ts




/**
 * A task's status with its runs where they matter: Harbor runs a failed replication task up to 3 times, so a failure
 * says how many runs it had and a success after a retry says which run it was.
 */
function taskRows(tasks, attempts = new Map()) {
    const status = (t) => {
        const n = attempts.get(t.id);
        if (n === undefined)
            return t.status;
        if (isFailed(t.status))
            return `${t.status} (${n} attempt${n === 1 ? '' : 's'})`;
        if (n > 1)
            return `${t.status} (attempt ${n})`;
        return t.status;
    };
    return tasks.map((t) => ({
        id: t.id,
        resource: [t.resource_type, t.operation && t.operation !== 'copy' ? t.operation : ''].filter(Boolean).join(' ') ||
            'artifact',
        source: t.src_resource ?? '',
        destination: t.dst_resource ?? '',
        status: status(t),
        // A task that never ran (stopped or still pending) has the zero start: no duration, not 0s or two millennia.
        duration: formatDuration(harborTime(t.start_time), harborTime(t.end_time)),
    }));
}
/** A fixed-width table for the log. */
function taskTableText(rows) {
    const header = ['Resource', 'Source → Destination', 'Status', 'Duration'];
    return textTable(header, rows.map((r) => [r.resource, `${r.source} → ${r.destination}`, r.status, r.duration]));
}
function summaryMarkdown(options) {
    const { execution } = options;
    const arrow = options.direction === 'push' ? `Harbor → ${options.remote}` : `${options.remote} → Harbor`;
    const out = [`### Harbor replication: ${markdownCode(options.policyName)} (${arrow})`, ''];
    if (execution) {
        out.push(`Execution ${execution.id}: **${execution.status}**, ${execution.total} task(s): ${execution.succeed} succeeded, ${execution.failed} failed, ${execution.stopped} stopped, ${execution.in_progress} in progress.`, '');
    }
    else {
        out.push(`Policy ${options.policyId} ensured; no execution was started.`, '');
    }
    if (options.note)
        out.push(options.note, '');
    if (options.rows.length > 0) {
        const shown = summaryRows(options.rows);
        out.push('| Resource | Source | Destination | Status | Duration |', '| --- | --- | --- | --- | --- |');
        for (const r of shown)
            out.push(`| ${markdownCell(r.resource)} | ${markdownCode(r.source)} | ${markdownCode(r.destination)} | ${markdownCell(r.status)} | ${r.duration} |`);
        if (shown.length < options.rows.length)
            out.push('', `${options.rows.length - shown.length} more task(s) succeeded; the step log lists them all.`);
        out.push('');
    }
    return out.join('\n');
}
/** The last lines of a task log: where Harbor's job writes the reason it failed. */
function logTail(log, lines = 15) {
    return log.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
}

;// CONCATENATED MODULE: ./shared/capabilities/replicate/run.ts















/** Failed tasks whose logs are printed; the rest are counted. */
const MAX_LOGS = 5;
async function replicate(settings, ctx, cadence = {}) {
    const { platform } = ctx;
    const plan = planFromSettings(settings, platform);
    const { harbor, http } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.m.inputs, settings, {
        budget: { ms: settings.timeout, input: platform.inputName(definition/* definition */.m.inputs.timeout) },
    });
    // After `timeout` ran out: reading the final task list and stopping the execution still get one short attempt each.
    const cleanup = harbor.forCleanup();
    try {
        // Read everything first and check the merged result, so a refused policy leaves no endpoint behind.
        const existing = await findPolicy(harbor, plan.policyName);
        let remote;
        const described = (r) => ({ id: r.id, name: r.name, type: r.type, url: r.url, username: r.credential?.access_key });
        if (plan.endpoint?.mode === 'ensure') {
            const stored = await (0,registries/* findRegistry */.J4)(harbor, plan.endpoint.spec.name);
            if (stored)
                (0,registries/* registryChanges */.Hq)(stored, plan.endpoint.spec); // throws on a type change, which Harbor cannot do
            remote = {
                id: stored?.id,
                name: plan.endpoint.spec.name,
                type: plan.endpoint.spec.type,
                username: plan.endpoint.spec.username ?? stored?.credential?.access_key,
                url: plan.endpoint.spec.url,
            };
        }
        else if (plan.endpoint?.mode === 'existing') {
            const stored = await (0,registries/* findRegistry */.J4)(harbor, plan.endpoint.name);
            if (!stored) {
                throw new errors/* UserError */.yo(`Registry endpoint '${plan.endpoint.name}' does not exist in Harbor; set '${platform.inputName(definition/* definition */.m.inputs['registry-url'])}' and '${platform.inputName(definition/* definition */.m.inputs['registry-type'])}' to create it`);
            }
            remote = described(stored);
        }
        else if (existing) {
            const r = remoteRegistryOf(existing);
            if (r?.id !== undefined)
                remote = r.type
                    ? { id: r.id, name: r.name ?? `#${r.id}`, type: r.type, username: r.credential?.access_key, url: r.url }
                    : described(await (0,registries/* getRegistry */.G)(harbor, r.id));
        }
        for (const warning of checkEffectivePolicy(plan, existing, remote, platform))
            platform.warning(warning);
        const enabled = plan.fields.enabled ?? existing?.enabled ?? true;
        if (settings.run && !enabled) {
            throw new errors/* UserError */.yo(`Replication policy '${plan.policyName}' is disabled and Harbor cannot run a disabled policy; set '${platform.inputName(definition/* definition */.m.inputs.enabled)}' to true or '${platform.inputName(definition/* definition */.m.inputs.run)}' to false`);
        }
        let registryId = remote?.id;
        if (plan.endpoint?.mode === 'ensure') {
            registryId = (await (0,registries/* ensureRegistryEndpoint */.xs)(harbor, plan.endpoint.spec, (m) => platform.info(m))).id;
        }
        if (registryId !== undefined)
            ctx.setOutput('registry-id', registryId);
        let policy;
        let policyId;
        if (plan.ensurePolicy) {
            const registry = registryId !== undefined && remote ? { id: registryId, name: remote.name } : undefined;
            const ensured = await ensurePolicy(harbor, plan.policyName, { ...plan.fields, registry }, existing);
            policy = ensured.policy;
            policyId = ensured.id;
            if (ensured.created)
                platform.info(`Replication policy '${plan.policyName}' created (id ${policyId}, ${directionOf(policy)} ${remote?.name ?? ''})`);
            else if (ensured.changes.length === 0)
                platform.info(`Replication policy '${plan.policyName}' (id ${policyId}) is up to date`);
            else {
                platform.info(`Replication policy '${plan.policyName}' (id ${policyId}) updated:`);
                for (const c of ensured.changes)
                    platform.info(`  ${c.field}: ${c.from} → ${c.to}`);
            }
        }
        else {
            policy = existing;
            policyId = existing.id;
            platform.info(`Using replication policy '${plan.policyName}' (id ${policyId}) as it is`);
        }
        ctx.setOutput('policy-id', policyId);
        if (policy.trigger?.type === 'event_based' && directionOf(policy) === 'push') {
            // Reading the covered artifacts is advice: an account that may run the policy but not list artifacts (a
            // system robot without artifact:list) gets no warning rather than a failed step.
            const found = await eventAccessories(harbor, policy).catch((error) => {
                if (error instanceof remote_error/* RemoteError */.Hi && (error.kind === 'permission' || error.kind === 'not-found')) {
                    platform.debug(`Could not look for accessories the event_based trigger would leave behind: ${error.message}`);
                    return undefined;
                }
                throw error;
            });
            if (found)
                platform.warning(eventAccessoriesWarning(plan.policyName, found));
        }
        if (policy.trigger?.type === 'scheduled' && policy.trigger.trigger_settings?.cron) {
            platform.info(`Scheduled '${policy.trigger.trigger_settings.cron}'; next run ${nextRun(policy.trigger.trigger_settings.cron).toISOString()} (Harbor's clock)`);
        }
        const direction = directionOf(policy);
        const remoteName = remote?.name ?? 'remote registry';
        const summaryBase = { policyName: plan.policyName, policyId, direction, remote: remoteName };
        if (!settings.run) {
            await platform.addSummary(summaryMarkdown({ ...summaryBase, rows: [] }));
            return 'succeeded';
        }
        const executionId = await startExecution(harbor, policyId);
        ctx.setOutput('execution-id', executionId);
        platform.info(`Started replication execution ${executionId} of policy '${plan.policyName}'`);
        if (!settings.wait)
            return 'succeeded';
        const result = await waitForExecution(harbor, executionId, {
            // Ends a little before the budget, so the last reads happen while the budget still allows them.
            timeoutMs: Math.max(0, Math.min(settings.timeout, http.remainingMs() - 250)),
            cleanup,
            ...cadence,
            now: ctx.clock.now,
            sleep: ctx.clock.sleep,
            onProgress: (e) => platform.info(progressLine(e)),
            onRetry: (t, attempt) => platform.info(`Harbor runs task ${t.id} (${t.src_resource ?? ''}) again: attempt ${attempt} of ${HARBOR_MAX_RUNS}`),
        });
        const { execution } = result;
        const attempts = (t) => result.attempts.get(t.id) ?? 1;
        const rows = taskRows(result.tasks, result.attempts);
        let note;
        if (result.timedOut) {
            if (settings.stopOnTimeout) {
                await stopExecution(cleanup, executionId);
                note = `Timed out after ${formatMs(settings.timeout)}; the execution was stopped.`;
            }
            else {
                note = `Timed out after ${formatMs(settings.timeout)}; the execution goes on in Harbor.`;
            }
        }
        ctx.setOutput('total', execution.total);
        ctx.setOutput('succeeded', execution.succeed);
        ctx.setOutput('failed', execution.failed);
        if (rows.length > 0)
            await platform.group(`Replication tasks (${rows.length})`, async () => platform.info(taskTableText(rows)));
        await platform.addSummary(summaryMarkdown({ ...summaryBase, execution, rows, note }));
        if (result.timedOut) {
            const done = execution.succeed + execution.failed + execution.stopped - result.retrying.length;
            const retrying = result.retrying.length
                ? `, ${result.retrying.length} failed task(s) due for Harbor's retry`
                : '';
            throw new errors/* UserError */.yo(`Replication execution ${executionId} did not finish within ${formatMs(settings.timeout)} (${done} of ${execution.total} tasks done${retrying}); ${settings.stopOnTimeout
                ? 'it was stopped'
                : `it goes on in Harbor (set '${platform.inputName(definition/* definition */.m.inputs['stop-on-timeout'])}' to stop it)`}`);
        }
        const failedTasks = result.tasks.filter((t) => isFailed(t.status));
        if (failedTasks.length > 0) {
            await platform.group(`Logs of failed tasks (${Math.min(failedTasks.length, MAX_LOGS)} of ${failedTasks.length})`, async () => {
                for (const task of failedTasks.slice(0, MAX_LOGS)) {
                    const log = await taskLog(harbor, executionId, task.id).catch((e) => `(log unavailable: ${e.message})`);
                    platform.error(`Task ${task.id} ${task.src_resource ?? ''} → ${task.dst_resource ?? ''} failed; its log ends:`);
                    platform.info(logTail(log), { foreign: true });
                }
            });
            const first = failedTasks[0];
            throw new errors/* UserError */.yo(`Replication execution ${executionId} failed: ${failedTasks.length} of ${result.tasks.length} task(s) failed (first: ${first.src_resource ?? first.id} → ${first.dst_resource ?? '?'}, ${attemptsText(attempts(first))}); see the task table and logs above`);
        }
        const allSucceeded = result.tasks.length > 0 && result.tasks.every((t) => isSucceeded(t.status));
        if (allSucceeded && !isSucceeded(execution.status)) {
            // The tasks are live, the execution's status is refreshed in the background (every 30 s by default).
            platform.warning(`Harbor still reports execution ${executionId} as ${execution.status} although all ${result.tasks.length} task(s) succeeded; its status is refreshed in the background and catches up`);
        }
        else if (!isSucceeded(execution.status)) {
            const reason = execution.status_text ? `: ${execution.status_text}` : '';
            throw new errors/* UserError */.yo(`Replication execution ${executionId} ended ${execution.status}${reason}${hintForNothing(policy, remote?.type)}`);
        }
        if (result.tasks.length === 0) {
            platform.warning(`Replication execution ${executionId} copied nothing: the policy's filters matched no artifact${hintForNothing(policy, remote?.type)}`);
            return 'succeeded-with-issues';
        }
        if (settings.destinationCheck && direction === 'push') {
            await checkDestination(settings, ctx, harbor, policy, result.tasks, remote);
        }
        const retried = result.tasks.filter((t) => attempts(t) > 1).length;
        platform.info(`Replication execution ${executionId} succeeded: ${result.tasks.length} of ${result.tasks.length} task(s)${retried ? ` (${retried} after Harbor retried them)` : ''}`);
        return 'succeeded';
    }
    finally {
        await http.close();
    }
}
/**
 * The destination check for a push policy: what the run should have left in the destination (destination-check.ts),
 * read with the destination's own credentials — the destination-username/-password inputs, else the endpoint
 * credentials this run gave Harbor. Harbor never reveals an endpoint's stored password, so with neither the check is
 * skipped and the log says so. Docker Hub's endpoint URL is not its registry API, so it is skipped too.
 */
async function checkDestination(settings, ctx, harbor, policy, tasks, remote) {
    const { platform } = ctx;
    const name = ctx.label;
    const own = settings.destinationPassword !== undefined;
    const username = own
        ? settings.destinationUsername
        : settings.registryPassword
            ? settings.registryUsername
            : undefined;
    const password = own ? settings.destinationPassword : settings.registryPassword;
    if ((policy.filters ?? []).some((f) => f.type === 'label')) {
        platform.info(`Destination check skipped: the policy has a label filter, which the check does not evaluate`);
        return;
    }
    if (!remote?.url || remote.type === 'docker-hub' || password === undefined) {
        platform.info(`Destination check skipped: ${remote?.type === 'docker-hub'
            ? 'Docker Hub is not read back'
            : `the step has no credentials for ${remote?.url ?? remote?.name ?? 'the destination'} (Harbor never reveals the endpoint's stored password); give '${name('destination-username')}' and '${name('destination-password')}', or set '${name('destination-check')}' to false`}`);
        return;
    }
    const destinationHttp = ctx.http({ insecure: settings.registryInsecure, timeoutMs: 60_000 });
    try {
        const clients = new Map();
        const client = (base, credentials, http) => (repository) => {
            const key = `${base} ${repository}`;
            let c = clients.get(key);
            if (!c) {
                c = new RegistryClient(http, base, repository, credentials, { onSecret: (v) => platform.setSecret(v) });
                clients.set(key, c);
            }
            return c;
        };
        const expected = await expectedAtDestination(harbor, policy, tasks.filter((t) => isSucceeded(t.status)), client(new URL(settings.harborUrl).origin, { username: settings.username, password: settings.password }, harbor.http));
        const destination = new URL(remote.url).origin;
        const missing = await findMissing(expected, registryReader(client(destination, { username, password }, destinationHttp)), (list, fn) => mapLimited(list, 4, fn));
        const host = new URL(remote.url).host;
        if (logDestinationCheck((line) => platform.info(line), expected.length, missing, host))
            return;
        throw new errors/* UserError */.yo(`Destination check: ${missing.length} of ${expected.length} expected manifest(s) are not in ${host} after the replication (first: ${missingLine(missing[0])})`);
    }
    finally {
        await destinationHttp.close();
    }
}
/** How many runs a failed task had: all of Harbor's, or those seen before Harbor stopped re-running it. */
function attemptsText(n) {
    if (n >= HARBOR_MAX_RUNS)
        return `failed after ${n} attempts`;
    return `failed after ${n} attempt(s) seen; Harbor did not run it again within ${formatMs(HARBOR_RETRY_WINDOW_MS)}`;
}
function progressLine(e) {
    const done = e.succeed + e.failed + e.stopped;
    return `Execution ${e.id}: ${e.status}, ${done}/${e.total} task(s) done (${e.succeed} succeeded, ${e.failed} failed, ${e.in_progress} in progress)`;
}
/** Docker Hub keeps official images under library/: a filter on `nginx` matches nothing there. */
function hintForNothing(policy, remoteType) {
    if (remoteType !== 'docker-hub' || directionOf(policy) !== 'pull')
        return '';
    const nameFilter = policy.filters?.find((f) => f.type === 'name')?.value;
    if (typeof nameFilter === 'string' && nameFilter && !nameFilter.includes('/')) {
        return `; Docker Hub official images need the library/ prefix: try 'library/${nameFilter}'`;
    }
    return '; on Docker Hub, name filters need the namespace (official images are library/<name>)';
}

;// CONCATENATED MODULE: ./shared/capabilities/replicate/index.ts



/* harmony default export */ const capabilities_replicate = ((0,capability/* defineRunner */.Kq)(definition/* definition */.m, (settings, ctx) => replicate(settings, ctx)));


/***/ })

};
;