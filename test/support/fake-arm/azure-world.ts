import type { ServiceConnection } from '../../../shared/platform';
import { makeTempDir, removeTempDir } from '../../sandbox/child-processes';
import { makeTokenSigningKey } from '../../sandbox/pki';
import { FakeArm, type FakeArmOptions, type FakeRegistry, type FakeRegistryInit } from './fake-arm';
import { ADO_ISSUER, FakeIdentity, GITHUB_ISSUER } from './identity';

export const SUBSCRIPTION = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SECRET_APP = '11111111-aaaa-4bbb-8ccc-000000000001';
export const FEDERATED_APP = '11111111-aaaa-4bbb-8ccc-000000000002';
export const CERTIFICATE_APP = '11111111-aaaa-4bbb-8ccc-000000000003';
export const APP_SECRET = 'sp-secret-Qx7~not.for.logs';
export const CONNECTION_ID = 'a1b2c3d4-0000-4000-8000-00000000c0de';

/** A fake ARM, the identity stand-ins and one Standard registry, wired so only tokens Entra issued reach ARM. */
export interface AzureWorld {
  arm: FakeArm;
  identity: FakeIdentity;
  registry: FakeRegistry;
  /** An ADO AzureRM connection as the adapter would hand it to the capability. */
  connection(scheme: 'ServicePrincipal' | 'WorkloadIdentityFederation'): ServiceConnection;
  /** A ServicePrincipal connection with a certificate (cert + key PEM), registered with Entra on first use. */
  certificateConnection(): ServiceConnection;
  stop(): Promise<void>;
}

export async function startAzureWorld(
  options: FakeArmOptions & {
    registryName?: string;
    loginServer?: string;
    dataPlane?: FakeRegistryInit['dataPlane'];
  } = {},
): Promise<AzureWorld> {
  const identity = await new FakeIdentity().start();
  identity.apps.push(
    { tenantId: TENANT, clientId: SECRET_APP, secret: APP_SECRET },
    {
      tenantId: TENANT,
      clientId: FEDERATED_APP,
      federated: [
        { issuer: GITHUB_ISSUER, subject: identity.githubSubject, audience: 'api://AzureADTokenExchange' },
        { issuer: ADO_ISSUER, subject: `sc://contoso/app/${CONNECTION_ID}`, audience: 'api://AzureADTokenExchange' },
      ],
    },
  );
  const arm = await new FakeArm({ acceptToken: identity.acceptToken, ...options }).start();
  const registry = arm.addRegistry({
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-registry',
    name: options.registryName ?? 'contosoregistry',
    ...(options.loginServer ? { loginServer: options.loginServer } : {}),
    ...(options.dataPlane ? { dataPlane: options.dataPlane } : {}),
  });
  const connection = (scheme: 'ServicePrincipal' | 'WorkloadIdentityFederation'): ServiceConnection => {
    const data: Record<string, string> = {
      subscriptionId: SUBSCRIPTION,
      environmentAuthorityUrl: `${identity.url}/`,
      environment: 'AzureCloud',
    };
    const auth: Record<string, string> =
      scheme === 'ServicePrincipal'
        ? {
            serviceprincipalid: SECRET_APP,
            serviceprincipalkey: APP_SECRET,
            tenantid: TENANT,
            authenticationType: 'spnKey',
          }
        : { serviceprincipalid: FEDERATED_APP, tenantid: TENANT };
    return {
      id: CONNECTION_ID,
      url: `${arm.url}/`,
      scheme,
      auth,
      data: (key) => data[key],
      ...(scheme === 'WorkloadIdentityFederation'
        ? {
            oidcRequest: {
              url: `${identity.pipelinesOidcUri}?api-version=7.1&serviceConnectionId=${CONNECTION_ID}`,
              accessToken: identity.pipelinesAccessToken,
            },
          }
        : {}),
    };
  };
  return {
    arm,
    identity,
    registry,
    connection,
    certificateConnection() {
      const pem = certificatePem();
      if (!identity.apps.some((a) => a.clientId === CERTIFICATE_APP))
        identity.apps.push({ tenantId: TENANT, clientId: CERTIFICATE_APP, certificatePem: pem });
      const certificate = connection('ServicePrincipal');
      certificate.auth = {
        serviceprincipalid: CERTIFICATE_APP,
        tenantid: TENANT,
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: pem,
      };
      return certificate;
    },
    async stop() {
      await Promise.all([arm.stop(), identity.stop()]);
    },
  };
}

let pem: string | undefined;
/** An RSA certificate with its key in one PEM, as ADO stores a certificate connection; made once per process. */
export function certificatePem(): string {
  if (!pem) {
    const dir = makeTempDir('sp-cert');
    const key = makeTokenSigningKey(dir);
    pem = `${key.certPem}${key.keyPem}`;
    removeTempDir(dir);
  }
  return pem;
}
