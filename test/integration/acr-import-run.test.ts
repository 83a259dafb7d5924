/**
 * The acr-import step with the fake Platform and the spec-checked fake ARM, whose importImage really copies:
 * it pulls from the Harbor emulator with the credentials in the request body and pushes into an htpasswd registry
 * standing in for ACR, where skopeo then checks the digests independently.
 */
import { IMPORT_ROLE } from '../../shared/azure/roles';
import capability from '../../shared/capabilities/acr-import';
import { parseImageLines } from '../../shared/capabilities/acr-import/selection';
import { runCapability } from '../../shared/capability';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../sandbox/registry-launcher';
import { harborAccess, registryAccess } from '../sandbox/seed';
import { skopeoCopy, skopeoDigest } from '../sandbox/skopeo';
import { FakeAcrDataPlane } from '../support/fake-arm/acr-data-plane';
import { startAzureWorld, type AzureWorld } from '../support/fake-arm/azure-world';
import { FakePlatform } from '../support/fake-platform';

let harbor: HarborEmulator;
let acr: RegistryHandle;
let world: AzureWorld;
const digests: Record<string, string> = {};

const acrAccess = () => registryAccess(acr);

async function seed(repository: string, tags: string[]): Promise<string> {
  const image = makeImage({ tag: tags[0] });
  for (const tag of tags)
    await skopeoCopy(image.ref, `docker://${harbor.host}/${repository}:${tag}`, { dest: harborAccess(harbor) });
  return image.digest;
}

beforeAll(async () => {
  [harbor, acr] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'shop' }, { name: 'tools' }, { name: '2024' }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  digests.web = await seed('shop/web', ['1.0', 'latest']);
  digests.webOld = await seed('shop/web', ['0.9']);
  digests.api = await seed('shop/api', ['2.0']);
  digests.cli = await seed('tools/cli', ['1.0']);
  digests.archive = await seed('2024/archive', ['1.0']);
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await acr?.stop();
  await harbor?.stop();
});

beforeEach(async () => {
  world = await startAzureWorld({ loginServer: acr.host, dataPlane: acr.users[0] });
});

afterEach(async () => {
  expect(world.arm.violations).toEqual([]);
  await world.stop();
});

/**
 * Most cases here run against the storage registry as ACR's login server, which has no data plane to read back from
 * (the token exchange): they switch the destination check off. The NoForce block puts ACR's data plane in front and
 * keeps it on; acr-import-referrers.test.ts tests the check itself.
 */
let destinationCheck = 'false';

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    'destination-check': destinationCheck,
    'harbor-url': harbor.url,
    username: harbor.admin.username,
    password: harbor.admin.password,
    'resource-group': 'rg-registry',
    registry: 'contosoregistry',
    ...extra,
  };
}

async function run(extra: Record<string, string>, options: { connection?: boolean } = {}): Promise<FakePlatform> {
  const platform = new FakePlatform(inputs(extra));
  if (options.connection !== false) platform.connections.azureSubscription = world.connection('ServicePrincipal');
  await runCapability(capability, platform);
  return platform;
}

type ImportBody = {
  source: { registryUri: string; sourceImage: string; credentials?: { username?: string; password: string } };
  targetTags?: string[];
  untaggedTargetRepositories?: string[];
  mode?: string;
};
/** Imports in the order of their source image (they finish in parallel, in any order). */
const imports = () =>
  (world.registry.imports as ImportBody[])
    .slice()
    .sort((a, b) => a.source.sourceImage.localeCompare(b.source.sourceImage));
const importCalls = () => world.arm.calls.filter((c) => c === 'POST Registries_ImportImage').length;
const lines = (p: FakePlatform, level: string) => p.logs.filter((l) => l.level === level).map((l) => l.message);

