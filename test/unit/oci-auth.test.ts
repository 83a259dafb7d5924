import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../shared/http/client';
import { parseChallenge, RegistryAuth } from '../../shared/oci/auth';
import { RemoteError } from '../../shared/remote-error';

describe('parseChallenge', () => {
  it('reads Harbor’s Bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://harbor.example.com/service/token",service="harbor-registry",scope="repository:lib/app:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://harbor.example.com/service/token',
        service: 'harbor-registry',
        scope: 'repository:lib/app:pull,push',
      },
    });
  });

  it('reads Basic, unquoted values, escapes, and prefers Bearer when both are offered', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge('Bearer realm=https://t/token, error=insufficient_scope')?.params).toEqual({
      realm: 'https://t/token',
      error: 'insufficient_scope',
    });
    expect(parseChallenge('Basic realm="a \\"b\\", c", Bearer realm="https://t/token"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://t/token' },
    });
  });

  it('ignores schemes it cannot answer', () => {
    expect(parseChallenge('Negotiate')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

/** A registry front door and token service on loopback: enough to watch what the client sends. */
async function fakeRegistry(handler: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void) {
  const seen: { url: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(r)),
  };
}

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('RegistryAuth', () => {
  const http_ = new HttpClient({ retry: { attempts: 1 } });
  afterAll(() => http_.close());

  it('asks the token service for the push scope with Basic credentials of a robot account ($ in the name)', async () => {
    const token = jwt({ access: [{ type: 'repository', name: 'lib/app', actions: ['pull', 'push'] }] });
    const reg = await fakeRegistry((req, res, base) => {
      if (req.url === '/v2/') {
        res
          .writeHead(401, { 'www-authenticate': `Bearer realm="${base}/service/token",service="harbor-registry"` })
          .end();
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    });
    try {
      const secrets: string[] = [];
      const auth = new RegistryAuth(
        http_,
        reg.base,
        { username: 'robot$lib+ci', password: 's3cret' },
        ['repository:lib/app:pull,push', 'repository:lib/base:pull'],
        (s) => secrets.push(s),
      );
      await auth.login();
      const tokenRequest = new URL(reg.seen[1].url, reg.base);
      expect(tokenRequest.pathname).toBe('/service/token');
      expect(tokenRequest.searchParams.get('service')).toBe('harbor-registry');
      expect(tokenRequest.searchParams.getAll('scope')).toEqual([
        'repository:lib/app:pull,push',
        'repository:lib/base:pull',
      ]);
      expect(reg.seen[1].authorization).toBe(`Basic ${Buffer.from('robot$lib+ci:s3cret').toString('base64')}`);
      expect(auth.header).toBe(`Bearer ${token}`);
      expect(secrets).toEqual([token]);
      expect(auth.grantedActions('lib/app')).toEqual(['pull', 'push']);
      expect(auth.grantedActions('other/repo')).toEqual([]);
    } finally {
      await reg.close();
    }
  });

  it('a token service 401 is an authentication failure naming the user and the registry', async () => {
    const reg = await fakeRegistry((req, res, base) => {
      if (req.url === '/v2/') res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/service/token"` }).end();
      else
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNAUTHORIZED","message":"invalid credentials"}]}');
    });
    try {
      const auth = new RegistryAuth(http_, reg.base, { username: 'ci', password: 'wrong' }, [], () => undefined);
      const error = await auth.login().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ kind: 'credentials', status: 401, code: 'UNAUTHORIZED' });
      expect((error as Error).message).toBe(
        `Registry authentication failed for ci at ${new URL(reg.base).host} (UNAUTHORIZED: invalid credentials); check the username and password (robot accounts: the full name, e.g. robot$project+name)`,
      );
      expect(reg.seen).toHaveLength(2);
    } finally {
      await reg.close();
    }
  });

  it("Harbor's token for refused credentials names nobody: that is a wrong password, not a missing role", async () => {
    // Harbor runs refused credentials as anonymous and issues a token with an empty subject (src/core/service/token/creator.go).
    const jwt = (sub: string) =>
      [
        '{"alg":"RS256"}',
        JSON.stringify({ sub, access: [{ type: 'repository', name: 'lib/app', actions: [] }] }),
        'sig',
      ]
        .map((p) => Buffer.from(p).toString('base64url'))
        .join('.');
    for (const [sub, fails] of [
      ['', true],
      ['ci', false],
    ] as const) {
      const reg = await fakeRegistry((req, res, base) => {
        if (req.url === '/v2/')
          res
            .writeHead(401, { 'www-authenticate': `Bearer realm="${base}/service/token",service="harbor-registry"` })
            .end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: jwt(sub) }));
      });
      try {
        const login = new RegistryAuth(
          http_,
          reg.base,
          { username: 'ci', password: 'wrong' },
          ['repository:lib/app:pull,push'],
          () => undefined,
        ).login();
        if (fails)
          await expect(login).rejects.toMatchObject({
            kind: 'credentials',
            message: expect.stringMatching(
              /^Registry authentication failed for ci at .*; check the username and password/,
            ),
          });
        else await expect(login).resolves.toBeUndefined();
      } finally {
        await reg.close();
      }
    }
  });

  it('Basic registries: the ping with credentials must pass, so a wrong password fails before any upload', async () => {
    const good = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const reg = await fakeRegistry((req, res) => {
      res.writeHead(req.headers.authorization === good ? 200 : 401, { 'www-authenticate': 'Basic realm="r"' }).end();
    });
    try {
      await expect(
        new RegistryAuth(http_, reg.base, { username: 'u', password: 'p' }, [], () => undefined).login(),
      ).resolves.toBeUndefined();
      await expect(
        new RegistryAuth(http_, reg.base, { username: 'u', password: 'x' }, [], () => undefined).login(),
      ).rejects.toThrow(/^Registry authentication failed for u at/);
      await expect(new RegistryAuth(http_, reg.base, {}, [], () => undefined).login()).rejects.toThrow(
        /requires a username and password$/,
      );
    } finally {
      await reg.close();
    }
  });

  it('something that is not a registry is named as such', async () => {
    const reg = await fakeRegistry((_req, res) => res.writeHead(404).end('404 page not found'));
    try {
      await expect(new RegistryAuth(http_, reg.base, {}, [], () => undefined).login()).rejects.toThrow(
        `${reg.base} is not an OCI registry: GET /v2/ answered 404 (404 page not found)`,
      );
    } finally {
      await reg.close();
    }
  });
});
