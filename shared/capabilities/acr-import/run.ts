import { AcrRegistry, type ImportImageParameters } from '../../azure/acr';
import { IMPORT_ROLE } from '../../azure/roles';
import { AcrDataPlane } from '../../azure/acr-data-plane';
import { ArmError, ArmTimeoutError } from '../../azure/arm-client';
import { checkName, checkRegistryName, checkSubscription } from '../../azure/names';
import { connectArm } from '../../azure/sign-in';
import { BudgetExceededError } from '../../http/client';
import { InputError, UserError } from '../../errors';
import { checkRepository } from '../../oci/reference';
import {
  expectedManifests,
  findMissing,
  logDestinationCheck,
  missingLine,
  type DestinationReader,
  type ExpectedManifest,
  type MissingManifest,
} from '../../oci/destination-check';
import { MAX_REFERRER_DEPTH, MAX_REFERRERS, type ArtifactGraph } from '../../oci/referrer-graph';
import { RegistryClient, short } from '../../oci/registry-client';
import type { Platform, StepResult } from '../../platform';
import { mapLimited } from '../../util/limit';
import { formatDuration, formatMs } from '../../util/report-text';
import { definition, type Settings } from './definition';
import { importSummaryMarkdown, importTableText, type ImportRow } from './report';
import { referrerImports, sourceGraphs, type ReferrerImport } from './referrers';
import { parseImageLines, resolveFilters, resolveImages, type ImportItem } from './selection';
import { openHarbor } from '../../harbor/inputs';
import type { ContextOf } from '../../step-context';

type InputKey = keyof typeof definition.inputs;
/** Harbor API reads while selecting artifacts: enough to hide latency, few enough not to load Harbor. */
const LISTING_PARALLELISM = 4;

/**
 * The registry pulls each selected Harbor artifact itself through ARM `importImage` (as `az acr
 * import`), so no image bytes pass through the runner and Harbor needs no endpoint, policy or job. Everything is
 * checked and resolved (inputs, Harbor artifacts, the ACR registry) before the first import; one import per artifact,
 * pinned by digest, a bounded number at a time, each followed to completion.
 */