describe('acr-import: what is imported', () => {
  it('imports listed images, one import per artifact pinned by digest, and ACR serves the same digests', async () => {
    const p = await run({ images: 'shop/web:1.0\nshop/web:latest\nshop/api:2.0' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    // shop/web:1.0 and :latest are one artifact: one import with both tags.
    expect(imports()).toEqual([
      {
        source: {
          registryUri: harbor.host,
          sourceImage: `shop/api@${digests.api}`,
          credentials: { username: 'admin', password: harbor.admin.password },
        },
        targetTags: ['shop/api:2.0'],
        mode: 'NoForce',
      },
      {
        source: {
          registryUri: harbor.host,
          sourceImage: `shop/web@${digests.web}`,
          credentials: { username: 'admin', password: harbor.admin.password },
        },
        targetTags: ['shop/web:1.0', 'shop/web:latest'],
        mode: 'NoForce',
      },
    ]);
    for (const [ref, digest] of [
      ['shop/web:1.0', digests.web],
      ['shop/web:latest', digests.web],
      ['shop/api:2.0', digests.api],
    ]) {
      expect(await skopeoDigest(`docker://${acr.host}/${ref}`, acrAccess())).toBe(digest);
    }
    expect(p.outputs).toMatchObject({ total: '2', succeeded: '2', failed: '0', 'login-server': acr.host });
    expect(JSON.parse(p.outputs.imported)).toEqual([
      `${acr.host}/shop/web:1.0`,
      `${acr.host}/shop/web:latest`,
      `${acr.host}/shop/api:2.0`,
    ]);
    expect(p.summaries.join('\n')).toContain(
      `| \`shop/web:1.0,latest\` | \`${acr.host}/shop/web:1.0,latest\` | \`${digests.web.slice(0, 19)}\` | Succeeded |`,
    );
    expect(p.transcript).not.toContain(harbor.admin.password);
    // The loopback Harbor speaks http; real ACR pulls over https only, and the step says so.
    expect(lines(p, 'warning')[0]).toMatch(/^ACR imports over HTTPS only/);
  });

  it('resolves name-filter and tag-filter as a Harbor policy would, under a target prefix; untagged artifacts are left out', async () => {
    // The emulator indexes artifacts by tag; Harbor also lists untagged ones, as this answer adds.
    harbor.injectResponse({
      method: 'GET',
      path: /repositories\/api\/artifacts$/,
      body: (list) => [
        ...(list as object[]),
        { ...(list as object[])[0], digest: `sha256:${'b'.repeat(64)}`, tags: [] },
      ],
    });
    const p = await run({ 'name-filter': 'shop/**', 'tag-filter': '{1.*,2.*}', 'target-repository-prefix': 'mirror/' });
    expect(p.result?.result).toBe('succeeded');
    expect(imports().map((b) => [b.source.sourceImage, b.targetTags])).toEqual([
      [`shop/api@${digests.api}`, ['mirror/shop/api:2.0']],
      [`shop/web@${digests.web}`, ['mirror/shop/web:1.0']],
    ]);
    expect(await skopeoDigest(`docker://${acr.host}/mirror/shop/web:1.0`, acrAccess())).toBe(digests.web);
    expect(lines(p, 'info')).toContain(
      '1 untagged artifact(s) in the matched repositories were left out: an import by filter copies tags.',
    );
    expect(lines(p, 'info')).toContain(
      "'name-filter' shop/** matched 2 repository(ies) in Harbor; 2 tagged artifact(s) selected",
    );
  });

  it('tag-match excludes selects every other tag; a glob first segment reads every project', async () => {
    const p = await run({
      'name-filter': '*/{web,cli}',
      'tag-filter': '{latest,1.0}',
      'tag-match': 'excludes',
      'target-repository-prefix': 'excl',
      'import-mode': 'Force',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(imports().map((b) => [b.source.sourceImage, b.targetTags, b.mode])).toEqual([
      [`shop/web@${digests.webOld}`, ['excl/shop/web:0.9'], 'Force'],
    ]);
  });

  it('an import ACR finishes within the request (200, no operation to follow) counts as done', async () => {
    world.arm.importAnswer = 'at-once';
    const p = await run({ images: 'tools/cli:1.0', 'target-repository-prefix': 'sync' });
    expect(p.result?.result).toBe('succeeded');
    expect(world.arm.requests).toBe(2);
    expect(await skopeoDigest(`docker://${acr.host}/sync/tools/cli:1.0`, acrAccess())).toBe(digests.cli);
  });

  it('run: false lists the planned imports and imports nothing', async () => {
    const p = await run({ images: 'tools/cli:1.0', run: 'false' });
    expect(p.result?.result).toBe('succeeded');
    expect(importCalls()).toBe(0);
    expect(world.arm.calls).toEqual(['GET Registries_Get']);
    expect(p.summaries.join('\n')).toContain('1 import(s) planned (NoForce); nothing was imported.');
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '0', failed: '0', imported: '[]' });
  });

  it('a filter that matches nothing succeeds with issues and says so', async () => {
    const p = await run({ 'name-filter': 'nosuchproject/**' });
    expect(p.result?.result).toBe('succeeded-with-issues');
    expect(lines(p, 'warning')).toContain(
      'Nothing to import: the filters (name-filter nosuchproject/**) matched no tagged artifact in Harbor',
    );
    const bare = await run({ 'name-filter': 'shop' });
    expect(lines(bare, 'warning')).toContain(
      "Nothing to import: the filters (name-filter shop) matched no tagged artifact in Harbor; it is matched against project/repository, e.g. 'shop/**'",
    );
    expect(importCalls()).toBe(0);
  });

  it('a project the account may not read fails naming account and project, instead of "nothing to import"', async () => {
    const robot = harbor.addRobot({ name: 'importer', level: 'project', project: 'tools', permissions: ['pull'] });
    const p = await run({ username: robot.username, password: robot.password, 'name-filter': 'shop/**' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `Harbor account ${robot.username} cannot read project 'shop' (403: the project is private to the account or does not exist; Harbor does not say which), so ACR could not pull from it either; check the project in the name filter, or use an account with pull access to the projects the filter selects`,
    });
    expect(importCalls()).toBe(0);
    expect(p.transcript).not.toContain(robot.password);
  });

  it('a project named by digits alone is read by name, not taken for a project id', async () => {
    const p = await run({ 'name-filter': '2024/**', 'target-repository-prefix': 'digits' });
    expect(p.result?.result).toBe('succeeded');
    expect(await skopeoDigest(`docker://${acr.host}/digits/2024/archive:1.0`, acrAccess())).toBe(digests.archive);
  });

  it('a project missing from Harbor is a 403 to anyone but an administrator, so the step says it may not exist', async () => {
    const reader = harbor.addUser({ username: 'reader', password: 'reader-Password1' });
    const p = await run({ ...reader, 'name-filter': 'nosuchproject/**' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `Harbor account reader cannot read project 'nosuchproject' (403: the project is private to the account or does not exist; Harbor does not say which), so ACR could not pull from it either; check the project in the name filter, or use an account with pull access to the projects the filter selects`,
    });
    expect(importCalls()).toBe(0);
  });

  it('keeps at most parallel-imports imports in flight, and does use them', async () => {
    await world.stop();
    let inFlight = 0;
    let most = 0;
    world = await startAzureWorld({
      loginServer: acr.host,
      onImport: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 150));
        inFlight--;
      },
    });
    const p = await run({ 'name-filter': '**', 'parallel-imports': '2' });
    expect(p.result?.result).toBe('succeeded');
    expect(importCalls()).toBe(5);
    expect(most).toBe(2);
  });
});

