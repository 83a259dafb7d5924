"use strict";
exports.id = 591;
exports.ids = [591];
exports.modules = {

/***/ 1591:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ trivy_gate)
});

// EXTERNAL MODULE: ./shared/capability.ts + 3 modules
var capability = __webpack_require__(2307);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http/client.ts + 3 modules
var client = __webpack_require__(2183);
// EXTERNAL MODULE: ./shared/remote-error.ts
var remote_error = __webpack_require__(7993);
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
        clock: (0,util_clock/* clockWith */.RK)(options),
        // The step's deadline (same input, counted from the step's start, so a little ahead of this loop's clock) cut a
        // poll off: what matters is the scan's state when time ran out, which the previous poll read (if one did).
        cutOff: (error, turn) => error instanceof client/* BudgetExceededError */.Zq && turn.attempt > 1,
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
        throw new errors/* UserError */.yo(`Harbor has no vulnerability report for ${artifactLabel(ref)} although its scan finished`);
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

// EXTERNAL MODULE: ./shared/harbor/inputs.ts
var inputs = __webpack_require__(3020);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./shared/report/write-chunks.ts



/**
 * Refuses an output path that cannot be written, before the step does anything: a directory, a file or folder
 * without write permission, a path through a file. Nothing is created by the check.
 */
function checkWritable(file, label) {
    const stat = statOrUndefined(file);
    if (stat?.isDirectory())
        throw new errors/* InputError */.dz(`Input '${label}' names a directory (${file}); give a file path`);
    if (stat && !canWrite(file))
        throw new errors/* InputError */.dz(`Input '${label}': ${file} is not writable`);
    if (stat)
        return;
    let dir = (0,external_node_path_.dirname)(file);
    for (let parent = statOrUndefined(dir); !parent; parent = statOrUndefined(dir)) {
        if ((0,external_node_path_.dirname)(dir) === dir)
            break;
        dir = (0,external_node_path_.dirname)(dir);
    }
    if (!statOrUndefined(dir)?.isDirectory())
        throw new errors/* InputError */.dz(`Input '${label}': ${dir} is a file, so ${file} cannot be created`);
    if (!canWrite(dir))
        throw new errors/* InputError */.dz(`Input '${label}': ${file} cannot be created (${dir} is not writable)`);
}
function statOrUndefined(path) {
    try {
        return (0,external_node_fs_.statSync)(path);
    }
    catch {
        return undefined;
    }
}
function canWrite(path) {
    try {
        (0,external_node_fs_.accessSync)(path, external_node_fs_.constants.W_OK);
        return true;
    }
    catch {
        return false;
    }
}
const FLUSH_AT = 1 << 20;
/**
 * Writes a report produced piece by piece, so a 100 000-finding SARIF or JUnit file is never one giant string.
 * The file appears complete (written beside it, then renamed) or, on failure, not at all, and the error names the input.
 */
function writeChunks(file, chunks, label) {
    const partial = `${file}.partial-${process.pid}`;
    let fd;
    try {
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(file), { recursive: true });
        fd = (0,external_node_fs_.openSync)(partial, 'w');
    }
    catch (error) {
        throw new errors/* UserError */.yo(`Cannot write ${label} ${file}: ${error.code ?? String(error)}`);
    }
    let done = false;
    try {
        // Collected in an array and joined once per flush: cheaper than growing one string chunk by chunk.
        let pending = [];
        let size = 0;
        for (const chunk of chunks) {
            if (chunk.length >= FLUSH_AT) {
                // A large piece (a batch of SARIF results) is written as it is: joining it to the small ones copied it again.
                if (size > 0)
                    (0,external_node_fs_.writeSync)(fd, pending.join(''));
                pending = [];
                size = 0;
                (0,external_node_fs_.writeSync)(fd, chunk);
                continue;
            }
            pending.push(chunk);
            size += chunk.length;
            if (size >= FLUSH_AT) {
                (0,external_node_fs_.writeSync)(fd, pending.join(''));
                pending = [];
                size = 0;
            }
        }
        if (size > 0)
            (0,external_node_fs_.writeSync)(fd, pending.join(''));
        done = true;
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
        if (done)
            (0,external_node_fs_.renameSync)(partial, file);
        else
            (0,external_node_fs_.rmSync)(partial, { force: true });
    }
}
const BATCH = 2000;
/**
 * Array elements as JSON text, a few thousand per JSON.stringify call: V8 serialises a batch of same-shaped objects
 * about twice as fast as one call per element, and a batch is small enough to never matter for memory.
 */
function* inBatches(items, map) {
    for (let i = 0; i < items.length; i += BATCH) {
        const text = JSON.stringify(items.slice(i, i + BATCH).map(map));
        // The separator on its own: joined to the batch it made a second copy of the batch's megabytes when written.
        if (i > 0)
            yield ',';
        yield text.slice(1, -1);
    }
}
/**
 * Array elements as JSON text made element by element (`json` writes one, with its leading comma when `comma`), a few
 * thousand joined per piece: for text built from fields rather than through JSON.stringify (sarif.ts).
 */
function* textInBatches(items, json) {
    for (let i = 0; i < items.length; i += BATCH) {
        const end = Math.min(items.length, i + BATCH);
        let text = i > 0 ? ',' : '';
        for (let j = i; j < end; j++)
            text += json(items[j], j > i);
        yield text;
    }
}

// EXTERNAL MODULE: ./shared/report/policy.ts
var report_policy = __webpack_require__(403);
;// CONCATENATED MODULE: ./shared/report/findings-json.ts


/** Version of the normalized findings format; bump on any incompatible change. */
const FINDINGS_FORMAT = 'harbor-pipelines/trivy-gate-findings@1';
/**
 * The normalized findings file: the same unique findings, counts and verdict the gate used, in one stable shape for
 * both sources (Trivy file and Harbor), for scripts that post-process results.
 */
function* renderFindingsJson(report, policy, verdict) {
    const head = {
        format: FINDINGS_FORMAT,
        artifact: report.artifact,
        scanner: report.scanner,
        result: (0,report_policy/* resultOf */.Bg)(verdict),
        reason: verdict.reason,
        policy: { failOn: policy.failOn, max: policy.max, ignoreUnfixed: policy.ignoreUnfixed },
        counts: (0,report_policy/* namedCounts */.CF)(verdict.counts),
        rules: verdict.rules,
        violations: verdict.violations,
        expiredIgnores: verdict.expiredIgnores,
    };
    yield `${JSON.stringify(head).slice(0, -1)},"findings":[`;
    yield* inBatches(verdict.counted, (f) => item(f));
    yield '],"ignored":[';
    yield* inBatches(verdict.ignored, ({ finding, entry }) => ({
        ...item(finding),
        ignored: entry
            ? { reason: 'ignore-file', line: entry.line, expires: entry.expires, comment: entry.comment || undefined }
            : { reason: 'unfixed' },
    }));
    yield ']}\n';
}
function item(f) {
    return {
        id: f.id,
        package: f.pkg,
        installed: f.installed,
        fixed: f.fixed || null,
        severity: f.severity,
        title: f.title,
        url: f.url || null,
        targets: f.targets,
    };
}

// EXTERNAL MODULE: ./shared/report/model.ts
var model = __webpack_require__(1124);
// EXTERNAL MODULE: ./shared/report/severity.ts
var severity = __webpack_require__(558);
;// CONCATENATED MODULE: ./shared/report/shape.ts
/**
 * Shape checks for scanner reports. A gate must never pass on something it could not read: a field of the wrong type
 * (`"Vulnerabilities": "lots"`, `"Severity": 5`) fails the step with the JSON path and what was expected, instead of
 * being skipped or counted as UNKNOWN. The checks run on values the readers already hold (no second parse).
 */
class ReportShapeError extends Error {
    path;
    expected;
    got;
    constructor(path, expected, got) {
        super(`${path} must be ${expected} (found ${describe(got)})`);
        this.path = path;
        this.expected = expected;
        this.got = got;
        this.name = 'ReportShapeError';
    }
}
function describe(value) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'object')
        return 'an object';
    const text = JSON.stringify(value);
    return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}
/** A plain object, or a ReportShapeError at path. */
function objectAt(value, path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ReportShapeError(path, 'an object', value);
    return value;
}
/** An optional string field: absent and null read as ''. */
function optionalString(record, key, path) {
    const value = record[key];
    if (value === undefined || value === null)
        return '';
    if (typeof value !== 'string')
        throw new ReportShapeError(`${path}.${key}`, 'a string', value);
    return value;
}
function requiredString(record, key, path) {
    const value = record[key];
    if (typeof value !== 'string' || value === '')
        throw new ReportShapeError(`${path}.${key}`, 'a non-empty string', value);
    return value;
}
/** One of the given words (compared as written unless `ignoreCase`). */
function oneOf(record, key, path, words, ignoreCase = false) {
    const value = record[key];
    const match = typeof value === 'string' &&
        words.some((w) => (ignoreCase ? w.toLowerCase() === value.toLowerCase() : w === value));
    if (!match)
        throw new ReportShapeError(`${path}.${key}`, `one of ${words.join(', ')}`, value);
    return value;
}

;// CONCATENATED MODULE: ./shared/report/harbor-report.ts



