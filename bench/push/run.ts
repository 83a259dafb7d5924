/**
 * Push benchmark: our bundled action against skopeo and against the raw-upload floor (curl), side by side on the same
 * machine and the same local CNCF Distribution registry (a fresh one per cold round, so nothing is skipped).
 *
 *   npm run build -- --only push      # the bundle under test: actions/push/dist/index.js
 *   npx tsx bench/push/run.ts [--rounds 5] [--no-rss] [--archive-only] [--keep-extra-ca] [--before DIR] [--quick]
 *                             [--node <node binary>]
 *
 * `--node` runs the bundles (and `node -e 0` beside them) with another Node, e.g. the pinned node24 in .tools/, the
 * Node the action declares (`using: node24`); by default the Node running this script.
 *
 * The re-push is also timed by hyperfine (30 runs) next to `node -e 0`, the before bundle and skopeo: needs hyperfine.
 *
 * `--before DIR` runs another build's bundle (DIR/actions/push/dist/index.js, e.g. a worktree of main after
 * `npm run build`) in the same interleaved rounds, with its wall and CPU next to ours: the side-by-side figure for a
 * change. `--quick` keeps only the cold OCI-layout push (ours, before, the parallel floor) and the re-push.
 * `--tls` (with `--quick`) serves the registry over HTTPS with a certificate from a private CA, given to the step as its
 * `ca-file` input and to curl as `--cacert`: a self-hosted Harbor as many users run it.
 *
 * Images are generated on the fly in a temp dir (random data, so gzip cannot shrink them) and removed afterwards:
 * an OCI layout with 5 × 50 MiB gzip layers, a docker-archive with the same 5 layers uncompressed, and a 1 GiB
 * single-layer layout for the peak-RSS check (`/usr/bin/time -v`). skopeo's blob-info cache is cleared before every
 * skopeo round, or it would mount blobs it remembers instead of uploading them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { makeTempDir, removeTempDir } from '../../test/sandbox/child-processes';
import { makeImage } from '../../test/sandbox/make-image';
import { startRegistry, type RegistryHandle } from '../../test/sandbox/registry-launcher';
import { FakePlatform } from '../../test/support/fake-platform';
import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'actions', 'push', 'dist', 'index.js');
const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 5;
/** Only the docker-archive (gzip on the fly) comparison: the quick loop when working on the compressor. */
const ARCHIVE_ONLY = args.includes('--archive-only');
/** Only ours, the before bundle and the parallel floor on the cold layout, then the re-push: the loop for client CPU work. */
const QUICK = args.includes('--quick');
const TLS = args.includes('--tls');
if (TLS && !QUICK) throw new Error('--tls runs with --quick only (cold layout and re-push)');
/** The Node that runs the bundles and `node -e 0`. */
const NODE = args.includes('--node') ? args[args.indexOf('--node') + 1] : process.execPath;
const BEFORE = args.includes('--before')
  ? join(args[args.indexOf('--before') + 1], 'actions', 'push', 'dist', 'index.js')
  : undefined;
/**
 * Node reads and parses NODE_EXTRA_CA_CERTS at process start (~40 ms CPU for a full system bundle), before any code of
 * ours runs. Hosted runners do not set it; some machines (this one) do. Dropped for every child unless asked to keep it.
 */
const KEEP_EXTRA_CA = args.includes('--keep-extra-ca');
if (!KEEP_EXTRA_CA) delete process.env.NODE_EXTRA_CA_CERTS;
const SKOPEO_CACHES = [
  '/var/lib/containers/cache/blob-info-cache-v1.boltdb',
  join(process.env.HOME ?? '/root', '.local/share/containers/cache/blob-info-cache-v1.boltdb'),
];

