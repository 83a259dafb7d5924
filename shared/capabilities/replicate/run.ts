import { UserError } from '../../errors';
import { openHarbor } from '../../harbor/inputs';
import { ensureRegistryEndpoint, findRegistry, getRegistry, registryChanges } from '../../harbor/registries';
import {
  directionOf,
  ensurePolicy,
  findPolicy,
  HARBOR_MAX_RUNS,
  HARBOR_RETRY_WINDOW_MS,
  isFailed,
  isSucceeded,
  remoteRegistryOf,
  startExecution,
  stopExecution,
  taskLog,
  waitForExecution,
  type ReplicationExecution,
  type ReplicationPolicy,
  type ReplicationTask,
  type WaitOptions,
} from '../../harbor/replication';
import type { StepResult } from '../../platform';
import { formatMs } from '../../util/report-text';
import { RemoteError } from '../../remote-error';
import type { HarborClient } from '../../harbor/client';
import type { HttpClient } from '../../http/client';
import { findMissing, logDestinationCheck, missingLine } from '../../oci/destination-check';
import { RegistryClient } from '../../oci/registry-client';
import { mapLimited } from '../../util/limit';
import { expectedAtDestination, registryReader } from './destination-check';
import { nextRun } from './cron';
import { eventAccessories, eventAccessoriesWarning } from './event-accessories';
import { definition, type Settings } from './definition';
import { checkEffectivePolicy, planFromSettings } from './plan';
import { logTail, summaryMarkdown, taskRows, taskTableText } from './report';
import type { ContextOf } from '../../step-context';

/** Failed tasks whose logs are printed; the rest are counted. */
const MAX_LOGS = 5;

/** Polling cadence; tests shorten it (time itself comes from the context's clock). */
export type ReplicateCadence = Pick<WaitOptions, 'initialIntervalMs' | 'maxIntervalMs' | 'settleMs' | 'retryWindowMs'>;

