import { removeAllTempDirs, trackedPids } from '../sandbox/child-processes';
import { authHeader, HarborEmulator } from '../sandbox/harbor-emulator';
import { doublestarMatch, filterArtifacts, filterRepositories, replaceNamespace } from '../sandbox/harbor-replication';
import { useContractCheck } from '../sandbox/jest-helpers';
import { ImageLayout, makeImage } from '../sandbox/make-image';
import { request, sleep } from '../sandbox/net-utils';
import { Sandbox, startSandbox } from '../sandbox/sandbox';
import { skopeoCopy, skopeoDigest } from '../sandbox/skopeo';

describe('Harbor replication rules as the emulator applies them', () => {
  test.each([
    ['library/**', 'library/a/b', true],
    ['library/*', 'library/a/b', false],
    ['library/*', 'library/a', true],
    ['{library,team}/*', 'team/app', true],
    ['{library,team}/*', 'other/app', false],
    ['v1.?', 'v1.2', true],
    ['*', '', true],
    ['v*', '', false],
  ])('doublestar %s against %j is %s', (pattern, value, expected) => {
    expect(doublestarMatch(pattern, value)).toBe(expected);
  });

  test('replaceNamespace follows stage.go (the table in its comment)', () => {
    expect(replaceNamespace('a/b/c/image', 'n', -1)).toBe('n/image');
    expect(replaceNamespace('a/b/c/image', 'n', 0)).toBe('n/a/b/c/image');
    expect(replaceNamespace('a/b/c/image', 'n', 1)).toBe('n/b/c/image');
    expect(replaceNamespace('a/b/c/image', 'n', 2)).toBe('n/c/image');
    expect(replaceNamespace('a/b/c/image', 'n', 3)).toBe('n/image');
    expect(() => replaceNamespace('a/b/c/image', 'n', 4)).toThrow(/flattening level is 4/);
    expect(replaceNamespace('a/b/c/image', '', 2)).toBe('a/b/c/image');
  });

  test('name filters narrow repositories; tag filters keep only matching tags, excludes inverts', () => {
    expect(
      filterRepositories(['library/a', 'library/x/b', 'other/c'], [{ type: 'name', value: 'library/**' }]),
    ).toEqual(['library/a', 'library/x/b']);
    expect(
      filterRepositories(['library/a', 'other/c'], [{ type: 'name', value: 'library/**', decoration: 'excludes' }]),
    ).toEqual(['other/c']);
    const arts = [
      { repository: 'r', digest: 'sha256:1', tags: ['v1', 'v1-rc'] },
      { repository: 'r', digest: 'sha256:2', tags: ['v2-rc'] },
      { repository: 'r', digest: 'sha256:3', tags: [] },
    ];
    expect(filterArtifacts(arts, [{ type: 'tag', value: '*-rc', decoration: 'excludes' }])).toEqual([
      { repository: 'r', digest: 'sha256:1', tags: ['v1'] },
      { repository: 'r', digest: 'sha256:3', tags: [] },
    ]);
    expect(filterArtifacts(arts, [{ type: 'tag', value: 'v2*', decoration: 'matches' }])).toEqual([
      { repository: 'r', digest: 'sha256:2', tags: ['v2-rc'] },
    ]);
  });
});

