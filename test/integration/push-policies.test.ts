import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { skopeoDigest } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';

// Refusals by rule, not by role, end to end through the registry path: Harbor's project quota (403 DENIED,
// src/server/middleware/quota) and immutable tags (412 PRECONDITION, src/server/middleware/immutable), as the
// emulator's /v2/ middlewares answer them; push reports each as a policy of Harbor, not as a missing role.

let harbor: HarborEmulator;

beforeAll(async () => {
  harbor = await startHarborEmulator({ projects: [{ name: 'small' }, { name: 'frozen' }] });
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
