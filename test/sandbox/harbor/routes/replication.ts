import {
  HttpError,
  now,
  paginate,
  parseQ,
  qMatches,
  nameParam,
  type Ctx,
  type HarborState,
  type Policy,
  type Reply,
  type Routes,
} from '../state';
import { registryJson } from './registries';
import type { Execution } from '../../harbor-jobservice';
import { harborCronParses } from '../../harbor-cron';

// Replication policy and execution routes (src/server/v2.0/handler/replication.go); executions run in the
// emulator's jobservice (../harbor-jobservice.ts).

function localRegistryJson(s: HarborState): Record<string, unknown> {
  // Harbor shows the local side of a policy as registry 0 named "Local" (replication policy model ToSwagger).
  return {
    id: 0,
    name: 'Local',
    type: 'harbor',
    url: s.url,
    insecure: true,
    credential: { type: 'secret', access_key: '', access_secret: '*****' },
    status: 'healthy',
    description: '',
  };
}

function policyJson(s: HarborState, p: Policy): unknown {
  const side = (r: any) => (r?.id ? registryJson(s, s.storedRegistry(r.id)) : localRegistryJson(s));
  return {
    id: p.id,
    name: p.body.name,
    description: p.body.description ?? '',
    src_registry: side(p.body.src_registry),
    dest_registry: side(p.body.dest_registry),
    dest_namespace: p.body.dest_namespace ?? '',
    dest_namespace_replace_count: p.body.dest_namespace_replace_count,
    ...(p.body.trigger ? { trigger: p.body.trigger } : {}),
    filters: p.body.filters,
    // convertReplicationPolicy shows the one stored flag under both names.
    replicate_deletion: p.body.replicate_deletion,
    deletion: p.body.replicate_deletion,
    override: p.body.override,
    enabled: p.body.enabled,
    speed: p.body.speed,
    copy_by_chunk: p.body.copy_by_chunk,
    single_active_replication: p.body.single_active_replication,
    creation_time: p.creation_time,
    update_time: p.update_time,
  };
}

/**
 * The policy CreateReplicationPolicy/UpdateReplicationPolicy build from the request (src/server/v2.0/handler/
 * replication.go): only the registries' ids, Go's zero value for what the request leaves out (override and enabled
 * false, no trigger), -1 for an absent dest_namespace_replace_count, a negative speed as 0 — and the deletion flag from
 * the deprecated `deletion` field alone: `replicate_deletion` in a request is ignored (ReplicateDeletion:
 * params.Policy.Deletion).
 */
function storedPolicy(b: any): Record<string, any> {
  const side = (r: any) => (r ? { id: r.id ?? 0 } : undefined);
  return {
    name: b?.name ?? '',
    description: b?.description ?? '',
    src_registry: side(b?.src_registry),
    dest_registry: side(b?.dest_registry),
    dest_namespace: b?.dest_namespace ?? '',
    dest_namespace_replace_count: b?.dest_namespace_replace_count ?? -1,
    trigger: b?.trigger
      ? {
          type: b.trigger.type ?? '',
          ...(b.trigger.trigger_settings ? { trigger_settings: { cron: b.trigger.trigger_settings.cron ?? '' } } : {}),
        }
      : undefined,
    filters: (b?.filters ?? []).map((f: any) => ({
      type: f.type ?? '',
      value: f.value,
      ...(f.decoration ? { decoration: f.decoration } : {}),
    })),
    replicate_deletion: !!b?.deletion,
    override: !!b?.override,
    enabled: !!b?.enabled,
    speed: Math.max(0, b?.speed ?? 0),
    copy_by_chunk: !!b?.copy_by_chunk,
    single_active_replication: !!b?.single_active_replication,
  };
}

