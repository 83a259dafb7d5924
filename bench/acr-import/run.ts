/**
 * What the acr-import step costs: wall time for N artifacts at different parallel-imports, the Harbor API calls
 * spent selecting them by filter, the ARM requests spent following the operations, and the step's memory.
 *
 *   npx tsx bench/acr-import/run.ts [images=20] [acr-latency-ms=500]
 *
 * Loopback only: the Harbor emulator as the source, the spec-checked fake ARM whose importImage really copies with
 * skopeo into an htpasswd registry standing in for ACR, plus `acr-latency-ms` of extra time per import for the part of
 * a real import that is not the copy (ACR queues imports and answers Retry-After: 10 in production).
 */
import { runCapability } from '../../shared/capability';
import acrImport from '../../shared/capabilities/acr-import';
import { startHarborEmulator } from '../../test/sandbox/harbor-emulator';
import { startRegistry } from '../../test/sandbox/registry-launcher';
import { startAzureWorld } from '../../test/support/fake-arm/azure-world';
import { FakePlatform } from '../../test/support/fake-platform';
import { harborAccess, seedImage } from '../../test/sandbox/seed';

async function main(): Promise<void> {
  const images = Number(process.argv[2] ?? 20);
  const latencyMs = Number(process.argv[3] ?? 500);
  const harbor = await startHarborEmulator({ projects: [{ name: 'shop' }, { name: 'tools' }] });
  const acr = await startRegistry({ auth: 'htpasswd' });
  const rows: Record<string, string | number>[] = [];
  try {
    await Promise.all(
      Array.from({ length: images }, (_, i) =>
        seedImage(harborAccess(harbor), `${i % 2 ? 'tools' : 'shop'}/img${i}`, '1.0'),
      ),
    );
    for (const parallel of [1, 4, 8]) {
      const world = await startAzureWorld({
        loginServer: acr.host,
        dataPlane: acr.users[0],
        onImport: () => new Promise((resolve) => setTimeout(resolve, latencyMs)),
      });
      try {
        const platform = new FakePlatform({
          'harbor-url': harbor.url,
          username: harbor.admin.username,
          password: harbor.admin.password,
          'name-filter': '**',
          'target-repository-prefix': `p${parallel}`,
          'parallel-imports': String(parallel),
          'resource-group': 'rg-registry',
          registry: 'contosoregistry',
        });
        platform.connections.azureSubscription = world.connection('ServicePrincipal');
        harbor.clearRequests();
        let peakRss = process.memoryUsage().rss;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
        const started = Date.now();
        await runCapability(acrImport, platform);
        const ms = Date.now() - started;
        clearInterval(sampler);
        if (platform.result?.result !== 'succeeded') throw new Error(`bench run failed: ${platform.result?.message}`);
        rows.push({
          images,
          'parallel-imports': parallel,
          'step s': (ms / 1000).toFixed(2),
          'imports/s': (images / (ms / 1000)).toFixed(1),
          'Harbor API calls': harbor.requests({ path: /^\/api\// }).length,
          'ARM requests': world.arm.requests,
          'peak RSS MiB': (peakRss / 2 ** 20).toFixed(0),
        });
      } finally {
        await world.stop();
      }
    }
  } finally {
    await acr.stop();
    await harbor.stop();
  }
  console.log(`acr-import, ${images} images, ${latencyMs} ms of ACR latency per import on top of the real copy`);
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
