import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTempDir, removeTempDir } from './child-processes';
import { Execution, Jobservice, ReplicationTimings } from './harbor-jobservice';
import { ReplicationEndpoint } from './harbor-replication';
import { basicAuth, request } from './net-utils';
import { makeCa, makeServerCert, makeTokenSigningKey, TokenSigningKey } from './pki';
import { RegistryClient } from './registry-client';
import { Credentials, randomSecret, RegistryHandle, startRegistry } from './registry-launcher';
import { Access, parseScope, signRegistryToken } from './registry-token';
import { ContractViolation, harborContract, MatchedOperation } from './swagger-contract';
import { ScanFixture, ScanJobs, ScanTimings } from './harbor-scan-jobs';
import {
  Permission,
  ProjectRole,
  PUBLIC_PROJECT_PERMISSIONS,
  REPLICATION_SYSTEM_PERMISSIONS,
  robotPermissions,
  ROLE_IDS,
  ROLE_PERMISSIONS,
} from './harbor-rbac';

export type { ScanFixture, ScanTimings } from './harbor-scan-jobs';

// A Harbor core + jobservice stand-in in front of a real Distribution registry: one host serves /api/v2.0, the token
// service and /v2/, as Harbor does. Behaviour follows Harbor's swagger (checked on every exchange) and, where the
// swagger is silent, Harbor's code; each such quirk names its source.

export type { ProjectRole, Permission } from './harbor-rbac';

export interface UserConfig {
  username: string;
  password: string;
  sysadmin?: boolean;
  /** Project memberships; the creator of a project becomes its projectAdmin. */
  projects?: Record<string, ProjectRole>;
}

export interface RobotConfig {
  /** Short name; the account is `robot$<name>` (system) or `robot$<project>+<name>` (project), as Harbor names them. */
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

export interface HarborEmulatorOptions {
  /** admin's password; Harbor's default is Harbor12345. */
  adminPassword?: string;
  users?: UserConfig[];
  robots?: RobotConfig[];
  /** Default: `library`, public, as a fresh Harbor has. */
  projects?: Array<{ name: string; public?: boolean }>;
  scanTimings?: Partial<ScanTimings>;
  /** Delay before each replication task starts, so tests can observe InProgress or stop an execution. */
  replicationTaskDelayMs?: number;
  /** Retry backoff scale, execution status refresh, workers (see ReplicationTimings). */
  replicationTimings?: Partial<ReplicationTimings>;
  harborVersion?: string;
  /** Serve API, token service and /v2/ over https with a certificate from a fresh CA (emulator.caFile), as Harbor behind its TLS proxy. */
  tls?: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  operationId?: string;
  user?: string;
  at: number;
}

export interface ResponseInjection {
  method?: string;
  path: RegExp;
  /** How many matching responses to alter; default 1. */
  times?: number;
  /** Returns the body to send instead (any JSON value), e.g. a deliberately malformed one. */
  body?: (original: unknown) => unknown;
  status?: number;
}

type Principal =
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

interface Project {
  project_id: number;
  name: string;
  public: boolean;
  owner_id: number;
  owner_name: string;
  creation_time: string;
  update_time: string;
  members: Map<string, ProjectRole>;
}

interface StoredRegistry {
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

interface Policy {
  id: number;
  body: Record<string, any>;
  creation_time: string;
  update_time: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

interface Ctx {
  req: http.IncomingMessage;
  url: URL;
  principal: Principal;
  matched: MatchedOperation;
  params: Record<string, string>;
  body: any;
}

const HEALTH_COMPONENTS = ['core', 'database', 'jobservice', 'portal', 'redis', 'registry', 'registryctl', 'trivy'];
/** Harbor's project name rule (src/common/utils ValidateProjectName / the UI): lower case, digits, separators inside. */
const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Adapters a stock Harbor registers (GET /replication/adapters); the emulator can copy with any Distribution-based one. */
const ADAPTERS = ['azure-acr', 'docker-hub', 'docker-registry', 'harbor', 'github-ghcr', 'quay'];
const now = () => new Date().toISOString();

export class HarborEmulator {
  url = '';
  host = '';
  port = 0;
  /** CA to trust when started with `tls: true`. */
  caFile?: string;
  registry!: RegistryHandle;
  readonly admin: Credentials;
  readonly service = 'harbor-registry';
  readonly issuer = 'harbor-token-issuer';

  private server!: http.Server;
  private caPem?: string;
  private signingKey!: TokenSigningKey;
  private keyDir!: string;
  private registryClient!: RegistryClient;
  private readonly contract = harborContract();
  private readonly jobserviceCredentials: Credentials = { username: 'harbor-jobservice', password: randomSecret() };
  private readonly jobservice: Jobservice;
  private readonly users = new Map<string, UserConfig & { id: number; creation_time: string }>();
  private readonly robots = new Map<string, RobotConfig & { id: number; fullName: string; secret: string }>();
  private readonly projects = new Map<string, Project>();
  private readonly sessions = new Map<string, string>();
  private readonly csrfToken = randomSecret(24);
  private readonly artifactIds = new Map<string, number>();
  private readonly repoIds = new Map<string, number>();
  private readonly firstSeen = new Map<string, string>();
  private readonly scans: ScanJobs;
  private readonly registries = new Map<number, StoredRegistry>();
  private readonly policies = new Map<number, Policy>();
  private readonly health = new Map<string, { status: 'healthy' | 'unhealthy'; error?: string }>();
  private readonly log: RequestLogEntry[] = [];
  private readonly found: ContractViolation[] = [];
  private readonly injections: ResponseInjection[] = [];
  private seq = 100;

  constructor(private readonly options: HarborEmulatorOptions = {}) {
    this.admin = { username: 'admin', password: options.adminPassword ?? 'Harbor12345' };
    this.scans = new ScanJobs({ queuedMs: 0, pendingMs: 200, runningMs: 300, ...options.scanTimings });
    this.jobservice = new Jobservice(
      {
        endpointFor: (side) => this.endpointFor(side),
        ensureLocalProject: (name) => {
          if (!this.projects.has(name)) this.createProject(name, false, undefined);
        },
      },
      {
        ...options.replicationTimings,
        taskDelayMs: options.replicationTaskDelayMs ?? options.replicationTimings?.taskDelayMs ?? 0,
      },
    );
    for (const c of HEALTH_COMPONENTS) this.health.set(c, { status: 'healthy' });
  }

