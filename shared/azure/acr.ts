import { UserError } from '../errors';
import type { ArmClient } from './arm-client';
import { guardArm } from './arm-refusals';
import { IMPORT_ROLE, TOKEN_ADMIN_ROLE } from './roles';

/** The stable ACR API the step is written and tested against (reference file azure/containerregistry.json, pinned in test/reference/manifest.json). */
export const ACR_API_VERSION = '2025-04-01';

export interface RegistryRef {
  subscriptionId: string;
  resourceGroup: string;
  registry: string;
}

export interface Registry {
  id: string;
  name: string;
  sku: { name: string };
  properties: { loginServer?: string; provisioningState?: string };
}

export interface ScopeMap {
  id: string;
  name: string;
  properties: { actions: string[]; description?: string; type?: string; provisioningState?: string };
}

export interface TokenPassword {
  name?: 'password1' | 'password2';
  value?: string;
  expiry?: string;
  creationTime?: string;
}

export interface Token {
  id: string;
  name: string;
  properties: {
    scopeMapId?: string;
    status?: 'enabled' | 'disabled';
    provisioningState?: string;
    credentials?: { passwords?: TokenPassword[] };
  };
}

export interface GeneratedCredentials {
  username?: string;
  passwords?: TokenPassword[];
}

/** Classic registries (retired, but still answered by ARM) have no repository-scoped tokens. */
export function skuSupportsTokens(sku: string | undefined): boolean {
  return (sku ?? '').toLowerCase() !== 'classic';
}

export function registryPath(ref: RegistryRef): string {
  return `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.ContainerRegistry/registries/${encodeURIComponent(ref.registry)}`;
}

/**
 * Operations on one registry. Every ARM failure is mapped onto the advice a user needs: which role is missing, that the
 * registry does not exist, or Azure's own message for a failed operation.
 */
export class AcrRegistry {
  readonly path: string;

  constructor(
    private readonly arm: ArmClient,
    readonly ref: RegistryRef,
    private readonly apiVersion = ACR_API_VERSION,
  ) {
    this.path = registryPath(ref);
  }

  /** `role`: the role a 403 names, the one the calling step needs anyway. */
  async get(role = TOKEN_ADMIN_ROLE): Promise<Registry> {
    const registry = await this.guard(
      'read the registry',
      () =>
        this.arm.getOptional<Registry>(this.path, {
          apiVersion: this.apiVersion,
          what: `read registry ${this.ref.registry}`,
        }),
      role,
    );
    if (!registry) {
      throw new UserError(
        `Container registry ${this.ref.registry} not found in resource group ${this.ref.resourceGroup} of subscription ${this.ref.subscriptionId}; check the registry, resource-group and subscription inputs`,
      );
    }
    return registry;
  }

  getScopeMap(name: string): Promise<ScopeMap | undefined> {
    return this.guard('read scope maps', () =>
      this.arm.getOptional<ScopeMap>(`${this.path}/scopeMaps/${encodeURIComponent(name)}`, {
        apiVersion: this.apiVersion,
        what: `read scope map ${name}`,
      }),
    );
  }

  createScopeMap(name: string, actions: string[], description: string): Promise<ScopeMap> {
    return this.write<ScopeMap>('create', 'scope map', name, { description, actions }, [200, 201]);
  }

  updateScopeMap(name: string, actions: string[], description: string): Promise<ScopeMap> {
    return this.write<ScopeMap>('update', 'scope map', name, { description, actions });
  }

  getToken(name: string): Promise<Token | undefined> {
    return this.guard('read tokens', () =>
      this.arm.getOptional<Token>(`${this.path}/tokens/${encodeURIComponent(name)}`, {
        apiVersion: this.apiVersion,
        what: `read token ${name}`,
      }),
    );
  }

  createToken(name: string, scopeMapId: string, status: 'enabled' | 'disabled'): Promise<Token> {
    return this.write<Token>('create', 'token', name, { scopeMapId, status });
  }

