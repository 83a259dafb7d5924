/**
 * The documented pipelines, executed: the Harbor steps of examples/github/ci-gitops.yml and of the Azure DevOps CI and
 * CD examples run in order with the real bundles against the sandbox (two Harbor emulators over real registries, an
 * htpasswd registry standing in for ACR), outputs passed from step to step as each runner does. skopeo — not our
 * code — checks that the same digest landed everywhere; the real `cosign verify --key` checks the signature the sign
 * step wrote, with a key pair made by the real `cosign generate-key-pair`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { makeTempDir } from '../sandbox/child-processes';
import type { Sandbox } from '../sandbox/sandbox';
import { runSkopeo, skopeoDigest } from '../sandbox/skopeo';
import { ROOT } from '../support/bundles';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import {
  APP_SECRET,
  FEDERATED_APP,
  SECRET_APP,
  startAzureWorld,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from '../support/fake-arm/azure-world';
import {
  ciGitOpsContext,
  packageExampleChart,
  preparePipelineWorkspace,
  ROBOTS,
  startPipelineSandbox,
} from '../support/pipeline-sandbox';
import { pinnedHelms, requireGoTool } from '../support/tools';
import { runAdoPipeline, runGitHubWorkflow, type StepRun } from '../support/workflow-runner';

const execFileAsync = promisify(execFile);
const SHA = '3f2a9c1d5e7b8a6f4c2d0e9b8a7f6e5d4c3b2a10';
let sandbox: Sandbox;
let workspace: string;

/** The cosign key pair the examples sign with: made by the real cosign, its password given to cosign in its env only. */
const COSIGN_PASSWORD = 'Example-Cosign-Pw-5';
let cosignHome: string;
let cosignKey: string;

beforeAll(async () => {
  sandbox = await startPipelineSandbox();
  workspace = await preparePipelineWorkspace();
  cosignHome = makeTempDir('e2e-cosign');
  await execFileAsync(
    requireGoTool('cosign'),
    ['generate-key-pair', '--output-key-prefix', join(cosignHome, 'cosign')],
    {
      env: { PATH: process.env.PATH ?? '', HOME: cosignHome, COSIGN_PASSWORD },
      cwd: cosignHome,
      timeout: 300_000,
    },
  );
  cosignKey = readFileSync(join(cosignHome, 'cosign.key'), 'utf8');
  // cosign verify reads the registry credentials from the Docker config (the CI robot, which may pull).
  mkdirSync(join(cosignHome, '.docker'));
  const auth = Buffer.from(`${ROBOTS.ci.username}:${ROBOTS.ci.password}`).toString('base64');
  writeFileSync(
    join(cosignHome, '.docker', 'config.json'),
    JSON.stringify({
      auths: {
        [sandbox.harborA.host]: { auth },
        [sandbox.acr.host]: {
          auth: Buffer.from(`${sandbox.acr.users[0].username}:${sandbox.acr.users[0].password}`).toString('base64'),
        },
      },
    }),
    { mode: 0o600 },
  );
}, 400_000);

/** The real cosign, offline (no transparency log), with the example key pair's public key. */
async function cosignVerify(reference: string): Promise<{ code: number; stderr: string }> {
  try {
    await execFileAsync(
      requireGoTool('cosign'),
      [
        'verify',
        '--key',
        join(cosignHome, 'cosign.pub'),
        '--insecure-ignore-tlog=true',
        '--allow-http-registry=true',
        reference,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: cosignHome }, timeout: 300_000 },
    );
    return { code: 0, stderr: '' };
  } catch (error) {
    return { code: 1, stderr: String((error as { stderr?: unknown }).stderr) };
  }
}

/** The key and its password as the examples read them: GitHub secrets, or the Azure DevOps variable group `signing`. */
const signingSecrets = () => ({ COSIGN_PRIVATE_KEY: cosignKey, COSIGN_PASSWORD });
const signingVariables = () => ({ 'cosign-private-key': cosignKey, 'cosign-password': COSIGN_PASSWORD });

afterAll(async () => {
  await sandbox?.stop();
});

function acrAccess() {
  const [user] = sandbox.acr.users;
  return { host: sandbox.acr.host, username: user.username, password: user.password };
}

