import { UserError } from '../errors';
import { remoteMessage } from '../http/client';
import { RemoteError } from '../remote-error';
import { exactQuery, HarborClient } from './client';

/**
 * Harbor's registry endpoints (Administration → Registries): the other side of a replication policy. Harbor never
 * returns a stored secret, so an endpoint can be compared on everything but its password; a supplied password is
 * always written (a rotated ACR token must reach Harbor even when nothing else changed).
 */

/**
 * Harbor's `POST /registries/ping` refused the endpoint: `status` is Harbor's answer (400 "the registry is unhealthy"
 * when its health check against the registry failed: src/server/v2.0/handler/registry.go PingRegistry), so callers
 * can decide from it whether waiting can help.
 */
export class RegistryPingError extends UserError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryPingError';
  }
}

/** Adapter names Harbor 2.x registers (src/pkg/reg/model/registry.go); `GET /replication/adapters` lists a live one's. */
export const REGISTRY_TYPES = [
  'harbor',
  'docker-hub',
  'docker-registry',
  'azure-acr',
  'aws-ecr',
  'google-gcr',
  'github-ghcr',
  'gitlab',
  'quay',
  'jfrog-artifactory',
  'ali-acr',
  'huawei-SWR',
  'tencent-tcr',
  'volcengine-cr',
  'dtr',
] as const;

export interface RegistryEndpointSpec {
  name: string;
  /** Harbor's adapter name, e.g. harbor, azure-acr, docker-hub, docker-registry. */
  type: string;
  url: string;
  username?: string;
  /** Register it for masking before calling. */
  password?: string;
  insecure?: boolean;
  description?: string;
}

/** `Registry` in Harbor's swagger; `access_secret` comes back masked (`*****`) or empty. */
export interface Registry {
  id: number;
  name: string;
  type: string;
  url: string;
  insecure?: boolean;
  description?: string;
  status?: string;
  credential?: { type?: string; access_key?: string; access_secret?: string };
}

export interface EnsuredRegistry {
  id: number;
  created: boolean;
  updated: boolean;
}

/** One authenticated read of the registry endpoints: proves the URL, the credentials and the system-level permission. */
export async function checkRegistryAccess(harbor: HarborClient): Promise<void> {
  await replicationScope(() =>
    harbor.call('GET', '/registries', {
      query: { page: 1, page_size: 1 },
      expected: [200],
      what: 'listing registry endpoints',
    }),
  );
}

/** The endpoint called `name`, or undefined. `q=name=…` narrows the list where q can say it; the exact match is checked here. */
export async function findRegistry(harbor: HarborClient, name: string): Promise<Registry | undefined> {
  const found = await replicationScope(() =>
    harbor.list<Registry>('/registries', { q: exactQuery('name', name) }, 'listing registry endpoints'),
  );
  return found.find((r) => r.name === name);
}

export async function getRegistry(harbor: HarborClient, id: number): Promise<Registry> {
  return replicationScope(() =>
    harbor.json<Registry>('GET', `/registries/${id}`, { what: `reading registry endpoint ${id}` }),
  );
}

/**
 * Creates the endpoint `spec.name` or brings it in line with `spec`, pinging it through Harbor before anything is
 * saved so a wrong URL or credential leaves Harbor untouched. `log` receives one line per decision (no secrets).
 */
export async function ensureRegistryEndpoint(
  harbor: HarborClient,
  spec: RegistryEndpointSpec,
  log: (message: string) => void,
): Promise<EnsuredRegistry> {
  const url = spec.url.replace(/\/+$/, '');
  const existing = await findRegistry(harbor, spec.name);
  if (!existing) {
    await pingRegistry(harbor, { ...spec, url });
    const res = await replicationScope(() =>
      harbor.call('POST', '/registries', {
        json: {
          name: spec.name,
          type: spec.type,
          url,
          insecure: spec.insecure ?? false,
          description: spec.description ?? '',
          credential: credentialOf(spec),
        },
        expected: [201],
        retry: false,
        what: `creating registry endpoint '${spec.name}'`,
      }),
    );
    const id = idFromLocation(res.headers.location) ?? (await findRegistry(harbor, spec.name))?.id;
    if (id === undefined)
      throw new UserError(
        `Harbor created registry endpoint '${spec.name}' but did not say its id, and it cannot be found by name`,
      );
    log(`Registry endpoint '${spec.name}' created (id ${id}, ${spec.type}, ${url})`);
    return { id, created: true, updated: false };
  }

  const changes = registryChanges(existing, { ...spec, url });
  const refreshSecret = spec.password !== undefined;
  if (changes.length === 0 && !refreshSecret) {
    log(`Registry endpoint '${spec.name}' (id ${existing.id}) is up to date`);
    return { id: existing.id, created: false, updated: false };
  }
  // Without a new password Harbor pings with the stored one (the id tells it which).
  await pingRegistry(harbor, { ...spec, url }, refreshSecret ? undefined : existing.id);
  const update: Record<string, unknown> = {
    name: spec.name,
    url,
    insecure: spec.insecure ?? existing.insecure ?? false,
  };
  if (spec.description !== undefined) update.description = spec.description;
  if (spec.username !== undefined) {
    update.credential_type = 'basic';
    update.access_key = spec.username;
  }
  if (refreshSecret) update.access_secret = spec.password;
  await replicationScope(() =>
    harbor.call('PUT', `/registries/${existing.id}`, {
      json: update,
      expected: [200],
      what: `updating registry endpoint '${spec.name}'`,
    }),
  );
  const described = [
    ...changes,
    ...(refreshSecret
      ? ['credential refreshed (Harbor never reveals the stored secret, so a supplied one is always written)']
      : []),
  ];
  log(`Registry endpoint '${spec.name}' (id ${existing.id}) updated: ${described.join('; ')}`);
  return { id: existing.id, created: false, updated: true };
}

