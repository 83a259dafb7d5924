import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACCEPT_VULNERABILITIES,
  artifactPath,
  getArtifact,
  getVulnerabilityReport,
  ScanError,
  triggerScan,
  waitForScan,
  type ScanOverview,
} from '../../shared/harbor/artifacts';
import { HarborClient } from '../../shared/harbor/client';
import { HttpClient } from '../../shared/http/client';

/** A tiny Harbor stand-in: answers from a queue of scan overviews and records what it was asked. */
let server: Server;
let url: string;
const seen: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];
let overviews: (ScanOverview | undefined | 'fail')[] = [];
let reportBody: unknown = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, headers: req.headers });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url!.includes('/additions/vulnerabilities')) return json(200, reportBody);
    if (req.url!.includes('/repositories/missing'))
      return json(404, { errors: [{ code: 'NOT_FOUND', message: 'artifact not found' }] });
    if (req.method === 'POST')
      return req.url!.includes('/repositories/busy')
        ? json(409, { errors: [{ code: 'CONFLICT', message: 'a previous scan process is Pending' }] })
        : json(202, {});
    const next = overviews.length > 1 ? overviews.shift() : overviews[0];
    if (next === 'fail') return json(503, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] });
    json(200, {
      digest: 'sha256:abc',
      ...(next ? { scan_overview: { 'application/vnd.security.vulnerability.report; version=1.1': next } } : {}),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
});

const http = new HttpClient({ sleep: async () => undefined });
const harbor = () => new HarborClient(url, { username: 'robot$ci', password: 's3cret' }, http);
const ref = { project: 'library', repository: 'team/api', reference: 'sha256:0123' };

/** A fake clock: sleeping advances it; each poll costs 100 ms. */
function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => (t += 100), sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) };
}