describe('acr-import: failures', () => {
  it("NoForce: an existing tag whose digest cannot be read fails with Azure's message and the Force hint; Force overwrites", async () => {
    // No data plane in front of this registry: what the tag holds cannot be compared (see the re-run tests for that).
    await run({ images: 'shop/api:2.0', 'target-repository-prefix': 'again' });
    const p = await run({ images: 'shop/api:2.0', 'target-repository-prefix': 'again' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toBe(
      `1 of 1 import(s) into contosoregistry failed (first: shop/api:2.0 → ${acr.host}/again/shop/api:2.0: Conflict: Tag again/shop/api:2.0 already exists in target registry. Use mode Force to overwrite it.; the tags' digests in ACR could not be compared (${acr.host} refused to exchange the step's Azure sign-in for a registry token (404))); set 'import-mode' to Force to overwrite existing tags, or let the identity read the registry (the 'Container Registry Data Importer and Data Reader' role) so re-runs can skip tags that already hold the same image`,
    );
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '0', failed: '1' });
    expect(p.summaries.join('\n')).toContain('- `shop/api:2.0`: Conflict: Tag again/shop/api:2.0 already exists');
    expect(
      (await run({ images: 'shop/api:2.0', 'target-repository-prefix': 'again', 'import-mode': 'Force' })).result
        ?.result,
    ).toBe('succeeded');
  });

  describe('Harbor refusing ACR at the registry (API reachable, pulls unauthorized)', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({
        target: harbor.url,
        rules: [
          {
            path: /^\/v2\//,
            fault: {
              kind: 'status',
              status: 401,
              body: '{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized to access repository"}]}',
            },
          },
        ],
      });
    });
    afterAll(() => proxy.stop());

    it('with include-referrers, the step reading the referrers meets the refusal first: nothing is imported', async () => {
      const p = await run({ 'harbor-url': proxy.url, images: 'shop/web:1.0', 'target-repository-prefix': 'denied' });
      expect(p.result).toEqual({
        result: 'failed',
        message: `Registry authentication failed for admin at ${proxy.host} (UNAUTHORIZED: unauthorized to access repository); check the username and password (robot accounts: the full name, e.g. robot$project+name)`,
      });
      expect(importCalls()).toBe(0);
    });

    it('reports the source authentication failure ARM reports, with what to check', async () => {
      const p = await run({
        'harbor-url': proxy.url,
        images: 'shop/web:1.0',
        'target-repository-prefix': 'denied',
        'include-referrers': 'false',
      });
      expect(p.result?.result).toBe('failed');
      expect(p.result?.message).toBe(
        `1 of 1 import(s) into contosoregistry failed (first: shop/web:1.0 → ${acr.host}/denied/shop/web:1.0: InvalidParameters: Invalid message Unauthorized: the source registry ${proxy.host} refused the credentials for shop/web@${digests.web}.); ACR logs in to Harbor as admin: check that this account can pull the artifact and that Harbor is reachable from Azure`,
      );
      expect(p.transcript).not.toContain(harbor.admin.password);
    });
  });

  it('a missing role fails with one line naming the importer role, and no further import is started', async () => {
    world.arm.denied.add('Microsoft.ContainerRegistry/registries/importImage/action');
    const p = await run({ 'name-filter': 'shop/**', 'parallel-imports': '1' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `Azure denied the step permission to import images on registry contosoregistry (Microsoft.ContainerRegistry/registries/importImage/action): assign the identity the '${IMPORT_ROLE}' role (or Contributor) on the registry`,
    });
    expect(importCalls()).toBe(1);
    expect(p.summaries.join('\n')).toMatch(
      /3 import\(s\), NoForce: 0 succeeded, 1 failed, 0 timed out, 2 not started\./,
    );
    expect(p.outputs).toMatchObject({ total: '3', succeeded: '0', failed: '3' });
  });

  it.each(['location', 'location+async'] as const)(
    "a failed operation reports Azure's message (ACR answering with %s)",
    async (headers) => {
      world.arm.importAnswer = headers;
      world.arm.failures.set('Registries_ImportImage', {
        at: 'operation',
        code: 'InvalidParameters',
        message: 'Error copying blobs: the source registry closed the connection.',
      });
      const p = await run({ images: 'tools/cli:1.0\nshop/api:2.0' });
      expect(p.result?.result).toBe('failed');
      expect(p.result?.message).toMatch(
        /^2 of 2 import\(s\) into contosoregistry failed \(first: tools\/cli:1\.0 → .*\/tools\/cli:1\.0: InvalidParameters: Error copying blobs: the source registry closed the connection\.\)$/,
      );
      expect(importCalls()).toBe(2);
    },
  );

  it('an import that outlives timeout is reported as timed out, naming the input to raise', async () => {
    await world.stop();
    world = await startAzureWorld({ loginServer: acr.host, retryAfterSeconds: 1 });
    world.arm.pollsFor.set('Registries_ImportImage', Infinity);
    const p = await run({ images: 'tools/cli:1.0', timeout: '8s' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toBe(
      `1 of 1 import(s) into contosoregistry failed (first: tools/cli:1.0 → ${acr.host}/tools/cli:1.0: did not finish within 8s; it may still complete in Azure); raise 'timeout'`,
    );
    expect(p.summaries.join('\n')).toContain('| TimedOut |');
  });

  it('timeout bounds the ARM side as a whole: once it runs out during one import, no further import starts', async () => {
    await world.stop();
    world = await startAzureWorld({ loginServer: acr.host, retryAfterSeconds: 1 });
    world.arm.pollsFor.set('Registries_ImportImage', Infinity);
    // One at a time, each import never finishing: with a per-import limit this step ran 3 × timeout and sent 3 imports.
    const p = await run({
      images: 'tools/cli:1.0\nshop/api:2.0\nshop/web:1.0',
      'parallel-imports': '1',
      timeout: '6s',
    });
    expect(p.result?.result).toBe('failed');
    // The first import timed out (or, on a machine too loaded to get that far within 6 s, was never started).
    expect(p.result?.message).toMatch(
      /^3 of 3 import\(s\) into contosoregistry failed \(first: tools\/cli:1\.0 → \S+\/tools\/cli:1\.0: (did not finish within 6s; it may still complete in Azure|not started: 'timeout' \(6s\) had run out)\); raise 'timeout'$/,
    );
    expect(importCalls()).toBeLessThanOrEqual(1);
    expect(p.summaries.join('\n')).toMatch(
      /3 import\(s\), NoForce: 0 succeeded, 0 failed, [01] timed out, [23] not started\./,
    );
  });

  it('an image that is not in Harbor fails before anything is imported', async () => {
    const p = await run({ images: 'shop/web:1.0\nshop/web:9.9' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `'shop/web:9.9' of input 'images' is not in Harbor ${harbor.url} (shop/web:9.9 not found); nothing was imported`,
    });
    expect(world.arm.requests).toBe(0);
  });
});