  updateToken(name: string, changes: { scopeMapId?: string; status?: 'enabled' | 'disabled' }): Promise<Token> {
    return this.write<Token>('update', 'token', name, changes);
  }

  /** Creates (PUT) or updates (PATCH) a scope map or token and waits for Azure's async operation to finish. */
  private async write<T>(
    verb: 'create' | 'update',
    kind: 'scope map' | 'token',
    name: string,
    properties: object,
    expected?: number[],
  ): Promise<T> {
    const [collection, plural] = kind === 'token' ? ['tokens', 'tokens'] : ['scopeMaps', 'scope maps'];
    return this.required(
      await this.guard(`${verb} ${plural}`, () =>
        this.arm.longRunning<T>(
          verb === 'create' ? 'PUT' : 'PATCH',
          `${this.path}/${collection}/${encodeURIComponent(name)}`,
          {
            apiVersion: this.apiVersion,
            json: { properties },
            finalState: 'azure-async-operation',
            ...(expected ? { expected } : {}),
            what: `${verb} ${kind} ${name}`,
          },
        ),
      ),
      `${kind} ${name}`,
    );
  }

  /** Makes a new password for a token (the only moment Azure shows its value). Never retried: see ArmClient.send. */
  async generateCredentials(params: {
    tokenId: string;
    name: 'password1' | 'password2';
    expiry?: string;
  }): Promise<GeneratedCredentials> {
    return this.required(
      await this.guard('generate token passwords', () =>
        this.arm.longRunning<GeneratedCredentials>('POST', `${this.path}/generateCredentials`, {
          apiVersion: this.apiVersion,
          json: params,
          finalState: 'location',
          what: `generate ${params.name} for token ${params.tokenId.split('/').pop()}`,
        }),
      ),
      'generated credentials',
    );
  }

  /**
   * ARM `importImage`: the registry pulls an image from another registry itself, so no bytes pass through the runner
   * (replicate's ACR-import mode). Resolves when the import has finished.
   */
  async importImage(params: ImportImageParameters): Promise<void> {
    await this.guard(
      'import images',
      () =>
        this.arm.longRunning('POST', `${this.path}/importImage`, {
          apiVersion: this.apiVersion,
          json: params,
          finalState: 'location',
          what: `import ${params.source.sourceImage} into ${this.ref.registry}`,
        }),
      IMPORT_ROLE,
    );
  }

  private required<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new UserError(`Azure answered without the ${what}`);
    return value;
  }

  /** Turns the ARM answers a user can fix into one line of advice; everything else keeps Azure's message. */
  private guard<T>(action: string, fn: () => Promise<T>, role = TOKEN_ADMIN_ROLE): Promise<T> {
    const registry = this.ref.registry;
    return guardArm(fn, {
      denied: (error) => {
        const permission = /action '([^']+)'/.exec(error.azureMessage)?.[1];
        return `Azure denied the step permission to ${action} on registry ${registry}${permission ? ` (${permission})` : ''}: assign the identity the '${role}' role (or Contributor) on the registry`;
      },
      throttled: (error) =>
        `Azure throttled the requests to ${action} on registry ${registry} (429${error.code ? ` ${error.code}` : ''}) and kept refusing after waiting as told; lower the parallelism or run the step again later`,
      notFound: (error) =>
        error.scopeMissing ||
        (error.status === 404 && error.code === 'ResourceNotFound' && action === 'read the registry')
          ? new UserError(
              `Container registry ${registry} not found (${error.code}: ${error.azureMessage}); check the registry, resource-group and subscription inputs`,
            )
          : undefined,
    });
  }
}

export interface ImportImageParameters {
  source: {
    /** An ACR in the same tenant, by resource id. */
    resourceId?: string;
    /** Any other registry by host, e.g. harbor.example.com. */
    registryUri?: string;
    credentials?: { username?: string; password: string };
    /** repo:tag or repo@sha256:… */
    sourceImage: string;
  };
  targetTags?: string[];
  untaggedTargetRepositories?: string[];
  mode?: 'NoForce' | 'Force';
}
