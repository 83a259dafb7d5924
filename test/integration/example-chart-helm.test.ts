/**
 * The app's chart that the Helm examples ship (examples/chart/app), judged by the real Helm 3 and 4 (pinned, from
 * .tools/): packaged as the examples' packaging step does (digest pinned in values.yaml), it lints, and it renders a
 * Deployment that runs exactly that digest from whichever registry the GitOps manifests choose (main Harbor, replica,
 * ACR), or the tag when no digest is set.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { makeTempDir } from '../sandbox/child-processes';
import { packageExampleChart } from '../support/pipeline-sandbox';
import { pinnedHelms } from '../support/tools';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe.each(pinnedHelms().map((h) => [h.major, h] as const))('examples/chart/app with Helm %i', (_major, helm) => {
  const home = makeTempDir(`helm-home-${helm.major}`);
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  const run = (args: string[]): string => execFileSync(helm.binary, args, { env, encoding: 'utf8' });

  let tgz: string;
  beforeAll(async () => {
    tgz = await packageExampleChart(makeTempDir('example-chart'), {
      version: '1.0.7',
      appVersion: 'b7e1c0d',
      imageRepository: 'harbor.example.com/team/app',
      digest: DIGEST,
    });
  });

  function deploymentImage(args: string[]): string {
    const docs = parseAllDocuments(run(['template', 'app', tgz, '--namespace', 'app', ...args])).map(
      (d) => d.toJS() as { kind: string; spec: { template: { spec: { containers: { image: string }[] } } } },
    );
    const deployment = docs.find((d) => d?.kind === 'Deployment');
    return deployment!.spec.template.spec.containers[0].image;
  }

  it('lints and reports the version the pipeline packaged', () => {
    expect(run(['lint', tgz])).toContain('0 chart(s) failed');
    expect(run(['show', 'chart', tgz])).toMatch(/^version: 1\.0\.7$/m);
  });

  it('runs the pinned digest from the main Harbor, the replica or ACR', () => {
    expect(deploymentImage([])).toBe(`harbor.example.com/team/app@${DIGEST}`);
    expect(deploymentImage(['--set', 'image.repository=contosoweu.azurecr.io/team/app'])).toBe(
      `contosoweu.azurecr.io/team/app@${DIGEST}`,
    );
    expect(deploymentImage(['--set', 'image.digest=', '--set', 'image.tag=v2'])).toBe('harbor.example.com/team/app:v2');
  });
});