/** The words Harbor's scanner-adapter spec allows (src/pkg/scan/vuln/severity.go at v2.15.2). */
const HARBOR_SEVERITIES = ['Unknown', 'None', 'Negligible', 'Low', 'Medium', 'High', 'Critical'];
/**
 * A Harbor vulnerability report into unique findings. Harbor's reports have no per-target breakdown, so every finding
 * is located at the artifact (`project/repository@digest`).
 */
function fromHarborReport(raw, artifact) {
    const set = new model/* FindingSet */.Y();
    // One array for every finding: all were found in the artifact.
    const targets = [artifact];
    const report = objectAt(raw, '$');
    const list = report.vulnerabilities;
    if (list !== undefined && list !== null && !Array.isArray(list))
        throw new ReportShapeError('$.vulnerabilities', 'an array', list);
    (list ?? []).forEach((item, index) => {
        const path = `$.vulnerabilities[${index}]`;
        const v = objectAt(item, path);
        const links = v.links;
        if (links !== undefined && links !== null && !Array.isArray(links))
            throw new ReportShapeError(`${path}.links`, 'an array', links);
        set.add({
            id: requiredString(v, 'id', path),
            pkg: requiredString(v, 'package', path),
            installed: optionalString(v, 'version', path),
            fixed: optionalString(v, 'fix_version', path),
            severity: (0,severity/* harborSeverity */.U5)(oneOf(v, 'severity', path, HARBOR_SEVERITIES, true)),
            title: firstSentence(optionalString(v, 'description', path)),
            url: links?.find((l) => typeof l === 'string' && l !== '') ?? '',
            targets,
        });
    });
    const scanner = report.scanner === undefined || report.scanner === null ? undefined : objectAt(report.scanner, '$.scanner');
    const name = [
        scanner && optionalString(scanner, 'name', '$.scanner'),
        scanner && optionalString(scanner, 'version', '$.scanner'),
    ]
        .filter(Boolean)
        .join(' ') || 'unknown scanner';
    return { artifact, scanner: `${name} (Harbor)`, findings: set.list() };
}
/** Harbor reports carry no title; the description's first sentence stands in for it, kept short for tables. */
function firstSentence(text) {
    const line = text.split(/\r?\n/)[0].trim();
    const sentence = /^(.{1,160}?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
    return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./shared/util/files.ts
var files = __webpack_require__(6512);
;// CONCATENATED MODULE: ./shared/report/ignore-file.ts



/**
 * The `.trivyignore` format: one vulnerability id per line, `#` comments, and an optional `exp:YYYY-MM-DD` field after
 * the id. As in Trivy, an entry stops applying at 00:00 UTC on its expiry date; the gate then counts the finding again
 * and warns, so a forgotten exception surfaces instead of lasting forever. Ids match case-insensitively.
 */
class IgnoreList {
    active = new Map();
    expired = [];
    used = new Set();
    constructor(entries, now) {
        for (const entry of entries) {
            if (entry.expires && now.getTime() >= Date.parse(`${entry.expires}T00:00:00Z`))
                this.expired.push(entry);
            else
                this.active.set(entry.id.toUpperCase(), entry);
        }
    }
    static empty() {
        return new IgnoreList([], new Date());
    }
    /** The entry that ignores this vulnerability id, if any (and remembers that it was used). */
    match(id) {
        const key = id.toUpperCase();
        const entry = this.active.get(key);
        if (entry)
            this.used.add(key);
        return entry;
    }
    /** Active entries that matched no finding: candidates for removal. */
    unused() {
        return [...this.active.entries()].filter(([key]) => !this.used.has(key)).map(([, e]) => e);
    }
}
function readIgnoreFile(file, label, now) {
    const text = (0,files/* readUserText */.nD)(file, (code) => (0,files/* cannotRead */.U0)(label, file, code));
    const entries = /\.ya?ml$/i.test(file) ? parseIgnoreYaml(text, label) : parseIgnoreEntries(text, label);
    return new IgnoreList(entries, now);
}
function parseIgnoreEntries(text, label) {
    const entries = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const hash = raw.indexOf('#');
        const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
        if (!content)
            return;
        const [id, ...fields] = content.split(/\s+/);
        const entry = { id, line: index + 1, comment: hash >= 0 ? raw.slice(hash + 1).trim() : '' };
        for (const field of fields) {
            if (!field.toLowerCase().startsWith('exp:'))
                continue;
            const date = field.slice(4);
            if (!isCalendarDate(date)) {
                throw new errors/* InputError */.dz(`${label} line ${index + 1}: '${field}' must be exp:YYYY-MM-DD`);
            }
            entry.expires = date;
        }
        entries.push(entry);
    });
    return entries;
}
/**
 * Trivy's `.trivyignore.yaml`: `vulnerabilities: [{ id, statement, expired_at }]` (other sections are for findings
 * the gate does not read). Entries narrowed with `paths` or `purls` are refused rather than widened to every
 * package: ignoring more than the file says would be the unsafe direction.
 */
function parseIgnoreYaml(text, label) {
    const doc = (0,dist/* parseDocument */.Tp)(text);
    if (doc.errors.length > 0)
        throw new errors/* InputError */.dz(`${label} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const root = doc.contents;
    if (root === null)
        return [];
    if (!(0,dist/* isMap */.jh)(root))
        throw new errors/* InputError */.dz(`${label} must be a mapping with a vulnerabilities list (Trivy's .trivyignore.yaml format)`);
    const list = root.get('vulnerabilities', true);
    if (list === undefined || list === null)
        return [];
    if (!(0,dist/* isSeq */.oP)(list))
        throw new errors/* InputError */.dz(`${label}: vulnerabilities must be a list of entries with an id`);
    return list.items.map((node, index) => {
        const line = (0,dist/* isMap */.jh)(node) && node.range ? lineOf(text, node.range[0]) : index + 1;
        const item = ((0,dist/* isMap */.jh)(node) ? node.toJSON() : undefined);
        if (!item || typeof item.id !== 'string' || item.id.trim() === '')
            throw new errors/* InputError */.dz(`${label} line ${line}: each vulnerabilities entry needs an id`);
        if (item.paths !== undefined || item.purls !== undefined) {
            throw new errors/* InputError */.dz(`${label} line ${line}: ${item.id} is limited to paths or purls, which the gate cannot match; list the id without them or remove the entry`);
        }
        const entry = {
            id: item.id.trim(),
            line,
            comment: typeof item.statement === 'string' ? item.statement : '',
        };
        if (item.expired_at !== undefined) {
            const date = String(item.expired_at);
            if (!isCalendarDate(date))
                throw new errors/* InputError */.dz(`${label} line ${line}: expired_at '${date}' must be YYYY-MM-DD`);
            entry.expires = date;
        }
        return entry;
    });
}
function lineOf(text, offset) {
    let line = 1;
    for (let i = 0; i < offset; i++)
        if (text.charCodeAt(i) === 10)
            line++;
    return line;
}
function isCalendarDate(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match)
        return false;
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.toISOString().slice(0, 10) === text;
}

;// CONCATENATED MODULE: ./shared/report/junit.ts
/**
 * JUnit XML for Azure DevOps Publish Test Results (and any JUnit reader): a `policy` testcase with the verdict, then one
 * testcase per finding the policy gates (its severity at or above fail-on, or under a max), grouped in one testsuite per
 * target. A finding fails when its severity broke its rule; findings within a max budget pass.
 */
function* renderJUnit(report, verdict) {
    const gated = new Map(verdict.rules.map((r) => [r.severity, r]));
    const broken = new Set(verdict.violations.map((v) => v.severity));
    const byTarget = new Map();
    for (const f of verdict.counted) {
        if (!gated.has(f.severity))
            continue;
        const target = f.targets[0] || report.artifact;
        let list = byTarget.get(target);
        if (!list)
            byTarget.set(target, (list = []));
        list.push(f);
    }
    let tests = 1;
    let failures = verdict.passed ? 0 : 1;
    for (const list of byTarget.values()) {
        tests += list.length;
        failures += list.filter((f) => broken.has(f.severity)).length;
    }
    yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${report.artifact}`)}" tests="${tests}" failures="${failures}">\n`;
    yield `  <testsuite name="policy" tests="1" failures="${verdict.passed ? 0 : 1}" errors="0" skipped="0">\n`;
    yield `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${report.artifact}`)}">`;
    yield verdict.passed
        ? '</testcase>\n'
        : `\n      <failure message="${xml(verdict.reason)}" type="policy">${xml(verdict.reason)}</failure>\n    </testcase>\n`;
    yield '  </testsuite>\n';
    // A failure's rule text, escaped once per rule.
    const ruleText = new Map([...gated].map(([severity, rule]) => [severity, xml(rule.source)]));
    for (const [target, list] of byTarget) {
        const failed = list.filter((f) => broken.has(f.severity)).length;
        // The target's escaped name once, not per testcase; testcases are handed on a few hundred at a time.
        const classname = xml(target);
        yield `  <testsuite name="${classname}" tests="${list.length}" failures="${failed}" errors="0" skipped="0">\n`;
        let cases = '';
        for (let i = 0; i < list.length; i++) {
            const f = list[i];
            cases += testcase(f, classname, broken.has(f.severity) ? ruleText.get(f.severity) : undefined);
            if (i % 500 === 499) {
                yield cases;
                cases = '';
            }
        }
        yield `${cases}  </testsuite>\n`;
    }
    yield '</testsuites>\n';
}
/**
 * One finding's testcase; `rule` is the escaped source of the rule its severity broke (a failure), undefined when within
 * its budget. Each field is escaped on its own (nearly always: left as it is), never the text made of them: every field
 * stands between literal ASCII text, so this is what escaping the whole name, message and detail gave.
 */
