/**
 * A hostile Harbor (stand-ins/hostile-harbor.ts: the real emulator behind a proxy that plants runner commands in the
 * scanner's job log, replication task logs, status texts, messages and report fields) against the BUNDLED steps on
 * both platforms, in runs the hostile suite cannot hold (it needs a failure with exactly one error line):
 * - a gate that continues past a failed scan (on-scan-error: warn): the step succeeds with issues, and the planted
 *   `::stop-commands::` in the scanner log does not swallow the step's own warning, outputs or result;
 * - a replication whose task fails: the task's log (planted) is shown, and the step's own error still counts.
 * Each run must show the planted text (neutralised), so a step that stopped logging it could not pass unnoticed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHeader, startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { runActionBundle, runTaskBundle, type BundleRun } from '../support/bundles';
import { azureDevOpsCommands, gitHubCommands } from '../support/runner-commands';
import { harborAccess, seedImage } from '../sandbox/seed';
import { PLANTED } from './cases';
import { honouredForeignCommands, type PlatformName } from './judge';
import { startHostileHarbor, type HostileHarbor } from './stand-ins/hostile-harbor';

jest.setTimeout(120_000);

const PASSWORD = 'Hostile-Harbor-Adm1n-2291';
let harbor: HarborEmulator;
let target: RegistryHandle;
let proxy: HostileHarbor;
const workspaces: string[] = [];

beforeAll(async () => {
  [harbor, target] = await Promise.all([
    startHarborEmulator({
      adminPassword: PASSWORD,
      projects: [{ name: 'app' }],
      // A failed task runs again once the step has listed the tasks after the failure (as in replicate-bundles).
      replicationTimings: { retryAfterTaskReads: 1 },
      scanTimings: { queuedMs: 0, pendingMs: 0, runningMs: 0 },
    }),
    startRegistry({ auth: 'none' }),
  ]);
  harbor.setScanFixture('app/broken', { trivy: 'debian-buster.json', outcome: 'Error' });
  await seedImage(harborAccess(harbor), 'app/broken', 'v1');
  await seedImage(harborAccess(harbor), 'app/ok', 'v1');
  await seedImage(harborAccess(harbor), 'app/failing', 'v1');
  const res = await fetch(`${harbor.url}/api/v2.0/projects/app/repositories/broken/artifacts/v1/scan`, {
    method: 'POST',
    headers: authHeader(harbor.admin),
  });
  expect(res.status).toBe(202);
  proxy = await startHostileHarbor(harbor.url, PLANTED);
});

afterAll(async () => {
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
  await proxy?.close();
  await target?.stop();
  await harbor?.stop();
});

const TASKS = { 'trivy-gate': 'HarborTrivyGate', replicate: 'HarborReplicate' } as const;

/** One bundled step against the hostile Harbor, its connection given as each platform gives it. */
async function run(step: keyof typeof TASKS, platform: PlatformName, inputs: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'hostile-harbor-'));
  workspaces.push(cwd);
  if (platform === 'github') {
    return runActionBundle(
      step,
      { 'harbor-url': proxy.url, username: 'admin', password: PASSWORD, ...inputs },
      { cwd },
    );
  }
  const camel = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
  return runTaskBundle(
    TASKS[step],
    { harborConnection: 'harbor-conn', ...camel },
    {
      cwd,
      endpoints: {
        'harbor-conn': {
          url: proxy.url,
          scheme: 'UsernamePassword',
          parameters: { username: 'admin', password: PASSWORD },
        },
      },
    },
  );
}

/** The step's own messages of one kind, as the runner honours them (planted ones are judged apart). */
function ours(run: BundleRun, platform: PlatformName, kind: 'error' | 'warning'): string[] {
  if (platform === 'github')
    return gitHubCommands(run.stdout)
      .filter((c) => c.name === kind)
      .map((c) => c.data);
  return azureDevOpsCommands(run.stdout)
    .commands.filter((c) => c.name === 'task.issue' && c.properties.type === kind)
    .map((c) => c.data);
}

function completion(run: BundleRun): string[] {
  return azureDevOpsCommands(run.stdout)
    .commands.filter((c) => c.name === 'task.complete')
    .map((c) => c.properties.result);
}

describe.each(['github', 'azure-devops'] as const)('%s', (platform) => {
  it('a failed scan whose log plants commands, with on-scan-error warn: succeeds with issues, its own warning and outputs intact', async () => {
    const before = proxy.planted.length;
    const r = await run('trivy-gate', platform, {
      project: 'app',
      repository: 'broken',
      reference: 'v1',
      scan: 'never',
      'on-scan-error': 'warn',
    });
    const context = `\n${r.stdout}\n${r.stderr}`;
    expect({ code: r.code, context }).toEqual({ code: 0, context });
    expect(proxy.planted.slice(before)).toContainEqual(expect.stringMatching(/\/scan\/[^/]+\/log$/));
    expect(r.displayed).toContain('PWNED');
    expect(honouredForeignCommands(r.stdout, platform, 'SucceededWithIssues')).toEqual([]);
    // The planted ::stop-commands:: came before this warning in the log: it must not have silenced it.
    expect(ours(r, platform, 'warning')).toContainEqual(expect.stringMatching(/ended in Error.*on-?[sS]can-?[eE]rror/));
    expect(r.outputs.result).toBe('error');
    if (platform === 'azure-devops') expect(completion(r)).toEqual(['SucceededWithIssues']);
    expect(r.displayed).not.toContain(PASSWORD);
  });

  it("a replication task that fails with a planted log: the log is shown, the step's own error stands", async () => {
    harbor.failReplicationOf({ repository: 'app/failing', times: 10 });
    const r = await run('replicate', platform, {
      'registry-name': `target-${platform}`,
      'registry-type': 'docker-registry',
      'registry-url': target.url,
      'policy-name': `hostile-${platform}`,
      direction: 'push',
      'name-filter': 'app/failing',
      timeout: '2m',
    });
    const context = `\n${r.stdout}\n${r.stderr}`;
    expect({ code: r.code, context }).toEqual({ code: 1, context });
    expect(r.displayed).toContain('PWNED');
    expect(honouredForeignCommands(r.stdout, platform, 'Failed')).toEqual([]);
    // Every task log line ran through the proxy, and the step's own last word is the execution's failure.
    expect(ours(r, platform, 'error').at(-1)).toMatch(/^Replication execution \d+ failed/);
    if (platform === 'azure-devops') expect(completion(r)).toEqual(['Failed']);
    expect(r.displayed).not.toContain(PASSWORD);
  });
});
