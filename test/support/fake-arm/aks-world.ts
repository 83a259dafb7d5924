import { join } from 'node:path';
import { startFakeKubeApi, type FakeKubeApi } from '../fake-kube-api';
import { startAzureWorld, SUBSCRIPTION, TENANT, type AzureWorld } from './azure-world';
import { AKS_SERVER_APP } from './fake-aks';

export const AKS_GROUP = 'rg-aks';
/** AKS-managed Entra ID, Azure RBAC, local accounts disabled: the Entra-only cluster security teams ask for. */
export const ENTRA_ONLY = 'aks-entra-only';
/** Entra ID with local accounts still enabled: admin credentials are allowed. */
export const ENTRA_MIXED = 'aks-entra-mixed';
/** No Entra integration: local accounts (client certificate) only. */
export const LOCAL_ONLY = 'aks-local';
/** The legacy Entra integration with its own server app, which this API server does not accept. */
export const OTHER_AUDIENCE = 'aks-legacy-aad';
export const LEGACY_SERVER_APP = '0c0ffee0-1111-4222-8333-444455556666';
/** Directory with the fake `az` (test/fixtures/fake-az). */
export const FAKE_AZ_BIN = join(__dirname, '..', '..', 'fixtures', 'fake-az');

export interface AksWorld extends AzureWorld {
  kube: FakeKubeApi;
  /** Environment for the fake az: after azure/login, signed in to the stand-in tenant. */
  azEnv(): Record<string, string>;
}

/** The Azure world (fake ARM + Entra stand-ins) with four AKS clusters whose API server is one HTTPS stand-in. */
export async function startAksWorld(): Promise<AksWorld> {
  const world = await startAzureWorld();
  const clusters: string[] = [];
  const kube = await startFakeKubeApi({
    audienceOf: (token) => world.identity.audienceOf(token),
    serverApp: AKS_SERVER_APP,
    localTokens: () =>
      clusters.map((name) => world.arm.clusters.get(`${SUBSCRIPTION}/${AKS_GROUP}/${name}`.toLowerCase())!.localToken),
  });
  const base = { subscriptionId: SUBSCRIPTION, resourceGroup: AKS_GROUP, server: kube.url, caPem: kube.caPem };
  world.arm.addCluster({
    ...base,
    name: ENTRA_ONLY,
    entra: { enableAzureRBAC: true, tenantId: TENANT },
    disableLocalAccounts: true,
  });
  world.arm.addCluster({ ...base, name: ENTRA_MIXED, entra: { tenantId: TENANT } });
  world.arm.addCluster({ ...base, name: LOCAL_ONLY });
  world.arm.addCluster({ ...base, name: OTHER_AUDIENCE, entra: { tenantId: TENANT, serverAppId: LEGACY_SERVER_APP } });
  clusters.push(ENTRA_ONLY, ENTRA_MIXED, LOCAL_ONLY, OTHER_AUDIENCE);
  const stop = world.stop;
  return {
    ...world,
    kube,
    azEnv: () => ({ FAKE_AZ_IDENTITY: world.identity.url, FAKE_AZ_SUBSCRIPTION: SUBSCRIPTION, FAKE_AZ_TENANT: TENANT }),
    async stop() {
      await Promise.all([stop(), kube.stop()]);
    },
  };
}

/** The claims of a JWT, decoded without trusting it (what a test needs to read its audience). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
