import { randomUUID } from 'node:crypto';
import {
  copyAccessories,
  copyArtifact,
  listSourceAccessories,
  filterArtifacts,
  filterRepositories,
  listSourceArtifacts,
  prepareHarborProject,
  replaceNamespace,
  ReplicationEndpoint,
  ReplicationFilter,
  SourceArtifact,
  type SourceAccessory,
} from './harbor-replication';

// Harbor's replication flow, task manager and jobservice (goharbor/harbor v2.15.2), re-stated:
// - the copy flow lists the source, applies the filters, prepares the destination projects, then creates ONE TASK PER
//   REPOSITORY with src_resource `<repo> [<n> item(s) in total]` (src/controller/replication/flow/copy.go createTasks,
//   stage.go getResourceName); resource_type is "artifact" from a Harbor source, "image" from other registries
//   (src/pkg/reg/adapter/harbor/v2/adapter.go, src/pkg/reg/adapter/native/adapter.go FetchArtifacts);
// - an execution starts Running with no tasks (src/pkg/task/execution.go Create); nothing to copy marks it done at
//   once with "no resources need to be replicated", a flow error marks it Error with the message (MarkDone, MarkError);
// - a replication job may run 3 times (MaxFails in src/jobservice/job/impl/replication/replication.go): a failed run
//   reports Error (the task reads Failed, with an end time), and the worker pool re-queues it after
//   fails^4 + 15 + rand(30)*(fails+1) seconds (goharbor/work v0.5.1-patch worker.go defaultBackoffCalculator/jobFate,
//   the fork Harbor's src/go.mod pins); the re-run resets the job with a new revision, so the task reads InProgress
//   again with a new start time and no end time (src/jobservice/runner/redis.go Run, src/pkg/task/dao/task.go
//   UpdateStatus), then Succeed or Failed;
// - the execution's status is not the tasks' live state: each task status change marks it outdated and a background
//   job recomputes it every execution_status_refresh_interval_seconds (30 by default; <= 0 means at once), from the
//   task counts: any Pending/Running → Running, else any Error → Error, else any Stopped → Stopped, else Success
//   (src/pkg/task/hook.go Handle, src/pkg/task/dao/execution.go refreshStatus/AsyncRefreshStatus,
//   src/lib/config/metadata/metadatalist.go); a Stopped task refreshes at once. The counters are always live
//   (src/pkg/task/execution.go populateExecution → GetMetrics).
// Times are scaled for tests, and a retry can wait for a client to have seen the failure, so tests wait on states.

/**
 * How the API shows a time not set: Go's zero time (convertExecution/convertTask in src/server/v2.0/handler/
 * replication.go copy it as it is). A task not run yet has no start, a running or re-running one no end (the task DAO
 * writes the zero end time for a status that is not final: src/pkg/task/dao/task.go UpdateStatus), and a running
 * execution has no end.
 */
export const ZERO_TIME = '0001-01-01T00:00:00.000Z';

export type TaskStatus = 'Pending' | 'InProgress' | 'Succeed' | 'Failed' | 'Stopped';

export interface Task {
  id: number;
  execution_id: number;
  status: TaskStatus;
  job_id: string;
  operation: string;
  resource_type: string;
  src_resource: string;
  dst_resource: string;
  start_time?: string;
  end_time?: string;
  log: string[];
  /** Runs so far (Harbor's task.run_count). */
  runs: number;
  /** Failed, with a re-run queued (the job is in the worker pool's retry set). */
  retrying: boolean;
}

export interface Execution {
  id: number;
  policy_id: number;
  /** The status as last refreshed (what the API shows), which lags the tasks. */
  status: 'InProgress' | 'Succeed' | 'Failed' | 'Stopped';
  status_text: string;
  trigger: string;
  start_time: string;
  end_time?: string;
  tasks: Task[];
  stopRequested: boolean;
  /** Status changes not yet folded into `status`. */
  outdated: boolean;
  /** GETs of the execution since it became outdated. */
  readsSinceOutdated: number;
  /** Listings of its tasks so far (a retry may wait until a client has seen the failure). */
  taskReads: number;
}

