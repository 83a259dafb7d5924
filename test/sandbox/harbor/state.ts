import * as http from 'node:http';
import { Jobservice, ReplicationTimings } from '../harbor-jobservice';
import { ReplicationEndpoint } from '../harbor-replication';
import { Credentials, randomSecret } from '../registry-launcher';
import { RegistryClient } from '../registry-client';
import { MatchedOperation } from '../swagger-contract';
import { ScanJobs, ScanTimings } from '../harbor-scan-jobs';
import { Accessories } from './accessories';
import type { ImmutableRule, ProjectQuota } from './registry-policies';
import {
  Permission,
  ProjectRole,
  PUBLIC_PROJECT_PERMISSIONS,
  REPLICATION_SYSTEM_PERMISSIONS,
  robotPermissions,
  ROLE_PERMISSIONS,
} from '../harbor-rbac';

// The state the emulator's route modules share: accounts, projects, registries, policies, the scan and replication
// job runners, and the identity and permission rules every handler applies (Harbor's security middleware and RBAC).

export interface UserConfig {
  username: string;
  password: string;
  sysadmin?: boolean;
  /** Project memberships; the creator of a project becomes its projectAdmin. */
  projects?: Record<string, ProjectRole>;
  /** OIDC mode: the user's CLI secret (what `docker login` and API clients send instead of a password). */
  cliSecret?: string;
}

export interface RobotConfig {
  /** Short name; the account is `robot$<name>` (system) or `robot$<project>+<name>` (project), as Harbor names them (`robot$` is the configurable prefix). */
  name: string;
  secret?: string;
  level: 'system' | 'project';
  project?: string;
  /**
   * Exactly what the robot may do, as Harbor's robot permissions: `resource:action` pairs (`artifact:read`, `scan:create`;
   * `pull`/`push` are short for `repository:pull`/`repository:push`). A project robot's apply to its project, a system
   * robot's to every project. Default: push and pull for a project robot; every project permission for a system robot
   * (which may also manage registries and replication).
   */
  permissions?: Array<'pull' | 'push' | Permission>;
}

export type Principal =
  | { kind: 'anonymous'; name: 'anonymous' }
  | { kind: 'user'; name: string; id: number; sysadmin: boolean }
  | {
      kind: 'robot';
      name: string;
      id: number;
      level: 'system' | 'project';
      project?: string;
      permissions: Set<Permission>;
    }
  | { kind: 'internal'; name: string };

export interface Project {
  project_id: number;
  name: string;
  public: boolean;
  owner_id: number;
  owner_name: string;
  creation_time: string;
  update_time: string;
  members: Map<string, ProjectRole>;
}

export interface StoredRegistry {
  id: number;
  name: string;
  url: string;
  type: string;
  description: string;
  insecure: boolean;
  ca_certificate?: string;
  credential?: { type: string; access_key: string; access_secret: string };
  creation_time: string;
  update_time: string;
}