function run(
  cmd: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ ms: number; stdout: string; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { env: { ...process.env, ...env }, maxBuffer: 64 * MiB }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${argv.join(' ')} failed: ${stderr || err.message}`));
      else resolve({ ms: performance.now() - started, stdout, stderr });
    });
  });
}

/** The bundled action as GitHub starts it: node dist/index.js with INPUT_* variables and a GITHUB_OUTPUT file. */
async function ours(
  registry: RegistryHandle,
  source: string,
  repository: string,
  work: string,
  timeV = false,
  bundle = BUNDLE,
) {
  const output = join(work, 'github_output');
  const env = stepEnv(registry, source, repository, work, output);
  const result = timeV ? await run('/usr/bin/time', ['-v', NODE, bundle], env) : await run(NODE, [bundle], env);
  const digest =
    /digest<<(\S+)\n(.*)\n/.exec(readFileSync(output, 'utf8'))?.[2] ??
    /^digest=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1];
  if (!digest) throw new Error(`no digest output:\n${result.stdout}`);
  return { ...result, digest };
}

function stepEnv(registry: RegistryHandle, source: string, repository: string, work: string, output: string) {
  writeFileSync(output, '');
  return {
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: work,
    'INPUT_HARBOR-URL': registry.url,
    INPUT_PROJECT: 'bench',
    INPUT_REPOSITORY: repository,
    INPUT_SOURCE: source,
    'INPUT_CREATE-PROJECT': 'false',
    ...(registry.caFile ? { 'INPUT_CA-FILE': registry.caFile } : {}),
  } as Record<string, string>;
}

/**
 * The re-push timed by hyperfine (3 warm-ups, 30 runs) next to `node -e 0`, the before bundle and skopeo's re-push of
 * the same image (with its blob-info cache, as a user's second run has it): process start to exit, without the ~10–20 ms
 * this script's own execFile adds to each round above. Returns one line per command: mean ± σ, median, CPU.
 */
function hyperfineRepush(registry: RegistryHandle, layoutDir: string, work: string): string[] {
  const json = join(work, 'repush-hyperfine.json');
  const commands: [string, string][] = [
    ['node -e 0', `${NODE} -e 0`],
    ['ours', `${NODE} ${BUNDLE}`],
    ...(BEFORE ? [['before', `${NODE} ${BEFORE}`] as [string, string]] : []),
    ...(TLS
      ? []
      : [
          [
            'skopeo',
            `skopeo --insecure-policy copy --quiet --dest-tls-verify=false oci:${layoutDir} docker://${registry.host}/bench/app:latest`,
          ] as [string, string],
        ]),
  ];
  execFileSync(
    'hyperfine',
    ['-N', '-w', '3', '-r', '30', '--export-json', json, ...commands.flatMap(([name, cmd]) => ['-n', name, cmd])],
    {
      env: { ...process.env, ...stepEnv(registry, `oci:${layoutDir}`, 'app', work, join(work, 'hyperfine_output')) },
      stdio: 'ignore',
    },
  );
  const { results } = JSON.parse(readFileSync(json, 'utf8')) as {
    results: { command: string; mean: number; stddev: number; median: number; user: number; system: number }[];
  };
  return results.map(
    (r) =>
      `  ${r.command.padEnd(10)} ${(r.mean * 1000).toFixed(0)} ± ${(r.stddev * 1000).toFixed(0)} ms (median ${(r.median * 1000).toFixed(0)} ms), CPU ${((r.user + r.system) * 1000).toFixed(0)} ms`,
  );
}

async function skopeo(registry: RegistryHandle, source: string, repository: string, timeV = false) {
  for (const cache of SKOPEO_CACHES) rmSync(cache, { force: true });
  const argv = [
    '--insecure-policy',
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    source,
    `docker://${registry.host}/bench/${repository}:latest`,
  ];
  return timeV ? run('/usr/bin/time', ['-v', 'skopeo', ...argv]) : run('skopeo', argv);
}

/** The push step's default `concurrency` input: the parallel floor uses as many streams. */
const PUSH_CONCURRENCY = 4;

/**
 * The floor: each blob of the layout PUT by curl in one request (monolithic upload), `streams` at a time, then the
 * manifest. streams = 1 is the old serial floor; streams = the push's default concurrency is the one the target uses.
 */