export interface ReplicationTimings {
  /** Delay before each run of a task starts (observe InProgress, stop an execution midway). Default 0. */
  taskDelayMs: number;
  /** Harbor's retry backoff in seconds is multiplied by this to give milliseconds here. Default 0.001 (16–118 ms). */
  backoffScale: number;
  /**
   * A retry also waits until the execution's tasks have been listed this many times since the run failed, so a
   * test's client has certainly seen the Failed state. Default 0 (time only).
   */
  retryAfterTaskReads: number;
  /** execution_status_refresh_interval_seconds, in ms here; 0 (default) refreshes at once. */
  statusRefreshMs: number;
  /** An outdated status is refreshed when the execution has been read this many times since (0: not by reads). */
  statusRefreshAfterReads: number;
  /** Tasks run at once (jobservice's worker pool). Default 1, so tasks run in order. */
  workers: number;
}

export const DEFAULT_REPLICATION_TIMINGS: ReplicationTimings = {
  taskDelayMs: 0,
  backoffScale: 0.001,
  retryAfterTaskReads: 0,
  statusRefreshMs: 0,
  statusRefreshAfterReads: 0,
  workers: 1,
};

/** Harbor's replication job MaxFails (src/jobservice/job/impl/replication/replication.go). */
export const MAX_RUNS = 3;

/** Seconds gocraft/work waits before re-running a job that failed `fails` times (worker.go defaultBackoffCalculator). */
export function harborRetryBackoffSeconds(fails: number, random = Math.random): number {
  return fails ** 4 + 15 + Math.floor(random() * 30) * (fails + 1);
}

/** What a run needs from the Harbor it belongs to. */
export interface JobserviceHost {
  /** Registry 0 (or absent) is this Harbor itself. */
  endpointFor(side: { id?: number } | undefined | null): ReplicationEndpoint;
  /** Pull-based replication creates the local project when missing (the local adapter's PrepareForPush). */
  ensureLocalProject(name: string): void;
}

interface Injection {
  repository: string;
  tag?: string;
  /** Runs that fail; undefined = every run. */
  times?: number;
  failed: number;
}

interface Job {
  task: Task;
  execution: Execution;
  src: ReplicationEndpoint;
  dest: ReplicationEndpoint;
  srcRepository: string;
  destRepository: string;
  tags: string[];
  /** Accessories of the tagged artifacts, copied after them (manual and scheduled runs only). */
  accessories: SourceAccessory[];
}

const now = () => new Date().toISOString();

export class Jobservice {
  private readonly executions = new Map<number, Execution>();
  private readonly injections: Injection[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly queue: Job[] = [];
  private readonly waiters = new Set<() => void>();
  private busy = 0;
  private closed = false;
  private taskSeq = 1000;
  private timings: ReplicationTimings;
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly host: JobserviceHost,
    timings: Partial<ReplicationTimings> = {},
  ) {
    this.timings = { ...DEFAULT_REPLICATION_TIMINGS, ...timings };
    this.scheduleRefresh();
  }

  /**
   * Runs of the tasks of this repository (having this tag, when given) fail instead of copying: the first `times`
   * runs, or every run (Harbor then gives up after 3).
   */
  failReplicationOf(target: { repository: string; tag?: string; times?: number }): void {
    this.injections.push({ ...target, failed: 0 });
  }

  setTimings(t: Partial<ReplicationTimings>): void {
    this.timings = { ...this.timings, ...t };
    this.scheduleRefresh();
  }

  getTimings(): ReplicationTimings {
    return { ...this.timings };
  }

  get(id: number): Execution | undefined {
    return this.executions.get(id);
  }

  /** Newest first, as Harbor lists them. */
  list(): Execution[] {
    return [...this.executions.values()].sort((a, b) => b.id - a.id);
  }

  hasRunning(policyId: number): boolean {
    return [...this.executions.values()].some((e) => e.policy_id === policyId && e.status === 'InProgress');
  }

  /**
   * Starts an execution of `policy` in the background; returns its id. `event` is the artifact whose push triggered
   * an event_based policy: the flow copies that artifact alone (see flow()).
   */
  start(policyId: number, policy: Record<string, any>, event?: SourceArtifact): number {
    const e = this.create(policyId, event);
    this.track(this.flow(e, policy, event));
    return e.id;
  }

