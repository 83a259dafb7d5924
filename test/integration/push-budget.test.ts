/**
 * push's `timeout` is the whole step's budget (issue 13): a registry that keeps an upload trickling, or asks for a
 * minute's pause, cannot stretch the step past it. No timing is asserted: only that the step ended, and with the
 * budget's message (before the budget bounded push, both runs outlived the test's own limit).
 */
import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { makeImage } from '../sandbox/make-image';
import { FakePlatform } from '../support/fake-platform';
import { startStallingRegistry, type StallingRegistry } from '../hostile/stand-ins/registry';

let registry: StallingRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function pushTo(url: string, layout: string, timeout: string): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': url,
    username: 'ci',
    password: 'Budget-Pw-4410',
    source: `oci:${layout}`,
    project: 'team',
    repository: 'web',
    tags: 'v1',
    'create-project': 'false',
    timeout,
  });
  await runCapability(push, platform);
  return platform;
}

it('an upload the registry reads a trickle at a time is cut off when timeout runs out', async () => {
  registry = await startStallingRegistry('trickle');
  // Random bytes do not compress: the layer stays ~8 MiB, far more than the stand-in reads in the test's lifetime.
  const layout = makeImage({ layerSize: 8 * 1024 * 1024, seed: 'trickle' }).dir;
  const platform = await pushTo(registry.url, layout, '2s');
  expect(platform.result?.result).toBe('failed');
  // Cut while sending; or, when a per-request silence limit fired first under load, refused the wait for another
  // attempt. Both are the budget's doing (before it, the step ran on for 20 s and more, and failed per request).
  expect(platform.result?.message).toMatch(
    /^'timeout' \(2 s\) ran out (waiting for (PUT|PATCH) http:\/\/127\.0\.0\.1:\d+\/v2\/team\/web\/blobs\/uploads\/\S+|while the upload of layer 1 sha256:[0-9a-f]{12} waited for attempt 2 of 5); raise 'timeout' if the server is just slow$/,
  );
  expect(registry.uploads).toBeGreaterThan(0);
  expect(registry.visibleWrites).toEqual([]);
  expect(platform.transcript).not.toContain('Budget-Pw-4410');
}, 60_000);

it("a registry's Retry-After of a minute is not slept through when timeout ends sooner", async () => {
  registry = await startStallingRegistry('busy');
  const layout = makeImage({ seed: 'busy' }).dir;
  const platform = await pushTo(registry.url, layout, '5s');
  expect(platform.result?.result).toBe('failed');
  expect(platform.result?.message).toMatch(
    /^'timeout' \(5 s\) ran out while the upload of .+ waited for attempt 2 of 5; raise 'timeout' if the server is just slow$/,
  );
  expect(registry.visibleWrites).toEqual([]);
}, 60_000);
