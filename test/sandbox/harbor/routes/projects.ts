import {
  HttpError,
  PROJECT_NAME,
  paginate,
  parseBool,
  parseQ,
  qMatches,
  nameParam,
  type Ctx,
  type HarborState,
  type Principal,
  type Project,
  type Reply,
  type Routes,
} from '../state';
import { REPLICATION_SYSTEM_PERMISSIONS, ROLE_IDS, type Permission } from '../../harbor-rbac';

// Project routes (src/server/v2.0/handler/project.go).

function projectJson(s: HarborState, p: Project, principal: Principal, repoCount: number): unknown {
  const role = s.role(principal, p);
  return {
    project_id: p.project_id,
    owner_id: p.owner_id,
    owner_name: p.owner_name,
    name: p.name,
    creation_time: p.creation_time,
    update_time: p.update_time,
    deleted: false,
    togglable: true,
    current_user_role_id: role ? ROLE_IDS[role] : 0,
    current_user_role_ids: role ? [ROLE_IDS[role]] : [],
    repo_count: repoCount,
    metadata: { public: String(p.public) },
    cve_allowlist: {
      id: 0,
      project_id: p.project_id,
      items: [],
      creation_time: p.creation_time,
      update_time: p.update_time,
    },
  };
}

/**
 * Which projects ListProjects shows (handler/project.go): all to an administrator, public ones to anonymous, a user's
 * memberships and the public ones to a user, and to a robot the projects its permissions name plus the public ones —
 * whatever those permissions are; a system robot whose project permissions cover all projects sees all (the
 * emulator's system robots hold theirs for every project).
 */
function visibleProject(s: HarborState, p: Principal, project: Project): boolean {
  if (p.kind === 'robot')
    return project.public || p.project === project.name || (p.level === 'system' && hasProjectPermission(p));
  return s.can(p, project, 'project:read') || s.can(p, project, 'repository:pull');
}

/** Whether a system robot holds any project-level permission (anything but the system resources of harbor-rbac). */
function hasProjectPermission(p: Extract<Principal, { kind: 'robot' }>): boolean {
  return [...p.permissions].some((x) => !REPLICATION_SYSTEM_PERMISSIONS.has(x));
}

/**
 * project_name_or_id: a number is an id unless X-Is-Resource-Name is true (swagger parameters.isResourceName;
 * src/server/v2.0/handler/util.go parseProjectNameOrID).
 */
function findProject(s: HarborState, ctx: Ctx, value: string, permission: Permission = 'project:read'): Project {
  const byName = parseBool(String(ctx.req.headers['x-is-resource-name'] ?? 'false'));
  const project =
    !byName && /^\d+$/.test(value)
      ? [...s.projects.values()].find((p) => p.project_id === Number(value))
      : s.projects.get(value);
  // GetProject and DeleteProject call RequireProjectAccess before they look the project up (handler/project.go).
  return s.requireProjectAccess(ctx.principal, project, value, permission);
}

export const projectsRoutes = {
  async listProjects(s: HarborState, ctx: Ctx): Promise<Reply> {
    const q = ctx.url.searchParams;
    const query = parseQ(q.get('q'));
    // The `name` parameter replaces q's name with a fuzzy match (ListProjects builds q.FuzzyMatchValue).
    const name = nameParam(ctx) ?? query.name;
    const pub = q.get('public') ?? (query.public?.kind === 'exact' ? query.public.value : undefined);
    let list = [...s.projects.values()].filter((p) => visibleProject(s, ctx.principal, p));
    list = list.filter((p) => qMatches(name, p.name));
    if (pub !== undefined) list = list.filter((p) => String(p.public) === String(parseBool(pub)));
    const repos = await s.repositoryNames();
    return paginate(
      ctx,
      list.sort((a, b) => a.project_id - b.project_id),
      (p) => projectJson(s, p, ctx.principal, repos.filter((r) => r.startsWith(p.name + '/')).length),
    );
  },

  headProject(s: HarborState, ctx: Ctx): Reply {
    // RequireAuthenticated first: anonymous (or refused credentials) gets 401 (src/server/v2.0/handler/project.go HeadProject).
    if (ctx.principal.kind === 'anonymous') s.deny(ctx.principal, 'check projects');
    const name = ctx.url.searchParams.get('project_name') ?? '';
    return { status: s.projects.has(name) ? 200 : 404 };
  },

  /**
   * handler/project.go CreateProject: authenticated callers only, never a project robot; with the default
   * project_creation_restriction (everyone) no permission is checked. The name rule is 400 (src/pkg/project/manager.go
   * Create), a taken name 409 (src/pkg/project/dao/dao.go Create).
   */
  createProject(s: HarborState, ctx: Ctx): Reply {
    const p = ctx.principal;
    if (p.kind === 'anonymous') s.deny(p, 'create a project');
    if (p.kind === 'robot' && p.level !== 'system') s.deny(p, 'create a project');
    const name: string = ctx.body?.project_name ?? '';
    if (!PROJECT_NAME.test(name) || name.length > 255)
      throw new HttpError(400, 'BAD_REQUEST', `project name ${JSON.stringify(name)} is invalid`);
    if (s.projects.has(name)) throw new HttpError(409, 'CONFLICT', `the project named ${name} already exists`);
    const isPublic =
      ctx.body?.metadata?.public !== undefined ? ctx.body.metadata.public === 'true' : ctx.body?.public === true;
    const project = s.createProject(name, isPublic, p);
    const inName = parseBool(String(ctx.req.headers['x-resource-name-in-location'] ?? 'false'));
    return {
      status: 201,
      headers: { location: `${s.basePath}/projects/${inName ? project.name : project.project_id}` },
    };
  },

  async getProject(s: HarborState, ctx: Ctx): Promise<Reply> {
    const project = findProject(s, ctx, ctx.params.project_name_or_id);
    const repos = await s.repositoryNames();
    return {
      status: 200,
      body: projectJson(s, project, ctx.principal, repos.filter((r) => r.startsWith(project.name + '/')).length),
    };
  },

  async deleteProject(s: HarborState, ctx: Ctx): Promise<Reply> {
    const project = findProject(s, ctx, ctx.params.project_name_or_id, 'project:delete');
    const repos = await s.repositoryNames();
    if (repos.some((r) => r.startsWith(project.name + '/'))) {
      // Harbor refuses to delete a project that still has repositories: 412 (handler/project.go DeleteProject, deletable).
      throw new HttpError(412, 'PRECONDITION', `the project ${project.name} contains repositories, can not be deleted`);
    }
    s.projects.delete(project.name);
    return { status: 200 };
  },
} satisfies Routes;