  /**
   * An execution created and at once marked Error with `text`, no task run: what the controller's Start does for a
   * policy with single active replication while another of its executions is Running (src/controller/replication/
   * execution.go Start, execMgr.MarkError).
   */
  skip(policyId: number, text: string): number {
    const e = this.create(policyId);
    this.markDone(e, 'Failed', text);
    return e.id;
  }

  private create(policyId: number, event?: SourceArtifact): Execution {
    const id = this.executions.size ? Math.max(...this.executions.keys()) + 1 : 1;
    const e: Execution = {
      id,
      policy_id: policyId,
      status: 'InProgress',
      status_text: '',
      // task.ExecutionTriggerEvent for a push event (event/handler.go Handle), manual through the API.
      trigger: event ? 'event_based' : 'manual',
      start_time: now(),
      tasks: [],
      stopRequested: false,
      outdated: false,
      readsSinceOutdated: 0,
      taskReads: 0,
    };
    this.executions.set(id, e);
    return e;
  }

  /** Harbor's Stop: tasks not running end Stopped at once; a running one ends Stopped after its current copy. */
  stop(e: Execution): void {
    // Also a final-looking execution: a retrying job runs again unless stopped (src/pkg/task/execution.go Stop).
    const live = e.tasks.some((t) => t.status === 'Pending' || t.status === 'InProgress' || t.retrying);
    if (!live && e.status !== 'InProgress') return;
    e.stopRequested = true;
    for (const t of e.tasks) {
      if (t.status === 'Pending' || t.retrying) {
        t.retrying = false;
        t.end_time = now();
        this.setStatus(e, t, 'Stopped');
      }
    }
    if (e.tasks.length === 0) this.markStopped(e);
    this.wake();
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    for (const e of this.executions.values()) e.stopRequested = true;
    this.wake();
    await Promise.allSettled([...this.running]);
  }

  /** ReplicationExecution as the API shows it; `read` counts a client's GET towards a read-driven refresh. */
  json(e: Execution, read = false): Record<string, unknown> {
    if (read && e.outdated && this.timings.statusRefreshAfterReads > 0) {
      if (++e.readsSinceOutdated >= this.timings.statusRefreshAfterReads) this.refresh(e);
    }
    const count = (s: TaskStatus) => e.tasks.filter((t) => t.status === s).length;
    return {
      id: e.id,
      policy_id: e.policy_id,
      status: e.status,
      status_text: e.status_text,
      trigger: e.trigger,
      start_time: e.start_time,
      end_time: e.end_time ?? ZERO_TIME,
      total: e.tasks.length,
      failed: count('Failed'),
      succeed: count('Succeed'),
      in_progress: count('InProgress') + count('Pending'),
      stopped: count('Stopped'),
    };
  }

  /** The execution's tasks, counted as a client's read (a retry may wait for it). */
  readTasks(e: Execution): Task[] {
    e.taskReads++;
    this.wake();
    return e.tasks;
  }

  /** ReplicationTask as the API shows it. */
  taskJson(t: Task): Record<string, unknown> {
    const { log: _log, runs: _runs, retrying: _retrying, ...shown } = t;
    return { ...shown, start_time: t.start_time ?? ZERO_TIME, end_time: t.end_time ?? ZERO_TIME };
  }

  // ------------------------------------------------------------------ the flow (copy.go)

