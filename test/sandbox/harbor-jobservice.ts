import { randomUUID } from 'node:crypto';
import {
  copyArtifact,
  filterArtifacts,
  filterRepositories,
  listSourceArtifacts,
  prepareHarborProject,
  replaceNamespace,
  ReplicationEndpoint,
  ReplicationFilter,
} from './harbor-replication';

// Harbor's jobservice for replication: an execution lists the source, applies the policy's filters, and runs one task
// per artifact that really copies it (skopeo). Tests can make tasks fail, slow them down, or make an execution's
// status flap, to exercise a client's polling.

export interface Task {
  id: number;
  execution_id: number;
  status: 'Pending' | 'InProgress' | 'Succeed' | 'Failed' | 'Stopped';
  job_id: string;
  operation: string;
  resource_type: string;
  src_resource: string;
  dst_resource: string;
  start_time?: string;
  end_time?: string;
  log: string[];
}

export interface Execution {
  id: number;
  policy_id: number;
  status: 'InProgress' | 'Succeed' | 'Failed' | 'Stopped';
  status_text: string;
  trigger: string;
  start_time: string;
  end_time?: string;
  tasks: Task[];
  stopRequested: boolean;
  /** Reads `Failed` for `reads` GETs, or until `until` (set from `ms` when the execution ends), then the real status. */
  flap?: { reads?: number; ms?: number; until?: number };
}

/** What a run needs from the Harbor it belongs to. */
export interface JobserviceHost {
  /** Registry 0 (or absent) is this Harbor itself. */
  endpointFor(side: { id?: number } | undefined | null): ReplicationEndpoint;
  /** Pull-based replication creates the local project when missing (the local adapter's PrepareForPush). */
  ensureLocalProject(name: string): void;
}

const now = () => new Date().toISOString();

export class Jobservice {
  private readonly executions = new Map<number, Execution>();
  private readonly failing: Array<{ repository: string; tag?: string }> = [];
  private readonly running = new Set<Promise<void>>();
  private nextFlap?: { reads?: number; ms?: number };
  private taskSeq = 1000;

  constructor(
    private readonly host: JobserviceHost,
    private taskDelayMs = 0,
  ) {}

  failReplicationOf(target: { repository: string; tag?: string }): void {
    this.failing.push(target);
  }

  flapNextExecution(flap: { reads?: number; ms?: number }): void {
    this.nextFlap = flap;
  }

