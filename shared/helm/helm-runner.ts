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
  /** Helm 4 only: how the objects were applied, `ssa` (server-side) or `csa` (client-side). */
  applyMethod?: string;
  /** Rendered manifests; may hold secrets (Secret objects) and is never logged. */
  manifest?: string;
}

export interface UpgradeOptions {
  release: string;
  namespace: string;
  chart: ChartSource;
  valuesFile: string;
  wait: boolean;
  /** Helm 4's --wait strategy; Helm 3 always polls (what Helm 4 calls `legacy`). */
  waitStrategy: WaitStrategy;
  applyMethod: ApplyMethod;
  rollbackOnFailure: boolean;
  timeoutMs: number;
  dryRun: boolean;
}

export type HelmMajor = 3 | 4;
export type WaitStrategy = 'watcher' | 'legacy';
export type ApplyMethod = 'auto' | 'client-side' | 'server-side' | 'server-side-force-conflicts';

export interface HelmVersion {
  /** e.g. `4.3.1` (no `v`, no build metadata) */
  version: string;
  major: HelmMajor;
}

/**
 * The client version from `helm version --short` (`v3.22.0+g…`, `v4.3.1`). Only Helm 3 and 4 are accepted: Helm 2
 * needs Tiller and has other commands; a Helm 5 may change the flags this step builds, so it is refused until tested.
 */
export function parseHelmVersion(output: string, binary: string): HelmVersion {
  const m = /\bv?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/.exec(output);
  if (!m) throw new UserError(`Cannot tell which helm ${binary} is: 'helm version' printed no version`);
  const version = `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`;
  const major = Number(m[1]);
  if (major === 2) {
    throw new UserError(
      `helm ${version} at ${binary} is Helm 2, which needs Tiller and is not supported; use Helm 3 or 4 (helm-version)`,
    );
  }
  if (major !== 3 && major !== 4)
    throw new UserError(`helm ${version} at ${binary} is not supported; use Helm 3 or 4 (helm-version)`);
  return { version, major };
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

  /** The client version; anything but Helm 3 or 4 is refused. */
  async version(): Promise<HelmVersion> {
    // helm 2 prints `Client: v2.x` and then fails looking for Tiller, so the exit code alone says nothing.
    const res = await this.platform.exec(this.binary, ['version', '--short'], {
      env: this.env,
      silent: true,
      ignoreReturnCode: true,
    });
    const output = stripPullNotices(res.stdout);
    if (!/\d+\.\d+\.\d+/.test(output) && res.code !== 0) {
      throw new UserError(
        `Cannot tell which helm ${this.binary} is: 'helm version' failed (exit ${res.code}): ${lastLine(res.stderr)}`,
      );
    }
    return parseHelmVersion(`${output}\n${res.stderr}`, this.binary);
  }

  /** `--dry-run=server` validates against the API server without changing it; older helm only knows the client form. */
  static dryRunFlag(version: string): string {
    const v = coerce(version);
    return v && lt(v, '3.13.0') ? '--dry-run' : '--dry-run=server';
  }

  /**
   * The argv of the one `helm upgrade --install`; flags differ by major (helm.sh/helm v4 pkg/cmd/upgrade.go and
   * pkg/cmd/flags.go against v3 cmd/helm/upgrade.go). Every combination is run through both real helms in
   * test/integration/helm-real.test.ts.
   */
  upgradeArgs(options: UpgradeOptions, helm: HelmVersion): string[] {
    const args = ['upgrade', '--install', options.release, ...chartArgs(options.chart)];
    args.push('--namespace', options.namespace, '--create-namespace', '-f', options.valuesFile);
    args.push(...applyArgs(options.applyMethod, helm));
    // Helm 4 renamed --atomic (kept as a deprecated alias that warns on every run).
    if (options.rollbackOnFailure && !options.dryRun)
      args.push(helm.major === 4 ? '--rollback-on-failure' : '--atomic');
    // A dry run creates nothing to wait for.
    if (options.dryRun) args.push(Helm.dryRunFlag(helm.version));
    else if (options.wait || options.rollbackOnFailure) {
      // Helm 3's --wait is a boolean (`--wait=legacy` is an invalid bool there); Helm 4's is a strategy, and a bare
      // --wait means `watcher`. The strategy is always spelled out on 4 so the log says which one ran.
      args.push(helm.major === 4 ? `--wait=${options.waitStrategy}` : '--wait');
    }
    // --timeout also bounds hooks, so it is passed with or without waiting.
    if (!options.dryRun) args.push('--timeout', `${Math.max(1, Math.ceil(options.timeoutMs / 1000))}s`);
    args.push('--output', 'json');
    return args;
  }

  async upgrade(options: UpgradeOptions, helm: HelmVersion): Promise<HelmRelease> {
    const res = await this.run(this.upgradeArgs(options, helm), `helm upgrade --install ${options.release}`);
    return parseRelease(stripPullNotices(res.stdout), 'helm upgrade');
  }

  /** The values the deployed release was given, or undefined when the release does not exist yet. */
  async deployedValues(release: string, namespace: string): Promise<{ values: Values; revision: number } | undefined> {
    const res = await this.run(
      ['get', 'values', release, '--namespace', namespace, '--output', 'json'],
      `helm get values ${release}`,
      true,
    );
    if (res.code !== 0) {
      if (/not found/i.test(res.stderr)) return undefined;
      throw failure(`helm get values ${release}`, res);
    }
    const status = await this.run(
      ['status', release, '--namespace', namespace, '--output', 'json'],
      `helm status ${release}`,
    );
    const values: unknown = JSON.parse(stripPullNotices(res.stdout).trim() || 'null');
    return {
      values: isMap(values) ? values : {},
      revision: parseRelease(stripPullNotices(status.stdout), 'helm status').revision,
    };
  }

  /** The chart's default values, for validating keys against a chart version other than the pinned one. */
  async chartValues(chart: ChartSource): Promise<string> {
    const res = await this.run(
      ['show', 'values', ...chartArgs(chart)],
      `helm show values ${chart.name} ${chart.version}`,
    );
    return stripPullNotices(res.stdout);
  }

  private async run(args: string[], what: string, allowFailure = false): Promise<ExecResult> {
    this.platform.debug(`${this.binary} ${args.join(' ')}`);
    const res = await this.platform.exec(this.binary, args, { env: this.env, silent: true, ignoreReturnCode: true });
    for (const line of res.stderr.split(/\r?\n/).filter((l) => l.trim() !== '')) {
      const message = helmLogLine(line);
      if (res.code !== 0) this.platform.debug(line);
      else if (message.level === 'warning') this.platform.warning(`${what}: ${message.text}`);
      else if (message.level === 'debug') this.platform.debug(message.text);
      else this.platform.info(message.text, { foreign: true });
    }
    if (res.code !== 0 && !allowFailure) throw failure(what, res);
    return res;
  }
}

