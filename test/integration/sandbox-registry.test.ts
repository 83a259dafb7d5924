import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { basicAuth, request, sleep } from '../sandbox/net-utils';
import { makeTokenSigningKey } from '../sandbox/pki';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { signRegistryToken } from '../sandbox/registry-token';
import { runSkopeo, skopeoCopy, skopeoDigest } from '../sandbox/skopeo';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(() => removeAllTempDirs());

describe('make-image', () => {
  test('a seed makes the same image twice; no seed makes a new one', () => {
    const a = makeImage({ seed: 's', layers: 2 });
    const b = makeImage({ seed: 's', layers: 2 });
    expect(a.digest).toBe(b.digest);
    expect(makeImage().digest).not.toBe(makeImage().digest);
  });

  test('several platforms write an OCI image index that skopeo reads', async () => {
    const img = makeImage({
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
    expect(img.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const { stdout } = await runSkopeo('inspect', ['--raw', img.ref], {});
    const index = JSON.parse(stdout);
    expect(index.manifests.map((m: any) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(index.manifests.map((m: any) => m.digest)).toEqual(img.manifests.map((m) => m.digest));
  });
});

describe('registry launcher', () => {
  test('htpasswd mode: Basic challenge, 401 for wrong credentials, 200 for a configured user', async () => {
    const reg = await startRegistry({ auth: 'htpasswd', users: [{ username: 'acr-token', password: 'pw-1' }] });
    try {
      const anon = await request(`${reg.url}/v2/`);
      expect(anon.status).toBe(401);
      expect(anon.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(
        (await request(`${reg.url}/v2/`, { headers: { authorization: basicAuth('acr-token', 'nope') } })).status,
      ).toBe(401);
      expect(
        (await request(`${reg.url}/v2/`, { headers: { authorization: basicAuth('acr-token', 'pw-1') } })).status,
      ).toBe(200);
    } finally {
      await reg.stop();
    }
  });

  test('TLS mode: trusted only with the exposed CA; skopeo pushes with it', async () => {
    const reg = await startRegistry({ tls: true });
    try {
      expect(reg.url).toMatch(/^https:/);
      await expect(request(`${reg.url}/v2/`)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
      expect((await request(`${reg.url}/v2/`, { ca: fs.readFileSync(reg.caFile!) })).status).toBe(200);
      const img = makeImage();
      const access = { host: reg.host, caFile: reg.caFile };
      await skopeoCopy(img.ref, `docker://${reg.host}/tls/app:1`, { dest: access });
      expect(await skopeoDigest(`docker://${reg.host}/tls/app:1`, access)).toBe(img.digest);
    } finally {
      await reg.stop();
    }
  });

  test('token mode: distribution 2.8 accepts a JWT found by `kid` (libtrust key id) or by `x5c`, nothing else', async () => {
    const key = makeTokenSigningKey(makeTempDir('key'));
    const stranger = makeTokenSigningKey(makeTempDir('key'));
    const reg = await startRegistry({
      auth: 'token',
      token: { realm: 'http://127.0.0.1:9/service/token', service: 'svc', issuer: 'iss', rootCertFile: key.certFile },
    });
    try {
      const challenge = await request(`${reg.url}/v2/_catalog`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers['www-authenticate']).toBe(
        'Bearer realm="http://127.0.0.1:9/service/token",service="svc",scope="registry:catalog:*"',
      );
      const catalog = [{ type: 'registry', name: 'catalog', actions: ['*'] }];
      const call = (token: string) =>
        request(`${reg.url}/v2/_catalog`, { headers: { authorization: `Bearer ${token}` } });
      expect(
        (
          await call(
            signRegistryToken(key, { issuer: 'iss', service: 'svc', subject: 'u', access: catalog, keyHint: 'kid' }),
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            signRegistryToken(key, { issuer: 'iss', service: 'svc', subject: 'u', access: catalog, keyHint: 'x5c' }),
          )
        ).status,
      ).toBe(200);
      expect(
        (await call(signRegistryToken(stranger, { issuer: 'iss', service: 'svc', subject: 'u', access: catalog })))
          .status,
      ).toBe(401);
      expect(
        (await call(signRegistryToken(key, { issuer: 'other', service: 'svc', subject: 'u', access: catalog }))).status,
      ).toBe(401);
      expect(
        (await call(signRegistryToken(key, { issuer: 'iss', service: 'svc', subject: 'u', access: [] }))).status,
      ).toBe(401);
    } finally {
      await reg.stop();
    }
  });

  test('stop() ends the process and removes its storage', async () => {
    const reg: RegistryHandle = await startRegistry();
    expect(alive(reg.pid)).toBe(true);
    expect(fs.existsSync(reg.storageDir)).toBe(true);
    await reg.stop();
    expect(alive(reg.pid)).toBe(false);
    expect(fs.existsSync(reg.storageDir)).toBe(false);
    await reg.stop(); // idempotent
  });

  test('a registry dies with its parent even when the parent is SIGKILLed (no orphans)', async () => {
    // node with tsx's loader, not the tsx CLI: the CLI runs node as a grandchild, which SIGKILL would not reach.
    const launcher = path.resolve(__dirname, '..', 'sandbox', 'registry-launcher.ts');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `require(${JSON.stringify(launcher)}).startRegistry().then((r) => console.log('pid=' + r.pid))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /pid=(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`launcher child exited early (${code})`)));
    });
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
    expect(alive(pid)).toBe(false);
  });
});

test('a jest run whose test file forgets removeAllTempDirs leaves no temp dir behind', async () => {
  const tmp = makeTempDir('jest-tmp');
  const root = path.resolve(__dirname, '..', '..');
  const jest = spawn(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--rootDir',
      root,
      '--roots',
      '<rootDir>/test/fixtures/sandbox',
      '--testMatch',
      '**/forgetful.fixture.ts',
      '--selectProjects',
      'unit',
      '--no-cache',
      '--verbose=false',
    ],
    { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  jest.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  jest.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => jest.once('exit', resolve));
  expect(out).toMatch(/1 passed/);
  expect(code).toBe(0);
  expect(fs.readdirSync(tmp).filter((n) => n.startsWith('harbor-sandbox-'))).toEqual([]);
}, 30000);

describe('the Harbor token flow with a client we did not write', () => {
  let harbor: HarborEmulator;
  beforeAll(async () => {
    harbor = await startHarborEmulator({
      robots: [{ name: 'ci', level: 'project', project: 'library', secret: 'robot-secret-1' }],
    });
  });
  afterAll(() => harbor?.stop());

  test('skopeo pushes through the emulator host with a robot account and reads back the same digest', async () => {
    const img = makeImage({
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    const robot = { host: harbor.host, username: 'robot$library+ci', password: 'robot-secret-1' };
    await skopeoCopy(img.ref, `docker://${harbor.host}/library/sub/app:1.0`, { dest: robot });
    expect(await skopeoDigest(`docker://${harbor.host}/library/sub/app:1.0`, robot)).toBe(img.digest);
    // The registry saw only bearer tokens minted by /service/token; the token service was asked for push access.
    const tokenCalls = harbor.requests({ path: /^\/service\/token\?/ });
    expect(
      tokenCalls.some(
        (r) =>
          /repository:library\/sub\/app:(push,pull|pull,push)/.test(decodeURIComponent(r.path)) &&
          r.user === 'robot$library+ci',
      ),
    ).toBe(true);
    expect(
      harbor.requests({ method: 'PUT', path: /^\/v2\/library\/sub\/app\/manifests\/1\.0$/ }).map((r) => r.status),
    ).toEqual([201]);
  });

  test('a wrong robot secret gets an anonymous token (200, empty subject) and the push is refused with 401 on /v2/', async () => {
    const img = makeImage();
    await expect(
      skopeoCopy(img.ref, `docker://${harbor.host}/library/app:x`, {
        dest: { host: harbor.host, username: 'robot$library+ci', password: 'wrong' },
      }),
    ).rejects.toThrow(/unauthorized|authentication required|401/i);
    // Harbor's token service answers scoped requests of refused credentials as anonymous (src/core/service/token/creator.go).
    expect(harbor.requests({ path: /^\/service\/token/ }).every((r) => r.status === 200)).toBe(true);
    expect(harbor.requests({ path: /^\/v2\/library\/app\// }).some((r) => r.status === 401)).toBe(true);
  });
});

describe('a Harbor emulator behind TLS', () => {
  test('API, token service and /v2/ are served over https with the exposed CA', async () => {
    const harbor = await startHarborEmulator({ tls: true });
    try {
      expect(harbor.url).toMatch(/^https:/);
      await expect(request(`${harbor.url}/api/v2.0/ping`)).rejects.toThrow(
        /self[- ]signed|unable to verify|certificate/i,
      );
      expect((await request(`${harbor.url}/api/v2.0/ping`, { ca: fs.readFileSync(harbor.caFile!) })).text()).toBe(
        'Pong',
      );
      const img = makeImage();
      const access = { host: harbor.host, ...harbor.admin, caFile: harbor.caFile };
      await skopeoCopy(img.ref, `docker://${harbor.host}/library/tls:1`, { dest: access });
      expect(await skopeoDigest(`docker://${harbor.host}/library/tls:1`, access)).toBe(img.digest);
    } finally {
      await harbor.stop();
    }
  });
});
