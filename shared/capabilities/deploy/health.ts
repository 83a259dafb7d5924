import { UserError, oneLine } from '../../errors';
import type { HttpClient } from '../../http/client';
import { harborHealthUrl, readHarborHealth } from '../../harbor/health';
import type { Platform } from '../../platform';
import { clockWith } from '../../util/clock';
import { pollWithBackoff } from '../../util/poll';

export interface HealthResult {
  components: { name: string; status: string }[];
  attempts: number;
}

/**
 * Polls Harbor's health endpoint at its external URL until every component is healthy. Right after a rollout the
 * ingress, DNS or certificate may not be ready, so failed connections are retried like unhealthy answers until the
 * deadline; the final error names the unhealthy components (or the last connection error).
 */
export async function waitForHarborHealthy(
  platform: Platform,
  http: HttpClient,
  url: string,
  timeoutMs: number,
  options: { intervalMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<HealthResult> {
  const interval = options.intervalMs ?? Math.min(5000, Math.max(250, Math.floor(timeoutMs / 20)));
  const clock = clockWith(options);
  const deadline = clock.now() + timeoutMs;
  let last = '';
  return pollWithBackoff(
    { timeoutMs, initialDelayMs: interval, clock },
    async (turn) => {
      try {
        const res = await readHarborHealth(http, url, Math.min(10_000, Math.max(1000, deadline - clock.now())));
        if (res.health) {
          const { health } = res;
          const components = health.components ?? [];
          const unhealthy = components.filter((c) => c.status !== 'healthy');
          if (health.status === 'healthy' && unhealthy.length === 0) return { components, attempts: turn.attempt };
          last = `unhealthy components: ${unhealthy.map((c) => (c.error ? `${c.name} (${c.error})` : c.name)).join(', ') || health.status}`;
        } else {
          last = `${harborHealthUrl(url)} answered ${res.status}`;
        }
      } catch (error) {
        last = oneLine(error);
      }
      platform.debug(`Harbor health, attempt ${turn.attempt}: ${last}`);
      return undefined;
    },
    () => {
      throw new UserError(`Harbor at ${url} is not healthy after ${Math.round(timeoutMs / 1000)}s: ${last}`);
    },
  );
}
