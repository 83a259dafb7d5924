import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runActionDist, runTaskDist, stepFolders } from '../support/bundles';

// Start-up (issue 18, bench/startup): a step that stops at an input error must get there with the adapter, the
// definition and input parsing only — what step.js holds — and never load a chunk of its run (HTTP, registry, reports,
// YAML…). Each bundle is copied without its numbered chunks (`<n>.index.js`) and started with no inputs: it must still
// fail with its platform's one input-error line; a needed chunk would fail with "Cannot find module" instead.
// Node's own modules count too: which of them the process loaded is read from `process.moduleLoadList` at exit (a
// preload), and the ones only a run needs (TLS, crypto, HTTP, zlib, V8 flags) must not be among them. (net and stream
// are not listed: Node loads them for a piped stdout. Task-lib itself loads crypto and child_process on import.)
const RUN_ONLY = ['tls', 'http', 'https', 'http2', 'zlib', 'v8', 'worker_threads'];

const work = mkdtempSync(join(tmpdir(), 'startup-bundles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const preload = join(work, 'builtins.js');
writeFileSync(
  preload,
  `process.on('exit', () => require('fs').writeFileSync(process.env.BUILTINS_FILE, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n')));`,
);

/** The bundle's environment for recording the Node modules it loads, and a reader for that record. */
function recordBuiltins(name: string): { env: Record<string, string>; loaded: () => string[] } {
  const file = join(work, `${name}.builtins`);
  return {
    env: { NODE_OPTIONS: `--require ${preload}`, BUILTINS_FILE: file },
    loaded: () => readFileSync(file, 'utf8').split('\n'),
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
    expect(builtins.loaded().filter((m) => [...RUN_ONLY, 'crypto', 'child_process'].includes(m))).toEqual([]);
  });
});

describe.each(stepFolders('tasks'))('task %s', (task) => {
  it('reaches its first input error without loading a chunk of its run', async () => {
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
  });
});
