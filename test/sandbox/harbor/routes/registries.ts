import {
  ADAPTERS,
  HttpError,
  checkRegistryName,
  now,
  paginate,
  parseQ,
  qMatches,
  nameParam,
  type Ctx,
  type HarborState,
  type Reply,
  type Routes,
  type StoredRegistry,
} from '../state';
import { RegistryClient } from '../../registry-client';
import { request } from '../../net-utils';

// Registry endpoint routes (src/server/v2.0/handler/registry.go).

export function registryJson(s: HarborState, r: StoredRegistry): unknown {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    type: r.type,
    description: r.description,
    insecure: r.insecure,
    ...(r.ca_certificate ? { ca_certificate: r.ca_certificate } : {}),
    // Harbor never returns a stored secret (src/server/v2.0/handler/replication.go convertRegistry masks it as "*****").
    credential: r.credential
      ? { type: r.credential.type, access_key: r.credential.access_key, access_secret: '*****' }
      : { type: 'basic', access_key: '', access_secret: '' },
    status: 'healthy',
    creation_time: r.creation_time,
    update_time: r.update_time,
  };
}

/**
 * The adapter's health check. Without credentials Harbor only checks that the registry answers (native adapter
 * HealthCheck → PingSimple, which counts 401/403 as healthy: src/pkg/reg/adapter/native/adapter.go); with them it must
 * log in. Unhealthy is 400 "the registry is unhealthy" (ping, and create/update: src/controller/registry/controller.go
 * validate → IsHealthy).
 */
async function requireHealthy(endpoint: {
  url: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  ca?: string;
}): Promise<void> {
  const client = new RegistryClient(endpoint);
  const anonymous = !client.endpoint.username && !client.endpoint.password;
  const healthy = anonymous
    ? await request(`${String(endpoint.url).replace(/\/+$/, '')}/v2/`, {
        ca: client.endpoint.ca,
        insecure: client.endpoint.insecure,
      }).then(
        (res) => [200, 401, 403].includes(res.status),
        () => false,
      )
    : await client.ping().catch(() => false);
  if (!healthy) throw new HttpError(400, 'BAD_REQUEST', 'the registry is unhealthy');
}

