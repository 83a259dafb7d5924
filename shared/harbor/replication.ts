import { UserError } from '../errors';
import { clockWith } from '../util/clock';
import { pollWithBackoff } from '../util/poll';
import { exactQuery, HarborClient } from './client';
import { idFromLocation, replicationScope, type Registry } from './registries';

/**
 * Harbor replication policies and executions. A policy is ensured field by field (Harbor's PUT replaces the whole
 * policy, so the stored one is merged with the wanted fields and only a real difference is written); an execution is
 * started, polled with capped backoff until it is final with nothing in progress, and reported task by task.
 */

export interface ReplicationFilter {
  type: string;
  value?: unknown;
  decoration?: string;
}

/** `ReplicationPolicy` in Harbor's swagger. */
export interface ReplicationPolicy {
  id?: number;
  name: string;
  description?: string;
  src_registry?: Partial<Registry> | null;
  dest_registry?: Partial<Registry> | null;
  dest_namespace?: string;
  dest_namespace_replace_count?: number | null;
  trigger?: { type?: string; trigger_settings?: { cron?: string } | null } | null;
  filters?: ReplicationFilter[] | null;
  replicate_deletion?: boolean;
  deletion?: boolean;
  override?: boolean;
  enabled?: boolean;
  speed?: number | null;
  copy_by_chunk?: boolean | null;
  single_active_replication?: boolean | null;
  creation_time?: string;
  update_time?: string;
}

export type Direction = 'push' | 'pull';
export type TriggerType = 'manual' | 'scheduled' | 'event_based';

/** The fields a pipeline may set; undefined means "keep what Harbor has" (or Harbor's default on creation). */
export interface PolicyFields {
  direction?: Direction;
  /** The remote endpoint: destination of a push, source of a pull. */
  registry?: { id: number; name: string };
  nameFilter?: string;
  tagFilter?: string;
  tagMatch?: 'matches' | 'excludes';
  labels?: string[];
  resource?: 'image' | 'artifact';
  destNamespace?: string;
  /** Harbor's dest_namespace_replace_count: -1 flattens all levels, 0 none, n the first n. */
  replaceCount?: number;
  trigger?: TriggerType;
  cron?: string;
  override?: boolean;
  /** KB/s per task; 0 or less is unlimited (Harbor stores it as 0). */
  speed?: number;
  copyByChunk?: boolean;
  deletion?: boolean;
  enabled?: boolean;
}

export interface PolicyChange {
  field: string;
  from: string;
  to: string;
}

const LOCAL_REGISTRY_ID = 0;

export async function findPolicy(harbor: HarborClient, name: string): Promise<ReplicationPolicy | undefined> {
  const found = await replicationScope(() =>
    harbor.list<ReplicationPolicy>(
      '/replication/policies',
      { q: exactQuery('name', name) },
      'listing replication policies',
    ),
  );
  const match = found.find((p) => p.name === name);
  // The list omits nothing today, but the single GET is the documented full view of a policy.
  return match?.id !== undefined ? getPolicy(harbor, match.id) : undefined;
}

export async function getPolicy(harbor: HarborClient, id: number): Promise<ReplicationPolicy> {
  return replicationScope(() =>
    harbor.json<ReplicationPolicy>('GET', `/replication/policies/${id}`, { what: `reading replication policy ${id}` }),
  );
}

export function directionOf(policy: ReplicationPolicy): Direction {
  return (policy.dest_registry?.id ?? LOCAL_REGISTRY_ID) !== LOCAL_REGISTRY_ID ? 'push' : 'pull';
}

/** The endpoint on the far side of a policy (destination of a push, source of a pull). */
export function remoteRegistryOf(policy: ReplicationPolicy): Partial<Registry> | undefined {
  const remote = directionOf(policy) === 'push' ? policy.dest_registry : policy.src_registry;
  return remote && (remote.id ?? LOCAL_REGISTRY_ID) !== LOCAL_REGISTRY_ID ? remote : undefined;
}

function filterOf(policy: ReplicationPolicy, type: string): ReplicationFilter | undefined {
  return (policy.filters ?? []).find((f) => f.type === type);
}