  /** Starts the HTTP server first (its URL is the registry's token realm), then the registry behind it. */
  async start(): Promise<this> {
    this.keyDir = makeTempDir('harbor-keys');
    this.signingKey = makeTokenSigningKey(this.keyDir);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: String(e) }] }));
      });
    };
    if (this.options.tls) {
      const ca = makeCa(this.keyDir);
      const cert = makeServerCert(this.keyDir, ca);
      this.caFile = ca.certFile;
      this.caPem = ca.certPem;
      this.server = https.createServer(
        { cert: fs.readFileSync(cert.certFile), key: fs.readFileSync(cert.keyFile) },
        handler,
      );
    } else {
      this.server = http.createServer(handler);
    }
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.host = `127.0.0.1:${this.port}`;
    this.url = `${this.options.tls ? 'https' : 'http'}://${this.host}`;
    try {
      this.registry = await startRegistry({
        auth: 'token',
        token: {
          realm: `${this.url}/service/token`,
          service: this.service,
          issuer: this.issuer,
          rootCertFile: this.signingKey.certFile,
        },
      });
    } catch (e) {
      await new Promise((r) => this.server.close(r));
      removeTempDir(this.keyDir);
      throw e;
    }
    // The emulator reads its registry directly, authenticating through its own token service like jobservice does.
    this.registryClient = new RegistryClient({ url: this.registry.url, ...this.jobserviceCredentials, ca: this.caPem });
    const t = now();
    this.users.set('admin', { ...this.admin, sysadmin: true, id: 1, creation_time: t });
    for (const u of this.options.users ?? []) this.addUser(u);
    for (const p of this.options.projects ?? [{ name: 'library', public: true }])
      this.createProject(p.name, p.public ?? false, undefined);
    for (const u of this.options.users ?? []) {
      for (const [project, role] of Object.entries(u.projects ?? {}))
        this.projects.get(project)?.members.set(u.username, role);
    }
    for (const r of this.options.robots ?? []) this.addRobot(r);
    return this;
  }

  // ---------------------------------------------------------------- control API (for tests)

  addUser(u: UserConfig): Credentials {
    this.users.set(u.username, { ...u, id: ++this.seq, creation_time: now() });
    for (const [project, role] of Object.entries(u.projects ?? {}))
      this.projects.get(project)?.members.set(u.username, role);
    return { username: u.username, password: u.password };
  }

  /** Adds a robot account; returns its full name (`robot$...`) and secret. */
  addRobot(r: RobotConfig): Credentials {
    if (r.level === 'project' && !r.project) throw new Error('a project robot needs its project');
    const fullName = r.level === 'system' ? `robot$${r.name}` : `robot$${r.project}+${r.name}`;
    const secret = r.secret ?? randomSecret();
    this.robots.set(fullName, { ...r, id: ++this.seq, fullName, secret });
    return { username: fullName, password: secret };
  }

  /** A UI-style session: requests carrying cookie `sid=<value>` act as `username` (and are subject to CSRF). */
  createSession(username: string): { cookie: string; csrfToken: string } {
    const sid = randomSecret(16);
    this.sessions.set(sid, username);
    return { cookie: `sid=${sid}`, csrfToken: this.csrfToken };
  }

  /** The report scans of `repository` (or of one manifest, `repository@digest`) produce (Trivy golden, Harbor report, or outcome Error). */
  setScanFixture(repository: string, fixture: ScanFixture): void {
    this.scans.setFixture(repository, fixture);
  }

  setDefaultScanFixture(fixture: ScanFixture): void {
    this.scans.setDefaultFixture(fixture);
  }

  /** Applies to scans requested from now on. */
  setScanTimings(t: Partial<ScanTimings>): void {
    this.scans.setTimings(t);
  }

  /**
   * Runs of the replication task of this repository (having this tag, when given) fail instead of copying: the first
   * `times` runs (Harbor's retry then succeeds), or every run (Harbor gives up after 3).
   */
  failReplicationOf(target: { repository: string; tag?: string; times?: number }): void {
    this.jobservice.failReplicationOf(target);
  }

  /** Delay before each replication task starts (observe InProgress, stop an execution midway). */
  setReplicationTaskDelay(ms: number): void {
    this.jobservice.setTimings({ taskDelayMs: ms });
  }

  setReplicationTimings(t: Partial<ReplicationTimings>): void {
    this.jobservice.setTimings(t);
  }

  replicationTimings(): ReplicationTimings {
    return this.jobservice.getTimings();
  }

  setHealth(component: string, healthy: boolean, error?: string): void {
    this.health.set(
      component,
      healthy ? { status: 'healthy' } : { status: 'unhealthy', error: error ?? `${component} is down` },
    );
  }

  /** Alters upcoming responses (e.g. a malformed body) to prove the contract check catches it. */
  injectResponse(injection: ResponseInjection): void {
    this.injections.push({ times: 1, ...injection });
  }

  /** Requests received so far, optionally filtered. */
  requests(filter?: { method?: string; path?: RegExp }): RequestLogEntry[] {
    return this.log.filter(
      (e) => (!filter?.method || e.method === filter.method) && (!filter?.path || filter.path.test(e.path)),
    );
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  violations(): ContractViolation[] {
    return [...this.found];
  }

  clearViolations(): void {
    this.found.length = 0;
  }

  /** Credentials with full access, as jobservice has; for tests that seed images. */
  get internalCredentials(): Credentials {
    return { ...this.jobserviceCredentials };
  }

  /** Stops server and registry; throws when contract violations were recorded, unless told to ignore them. */
  async stop(opts: { ignoreViolations?: boolean } = {}): Promise<void> {
    await this.jobservice.shutdown();
    this.server.closeAllConnections?.();
    await new Promise((r) => this.server.close(r));
    await this.registry?.stop();
    removeTempDir(this.keyDir);
    if (!opts.ignoreViolations && this.found.length) {
      throw new Error(`Harbor contract violations:\n${this.found.map(formatViolation).join('\n')}`);
    }
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return this.proxyRegistry(req, res, url);
    const body = await readBody(req);
    if (url.pathname === '/service/token') {
      let principal: Principal | undefined;
      let reply: Reply;
      try {
        principal = this.authenticate(req);
        reply = this.tokenService(principal, url);
      } catch (e) {
        reply = errorReply(e);
      }
      return this.send(req, res, url, reply, undefined, principal);
    }
    const base = this.contract.basePath;
    if (!url.pathname.startsWith(base + '/'))
      return this.send(req, res, url, { status: 404, text: '404 page not found\n' }, undefined);
    let apiPath: string;
    try {
      // Go routes on URL.Path, which is decoded once: a%252Fb reaches the handler as a%2Fb (swagger repositoryName).
      apiPath = decodeURIComponent(url.pathname.slice(base.length));
    } catch {
      return this.send(req, res, url, errorReply(new HttpError(400, 'BAD_REQUEST', 'invalid URL escape')), undefined);
    }
    const matched = this.contract.match(req.method ?? 'GET', apiPath);
    if (!matched) {
      const status = this.contract.hasPath(apiPath) ? 405 : 404;
      this.violation('request', req, url, `no operation ${req.method} ${apiPath} in the swagger`, status);
      return this.send(
        req,
        res,
        url,
        errorReply(new HttpError(status, status === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', 'not found')),
        undefined,
      );
    }
    const problems = this.contract.checkRequest(
      { method: req.method ?? 'GET', path: apiPath, query: url.searchParams, headers: req.headers, body },
      matched,
    );
    for (const p of problems) this.violation('request', req, url, p, undefined, matched.operation.operationId);
    let reply: Reply;
    let principal: Principal | undefined;
    try {
      // go-swagger validates parameters before the handler runs and answers 422 (errors.CompositeValidationError).
      const blocking = problems.filter((p) => !p.includes('is not declared'));
      if (blocking.length) throw new HttpError(422, 'UNPROCESSABLE_ENTITY', blocking.join('; '));
      principal = this.authenticate(req);
      this.checkCsrf(req);
      const params: Record<string, string> = { ...matched.pathParams };
      const json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
      reply = await this.dispatch({ req, url, principal, matched, params, body: json });
    } catch (e) {
      reply = errorReply(e);
    }
    return this.send(req, res, url, reply, matched, principal);
  }

  private violation(
    side: 'request' | 'response',
    req: http.IncomingMessage,
    url: URL,
    message: string,
    status?: number,
    operationId?: string,
  ): void {
    this.found.push({
      side,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      status,
      operationId,
      message,
    });
  }

  private send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    reply: Reply,
    matched: MatchedOperation | undefined,
    principal?: Principal,
  ): void {
    for (const inj of this.injections) {
      if ((inj.times ?? 1) <= 0) continue;
      if (inj.method && inj.method !== req.method) continue;
      if (!inj.path.test(url.pathname)) continue;
      inj.times = (inj.times ?? 1) - 1;
      if (inj.body) reply = { ...reply, body: inj.body(reply.body), text: undefined };
      if (inj.status) reply = { ...reply, status: inj.status };
    }
    const headers: Record<string, string> = { ...reply.headers };
    headers['x-request-id'] = String(req.headers['x-request-id'] ?? randomUUID());
    let payload: Buffer = Buffer.alloc(0);
    if (reply.text !== undefined) {
      payload = Buffer.from(reply.text);
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] ??= 'application/json';
    }
    // Harbor hands the UI a CSRF token on every safe request (src/server/middleware/csrf).
    if (req.method === 'GET' && matched) headers['x-harbor-csrf-token'] = this.csrfToken;
    if (matched) {
      const problems = this.contract.checkResponse({ status: reply.status, headers, body: payload }, matched);
      for (const p of problems) this.violation('response', req, url, p, reply.status, matched.operation.operationId);
    }
    this.log.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      status: reply.status,
      operationId: matched?.operation.operationId,
      user: principal?.name,
      at: Date.now(),
    });
    headers['content-length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  /** Harbor core proxies /v2/ to the registry (src/server/registry/proxy.go), keeping Host so Location URLs point at Harbor. */
  private proxyRegistry(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    return new Promise((resolve) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: this.registry.port,
          method: req.method,
          path: req.url,
          // As Harbor's nginx does: the registry builds upload Location URLs from Host and X-Forwarded-Proto.
          headers: { ...req.headers, 'x-forwarded-proto': this.options.tls ? 'https' : 'http' },
        },
        (up) => {
          if (up.statusCode === 401) {
            // Harbor's v2auth middleware answers refusals itself: 401 UNAUTHORIZED, a Basic challenge when the request
            // carried credentials, a Bearer one towards the token service otherwise — never insufficient_scope
            // (src/server/middleware/v2auth/auth.go getChallenge).
            const challenge = req.headers.authorization
              ? 'Basic realm="harbor"'
              : String(up.headers['www-authenticate'] ?? '').replace(/,error="[^"]*"/, '');
            const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] });
            up.resume();
            res.writeHead(401, {
              'www-authenticate': challenge,
              'docker-distribution-api-version': 'registry/2.0',
              'content-type': 'application/json',
              'content-length': String(body.length),
            });
            res.end(req.method === 'HEAD' ? undefined : body);
            this.log.push({
              method: req.method ?? 'GET',
              path: url.pathname + url.search,
              status: 401,
              at: Date.now(),
            });
            return resolve();
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          up.on('end', () => {
            this.log.push({
              method: req.method ?? 'GET',
              path: url.pathname + url.search,
              status: up.statusCode ?? 502,
              at: Date.now(),
            });
            resolve();
          });
        },
      );
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(e));
        resolve();
      });
      req.pipe(upstream);
    });
  }

  // ---------------------------------------------------------------- identity

  private authenticate(req: http.IncomingMessage): Principal {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      // Failed Basic or robot authentication yields no security context, so the request runs as anonymous
      // (src/server/middleware/security/basic_auth.go, robot.go; security.go UnauthorizedMiddleware).
      return this.login(decoded.slice(0, i), decoded.slice(i + 1)) ?? { kind: 'anonymous', name: 'anonymous' };
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

  private login(username: string, password: string): Principal | undefined {
    if (username === this.jobserviceCredentials.username && password === this.jobserviceCredentials.password)
      return { kind: 'internal', name: username };
    const u = this.users.get(username);
    if (u && u.password === password) return { kind: 'user', name: u.username, id: u.id, sysadmin: !!u.sysadmin };
    const r = this.robots.get(username);
    if (r && r.secret === password) {
      const granted = r.permissions?.map((x) => (x === 'pull' || x === 'push' ? `repository:${x}` : x));
      const permissions = robotPermissions(
        granted ??
          (r.level === 'system'
            ? [...ROLE_PERMISSIONS.projectAdmin, ...REPLICATION_SYSTEM_PERMISSIONS]
            : ['repository:pull', 'repository:push']),
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
  private checkCsrf(req: http.IncomingMessage): void {
    const safe = ['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
    const carriesSession = /(?:^|;\s*)sid=/.test(String(req.headers.cookie ?? ''));
    if (!safe && carriesSession && req.headers['x-harbor-csrf-token'] !== this.csrfToken) {
      throw new HttpError(403, 'FORBIDDEN', 'CSRF token invalid');
    }
  }

  private isSystem(p: Principal): boolean {
    return p.kind === 'internal' || (p.kind === 'user' && p.sysadmin) || (p.kind === 'robot' && p.level === 'system');
  }

  private role(p: Principal, project: Project): ProjectRole | undefined {
    return p.kind === 'user' ? project.members.get(p.name) : undefined;
  }

  /** Harbor's project evaluator (src/common/rbac/project/evaluator.go, rbac_user.go; robots: src/common/security/robot/context.go). */
  private can(p: Principal, project: Project, permission: Permission): boolean {
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
  private requireProject(p: Principal, project: Project, permission: Permission): void {
    if (!this.can(p, project, permission)) this.deny(p, `${permission} in project ${project.name}`);
  }

  private canPull(p: Principal, project: Project): boolean {
    return this.can(p, project, 'repository:pull');
  }

  private canPush(p: Principal, project: Project): boolean {
    return this.can(p, project, 'repository:push');
  }

  /** 401 for anonymous, 403 for a known identity without the permission (Harbor's security context semantics). */
  private deny(p: Principal, what: string): never {
    if (p.kind === 'anonymous') throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
    throw new HttpError(403, 'FORBIDDEN', `${p.name} has no permission to ${what}`);
  }

  /**
   * RequireSystemAccess (src/server/v2.0/handler/base.go) for registries and replication (handler/registry.go,
   * replication.go): sysadmins, and system robots holding the pair; a project robot never (its permissions live in a
   * project namespace).
   */
  private requireSystem(p: Principal, permission: Permission): void {
    const allowed =
      p.kind === 'internal' ||
      (p.kind === 'user' && p.sysadmin) ||
      (p.kind === 'robot' && p.level === 'system' && p.permissions.has(permission));
    if (!allowed) this.deny(p, permission);
  }

  // ---------------------------------------------------------------- token service

  /** /service/token: grants per scope what the identity may do; never more (src/core/service/token). */
  private tokenService(principal: Principal, url: URL): Reply {
    const access: Access[] = [];
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    // Anonymous (including failed credentials) gets 401 only without scopes ("docker login"); with scopes it gets a
    // token for what anonymous may do, whose subject is empty (src/core/service/token/creator.go generalCreator.Create).
    if (principal.kind === 'anonymous' && scopes.length === 0) throw new HttpError(401, 'UNAUTHORIZED', 'Unauthorized');
    for (const scope of scopes) {
      const a = parseScope(scope);
      if (!a) continue;
      let actions: string[] = [];
      if (a.type === 'registry' && a.name === 'catalog') {
        actions = this.isSystem(principal) && principal.kind !== 'robot' ? ['*'] : [];
      } else if (a.type === 'repository') {
        const project = this.projects.get(a.name.split('/')[0]);
        // No project, no access: a push to a project that does not exist is refused here, as in Harbor.
        if (project) {
          const wanted = a.actions.includes('*') ? ['pull', 'push', 'delete'] : a.actions;
          actions = wanted.filter((x) =>
            x === 'pull'
              ? this.canPull(principal, project)
              : x === 'push'
                ? this.canPush(principal, project)
                : x === 'delete'
                  ? this.can(principal, project, 'repository:delete')
                  : false,
          );
        }
      }
      access.push({ type: a.type, name: a.name, actions });
    }
    const token = signRegistryToken(this.signingKey, {
      issuer: this.issuer,
      service: url.searchParams.get('service') ?? this.service,
      subject: principal.kind === 'anonymous' ? '' : principal.name,
      access,
    });
    return { status: 200, body: { token, access_token: token, expires_in: 1800, issued_at: now() } };
  }

  // ---------------------------------------------------------------- dispatch

  private async dispatch(ctx: Ctx): Promise<Reply> {
    const op = ctx.matched.operation.operationId;
    const handler = (this as unknown as Record<string, (c: Ctx) => Promise<Reply> | Reply>)[`op_${op}`];
    if (!handler) throw new HttpError(501, 'NOT_IMPLEMENTED', `the emulator does not implement ${op}`);
    return handler.call(this, ctx);
  }

  private op_getPing(): Reply {
    return { status: 200, text: 'Pong' };
  }

  private op_getHealth(): Reply {
    const components = [...this.health].map(([name, h]) => ({
      name,
      status: h.status,
      ...(h.error ? { error: h.error } : {}),
    }));
    return {
      status: 200,
      body: { status: components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy', components },
    };
  }

  private op_getSystemInfo(ctx: Ctx): Reply {
    // Anonymous callers get a reduced document (swagger: "Some attributes will be omitted ... anonymous request").
    const base = {
      auth_mode: 'db_auth',
      primary_auth_mode: false,
      self_registration: false,
      banner_message: '',
      current_time: now(),
      harbor_version: this.options.harborVersion ?? 'v2.15.2-emulator',
    };
    if (ctx.principal.kind === 'anonymous') return { status: 200, body: base };
    return {
      status: 200,
      body: {
        ...base,
        external_url: this.url,
        registry_url: this.host,
        project_creation_restriction: 'everyone',
        has_ca_root: false,
        read_only: false,
        notification_enable: true,
        registry_storage_provider_name: 'filesystem',
      },
    };
  }

  private op_getCurrentUserInfo(ctx: Ctx): Reply {
    const p = ctx.principal;
    if (p.kind !== 'user') this.deny(p, 'read the current user');
    const u = this.users.get(p.name)!;
    return {
      status: 200,
      body: {
        user_id: u.id,
        username: u.username,
        email: `${u.username}@example.test`,
        realname: u.username,
        comment: '',
        sysadmin_flag: !!u.sysadmin,
        admin_role_in_auth: false,
        creation_time: u.creation_time,
        update_time: u.creation_time,
      },
    };
  }

  // ---------------------------------------------------------------- projects

  private createProject(name: string, isPublic: boolean, owner: Principal | undefined): Project {
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

  private async repositoryNames(): Promise<string[]> {
    return (await this.registryClient.catalog()).sort();
  }

  private projectJson(p: Project, principal: Principal, repoCount: number): unknown {
    const role = this.role(principal, p);
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

  private visibleProject(p: Principal, project: Project): boolean {
    return this.can(p, project, 'project:read') || this.can(p, project, 'repository:pull');
  }

  private async op_listProjects(ctx: Ctx): Promise<Reply> {
    const q = ctx.url.searchParams;
    const query = parseQ(q.get('q'));
    const name = q.get('name') ?? query.name;
    const pub = q.get('public') ?? query.public;
    let list = [...this.projects.values()].filter((p) => this.visibleProject(ctx.principal, p));
    // `name` is a fuzzy match in Harbor (ListProjects builds q.FuzzyMatchValue), `q=name=x` exact unless `~`.
    if (name !== undefined)
      list = list.filter((p) =>
        name.startsWith('~') || q.has('name') ? p.name.includes(name.replace(/^~/, '')) : p.name === name,
      );
    if (pub !== undefined) list = list.filter((p) => String(p.public) === String(parseBool(pub)));
    const repos = await this.repositoryNames();
    return paginate(
      ctx,
      list.sort((a, b) => a.project_id - b.project_id),
      (p) => this.projectJson(p, ctx.principal, repos.filter((r) => r.startsWith(p.name + '/')).length),
    );
  }

  private op_headProject(ctx: Ctx): Reply {
    // RequireAuthenticated first: anonymous (or refused credentials) gets 401 (src/server/v2.0/handler/project.go HeadProject).
    if (ctx.principal.kind === 'anonymous') this.deny(ctx.principal, 'check projects');
    const name = ctx.url.searchParams.get('project_name') ?? '';
    return { status: this.projects.has(name) ? 200 : 404 };
  }

  private op_createProject(ctx: Ctx): Reply {
    const p = ctx.principal;
    if (p.kind === 'anonymous') this.deny(p, 'create a project');
    if (p.kind === 'robot' && p.level !== 'system') this.deny(p, 'create a project');
    const name: string = ctx.body?.project_name ?? '';
    if (!PROJECT_NAME.test(name) || name.length > 255)
      throw new HttpError(400, 'BAD_REQUEST', `project name ${JSON.stringify(name)} is invalid`);
    if (this.projects.has(name)) throw new HttpError(409, 'CONFLICT', `the project named ${name} already exists`);
    const isPublic =
      ctx.body?.metadata?.public !== undefined ? ctx.body.metadata.public === 'true' : ctx.body?.public === true;
    const project = this.createProject(name, isPublic, p);
    const inName = parseBool(String(ctx.req.headers['x-resource-name-in-location'] ?? 'false'));
    return {
      status: 201,
      headers: { location: `${this.contract.basePath}/projects/${inName ? project.name : project.project_id}` },
    };
  }

  /** project_name_or_id: a number is an id unless X-Is-Resource-Name is true (swagger parameters.isResourceName). */
  private findProject(ctx: Ctx, value: string, permission: Permission = 'project:read'): Project {
    const byName = parseBool(String(ctx.req.headers['x-is-resource-name'] ?? 'false'));
    const project =
      !byName && /^\d+$/.test(value)
        ? [...this.projects.values()].find((p) => p.project_id === Number(value))
        : this.projects.get(value);
    if (!project) throw new HttpError(404, 'NOT_FOUND', `project ${value} not found`);
    this.requireProject(ctx.principal, project, permission);
    return project;
  }

  private async op_getProject(ctx: Ctx): Promise<Reply> {
    const project = this.findProject(ctx, ctx.params.project_name_or_id);
    const repos = await this.repositoryNames();
    return {
      status: 200,
      body: this.projectJson(project, ctx.principal, repos.filter((r) => r.startsWith(project.name + '/')).length),
    };
  }

  private async op_deleteProject(ctx: Ctx): Promise<Reply> {
    const project = this.findProject(ctx, ctx.params.project_name_or_id, 'project:delete');
    const repos = await this.repositoryNames();
    if (repos.some((r) => r.startsWith(project.name + '/'))) {
      // Harbor refuses to delete a project that still has repositories (project controller: 412).
      throw new HttpError(412, 'PRECONDITION', `the project ${project.name} contains repositories, can not be deleted`);
    }
    this.projects.delete(project.name);
    return { status: 200 };
  }

  // ---------------------------------------------------------------- repositories and artifacts

  /** The project of the path, after the handler's RequireProjectAccess for `permission` (handler/artifact.go, repository.go, scan.go). */
  private readableProject(ctx: Ctx, permission: Permission): Project {
    const project = this.projects.get(ctx.params.project_name);
    if (!project) {
      // HasProjectPermission checks a missing project as an empty one (id 0) that nobody but an admin may touch, so
      // only admins ever see the handler's 404 (src/server/v2.0/handler/base.go).
      if (!(ctx.principal.kind === 'internal' || (ctx.principal.kind === 'user' && ctx.principal.sysadmin)))
        this.deny(ctx.principal, `${permission} in project ${ctx.params.project_name}`);
      throw new HttpError(404, 'NOT_FOUND', `project ${ctx.params.project_name} not found`);
    }
    this.requireProject(ctx.principal, project, permission);
    return project;
  }

  /** repository_name arrives decoded once (a%2Fb); Harbor's handler unescapes it again. */
  private repoName(ctx: Ctx): string {
    return `${ctx.params.project_name}/${decodeURIComponent(ctx.params.repository_name)}`;
  }

  private id(map: Map<string, number>, key: string): number {
    let v = map.get(key);
    if (v === undefined) {
      v = ++this.seq;
      map.set(key, v);
    }
    return v;
  }

  private seen(key: string): string {
    let t = this.firstSeen.get(key);
    if (!t) {
      t = now();
      this.firstSeen.set(key, t);
    }
    return t;
  }

  private async repositoryJson(project: Project, name: string): Promise<unknown> {
    const artifacts = await this.artifactsOf(name);
    const t = this.seen(name);
    return {
      id: this.id(this.repoIds, name),
      project_id: project.project_id,
      name,
      description: '',
      artifact_count: artifacts.length,
      pull_count: 0,
      creation_time: t,
      update_time: t,
    };
  }

  private async op_listRepositories(ctx: Ctx): Promise<Reply> {
    const project = this.readableProject(ctx, 'repository:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    let names = (await this.repositoryNames()).filter((r) => r.startsWith(project.name + '/'));
    if (query.name)
      names = names.filter((n) => (query.name.startsWith('~') ? n.includes(query.name.slice(1)) : n === query.name));
    const items = await Promise.all(names.map((n) => this.repositoryJson(project, n)));
    return paginate(ctx, items, (x) => x);
  }

  private async op_getRepository(ctx: Ctx): Promise<Reply> {
    const project = this.readableProject(ctx, 'repository:read');
    const name = this.repoName(ctx);
    if (!(await this.repositoryNames()).includes(name))
      throw new HttpError(404, 'NOT_FOUND', `repository ${name} not found`);
    return { status: 200, body: await this.repositoryJson(project, name) };
  }

  /** Artifacts of a repository as Harbor indexes them: one per manifest digest, with the tags pointing at it. */
  private async artifactsOf(
    repository: string,
  ): Promise<Array<{ digest: string; tags: string[]; mediaType: string; size: number; manifest: any }>> {
    const byDigest = new Map<
      string,
      { digest: string; tags: string[]; mediaType: string; size: number; manifest: any }
    >();
    for (const tag of (await this.registryClient.tags(repository)).sort()) {
      const m = await this.registryClient.manifest(repository, tag);
      if (!m) continue;
      const entry = byDigest.get(m.digest);
      if (entry) entry.tags.push(tag);
      else {
        const blobs = [m.json.config, ...(m.json.layers ?? []), ...(m.json.manifests ?? [])].filter(Boolean);
        byDigest.set(m.digest, {
          digest: m.digest,
          tags: [tag],
          mediaType: m.mediaType,
          size: m.raw.length + blobs.reduce((s: number, b: any) => s + (b.size ?? 0), 0),
          manifest: m.json,
        });
      }
    }
    return [...byDigest.values()];
  }

  private async findArtifact(
    ctx: Ctx,
    permission: Permission,
  ): Promise<{ repository: string; artifact: Awaited<ReturnType<HarborEmulator['artifactsOf']>>[number] }> {
    this.readableProject(ctx, permission);
    const repository = this.repoName(ctx);
    const ref = ctx.params.reference;
    const artifact = (await this.artifactsOf(repository)).find((a) => a.digest === ref || a.tags.includes(ref));
    if (!artifact) throw new HttpError(404, 'NOT_FOUND', `artifact ${repository}@${ref} not found`);
    return { repository, artifact };
  }

  private artifactJson(
    ctx: Ctx,
    project: Project,
    repository: string,
    a: Awaited<ReturnType<HarborEmulator['artifactsOf']>>[number],
  ): unknown {
    const q = ctx.url.searchParams;
    const key = `${repository}@${a.digest}`;
    const artifactId = this.id(this.artifactIds, key);
    const repoId = this.id(this.repoIds, repository);
    const pushTime = this.seen(key);
    const isIndex = a.mediaType.includes('index') || a.mediaType.includes('manifest.list');
    const out: Record<string, unknown> = {
      id: artifactId,
      type: 'IMAGE',
      media_type: isIndex ? a.mediaType : (a.manifest.config?.mediaType ?? 'application/vnd.oci.image.config.v1+json'),
      manifest_media_type: a.mediaType,
      project_id: project.project_id,
      repository_id: repoId,
      repository_name: repository,
      digest: a.digest,
      size: a.size,
      push_time: pushTime,
      pull_time: '0001-01-01T00:00:00.000Z',
      extra_attrs: {},
      annotations: a.manifest.annotations ?? {},
      references: isIndex
        ? (a.manifest.manifests ?? []).map((m: any) => ({
            parent_id: artifactId,
            child_id: this.id(this.artifactIds, `${repository}@${m.digest}`),
            child_digest: m.digest,
            platform: m.platform ?? {},
            urls: [],
          }))
        : [],
      addition_links: {
        vulnerabilities: {
          href: `${this.contract.basePath}/projects/${project.name}/repositories/${encodeURIComponent(encodeURIComponent(repository.slice(project.name.length + 1)))}/artifacts/${a.digest}/additions/vulnerabilities`,
          absolute: false,
        },
      },
    };
    if (parseBool(q.get('with_tag') ?? 'true')) {
      out.tags = a.tags.map((name) => ({
        id: this.id(this.artifactIds, `${key}:${name}`),
        repository_id: repoId,
        artifact_id: artifactId,
        name,
        push_time: pushTime,
        pull_time: '0001-01-01T00:00:00.000Z',
        immutable: false,
      }));
    }
    if (parseBool(q.get('with_label') ?? 'false')) out.labels = [];
    if (parseBool(q.get('with_scan_overview') ?? 'false')) {
      const overview = this.scans.overview(
        repository,
        a.digest,
        ctx.req.headers['x-accept-vulnerabilities'] as string | undefined,
        childDigests(a.manifest),
      );
      if (overview) out.scan_overview = overview;
    }
    return out;
  }

  private async op_listArtifacts(ctx: Ctx): Promise<Reply> {
    const project = this.readableProject(ctx, 'artifact:list');
    const repository = this.repoName(ctx);
    const artifacts = await this.artifactsOf(repository);
    if (artifacts.length === 0 && !(await this.repositoryNames()).includes(repository))
      throw new HttpError(404, 'NOT_FOUND', `repository ${repository} not found`);
    // listArtifacts' q: tags=* (tagged), tags=nil (untagged), tags=~v (fuzzy), tags=v (exact) — swagger description.
    const tags = parseQ(ctx.url.searchParams.get('q')).tags;
    const selected =
      tags === undefined
        ? artifacts
        : tags === '*'
          ? artifacts.filter((a) => a.tags.length > 0)
          : tags === 'nil'
            ? artifacts.filter((a) => a.tags.length === 0)
            : tags.startsWith('~')
              ? artifacts.filter((a) => a.tags.some((t) => t.includes(tags.slice(1))))
              : artifacts.filter((a) => a.tags.includes(tags));
    return paginate(ctx, selected, (a) => this.artifactJson(ctx, project, repository, a));
  }

  private async op_getArtifact(ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await this.findArtifact(ctx, 'artifact:read');
    return {
      status: 200,
      body: this.artifactJson(ctx, this.projects.get(ctx.params.project_name)!, repository, artifact),
    };
  }

  private async op_deleteArtifact(ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await this.findArtifact(ctx, 'artifact:delete');
    const status = await this.registryClient.deleteManifest(repository, artifact.digest);
    if (status !== 202) throw new HttpError(500, 'UNKNOWN', `registry answered ${status} to the delete`);
    return { status: 200 };
  }

  // ---------------------------------------------------------------- scan

  private async op_scanArtifact(ctx: Ctx): Promise<Reply> {
    // ScanArtifact requires scan:create (src/server/v2.0/handler/scan.go): Maintainer and ProjectAdmin, not Developer.
    const { repository, artifact } = await this.findArtifact(ctx, 'scan:create');
    this.scans.start(repository, artifact.digest, childDigests(artifact.manifest));
    return { status: 202 };
  }

  private async op_getReportLog(ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await this.findArtifact(ctx, 'scan:read');
    const log = this.scans.log(repository, artifact.digest, ctx.params.report_id);
    if (log === undefined) throw new HttpError(404, 'NOT_FOUND', `report ${ctx.params.report_id} not found`);
    return { status: 200, text: log };
  }

  private async op_stopScanArtifact(ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await this.findArtifact(ctx, 'scan:stop');
    if (!this.scans.cancel(repository, artifact.digest))
      throw new HttpError(400, 'BAD_REQUEST', 'no running scan to stop');
    return { status: 202 };
  }

  private async op_getVulnerabilitiesAddition(ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await this.findArtifact(ctx, 'artifact-addition:read');
    const body = this.scans.additions(
      repository,
      artifact.digest,
      ctx.req.headers['x-accept-vulnerabilities'] as string | undefined,
      childDigests(artifact.manifest),
    );
    // swagger declares `schema: type: string`: Harbor writes the JSON map as an opaque string body.
    return { status: 200, text: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  }

  // ---------------------------------------------------------------- registries

  private registryJson(r: StoredRegistry): unknown {
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      type: r.type,
      description: r.description,
      insecure: r.insecure,
      ...(r.ca_certificate ? { ca_certificate: r.ca_certificate } : {}),
      // Harbor never returns a stored secret (registry handler masks it as "*****").
      credential: r.credential
        ? { type: r.credential.type, access_key: r.credential.access_key, access_secret: '*****' }
        : { type: 'basic', access_key: '', access_secret: '' },
      status: 'healthy',
      creation_time: r.creation_time,
      update_time: r.update_time,
    };
  }

  private storedRegistry(id: number): StoredRegistry {
    const r = this.registries.get(id);
    if (!r) throw new HttpError(404, 'NOT_FOUND', `registry ${id} not found`);
    return r;
  }

  private op_listRegistries(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    const name = ctx.url.searchParams.get('name') ?? query.name;
    let list = [...this.registries.values()];
    if (name) list = list.filter((r) => (name.startsWith('~') ? r.name.includes(name.slice(1)) : r.name === name));
    return paginate(ctx, list, (r) => this.registryJson(r));
  }

  private op_createRegistry(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:create');
    const b = ctx.body ?? {};
    if (!b.name || !b.url) throw new HttpError(400, 'BAD_REQUEST', 'name and url are required');
    checkRegistryName(b.name);
    if (!ADAPTERS.includes(b.type))
      throw new HttpError(400, 'BAD_REQUEST', `invalid registry type ${JSON.stringify(b.type)}`);
    if ([...this.registries.values()].some((r) => r.name === b.name))
      throw new HttpError(409, 'CONFLICT', `registry ${b.name} already exists`);
    const t = now();
    const r: StoredRegistry = {
      id: this.registries.size ? Math.max(...this.registries.keys()) + 1 : 1,
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
    this.registries.set(r.id, r);
    return { status: 201, headers: { location: `${this.contract.basePath}/registries/${r.id}` } };
  }

  private op_getRegistry(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:read');
    return { status: 200, body: this.registryJson(this.storedRegistry(Number(ctx.params.id))) };
  }

  private op_updateRegistry(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:update');
    const r = this.storedRegistry(Number(ctx.params.id));
    const b = ctx.body ?? {};
    if (b.name != null) checkRegistryName(b.name);
    if (b.name && b.name !== r.name && [...this.registries.values()].some((x) => x.name === b.name))
      throw new HttpError(409, 'CONFLICT', `registry ${b.name} already exists`);
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
    r.update_time = now();
    return { status: 200 };
  }

  private op_deleteRegistry(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:delete');
    const r = this.storedRegistry(Number(ctx.params.id));
    const used = [...this.policies.values()].some(
      (p) => p.body.src_registry?.id === r.id || p.body.dest_registry?.id === r.id,
    );
    if (used) throw new HttpError(412, 'PRECONDITION', `registry ${r.id} is referenced by replication policies`);
    this.registries.delete(r.id);
    return { status: 200 };
  }

  private op_getRegistryInfo(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'registry:read');
    const r = this.storedRegistry(Number(ctx.params.id));
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
  }

  /** POST /registries/ping really contacts the registry with the given (or stored) credentials. */
  private async op_pingRegistry(ctx: Ctx): Promise<Reply> {
    this.requireSystem(ctx.principal, 'registry:read');
    const b = ctx.body ?? {};
    const stored = b.id != null ? this.storedRegistry(Number(b.id)) : undefined;
    const url = b.url ?? stored?.url;
    if (!url) throw new HttpError(400, 'BAD_REQUEST', 'url is required');
    if (b.type != null && !ADAPTERS.includes(b.type))
      throw new HttpError(400, 'BAD_REQUEST', `invalid registry type ${JSON.stringify(b.type)}`);
    const client = new RegistryClient({
      url,
      username: b.access_key ?? stored?.credential?.access_key,
      password: b.access_secret ?? stored?.credential?.access_secret,
      insecure: b.insecure ?? stored?.insecure,
      ca: b.ca_certificate ?? stored?.ca_certificate,
    });
    // Without credentials Harbor only checks that the registry answers (native adapter HealthCheck → PingSimple, which
    // counts 401/403 as healthy: src/pkg/reg/adapter/native/adapter.go); with them it must log in.
    const anonymous = !client.endpoint.username && !client.endpoint.password;
    const healthy = anonymous
      ? await request(`${String(url).replace(/\/+$/, '')}/v2/`, {
          ca: client.endpoint.ca,
          insecure: client.endpoint.insecure,
        }).then(
          (res) => [200, 401, 403].includes(res.status),
          () => false,
        )
      : await client.ping().catch(() => false);
    // Harbor answers 400 "the registry is unhealthy" when the health check fails (registry handler PingRegistry).
    if (!healthy) throw new HttpError(400, 'BAD_REQUEST', 'the registry is unhealthy');
    return { status: 200 };
  }

  private op_listRegistryProviderTypes(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-adapter:list');
    return { status: 200, body: ADAPTERS };
  }

  // ---------------------------------------------------------------- replication policies

  private localRegistryJson(): Record<string, unknown> {
    // Harbor shows the local side of a policy as registry 0 named "Local" (replication policy model ToSwagger).
    return {
      id: 0,
      name: 'Local',
      type: 'harbor',
      url: this.url,
      insecure: true,
      credential: { type: 'secret', access_key: '', access_secret: '*****' },
      status: 'healthy',
      description: '',
    };
  }

  private policyJson(p: Policy): unknown {
    const side = (r: any) => (r?.id ? this.registryJson(this.storedRegistry(r.id)) : this.localRegistryJson());
    return {
      id: p.id,
      name: p.body.name,
      description: p.body.description ?? '',
      src_registry: side(p.body.src_registry),
      dest_registry: side(p.body.dest_registry),
      dest_namespace: p.body.dest_namespace ?? '',
      dest_namespace_replace_count: p.body.dest_namespace_replace_count ?? -1,
      trigger: p.body.trigger ?? { type: 'manual', trigger_settings: { cron: '' } },
      filters: p.body.filters ?? [],
      replicate_deletion: !!(p.body.replicate_deletion ?? p.body.deletion),
      deletion: !!(p.body.replicate_deletion ?? p.body.deletion),
      override: p.body.override ?? true,
      enabled: p.body.enabled ?? true,
      // A negative speed is stored as 0 and an absent one is Go's zero (src/server/v2.0/handler/replication.go).
      speed: Math.max(0, p.body.speed ?? 0),
      copy_by_chunk: !!p.body.copy_by_chunk,
      single_active_replication: !!p.body.single_active_replication,
      creation_time: p.creation_time,
      update_time: p.update_time,
    };
  }

  private validatePolicy(b: any, selfId?: number): void {
    if (!b?.name) throw new HttpError(400, 'BAD_REQUEST', 'policy name is required');
    if ([...this.policies.values()].some((p) => p.body.name === b.name && p.id !== selfId))
      throw new HttpError(409, 'CONFLICT', `policy ${b.name} already exists`);
    const src = b.src_registry?.id ?? 0;
    const dest = b.dest_registry?.id ?? 0;
    // Exactly one side is remote: push-based (src local) or pull-based (dest local) (replication policy Validate()).
    if ((src === 0) === (dest === 0))
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'either src_registry or dest_registry must be a remote registry, not both',
      );
    for (const id of [src, dest])
      if (id && !this.registries.has(id)) throw new HttpError(400, 'BAD_REQUEST', `registry ${id} not found`);
    // Policy.Validate (src/controller/replication/model/model.go): a scheduled trigger's cron starts with 0 seconds and
    // its minutes are not '*'.
    if (b.trigger?.type === 'scheduled') {
      const parts = String(b.trigger.trigger_settings?.cron ?? '').split(' ');
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

  private op_listReplicationPolicies(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-policy:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    const name = ctx.url.searchParams.get('name') ?? query.name;
    let list = [...this.policies.values()];
    if (name)
      list = list.filter((p) => (name.startsWith('~') ? p.body.name.includes(name.slice(1)) : p.body.name === name));
    return paginate(ctx, list, (p) => this.policyJson(p));
  }

  private op_createReplicationPolicy(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-policy:create');
    this.validatePolicy(ctx.body);
    const t = now();
    const id = this.policies.size ? Math.max(...this.policies.keys()) + 1 : 1;
    this.policies.set(id, { id, body: ctx.body, creation_time: t, update_time: t });
    return { status: 201, headers: { location: `${this.contract.basePath}/replication/policies/${id}` } };
  }

  private policy(id: number): Policy {
    const p = this.policies.get(id);
    if (!p) throw new HttpError(404, 'NOT_FOUND', `policy ${id} not found`);
    return p;
  }

  private op_getReplicationPolicy(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-policy:read');
    return { status: 200, body: this.policyJson(this.policy(Number(ctx.params.id))) };
  }

  private op_updateReplicationPolicy(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-policy:update');
    const p = this.policy(Number(ctx.params.id));
    this.validatePolicy(ctx.body, p.id);
    p.body = ctx.body;
    p.update_time = now();
    return { status: 200 };
  }

  private op_deleteReplicationPolicy(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication-policy:delete');
    const p = this.policy(Number(ctx.params.id));
    if (this.jobservice.hasRunning(p.id)) {
      throw new HttpError(412, 'PRECONDITION', `policy ${p.id} has running executions`);
    }
    this.policies.delete(p.id);
    return { status: 200 };
  }

  // ---------------------------------------------------------------- replication executions (jobservice)

  private execution(id: number): Execution {
    const e = this.jobservice.get(id);
    if (!e) throw new HttpError(404, 'NOT_FOUND', `execution ${id} not found`);
    return e;
  }

  private op_startReplication(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:create');
    const policyId = Number(ctx.body?.policy_id);
    const policy = this.policies.get(policyId);
    // GetPolicy reads the policy, then both registries (populateRegistry): either missing is 404
    // (src/server/v2.0/handler/replication.go StartReplication, src/controller/replication/policy.go,
    // src/pkg/replication/dao/dao.go and src/pkg/reg/dao/dao.go at v2.15.2).
    if (!policy) throw new HttpError(404, 'NOT_FOUND', `replication policy ${policyId} not found`);
    for (const side of [policy.body.src_registry, policy.body.dest_registry]) {
      if (side?.id && !this.registries.has(side.id))
        throw new HttpError(404, 'NOT_FOUND', `registry ${side.id} not found`);
    }
    // A disabled policy cannot be executed (replication controller Start: PreconditionCode).
    if (policy.body.enabled === false) throw new HttpError(412, 'PRECONDITION', `the policy ${policyId} is disabled`);
    const id = this.jobservice.start(policyId, policy.body);
    return { status: 201, headers: { location: `${this.contract.basePath}/replication/executions/${id}` } };
  }

  private endpointFor(side: { id?: number } | undefined | null): ReplicationEndpoint {
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

  private op_listReplicationExecutions(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:list');
    const q = ctx.url.searchParams;
    let list = this.jobservice.list();
    // Newest first unless sorted ascending explicitly (sort=start_time or sort=id); the pack asks for -start_time.
    if (q.get('sort') === 'start_time' || q.get('sort') === 'id') list = list.reverse();
    if (q.get('policy_id')) list = list.filter((e) => e.policy_id === Number(q.get('policy_id')));
    if (q.get('status')) list = list.filter((e) => e.status === q.get('status'));
    if (q.get('trigger')) list = list.filter((e) => e.trigger === q.get('trigger'));
    return paginate(ctx, list, (e) => this.jobservice.json(e, true));
  }

  private op_getReplicationExecution(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:read');
    return { status: 200, body: this.jobservice.json(this.execution(Number(ctx.params.id)), true) };
  }

  private op_stopReplication(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:create');
    this.jobservice.stop(this.execution(Number(ctx.params.id)));
    return { status: 200 };
  }

  private op_listReplicationTasks(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:list');
    const e = this.execution(Number(ctx.params.id));
    const q = ctx.url.searchParams;
    let tasks = this.jobservice.readTasks(e);
    if (q.get('status')) tasks = tasks.filter((t) => t.status === q.get('status'));
    if (q.get('resource_type')) tasks = tasks.filter((t) => t.resource_type === q.get('resource_type'));
    return paginate(ctx, tasks, (t) => this.jobservice.taskJson(t));
  }

  private op_getReplicationLog(ctx: Ctx): Reply {
    this.requireSystem(ctx.principal, 'replication:read');
    const e = this.execution(Number(ctx.params.id));
    const task = e.tasks.find((t) => t.id === Number(ctx.params.task_id));
    if (!task) throw new HttpError(404, 'NOT_FOUND', `task ${ctx.params.task_id} not found`);
    return { status: 200, text: task.log.join('\n') + '\n' };
  }
}

// ---------------------------------------------------------------- helpers

function formatViolation(v: ContractViolation): string {
  return `  ${v.side} ${v.method} ${v.path}${v.status ? ` -> ${v.status}` : ''}${v.operationId ? ` (${v.operationId})` : ''}: ${v.message}`;
}

export { formatViolation };

function errorReply(e: unknown): Reply {
  if (e instanceof HttpError) return { status: e.status, body: { errors: [{ code: e.code, message: e.message }] } };
  if (e instanceof SyntaxError)
    return { status: 400, body: { errors: [{ code: 'BAD_REQUEST', message: 'invalid JSON body' }] } };
  return { status: 500, body: { errors: [{ code: 'UNKNOWN', message: e instanceof Error ? e.message : String(e) }] } };
}

/** The manifests an image index lists; empty for an image. */
function childDigests(manifest: { manifests?: Array<{ digest: string }> }): string[] {
  return (manifest.manifests ?? []).map((m) => m.digest);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBool(v: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** Registry names: not empty, at most 64 characters (src/controller/registry/controller.go validate at v2.15.2). */
function checkRegistryName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'name cannot be empty');
  if (name.length > 64) throw new HttpError(400, 'BAD_REQUEST', 'the max length of name is 64');
}

/**
 * Harbor's `q` query language, the `k=v` / `k=~v` subset (swagger parameters.query). Harbor unescapes the already
 * decoded value once more before splitting it, keeping it as is when that fails (src/lib/q/builder.go parseKeywords
 * at v2.15.2), so `q=name%253Dx` reads `name=x` and `+` reads as a space.
 */
function parseQ(q: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  let text = q ?? '';
  try {
    text = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Harbor logs the failure and uses the value as it came.
  }
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * Harbor pagination (src/server/v2.0/handler/base.go Links/SetPaginationHeader): page from 1, page_size default 10,
 * at most 100 (swagger parameters.pageSize), X-Total-Count, and a Link header with rel="prev"/rel="next" joined by " , ".
 */
function paginate<T>(ctx: Ctx, items: T[], map: (t: T) => unknown): Reply {
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

/** Starts an emulator (HTTP server + its token-auth registry). */
export async function startHarborEmulator(options: HarborEmulatorOptions = {}): Promise<HarborEmulator> {
  return new HarborEmulator(options).start();
}

/** Credentials header for tests. */
export function authHeader(c: Credentials): Record<string, string> {
  return { authorization: basicAuth(c.username, c.password) };
}
