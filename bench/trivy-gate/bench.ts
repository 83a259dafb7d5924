/**
 * trivy-gate on a generated 100 000-finding Trivy JSON (~45 MB), side by side with jq computing the same unique
 * per-severity counts, and the floor: a plain script that JSON.parses the whole file and counts unique findings. Runs
 * the real action bundle (actions/trivy-gate/dist, build it first) with the job summary, SARIF and JUnit written.
 *
 *   npx tsx bench/trivy-gate/bench.ts [findings=100000] [runs=5] [--keep-extra-ca] [--before <checkout>] [--node <binary>]
 *
 * --node runs the gate bundles and the plain script with another Node (e.g. the pinned node24 in .tools/, the Node
 * the action runs on; its young generation grows larger, so peak RSS differs from Node 20's).
 * --before runs another build's bundle (<checkout>/actions/trivy-gate/dist, e.g. a worktree of main) in the same
 * hyperfine run, prints after/before ratios, and checks that both write the same SARIF, JUnit and summary bytes.
 *
 * Also runs the same bundle with the summary only (no SARIF, no JUnit): reading and judging alone beside the floor;
 * and a second floor on equal terms, plain-outputs.js: JSON.parse, the unique count, and the same SARIF and JUnit bytes
 * (checked with cmp) written the plain way (JSON.stringify of the SARIF document, the JUnit as one string).
 *
 * Needs jq, hyperfine and GNU time (/usr/bin/time). Prints hyperfine's table (wall, user and system time), the ratios,
 * peak RSS, and checks the gate's counts against jq's. Targets (issue 18): gate <= 1.3 x the plain script,
 * <= 0.2 x jq, peak RSS <= 250 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrivyReport } from './generate-report';

const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'actions', 'trivy-gate', 'dist', 'index.js');
const beforeIndex = process.argv.indexOf('--before');
const BEFORE =
  beforeIndex > 0 ? join(process.argv[beforeIndex + 1], 'actions', 'trivy-gate', 'dist', 'index.js') : undefined;
const nodeIndex = process.argv.indexOf('--node');
const NODE = nodeIndex > 0 ? process.argv[nodeIndex + 1] : 'node';
const positional = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--before' && all[i - 1] !== '--node');
const findings = Number(positional[0] ?? 100_000);
const runs = Number(positional[1] ?? 5);
// Node parses NODE_EXTRA_CA_CERTS at start for the floor script and the gate alike; hosted runners do not set it.
if (!process.argv.includes('--keep-extra-ca')) delete process.env.NODE_EXTRA_CA_CERTS;

const SUMMARY_ONLY = 'trivy-gate (bundle, summary only)';
const PLAIN_OUTPUTS = 'plain JSON.parse + count + the same SARIF and JUnit';

/** Unique by (id, package, installed version) across all targets, then counted per severity. */
const JQ_PROGRAM =
  '[.Results[]?.Vulnerabilities[]? | {k: [.VulnerabilityID, .PkgName, .InstalledVersion], s: .Severity}] | unique_by(.k) | group_by(.s) | map({(.[0].s): length}) | add';

const PLAIN_SCRIPT = `
const r = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const seen = new Map();
for (const res of r.Results ?? []) for (const v of res.Vulnerabilities ?? []) {
  const k = v.VulnerabilityID + '\\0' + v.PkgName + '\\0' + v.InstalledVersion;
  if (!seen.has(k)) seen.set(k, v.Severity);
}
const c = {}; for (const s of seen.values()) c[s] = (c[s] ?? 0) + 1;
console.log(JSON.stringify(c));
`;

