import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runSkopeo, skopeoCopy, type RegistryAccess } from '../../sandbox/skopeo';
import { aksContract, armContract, type ArmOperation } from './arm-contract';
import { aksClusterKey, makeCluster, routeAks, type FakeCluster, type FakeClusterInit } from './fake-aks';
import { standInServer } from '../stand-in-server';
import { recordManifest, type ReferrerEntry } from './acr-referrers';

/**
 * A loopback stand-in for Azure Resource Manager's ACR provider: registries, scope maps, tokens, generateCredentials
 * and importImage, with long-running operations through Azure-AsyncOperation and Location exactly as the spec
 * declares them. Every request is checked against the spec (api-version, path parameters, body schema, no read-only
 * or unknown properties) and rejected with ARM's error shape when it breaks it; every response is checked before it
 * is sent. Both kinds of problems land in `violations`, which tests assert empty.
 */

export interface FakeRegistryInit {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  sku?: 'Classic' | 'Basic' | 'Standard' | 'Premium';
  /** Default <name>.azurecr.io; the end-to-end test points it at a loopback registry. */
  loginServer?: string;
  /**
   * How the registry's own service logs in to `loginServer` (a loopback registry standing in for ACR's storage). With it,
   * importImage really copies the image there with skopeo, pulling from the source with the credentials in the body.
   */
  dataPlane?: { username: string; password: string; host?: string };
}

interface StoredPassword {
  name: 'password1' | 'password2';
  value: string;
  expiry?: string;
  creationTime: string;
}

export interface FakeScopeMap {
  name: string;
  actions: string[];
  description?: string;
  type: 'UserDefined' | 'SystemDefined';
  creationDate: string;
  provisioningState: string;
}

export interface FakeToken {
  name: string;
  scopeMapId?: string;
  status: 'enabled' | 'disabled';
  passwords: StoredPassword[];
  creationDate: string;
  provisioningState: string;
}

export interface FakeRegistry
  extends Required<Omit<FakeRegistryInit, 'dataPlane'>>, Pick<FakeRegistryInit, 'dataPlane'> {
  scopeMaps: Map<string, FakeScopeMap>;
  tokens: Map<string, FakeToken>;
  imports: unknown[];
  /** The referrers index (acr-referrers.ts): `<repository>@<subject digest>` → the manifests naming it. */
  referrers: Map<string, ReferrerEntry[]>;
}

export interface Failure {
  /** `request`: the first call answers the error; `operation`: accepted, then the long-running operation fails. */
  at: 'request' | 'operation';
  status?: number;
  code: string;
  message: string;
}

interface PendingOperation {
  /** The operation that started it: Location answers are checked against its declared responses. */
  operation: ArmOperation;
  pollsLeft: number;
  kind: 'async' | 'location';
  finish: () => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;
  failure?: Failure;
  result?: { status: number; body?: unknown };
  resourceId: string;
}

export interface FakeArmOptions {
  /** Decides whether a bearer token is valid (the Entra stand-in's tokens). Default: any non-empty token. */
  acceptToken?: (token: string) => boolean;
  /** Polls that answer "in progress" before an operation completes (default 1: every LRO is really followed). */
  polls?: number;
  /** Retry-After on operation answers, in seconds (default 0 so tests do not wait). */
  retryAfterSeconds?: number;
  /** The password value generateCredentials hands out (default random, like ACR). */
  generatePassword?: (token: string, name: string) => string;
  /** The stand-in's clock (password creation times, replication delay); tests inject a fake one. */
  now?: () => number;
  /** Runs an import (e.g. with skopeo) when importImage's operation completes. */
  onImport?: (registry: FakeRegistry, parameters: Record<string, unknown>) => Promise<void>;
}

const PROVIDER = 'Microsoft.ContainerRegistry';

