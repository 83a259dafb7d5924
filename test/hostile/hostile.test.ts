/**
 * Hostile and careless input against the BUNDLED steps, run as processes on both platforms (issue 13). For every case:
 * non-zero exit, exactly one error line naming the input as the platform spells it, no stack trace, no secret in what
 * the runner shows, no foreign runner command honoured (judged with each runner's own grammar, test/support/
 * runner-commands.ts), and nothing half-written (files, and no write reaching the stand-in server).
 * Stand-ins: a server answering HTML 200, one that never answers, a registry that stalls uploads (stand-ins/registry.ts)
 * and a hostile Harbor: the real emulator behind a proxy planting runner commands in every free text Harbor and its
 * scanner hand back (stand-ins/hostile-harbor.ts); those cases must also show the planted text, neutralised.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { camelCase } from '../../shared/inputs/definition';
import { runActionBundle, runTaskBundle, type BundleRun } from '../support/bundles';
import { azureDevOpsCommands, gitHubCommands, type RunnerCommand } from '../support/runner-commands';
import { honouredForeignCommands, type PlatformName } from './judge';
import { CASES, writeWorkspace, type HostileCase, type Server as ServerKind } from './cases';
import { startStallingRegistry } from './stand-ins/registry';
import { startHostileHarbor } from './stand-ins/hostile-harbor';
import { startHarborEmulator, authHeader, type HarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { skopeoCopy } from '../sandbox/skopeo';
import { HOSTILE_HARBOR, PLANTED } from './cases';

const TASKS: Record<HostileCase['step'], string> = {
  push: 'HarborPush',
  'trivy-gate': 'HarborTrivyGate',
  replicate: 'HarborReplicate',
  'acr-import': 'HarborAcrImport',
  'acr-token': 'HarborAcrToken',
  deploy: 'HarborDeploy',
  sign: 'HarborSign',
};
const HARBOR_FIELDS = ['harbor-url', 'username', 'password'];
/** Stand-in servers: every request is recorded, so a case can prove nothing was written remotely. */
const servers: Record<ServerKind, { url: string; writes: string[]; close: () => Promise<void> }> = {} as never;

interface Outcome {
  run: BundleRun;
  workspace: string;
  /** Writes the case's stand-in saw while the case ran (other cases may run at the same time: see harmless). */
  writes: string[];
  missingAfter: Record<string, boolean>;
}
const outcomes = new Map<string, Outcome>();
const key = (c: HostileCase, p: PlatformName) => `${p}: ${c.name}`;
/** A name pattern to run a few cases while working on them; the count check needs the whole suite. */
const only = process.env.HOSTILE_ONLY ? new RegExp(process.env.HOSTILE_ONLY) : undefined;
const runs = CASES.filter((c) => !only || only.test(c.name)).flatMap((c) =>
  (c.platforms ?? (['github', 'azure-devops'] as PlatformName[])).map((p) => [c, p] as const),
);

async function startServer(kind: 'html' | 'silent') {
  const writes: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') writes.push(`${req.method} ${req.url}`);
    req.resume();
    if (kind === 'silent') return; // never answers
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><body>Sign in to continue</body></html>');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  servers[kind] = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, writes, close };
}

let emulator: HarborEmulator | undefined;

/**
 * The real emulator with the images the hostile-Harbor cases gate on, scanned ahead (as scan-on-push does), behind the
 * proxy that plants runner commands in Harbor's free text (stand-ins/hostile-harbor.ts).
 */
async function startHostile() {
  emulator = await startHarborEmulator({
    adminPassword: HOSTILE_HARBOR.password,
    scanTimings: { queuedMs: 0, pendingMs: 0, runningMs: 0 },
  });
  emulator.setScanFixture('library/broken', { trivy: 'debian-buster.json', outcome: 'Error' });
  emulator.setScanFixture('library/vulnerable', { trivy: 'debian-buster.json' });
  for (const repository of ['library/broken', 'library/vulnerable']) {
    const image = makeImage({ tag: 'v1', seed: `hostile/${repository}` });
    await skopeoCopy(image.ref, `docker://${emulator.host}/${repository}:v1`, {
      dest: { host: emulator.host, ...emulator.internalCredentials },
    });
    const path = `/api/v2.0/projects/library/repositories/${repository.slice('library/'.length)}/artifacts/v1/scan`;
    const res = await fetch(emulator.url + path, { method: 'POST', headers: authHeader(emulator.admin) });
    if (res.status !== 202) throw new Error(`scan of ${repository} answered ${res.status}`);
  }
  const proxy = await startHostileHarbor(emulator.url, PLANTED);
  servers['hostile-harbor'] = { url: proxy.url, writes: proxy.writes, close: proxy.close };
}

async function startRegistry() {
  const registry = await startStallingRegistry('trickle');
  servers['trickle-registry'] = { url: registry.url, writes: registry.visibleWrites, close: registry.close };
}