  setTaskDelay(ms: number): void {
    this.taskDelayMs = ms;
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

  /** Starts an execution of `policy` in the background; returns its id. */
  start(policyId: number, policy: Record<string, any>): number {
    const id = this.executions.size ? Math.max(...this.executions.keys()) + 1 : 1;
    const e: Execution = {
      id,
      policy_id: policyId,
      status: 'InProgress',
      status_text: '',
      trigger: 'manual',
      start_time: now(),
      tasks: [],
      stopRequested: false,
    };
    if (this.nextFlap) {
      e.flap = { ...this.nextFlap };
      this.nextFlap = undefined;
    }
    this.executions.set(id, e);
    const job = this.run(e, policy).finally(() => this.running.delete(job));
    this.running.add(job);
    return id;
  }

  /** Stops after the task in flight; the remaining tasks end Stopped. */
  stop(e: Execution): void {
    if (e.status === 'InProgress') e.stopRequested = true;
  }

  async shutdown(): Promise<void> {
    for (const e of this.executions.values()) e.stopRequested = true;
    await Promise.allSettled([...this.running]);
  }

  /** ReplicationExecution; `observe` counts the read against a flap. */
  json(e: Execution, observe = false): Record<string, unknown> {
    let status: string = e.status;
    if (e.flap && e.status === 'Succeed') {
      const byReads = e.flap.reads !== undefined && e.flap.reads > 0;
      const byTime = e.flap.until !== undefined && Date.now() < e.flap.until;
      if (byReads || byTime) {
        status = 'Failed';
        if (observe && byReads) e.flap.reads!--;
      }
    }
    const count = (s: Task['status']) => e.tasks.filter((t) => t.status === s).length;
    return {
      id: e.id,
      policy_id: e.policy_id,
      status,
      status_text: e.status_text,
      trigger: e.trigger,
      start_time: e.start_time,
      ...(e.end_time ? { end_time: e.end_time } : {}),
      total: e.tasks.length,
      failed: count('Failed'),
      succeed: count('Succeed'),
      in_progress: count('InProgress') + count('Pending'),
      stopped: count('Stopped'),
    };
  }

  private async run(e: Execution, b: Record<string, any>): Promise<void> {
    const src = this.host.endpointFor(b.src_registry);
    const dest = this.host.endpointFor(b.dest_registry);
    const destIsLocal = !b.dest_registry?.id;
    const destName = (repository: string) =>
      replaceNamespace(repository, b.dest_namespace, b.dest_namespace_replace_count ?? -1);
    try {
      const filters: ReplicationFilter[] = b.filters ?? [];
      let artifacts = await listSourceArtifacts(src);
      const repos = new Set(filterRepositories([...new Set(artifacts.map((a) => a.repository))], filters));
      // Untagged artifacts are left out: skopeo cannot push by digest alone (Harbor would copy them by digest).
      artifacts = filterArtifacts(
        artifacts.filter((a) => repos.has(a.repository)),
        filters,
      ).filter((a) => a.tags.length > 0);
      for (const a of artifacts) {
        const dst = destName(a.repository);
        e.tasks.push({
          id: ++this.taskSeq,
          execution_id: e.id,
          status: 'Pending',
          job_id: randomUUID().replace(/-/g, '').slice(0, 24),
          operation: 'copy',
          resource_type: 'image',
          src_resource: `${a.repository}:[${a.tags.join(',')}]`,
          dst_resource: `${dst}:[${a.tags.join(',')}]`,
          log: [],
        });
      }
      const prepared = new Set<string>();
      for (let i = 0; i < artifacts.length && !e.stopRequested; i++) {
        const a = artifacts[i];
        const task = e.tasks[i];
        if (this.taskDelayMs) await new Promise((r) => setTimeout(r, this.taskDelayMs));
        if (e.stopRequested) break;
        task.status = 'InProgress';
        task.start_time = now();
        const log = (line: string) => task.log.push(`${now()} [INFO] ${line}`);
        try {
          const dst = destName(a.repository);
          const project = dst.split('/')[0];
          if (!prepared.has(project)) {
            if (destIsLocal) this.host.ensureLocalProject(project);
            else await prepareHarborProject(dest, project);
            prepared.add(project);
          }
          const injected = this.failing.find(
            (f) => f.repository === a.repository && (!f.tag || a.tags.includes(f.tag)),
          );
          if (injected)
            throw new Error(`injected failure for ${a.repository}${injected.tag ? ':' + injected.tag : ''}`);
          await copyArtifact(src, dest, a.repository, dst, a.tags, log);
          task.status = 'Succeed';
          log('the replication task completed');
        } catch (err) {
          task.status = 'Failed';
          task.log.push(`${now()} [ERROR] ${err instanceof Error ? err.message : String(err)}`);
        }
        task.end_time = now();
      }
      if (e.stopRequested) {
        for (const t of e.tasks) if (t.status === 'Pending' || t.status === 'InProgress') t.status = 'Stopped';
        e.status = 'Stopped';
      } else {
        const failed = e.tasks.filter((t) => t.status === 'Failed').length;
        e.status = failed ? 'Failed' : 'Succeed';
        if (failed) e.status_text = `${failed} of ${e.tasks.length} tasks failed`;
      }
    } catch (err) {
      e.status = 'Failed';
      e.status_text = err instanceof Error ? err.message : String(err);
    }
    e.end_time = now();
    if (e.flap?.ms) e.flap.until = Date.now() + e.flap.ms;
  }
}
