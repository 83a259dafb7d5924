import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The step folders of actions/ or tasks/ (each with a dist/): not the adapter, nor the bundler's tsconfig.json. */
export function stepFolders(dir: 'actions' | 'tasks'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'adapter')
    .map((d) => d.name);
}

export interface BundleRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Outputs as the runner would read them (GITHUB_OUTPUT file, or ##vso[task.setvariable …;isOutput=true] lines). */
  outputs: Record<string, string>;
  /** Output names flagged secret (ADO issecret=true; on GitHub, outputs whose value was masked). */
  secretOutputs: string[];
  /** The job summary (GitHub) or the uploaded summary files (ADO). */
  summary: string;
  /** stdout as a runner would display it: every value registered for masking replaced by ***. */
  displayed: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** The Node binary that runs the bundle (default: the one running the tests), e.g. the pinned node24. */
  node?: string;
}

export interface Endpoint {
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data?: Record<string, string>;
}

/** Runs actions/<id>/dist as GitHub would: a copy of the bundle outside the repo, so node_modules is out of reach. */
export function runActionBundle(
  id: string,
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<BundleRun> {
  return runActionDist(join(ROOT, 'actions', id, 'dist'), inputs, options);
}

export async function runActionDist(
  distDir: string,
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<BundleRun> {
  const work = mkdtempSync(join(tmpdir(), 'action-run-'));
  try {
    cpSync(distDir, join(work, 'dist'), { recursive: true });
    const outputFile = join(work, 'github_output');
    const summaryFile = join(work, 'step_summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const env: Record<string, string> = {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: join(work, 'runner-temp'),
      RUNNER_TOOL_CACHE: join(work, 'tool-cache'),
      GITHUB_WORKSPACE: options.cwd ?? work,
      ...options.env,
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const run = await runNode(join(work, 'dist', 'index.js'), env, options);
    const outputs = parseGitHubOutputFile(readFileSync(outputFile, 'utf8'));
    const masks = maskedValues(run.stdout);
    return {
      ...run,
      outputs,
      secretOutputs: Object.keys(outputs).filter((k) => masks.includes(outputs[k])),
      summary: readFileSync(summaryFile, 'utf8'),
      displayed: applyMasks(run.stdout),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs tasks/<Task>/dist as the ADO agent would, with task-lib's INPUT_/ENDPOINT_ variables. */
export function runTaskBundle(
  taskName: string,
  inputs: Record<string, string>,
  options: RunOptions & { endpoints?: Record<string, Endpoint> } = {},
): Promise<BundleRun> {
  return runTaskDist(join(ROOT, 'tasks', taskName), inputs, options);
}

export async function runTaskDist(
  taskDir: string,
  inputs: Record<string, string>,
  options: RunOptions & { endpoints?: Record<string, Endpoint> } = {},
): Promise<BundleRun> {
  const work = mkdtempSync(join(tmpdir(), 'task-run-'));
  try {
    cpSync(join(taskDir, 'dist'), join(work, 'dist'), { recursive: true });
    if (existsSync(join(taskDir, 'task.json'))) cpSync(join(taskDir, 'task.json'), join(work, 'task.json'));
    mkdirSync(join(work, 'agent-temp'));
    const env: Record<string, string> = {
      AGENT_TEMPDIRECTORY: join(work, 'agent-temp'),
      AGENT_TOOLSDIRECTORY: join(work, 'tools'),
      SYSTEM_DEFAULTWORKINGDIRECTORY: options.cwd ?? work,
      ...options.env,
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/\./g, '_').toUpperCase()}`] = value;
    for (const [id, endpoint] of Object.entries(options.endpoints ?? {})) {
      env[`ENDPOINT_URL_${id}`] = endpoint.url;
      env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({ scheme: endpoint.scheme, parameters: endpoint.parameters });
      env[`ENDPOINT_AUTH_SCHEME_${id}`] = endpoint.scheme;
      for (const [key, value] of Object.entries(endpoint.parameters))
        env[`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`] = value;
      for (const [key, value] of Object.entries(endpoint.data ?? {}))
        env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`] = value;
    }
    const run = await runNode(join(work, 'dist', 'index.js'), env, options);
    const outputs: Record<string, string> = {};
    const secretOutputs: string[] = [];
    const summaries: string[] = [];
    for (const line of run.stdout.split(/\r?\n/)) {
      const variable = /^##vso\[task\.setvariable ([^\]]*)\](.*)$/.exec(line);
      if (variable) {
        const props = Object.fromEntries(
          variable[1]
            .split(';')
            .filter(Boolean)
            .map((p) => p.split('=') as [string, string]),
        );
        if (props.isOutput === 'true') {
          outputs[props.variable] = unescapeVso(variable[2]);
          if (props.issecret === 'true') secretOutputs.push(props.variable);
        }
      }
      const summary = /^##vso\[task\.uploadsummary\](.*)$/.exec(line);
      if (summary && existsSync(summary[1])) summaries.push(readFileSync(summary[1], 'utf8'));
    }
    // The agent already masks the secret variables it hands to the task (SECRET_*), e.g. its proxy password.
    const agentSecrets = Object.entries(env)
      .filter(([k]) => k.startsWith('SECRET_'))
      .map(([, v]) => v);
    return {
      ...run,
      outputs,
      secretOutputs,
      summary: summaries.join('\n'),
      displayed: applyMasks(run.stdout, agentSecrets),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runNode(
  script: string,
  env: Record<string, string>,
  options: RunOptions,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only the runner's own variables: an inherited INPUT_* or RUNNER_DEBUG from the test process must not leak in.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(INPUT_|ENDPOINT_|RUNNER_|GITHUB_|SYSTEM_|AGENT_)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [script], {
      env: { ...base, ...env } as NodeJS.ProcessEnv,
      cwd: options.cwd ?? tmpdir(),
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** The GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER` (and legacy `name=value`). */
export function parseGitHubOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

function maskedValues(stdout: string): string[] {
  const values: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const gh = /^::add-mask::(.*)$/.exec(line);
    const ado = /^##vso\[task\.setsecret\](.*)$/.exec(line);
    if (gh) values.push(unescapeGitHub(gh[1]));
    if (ado) values.push(unescapeVso(ado[1]));
  }
  return values;
}

/**
 * What the runner shows: mask commands are consumed, and each registered value is masked in every later line.
 * A secret logged before its mask was registered stays visible here, as it would on a real runner.
 */
export function applyMasks(stdout: string, knownSecrets: string[] = []): string {
  const masks: string[] = [...knownSecrets];
  const shown: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const gh = /^::add-mask::(.*)$/.exec(line);
    const ado = /^##vso\[task\.setsecret\](.*)$/.exec(line);
    if (gh || ado) {
      masks.push(gh ? unescapeGitHub(gh[1]) : unescapeVso(ado![1]));
      continue;
    }
    // The runner unescapes a command's data before it masks and shows it.
    const gitHubCommand = /^(::[a-z-]+(?: [^:]*)?::)(.*)$/.exec(line);
    const adoCommand = /^(##vso\[[^\]]*\])(.*)$/.exec(line);
    let out = gitHubCommand
      ? gitHubCommand[1] + unescapeGitHub(gitHubCommand[2])
      : adoCommand
        ? adoCommand[1] + unescapeVso(adoCommand[2])
        : line;
    for (const m of masks) if (m) out = out.split(m).join('***');
    shown.push(out);
  }
  return shown.join('\n');
}

function unescapeVso(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%');
}

function unescapeGitHub(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