export async function replicate(
  settings: Settings,
  ctx: ContextOf<typeof definition>,
  cadence: ReplicateCadence = {},
): Promise<StepResult> {
  const { platform } = ctx;
  const plan = planFromSettings(settings, platform);
  const { harbor, http } = openHarbor(platform, definition.inputs, settings, {
    budget: { ms: settings.timeout, input: platform.inputName(definition.inputs.timeout) },
  });
  // After `timeout` ran out: reading the final task list and stopping the execution still get one short attempt each.
  const cleanup = harbor.forCleanup();
  try {
    // Read everything first and check the merged result, so a refused policy leaves no endpoint behind.
    const existing = await findPolicy(harbor, plan.policyName);
    let remote: { id?: number; name: string; type?: string; username?: string; url?: string } | undefined;
    const described = (r: {
      id: number;
      name: string;
      type: string;
      url: string;
      credential?: { access_key?: string };
    }) => ({ id: r.id, name: r.name, type: r.type, url: r.url, username: r.credential?.access_key });
    if (plan.endpoint?.mode === 'ensure') {
      const stored = await findRegistry(harbor, plan.endpoint.spec.name);
      if (stored) registryChanges(stored, plan.endpoint.spec); // throws on a type change, which Harbor cannot do
      remote = {
        id: stored?.id,
        name: plan.endpoint.spec.name,
        type: plan.endpoint.spec.type,
        username: plan.endpoint.spec.username ?? stored?.credential?.access_key,
        url: plan.endpoint.spec.url,
      };
    } else if (plan.endpoint?.mode === 'existing') {
      const stored = await findRegistry(harbor, plan.endpoint.name);
      if (!stored) {
        throw new UserError(
          `Registry endpoint '${plan.endpoint.name}' does not exist in Harbor; set '${platform.inputName(definition.inputs['registry-url'])}' and '${platform.inputName(definition.inputs['registry-type'])}' to create it`,
        );
      }
      remote = described(stored);
    } else if (existing) {
      const r = remoteRegistryOf(existing);
      if (r?.id !== undefined)
        remote = r.type
          ? { id: r.id, name: r.name ?? `#${r.id}`, type: r.type, username: r.credential?.access_key, url: r.url }
          : described(await getRegistry(harbor, r.id));
    }
    for (const warning of checkEffectivePolicy(plan, existing, remote, platform)) platform.warning(warning);

    const enabled = plan.fields.enabled ?? existing?.enabled ?? true;
    if (settings.run && !enabled) {
      throw new UserError(
        `Replication policy '${plan.policyName}' is disabled and Harbor cannot run a disabled policy; set '${platform.inputName(definition.inputs.enabled)}' to true or '${platform.inputName(definition.inputs.run)}' to false`,
      );
    }

    let registryId = remote?.id;
    if (plan.endpoint?.mode === 'ensure') {
      registryId = (await ensureRegistryEndpoint(harbor, plan.endpoint.spec, (m) => platform.info(m))).id;
    }
    if (registryId !== undefined) ctx.setOutput('registry-id', registryId);

    let policy: ReplicationPolicy;
    let policyId: number;
    if (plan.ensurePolicy) {
      const registry = registryId !== undefined && remote ? { id: registryId, name: remote.name } : undefined;
      const ensured = await ensurePolicy(harbor, plan.policyName, { ...plan.fields, registry }, existing);
      policy = ensured.policy;
      policyId = ensured.id;
      if (ensured.created)
        platform.info(
          `Replication policy '${plan.policyName}' created (id ${policyId}, ${directionOf(policy)} ${remote?.name ?? ''})`,
        );
      else if (ensured.changes.length === 0)
        platform.info(`Replication policy '${plan.policyName}' (id ${policyId}) is up to date`);
      else {
        platform.info(`Replication policy '${plan.policyName}' (id ${policyId}) updated:`);
        for (const c of ensured.changes) platform.info(`  ${c.field}: ${c.from} → ${c.to}`);
      }
    } else {
      policy = existing!;
      policyId = existing!.id!;
      platform.info(`Using replication policy '${plan.policyName}' (id ${policyId}) as it is`);
    }
    ctx.setOutput('policy-id', policyId);
    if (policy.trigger?.type === 'event_based' && directionOf(policy) === 'push') {
      // Reading the covered artifacts is advice: an account that may run the policy but not list artifacts (a
      // system robot without artifact:list) gets no warning rather than a failed step.
      const found = await eventAccessories(harbor, policy).catch((error: unknown) => {
        if (error instanceof RemoteError && (error.kind === 'permission' || error.kind === 'not-found')) {
          platform.debug(`Could not look for accessories the event_based trigger would leave behind: ${error.message}`);
          return undefined;
        }
        throw error;
      });
      if (found) platform.warning(eventAccessoriesWarning(plan.policyName, found));
    }
    if (policy.trigger?.type === 'scheduled' && policy.trigger.trigger_settings?.cron) {
      platform.info(
        `Scheduled '${policy.trigger.trigger_settings.cron}'; next run ${nextRun(policy.trigger.trigger_settings.cron).toISOString()} (Harbor's clock)`,
      );
    }

    const direction = directionOf(policy);
    const remoteName = remote?.name ?? 'remote registry';
    const summaryBase = { policyName: plan.policyName, policyId, direction, remote: remoteName };
    if (!settings.run) {
      await platform.addSummary(summaryMarkdown({ ...summaryBase, rows: [] }));
      return 'succeeded';
    }

    const executionId = await startExecution(harbor, policyId);
    ctx.setOutput('execution-id', executionId);
    platform.info(`Started replication execution ${executionId} of policy '${plan.policyName}'`);
    if (!settings.wait) return 'succeeded';

    const result = await waitForExecution(harbor, executionId, {
      // Ends a little before the budget, so the last reads happen while the budget still allows them.
      timeoutMs: Math.max(0, Math.min(settings.timeout, http.remainingMs() - 250)),
      cleanup,
      ...cadence,
      now: ctx.clock.now,
      sleep: ctx.clock.sleep,
      onProgress: (e) => platform.info(progressLine(e)),
      onRetry: (t, attempt) =>
        platform.info(
          `Harbor runs task ${t.id} (${t.src_resource ?? ''}) again: attempt ${attempt} of ${HARBOR_MAX_RUNS}`,
        ),
    });
    const { execution } = result;
    const attempts = (t: ReplicationTask) => result.attempts.get(t.id) ?? 1;
    const rows = taskRows(result.tasks, result.attempts);
    let note: string | undefined;
    if (result.timedOut) {
      if (settings.stopOnTimeout) {
        await stopExecution(cleanup, executionId);
        note = `Timed out after ${formatMs(settings.timeout)}; the execution was stopped.`;
      } else {
        note = `Timed out after ${formatMs(settings.timeout)}; the execution goes on in Harbor.`;
      }
    }
    ctx.setOutput('total', execution.total);
    ctx.setOutput('succeeded', execution.succeed);
    ctx.setOutput('failed', execution.failed);
    if (rows.length > 0)
      await platform.group(`Replication tasks (${rows.length})`, async () => platform.info(taskTableText(rows)));
    await platform.addSummary(summaryMarkdown({ ...summaryBase, execution, rows, note }));

    if (result.timedOut) {
      const done = execution.succeed + execution.failed + execution.stopped - result.retrying.length;
      const retrying = result.retrying.length
        ? `, ${result.retrying.length} failed task(s) due for Harbor's retry`
        : '';
      throw new UserError(
        `Replication execution ${executionId} did not finish within ${formatMs(settings.timeout)} (${done} of ${execution.total} tasks done${retrying}); ${
          settings.stopOnTimeout
            ? 'it was stopped'
            : `it goes on in Harbor (set '${platform.inputName(definition.inputs['stop-on-timeout'])}' to stop it)`
        }`,
      );
    }

    const failedTasks = result.tasks.filter((t) => isFailed(t.status));
    if (failedTasks.length > 0) {
      await platform.group(
        `Logs of failed tasks (${Math.min(failedTasks.length, MAX_LOGS)} of ${failedTasks.length})`,
        async () => {
          for (const task of failedTasks.slice(0, MAX_LOGS)) {
            const log = await taskLog(harbor, executionId, task.id).catch(
              (e: Error) => `(log unavailable: ${e.message})`,
            );
            platform.error(
              `Task ${task.id} ${task.src_resource ?? ''} → ${task.dst_resource ?? ''} failed; its log ends:`,
            );
            platform.info(logTail(log), { foreign: true });
          }
        },
      );
      const first = failedTasks[0];
      throw new UserError(
        `Replication execution ${executionId} failed: ${failedTasks.length} of ${result.tasks.length} task(s) failed (first: ${first.src_resource ?? first.id} → ${first.dst_resource ?? '?'}, ${attemptsText(attempts(first))}); see the task table and logs above`,
      );
    }
    const allSucceeded = result.tasks.length > 0 && result.tasks.every((t) => isSucceeded(t.status));
    if (allSucceeded && !isSucceeded(execution.status)) {
      // The tasks are live, the execution's status is refreshed in the background (every 30 s by default).
      platform.warning(
        `Harbor still reports execution ${executionId} as ${execution.status} although all ${result.tasks.length} task(s) succeeded; its status is refreshed in the background and catches up`,
      );
    } else if (!isSucceeded(execution.status)) {
      const reason = execution.status_text ? `: ${execution.status_text}` : '';
      throw new UserError(
        `Replication execution ${executionId} ended ${execution.status}${reason}${hintForNothing(policy, remote?.type)}`,
      );
    }
    if (result.tasks.length === 0) {
      platform.warning(
        `Replication execution ${executionId} copied nothing: the policy's filters matched no artifact${hintForNothing(policy, remote?.type)}`,
      );
      return 'succeeded-with-issues';
    }
    if (settings.destinationCheck && direction === 'push') {
      await checkDestination(settings, ctx, harbor, policy, result.tasks, remote);
    }
    const retried = result.tasks.filter((t) => attempts(t) > 1).length;
    platform.info(
      `Replication execution ${executionId} succeeded: ${result.tasks.length} of ${result.tasks.length} task(s)${retried ? ` (${retried} after Harbor retried them)` : ''}`,
    );
    return 'succeeded';
  } finally {
    await http.close();
  }
}

