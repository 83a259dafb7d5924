import { HarborClient } from '../../shared/harbor/client';
import { RemoteError } from '../../shared/remote-error';
import { idFromLocation, registryChanges, replicationScope } from '../../shared/harbor/registries';
import {
  buildPolicy,
  directionOf,
  policyChanges,
  waitForExecution,
  type ReplicationExecution,
  type ReplicationPolicy,
  type ReplicationTask,
} from '../../shared/harbor/replication';
import { logTail, summaryMarkdown, taskRows, taskTableText } from '../../shared/capabilities/replicate/report';
import { formatDuration, MAX_SUMMARY_ROWS } from '../../shared/util/report-text';

/** A policy as Harbor's GET returns it: the local side is registry 0 "Local". */
const stored: ReplicationPolicy = {
  id: 4,
  name: 'to-acr',
  description: 'kept',
  src_registry: { id: 0, name: 'Local' },
  dest_registry: { id: 2, name: 'acr', type: 'azure-acr' },
  dest_namespace: '',
  dest_namespace_replace_count: -1,
  trigger: { type: 'manual', trigger_settings: { cron: '' } },
  filters: [
    { type: 'name', value: 'app/**' },
    { type: 'tag', value: 'v*', decoration: 'matches' },
    { type: 'label', value: ['prod'], decoration: 'excludes' },
  ],
  replicate_deletion: false,
  deletion: false,
  override: true,
  enabled: true,
  // Harbor stores "unlimited" as 0, whatever negative value was sent (src/server/v2.0/handler/replication.go).
  speed: 0,
  copy_by_chunk: false,
};

describe('replication policy diff', () => {
  it('nothing given, nothing differs', () => {
    expect(policyChanges(stored, {})).toEqual([]);
  });

  it('the same values as stored are no change', () => {
    expect(
      policyChanges(stored, {
        direction: 'push',
        registry: { id: 2, name: 'acr' },
        nameFilter: 'app/**',
        tagMatch: 'matches',
        override: true,
        speed: -1,
        replaceCount: -1,
      }),
    ).toEqual([]);
  });

  it('lists each differing field as from → to', () => {
    expect(
      policyChanges(stored, {
        nameFilter: 'app/web',
        tagMatch: 'excludes',
        speed: 1024,
        replaceCount: 1,
        registry: { id: 5, name: 'acr-2' },
      }),
    ).toEqual([
      { field: 'registry endpoint', from: 'acr', to: 'acr-2' },
      { field: 'name filter', from: 'app/**', to: 'app/web' },
      { field: 'tag match', from: 'matches', to: 'excludes' },
      { field: 'flattening', from: 'all', to: '1' },
      { field: 'speed', from: '0', to: '1024' },
    ]);
  });

  it('a cron counts only for a scheduled trigger', () => {
    expect(policyChanges(stored, { trigger: 'scheduled', cron: '0 0 2 * * *' })).toEqual([
      { field: 'trigger', from: 'manual', to: 'scheduled' },
      { field: 'cron', from: '(none)', to: '0 0 2 * * *' },
    ]);
  });

  it('the update keeps every field not given, including the label decoration and description', () => {
    const body = buildPolicy('to-acr', { tagFilter: 'v2*' }, stored);
    expect(body).toMatchObject({
      id: 4,
      description: 'kept',
      src_registry: { id: 0 },
      dest_registry: { id: 2 },
      override: true,
      enabled: true,
      dest_namespace_replace_count: -1,
    });
    expect(body.filters).toEqual([
      { type: 'name', value: 'app/**' },
      { type: 'tag', value: 'v2*', decoration: 'matches' },
      { type: 'label', value: ['prod'], decoration: 'excludes' },
    ]);
  });

  it('switching direction swaps the sides', () => {
    const body = buildPolicy('to-acr', { direction: 'pull' }, stored);
    expect(body.src_registry).toEqual({ id: 2 });
    expect(body.dest_registry).toEqual({ id: 0 });
    expect(directionOf(body)).toBe('pull');
  });

  it('an update carries over single active replication, which the pack does not manage (PUT replaces the whole policy)', () => {
    const body = buildPolicy(
      'to-acr',
      { nameFilter: 'app/web', speed: -1 },
      { ...stored, single_active_replication: true },
    );
    expect(body).toMatchObject({ single_active_replication: true, speed: 0 });
  });

  it('a new policy gets Harbor UI defaults and both deletion fields', () => {
    const body = buildPolicy('new', { direction: 'push', registry: { id: 9, name: 'r' }, deletion: true });
    expect(body).toMatchObject({
      override: true,
      enabled: true,
      speed: 0,
      copy_by_chunk: false,
      replicate_deletion: true,
      deletion: true,
      filters: [],
    });
    expect(body).not.toHaveProperty('single_active_replication');
    expect(body).not.toHaveProperty('dest_namespace_replace_count');
    expect(body).not.toHaveProperty('id');
  });
});