/** A policy's current value of each field the pipeline can set, in the same shape as `PolicyFields`. */
export function fieldsOf(
  policy: ReplicationPolicy,
): Required<Omit<PolicyFields, 'registry' | 'cron'>> & Pick<PolicyFields, 'registry' | 'cron'> {
  const remote = remoteRegistryOf(policy);
  const tag = filterOf(policy, 'tag');
  const label = filterOf(policy, 'label');
  return {
    direction: directionOf(policy),
    registry: remote?.id !== undefined ? { id: remote.id, name: remote.name ?? `#${remote.id}` } : undefined,
    nameFilter: stringValue(filterOf(policy, 'name')?.value),
    tagFilter: stringValue(tag?.value),
    tagMatch: tag?.decoration === 'excludes' ? 'excludes' : 'matches',
    labels: Array.isArray(label?.value) ? (label.value as unknown[]).map(String) : [],
    resource: (stringValue(filterOf(policy, 'resource')?.value) || 'artifact') as 'image' | 'artifact',
    destNamespace: policy.dest_namespace ?? '',
    replaceCount: policy.dest_namespace_replace_count ?? -1,
    trigger: (policy.trigger?.type || 'manual') as TriggerType,
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
export function harborSpeed(speed: number): number {
  return speed > 0 ? speed : 0;
}

function stringValue(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** What differs between the stored policy and the wanted fields; fields left undefined never count. */
export function policyChanges(policy: ReplicationPolicy, wanted: PolicyFields): PolicyChange[] {
  const current = fieldsOf(policy);
  const changes: PolicyChange[] = [];
  const add = (field: string, from: unknown, to: unknown) => {
    if (to === undefined) return;
    const a = show(from);
    const b = show(to);
    if (a !== b) changes.push({ field, from: a, to: b });
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
  add(
    'flattening',
    flatteningName(current.replaceCount),
    wanted.replaceCount === undefined ? undefined : flatteningName(wanted.replaceCount),
  );
  add('trigger', current.trigger, wanted.trigger);
  const trigger = wanted.trigger ?? current.trigger;
  if (trigger === 'scheduled') add('cron', current.cron ?? '', wanted.cron);
  add('override', current.override, wanted.override);
  add('speed', current.speed, wanted.speed === undefined ? undefined : harborSpeed(wanted.speed));
  add('copy by chunk', current.copyByChunk, wanted.copyByChunk);
  add('deletion', current.deletion, wanted.deletion);
  add('enabled', current.enabled, wanted.enabled);
  return changes;
}

export function flatteningName(count: number): string {
  if (count < 0) return 'all';
  if (count === 0) return 'none';
  return String(count);
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (value === '' || value === undefined || value === null) return '(none)';
  return String(value);
}

/**
 * The policy body Harbor stores: the existing policy (if any) with the wanted fields applied. Harbor's API only
 * reads the registry ids, so the local side is `{ id: 0 }` and the remote side `{ id }`.
 */
export function buildPolicy(name: string, wanted: PolicyFields, existing?: ReplicationPolicy): ReplicationPolicy {
  const current = existing ? fieldsOf(existing) : undefined;
  const direction = wanted.direction ?? current?.direction;
  const registry = wanted.registry ?? current?.registry;
  if (!direction || !registry) throw new Error('buildPolicy needs a direction and a registry endpoint');
  const remote = { id: registry.id };
  const local = { id: LOCAL_REGISTRY_ID };

  const filters: ReplicationFilter[] = (existing?.filters ?? []).filter(
    (f) => !['name', 'tag', 'label', 'resource'].includes(f.type),
  );
  const nameFilter = wanted.nameFilter ?? current?.nameFilter;
  if (nameFilter) filters.push({ type: 'name', value: nameFilter });
  const tagFilter = wanted.tagFilter ?? current?.tagFilter;
  if (tagFilter)
    filters.push({ type: 'tag', value: tagFilter, decoration: wanted.tagMatch ?? current?.tagMatch ?? 'matches' });
  const labels = wanted.labels ?? current?.labels;
  const labelDecoration = (existing && filterOf(existing, 'label')?.decoration) || 'matches';
  if (labels && labels.length > 0) filters.push({ type: 'label', value: labels, decoration: labelDecoration });
  const resource = wanted.resource ?? (existing ? stringValue(filterOf(existing, 'resource')?.value) : '');
  if (resource) filters.push({ type: 'resource', value: resource });

  const trigger = wanted.trigger ?? current?.trigger ?? 'manual';
  const cron = wanted.cron ?? current?.cron;
  const deletion = wanted.deletion ?? current?.deletion ?? false;
  const policy: ReplicationPolicy = {
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
  if (existing?.single_active_replication) policy.single_active_replication = true;
  const replaceCount = wanted.replaceCount ?? existing?.dest_namespace_replace_count ?? undefined;
  if (replaceCount !== undefined && replaceCount !== null) policy.dest_namespace_replace_count = replaceCount;
  if (existing?.id !== undefined) policy.id = existing.id;
  return policy;
}

export interface EnsuredPolicy {
  policy: ReplicationPolicy;
  id: number;
  created: boolean;
  changes: PolicyChange[];
}

/** Creates the policy or writes only a real difference; `changes` is the diff that was (or would be) applied. */
export async function ensurePolicy(
  harbor: HarborClient,
  name: string,
  wanted: PolicyFields,
  existing?: ReplicationPolicy,
): Promise<EnsuredPolicy> {
  if (!existing) {
    const body = buildPolicy(name, wanted);
    const res = await replicationScope(() =>
      harbor.call('POST', '/replication/policies', {
        json: body,
        expected: [201],
        retry: false,
        what: `creating replication policy '${name}'`,
      }),
    );
    const id = idFromLocation(res.headers.location) ?? (await findPolicy(harbor, name))?.id;
    if (id === undefined)
      throw new UserError(
        `Harbor created replication policy '${name}' but did not say its id, and it cannot be found by name`,
      );
    return { policy: { ...body, id }, id, created: true, changes: [] };
  }
  const changes = policyChanges(existing, wanted);
  if (changes.length === 0) return { policy: existing, id: existing.id!, created: false, changes };
  const body = buildPolicy(name, wanted, existing);
  await replicationScope(() =>
    harbor.call('PUT', `/replication/policies/${existing.id}`, {
      json: body,
      expected: [200],
      what: `updating replication policy '${name}'`,
    }),
  );
  return { policy: body, id: existing.id!, created: false, changes };
}

/** `ReplicationExecution`: statuses are InProgress, Succeed, Failed, Stopped (Harbor's API names for its job states). */
export interface ReplicationExecution {
  id: number;
  policy_id?: number;
  status: string;
  status_text?: string;
  trigger?: string;
  start_time?: string;
  end_time?: string;
  total: number;
  failed: number;
  succeed: number;
  in_progress: number;
  stopped: number;
}

/** `ReplicationTask`. */
export interface ReplicationTask {
  id: number;
  execution_id?: number;
  status: string;
  job_id?: string;
  operation?: string;
  resource_type?: string;
  src_resource?: string;
  dst_resource?: string;
  start_time?: string;
  end_time?: string;
}

// Harbor's API renames its job states (Running → InProgress, Success → Succeed, Error → Failed); both spellings
// are accepted so a proxy or an older Harbor that passes the raw ones through is read the same way.
const SUCCEEDED = new Set(['succeed', 'success', 'succeeded']);
const FAILED = new Set(['failed', 'error']);
const STOPPED = new Set(['stopped']);

export function isFinalStatus(status: string): boolean {
  const s = status.toLowerCase();
  return SUCCEEDED.has(s) || FAILED.has(s) || STOPPED.has(s);
}
export function isSucceeded(status: string): boolean {
  return SUCCEEDED.has(status.toLowerCase());
}
export function isFailed(status: string): boolean {
  return FAILED.has(status.toLowerCase());
}

/** `POST /replication/executions`; the new execution's id is the last segment of the `Location` header. */
export async function startExecution(harbor: HarborClient, policyId: number): Promise<number> {
  const res = await replicationScope(() =>
    harbor.call('POST', '/replication/executions', {
      json: { policy_id: policyId },
      expected: [201],
      // A retried start could run the replication twice.
      retry: false,
      what: `starting replication policy ${policyId}`,
    }),
  );
  const id = idFromLocation(res.headers.location);
  if (id !== undefined) return id;
  // Without a Location header, the newest manual execution of the policy is the one just started.
  const recent = await replicationScope(() =>
    harbor.json<ReplicationExecution[]>('GET', '/replication/executions', {
      query: { policy_id: policyId, sort: '-start_time', page: 1, page_size: 1 },
      what: 'listing replication executions',
    }),
  );
  if (!recent?.[0])
    throw new UserError(`Harbor accepted replication policy ${policyId} but returned no execution id and lists none`);
  return recent[0].id;
}

export async function getExecution(harbor: HarborClient, id: number): Promise<ReplicationExecution> {
  return replicationScope(() =>
    harbor.json<ReplicationExecution>('GET', `/replication/executions/${id}`, {
      what: `reading replication execution ${id}`,
    }),
  );
}

export async function listTasks(harbor: HarborClient, executionId: number): Promise<ReplicationTask[]> {
  return replicationScope(() =>
    harbor.list<ReplicationTask>(
      `/replication/executions/${executionId}/tasks`,
      {},
      `listing tasks of execution ${executionId}`,
    ),
  );
}

export async function taskLog(harbor: HarborClient, executionId: number, taskId: number): Promise<string> {
  const res = await replicationScope(() =>
    harbor.call('GET', `/replication/executions/${executionId}/tasks/${taskId}/log`, {
      headers: { accept: 'text/plain' },
      expected: [200],
      what: `reading the log of task ${taskId}`,
    }),
  );
  return res.text();
}

export async function stopExecution(harbor: HarborClient, id: number): Promise<void> {
  await replicationScope(() =>
    harbor.call('PUT', `/replication/executions/${id}`, {
      expected: [200],
      retry: false,
      what: `stopping replication execution ${id}`,
    }),
  );
}

/**
 * Harbor runs a replication task up to 3 times: a failed run is re-queued (MaxFails in
 * src/jobservice/job/impl/replication/replication.go, goharbor/harbor v2.15.2).
 */
export const HARBOR_MAX_RUNS = 3;

/**
 * How long a Failed task may wait before Harbor runs it again: the worker pool re-queues a job that failed `n` times
 * after n^4 + 15 + rand(30)·(n+1) seconds (goharbor/work v0.5.1-patch worker.go defaultBackoffCalculator, pinned by
 * Harbor's src/go.mod), at most 118 s after the second failure; plus the re-queue poller's latency.
 */
export const HARBOR_RETRY_WINDOW_MS = 150_000;

/**
 * How long an execution status may contradict its tasks: Harbor recomputes it in the background every
 * execution_status_refresh_interval_seconds, 30 by default (src/pkg/task/dao/execution.go,
 * src/lib/config/metadata/metadatalist.go), while the task counters are live.
 */
export const HARBOR_STATUS_SETTLE_MS = 45_000;

export interface WaitOptions {
  timeoutMs: number;
  /** The client for the last read after the timeout (one that may still call when the step's budget is spent). */
  cleanup?: HarborClient;
  /** First poll delay; grows by half each poll up to maxIntervalMs. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How long an execution status that contradicts its finished tasks is re-polled (default HARBOR_STATUS_SETTLE_MS). */
  settleMs?: number;
  /** How long a Failed task with runs left is watched for Harbor's re-run (default HARBOR_RETRY_WINDOW_MS). */
  retryWindowMs?: number;
  /** Called when the progress counts change. */
  onProgress?: (execution: ReplicationExecution) => void;
  /** Called when a task Harbor had failed runs again. */
  onRetry?: (task: ReplicationTask, attempt: number) => void;
}

/** A final execution status matches its tasks: Succeed has no failed task; Failed has one, or no tasks at all. */
function agrees(execution: ReplicationExecution, tasks: ReplicationTask[]): boolean {
  const anyFailed = tasks.some((t) => isFailed(t.status));
  if (isSucceeded(execution.status)) return !anyFailed;
  if (isFailed(execution.status)) return anyFailed || tasks.length === 0;
  return true;
}

export interface WaitResult {
  execution: ReplicationExecution;
  tasks: ReplicationTask[];
  timedOut: boolean;
  /** Runs seen per task id (distinct start times; a run between two polls can go unseen). */
  attempts: Map<number, number>;
  /** Failed tasks Harbor could still run again when the wait ended. */
  retrying: ReplicationTask[];
}

/**
 * A time Harbor has set, or undefined: the API shows an unset one as Go's zero time, 0001-01-01 (convertTask and
 * convertExecution in src/server/v2.0/handler/replication.go): a task not run yet has no start, a running or
 * re-running one no end (src/pkg/task/dao/task.go UpdateStatus), a running execution no end.
 */
export function harborTime(value: string | undefined): string | undefined {
  return value && !value.startsWith('0001-') ? value : undefined;
}

/** What the poller remembers of each task: the runs it saw and since when the current run reads Failed. */
class TaskWatch {
  private readonly starts = new Map<number, Set<string>>();
  private readonly failedSince = new Map<number, { at: number; start?: string }>();

  constructor(
    private readonly now: () => number,
    private readonly onRetry?: (task: ReplicationTask, attempt: number) => void,
  ) {}

  observe(tasks: ReplicationTask[]): void {
    for (const t of tasks) {
      const start = harborTime(t.start_time);
      const seen = this.starts.get(t.id) ?? new Set<string>();
      this.starts.set(t.id, seen);
      const rerun = start !== undefined && seen.size > 0 && !seen.has(start);
      if (start !== undefined) seen.add(start);
      const failed = this.failedSince.get(t.id);
      if (rerun && failed) this.onRetry?.(t, seen.size);
      if (isFailed(t.status)) {
        if (!failed || failed.start !== start) this.failedSince.set(t.id, { at: this.now(), start });
      } else {
        this.failedSince.delete(t.id);
      }
    }
  }

  attempts(id: number): number {
    return Math.max(1, this.starts.get(id)?.size ?? 0);
  }

  /** A Failed task with runs left, whose re-run could still come. */
  mayRerun(t: ReplicationTask, windowMs: number): boolean {
    const failed = this.failedSince.get(t.id);
    if (!isFailed(t.status) || !failed) return false;
    return this.attempts(t.id) < HARBOR_MAX_RUNS && this.now() - failed.at < windowMs;
  }

  all(): Map<number, number> {
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
export async function waitForExecution(harbor: HarborClient, id: number, options: WaitOptions): Promise<WaitResult> {
  const clock = clockWith(options);
  const settleMs = options.settleMs ?? HARBOR_STATUS_SETTLE_MS;
  const retryWindowMs = options.retryWindowMs ?? HARBOR_RETRY_WINDOW_MS;
  const watch = new TaskWatch(clock.now, options.onRetry);
  let disagreeingSince: number | undefined;
  let lastProgress = '';
  let tasks: ReplicationTask[] = [];
  let execution: ReplicationExecution;
  let listed = false;
  return pollWithBackoff<WaitResult>(
    {
      timeoutMs: options.timeoutMs,
      initialDelayMs: options.initialIntervalMs ?? 1_000,
      maxDelayMs: options.maxIntervalMs ?? 15_000,
      factor: 1.5,
      clock,
      atDeadline: 'last-poll',
    },
    async (turn) => {
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
      if (
        listed &&
        tasks.every((t) => isFinalStatus(t.status)) &&
        retrying.length === 0 &&
        (final || tasks.length > 0)
      ) {
        if (final && agrees(execution, tasks))
          return { execution, tasks, timedOut: false, attempts: watch.all(), retrying };
        // Harbor refreshes an execution's status apart from its tasks; give a disagreement time to settle.
        disagreeingSince ??= clock.now();
        if (clock.now() - disagreeingSince >= settleMs)
          return { execution, tasks, timedOut: false, attempts: watch.all(), retrying };
      } else {
        disagreeingSince = undefined;
      }
      return undefined;
    },
    async () => {
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
    },
  );
}