describe('acr-import: inputs are judged before any remote call', () => {
  it.each([
    [
      { images: 'shop/web:1.0', 'name-filter': 'shop/**' },
      "Input 'images' and 'name-filter' both select what to import; use one of them",
    ],
    [
      {},
      "Input 'images' or 'name-filter' is required: list the artifacts to import, or select them with a filter such as 'shop/**'",
    ],
    [
      { images: 'shop/web' },
      "Input 'images': 'shop/web' needs a tag or a digest, e.g. shop/web:1.0 (imports are explicit; 'latest' is not assumed)",
    ],
    [{ images: 'web:1.0' }, "Input 'images': 'web:1.0' needs the Harbor project, e.g. library/web:1.0"],
    [{ 'name-filter': 'shop/**', 'tag-match': 'excludes' }, "Input 'tag-match' needs 'tag-filter'"],
    [
      { 'name-filter': 'shop/**', 'target-repository-prefix': 'Mirror' },
      "Input 'target-repository-prefix': 'Mirror' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)",
    ],
    [
      { 'name-filter': 'shop/**', registry: 'contosoregistry.azurecr.io' },
      "Input 'registry' takes the registry name (contosoregistry), not the login server (got 'contosoregistry.azurecr.io')",
    ],
    [{ 'name-filter': 'shop/**', registry: '' }, 'Input required and not supplied: registry'],
    [{ 'name-filter': 'shop/**', 'resource-group': '' }, 'Input required and not supplied: resource-group'],
  ])('%j → %s', async (extra, message) => {
    harbor.clearRequests();
    const p = await run(extra);
    expect(p.result).toEqual({ result: 'failed', message });
    expect(world.arm.requests).toBe(0);
    expect(harbor.requests()).toEqual([]);
  });

  it('parses image lines: tags, digests, and nothing implied', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageLines(['shop/web:1.0', `shop/team/api@${digest}`], 'images')).toEqual([
      { repository: 'shop/web', reference: '1.0', line: 'shop/web:1.0' },
      { repository: 'shop/team/api', reference: digest, line: `shop/team/api@${digest}` },
    ]);
    expect(() => parseImageLines(['shop/web@sha256:abc'], 'images')).toThrow(
      "Input 'images': 'shop/web@sha256:abc' has no valid digest after @ (sha256: and 64 hex digits)",
    );
    expect(() => parseImageLines(['shop/web:-bad'], 'images')).toThrow(/'-bad' is not a valid tag/);
  });
});