describe('replication executions copy real images', () => {
  let sandbox: Sandbox;
  let a: HarborEmulator;
  let b: HarborEmulator;
  let app: ImageLayout;
  let rc: ImageLayout;
  let cli: ImageLayout;
  const acrUser = { username: 'acr-token', password: 'acr-token-password' };

  const api = async (h: HarborEmulator, method: string, path: string, body?: unknown) =>
    request(`${h.url}/api/v2.0${path}`, {
      method,
      headers: { ...authHeader(h.admin), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  async function createRegistry(on: HarborEmulator, body: object): Promise<number> {
    const res = await api(on, 'POST', '/registries', body);
    expect(res.status).toBe(201);
    return Number(res.headers.location!.split('/').pop());
  }

  async function createPolicy(on: HarborEmulator, body: object): Promise<number> {
    const res = await api(on, 'POST', '/replication/policies', {
      trigger: { type: 'manual' },
      enabled: true,
      override: true,
      ...body,
    });
    expect(res.status).toBe(201);
    return Number(res.headers.location!.split('/').pop());
  }

  async function execute(on: HarborEmulator, policyId: number): Promise<number> {
    const res = await api(on, 'POST', '/replication/executions', { policy_id: policyId });
    expect(res.status).toBe(201);
    return Number(res.headers.location!.split('/').pop());
  }

  async function waitForEnd(on: HarborEmulator, id: number): Promise<any> {
    for (let i = 0; i < 400; i++) {
      const e = (await api(on, 'GET', `/replication/executions/${id}`)).json<any>();
      if (e.status !== 'InProgress') return e;
      await sleep(25);
    }
    throw new Error(`execution ${id} still InProgress`);
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    ({ harborA: a, harborB: b } = sandbox);
    app = makeImage({ tag: 'v1' });
    rc = makeImage({ tag: 'v2-rc' });
    cli = makeImage({
      tag: '1.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    const dest = { host: a.host, ...a.admin };
    await skopeoCopy(app.ref, `docker://${a.host}/library/app:v1`, { dest });
    await skopeoCopy(rc.ref, `docker://${a.host}/library/app:v2-rc`, { dest });
    await skopeoCopy(cli.ref, `docker://${a.host}/library/tools/cli:1.0`, { dest });
    expect((await api(a, 'POST', '/projects', { project_name: 'other' })).status).toBe(201);
    await skopeoCopy(app.ref, `docker://${a.host}/other/x:1`, { dest });
  }, 60000);

  afterAll(async () => {
    await sandbox?.stop();
    expect(trackedPids()).toEqual([]);
    removeAllTempDirs();
  });

  useContractCheck(() => [a, b]);

  test('push-based: A -> B with name/tag filters and a flattening namespace; skopeo sees the same digests on B', async () => {
    const bId = await createRegistry(a, {
      name: 'replica',
      type: 'harbor',
      url: b.url,
      credential: { type: 'basic', access_key: 'admin', access_secret: b.admin.password },
    });
    const policy = await createPolicy(a, {
      name: 'a-to-b',
      dest_registry: { id: bId },
      dest_namespace: 'replica',
      dest_namespace_replace_count: -1,
      filters: [
        { type: 'name', value: 'library/**' },
        { type: 'tag', value: '*-rc', decoration: 'excludes' },
      ],
    });
    const execution = await waitForEnd(a, await execute(a, policy));
    expect(execution).toMatchObject({ status: 'Succeed', total: 2, succeed: 2, failed: 0 });
    const onB = { host: b.host, ...b.admin };
    expect(await skopeoDigest(`docker://${b.host}/replica/app:v1`, onB)).toBe(app.digest);
    expect(await skopeoDigest(`docker://${b.host}/replica/cli:1.0`, onB)).toBe(cli.digest);
    await expect(skopeoDigest(`docker://${b.host}/replica/app:v2-rc`, onB)).rejects.toThrow(
      /manifest unknown|not found/i,
    );
    // Harbor's adapter created the destination project through B's API, private by default.
    expect((await api(b, 'GET', '/projects/replica')).json<any>().metadata).toEqual({ public: 'false' });
    expect(b.requests({ method: 'POST', path: /^\/api\/v2\.0\/projects$/ }).map((r) => r.status)).toEqual([201]);
  });

  test('pull-based: B pulls from the htpasswd "ACR" into a local namespace, keeping the path (replace count 0)', async () => {
    const svc = makeImage({ tag: '2.0' });
    const acr = { host: sandbox.acr.host, ...acrUser };
    await skopeoCopy(svc.ref, `docker://${sandbox.acr.host}/team/svc:2.0`, { dest: acr });
    await skopeoCopy(svc.ref, `docker://${sandbox.acr.host}/ignored/svc:2.0`, { dest: acr });
    const acrId = await createRegistry(b, {
      name: 'acr',
      type: 'azure-acr',
      url: sandbox.acr.url,
      credential: { type: 'basic', ...{ access_key: acrUser.username, access_secret: acrUser.password } },
    });
    const policy = await createPolicy(b, {
      name: 'from-acr',
      src_registry: { id: acrId },
      dest_namespace: 'mirror',
      dest_namespace_replace_count: 0,
      filters: [{ type: 'name', value: '{team,ops}/*' }],
    });
    const execution = await waitForEnd(b, await execute(b, policy));
    expect(execution).toMatchObject({ status: 'Succeed', total: 1 });
    expect(await skopeoDigest(`docker://${b.host}/mirror/team/svc:2.0`, { host: b.host, ...b.admin })).toBe(svc.digest);
    const tasks = (await api(b, 'GET', `/replication/executions/${execution.id}/tasks`)).json<any[]>();
    // From a plain registry the tasks are 'image' (the native adapter), one per repository (copy.go, stage.go).
    expect(tasks.map((t) => [t.resource_type, t.src_resource, t.dst_resource])).toEqual([
      ['image', 'team/svc [1 item(s) in total]', 'mirror/team/svc [1 item(s) in total]'],
    ]);
  });

  test('a task failing in every run is run 3 times, then fails the execution; the other task still succeeds', async () => {
    a.failReplicationOf({ repository: 'other/x' });
    const bId = await createRegistry(a, {
      name: 'replica-2',
      type: 'harbor',
      url: b.url,
      credential: { type: 'basic', access_key: 'admin', access_secret: b.admin.password },
    });
    const policy = await createPolicy(a, {
      name: 'with-failure',
      dest_registry: { id: bId },
      filters: [
        { type: 'name', value: '{other/x,library/app}' },
        { type: 'tag', value: '{v1,1}' },
      ],
    });
    const id = await execute(a, policy);
    // The execution can read Failed between the runs; the third run's error in the task log is the end.
    let failed: any;
    for (let i = 0; i < 2000 && !failed; i++) {
      const tasks = (await api(a, 'GET', `/replication/executions/${id}/tasks`)).json<any[]>();
      for (const t of tasks.filter((t) => t.status === 'Failed')) {
        const text = (await api(a, 'GET', `/replication/executions/${id}/tasks/${t.id}/log`)).text();
        if ((text.match(/\[ERROR\]/g) ?? []).length === 3) failed = t;
      }
      if (!failed) await sleep(25);
    }
    const execution = await waitForEnd(a, id);
    expect(execution).toMatchObject({ status: 'Failed', total: 2, succeed: 1, failed: 1 });
    expect(failed.src_resource).toBe('other/x [1 item(s) in total]');
    const log = await api(a, 'GET', `/replication/executions/${execution.id}/tasks/${failed.id}/log`);
    // One log across the runs, as the job's log file is (MaxFails 3 in replication.go).
    expect(log.text().match(/\[ERROR\] injected failure for other\/x/g)).toHaveLength(3);
    expect(
      (await api(a, 'GET', `/replication/executions/${execution.id}/tasks?status=Failed`)).json<any[]>(),
    ).toHaveLength(1);
  });

  test('a failed run is run again: the task reads Failed, then runs anew, and the execution status follows', async () => {
    const bId = await createRegistry(a, {
      name: 'replica-3',
      type: 'harbor',
      url: b.url,
      credential: { type: 'basic', access_key: 'admin', access_secret: b.admin.password },
    });
    const policy = await createPolicy(a, {
      name: 'retried',
      dest_registry: { id: bId },
      dest_namespace: 'retried',
      filters: [
        { type: 'name', value: 'library/app' },
        { type: 'tag', value: 'v1' },
      ],
    });
    // The re-run waits until the tasks were listed after the failure: this test reads the Failed state first.
    a.failReplicationOf({ repository: 'library/app', times: 1 });
    a.setReplicationTimings({ retryAfterTaskReads: 1 });
    try {
      const id = await execute(a, policy);
      // Between the runs Harbor's execution reads Failed: its status is recomputed from tasks whose only one failed.
      let e: any;
      for (let i = 0; i < 2000; i++) {
        e = (await api(a, 'GET', `/replication/executions/${id}`)).json<any>();
        if (e.failed === 1) break;
        await sleep(25);
      }
      expect(e).toMatchObject({ status: 'Failed', total: 1, failed: 1, in_progress: 0 });
      const [first] = (await api(a, 'GET', `/replication/executions/${id}/tasks`)).json<any[]>();
      expect(first).toMatchObject({ status: 'Failed', src_resource: 'library/app [1 item(s) in total]' });
      // ... then the task runs again with a new start time, and the execution ends Succeed.
      let end: any;
      for (let i = 0; i < 2000; i++) {
        end = (await api(a, 'GET', `/replication/executions/${id}`)).json<any>();
        if (end.status === 'Succeed') break;
        await sleep(25);
      }
      expect(end).toMatchObject({ status: 'Succeed', total: 1, succeed: 1, failed: 0 });
      const [task] = (await api(a, 'GET', `/replication/executions/${id}/tasks`)).json<any[]>();
      expect(task.id).toBe(first.id);
      expect(task.status).toBe('Succeed');
      expect(Date.parse(task.start_time)).toBeGreaterThan(Date.parse(first.start_time));
      const log = (await api(a, 'GET', `/replication/executions/${id}/tasks/${task.id}/log`)).text();
      expect(log).toMatch(/\[ERROR\] injected failure for library\/app[\s\S]*the replication task completed/);
      expect(await skopeoDigest(`docker://${b.host}/retried/app:v1`, { host: b.host, ...b.admin })).toBe(app.digest);
    } finally {
      a.setReplicationTimings({ retryAfterTaskReads: 0 });
    }
  });

  test('the execution status lags its tasks until Harbor refreshes it', async () => {
    const bId = await createRegistry(a, {
      name: 'replica-5',
      type: 'harbor',
      url: b.url,
      credential: { type: 'basic', access_key: 'admin', access_secret: b.admin.password },
    });
    const policy = await createPolicy(a, {
      name: 'lagging',
      dest_registry: { id: bId },
      dest_namespace: 'lagging',
      filters: [
        { type: 'name', value: 'library/app' },
        { type: 'tag', value: 'v1' },
      ],
    });
    // Refreshed on every fifth read here; Harbor refreshes every execution_status_refresh_interval_seconds.
    a.setReplicationTimings({ statusRefreshAfterReads: 5 });
    try {
      const id = await execute(a, policy);
      let e: any;
      for (let i = 0; i < 2000; i++) {
        const tasks = (await api(a, 'GET', `/replication/executions/${id}/tasks`)).json<any[]>();
        if (tasks[0]?.status === 'Succeed') break;
        await sleep(25);
      }
      // The counters are live at once; the status catches up only on a refresh.
      const reads: string[] = [];
      for (let i = 0; i < 5; i++) {
        e = (await api(a, 'GET', `/replication/executions/${id}`)).json<any>();
        reads.push(e.status);
      }
      expect(e).toMatchObject({ succeed: 1, in_progress: 0, status: 'Succeed' });
      expect(reads[0]).toBe('InProgress');
    } finally {
      a.setReplicationTimings({ statusRefreshAfterReads: 0 });
    }
  });

  test('PUT on a running execution stops it: pending tasks end Stopped', async () => {
    const bId = await createRegistry(a, {
      name: 'replica-4',
      type: 'harbor',
      url: b.url,
      credential: { type: 'basic', access_key: 'admin', access_secret: b.admin.password },
    });
    const policy = await createPolicy(a, {
      name: 'stoppable',
      dest_registry: { id: bId },
      dest_namespace: 'stopped',
      filters: [{ type: 'name', value: '**' }],
    });
    a.setReplicationTaskDelay(400);
    try {
      const id = await execute(a, policy);
      // Stopped once its tasks exist (a stop during the listing ends it with none, as copy.go checks before creating).
      let e: any;
      for (let i = 0; i < 2000; i++) {
        e = (await api(a, 'GET', `/replication/executions/${id}`)).json<any>();
        if (e.total >= 3) break;
        await sleep(25);
      }
      expect(e.status).toBe('InProgress');
      expect((await api(a, 'PUT', `/replication/executions/${id}`)).status).toBe(200);
      const end = await waitForEnd(a, id);
      expect(end.status).toBe('Stopped');
      expect(end.stopped).toBe(end.total);
      expect(end.total).toBeGreaterThanOrEqual(3);
      // Listed newest start first, then by id descending; the ones never run show Go's zero start and come last
      // (src/pkg/task/dao/model.go Task.GetDefaultSorts).
      const tasks = (await api(a, 'GET', `/replication/executions/${id}/tasks`)).json<any[]>();
      const expected = [...tasks].sort((x, y) => y.start_time.localeCompare(x.start_time) || y.id - x.id);
      expect(tasks.map((t) => t.id)).toEqual(expected.map((t) => t.id));
      expect(tasks.filter((t) => t.start_time === '0001-01-01T00:00:00.000Z').length).toBeGreaterThanOrEqual(2);
    } finally {
      a.setReplicationTaskDelay(0);
    }
  });
});
