import { coerce, lt } from 'semver';
import { UserError } from '../errors';
import type { ExecResult, Platform } from '../platform';
import { isMap, type Values } from './values';

/** Where the chart comes from: a classic repository (`--repo`) or an OCI reference to the chart itself. */
export interface ChartSource {
  name: string;
  version: string;
  repo: string;
}

export function chartArgs(chart: ChartSource): string[] {
  if (chart.repo.startsWith('oci://')) return [chart.repo, '--version', chart.version];
  return [chart.name, '--repo', chart.repo, '--version', chart.version];
}

export interface HelmRelease {
  revision: number;
  status: string;
  /** Rendered manifests; may hold secrets (Secret objects) and is never logged. */
  manifest?: string;
}

export interface UpgradeOptions {
  release: string;
  namespace: string;
  chart: ChartSource;
  valuesFile: string;
  wait: boolean;
  timeoutMs: number;
  dryRun: boolean;
}

/**
 * Runs helm with an argument array and the kubeconfig in the environment; nothing secret ever goes on its command line
 * (values travel in a 0600 file). Helm's stderr warnings are logged, not treated as failures: only the exit code fails
 * a step. Output is captured silently and logged through the platform, which masks registered secrets.
 */
export class Helm {
  constructor(
    private readonly platform: Platform,
    readonly binary: string,
    private readonly env: Record<string, string> = {},
  ) {}

  /** The client version, e.g. `3.19.0`; helm 2 is refused (it needs Tiller and has other flags). */
  async version(): Promise<string> {
    // helm 2 prints `Client: v2.x` and then fails looking for Tiller, so the exit code alone says nothing.
    const res = await this.platform.exec(this.binary, ['version', '--short'], { env: this.env, silent: true, ignoreReturnCode: true });
    const m = /v(\d+\.\d+\.\d+[^\s+]*)/.exec(`${res.stdout}\n${res.stderr}`);
    if (!m) throw new UserError(`Cannot tell which helm ${this.binary} is: 'helm version' printed no version (exit ${res.code})`);
    const version = m[1];
    if (version.startsWith('2.')) {
      throw new UserError(`helm ${version} at ${this.binary} is Helm 2, which needs Tiller and is not supported; install Helm 3 or later, or set helm-version`);
    }
    return version;
  }

  /** `--dry-run=server` validates against the API server without changing it; older helm only knows the client form. */
  static dryRunFlag(version: string): string {
    const v = coerce(version);
    return v && lt(v, '3.13.0') ? '--dry-run' : '--dry-run=server';
  }

  upgradeArgs(options: UpgradeOptions, helmVersion: string): string[] {
    const args = ['upgrade', '--install', options.release, ...chartArgs(options.chart)];
    args.push('--namespace', options.namespace, '--create-namespace', '-f', options.valuesFile);
    // A dry run creates nothing to wait for.
    if (options.dryRun) args.push(Helm.dryRunFlag(helmVersion));
    else if (options.wait) args.push('--wait', '--timeout', `${Math.max(1, Math.ceil(options.timeoutMs / 1000))}s`);
    args.push('--output', 'json');
    return args;
  }

  async upgrade(options: UpgradeOptions, helmVersion: string): Promise<HelmRelease> {
    const res = await this.run(this.upgradeArgs(options, helmVersion), `helm upgrade --install ${options.release}`);
    return parseRelease(res.stdout, 'helm upgrade');
  }

  /** The values the deployed release was given, or undefined when the release does not exist yet. */
  async deployedValues(release: string, namespace: string): Promise<{ values: Values; revision: number } | undefined> {
    const res = await this.run(['get', 'values', release, '--namespace', namespace, '--output', 'json'], `helm get values ${release}`, true);
    if (res.code !== 0) {
      if (/not found/i.test(res.stderr)) return undefined;
      throw failure(`helm get values ${release}`, res);
    }
    const status = await this.run(['status', release, '--namespace', namespace, '--output', 'json'], `helm status ${release}`);
    const values: unknown = JSON.parse(res.stdout.trim() || 'null');
    return { values: isMap(values) ? values : {}, revision: parseRelease(status.stdout, 'helm status').revision };
  }

  /** The chart's default values, for validating keys against a chart version other than the pinned one. */
  async chartValues(chart: ChartSource): Promise<string> {
    const res = await this.run(['show', 'values', ...chartArgs(chart)], `helm show values ${chart.name} ${chart.version}`);
    return res.stdout;
  }

  private async run(args: string[], what: string, allowFailure = false): Promise<ExecResult> {
    this.platform.debug(`${this.binary} ${args.join(' ')}`);
    const res = await this.platform.exec(this.binary, args, { env: this.env, silent: true, ignoreReturnCode: true });
    for (const line of res.stderr.split(/\r?\n/).filter((l) => l.trim() !== '')) {
      if (res.code !== 0) this.platform.debug(line);
      else if (/^(WARNING|W\d{4})/i.test(line.trim())) this.platform.warning(`${what}: ${line.trim()}`);
      else this.platform.info(line, { foreign: true });
    }
    if (res.code !== 0 && !allowFailure) throw failure(what, res);
    return res;
  }
}

function failure(what: string, res: ExecResult): UserError {
  const lines = res.stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1] ?? `exit code ${res.code}`;
  let hint = '';
  if (/another operation \(install\/upgrade\/rollback\) is in progress/i.test(error)) {
    hint = ' — an earlier deploy was interrupted and left the release pending; roll it back with helm rollback, then run again';
  } else if (/Kubernetes cluster unreachable|connection refused|no such host/i.test(error)) {
    hint = ' — check the kubeconfig or the Kubernetes service connection';
  }
  return new UserError(`${what} failed: ${error}${hint}`);
}

function parseRelease(stdout: string, what: string): HelmRelease {
  let doc: unknown;
  try {
    // Older helm 3 releases print "Release … does not exist. Installing it now." before the JSON.
    const start = stdout.search(/^\{/m);
    doc = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
  } catch {
    throw new UserError(`${what} did not print the release as JSON; is this helm 3 or later?`);
  }
  const rel = doc as { version?: number; info?: { status?: string }; manifest?: string };
  if (typeof rel.version !== 'number') throw new UserError(`${what} printed no release revision`);
  return { revision: rel.version, status: rel.info?.status ?? 'unknown', manifest: rel.manifest };
}
