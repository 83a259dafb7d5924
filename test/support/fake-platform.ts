import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { InputSpec, OutputSpec } from '../../shared/inputs/definition';
import type {
  ExecOptions,
  ExecResult,
  LogOptions,
  NetworkSettings,
  Platform,
  ServiceConnection,
  StepResult,
} from '../../shared/platform';
import { makeTempDir } from '../sandbox/child-processes';

export interface LogLine {
  level: 'debug' | 'info' | 'warning' | 'error' | 'group';
  message: string;
  /** Logged as verbatim foreign text (fenced by the adapters). */
  foreign?: boolean;
}

/**
 * In-process Platform for unit tests: inputs from a map (kebab-case names, as on GitHub), everything the step
 * reports recorded for assertions. It masks like a runner does, so tests can assert no secret reaches the log.
 */
export class FakePlatform implements Platform {
  readonly kind = 'local' as const;
  readonly logs: LogLine[] = [];
  readonly outputs: Record<string, string> = {};
  readonly secretOutputs = new Set<string>();
  readonly secrets = new Set<string>();
  readonly summaries: string[] = [];
  readonly execs: { tool: string; args: string[]; options: ExecOptions }[] = [];
  result?: { result: StepResult; message?: string };
  debugEnabled = false;
  networkSettings: NetworkSettings = { noProxy: [], caFiles: [] };
  connections: Record<string, ServiceConnection> = {};
  /** Override to fake a tool; default runs the real program. */
  execHandler?: (tool: string, args: string[], options: ExecOptions) => Promise<ExecResult>;
  // Under the sandbox's per-process temp root, which is removed when the test process exits.
  private readonly temp = makeTempDir('fake-platform');
  private readonly toolCache = join(this.temp, 'tool-cache');

  constructor(
    public inputs: Record<string, string> = {},
    private readonly workspace: string = process.cwd(),
  ) {}

  getInput(spec: InputSpec): string | undefined {
    const value = this.inputs[spec.name];
    return value === '' ? undefined : value;
  }
  inputName(spec: InputSpec): string {
    return spec.name;
  }
  getServiceConnection(inputName: string): ServiceConnection | undefined {
    return this.connections[inputName];
  }
  setOutput(spec: OutputSpec, value: string): void {
    if (spec.secret) {
      this.setSecret(value);
      this.secretOutputs.add(spec.name);
    }
    this.outputs[spec.name] = value;
  }
  setSecret(value: string): void {
    if (value) this.secrets.add(value);
  }
  private log(level: LogLine['level'], message: string, foreign?: boolean): void {
    this.logs.push({ level, message: this.mask(message), ...(foreign ? { foreign } : {}) });
  }
  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string, options: LogOptions = {}): void {
    this.log('info', message, options.foreign);
  }
  warning(message: string): void {
    this.log('warning', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
  isDebug(): boolean {
    return this.debugEnabled;
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.log('group', title);
    return fn();
  }
  async addSummary(markdown: string): Promise<void> {
    this.summaries.push(this.mask(markdown));
  }
  setResult(result: StepResult, message?: string): void {
    this.result = { result, message: message === undefined ? undefined : this.mask(message) };
  }
  async exec(tool: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.execs.push({ tool, args, options });
    if (this.execHandler) return this.execHandler(tool, args, options);
    return new Promise((resolve, reject) => {
      const child = spawn(tool, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0 && !options.ignoreReturnCode) reject(new Error(`${tool} exited with ${code}`));
        else resolve({ code: code ?? 1, stdout, stderr });
      });
    });
  }
  async which(tool: string): Promise<string | undefined> {
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (dir && existsSync(join(dir, tool))) return join(dir, tool);
    }
    return undefined;
  }
  async findCachedTool(name: string, version: string): Promise<string | undefined> {
    const dir = join(this.toolCache, name, version);
    return existsSync(dir) ? dir : undefined;
  }
  async cacheTool(sourceDir: string, name: string, version: string): Promise<string> {
    const dir = join(this.toolCache, name, version);
    cpSync(sourceDir, dir, { recursive: true });
    return dir;
  }
  tempDir(): string {
    return this.temp;
  }
  workspaceDir(): string {
    return this.workspace;
  }
  network(): NetworkSettings {
    return this.networkSettings;
  }

  /** Everything the step printed, one string, for "the secret never appears" assertions. */
  get transcript(): string {
    return [...this.logs.map((l) => l.message), ...this.summaries, this.result?.message ?? ''].join('\n');
  }

  messages(level: LogLine['level']): string[] {
    return this.logs.filter((l) => l.level === level).map((l) => l.message);
  }

  private mask(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}