export class FakeArm {
  url = '';
  readonly violations: string[] = [];
  /** Every HTTP request, operation polls included. */
  requests = 0;
  /** Every request that reached an operation, in order: `METHOD operationId`. */
  readonly calls: string[] = [];
  readonly registries = new Map<string, FakeRegistry>();
  /** AKS managed clusters (see fake-aks.ts). */
  readonly clusters = new Map<string, FakeCluster>();
  /** ARM actions the caller lacks, e.g. Microsoft.ContainerRegistry/registries/tokens/write. */
  readonly denied = new Set<string>();
  /** Injected failures by operationId. */
  readonly failures = new Map<string, Failure>();
  /** Per-operationId override of `polls` (Infinity: never finishes). */
  readonly pollsFor = new Map<string, number>();
  /**
   * How importImage answers. ACR sends 202 with Location (the spec's only declared header, and what `az acr import
   * --debug` shows); ARM lets a provider add Azure-AsyncOperation, which clients must then prefer; and ACR answers 200
   * when a small import finished within the request (Azure/acr#636).
   */
  importAnswer: 'location' | 'location+async' | 'at-once' = 'location';
  /**
   * How generateCredentials answers. The spec declares 200 (GenerateCredentialsResult) and 202 + Location; the real
   * service answers 200 with the passwords at once (Azure CLI's acr token.py takes whatever the SDK poller returns,
   * and `az acr token credential generate --debug` shows the 200), so both must work.
   */
  generateCredentialsAnswer: 'location' | 'at-once' = 'location';
  /**
   * ARM throttling by operationId: the next `times` requests answer 429 TooManyRequests with Retry-After before the
   * provider sees them (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling:
   * a throttled request was not processed and may be sent again after Retry-After).
   */
  readonly throttle = new Map<string, { times: number; retryAfterSeconds: number }>();
  /** Requests answered 429, as `METHOD operationId`. */
  readonly throttled: string[] = [];
  private readonly operations = new Map<string, PendingOperation>();
  /** Azure-AsyncOperation status URLs of operations that also answer at a Location URL. */
  private readonly statusAliases = new Map<string, PendingOperation>();
  private readonly server: http.Server;
  private readonly contract = armContract();
  private readonly aks = aksContract();

