import { filterArtifacts, filterRepositories } from './harbor-replication';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTempDir, removeTempDir } from './child-processes';
import type { ReplicationTimings } from './harbor-jobservice';
import { basicAuth, request } from './net-utils';
import { makeCa, makeServerCert, makeTokenSigningKey, TokenSigningKey } from './pki';
import { RegistryClient } from './registry-client';
import { Credentials, randomSecret, RegistryHandle, startRegistry } from './registry-launcher';
import { Access, parseScope, signRegistryToken } from './registry-token';
import { ContractViolation, harborContract, MatchedOperation } from './swagger-contract';
import type { ScanFixture, ScanTimings } from './harbor-scan-jobs';
import {
  Ctx,
  errorReply,
  HarborState,
  HttpError,
  now,
  Principal,
  readBody,
  Reply,
  RobotConfig,
  UserConfig,
} from './harbor/state';
import { ROUTES } from './harbor/routes';
import { deleteDeeply } from './harbor/routes/artifacts';
import { checkBlobCommit, checkManifestPush, ImmutableRule, PushCheck, quotaOf } from './harbor/registry-policies';

export type { ScanFixture, ScanTimings } from './harbor-scan-jobs';

// A Harbor core + jobservice stand-in in front of a real Distribution registry: one host serves /api/v2.0, the token
// service and /v2/, as Harbor does. Behaviour follows Harbor's swagger (checked on every exchange) and, where the
// swagger is silent, Harbor's code; each such quirk names its source.

