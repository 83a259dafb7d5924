import { runCapability } from '../../shared/capability';
import { createGate } from '../../shared/capabilities/trivy-gate/run';
import type { Credentials } from '../sandbox/registry-launcher';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { skopeoCopy } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';

// Who may gate and who may scan, against the emulator's RBAC from Harbor's tables: ScanArtifact needs scan:create
// (src/server/v2.0/handler/scan.go), held by Maintainer and ProjectAdmin only (src/common/rbac/project/rbac_role.go);
// a robot has exactly its permissions (src/common/security/robot/context.go).

jest.setTimeout(60_000);

const gate = createGate({ pollInitialDelayMs: 50, pollMaxDelayMs: 200 });
let harbor: HarborEmulator;
let gateRobot: Credentials;
let pullRobot: Credentials;
const developer = { username: 'dev', password: 'Dev-Password-1' };
const maintainer = { username: 'maint', password: 'Maint-Password-1' };

beforeAll(async () => {
  harbor = await startHarborEmulator({
    projects: [{ name: 'secure', public: false }],
    users: [
      { ...developer, projects: { secure: 'developer' } },
      { ...maintainer, projects: { secure: 'maintainer' } },
    ],
    scanTimings: { queuedMs: 30, pendingMs: 30, runningMs: 60 },
  });
  // The permissions docs/trivy-gate.md names for a robot that may also start scans.
  gateRobot = harbor.addRobot({
    name: 'gate',
    level: 'project',
    project: 'secure',
    permissions: ['artifact:read', 'artifact-addition:read', 'scan:create', 'scan:read'],
  });
  pullRobot = harbor.addRobot({
    name: 'puller',
    level: 'project',
    project: 'secure',
    permissions: ['repository:pull'],
  });
  for (const repo of ['secure/by-dev', 'secure/by-maint', 'secure/by-robot', 'secure/scanned']) {
    await skopeoCopy(makeImage({ tag: 'v1', seed: repo }).ref, `docker://${harbor.host}/${repo}:v1`, {
      dest: { host: harbor.host, ...harbor.internalCredentials },
    });
  }
});

afterAll(async () => {
  await harbor?.stop();
});

useContractCheck(() => [harbor]);

async function run(who: Credentials, repository: string, inputs: Record<string, string> = {}): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': harbor.url,
    ...who,
    project: 'secure',
    repository,
    reference: 'v1',
    ...inputs,
  });
  await runCapability(gate, platform);
  return platform;
}

describe('trivy-gate permissions follow Harbor RBAC', () => {
  it('a Developer may not start a scan: the error names scan:create and scan: never as the way out', async () => {
    const p = await run(developer, 'by-dev');
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Harbor denied starting a scan of secure\/by-dev@sha256:\w+ for dev \(403: FORBIDDEN.*\); starting a scan needs the scan:create permission .*; set scan to never to gate on the report Harbor already has$/,
    );
    expect(harbor.requests({ method: 'POST', path: /\/scan$/ }).map((r) => r.status)).toEqual([403]);
  });

  it('a Developer may gate on an existing report with scan: never (scan:read is enough)', async () => {
    expect((await run(maintainer, 'scanned')).result?.result).toBe('succeeded');
    const p = await run(developer, 'scanned', { scan: 'never' });
    expect(p.result?.result).toBe('succeeded');
  });

  it('a Maintainer may start the scan', async () => {
    expect((await run(maintainer, 'by-maint')).result?.result).toBe('succeeded');
  });

  it('a robot with exactly the documented permissions may scan and gate', async () => {
    expect((await run(gateRobot, 'by-robot')).result?.result).toBe('succeeded');
  });

  it('a robot with pull only may not read the artifact: the error lists what the gate needs', async () => {
    const p = await run(pullRobot, 'by-robot', { scan: 'never' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toContain('403');
    expect(p.result?.message).toContain(
      'the gate needs artifact:read, artifact-addition:read and scan:read on project secure',
    );
  });
});
