import { httpClientFor } from '../../shared/capability';
import { waitForHarborHealthy } from '../../shared/capabilities/deploy/health';
import { startHarborEmulator, type HarborEmulator } from '../sandbox/harbor-emulator';
import { freePort } from '../sandbox/net-utils';
import { useContractCheck } from '../sandbox/jest-helpers';
import { FakePlatform } from '../support/fake-platform';

let harbor: HarborEmulator;
beforeAll(async () => {
  harbor = await startHarborEmulator();
});
afterAll(() => harbor.stop());
useContractCheck(() => [harbor]);

const healthCalls = () => harbor.requests().filter((r) => r.path === '/api/v2.0/health').length;

describe('waiting for Harbor /api/v2.0/health (emulator)', () => {
  beforeEach(() => {
    harbor.clearRequests();
    for (const c of ['core', 'database', 'jobservice', 'portal', 'redis', 'registry', 'registryctl', 'trivy'])
      harbor.setHealth(c, true);
  });

  it('returns the components on the first healthy answer', async () => {
    const platform = new FakePlatform();
    const sleeps: number[] = [];
    const result = await waitForHarborHealthy(platform, httpClientFor(platform), harbor.url, 60_000, {
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(result.attempts).toBe(1);
    expect(result.components.map((c) => c.name)).toEqual([
      'core',
      'database',
      'jobservice',
      'portal',
      'redis',
      'registry',
      'registryctl',
      'trivy',
    ]);
    expect(sleeps).toEqual([]);
    expect(healthCalls()).toBe(1);
  });

  it('keeps polling while a component is unhealthy, at the interval, and succeeds when it recovers', async () => {
    harbor.setHealth('registry', false, 'storage driver not ready');
    const platform = new FakePlatform();
    const sleeps: number[] = [];
    const result = await waitForHarborHealthy(platform, httpClientFor(platform), harbor.url, 60_000, {
      intervalMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 3) harbor.setHealth('registry', true);
      },
    });
    expect(result.attempts).toBe(4);
    expect(sleeps).toEqual([10, 10, 10]);
    expect(platform.messages('debug')[0]).toBe(
      'Harbor health, attempt 1: unhealthy components: registry (storage driver not ready)',
    );
  });

  it('names every unhealthy component when the timeout passes', async () => {
    harbor.setHealth('core', false);
    harbor.setHealth('trivy', false, 'no DB');
    const platform = new FakePlatform();
    const started = Date.now();
    await expect(
      waitForHarborHealthy(platform, httpClientFor(platform), harbor.url, 1500, { intervalMs: 100 }),
    ).rejects.toThrow(
      `Harbor at ${harbor.url} is not healthy after 2s: unhealthy components: core (core is down), trivy (no DB)`,
    );
    // polled repeatedly, never more often than the interval allows, and gave up at the deadline
    expect(healthCalls()).toBeGreaterThanOrEqual(2);
    expect(healthCalls()).toBeLessThanOrEqual(16);
    expect(Date.now() - started).toBeLessThan(1500 + 1000);
  });

  it('reports the connection error when Harbor never answers', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const platform = new FakePlatform();
    await expect(
      waitForHarborHealthy(platform, httpClientFor(platform), url, 500, { intervalMs: 100 }),
    ).rejects.toThrow(
      new RegExp(
        `^Harbor at ${url} is not healthy after 1s: GET ${url}/api/v2.0/health failed: .*(refused|ECONNREFUSED)`,
        'i',
      ),
    );
  });
});
