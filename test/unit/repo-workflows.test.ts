/**
 * The repository's own CI (.github/workflows): every workflow validates against the workflow schema and GitHub's own
 * workflow parser; ci.yml type-checks, lints, checks formatting and runs the unit tier, and runs `.ci/run` for the
 * integration tier; check-dist.yml fails when a fresh build differs from the committed bundles. The compare step of
 * check-dist is run for real on a scratch repository, so a comparison that can never fail would be caught here.
 * (act's own validation of the same files is in test/integration/act-validate.test.ts.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/bundles';
import { githubWorkflowErrors } from '../support/github-workflow-parser';
import { schemaErrors } from '../support/schemas';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const dir = join(ROOT, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const load = (file: string) => parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
/** The commands of a job's run steps, one per line, comments and blank lines dropped. */
const commands = (job: Job) =>
  job.steps
    .flatMap((s) => (s.run ?? '').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

it('the repository has its CI workflows', () => {
  expect(files).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml']));
});

describe.each(files)('.github/workflows/%s', (file) => {
  const workflow = load(file);

  it('validates against the GitHub workflow schema', () => {
    expect(schemaErrors('github/workflow.schema.json', workflow)).toEqual([]);
  });

  it("passes GitHub's own workflow parser", () => {
    expect(githubWorkflowErrors(join(dir, file))).toEqual([]);
  });

  it('asks for no more than read access to the repository by default', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs only npm scripts that exist, and only a Node set up from .node-version', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const line of commands(job))
        for (const [, script] of line.matchAll(/npm run ([\w:-]+)/g))
          expect({ script, exists: script in scripts }).toEqual({ script, exists: true });
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/setup-node@')))
        expect(step.with?.['node-version-file']).toBe('.node-version');
    }
  });
});

describe('ci.yml', () => {
  const { jobs, on } = load('ci.yml');

  it('runs on pull requests and on main', () => {
    expect(Object.keys(on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
  });

  it('type-checks, lints, checks formatting, scans for duplicates and runs the unit tier after a clean install, with the reference files', () => {
    const lines = commands(jobs.check);
    const order = [
      'npm ci --no-audit --no-fund',
      'npm run typecheck',
      'npm run lint',
      'npm run format:check',
      'npm run duplicates',
      'npm run reference',
      'npm run test:unit',
    ].map((c) => lines.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('runs the integration tier as the offline CI does: .ci/run, with Go for the pinned tools, inside 90 minutes', () => {
    const job = jobs.integration;
    expect(commands(job)).toEqual(['.ci/run']);
    expect(() => accessSync(join(ROOT, '.ci', 'run'), constants.X_OK)).not.toThrow();
    expect(job.steps.some((s) => s.uses?.startsWith('actions/setup-go@'))).toBe(true);
    expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
  });
});

describe('check-dist.yml', () => {
  const job = load('check-dist.yml').jobs['check-dist'];
  const compare = job.steps.find((s) => s.id === 'diff')!;
  const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;

  it('builds, compares, and uploads the expected bundles only when the comparison failed', () => {
    const build = job.steps.findIndex((s) => s.run?.trim() === 'npm run build');
    expect(build).toBeGreaterThan(0);
    expect(job.steps.indexOf(compare)).toBeGreaterThan(build);
    expect(upload.if).toBe("${{ failure() && steps.diff.outcome == 'failure' }}");
    expect(upload.with?.path).toBe('actions/*/dist/');
  });

  describe('its compare step, run on a scratch repository', () => {
    let repo: string;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    const runCompare = () => spawnSync('bash', ['-e', '-c', compare.run!], { cwd: repo, encoding: 'utf8' });

    beforeEach(() => {
      repo = mkdtempSync(join(tmpdir(), 'check-dist-'));
      for (const path of ['actions/push/dist/index.js', 'actions/push/action.yml', 'docs/push.md', 'README.md']) {
        mkdirSync(join(repo, path, '..'), { recursive: true });
        writeFileSync(join(repo, path), `${path}\n`);
      }
      git('init', '-q');
      git('add', '.');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'committed build');
    });
    afterEach(() => rmSync(repo, { recursive: true, force: true }));

    it('passes when the build left the committed files as they were (other files may change)', () => {
      writeFileSync(join(repo, 'README.md'), 'edited\n');
      expect(runCompare().status).toBe(0);
    });

    it.each([
      ['a changed bundle', 'actions/push/dist/index.js'],
      ['a new bundle file', 'actions/push/dist/extra.js'],
      ['a changed action.yml', 'actions/push/action.yml'],
      ['a changed docs table', 'docs/push.md'],
    ])('fails with one error line on %s', (_, path) => {
      writeFileSync(join(repo, path), 'rebuilt differently\n');
      const result = runCompare();
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(path);
      expect(result.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1);
    });
  });
});