/** The differences between a stored endpoint and the wanted one, as `field: old → new` lines (never a secret). */
export function registryChanges(existing: Registry, spec: RegistryEndpointSpec): string[] {
  const changes: string[] = [];
  const compare = (field: string, from: unknown, to: unknown) => {
    if (to !== undefined && from !== to) changes.push(`${field}: ${show(from)} → ${show(to)}`);
  };
  if (existing.type !== spec.type) {
    throw new UserError(
      `Registry endpoint '${spec.name}' exists with type '${existing.type}', not '${spec.type}'; Harbor cannot change an endpoint's type: choose another registry name or delete the endpoint`,
    );
  }
  compare('url', existing.url.replace(/\/+$/, ''), spec.url);
  compare('insecure', existing.insecure ?? false, spec.insecure);
  compare('description', existing.description ?? '', spec.description);
  compare('username', existing.credential?.access_key ?? '', spec.username);
  return changes;
}

/**
 * `POST /registries/ping`: Harbor reaches the endpoint with the given credentials. Any answer but 200 becomes one
 * line naming the URL and Harbor's reason, before anything is saved.
 */
export async function pingRegistry(harbor: HarborClient, spec: RegistryEndpointSpec, id?: number): Promise<void> {
  const body: Record<string, unknown> = { type: spec.type, url: spec.url, insecure: spec.insecure ?? false };
  if (id !== undefined) body.id = id;
  if (spec.username !== undefined) {
    body.credential_type = 'basic';
    body.access_key = spec.username;
  }
  // With an id and no new password, Harbor must use the stored secret: an empty one would replace it.
  if (spec.password !== undefined || (id === undefined && spec.username !== undefined))
    body.access_secret = spec.password ?? '';
  const res = await replicationScope(() =>
    harbor.call('POST', '/registries/ping', {
      json: body,
      expected: [200, 400, 404, 500],
      retry: false,
      what: `pinging ${spec.url}`,
    }),
  );
  if (res.status === 200) return;
  const remote = remoteMessage(res);
  const reason = `${res.status}${remote ? `: ${remote}` : ''}`;
  throw new RegistryPingError(
    res.status,
    `Harbor could not reach registry endpoint ${spec.url} as ${spec.username ?? 'anonymous'} (${reason}); nothing was saved: check the registry URL, type and credentials`,
  );
}

function credentialOf(spec: RegistryEndpointSpec): Record<string, string> | undefined {
  if (spec.username === undefined) return undefined;
  return { type: 'basic', access_key: spec.username, access_secret: spec.password ?? '' };
}

/** Harbor's 201 answers carry `Location: /api/v2.0/<collection>/<id>`. */
export function idFromLocation(location: string | undefined): number | undefined {
  const match = /\/(\d+)\/?$/.exec(location ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Registries and replication are system-level APIs: a project robot account gets 403 however its permissions are set.
 * Say so instead of Harbor's bare "forbidden". Whether the account is a project robot is not guessed from its name:
 * the robot prefix is configurable (`robot_name_prefix`, src/lib/config/metadata/metadatalist.go) and only an
 * administrator can read it (GET /configurations; systeminfo does not return it, src/controller/systeminfo/
 * controller.go), so the advice names the case instead of deciding it.
 */
export async function replicationScope<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'permission') {
      throw error.with({
        advice:
          'registry endpoints and replication are system-level APIs, which a project robot account can never use; use a Harbor administrator or a system robot account with the registry and replication permissions',
      });
    }
    throw error;
  }
}

function show(value: unknown): string {
  return value === '' || value === undefined ? "''" : typeof value === 'string' ? `'${value}'` : String(value);
}