export interface HelmLogLine {
  level: 'warning' | 'info' | 'debug' | 'error';
  text: string;
}

/**
 * One stderr line of either major: Helm 3 writes `WARNING: …` (and client-go's klog `W1201 …`); Helm 4 logs through
 * log/slog's text handler with the time removed (internal/logging/logging.go), e.g. `level=WARN msg="this chart is
 * deprecated"`, whose msg is quoted Go-style when it holds spaces or quotes.
 */
export function helmLogLine(line: string): HelmLogLine {
  const trimmed = line.trim();
  const slog = /^level=(DEBUG|INFO|WARN|ERROR)\s+msg=("(?:[^"\\]|\\.)*"|\S*)(.*)$/.exec(trimmed);
  if (slog) {
    const level = ({ DEBUG: 'debug', INFO: 'info', WARN: 'warning', ERROR: 'error' } as const)[
      slog[1] as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'
    ];
    let text = slog[2];
    if (text.startsWith('"')) {
      try {
        text = JSON.parse(text) as string;
      } catch {
        text = text.slice(1, -1);
      }
    }
    const attrs = slog[3].trim();
    return { level, text: attrs ? `${text} (${attrs})` : text };
  }
  const helm3 = /^WARNING:\s*(.*)$/i.exec(trimmed);
  if (helm3) return { level: 'warning', text: helm3[1] };
  if (/^W\d{4}\s/.test(trimmed)) return { level: 'warning', text: trimmed };
  return { level: 'info', text: trimmed };
}

/**
 * Helm 4.2.1 and later print `Pulled: <ref>` and `Digest: <digest>` on stdout whenever a chart comes from an OCI
 * registry (pkg/registry/client.go Pull), also before `show values` and `--output json`; left in, they would parse
 * as two YAML keys or break the JSON. The deprecated-media-type notice from the same client goes too.
 */
export function stripPullNotices(stdout: string): string {
  return stdout
    .split(/(?<=\n)/)
    .filter((line) => !/^(Pulled: |Digest: sha256:|Warning: chart media type )/.test(line))
    .join('');
}

function applyArgs(method: ApplyMethod, helm: HelmVersion): string[] {
  if (helm.major === 3) {
    if (method === 'auto' || method === 'client-side') return [];
    throw new UserError(
      `apply-method '${method}' needs Helm 4 (helm ${helm.version} applies client-side only); use helm-version 4.x or apply-method 'auto'`,
    );
  }
  switch (method) {
    case 'auto':
      return [];
    case 'client-side':
      return ['--server-side=false'];
    case 'server-side':
      return ['--server-side=true'];
    case 'server-side-force-conflicts':
      // Never --force-conflicts alone: with a client-side apply (`auto` on a release made by Helm 3) helm fails only
      // after the pre-upgrade hooks have run.
      return ['--server-side=true', '--force-conflicts'];
  }
}

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

function failure(what: string, res: ExecResult): UserError {
  const lines = res.stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const error =
    [...lines].reverse().find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1] ?? `exit code ${res.code}`;
  let hint = '';
  if (/another operation \(install\/upgrade\/rollback\) is in progress/i.test(error)) {
    hint =
      ' — an earlier deploy was interrupted and left the release pending; roll it back with helm rollback, then run again';
  } else if (/Kubernetes cluster unreachable|connection refused|no such host/i.test(error)) {
    hint = ' — check the kubeconfig or the Kubernetes service connection';
  } else if (/conflict occurred while applying object|Apply failed with \d+ conflicts?/i.test(error)) {
    // Helm 4 server-side apply (pkg/kube/client.go): another field manager (kubectl, an operator, Helm 3's
    // client-side apply) owns fields this release sets.
    hint =
      " — another field manager owns fields this release sets; set apply-method 'server-side-force-conflicts' to take them over, or 'client-side' to apply as Helm 3 did";
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
  const rel = doc as { version?: number; info?: { status?: string }; manifest?: string; apply_method?: string };
  if (typeof rel.version !== 'number') throw new UserError(`${what} printed no release revision`);
  return {
    revision: rel.version,
    status: rel.info?.status ?? 'unknown',
    manifest: rel.manifest,
    applyMethod: rel.apply_method,
  };
}