  constructor(private readonly options: FakeArmOptions = {}) {
    this.server = standInServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks).toString('utf8'))
          .then((answer) => this.send(res, answer))
          .catch((error: Error) => {
            this.violations.push(`fake ARM crashed: ${error.stack ?? error.message}`);
            this.send(res, { status: 500, body: { error: { code: 'InternalServerError', message: error.message } } });
          });
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addRegistry(init: FakeRegistryInit): FakeRegistry {
    const registry: FakeRegistry = {
      sku: 'Standard',
      loginServer: `${init.name.toLowerCase()}.azurecr.io`,
      ...init,
      scopeMaps: new Map(),
      tokens: new Map(),
      imports: [],
      referrers: new Map(),
    };
    this.registries.set(key(init.subscriptionId, init.resourceGroup, init.name), registry);
    return registry;
  }

  addCluster(init: FakeClusterInit): FakeCluster {
    const cluster = makeCluster(init);
    this.clusters.set(aksClusterKey(init.subscriptionId, init.resourceGroup, init.name), cluster);
    return cluster;
  }

  /** Whether a bearer token is one Entra issued (the data plane's /oauth2/exchange asks). */
  acceptsToken(token: string): boolean {
    return (this.options.acceptToken ?? (() => true))(token);
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Operations that changed something (not GETs), in order. */
  get writes(): string[] {
    return this.calls.filter((c) => !c.startsWith('GET '));
  }

  private send(res: http.ServerResponse, answer: Answer): void {
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers: Record<string, string> = { ...answer.headers, 'x-ms-request-id': randomUUID() };
    if (text) headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(answer.status, headers);
    res.end(text);
  }

  private async handle(req: http.IncomingMessage, body: string): Promise<Answer> {
    this.requests++;
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const operationPoll = /^(\/subscriptions\/.+)\/(operationStatuses|operationResults)\/([^/]+)$/.exec(url.pathname);
    if (operationPoll && method === 'GET') {
      const auth = this.authenticate(req);
      if (auth) return auth;
      if (url.searchParams.get('api-version') !== this.contract.apiVersion)
        this.violations.push(`GET ${url.pathname}: api-version ${url.searchParams.get('api-version')}`);
      return this.poll(operationPoll[2] === 'operationStatuses' ? 'async' : 'location', operationPoll[3], url.pathname);
    }
    const matched = this.contract.match(method, url.pathname) ?? this.aks.match(method, url.pathname);
    if (!matched) {
      this.violations.push(`${method} ${url.pathname}: no operation in the spec`);
      return armErrorAnswer(404, 'NoRegisteredProviderFound', `No operation ${method} ${url.pathname}`);
    }
    const { operation, params } = matched;
    this.calls.push(`${method} ${operation.operationId}`);
    // ARM authenticates before anything else; a request without any bearer token is a client bug as well.
    const auth = this.authenticate(req);
    if (auth) {
      if (!req.headers.authorization) this.violations.push(`${operation.operationId} request: no bearer token`);
      return this.checked(operation, auth);
    }
    const problems = operation.contract.checkRequest(operation, params, url.searchParams, req.headers, body);
    if (problems.length > 0) {
      this.violations.push(...problems.map((p) => `${operation.operationId} request: ${p}`));
      return this.checked(operation, armErrorAnswer(400, 'InvalidRequestContent', problems.join('; ')));
    }
    const answer =
      operation.contract === this.aks
        ? routeAks(operation, params, url.searchParams, this.clusters, this.denied)
        : await this.route(operation, params, body ? (JSON.parse(body) as Record<string, any>) : {});
    return this.checked(operation, answer);
  }

  private checked(operation: ArmOperation, answer: Answer): Answer {
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    // ARM's front door answers 401/403/404 for any operation with the common ErrorResponse, declared or not.
    const problems =
      !operation.responses[String(answer.status)] && !operation.responses.default && answer.status >= 400
        ? operation.contract.validate(
            'ErrorResponse',
            { $ref: '../../../../../../common-types/resource-management/v6/types.json#/definitions/ErrorResponse' },
            text,
          )
        : operation.contract.checkResponse(operation, answer.status, headers, text);
    this.violations.push(...problems.map((p) => `${operation.operationId} response ${answer.status}: ${p}`));
    return answer;
  }

  private authenticate(req: http.IncomingMessage): Answer | undefined {
    const token = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || !(this.options.acceptToken ?? (() => true))(token)) {
      return armErrorAnswer(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
    return undefined;
  }

  private async route(operation: ArmOperation, p: Record<string, string>, body: Record<string, any>): Promise<Answer> {
    const registry = this.registries.get(key(p.subscriptionId, p.resourceGroupName, p.registryName));
    const registryId = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/${PROVIDER}/registries/${p.registryName}`;
    const [group, verb] = operationAction(operation.operationId);
    const action = `${PROVIDER}/registries${group ? `/${group}` : ''}/${verb}`;
    if (this.denied.has(action)) {
      return armErrorAnswer(
        403,
        'AuthorizationFailed',
        `The client '00000000-aaaa-bbbb-cccc-000000000000' with object id '00000000-aaaa-bbbb-cccc-000000000000' does not have authorization to perform action '${action}' over scope '${registryId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
    if (!registry) {
      return armErrorAnswer(
        404,
        'ResourceNotFound',
        `The Resource '${PROVIDER}/registries/${p.registryName}' under resource group '${p.resourceGroupName}' was not found.`,
      );
    }
    const throttle = this.throttle.get(operation.operationId);
    if (throttle && throttle.times > 0) {
      throttle.times--;
      this.throttled.push(operation.operationId);
      return {
        ...armErrorAnswer(
          429,
          'TooManyRequests',
          'The request is being throttled as the limit has been reached for operation type.',
        ),
        headers: { 'Retry-After': String(throttle.retryAfterSeconds) },
      };
    }
    const failure = this.failures.get(operation.operationId);
    if (failure?.at === 'request') return armErrorAnswer(failure.status ?? 400, failure.code, failure.message);
    const now = new Date().toISOString();
    switch (operation.operationId) {
      case 'Registries_Get':
        return {
          status: 200,
          body: {
            id: registryId,
            name: registry.name,
            type: `${PROVIDER}/registries`,
            location: 'westeurope',
            sku: { name: registry.sku, tier: registry.sku },
            properties: { loginServer: registry.loginServer, provisioningState: 'Succeeded', adminUserEnabled: false },
          },
        };
      case 'ScopeMaps_Get': {
        const map = registry.scopeMaps.get(p.scopeMapName.toLowerCase());
        return map
          ? { status: 200, body: scopeMapBody(registryId, map) }
          : armErrorAnswer(404, 'ResourceNotFound', `scope map ${p.scopeMapName} not found`);
      }
      case 'ScopeMaps_Create':
      case 'ScopeMaps_Update': {
        const existing = registry.scopeMaps.get(p.scopeMapName.toLowerCase());
        if (!existing && operation.operationId === 'ScopeMaps_Update')
          return armErrorAnswer(404, 'ResourceNotFound', `scope map ${p.scopeMapName} not found`);
        if (existing?.type === 'SystemDefined')
          return armErrorAnswer(
            400,
            'ScopeMapNotEditable',
            `Scope map ${p.scopeMapName} is system defined and cannot be modified.`,
          );
        const invalid = body.properties?.actions ? scopeMapActionProblem(body.properties.actions) : undefined;
        if (invalid) return armErrorAnswer(400, 'InvalidScopeMapActions', invalid);
        const map: FakeScopeMap = existing ?? {
          name: p.scopeMapName,
          actions: [],
          type: 'UserDefined',
          creationDate: now,
          provisioningState: 'Creating',
        };
        const before = { ...map };
        if (body.properties?.actions) map.actions = [...body.properties.actions];
        if (body.properties?.description !== undefined) map.description = body.properties.description;
        map.provisioningState = existing ? 'Updating' : 'Creating';
        registry.scopeMaps.set(p.scopeMapName.toLowerCase(), map);
        const resourceId = `${registryId}/scopeMaps/${p.scopeMapName}`;
        return this.startAsync(
          operation,
          resourceId,
          existing ? 200 : 201,
          scopeMapBody(registryId, map),
          () => {
            map.provisioningState = 'Succeeded';
          },
          () => {
            if (existing) Object.assign(map, before, { provisioningState: 'Failed' });
            else map.provisioningState = 'Failed';
          },
        );
      }
      case 'Tokens_Get': {
        const token = registry.tokens.get(p.tokenName.toLowerCase());
        return token
          ? { status: 200, body: tokenBody(registryId, token) }
          : armErrorAnswer(404, 'ResourceNotFound', `token ${p.tokenName} not found`);
      }
      case 'Tokens_Create':
      case 'Tokens_Update': {
        const existing = registry.tokens.get(p.tokenName.toLowerCase());
        if (!existing && operation.operationId === 'Tokens_Update')
          return armErrorAnswer(404, 'ResourceNotFound', `token ${p.tokenName} not found`);
        const scopeMapId: string | undefined = body.properties?.scopeMapId;
        if (scopeMapId !== undefined && !this.scopeMapExists(registry, registryId, scopeMapId)) {
          return armErrorAnswer(
            400,
            'InvalidScopeMapId',
            `The scope map id '${scopeMapId}' does not refer to a scope map of this registry.`,
          );
        }
        if (!existing && !scopeMapId) return armErrorAnswer(400, 'InvalidScopeMapId', 'A token needs a scope map.');
        const token: FakeToken = existing ?? {
          name: p.tokenName,
          status: 'enabled',
          passwords: [],
          creationDate: now,
          provisioningState: 'Creating',
        };
        if (scopeMapId) token.scopeMapId = scopeMapId;
        if (body.properties?.status) token.status = body.properties.status;
        token.provisioningState = existing ? 'Updating' : 'Creating';
        registry.tokens.set(p.tokenName.toLowerCase(), token);
        const resourceId = `${registryId}/tokens/${p.tokenName}`;
        return this.startAsync(
          operation,
          resourceId,
          existing ? 200 : 201,
          tokenBody(registryId, token),
          () => {
            token.provisioningState = 'Succeeded';
          },
          () => {
            token.provisioningState = 'Failed';
          },
        );
      }
      case 'Registries_GenerateCredentials': {
        const tokenName =
          String(body.tokenId ?? '')
            .split('/')
            .pop() ?? '';
        const token = registry.tokens.get(tokenName.toLowerCase());
        if (!token || String(body.tokenId).toLowerCase() !== `${registryId}/tokens/${tokenName}`.toLowerCase()) {
          return armErrorAnswer(404, 'TokenNotFound', `Token '${body.tokenId}' was not found.`);
        }
        const names: ('password1' | 'password2')[] = body.name ? [body.name] : ['password1', 'password2'];
        const generate = () => {
          const generated = names.map((name) => {
            const password: StoredPassword = {
              name,
              value:
                this.options.generatePassword?.(token.name, name) ??
                randomBytes(24).toString('base64').replace(/[+/=]/g, 'A'),
              creationTime: new Date(this.now()).toISOString(),
              ...(body.expiry ? { expiry: body.expiry } : {}),
            };
            token.passwords = [...token.passwords.filter((x) => x.name !== name), password];
            return password;
          });
          return {
            status: 200,
            body: {
              username: token.name,
              passwords: generated.map((g) => ({
                name: g.name,
                value: g.value,
                creationTime: g.creationTime,
                ...(g.expiry ? { expiry: g.expiry } : {}),
              })),
            },
          };
        };
        if (this.generateCredentialsAnswer === 'at-once') return generate();
        return this.startLocation(operation, registryId, generate);
      }
      case 'Registries_ImportImage': {
        const refused = importProblems(body);
        if (refused) return armErrorAnswer(400, 'InvalidParameters', refused);
        const work = async () => {
          await this.options.onImport?.(registry, body);
          if (registry.dataPlane && body.source.registryUri) await copyImport(registry, body);
          registry.imports.push(body);
          return { status: 200 };
        };
        if (this.importAnswer === 'at-once') {
          return work().catch((error: Error) =>
            armErrorAnswer(400, error instanceof OperationFailure ? error.code : 'ImportFailed', error.message),
          );
        }
        return this.startLocation(operation, registryId, work, this.importAnswer === 'location+async');
      }
      default:
        this.violations.push(`fake ARM does not implement ${operation.operationId}`);
        return armErrorAnswer(501, 'NotImplemented', `${operation.operationId} is not implemented by the fake`);
    }
  }

  private scopeMapExists(registry: FakeRegistry, registryId: string, id: string): boolean {
    const name = id.split('/').pop() ?? '';
    return (
      id.toLowerCase() === `${registryId}/scopeMaps/${name}`.toLowerCase() && registry.scopeMaps.has(name.toLowerCase())
    );
  }

  private pollsOf(operation: ArmOperation): number {
    return this.pollsFor.get(operation.operationId) ?? this.options.polls ?? 1;
  }

  /** PUT/PATCH: the resource answers at once in a Creating/Updating state; Azure-AsyncOperation reports completion. */
  private startAsync(
    operation: ArmOperation,
    resourceId: string,
    status: number,
    body: unknown,
    succeed: () => void,
    fail: () => void,
  ): Answer {
    const id = randomUUID();
    const failure = this.failures.get(operation.operationId);
    this.operations.set(id, {
      operation,
      kind: 'async',
      pollsLeft: this.pollsOf(operation),
      resourceId,
      failure,
      finish: () => {
        if (failure) fail();
        else succeed();
        return { status: 200 };
      },
    });
    return {
      status,
      headers: {
        'Azure-AsyncOperation': `${this.url}${resourceId}/operationStatuses/${id}?api-version=${this.contract.apiVersion}`,
        'Retry-After': String(this.options.retryAfterSeconds ?? 0),
      },
      body,
    };
  }

  /**
   * POST: 202 with Location; the Location URL answers 202 until the result is ready, then the result. With
   * `withStatus`, an Azure-AsyncOperation URL reports the same operation's status as well.
   */
  private startLocation(
    operation: ArmOperation,
    registryId: string,
    finish: PendingOperation['finish'],
    withStatus = false,
  ): Answer {
    const id = randomUUID();
    const pending: PendingOperation = {
      operation,
      kind: 'location',
      pollsLeft: this.pollsOf(operation),
      resourceId: registryId,
      failure: this.failures.get(operation.operationId),
      finish,
    };
    this.operations.set(id, pending);
    const headers: Record<string, string> = {
      Location: `${this.url}${registryId}/operationResults/${id}?api-version=${this.contract.apiVersion}`,
      'Retry-After': String(this.options.retryAfterSeconds ?? 0),
    };
    if (withStatus) {
      const statusId = randomUUID();
      this.statusAliases.set(statusId, pending);
      headers['Azure-AsyncOperation'] =
        `${this.url}${registryId}/operationStatuses/${statusId}?api-version=${this.contract.apiVersion}`;
    }
    return { status: 202, headers };
  }

  private async poll(kind: 'async' | 'location', id: string, path: string): Promise<Answer> {
    const op = kind === 'async' ? (this.statusAliases.get(id) ?? this.operations.get(id)) : this.operations.get(id);
    if (!op || (op.kind !== kind && !this.statusAliases.has(id)))
      return armErrorAnswer(404, 'OperationNotFound', `operation ${id} not found`);
    const retry = { 'Retry-After': String(this.options.retryAfterSeconds ?? 0) };
    if (op.pollsLeft > 0) {
      op.pollsLeft--;
      if (kind === 'location') {
        // Like Azure, hand out a fresh Location on each 202; the old one stops answering.
        const next = randomUUID();
        this.operations.delete(id);
        this.operations.set(next, op);
        return this.checked(op.operation, {
          status: 202,
          headers: {
            ...retry,
            Location: `${this.url}${path.replace(/[^/]+$/, next)}?api-version=${this.contract.apiVersion}`,
          },
        });
      }
      return this.statusAnswer(id, op, 'InProgress', retry);
    }
    if (!op.result) {
      if (op.failure?.at === 'operation') {
        op.result = { status: 0 };
        // A failed PUT/PATCH leaves its resource Failed; a failed POST (generateCredentials, importImage) did nothing.
        if (op.kind === 'async') void op.finish();
      } else {
        try {
          op.result = await op.finish();
        } catch (error) {
          op.failure = {
            at: 'operation',
            code: error instanceof OperationFailure ? error.code : 'ImportFailed',
            message: (error as Error).message,
          };
          op.result = { status: 0 };
        }
      }
    }
    if (kind === 'async') return this.statusAnswer(id, op, op.failure ? 'Failed' : 'Succeeded', {});
    // What the Location URL finally answers is the operation's own response (final-state-via: location).
    if (op.failure)
      return this.checked(op.operation, armErrorAnswer(op.failure.status ?? 400, op.failure.code, op.failure.message));
    return this.checked(op.operation, { status: op.result.status, body: op.result.body });
  }

  private statusAnswer(id: string, op: PendingOperation, status: string, headers: Record<string, string>): Answer {
    const body: Record<string, unknown> = {
      id: `${op.resourceId}/operationStatuses/${id}`,
      name: id,
      status,
      startTime: new Date().toISOString(),
    };
    if (status === 'Failed' && op.failure) body.error = { code: op.failure.code, message: op.failure.message };
    const text = JSON.stringify(body);
    this.violations.push(...this.contract.checkOperationStatus(text).map((p) => `operation status: ${p}`));
    return { status: 200, headers, body };
  }
}

/** A long-running operation that ends Failed with this ARM error code. */
class OperationFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What ACR refuses in a scope map's actions (learn.microsoft.com/azure/container-registry/
 * container-registry-token-based-repository-permissions, "Wildcards"; container-registry-skus, scope map limits). The
 * error code is this stand-in's choice: the docs do not name it, and the client decides nothing from it.
 */
