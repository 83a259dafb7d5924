/**
 * The ARM client's long-running operations and retry rules, against the spec-checked fake ARM and, for what a
 * well-behaved ARM never does, a tiny hostile server.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AcrRegistry } from '../../shared/azure/acr';
import { IMPORT_ROLE } from '../../shared/azure/roles';
import { ArmClient } from '../../shared/azure/arm-client';
import type { TokenCredential } from '../../shared/azure/credentials';
import { HttpClient } from '../../shared/http/client';
import { startAzureWorld, SUBSCRIPTION, type AzureWorld } from '../support/fake-arm/azure-world';

let world: AzureWorld;
const sleeps: number[] = [];
const httpClient = new HttpClient({
  retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  sleep: async () => undefined,
});

beforeEach(async () => {
  sleeps.length = 0;
  world = await startAzureWorld({ polls: 2, retryAfterSeconds: 3 });
});

afterEach(async () => {
  expect(world.arm.violations).toEqual([]);
  await world.stop();
});

afterAll(() => httpClient.close());

/** A credential that hands out tokens the fake ARM accepts. */
function credential(): TokenCredential {
  const token = world.identity.mintAccessToken();
  return { description: 'test', getToken: async () => ({ token, expiresOnMs: Date.now() + 3600_000 }) };
}

