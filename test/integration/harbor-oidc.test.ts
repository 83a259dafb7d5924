import { runCapability } from '../../shared/capability';
import { createGate } from '../../shared/capabilities/trivy-gate/run';
import type { Credentials } from '../sandbox/registry-launcher';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { skopeoCopy } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';
import { runReplicate } from './replicate-setup';

// Harbor in OIDC mode: a user's CLI secret is a security context only on oidc_cli.go's whitelist (registry, token
// service, a few API calls); elsewhere the request runs as anonymous and Harbor answers 401
// (src/server/middleware/security/oidc_cli.go). Robots authenticate everywhere (security/robot.go). The steps must say
// that the step needs a robot account — decided from the status, Harbor's auth_mode and how Harbor treated the
// credential on a whitelisted call, not from message text.

jest.setTimeout(60_000);

const gate = createGate({ pollInitialDelayMs: 50, pollMaxDelayMs: 200 });
const alice = { username: 'alice', password: 'unused-in-oidc', cliSecret: 'cli-secret-of-alice' };
let harbor: HarborEmulator;
let gateRobot: Credentials;

beforeAll(async () => {
  harbor = await startHarborEmulator({
    authMode: 'oidc_auth',
    projects: [{ name: 'secure', public: false }],
    // Maintainer: the role could start scans, so only the kind of credential stands in the way.
    users: [{ ...alice, projects: { secure: 'maintainer' } }],
    scanTimings: { queuedMs: 30, pendingMs: 30, runningMs: 60 },
  });
  gateRobot = harbor.addRobot({
    name: 'gate',
    level: 'project',
    project: 'secure',
    permissions: ['artifact:read', 'artifact-addition:read', 'scan:create', 'scan:read'],
  });
  await skopeoCopy(makeImage({ tag: 'v1', seed: 'oidc' }).ref, `docker://${harbor.host}/secure/app:v1`, {
    dest: { host: harbor.host, ...harbor.internalCredentials },
  });
}, 60_000);

afterAll(async () => {
  await harbor?.stop();
});

useContractCheck(() => [harbor]);

async function runGate(who: Credentials): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': harbor.url,
    ...who,
    project: 'secure',
    repository: 'app',
    reference: 'v1',
  });
  await runCapability(gate, platform);
  return platform;
}

const ROBOT_ADVICE =
  /Harbor is in OIDC mode, where alice's CLI secret works only for the registry and a few API calls \(not [^)]+\); use a robot account for this step \(what the step's account needs: [^)]*\)/;

describe('Harbor in OIDC mode', () => {
  it("trivy-gate with a user's CLI secret: the one error line says the step needs a robot account and its permissions", async () => {
    const p = await runGate({ username: alice.username, password: alice.cliSecret });
    expect(p.result?.result).toBe('failed');
    const message = p.result?.message ?? '';
    expect(message).toMatch(/^Harbor authentication failed for alice at /);
    expect(message).toMatch(ROBOT_ADVICE);
    // The permissions docs/trivy-gate.md lists for the account.
    expect(message).toContain('artifact:read, artifact-addition:read, scan:read');
    expect(message).toContain('scan:create');
    expect(message).not.toContain('\n');
    expect(p.transcript).not.toContain(alice.cliSecret);
  });

  it('replicate with a CLI secret: the same advice from the shared Harbor client', async () => {
    const p = await runReplicate({
      'harbor-url': harbor.url,
      username: alice.username,
      password: alice.cliSecret,
      'policy-name': 'to-acr',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(ROBOT_ADVICE);
    expect(p.result?.message).toContain('system robot account');
    expect(p.transcript).not.toContain(alice.cliSecret);
  });

  it('a wrong CLI secret is a plain credentials error, not the robot-account advice', async () => {
    const p = await runGate({ username: alice.username, password: 'not-the-cli-secret' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Harbor authentication failed for alice at .*; check the username and password$/,
    );
    expect(p.result?.message).not.toMatch(/OIDC/);
  });

  it('a robot account works in OIDC mode (the advice is the way out)', async () => {
    const p = await runGate(gateRobot);
    expect(p.result?.result).toBe('succeeded');
  });
});

// Harbor's robot prefix is configurable (`robot_name_prefix`, src/lib/config/metadata/metadatalist.go) and readable only
// by an administrator (GET /configurations); systeminfo does not return it. The steps decide nothing from `robot$`.
describe('Harbor with a custom robot name prefix', () => {
  let custom: HarborEmulator;

  beforeAll(async () => {
    custom = await startHarborEmulator({
      authMode: 'oidc_auth',
      robotNamePrefix: 'bot-',
      projects: [{ name: 'secure', public: false }],
      scanTimings: { queuedMs: 30, pendingMs: 30, runningMs: 60 },
    });
    await skopeoCopy(makeImage({ tag: 'v1', seed: 'prefix' }).ref, `docker://${custom.host}/secure/app:v1`, {
      dest: { host: custom.host, ...custom.internalCredentials },
    });
  }, 60_000);
  afterAll(async () => {
    await custom?.stop();
  });
  useContractCheck(() => [custom]);

  it('replicate with a project robot: the advice names project robots whatever the prefix', async () => {
    const robot = custom.addRobot({ name: 'ci', level: 'project', project: 'secure' });
    expect(robot.username).toBe('bot-secure+ci');
    const p = await runReplicate({
      'harbor-url': custom.url,
      username: robot.username,
      password: robot.password,
      'policy-name': 'to-acr',
    });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /^Harbor denied .* for bot-secure\+ci \(403: FORBIDDEN.*\); registry endpoints and replication are system-level APIs, which a project robot account can never use; use a Harbor administrator or a system robot account/,
    );
    expect(p.transcript).not.toContain(robot.password);
  });

  it('trivy-gate with a robot of that prefix works in OIDC mode', async () => {
    const robot = custom.addRobot({
      name: 'gate',
      level: 'project',
      project: 'secure',
      permissions: ['artifact:read', 'artifact-addition:read', 'scan:create', 'scan:read'],
    });
    const platform = new FakePlatform({
      'harbor-url': custom.url,
      ...robot,
      project: 'secure',
      repository: 'app',
      reference: 'v1',
    });
    await runCapability(gate, platform);
    expect(platform.result?.result).toBe('succeeded');
  });
});