function main(): void {
  if (!existsSync(BUNDLE))
    throw new Error(`build the bundle first: npx tsx scripts/build.ts --only trivy-gate (${BUNDLE} missing)`);
  const dir = mkdtempSync(join(tmpdir(), 'trivy-gate-bench-'));
  try {
    const report = join(dir, 'report.json');
    generateTrivyReport(report, findings);
    console.log(`report: ${findings} findings, ${(statSync(report).size / 1e6).toFixed(1)} MB`);
    const plain = join(dir, 'plain-count.js');
    writeFileSync(plain, PLAIN_SCRIPT);

    // The gate as a runner starts it: inputs and the output/summary files in the environment.
    const gateEnv = gateScript(dir, report, BUNDLE, '');
    const beforeEnv = BEFORE ? gateScript(dir, report, BEFORE, 'before-') : undefined;
    // The same bundle with the summary only: what reading and judging cost beside the floor, without the 34 MB of
    // SARIF and JUnit the floor never writes.
    const summaryOnlyEnv = gateScript(dir, report, BUNDLE, 'summary-only-', false);
    // The floor on equal terms writes what the gate writes; its tool version and link are the gate's own, read from a
    // first run of the gate.
    execFileSync('sh', [gateEnv]);
    const driver = (
      JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as {
        runs: { tool: { driver: { version: string; informationUri: string } } }[];
      }
    ).runs[0].tool.driver;
    const plainOutputs =
      `${NODE} ${join(__dirname, 'plain-outputs.js')} ${report} ${join(dir, 'plain.sarif')} ${join(dir, 'plain.xml')} ` +
      `${join(dir, 'plain-summary.md')} ${driver.version} ${driver.informationUri}`;

    const json = join(dir, 'hyperfine.json');
    execFileSync(
      'hyperfine',
      [
        '--warmup',
        '1',
        '--runs',
        String(runs),
        '--export-json',
        json,
        '-n',
        'jq',
        `jq '${JQ_PROGRAM}' ${report}`,
        '-n',
        'plain JSON.parse + count',
        `${NODE} ${plain} ${report}`,
        '-n',
        'trivy-gate (bundle, summary + SARIF + JUnit)',
        `sh ${gateEnv}`,
        '-n',
        SUMMARY_ONLY,
        `sh ${summaryOnlyEnv}`,
        '-n',
        PLAIN_OUTPUTS,
        plainOutputs,
        ...(beforeEnv ? ['-n', 'trivy-gate before', `sh ${beforeEnv}`] : []),
      ],
      { stdio: 'inherit' },
    );
    const results = (
      JSON.parse(readFileSync(json, 'utf8')) as {
        results: { command: string; median: number; user: number; system: number }[];
      }
    ).results;
    const median = (name: string) => results.find((r) => r.command === name)!.median;
    const cpu = (name: string) =>
      results.find((r) => r.command === name)!.user + results.find((r) => r.command === name)!.system;
    const GATE = 'trivy-gate (bundle, summary + SARIF + JUnit)';
    const FLOOR = 'plain JSON.parse + count';
    const ratio = median(GATE) / median('jq');
    const floorRatio = median(GATE) / median(FLOOR);

    const rss = (cmd: string[]) => {
      const run = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { encoding: 'utf8' });
      return Number(run.stderr.trim().split('\n').pop()) / 1024;
    };
    const gateRss = rss(['sh', gateEnv]);
    const jqRss = rss(['jq', JQ_PROGRAM, report]);

    // The gate's counts must be jq's.
    const jqCounts = JSON.parse(execFileSync('jq', ['-c', JQ_PROGRAM, report], { encoding: 'utf8' })) as Record<
      string,
      number
    >;
    const outputs = readFileSync(join(dir, 'github_output'), 'utf8');
    const output = (name: string) => Number(new RegExp(`^${name}<<(.+)\\n(.*)\\n\\1$`, 'm').exec(outputs)?.[2]);
    const mismatched = ['critical', 'high', 'medium', 'low', 'unknown'].filter(
      (s) => output(s) !== (jqCounts[s.toUpperCase()] ?? 0),
    );

    console.log(
      `\ngate / plain script = ${floorRatio.toFixed(2)} by median wall (target <= 1.3), ${(cpu(GATE) / cpu(FLOOR)).toFixed(2)} by mean CPU`,
    );
    console.log(
      `gate / jq = ${ratio.toFixed(2)} by median wall (target <= 0.2), ${(cpu(GATE) / cpu('jq')).toFixed(2)} by mean CPU`,
    );
    console.log(
      `gate with the summary only (no SARIF, no JUnit) / plain script = ${(median(SUMMARY_ONLY) / median(FLOOR)).toFixed(2)} by median wall, ${(cpu(SUMMARY_ONLY) / cpu(FLOOR)).toFixed(2)} by mean CPU`,
    );
    const sameAsPlain = ['sarif', 'xml'].every((ext) =>
      readFileSync(join(dir, `out.${ext}`)).equals(readFileSync(join(dir, `plain.${ext}`))),
    );
    console.log(
      `gate / plain script writing the same SARIF and JUnit = ${(median(GATE) / median(PLAIN_OUTPUTS)).toFixed(2)} by median wall, ${(cpu(GATE) / cpu(PLAIN_OUTPUTS)).toFixed(2)} by mean CPU (same bytes: ${sameAsPlain ? 'yes' : 'NO'})`,
    );
    if (!sameAsPlain) process.exitCode = 1;
    console.log(
      `peak RSS: gate ${gateRss.toFixed(0)} MB (target <= 250), jq ${jqRss.toFixed(0)} MB, plain script writing the same outputs ${rss(plainOutputs.split(' ')).toFixed(0)} MB`,
    );
    if (beforeEnv) {
      const BEFORE_NAME = 'trivy-gate before';
      console.log(
        `before: gate / plain script = ${(median(BEFORE_NAME) / median(FLOOR)).toFixed(2)} by median wall, ${(cpu(BEFORE_NAME) / cpu(FLOOR)).toFixed(2)} by mean CPU; ` +
          `after / before = ${(median(GATE) / median(BEFORE_NAME)).toFixed(2)} wall, ${(cpu(GATE) / cpu(BEFORE_NAME)).toFixed(2)} CPU; peak RSS before ${rss(['sh', beforeEnv]).toFixed(0)} MB`,
      );
      const differ = ['out.sarif', 'out.xml', 'summary.md'].filter(
        (f) => !readFileSync(join(dir, f)).equals(readFileSync(join(dir, `before-${f}`))),
      );
      console.log(
        `same SARIF, JUnit and summary bytes as before: ${differ.length === 0 ? 'yes' : `NO (${differ.join(', ')})`}`,
      );
      if (differ.length > 0) process.exitCode = 1;
    }
    console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    console.log(`counts equal jq's: ${mismatched.length === 0 ? 'yes' : `NO (${mismatched.join(', ')})`}`);
    console.log(
      `outputs: SARIF ${(statSync(join(dir, 'out.sarif')).size / 1e6).toFixed(1)} MB, JUnit ${(statSync(join(dir, 'out.xml')).size / 1e6).toFixed(1)} MB`,
    );
    if (mismatched.length > 0 || floorRatio > 1.3 || ratio > 0.2 || gateRss > 250) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A shell script that runs a gate bundle as a runner starts it. Input names contain '-', which sh cannot export, so
 * env(1) passes them. The policy fails on this report (exit 1): that is the gate working, not the bench failing.
 */
function gateScript(dir: string, report: string, bundle: string, prefix: string, files = true): string {
  const script = join(dir, `${prefix}gate.sh`);
  const out = (name: string) => join(dir, `${prefix}${name}`);
  writeFileSync(
    script,
    `: > ${out('github_output')}; : > ${out('summary.md')}\n` +
      `env GITHUB_OUTPUT=${out('github_output')} GITHUB_STEP_SUMMARY=${out('summary.md')} 'INPUT_REPORT-FILE=${report}' 'INPUT_FAIL-ON=high' ` +
      (files ? `'INPUT_SARIF-FILE=${out('out.sarif')}' 'INPUT_JUNIT-FILE=${out('out.xml')}' ` : '') +
      `${NODE} ${bundle} > /dev/null || true\n`,
  );
  return script;
}

main();