describe('registry endpoints', () => {
  const existing = {
    id: 1,
    name: 'acr',
    type: 'azure-acr',
    url: 'https://a.azurecr.io/',
    insecure: false,
    credential: { access_key: 'tok', access_secret: '*****' },
  };

  it('compares everything but the secret, trailing slashes aside', () => {
    expect(
      registryChanges(existing, {
        name: 'acr',
        type: 'azure-acr',
        url: 'https://a.azurecr.io',
        username: 'tok',
        password: 'new',
      }),
    ).toEqual([]);
    expect(
      registryChanges(existing, {
        name: 'acr',
        type: 'azure-acr',
        url: 'https://b.azurecr.io',
        username: 'tok2',
        insecure: true,
      }),
    ).toEqual([
      "url: 'https://a.azurecr.io' → 'https://b.azurecr.io'",
      'insecure: false → true',
      "username: 'tok' → 'tok2'",
    ]);
  });

  it('refuses a type change, which Harbor cannot do', () => {
    expect(() => registryChanges(existing, { name: 'acr', type: 'harbor', url: existing.url })).toThrow(
      "exists with type 'azure-acr', not 'harbor'",
    );
  });

  it('reads ids from Location headers', () => {
    expect(idFromLocation('/api/v2.0/replication/executions/42')).toBe(42);
    expect(idFromLocation('https://h/api/v2.0/registries/7/')).toBe(7);
    expect(idFromLocation(undefined)).toBeUndefined();
  });

  it('explains a 403 on replication APIs, naming project robots without guessing from the name', async () => {
    const denied = () =>
      Promise.reject(
        new RemoteError({
          service: 'Harbor',
          operation: 'listing registry endpoints',
          status: 403,
          code: 'FORBIDDEN',
          account: 'robot$app+ci',
        }),
      );
    await expect(replicationScope(denied)).rejects.toThrow(
      'Harbor denied listing registry endpoints for robot$app+ci (403: FORBIDDEN); registry endpoints and replication are system-level APIs, which a project robot account can never use; use a Harbor administrator or a system robot account with the registry and replication permissions',
    );
    const other = () =>
      Promise.reject(new RemoteError({ service: 'Harbor', operation: 'x', status: 404, remoteMessage: 'nope' }));
    await expect(replicationScope(other)).rejects.toThrow('Harbor x failed with 404: nope');
  });
});

/** Scripted Harbor answers for the poller: one execution state per GET, tasks alongside. */
function scriptedHarbor(
  states: Array<{ execution: Partial<ReplicationExecution>; tasks: Array<Partial<ReplicationTask>> }>,
) {
  let i = -1;
  const calls: string[] = [];
  const harbor = {
    username: 'admin',
    json: async (_method: string, path: string) => {
      calls.push(path);
      i = Math.min(i + 1, states.length - 1);
      return { id: 1, total: 0, failed: 0, succeed: 0, in_progress: 0, stopped: 0, ...states[i].execution };
    },
    list: async (path: string) => {
      calls.push(path);
      return states[i].tasks;
    },
  } as unknown as HarborClient;
  return { harbor, calls };
}