export async function importIntoAcr(settings: Settings, ctx: ContextOf<typeof definition>): Promise<StepResult> {
  const { platform } = ctx;
  const name = ctx.label;
  const registryName = checkRegistryName(settings.registry, name('registry'));
  const resourceGroup = checkName('resourceGroup', settings.resourceGroup, name('resource-group'));
  if (settings.subscriptionId) checkSubscription(settings.subscriptionId, name('subscription-id'));
  const images = settings.images?.length ? parseImageLines(settings.images, name('images')) : undefined;
  if (images && (settings.nameFilter || settings.tagFilter)) {
    throw new InputError(
      `Input '${name('images')}' and '${name(settings.nameFilter ? 'name-filter' : 'tag-filter')}' both select what to import; use one of them`,
    );
  }
  if (!images && !settings.nameFilter) {
    throw new InputError(
      `Input '${name('images')}' or '${name('name-filter')}' is required: list the artifacts to import, or select them with a filter such as 'shop/**'`,
    );
  }
  if (settings.tagMatch && !settings.tagFilter)
    throw new InputError(`Input '${name('tag-match')}' needs '${name('tag-filter')}'`);
  const prefixText = settings.targetRepositoryPrefix?.replace(/^\/+|\/+$/g, '');
  const prefix = prefixText ? checkRepository(prefixText, name('target-repository-prefix')) : undefined;
  const targetRepository = (repository: string) => (prefix ? `${prefix}/${repository}` : repository);

  const harborUrl = new URL(settings.harborUrl);
  if (harborUrl.protocol === 'http:') {
    platform.warning(
      `ACR imports over HTTPS only: ${harborUrl.origin} must also answer at https://${harborUrl.host} with a publicly trusted certificate, reachable from Azure`,
    );
  } else if (settings.insecure || settings.caFile) {
    platform.warning(
      `${name(settings.insecure ? 'insecure' : 'ca-file')} applies to this step's calls only: ACR must trust Harbor's certificate on its own (a publicly trusted one)`,
    );
  }

  const { harbor, http: harborHttp } = openHarbor(platform, definition.inputs, settings, {
    budget: { ms: settings.timeout, input: name('timeout') },
  });
  // ARM gets the runner's trust settings, never Harbor's insecure or CA file. `timeout` bounds the ARM side as a whole
  // too (sign-in, every request, every operation poll): an import's wait ends with the budget, and none starts after.
  const armHttp = ctx.http({
    timeoutMs: Math.min(60_000, settings.timeout),
    budget: { ms: settings.timeout, input: name('timeout') },
  });
  try {
    const limited = <T, R>(items: T[], fn: (item: T) => Promise<R>) => mapLimited(items, LISTING_PARALLELISM, fn);
    let items: ImportItem[];
    let note: string | undefined;
    if (images) {
      items = await resolveImages(harbor, images, name('images'));
    } else {
      const selection = await resolveFilters(
        harbor,
        { name: settings.nameFilter, tag: settings.tagFilter, tagMatch: settings.tagMatch },
        limited,
      );
      items = selection.items;
      platform.info(
        `'${name('name-filter')}' ${settings.nameFilter} matched ${selection.repositories} repository(ies) in Harbor; ${items.length} tagged artifact(s) selected`,
      );
      if (selection.untagged > 0) {
        note = `${selection.untagged} untagged artifact(s) in the matched repositories were left out: an import by filter copies tags.`;
        platform.info(note);
      }
    }
    for (const item of items) checkRepository(targetRepository(item.repository), name('target-repository-prefix'));

    // What is attached to each artifact in Harbor, read with the account ACR pulls with.
    let referrers: ReferrerImport[] = [];
    let graphs: ArtifactGraph[] = [];
    if ((settings.includeReferrers || settings.destinationCheck) && items.length > 0) {
      const clients = new Map<string, RegistryClient>();
      const registryFor = (repository: string) => {
        let client = clients.get(repository);
        if (!client) {
          client = new RegistryClient(
            harborHttp,
            harborUrl.origin,
            repository,
            { username: settings.username, password: settings.password },
            { onSecret: (v) => platform.setSecret(v) },
          );
          clients.set(repository, client);
        }
        return client;
      };
      graphs = await sourceGraphs(items, registryFor, limited);
      for (const [i, graph] of graphs.entries()) {
        if (graph.truncated)
          platform.warning(
            `${items[i].repository}@${short(items[i].digest)} has more attached manifests than the step follows (${MAX_REFERRERS} manifests, ${MAX_REFERRER_DEPTH} levels deep); only those are imported`,
          );
      }
      const attached = referrerImports(items, graphs);
      if (settings.includeReferrers) referrers = attached;
      if (attached.length > 0)
        platform.info(
          `Harbor holds ${attached.length} signature(s), SBOM(s) or other referrer(s) attached to the ${items.length} artifact(s)${settings.includeReferrers ? `; '${name('include-referrers')}' imports them too` : ''}`,
        );
    }

    const { arm, subscriptionId } = await connectArm(
      settings,
      { subscriptionId: name('subscription-id'), clientId: name('client-id'), tenantId: name('tenant-id') },
      armHttp,
      platform,
      settings.timeout,
    );
    const acr = new AcrRegistry(arm, { subscriptionId, resourceGroup, registry: registryName });
    const registry = await acr.get(IMPORT_ROLE);
    const loginServer = registry.properties.loginServer ?? `${registryName.toLowerCase()}.azurecr.io`;
    ctx.setOutput('login-server', loginServer);

    const rows: ImportRow[] = items.map((item) => ({
      source: `${item.repository}${item.tags.length ? `:${item.tags.join(',')}` : `@${item.digest}`}`,
      target: `${loginServer}/${targetRepository(item.repository)}${item.tags.length ? `:${item.tags.join(',')}` : ''}`,
      digest: item.digest,
      status: 'Planned',
      duration: '',
    }));
    const referrerRows: ImportRow[] = referrers.map((r) => ({
      source: `${r.repository}${r.tags.length ? `:${r.tags[0]}` : `@${r.digest}`} (${r.attached.kind} of ${short(r.attached.subject)})`,
      target: `${loginServer}/${targetRepository(r.repository)}${r.tags.length ? `:${r.tags[0]}` : ''}`,
      digest: r.digest,
      status: 'Planned',
      duration: '',
    }));
    const summary = {
      harbor: harborUrl.host,
      loginServer,
      mode: settings.importMode,
      rows: [...rows, ...referrerRows],
      note,
    };
    const setCounts = (succeeded: number, failed: number, imported: string[], skipped = 0) => {
      ctx.setOutput('total', items.length + referrers.length);
      ctx.setOutput('succeeded', succeeded);
      ctx.setOutput('skipped', skipped);
      ctx.setOutput('failed', failed);
      ctx.setOutput('imported', JSON.stringify(imported));
    };

    if (items.length === 0) {
      setCounts(0, 0, []);
      await platform.addSummary(importSummaryMarkdown(summary));
      // Only filters can select nothing: every listed image was found above.
      const hint = settings.nameFilter?.includes('/')
        ? ''
        : `; it is matched against project/repository, e.g. '${settings.nameFilter}/**'`;
      platform.warning(
        `Nothing to import: the filters (${name('name-filter')} ${settings.nameFilter}${settings.tagFilter ? `, ${name('tag-filter')} ${settings.tagFilter}` : ''}) matched no tagged artifact in Harbor${hint}`,
      );
      return 'succeeded-with-issues';
    }
    if (!settings.run) {
      await platform.group(`ACR imports planned (${summary.rows.length})`, async () =>
        platform.info(importTableText(summary.rows)),
      );
      setCounts(0, 0, []);
      await platform.addSummary(importSummaryMarkdown(summary));
      platform.info(`${name('run')} is false: nothing was imported`);
      return 'succeeded';
    }

    platform.info(
      `Importing ${items.length} artifact(s)${referrers.length ? ` and ${referrers.length} referrer(s)` : ''} from ${harborUrl.host} into ${loginServer} (${settings.importMode}, ${settings.parallelImports} at a time)`,
    );
    let fatal: Error | undefined;
    let outOfTime = false;
    const notStartedDetail = `not started: '${name('timeout')}' (${formatMs(settings.timeout)}) had run out`;
    const dataPlane = new AcrDataPlane(armHttp, loginServer, () => arm.accessToken());
    const failRow = (row: ImportRow, error: unknown) => {
      if (error instanceof ArmTimeoutError || error instanceof BudgetExceededError) {
        // The operation's own deadline or the step's whole budget (a request cut at its end): either way the import
        // may go on in Azure, and no time is left for the ones not started yet.
        row.status = 'TimedOut';
        row.detail = `did not finish within ${formatMs(settings.timeout)}; it may still complete in Azure`;
        if (error instanceof BudgetExceededError || armHttp.remainingMs() <= 0) outOfTime = true;
      } else if (error instanceof ArmError) {
        row.status = 'Failed';
        row.detail = [error.code, error.azureMessage].filter(Boolean).join(': ') || error.message;
      } else {
        // Not about this artifact (a missing role, a rejected token, Azure unreachable): every other import would
        // fail the same way, so none is started after it.
        row.status = 'Failed';
        row.detail = (error as Error).message;
        fatal ??= error as Error;
      }
    };
    const settleConflict = async (
      item: ImportItem,
      row: ImportRow,
      parameters: ImportImageParameters,
      conflict: ArmError,
    ) => {
      const repository = targetRepository(item.repository);
      let held: (string | undefined)[];
      try {
        held = await Promise.all(item.tags.map((tag) => dataPlane.tagDigest(repository, tag)));
      } catch (error) {
        row.status = 'Failed';
        row.detail = `${[conflict.code, conflict.azureMessage].filter(Boolean).join(': ')}; the tags' digests in ACR could not be compared (${(error as Error).message})`;
        row.conflict = 'unknown';
        return;
      }
      const different = item.tags.filter((tag, i) => held[i] !== undefined && held[i] !== item.digest);
      if (different.length > 0) {
        row.status = 'Failed';
        row.conflict = 'different';
        row.detail = different
          .map((tag) => `${repository}:${tag} already holds ${held[item.tags.indexOf(tag)]}, not ${item.digest}`)
          .join('; ');
        return;
      }
      const missing = item.tags.filter((_, i) => held[i] === undefined);
      if (missing.length === 0) {
        row.status = 'Skipped';
        row.detail = 'every tag already holds this digest';
        return;
      }
      try {
        await acr.importImage({ ...parameters, targetTags: missing.map((tag) => `${repository}:${tag}`) });
        row.status = 'Succeeded';
        row.detail = `${item.tags.length - missing.length} tag(s) already held this digest; imported ${missing.join(', ')}`;
      } catch (error) {
        failRow(row, error);
      }
    };
    const importOne = async (item: ImportItem, row: ImportRow, mode: Settings['importMode']) => {
      if (fatal) {
        row.status = 'NotStarted';
        return;
      }
      if (outOfTime || armHttp.remainingMs() <= 0) {
        outOfTime = true;
        row.status = 'NotStarted';
        row.detail = notStartedDetail;
        return;
      }
      const parameters: ImportImageParameters = {
        source: {
          registryUri: harborUrl.host,
          sourceImage: `${item.repository}@${item.digest}`,
          credentials: { username: settings.username, password: settings.password },
        },
        ...(item.tags.length > 0
          ? { targetTags: item.tags.map((tag) => `${targetRepository(item.repository)}:${tag}`) }
          : { untaggedTargetRepositories: [targetRepository(item.repository)] }),
        mode,
      };
      const started = new Date();
      try {
        await acr.importImage(parameters);
        row.status = 'Succeeded';
      } catch (error) {
        if (error instanceof ArmError && error.code === CONFLICT && mode === 'NoForce' && item.tags.length > 0) {
          // NoForce refuses the whole import when any target tag exists, even one that already holds this very digest
          // (a re-run). Compare what ACR holds before calling it a conflict.
          await settleConflict(item, row, parameters, error);
        } else {
          failRow(row, error);
        }
      }
      row.duration = formatDuration(started.toISOString(), new Date().toISOString());
      const verb =
        { Succeeded: 'Imported', Skipped: 'Skipped', TimedOut: 'Timed out:' }[row.status as string] ?? 'Failed:';
      platform.info(`${verb} ${row.source} → ${row.target}${row.detail ? ` (${row.detail})` : ''}`);
    };
    await mapLimited(items, settings.parallelImports, (item, index) =>
      importOne(item, rows[index], settings.importMode),
    );
    // Then what hangs off each imported artifact, one level at a time (an SBOM before the signature of that SBOM).
    // cosign rewrites its `.sig` tag whenever a signature is added, so Harbor's tag is the newest full set: it
    // replaces ACR's (Force) whatever import-mode says, which protects the artifacts' own tags.
    const depths = [...new Set(referrers.map((r) => r.attached.depth))];
    for (const depth of depths) {
      await mapLimited(
        referrers.filter((r) => r.attached.depth === depth),
        settings.parallelImports,
        async (referrer) => {
          const row = referrerRows[referrers.indexOf(referrer)];
          const root = rows[referrer.root];
          if (root.status !== 'Succeeded' && root.status !== 'Skipped') {
            row.status = 'NotStarted';
            row.detail = `${root.source} was not imported`;
            return;
          }
          await importOne(referrer, row, referrer.tags.length > 0 ? 'Force' : settings.importMode);
        },
      );
    }

    const allRows = summary.rows;
    const succeeded = allRows.filter((r) => r.status === 'Succeeded');
    const skipped = allRows.filter((r) => r.status === 'Skipped');
    const unsuccessful = allRows.filter((r) => r.status !== 'Succeeded' && r.status !== 'Skipped');
    setCounts(
      succeeded.length,
      unsuccessful.length,
      items.flatMap((item, i) =>
        rows[i].status !== 'Succeeded'
          ? []
          : item.tags.map((tag) => `${loginServer}/${targetRepository(item.repository)}:${tag}`),
      ),
      skipped.length,
    );
    await platform.group(`ACR imports (${allRows.length})`, async () => platform.info(importTableText(allRows)));
    await platform.addSummary(importSummaryMarkdown(summary));

    if (fatal) throw fatal;
    if (unsuccessful.length > 0) {
      const first = unsuccessful[0];
      throw new UserError(
        `${unsuccessful.length} of ${allRows.length} import(s) into ${registryName} failed (first: ${first.source} → ${first.target}: ${first.detail})${hintFor(first, settings.username, name)}`,
      );
    }
    if (settings.destinationCheck) {
      await checkDestination(
        items.flatMap((item, i) =>
          expectedManifests(graphs[i], targetRepository(item.repository), rows[i].source, { attached: true }),
        ),
        dataPlane,
        { loginServer, registryName, includeReferrers: settings.includeReferrers, name, platform },
      );
    }
    platform.info(
      `Imported ${succeeded.length - referrerRows.filter((r) => r.status === 'Succeeded').length} artifact(s)${referrers.length ? ` and ${referrerRows.filter((r) => r.status === 'Succeeded').length} referrer(s)` : ''} into ${loginServer}${skipped.length ? `; ${skipped.length} skipped (already there with the same digest)` : ''}`,
    );
    return 'succeeded';
  } finally {
    await Promise.all([harborHttp.close(), armHttp.close()]);
  }
}