async function curlFloor(
  registry: RegistryHandle,
  layoutDir: string,
  manifestDigest: string,
  streams: number,
): Promise<{ ms: number; cpu: number }> {
  const blob = (d: string) => join(layoutDir, 'blobs', 'sha256', d.slice(7));
  const manifest = JSON.parse(readFileSync(blob(manifestDigest), 'utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  const queue = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
  let cpuMs = 0;
  const cacert = registry.caFile ? ['--cacert', registry.caFile] : [];
  const curl = async (argv: string[]) =>
    (cpuMs += cpu((await run('/usr/bin/time', ['-v', 'curl', ...cacert, ...argv])).stderr) * 1000);
  const started = performance.now();
  const worker = async () => {
    for (let digest = queue.shift(); digest; digest = queue.shift()) {
      // The session is opened by curl too: this process does not trust the bench's private CA.
      const opened = await run('curl', [
        ...cacert,
        '-sf',
        '-o',
        '/dev/null',
        '-D',
        '-',
        '-X',
        'POST',
        `${registry.url}/v2/bench/floor/blobs/uploads/`,
      ]);
      const location = new URL(/^location: (.+?)\r?$/im.exec(opened.stdout)![1], registry.url);
      location.searchParams.set('digest', digest);
      await curl([
        '-sf',
        '-o',
        '/dev/null',
        '-X',
        'PUT',
        '-H',
        'content-type: application/octet-stream',
        '-T',
        blob(digest),
        location.toString(),
      ]);
    }
  };
  await Promise.all(Array.from({ length: streams }, worker));
  await curl([
    '-sf',
    '-o',
    '/dev/null',
    '-X',
    'PUT',
    '-H',
    'content-type: application/vnd.oci.image.manifest.v1+json',
    '-T',
    blob(manifestDigest),
    `${registry.url}/v2/bench/floor/manifests/latest`,
  ]);
  return { ms: performance.now() - started, cpu: cpuMs };
}

/** `docker save` (legacy layout) of 5 uncompressed random layers, streamed to disk. */
async function dockerArchive(dir: string, layers: number, size: number): Promise<string> {
  const file = join(dir, 'image.tar');
  const p = pack();
  const done = pipeline(p, createWriteStream(file));
  const diffIds: string[] = [];
  for (let i = 0; i < layers; i++) {
    const inner = pack();
    const content = randomBytes(size);
    inner.entry({ name: `data-${i}.bin`, mtime: new Date(0) }, content);
    inner.finalize();
    const chunks: Buffer[] = [];
    for await (const c of inner) chunks.push(c as Buffer);
    const tar = Buffer.concat(chunks);
    const id = createHash('sha256').update(tar).digest('hex');
    diffIds.push(`sha256:${id}`);
    await new Promise<void>((resolve, reject) =>
      p.entry({ name: `${id}/layer.tar`, mtime: new Date(0) }, tar, (e) => (e ? reject(e) : resolve())),
    );
  }
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }),
  );
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  p.entry({ name: configName }, config);
  p.entry(
    { name: 'manifest.json' },
    JSON.stringify([
      { Config: configName, RepoTags: ['bench:latest'], Layers: diffIds.map((d) => `${d.slice(7)}/layer.tar`) },
    ]),
  );
  p.finalize();
  await done;
  return file;
}

/** An OCI layout with one 1 GiB layer, written as a stream (gzip level 0: valid gzip, no CPU spent on it). */
async function bigLayout(dir: string, size: number): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const tmp = join(dir, 'layer.tmp');
  const hash = createHash('sha256');
  const tar = pack();
  const entry = tar.entry({ name: 'big.bin', size, mtime: new Date(0) });
  const chunk = randomBytes(4 * MiB);
  const writing = pipeline(
    tar,
    createGzip({ level: 0 }),
    async function* (source) {
      for await (const c of source) {
        hash.update(c as Buffer);
        yield c;
      }
    },
    createWriteStream(tmp),
  );
  await pipeline(
    Readable.from(
      (function* () {
        for (let sent = 0; sent < size; sent += chunk.length)
          yield chunk.subarray(0, Math.min(chunk.length, size - sent));
      })(),
    ),
    entry,
  );
  tar.finalize();
  await writing;
  const layerDigest = `sha256:${hash.digest('hex')}`;
  renameSync(tmp, join(blobs, layerDigest.slice(7)));
  const put = (data: Buffer) => {
    const d = createHash('sha256').update(data).digest('hex');
    writeFileSync(join(blobs, d), data);
    return { digest: `sha256:${d}`, size: data.length };
  };
  const config = put(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })),
  );
  const manifest = put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: layerDigest,
            size: statSync(join(blobs, layerDigest.slice(7))).size,
          },
        ],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** user + system CPU seconds of a `/usr/bin/time -v` run: what the step costs regardless of how loaded the machine is. */
const cpu = (stderr: string) =>
  Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN) +
  Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
const rss = (stderr: string) => Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;

async function fresh<T>(fn: (r: RegistryHandle) => Promise<T>): Promise<T> {
  const registry = await startRegistry({ tls: TLS });
  try {
    return await fn(registry);
  } finally {
    await registry.stop();
  }
}

