import { mkdirSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TaskLib from 'azure-pipelines-task-lib/task';
import { camelCase, type InputSpec, type OutputSpec } from '../../shared/inputs/definition';
import { fenceForeign } from '../../shared/log-text';
import { urlCredentials } from '../../shared/redact';
import type {
  ExecOptions,
  ExecResult,
  LogOptions,
  NetworkSettings,
  Platform,
  ServiceConnection,
  StepResult,
} from '../../shared/platform';
import {
  AgentEnvironment,
  debugCommand,
  NEEDS_TASK_LIB,
  needsTaskLib,
  readBeforeTaskLib,
  resultCommands,
} from './agent-environment';
import { safeForAzureDevOps } from './log-text';

/**
 * The Platform port on Azure DevOps, through azure-pipelines-task-lib — loaded (`import()`, a chunk of its own) before
 * anything that needs it. Until then plain inputs are read and an input error is reported as task-lib would
 * (agent-environment.ts), so a task stopped by its inputs never compiles task-lib (bench/startup).
 */
export class AzureDevOpsPlatform implements Platform {
  readonly kind = 'azure-devops' as const;
  private summaries = 0;
  private taskLib?: typeof TaskLib;
  /** The environment as task-lib will find it on import: nothing changes it before then. */
  private readonly early = new AgentEnvironment();

  /**
   * Before the inputs are read: loads task-lib when reading them needs it (a set service connection or secret
   * input, a secret variable, debug logging; agent-environment.ts `needsTaskLib`).
   */
  async prepare(inputs: readonly InputSpec[]): Promise<void> {
    if (needsTaskLib(inputs, this.early)) await this.load();
  }

  /**
   * Loads task-lib. Its import moves INPUT_*, ENDPOINT_AUTH_*, SECUREFILE_TICKET_* and SECRET_* variables into its
   * vault and out of the environment, so it runs before the step's first child process, output or endpoint read.
   */
  async load(): Promise<void> {
    this.taskLib ??= await import('azure-pipelines-task-lib/task');
  }

  private get tl(): typeof TaskLib {
    if (!this.taskLib) throw new Error('azure-pipelines-task-lib is used before it was loaded');
    return this.taskLib;
  }

  getInput(spec: InputSpec): string | undefined {
    if (!this.taskLib) {
      const early = readBeforeTaskLib(spec, this.early);
      // prepare() loaded task-lib if any input needed it; reaching this is a bug in the adapter.
      if (early === NEEDS_TASK_LIB) throw new Error(`input ${this.inputName(spec)} is read before task-lib was loaded`);
      return early;
    }
    const tl = this.tl;
    let value: string | undefined;
    if (spec.connection) {
      const id = tl.getInput(spec.connection.input, false);
      if (!id) return undefined;
      switch (spec.connection.field) {
        case 'url':
          // task-lib debug-echoes the URL; credentials written into it must be masked before that line exists.
          value = quietly(tl, () => tl.getEndpointUrl(id, true));
          if (value) for (const part of urlCredentials(value)) tl.setSecret(part);
          break;
        case 'insecure':
          value = tl.getEndpointDataParameter(id, 'acceptUntrustedCerts', true);
          break;
        default:
          value = quietly(tl, () => tl.getEndpointAuthorizationParameter(id, spec.connection!.field, true));
          if (value && spec.connection.field === 'password') maskSecret(tl, value);
      }
    } else if (spec.type === 'secret') {
      value = quietly(tl, () => tl.getInput(camelCase(spec.name), false));
      if (value) maskSecret(tl, value);
    } else if (spec.type === 'multiline') {
      // Free text may be a key (sign's cosign-key, a PEM the step masks line by line before use): not echoed.
      value = quietly(tl, () => tl.getInput(camelCase(spec.name), false));
    } else if (spec.type === 'url') {
      value = quietly(tl, () => tl.getInput(camelCase(spec.name), false));
      if (value) for (const part of urlCredentials(value)) tl.setSecret(part);
    } else {
      value = tl.getInput(camelCase(spec.name), false);
      // The agent roots every filePath input, an empty one too, at the sources directory (TaskRunner's
      // TranslateFilePathInput); task-lib's filePathSupplied tells that default from a value the user gave.
      if (value && spec.type === 'path' && !tl.filePathSupplied(camelCase(spec.name))) value = undefined;
    }
    return value === '' ? undefined : value;
  }

  inputName(spec: InputSpec): string {
    return spec.connection ? spec.connection.input : camelCase(spec.name);
  }

  getServiceConnection(inputName: string): ServiceConnection | undefined {
    const tl = this.tl;
    const id = tl.getInput(inputName, false);
    if (!id) return undefined;
    const auth = quietly(tl, () => tl.getEndpointAuthorization(id, true));
    // task-lib refuses multi-line secrets (it throws on a Kubeconfig connection's kubeconfig); the capability that
    // reads such a value masks the credentials inside it (tokens, keys).
    for (const value of Object.values(auth?.parameters ?? {})) if (value && !/[\r\n]/.test(value)) tl.setSecret(value);
    const url = quietly(tl, () => tl.getEndpointUrl(id, true));
    if (url) for (const part of urlCredentials(url)) tl.setSecret(part);
    return {
      id,
      url,
      scheme: auth?.scheme,
      auth: { ...(auth?.parameters ?? {}) },
      data: (key) => tl.getEndpointDataParameter(id, key, true) || undefined,
      oidcRequest: this.oidcRequest(id),
    };
  }

  /** The agent's OIDC endpoint for a service connection, as AzureCLI@2 and @azure/identity's AzurePipelinesCredential call it. */
  private oidcRequest(connectionId: string): ServiceConnection['oidcRequest'] {
    const tl = this.tl;
    const base = tl.getVariable('System.OidcRequestUri');
    const accessToken = quietly(tl, () =>
      tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true),
    );
    if (!base || !accessToken) return undefined;
    tl.setSecret(accessToken);
    const url = new URL(base);
    url.searchParams.set('api-version', '7.1');
    url.searchParams.set('serviceConnectionId', connectionId);
    return { url: url.toString(), accessToken };
  }

  setOutput(spec: OutputSpec, value: string): void {
    this.tl.setVariable(camelCase(spec.name), value, spec.secret === true, true);
  }

  setSecret(value: string): void {
    maskSecret(this.tl, value);
  }

  debug(message: string): void {
    // Without task-lib only when it failed to load with debug logging on (prepare), for the failure's stack trace.
    if (this.taskLib) this.taskLib.debug(message);
    else process.stdout.write(debugCommand(message));
  }

  info(message: string, options: LogOptions = {}): void {
    // Plain lines are the agent's only exposure: warning/error/debug are `##vso[…]data` lines with task-lib escaping the
    // data's line breaks, and the agent parses only the first command of a line.
    console.log(safeForAzureDevOps(options.foreign ? fenceForeign(message) : message));
  }

  warning(message: string): void {
    this.tl.warning(message);
  }

  error(message: string): void {
    this.tl.error(message);
  }

  isDebug(): boolean {
    // Before task-lib, System.Debug is a public variable (a secret one would have loaded task-lib: needsTaskLib).
    const value = this.taskLib ? this.taskLib.getVariable('System.Debug') : this.early.variable('System.Debug');
    return (value ?? '').toLowerCase() === 'true';
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    console.log(`##[group]${safeForAzureDevOps(title.replace(/[\r\n]+/g, ' '))}`);
    try {
      return await fn();
    } finally {
      console.log('##[endgroup]');
    }
  }

  async addSummary(markdown: string): Promise<void> {
    const dir = join(this.tempDir(), 'harbor-pipelines');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `summary-${process.pid}-${++this.summaries}.md`);
    writeFileSync(file, markdown);
    this.tl.uploadSummary(file);
  }

  setResult(result: StepResult, message?: string): void {
    const tl = this.taskLib;
    if (tl) {
      const map = {
        succeeded: tl.TaskResult.Succeeded,
        'succeeded-with-issues': tl.TaskResult.SucceededWithIssues,
        failed: tl.TaskResult.Failed,
      };
      tl.setResult(map[result], message ?? '');
    } else {
      // An input error before task-lib was needed: the same lines task-lib writes (agent-environment.ts).
      process.stdout.write(resultCommands(result, message ?? '', this.early));
    }
    if (result === 'failed') process.exitCode = 1;
  }

  async exec(tool: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const runner = this.tl.tool(tool).arg(args);
    let stdout = '';
    let stderr = '';
    runner.on('stdout', (data: Buffer) => (stdout += data.toString()));
    runner.on('stderr', (data: Buffer) => (stderr += data.toString()));
    const code = await runner.execAsync({
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : undefined,
      silent: options.silent,
      ignoreReturnCode: options.ignoreReturnCode,
      failOnStdErr: false,
    });
    return { code, stdout, stderr };
  }

  async which(tool: string): Promise<string | undefined> {
    return this.tl.which(tool, false) || undefined;
  }

  /** Same layout as azure-pipelines-tool-lib, so agents share the cache: <tools>/<name>/<version>/<arch> + .complete */
  async findCachedTool(name: string, version: string): Promise<string | undefined> {
    const dir = join(this.toolsDir(), name, version, arch());
    return existsSync(`${dir}.complete`) ? dir : undefined;
  }

  async cacheTool(sourceDir: string, name: string, version: string): Promise<string> {
    const dir = join(this.toolsDir(), name, version, arch());
    cpSync(sourceDir, dir, { recursive: true });
    writeFileSync(`${dir}.complete`, '');
    return dir;
  }

  tempDir(): string {
    return this.tl.getVariable('Agent.TempDirectory') || tmpdir();
  }

  workspaceDir(): string {
    return this.tl.getVariable('System.DefaultWorkingDirectory') || process.cwd();
  }

  network(): NetworkSettings {
    const proxy = this.tl.getHttpProxyConfiguration();
    const cert = this.tl.getHttpCertConfiguration();
    if (proxy?.proxyPassword) this.tl.setSecret(proxy.proxyPassword);
    return {
      proxyUrl: proxy?.proxyUrl,
      proxyUsername: proxy?.proxyUsername,
      proxyPassword: proxy?.proxyPassword,
      noProxy: [],
      bypassPatterns: proxy?.proxyBypassHosts ?? [],
      caFiles: cert?.caFile ? [cert.caFile] : [],
    };
  }

  private toolsDir(): string {
    return this.tl.getVariable('Agent.ToolsDirectory') || join(this.tempDir(), 'tools');
  }
}

/**
 * task-lib throws on a multi-line secret ("Secrets cannot contain multiple lines"), which would surface as an
 * unexpected error naming nothing. Each line is masked instead; the step then refuses the value naming its input.
 */
function maskSecret(tl: typeof TaskLib, value: string): void {
  if (!/[\r\n]/.test(value)) return tl.setSecret(value);
  for (const line of value.split(/\r?\n|\r/)) if (line.trim() !== '') tl.setSecret(line);
}

/**
 * task-lib debug-logs every input and endpoint auth parameter it reads (`##vso[task.debug]name=value`) before we
 * could register the value as a secret; a literal secret would then sit unmasked in debug logs. Its functions call
 * `exports.debug` at call time, so silencing that export for the one read is enough.
 */
function quietly<T>(tl: typeof TaskLib, read: () => T): T {
  const lib = tl as unknown as { debug: (message: string) => void };
  const debug = lib.debug;
  lib.debug = () => undefined;
  try {
    return read();
  } finally {
    lib.debug = debug;
  }
}
