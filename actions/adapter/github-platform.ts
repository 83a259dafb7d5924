import { tmpdir } from 'node:os';
import type { InputSpec, OutputSpec } from '../../shared/inputs/definition';
import { fenceForeign } from '../../shared/log-text';
import type {
  ExecOptions,
  ExecResult,
  LogOptions,
  NetworkSettings,
  Platform,
  ServiceConnection,
  StepResult,
} from '../../shared/platform';
import * as core from './actions-core';
import { safeForGitHub } from './log-text';

// Loaded when first used, through import() so that the bundler keeps them (and the HTTP client tool-cache brings,
// @actions/http-client with undici) out of what every step compiles at start: most runs start no tool.
const exec = () => import('@actions/exec');
const io = () => import('@actions/io');
const tc = () => import('@actions/tool-cache');

/** The Platform port on GitHub Actions, through @actions/core, @actions/exec and @actions/tool-cache. */
export class GitHubPlatform implements Platform {
  readonly kind = 'github' as const;

  getInput(spec: InputSpec): string | undefined {
    const value = core.getInput(spec.name, { trimWhitespace: spec.type !== 'multiline' && spec.type !== 'secret' });
    return value === '' ? undefined : value;
  }

  inputName(spec: InputSpec): string {
    return spec.name;
  }

  getServiceConnection(): ServiceConnection | undefined {
    return undefined;
  }

  setOutput(spec: OutputSpec, value: string): void {
    if (spec.secret) core.setSecret(value);
    core.setOutput(spec.name, value);
  }

  setSecret(value: string): void {
    core.setSecret(value);
  }

  debug(message: string): void {
    core.debug(message);
  }

  info(message: string, options: LogOptions = {}): void {
    // core.info writes the text raw; warning/error/debug/group are `::cmd::data` with the data escaped by @actions/core,
    // and the runner reads one command per line, so only plain lines need neutralising.
    core.info(safeForGitHub(options.foreign ? fenceForeign(message) : message));
  }

  warning(message: string): void {
    core.warning(message);
  }

  error(message: string): void {
    core.error(message);
  }

  isDebug(): boolean {
    return core.isDebug();
  }

  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(title, fn);
  }

  async addSummary(markdown: string): Promise<void> {
    // Outside a runner (local runs) there is no summary file; the log already holds the same facts.
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary().addRaw(markdown, true).write();
  }

  setResult(result: StepResult, message?: string): void {
    if (result === 'failed') core.setFailed(message ?? 'failed');
    else if (result === 'succeeded-with-issues' && message) core.warning(message);
  }

  async exec(tool: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const result = await (
      await exec()
    ).getExecOutput(tool, args, {
      cwd: options.cwd,
      env: options.env ? ({ ...process.env, ...options.env } as Record<string, string>) : undefined,
      silent: options.silent,
      ignoreReturnCode: options.ignoreReturnCode,
    });
    return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  async which(tool: string): Promise<string | undefined> {
    const found = await (await io()).which(tool, false);
    return found || undefined;
  }

  async findCachedTool(name: string, version: string): Promise<string | undefined> {
    return (await tc()).find(name, version) || undefined;
  }

  async cacheTool(sourceDir: string, name: string, version: string): Promise<string> {
    return (await tc()).cacheDir(sourceDir, name, version);
  }

  tempDir(): string {
    return process.env.RUNNER_TEMP || tmpdir();
  }

  workspaceDir(): string {
    return process.env.GITHUB_WORKSPACE || process.cwd();
  }

  network(): NetworkSettings {
    const env = process.env;
    const raw = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
    const settings: NetworkSettings = {
      noProxy: (env.NO_PROXY || env.no_proxy || '').split(',').filter((s) => s.trim() !== ''),
      caFiles: env.NODE_EXTRA_CA_CERTS ? [env.NODE_EXTRA_CA_CERTS] : [],
    };
    if (raw) {
      const url = new URL(raw);
      if (url.username) settings.proxyUsername = decodeURIComponent(url.username);
      if (url.password) {
        settings.proxyPassword = decodeURIComponent(url.password);
        core.setSecret(settings.proxyPassword);
      }
      url.username = '';
      url.password = '';
      settings.proxyUrl = url.toString();
    }
    return settings;
  }
}