export interface Policy {
  id: number;
  body: Record<string, any>;
  creation_time: string;
  update_time: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface Ctx {
  req: http.IncomingMessage;
  url: URL;
  principal: Principal;
  matched: MatchedOperation;
  params: Record<string, string>;
  body: any;
}

/** The checkers Harbor registers with Trivy installed (src/controller/health/checker.go RegisterHealthCheckers). */
export const HEALTH_COMPONENTS = [
  'core',
  'database',
  'jobservice',
  'portal',
  'redis',
  'registry',
  'registryctl',
  'trivy',
];
/** Harbor's project name rule, 400 otherwise (src/pkg/project/manager.go Create): lower case, digits, separators inside. */
export const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Adapters a stock Harbor registers (GET /replication/adapters); the emulator can copy with any Distribution-based one. */
export const ADAPTERS = ['azure-acr', 'docker-hub', 'docker-registry', 'harbor', 'github-ghcr', 'quay'];
export const now = () => new Date().toISOString();
/**
 * What GET /systeminfo shows as `harbor_version`: `<ReleaseVersion>-<GitCommit>` (src/controller/systeminfo/
 * controller.go GetInfo; the Makefile stamps both, GitCommit as 8 hex). By default v2.15.2 with its tag's commit.
 */
export const harborVersion = (options: StateOptions) => options.harborVersion ?? 'v2.15.2-080b0220';

/** What the emulator was started with that handlers read. */
export interface StateOptions {
  /** GET /systeminfo's `harbor_version` (default `v2.15.2-080b0220`); also picks the release's accessory typing. */
  harborVersion?: string;
  /** Harbor's auth_mode; `oidc_auth` lets users in only with their CLI secret, on a few paths. */
  authMode?: 'db_auth' | 'oidc_auth';
  /** Harbor's `robot_name_prefix` (default `robot$`, src/lib/config/metadata/metadatalist.go). */
  robotNamePrefix?: string;
  scanTimings?: Partial<ScanTimings>;
  replicationTimings?: Partial<ReplicationTimings>;
}

/** A route handler: one Harbor API operation (its swagger operationId is the key in the route table). */
export type Handler = (s: HarborState, ctx: Ctx) => Reply | Promise<Reply>;
export type Routes = Record<string, Handler>;

export class HarborState {
  url = '';
  host = '';
  caPem?: string;
  registryClient!: RegistryClient;
  readonly jobserviceCredentials: Credentials = { username: 'harbor-jobservice', password: randomSecret() };
  readonly jobservice: Jobservice;
  readonly users = new Map<string, UserConfig & { id: number; creation_time: string }>();
  readonly robots = new Map<string, RobotConfig & { id: number; fullName: string; secret: string }>();
  readonly projects = new Map<string, Project>();
  readonly sessions = new Map<string, string>();
  readonly csrfToken = randomSecret(24);
  readonly artifactIds = new Map<string, number>();
  readonly repoIds = new Map<string, number>();
  readonly firstSeen = new Map<string, string>();
  readonly scans: ScanJobs;
  readonly registries = new Map<number, StoredRegistry>();
  readonly policies = new Map<number, Policy>();
  readonly health = new Map<string, { status: 'healthy' | 'unhealthy'; error?: string }>();
  /** Storage quota per project (./registry-policies.ts). */
  readonly quotas = new Map<string, ProjectQuota>();
  /** Immutable tag rules per project (./registry-policies.ts). */
  readonly immutableRules = new Map<string, ImmutableRule[]>();
  /** Accessories by subject (./accessories.ts). */
  readonly accessories: Accessories;
  seq = 100;

  constructor(
    readonly basePath: string,
    readonly options: StateOptions,
  ) {
    this.accessories = new Accessories(() => new Date().toISOString(), harborVersion(options));
    this.scans = new ScanJobs({ queuedMs: 0, pendingMs: 200, runningMs: 300, ...options.scanTimings });
    this.jobservice = new Jobservice(
      {
        endpointFor: (side) => this.endpointFor(side),
        ensureLocalProject: (name) => {
          if (!this.projects.has(name)) this.createProject(name, false, undefined);
        },
      },
      options.replicationTimings,
    );
    for (const c of HEALTH_COMPONENTS) this.health.set(c, { status: 'healthy' });
  }

  /** Robot names start with it; only such names are robots (config.RobotPrefix in security/robot.go, oidc_cli.go). */
  get robotNamePrefix(): string {
    return this.options.robotNamePrefix ?? 'robot$';
  }

  authenticate(req: http.IncomingMessage): Principal {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const [username, secret] = [decoded.slice(0, i), decoded.slice(i + 1)];
      // Failed Basic or robot authentication yields no security context, so the request runs as anonymous
      // (src/server/middleware/security/basic_auth.go, robot.go; security.go UnauthorizedMiddleware).
      return (
        this.oidcCli(req, username, secret) ?? this.login(username, secret) ?? { kind: 'anonymous', name: 'anonymous' }
      );
    }
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
    if (sid) {
      const user = this.sessions.get(sid);
      if (!user) throw new HttpError(401, 'UNAUTHORIZED', 'session expired');
      const u = this.users.get(user)!;
      return { kind: 'user', name: u.username, id: u.id, sysadmin: !!u.sysadmin };
    }
    return { kind: 'anonymous', name: 'anonymous' };
  }

  /**
   * OIDC mode: a user's CLI secret is a security context only on the token service, /v2/, project creation and a few
   * GETs (projects, systeminfo, version, labels, repositories, artifacts) and tag deletion; anywhere else the request
   * runs as anonymous. Robots are left to the robot generator (src/server/middleware/security/oidc_cli.go valid).
   */
  private oidcCli(req: http.IncomingMessage, username: string, secret: string): Principal | undefined {
    if (this.options.authMode !== 'oidc_auth' || username.startsWith(this.robotNamePrefix)) return undefined;
    const u = this.users.get(username);
    if (!u?.cliSecret || u.cliSecret !== secret) return undefined;
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    const base = this.basePath;
    const method = req.method ?? 'GET';
    const valid =
      path === '/service/token' ||
      path.startsWith('/v2') ||
      (method === 'POST' && path === `${base}/projects`) ||
      (method === 'GET' &&
        (path === `${base}/projects` ||
          path === `${base}/systeminfo` ||
          path === '/api/version' ||
          path === `${base}/labels` ||
          new RegExp(`^${base}/projects/.*/repositories$`).test(path) ||
          new RegExp(`^${base}/projects/.*/repositories/.*/artifacts$`).test(path))) ||
      (method === 'DELETE' && new RegExp(`^${base}/projects/.*/repositories/.*/artifacts/.*/tags/.*$`).test(path));
    return valid ? { kind: 'user', name: u.username, id: u.id, sysadmin: !!u.sysadmin } : undefined;
  }