  private async flow(e: Execution, b: Record<string, any>, event?: SourceArtifact): Promise<void> {
    try {
      const src = this.host.endpointFor(b.src_registry);
      const dest = this.host.endpointFor(b.dest_registry);
      const destIsLocal = !b.dest_registry?.id;
      const filters: ReplicationFilter[] = b.filters ?? [];
      // An event hands the flow its one resource, the pushed artifact with no accessories
      // (src/controller/event/handler/replication/replication.go handlePushArtifact); copy.go Run then skips
      // fetchResources, so nothing attached to it is listed or copied. Manual and scheduled runs list the source.
      let artifacts = event ? [event] : await listSourceArtifacts(src);
      const repos = new Set(filterRepositories([...new Set(artifacts.map((a) => a.repository))], filters));
      // Untagged artifacts of a listing are left out (a limit of the emulator: Harbor copies them by digest); an
      // untagged pushed manifest (a referrer's own event) is copied by digest, as Harbor does.
      const filtered = filterArtifacts(
        artifacts.filter((a) => repos.has(a.repository)),
        filters,
      );
      const byDigest = event ? filtered.filter((a) => a.tags.length === 0) : [];
      artifacts = filtered.filter((a) => a.tags.length > 0 || byDigest.includes(a));
      if (e.stopRequested) return this.markStopped(e);
      if (artifacts.length === 0) return this.markDone(e, 'Succeed', 'no resources need to be replicated');
      const byRepository = new Map<string, SourceArtifact[]>();
      for (const a of artifacts) byRepository.set(a.repository, [...(byRepository.get(a.repository) ?? []), a]);
      const destName = (repository: string) =>
        replaceNamespace(repository, b.dest_namespace, b.dest_namespace_replace_count ?? -1);
      const plan = await Promise.all(
        [...byRepository].map(async ([repository, list]) => ({
          repository,
          destination: destName(repository),
          tags: list.flatMap((a) => a.tags),
          accessories: event
            ? list.filter((a) => a.tags.length === 0).map((a) => ({ digest: a.digest }))
            : (await Promise.all(list.map((a) => listSourceAccessories(src, repository, a.digest)))).flat(),
        })),
      );
      // prepareForPush runs once for all resources before any task exists (copy.go Run).
      for (const project of new Set(plan.map((p) => p.destination.split('/')[0]))) {
        if (destIsLocal) this.host.ensureLocalProject(project);
        else await prepareHarborProject(dest, project);
      }
      const resourceType = src.type === 'harbor' ? 'artifact' : 'image';
      for (const p of plan) {
        // The adapter's artifact list holds each accessory as an item of its own (client.go getAccessoryArts).
        const items = `[${p.tags.length + p.accessories.length} item(s) in total]`;
        const task: Task = {
          id: ++this.taskSeq,
          execution_id: e.id,
          status: 'Pending',
          job_id: randomUUID().replace(/-/g, '').slice(0, 24),
          operation: 'copy',
          resource_type: resourceType,
          src_resource: `${p.repository} ${items}`,
          dst_resource: `${p.destination} ${items}`,
          log: [],
          runs: 0,
          retrying: false,
        };
        e.tasks.push(task);
        this.queue.push({
          task,
          execution: e,
          src,
          dest,
          srcRepository: p.repository,
          destRepository: p.destination,
          tags: p.tags,
          accessories: p.accessories,
        });
      }
      this.outdate(e);
      this.pump();
    } catch (err) {
      this.markDone(e, 'Failed', err instanceof Error ? err.message : String(err));
    }
  }

  private markDone(e: Execution, status: 'Succeed' | 'Failed', text: string): void {
    e.status = status;
    e.status_text = text;
    e.end_time = now();
  }

  private markStopped(e: Execution): void {
    e.status = 'Stopped';
    e.end_time = now();
  }

  // ------------------------------------------------------------------ the worker pool (gocraft/work)

  private track(p: Promise<void>): void {
    const job = p.finally(() => this.running.delete(job));
    this.running.add(job);
  }

  private pump(): void {
    while (this.busy < Math.max(1, this.timings.workers) && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.busy++;
      this.track(this.runJob(job).finally(() => (this.busy--, this.pump())));
    }
  }

