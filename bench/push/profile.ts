/**
 * Where a push's time goes: one cold push of the bench image (5 × 50 MiB OCI layout) and one re-push, each by the
 * bundled action under `node --cpu-prof`, against a fresh local Distribution registry. Prints wall and CPU time of the
 * step process and of the registry, and the step's CPU profile folded into categories (process start and bundle
 * load, reading files, hashing, socket writes, HTTP framing, garbage collection, idle).
 *
 *   npm run build -- --only push
 *   npx tsx bench/push/profile.ts [--keep-extra-ca] [--top 30] [--save DIR]
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../../test/sandbox/child-processes';
import { makeImage } from '../../test/sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../../test/sandbox/registry-launcher';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'actions', 'push', 'dist', 'index.js');
const MiB = 1024 * 1024;
if (!process.argv.includes('--keep-extra-ca')) delete process.env.NODE_EXTRA_CA_CERTS;
/** `--top N`: also list the N functions with the most self time (0 by default). */
const TOP = Number(process.argv[process.argv.indexOf('--top') + 1]) || 0;
/** `--save DIR`: keep the .cpuprofile files (cold-push, re-push) there, for Chrome DevTools or speedscope. */
const SAVE = process.argv.includes('--save') ? process.argv[process.argv.indexOf('--save') + 1] : undefined;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Self time per category; a sample belongs to the first category matched walking up from the sampled frame. */
const CATEGORIES: [string, (name: string, url: string) => boolean][] = [
  ['garbage collection', (n) => n === '(garbage collector)'],
  ['idle (waiting for the network or disk)', (n) => n === '(idle)'],
  ['sha256 (hashing)', (n, u) => /crypto\/hash/.test(u) || n === 'Hash' || n === 'update' || n === 'digest'],
  ['file reads', (n, u) => /internal\/fs/.test(u) || n === 'read' || n === 'readFileSync' || n === 'readFileUtf8'],
  [
    'socket writes',
    (n, u) => n === 'writev' || n === 'writeBuffer' || n === 'writeGeneric' || /stream_base_commons/.test(u),
  ],
  ['bundle compile (V8 parse of dist/index.js)', (n) => n === 'wrapSafe' || n === 'compileFunction'],
  [
    'node start (bootstrap, builtin modules)',
    (n, u) =>
      /internal\/(bootstrap|main|process\/pre_execution)/.test(u) ||
      n === 'compileForInternalLoader' ||
      n === 'compileForPublicLoader',
  ],
  ['HTTP framing and parsing (node:http)', (_n, u) => /node:_?https?|node:_http_|undici|llhttp/.test(u)],
  ['streams (pipe, transforms)', (_n, u) => /internal\/streams/.test(u)],
];

function fold(file: string): { total: number; parts: [string, number][]; top: [string, number][] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sums = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    total += ms;
    let category = 'our code and other';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)!;
      const hit = CATEGORIES.find(([, test]) => test(node.callFrame.functionName, node.callFrame.url));
      if (hit) {
        category = hit[0];
        break;
      }
    }
    sums.set(category, (sums.get(category) ?? 0) + ms);
    const { functionName, url } = byId.get(id)!.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist|internal)\//, '$1/')}`;
    self.set(where, (self.get(where) ?? 0) + ms);
  });
  const byTime = (a: [string, number], b: [string, number]) => b[1] - a[1];
  return { total, parts: [...sums.entries()].sort(byTime), top: [...self.entries()].sort(byTime).slice(0, TOP) };
}

function timed(
  cmd: string,
  argv: string[],
  env: Record<string, string>,
): Promise<{ wall: number; cpu: number; out: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', 'cpu %U %S', cmd, ...argv],
      { env: { ...process.env, ...env }, maxBuffer: 16 * MiB },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${cmd} failed: ${stderr}`));
        const [, user, sys] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr) ?? [];
        resolve({ wall: performance.now() - started, cpu: (Number(user) + Number(sys)) * 1000, out: stdout });
      },
    );
  });
}

/** user+system CPU the registry process has used so far, from /proc (clock ticks of 10 ms). */
function registryCpu(registry: RegistryHandle): number {
  const fields = readFileSync(`/proc/${registry.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const work = makeTempDir('bench-push-profile');
  const registry = await startRegistry();
  try {
    const layout = makeImage({ dir: join(work, 'layout'), layers: 5, layerSize: 50 * MiB });
    for (const run of ['cold push', 're-push']) {
      const dir = join(work, run.replace(' ', '-'));
      mkdirSync(dir);
      const output = join(work, 'github_output');
      writeFileSync(output, '');
      const before = registryCpu(registry);
      const r = await timed(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, BUNDLE], {
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: work,
        'INPUT_HARBOR-URL': registry.url,
        INPUT_PROJECT: 'bench',
        INPUT_REPOSITORY: 'app',
        INPUT_SOURCE: `oci:${layout.dir}`,
        'INPUT_CREATE-PROJECT': 'false',
      });
      if (!readFileSync(output, 'utf8').includes(layout.digest))
        throw new Error(`${run} did not output ${layout.digest}:\n${r.out}`);
      const file = join(dir, readdirSync(dir)[0]);
      if (SAVE) copyFileSync(file, join(SAVE, `${run.replace(' ', '-')}.cpuprofile`));
      const { total, parts, top } = fold(file);
      console.log(
        `\n${run}: step ${(r.wall / 1000).toFixed(2)} s wall, ${(r.cpu / 1000).toFixed(2)} s CPU (profiled); registry ${((registryCpu(registry) - before) / 1000).toFixed(2)} s CPU`,
      );
      for (const [name, ms] of parts)
        console.log(
          `  ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${((ms / total) * 100).toFixed(0).padStart(3)} %`,
        );
      if (top.length) console.log(`  top ${top.length} functions by self time:`);
      for (const [name, ms] of top) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
    }
    console.log(`\nload average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  } finally {
    await registry.stop();
    removeTempDir(work);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