  login(username: string, password: string): Principal | undefined {
    if (username === this.jobserviceCredentials.username && password === this.jobserviceCredentials.password)
      return { kind: 'internal', name: username };
    const u = this.users.get(username);
    // In OIDC mode only the admin (the superuser) logs in with a password (src/core/auth/authenticator.go Login).
    const passwordLogin = this.options.authMode !== 'oidc_auth' || u?.id === 1;
    if (u && passwordLogin && u.password === password)
      return { kind: 'user', name: u.username, id: u.id, sysadmin: !!u.sysadmin };
    const r = this.robots.get(username);
    if (r && r.secret === password) {
      const granted = r.permissions?.map((x) => (x === 'pull' || x === 'push' ? `repository:${x}` : x));
      const permissions = robotPermissions(
        granted ??
          (r.level === 'system'
            ? [...ROLE_PERMISSIONS.projectAdmin, ...REPLICATION_SYSTEM_PERMISSIONS]
            : ['repository:pull', 'repository:push']),
        r.level,
      );
      return { kind: 'robot', name: r.fullName, id: r.id, level: r.level, project: r.project, permissions };
    }
    return undefined;
  }

  /**
   * Harbor's CSRF middleware: an unsafe request carrying a `sid` cookie must echo X-Harbor-CSRF-Token, whatever else
   * authenticates it. The skipper lets /api/ requests through only when they carry no session
   * (src/server/middleware/csrf/csrf.go csrfSkipper; the `sid` cookie sets CarrySession in
   * src/server/middleware/session/session.go at v2.15.2).
   */
  checkCsrf(req: http.IncomingMessage): void {
    const safe = ['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
    const carriesSession = /(?:^|;\s*)sid=/.test(String(req.headers.cookie ?? ''));
    if (!safe && carriesSession && req.headers['x-harbor-csrf-token'] !== this.csrfToken) {
      throw new HttpError(403, 'FORBIDDEN', 'CSRF token invalid');
    }
  }

  isSystem(p: Principal): boolean {
    return p.kind === 'internal' || (p.kind === 'user' && p.sysadmin) || (p.kind === 'robot' && p.level === 'system');
  }

  role(p: Principal, project: Project): ProjectRole | undefined {
    return p.kind === 'user' ? project.members.get(p.name) : undefined;
  }

  /** Harbor's project evaluator (src/common/rbac/project/evaluator.go, rbac_user.go; robots: src/common/security/robot/context.go). */
  can(p: Principal, project: Project, permission: Permission): boolean {
    if (p.kind === 'internal' || (p.kind === 'user' && p.sysadmin)) return true;
    if (project.public && PUBLIC_PROJECT_PERMISSIONS.has(permission)) return true;
    if (p.kind === 'user') {
      const role = this.role(p, project);
      return role !== undefined && ROLE_PERMISSIONS[role].has(permission);
    }
    if (p.kind === 'robot')
      return (p.level === 'system' || p.project === project.name) && p.permissions.has(permission);
    return false;
  }

  /** RequireProjectAccess (src/server/v2.0/handler/base.go): 401 for anonymous, 403 naming the missing permission. */
  requireProject(p: Principal, project: Project, permission: Permission): void {
    if (!this.can(p, project, permission)) this.deny(p, `${permission} in project ${project.name}`);
  }

  /**
   * RequireProjectAccess before the handler looks the project up. HasProjectPermission (src/server/v2.0/handler/base.go)
   * checks a project it cannot find as an empty one (id 0), whose project evaluator cannot load it and grants nothing
   * (src/common/rbac/project/evaluator.go NewEvaluator); only a system administrator's own evaluator passes
   * (src/common/security/local/context.go Can, admin.New). So a missing project is 404 to an administrator only, and
   * 401/403 to everyone else — the same answer as a private project they may not read.
   */
  requireProjectAccess(p: Principal, project: Project | undefined, name: string, permission: Permission): Project {
    if (project) {
      this.requireProject(p, project, permission);
      return project;
    }
    if (!(p.kind === 'internal' || (p.kind === 'user' && p.sysadmin))) this.deny(p, `${permission} in project ${name}`);
    throw new HttpError(404, 'NOT_FOUND', `project ${name} not found`);
  }

  canPull(p: Principal, project: Project): boolean {
    return this.can(p, project, 'repository:pull');
  }

  canPush(p: Principal, project: Project): boolean {
    return this.can(p, project, 'repository:push');
  }

  /** 401 for anonymous, 403 for a known identity without the permission (Harbor's security context semantics). */
  deny(p: Principal, what: string): never {
    if (p.kind === 'anonymous') throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
    throw new HttpError(403, 'FORBIDDEN', `${p.name} has no permission to ${what}`);
  }

  /**
   * RequireSystemAccess (src/server/v2.0/handler/base.go) for registries and replication (handler/registry.go,
   * replication.go): sysadmins, and system robots holding the pair; a project robot never (its permissions live in a
   * project namespace).
   */
  requireSystem(p: Principal, permission: Permission): void {
    const allowed =
      p.kind === 'internal' ||
      (p.kind === 'user' && p.sysadmin) ||
      (p.kind === 'robot' && p.level === 'system' && p.permissions.has(permission));
    if (!allowed) this.deny(p, permission);
  }

  createProject(name: string, isPublic: boolean, owner: Principal | undefined): Project {
    const t = now();
    const project: Project = {
      project_id: this.projects.size + 1,
      name,
      public: isPublic,
      owner_id: owner?.kind === 'user' ? owner.id : 1,
      owner_name: owner?.kind === 'user' ? owner.name : 'admin',
      creation_time: t,
      update_time: t,
      members: new Map(),
    };
    if (owner?.kind === 'user') project.members.set(owner.name, 'projectAdmin');
    this.projects.set(name, project);
    return project;
  }

  async repositoryNames(): Promise<string[]> {
    return (await this.registryClient.catalog()).sort();
  }

  id(map: Map<string, number>, key: string): number {
    let v = map.get(key);
    if (v === undefined) {
      v = ++this.seq;
      map.set(key, v);
    }
    return v;
  }

  seen(key: string): string {
    let t = this.firstSeen.get(key);
    if (!t) {
      t = now();
      this.firstSeen.set(key, t);
    }
    return t;
  }

  storedRegistry(id: number): StoredRegistry {
    const r = this.registries.get(id);
    if (!r) throw new HttpError(404, 'NOT_FOUND', `registry ${id} not found`);
    return r;
  }

  endpointFor(side: { id?: number } | undefined | null): ReplicationEndpoint {
    if (!side?.id) return { type: 'harbor', url: this.url, ...this.jobserviceCredentials, caPem: this.caPem };
    const r = this.storedRegistry(side.id);
    return {
      type: r.type,
      url: r.url,
      username: r.credential?.access_key,
      password: r.credential?.access_secret,
      insecure: r.insecure,
      caPem: r.ca_certificate,
    };
  }
}

export function errorReply(e: unknown): Reply {
  if (e instanceof HttpError) return { status: e.status, body: { errors: [{ code: e.code, message: e.message }] } };
  if (e instanceof SyntaxError)
    return { status: 400, body: { errors: [{ code: 'BAD_REQUEST', message: 'invalid JSON body' }] } };
  return { status: 500, body: { errors: [{ code: 'UNKNOWN', message: e instanceof Error ? e.message : String(e) }] } };
}

/** The manifests an image index lists; empty for an image. */
export function childDigests(manifest: { manifests?: Array<{ digest: string }> }): string[] {
  return (manifest.manifests ?? []).map((m) => m.digest);
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseBool(v: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** Registry names: not empty, at most 64 characters (src/controller/registry/controller.go validate at v2.15.2). */
export function checkRegistryName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'name cannot be empty');
  if (name.length > 64) throw new HttpError(400, 'BAD_REQUEST', 'the max length of name is 64');
}

/** One keyword of Harbor's `q` (src/lib/q/builder.go parsePattern). */
export type QValue =
  | { kind: 'exact'; value: string }
  | { kind: 'fuzzy'; value: string }
  | { kind: 'range'; min?: string; max?: string }
  | { kind: 'or'; values: string[] }
  | { kind: 'and'; values: string[] };

const badQuery = (message: string) => new HttpError(400, 'BAD_REQUEST', message);

/**
 * Harbor's `q` query language (src/lib/q/builder.go Build/parseKeywords at v2.15.2): the already decoded value is
 * unescaped once more, kept as it came when that fails (so `q=name%253Dx` reads `name=x` and `+` reads as a space),
 * then split at every `,` into `k=v` pairs — no escape exists for a comma. A pair without `=`, or with an empty key or
 * value, is 400 BAD_REQUEST. A value starting with `~` is a fuzzy match (at least one more character), `[min~max]` a
 * range, `{a b}` an or-list, `(a b)` an and-list; anything else is an exact match, compared as it is (no trimming),
 * except that a leading `\` is dropped so that an exact value may start with one of those characters.
 */
export function parseQ(q: string | null): Record<string, QValue> {
  const out: Record<string, QValue> = {};
  let text = q ?? '';
  if (text === '') return out;
  try {
    text = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Harbor logs the failure and uses the value as it came.
  }
  const listItems = (inner: string) =>
    inner
      .split(' ')
      .map((v) => v.trim().replace(/^["']+|["']+$/g, ''))
      .filter((v) => v !== '');
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    const [key, value] = i < 0 ? [part, ''] : [part.slice(0, i), part.slice(i + 1)];
    if (i < 0 || key === '' || value === '')
      throw badQuery('the query string must contain "=" and the key/value cannot be empty');
    const invalid = () => badQuery(`invalid query string value: ${value}`);
    switch (value[0]) {
      case '~':
        if (value.length < 2) throw invalid();
        out[key] = { kind: 'fuzzy', value: value.slice(1) };
        break;
      case '[': {
        if (!value.endsWith(']') || value.split('~').length !== 2) throw invalid();
        const [min, max] = value
          .slice(1, -1)
          .split('~')
          .map((v) => v.trim());
        if (!min && !max) throw invalid();
        out[key] = { kind: 'range', min: min || undefined, max: max || undefined };
        break;
      }
      case '{':
      case '(':
        if (!value.endsWith(value[0] === '{' ? '}' : ')')) throw invalid();
        out[key] = { kind: value[0] === '{' ? 'or' : 'and', values: listItems(value.slice(1, -1)) };
        break;
      default:
        out[key] = { kind: 'exact', value: value.startsWith('\\') ? value.slice(1) : value };
    }
  }
  return out;
}

/**
 * Whether a string column passes a keyword as Harbor's ORM filters it (src/lib/orm/query.go setFilters): exact `=`,
 * fuzzy `__icontains` (case-insensitive), range `__gte`/`__lte`, or-list `__in`; an and-list is left to DAOs and
 * filters nothing there. No keyword passes everything.
 */
export function qMatches(v: QValue | undefined, actual: string): boolean {
  if (!v) return true;
  switch (v.kind) {
    case 'exact':
      return actual === v.value;
    case 'fuzzy':
      return actual.toLowerCase().includes(v.value.toLowerCase());
    case 'range':
      return (v.min === undefined || actual >= v.min) && (v.max === undefined || actual <= v.max);
    case 'or':
      return v.values.includes(actual);
    case 'and':
      return true;
  }
}

/** The deprecated `name` parameter of the list APIs, a fuzzy match wherever Harbor still reads it (ListProjects, ListRegistries, ListReplicationPolicies). */
export function nameParam(ctx: Ctx): QValue | undefined {
  const name = ctx.url.searchParams.get('name');
  return name ? { kind: 'fuzzy', value: name } : undefined;
}

/**
 * Harbor pagination (src/server/v2.0/handler/base.go Links/SetPaginationHeader): page from 1, page_size default 10,
 * at most 100 (swagger parameters.pageSize), X-Total-Count, and a Link header with rel="prev"/rel="next" joined by " , ".
 */
export function paginate<T>(ctx: Ctx, items: T[], map: (t: T) => unknown): Reply {
  const q = ctx.url.searchParams;
  const page = Math.max(1, Number(q.get('page') ?? 1));
  const size = Math.max(1, Number(q.get('page_size') ?? 10));
  const slice = items.slice((page - 1) * size, page * size);
  const link = (p: number) => {
    const u = new URLSearchParams(q);
    u.set('page', String(p));
    u.set('page_size', String(size));
    return `<${ctx.url.pathname}?${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
  if (page * size < items.length) links.push(`${link(page + 1)}; rel="next"`);
  const headers: Record<string, string> = { 'x-total-count': String(items.length) };
  if (links.length) headers.link = links.join(' , ');
  return { status: 200, body: slice.map(map), headers };
}