async function main(): Promise<void> {
  for (const bundle of [BUNDLE, ...(BEFORE ? [BEFORE] : [])])
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing; run npm run build -- --only push first`);
  const work = makeTempDir('bench-push');
  try {
    console.log(`generating images in ${work} …`);
    const layout = makeImage({ dir: join(work, 'layout'), layers: 5, layerSize: 50 * MiB });
    const archive = QUICK ? '' : await dockerArchive(work, 5, 50 * MiB);
    const times: Record<string, number[]> = {
      ours: [],
      oursCpu: [],
      before: [],
      beforeCpu: [],
      skopeo: [],
      floor: [],
      parallelFloor: [],
      parallelFloorCpu: [],
      oursArchive: [],
      skopeoArchive: [],
      repush: [],
      repushCpu: [],
      beforeRepush: [],
      beforeRepushCpu: [],
      repushArchive: [],
      repushInProcess: [],
      nodeStart: [],
      nodeStartCpu: [],
    };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first, so neither always meets a cold page cache or a warm CPU.
      const everyone = QUICK ? ['ours', 'parallelFloor'] : ['ours', 'skopeo', 'floor', 'parallelFloor'];
      if (BEFORE) everyone.splice(1, 0, 'before');
      const order = ARCHIVE_ONLY ? [] : round % 2 ? everyone : [...everyone].reverse();
      for (const who of order) {
        await fresh(async (registry) => {
          if (who === 'ours') {
            const r = await ours(registry, `oci:${layout.dir}`, 'app', work, true);
            if (r.digest !== layout.digest) throw new Error(`pushed ${r.digest}, layout has ${layout.digest}`);
            times.ours.push(r.ms);
            times.oursCpu.push(cpu(r.stderr) * 1000);
          } else if (who === 'before') {
            const r = await ours(registry, `oci:${layout.dir}`, 'app', work, true, BEFORE);
            if (r.digest !== layout.digest) throw new Error(`before pushed ${r.digest}, layout has ${layout.digest}`);
            times.before.push(r.ms);
            times.beforeCpu.push(cpu(r.stderr) * 1000);
          } else if (who === 'skopeo')
            times.skopeo.push((await skopeo(registry, `oci:${layout.dir}:latest`, 'app')).ms);
          else if (who === 'floor') times.floor.push((await curlFloor(registry, layout.dir, layout.digest, 1)).ms);
          else {
            const r = await curlFloor(registry, layout.dir, layout.digest, PUSH_CONCURRENCY);
            times.parallelFloor.push(r.ms);
            times.parallelFloorCpu.push(r.cpu);
          }
        });
      }
      for (const who of QUICK ? [] : round % 2 ? ['ours', 'skopeo'] : ['skopeo', 'ours']) {
        await fresh(async (registry) => {
          if (who === 'ours')
            times.oursArchive.push((await ours(registry, `docker-archive:${archive}`, 'archive', work)).ms);
          else times.skopeoArchive.push((await skopeo(registry, `docker-archive:${archive}`, 'archive')).ms);
        });
      }
      console.log(
        `round ${round}: ` +
          Object.entries(times)
            .filter(([, v]) => v.length)
            .map(([k, v]) => `${k} ${fmt(v[v.length - 1])}`)
            .join(', '),
      );
    }
    if (ARCHIVE_ONLY) {
      const m = median(times.oursArchive) / 1000;
      const s = median(times.skopeoArchive) / 1000;
      console.log(
        `\ndocker-archive 5 × 50 MiB, medians of ${ROUNDS}: ours ${m.toFixed(2)} s, skopeo ${s.toFixed(2)} s  →  ${(m / s).toFixed(2)}× skopeo`,
      );
      console.log(
        `load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${cpus().length} cores`,
      );
      return;
    }
    let repushByHyperfine: string[] = [];
    await fresh(async (registry) => {
      if (!QUICK) {
        await ours(registry, `docker-archive:${archive}`, 'archive', work);
        for (let i = 0; i < ROUNDS; i++)
          times.repushArchive.push((await ours(registry, `docker-archive:${archive}`, 'archive', work)).ms);
      }
      await ours(registry, `oci:${layout.dir}`, 'app', work);
      for (let i = 0; i < ROUNDS; i++) {
        const again = await ours(registry, `oci:${layout.dir}`, 'app', work, true);
        times.repush.push(again.ms);
        times.repushCpu.push(cpu(again.stderr) * 1000);
        if (BEFORE) {
          const theirs = await ours(registry, `oci:${layout.dir}`, 'app', work, true, BEFORE);
          times.beforeRepush.push(theirs.ms);
          times.beforeRepushCpu.push(cpu(theirs.stderr) * 1000);
        }
        // What node itself costs on this machine right now, and the step without process start and bundle load.
        const bare = await run('/usr/bin/time', ['-v', NODE, '-e', '0']);
        times.nodeStart.push(bare.ms);
        times.nodeStartCpu.push(cpu(bare.stderr) * 1000);
        const platform = new FakePlatform({
          'harbor-url': registry.url,
          project: 'bench',
          repository: 'app',
          source: `oci:${layout.dir}`,
          'create-project': 'false',
          ...(registry.caFile ? { 'ca-file': registry.caFile } : {}),
        });
        const started = performance.now();
        await runCapability(push, platform);
        times.repushInProcess.push(performance.now() - started);
        if (platform.result?.result !== 'succeeded')
          throw new Error(`in-process re-push failed: ${platform.result?.message}`);
      }
      repushByHyperfine = hyperfineRepush(registry, layout.dir, work);
    });
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.length ? median(v) : NaN]));
    console.log('\nmedians of', ROUNDS, 'rounds');
    console.log(
      QUICK
        ? `cold OCI layout 5 × 50 MiB: ours ${fmt(m.ours)}, curl floor with ${PUSH_CONCURRENCY} streams ${fmt(m.parallelFloor)}  →  ${(m.ours / m.parallelFloor).toFixed(2)}× parallel floor`
        : `cold OCI layout 5 × 50 MiB: ours ${fmt(m.ours)}, skopeo ${fmt(m.skopeo)}, curl floor ${fmt(m.floor)} serial / ${fmt(m.parallelFloor)} with ${PUSH_CONCURRENCY} streams  →  ` +
            `${(m.ours / m.skopeo).toFixed(2)}× skopeo, ${(m.ours / m.parallelFloor).toFixed(2)}× parallel floor, ${(m.ours / m.floor).toFixed(2)}× serial floor`,
    );
    console.log(
      `  client CPU (user+sys): ours ${fmt(m.oursCpu)}, the parallel floor's curl processes ${fmt(m.parallelFloorCpu)} (the registry's own CPU is the same for both)`,
    );
    if (BEFORE) {
      console.log(
        `  before bundle: cold ${fmt(m.before)} wall / ${fmt(m.beforeCpu)} CPU (${(m.before / m.parallelFloor).toFixed(2)}× parallel floor); ` +
          `re-push ${fmt(m.beforeRepush)} wall / ${fmt(m.beforeRepushCpu)} CPU`,
      );
      console.log(
        `  per round, cold wall / CPU: ours ${times.ours.map((t, i) => `${fmt(t)}/${fmt(times.oursCpu[i])}`).join(' ')}; ` +
          `before ${times.before.map((t, i) => `${fmt(t)}/${fmt(times.beforeCpu[i])}`).join(' ')}`,
      );
    }
    if (!QUICK)
      console.log(
        `docker-archive 5 × 50 MiB uncompressed, gzip on the fly: ours ${fmt(m.oursArchive)}, skopeo ${fmt(m.skopeoArchive)}  →  ${(m.oursArchive / m.skopeoArchive).toFixed(2)}× skopeo`,
      );
    console.log(
      `re-push: whole step (process start to exit) ${fmt(m.repush)} wall / ${fmt(m.repushCpu)} CPU; node -e 0 alone ${fmt(m.nodeStart)} wall / ${fmt(m.nodeStartCpu)} CPU; the step's own work in-process ${fmt(m.repushInProcess)}`,
    );
    console.log('re-push by hyperfine (same registry and image, 30 runs):\n' + repushByHyperfine.join('\n'));
    if (!QUICK)
      console.log(
        `re-push of the docker-archive (layers gzipped on the way, so found by its config): ${fmt(m.repushArchive)} wall`,
      );
    console.log(
      `load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${cpus().length} cores; node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}; NODE_EXTRA_CA_CERTS ${KEEP_EXTRA_CA ? 'kept' : 'unset'}${TLS ? '; registry over HTTPS (private CA as ca-file)' : ''}`,
    );
    rmSync(layout.dir, { recursive: true, force: true });
    if (archive) rmSync(archive, { force: true });

    if (!QUICK && !args.includes('--no-rss')) {
      console.log('\ngenerating a 1 GiB single-layer layout …');
      const big = await bigLayout(join(work, 'big'), 1024 * MiB);
      const oursBig = await fresh((registry) => ours(registry, `oci:${big}`, 'big', work, true));
      const skopeoBig = await fresh((registry) => skopeo(registry, `oci:${big}:latest`, 'big', true));
      console.log(
        `1 GiB single layer: ours ${fmt(oursBig.ms)}, peak RSS ${rss(oursBig.stderr).toFixed(0)} MiB; skopeo ${fmt(skopeoBig.ms)}, peak RSS ${rss(skopeoBig.stderr).toFixed(0)} MiB`,
      );
    }
  } finally {
    removeTempDir(work);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
