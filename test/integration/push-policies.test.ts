import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { authHeader, HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { ImageLayout, makeImage } from '../sandbox/make-image';
import { request } from '../sandbox/net-utils';
import { RegistryClient } from '../sandbox/registry-client';
import { skopeoDigest } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';

// Refusals by rule, not by role, end to end through the registry path: Harbor's project quota (403 DENIED,
// src/server/middleware/quota) and immutable tags (412 PRECONDITION, src/server/middleware/immutable), as the
// emulator's /v2/ middlewares answer them; push reports each as a policy of Harbor, not as a missing role.

let harbor: HarborEmulator;

beforeAll(async () => {
  harbor = await startHarborEmulator({
    projects: ['small', 'frozen', 'reclaim', 'reclaim-v2', 'reclaim-index', 'shared'].map((name) => ({ name })),
  });
}, 30_000);
afterAll(async () => {
  await harbor?.stop();
});
useContractCheck(() => [harbor]);

async function runPush(inputs: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform(inputs);
  await runCapability(push, platform);
  return platform;
}

const toHarbor = (extra: Record<string, string>) => ({
  'harbor-url': harbor.url,
  username: harbor.admin.username,
  password: harbor.admin.password,
  'create-project': 'false',
  ...extra,
});

describe('push refused by Harbor policies', () => {
  it('a full project quota is reported as a quota policy, with Harbor’s words, not as a missing role', async () => {
    harbor.setProjectQuota('small', 100);
    const image = makeImage();
    const p = await runPush(toHarbor({ project: 'small', repository: 'app', source: `oci:${image.dir}`, tags: '1.0' }));
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /refused .* by policy \(403: DENIED: adding .* of storage resource, which when updated to current usage of 0 B will exceed the configured upper limit of 100 B\.\)/,
    );
    expect(p.result?.message).toMatch(
      /; a quota or read-only rule, not a missing role: the project's storage quota is full/,
    );
    expect(p.result?.message).not.toMatch(/Developer/);
    expect(harbor.requests({ path: /^\/v2\/small\/app\/(blobs\/uploads|manifests)\// }).map((r) => r.status)).toContain(
      403,
    );
  });

  it('overwriting an immutable tag is reported as an immutability policy; a new tag still goes through', async () => {
    const first = makeImage({ tag: 'v1' });
    const ok = await runPush(
      toHarbor({ project: 'frozen', repository: 'app', source: `oci:${first.dir}`, tags: 'v1' }),
    );
    expect(ok.result?.result).toBe('succeeded');
    harbor.addImmutableRule('frozen', { repository: '**', tag: 'v*' });
    const second = makeImage({ tag: 'v1' });
    const p = await runPush(
      toHarbor({ project: 'frozen', repository: 'app', source: `oci:${second.dir}`, tags: 'v1' }),
    );
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /refused .* by policy \(412: PRECONDITION: Failed to process request due to 'app:v1' configured as immutable\.\); a project rule, not a missing role: an immutable tag cannot be overwritten/,
    );
    expect(await skopeoDigest(`docker://${harbor.host}/frozen/app:v1`, { host: harbor.host, ...harbor.admin })).toBe(
      first.digest,
    );
    const fresh = await runPush(
      toHarbor({ project: 'frozen', repository: 'app', source: `oci:${second.dir}`, tags: 'v2' }),
    );
    expect(fresh.result?.result).toBe('succeeded');
  });
});

describe('a deleted artifact gives its storage back to the project quota', () => {
  /** What a push of the layout stores: every blob it holds (manifests, configs, layers). */
  const storedBytes = (image: ImageLayout): number =>
    fs
      .readdirSync(path.join(image.dir, 'blobs', 'sha256'))
      .reduce((n, f) => n + fs.statSync(path.join(image.dir, 'blobs', 'sha256', f)).size, 0);
  const pushTo = (project: string, image: ImageLayout, tag: string) =>
    runPush(toHarbor({ project, repository: 'app', source: `oci:${image.dir}`, tags: tag }));
  const deleteThroughApi = async (project: string, digest: string): Promise<number> =>
    (
      await request(`${harbor.url}/api/v2.0/projects/${project}/repositories/app/artifacts/${digest}`, {
        method: 'DELETE',
        headers: authHeader(harbor.admin),
      })
    ).status;

  /**
   * The project holds `first`, larger than `second`, under a limit of exactly `second`'s size: no blob of `second`
   * fits, and it fits to the byte once everything `first` held is given back.
   */
  async function holdFirst(project: string, first: ImageLayout, second: ImageLayout): Promise<void> {
    expect((await pushTo(project, first, 'first')).result?.result).toBe('succeeded');
    harbor.setProjectQuota(project, storedBytes(second));
    const refused = await pushTo(project, second, 'second');
    expect(refused.result?.message).toMatch(/403: DENIED: adding .* of storage resource/);
  }

  it('through the API (DeleteArtifact): all its blobs, so a push that needs the storage then succeeds', async () => {
    const [first, second] = [makeImage({ layerSize: 8192 }), makeImage({ layerSize: 4096 })];
    await holdFirst('reclaim', first, second);
    expect(await deleteThroughApi('reclaim', first.digest)).toBe(200);
    expect((await pushTo('reclaim', second, 'second')).result?.result).toBe('succeeded');
  });

  it('through the registry API (DELETE /v2/<name>/manifests/<digest>) as well', async () => {
    const [first, second] = [makeImage({ layerSize: 8192 }), makeImage({ layerSize: 4096 })];
    await holdFirst('reclaim-v2', first, second);
    const registry = new RegistryClient({ url: harbor.url, ...harbor.admin });
    expect(await registry.deleteManifest('reclaim-v2/app', first.digest)).toBe(202);
    expect((await pushTo('reclaim-v2', second, 'second')).result?.result).toBe('succeeded');
  });

  it('an image index takes its untagged children, and their layers, with it (deleteDeeply)', async () => {
    const multi = makeImage({
      layerSize: 4096,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    const single = makeImage({ layerSize: 4096 });
    await holdFirst('reclaim-index', multi, single);
    expect(await deleteThroughApi('reclaim-index', multi.digest)).toBe(200);
    expect((await pushTo('reclaim-index', single, 'second')).result?.result).toBe('succeeded');
  });

  it('a layer another artifact of the project still references keeps counting', async () => {
    // Same seed, other labels: another config and manifest around the same 8 KiB layer.
    const kept = makeImage({ seed: 'shared-layer', layerSize: 8192, labels: { n: 'kept' } });
    const gone = makeImage({ seed: 'shared-layer', layerSize: 8192, labels: { n: 'gone' } });
    expect(gone.manifests[0].layers).toEqual(kept.manifests[0].layers);
    expect(gone.digest).not.toBe(kept.digest);
    expect((await pushTo('shared', kept, 'kept')).result?.result).toBe('succeeded');
    expect((await pushTo('shared', gone, 'gone')).result?.result).toBe('succeeded');
    expect(await deleteThroughApi('shared', gone.digest)).toBe(200);
    // What the project holds now is exactly `kept`: a small image fits in the limit to the byte…
    const small = makeImage({ layerSize: 64 });
    harbor.setProjectQuota('shared', storedBytes(kept) + storedBytes(small));
    expect((await pushTo('shared', small, 'small')).result?.result).toBe('succeeded');
    // …and nothing more does: the shared layer was not given back, though smaller images would fit in its place.
    const another = makeImage({ layerSize: 64 });
    expect(storedBytes(another)).toBeLessThan(8192);
    const refused = await pushTo('shared', another, 'another');
    expect(refused.result?.message).toMatch(/403: DENIED: adding .* of storage resource/);
  });
});

describe('push with an OIDC user’s CLI secret', () => {
  let oidc: HarborEmulator;
  const alice = { username: 'alice', password: 'unused-in-oidc', cliSecret: 'cli-secret-of-alice' };

  beforeAll(async () => {
    oidc = await startHarborEmulator({
      authMode: 'oidc_auth',
      projects: [{ name: 'team' }],
      users: [{ ...alice, projects: { team: 'developer' } }],
    });
  }, 30_000);
  afterAll(async () => {
    await oidc?.stop();
  });
  useContractCheck(() => [oidc]);

  it('checks the project with a call Harbor accepts the CLI secret on (GET /projects), then pushes', async () => {
    const image = makeImage();
    const p = await runPush({
      'harbor-url': oidc.url,
      username: alice.username,
      password: alice.cliSecret,
      'create-project': 'true',
      project: 'team',
      repository: 'app',
      source: `oci:${image.dir}`,
      tags: '1.0',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(p.messages('info').join('\n')).not.toMatch(/Created Harbor project/);
    expect(await skopeoDigest(`docker://${oidc.host}/team/app:1.0`, { host: oidc.host, ...oidc.admin })).toBe(
      image.digest,
    );
    // The CLI secret is no password: Harbor's other APIs treat it as anonymous (oidc_cli.go).
    expect(oidc.requests({ method: 'HEAD', path: /\/api\/v2\.0\/projects/ })).toEqual([]);
  });
});
