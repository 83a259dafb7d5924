import { InputError, UserError } from '../../errors';
import type { RegistryEndpointSpec } from '../../harbor/registries';
import { fieldsOf, type PolicyFields, type ReplicationPolicy } from '../../harbor/replication';
import type { Platform } from '../../platform';
import { validateHarborCron } from './cron';
import { definition, type Settings } from './definition';

type InputKey = keyof typeof definition.inputs;

/** What the step was asked for, checked on its own before Harbor is called. */
export interface ReplicatePlan {
  /** ensure: create/update the endpoint from the inputs; existing: an endpoint of that name must exist. */
  endpoint?: { mode: 'ensure'; spec: RegistryEndpointSpec } | { mode: 'existing'; name: string };
  policyName: string;
  /** The policy fields given as inputs (registry resolved later); empty when the policy is used as it is. */
  fields: Omit<PolicyFields, 'registry'>;
  /** Whether the policy is to be ensured at all (any policy field or an endpoint was given). */
  ensurePolicy: boolean;
}

/** The inputs that are fields of the replication policy. */
export const POLICY_INPUTS: InputKey[] = [
  'direction',
  'name-filter',
  'tag-filter',
  'tag-match',
  'label-filter',
  'resource-filter',
  'dest-namespace',
  'flattening',
  'trigger',
  'cron',
  'override',
  'speed',
  'copy-by-chunk',
  'deletion',
  'enabled',
];

export function planFromSettings(settings: Settings, platform: Platform): ReplicatePlan {
  const name = (key: InputKey) => platform.inputName(definition.inputs[key]);
  const given = (key: InputKey) => platform.getInput(definition.inputs[key]) !== undefined;
  // Required in policy mode only; the definition cannot say so, since acr-import has no policy.
  const policyName = settings.policyName;
  if (!policyName) throw new InputError(`Input required and not supplied: ${name('policy-name')}`);

  let endpoint: ReplicatePlan['endpoint'];
  if (settings.registryUrl !== undefined) {
    if (!settings.registryName) throw new InputError(`Input '${name('registry-name')}' is required with '${name('registry-url')}': the endpoint is found and kept by that name`);
    if (!settings.registryType) throw new InputError(`Input '${name('registry-type')}' is required with '${name('registry-url')}' (e.g. harbor, azure-acr, docker-hub, docker-registry)`);
    if (settings.registryPassword !== undefined && settings.registryUsername === undefined) {
      throw new InputError(`Input '${name('registry-password')}' needs '${name('registry-username')}'`);
    }
    endpoint = {
      mode: 'ensure',
      spec: {
        name: settings.registryName,
        type: settings.registryType,
        url: settings.registryUrl,
        username: settings.registryUsername,
        password: settings.registryPassword,
        insecure: settings.registryInsecure,
      },
    };
  } else {
    for (const key of ['registry-type', 'registry-username', 'registry-password'] as const) {
      if (given(key)) throw new InputError(`Input '${name(key)}' is only used with '${name('registry-url')}', which is not set`);
    }
    if (settings.registryName) endpoint = { mode: 'existing', name: settings.registryName };
  }

  const fields: ReplicatePlan['fields'] = {
    direction: settings.direction,
    nameFilter: settings.nameFilter,
    tagFilter: settings.tagFilter,
    tagMatch: settings.tagMatch,
    labels: settings.labelFilter,
    resource: settings.resourceFilter,
    destNamespace: settings.destNamespace,
    replaceCount: settings.flattening === undefined ? undefined : settings.flattening === 'all' ? -1 : settings.flattening === 'none' ? 0 : Number(settings.flattening),
    trigger: settings.trigger,
    override: triState(settings.override),
    speed: settings.speed,
    copyByChunk: triState(settings.copyByChunk),
    deletion: triState(settings.deletion),
    enabled: triState(settings.enabled),
  };
  if (settings.cron !== undefined) {
    if (settings.trigger !== undefined && settings.trigger !== 'scheduled') {
      throw new InputError(`Input '${name('cron')}' is only used with '${name('trigger')}' scheduled (got '${settings.trigger}')`);
    }
    fields.cron = validateHarborCron(settings.cron, name('cron'));
  }
  if (settings.trigger === 'event_based' && settings.direction === 'pull') {
    throw new InputError(`Input '${name('trigger')}' event_based works only for push policies: Harbor sees pushes to itself, not to the remote registry`);
  }
  return {
    endpoint,
    policyName,
    fields,
    ensurePolicy: endpoint !== undefined || POLICY_INPUTS.some(given),
  };
}