function validatePolicy(s: HarborState, b: any, selfId?: number): void {
  if (!b?.name) throw new HttpError(400, 'BAD_REQUEST', 'policy name is required');
  if ([...s.policies.values()].some((p) => p.body.name === b.name && p.id !== selfId))
    throw new HttpError(409, 'CONFLICT', `policy ${b.name} already exists`);
  const src = b.src_registry?.id ?? 0;
  const dest = b.dest_registry?.id ?? 0;
  // Exactly one side is remote: push-based (src local) or pull-based (dest local) (replication policy Validate()).
  if ((src === 0) === (dest === 0))
    throw new HttpError(400, 'BAD_REQUEST', 'either src_registry or dest_registry must be a remote registry, not both');
  for (const id of [src, dest])
    if (id && !s.registries.has(id)) throw new HttpError(400, 'BAD_REQUEST', `registry ${id} not found`);
  // Policy.Validate (src/controller/replication/model/model.go): a scheduled trigger's cron is not empty, parses
  // (../../harbor-cron.ts), starts with 0 seconds and its minutes are not '*'.
  if (b.trigger?.type === 'scheduled') {
    const cron = String(b.trigger.trigger_settings?.cron ?? '');
    if (!cron)
      throw new HttpError(400, 'BAD_REQUEST', 'the cron string cannot be empty when the trigger type is scheduled');
    if (!harborCronParses(cron))
      throw new HttpError(400, 'BAD_REQUEST', `invalid cron string for scheduled trigger: ${cron}`);
    const parts = cron.split(' ');
    if (parts[0] !== '0')
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'the 1st field (indicating Seconds of time) of the cron setting must be 0',
      );
    if (parts[1] === '*')
      throw new HttpError(
        400,
        'BAD_REQUEST',
        '* is not allowed for the Minutes field of the cron setting of replication policy',
      );
  }
  // CreateReplicationPolicy/UpdateReplicationPolicy (src/server/v2.0/handler/replication.go): single active
  // replication with an event_based trigger is refused through SendError with a plain error, i.e. 500.
  if (b.trigger?.type === 'event_based' && b.single_active_replication) {
    throw new HttpError(500, 'UNKNOWN', 'single active replication is not allowed for event_based triggers');
  }
  const count = b.dest_namespace_replace_count;
  if (count != null && (count < -1 || count > 127))
    throw new HttpError(400, 'BAD_REQUEST', 'invalid dest_namespace_replace_count');
}

function policy(s: HarborState, id: number): Policy {
  const p = s.policies.get(id);
  if (!p) throw new HttpError(404, 'NOT_FOUND', `policy ${id} not found`);
  return p;
}

function execution(s: HarborState, id: number): Execution {
  const e = s.jobservice.get(id);
  if (!e) throw new HttpError(404, 'NOT_FOUND', `execution ${id} not found`);
  return e;
}