  private async runJob(job: Job): Promise<void> {
    const { task, execution: e } = job;
    if (this.timings.taskDelayMs) await this.sleep(this.timings.taskDelayMs);
    if (e.stopRequested || this.closed) {
      if (task.status !== 'Stopped') {
        task.end_time = now();
        this.setStatus(e, task, 'Stopped');
      }
      return;
    }
    task.runs++;
    task.start_time = now();
    task.end_time = undefined;
    this.setStatus(e, task, 'InProgress');
    const log = (level: string, line: string) => task.log.push(`${now()} [${level}] ${line}`);
    try {
      const injected = this.injections.find(
        (f) =>
          f.repository === job.srcRepository &&
          (!f.tag || job.tags.includes(f.tag)) &&
          (f.times === undefined || f.failed < f.times),
      );
      // The transfer copies artifact after artifact: an injected failure at one tag leaves the earlier ones copied.
      const upTo = injected?.tag ? job.tags.indexOf(injected.tag) : injected ? 0 : job.tags.length;
      if (upTo > 0)
        await copyArtifact(job.src, job.dest, job.srcRepository, job.destRepository, job.tags.slice(0, upTo), (l) =>
          log('INFO', l),
        );
      if (!injected && job.accessories.length > 0)
        await copyAccessories(job.src, job.dest, job.srcRepository, job.destRepository, job.accessories, (l) =>
          log('INFO', l),
        );
      if (injected) {
        injected.failed++;
        throw new Error(`injected failure for ${job.srcRepository}${injected.tag ? ':' + injected.tag : ''}`);
      }
      task.end_time = now();
      // A stop reaches a running job through its stop check (replication.go stopFunc): it ends Stopped.
      if (e.stopRequested) return this.setStatus(e, task, 'Stopped');
      log('INFO', 'the replication task completed');
      this.setStatus(e, task, 'Succeed');
    } catch (err) {
      log('ERROR', err instanceof Error ? err.message : String(err));
      task.end_time = now();
      this.setStatus(e, task, 'Failed');
      if (task.runs < MAX_RUNS && !e.stopRequested && !this.closed) {
        task.retrying = true;
        this.track(this.retry(job));
      }
    }
  }

  /** jobFate → terminateAndRetry: back to the queue after the backoff (and, in tests, after a client saw it). */
  private async retry(job: Job): Promise<void> {
    const readsAtFailure = job.execution.taskReads;
    await this.sleep(harborRetryBackoffSeconds(job.task.runs) * 1000 * this.timings.backoffScale);
    await this.until(
      () =>
        this.closed ||
        job.execution.stopRequested ||
        job.execution.taskReads - readsAtFailure >= this.timings.retryAfterTaskReads,
    );
    if (this.closed || job.execution.stopRequested || !job.task.retrying) return;
    job.task.retrying = false;
    this.queue.push(job);
    this.pump();
  }

  // ------------------------------------------------------------------ task status and the execution refresh

  private setStatus(e: Execution, task: Task, status: TaskStatus): void {
    task.status = status;
    this.outdate(e);
    // A Stopped status refreshes the execution at once (hook.go Handle).
    if (status === 'Stopped') this.refresh(e);
  }

  private outdate(e: Execution): void {
    if (!e.outdated) e.readsSinceOutdated = 0;
    e.outdated = true;
    if (this.timings.statusRefreshMs <= 0 && this.timings.statusRefreshAfterReads <= 0) this.refresh(e);
  }

  /** refreshStatus in src/pkg/task/dao/execution.go; end time is the tasks' latest when final, else none. */
  private refresh(e: Execution): void {
    e.outdated = false;
    e.readsSinceOutdated = 0;
    if (e.tasks.length === 0) return;
    const has = (...s: TaskStatus[]) => e.tasks.some((t) => s.includes(t.status));
    if (has('Pending', 'InProgress')) e.status = 'InProgress';
    else if (has('Failed')) e.status = 'Failed';
    else if (has('Stopped')) e.status = 'Stopped';
    else e.status = 'Succeed';
    e.end_time =
      e.status === 'InProgress'
        ? undefined
        : e.tasks
            .map((t) => t.end_time ?? '')
            .sort()
            .pop() || now();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.timings.statusRefreshMs > 0) {
      // scanAndRefreshOutdateStatus, run by Harbor's gtask pool at the configured interval.
      this.refreshTimer = setInterval(() => {
        for (const e of this.executions.values()) if (e.outdated) this.refresh(e);
      }, this.timings.statusRefreshMs);
      this.refreshTimer.unref();
    }
  }

  // ------------------------------------------------------------------ waiting

  /** A timer that shutdown cuts short. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const w = () => {
        if (this.closed) done();
      };
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(w);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(w);
    });
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const w = () => {
        if (condition()) {
          this.waiters.delete(w);
          resolve();
        }
      };
      this.waiters.add(w);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