function testcase(f, classname, rule) {
    const id = xml(f.id);
    const pkg = xml(f.pkg);
    const installed = xml(f.installed);
    const name = `    <testcase classname="${classname}" name="[${f.severity}] ${id} ${pkg}@${installed}`;
    if (rule === undefined)
        return `${name}"/>\n`;
    // An empty escaped fix (every character one XML cannot hold) stays empty, as when the whole text was escaped.
    const fixed = f.fixed ? xml(f.fixed) : undefined;
    return (`${name}">\n      <failure message="${id} (${f.severity}) in ${pkg} ${installed}; fixed in ${fixed ?? 'no release yet'}" type="${f.severity}">` +
        `${f.title ? `${xml(f.title)}\n` : ''}Package: ${pkg}\nInstalled: ${installed}\nFixed: ${fixed ?? 'none'}\nSeverity: ${f.severity}` +
        `\nRule: ${rule}${f.url ? `\nLink: ${xml(f.url)}` : ''}</failure>\n    </testcase>\n`);
}
/** JUnit for a scan that produced no verdict (on-scan-error: warn): one errored testcase, so the test run shows it. */
function renderScanErrorJUnit(artifact, message) {
    return (`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${artifact}`)}" tests="1" failures="0" errors="1">\n` +
        `  <testsuite name="policy" tests="1" failures="0" errors="1" skipped="0">\n` +
        `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${artifact}`)}">\n` +
        `      <error message="${xml(message)}" type="scan-error">${xml(message)}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n`);
}
// eslint-disable-next-line no-control-regex -- finding the control characters XML 1.0 cannot hold is the point
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Escapes XML text and attribute values, dropping characters XML 1.0 cannot hold. */
function xml(text) {
    if (!NEEDS_ESCAPE.test(text))
        return text;
    return text
        .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
        .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
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

;// CONCATENATED MODULE: ./shared/report/markdown.ts


const ICON = { CRITICAL: '🟥', HIGH: '🟧', MEDIUM: '🟨', LOW: '🟦', UNKNOWN: '⬜' };
/**
 * The step summary: verdict and reason first (what a reviewer needs), then counts, the findings that the policy gates
 * (worst first), and every exception in force or expired, so an ignore is never invisible.
 */
function renderSummary(report, verdict, options) {
    const limit = options.limit ?? 25;
    const out = [];
    out.push(`## ${verdict.passed ? '✅' : '❌'} Vulnerability gate ${verdict.passed ? 'passed' : 'failed'}: ${markdownCell(report.artifact)}`, '');
    out.push(verdict.reason, '');
    out.push(`Scanner: ${markdownCell(report.scanner)}`, '');
    const c = verdict.counts;
    out.push('| Critical | High | Medium | Low | Unknown | Total | Fixable | Ignored |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    out.push(`| ${severity/* SEVERITIES */.oC.map((s) => c[s]).join(' | ')} | ${c.total} | ${c.fixable} | ${c.ignored} |`, '');
    if (verdict.rules.length > 0) {
        out.push('| Rule | Severity | Found | Allowed | |', '| --- | --- | ---: | ---: | --- |');
        for (const rule of verdict.rules) {
            const found = c[rule.severity];
            out.push(`| ${markdownCode(rule.source)} | ${(0,severity/* severityLabel */.yi)(rule.severity)} | ${found} | ${rule.limit} | ${found > rule.limit ? '❌' : '✅'} |`);
        }
        out.push('');
    }
    const gated = new Set(verdict.rules.map((r) => r.severity));
    const shown = gated.size > 0 ? verdict.counted.filter((f) => gated.has(f.severity)) : verdict.counted;
    if (shown.length > 0) {
        const title = gated.size > 0 ? 'Findings the policy gates' : 'Top findings';
        out.push(`### ${title} (${shown.length > limit ? `top ${limit} of ${shown.length}` : shown.length})`, '');
        out.push('| Severity | Vulnerability | Package | Installed → Fixed | Title |', '| --- | --- | --- | --- | --- |');
        for (const f of shown.slice(0, limit)) {
            out.push(`| ${ICON[f.severity]} ${(0,severity/* severityLabel */.yi)(f.severity)} | ${markdown_link(f)} | ${markdownCell(f.pkg)} | ${markdownCell(f.installed)} → ${f.fixed ? markdownCell(f.fixed) : '_no fix_'} | ${markdownCell(f.title)} |`);
        }
        out.push('');
    }
    if (verdict.ignored.length > 0) {
        out.push(`### Ignored (${verdict.ignored.length > limit ? `first ${limit} of ${verdict.ignored.length}` : verdict.ignored.length})`, '');
        out.push('| Severity | Vulnerability | Package | Why |', '| --- | --- | --- | --- |');
        for (const { finding: f, entry } of verdict.ignored.slice(0, limit)) {
            const why = entry
                ? `${markdownCode(options.ignoreFileName)} line ${entry.line}${entry.expires ? `, until ${entry.expires}` : ''}${entry.comment ? `: ${markdownCell(entry.comment)}` : ''}`
                : `${markdownCode(options.ignoreUnfixedName)}: no fixed version`;
            out.push(`| ${(0,severity/* severityLabel */.yi)(f.severity)} | ${markdown_link(f)} | ${markdownCell(f.pkg)} ${markdownCell(f.installed)} | ${why} |`);
        }
        out.push('');
    }
    if (verdict.expiredIgnores.length > 0) {
        out.push(`### Expired ignore entries (${verdict.expiredIgnores.length}): counted again`, '');
        out.push('| Vulnerability | Expired | Line | Note |', '| --- | --- | ---: | --- |');
        for (const e of verdict.expiredIgnores)
            out.push(`| ${markdownCell(e.id)} | ${e.expires} | ${e.line} | ${markdownCell(e.comment)} |`);
        out.push('');
    }
    return out.join('\n');
}
function markdown_link(f) {
    return /^https?:\/\//.test(f.url)
        ? `[${markdownCell(f.id)}](${f.url.replace(/[()\s]/g, encodeURIComponent)})`
        : markdownCell(f.id);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/report/sarif.ts



/** GitHub code scanning rejects a run with more results than this (and shows at most 5 000 per analysis). */
const SARIF_MAX_RESULTS = 25_000;
const LEVEL = {
    CRITICAL: 'error',
    HIGH: 'error',
    MEDIUM: 'warning',
    LOW: 'note',
    UNKNOWN: 'note',
};
/**
 * GitHub reads `security-severity` (a CVSS-like score) to label alerts critical (≥ 9.0), high (7.0–8.9), medium
 * (4.0–6.9) or low (0.1–3.9); the gate's own severity decides, so the alert says what the gate counted. UNKNOWN
 * gets none and shows by level.
 */
const SECURITY_SEVERITY = {
    CRITICAL: '9.5',
    HIGH: '8.0',
    MEDIUM: '5.5',
    LOW: '2.0',
    UNKNOWN: undefined,
};
/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: one rule per vulnerability id (at its worst severity), one result
 * per counted finding located at its target, worst first, capped at GitHub's per-run limit. Findings are given in the
 * gate's order (worst first), so the cap drops the least severe. Produced in pieces for large reports.
 */
function* renderSarif(report, findings, info) {
    const kept = findings.slice(0, SARIF_MAX_RESULTS);
    const rules = new Map();
    for (const f of kept) {
        const rule = rules.get(f.id);
        if (!rule)
            rules.set(f.id, newRule(rules.size, f));
        else if (severity/* SEVERITY_RANK */.f3[f.severity] > severity/* SEVERITY_RANK */.f3[rule.severity])
            rule.severity = f.severity;
    }
    const driver = {
        name: 'trivy-gate',
        fullName: `harbor-pipelines trivy-gate (${report.scanner})`,
        version: info.toolVersion,
        informationUri: info.informationUri,
    };
    yield `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver).slice(0, -1)},"rules":[`;
    // Rules and results are JSON text built from their fields (the same bytes JSON.stringify writes for the objects they
    // stand for, see ruleJson/resultJson): what repeats (a rule's part of its results, a target's location, the
    // per-severity tails) is escaped once, and a string is only escaped when it holds a character JSON escapes.
    // JSON.stringify of objects spent ~5 µs per result on this machine (bench/trivy-gate).
    yield* textInBatches([...rules.values()], ruleJson);
    yield ']}},"results":[';
    const locations = new Locations(report.artifact);
    yield* textInBatches(kept, (f, comma) => resultJson(f, rules.get(f.id), locations.of(f.targets), comma));
    const truncated = findings.length > kept.length ? `,"properties":{"truncatedResults":${findings.length - kept.length}}` : '';
    yield `]${truncated}}]}\n`;
}
function newRule(index, f) {
    return {
        index,
        finding: f,
        severity: f.severity,
        id: jsonText(f.id),
        head: `{"ruleId":"${jsonText(f.id || 'unknown-vulnerability')}","ruleIndex":${index},"level":"`,
    };
}
/**
 * The text of JSON.stringify(value) without its quotes. Only characters JSON escapes make the difference (quote,
 * backslash, controls, lone surrogates); a string without any of them (nearly every one) is its own JSON text, and
 * since every field stands between literal ASCII text, escaping field by field gives what escaping the whole would.
 */
function jsonText(value) {
    return JSON_ESCAPED.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}
// eslint-disable-next-line no-control-regex -- the control characters JSON escapes are the point
const JSON_ESCAPED = /["\\\u0000-\u001F\uD800-\uDFFF]/;
/** `"defaultConfiguration"` and `"properties"` of a rule: one text per severity. */
const RULE_TAIL = Object.fromEntries(severity/* SEVERITIES */.oC.map((severity) => [
    severity,
    JSON.stringify({
        defaultConfiguration: { level: LEVEL[severity] },
        properties: {
            tags: ['vulnerability', 'security', severity],
            precision: 'very-high',
            'security-severity': SECURITY_SEVERITY[severity],
        },
    }).slice(1),
]));
/**
 * One rule as JSON.stringify writes
 * `{ id, name: 'Vulnerability', shortDescription: { text }, fullDescription: { text }, helpUri, help: { text, markdown },
 * defaultConfiguration, properties }` with text = title or id, helpUri only for an http(s) link.
 */
function ruleJson({ finding: f, severity }, comma) {
    const id = jsonText(f.id || 'unknown-vulnerability');
    const link = isHttpUrl(f.url);
    const url = f.url ? jsonText(f.url) : '';
    const text = f.title ? jsonText(f.title) : id;
    return (`${comma ? ',' : ''}{"id":"${id}","name":"Vulnerability","shortDescription":{"text":"${text}"},"fullDescription":{"text":"${text}"}` +
        `${link ? `,"helpUri":"${url}"` : ''},"help":{"text":"Vulnerability ${id}\\nSeverity: ${severity}${f.url ? `\\nLink: ${url}` : ''}",` +
        `"markdown":"**Vulnerability ${id}** (${severity})${link ? `\\n\\n[${id}](${url})` : ''}"},${RULE_TAIL[severity]}`);
}
/**
 * One result as JSON.stringify writes `{ ruleId, ruleIndex, level, message: { text }, locations,
 * partialFingerprints: { primaryLocationLineHash } }`; the message lists the package, versions, severity, link and,
 * when found in several targets, all of them.
 */
function resultJson(f, rule, locations, comma) {
    let found = '';
    if (f.targets.length > 1) {
        found = '\\nFound in: ';
        for (let i = 0; i < f.targets.length; i++)
            found += (i > 0 ? ', ' : '') + jsonText(f.targets[i]);
    }
    // Without a fingerprint GitHub merges results that share rule and location (one CVE in two packages of an image).
    const hash = sha256Hex(`${f.id}\u0000${f.pkg}\u0000${f.installed}\u0000${f.targets[0] ?? ''}`);
    return (`${comma ? ',' : ''}${rule.head}${LEVEL[f.severity]}","message":{"text":"Package: ${jsonText(f.pkg)}\\nInstalled Version: ${jsonText(f.installed)}` +
        `\\nVulnerability ${rule.id}\\nSeverity: ${f.severity}\\nFixed Version: ${f.fixed ? jsonText(f.fixed) : 'none'}` +
        `${f.url ? `\\nLink: ${jsonText(f.url)}` : ''}${found}"},"locations":${locations},"partialFingerprints":{"primaryLocationLineHash":"${hash}"}}`);
}
/** The `locations` of a result: its first 10 targets, each the same text wherever it appears. */
class Locations {
    artifact;
    byTarget = new Map();
    /** Findings of one Trivy result share their targets array, so most results find their text by the array. */
    byList = new Map();
    constructor(artifact) {
        this.artifact = artifact;
    }
    of(targets) {
        let text = this.byList.get(targets);
        if (text === undefined) {
            text = '[';
            for (let i = 0; i < targets.length && i < 10; i++)
                text += (i > 0 ? ',' : '') + this.location(targets[i]);
            text += ']';
            this.byList.set(targets, text);
        }
        return text;
    }
    location(target) {
        let text = this.byTarget.get(target);
        if (text === undefined) {
            text = JSON.stringify({
                physicalLocation: {
                    artifactLocation: { uri: locationUri(target, this.artifact) },
                    region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
                },
            });
            this.byTarget.set(target, text);
        }
        return text;
    }
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A target as a URI reference: Trivy's OS target is `<image> (<os> <version>)`, so the suffix goes; spaces are escaped. */
function locationUri(target, artifact) {
    const path = target.replace(/\s+\([^()]*\)$/, '').trim() || artifact || 'artifact';
    // encodeURI throws on a lone surrogate (a JSON report can hold one as an escape); it stands for U+FFFD instead.
    return encodeURI(path.replace(LONE_SURROGATE, '\uFFFD')).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}
/**
 * crypto.hash (Node 20.12+) hashes a short string without a Hash object per call, which counts over tens of thousands of
 * results (bench/trivy-gate). Older Node 20 agents get the same digest from createHash.
 */
const oneShot = external_node_crypto_.hash;
function sha256Hex(text) {
    return oneShot ? oneShot('sha256', text, 'hex') : external_node_crypto_.createHash('sha256').update(text).digest('hex');
}
function isHttpUrl(text) {
    return /^https?:\/\/\S+$/.test(text);
}

;// CONCATENATED MODULE: ./shared/report/json-slices.ts
/**
 * Walks the structure of a JSON document held in a Buffer without materialising it: only the values a caller asks
 * for are handed to JSON.parse, one slice at a time. A Trivy report of 100 000 findings is ~45 MB of text and several
 * hundred MB as one parsed tree (and V8 cannot hold a string over ~512 MB at all); walked this way the gate keeps only
 * the fields it uses. JSON.parse (for Trivy vulnerabilities, the strict byte reader in trivy-vulnerability.ts) still
 * validates every value that is read; the walker checks the punctuation between them and reports the byte offset of
 * anything malformed.
 */
/** The JSON punctuation, by byte. */
const BYTE = {
    QUOTE: 0x22,
    BACKSLASH: 0x5c,
    OPEN_OBJECT: 0x7b,
    CLOSE_OBJECT: 0x7d,
    OPEN_ARRAY: 0x5b,
    CLOSE_ARRAY: 0x5d,
    COMMA: 0x2c,
    COLON: 0x3a,
};
// Module constants, not property reads of an import, in the loops below.
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON } = BYTE;
class JsonSyntaxError extends Error {
    offset;
    constructor(message, offset) {
        super(`${message} at byte ${offset}`);
        this.offset = offset;
        this.name = 'JsonSyntaxError';
    }
}
class JsonSlices {
    buf;
    constructor(buf) {
        this.buf = buf;
    }
    /** Position of the first non-whitespace byte at or after pos (a UTF-8 BOM at the start counts as whitespace). */
    ws(pos) {
        const buf = this.buf;
        if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
            pos = 3;
        while (pos < buf.length) {
            const c = buf[pos];
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                break;
            pos++;
        }
        return pos;
    }
    /** The byte at pos as a character, '' at the end. */
    peek(pos) {
        return pos < this.buf.length ? String.fromCharCode(this.buf[pos]) : '';
    }
    /** Position just after the value that starts at pos (pos must be at the value, not at whitespace). */
    skip(pos) {
        const buf = this.buf;
        const c = buf[pos];
        if (c === QUOTE)
            return this.stringEnd(pos);
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            let depth = 0;
            for (let p = pos; p < buf.length; p++) {
                const b = buf[p];
                if (b === QUOTE)
                    p = this.stringEnd(p) - 1;
                else if (b === OPEN_OBJECT || b === OPEN_ARRAY)
                    depth++;
                else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
                    if (--depth === 0)
                        return p + 1;
                }
            }
            throw new JsonSyntaxError('unexpected end of JSON (truncated file?)', buf.length);
        }
        // true, false, null or a number: runs to the next delimiter
        let p = pos;
        while (p < buf.length) {
            const b = buf[p];
            if (b === COMMA ||
                b === CLOSE_OBJECT ||
                b === CLOSE_ARRAY ||
                b === 0x20 ||
                b === 0x0a ||
                b === 0x0d ||
                b === 0x09)
                break;
            p++;
        }
        if (p === pos)
            throw new JsonSyntaxError('expected a value', pos);
        return p;
    }
    /** Parses the value at pos with JSON.parse; returns it and the position after it. */
    value(pos) {
        const end = this.skip(pos);
        return { value: this.parse(pos, end), end };
    }
    parse(start, end) {
        try {
            return JSON.parse(this.buf.toString('utf8', start, end));
        }
        catch (error) {
            throw new JsonSyntaxError(`invalid JSON value (${error.message})`, start);
        }
    }
    /**
     * Calls fn for each member of the object at pos with its key and the position of its value; fn returns the
     * position after the value (usually `this.skip(valuePos)` or the end of a nested walk). Returns the position after
     * the object.
     */
    members(pos, fn) {
        const buf = this.buf;
        if (buf[pos] !== OPEN_OBJECT)
            throw new JsonSyntaxError('expected an object', pos);
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_OBJECT)
            return p + 1;
        for (;;) {
            if (buf[p] !== QUOTE)
                throw new JsonSyntaxError('expected a member name', p);
            const keyEnd = this.stringEnd(p);
            const key = this.parse(p, keyEnd);
            p = this.ws(keyEnd);
            if (buf[p] !== COLON)
                throw new JsonSyntaxError("expected ':'", p);
            p = this.ws(fn(key, this.ws(p + 1)));
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_OBJECT)
                return p + 1;
            else
                throw new JsonSyntaxError("expected ',' or '}'", p);
        }
    }
    /** Like members, for the elements of the array at pos. */
    elements(pos, fn) {
        const buf = this.buf;
        if (buf[pos] !== OPEN_ARRAY)
            throw new JsonSyntaxError('expected an array', pos);
        let p = this.ws(pos + 1);
        if (buf[p] === CLOSE_ARRAY)
            return p + 1;
        for (;;) {
            p = this.ws(fn(p));
            if (buf[p] === COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === CLOSE_ARRAY)
                return p + 1;
            else
                throw new JsonSyntaxError("expected ',' or ']'", p);
        }
    }
    /** Position after the closing quote of the string that starts at pos; an escaped quote does not end it. */
    stringEnd(pos) {
        const buf = this.buf;
        let p = pos + 1;
        for (;;) {
            const q = buf.indexOf(QUOTE, p);
            if (q < 0)
                throw new JsonSyntaxError('unterminated string', pos);
            let backslashes = 0;
            for (let b = q - 1; b > pos && buf[b] === BACKSLASH; b--)
                backslashes++;
            if (backslashes % 2 === 0)
                return q + 1;
            p = q + 1;
        }
    }
}

