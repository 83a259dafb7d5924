"use strict";
exports.id = 475;
exports.ids = [475];
exports.modules = {

/***/ 9475:
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

;// CONCATENATED MODULE: ./shared/harbor/replication.ts




const LOCAL_REGISTRY_ID = 0;
async function findPolicy(harbor, name) {
    const found = await (0,registries/* replicationScope */.XU)(() => harbor.list('/replication/policies', { q: `name=${name}` }, 'listing replication policies'));
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
        // Harbor before 2.5 reads only the deprecated field; both carry the same value.
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
/** Harbor shows an unset time as 0001-01-01 (a task re-running has no end, one not started no start). */
function setTime(value) {
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
            const start = setTime(t.start_time);
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
    return pollWithBackoff({
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
// EXTERNAL MODULE: ./node_modules/cron-parser/dist/index.js
var dist = __webpack_require__(8628);
;// CONCATENATED MODULE: ./shared/capabilities/replicate/cron.ts


/**
 * Harbor schedules replication with robfig/cron in its 6-field form (seconds first) and refuses any seconds field but
 * `0` (src/lib/cron.go ValidateCronString). cron-parser checks the fields and ranges; the rest are Harbor's own rules,
 * checked here so a bad schedule fails before anything is saved.
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
    const found = await client.list('/projects', { q: `name=${name}` }, `check project ${name}`);
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
 * project the account cannot see (403) throws its RemoteError for the caller to word.
 */
async function projectReadable(client, project) {
    try {
        await client.call('GET', `/projects/${encodeURIComponent(project)}`, {
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

// EXTERNAL MODULE: ./shared/harbor/client.ts
var client = __webpack_require__(438);
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
        const artifacts = await harbor.list(`/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${(0,client/* encodeRepository */.t)(repository.slice(slash + 1))}/artifacts`, { with_tag: true, with_accessory: true, with_label: false, with_scan_overview: false }, `list artifacts of ${repository}`);
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
                const own = a.type === 'signature.cosign' ? `${artifact.digest.replace(':', '-')}.sig` : '';
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

// EXTERNAL MODULE: ./shared/step-context.ts + 3 modules
var step_context = __webpack_require__(5529);
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
        duration: formatDuration(t.start_time, t.end_time),
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
        const retried = result.tasks.filter((t) => attempts(t) > 1).length;
        platform.info(`Replication execution ${executionId} succeeded: ${result.tasks.length} of ${result.tasks.length} task(s)${retried ? ` (${retried} after Harbor retried them)` : ''}`);
        return 'succeeded';
    }
    finally {
        await http.close();
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