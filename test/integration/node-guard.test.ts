import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, stepFolders } from '../support/bundles';
import { requireNpmTool } from '../support/preflight';

// Every built bundle started by a real Node 16 (act's default image; the ADO agent's fallback on old glibc): one
// platform-native failure line naming the Node found and the one needed, exit 1, nothing else — not the bundle's
// `ReferenceError: ReadableStream is not defined`.
const node16 = requireNpmTool('node');
const actions = stepFolders('actions');
const tasks = stepFolders('tasks');

function run(script: string) {
  const result = spawnSync(node16, [script], { encoding: 'utf8', cwd: ROOT, env: { PATH: process.env.PATH } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the Node binary is a real 16.x', () => {
  expect(spawnSync(node16, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()).toMatch(/^16\./);
});

describe.each(actions)('action %s on Node 16', (id) => {
  it('fails with one ::error:: line and exit 1', () => {
    const { code, stdout, stderr } = run(join(ROOT, 'actions', id, 'dist', 'index.js'));
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^::error::This step needs Node\.js 18\.17 or newer, but runs on Node\.js 16\.\d+\.\d+: .*catthehacker\/ubuntu:act-latest.*\n$/,
    );
    expect(stdout.split('\n')).toHaveLength(2);
  });
});

describe.each(tasks)('task %s on Node 16', (task) => {
  it('fails with the task.issue error and task.complete result=Failed, exit 1', () => {
    const { code, stdout, stderr } = run(join(ROOT, 'tasks', task, 'dist', 'index.js'));
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^##vso\[task\.issue type=error;\]This step needs Node\.js 18\.17 or newer, but runs on Node\.js 16\.\d+\.\d+: use an agent >= 3\.232\.1/,
    );
    expect(lines[1]).toMatch(/^##vso\[task\.complete result=Failed;\]This step needs Node\.js 18\.17/);
  });
});

test('on the Node the bundles need, the guard loads the step (which then fails on its own missing inputs)', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'actions', 'trivy-gate', 'dist', 'index.js')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  expect(result.stdout).not.toContain('needs Node.js');
  expect(result.stdout).toMatch(/::error::/);
});
