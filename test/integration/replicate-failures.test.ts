import * as net from 'node:net';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { harborAccess, seedImage } from '../sandbox/seed';
import { harborInputs, runReplicate } from './replicate-setup';

// Tasks that fail, executions that outlast the timeout, Harbor statuses that contradict their tasks.
let harbor: HarborEmulator;
let target: RegistryHandle;

beforeAll(async () => {
  [harbor, target] = await Promise.all([
    // Each task waits before it copies, so a short timeout catches the execution in progress. A failed task is run
    // again only after the step has listed the tasks twice, so the step surely sees every Failed run.
    startHarborEmulator({
      projects: [{ name: 'app' }],
      replicationTaskDelayMs: 400,
      replicationTimings: { retryAfterTaskReads: 2 },
    }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  await seedImage(harborAccess(harbor), 'app/web', '1.0');
  await seedImage(harborAccess(harbor), 'app/api', '1.0');
});

afterAll(async () => {
  await harbor?.stop();
  await target?.stop();
});

const endpoint = () => ({
  'registry-name': 'replica',
  'registry-type': 'docker-registry',
  'registry-url': target.url,
  'registry-username': target.users[0].username,
  'registry-password': target.users[0].password,
});

describe('replicate failures', () => {
  it('a task that fails in all three runs fails the step with the task table and that task log tail', async () => {
    harbor.failReplicationOf({ repository: 'app/api' });
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...endpoint(),
      'policy-name': 'fail-one',
      direction: 'push',
      'name-filter': 'app/**',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Replication execution \d+ failed: 1 of 2 task\(s\) failed \(first: app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\], failed after 3 attempts\)/,
    );
    // One task per repository, as Harbor's copy flow creates them.
    const table = p.messages('info').find((m) => m.startsWith('Resource'));
    expect(table).toMatch(
      /artifact\s+app\/web \[1 item\(s\) in total\] → app\/web \[1 item\(s\) in total\]\s+Succeed /,
    );
    expect(table).toMatch(
      /app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\]\s+Failed \(3 attempts\)/,
    );
    expect(p.messages('info').filter((m) => m.startsWith('Harbor runs task'))).toHaveLength(2);
    expect(p.messages('error').join('\n')).toMatch(
      /Task \d+ app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\] failed; its log ends:/,
    );
    // The remote log is foreign text: logged verbatim, marked so the adapters fence it.
    expect(p.logs.find((l) => l.foreign && /injected failure for app\/api/.test(l.message))).toBeDefined();
    expect(p.outputs).toMatchObject({ total: '2', succeeded: '1', failed: '1' });
    expect(p.summaries.join('\n')).toMatch(
      /\| artifact \| `app\/api \[1 item\(s\) in total\]` \| `app\/api \[1 item\(s\) in total\]` \| Failed \(3 attempts\) \|/,
    );
  });

  // `timeout` bounds the whole step, so it must leave room for the setup calls; the tasks are made slower instead.
  const slowTasks = () => {
    harbor.setReplicationTaskDelay(30_000);
    return () => harbor.setReplicationTaskDelay(400);
  };

  it('a timeout stops the execution when asked', async () => {
    const restore = slowTasks();
    const p = await runReplicate({
      ...harborInputs(harbor),
      'registry-name': 'replica',
      'policy-name': 'slow',
      direction: 'push',
      'name-filter': 'app/web',
      timeout: '8s',
      'stop-on-timeout': 'true',
    }).finally(restore);
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Replication execution (\d+) did not finish within 8s \(0 of 1 tasks done\); it was stopped$/,
    );
    const stops = harbor.requests({ method: 'PUT', path: /\/replication\/executions\/\d+$/ });
    expect(stops).toHaveLength(1);
    expect(stops[0].path).toBe(`/api/v2.0/replication/executions/${p.outputs['execution-id']}`);
    // The task never ran: Harbor shows its start as the zero time, which is no duration.
    expect(p.summaries.join('\n')).toContain(
      '| artifact | `app/web [1 item(s) in total]` | `app/web [1 item(s) in total]` | Pending |  |',
    );
  });

  it('a timeout without stop-on-timeout leaves the execution running', async () => {
    harbor.clearRequests();
    const restore = slowTasks();
    const p = await runReplicate({ ...harborInputs(harbor), 'policy-name': 'slow', timeout: '8s' }).finally(restore);
    expect(p.result?.message).toMatch(/it goes on in Harbor \(set 'stop-on-timeout' to stop it\)$/);
    expect(harbor.requests({ method: 'PUT', path: /\/replication\/executions\// })).toHaveLength(0);
  });

  it("single active replication: a run while another execution of the policy is running ends Failed at once, with Harbor's reason", async () => {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${harbor.url}/api/v2.0${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64')}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return res;
    };
    const inputs = { ...harborInputs(harbor), 'registry-name': 'replica', 'policy-name': 'single', direction: 'push' };
    const created = await runReplicate({ ...inputs, 'name-filter': 'app/web', run: 'false' });
    expect(created.result?.result).toBe('succeeded');
    const id = created.outputs['policy-id'];
    const stored = (await (await api('GET', `/replication/policies/${id}`)).json()) as Record<string, unknown>;
    expect(
      (await api('PUT', `/replication/policies/${id}`, { ...stored, single_active_replication: true })).status,
    ).toBe(200);
    const restore = slowTasks();
    const running = await api('POST', '/replication/executions', { policy_id: Number(id) });
    try {
      const p = await runReplicate({ ...harborInputs(harbor), 'policy-name': 'single', timeout: '20s' });
      expect(p.result).toEqual({
        result: 'failed',
        message: `Replication execution ${p.outputs['execution-id']} ended Failed: Execution skipped: active replication still in progress.`,
      });
      expect(p.outputs).toMatchObject({ total: '0', succeeded: '0', failed: '0' });
    } finally {
      restore();
      await api('PUT', running.headers.get('location')!.replace('/api/v2.0', ''));
    }
  });

  it('a task that fails once is run again by Harbor: the step waits through the Failed status and succeeds', async () => {
    // A repository of its own: an execution left running by the timeout cases above must not consume the failure.
    await seedImage(harborAccess(harbor), 'app/retry', '1.0');
    harbor.failReplicationOf({ repository: 'app/retry', times: 1 });
    // The execution's status is refreshed only every third read, so it still says Failed after the retry succeeded.
    harbor.setReplicationTimings({ statusRefreshAfterReads: 3 });
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...endpoint(),
      'policy-name': 'retried',
      direction: 'push',
      'name-filter': 'app/retry',
    }).finally(() => harbor.setReplicationTimings({ statusRefreshAfterReads: 0 }));
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1', failed: '0' });
    expect(p.messages('info')).toContainEqual(
      expect.stringMatching(/^Harbor runs task \d+ \(app\/retry \[1 item\(s\) in total\]\) again: attempt 2 of 3$/),
    );
    expect(p.messages('info').find((m) => m.startsWith('Resource'))).toMatch(/Succeed \(attempt 2\)/);
    expect(p.messages('info')).toContainEqual(
      expect.stringMatching(/^Replication execution \d+ succeeded: 1 of 1 task\(s\) \(1 after Harbor retried them\)$/),
    );
    // The step saw the task Failed before its re-run (the emulator holds the retry until then).
    expect(p.messages('info')).toContainEqual(
      expect.stringMatching(/^Execution \d+: \w+, 1\/1 task\(s\) done \(0 succeeded, 1 failed/),
    );
  });

  it('a pull that matches nothing succeeds with issues and hints at Docker Hub library/', async () => {
    // The emulator copies from any Distribution registry whatever type it is told; the hint depends only on the type.
    const p = await runReplicate({
      ...harborInputs(harbor),
      'registry-name': 'hub',
      'registry-type': 'docker-hub',
      'registry-url': target.url,
      'registry-username': target.users[0].username,
      'registry-password': target.users[0].password,
      'policy-name': 'hub-nginx',
      direction: 'pull',
      'name-filter': 'nginx',
    });
    expect(p.messages('warning')).toContain(
      "'name-filter' 'nginx' has no namespace: Docker Hub official images live under library/, e.g. 'library/nginx'",
    );
    expect(p.result?.result).toBe('succeeded-with-issues');
    expect(p.messages('warning').join('\n')).toMatch(
      /copied nothing: the policy's filters matched no artifact; Docker Hub official images need the library\/ prefix: try 'library\/nginx'/,
    );
  });

  it('an unreachable Harbor fails fast with one line naming host and port, no password printed', async () => {
    const port = await closedPort();
    const started = Date.now();
    const p = await runReplicate({
      'harbor-url': `http://127.0.0.1:${port}`,
      username: 'admin',
      password: 'S3cret-never-shown',
      'policy-name': 'x',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toBe(
      `GET http://127.0.0.1:${port}/api/v2.0/replication/policies?q=name%3Dx&page=1&page_size=100 failed: cannot connect to 127.0.0.1:${port} (connection refused)`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(p.transcript).not.toContain('S3cret-never-shown');
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