export const replicationRoutes = {
  listReplicationPolicies(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-policy:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    // The deprecated `name` parameter adds a fuzzy keyword "Name" beside q's "name" (ListReplicationPolicies).
    const list = [...s.policies.values()].filter(
      (p) => qMatches(query.name, p.body.name) && qMatches(nameParam(ctx), p.body.name),
    );
    return paginate(ctx, list, (p) => policyJson(s, p));
  },

  createReplicationPolicy(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-policy:create');
    validatePolicy(s, ctx.body);
    const t = now();
    const id = s.policies.size ? Math.max(...s.policies.keys()) + 1 : 1;
    s.policies.set(id, { id, body: storedPolicy(ctx.body), creation_time: t, update_time: t });
    return { status: 201, headers: { location: `${s.basePath}/replication/policies/${id}` } };
  },

  getReplicationPolicy(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-policy:read');
    return { status: 200, body: policyJson(s, policy(s, Number(ctx.params.id))) };
  },

  updateReplicationPolicy(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-policy:update');
    const p = policy(s, Number(ctx.params.id));
    validatePolicy(s, ctx.body, p.id);
    // The handler builds the whole policy from the request: PUT replaces, it does not merge.
    p.body = storedPolicy(ctx.body);
    p.update_time = now();
    return { status: 200 };
  },

  deleteReplicationPolicy(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication-policy:delete');
    const p = policy(s, Number(ctx.params.id));
    // DeletePolicy deletes the executions first, refusing one not final (src/pkg/task/execution.go Delete: 412).
    if (s.jobservice.hasRunning(p.id)) {
      throw new HttpError(412, 'PRECONDITION', `policy ${p.id} has running executions`);
    }
    s.policies.delete(p.id);
    return { status: 200 };
  },

  startReplication(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:create');
    const policyId = Number(ctx.body?.policy_id);
    const policy = s.policies.get(policyId);
    // GetPolicy reads the policy, then both registries (populateRegistry): either missing is 404
    // (src/server/v2.0/handler/replication.go StartReplication, src/controller/replication/policy.go,
    // src/pkg/replication/dao/dao.go and src/pkg/reg/dao/dao.go at v2.15.2).
    if (!policy) throw new HttpError(404, 'NOT_FOUND', `replication policy ${policyId} not found`);
    for (const side of [policy.body.src_registry, policy.body.dest_registry]) {
      if (side?.id && !s.registries.has(side.id))
        throw new HttpError(404, 'NOT_FOUND', `registry ${side.id} not found`);
    }
    // A disabled policy cannot be executed (src/controller/replication/execution.go Start: PreconditionCode).
    if (!policy.body.enabled) throw new HttpError(412, 'PRECONDITION', `the policy ${policyId} is disabled`);
    // Single active replication: while an execution of the policy is Running, the new one is created already failed,
    // and the API still answers 201 with its Location (src/controller/replication/execution.go Start).
    const id =
      policy.body.single_active_replication && s.jobservice.hasRunning(policyId)
        ? s.jobservice.skip(policyId, 'Execution skipped: active replication still in progress.')
        : s.jobservice.start(policyId, policy.body);
    return { status: 201, headers: { location: `${s.basePath}/replication/executions/${id}` } };
  },

  listReplicationExecutions(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:list');
    const q = ctx.url.searchParams;
    let list = s.jobservice.list();
    // Newest first (the execution DAO's default, StartTime `sort:"default:desc"` in src/pkg/task/dao/model.go) unless
    // sorted ascending explicitly (sort=start_time or sort=id); the pack asks for -start_time.
    if (q.get('sort') === 'start_time' || q.get('sort') === 'id') list = list.reverse();
    if (q.get('policy_id')) list = list.filter((e) => e.policy_id === Number(q.get('policy_id')));
    if (q.get('status')) list = list.filter((e) => e.status === q.get('status'));
    if (q.get('trigger')) list = list.filter((e) => e.trigger === q.get('trigger'));
    return paginate(ctx, list, (e) => s.jobservice.json(e, true));
  },

  getReplicationExecution(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:read');
    return { status: 200, body: s.jobservice.json(execution(s, Number(ctx.params.id)), true) };
  },

  stopReplication(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:create');
    s.jobservice.stop(execution(s, Number(ctx.params.id)));
    return { status: 200 };
  },

  listReplicationTasks(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:list');
    const e = execution(s, Number(ctx.params.id));
    const q = ctx.url.searchParams;
    // Without sort=, the task DAO's default order: start time, then id, both descending, so tasks not run yet (zero
    // start) come last (src/pkg/task/dao/model.go Task.GetDefaultSorts).
    let tasks = [...s.jobservice.readTasks(e)].sort(
      (a, b) => (b.start_time ?? '').localeCompare(a.start_time ?? '') || b.id - a.id,
    );
    if (q.get('status')) tasks = tasks.filter((t) => t.status === q.get('status'));
    if (q.get('resource_type')) tasks = tasks.filter((t) => t.resource_type === q.get('resource_type'));
    return paginate(ctx, tasks, (t) => s.jobservice.taskJson(t));
  },

  getReplicationLog(s: HarborState, ctx: Ctx): Reply {
    s.requireSystem(ctx.principal, 'replication:read');
    const e = execution(s, Number(ctx.params.id));
    const task = e.tasks.find((t) => t.id === Number(ctx.params.task_id));
    if (!task) throw new HttpError(404, 'NOT_FOUND', `task ${ctx.params.task_id} not found`);
    return { status: 200, text: task.log.join('\n') + '\n' };
  },
} satisfies Routes;