describe('Harbor artifacts and scans', () => {
  it('builds paths with the repository double-encoded and the digest colon kept', () => {
    expect(artifactPath(ref)).toBe('/projects/library/repositories/team%252Fapi/artifacts/sha256:0123');
    expect(artifactPath({ project: 'p', repository: 'a/b/c', reference: 'v1.0' })).toBe(
      '/projects/p/repositories/a%252Fb%252Fc/artifacts/v1.0',
    );
  });

  it('asks for the scan overview of both report types', async () => {
    overviews = [{ scan_status: 'Success', report_id: 'r1' }];
    await getArtifact(harbor(), ref);
    expect(seen[0].path).toBe(
      '/api/v2.0/projects/library/repositories/team%252Fapi/artifacts/sha256:0123?with_scan_overview=true',
    );
    expect(seen[0].headers['x-accept-vulnerabilities']).toBe(ACCEPT_VULNERABILITIES);
    expect(ACCEPT_VULNERABILITIES).toBe(
      'application/vnd.security.vulnerability.report; version=1.1, application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0',
    );
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('robot$ci:s3cret').toString('base64')}`);
  });

  it('names the artifact when Harbor does not have it', async () => {
    await expect(getArtifact(harbor(), { ...ref, repository: 'missing/x' })).rejects.toThrow(
      /^Harbor reading artifact library\/missing\/x@sha256:0123 failed with 404: .*; check the project, repository and reference$/,
    );
  });

  it('polls with capped exponential backoff until the scan finishes; absent overview is pending', async () => {
    overviews = [
      undefined,
      undefined,
      { scan_status: 'Pending' },
      { scan_status: 'Running' },
      'fail',
      { scan_status: 'Running' },
      { scan_status: 'Running' },
      { scan_status: 'Running' },
      { scan_status: 'Success', report_id: 'r2' },
    ];
    const c = clock();
    const polled: (string | undefined)[] = [];
    const done = await waitForScan(harbor(), ref, {
      timeoutMs: 600_000,
      sleep: c.sleep,
      now: c.now,
      onPoll: (o) => polled.push(o?.scan_status),
    });
    expect(done).toEqual({ scan_status: 'Success', report_id: 'r2' });
    expect(c.sleeps).toEqual([2000, 4000, 8000, 15000, 15000, 15000, 15000]);
    // the 503 was retried by the HTTP layer, not counted as a poll
    expect(polled).toEqual([undefined, undefined, 'Pending', 'Running', 'Running', 'Running', 'Running', 'Success']);
  });

  it('does not take the report of the previous scan for the one it started', async () => {
    const old = { scan_status: 'Success', report_id: 'old', start_time: '1', end_time: '2' };
    overviews = [
      old,
      old,
      { scan_status: 'Running', report_id: 'new' },
      { scan_status: 'Success', report_id: 'new', start_time: '3', end_time: '4' },
    ];
    const c = clock();
    const done = await waitForScan(harbor(), ref, { timeoutMs: 600_000, stale: old, sleep: c.sleep, now: c.now });
    expect(done.report_id).toBe('new');
  });

  it('returns Error and Stopped to the caller, and times out with a scan error', async () => {
    overviews = [{ scan_status: 'Stopped' }];
    expect((await waitForScan(harbor(), ref, { timeoutMs: 1000, ...clock() })).scan_status).toBe('Stopped');
    overviews = [{ scan_status: 'Running', complete_percent: 40 }];
    const c = clock();
    const wait = waitForScan(harbor(), ref, { timeoutMs: 60_000, sleep: c.sleep, now: c.now });
    await expect(wait).rejects.toThrow(ScanError);
    await expect(waitForScan(harbor(), ref, { timeoutMs: 60_000, ...clock() })).rejects.toThrow(
      "Harbor scan of library/team/api@sha256:0123 did not finish within 60 s (still Running); raise timeout or check Harbor's scanner",
    );
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
  });

  it("reports the scan state last read when the step's deadline cuts a poll off, not the request", async () => {
    // The step's budget started before the wait (login, trigger), so it runs out ahead of the wait's own clock: the
    // answer must still say where the scan stood, as Harbor last reported it.
    overviews = [{ scan_status: 'Success', complete_percent: 50 }];
    const c = clock();
    const budgeted = new HttpClient({
      sleep: async () => undefined,
      now: c.now,
      budget: { ms: 5_000, input: 'timeout' },
    });
    const client = new HarborClient(url, { username: 'robot$ci', password: 's3cret' }, budgeted);
    await expect(waitForScan(client, ref, { timeoutMs: 60_000, sleep: c.sleep, now: c.now })).rejects.toThrow(
      "Harbor scan of library/team/api@sha256:0123 did not finish within 60 s (still Success at 50%: platforms of the index are not scanned yet); raise timeout or check Harbor's scanner",
    );
    // Before any poll answered there is no state to report: the budget error itself is the answer.
    const late = clock();
    const spent = new HttpClient({ sleep: async () => undefined, now: late.now, budget: { ms: 50, input: 'timeout' } });
    await expect(
      waitForScan(new HarborClient(url, { username: 'robot$ci', password: 's3cret' }, spent), ref, {
        timeoutMs: 60_000,
        ...late,
      }),
    ).rejects.toThrow(/^'timeout' \(.*\) ran out before GET/);
  });

  it('starts a scan, or reports that one is already running (409)', async () => {
    expect(await triggerScan(harbor(), ref)).toBe(true);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/v2.0/projects/library/repositories/team%252Fapi/artifacts/sha256:0123/scan',
    });
    expect(await triggerScan(harbor(), { ...ref, repository: 'busy' })).toBe(false);
  });

  it('reads the report under the v1.1 or the v1.0 report type', async () => {
    reportBody = {
      'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0': { vulnerabilities: [{ id: 'CVE-1' }] },
    };
    const v10 = await getVulnerabilityReport<{ vulnerabilities: { id: string }[] }>(harbor(), ref);
    expect(v10.mimeType).toBe('application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0');
    expect(v10.report.vulnerabilities[0].id).toBe('CVE-1');
    expect(seen[0].headers['x-accept-vulnerabilities']).toBe(ACCEPT_VULNERABILITIES);
    reportBody = {};
    await expect(getVulnerabilityReport(harbor(), ref)).rejects.toThrow(
      'Harbor has no vulnerability report for library/team/api@sha256:0123 although its scan finished',
    );
  });
});
