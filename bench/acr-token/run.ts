/**
 * What one acr-token step costs as GitHub runs it: the committed action bundle started as a process (GitHub OIDC
 * sign-in at the Entra stand-in, the spec-checked fake ARM), for a first run (scope map + token + password), an
 * idempotent re-run and a rotation. Reports wall time, peak RSS of the step process, and ARM requests (polls included).
 *
 *   npx tsx bench/acr-token/run.ts [polls=1] [runs=5]
 *
 * `polls`: how many "in progress" answers each long-running operation gives before it completes (Retry-After: 0, so
 * the numbers are the step's own cost, not Azure's).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FEDERATED_APP,
  startAzureWorld,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld,
} from '../../test/support/fake-arm/azure-world';

const dist = join(__dirname, '../../actions/acr-token/dist/index.js');

/** Runs the bundle as a child (the fakes live in this process, so it must not block) under GNU time. */
async function runStep(
  world: AzureWorld,
  inputs: Record<string, string>,
): Promise<{ seconds: number; rssMiB: number; ok: boolean }> {
  const work = mkdtempSync(join(tmpdir(), 'acr-bench-'));
  try {
    writeFileSync(join(work, 'out'), '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_OUTPUT: join(work, 'out'),
      RUNNER_TEMP: work,
      ACTIONS_ID_TOKEN_REQUEST_URL: world.identity.githubRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.identity.githubRequestToken,
    };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%e %M', process.execPath, dist], {
        env,
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let text = '';
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    return { ...parseTime(stderr), ok: readFileSync(join(work, 'out'), 'utf8').includes('token-id') };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseTime(stderr: string): { seconds: number; rssMiB: number } {
  const [seconds, kib] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, rssMiB: kib / 1024 };
}

async function main(): Promise<void> {
  const polls = Number(process.argv[2] ?? 1);
  const runs = Number(process.argv[3] ?? 5);
  const rows: string[] = [];
  // Startup alone: a missing input fails before any request, so this is node + bundle load + input parsing.
  const startup: number[] = [];
  const idle = await startAzureWorld();
  for (let i = 0; i < runs; i++) startup.push((await runStep(idle, {})).seconds);
  await idle.stop();
  startup.sort((a, b) => a - b);
  rows.push(`| startup (missing input) | ${startup[Math.floor(startup.length / 2)].toFixed(2)} s | | 0 |`);
  for (const scenario of ['create', 're-run', 'rotate'] as const) {
    const times: number[] = [];
    const rss: number[] = [];
    let requests = 0;
    for (let i = 0; i < runs; i++) {
      const world = await startAzureWorld({ polls });
      const inputs = {
        'subscription-id': SUBSCRIPTION,
        'resource-group': 'rg-registry',
        registry: 'contosoregistry',
        token: 'bench-token',
        repositories: 'shop/web\nshop/api\nbase/*: content/read, metadata/read',
        'client-id': FEDERATED_APP,
        'tenant-id': TENANT,
        'authority-host': world.identity.url,
        'resource-manager-url': world.arm.url,
        ...(scenario === 'rotate' ? { rotate: 'true' } : {}),
      };
      try {
        if (scenario !== 'create') await runStep(world, inputs);
        const before = world.arm.requests;
        const result = await runStep(world, inputs);
        if (!result.ok) throw new Error(`${scenario} run ${i} failed`);
        requests = world.arm.requests - before;
        times.push(result.seconds);
        rss.push(result.rssMiB);
      } finally {
        await world.stop();
      }
    }
    times.sort((a, b) => a - b);
    rows.push(
      `| ${scenario} | ${times[Math.floor(times.length / 2)].toFixed(2)} s | ${Math.max(...rss).toFixed(0)} MiB | ${requests} |`,
    );
  }
  console.log(
    `bundle: ${(statSync(dist).size / 1024 / 1024).toFixed(2)} MiB, polls per operation: ${polls}, runs: ${runs}`,
  );
  console.log('| run | median wall time | peak RSS | ARM requests |\n| --- | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
