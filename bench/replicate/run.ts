/**
 * What waiting for a replication costs: how long after Harbor finishes the step notices (backoff latency), how many
 * API calls the polling makes, and the step's memory, for small and large executions with production polling.
 *
 *   npx tsx bench/replicate/run.ts [images=20] [task-delay-ms=250]
 *
 * Runs the Harbor emulator and a real registry on loopback; the replication jobs really copy with skopeo.
 */
import { runCapability } from '../../shared/capability';
import replicate from '../../shared/capabilities/replicate';
import { startHarborEmulator } from '../../test/sandbox/harbor-emulator';
import { startRegistry } from '../../test/sandbox/registry-launcher';
import { FakePlatform } from '../../test/support/fake-platform';
import { harborAccess, seedImage } from '../../test/sandbox/seed';

async function scenario(images: number, taskDelayMs: number): Promise<Record<string, string | number>> {
  const harbor = await startHarborEmulator({ projects: [{ name: 'app' }], replicationTaskDelayMs: taskDelayMs });
  const target = await startRegistry({ auth: 'htpasswd' });
  try {
    await Promise.all(Array.from({ length: images }, (_, i) => seedImage(harborAccess(harbor), `app/img${i}`, '1.0')));
    const platform = new FakePlatform({
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      'registry-name': 'replica',
      'registry-type': 'docker-registry',
      'registry-url': target.url,
      'registry-username': target.users[0].username,
      'registry-password': target.users[0].password,
      'policy-name': 'bench',
      direction: 'push',
      'name-filter': 'app/**',
    });
    harbor.clearRequests();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const started = Date.now();
    await runCapability(replicate, platform);
    const stepEnded = Date.now();
    clearInterval(sampler);
    if (platform.result?.result !== 'succeeded') throw new Error(`bench run failed: ${platform.result?.message}`);
    const executionId = platform.outputs['execution-id'];
    const res = await fetch(`${harbor.url}/api/v2.0/replication/executions/${executionId}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${harbor.admin.username}:${harbor.admin.password}`).toString('base64')}`,
      },
    });
    const execution = (await res.json()) as { start_time: string; end_time: string; total: number };
    const execMs = Date.parse(execution.end_time) - Date.parse(execution.start_time);
    const polls = harbor.requests({ method: 'GET', path: /\/replication\/executions\/\d+$/ }).length;
    const api = harbor.requests({ path: /^\/api\// }).length;
    return {
      images,
      'task delay ms': taskDelayMs,
      tasks: execution.total,
      'execution s': (execMs / 1000).toFixed(2),
      'step s': ((stepEnded - started) / 1000).toFixed(2),
      'noticed after s': ((stepEnded - Date.parse(execution.end_time)) / 1000).toFixed(2),
      'execution GETs': polls,
      'API calls': api,
      'peak RSS MiB': (peakRss / 2 ** 20).toFixed(0),
    };
  } finally {
    await harbor.stop();
    await target.stop();
  }
}

async function main(): Promise<void> {
  const images = Number(process.argv[2] ?? 20);
  const delay = Number(process.argv[3] ?? 250);
  const rows = [await scenario(1, 0), await scenario(images, 0), await scenario(images, delay)];
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