;// CONCATENATED MODULE: ./shared/report/byte-strings.ts
/**
 * Strings decoded from a buffer, one string per distinct run of bytes: asking again for bytes equal to ones already
 * decoded returns the same string without building a new one.
 *
 * A 100 000-finding Trivy report repeats its package names, versions and fixed versions across most findings. Every
 * finding survives until the reports are written, so each repeated string was copied by V8's young-generation GC and
 * counted towards the survivors that make V8 grow the young generation (to 64 MB semi-spaces on Node 24: the gate's
 * peak RSS, bench/trivy-gate). The table is keyed by the bytes themselves (hash, length, byte compare), so a repeat
 * costs no allocation at all.
 *
 * The bytes are decoded as UTF-8 (invalid sequences become U+FFFD, as Buffer#toString does); JSON escapes are not
 * decoded, so the caller passes only strings without any. The bytes must not change while the table is used.
 */
class ByteStrings {
    buf;
    /**
     * Open addressing, one record of RECORD ints per slot: the hash, the length and pool offset of the bytes, and the
     * value's index + 1 (0: free). A probe reads one record, not three arrays: the table is MBs for a large report,
     * and every lookup missed the cache once per array.
     */
    table = new Int32Array(RECORD << 12);
    values = [];
    /**
     * A copy of each distinct run, one after another: a repeat is compared with these few MB rather than with its first
     * occurrence anywhere in a 50 MB report, which missed the cache on almost every compare.
     */
    pool = new Uint8Array(1 << 16);
    used = 0;
    constructor(buf) {
        this.buf = buf;
    }
    /** The string of buf[start, end); `hash` is hashBytes of those bytes when the caller already has it. */
    get(start, end, hash = hashBytes(this.buf, start, end)) {
        const length = end - start;
        const table = this.table;
        const mask = (table.length >> 2) - 1;
        let slot = hash & mask;
        for (;;) {
            const at = slot << 2;
            const index = table[at + 3];
            if (index === 0)
                return this.insert(at, start, end, hash);
            if (table[at] === hash && table[at + 1] === length && this.samePooled(table[at + 2], start, length))
                return this.values[index - 1];
            slot = (slot + 1) & mask;
        }
    }
    /** How many distinct strings were decoded. */
    get size() {
        return this.values.length;
    }
    insert(at, start, end, hash) {
        const buf = this.buf;
        const length = end - start;
        let ascii = true;
        for (let p = start; p < end && ascii; p++)
            ascii = buf[p] < 0x80;
        // Plain ASCII decodes the same either way, and latin1 skips UTF-8's validation.
        const text = buf.toString(ascii ? 'latin1' : 'utf8', start, end);
        if (this.used + length > this.pool.length) {
            const pool = new Uint8Array(2 * (this.used + length));
            pool.set(this.pool);
            this.pool = pool;
        }
        const pool = this.pool;
        for (let k = 0; k < length; k++)
            pool[this.used + k] = buf[start + k];
        this.values.push(text);
        const table = this.table;
        table[at] = hash;
        table[at + 1] = length;
        table[at + 2] = this.used;
        table[at + 3] = this.values.length;
        this.used += length;
        // At most half full, so probe runs stay short.
        if (2 * this.values.length > table.length >> 2)
            this.rehash();
        return text;
    }
    samePooled(at, start, length) {
        const buf = this.buf;
        const pool = this.pool;
        for (let k = 0; k < length; k++)
            if (pool[at + k] !== buf[start + k])
                return false;
        return true;
    }
    rehash() {
        const old = this.table;
        const table = new Int32Array(old.length * 2);
        const mask = (table.length >> 2) - 1;
        for (let from = 0; from < old.length; from += RECORD) {
            if (old[from + 3] === 0)
                continue;
            let slot = old[from] & mask;
            while (table[(slot << 2) + 3] !== 0)
                slot = (slot + 1) & mask;
            const to = slot << 2;
            for (let k = 0; k < RECORD; k++)
                table[to + k] = old[from + k];
        }
        this.table = table;
    }
}
const RECORD = 4;
/** FNV-1a, 32 bits: hash = (hash ^ byte) * FNV_PRIME from FNV_OFFSET, as `ByteStrings` expects. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
function hashBytes(buf, start, end) {
    let hash = FNV_OFFSET;
    for (let p = start; p < end; p++)
        hash = Math.imul(hash ^ buf[p], FNV_PRIME);
    return hash;
}

;// CONCATENATED MODULE: ./shared/report/trivy-vulnerability.ts


/**
 * Reads one vulnerability of a Trivy report straight from the file's bytes: the eight fields the gate keeps are
 * decoded, every other value is checked against the JSON grammar and skipped without being built. JSON.parse of the
 * whole element built ~20 values per finding (CVSS, references, dates) only to drop them; on a 100 000-finding report
 * that and its garbage collection were most of the gate's time (bench/trivy-gate).
 *
 * It reads only what it is sure of: a vulnerability as Trivy writes it (an object without escaped member names, every
 * kept field a string or null, VulnerabilityID and PkgName not empty, Severity one of Trivy's five words in capitals,
 * References an array or null) in valid JSON. For anything else — including any JSON it finds invalid — `read` returns
 * -1 and the caller parses the element with JSON.parse and its checks, which accept, correct or name exactly as
 * before. So this reader may only be stricter than JSON.parse, never more lenient.
 */
