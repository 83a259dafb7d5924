import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrivyReport } from '../../bench/trivy-gate/generate-report';
import { camelCase } from '../../shared/inputs/definition';
import { SPLIT_READ_BYTES, WORKER_FILE } from '../../shared/report/trivy-split';
import { ROOT, runActionDist, runTaskDist, type BundleRun } from '../support/bundles';
import { requireNpmTool } from '../support/preflight';

// The shipped bundles read a large report on two threads (shared/report/trivy-split.ts): the worker's entry is built
// beside the chunks (scripts/bundle.ts) and must run from the action and the task bundle, on Node 20 and 24, and the
// gate must write the same bytes as with no worker at all. To show the worker really ran, the copies run here wrap
// the shipped worker file in one that notes how many vulnerabilities it handed back, then runs the shipped code.
const node24 = requireNpmTool('node24');
jest.setTimeout(120_000);

const work = mkdtempSync(join(tmpdir(), 'trivy-gate-split-'));
const report = join(work, 'report.json');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of distDir whose worker notes what it posts in `marker`; or, with marker undefined, without the worker. */
function variant(distDir: string, name: string, marker?: string): string {
  const dir = join(work, name);
  cpSync(distDir, dir, { recursive: true });
  const worker = join(dir, WORKER_FILE);
  expect(existsSync(worker)).toBe(true);
  if (!marker) {
    rmSync(worker);
    return dir;
  }
  renameSync(worker, join(dir, 'shipped-worker.js'));
  writeFileSync(
    worker,
    `const { workerData } = require('node:worker_threads');
const post = workerData.port.postMessage.bind(workerData.port);
workerData.port.postMessage = (message, transfer) => {
  let taken = 0;
  for (let i = 1; i < message.runs.length; i += 3) taken += message.runs[i];
  require('node:fs').writeFileSync(${JSON.stringify(marker)}, String(taken));
  post(message, transfer);
};
require('./shipped-worker.js');
`,
  );
  return dir;
}

const inputs = (name: string) => ({
  'report-file': report,
  'fail-on': 'critical',
  'max-high': '5000',
  'sarif-file': join(work, `${name}.sarif`),
  'junit-file': join(work, `${name}.xml`),
  'json-file': join(work, `${name}.json`),
});
/** The SARIF, JUnit and JSON files' digests (jest's toEqual walks a Buffer byte by byte: minutes for 30 MB). */
const files = (name: string) =>
  ['sarif', 'xml', 'json'].map((ext) =>
    createHash('sha256')
      .update(readFileSync(join(work, `${name}.${ext}`)))
      .digest('hex'),
  );
const stable = (run: BundleRun) => ({ code: run.code, stderr: run.stderr, outputs: run.outputs, summary: run.summary });

beforeAll(() => {
  generateTrivyReport(report, 55_000);
  expect(readFileSync(report).length).toBeGreaterThan(SPLIT_READ_BYTES);
});

test('the action bundle reads on two threads on Node 20 and 24, with the same outputs as on one', async () => {
  const dist = join(ROOT, 'actions', 'trivy-gate', 'dist');
  const alone = await runActionDist(variant(dist, 'action-alone'), inputs('alone'));
  expect(alone.code).toBe(1);
  expect(alone.outputs.result).toBe('failed');
  for (const [name, node] of [
    ['node20', undefined],
    ['node24', node24],
  ] as const) {
    const marker = join(work, `${name}.taken`);
    const run = await runActionDist(variant(dist, `action-${name}`, marker), inputs(name), { node });
    expect(stable(run)).toEqual(stable(alone));
    expect(files(name)).toEqual(files('alone'));
    // 55 000 findings in four results: the worker handed back the runs of the second half.
    expect(Number(readFileSync(marker, 'utf8'))).toBeGreaterThan(20_000);
  }
});

test('the task bundle reads on two threads, with the same outputs as on one', async () => {
  const task = join(ROOT, 'tasks', 'HarborTrivyGate');
  const taskVariant = (name: string, marker?: string) => {
    const dir = join(work, name);
    cpSync(join(task, 'task.json'), join(dir, 'task.json'));
    renameSync(variant(join(task, 'dist'), `${name}-dist`, marker), join(dir, 'dist'));
    return dir;
  };
  const taskInputs = (name: string) =>
    Object.fromEntries(Object.entries(inputs(name)).map(([key, value]) => [camelCase(key), value]));
  const alone = await runTaskDist(taskVariant('task-alone'), taskInputs('alone-task'));
  expect(alone.stdout).toContain('##vso[task.complete result=Failed;]');
  const marker = join(work, 'task.taken');
  const run = await runTaskDist(taskVariant('task-split', marker), taskInputs('split-task'), { node: node24 });
  expect(stable(run)).toEqual(stable(alone));
  expect(files('split-task')).toEqual(files('alone-task'));
  expect(Number(readFileSync(marker, 'utf8'))).toBeGreaterThan(20_000);
});
