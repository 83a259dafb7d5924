import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { harborAccess, registryAccess, seedImage } from '../sandbox/seed';
import { harborInputs, runReplicate } from './replicate-setup';

// Harbor emulator + a real htpasswd registry standing in for ACR: the replication jobs really copy with skopeo, and
// skopeo checks the result on its own.
let harbor: HarborEmulator;
let acr: RegistryHandle;
let webDigest: string;

beforeAll(async () => {
  [harbor, acr] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'library', public: true }, { name: 'app' }] }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  webDigest = await seedImage(harborAccess(harbor), 'app/web', '1.0');
  await seedImage(harborAccess(harbor), 'app/worker', '2.0');
});

afterAll(async () => {
  await harbor?.stop();
  await acr?.stop();
});

const acrEndpoint = () => ({
  'registry-name': 'acr-westeurope',
  'registry-type': 'azure-acr',
  'registry-url': acr.url,
  'registry-username': acr.users[0].username,
  'registry-password': acr.users[0].password,
});

describe('replicate against the Harbor emulator', () => {
  it('pushes an image Harbor → ACR stand-in; skopeo finds the same digest there', async () => {
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'policy-name': 'to-acr',
      direction: 'push',
      'name-filter': 'app/web',
      'tag-filter': '1.*',
    });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(await skopeoDigest(`docker://${acr.host}/app/web:1.0`, registryAccess(acr))).toBe(webDigest);
    // The name filter kept app/worker at home.
    await expect(skopeoDigest(`docker://${acr.host}/app/worker:2.0`, registryAccess(acr))).rejects.toThrow();
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1', failed: '0' });
    expect(Number(p.outputs['registry-id'])).toBeGreaterThan(0);
    expect(Number(p.outputs['execution-id'])).toBeGreaterThan(0);
    expect(p.messages('info').join('\n')).toMatch(
      /artifact\s+app\/web \[1 item\(s\) in total\] → app\/web \[1 item\(s\) in total\]\s+Succeed/,
    );
    expect(p.summaries.join('\n')).toContain(
      '| artifact | `app/web [1 item(s) in total]` | `app/web [1 item(s) in total]` | Succeed |',
    );
    expect(p.transcript).not.toContain(acr.users[0].password);
    expect(p.transcript).not.toContain(harbor.admin.password);
  });

  it('re-running creates no new endpoint or policy', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'policy-name': 'to-acr',
      direction: 'push',
      'name-filter': 'app/web',
      'tag-filter': '1.*',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(harbor.requests({ method: 'POST', path: /\/registries$/ })).toHaveLength(0);
    expect(harbor.requests({ method: 'POST', path: /\/replication\/policies$/ })).toHaveLength(0);
    expect(harbor.requests({ method: 'PUT', path: /\/replication\/policies\// })).toHaveLength(0);
    expect(p.messages('info')).toContain(`Replication policy 'to-acr' (id ${p.outputs['policy-id']}) is up to date`);
    // Harbor never shows the stored secret, so the given one is written again, and only that.
    expect(harbor.requests({ method: 'PUT', path: /\/registries\/\d+$/ })).toHaveLength(1);
    expect(p.messages('info')).toContain(
      `Registry endpoint 'acr-westeurope' (id ${p.outputs['registry-id']}) updated: credential refreshed (Harbor never reveals the stored secret, so a supplied one is always written)`,
    );
  });

  it('a changed endpoint field is pinged with the stored secret, then saved and logged', async () => {
    harbor.clearRequests();
    const { 'registry-password': _password, ...withoutPassword } = acrEndpoint();
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...withoutPassword,
      'registry-insecure': 'true',
      'policy-name': 'to-acr',
      run: 'false',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(p.messages('info')).toContain(
      `Registry endpoint 'acr-westeurope' (id ${p.outputs['registry-id']}) updated: insecure: false → true`,
    );
    expect(harbor.requests({ method: 'POST', path: /\/registries\/ping$/ })).toHaveLength(1);
    expect(harbor.requests({ method: 'POST', path: /\/replication\/executions$/ })).toHaveLength(0);
    expect(p.outputs['execution-id']).toBeUndefined();
  });

  it('a changed filter updates the policy and logs the diff', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      'registry-name': 'acr-westeurope',
      'policy-name': 'to-acr',
      'name-filter': 'app/{web,worker}',
      'tag-filter': '{1,2}.*',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(harbor.requests({ method: 'PUT', path: /\/replication\/policies\// })).toHaveLength(1);
    const info = p.messages('info');
    expect(info).toContain('  name filter: app/web → app/{web,worker}');
    expect(info).toContain('  tag filter: 1.* → {1,2}.*');
    // Only what differs is listed: direction, endpoint and the rest stayed.
    expect(info.filter((l) => l.startsWith('  '))).toHaveLength(2);
    expect(p.outputs.total).toBe('2');
    expect(await skopeoDigest(`docker://${acr.host}/app/worker:2.0`, registryAccess(acr))).toMatch(/^sha256:/);
  });

  it('pulls ACR stand-in → Harbor into another namespace', async () => {
    const baseDigest = await seedImage(registryAccess(acr), 'base/alpine', '3.20');
    // As an ACR token the endpoint cannot list the catalog, so a pull needs exact names (Harbor's IsSpecificPath).
    const refused = await runReplicate({
      ...harborInputs(harbor),
      'registry-name': 'acr-westeurope',
      'policy-name': 'from-acr',
      direction: 'pull',
      'name-filter': 'base/**',
    });
    expect(refused.result?.message).toMatch(
      /^Pull policy 'from-acr' from ACR endpoint 'acr-westeurope': 'name-filter' 'base\/\*\*' is not an exact repository path, .* e\.g\. 'base\/\{app,api\}'/,
    );
    const p = await runReplicate({
      ...harborInputs(harbor),
      'registry-name': 'acr-westeurope',
      'policy-name': 'from-acr',
      direction: 'pull',
      'name-filter': 'base/{alpine,busybox}',
      'dest-namespace': 'mirror',
      flattening: '1',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(await skopeoDigest(`docker://${harbor.host}/mirror/alpine:3.20`, harborAccess(harbor))).toBe(baseDigest);
  });

  it('with only policy-name, runs the existing policy as it is', async () => {
    harbor.clearRequests();
    const p = await runReplicate({ ...harborInputs(harbor), 'policy-name': 'from-acr' });
    expect(p.result?.result).toBe('succeeded');
    expect(harbor.requests({ method: 'PUT', path: /^\/api\/v2\.0\/(registries|replication\/policies)/ })).toHaveLength(
      0,
    );
    expect(p.messages('info')).toContain(`Using replication policy 'from-acr' (id ${p.outputs['policy-id']}) as it is`);
  });

  it('a push policy to ACR without a name filter is refused before anything is written', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'registry-name': 'acr-2',
      'policy-name': 'all-to-acr',
      direction: 'push',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /needs 'name-filter': an ACR token can push only to the repositories its scope map names/,
    );
    expect(harbor.requests({ method: 'POST' })).toHaveLength(0);
  });

  it('bad endpoint credentials: the ping fails with the URL and Harbor answer, nothing is saved', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'registry-name': 'acr-badcreds',
      'registry-password': 'definitely-wrong',
      'policy-name': 'never',
      direction: 'push',
      'name-filter': 'app/web',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toBe(
      `Harbor could not reach registry endpoint ${acr.url} as ${acr.users[0].username} (400: BAD_REQUEST: the registry is unhealthy); nothing was saved: check the registry URL, type and credentials`,
    );
    expect(harbor.requests({ method: 'POST', path: /\/registries$/ })).toHaveLength(0);
    expect(harbor.requests({ method: 'POST', path: /\/replication\/policies$/ })).toHaveLength(0);
    expect(p.transcript).not.toContain('definitely-wrong');
  });

  it('a project robot account gets a clear 403 explanation', async () => {
    const robot = harbor.addRobot({ name: 'ci', level: 'project', project: 'app' });
    const p = await runReplicate({
      'harbor-url': harbor.url,
      username: robot.username,
      password: robot.password,
      'policy-name': 'to-acr',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /system-level APIs, which a project robot account can never use; use a Harbor administrator or a system robot account/,
    );
    expect(p.transcript).not.toContain(robot.password);
  });
});

// Fields the pack does not manage survive its updates, and "unlimited" is written as Harbor stores it
// (src/server/v2.0/handler/replication.go, v2.15.2: PUT replaces the whole policy; a negative speed is stored as 0).
describe('replicate keeps what Harbor stores', () => {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${harbor.url}/api/v2.0${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64')}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBeLessThan(300);
    return res.status === 200 && method === 'GET' ? ((await res.json()) as Record<string, any>) : undefined;
  };
  const policyNamed = async (name: string) =>
    ((await api('GET', `/replication/policies?name=${name}`)) as unknown as Record<string, any>[])[0];

  it('speed -1 is written as 0, so a re-run with -1 rewrites nothing', async () => {
    const inputs = {
      ...harborInputs(harbor),
      'registry-name': 'acr-westeurope',
      'policy-name': 'unlimited',
      direction: 'push',
      'name-filter': 'app/web',
      speed: '-1',
      run: 'false',
    };
    expect((await runReplicate(inputs)).result?.result).toBe('succeeded');
    expect((await policyNamed('unlimited')).speed).toBe(0);
    harbor.clearRequests();
    const again = await runReplicate(inputs);
    expect(again.result?.result).toBe('succeeded');
    expect(harbor.requests({ method: 'PUT', path: /\/replication\/policies\// })).toHaveLength(0);
  });

  it("deletion: true reaches Harbor, whose API reads it from the deprecated 'deletion' field; a re-run rewrites nothing", async () => {
    const inputs = {
      ...harborInputs(harbor),
      'registry-name': 'acr-westeurope',
      'policy-name': 'with-deletions',
      direction: 'push',
      'name-filter': 'app/web',
      deletion: 'true',
      run: 'false',
    };
    expect((await runReplicate(inputs)).result?.result).toBe('succeeded');
    expect(await policyNamed('with-deletions')).toMatchObject({ deletion: true, replicate_deletion: true });
    harbor.clearRequests();
    expect((await runReplicate(inputs)).result?.result).toBe('succeeded');
    expect(harbor.requests({ method: 'PUT', path: /\/replication\/policies\// })).toHaveLength(0);
  });

  it("names Harbor's q cannot take as they are (a comma, + and %, a leading ~) are still found, so a re-run writes nothing", async () => {
    // q splits at commas, unescapes once more and reads a leading ~ as fuzzy (src/lib/q/builder.go).
    const inputs = {
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'registry-name': 'acr, west+1 100%',
      'policy-name': '~nightly, all+',
      direction: 'push',
      'name-filter': 'app/web',
      run: 'false',
    };
    const first = await runReplicate(inputs);
    expect(first.result?.result).toBe('succeeded');
    harbor.clearRequests();
    const again = await runReplicate(inputs);
    expect(again.result?.result).toBe('succeeded');
    expect(again.outputs['registry-id']).toBe(first.outputs['registry-id']);
    expect(again.outputs['policy-id']).toBe(first.outputs['policy-id']);
    expect(harbor.requests({ method: 'POST', path: /\/(registries|replication\/policies)$/ })).toEqual([]);
  });

  it('a schedule Harbor would refuse (Sunday as 7) fails on the input, before anything is written', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      ...acrEndpoint(),
      'registry-name': 'acr-sunday',
      'policy-name': 'sundays',
      direction: 'push',
      'name-filter': 'app/web',
      trigger: 'scheduled',
      cron: '0 0 2 * * 7',
      run: 'false',
    });
    expect(p.result).toEqual({
      result: 'failed',
      message:
        "Input 'cron': Harbor's scheduler numbers the days of the week 0-6 (Sunday is 0, or write SUN); 7 is refused (got '0 0 2 * * 7')",
    });
    expect(harbor.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it("an update keeps the policy's single active replication setting", async () => {
    const stored = await policyNamed('unlimited');
    await api('PUT', `/replication/policies/${stored.id}`, { ...stored, single_active_replication: true });
    const p = await runReplicate({
      ...harborInputs(harbor),
      'policy-name': 'unlimited',
      'name-filter': 'app/{web,worker}',
      run: 'false',
    });
    expect(p.result?.result).toBe('succeeded');
    expect(p.messages('info')).toContain('  name filter: app/web → app/{web,worker}');
    expect((await policyNamed('unlimited')).single_active_replication).toBe(true);
  });

  it('event_based with single active replication is refused before any write', async () => {
    harbor.clearRequests();
    const p = await runReplicate({
      ...harborInputs(harbor),
      'policy-name': 'unlimited',
      trigger: 'event_based',
      run: 'false',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Input 'trigger' event_based cannot be combined with policy 'unlimited''s "single active replication" setting/,
    );
    expect(harbor.requests({ method: 'PUT' })).toHaveLength(0);
    expect(harbor.requests({ method: 'POST' })).toHaveLength(0);
    expect((await policyNamed('unlimited')).trigger.type).toBe('manual');
  });
});