describe('acr-import: re-runs under NoForce (ACR refuses an existing target tag even when it holds the same digest)', () => {
  let dataPlane: FakeAcrDataPlane;
  beforeEach(async () => {
    // ACR's data plane in front of the storage: the step reads what a tag holds there with its Azure sign-in.
    dataPlane = await new FakeAcrDataPlane(world.arm, world.registry, { host: acr.host, ...acr.users[0] }).start();
    destinationCheck = 'true';
  });
  afterEach(async () => {
    destinationCheck = 'false';
    await dataPlane.stop();
  });

  it('a second run over the same filters reports every artifact as skipped, not failed', async () => {
    const first = await run({ 'name-filter': 'shop/**', 'target-repository-prefix': 'rerun' });
    expect(first.outputs).toMatchObject({ total: '3', succeeded: '3', failed: '0', skipped: '0' });
    world.arm.calls.length = 0;
    const second = await run({ 'name-filter': 'shop/**', 'target-repository-prefix': 'rerun' });
    expect(second.result).toEqual({ result: 'succeeded', message: undefined });
    expect(second.outputs).toMatchObject({ total: '3', succeeded: '0', failed: '0', skipped: '3' });
    expect(JSON.parse(second.outputs.imported)).toEqual([]);
    // One refused import per artifact, and no second attempt.
    expect(importCalls()).toBe(3);
    expect(second.summaries.join('\n')).toContain(
      '3 import(s), NoForce: 0 succeeded, 3 skipped (already in ACR with the same digest), 0 failed',
    );
    expect(lines(second, 'info')).toContain(
      `Skipped shop/api:2.0 → ${dataPlane.host}/rerun/shop/api:2.0 (every tag already holds this digest)`,
    );
  });

  it('imports only the missing tags when the others already hold the digest', async () => {
    await run({ images: 'shop/web:1.0', 'target-repository-prefix': 'partial' });
    const p = await run({ images: 'shop/web:1.0\nshop/web:latest', 'target-repository-prefix': 'partial' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1', skipped: '0', failed: '0' });
    expect(imports().at(-1)?.targetTags).toEqual(['partial/shop/web:latest']);
    expect(await skopeoDigest(`docker://${acr.host}/partial/shop/web:latest`, acrAccess())).toBe(digests.web);
  });

  it('a tag holding another image is a real conflict, reported with its digests and the Force hint', async () => {
    const other = makeImage({ tag: '1.0' });
    await skopeoCopy(other.ref, `docker://${acr.host}/conflict/shop/web:1.0`, { dest: acrAccess() });
    const p = await run({ images: 'shop/web:1.0', 'target-repository-prefix': 'conflict' });
    expect(p.result).toEqual({
      result: 'failed',
      message: `1 of 1 import(s) into contosoregistry failed (first: shop/web:1.0 → ${dataPlane.host}/conflict/shop/web:1.0: conflict/shop/web:1.0 already holds ${other.digest}, not ${digests.web}); a tag in ACR holds another image: set 'import-mode' to Force to overwrite it`,
    });
    expect(p.outputs).toMatchObject({ failed: '1', skipped: '0' });
    const forced = await run({
      images: 'shop/web:1.0',
      'target-repository-prefix': 'conflict',
      'import-mode': 'Force',
    });
    expect(forced.result?.result).toBe('succeeded');
    expect(await skopeoDigest(`docker://${acr.host}/conflict/shop/web:1.0`, acrAccess())).toBe(digests.web);
  });
});

describe('acr-import: ARM throttling', () => {
  it('an importImage answered 429 is sent again after Retry-After: ARM did not process it', async () => {
    world.arm.throttle.set('Registries_ImportImage', { times: 2, retryAfterSeconds: 0 });
    const p = await run({ images: 'shop/api:2.0', 'target-repository-prefix': 'throttled' });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(world.arm.throttled).toEqual(['Registries_ImportImage', 'Registries_ImportImage']);
    expect(world.registry.imports).toHaveLength(1);
    expect(await skopeoDigest(`docker://${acr.host}/throttled/shop/api:2.0`, acrAccess())).toBe(digests.api);
  });
});