async function runCase(c: HostileCase, platform: PlatformName): Promise<Outcome> {
  const workspace = mkdtempSync(join(tmpdir(), 'hostile-'));
  writeWorkspace(workspace);
  c.setup?.(workspace);
  const inputs = { ...c.inputs };
  if (c.server) inputs['harbor-url'] = servers[c.server].url;
  const env = c.env?.(workspace) ?? {};
  const writesBefore = c.server ? servers[c.server].writes.length : 0;
  let run: BundleRun;
  if (platform === 'github') {
    run = await runActionBundle(c.step, inputs, { cwd: workspace, env, timeoutMs: 90_000 });
  } else {
    const adoInputs: Record<string, string> = {};
    const endpoints: Parameters<typeof runTaskBundle>[2] = { cwd: workspace, env, timeoutMs: 90_000, endpoints: {} };
    const harborUrlKey = c.step === 'acr-token' ? 'harbor-url' : 'harbor-url';
    const fields = c.step === 'acr-token' ? ['harbor-url', 'harbor-username', 'harbor-password'] : HARBOR_FIELDS;
    if (inputs[harborUrlKey] !== undefined) {
      endpoints.endpoints!['harbor-conn'] = {
        url: inputs[fields[0]],
        scheme: 'UsernamePassword',
        parameters: { username: inputs[fields[1]] ?? 'robot$ci', password: inputs[fields[2]] ?? 'Hx9-secret-pw' },
      };
      adoInputs.harborConnection = 'harbor-conn';
    }
    for (const [name, value] of Object.entries(inputs)) if (!fields.includes(name)) adoInputs[camelCase(name)] = value;
    run = await runTaskBundle(TASKS[c.step], adoInputs, endpoints);
  }
  const missingAfter = Object.fromEntries((c.notWritten ?? []).map((f) => [f, !existsSync(join(workspace, f))]));
  const writes = c.server ? servers[c.server].writes.slice(writesBefore) : [];
  return { run, workspace, writes, missingAfter };
}

beforeAll(async () => {
  await Promise.all([startServer('html'), startServer('silent'), startRegistry(), startHostile()]);
  // A few processes at a time: the machine has two cores, and most cases are a process start and one check.
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const [c, p] = runs[next++];
      outcomes.set(key(c, p), await runCase(c, p));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}, 600_000);

afterAll(async () => {
  for (const o of outcomes.values()) rmSync(o.workspace, { recursive: true, force: true });
  for (const s of Object.values(servers)) await s.close();
  // Throws when the emulator recorded a response outside Harbor's swagger (the planted text is added after its check).
  await emulator?.stop();
});

function errorLines(run: BundleRun, platform: PlatformName): RunnerCommand[] {
  if (platform === 'github') return gitHubCommands(run.stdout).filter((c) => c.name === 'error');
  return azureDevOpsCommands(run.stdout).commands.filter(
    (c) => c.name === 'task.issue' && c.properties.type === 'error',
  );
}

function spelled(c: HostileCase, platform: PlatformName): string | null {
  if (c.input === null) return null;
  if (typeof c.input === 'object') return c.input[platform];
  return platform === 'github' || c.input === 'azureSubscription' ? c.input : camelCase(c.input);
}

(only ? it.skip : it)('covers at least 100 distinct hostile cases, run on both platforms', () => {
  // Distinct: no two cases share a name, or the same step, inputs, stand-in and platforms.
  const what = (c: HostileCase) => [c.step, JSON.stringify(c.inputs), c.server, c.platforms?.join()].join(' ');
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  expect(new Set(CASES.map(what)).size).toBe(CASES.length);
  expect(CASES.length).toBeGreaterThanOrEqual(100);
  expect(new Set(runs.map(([, p]) => p))).toEqual(new Set(['github', 'azure-devops']));
});

it('the hostile Harbor holds nothing half-written: no project, registry or replication policy was created', () => {
  if (!runs.some(([c]) => c.server === 'hostile-harbor')) return;
  const api = emulator!
    .requests()
    .filter((r) => r.path.startsWith('/api/') && r.method !== 'GET' && r.method !== 'HEAD');
  // The scans the suite itself asked for ahead, and the cases' harmless writes; nothing else.
  expect(
    api
      .map((r) => `${r.method} ${r.path.split('?')[0]}`)
      .filter((w) => !HOSTILE_HARBOR.harmlessWrites.test(w) && !/\/artifacts\/v1\/scan$/.test(w)),
  ).toEqual([]);
});

describe.each(runs.map(([c, p]) => [key(c, p), c, p] as const))('%s', (_name, c, platform) => {
  it('fails with one error line naming the input, no stack, no secret, no honoured foreign command, nothing half-written', () => {
    const { run, writes, missingAfter } = outcomes.get(key(c, platform))!;
    const context = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
    expect({ code: run.code, context }).toEqual({ code: 1, context });

    const errors = errorLines(run, platform);
    expect(errors.map((e) => e.data)).toHaveLength(1);
    const name = spelled(c, platform);
    if (name) expect(errors[0].data).toContain(name);
    if (c.says) expect(errors[0].data).toMatch(c.says);
    if (platform === 'azure-devops') {
      expect(
        azureDevOpsCommands(run.stdout)
          .commands.filter((x) => x.name === 'task.complete')
          .map((x) => x.properties.result),
      ).toEqual(['Failed']);
    }

    // No stack trace, anywhere the runner shows.
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+[(:]\S+:\d+:\d+\)?$/m);
    expect(run.stderr.trim()).toBe('');

    // No secret in what the runner shows (masks applied as the runner applies them).
    for (const secret of c.secrets ?? []) expect(run.displayed).not.toContain(secret);

    // Nothing planted is honoured: every command is one of ours, and none of ours carries planted names.
    expect(honouredForeignCommands(run.stdout, platform, 'Failed', c.secrets)).toEqual([]);

    // Nothing half-written: the files the step would write, and no write reached the stand-in (the hostile Harbor
    // cases may ping a registry endpoint, which stores nothing; see also the emulator's state below).
    expect(missingAfter).toEqual(Object.fromEntries(Object.keys(missingAfter).map((f) => [f, true])));
    expect(writes.filter((w) => !(c.server === 'hostile-harbor' && HOSTILE_HARBOR.harmlessWrites.test(w)))).toEqual([]);

    // Planted text the step logs reached the log (neutralised): the case really exercised the path it names.
    if (c.showsPlanted) expect(run.displayed).toContain('PWNED');
  });
});
