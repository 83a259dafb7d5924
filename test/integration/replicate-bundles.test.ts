import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { runActionBundle, runTaskBundle } from '../support/bundles';
import { harborAccess, registryAccess, seedImage } from '../sandbox/seed';

// The shipped bundles (actions/replicate/dist, tasks/HarborReplicate/dist) as the runners start them, node_modules out
// of reach, against the emulator and a real registry.
let harbor: HarborEmulator;
let target: RegistryHandle;
let digest: string;

beforeAll(async () => {
  [harbor, target] = await Promise.all([
    // A failed task runs again once the step has listed the tasks after the failure, so the step sees every run.
    startHarborEmulator({ projects: [{ name: 'app' }], replicationTimings: { retryAfterTaskReads: 1 } }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  digest = await seedImage(harborAccess(harbor), 'app/web', '1.0');
  await seedImage(harborAccess(harbor), 'app/api', '1.0');
});

afterAll(async () => {
  await harbor?.stop();
  await target?.stop();
});

describe('replicate bundles', () => {
  it('Azure DevOps task: Harbor from the service connection, outputs as task variables, the copy really happens', async () => {
    const run = await runTaskBundle(
      'HarborReplicate',
      {
        harborConnection: 'harbor-conn',
        registryName: 'acr',
        registryType: 'azure-acr',
        registryUrl: target.url,
        registryUsername: target.users[0].username,
        registryPassword: target.users[0].password,
        policyName: 'ado-push',
        direction: 'push',
        nameFilter: 'app/web',
        trigger: 'scheduled',
        cron: '0 30 2 * * *',
      },
      {
        endpoints: {
          'harbor-conn': {
            url: harbor.url,
            scheme: 'UsernamePassword',
            parameters: { username: harbor.admin.username, password: harbor.admin.password },
            data: { acceptUntrustedCerts: 'false' },
          },
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ total: '1', succeeded: '1', failed: '0' });
    expect(Number(run.outputs.policyId)).toBeGreaterThan(0);
    // cron-parser runs inside the bundle: the next run is computed, not just echoed.
    expect(run.stdout).toMatch(/Scheduled '0 30 2 \* \* \*'; next run \d{4}-\d\d-\d\dT02:30:00\.000Z/);
    expect(run.summary).toContain(
      '| artifact | `app/web [1 item(s) in total]` | `app/web [1 item(s) in total]` | Succeed |',
    );
    expect(await skopeoDigest(`docker://${target.host}/app/web:1.0`, registryAccess(target))).toBe(digest);
    expect(run.displayed).not.toContain(harbor.admin.password);
    expect(run.displayed).not.toContain(target.users[0].password);
  });

  it('GitHub action: a failed task fails the step with one error line, the table and the task log', async () => {
    harbor.failReplicationOf({ repository: 'app/api' });
    const run = await runActionBundle('replicate', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': 'acr',
      'policy-name': 'gh-push',
      direction: 'push',
      'name-filter': 'app/*',
    });
    expect(run.code).not.toBe(0);
    expect(run.displayed).toMatch(
      /^::error::Replication execution \d+ failed: 1 of 2 task\(s\) failed \(first: app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\], failed after 3 attempts\); see the task table and logs above$/m,
    );
    expect(run.displayed).toMatch(
      /app\/api \[1 item\(s\) in total\] → app\/api \[1 item\(s\) in total\]\s+Failed \(3 attempts\)/,
    );
    expect(run.displayed).toContain('injected failure for app/api');
    expect(run.outputs).toMatchObject({ total: '2', succeeded: '1', failed: '1' });
    expect(run.summary).toMatch(
      /\| artifact \| `app\/api \[1 item\(s\) in total\]` \| `app\/api \[1 item\(s\) in total\]` \| Failed \(3 attempts\) \|/,
    );
    expect(run.displayed).not.toContain(harbor.admin.password);
  }, 120_000);

  it('GitHub action: a bad input fails with one line naming it, before Harbor is called', async () => {
    harbor.clearRequests();
    const run = await runActionBundle('replicate', {
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'policy-name': 'nightly',
      trigger: 'scheduled',
      cron: '0 2 * * *',
    });
    expect(run.code).not.toBe(0);
    expect(run.displayed).toContain(
      "::error::Input 'cron' has 5 fields; Harbor's cron has 6 with seconds first: use '0 0 2 * * *' (got '0 2 * * *')",
    );
    expect(harbor.requests({ path: /^\/api\// })).toHaveLength(0);
  });
});