function scopeMapActionProblem(actions: string[]): string | undefined {
  if (actions.length > 500) return `A scope map can have at most 500 actions; ${actions.length} were given.`;
  const repositories = new Set<string>();
  for (const action of actions) {
    const match = /^repositories\/(.+)\/(content\/(?:read|write|delete)|metadata\/(?:read|write))$/.exec(action);
    if (!match) return `Action '${action}' is not a repository action.`;
    const [, repository] = match;
    repositories.add(repository);
    const star = repository.indexOf('*');
    const wildcardOk =
      star < 0 ||
      repository === '*' ||
      (star === repository.length - 1 &&
        repository.endsWith('/*') &&
        repository.indexOf('*') === repository.lastIndexOf('*'));
    if (!wildcardOk) return `Repository '${repository}' has an invalid wildcard: use '*' alone or as the final '/*'.`;
    const name = repository.endsWith('/*') ? repository.slice(0, -2) : repository;
    if (name !== '*' && !IMAGE.test(name)) return `Repository '${repository}' is not a valid repository name.`;
  }
  if (repositories.size > 500)
    return `A scope map can cover at most 500 repositories; ${repositories.size} were given.`;
  return undefined;
}

const IMAGE =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/;

/** What ACR's front end refuses before it accepts an import (400 InvalidParameters), beyond the schema. */
function importProblems(body: Record<string, any>): string | undefined {
  const source = body.source ?? {};
  if (!source.resourceId === !source.registryUri)
    return 'Exactly one of source.resourceId and source.registryUri must be given.';
  if (source.registryUri && /[/:]\/\//.test(source.registryUri))
    return `source.registryUri '${source.registryUri}' must be a host name, without a scheme or path.`;
  if (source.credentials && !source.registryUri) return 'source.credentials are only used with source.registryUri.';
  if (!IMAGE.test(source.sourceImage))
    return `source.sourceImage '${source.sourceImage}' is not a repository with an optional :tag or @digest.`;
  for (const tag of body.targetTags ?? [])
    if (!IMAGE.test(tag) || tag.includes('@')) return `targetTags entry '${tag}' is not repo[:tag].`;
  for (const repo of body.untaggedTargetRepositories ?? [])
    if (!IMAGE.test(repo) || /[:@]/.test(repo))
      return `untaggedTargetRepositories entry '${repo}' is not a repository name.`;
  return undefined;
}

/**
 * The import itself, as ACR's service would do it: pull `registryUri/sourceImage` with the body's credentials and push
 * to each target in the registry's storage (the loopback registry at its login server), digests preserved. NoForce
 * fails before anything is copied when a target tag exists. Failures end the operation with ACR's kind of message.
 */
async function copyImport(registry: FakeRegistry, body: Record<string, any>): Promise<void> {
  const source: Record<string, any> = body.source;
  const src: RegistryAccess = {
    host: source.registryUri,
    username: source.credentials?.username,
    password: source.credentials?.password,
  };
  // ACR's service writes to its storage directly; with a data-plane stand-in in front, that is the storage registry.
  const storage = registry.dataPlane?.host ?? registry.loginServer;
  const dest: RegistryAccess = {
    host: storage,
    username: registry.dataPlane?.username || undefined,
    password: registry.dataPlane?.password || undefined,
  };
  const image: string = source.sourceImage;
  const sourceTag = /:([\w][\w.-]*)$/.exec(image)?.[1];
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
  const sourceRepository = repositoryOf(image);
  const tags: string[] =
    body.targetTags?.length || body.untaggedTargetRepositories?.length
      ? (body.targetTags ?? [])
      : [`${sourceRepository}:${sourceTag ?? 'latest'}`];
  const targets = [
    ...tags.map((t) => (t.includes(':') ? t : `${t}:${sourceTag ?? 'latest'}`)),
    ...(body.untaggedTargetRepositories ?? []).map((r: string) => `${r}@${digest ?? ''}`),
  ];
  if (body.mode !== 'Force') {
    for (const target of targets.filter((t) => !t.includes('@'))) {
      const exists = await runSkopeo('inspect', ['--raw', `docker://${storage}/${target}`], { src: dest }).then(
        () => true,
        () => false,
      );
      if (exists)
        throw new OperationFailure(
          'Conflict',
          `Tag ${target} already exists in target registry. Use mode Force to overwrite it.`,
        );
    }
  }
  const from = `docker://${source.registryUri}/${image}`;
  for (const target of targets) {
    const repository = repositoryOf(target);
    try {
      await oneAtATime(`${storage}/${repository}`, () =>
        skopeoCopy(from, `docker://${storage}/${target}`, { src, dest }),
      );
      // A manifest with a subject is indexed for the referrers API as it lands, as for a push.
      const stored = await storedManifest(storage, dest, target);
      if (stored) recordManifest(registry, repository, stored);
    } catch (error) {
      const text = (error as Error).message;
      if (/unauthori[sz]ed|authentication required|401/i.test(text)) {
        throw new OperationFailure(
          'InvalidParameters',
          `Invalid message Unauthorized: the source registry ${source.registryUri} refused the credentials for ${image}.`,
        );
      }
      if (/manifest unknown|not found|404/i.test(text))
        throw new OperationFailure('InvalidParameters', `Source image ${source.registryUri}/${image} not found.`);
      throw new OperationFailure('InvalidParameters', `Error copying blobs: ${text.split('\n').pop()}`);
    }
  }
}

/** `repo:tag` or `repo@digest` without its tag or digest. */
function repositoryOf(reference: string): string {
  return reference.replace(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/, '');
}

/**
 * Copies into one storage repository run one at a time. ACR's service imports concurrently without failing on a blob two
 * imports share; the storage here is CNCF Distribution 2.8 on its filesystem driver, whose PutContent truncates and then
 * rewrites a file in place (registry/storage/driver/filesystem/driver.go PutContent and Writer, v2.8.2). Two copies
 * linking the same blob (an empty `{}` config is common to signatures and SBOMs) can let one manifest PUT read the other's
 * link file empty: "digest invalid" and "manifest blob unknown", a failure of the stand-in, not of the import asked for.
 */
const copying = new Map<string, Promise<unknown>>();
async function oneAtATime<T>(repository: string, copy: () => Promise<T>): Promise<T> {
  const before = copying.get(repository) ?? Promise.resolve();
  const mine = before.then(copy, copy);
  const settled = mine.catch(() => undefined);
  copying.set(repository, settled);
  try {
    return await mine;
  } finally {
    if (copying.get(repository) === settled) copying.delete(repository);
  }
}

/** The manifest bytes the storage registry holds for `repo:tag` or `repo@digest`, exactly as stored. */
async function storedManifest(storage: string, access: RegistryAccess, target: string): Promise<Buffer | undefined> {
  const at = target.includes('@') ? target.indexOf('@') : target.lastIndexOf(':');
  const res = await fetch(`http://${storage}/v2/${target.slice(0, at)}/manifests/${target.slice(at + 1)}`, {
    headers: {
      accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json',
      ...(access.username
        ? { authorization: `Basic ${Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64')}` }
        : {}),
    },
  });
  return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : undefined;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function key(subscription: string, group: string, name: string): string {
  return `${subscription}/${group}/${name}`.toLowerCase();
}

function armErrorAnswer(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message } } };
}

