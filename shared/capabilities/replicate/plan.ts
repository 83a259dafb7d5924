import { specificPaths } from './specific-path';
import { checkRepository } from '../../oci/reference';
import { InputError, UserError } from '../../errors';
import type { RegistryEndpointSpec } from '../../harbor/registries';
import { fieldsOf, type PolicyFields, type ReplicationPolicy } from '../../harbor/replication';
import type { Platform } from '../../platform';
import { validateHarborCron } from './cron';
import { definition, type Settings } from './definition';
import { stepContext } from '../../step-context';

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
const POLICY_INPUTS: InputKey[] = [
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
  const name = stepContext(definition, platform).label;
  const given = (key: InputKey) => platform.getInput(definition.inputs[key]) !== undefined;
  const policyName = settings.policyName;

  let endpoint: ReplicatePlan['endpoint'];
  if (settings.registryUrl !== undefined) {
    if (!settings.registryName)
      throw new InputError(
        `Input '${name('registry-name')}' is required with '${name('registry-url')}': the endpoint is found and kept by that name`,
      );
    if (!settings.registryType)
      throw new InputError(
        `Input '${name('registry-type')}' is required with '${name('registry-url')}' (e.g. harbor, azure-acr, docker-hub, docker-registry)`,
      );
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
      if (given(key))
        throw new InputError(`Input '${name(key)}' is only used with '${name('registry-url')}', which is not set`);
    }
    if (settings.registryName) endpoint = { mode: 'existing', name: settings.registryName };
  }

  // Harbor refuses both after the endpoint was already saved; refused here, before any write.
  // Harbor validates dest_namespace with lib.RepositoryNameRe (src/controller/replication/model/model.go, Valid).
  if (settings.destNamespace) checkRepository(settings.destNamespace, name('dest-namespace'));
  if (settings.tagMatch && !settings.tagFilter)
    throw new InputError(`Input '${name('tag-match')}' needs '${name('tag-filter')}'`);

  const fields: ReplicatePlan['fields'] = {
    direction: settings.direction,
    nameFilter: settings.nameFilter,
    tagFilter: settings.tagFilter,
    tagMatch: settings.tagMatch,
    labels: settings.labelFilter,
    resource: settings.resourceFilter,
    destNamespace: settings.destNamespace,
    replaceCount:
      settings.flattening === undefined
        ? undefined
        : settings.flattening === 'all'
          ? -1
          : settings.flattening === 'none'
            ? 0
            : Number(settings.flattening),
    trigger: settings.trigger,
    override: triState(settings.override),
    speed: settings.speed,
    copyByChunk: triState(settings.copyByChunk),
    deletion: triState(settings.deletion),
    enabled: triState(settings.enabled),
  };
  if (settings.cron !== undefined) {
    if (settings.trigger !== undefined && settings.trigger !== 'scheduled') {
      throw new InputError(
        `Input '${name('cron')}' is only used with '${name('trigger')}' scheduled (got '${settings.trigger}')`,
      );
    }
    fields.cron = validateHarborCron(settings.cron, name('cron'));
  }
  if (settings.trigger === 'event_based' && settings.direction === 'pull') {
    throw new InputError(
      `Input '${name('trigger')}' event_based works only for push policies: Harbor sees pushes to itself, not to the remote registry`,
    );
  }
  return {
    endpoint,
    policyName,
    fields,
    ensurePolicy: endpoint !== undefined || POLICY_INPUTS.some(given),
  };
}

/**
 * Who an azure-acr endpoint logs in as: the admin user is named after the registry (the login server's first label),
 * a service principal by its client id (a GUID); anything else is a repository-scoped token.
 */
function acrAccountKind(remote: {
  username?: string;
  url?: string;
}): 'admin' | 'service-principal' | 'token' | 'unknown' {
  const user = remote.username?.toLowerCase();
  if (!user) return 'unknown';
  let host = '';
  try {
    host = new URL(remote.url ?? '').hostname.toLowerCase();
  } catch {
    // no URL: the admin user cannot be recognised
  }
  if (host && user === host.split('.')[0]) return 'admin';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(user)) return 'service-principal';
  return 'token';
}