/**
 * The destination check for a push policy: what the run should have left in the destination (destination-check.ts),
 * read with the destination's own credentials — the destination-username/-password inputs, else the endpoint
 * credentials this run gave Harbor. Harbor never reveals an endpoint's stored password, so with neither the check is
 * skipped and the log says so. Docker Hub's endpoint URL is not its registry API, so it is skipped too.
 */
async function checkDestination(
  settings: Settings,
  ctx: ContextOf<typeof definition>,
  harbor: HarborClient,
  policy: ReplicationPolicy,
  tasks: ReplicationTask[],
  remote: { url?: string; type?: string; name: string } | undefined,
): Promise<void> {
  const { platform } = ctx;
  const name = ctx.label;
  const own = settings.destinationPassword !== undefined;
  const username = own
    ? settings.destinationUsername
    : settings.registryPassword
      ? settings.registryUsername
      : undefined;
  const password = own ? settings.destinationPassword : settings.registryPassword;
  if ((policy.filters ?? []).some((f) => f.type === 'label')) {
    platform.info(`Destination check skipped: the policy has a label filter, which the check does not evaluate`);
    return;
  }
  if (!remote?.url || remote.type === 'docker-hub' || password === undefined) {
    platform.info(
      `Destination check skipped: ${
        remote?.type === 'docker-hub'
          ? 'Docker Hub is not read back'
          : `the step has no credentials for ${remote?.url ?? remote?.name ?? 'the destination'} (Harbor never reveals the endpoint's stored password); give '${name('destination-username')}' and '${name('destination-password')}', or set '${name('destination-check')}' to false`
      }`,
    );
    return;
  }
  const destinationHttp = ctx.http({ insecure: settings.registryInsecure, timeoutMs: 60_000 });
  try {
    const clients = new Map<string, RegistryClient>();
    const client =
      (base: string, credentials: { username?: string; password?: string }, http: HttpClient) =>
      (repository: string) => {
        const key = `${base} ${repository}`;
        let c = clients.get(key);
        if (!c) {
          c = new RegistryClient(http, base, repository, credentials, { onSecret: (v) => platform.setSecret(v) });
          clients.set(key, c);
        }
        return c;
      };
    const expected = await expectedAtDestination(
      harbor,
      policy,
      tasks.filter((t) => isSucceeded(t.status)),
      client(
        new URL(settings.harborUrl).origin,
        { username: settings.username, password: settings.password },
        harbor.http,
      ),
    );
    const destination = new URL(remote.url).origin;
    const missing = await findMissing(
      expected,
      registryReader(client(destination, { username, password }, destinationHttp)),
      (list, fn) => mapLimited(list, 4, fn),
    );
    const host = new URL(remote.url).host;
    if (logDestinationCheck((line) => platform.info(line), expected.length, missing, host)) return;
    throw new UserError(
      `Destination check: ${missing.length} of ${expected.length} expected manifest(s) are not in ${host} after the replication (first: ${missingLine(missing[0])})`,
    );
  } finally {
    await destinationHttp.close();
  }
}

/** How many runs a failed task had: all of Harbor's, or those seen before Harbor stopped re-running it. */
function attemptsText(n: number): string {
  if (n >= HARBOR_MAX_RUNS) return `failed after ${n} attempts`;
  return `failed after ${n} attempt(s) seen; Harbor did not run it again within ${formatMs(HARBOR_RETRY_WINDOW_MS)}`;
}

function progressLine(e: ReplicationExecution): string {
  const done = e.succeed + e.failed + e.stopped;
  return `Execution ${e.id}: ${e.status}, ${done}/${e.total} task(s) done (${e.succeed} succeeded, ${e.failed} failed, ${e.in_progress} in progress)`;
}

/** Docker Hub keeps official images under library/: a filter on `nginx` matches nothing there. */
function hintForNothing(policy: ReplicationPolicy, remoteType: string | undefined): string {
  if (remoteType !== 'docker-hub' || directionOf(policy) !== 'pull') return '';
  const nameFilter = policy.filters?.find((f) => f.type === 'name')?.value;
  if (typeof nameFilter === 'string' && nameFilter && !nameFilter.includes('/')) {
    return `; Docker Hub official images need the library/ prefix: try 'library/${nameFilter}'`;
  }
  return '; on Docker Hub, name filters need the namespace (official images are library/<name>)';
}