function expectNoSecretShown(steps: StepRun[]): void {
  const secrets = [
    ROBOTS.ci.password,
    ROBOTS.replicator.password,
    ROBOTS.replica.password,
    ROBOTS.charts.password,
    sandbox.acr.users[0].password,
    APP_SECRET,
  ];
  if (cosignKey) secrets.push(COSIGN_PASSWORD, ...cosignKey.split('\n').filter((l) => l && !l.startsWith('-----')));
  for (const step of steps) for (const secret of secrets) expect(step.run.displayed).not.toContain(secret);
}

describe('examples/github/ci-gitops.yml', () => {
  it('pushes, gates, signs and replicates to ACR and the replica Harbor with the bundled actions; cosign verify accepts the signature', async () => {
    const base = ciGitOpsContext(sandbox, workspace, SHA);
    const context = { ...base, secrets: { ...base.secrets, ...signingSecrets() } };
    const { steps, jobOutputs } = await runGitHubWorkflow(join(ROOT, 'examples/github/ci-gitops.yml'), context, {
      jobs: ['image'],
    });

    const errors = steps
      .map(
        (s) =>
          `${s.id}: exit ${s.run.code}\n${s.run.stdout
            .split('\n')
            .filter((l) => l.startsWith('::error'))
            .join('\n')}`,
      )
      .join('\n');
    expect(errors).not.toContain('::error');
    expect(steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['sign', 0],
      ['replicate', 0],
      ['replicate', 0],
    ]);

    const digest = steps[0].run.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(jobOutputs.image.digest).toBe(digest);
    expect(steps[1].run.outputs).toMatchObject({
      result: 'passed',
      medium: '2',
      ignored: '2',
      critical: '0',
      high: '0',
    });
    // The gated digest is what was signed, the CI robot could read Harbor's listing back, and cosign accepts it.
    expect(steps[2].run.outputs.digest).toBe(digest);
    expect(steps[2].run.displayed).toContain('Harbor lists the signature as signature.cosign');
    expect(await cosignVerify(`${sandbox.harborA.host}/team/app@${digest}`)).toMatchObject({ code: 0 });
    expect(existsSync(join(workspace, 'trivy.sarif'))).toBe(true);
    expect(JSON.parse(readFileSync(join(workspace, 'trivy.sarif'), 'utf8')).version).toBe('2.1.0');

    expect(
      await skopeoDigest(`docker://${sandbox.harborA.host}/team/app:${SHA}`, {
        host: sandbox.harborA.host,
        ...sandbox.harborA.admin,
      }),
    ).toBe(digest);
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:${SHA}`, acrAccess())).toBe(digest);
    expect(
      await skopeoDigest(`docker://${sandbox.harborB.host}/team/app:${SHA}`, {
        host: sandbox.harborB.host,
        ...sandbox.harborB.admin,
      }),
    ).toBe(digest);
    expectNoSecretShown(steps);
  }, 180_000);
});

describe('examples/azure-devops ci.yml then cd.yml', () => {
  it('pushes, gates (JUnit for Publish Test Results), signs and replicates with the bundled tasks; cosign verify accepts the signature', async () => {
    const [acrUser] = sandbox.acr.users;
    const basic = ({ username, password }: { username: string; password: string }) => ({
      url: sandbox.harborA.url,
      scheme: 'UsernamePassword',
      parameters: { username, password },
    });
    const endpoints = { 'harbor-primary': basic(ROBOTS.ci), 'harbor-replication': basic(ROBOTS.replicator) };
    const variables = {
      'Build.SourceVersion': 'ado-build-42',
      'Build.ArtifactStagingDirectory': workspace,
      'Common.TestResultsDirectory': join(workspace, 'test-results'),
      ...signingVariables(),
    };
    const ci = await runAdoPipeline(
      join(ROOT, 'examples/azure-devops/ci.yml'),
      { workspace, endpoints, variables },
      (t) => t.startsWith('Harbor'),
    );
    expect(ci.steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['sign', 0],
    ]);
    const digest = ci.steps[0].run.outputs.digest;
    expect(ci.steps[1].inputs.reference).toBe(digest);
    expect(ci.steps[2].inputs.reference).toBe(digest);
    expect(ci.steps[2].run.outputs.digest).toBe(digest);
    expect(await cosignVerify(`${sandbox.harborA.host}/team/app@${digest}`)).toMatchObject({ code: 0 });
    expect(ci.steps[1].run.stdout).toMatch(/^##vso\[task\.complete result=Succeeded;\]/m);
    expect(readFileSync(join(workspace, 'test-results', 'trivy-junit.xml'), 'utf8')).toContain('<testsuite');

    const cd = await runAdoPipeline(
      join(ROOT, 'examples/azure-devops/cd.yml'),
      {
        workspace,
        endpoints,
        variables: {
          imageTag: 'ado-build-42',
          acrUrl: sandbox.acr.url,
          acrTokenName: acrUser.username,
          acrTokenPassword: acrUser.password,
        },
      },
      (t) => t.startsWith('Harbor'),
    );
    expect(cd.steps.map((s) => [s.id, s.run.code])).toEqual([['replicate', 0]]);
    expect(cd.steps[0].run.outputs.failed).toBe('0');
    expect(await skopeoDigest(`docker://${sandbox.acr.host}/team/app:ado-build-42`, acrAccess())).toBe(digest);
    expectNoSecretShown([...ci.steps, ...cd.steps]);
  }, 180_000);
});

