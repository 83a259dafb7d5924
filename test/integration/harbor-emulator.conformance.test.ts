import { removeAllTempDirs, trackedPids } from '../sandbox/child-processes';
import { authHeader, HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { ImageLayout, makeImage } from '../sandbox/make-image';
import { request, SimpleResponse, sleep } from '../sandbox/net-utils';
import { Credentials, RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoCopy, skopeoDigest } from '../sandbox/skopeo';
import { REPORT_MIME_V10, REPORT_MIME_V11 } from '../sandbox/vulnerability-report';
import { createHash } from 'node:crypto';

// Every endpoint x method the pack uses, against the emulator, with each exchange checked against Harbor's swagger
// (useContractCheck fails the test whose traffic broke the contract).

let harbor: HarborEmulator;
let acr: RegistryHandle;
let dev: Credentials;
let outsider: Credentials;
let systemRobot: Credentials;
let projectRobot: Credentials;
let v1: ImageLayout;
let v2: ImageLayout;
let multi: ImageLayout;

type Who = Credentials | 'anonymous' | { cookie: string; csrf?: string };

function api(
  method: string,
  path: string,
  who: Who = harbor.admin,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (who !== 'anonymous') {
    if ('cookie' in who) {
      headers.cookie = who.cookie;
      if (who.csrf) headers['x-harbor-csrf-token'] = who.csrf;
    } else Object.assign(headers, authHeader(who));
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return request(`${harbor.url}/api/v2.0${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}

/** A manifest with the given config media type pushed through the Harbor host with admin's token (as helm push would). */
async function pushRaw(
  repository: string,
  tag: string,
  configType: string,
  content: { config: string; layer: string; layerType: string },
): Promise<void> {
  const scope = `repository:${repository}:pull,push`;
  const tokenRes = await request(`${harbor.url}/service/token?service=${harbor.service}&scope=${scope}`, {
    headers: authHeader(harbor.admin),
  });
  const auth = { authorization: `Bearer ${tokenRes.json<any>().token}` };
  const blob = async (data: string) => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const started = await request(`${harbor.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
    const location = new URL(started.headers.location as string, harbor.url);
    location.searchParams.set('digest', digest);
    const put = await request(location.toString(), {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: data,
    });
    expect(put.status).toBe(201);
    return { digest, size: Buffer.byteLength(data) };
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: configType, ...(await blob(content.config)) },
    layers: [{ mediaType: content.layerType, ...(await blob(content.layer)) }],
  };
  const res = await request(`${harbor.url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': manifest.mediaType },
    body: JSON.stringify(manifest),
  });
  expect(res.status).toBe(201);
}

const artifacts = (repo: string) =>
  `/projects/library/repositories/${encodeURIComponent(encodeURIComponent(repo))}/artifacts`;

beforeAll(async () => {
  harbor = await startHarborEmulator({
    users: [
      { username: 'dev', password: 'dev-Password1', projects: { library: 'developer' } },
      { username: 'outsider', password: 'outsider-Password1' },
    ],
    robots: [
      { name: 'ci', level: 'system' },
      { name: 'pusher', level: 'project', project: 'library' },
    ],
    projects: [{ name: 'library', public: true }, { name: 'private1' }],
    scanTimings: { queuedMs: 150, pendingMs: 400, runningMs: 400 },
  });
  dev = { username: 'dev', password: 'dev-Password1' };
  outsider = { username: 'outsider', password: 'outsider-Password1' };
  systemRobot = harbor.addRobot({ name: 'ci2', level: 'system' });
  projectRobot = harbor.addRobot({ name: 'pusher2', level: 'project', project: 'library' });
  acr = await startRegistry({ auth: 'htpasswd', users: [{ username: 'acr-token', password: 'acr-secret' }] });
  const push = { host: harbor.host, ...harbor.admin };
  v1 = makeImage({ tag: 'v1' });
  v2 = makeImage({ tag: 'v2' });
  multi = makeImage({
    tag: '1.0',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
  await skopeoCopy(v1.ref, `docker://${harbor.host}/library/app:v1`, { dest: push });
  await skopeoCopy(v2.ref, `docker://${harbor.host}/library/app:v2`, { dest: push });
  await skopeoCopy(v2.ref, `docker://${harbor.host}/library/app:latest`, { dest: push });
  await skopeoCopy(multi.ref, `docker://${harbor.host}/library/team/app:1.0`, { dest: push });
  await skopeoCopy(v1.ref, `docker://${harbor.host}/private1/secret:1`, { dest: push });
}, 60000);

afterAll(async () => {
  await harbor?.stop();
  await acr?.stop();
  // Nothing the sandbox started may outlive the suite.
  expect(trackedPids()).toEqual([]);
  removeAllTempDirs();
});

useContractCheck(() => [harbor]);

describe('health and system', () => {
  test('GET /ping answers Pong as text/plain without authentication', async () => {
    const res = await api('GET', '/ping', 'anonymous');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text()).toBe('Pong');
  });

  test('GET /health lists components and turns unhealthy when one is', async () => {
    let res = await api('GET', '/health', 'anonymous');
    expect(res.json()).toMatchObject({ status: 'healthy' });
    expect(res.json<any>().components.map((c: any) => c.name)).toEqual(
      expect.arrayContaining(['core', 'registry', 'jobservice', 'trivy']),
    );
    harbor.setHealth('trivy', false, 'scanner adapter unreachable');
    res = await api('GET', '/health', 'anonymous');
    expect(res.json<any>().status).toBe('unhealthy');
    expect(res.json<any>().components).toContainEqual({
      name: 'trivy',
      status: 'unhealthy',
      error: 'scanner adapter unreachable',
    });
    harbor.setHealth('trivy', true);
  });

  test('GET /systeminfo omits deployment details for anonymous callers', async () => {
    const anon = (await api('GET', '/systeminfo', 'anonymous')).json<any>();
    expect(anon.auth_mode).toBe('db_auth');
    expect(anon.harbor_version).toBeUndefined();
    expect(anon.registry_url).toBeUndefined();
    const admin = (await api('GET', '/systeminfo')).json<any>();
    expect(admin.harbor_version).toMatch(/^v2\./);
    expect(admin.registry_url).toBe(harbor.host);
    expect(admin.external_url).toBe(harbor.url);
  });

  test('GET /users/current identifies the caller; anonymous is 401', async () => {
    expect((await api('GET', '/users/current', dev)).json()).toMatchObject({ username: 'dev', sysadmin_flag: false });
    expect((await api('GET', '/users/current')).json()).toMatchObject({ username: 'admin', sysadmin_flag: true });
    expect((await api('GET', '/users/current', 'anonymous')).status).toBe(401);
  });
});

describe('authentication quirks', () => {
  test('wrong basic credentials run as anonymous, as Harbor (src/server/middleware/security/basic_auth.go)', async () => {
    const wrong = { username: 'admin', password: 'wrong' };
    const list = await api('GET', '/projects', wrong);
    expect(list.status).toBe(200);
    expect(list.json<any[]>().every((p) => p.metadata.public === 'true')).toBe(true);
    const current = await api('GET', '/users/current', wrong);
    expect(current.status).toBe(401);
    expect(current.json<any>().errors[0].code).toBe('UNAUTHORIZED');
    // HeadProject requires an authenticated caller (src/server/v2.0/handler/project.go).
    expect((await api('HEAD', '/projects?project_name=library', wrong)).status).toBe(401);
    expect((await api('HEAD', '/projects?project_name=library')).status).toBe(200);
  });

  test('CSRF: a session-cookie POST without X-Harbor-CSRF-Token is 403; with the token from a GET it passes', async () => {
    const session = harbor.createSession('admin');
    const get = await api('GET', '/projects', { cookie: session.cookie });
    expect(get.status).toBe(200);
    const token = get.headers['x-harbor-csrf-token'] as string;
    expect(token).toBeTruthy();
    const denied = await api('POST', '/projects', { cookie: session.cookie }, { body: { project_name: 'csrf-test' } });
    expect(denied.status).toBe(403);
    const ok = await api(
      'POST',
      '/projects',
      { cookie: session.cookie, csrf: token },
      { body: { project_name: 'csrf-test' } },
    );
    expect(ok.status).toBe(201);
    // Basic auth alone is not subject to CSRF.
    expect(
      (await api('DELETE', '/projects/csrf-test', harbor.admin, { headers: { 'x-is-resource-name': 'true' } })).status,
    ).toBe(200);
  });

  test('CSRF applies whenever a sid cookie is present, even beside Basic auth (src/server/middleware/csrf/csrf.go csrfSkipper)', async () => {
    const session = harbor.createSession('admin');
    const both = { ...authHeader(harbor.admin), cookie: session.cookie };
    const denied = await api('POST', '/projects', 'anonymous', { headers: both, body: { project_name: 'csrf-basic' } });
    expect(denied.status).toBe(403);
    expect(denied.json<any>().errors[0].message).toMatch(/CSRF/);
    expect((await api('GET', '/projects/csrf-basic')).status).toBe(404);
  });
});

describe('projects', () => {
  test('GET /projects paginates with X-Total-Count and a Link header', async () => {
    const all = await api('GET', '/projects');
    expect(all.headers['x-total-count']).toBe('2');
    const first = await api('GET', '/projects?page=1&page_size=1');
    expect(first.json<any[]>()).toHaveLength(1);
    expect(first.headers['x-total-count']).toBe('2');
    expect(first.headers.link).toBe('</api/v2.0/projects?page=2&page_size=1>; rel="next"');
    const second = await api('GET', '/projects?page=2&page_size=1');
    expect(second.headers.link).toBe('</api/v2.0/projects?page=1&page_size=1>; rel="prev"');
    expect(second.json<any[]>()[0].name).not.toBe(first.json<any[]>()[0].name);
  });

  test('page_size above 100 is refused (swagger maximum) and recorded as a client contract violation', async () => {
    const res = await api('GET', '/projects?page_size=101');
    expect(res.status).toBe(422);
    expect(harbor.violations()).toEqual([
      expect.objectContaining({ side: 'request', message: expect.stringMatching(/page_size.*maximum 100/) }),
    ]);
    harbor.clearViolations();
  });

  test('anonymous callers see public projects only; members also see their private ones', async () => {
    expect((await api('GET', '/projects', 'anonymous')).json<any[]>().map((p) => p.name)).toEqual(['library']);
    expect((await api('GET', '/projects')).json<any[]>().map((p) => p.name)).toEqual(['library', 'private1']);
    const lib = (await api('GET', '/projects?name=libr', dev)).json<any[]>();
    expect(lib).toEqual([
      expect.objectContaining({
        name: 'library',
        metadata: { public: 'true' },
        current_user_role_id: 2,
        repo_count: 2,
      }),
    ]);
  });

  test('a robot sees the projects its permissions name, whatever they are, and the public ones (handler/project.go ListProjects)', async () => {
    const reader = harbor.addRobot({
      name: 'reader',
      level: 'project',
      project: 'private1',
      permissions: ['artifact:read'],
    });
    expect((await api('GET', '/projects', reader)).json<any[]>().map((p) => p.name)).toEqual(['library', 'private1']);
    const registryOnly = harbor.addRobot({ name: 'registries', level: 'system', permissions: ['registry:list'] });
    expect((await api('GET', '/projects', registryOnly)).json<any[]>().map((p) => p.name)).toEqual(['library']);
    expect((await api('GET', '/projects', systemRobot)).json<any[]>().map((p) => p.name)).toEqual([
      'library',
      'private1',
    ]);
  });

  test('HEAD /projects?project_name= answers 200 or 404 without a body', async () => {
    expect((await api('HEAD', '/projects?project_name=library')).status).toBe(200);
    const missing = await api('HEAD', '/projects?project_name=nope');
    expect(missing.status).toBe(404);
    expect(missing.body.length).toBe(0);
  });

  test('POST /projects: 201 with Location, 409 on duplicate, 400 on an invalid name, 401/403 for who may not', async () => {
    const created = await api('POST', '/projects', dev, {
      body: { project_name: 'team-a', metadata: { public: 'false' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(/^\/api\/v2\.0\/projects\/\d+$/);
    expect(created.body.length).toBe(0);
    const byName = await api('POST', '/projects', dev, {
      body: { project_name: 'team-b' },
      headers: { 'x-resource-name-in-location': 'true' },
    });
    expect(byName.headers.location).toBe('/api/v2.0/projects/team-b');
    expect((await api('POST', '/projects', harbor.admin, { body: { project_name: 'team-a' } })).status).toBe(409);
    expect((await api('POST', '/projects', harbor.admin, { body: { project_name: 'Bad Name' } })).status).toBe(400);
    expect((await api('POST', '/projects', 'anonymous', { body: { project_name: 'team-c' } })).status).toBe(401);
    expect((await api('POST', '/projects', projectRobot, { body: { project_name: 'team-c' } })).status).toBe(403);
    const got = await api('GET', created.headers.location!.replace('/api/v2.0', ''), dev);
    expect(got.json()).toMatchObject({
      name: 'team-a',
      owner_name: 'dev',
      metadata: { public: 'false' },
      current_user_role_id: 1,
    });
    for (const p of ['team-a', 'team-b'])
      expect(
        (await api('DELETE', `/projects/${p}`, harbor.admin, { headers: { 'x-is-resource-name': 'true' } })).status,
      ).toBe(200);
  });

  test('GET /projects/{name_or_id}: by name, by id, 404 when missing, 401/403 on a private project', async () => {
    const byName = (await api('GET', '/projects/library')).json<any>();
    const byId = await api('GET', `/projects/${byName.project_id}`);
    expect(byId.json<any>().name).toBe('library');
    expect((await api('GET', '/projects/nope')).status).toBe(404);
    expect((await api('GET', '/projects/private1', 'anonymous')).status).toBe(401);
    expect((await api('GET', '/projects/private1', outsider)).status).toBe(403);
  });

  test('a missing project is 404 to an administrator only; anyone else gets the 401/403 of a private one (handler/base.go HasProjectPermission)', async () => {
    for (const path of [
      '/projects/nope',
      '/projects/9999',
      '/projects/nope/repositories',
      `/projects/nope/repositories/app/artifacts/v1`,
    ]) {
      expect([path, (await api('GET', path)).status]).toEqual([path, 404]);
      const denied = await api('GET', path, dev);
      expect([path, denied.status, denied.json<any>().errors[0].code]).toEqual([path, 403, 'FORBIDDEN']);
      expect([path, (await api('GET', path, systemRobot)).status]).toEqual([path, 403]);
      const anonymous = await api('GET', path, 'anonymous');
      expect([path, anonymous.status, anonymous.json<any>().errors[0].code]).toEqual([path, 401, 'UNAUTHORIZED']);
    }
  });

  test('DELETE /projects/{name} refuses a project that still has repositories (412)', async () => {
    expect((await api('DELETE', '/projects/private1')).status).toBe(412);
  });
});

describe('repositories and artifacts', () => {
  test('lists repositories of a project from the real registry', async () => {
    const res = await api('GET', '/projects/library/repositories');
    expect(
      res
        .json<any[]>()
        .map((r) => r.name)
        .sort(),
    ).toEqual(['library/app', 'library/team/app']);
    expect(res.json<any[]>().find((r) => r.name === 'library/app')).toMatchObject({ artifact_count: 2 });
  });

  test('a repository name with "/" must be encoded twice; once-encoded does not route', async () => {
    const twice = await api('GET', '/projects/library/repositories/team%252Fapp');
    expect(twice.status).toBe(200);
    expect(twice.json<any>().name).toBe('library/team/app');
    const once = await api('GET', '/projects/library/repositories/team%2Fapp');
    expect(once.status).toBe(404);
    expect(harbor.violations()).toEqual([
      expect.objectContaining({ side: 'request', message: expect.stringMatching(/no operation/) }),
    ]);
    harbor.clearViolations();
  });

  test('artifacts group tags by digest; with_tag=false leaves tags out', async () => {
    const list = (await api('GET', `${artifacts('app')}?with_tag=true`)).json<any[]>();
    const byDigest = Object.fromEntries(list.map((a) => [a.digest, a.tags.map((t: any) => t.name).sort()]));
    expect(byDigest).toEqual({ [v1.digest]: ['v1'], [v2.digest]: ['latest', 'v2'] });
    const untagged = (await api('GET', `${artifacts('app')}?with_tag=false`)).json<any[]>();
    expect(untagged.every((a) => a.tags === undefined)).toBe(true);
    const exact = (await api('GET', `${artifacts('app')}?q=${encodeURIComponent('tags=latest')}`)).json<any[]>();
    expect(exact.map((a) => a.digest)).toEqual([v2.digest]);
    const fuzzy = await api('GET', `${artifacts('app')}?q=${encodeURIComponent('tags=~v')}&page_size=1`);
    expect(fuzzy.headers['x-total-count']).toBe('2');
  });

  test('artifacts of a repository that does not exist: an empty page, not 404 (handler/artifact.go ListArtifacts)', async () => {
    const res = await api('GET', artifacts('no-such-repo'));
    expect([res.status, res.json(), res.headers['x-total-count']]).toEqual([200, [], '0']);
    expect((await api('GET', `${artifacts('no-such-repo')}/v1`)).status).toBe(404);
  });

  test('GET an artifact by tag or digest; a multi-arch index lists its platforms; unknown is 404', async () => {
    const byTag = (await api('GET', `${artifacts('app')}/v1`)).json<any>();
    expect(byTag).toMatchObject({ digest: v1.digest, repository_name: 'library/app', type: 'IMAGE' });
    expect((await api('GET', `${artifacts('app')}/${v1.digest}`)).json<any>().tags[0].name).toBe('v1');
    const index = (await api('GET', `${artifacts('team/app')}/1.0`)).json<any>();
    expect(index.manifest_media_type).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.references.map((r: any) => r.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect((await api('GET', `${artifacts('app')}/nope`)).status).toBe(404);
  });

  test('a private project is 401 for anonymous and 403 for a non-member', async () => {
    expect((await api('GET', '/projects/private1/repositories', 'anonymous')).status).toBe(401);
    expect((await api('GET', '/projects/private1/repositories', outsider)).status).toBe(403);
    expect((await api('GET', '/projects/private1/repositories', systemRobot)).status).toBe(200);
  });

  test("in a public project anyone may list an artifact's accessories (src/common/rbac/project/rbac_util.go publicProjectPolicies)", async () => {
    const puller = harbor.addRobot({ name: 'puller', level: 'project', project: 'library', permissions: ['pull'] });
    for (const who of ['anonymous', puller, outsider] as const) {
      const res = await api('GET', `${artifacts('app')}/v1/accessories`, who);
      expect([res.status, res.json()]).toEqual([200, []]);
    }
    expect((await api('GET', '/projects/private1/repositories/secret/artifacts/1/accessories', outsider)).status).toBe(
      403,
    );
  });
});

describe('scan', () => {
  async function overview(repo: string, ref: string, accept?: string): Promise<any> {
    const res = await api(
      'GET',
      `${artifacts(repo)}/${ref}?with_scan_overview=true`,
      harbor.admin,
      accept ? { headers: { 'x-accept-vulnerabilities': accept } } : {},
    );
    return res.json<any>().scan_overview;
  }

  test('POST scan is 202 without body; overview Pending at once (placeholder), then Running, Success with the fixture', async () => {
    harbor.setScanFixture('library/app', { trivy: 'alpine-310.json' });
    // A Developer holds scan:read only; scan:create is Maintainer's and ProjectAdmin's (src/common/rbac/project/rbac_role.go).
    const denied = await api('POST', `${artifacts('app')}/v1/scan`, dev);
    expect(denied.status).toBe(403);
    expect(denied.json<any>().errors[0].code).toBe('FORBIDDEN');
    // Harbor writes the Pending placeholder report before it answers 202 (src/controller/scan/base_controller.go Scan).
    harbor.setScanTimings({ queuedMs: 0 });
    const res = await api('POST', `${artifacts('app')}/v1/scan`);
    expect(res.status).toBe(202);
    expect(res.body.length).toBe(0);
    const placeholder = (await overview('app', 'v1'))[REPORT_MIME_V11];
    expect(placeholder.scan_status).toBe('Pending');
    // A second request while that report is unfinished conflicts: 409 CONFLICT, no second job
    // (src/pkg/scan/vulnerability/vul.go MakePlaceHolder, src/controller/scan/base_controller.go Scan).
    const again = await api('POST', `${artifacts('app')}/v1/scan`);
    expect([again.status, again.json<any>().errors[0].code]).toEqual([409, 'CONFLICT']);
    expect((await overview('app', 'v1'))[REPORT_MIME_V11].report_id).toBe(placeholder.report_id);
    // Zero numbers and strings are omitted until the scan ends; times are not: unset they read as Go's zero time
    // (strfmt.DateTime is a struct, src/pkg/scan/report/summary.go GenerateNativeSummary).
    for (const key of ['complete_percent', 'duration', 'severity', 'summary'])
      expect(placeholder).not.toHaveProperty(key);
    expect(placeholder).toMatchObject({ start_time: '0001-01-01T00:00:00.000Z', end_time: '0001-01-01T00:00:00.000Z' });
    harbor.setScanTimings({ queuedMs: 150 });
    const seen = new Set<string>();
    let last: any;
    for (let i = 0; i < 100; i++) {
      last = (await overview('app', 'v1'))?.[REPORT_MIME_V11];
      if (last) seen.add(last.scan_status);
      if (last?.scan_status === 'Success') break;
      await sleep(25);
    }
    expect([...seen]).toEqual(['Pending', 'Running', 'Success']);
    // alpine-310.json holds 4 MEDIUM findings.
    expect(last).toMatchObject({
      severity: 'Medium',
      complete_percent: 100,
      summary: { total: 4, summary: { Medium: 4 } },
    });
    const log = await api('GET', `${artifacts('app')}/v1/scan/${last.report_id}/log`);
    expect(log.status).toBe(200);
    expect(log.text()).toMatch(/report stored/);
  });

  test('additions/vulnerabilities is keyed by MIME type and honours X-Accept-Vulnerabilities', async () => {
    const res = await api('GET', `${artifacts('app')}/v1/additions/vulnerabilities`);
    const body = res.json<Record<string, any>>();
    expect(Object.keys(body)).toEqual([REPORT_MIME_V11]);
    expect(body[REPORT_MIME_V11].vulnerabilities).toHaveLength(4);
    expect(body[REPORT_MIME_V11].vulnerabilities[0]).toMatchObject({
      id: 'CVE-2019-1549',
      package: 'libcrypto1.1',
      severity: 'Medium',
      artifact_digests: [v1.digest],
    });
    const onlyV10 = await api('GET', `${artifacts('app')}/v1/additions/vulnerabilities`, harbor.admin, {
      headers: { 'x-accept-vulnerabilities': REPORT_MIME_V10 },
    });
    expect(onlyV10.json()).toEqual({});
    expect(await overview('app', 'v1', REPORT_MIME_V10)).toBeUndefined();
  });

  test('a failing scanner ends in Error; who may not scan gets 401/403; unknown artifacts 404', async () => {
    harbor.setScanFixture('library/team/app', { outcome: 'Error' });
    harbor.setScanTimings({ queuedMs: 0, pendingMs: 0, runningMs: 0 });
    try {
      // A robot has exactly its permissions: push and pull do not include scan:create (src/common/security/robot/context.go).
      expect(
        (await api('POST', `${artifacts('team/app')}/1.0/scan`, projectRobot, { body: { scan_type: 'vulnerability' } }))
          .status,
      ).toBe(403);
      const scanner = harbor.addRobot({
        name: 'scanner',
        level: 'project',
        project: 'library',
        permissions: ['artifact:read', 'scan:create'],
      });
      expect(
        (await api('POST', `${artifacts('team/app')}/1.0/scan`, scanner, { body: { scan_type: 'vulnerability' } }))
          .status,
      ).toBe(202);
      expect((await overview('team/app', '1.0'))[REPORT_MIME_V11].scan_status).toBe('Error');
    } finally {
      harbor.setScanTimings({ queuedMs: 150, pendingMs: 400, runningMs: 400 });
    }
    expect((await api('POST', `${artifacts('app')}/v2/scan`, 'anonymous')).status).toBe(401);
    expect((await api('POST', `${artifacts('app')}/v2/scan`, outsider)).status).toBe(403);
    expect((await api('POST', `${artifacts('app')}/nope/scan`)).status).toBe(404);
  });

  test('only IMAGE artifacts are scannable: a chart has no vulnerabilities link or overview, and a scan of it is 400 (src/controller/scan/checker.go)', async () => {
    await pushRaw('library/ci-chart', '1.0.0', 'application/vnd.cncf.helm.config.v1+json', {
      config: '{"name":"ci-chart","version":"1.0.0","apiVersion":"v2"}',
      layer: 'not really a chart archive',
      layerType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    });
    const got = (await api('GET', `${artifacts('ci-chart')}/1.0.0?with_scan_overview=true`)).json<any>();
    expect(got).toMatchObject({ type: 'CHART', addition_links: {} });
    expect(got).not.toHaveProperty('scan_overview');
    expect((await api('GET', `${artifacts('app')}/v1`)).json<any>().type).toBe('IMAGE');
    const refused = await api('POST', `${artifacts('ci-chart')}/1.0.0/scan`);
    expect([refused.status, refused.json<any>().errors[0].code]).toEqual([400, 'BAD_REQUEST']);
  });

  test('POST scan/stop cancels a queued scan', async () => {
    expect((await api('POST', `${artifacts('app')}/v2/scan`)).status).toBe(202);
    // swagger marks the ScanType body of scan/stop as required.
    expect(
      (await api('POST', `${artifacts('app')}/v2/scan/stop`, harbor.admin, { body: { scan_type: 'vulnerability' } }))
        .status,
    ).toBe(202);
    await sleep(200);
    expect(await overview('app', 'v2')).toBeUndefined();
  });
});

describe('registries (system level only)', () => {
  test('CRUD, masked secret, 409 on duplicate name, info and adapters', async () => {
    const body = {
      name: 'acr',
      type: 'azure-acr',
      url: acr.url,
      insecure: true,
      credential: { type: 'basic', access_key: 'acr-token', access_secret: 'acr-secret' },
    };
    const created = await api('POST', '/registries', harbor.admin, { body });
    expect(created.status).toBe(201);
    const id = Number(created.headers.location!.split('/').pop());
    expect((await api('POST', '/registries', harbor.admin, { body })).status).toBe(409);
    const got = (await api('GET', `/registries/${id}`)).json<any>();
    expect(got).toMatchObject({
      id,
      name: 'acr',
      url: acr.url,
      credential: { access_key: 'acr-token', access_secret: '*****' },
    });
    expect((await api('GET', '/registries?q=name%3Dacr')).json<any[]>().map((r) => r.id)).toEqual([id]);
    expect(
      (await api('PUT', `/registries/${id}`, harbor.admin, { body: { description: 'stand-in ACR' } })).status,
    ).toBe(200);
    expect((await api('GET', `/registries/${id}`, systemRobot)).json<any>().description).toBe('stand-in ACR');
    expect((await api('GET', `/registries/${id}/info`)).json<any>().supported_resource_filters).toContainEqual({
      type: 'name',
      style: 'input',
    });
    expect((await api('GET', '/replication/adapters')).json<string[]>()).toContain('azure-acr');
    expect((await api('DELETE', `/registries/${id}`)).status).toBe(200);
    expect((await api('GET', `/registries/${id}`)).status).toBe(404);
  });

  test('names: at most 64 characters on create and update; q= values are decoded twice (src/controller/registry/controller.go, src/lib/q/builder.go)', async () => {
    const base = {
      type: 'docker-registry',
      url: acr.url,
      credential: { type: 'basic', access_key: 'acr-token', access_secret: 'acr-secret' },
    };
    const long = 'r'.repeat(64);
    const refused = await api('POST', '/registries', harbor.admin, { body: { ...base, name: `${long}x` } });
    expect(refused.status).toBe(400);
    expect(refused.json<any>().errors[0].message).toBe('the max length of name is 64');
    const created = await api('POST', '/registries', harbor.admin, { body: { ...base, name: long } });
    expect(created.status).toBe(201);
    const id = Number(created.headers.location!.split('/').pop());
    const other = Number(
      (await api('POST', '/registries', harbor.admin, { body: { ...base, name: 'other one' } })).headers
        .location!.split('/')
        .pop(),
    );
    expect((await api('PUT', `/registries/${id}`, harbor.admin, { body: { name: `${long}x` } })).status).toBe(400);
    expect((await api('GET', `/registries/${id}`)).json<any>().name).toBe(long);
    // Harbor unescapes q once more after the framework did: %253D is '=', '+' is a space.
    expect((await api('GET', `/registries?q=name%253D${long}`)).json<any[]>().map((r) => r.id)).toEqual([id]);
    expect((await api('GET', '/registries?q=name%3Dother%2Bone')).json<any[]>().map((r) => r.id)).toEqual([other]);
    expect((await api('DELETE', `/registries/${id}`)).status).toBe(200);
    // What q cannot say (src/lib/q/builder.go parseKeywords): a comma always splits, so a name holding one leaves a
    // pair without "=" — 400 BAD_REQUEST; a leading '~' is fuzzy (case-insensitive, src/lib/orm/query.go) unless
    // escaped with '\'.
    const q = (text: string) => api('GET', `/registries?q=${encodeURIComponent(text)}`);
    for (const text of ['name=a,b', 'name', '=x', 'name=', 'name=~', 'name=[a]'])
      expect([text, (await q(text)).status, (await q(text)).json<any>().errors?.[0].code]).toEqual([
        text,
        400,
        'BAD_REQUEST',
      ]);
    const tilde = Number(
      (await api('POST', '/registries', harbor.admin, { body: { ...base, name: '~Other' } })).headers
        .location!.split('/')
        .pop(),
    );
    expect((await q('name=~other')).json<any[]>().map((r) => r.id)).toEqual([other, tilde]);
    expect((await q('name=\\~Other')).json<any[]>().map((r) => r.id)).toEqual([tilde]);
    expect((await q('name= other one')).json<any[]>()).toEqual([]);
    expect((await api('GET', '/registries?name=OTHER')).json<any[]>().map((r) => r.id)).toEqual([other, tilde]);
    expect((await api('DELETE', `/registries/${other}`)).status).toBe(200);
    expect((await api('DELETE', `/registries/${tilde}`)).status).toBe(200);
  });

  test('create and update run the health check: a registry refusing the credentials is 400 unhealthy, nothing saved (src/controller/registry/controller.go validate)', async () => {
    const base = { type: 'docker-registry', url: acr.url };
    const wrong = { type: 'basic', access_key: 'acr-token', access_secret: 'wrong' };
    const refused = await api('POST', '/registries', harbor.admin, {
      body: { ...base, name: 'unhealthy', credential: wrong },
    });
    expect(refused.status).toBe(400);
    expect(refused.json<any>().errors[0].message).toBe('the registry is unhealthy');
    expect((await api('GET', '/registries?q=name%3Dunhealthy')).json<any[]>()).toEqual([]);
    const created = await api('POST', '/registries', harbor.admin, {
      body: { ...base, name: 'healthy', credential: { ...wrong, access_secret: 'acr-secret' } },
    });
    expect(created.status).toBe(201);
    const id = Number(created.headers.location!.split('/').pop());
    const update = await api('PUT', `/registries/${id}`, harbor.admin, {
      body: { access_key: 'acr-token', access_secret: 'wrong', description: 'rotated' },
    });
    expect(update.status).toBe(400);
    expect(update.json<any>().errors[0].message).toBe('the registry is unhealthy');
    expect((await api('GET', `/registries/${id}`)).json<any>().description).toBe('');
    expect((await api('DELETE', `/registries/${id}`)).status).toBe(200);
  });

  test('project robots and ordinary users get 403, anonymous 401', async () => {
    expect((await api('GET', '/registries', projectRobot)).status).toBe(403);
    expect((await api('GET', '/registries', dev)).status).toBe(403);
    expect((await api('GET', '/registries', 'anonymous')).status).toBe(401);
    expect((await api('GET', '/replication/policies', projectRobot)).status).toBe(403);
    expect((await api('POST', '/replication/executions', projectRobot, { body: { policy_id: 1 } })).status).toBe(403);
  });

  test('POST /registries/ping really contacts the registry with the given credentials', async () => {
    const ping = (b: object) => api('POST', '/registries/ping', harbor.admin, { body: b });
    expect(
      (await ping({ type: 'docker-registry', url: acr.url, access_key: 'acr-token', access_secret: 'acr-secret' }))
        .status,
    ).toBe(200);
    const bad = await ping({ type: 'docker-registry', url: acr.url, access_key: 'acr-token', access_secret: 'wrong' });
    expect(bad.status).toBe(400);
    expect(bad.json<any>().errors[0].message).toMatch(/unhealthy/);
    // Harbor's own token flow, through the emulator's /service/token.
    expect(
      (await ping({ type: 'harbor', url: harbor.url, access_key: 'admin', access_secret: harbor.admin.password }))
        .status,
    ).toBe(200);
    expect((await ping({ type: 'harbor', url: harbor.url, access_key: 'admin', access_secret: 'wrong' })).status).toBe(
      400,
    );
    const before = acr.url;
    expect((await ping({ type: 'docker-registry', url: before.replace(/:\d+$/, ':1') })).status).toBe(400);
  });
});

describe('replication policies and executions', () => {
  let registryId: number;
  let policyId: number;

  beforeAll(async () => {
    const res = await api('POST', '/registries', harbor.admin, {
      body: {
        name: 'acr-target',
        type: 'docker-registry',
        url: acr.url,
        credential: { type: 'basic', access_key: 'acr-token', access_secret: 'acr-secret' },
      },
    });
    registryId = Number(res.headers.location!.split('/').pop());
  });

  test('policy CRUD with validation', async () => {
    const policy = {
      name: 'to-acr',
      dest_registry: { id: registryId },
      dest_namespace: 'mirror',
      dest_namespace_replace_count: 1,
      filters: [
        { type: 'name', value: 'library/app' },
        { type: 'tag', value: 'v1', decoration: 'matches' },
      ],
      trigger: { type: 'manual' },
      enabled: true,
      override: true,
    };
    const created = await api('POST', '/replication/policies', harbor.admin, { body: policy });
    expect(created.status).toBe(201);
    policyId = Number(created.headers.location!.split('/').pop());
    expect((await api('POST', '/replication/policies', harbor.admin, { body: policy })).status).toBe(409);
    expect(
      (
        await api('POST', '/replication/policies', harbor.admin, {
          body: { ...policy, name: 'both-local', dest_registry: undefined },
        })
      ).status,
    ).toBe(400);
    const got = (await api('GET', `/replication/policies/${policyId}`)).json<any>();
    expect(got).toMatchObject({
      name: 'to-acr',
      src_registry: { id: 0, name: 'Local' },
      dest_registry: { id: registryId },
      dest_namespace_replace_count: 1,
    });
    expect(
      (
        await api('PUT', `/replication/policies/${policyId}`, harbor.admin, {
          body: { ...policy, description: 'v1 only' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api('GET', `/replication/policies?q=${encodeURIComponent('name=to-acr')}`, systemRobot)).json<any[]>()[0]
        .description,
    ).toBe('v1 only');
    expect((await api('DELETE', `/registries/${registryId}`)).status).toBe(412);
  });

  test("a scheduled trigger's cron must parse as Harbor's robfig/cron v3 does: six fields, days of the week 0-6 (src/common/utils/utils.go CronParser)", async () => {
    const body = (cron: string) => ({
      name: 'scheduled',
      dest_registry: { id: registryId },
      trigger: { type: 'scheduled', trigger_settings: { cron } },
      enabled: true,
    });
    for (const cron of [
      '0 0 2 * * 7',
      '0 0 2 * * 1-7',
      '0 0 2 * *',
      '0 0 2 * * */0',
      '0 0 2 * * 5-1',
      '0 0 24 * * *',
    ]) {
      const res = await api('POST', '/replication/policies', harbor.admin, { body: body(cron) });
      expect([cron, res.status, res.json<any>().errors[0].code]).toEqual([cron, 400, 'BAD_REQUEST']);
    }
    const created = await api('POST', '/replication/policies', harbor.admin, { body: body('0 0 2 ? JAN-DEC SUN,*/3') });
    expect(created.status).toBe(201);
    expect((await api('DELETE', created.headers.location!.replace('/api/v2.0', ''))).status).toBe(200);
  });

  test('create and update store what the handler reads: deletion from `deletion` only, Go zero values for the rest (src/server/v2.0/handler/replication.go)', async () => {
    const created = await api('POST', '/replication/policies', harbor.admin, {
      body: { name: 'zero-values', dest_registry: { id: registryId }, replicate_deletion: true, speed: -1 },
    });
    expect(created.status).toBe(201);
    const path = created.headers.location!.replace('/api/v2.0', '');
    const stored = (await api('GET', path)).json<any>();
    expect(stored).toMatchObject({
      replicate_deletion: false,
      deletion: false,
      override: false,
      enabled: false,
      speed: 0,
      dest_namespace_replace_count: -1,
    });
    expect(stored).not.toHaveProperty('trigger');
    const body = { name: 'zero-values', dest_registry: { id: registryId }, deletion: true, override: true };
    expect((await api('PUT', path, harbor.admin, { body })).status).toBe(200);
    expect((await api('GET', path)).json<any>()).toMatchObject({
      replicate_deletion: true,
      deletion: true,
      override: true,
      enabled: false,
    });
    // A disabled policy cannot run (src/controller/replication/execution.go Start: PRECONDITION).
    const started = await api('POST', '/replication/executions', harbor.admin, {
      body: { policy_id: Number(path.split('/').pop()) },
    });
    expect([started.status, started.json<any>().errors[0].code]).toEqual([412, 'PRECONDITION']);
    expect((await api('DELETE', path)).status).toBe(200);
  });

  test('execution: 201 + Location, runs to Succeed, tasks and task log; PUT stops; list filters by policy', async () => {
    harbor.clearRequests();
    const started = await api('POST', '/replication/executions', systemRobot, { body: { policy_id: policyId } });
    expect(started.status).toBe(201);
    const location = started.headers.location!;
    expect(location).toMatch(/^\/api\/v2\.0\/replication\/executions\/\d+$/);
    let execution: any;
    for (let i = 0; i < 200; i++) {
      execution = (await api('GET', location.replace('/api/v2.0', ''))).json<any>();
      if (execution.status !== 'InProgress') break;
      await sleep(25);
    }
    expect(execution).toMatchObject({ policy_id: policyId, status: 'Succeed', total: 1, succeed: 1, failed: 0 });
    expect(
      harbor.requests({ method: 'GET', path: /^\/api\/v2\.0\/replication\/executions\/\d+$/ }).length,
    ).toBeGreaterThanOrEqual(1);
    const tasks = (await api('GET', `/replication/executions/${execution.id}/tasks`)).json<any[]>();
    expect(tasks).toEqual([
      expect.objectContaining({
        status: 'Succeed',
        src_resource: 'library/app [1 item(s) in total]',
        dst_resource: 'mirror/app [1 item(s) in total]',
        resource_type: 'artifact',
        operation: 'copy',
      }),
    ]);
    const log = await api('GET', `/replication/executions/${execution.id}/tasks/${tasks[0].id}/log`);
    expect(log.headers['content-type']).toMatch(/^text\/plain/);
    expect(log.text()).toMatch(/mirror\/app:v1/);
    expect(
      await skopeoDigest(`docker://${acr.host}/mirror/app:v1`, {
        host: acr.host,
        username: 'acr-token',
        password: 'acr-secret',
      }),
    ).toBe(v1.digest);
    expect((await api('PUT', `/replication/executions/${execution.id}`)).status).toBe(200);
    const list = await api('GET', `/replication/executions?policy_id=${policyId}&sort=-start_time&page=1&page_size=1`);
    expect(list.json<any[]>().map((e) => e.id)).toEqual([execution.id]);
    expect(list.headers['x-total-count']).toBe('1');
    expect((await api('GET', '/replication/executions/9999')).status).toBe(404);
  });

  test('starting a missing policy, or one whose registry is gone, is 404 (src/controller/replication/policy.go GetPolicy)', async () => {
    expect((await api('POST', '/replication/executions', harbor.admin, { body: { policy_id: 9999 } })).status).toBe(
      404,
    );
    const reg = await api('POST', '/registries', harbor.admin, {
      body: {
        name: 'gone',
        type: 'docker-registry',
        url: acr.url,
        credential: { type: 'basic', access_key: 'acr-token', access_secret: 'acr-secret' },
      },
    });
    const goneId = Number(reg.headers.location!.split('/').pop());
    const created = await api('POST', '/replication/policies', harbor.admin, {
      body: {
        name: 'to-gone',
        dest_registry: { id: goneId },
        filters: [{ type: 'name', value: 'library/app' }],
        trigger: { type: 'manual' },
        enabled: true,
      },
    });
    const id = Number(created.headers.location!.split('/').pop());
    // Harbor refuses to delete a registry a policy uses, so it goes missing only behind the API (e.g. in the database).
    const registries = harbor.state.registries;
    const saved = registries.get(goneId);
    registries.delete(goneId);
    const started = await api('POST', '/replication/executions', harbor.admin, { body: { policy_id: id } });
    expect(started.status).toBe(404);
    expect(started.json<any>().errors[0].message).toBe(`registry ${goneId} not found`);
    registries.set(goneId, saved!);
    expect((await api('DELETE', `/replication/policies/${id}`)).status).toBe(200);
    expect((await api('DELETE', `/registries/${goneId}`)).status).toBe(200);
  });
});

describe('token service and /v2/ on the Harbor host', () => {
  test('a push to a project that does not exist is denied by the token service', async () => {
    await expect(
      skopeoCopy(v1.ref, `docker://${harbor.host}/no-such-project/app:v1`, {
        dest: { host: harbor.host, ...harbor.admin },
      }),
    ).rejects.toThrow(/denied|unauthorized/i);
  });

  test('public projects are pullable anonymously, private ones are not', async () => {
    expect(await skopeoDigest(`docker://${harbor.host}/library/app:v1`, { host: harbor.host })).toBe(v1.digest);
    await expect(skopeoDigest(`docker://${harbor.host}/private1/secret:1`, { host: harbor.host })).rejects.toThrow(
      /unauthorized|denied|authentication required/i,
    );
    expect(
      await skopeoDigest(`docker://${harbor.host}/private1/secret:1`, { host: harbor.host, ...harbor.admin }),
    ).toBe(v1.digest);
  });

  test('a project robot may push to its project only', async () => {
    const robot = { host: harbor.host, ...projectRobot };
    await skopeoCopy(v2.ref, `docker://${harbor.host}/library/robot-pushed:v2`, { dest: robot });
    await expect(
      skopeoCopy(v2.ref, `docker://${harbor.host}/private1/robot-pushed:v2`, { dest: robot }),
    ).rejects.toThrow(/denied|unauthorized/i);
    const guest = { host: harbor.host, ...outsider };
    await expect(skopeoCopy(v2.ref, `docker://${harbor.host}/library/outsider:v2`, { dest: guest })).rejects.toThrow(
      /denied|unauthorized/i,
    );
  });

  test('the token service grants a project robot pull with its push, a system robot only what it was given (src/common/security/robot/context.go)', async () => {
    const granted = async (who: Credentials) => {
      const res = await request(
        `${harbor.url}/service/token?service=${harbor.service}&scope=repository:private1/secret:pull,push`,
        { headers: authHeader(who) },
      );
      const payload = JSON.parse(Buffer.from(res.json<any>().token.split('.')[1], 'base64url').toString());
      return payload.access[0].actions;
    };
    const systemPusher = harbor.addRobot({ name: 'sys-pusher', level: 'system', permissions: ['push'] });
    const projectPusher = harbor.addRobot({
      name: 'pusher3',
      level: 'project',
      project: 'private1',
      permissions: ['push'],
    });
    expect(await granted(systemPusher)).toEqual(['push']);
    expect(await granted(projectPusher)).toEqual(['pull', 'push']);
  });
});

describe('the contract check itself', () => {
  test('a malformed response is recorded as a violation and fails stop()', async () => {
    const other = await startHarborEmulator();
    try {
      other.injectResponse({
        method: 'GET',
        path: /\/api\/v2\.0\/projects$/,
        body: (original) => (original as any[]).map((p) => ({ ...p, project_id: 'one' })),
      });
      const res = await request(`${other.url}/api/v2.0/projects`, { headers: authHeader(other.admin) });
      expect(res.status).toBe(200);
      expect(other.violations()).toEqual([
        expect.objectContaining({
          side: 'response',
          operationId: 'listProjects',
          status: 200,
          message: expect.stringMatching(/project_id must be integer/),
        }),
      ]);
      other.injectResponse({ path: /\/api\/v2\.0\/ping$/, status: 204 });
      await request(`${other.url}/api/v2.0/ping`);
      expect(other.violations().map((v) => v.message)).toContainEqual(
        expect.stringMatching(/status 204 is not declared for getPing/),
      );
    } finally {
      await expect(other.stop()).rejects.toThrow(/Harbor contract violations:[\s\S]*project_id/);
    }
  });

  test('a request with an undeclared query parameter is reported (Harbor ignores it; the client relies on nothing)', async () => {
    const res = await api('GET', '/projects?with_scan_overview=true');
    expect(res.status).toBe(200);
    expect(harbor.violations()).toEqual([
      expect.objectContaining({
        side: 'request',
        message: 'query parameter with_scan_overview is not declared for listProjects',
      }),
    ]);
    harbor.clearViolations();
  });
});