function triState(value: 'true' | 'false' | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

/**
 * Rules that need the stored policy and the endpoint type: they run on the merged result, before anything is
 * written. Returns warnings; throws for what Harbor would accept but can never work.
 */
export function checkEffectivePolicy(
  plan: ReplicatePlan,
  existing: ReplicationPolicy | undefined,
  remote: { name: string; type?: string } | undefined,
  platform: Platform,
): string[] {
  const name = (key: InputKey) => platform.inputName(definition.inputs[key]);
  const current = existing ? fieldsOf(existing) : undefined;
  const direction = plan.fields.direction ?? current?.direction;
  const trigger = plan.fields.trigger ?? current?.trigger;
  const nameFilter = plan.fields.nameFilter ?? current?.nameFilter ?? '';
  const warnings: string[] = [];

  if (!existing && plan.ensurePolicy) {
    if (!direction) throw new InputError(`Replication policy '${plan.policyName}' does not exist yet; set '${name('direction')}' (push or pull) to create it`);
    if (!remote) {
      throw new InputError(
        `Replication policy '${plan.policyName}' does not exist yet; set '${name('registry-name')}' (with '${name('registry-url')}' to create the endpoint) to create it`,
      );
    }
  }
  if (!existing && !plan.ensurePolicy) {
    throw new UserError(
      `Replication policy '${plan.policyName}' does not exist in Harbor; give '${name('direction')}' and '${name('registry-name')}' (and '${name('registry-url')}' for a new endpoint) to create it`,
    );
  }
  if (!plan.ensurePolicy) return warnings;

  if (trigger === 'event_based' && direction === 'pull') {
    throw new InputError(`Input '${name('trigger')}' event_based works only for push policies; policy '${plan.policyName}' pulls`);
  }
  if (trigger === 'scheduled' && !(plan.fields.cron ?? current?.cron)) {
    throw new InputError(`Input '${name('cron')}' is required with '${name('trigger')}' scheduled, e.g. '0 0 2 * * *'`);
  }
  const matchesAll = nameFilter === '' || /^\*\*?$/.test(nameFilter);
  if (remote?.type === 'azure-acr' && matchesAll) {
    if (direction === 'push') {
      throw new InputError(
        `Push policy '${plan.policyName}' to ACR endpoint '${remote.name}' needs '${name('name-filter')}': ACR tokens with a scope map cannot list the catalog, so Harbor cannot replicate everything; name the repositories the token covers, e.g. 'myproject/**' or '{app,api}'`,
      );
    }
    warnings.push(
      `Pull policy '${plan.policyName}' from ACR endpoint '${remote.name}' has no '${name('name-filter')}': that works only with the ACR admin user or a token allowed to list the catalog; scoped tokens fail to list`,
    );
  }
  if (remote?.type === 'docker-hub' && direction === 'pull' && nameFilter && !matchesAll && !nameFilter.includes('/')) {
    warnings.push(
      `'${name('name-filter')}' '${nameFilter}' has no namespace: Docker Hub official images live under library/, e.g. 'library/${nameFilter}'`,
    );
  }
  if (plan.fields.replaceCount !== undefined && !(plan.fields.destNamespace ?? current?.destNamespace)) {
    warnings.push(`'${name('flattening')}' has no effect without '${name('dest-namespace')}': Harbor keeps the source path`);
  }
  return warnings;
}