/** `shop/**` → `shop/{app,api}`: the filter's fixed prefix with an example group in place of the wildcard part. */
function exactSuggestion(filter: string): string {
  const fixed = filter.split('/').filter((segment) => specificPaths(segment) !== undefined && !segment.includes('{'));
  const kept = fixed.length < filter.split('/').length ? fixed : fixed.slice(0, -1);
  return [...kept, '{app,api}'].join('/');
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
  /** `username`: the endpoint's account (access_key), when known; `url`: its registry URL. */
  remote: { name: string; type?: string; username?: string; url?: string } | undefined,
  platform: Platform,
): string[] {
  const name = stepContext(definition, platform).label;
  const current = existing ? fieldsOf(existing) : undefined;
  const direction = plan.fields.direction ?? current?.direction;
  const trigger = plan.fields.trigger ?? current?.trigger;
  const nameFilter = plan.fields.nameFilter ?? current?.nameFilter ?? '';
  const warnings: string[] = [];

  if (!existing && plan.ensurePolicy) {
    if (!direction)
      throw new InputError(
        `Replication policy '${plan.policyName}' does not exist yet; set '${name('direction')}' (push or pull) to create it`,
      );
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
    throw new InputError(
      `Input '${name('trigger')}' event_based works only for push policies; policy '${plan.policyName}' pulls`,
    );
  }
  if (trigger === 'event_based' && existing?.single_active_replication) {
    // Harbor refuses the combination with a bare error, which it answers as 500 (CreateReplicationPolicy /
    // UpdateReplicationPolicy in src/server/v2.0/handler/replication.go, v2.15.2).
    throw new InputError(
      `Input '${name('trigger')}' event_based cannot be combined with policy '${plan.policyName}''s "single active replication" setting (Harbor refuses it); switch that setting off in Harbor first or keep the '${current?.trigger}' trigger`,
    );
  }
  if (trigger === 'scheduled' && !(plan.fields.cron ?? current?.cron)) {
    throw new InputError(`Input '${name('cron')}' is required with '${name('trigger')}' scheduled, e.g. '0 0 2 * * *'`);
  }
  const matchesAll = nameFilter === '' || /^\*\*?$/.test(nameFilter);
  if (remote?.type === 'azure-acr' && direction === 'push' && matchesAll) {
    // Harbor lists its own repositories for a push; ACR then accepts pushes only to the repositories the token's scope
    // map names, so every other repository's task fails.
    throw new InputError(
      `Push policy '${plan.policyName}' to ACR endpoint '${remote.name}' needs '${name('name-filter')}': an ACR token can push only to the repositories its scope map names, so replicating every repository fails for all the others; name the repositories the token covers, e.g. 'myproject/**' or 'myproject/{app,api}'`,
    );
  }
  if (remote?.type === 'azure-acr' && direction === 'pull' && !specificPaths(nameFilter)) {
    // Harbor's azure-acr adapter (the native one) lists the ACR catalog unless the filter is an exact path
    // (pattern.go IsSpecificPath), and ACR refuses the catalog to repository-scoped tokens (Microsoft's ACR docs:
    // "Repository-scoped permissions do not support the ability to list the catalog").
    const filterText = nameFilter
      ? `'${name('name-filter')}' '${nameFilter}' is not an exact repository path`
      : `there is no '${name('name-filter')}'`;
    const suggestion = `name the repositories exactly, e.g. '${exactSuggestion(nameFilter)}' (one {a,b} group per path segment)`;
    const kind = acrAccountKind(remote);
    if (kind === 'token') {
      throw new InputError(
        `Pull policy '${plan.policyName}' from ACR endpoint '${remote.name}': ${filterText}, so Harbor would list the registry catalog, which ACR refuses to token ${remote.username}; ${suggestion}`,
      );
    }
    if (kind !== 'admin') {
      warnings.push(
        `Pull policy '${plan.policyName}' from ACR endpoint '${remote.name}': ${filterText}, so Harbor lists the registry catalog; that works only for the admin user or an identity allowed to list it, never for an ACR token: ${suggestion}`,
      );
    }
  }
  if (remote?.type === 'docker-hub' && direction === 'pull' && nameFilter && !matchesAll && !nameFilter.includes('/')) {
    warnings.push(
      `'${name('name-filter')}' '${nameFilter}' has no namespace: Docker Hub official images live under library/, e.g. 'library/${nameFilter}'`,
    );
  }
  if (plan.fields.replaceCount !== undefined && !(plan.fields.destNamespace ?? current?.destNamespace)) {
    warnings.push(
      `'${name('flattening')}' has no effect without '${name('dest-namespace')}': Harbor keeps the source path`,
    );
  }
  return warnings;
}
