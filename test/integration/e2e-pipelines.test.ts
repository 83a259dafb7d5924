/**
 * The documented pipelines, executed: the Harbor steps of examples/github/ci-gitops.yml and of the Azure DevOps CI and
 * CD examples run in order with the real bundles against the sandbox (two Harbor emulators over real registries, an
 * htpasswd registry standing in for ACR), outputs passed from step to step as each runner does. skopeo — not our
 * code — checks that the same digest landed everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/sandbox';
import { skopeoDigest } from '../sandbox/skopeo';
import { ROOT } from '../support/bundles';
import { ciGitOpsContext, preparePipelineWorkspace, ROBOTS, startPipelineSandbox } from '../support/pipeline-sandbox';
import { runAdoPipeline, runGitHubWorkflow, type StepRun } from '../support/workflow-runner';

const SHA = '3f2a9c1d5e7b8a6f4c2d0e9b8a7f6e5d4c3b2a10';
let sandbox: Sandbox;
let workspace: string;

beforeAll(async () => {
  sandbox = await startPipelineSandbox();
  workspace = await preparePipelineWorkspace();
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

function acrAccess() {
  const [user] = sandbox.acr.users;
  return { host: sandbox.acr.host, username: user.username, password: user.password };
}

function expectNoSecretShown(steps: StepRun[]): void {
  const secrets = [ROBOTS.ci.password, ROBOTS.replicator.password, sandbox.acr.users[0].password];
  for (const step of steps) for (const secret of secrets) expect(step.run.displayed).not.toContain(secret);
}

describe('examples/github/ci-gitops.yml', () => {
  it('pushes, gates and replicates to ACR and the replica Harbor with the bundled actions', async () => {
    const context = ciGitOpsContext(sandbox, workspace, SHA);
    const { steps, jobOutputs } = await runGitHubWorkflow(join(ROOT, 'examples/github/ci-gitops.yml'), context, { jobs: ['image'] });

    const errors = steps.map((s) => `${s.id}: exit ${s.run.code}\n${s.run.stdout.split('\n').filter((l) => l.startsWith('::error')).join('\n')}`).join('\n');
    expect(errors).not.toContain('::error');
    expect(steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['replicate', 0],
      ['replicate', 0],
    ]);

    const digest = steps[0].run.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(jobOutputs.image.digest).toBe(digest);
    expect(steps[1].run.outputs).toMatchObject({ result: 'passed', medium: '2', ignored: '2', critical: '0', high: '0' });
    expect(existsSync(join(workspace, 'trivy.sarif'))).toBe(true);
    expect(JSON.parse(readFileSync(join(workspace, 'trivy.sarif'), 'utf8')).version).toBe('2.1.0');

    expect(await skopeoDigest(`docker://${sandbox.harborA.host}/team/app:${SHA}`, { host: sandbox.harborA.host, ...sandbox.harborA.admin })).toBe(digest);
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:${SHA}`, acrAccess())).toBe(digest);
    expect(await skopeoDigest(`docker://${sandbox.harborB.host}/team/app:${SHA}`, { host: sandbox.harborB.host, ...sandbox.harborB.admin })).toBe(digest);
    expectNoSecretShown(steps);
  }, 180_000);
});

describe('examples/azure-devops ci.yml then cd.yml', () => {
  it('pushes, gates (JUnit for Publish Test Results) and replicates with the bundled tasks', async () => {
    const [acrUser] = sandbox.acr.users;
    const basic = ({ username, password }: { username: string; password: string }) => ({ url: sandbox.harborA.url, scheme: 'UsernamePassword', parameters: { username, password } });
    const endpoints = { 'harbor-primary': basic(ROBOTS.ci), 'harbor-replication': basic(ROBOTS.replicator) };
    const variables = {
      'Build.SourceVersion': 'ado-build-42',
      'Build.ArtifactStagingDirectory': workspace,
      'Common.TestResultsDirectory': join(workspace, 'test-results'),
    };
    const ci = await runAdoPipeline(join(ROOT, 'examples/azure-devops/ci.yml'), { workspace, endpoints, variables }, (t) => t.startsWith('Harbor'));
    expect(ci.steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
    ]);
    const digest = ci.steps[0].run.outputs.digest;
    expect(ci.steps[1].inputs.reference).toBe(digest);
    expect(ci.steps[1].run.stdout).toMatch(/^##vso\[task\.complete result=Succeeded;\]/m);
    expect(readFileSync(join(workspace, 'test-results', 'trivy-junit.xml'), 'utf8')).toContain('<testsuite');

    const cd = await runAdoPipeline(
      join(ROOT, 'examples/azure-devops/cd.yml'),
      { workspace, endpoints, variables: { imageTag: 'ado-build-42', acrUrl: sandbox.acr.url, acrTokenName: acrUser.username, acrTokenPassword: acrUser.password } },
      (t) => t.startsWith('Harbor'),
    );
    expect(cd.steps.map((s) => [s.id, s.run.code])).toEqual([['replicate', 0]]);
    expect(cd.steps[0].run.outputs.failed).toBe('0');
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:ado-build-42`, acrAccess())).toBe(digest);
    expectNoSecretShown([...ci.steps, ...cd.steps]);
  }, 180_000);
});