describe('waiting for an execution', () => {
  function clock() {
    let t = 0;
    const sleeps: number[] = [];
    return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
  }

  it('re-polls a Failed that arrives while tasks are in progress, with capped backoff', async () => {
    const running = { status: 'InProgress', total: 2, in_progress: 2 };
    const { harbor } = scriptedHarbor([
      { execution: running, tasks: [] },
      { execution: running, tasks: [] },
      { execution: running, tasks: [] },
      {
        execution: { status: 'Failed', total: 2, failed: 1, in_progress: 1 },
        tasks: [
          { id: 1, status: 'Failed', start_time: 'r3' },
          { id: 2, status: 'InProgress' },
        ],
      },
      {
        execution: { status: 'Failed', total: 2, failed: 1, succeed: 1 },
        tasks: [
          { id: 1, status: 'Failed', start_time: 'r3' },
          { id: 2, status: 'Succeed' },
        ],
      },
    ]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 60_000,
      initialIntervalMs: 1000,
      maxIntervalMs: 2000,
      retryWindowMs: 5000,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result.timedOut).toBe(false);
    expect(result.execution).toMatchObject({ status: 'Failed', succeed: 1, failed: 1 });
    // The Failed task is watched for Harbor's re-run for retryWindowMs after it was first seen Failed (at 4.5 s).
    expect(c.sleeps).toEqual([1000, 1500, 2000, 2000, 2000, 2000]);
  });

  it('does not end on a Failed task while Harbor may run it again: a retry that succeeds ends Succeed', async () => {
    const { harbor } = scriptedHarbor([
      // Run 1 failed; the execution status was refreshed meanwhile and reads Failed.
      {
        execution: { status: 'Failed', total: 2, failed: 1, succeed: 1 },
        tasks: [
          { id: 1, status: 'Failed', start_time: 't1' },
          { id: 2, status: 'Succeed', start_time: 't0' },
        ],
      },
      {
        execution: { status: 'Failed', total: 2, failed: 1, succeed: 1 },
        tasks: [
          { id: 1, status: 'Failed', start_time: 't1' },
          { id: 2, status: 'Succeed', start_time: 't0' },
        ],
      },
      // Run 2: InProgress again with a new start time, then Succeed; the execution status lags one read.
      { execution: { status: 'InProgress', total: 2, succeed: 1, in_progress: 1 }, tasks: [] },
      {
        execution: { status: 'Failed', total: 2, succeed: 2 },
        tasks: [
          { id: 1, status: 'Succeed', start_time: 't2' },
          { id: 2, status: 'Succeed', start_time: 't0' },
        ],
      },
      {
        execution: { status: 'Succeed', total: 2, succeed: 2 },
        tasks: [
          { id: 1, status: 'Succeed', start_time: 't2' },
          { id: 2, status: 'Succeed', start_time: 't0' },
        ],
      },
    ]);
    const c = clock();
    const retried: number[] = [];
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 600_000,
      initialIntervalMs: 1000,
      maxIntervalMs: 1000,
      now: c.now,
      sleep: c.sleep,
      onRetry: (t, attempt) => retried.push(t.id, attempt),
    });
    expect(result).toMatchObject({ timedOut: false, execution: { status: 'Succeed' }, retrying: [] });
    expect(result.attempts.get(1)).toBe(2);
    expect(retried).toEqual([1, 2]);
  });

  it('a task seen failing in three runs is final at once; one not re-run is final after the retry window', async () => {
    const failed = (start: string) => ({
      execution: { status: 'Failed', total: 1, failed: 1 },
      tasks: [{ id: 7, status: 'Failed', start_time: start }],
    });
    const three = scriptedHarbor([failed('t1'), failed('t2'), failed('t3')]);
    const c = clock();
    const result = await waitForExecution(three.harbor, 1, {
      timeoutMs: 600_000,
      initialIntervalMs: 1000,
      maxIntervalMs: 1000,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result).toMatchObject({ timedOut: false, retrying: [] });
    expect(result.attempts.get(7)).toBe(3);
    expect(c.sleeps).toEqual([1000, 1000]);

    const once = scriptedHarbor([failed('t1')]);
    const c2 = clock();
    const r2 = await waitForExecution(once.harbor, 1, {
      timeoutMs: 600_000,
      initialIntervalMs: 10_000,
      maxIntervalMs: 10_000,
      now: c2.now,
      sleep: c2.sleep,
    });
    expect(r2.attempts.get(7)).toBe(1);
    // Harbor's longest backoff (118 s after the second failure) plus slack: 150 s.
    expect(c2.now()).toBe(150_000);
  });

  it('at the timeout, reports the failed tasks Harbor may still retry', async () => {
    const { harbor } = scriptedHarbor([
      { execution: { status: 'Failed', total: 1, failed: 1 }, tasks: [{ id: 7, status: 'Failed', start_time: 't1' }] },
    ]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 30_000,
      initialIntervalMs: 10_000,
      maxIntervalMs: 10_000,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result.timedOut).toBe(true);
    expect(result.retrying.map((t) => t.id)).toEqual([7]);
  });

  it('waits for the task list to agree with a final execution', async () => {
    const { harbor } = scriptedHarbor([
      { execution: { status: 'Succeed', total: 1, succeed: 1 }, tasks: [{ status: 'InProgress' }] },
      { execution: { status: 'Succeed', total: 1, succeed: 1 }, tasks: [{ status: 'Succeed' }] },
    ]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 60_000,
      initialIntervalMs: 10,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result.tasks).toEqual([{ status: 'Succeed' }]);
    expect(c.sleeps).toHaveLength(1);
  });

  it('accepts a contradicting status once the settle time has passed', async () => {
    const { harbor } = scriptedHarbor([
      { execution: { status: 'Failed', total: 1, succeed: 1 }, tasks: [{ status: 'Succeed' }] },
    ]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 60_000,
      initialIntervalMs: 1000,
      maxIntervalMs: 1000,
      settleMs: 3000,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result).toMatchObject({ timedOut: false, execution: { status: 'Failed' } });
    expect(c.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('a Failed execution without tasks is final at once (the source could not be listed)', async () => {
    const { harbor } = scriptedHarbor([{ execution: { status: 'Failed', status_text: 'list failed' }, tasks: [] }]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, { timeoutMs: 60_000, now: c.now, sleep: c.sleep });
    expect(result.execution.status_text).toBe('list failed');
    expect(c.sleeps).toEqual([]);
  });

  it('stops polling at the timeout, never sleeping past it', async () => {
    const { harbor } = scriptedHarbor([
      { execution: { status: 'InProgress', total: 1, in_progress: 1 }, tasks: [{ status: 'InProgress' }] },
    ]);
    const c = clock();
    const result = await waitForExecution(harbor, 1, {
      timeoutMs: 2500,
      initialIntervalMs: 1000,
      now: c.now,
      sleep: c.sleep,
    });
    expect(result.timedOut).toBe(true);
    expect(c.sleeps).toEqual([1000, 1500]);
  });
});

describe('task report', () => {
  const tasks: ReplicationTask[] = [
    {
      id: 1,
      status: 'Succeed',
      resource_type: 'image',
      operation: 'copy',
      src_resource: 'app/web [1 item(s) in total]',
      dst_resource: 'app/web [1 item(s) in total]',
      start_time: '2026-01-01T00:00:00Z',
      end_time: '2026-01-01T00:01:05Z',
    },
    {
      id: 2,
      status: 'Failed',
      resource_type: 'image',
      operation: 'deletion',
      src_resource: 'a|b',
      dst_resource: 'x',
      start_time: '2026-01-01T00:00:00Z',
      end_time: '0001-01-01T00:00:00Z',
    },
  ];

  it('durations read like a person would write them; unfinished tasks have none', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:12Z')).toBe('12s');
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T01:02:03Z')).toBe('1h02m');
    expect(taskRows(tasks).map((r) => r.duration)).toEqual(['1m05s', '']);
  });

  it('aligns the log table and names non-copy operations', () => {
    expect(taskTableText(taskRows(tasks)).split('\n')).toEqual([
      'Resource        Source → Destination                                         Status   Duration',
      '--------------  -----------------------------------------------------------  -------  --------',
      'image           app/web [1 item(s) in total] → app/web [1 item(s) in total]  Succeed  1m05s',
      'image deletion  a|b → x                                                      Failed',
    ]);
  });

  it("shows the runs Harbor gave a task when they are known: a failure's count, a success after a retry", () => {
    const rows = taskRows(
      tasks,
      new Map([
        [1, 2],
        [2, 3],
      ]),
    );
    expect(rows.map((r) => r.status)).toEqual(['Succeed (attempt 2)', 'Failed (3 attempts)']);
    expect(
      taskRows(
        tasks,
        new Map([
          [1, 1],
          [2, 1],
        ]),
      ).map((r) => r.status),
    ).toEqual(['Succeed', 'Failed (1 attempt)']);
  });

  it('a huge execution keeps the summary bounded, failed tasks first', () => {
    const many: ReplicationTask[] = Array.from({ length: 500 }, (_, i) => ({
      id: i,
      status: i === 499 ? 'Failed' : 'Succeed',
      src_resource: `r${i}`,
      dst_resource: `r${i}`,
    }));
    const text = summaryMarkdown({
      policyName: 'p',
      policyId: 1,
      direction: 'push',
      remote: 'acr',
      rows: taskRows(many),
    });
    const rows = text.split('\n').filter((l) => l.startsWith('| artifact'));
    expect(rows).toHaveLength(MAX_SUMMARY_ROWS);
    expect(rows[0]).toBe('| artifact | `r499` | `r499` | Failed |  |');
    expect(text).toContain('300 more task(s) succeeded; the step log lists them all.');
  });

  it('keeps the last lines of a log', () => {
    expect(logTail('a\nb\nc\n', 2)).toBe('b\nc');
  });
});
