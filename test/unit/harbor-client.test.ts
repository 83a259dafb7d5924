import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HarborClient, encodeRepository, exactQuery } from '../../shared/harbor/client';
import { RemoteError } from '../../shared/remote-error';
import { HttpClient } from '../../shared/http/client';
import { redactHeaders, redactText, redactUrl } from '../../shared/redact';

let server: Server;
let base: string;
const seen: { url: string; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url!, auth: req.headers.authorization });
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/api/v2.0/projects') {
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('page_size'));
      const all = Array.from({ length: 230 }, (_, i) => ({ project_id: i + 1 }));
      res.writeHead(200, { 'x-total-count': String(all.length), 'content-type': 'application/json' });
      res.end(JSON.stringify(all.slice((page - 1) * size, page * size)));
    } else if (url.pathname === '/api/v2.0/denied') {
      res.writeHead(403).end('{"errors":[{"code":"FORBIDDEN","message":"forbidden"}]}');
    } else if (url.pathname === '/api/v2.0/unauthorized') {
      res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}');
    } else {
      res.writeHead(409).end('{"errors":[{"code":"CONFLICT","message":"project p already exists"}]}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => server.close());

function harbor(username = 'robot$ci', password = 's3cr:et') {
  return new HarborClient(base, { username, password }, new HttpClient({ retry: { attempts: 1 } }));
}

describe('HarborClient', () => {
  it('sends robot credentials as basic auth (never in the URL) and follows pages of at most 100', async () => {
    seen.length = 0;
    const items = await harbor().list<{ project_id: number }>('/projects', { name: 'x' });
    expect(items).toHaveLength(230);
    expect(items[229].project_id).toBe(230);
    expect(seen.map((s) => s.url)).toEqual([1, 2, 3].map((p) => `/api/v2.0/projects?name=x&page=${p}&page_size=100`));
    expect(seen[0].auth).toBe(`Basic ${Buffer.from('robot$ci:s3cr:et').toString('base64')}`);
  });

  it('turns 401 and 403 into one actionable line', async () => {
    await expect(harbor().call('GET', '/unauthorized')).rejects.toThrow(
      new Error(
        `Harbor authentication failed for robot$ci at ${base.replace(/\/$/, '')} (UNAUTHORIZED: unauthorized); check the username and password`,
      ),
    );
    await expect(harbor().call('GET', '/denied', { what: 'replication policy listing' })).rejects.toThrow(
      'Harbor denied replication policy listing for robot$ci (403: FORBIDDEN: forbidden); the account lacks the permission',
    );
  });

  it('keeps the status of other answers for callers that branch on it', async () => {
    const error = await harbor()
      .call('POST', '/other', { what: 'project creation' })
      .catch((e: RemoteError) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      service: 'Harbor',
      status: 409,
      code: 'CONFLICT',
      kind: 'conflict',
      remoteMessage: 'project p already exists',
    });
    expect((error as RemoteError).message).toBe(
      'Harbor project creation failed with 409: CONFLICT: project p already exists',
    );
  });

  it('double-encodes repository names with a slash', () => {
    expect(encodeRepository('team/app')).toBe('team%252Fapp');
    expect(encodeRepository('app')).toBe('app');
  });
});

describe('exactQuery', () => {
  it("escapes what Harbor's second unescape and its patterns would change, and gives up on a comma", () => {
    expect(exactQuery('name', 'acr-westeurope')).toBe('name=acr-westeurope');
    // Harbor unescapes q again after the framework did (src/lib/q/builder.go): % and + must survive that.
    expect(exactQuery('name', 'a+b 100%')).toBe('name=a%2Bb 100%25');
    // A leading ~ [ { ( would be a pattern, a leading \ would be dropped: one \ in front keeps the value exact.
    expect(exactQuery('name', '~nightly')).toBe('name=\\~nightly');
    expect(exactQuery('name', '[eu]')).toBe('name=\\[eu]');
    expect(exactQuery('name', '\\x')).toBe('name=\\\\x');
    // q splits at every comma and has no escape for one.
    expect(exactQuery('name', 'eu, us')).toBeUndefined();
    expect(exactQuery('name', '')).toBeUndefined();
  });
});

describe('redaction', () => {
  it('removes credentials from URLs, headers and text', () => {
    expect(redactUrl('https://u:p@h/x?sig=abc&page=2')).toBe('https://***:***@h/x?sig=***&page=2');
    expect(redactHeaders({ Authorization: 'Basic x', 'X-Harbor-CSRF-Token': 't', Accept: 'a' })).toEqual({
      Authorization: '***',
      'X-Harbor-CSRF-Token': '***',
      Accept: 'a',
    });
    expect(redactText('failed at https://robot:tok@harbor/v2 with Bearer eyJhbGciOi.x.y')).toBe(
      'failed at https://***@harbor/v2 with Bearer ***',
    );
  });
});