export const registriesRoutes = {
  listRegistries(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'registry:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    // The deprecated `name` parameter adds a fuzzy keyword "Name" beside q's "name" (ListRegistries); both filter.
    const list = [...s.registries.values()].filter(
      (r) => qMatches(query.name, r.name) && qMatches(nameParam(ctx), r.name),
    );
    return paginate(ctx, list, (r) => registryJson(s, r));
  },

  async createRegistry(s: HarborState, ctx: Ctx): Promise<Reply> {
    s.requireSystem(ctx.principal, 'registry:create');
    const b = ctx.body ?? {};
    if (!b.name || !b.url) throw new HttpError(400, 'BAD_REQUEST', 'name and url are required');
    checkRegistryName(b.name);
    if (!ADAPTERS.includes(b.type))
      throw new HttpError(400, 'BAD_REQUEST', `invalid registry type ${JSON.stringify(b.type)}`);
    await requireHealthy({
      url: String(b.url),
      username: b.credential?.access_key,
      password: b.credential?.access_secret,
      insecure: !!b.insecure,
      ca: b.ca_certificate ?? undefined,
    });
    if ([...s.registries.values()].some((r) => r.name === b.name))
      throw new HttpError(409, 'CONFLICT', `registry ${b.name} already exists`);
    const t = now();
    const r: StoredRegistry = {
      id: s.registries.size ? Math.max(...s.registries.keys()) + 1 : 1,
      name: b.name,
      url: String(b.url).replace(/\/+$/, ''),
      type: b.type,
      description: b.description ?? '',
      insecure: !!b.insecure,
      ca_certificate: b.ca_certificate ?? undefined,
      credential:
        b.credential?.access_key !== undefined
          ? {
              type: b.credential.type ?? 'basic',
              access_key: b.credential.access_key,
              access_secret: b.credential.access_secret ?? '',
            }
          : undefined,
      creation_time: t,
      update_time: t,
    };
    s.registries.set(r.id, r);
    return { status: 201, headers: { location: `${s.basePath}/registries/${r.id}` } };
  },

  getRegistry(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'registry:read');
    return { status: 200, body: registryJson(s, s.storedRegistry(Number(ctx.params.id))) };
  },

  async updateRegistry(s: HarborState, ctx: Ctx): Promise<Reply> {
    s.requireSystem(ctx.principal, 'registry:update');
    const stored = s.storedRegistry(Number(ctx.params.id));
    const b = ctx.body ?? {};
    if (b.name != null) checkRegistryName(b.name);
    if (b.name && b.name !== stored.name && [...s.registries.values()].some((x) => x.name === b.name))
      throw new HttpError(409, 'CONFLICT', `registry ${b.name} already exists`);
    // The controller applies the changes, then validates the result, health check included, before saving.
    const r: StoredRegistry = { ...stored, credential: stored.credential && { ...stored.credential } };
    if (b.name != null) r.name = b.name;
    if (b.description != null) r.description = b.description;
    if (b.url != null) r.url = String(b.url).replace(/\/+$/, '');
    if (b.insecure != null) r.insecure = b.insecure;
    if (b.ca_certificate != null) r.ca_certificate = b.ca_certificate;
    if (b.access_key != null || b.access_secret != null) {
      r.credential = {
        type: b.credential_type ?? r.credential?.type ?? 'basic',
        access_key: b.access_key ?? r.credential?.access_key ?? '',
        access_secret: b.access_secret ?? r.credential?.access_secret ?? '',
      };
    }
    await requireHealthy({
      url: r.url,
      username: r.credential?.access_key,
      password: r.credential?.access_secret,
      insecure: r.insecure,
      ca: r.ca_certificate,
    });
    r.update_time = now();
    s.registries.set(r.id, r);
    return { status: 200 };
  },

  deleteRegistry(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'registry:delete');
    const r = s.storedRegistry(Number(ctx.params.id));
    const used = [...s.policies.values()].some(
      (p) => p.body.src_registry?.id === r.id || p.body.dest_registry?.id === r.id,
    );
    // src/controller/registry/controller.go Delete: a registry a policy uses is 412.
    if (used) throw new HttpError(412, 'PRECONDITION', `registry ${r.id} is referenced by replication policies`);
    s.registries.delete(r.id);
    return { status: 200 };
  },

  getRegistryInfo(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'registry:read');
    const r = s.storedRegistry(Number(ctx.params.id));
    return {
      status: 200,
      body: {
        type: r.type,
        description: r.description,
        supported_resource_filters: [
          { type: 'name', style: 'input' },
          { type: 'tag', style: 'input' },
        ],
        supported_triggers: ['manual', 'scheduled'],
      },
    };
  },

  /** POST /registries/ping really contacts the registry with the given (or stored) credentials. */
  async pingRegistry(s: HarborState, ctx: Ctx): Promise<Reply> {
    s.requireSystem(ctx.principal, 'registry:read');
    const b = ctx.body ?? {};
    const stored = b.id != null ? s.storedRegistry(Number(b.id)) : undefined;
    const url = b.url ?? stored?.url;
    if (!url) throw new HttpError(400, 'BAD_REQUEST', 'url is required');
    if (b.type != null && !ADAPTERS.includes(b.type))
      throw new HttpError(400, 'BAD_REQUEST', `invalid registry type ${JSON.stringify(b.type)}`);
    // Harbor answers 400 "the registry is unhealthy" when the health check fails (registry handler PingRegistry).
    await requireHealthy({
      url,
      username: b.access_key ?? stored?.credential?.access_key,
      password: b.access_secret ?? stored?.credential?.access_secret,
      insecure: b.insecure ?? stored?.insecure,
      ca: b.ca_certificate ?? stored?.ca_certificate,
    });
    return { status: 200 };
  },

  listRegistryProviderTypes(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-adapter:list');
    return { status: 200, body: ADAPTERS };
  },
} satisfies Routes;