/** operationId → [child resource type, ARM action verb] for the authorization check. */
function operationAction(operationId: string): [string, string] {
  const [resource, verb] = operationId.split('_');
  const group = resource === 'ScopeMaps' ? 'scopeMaps' : resource === 'Tokens' ? 'tokens' : '';
  if (verb === 'Get' || verb === 'List') return [group, 'read'];
  if (verb === 'Delete') return [group, 'delete'];
  if (verb === 'GenerateCredentials') return ['generateCredentials', 'action'];
  if (verb === 'ImportImage') return ['importImage', 'action'];
  return [group, 'write'];
}

function scopeMapBody(registryId: string, map: FakeScopeMap): Record<string, unknown> {
  return {
    id: `${registryId}/scopeMaps/${map.name}`,
    name: map.name,
    type: `${PROVIDER}/registries/scopeMaps`,
    properties: {
      ...(map.description !== undefined ? { description: map.description } : {}),
      type: map.type,
      creationDate: map.creationDate,
      provisioningState: map.provisioningState,
      actions: map.actions,
    },
  };
}

function tokenBody(registryId: string, token: FakeToken): Record<string, unknown> {
  return {
    id: `${registryId}/tokens/${token.name}`,
    name: token.name,
    type: `${PROVIDER}/registries/tokens`,
    properties: {
      creationDate: token.creationDate,
      provisioningState: token.provisioningState,
      ...(token.scopeMapId ? { scopeMapId: token.scopeMapId } : {}),
      status: token.status,
      // A GET never shows a password's value: only generateCredentials does.
      credentials: {
        certificates: [],
        passwords: token.passwords.map(({ name, expiry, creationTime }) => ({
          name,
          creationTime,
          ...(expiry ? { expiry } : {}),
        })),
      },
    },
  };
}
