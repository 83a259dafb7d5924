/**
 * Cold start of every bundled step to its first input error, side by side with `node -e 0` on the same machine.
 *
 *   npm run build                      # the bundles under test: actions/<id>/dist, tasks/<Task>/dist
 *   npx tsx bench/startup/run.ts [--rounds 20] [--keep-extra-ca] [--node <node binary>] [--baseline <checkout>]
 *
 * Each round runs `node -e 0` and then every bundle once, with no inputs set, as its runner would start it (the
 * GitHub bundles with a GITHUB_OUTPUT file, the Azure DevOps ones as the agent's Node handler does); every bundle
 * must exit 1 with its input error, or the round fails. Wall time is measured from spawn to exit; user+system CPU
 * comes from the child's rusage, which load on the machine changes much less than wall time.
 *
 * --node runs everything (`node -e 0` included) with another Node binary, e.g. the node24 the runners use.
 * --agent-env gives every process a runner-sized environment (200 more variables) and each task every input of its
 * task.json with its default, as the agent passes them (the task adapter indexes the environment before task-lib loads).
 * --baseline also runs the bundles built in another checkout (e.g. the previous commit, `npm run build` there) in the
 * same interleaved rounds, named `before: …`, so a change is measured side by side with what it replaces.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 20;
/**
 * Node reads and parses NODE_EXTRA_CA_CERTS at process start (~40 ms CPU for a full system bundle) for `node -e 0` and
 * a step alike. Hosted runners do not set it; some machines (this one) do. Dropped unless asked to keep it.
 */
const KEEP_EXTRA_CA = args.includes('--keep-extra-ca');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const NODE = option('--node') ?? process.execPath;
const BASELINE = option('--baseline');
const AGENT_ENV = args.includes('--agent-env');
/** The children's environment: this process's, without step inputs. */
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k, v]) => v !== undefined && !k.startsWith('INPUT_') && (KEEP_EXTRA_CA || k !== 'NODE_EXTRA_CA_CERTS'),
  ),
) as Record<string, string>;
if (AGENT_ENV)
  for (let i = 0; i < 200; i++)
    BASE_ENV[`${['BUILD', 'SYSTEM', 'AGENT', 'RELEASE'][i % 4]}_VARIABLE_${i}`] = `value ${i}`;

/** What the agent sets for a task: INPUT_<NAME> for every input of its task.json, its default or empty. */
function agentInputs(taskJson: string): Record<string, string> {
  if (!AGENT_ENV) return {};
  const { inputs } = JSON.parse(readFileSync(taskJson, 'utf8')) as {
    inputs: { name: string; defaultValue?: string }[];
  };
  return Object.fromEntries(
    inputs.map((i) => [`INPUT_${i.name.replace(/\./g, '_').toUpperCase()}`, i.defaultValue ?? '']),
  );
}

interface Sample {
  wall: number;
  cpu: number;
}

function runOnce(argv: string[], env: Record<string, string>, expectError: boolean): Promise<Sample & { out: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // bash's `time` reports the child's user and system CPU on its own last stderr line, in milliseconds (GNU time
    // prints hundredths of a second, too coarse for the few milliseconds a change here moves).
    const child = spawn('bash', ['-c', 'TIMEFORMAT="cpu %3U %3S"; time "$0" "$@"', NODE, ...argv], {
      env: { ...BASE_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      const times = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(out);
      if ((code !== 0) !== expectError) return reject(new Error(`${argv.join(' ')} exited ${code}:\n${out}`));
      resolve({ wall, cpu: times ? (Number(times[1]) + Number(times[2])) * 1000 : NaN, out });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const output = join(work, 'github_output');
    const bundles: { name: string; argv: string[]; env: Record<string, string>; expect: RegExp }[] = [];
    for (const [root, prefix] of [[ROOT, ''], ...(BASELINE ? [[BASELINE, 'before: ']] : [])]) {
      for (const id of readdirSync(join(root, 'actions'))) {
        const file = join(root, 'actions', id, 'dist', 'index.js');
        if (existsSync(file))
          bundles.push({
            name: `${prefix}action ${id}`,
            argv: [file],
            env: { GITHUB_OUTPUT: output, RUNNER_TEMP: work },
            expect: /^::error::/m,
          });
      }
      for (const task of readdirSync(join(root, 'tasks'))) {
        const file = join(root, 'tasks', task, 'dist', 'index.js');
        // Only tasks that still have a source folder: a renamed task's old dist may linger in a working copy.
        if (existsSync(file) && existsSync(join(root, 'tasks', task, 'index.ts'))) {
          bundles.push({
            name: `${prefix}task ${task}`,
            argv: [file],
            env: { AGENT_TEMPDIRECTORY: work, ...agentInputs(join(root, 'tasks', task, 'task.json')) },
            expect: /task\.complete result=Failed;/,
          });
        }
      }
    }
    if (bundles.length === 0) throw new Error('no bundles: run npm run build first');
    const samples = new Map<string, Sample[]>([
      ['node -e 0', []],
      ...bundles.map((b) => [b.name, []] as [string, Sample[]]),
    ]);
    const loads: string[] = [load()];
    for (let round = 1; round <= ROUNDS; round++) {
      samples.get('node -e 0')!.push(await runOnce(['-e', '0'], {}, false));
      for (const b of bundles) {
        writeFileSync(output, '');
        const r = await runOnce(b.argv, b.env, true);
        if (!b.expect.test(r.out)) throw new Error(`${b.name} did not fail with an input error:\n${r.out}`);
        samples.get(b.name)!.push(r);
      }
      if (round % 5 === 0) loads.push(load());
    }
    const base = samples.get('node -e 0')!;
    const baseWall = median(base.map((s) => s.wall));
    const baseCpu = median(base.map((s) => s.cpu));
    console.log(`medians of ${ROUNDS} interleaved rounds (wall / CPU user+sys), ratio to node -e 0`);
    for (const [name, list] of samples) {
      const wall = median(list.map((s) => s.wall));
      const cpu = median(list.map((s) => s.cpu));
      console.log(
        `${name.padEnd(34)} ${wall.toFixed(0).padStart(5)} ms / ${cpu.toFixed(0).padStart(4)} ms   ${(wall / baseWall).toFixed(2)}× wall  ${(cpu / baseCpu).toFixed(2)}× CPU`,
      );
    }
    console.log(
      `load average (1/5/15 min) during the run: ${loads.join(' → ')} on ${cpus().length} cores; node ${execFileSync(NODE, ['--version']).toString().trim()}; NODE_EXTRA_CA_CERTS ${KEEP_EXTRA_CA ? 'kept' : 'unset'}${AGENT_ENV ? `; runner-sized environment (${Object.keys(BASE_ENV).length} variables + task inputs)` : ''}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
