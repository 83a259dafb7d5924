import { workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import { PINNED_CHART, parseChartValues, pinnedChartValues, suggestPath, unknownPaths } from '../../helm/chart-values';
import { harborValues, keepStatefulSetSizes } from '../../helm/harbor-profiles';
import { DEFAULT_HELM_VERSION } from '../../helm/helm-defaults';
import { installHelm, normalizeHelmVersion } from '../../helm/helm-install';
import {
  Helm,
  type ApplyMethod,
  type ChartSource,
  type UpgradeOptions,
  type WaitStrategy,
} from '../../helm/helm-runner';
import { diffValues, formatPath, mergeValues, valuesDigest, type Values } from '../../helm/values';
import type { HttpClient } from '../../http/client';
import type { Platform } from '../../platform';
import { aksClusterAccess } from '../../kube/aks-access';
import { resolveClusterAccess, type ClusterAccess } from '../../kube/kubeconfig';
import { PrivateDir } from '../../kube/private-dir';
import { applyZrsStorageClasses } from '../../kube/storage-classes';
import { definition, type DeploySettings } from './definition';
import { waitForHarborHealthy } from './health';
import { checkAdminPassword, checkMergedValues, harborOptions, looksSecret, userValues } from './options';
import { harborHealthUrl } from '../../harbor/health';
import type { ContextOf } from '../../step-context';

type Context = ContextOf<typeof definition>;

/**
 * Deploy or upgrade Harbor: build the profile's values, validate them against the chart before anything touches the
 * cluster, then one `helm upgrade --install` with the values in a private file, and (with wait) Harbor's own health
 * check at its external URL.
 */
export async function runDeploy(settings: DeploySettings, ctx: Context): Promise<void> {
  const { platform } = ctx;
  // 1. Everything that needs neither helm nor the cluster.
  const options = harborOptions(settings, platform);
  const { values: profileValues, secretPaths } = harborValues(options);
  const extra = userValues(settings, platform);
  let values = mergeValues(profileValues, extra);
  checkAdminPassword(values, platform);
  const isSecret = (path: string[]) => looksSecret(path) || secretPaths.some((p) => p.join('\0') === path.join('\0'));
  const harborUrl = `https://${options.hostname}`;
  const chart: ChartSource = {
    name: PINNED_CHART.name,
    version: settings.chartVersion.replace(/^v/, ''),
    repo: settings.chartRepo,
  };

  const caFile = settings.caFile && workspacePath(platform, settings.caFile);
  // ca-file and insecure are about the deployed Harbor; the helm download always verifies TLS with the runner's CAs.
  const http = ctx.http({
    caFile,
    caFileInput: ctx.label('ca-file'),
    insecure: settings.insecure,
    timeoutMs: Math.min(60_000, settings.timeout),
  });
  const download = ctx.http();
  const dir = new PrivateDir(platform.tempDir());
  try {
    // A kubeconfig (input or service connection) is checked and masked before helm is looked up or downloaded, so a
    // bad one fails at once; nothing contacts the cluster yet.
    const access = settings.clusterName
      ? await aksAccess(settings, ctx, dir)
      : resolveClusterAccess(
          platform,
          {
            connectionInput: 'kubernetesServiceConnection',
            kubeconfig: settings.kubeconfig,
            kubeconfigLabel: ctx.label('kubeconfig'),
          },
          dir,
        );
    // 2. helm (no cluster yet): tool cache or download, then the chart's values.yaml to validate against.
    const helmBinary = await resolveHelm(settings, ctx, download);
    const versionProbe = new Helm(platform, helmBinary);
    const helmVersion = await versionProbe.version();
    platform.info(`Using helm ${helmVersion.version} (${helmBinary})`);
    if (helmVersion.major === 3 && settings.applyMethod !== 'auto' && settings.applyMethod !== 'client-side') {
      throw new InputError(
        `Input '${ctx.label('apply-method')}' '${settings.applyMethod}' needs Helm 4; helm ${helmVersion.version} applies client-side only (set ${ctx.label('helm-version')} to a 4.x version)`,
      );
    }
    const chartValues =
      chart.version === PINNED_CHART.version
        ? pinnedChartValues()
        : parseChartValues(await versionProbe.chartValues(chart));
    validateKeys(profileValues, extra, chartValues, chart, platform);
    checkMergedValues(values, chartValues, platform);

    // 3. The cluster.
    platform.info(`Cluster access: ${access.source}`);
    const env: Record<string, string> = access.kubeconfig ? { KUBECONFIG: access.kubeconfig } : {};
    const helm = new Helm(platform, helmBinary, env);

    if (settings.createZrsStorageClasses) {
      const kubectl = await platform.which('kubectl');
      if (!kubectl)
        throw new UserError(`kubectl is not on PATH; it is needed for ${ctx.label('create-zrs-storage-classes')}`);
      await platform.group('ZRS storage classes', async () => {
        for (const line of await applyZrsStorageClasses(platform, kubectl, env, dir, settings.dryRun))
          platform.info(line);
      });
    }

    // An existing release keeps the StatefulSet volume sizes it has unless the inputs ask for others.
    const deployed = await helm.deployedValues(settings.release, settings.namespace);
    if (deployed) {
      const kept = keepStatefulSetSizes(options, deployed.values, chartValues);
      for (const { component, size } of kept) {
        platform.info(
          `Keeping the ${size} ${component} volume release ${settings.release} has: Kubernetes cannot resize a StatefulSet's volume template (${ctx.label(`${component}-size`)} is not given)`,
        );
      }
      if (kept.length > 0) values = mergeValues(harborValues(options).values, extra);
    }
    const digest = valuesDigest(values);
    // JSON is YAML without implicit typing: a password like `yes` or `0777` cannot turn into a boolean or a number
    // under helm's YAML 1.1 reading, as it could in a YAML file.
    const valuesFile = dir.write('values.json', `${JSON.stringify(values, null, 2)}\n`);
    const upgrade: UpgradeOptions = {
      release: settings.release,
      namespace: settings.namespace,
      chart,
      valuesFile,
      wait: settings.wait,
      waitStrategy: settings.waitStrategy as WaitStrategy,
      applyMethod: settings.applyMethod as ApplyMethod,
      rollbackOnFailure: settings.rollbackOnFailure,
      timeoutMs: settings.timeout,
      dryRun: settings.dryRun,
    };

    if (settings.dryRun) {
      const rendered = await platform.group(`helm upgrade --install ${settings.release} (dry run)`, () =>
        helm.upgrade(upgrade, helmVersion),
      );
      const changes = diffValues(deployed?.values ?? {}, values, isSecret);
      const lines = changes.map(
        (c) =>
          `${c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~'} ${c.path}: ${c.kind === 'changed' ? `${c.before} → ${c.after}` : (c.after ?? c.before)}`,
      );
      platform.info(
        deployed
          ? `Release ${settings.release} is at revision ${deployed.revision}; values that would change:`
          : `Release ${settings.release} does not exist yet; it would be installed with:`,
      );
      for (const line of lines.length > 0 ? lines : ['(no change)']) platform.info(`  ${line}`);
      const kinds = countKinds(rendered.manifest);
      platform.info(`Rendered ${kinds}; nothing was changed (dry run).`);
      ctx.setOutput('harbor-url', harborUrl);
      ctx.setOutput('revision', deployed?.revision ?? 0);
      ctx.setOutput('values-digest', digest);
      await platform.addSummary(
        summary(
          settings,
          chart,
          harborUrl,
          digest,
          deployed ? `${deployed.revision} (dry run)` : 'none (dry run)',
          lines,
        ),
      );
      return;
    }

    const release = await platform.group(`helm upgrade --install ${settings.release}`, () =>
      helm.upgrade(upgrade, helmVersion),
    );
    const method = release.applyMethod
      ? ` (${release.applyMethod === 'ssa' ? 'server-side' : 'client-side'} apply)`
      : '';
    platform.info(
      `Release ${settings.release} in ${settings.namespace}: revision ${release.revision}, ${release.status}${method}`,
    );
    if (release.status !== 'deployed')
      throw new UserError(`helm finished but release ${settings.release} is '${release.status}', not 'deployed'`);
    ctx.setOutput('harbor-url', harborUrl);
    ctx.setOutput('revision', release.revision);
    ctx.setOutput('values-digest', digest);

    let health = '';
    if (settings.wait) {
      const result = await platform.group(`Waiting for ${harborHealthUrl(harborUrl)}`, () =>
        waitForHarborHealthy(platform, http, harborUrl, settings.timeout),
      );
      health = result.components.map((c) => c.name).join(', ');
      platform.info(`Harbor is healthy: ${health}`);
    }
    await platform.addSummary(summary(settings, chart, harborUrl, digest, String(release.revision), [], health));
  } finally {
    dir.dispose();
    await Promise.all([http.close(), download.close()]);
  }
}

/**
 * cluster-name: the AKS cluster through the Azure sign-in. It replaces the other ways to name a cluster, so giving
 * one of them as well is refused rather than silently ignored.
 */
function aksAccess(settings: DeploySettings, ctx: Context, dir: PrivateDir): Promise<ClusterAccess> {
  const { platform } = ctx;
  const other = platform.getServiceConnection('kubernetesServiceConnection')
    ? 'kubernetesServiceConnection'
    : settings.kubeconfig?.trim()
      ? ctx.label('kubeconfig')
      : undefined;
  if (other)
    throw new InputError(`Input '${ctx.label('cluster-name')}' and '${other}' both name the cluster; use one of them`);
  return aksClusterAccess(
    platform,
    {
      azure: settings,
      resourceGroup: settings.resourceGroup,
      cluster: settings.clusterName!,
      admin: settings.useClusterAdmin,
      namespace: settings.namespace,
      dryRun: settings.dryRun,
      timeoutMs: settings.timeout,
      names: {
        subscriptionId: ctx.label('subscription-id'),
        clientId: ctx.label('client-id'),
        tenantId: ctx.label('tenant-id'),
        resourceGroup: ctx.label('resource-group'),
        cluster: ctx.label('cluster-name'),
        admin: ctx.label('use-cluster-admin'),
      },
    },
    dir,
  );
}

async function resolveHelm(settings: DeploySettings, ctx: Context, http: HttpClient): Promise<string> {
  const { platform } = ctx;
  const label = ctx.label('helm-version');
  const wanted = settings.helmVersion ? normalizeHelmVersion(settings.helmVersion, label) : undefined;
  const onPath = await platform.which('helm');
  if (onPath) {
    if (!wanted) return onPath;
    const version = (await new Helm(platform, onPath).version().catch(() => undefined))?.version;
    if (version === wanted) return onPath;
    platform.info(`helm on PATH is ${version ?? 'unusable'}; ${label} asks for ${wanted}`);
  }
  return installHelm(platform, http, wanted ?? DEFAULT_HELM_VERSION, settings.helmMirror);
}

/**
 * Every key this step sets must exist in the chart (a typo'd key is silently ignored by helm — exactly the failure this
 * step exists to prevent); keys from values-files or set that the chart does not know are reported as warnings,
 * since charts accept some undocumented keys.
 */
function validateKeys(ours: Values, theirs: Values, chartValues: Values, chart: ChartSource, platform: Platform): void {
  const where = `chart ${chart.name} ${chart.version} values.yaml`;
  const unknown = unknownPaths(ours, chartValues);
  if (unknown.length > 0) {
    throw new UserError(
      `${where} has no ${unknown.map(formatPath).join(', ')}; this chart version does not fit the profile — use chart-version ${PINNED_CHART.version}`,
    );
  }
  for (const path of unknownPaths(theirs, chartValues)) {
    const hint = suggestPath(path, chartValues);
    platform.warning(
      `${where} has no ${formatPath(path)} (from values-files or set); helm will ignore it${hint ? ` — did you mean ${hint}?` : ''}`,
    );
  }
}

function countKinds(manifest: string | undefined): string {
  const counts = new Map<string, number>();
  for (const m of (manifest ?? '').matchAll(/^kind:\s*(\S+)/gm)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `${total} objects${total ? ` (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`;
}

function summary(
  settings: DeploySettings,
  chart: ChartSource,
  url: string,
  digest: string,
  revision: string,
  changes: string[],
  health = '',
): string {
  const rows = [
    ['Profile', settings.profile],
    ['Release', `${settings.release} in ${settings.namespace}`],
    ['Chart', `${chart.name} ${chart.version}`],
    ['Revision', revision],
    ['URL', url],
    ['Values digest', `\`${digest}\``],
    ...(health ? [['Healthy components', health]] : []),
  ];
  let md = `### Harbor deploy\n\n| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
  if (changes.length > 0)
    md += `\n<details><summary>Values that would change</summary>\n\n\`\`\`diff\n${changes.join('\n')}\n\`\`\`\n</details>\n`;
  return md;
}