/**
 * The Helm flows and the guide's alternatives: the app's chart (image pinned by digest) pushed to Harbor, ACR importing
 * image and chart from Harbor through the spec-checked ARM stand-in, and the replica Harbor pulling them from the main
 * one with a pull policy. skopeo pulls everything back: same digests everywhere, Helm's media types on the chart, the
 * pinned digest inside the chart the replica serves; the real Helm 3 and 4 pull the chart from the replica.
 */
describe('the Helm chart flows with ACR import and the replica pulling', () => {
  let world: AzureWorld;
  let acrDataPlane: FakeAcrDataPlane;
  const CHART_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
  const CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

  beforeAll(async () => {
    world = await startAzureWorld({
      registryName: 'contosoweu',
      loginServer: sandbox.acr.host,
      dataPlane: sandbox.acr.users[0],
    });
    // ACR's data plane in front of the storage registry: acr-import's destination check reads back through it.
    acrDataPlane = await new FakeAcrDataPlane(world.arm, world.registry, {
      host: sandbox.acr.host,
      ...sandbox.acr.users[0],
    }).start();
  }, 60_000);

  afterAll(async () => {
    await acrDataPlane?.stop();
    await world?.stop();
  });

  afterEach(() => {
    expect(world.arm.violations).toEqual([]);
  });

  const harborAccess = (h: Sandbox['harborA']) => ({ host: h.host, ...h.admin });

  /** The chart as an independent client sees it: manifest media types and the files in its chart layer. */
  async function pullChart(
    ref: string,
    access: { host: string; username: string; password: string },
  ): Promise<{ config: string; layers: string[]; chartLayer?: string; files: Record<string, string> }> {
    const dir = makeTempDir('chart-pull');
    await runSkopeo('copy', [ref, `dir:${dir}`], { src: access });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      config: { mediaType: string };
      layers: { mediaType: string; digest: string }[];
    };
    const chartLayer = manifest.layers.find((l) => l.mediaType === CHART_LAYER);
    const files: Record<string, string> = {};
    if (chartLayer) {
      const extractor = extract();
      extractor.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream
          .on('data', (c) => chunks.push(c as Buffer))
          .on('end', () => ((files[header.name] = Buffer.concat(chunks).toString('utf8')), next()));
      });
      const finished = new Promise<void>((resolve) => extractor.on('finish', () => resolve()));
      extractor.end(gunzipSync(readFileSync(join(dir, chartLayer.digest.replace(/^sha256:/, '')))));
      await finished;
    }
    return {
      config: manifest.config.mediaType,
      layers: manifest.layers.map((l) => l.mediaType),
      chartLayer: chartLayer?.digest,
      files,
    };
  }

  async function expectEverywhere(
    image: { ref: string; digest: string },
    chart: { ref: string; digest: string },
  ): Promise<void> {
    for (const [host, access] of [
      [sandbox.harborA.host, harborAccess(sandbox.harborA)],
      [sandbox.harborB.host, harborAccess(sandbox.harborB)],
      [sandbox.acr.host, acrAccess()],
    ] as const) {
      expect({ host, digest: await skopeoDigest(`docker://${host}/${image.ref}`, access) }).toEqual({
        host,
        digest: image.digest,
      });
      expect({ host, digest: await skopeoDigest(`docker://${host}/${chart.ref}`, access) }).toEqual({
        host,
        digest: chart.digest,
      });
    }
  }

  it('examples/github/ci-helm-gitops.yml: chart to Harbor, ACR imports, the replica pulls (bundled actions)', async () => {
    const sha = 'b7e1c0d2a3f4958677a8b9c0d1e2f3a4b5c6d7e8';
    const file = join(ROOT, 'examples/github/ci-helm-gitops.yml');
    const base = ciGitOpsContext(sandbox, workspace, sha);
    const context = {
      ...base,
      github: { sha, run_number: '7' },
      vars: {
        ...base.vars,
        HARBOR_CHART_USERNAME: ROBOTS.charts.username,
        AZURE_CLIENT_ID: FEDERATED_APP,
        AZURE_TENANT_ID: TENANT,
        AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
        AZURE_AUTHORITY_HOST: world.identity.url,
        AZURE_RESOURCE_MANAGER_URL: world.arm.url,
        ACR_RESOURCE_GROUP: 'rg-registry',
        ACR_NAME: 'contosoweu',
      },
      secrets: { ...base.secrets, HARBOR_CHART_PASSWORD: ROBOTS.charts.password },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
      },
    };

    const image = await runGitHubWorkflow(
      file,
      { ...context, secrets: { ...context.secrets, ...signingSecrets() } },
      { jobs: ['image'] },
    );
    expect(image.steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['sign', 0],
    ]);
    const imageDigest = image.jobOutputs.image.digest;
    // What the chart job's packaging step does before the push step.
    await packageExampleChart(workspace, {
      version: '1.0.7',
      appVersion: sha,
      imageRepository: `${sandbox.harborA.host}/team/app`,
      digest: imageDigest,
    });

    const rest = await runGitHubWorkflow(file, context, { jobs: ['chart', 'distribute'] });
    const shown = rest.steps
      .map(
        (s) =>
          `${s.id}: exit ${s.run.code}\n${s.run.stdout
            .split('\n')
            .filter((l) => l.startsWith('::error'))
            .join('\n')}`,
      )
      .join('\n');
    expect(shown).not.toContain('::error');
    expect(rest.steps.map((s) => [s.id, s.run.code])).toEqual([
      ['chart', 0],
      ['acr-import', 0],
      ['replica-pull', 0],
    ]);
    const chartDigest = rest.steps[0].run.outputs.digest;
    expect(rest.jobOutputs.chart.digest).toBe(chartDigest);
    // Image, its signature (include-referrers) and chart.
    expect(rest.steps[1].run.outputs).toMatchObject({ total: '3', succeeded: '3', failed: '0' });
    expect(await cosignVerify(`${sandbox.acr.host}/team/app@${imageDigest}`)).toMatchObject({ code: 0 });
    expect(rest.steps[2].run.outputs).toMatchObject({ failed: '0' });

    await expectEverywhere(
      { ref: `team/app:${sha}`, digest: imageDigest },
      { ref: 'charts/app:1.0.7', digest: chartDigest },
    );
    const pulled = await pullChart(`docker://${sandbox.harborB.host}/charts/app:1.0.7`, harborAccess(sandbox.harborB));
    expect(pulled.config).toBe(CHART_CONFIG);
    expect(pulled.layers).toEqual([CHART_LAYER]);
    expect(pulled.files['app/Chart.yaml']).toMatch(/^version: 1\.0\.7$/m);
    // What Argo CD and Flux do (both use Helm's OCI client): the real Helm 3 and 4 pull the chart from the replica.
    for (const helm of pinnedHelms()) {
      const dest = makeTempDir(`helm-pull-${helm.major}`);
      const env = {
        ...process.env,
        HELM_CACHE_HOME: join(dest, '.cache'),
        HELM_CONFIG_HOME: join(dest, '.config'),
        HELM_DATA_HOME: join(dest, '.data'),
      };
      const { username, password } = sandbox.harborB.admin;
      const oci = `oci://${sandbox.harborB.host}/charts/app`;
      // Asynchronously: the Harbor emulator answers from this process.
      await execFileAsync(
        helm.binary,
        [
          'pull',
          oci,
          '--version',
          '1.0.7',
          '--plain-http',
          '--username',
          username,
          '--password',
          password,
          '--destination',
          dest,
        ],
        { env, timeout: 60_000 },
      );
      const tgz = readFileSync(join(dest, 'app-1.0.7.tgz'));
      expect({ helm: helm.version, digest: `sha256:${createHash('sha256').update(tgz).digest('hex')}` }).toEqual({
        helm: helm.version,
        digest: pulled.chartLayer,
      });
    }
    expect((parse(pulled.files['app/values.yaml']) as { image: { digest: string } }).image.digest).toBe(imageDigest);
    expectNoSecretShown([...image.steps, ...rest.steps]);
  }, 240_000);

  it('examples/azure-devops ci.yml then cd-helm.yml: chart to Harbor, ACR imports, the replica pulls (bundled tasks)', async () => {
    const basic = (h: Sandbox['harborA'], { username, password }: { username: string; password: string }) => ({
      url: h.url,
      scheme: 'UsernamePassword',
      parameters: { username, password },
    });
    const endpoints = {
      'harbor-primary': basic(sandbox.harborA, ROBOTS.ci),
      'harbor-charts': basic(sandbox.harborA, ROBOTS.charts),
      'harbor-replication': basic(sandbox.harborA, ROBOTS.replicator),
      'harbor-replica-replication': basic(sandbox.harborB, ROBOTS.replica),
      'azure-prod': {
        url: `${world.arm.url}/`,
        scheme: 'ServicePrincipal',
        parameters: {
          serviceprincipalid: SECRET_APP,
          serviceprincipalkey: APP_SECRET,
          tenantid: TENANT,
          authenticationType: 'spnKey',
        },
        data: {
          subscriptionId: SUBSCRIPTION,
          environmentAuthorityUrl: `${world.identity.url}/`,
          environment: 'AzureCloud',
        },
      },
    };
    const build = 'ado-helm-43';
    const staging = makeTempDir('ado-staging');
    const ci = await runAdoPipeline(
      join(ROOT, 'examples/azure-devops/ci.yml'),
      {
        workspace,
        endpoints,
        variables: {
          'Build.SourceVersion': build,
          'Build.ArtifactStagingDirectory': workspace,
          'Common.TestResultsDirectory': join(workspace, 'test-results'),
          ...signingVariables(),
        },
      },
      (t) => t.startsWith('Harbor'),
    );
    expect(ci.steps.map((s) => [s.id, s.run.code])).toEqual([
      ['push', 0],
      ['gate', 0],
      ['sign', 0],
    ]);
    const imageDigest = ci.steps[0].run.outputs.digest;
    // What cd-helm.yml's packaging step does with the digest ci.yml recorded.
    await packageExampleChart(staging, {
      version: '1.0.43',
      appVersion: build,
      imageRepository: `${sandbox.harborA.host}/team/app`,
      digest: imageDigest,
    });

    const cd = await runAdoPipeline(
      join(ROOT, 'examples/azure-devops/cd-helm.yml'),
      {
        workspace,
        endpoints,
        variables: {
          imageTag: build,
          chartVersion: '1.0.43',
          'Build.ArtifactStagingDirectory': staging,
          mainHarborUrl: sandbox.harborA.url,
          mainHarborReplicationUser: ROBOTS.replicator.username,
          mainHarborReplicationPassword: ROBOTS.replicator.password,
          acrResourceGroup: 'rg-registry',
          acrName: 'contosoweu',
        },
      },
      (t) => t.startsWith('Harbor'),
    );
    expect(cd.steps.map((s) => `${s.id}: ${s.run.code}${s.run.code ? `\n${s.run.stdout}` : ''}`)).toEqual([
      'chart: 0',
      'acrImport: 0',
      'replicaPull: 0',
    ]);
    const chartDigest = cd.steps[0].run.outputs.digest;
    // Image, its signature (include-referrers) and chart; the signature verifies in ACR.
    expect(await cosignVerify(`${sandbox.acr.host}/team/app@${imageDigest}`)).toMatchObject({ code: 0 });
    expect(cd.steps[1].run.outputs).toMatchObject({
      total: '3',
      succeeded: '3',
      failed: '0',
      loginServer: acrDataPlane.host,
    });
    expect(cd.steps[2].run.outputs).toMatchObject({ failed: '0' });

    await expectEverywhere(
      { ref: `team/app:${build}`, digest: imageDigest },
      { ref: 'charts/app:1.0.43', digest: chartDigest },
    );
    const pulled = await pullChart(`docker://${sandbox.acr.host}/charts/app:1.0.43`, acrAccess());
    expect(pulled.config).toBe(CHART_CONFIG);
    expect(pulled.layers).toEqual([CHART_LAYER]);
    expect((parse(pulled.files['app/values.yaml']) as { image: { digest: string } }).image.digest).toBe(imageDigest);
    expectNoSecretShown([...ci.steps, ...cd.steps]);
  }, 240_000);
});
