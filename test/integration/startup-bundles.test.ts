import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runActionDist, runTaskDist } from '../support/bundles';

// Start-up (issue 18, bench/startup): a step that stops at an input error must get there with the adapter, the
// definition and input parsing only — what step.js holds — and never load a chunk of its run (HTTP, registry, reports,
// YAML…). Each bundle is copied without its numbered chunks (`<n>.index.js`) and started with no inputs: it must still
// fail with its platform's one input-error line; a needed chunk would fail with "Cannot find module" instead.
const stepFolders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'adapter')
    .map((d) => d.name);

const work = mkdtempSync(join(tmpdir(), 'startup-bundles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of `distDir` at `target` without the chunks webpack split off at `import()`. */
function withoutChunks(distDir: string, target: string): string {
  cpSync(distDir, target, { recursive: true, filter: (file) => !/(^|\/)\d+\.index\.js$/.test(file) });
  return target;
}

describe.each(stepFolders('actions'))('action %s', (id) => {
  it('reaches its first input error without loading a chunk of its run', async () => {
    const dist = join(ROOT, 'actions', id, 'dist');
    expect(readdirSync(dist).some((f) => /^\d+\.index\.js$/.test(f))).toBe(true);
    const run = await runActionDist(withoutChunks(dist, join(work, 'actions', id)), {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::(Input required and not supplied: |Nothing to gate: )/m);
    expect(run.stdout).not.toContain('Cannot find module');
  });
});

describe.each(stepFolders('tasks'))('task %s', (task) => {
  it('reaches its first input error without loading a chunk of its run', async () => {
    const dir = join(work, 'tasks', task);
    withoutChunks(join(ROOT, 'tasks', task, 'dist'), join(dir, 'dist'));
    const run = await runTaskDist(dir, {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^##vso\[task\.complete result=Failed;\](Input required and not supplied: |Nothing to gate: )/m,
    );
    expect(run.stdout).not.toContain('Cannot find module');
  });
});
