/**
 * The real helm 3 and 4 (pinned, from .tools/) use the kubeconfig the deploy step writes for an Entra-only AKS
 * cluster: they verify the API server's certificate with the CA from it and send its Entra token, which the HTTPS
 * API-server stand-in records (it accepts only tokens for the AKS server app).
 *
 * How far helm gets: `helm upgrade --install` first asks whether the release exists — IsReachable (GET /version), then
 * the release history (GET …/namespaces/<ns>/secrets?labelSelector=…) — and only then locates the chart
 * (helm v4 pkg/cmd/upgrade.go: histClient.Run before client.LocateChart; pkg/action/history.go: IsReachable). The
 * chart repository here is a loopback server that has no chart, so each run ends at the chart download: what is
 * proven is helm's authentication with the step's kubeconfig, not an install (the stand-in serves no object APIs).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname } from 'node:path';
import { runCapability } from '../../shared/capability';
import deploy from '../../shared/capabilities/deploy';
import { AKS_GROUP, ENTRA_ONLY, jwtClaims, startAksWorld, type AksWorld } from '../support/fake-arm/aks-world';
import { AKS_SERVER_APP } from '../support/fake-arm/fake-aks';
import { FakePlatform } from '../support/fake-platform';
import { pinnedHelms } from '../support/tools';

let world: AksWorld;
let chartRepo: Server;
let chartRepoUrl: string;
const chartRequests: string[] = [];
const savedPath = process.env.PATH;

beforeAll(async () => {
  world = await startAksWorld();
  chartRepo = createServer((req, res) => {
    chartRequests.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found\n');
  });
  await new Promise<void>((resolve) => chartRepo.listen(0, '127.0.0.1', resolve));
  chartRepoUrl = `http://127.0.0.1:${(chartRepo.address() as AddressInfo).port}/charts`;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  chartRepo.closeAllConnections();
  await new Promise<void>((resolve) => chartRepo.close(() => resolve()));
  await world.stop();
});
afterEach(() => {
  expect(world.arm.violations).toEqual([]);
});

describe.each(pinnedHelms().map((h) => [`helm ${h.version}`, h] as const))('%s', (_name, helm) => {
  it('authenticates to the API server with the Entra token from the step’s kubeconfig', async () => {
    world.kube.requests.length = 0;
    chartRequests.length = 0;
    process.env.PATH = `${dirname(helm.binary)}${delimiter}${savedPath}`;
    const platform = new FakePlatform({
      profile: 'managed-disks',
      hostname: 'harbor.example.com',
      'admin-password': 'Real-Helm-Adm1n',
      wait: 'false',
      'cluster-name': ENTRA_ONLY,
      'resource-group': AKS_GROUP,
      'chart-repo': chartRepoUrl,
    });
    platform.connections.azureSubscription = world.connection('ServicePrincipal');
    await runCapability(deploy, platform);

    expect(platform.messages('info')).toContain(`Using helm ${helm.version} (${helm.binary})`);
    // Our two reviews, then helm's own requests.
    const ours = world.kube.requests.slice(0, 2).map((r) => r.path);
    expect(ours).toEqual([
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    ]);
    const fromHelm = world.kube.requests.slice(2);
    expect(fromHelm.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /version', 'GET /api/v1/namespaces/harbor/secrets']),
    );
    const token = fromHelm[0].bearer!;
    expect(jwtClaims(token).aud).toBe(AKS_SERVER_APP);
    expect(world.identity.audienceOf(token)).toBe(AKS_SERVER_APP);
    expect(fromHelm.every((r) => r.bearer === token && r.status === 200)).toBe(true);
    // helm got past the cluster and stopped at the chart repository, which has no chart.
    expect(chartRequests.length).toBeGreaterThan(0);
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(
      /^helm upgrade --install harbor failed: Error: looks like "http:\/\/127\.0\.0\.1:\d+\/charts" is not a valid chart repository/,
    );
    expect(platform.transcript).not.toContain(token);
  });
});
