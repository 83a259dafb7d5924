import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runActionDist, runTaskDist, stepFolders } from '../support/bundles';

// Start-up (issue 18, bench/startup): a step that stops at an input error must get there with the adapter, the
// definition and input parsing only — what step.js holds — and never load a chunk of its run (HTTP, registry, reports,
// YAML…). Each bundle is copied without its numbered chunks (`<n>.index.js`) and started with no inputs: it must still
// fail with its platform's one input-error line; a needed chunk would fail with "Cannot find module" instead.
// Node's own modules count too: which of them the process loaded is read from `process.moduleLoadList` at exit (a
// preload), and the ones only a run needs (TLS, crypto, HTTP, zlib, V8 flags, child processes) must not be among them.
// (net and stream are not listed: Node loads them for a piped stdout.) A task must not load azure-pipelines-task-lib
// either: its import sets the global `_vsts_task_lib_loaded` (internal.js `_loadData`), read by the same preload.
const RUN_ONLY = ['tls', 'http', 'https', 'http2', 'zlib', 'v8', 'worker_threads', 'crypto', 'child_process'];

const work = mkdtempSync(join(tmpdir(), 'startup-bundles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const preload = join(work, 'builtins.js');
writeFileSync(
  preload,
  `process.on('exit', () => require('fs').writeFileSync(process.env.BUILTINS_FILE, JSON.stringify({ builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)), taskLib: global._vsts_task_lib_loaded === true })));`,
);

/** The bundle's environment for recording the Node modules it loads (and whether task-lib ran), and a reader. */
function recordBuiltins(name: string): { env: Record<string, string>; loaded: () => string[]; taskLib: () => boolean } {
  const file = join(work, `${name}.builtins`);
  const record = () => JSON.parse(readFileSync(file, 'utf8')) as { builtins: string[]; taskLib: boolean };
  return {
    env: { NODE_OPTIONS: `--require ${preload}`, BUILTINS_FILE: file },
    loaded: () => record().builtins,
    taskLib: () => record().taskLib,
  };
}

/** A copy of `distDir` at `target` without the chunks webpack split off at `import()`. */
function withoutChunks(distDir: string, target: string): string {
  cpSync(distDir, target, { recursive: true, filter: (file) => !/(^|\/)\d+\.index\.js$/.test(file) });
  return target;
}

describe.each(stepFolders('actions'))('action %s', (id) => {
  it('reaches its first input error without loading a chunk of its run', async () => {
    const dist = join(ROOT, 'actions', id, 'dist');
    expect(readdirSync(dist).some((f) => /^\d+\.index\.js$/.test(f))).toBe(true);
    const builtins = recordBuiltins(`action-${id}`);
    const run = await runActionDist(withoutChunks(dist, join(work, 'actions', id)), {}, { env: builtins.env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::(Input required and not supplied: |Nothing to gate: )/m);
    expect(run.stdout).not.toContain('Cannot find module');
    expect(builtins.loaded()).toContain('fs');
    expect(builtins.loaded().filter((m) => RUN_ONLY.includes(m))).toEqual([]);
  });
});

describe.each(stepFolders('tasks'))('task %s', (task) => {
  it('reaches its first input error without loading a chunk of its run, nor azure-pipelines-task-lib', async () => {
    const dir = join(work, 'tasks', task);
    withoutChunks(join(ROOT, 'tasks', task, 'dist'), join(dir, 'dist'));
    const builtins = recordBuiltins(`task-${task}`);
    const run = await runTaskDist(dir, {}, { env: builtins.env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^##vso\[task\.complete result=Failed;\](Input required and not supplied: |Nothing to gate: )/m,
    );
    expect(run.stdout).not.toContain('Cannot find module');
    expect(builtins.loaded()).toContain('fs');
    expect(builtins.loaded().filter((m) => RUN_ONLY.includes(m))).toEqual([]);
    expect(builtins.taskLib()).toBe(false);
    // Nor compile it: task-lib lives in a chunk of its own, loaded once a run or a connection/secret input needs it.
    expect(readFileSync(join(dir, 'dist', 'step.js'), 'utf8')).not.toContain('_vsts_task_lib_loaded');
  });
});

// A task that needs task-lib before its inputs (a connection is set) and cannot load it still fails the way every step
// fails: one error line and task.complete, exit 1, nothing on stderr — with debug logging on, the stack as a debug line.
// The two ways it happens: task-lib's chunk is missing (a damaged install), or task-lib's import refuses the agent's
// variable lists (internal.js `_loadData` throws on VSTS_PUBLIC_VARIABLES that is not JSON).
describe('task that cannot load azure-pipelines-task-lib', () => {
  const connection = { harborConnection: 'harbor' };

  function expectOneLineFailure(run: { code: number; stdout: string; stderr: string }, cause: RegExp): void {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const issues = run.stdout.split('\n').filter((l) => l.startsWith('##vso[task.issue type=error;'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(cause);
    expect(run.stdout).toMatch(/^##vso\[task\.complete result=Failed;\].*\(unexpected error; /m);
    expect(run.stdout).toMatch(/^##vso\[task\.debug\].*at /m);
  }

  it('fails in one line when its chunk is missing', async () => {
    const dir = join(work, 'no-task-lib', 'HarborPush');
    withoutChunks(join(ROOT, 'tasks', 'HarborPush', 'dist'), join(dir, 'dist'));
    const run = await runTaskDist(dir, connection, { env: { SYSTEM_DEBUG: 'true' } });
    expectOneLineFailure(run, /Cannot find module/);
  });

  it('fails in one line when its import refuses the agent variable lists', async () => {
    const run = await runTaskDist(join(ROOT, 'tasks', 'HarborPush'), connection, {
      env: { SYSTEM_DEBUG: 'true', VSTS_PUBLIC_VARIABLES: '[not json' },
    });
    expectOneLineFailure(run, /VSTS_PUBLIC_VARIABLES/);
  });
});
