/**
 * The documented pipelines, executed: the Harbor steps of examples/github/ci-gitops.yml and of the Azure DevOps CI and
 * CD examples run in order with the real bundles against the sandbox (two Harbor emulators over real registries, an
 * htpasswd registry standing in for ACR), outputs passed from step to step as each runner does. skopeo — not our
 * code — checks that the same digest landed everywhere.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeImage } from '../sandbox/make-image';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { runSkopeo, skopeoDigest } from '../sandbox/skopeo';
import { makeTempDir } from '../sandbox/child-processes';
import { ROOT } from '../support/bundles';
import { runAdoPipeline, runGitHubWorkflow } from '../support/workflow-runner';

const SHA = '3f2a9c1d5e7b8a6f4c2d0e9b8a7f6e5d4c3b2a10';
let sandbox: Sandbox;
let workspace: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    harborA: { projects: [{ name: 'team' }], robots: [{ name: 'replicator', level: 'system', secret: 'Replicator-Secret-1' }, { name: 'ci', level: 'project', project: 'team', secret: 'Ci-Robot-Secret-1' }] },
    harborB: { robots: [{ name: 'replica', level: 'system', secret: 'Replica-Secret-1' }] },
  });
  sandbox.harborA.setScanFixture('team/app', { trivy: 'alpine-310.json' });
  sandbox.harborA.setScanTimings({ queuedMs: 100, pendingMs: 100, runningMs: 200 });
  workspace = makeTempDir('e2e-workspace');
  // What the skipped "Build" step would have produced: a `docker save` archive of the application image.
  // The repository's checkout: an accepted risk with an expiry, as the example's ignore-file expects.
  writeFileSync(join(workspace, '.trivyignore'), '# accepted until the base image moves to 3.11\nCVE-2019-1551 exp:2099-01-01\n');
  // skopeo converts the OCI image to Docker's format as `docker save` would write it.
  const image = makeImage({ dir: join(workspace, 'layout'), tag: 'app', layers: 2, layerSize: 64 * 1024, seed: 'e2e' });
  await runSkopeo('copy', [image.ref, `docker-archive:${join(workspace, 'app.tar')}:app:latest`], {});
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
});

function acrAccess() {
  const [user] = sandbox.acr.users;
  return { host: sandbox.acr.host, username: user.username, password: user.password };
}

describe('examples/github/ci-gitops.yml', () => {
  it('pushes, gates and replicates to ACR and the replica Harbor with the bundled actions', async () => {
    const [acrUser] = sandbox.acr.users;
    const { steps, jobOutputs } = await runGitHubWorkflow(join(ROOT, 'examples/github/ci-gitops.yml'), {
      workspace,
      github: { sha: SHA },
      vars: {
        HARBOR_URL: sandbox.harborA.url,
        HARBOR_USERNAME: 'robot$team+ci',
        HARBOR_REPLICATION_USERNAME: 'robot$replicator',
        ACR_LOGIN_SERVER: sandbox.acr.url,
        ACR_TOKEN_NAME: acrUser.username,
        REPLICA_HARBOR_URL: sandbox.harborB.url,
        REPLICA_HARBOR_USERNAME: 'robot$replica',
      },
      secrets: {
        HARBOR_PASSWORD: 'Ci-Robot-Secret-1',
        HARBOR_REPLICATION_PASSWORD: 'Replicator-Secret-1',
        ACR_TOKEN_PASSWORD: acrUser.password,
        REPLICA_HARBOR_PASSWORD: 'Replica-Secret-1',
      },
    }, { jobs: ['image'] });

    const report = steps.map((s) => `${s.id}: exit ${s.run.code}\n${s.run.stdout.split('\n').filter((l) => l.startsWith('::error')).join('\n')}`).join('\n');
    expect(report).not.toContain('::error');
    expect(steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['replicate', 0],
      ['replicate', 0],
    ]);

    const digest = steps[0].run.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(jobOutputs.image.digest).toBe(digest);
    expect(steps[1].run.outputs.result).toBe('passed');
    expect(steps[1].run.outputs).toMatchObject({ medium: '2', ignored: '2', critical: '0', high: '0' });
    expect(existsSync(join(workspace, 'trivy.sarif'))).toBe(true);
    expect(JSON.parse(readFileSync(join(workspace, 'trivy.sarif'), 'utf8')).version).toBe('2.1.0');

    expect(await skopeoDigest(`docker://${sandbox.harborA.host}/team/app:${SHA}`, { host: sandbox.harborA.host, ...sandbox.harborA.admin })).toBe(digest);
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:${SHA}`, acrAccess())).toBe(digest);
    expect(await skopeoDigest(`docker://${sandbox.harborB.host}/team/app:${SHA}`, { host: sandbox.harborB.host, ...sandbox.harborB.admin })).toBe(digest);
    // Secrets reach the steps but no log shows them.
    for (const step of steps) for (const secret of ['Ci-Robot-Secret-1', 'Replicator-Secret-1', acrUser.password]) expect(step.run.displayed).not.toContain(secret);
  }, 180_000);
});

describe('examples/azure-devops ci.yml then cd.yml', () => {
  it('pushes, gates (JUnit for Publish Test Results) and replicates with the bundled tasks', async () => {
    const [acrUser] = sandbox.acr.users;
    const basic = (url: string, username: string, password: string) => ({ url, scheme: 'UsernamePassword', parameters: { username, password } });
    const endpoints = {
      'harbor-primary': basic(sandbox.harborA.url, 'robot$team+ci', 'Ci-Robot-Secret-1'),
      'harbor-replication': basic(sandbox.harborA.url, 'robot$replicator', 'Replicator-Secret-1'),
    };
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
      {
        workspace,
        endpoints,
        variables: { imageTag: 'ado-build-42', acrUrl: sandbox.acr.url, acrTokenName: acrUser.username, acrTokenPassword: acrUser.password },
      },
      (t) => t.startsWith('Harbor'),
    );
    expect(cd.steps.map((s) => [s.id, s.run.code])).toEqual([['replicate', 0]]);
    expect(cd.steps[0].run.outputs.failed).toBe('0');
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:ado-build-42`, acrAccess())).toBe(digest);
    for (const step of [...ci.steps, ...cd.steps]) for (const secret of ['Ci-Robot-Secret-1', 'Replicator-Secret-1', acrUser.password]) expect(step.run.displayed).not.toContain(secret);
  }, 180_000);
});
