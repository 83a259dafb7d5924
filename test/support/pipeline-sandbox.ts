/**
 * The sandbox the documented pipelines run on (the end-to-end test and `npm run demo`): a primary Harbor with the
 * project and the robots the examples name, a replica Harbor, the ACR stand-in, and a workspace holding what the
 * examples' build step would have produced.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { parseDocument } from 'yaml';
import { makeTempDir } from '../sandbox/child-processes';
import { makeImage } from '../sandbox/make-image';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { runSkopeo } from '../sandbox/skopeo';
import { ROOT } from './bundles';
import type { GitHubContext } from './workflow-runner';

/** The robots' secrets; tests assert none of them ever shows in a step's log. */
export const ROBOTS = {
  ci: { username: 'robot$team+ci', password: 'Ci-Robot-Secret-1' },
  replicator: { username: 'robot$replicator', password: 'Replicator-Secret-1' },
  replica: { username: 'robot$replica', password: 'Replica-Secret-1' },
  charts: { username: 'robot$charts+ci', password: 'Charts-Robot-Secret-1' },
};

export async function startPipelineSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox({
    harborA: {
      projects: [{ name: 'team' }, { name: 'charts' }],
      robots: [
        // Push, and what docs/trivy-gate.md lists for a gate that may start scans.
        {
          name: 'ci',
          level: 'project',
          project: 'team',
          secret: ROBOTS.ci.password,
          // …and what docs/sign.md lists for the sign step: repository push + pull (pull comes with push for a
          // robot), accessory list for its read-back.
          permissions: [
            'repository:push',
            'artifact:read',
            'artifact-addition:read',
            'scan:read',
            'scan:create',
            'accessory:list',
          ],
        },
        { name: 'ci', level: 'project', project: 'charts', secret: ROBOTS.charts.password },
        { name: 'replicator', level: 'system', secret: ROBOTS.replicator.password },
      ],
    },
    harborB: { robots: [{ name: 'replica', level: 'system', secret: ROBOTS.replica.password }] },
  });
  // alpine-310: four MEDIUM findings, so the examples' `fail-on: high` passes.
  sandbox.harborA.setScanFixture('team/app', { trivy: 'alpine-310.json' });
  sandbox.harborA.setScanTimings({ queuedMs: 100, pendingMs: 100, runningMs: 200 });
  return sandbox;
}

/** The checkout and build output the examples expect: `app.tar` (as `docker save` writes it) and `.trivyignore`. */
export async function preparePipelineWorkspace(): Promise<string> {
  const workspace = makeTempDir('pipeline-workspace');
  writeFileSync(
    join(workspace, '.trivyignore'),
    '# accepted until the base image moves to 3.11\nCVE-2019-1551 exp:2099-01-01\n',
  );
  const image = makeImage({ dir: join(workspace, 'layout'), tag: 'app', layers: 2, layerSize: 64 * 1024 });
  // skopeo converts the OCI image to Docker's format as `docker save` would write it.
  await runSkopeo('copy', [image.ref, `docker-archive:${join(workspace, 'app.tar')}:app:latest`], {});
  return workspace;
}

/** The repository variables and secrets examples/github/ci-gitops.yml reads, pointing at the sandbox. */
export function ciGitOpsContext(sandbox: Sandbox, workspace: string, sha: string): GitHubContext {
  const [acr] = sandbox.acr.users;
  return {
    workspace,
    github: { sha },
    vars: {
      HARBOR_URL: sandbox.harborA.url,
      HARBOR_USERNAME: ROBOTS.ci.username,
      HARBOR_REPLICATION_USERNAME: ROBOTS.replicator.username,
      ACR_LOGIN_SERVER: sandbox.acr.url,
      ACR_TOKEN_NAME: acr.username,
      REPLICA_HARBOR_URL: sandbox.harborB.url,
      REPLICA_HARBOR_USERNAME: ROBOTS.replica.username,
    },
    secrets: {
      HARBOR_PASSWORD: ROBOTS.ci.password,
      HARBOR_REPLICATION_PASSWORD: ROBOTS.replicator.password,
      ACR_TOKEN_PASSWORD: acr.password,
      REPLICA_HARBOR_PASSWORD: ROBOTS.replica.password,
    },
  };
}

/**
 * What the examples' packaging step produces (`yq` pins the image digest in values.yaml, then `helm package --version
 * --app-version`): examples/chart/app as `<dir>/app-<version>.tgz`, written with tar-stream, not with our push code.
 */
export async function packageExampleChart(
  dir: string,
  options: { version: string; appVersion: string; imageRepository: string; digest: string },
): Promise<string> {
  const chartDir = join(ROOT, 'examples', 'chart', 'app');
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
    );
  const tgz = join(dir, `app-${options.version}.tgz`);
  const archive = pack();
  const chunks: Buffer[] = [];
  const gzip = archive.pipe(createGzip());
  gzip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  for (const file of files(chartDir)) {
    const name = `app/${relative(chartDir, file).split('\\').join('/')}`;
    let text = readFileSync(file, 'utf8');
    if (name === 'app/Chart.yaml' || name === 'app/values.yaml') {
      const doc = parseDocument(text);
      if (name === 'app/Chart.yaml') {
        doc.set('version', options.version);
        doc.set('appVersion', options.appVersion);
      } else {
        doc.setIn(['image', 'repository'], options.imageRepository);
        doc.setIn(['image', 'digest'], options.digest);
      }
      text = doc.toString();
    }
    archive.entry({ name, mode: 0o644 }, text);
  }
  archive.finalize();
  await done;
  writeFileSync(tgz, Buffer.concat(chunks));
  return tgz;
}