class VulnerabilityReader {
    /** The finding read by the last successful `read`. */
    finding;
    buf;
    len;
    /** Start and end (exclusive, quotes excluded) of each kept field's string; -1 when absent or null. */
    from = new Int32Array(FIELDS);
    to = new Int32Array(FIELDS);
    /** Whether each kept string has an escape (decoded by JSON.parse) or not (its bytes are its UTF-8 text). */
    escaped = new Uint8Array(FIELDS);
    /** Each kept string's hash for the string table (set when it has no escape). */
    hashes = new Int32Array(FIELDS);
    /** Set by `string` and `keptString`: the string had an escape. */
    hadEscape = false;
    /** Set by `keptString`: the hash of the string's bytes. */
    hash = 0;
    /**
     * For the package, version and fixed version: one string per distinct value, a table per field (small enough for the
     * cache). Those repeat across most of a report's findings; the id, title and link belong to a vulnerability and
     * repeat far less, and tables for them cost more CPU and peak RSS than they saved (bench/trivy-gate/RESULTS.md).
     */
    strings;
    constructor(buf) {
        this.buf = buf;
        this.len = buf.length;
        this.strings = Array.from({ length: FIELDS }, (_, field) => TABLED.includes(field) ? new ByteStrings(buf) : undefined);
    }
    /** Reads the vulnerability object at pos; returns the position after it, or -1 to leave it to JSON.parse. */
    read(pos) {
        const buf = this.buf;
        const from = this.from;
        from.fill(-1);
        this.finding = undefined;
        if (buf[pos] !== trivy_vulnerability_OPEN_OBJECT)
            return -1;
        let p = this.ws(pos + 1);
        if (buf[p] === trivy_vulnerability_CLOSE_OBJECT)
            return -1;
        for (;;) {
            if (buf[p] !== trivy_vulnerability_QUOTE)
                return -1;
            const keyStart = p + 1;
            const keyEnd = this.string(p);
            if (keyEnd < 0 || this.hadEscape)
                return -1;
            const field = fieldOf(buf, keyStart, keyEnd - 1);
            p = this.ws(keyEnd);
            if (buf[p] !== trivy_vulnerability_COLON)
                return -1;
            p = this.ws(p + 1);
            let end;
            if (field < 0) {
                end = this.value(p);
            }
            else if (buf[p] === trivy_vulnerability_QUOTE) {
                if (field === REFERENCES)
                    return -1;
                end = this.strings[field] ? this.keptString(p) : this.string(p);
                this.keep(field, p, end);
            }
            else if (this.literal(p, NULL)) {
                end = p + 4;
                from[field] = -1;
                // JSON.parse keeps the last of repeated members, so a later References replaces an earlier one's first link.
                if (field === REFERENCES)
                    from[FIRST_REFERENCE] = -1;
            }
            else if (field === REFERENCES && buf[p] === trivy_vulnerability_OPEN_ARRAY) {
                from[FIRST_REFERENCE] = -1;
                end = this.references(p);
            }
            else {
                return -1;
            }
            if (end < 0)
                return -1;
            p = this.ws(end);
            if (buf[p] === trivy_vulnerability_COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === trivy_vulnerability_CLOSE_OBJECT)
                break;
            else
                return -1;
        }
        return this.build() ? p + 1 : -1;
    }
    /** Notes where the kept field's string (opening quote at start, `string` just returned end) is. */
    keep(field, start, end) {
        if (end < 0)
            return;
        this.from[field] = start + 1;
        this.to[field] = end - 1;
        this.escaped[field] = this.hadEscape ? 1 : 0;
        this.hashes[field] = this.hash;
    }
    build() {
        const { buf, from, to } = this;
        if (from[ID] < 0 || to[ID] === from[ID] || from[PKG] < 0 || to[PKG] === from[PKG])
            return false;
        const severity = severityAt(buf, from[SEVERITY], to[SEVERITY]);
        if (severity === undefined)
            return false;
        this.finding = {
            id: this.text(ID),
            pkg: this.text(PKG),
            installed: this.text(INSTALLED),
            fixed: this.text(FIXED),
            severity,
            title: this.text(TITLE),
            url: this.text(URL) || this.text(FIRST_REFERENCE),
            targets: NO_TARGETS,
        };
        return true;
    }
    /** The kept field's string ('' when absent or null), decoded as JSON.parse decodes it. */
    text(field) {
        const start = this.from[field];
        if (start < 0)
            return '';
        const end = this.to[field];
        if (this.escaped[field] === 0) {
            const table = this.strings[field];
            return table ? table.get(start, end, this.hashes[field]) : this.buf.toString('utf8', start, end);
        }
        return JSON.parse(this.buf.toString('utf8', start - 1, end + 1));
    }
    /** References: an array whose first element, when a string, is the link of last resort (as JSON.parse reads it). */
    references(pos) {
        const buf = this.buf;
        let p = this.ws(pos + 1);
        if (buf[p] === trivy_vulnerability_CLOSE_ARRAY)
            return p + 1;
        let first = true;
        for (;;) {
            let end;
            if (first && buf[p] === trivy_vulnerability_QUOTE) {
                end = this.string(p);
                this.keep(FIRST_REFERENCE, p, end);
            }
            else {
                end = this.value(p);
            }
            if (end < 0)
                return -1;
            first = false;
            p = this.ws(end);
            if (buf[p] === trivy_vulnerability_COMMA)
                p = this.ws(p + 1);
            else if (buf[p] === trivy_vulnerability_CLOSE_ARRAY)
                return p + 1;
            else
                return -1;
        }
    }
    /**
     * Position after the JSON value at pos, checked against the grammar; -1 if it is not valid JSON, or nested deeper
     * than MAX_DEPTH: this check recurses, and a report nesting arrays a hundred thousand deep would overflow the stack;
     * JSON.parse (the fallback) does not.
     */
    value(pos, depth = 0) {
        const buf = this.buf;
        const c = buf[pos];
        if (c === trivy_vulnerability_QUOTE)
            return this.string(pos);
        if ((c === trivy_vulnerability_OPEN_OBJECT || c === trivy_vulnerability_OPEN_ARRAY) && depth >= MAX_DEPTH)
            return -1;
        if (c === trivy_vulnerability_OPEN_OBJECT) {
            let p = this.ws(pos + 1);
            if (buf[p] === trivy_vulnerability_CLOSE_OBJECT)
                return p + 1;
            for (;;) {
                if (buf[p] !== trivy_vulnerability_QUOTE)
                    return -1;
                p = this.string(p);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] !== trivy_vulnerability_COLON)
                    return -1;
                p = this.value(this.ws(p + 1), depth + 1);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] === trivy_vulnerability_COMMA)
                    p = this.ws(p + 1);
                else if (buf[p] === trivy_vulnerability_CLOSE_OBJECT)
                    return p + 1;
                else
                    return -1;
            }
        }
        if (c === trivy_vulnerability_OPEN_ARRAY) {
            let p = this.ws(pos + 1);
            if (buf[p] === trivy_vulnerability_CLOSE_ARRAY)
                return p + 1;
            for (;;) {
                p = this.value(p, depth + 1);
                if (p < 0)
                    return -1;
                p = this.ws(p);
                if (buf[p] === trivy_vulnerability_COMMA)
                    p = this.ws(p + 1);
                else if (buf[p] === trivy_vulnerability_CLOSE_ARRAY)
                    return p + 1;
                else
                    return -1;
            }
        }
        if (c === 0x74)
            return this.literal(pos, TRUE) ? pos + 4 : -1;
        if (c === 0x66)
            return this.literal(pos, FALSE) ? pos + 5 : -1;
        if (c === 0x6e)
            return this.literal(pos, NULL) ? pos + 4 : -1;
        return this.number(pos);
    }
    /** Position after the string at pos (at its opening quote); -1 if it is not a valid JSON string. */
    string(pos) {
        const buf = this.buf;
        const len = this.len;
        let escape = false;
        for (let p = pos + 1; p < len; p++) {
            const c = buf[p];
            if (c === trivy_vulnerability_QUOTE) {
                this.hadEscape = escape;
                return p + 1;
            }
            if (c < 0x20)
                return -1;
            if (c === trivy_vulnerability_BACKSLASH) {
                escape = true;
                const e = buf[++p];
                if (e === 0x75) {
                    for (let i = 0; i < 4; i++)
                        if (!isHex(buf[++p]))
                            return -1;
                }
                else if (!(e === trivy_vulnerability_QUOTE || e === trivy_vulnerability_BACKSLASH || e === 0x2f || SIMPLE_ESCAPES.includes(e))) {
                    return -1;
                }
            }
        }
        return -1;
    }
    /**
     * `string` for a kept field, hashing its bytes for the string table in the same pass. A string with an escape (or
     * anything invalid) is left to `string`, which checks it; such a string is decoded by JSON.parse, not hashed.
     */
    keptString(pos) {
        const buf = this.buf;
        const len = this.len;
        let hash = FNV_OFFSET;
        for (let p = pos + 1; p < len; p++) {
            const c = buf[p];
            if (c === trivy_vulnerability_QUOTE) {
                this.hadEscape = false;
                this.hash = hash;
                return p + 1;
            }
            if (c === trivy_vulnerability_BACKSLASH || c < 0x20)
                return this.string(pos);
            hash = Math.imul(hash ^ c, FNV_PRIME);
        }
        return -1;
    }
    /** Position after the number at pos (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?); -1 if there is none. */
    number(pos) {
        const buf = this.buf;
        let p = pos;
        if (buf[p] === 0x2d)
            p++;
        if (buf[p] === 0x30)
            p++;
        else if (isDigit(buf[p]))
            while (isDigit(buf[p]))
                p++;
        else
            return -1;
        if (buf[p] === 0x2e) {
            if (!isDigit(buf[++p]))
                return -1;
            while (isDigit(buf[p]))
                p++;
        }
        if (buf[p] === 0x65 || buf[p] === 0x45) {
            p++;
            if (buf[p] === 0x2b || buf[p] === 0x2d)
                p++;
            if (!isDigit(buf[p]))
                return -1;
            while (isDigit(buf[p]))
                p++;
        }
        return p;
    }
    literal(pos, word) {
        const buf = this.buf;
        for (let i = 0; i < word.length; i++)
            if (buf[pos + i] !== word[i])
                return false;
        return true;
    }
    /** JSON whitespace is space, tab, line feed and carriage return, nothing else. */
    ws(pos) {
        const buf = this.buf;
        let p = pos;
        for (;;) {
            const c = buf[p];
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                return p;
            p++;
        }
    }
}
// Module constants: a property read of an import in the byte loops costs as much as the loops (CommonJS builds).
const { QUOTE: trivy_vulnerability_QUOTE, BACKSLASH: trivy_vulnerability_BACKSLASH, OPEN_OBJECT: trivy_vulnerability_OPEN_OBJECT, CLOSE_OBJECT: trivy_vulnerability_CLOSE_OBJECT, OPEN_ARRAY: trivy_vulnerability_OPEN_ARRAY, CLOSE_ARRAY: trivy_vulnerability_CLOSE_ARRAY, COMMA: trivy_vulnerability_COMMA, COLON: trivy_vulnerability_COLON } = BYTE;
/** Deeper than any value Trivy writes (CVSS, data sources, vendor severities nest two or three levels). */
const MAX_DEPTH = 32;
/** A read finding's targets until its caller sets them (readResult, once the result's Target is known); never added to. */
const NO_TARGETS = [];
/** b f n r t */
const SIMPLE_ESCAPES = [0x62, 0x66, 0x6e, 0x72, 0x74];
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** The kept members, by index; FIRST_REFERENCE is References[0]. */
const NAMES = [
    'VulnerabilityID',
    'PkgName',
    'InstalledVersion',
    'FixedVersion',
    'Severity',
    'Title',
    'PrimaryURL',
    'References',
].map((name) => Buffer.from(name));
const ID = 0;
const PKG = 1;
const INSTALLED = 2;
const FIXED = 3;
const SEVERITY = 4;
const TITLE = 5;
const URL = 6;
const REFERENCES = 7;
const FIRST_REFERENCE = NAMES.length;
/** The fields read through a string table. */
const TABLED = [PKG, INSTALLED, FIXED];
const FIELDS = NAMES.length + 1;
function fieldOf(buf, start, end) {
    const length = end - start;
    for (let field = 0; field < NAMES.length; field++) {
        const name = NAMES[field];
        if (name.length !== length)
            continue;
        let i = 0;
        while (i < length && buf[start + i] === name[i])
            i++;
        if (i === length)
            return field;
    }
    return -1;
}
const SEVERITY_WORDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].map((s) => [
    Buffer.from(s),
    s,
]);
/** The severity written in capitals exactly as Trivy writes it; undefined for anything else. */
function severityAt(buf, start, end) {
    if (start < 0)
        return undefined;
    for (const [word, severity] of SEVERITY_WORDS) {
        if (word.length !== end - start)
            continue;
        let i = 0;
        while (i < word.length && buf[start + i] === word[i])
            i++;
        if (i === word.length)
            return severity;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./shared/report/trivy-json.ts







/**
 * Reads a Trivy JSON report (`trivy image|fs|repo -f json`, SchemaVersion 2) into unique findings. Only
 * `Results[].Vulnerabilities` are gated; misconfigurations, secrets and licenses in the same report are skipped.
 * `label` names the file in errors.
 */
function readTrivyReport(file, label) {
    const buf = (0,files/* readUserFile */.E1)(file, (code) => code === 'EISDIR'
        ? `Input '${label}': ${file} is a directory; give the Trivy JSON report file`
        : (0,files/* cannotRead */.U0)(label, file, code));
    try {
        return parseTrivyReport(buf, file);
    }
    catch (error) {
        if (error instanceof JsonSyntaxError)
            throw new errors/* UserError */.yo(`${label} ${file} is not valid JSON: ${error.message}`);
        if (error instanceof NotTrivyError)
            throw new errors/* UserError */.yo(`${label} ${file} ${error.message}`);
        if (error instanceof ReportShapeError)
            throw new errors/* UserError */.yo(`${label} ${file} is not a Trivy report the gate can read: ${error.message}`);
        throw error;
    }
    finally {
        // Every value read from it is a copy (strings, numbers), so the report's bytes can go before the outputs are written.
        (0,files/* releaseBuffer */.kT)(buf);
    }
}
class NotTrivyError extends Error {
}
function parseTrivyReport(buf, fallbackName = 'report') {
    const json = new JsonSlices(buf);
    const start = json.ws(0);
    if (json.peek(start) !== '{') {
        throw new NotTrivyError('is not a Trivy JSON report (expected an object with SchemaVersion 2; write it with trivy --format json)');
    }
    const set = new model/* FindingSet */.Y();
    const reader = new VulnerabilityReader(buf);
    let schemaVersion;
    let artifact = '';
    let version = '';
    const end = json.members(start, (key, pos) => {
        switch (key) {
            case 'SchemaVersion':
            case 'ArtifactName': {
                const { value, end } = json.value(pos);
                if (key === 'SchemaVersion')
                    schemaVersion = value;
                else
                    artifact = optionalString({ ArtifactName: value }, 'ArtifactName', '$');
                return end;
            }
            case 'Trivy': {
                const { value, end } = json.value(pos);
                if (value !== null)
                    version = optionalString(objectAt(value, '$.Trivy'), 'Version', '$.Trivy');
                return end;
            }
            case 'Results': {
                // Trivy leaves Results out (or null) when it found nothing to scan; anything else must be the list.
                if (json.peek(pos) === 'n')
                    return json.skip(pos);
                if (json.peek(pos) !== '[')
                    throw new ReportShapeError('$.Results', 'an array', json.value(pos).value);
                let index = 0;
                return json.elements(pos, (resultPos) => readResult(json, reader, resultPos, set, `$.Results[${index++}]`));
            }
            default:
                return json.skip(pos);
        }
    });
    if (json.ws(end) !== buf.length)
        throw new JsonSyntaxError('unexpected data after the report', json.ws(end));
    if (schemaVersion !== 2) {
        throw new NotTrivyError(schemaVersion === undefined
            ? 'is not a Trivy JSON report (no SchemaVersion; write it with trivy --format json)'
            : `has SchemaVersion ${JSON.stringify(schemaVersion)}; only SchemaVersion 2 (Trivy 0.20 and later) is supported`);
    }
    return { artifact: artifact || fallbackName, scanner: `Trivy ${version || 'unknown version'}`, findings: set.list() };
}
function readResult(json, reader, pos, set, path) {
    if (json.peek(pos) !== '{')
        throw new ReportShapeError(path, 'an object', json.value(pos).value);
    let target = '';
    const found = [];
    const end = json.members(pos, (key, valuePos) => {
        if (key === 'Target') {
            const { value, end } = json.value(valuePos);
            target = optionalString({ Target: value }, 'Target', path);
            return end;
        }
        if (key === 'Vulnerabilities' && json.peek(valuePos) !== 'n') {
            if (json.peek(valuePos) !== '[')
                throw new ReportShapeError(`${path}.Vulnerabilities`, 'an array', json.value(valuePos).value);
            let index = 0;
            return json.elements(valuePos, (vulnPos) => {
                const at = index++;
                const end = reader.read(vulnPos);
                if (end >= 0) {
                    found.push(reader.finding);
                    return end;
                }
                // Anything the byte reader is not sure of: JSON.parse and the checks that name the path.
                const { value, end: valueEnd } = json.value(vulnPos);
                found.push(toFinding(value, `${path}.Vulnerabilities[${at}]`));
                return valueEnd;
            });
        }
        return json.skip(valuePos);
    });
    // Target may follow Vulnerabilities in a hand-edited file, so findings are added once the whole result is read.
    // One array for all of them: a repeat in another result gets a copy with both targets (FindingSet), so 100 000
    // findings do not keep 100 000 one-element arrays alive.
    const targets = [target];
    for (const f of found) {
        f.targets = targets;
        set.add(f);
    }
    return end;
}
/**
 * Only what the gate uses is kept, so the parsed vulnerability (CVSS, references, description) can be collected.
 * The fields that decide the verdict are checked: Trivy always writes VulnerabilityID, PkgName and one of its five
 * severity words (pkg/report/table, dbTypes.SeverityNames); a report without them was not written by Trivy.
 */
function toFinding(value, path) {
    const v = objectAt(value, path);
    const record = v;
    const references = record.References;
    if (references !== undefined && references !== null && !Array.isArray(references))
        throw new ReportShapeError(`${path}.References`, 'an array', references);
    return {
        id: requiredString(record, 'VulnerabilityID', path),
        pkg: requiredString(record, 'PkgName', path),
        installed: optionalString(record, 'InstalledVersion', path),
        fixed: optionalString(record, 'FixedVersion', path),
        severity: (0,severity/* trivySeverity */.i2)(oneOf(record, 'Severity', path, severity/* SEVERITIES */.oC, true)),
        title: optionalString(record, 'Title', path),
        url: optionalString(record, 'PrimaryURL', path) || (typeof v.References?.[0] === 'string' ? v.References[0] : ''),
        targets: [],
    };
}

// EXTERNAL MODULE: ./shared/capabilities/trivy-gate/definition.ts + 1 modules
var definition = __webpack_require__(2625);
;// CONCATENATED MODULE: ./shared/capabilities/trivy-gate/run.ts
















function createGate(hooks = {}) {
    return (0,capability/* defineRunner */.Kq)(definition/* definition */.mw, async (settings, ctx) => runGate(settings, ctx, hooks));
}
async function runGate(settings, ctx, hooks) {
    const { platform } = ctx;
    const name = ctx.label;
    const path = (file) => (0,capability/* workspacePath */.X5)(platform, file);
    // The clock decides which ignores have expired.
    const now = new Date(ctx.clock.now());
    const source = (0,definition/* chooseSource */.LV)(settings, name);
    // Everything local is read and checked before Harbor is asked to scan anything, and every output path before any
    // is written: a step that fails on its third file must not leave the first two behind.
    checkOutputFiles(settings, name, path);
    const ignores = settings.ignoreFile
        ? readIgnoreFile(path(settings.ignoreFile), name('ignore-file'), now)
        : IgnoreList.empty();
    for (const entry of ignores.expired) {
        platform.warning(`${name('ignore-file')} line ${entry.line}: the ignore of ${entry.id} expired on ${entry.expires}; it is counted again`);
    }
    const policy = {
        failOn: settings.failOn,
        ignoreUnfixed: settings.ignoreUnfixed,
        max: { CRITICAL: settings.maxCritical, HIGH: settings.maxHigh, MEDIUM: settings.maxMedium, LOW: settings.maxLow },
    };
    let report;
    if (source === 'file') {
        report = readTrivyReport(path(settings.reportFile), name('report-file'));
    }
    else {
        try {
            report = await readFromHarbor(settings, ctx, hooks);
        }
        catch (error) {
            if (!(error instanceof ScanError) || settings.onScanError === 'fail')
                throw error;
            platform.warning(`${error.message} (${name('on-scan-error')}: warn, so the step continues without a verdict)`);
            ctx.setOutput('result', 'error');
            // JUnit shows the error in the test run. No SARIF is written: an empty upload would close the open code
            // scanning alerts of a scan that simply did not run.
            if (settings.junitFile)
                writeChunks(path(settings.junitFile), [renderScanErrorJUnit(`${settings.project}/${settings.repository}@${settings.reference}`, error.message)], name('junit-file'));
            if (settings.sarifFile)
                platform.warning(`${name('sarif-file')} was not written: there is no verdict to report`);
            await platform.addSummary(`## ⚠️ Vulnerability gate: no verdict\n\n${error.message}\n`);
            return 'succeeded-with-issues';
        }
    }
    platform.info(`${report.findings.length} unique findings in ${report.artifact} (${report.scanner})`);
    const verdict = (0,report_policy/* evaluate */._3)(report, policy, ignores, {
        failOn: name('fail-on'),
        max: (severity) => name(`max-${severity.toLowerCase()}`),
    });
    for (const entry of verdict.unusedIgnores) {
        platform.debug(`${name('ignore-file')} line ${entry.line}: ${entry.id} matched no finding`);
    }
    writeReports(settings, report, policy, verdict, name, path, platform);
    setOutputs(ctx, verdict);
    await platform.addSummary(renderSummary(report, verdict, { ignoreFileName: name('ignore-file'), ignoreUnfixedName: name('ignore-unfixed') }));
    if (!verdict.passed)
        throw new errors/* UserError */.yo(verdict.reason);
    platform.info(verdict.reason);
    return 'succeeded';
}
function checkOutputFiles(settings, name, path) {
    const files = ['sarif-file', 'junit-file', 'json-file'].filter((key) => (0,definition/* settingOf */.y7)(settings, key) !== undefined);
    const seen = new Map();
    for (const key of files) {
        const file = path((0,definition/* settingOf */.y7)(settings, key));
        const other = seen.get(file);
        if (other)
            throw new errors/* InputError */.dz(`${name(other)} and ${name(key)} name the same file (${file}); give each report its own file`);
        seen.set(file, key);
        checkWritable(file, name(key));
    }
}
async function readFromHarbor(settings, ctx, hooks) {
    const { platform } = ctx;
    const ref = {
        project: settings.project,
        repository: settings.repository,
        reference: settings.reference,
    };
    // `timeout` bounds all of the Harbor work (reads, scan wait, report), not only the scan wait.
    const { harbor, http } = (0,inputs/* openHarbor */.NT)(platform, definition/* definition */.mw.inputs, settings, {
        budget: { ms: settings.timeout, input: platform.inputName(definition/* definition */.mw.inputs.timeout) },
    });
    try {
        return await platform
            .group(`Harbor scan of ${artifactLabel(ref)}`, () => readReport(harbor, ref, settings, ctx, hooks))
            .catch((error) => {
            // Reading needs artifact:read, artifact-addition:read and scan:read (handler/artifact.go GetArtifact,
            // GetVulnerabilitiesAddition; handler/scan.go GetReportLog). A robot has exactly the permissions it was given
            // (src/common/security/robot/context.go).
            if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'permission' && error.advice === undefined) {
                throw error.with({
                    advice: `the gate needs artifact:read, artifact-addition:read and scan:read on project ${ref.project} (robot accounts: Artifact → Read, Artifact Addition → Read, Scan → Read; users: any project role)`,
                });
            }
            throw error;
        });
    }
    finally {
        await http.close();
    }
}
async function readReport(harbor, ref, settings, ctx, hooks) {
    const { platform } = ctx;
    const artifact = await getArtifact(harbor, ref);
    // Harbor offers only IMAGE artifacts to a scanner (src/controller/scan/checker.go hasCapability): a chart or any
    // other type has no report and never gets one — asking for a scan is 400 — so say that, not "scan it first".
    if (artifact.type !== undefined && artifact.type !== 'IMAGE') {
        throw new ScanError(`${artifactLabel(ref)} is a ${artifact.type} artifact, and Harbor scans container images only (Harbor artifact type IMAGE); gate the images instead`);
    }
    // Gate the digest the tag pointed to when we looked, so a tag moved during the scan cannot swap the image.
    const pinned = { ...ref, reference: artifact.digest || ref.reference };
    let overview = vulnerabilityOverview(artifact);
    platform.info(`${artifactLabel(ref)} is ${artifact.digest}; last scan: ${run_describe(overview)}`);
    const inProgress = overview !== undefined && !isFinished(overview);
    let stale;
    // A scan already running is as fresh as one we would start; Harbor would refuse a second one anyway.
    if (!inProgress &&
        (settings.scan === 'always' || (settings.scan === 'if-missing' && overview?.scan_status !== 'Success'))) {
        stale = isFinished(overview) ? overview : undefined;
        platform.info(`Asking Harbor to scan ${artifactLabel(pinned)} (scan: ${settings.scan})`);
        const started = await triggerScan(harbor, pinned).catch((error) => {
            // ScanArtifact requires scan:create (src/server/v2.0/handler/scan.go), which only Maintainer and ProjectAdmin
            // hold; Developer and Guest have scan:read (src/common/rbac/project/rbac_role.go).
            if (error instanceof remote_error/* RemoteError */.Hi && error.kind === 'permission') {
                throw error.with({
                    advice: `starting a scan needs the scan:create permission (project role Maintainer or Project Admin; robot accounts: Scan → Create); set ${platform.inputName(definition/* definition */.mw.inputs.scan)} to never to gate on the report Harbor already has`,
                });
            }
            throw error;
        });
        if (!started)
            platform.info('Harbor is already scanning it; waiting for that scan');
    }
    else if (settings.scan === 'never' && overview === undefined) {
        throw new ScanError(`${artifactLabel(ref)} has no scan report in Harbor and scan is never; scan it first or use scan: if-missing`);
    }
    if (stale !== undefined || !isFinished(overview)) {
        overview = await waitForScan(harbor, pinned, {
            timeoutMs: settings.timeout,
            stale,
            initialDelayMs: hooks.pollInitialDelayMs,
            maxDelayMs: hooks.pollMaxDelayMs,
            now: ctx.clock.now,
            sleep: ctx.clock.sleep,
            onPoll: (o, waited) => platform.info(`Scan ${run_describe(o)} after ${Math.round(waited / 1000)} s`),
        });
    }
    if (overview.scan_status !== 'Success') {
        const log = overview.report_id ? await getScanLog(harbor, pinned, overview.report_id) : '';
        if (log) {
            platform.info('Scanner log (last lines):');
            platform.info(log.trimEnd().split(/\r?\n/).slice(-10).join('\n'), { foreign: true });
        }
        throw new ScanError(`Harbor scan of ${artifactLabel(pinned)} ended in ${overview.scan_status}; see the scanner log in Harbor (Interrogation Services)`);
    }
    const { mimeType, report } = await getVulnerabilityReport(harbor, pinned);
    platform.debug(`Report type: ${mimeType}`);
    try {
        return fromHarborReport(report, `${ref.project}/${ref.repository}@${artifact.digest}`);
    }
    catch (error) {
        if (!(error instanceof ReportShapeError))
            throw error;
        throw new errors/* UserError */.yo(`Harbor's vulnerability report (${mimeType}) for ${artifactLabel(pinned)} is not one the gate can read: ${error.message}`);
    }
}
function run_describe(overview) {
    if (!overview)
        return 'none (queued or never scanned)';
    // complete_percent below 100 on a Success is a partial image index (src/pkg/scan/vuln/summary.go Merge).
    const percent = overview.complete_percent !== undefined && overview.complete_percent < 100 ? ` ${overview.complete_percent}%` : '';
    return `${overview.scan_status ?? 'unknown'}${percent}`;
}
function setOutputs(ctx, verdict) {
    const values = { ...(0,report_policy/* namedCounts */.CF)(verdict.counts), result: (0,report_policy/* resultOf */.Bg)(verdict) };
    for (const [key, value] of Object.entries(values))
        ctx.setOutput(key, value);
}
function writeReports(settings, report, policy, verdict, name, path, platform) {
    if (settings.sarifFile) {
        writeChunks(path(settings.sarifFile), renderSarif(report, verdict.counted, SARIF_INFO), name('sarif-file'));
        if (verdict.counted.length > SARIF_MAX_RESULTS)
            platform.warning(`${name('sarif-file')} holds the ${SARIF_MAX_RESULTS} most severe of ${verdict.counted.length} findings (GitHub code scanning's per-run limit)`);
    }
    if (settings.junitFile)
        writeChunks(path(settings.junitFile), renderJUnit(report, verdict), name('junit-file'));
    if (settings.jsonFile)
        writeChunks(path(settings.jsonFile), renderFindingsJson(report, policy, verdict), name('json-file'));
}
const SARIF_INFO = {
    toolVersion: `${definition/* definition */.mw.version.major}.${definition/* definition */.mw.version.minor}.${definition/* definition */.mw.version.patch}`,
    informationUri: 'https://github.com/harbor-pipelines/harbor-pipelines/blob/main/docs/trivy-gate.md',
};

;// CONCATENATED MODULE: ./shared/capabilities/trivy-gate/index.ts

/* harmony default export */ const trivy_gate = (createGate());


/***/ })

};
;