function registry(endpoint = world.arm.url, options: ConstructorParameters<typeof ArmClient>[3] = {}): AcrRegistry {
  const arm = new ArmClient(endpoint, credential(), httpClient, {
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return new AcrRegistry(arm, {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-registry',
    registry: 'contosoregistry',
  });
}

describe('long-running operations', () => {
  it('importImage follows Location, honouring Retry-After, until the import is done', async () => {
    const imported: unknown[] = [];
    await world.stop();
    world = await startAzureWorld({
      polls: 2,
      retryAfterSeconds: 3,
      onImport: async (_r, body) => void imported.push(body),
    });
    await registry().importImage({
      source: {
        registryUri: 'harbor.example.com',
        sourceImage: 'shop/web:1.0',
        credentials: { username: 'robot$acr', password: 'robot-secret' },
      },
      targetTags: ['shop/web:1.0'],
      mode: 'Force',
    });
    expect(imported).toEqual([
      {
        source: {
          registryUri: 'harbor.example.com',
          sourceImage: 'shop/web:1.0',
          credentials: { username: 'robot$acr', password: 'robot-secret' },
        },
        targetTags: ['shop/web:1.0'],
        mode: 'Force',
      },
    ]);
    // The 202 and both in-progress answers said Retry-After: 3.
    expect(sleeps).toEqual([3000, 3000, 3000]);
    expect(world.arm.calls).toEqual(['POST Registries_ImportImage']);
  });

  it("an operation cut off by the step's budget is reported as not finished, not as the status request cut off", async () => {
    world.arm.pollsFor.set('Registries_ImportImage', Infinity);
    // The step's budget runs on a scripted clock that the ARM client's waits advance: no test waits on the wall clock.
    let now = 0;
    const budgeted = new HttpClient({
      retry: { attempts: 1 },
      sleep: async () => undefined,
      now: () => now,
      budget: { ms: 10_000, input: 'timeout' },
    });
    const arm = new ArmClient(world.arm.url, credential(), budgeted, {
      sleep: async (ms) => void (now += ms),
      operationTimeoutMs: 10_000,
    });
    const acr = new AcrRegistry(arm, {
      subscriptionId: SUBSCRIPTION,
      resourceGroup: 'rg-registry',
      registry: 'contosoregistry',
    });
    await expect(
      acr.importImage({
        source: { registryUri: 'harbor.example.com', sourceImage: 'shop/web:1.0' },
        targetTags: ['shop/web:1.0'],
        mode: 'Force',
      }),
    ).rejects.toThrow(/^Azure operation .* did not finish within 10000 ms; it may still complete in Azure/);
    await budgeted.close();
  });

  it("a failed import reports Azure's message", async () => {
    world.arm.failures.set('Registries_ImportImage', {
      at: 'operation',
      code: 'InvalidParameters',
      message: "Source image 'shop/web:9.9' not found.",
    });
    await expect(
      registry().importImage({
        source: { registryUri: 'harbor.example.com', sourceImage: 'shop/web:9.9' },
        targetTags: ['shop/web:9.9'],
      }),
    ).rejects.toThrow(
      "Azure import shop/web:9.9 into contosoregistry failed with 400: InvalidParameters: Source image 'shop/web:9.9' not found.",
    );
  });

  it('a missing import permission names the importer role', async () => {
    world.arm.denied.add('Microsoft.ContainerRegistry/registries/importImage/action');
    await expect(
      registry().importImage({ source: { registryUri: 'harbor.example.com', sourceImage: 'shop/web:1.0' } }),
    ).rejects.toThrow(
      `Azure denied the step permission to import images on registry contosoregistry (Microsoft.ContainerRegistry/registries/importImage/action): assign the identity the '${IMPORT_ROLE}' role (or Contributor) on the registry`,
    );
  });

  it('PUT follows Azure-AsyncOperation and returns the resource as it is after the operation', async () => {
    const map = await registry().createScopeMap('readers', ['repositories/shop/web/content/read'], 'test');
    expect(map.properties.provisioningState).toBe('Succeeded');
    expect(world.arm.calls).toEqual(['PUT ScopeMaps_Create', 'GET ScopeMaps_Get']);
  });

  it('the fake rejects what the spec forbids, and the client turns it into one line', async () => {
    await expect(registry().createScopeMap('bad name!', ['x'], 'test')).rejects.toThrow(
      /^Azure create scope map bad name! failed with 400: InvalidRequestContent: path parameter scopeMapName='bad name!' does not match/,
    );
    world.arm.violations.length = 0;
  });
});

describe('what a hostile or flaky server does', () => {
  let server: http.Server;
  let url: string;
  const seen: { method: string; path: string; auth?: string }[] = [];
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization });
      req.resume();
      req.on('end', () => answer(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('never sends the token to an operation URL on another host', async () => {
    answer = (_req, res) => {
      res.writeHead(202, { location: 'http://169.254.169.254/steal?api-version=2025-04-01' });
      res.end();
    };
    await expect(
      registry(url).generateCredentials({ tokenId: '/subscriptions/x/tokens/t', name: 'password1' }),
    ).rejects.toThrow(
      `Azure sent an operation URL for generate password1 for token t outside ${url} (http://169.254.169.254/steal?api-version=2025-04-01); refusing to send the token there`,
    );
    expect(seen.map((s) => s.method)).toEqual(['POST']);
  });

  it('generateCredentials is not retried on 503 (a second password must not be minted), a PUT is', async () => {
    answer = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'try later' } }));
    };
    await expect(
      registry(url).generateCredentials({ tokenId: '/subscriptions/x/tokens/t', name: 'password1' }),
    ).rejects.toThrow('Azure generate password1 for token t failed with 503: ServiceUnavailable: try later');
    expect(seen.map((s) => s.method)).toEqual(['POST']);
    seen.length = 0;
    await expect(registry(url).createToken('token1', '/subscriptions/x/scopeMaps/m', 'enabled')).rejects.toThrow(
      /failed with 503/,
    );
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(seen.every((s) => /^Bearer /.test(s.auth ?? ''))).toBe(true);
    expect(seen.every((s) => s.path.includes('api-version=2025-04-01'))).toBe(true);
  });

  it('a 202 without an operation URL is an error, not a silent success', async () => {
    answer = (_req, res) => {
      res.writeHead(202);
      res.end();
    };
    await expect(registry(url).importImage({ source: { registryUri: 'h', sourceImage: 'a:b' } })).rejects.toThrow(
      'Azure accepted import a:b into contosoregistry but sent no operation URL to follow',
    );
  });
});
