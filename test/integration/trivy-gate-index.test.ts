import { runCapability } from '../../shared/capability';
import { createGate } from '../../shared/capabilities/trivy-gate/run';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { ImageLayout, makeImage } from '../sandbox/make-image';
import { skopeoCopy } from '../sandbox/skopeo';
import type { HarborReport } from '../sandbox/vulnerability-report';
import { FakePlatform } from '../support/fake-platform';

// A multi-arch image is scanned as its platforms; Harbor merges their summaries, and one platform's Success with
// another's Pending reads Success with complete_percent < 100 (src/pkg/scan/vuln/util.go MergeScanStatus, summary.go).

jest.setTimeout(60_000);

const gate = createGate({ pollInitialDelayMs: 50, pollMaxDelayMs: 200 });
let harbor: HarborEmulator;
let multi: ImageLayout;

const critical: HarborReport = {
  generated_at: new Date(0).toISOString(),
  scanner: { name: 'Trivy', vendor: 'Aqua Security', version: 'dev' },
  severity: 'Critical',
  vulnerabilities: [
    {
      id: 'CVE-2099-0001',
      package: 'arm-only-lib',
      version: '1.0',
      fix_version: '1.1',
      severity: 'Critical',
      description: 'only in the arm64 image',
      links: [],
      preferred_cvss: { score_v3: 9.8, score_v2: null, vector_v3: '', vector_v2: '' },
      cwe_ids: [],
      vendor_attributes: {},
    },
  ],
};

beforeAll(async () => {
  harbor = await startHarborEmulator({ scanTimings: { queuedMs: 0, pendingMs: 30, runningMs: 30 } });
  multi = makeImage({
    tag: 'v1',
    seed: 'multi',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
  await skopeoCopy(multi.ref, `docker://${harbor.host}/library/multi:v1`, {
    dest: { host: harbor.host, ...harbor.internalCredentials },
  });
});

afterAll(async () => {
  await harbor?.stop();
});

useContractCheck(() => [harbor]);

async function children(): Promise<string[]> {
  const res = await fetch(`${harbor.url}/api/v2.0/projects/library/repositories/multi/artifacts/v1`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64')}`,
    },
  });
  const artifact = (await res.json()) as { references: { child_digest: string }[] };
  return artifact.references.map((r) => r.child_digest);
}

async function run(inputs: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': harbor.url,
    ...harbor.admin,
    project: 'library',
    repository: 'multi',
    reference: 'v1',
    'fail-on': 'critical',
    ...inputs,
  });
  await runCapability(gate, platform);
  return platform;
}

describe('trivy-gate on an image index', () => {
  it('waits for every platform and gates on all their findings, not on the first Success', async () => {
    const [amd64, arm64] = await children();
    harbor.setScanFixture(`library/multi@${amd64}`, { trivy: 'alpine-310.json' });
    harbor.setScanFixture(`library/multi@${arm64}`, { report: critical });
    harbor.setScanTimings({ perChildDelayMs: 1500 });
    const p = await run({ scan: 'always', timeout: '30s' });
    expect(p.outputs.critical).toBe('1');
    expect(p.outputs.medium).toBe('4');
    expect(p.outputs.result).toBe('failed');
    expect(p.result?.result).toBe('failed');
    // The gate saw the partial index (Success below 100%) and kept waiting.
    expect(p.messages('info').some((m) => /Success/.test(m) && /50%/.test(m))).toBe(true);
  });

  it('a partial index at timeout is a scan error naming the percentage', async () => {
    harbor.setScanTimings({ perChildDelayMs: 20_000 });
    // Room for several polls even on a loaded machine: with 2 s, one slow answer used up the budget before the first
    // Success at 50% was read, and the step rightly reported the request timeout instead.
    const p = await run({ scan: 'always', timeout: '6s' });
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /did not finish within 6 s \(still Success at 50%: platforms of the index are not scanned yet\)/,
    );
    harbor.setScanTimings({ perChildDelayMs: 0 });
  });
});
