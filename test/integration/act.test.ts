/**
 * "Run it locally with act", checked with the real act (pinned in scripts/tools.json) in host mode
 * (`-P ubuntu-latest=-self-hosted`: act runs each job on this machine, node actions with the host's node, no Docker —
 * act pkg/runner/run_context.go starts a HostEnvironment for the `-self-hosted` platform and sets ACT=true).
 * test/fixtures/act/push-gate-replicate.yml uses only this repository's ./actions/* (their committed dist bundles):
 * push → trivy-gate → replicate against the sandbox, with step and job outputs passed by act. skopeo, not our code,
 * checks that the digest act passed along is in Harbor and in the ACR stand-in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/sandbox';
import { skopeoDigest } from '../sandbox/skopeo';
import { ROOT } from '../support/bundles';
import { ciGitOpsContext, preparePipelineWorkspace, ROBOTS, startPipelineSandbox } from '../support/pipeline-sandbox';
import { requireGoTool } from '../support/tools';

const WORKFLOW = join(ROOT, 'test/fixtures/act/push-gate-replicate.yml');
/** README's "Run locally" act line, run as written (test/integration/docs-commands.test.ts lists it as run here). */
const README_LINE = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/`(act workflow_dispatch [^`]+)`/g)];
const README_ARGS = README_LINE.length === 1 ? README_LINE[0][1].split(/\s+/).slice(1) : [];

let sandbox: Sandbox;
let workspace: string;
let home: string;
let results: string;

beforeAll(async () => {
  sandbox = await startPipelineSandbox();
  workspace = await preparePipelineWorkspace();
  // The workflow's actions/checkout is run by act itself: it copies its working directory into the host-mode job
  // folder (pkg/runner/step_action_remote.go), and `uses: ./actions/<step>` is read from there. So the working
  // directory holds what a checkout of this repository would: the committed action.yml and dist bundle of each
  // action the workflow uses, beside the build output.
  for (const action of ['push', 'trivy-gate', 'replicate']) {
    for (const part of ['action.yml', 'dist'])
      cpSync(join(ROOT, 'actions', action, part), join(workspace, 'actions', action, part), { recursive: true });
  }
  // act reads the github context (sha, ref) from the workspace's git repository, as a checkout would have left it.
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-q', '--allow-empty', '-m', 'build'],
  ]) {
    execFileSync('git', args, { cwd: workspace });
  }
  home = mkdtempSync(join(tmpdir(), 'act-home-'));
  results = join(home, 'results');
  mkdirSync(results);
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

function runAct(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(requireGoTool('act'), args, {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '',
        // act's config (actrc), its cache (action clones, host-mode job folders) and nothing of the runner's own home.
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_CACHE_HOME: join(home, 'cache'),
        TMPDIR: process.env.TMPDIR ?? tmpdir(),
        NO_COLOR: '1',
        // host mode passes act's own environment on to the steps: the record steps write here
        RESULTS_DIR: results,
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('the real act in host mode', () => {
  it('README shows one act line, for this workflow, in host mode', () => {
    expect(README_ARGS).toEqual(
      expect.arrayContaining(['-W', 'test/fixtures/act/push-gate-replicate.yml', '-P', 'ubuntu-latest=-self-hosted']),
    );
  });

  it('runs push → trivy-gate → replicate with outputs passed by act, and skopeo finds the digest', async () => {
    const context = ciGitOpsContext(sandbox, workspace, 'unused');
    // Secrets and variables go through files (0600), never on act's command line: the files README's line names,
    // beside the workflow it names, in the working directory act runs in.
    const secretFile = join(workspace, 'secrets.env');
    const varFile = join(workspace, 'vars.env');
    mkdirSync(join(workspace, 'test/fixtures/act'), { recursive: true });
    cpSync(WORKFLOW, join(workspace, 'test/fixtures/act/push-gate-replicate.yml'));
    writeFileSync(
      secretFile,
      Object.entries(context.secrets ?? {})
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
      { mode: 0o600 },
    );
    writeFileSync(
      varFile,
      Object.entries(context.vars ?? {})
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
      { mode: 0o600 },
    );

    const { code, output } = await runAct(README_ARGS);
    const failures = output.split('\n').filter((l) => /❌|::error|Error:|level=error/.test(l));
    expect({ code, failures }).toEqual({ code: 0, failures: [] });

    // Step outputs inside a job: the gate read the digest push set, and reached its verdict.
    expect(readFileSync(join(results, 'gate-verdict.txt'), 'utf8').trim()).toBe('gate=passed medium=2');
    // Job outputs across jobs: replicate's job got the digest the image job exported.
    const digest = readFileSync(join(results, 'replicated-digest.txt'), 'utf8').trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      await skopeoDigest(`docker://${sandbox.harborA.host}/team/app:act-1`, {
        host: sandbox.harborA.host,
        ...sandbox.harborA.admin,
      }),
    ).toBe(digest);
    const [acr] = sandbox.acr.users;
    expect(
      await skopeoDigest(`docker://${sandbox.acr.host}/team/app:act-1`, {
        host: sandbox.acr.host,
        username: acr.username,
        password: acr.password,
      }),
    ).toBe(digest);

    // The step that needs GitHub's API was skipped because act sets ACT=true.
    expect(output).not.toMatch(/Run Main Comment on the commit/);
    expect(output).toMatch(/Run Main Gate on Harbor's Trivy scan/);
    // act prints what the steps log; no secret shows in it.
    for (const secret of [ROBOTS.ci.password, ROBOTS.replicator.password, acr.password])
      expect(output).not.toContain(secret);
  }, 600_000);
});