export type { ProjectRole, Permission } from './harbor-rbac';
export type { UserConfig, RobotConfig } from './harbor/state';

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
  /** Harbor's auth_mode; with `oidc_auth` users authenticate with their `cliSecret`, only where Harbor accepts it. */
  authMode?: 'db_auth' | 'oidc_auth';
  /**
   * Harbor's `robot_name_prefix` (default `robot$`; ROBOT_NAME_PREFIX, src/lib/config/metadata/metadatalist.go): robot
   * names start with it, and only names with it are robots (src/server/middleware/security/robot.go, oidc_cli.go).
   */
  robotNamePrefix?: string;
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
  private readonly contract = harborContract();
  /** What the route modules share. */
  readonly state: HarborState;
  private readonly log: RequestLogEntry[] = [];
  private readonly found: ContractViolation[] = [];
  private readonly injections: ResponseInjection[] = [];

  constructor(private readonly options: HarborEmulatorOptions = {}) {
    this.admin = { username: 'admin', password: options.adminPassword ?? 'Harbor12345' };
    this.state = new HarborState(this.contract.basePath, {
      harborVersion: options.harborVersion,
      authMode: options.authMode,
      robotNamePrefix: options.robotNamePrefix,
      scanTimings: options.scanTimings,
      replicationTimings: {
        ...options.replicationTimings,
        taskDelayMs: options.replicationTaskDelayMs ?? options.replicationTimings?.taskDelayMs ?? 0,
      },
    });
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
    Object.assign(this.state, { url: this.url, host: this.host, caPem: this.caPem });
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
    this.state.registryClient = new RegistryClient({
      url: this.registry.url,
      ...this.state.jobserviceCredentials,
      ca: this.caPem,
    });
    const t = now();
    this.state.users.set('admin', { ...this.admin, sysadmin: true, id: 1, creation_time: t });
    for (const u of this.options.users ?? []) this.addUser(u);
    for (const p of this.options.projects ?? [{ name: 'library', public: true }])
      this.state.createProject(p.name, p.public ?? false, undefined);
    for (const u of this.options.users ?? []) {
      for (const [project, role] of Object.entries(u.projects ?? {}))
        this.state.projects.get(project)?.members.set(u.username, role);
    }
    for (const r of this.options.robots ?? []) this.addRobot(r);
    return this;
  }

  // ---------------------------------------------------------------- control API (for tests)

  addUser(u: UserConfig): Credentials {
    this.state.users.set(u.username, { ...u, id: ++this.state.seq, creation_time: now() });
    for (const [project, role] of Object.entries(u.projects ?? {}))
      this.state.projects.get(project)?.members.set(u.username, role);
    return { username: u.username, password: u.password };
  }

  /** Adds a robot account; returns its full name (`robot$...`, or the configured prefix) and secret. */
  addRobot(r: RobotConfig): Credentials {
    if (r.level === 'project' && !r.project) throw new Error('a project robot needs its project');
    const prefix = this.state.robotNamePrefix;
    const fullName = r.level === 'system' ? `${prefix}${r.name}` : `${prefix}${r.project}+${r.name}`;
    const secret = r.secret ?? randomSecret();
    this.state.robots.set(fullName, { ...r, id: ++this.state.seq, fullName, secret });
    return { username: fullName, password: secret };
  }

  /** A UI-style session: requests carrying cookie `sid=<value>` act as `username` (and are subject to CSRF). */
  createSession(username: string): { cookie: string; csrfToken: string } {
    const sid = randomSecret(16);
    this.state.sessions.set(sid, username);
    return { cookie: `sid=${sid}`, csrfToken: this.state.csrfToken };
  }

  /** The report scans of `repository` (or of one manifest, `repository@digest`) produce (Trivy golden, Harbor report, or outcome Error). */
  setScanFixture(repository: string, fixture: ScanFixture): void {
    this.state.scans.setFixture(repository, fixture);
  }

  setDefaultScanFixture(fixture: ScanFixture): void {
    this.state.scans.setDefaultFixture(fixture);
  }

  /** Applies to scans requested from now on. */
  setScanTimings(t: Partial<ScanTimings>): void {
    this.state.scans.setTimings(t);
  }

  /**
   * Runs of the replication task of this repository (having this tag, when given) fail instead of copying: the first
   * `times` runs (Harbor's retry then succeeds), or every run (Harbor gives up after 3).
   */
  failReplicationOf(target: { repository: string; tag?: string; times?: number }): void {
    this.state.jobservice.failReplicationOf(target);
  }

  /** Delay before each replication task starts (observe InProgress, stop an execution midway). */
  setReplicationTaskDelay(ms: number): void {
    this.state.jobservice.setTimings({ taskDelayMs: ms });
  }

  setReplicationTimings(t: Partial<ReplicationTimings>): void {
    this.state.jobservice.setTimings(t);
  }

  replicationTimings(): ReplicationTimings {
    return this.state.jobservice.getTimings();
  }

  /** The project's storage quota in bytes (-1: unlimited), as an admin sets it (PUT /quotas/{id}). */
  setProjectQuota(project: string, storageBytes: number): void {
    quotaOf(this.state, project).hard = storageBytes;
  }

  /** An immutable tag rule of the project (POST /projects/{project}/immutabletagrules). */
  addImmutableRule(project: string, rule: ImmutableRule): void {
    this.state.immutableRules.set(project, [...(this.state.immutableRules.get(project) ?? []), rule]);
  }

  setHealth(component: string, healthy: boolean, error?: string): void {
    this.state.health.set(
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
    return { ...this.state.jobserviceCredentials };
  }

  /** Stops server and registry; throws when contract violations were recorded, unless told to ignore them. */
  async stop(opts: { ignoreViolations?: boolean } = {}): Promise<void> {
    await this.state.jobservice.shutdown();
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
        principal = this.state.authenticate(req);
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
      principal = this.state.authenticate(req);
      this.state.checkCsrf(req);
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
    if (req.method === 'GET' && matched) headers['x-harbor-csrf-token'] = this.state.csrfToken;
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
  private async proxyRegistry(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    // Harbor serves the referrers API itself, from its accessories (src/server/registry/referrers.go); pull access is
    // checked as for the subject's manifest, so a HEAD of it through the registry decides.
    const referrers = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (referrers && req.method === 'GET') return this.serveReferrers(req, res, url, referrers[1], referrers[2]);
    // Harbor's push policies (immutable tags, project quota) run before the request reaches the registry.
    const manifestPut = req.method === 'PUT' ? /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname) : null;
    const blobCommit = req.method === 'PUT' ? /^\/v2\/(.+)\/blobs\/uploads\/[^/]+$/.exec(url.pathname) : null;
    // Harbor's deleteManifest deletes the artifact as the API's DeleteArtifact does, quota refresh included
    // (src/server/registry/manifest.go, route.go). Its 400 UNSUPPORTED to a tag reference is not emulated.
    const manifestDelete =
      req.method === 'DELETE' ? /^\/v2\/(.+)\/manifests\/(sha256:[a-f0-9]{64})$/.exec(url.pathname) : null;
    let body: Buffer | undefined;
    let check: PushCheck = {};
    if (manifestPut) {
      body = await readBody(req);
      check = await checkManifestPush(this.state, manifestPut[1], decodeURIComponent(manifestPut[2]), body);
    } else if (blobCommit) {
      const size = Number(req.headers['content-length'] ?? 0) || (await this.uploadedBytes(req, url));
      check = checkBlobCommit(this.state, blobCommit[1], url.searchParams.get('digest') ?? '', size);
    }
    if (check.refusal) {
      if (!body) req.resume();
      const payload = JSON.stringify(check.refusal.body);
      res.writeHead(check.refusal.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
      });
      res.end(payload);
      this.log.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        status: check.refusal.status,
        at: Date.now(),
      });
      return;
    }
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
        async (up) => {
          if (up.statusCode === 401) {
            up.resume();
            this.refuse(req.method ?? 'GET', req.headers, res, url, up.headers['www-authenticate']);
            return resolve();
          }
          if ((up.statusCode ?? 502) < 300) check.commit?.();
          if (manifestDelete && up.statusCode === 202) {
            const failed = await deleteDeeply(this.state, manifestDelete[1], manifestDelete[2]).then(
              () => undefined,
              (e: unknown) => JSON.stringify({ errors: [{ code: 'UNKNOWN', message: String(e) }] }),
            );
            if (failed) {
              up.resume();
              res.writeHead(500, { 'content-type': 'application/json' });
              res.end(failed);
              return resolve();
            }
          }
          // Harbor's cosign and subject middlewares run after the registry accepted a manifest (AfterResponse).
          const subject =
            manifestPut && body && up.statusCode === 201
              ? this.state.accessories.manifestPushed(
                  manifestPut[1],
                  decodeURIComponent(manifestPut[2]),
                  String(req.headers['content-type'] ?? ''),
                  body,
                )
              : undefined;
          if (manifestPut && body && up.statusCode === 201) {
            this.replicationEvent(
              manifestPut[1],
              String(up.headers['docker-content-digest'] ?? ''),
              decodeURIComponent(manifestPut[2]),
            );
          }
          res.writeHead(up.statusCode ?? 502, subject ? { ...up.headers, 'oci-subject': subject } : up.headers);
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
      if (body) upstream.end(body);
      else req.pipe(upstream);
    });
  }

  private async serveReferrers(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    repository: string,
    digest: string,
  ): Promise<void> {
    const probe = await request(`${this.registry.url}/v2/${repository}/manifests/${digest}`, {
      method: 'HEAD',
      headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
    });
    if (probe.status === 401) return this.refuse('GET', req.headers, res, url, probe.headers['www-authenticate']);
    const artifactType = url.searchParams.get('artifactType');
    const index = this.state.accessories.referrersIndex(repository, digest, artifactType);
    res.writeHead(200, {
      'content-type': 'application/vnd.oci.image.index.v1+json',
      'content-length': String(index.length),
      'docker-distribution-api-version': 'registry/2.0',
      ...(artifactType ? { 'oci-filters-applied': 'artifactType' } : {}),
    });
    res.end(index);
    this.log.push({ method: 'GET', path: url.pathname + url.search, status: 200, at: Date.now() });
  }

  /**
   * Harbor's v2auth middleware answers refusals itself: 401 UNAUTHORIZED, a Basic challenge when the request carried
   * credentials, a Bearer one towards the token service otherwise — never insufficient_scope
   * (src/server/middleware/v2auth/auth.go getChallenge).
   */
  /**
   * The push event's replication (src/controller/event/handler/replication/replication.go handlePushArtifact, then
   * event/handler.go getRelatedPolicies): every enabled event_based policy whose source is this Harbor and whose
   * filters match the pushed artifact — with only its own tag, an accessory included, since the event knows no parent
   * (src/pkg/reg/filter/artifact.go uses parent tags only for accessories a listing found) — runs for that artifact
   * alone. artifact.Ctl.Ensure fires the event for every manifest PUT (src/controller/artifact/controller.go).
   */
  private replicationEvent(repository: string, digest: string, reference: string): void {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return;
    const tags = reference.startsWith('sha256:') ? [] : [reference];
    const pushed = { repository, digest, tags };
    for (const policy of this.state.policies.values()) {
      const b = policy.body as Record<string, any>;
      if (!b.enabled || b.trigger?.type !== 'event_based' || b.src_registry?.id) continue;
      const filters = b.filters ?? [];
      if (filterRepositories([repository], filters).length === 0) continue;
      if (filterArtifacts([pushed], filters).length === 0) continue;
      this.state.jobservice.start(policy.id, b, pushed);
    }
  }

  private refuse(
    method: string,
    headers: http.IncomingHttpHeaders,
    res: http.ServerResponse,
    url: URL,
    upstreamChallenge: unknown,
  ): void {
    const challenge = headers.authorization
      ? 'Basic realm="harbor"'
      : String(upstreamChallenge ?? '').replace(/,error="[^"]*"/, '');
    const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] });
    res.writeHead(401, {
      'www-authenticate': challenge,
      'docker-distribution-api-version': 'registry/2.0',
      'content-type': 'application/json',
      'content-length': String(body.length),
    });
    res.end(method === 'HEAD' ? undefined : body);
    this.log.push({ method, path: url.pathname + url.search, status: 401, at: Date.now() });
  }

  /** The bytes an upload session holds, as the registry reports them (Range: 0-<last>), for a commit without a body. */
  private async uploadedBytes(req: http.IncomingMessage, url: URL): Promise<number> {
    const res = await request(`${this.registry.url}${url.pathname}`, {
      headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
    });
    const range = /^0-(\d+)$/.exec(String(res.headers.range ?? ''));
    return range ? Number(range[1]) + 1 : 0;
  }

  // ---------------------------------------------------------------- identity

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
        actions = this.state.isSystem(principal) && principal.kind !== 'robot' ? ['*'] : [];
      } else if (a.type === 'repository') {
        const project = this.state.projects.get(a.name.split('/')[0]);
        // No project, no access: a push to a project that does not exist is refused here, as in Harbor.
        if (project) {
          const wanted = a.actions.includes('*') ? ['pull', 'push', 'delete'] : a.actions;
          actions = wanted.filter((x) =>
            x === 'pull'
              ? this.state.canPull(principal, project)
              : x === 'push'
                ? this.state.canPush(principal, project)
                : x === 'delete'
                  ? this.state.can(principal, project, 'repository:delete')
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

  /** One route table keyed by operationId (./harbor/routes); every request and response passes the contract check in handle/send. */
  private async dispatch(ctx: Ctx): Promise<Reply> {
    const op = ctx.matched.operation.operationId;
    const handler = Object.hasOwn(ROUTES, op) ? ROUTES[op as keyof typeof ROUTES] : undefined;
    if (!handler) throw new HttpError(501, 'NOT_IMPLEMENTED', `the emulator does not implement ${op}`);
    return handler(this.state, ctx);
  }

  // ---------------------------------------------------------------- projects

  // ---------------------------------------------------------------- repositories and artifacts

  // ---------------------------------------------------------------- scan

  // ---------------------------------------------------------------- registries

  // ---------------------------------------------------------------- replication policies

  // ---------------------------------------------------------------- replication executions (jobservice)
}

// ---------------------------------------------------------------- helpers

function formatViolation(v: ContractViolation): string {
  return `  ${v.side} ${v.method} ${v.path}${v.status ? ` -> ${v.status}` : ''}${v.operationId ? ` (${v.operationId})` : ''}: ${v.message}`;
}

export { formatViolation };

/** Starts an emulator (HTTP server + its token-auth registry). */
export async function startHarborEmulator(options: HarborEmulatorOptions = {}): Promise<HarborEmulator> {
  return new HarborEmulator(options).start();
}

/** Credentials header for tests. */
export function authHeader(c: Credentials): Record<string, string> {
  return { authorization: basicAuth(c.username, c.password) };
}