/**
 * The destination check: every manifest the imports should have left in ACR (each artifact, its index's children,
 * everything attached to it in Harbor) read back through ACR's data plane with the step's own Azure sign-in — what a
 * deployment pulling from ACR will see. One line per missing manifest (bounded), then one failure line.
 */
async function checkDestination(
  expected: ExpectedManifest[],
  reader: DestinationReader,
  context: {
    loginServer: string;
    registryName: string;
    includeReferrers: boolean;
    name: (key: InputKey) => string;
    platform: Platform;
  },
): Promise<void> {
  const { loginServer, name, platform } = context;
  let missing: MissingManifest[];
  try {
    missing = await findMissing(expected, reader, (list, fn) => mapLimited(list, LISTING_PARALLELISM, fn));
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    throw new UserError(
      `The destination check could not read ${loginServer} (${(error as Error).message}); give the identity a data-plane read role on ${context.registryName} (the '${IMPORT_ROLE}' role includes it) or set '${name('destination-check')}' to false`,
    );
  }
  if (logDestinationCheck((line) => platform.info(line), expected.length, missing, loginServer)) return;
  const hint =
    !context.includeReferrers && missing.some((m) => m.attached)
      ? `; set '${name('include-referrers')}' to true to import what is attached, or '${name('destination-check')}' to false to accept ACR without it`
      : '';
  throw new UserError(
    `Destination check: ${missing.length} of ${expected.length} expected manifest(s) are not in ${loginServer} after the import (first: ${missingLine(missing[0])})${hint}`,
  );
}

/** What a user can do about the failures Azure reports most. */
function hintFor(row: ImportRow, username: string, name: (key: InputKey) => string): string {
  if (row.conflict === 'different')
    return `; a tag in ACR holds another image: set '${name('import-mode')}' to Force to overwrite it`;
  if (row.conflict === 'unknown') {
    return `; set '${name('import-mode')}' to Force to overwrite existing tags, or let the identity read the registry (the '${IMPORT_ROLE}' role) so re-runs can skip tags that already hold the same image`;
  }
  const detail = row.detail ?? '';
  if (/unauthori[sz]ed|authenticat|denied|credential/i.test(detail)) {
    return `; ACR logs in to Harbor as ${username}: check that this account can pull the artifact and that Harbor is reachable from Azure`;
  }
  if (row.status === 'TimedOut' || row.status === 'NotStarted') return `; raise '${name('timeout')}'`;
  return '';
}

/** ARM's error code when NoForce meets an existing target tag. */
const CONFLICT = 'Conflict';
