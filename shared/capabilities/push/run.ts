import { InputError, UserError } from '../../errors';
import type { HarborClient } from '../../harbor/client';
import { openHarbor } from '../../harbor/inputs';
import { ensureProject, isValidProjectName, projectExists } from '../../harbor/projects';
import type { SettingsOf } from '../../inputs/definition';
import { formatBytes, Pusher, type PushResult } from '../../oci/pusher';
import { checkRepository, checkTag } from '../../oci/reference';
import { RegistryClient } from '../../oci/registry-client';
import { openSource, type Compression } from '../../oci/sources';
import { RemoteError } from '../../remote-error';
import { definition } from './definition';
import type { ContextOf, StepContext } from '../../step-context';

type Settings = SettingsOf<typeof definition.inputs>;

const MIN_CHUNK = 1024 * 1024;

/**
 * The push step: validate every input and open the source locally first (a bad tag or a broken archive fails before
 * anything is sent), ensure the Harbor project, push the graph, then tag, and report exactly what landed.
 */
export async function runPush(settings: Settings, ctx: ContextOf<typeof definition>): Promise<void> {
  const { platform } = ctx;
  const name = ctx.label;
  if (settings.chunkSize < MIN_CHUNK)
    throw new InputError(`Input '${name('chunk-size')}' must be at least 1MiB (got ${settings.chunkSize} bytes)`);
  const project = settings.project;
  if (project !== undefined && !isValidProjectName(project)) {
    throw new InputError(
      `Input '${name('project')}': '${project}' is not a valid Harbor project name (lower-case letters, digits and . _ - inside)`,
    );
  }
  if (settings.createProject && !project) {
    throw new InputError(`Input '${name('project')}' is required when ${name('create-project')} is true`);
  }
  const mountFrom = (settings.mountFrom ?? []).map((r) => checkRepository(r, name('mount-from')));
  const userTags = (settings.tags ?? []).map((t) => checkTag(t, name('tags')));
  if (settings.password) platform.setSecret(settings.password);

  const source = await openSource(settings.source, settings.compression as Compression, platform, name('source'));
  try {
    const repoName = settings.repository ?? source.suggested?.repository;
    if (!repoName) throw new InputError(`Input required and not supplied: ${name('repository')}`);
    const repository = checkRepository(project ? `${project}/${repoName}` : repoName, name('repository'));
    const tags = userTags.length > 0 ? [...new Set(userTags)] : [source.suggested?.tag ?? 'latest'];
    if (source.suggested?.tag && !tags.includes(source.suggested.tag)) {
      platform.warning(
        `No tag equals the chart version ${source.suggested.tag}; helm pull --version ${source.suggested.tag} will not find this chart`,
      );
    }

    const { harbor, http } = openHarbor(platform, definition.inputs, settings, {
      // One request may stay silent for a minute at most (or the whole timeout, if shorter) before it is retried.
      timeoutMs: Math.min(60_000, settings.timeout),
      budget: { ms: settings.timeout, input: name('timeout') },
    });
    const host = harbor.registryHost;
    const credentials = { username: settings.username, password: settings.password };
    try {
      if (settings.createProject) {
        const state = await ensureProject(harbor, project!, { public: settings.projectPublic }).catch(
          (error: unknown) => {
            // Harbor's POST /projects never answers 404 (swagger); a registry without Harbor's API does.
            if (error instanceof RemoteError && error.kind === 'not-found') {
              throw new UserError(
                `${host} does not serve the Harbor API (creating project ${project} answered 404); for a plain OCI registry set ${name('create-project')} to false`,
              );
            }
            throw error;
          },
        );
        platform.info(
          state === 'created'
            ? `Created Harbor project ${project} (${settings.projectPublic ? 'public' : 'private'})`
            : `Harbor project ${project} exists`,
        );
      }
      const registry = new RegistryClient(http, settings.harborUrl, repository, credentials, {
        mountFrom,
        onSecret: (v) => platform.setSecret(v),
      });
      let result: PushResult;
      try {
        result = await platform.group(`Push ${source.description} to ${host}/${repository}`, async () => {
          await registry.login();
          const pusher = new Pusher(registry, {
            concurrency: settings.concurrency,
            chunkSize: settings.chunkSize,
            mountFrom,
            log: (m) => platform.info(m),
            debug: (m) => platform.debug(m),
            checkWait: (delay, what) => http.checkWait(delay, what),
          });
          return pusher.push(source.root, tags);
        });
      } catch (error) {
        if (
          error instanceof RemoteError &&
          error.service === 'Registry' &&
          error.kind === 'permission' &&
          !settings.createProject &&
          project &&
          (await missingHarborProject(harbor, project))
        ) {
          throw new UserError(
            `Harbor project ${project} does not exist; create it, or set ${name('create-project')} to true`,
          );
        }
        throw error;
      }
      await report(ctx, host, repository, tags, result);
    } finally {
      await http.close();
    }
  } finally {
    await source.close();
  }
}

/** True only when Harbor's API says the project is missing; a plain registry has no such API and gives no answer. */
async function missingHarborProject(harbor: HarborClient, project: string): Promise<boolean> {
  try {
    return !(await projectExists(harbor, project));
  } catch {
    return false;
  }
}

async function report(
  ctx: StepContext<typeof definition.inputs, typeof definition.outputs>,
  host: string,
  repository: string,
  tags: string[],
  result: PushResult,
): Promise<void> {
  const { platform } = ctx;
  const { stats } = result;
  const seconds = stats.elapsedMs / 1000;
  const speed = stats.bytesUploaded > 0 ? ` (${formatBytes(stats.bytesUploaded / Math.max(seconds, 0.001))}/s)` : '';
  const layers = `${stats.layers.uploaded} uploaded, ${stats.layers.skipped} skipped, ${stats.layers.mounted} mounted`;
  const images = [...tags.map((t) => `${host}/${repository}:${t}`), `${host}/${repository}@${result.digest}`];
  platform.info(`Pushed ${host}/${repository}@${result.digest}`);
  platform.info(
    `Layers: ${layers}; ${formatBytes(stats.bytesUploaded)} sent in ${seconds.toFixed(1)} s${speed}; image size ${formatBytes(stats.totalSize)}`,
  );
  platform.info(`Tags: ${tags.join(', ')}`);
  ctx.setOutput('digest', result.digest);
  ctx.setOutput('images', images.join('\n'));
  ctx.setOutput('size', stats.totalSize);
  await platform.addSummary(
    [
      `### Pushed \`${host}/${repository}\``,
      '',
      '| | |',
      '| --- | --- |',
      `| Tags | ${tags.map((t) => `\`${t}\``).join(', ')} |`,
      `| Digest | \`${result.digest}\` |`,
      `| Media type | \`${result.mediaType}\` |`,
      `| Size | ${formatBytes(stats.totalSize)} |`,
      `| Layers | ${layers} |`,
      `| Uploaded | ${formatBytes(stats.bytesUploaded)} in ${seconds.toFixed(1)} s${speed} |`,
      '',
    ].join('\n'),
  );
}
