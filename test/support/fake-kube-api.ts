import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTempDir, removeTempDir } from '../sandbox/child-processes';
import { makeCa, makeServerCert } from '../sandbox/pki';

/**
 * A loopback stand-in for an AKS API server, over HTTPS with its own CA, as far as the deploy step and helm reach it
 * before a chart is involved:
 * - authentication as AKS does it for Entra ID clusters: a bearer token is accepted only when the Entra stand-in
 *   issued it for the cluster's server app (`aud` = the AKS AAD server app; any other audience → 401), or when it is
 *   the cluster's local-account token;
 * - `SelfSubjectReview` (authentication.k8s.io/v1) and `SelfSubjectAccessReview` (authorization.k8s.io/v1) answered
 *   from its own allow list (`forbidden` denies every review);
 * - `/version`, discovery roots and an empty release list (`GET /api/v1/namespaces/{ns}/secrets`), which is what helm
 *   reads first (IsReachable, then the release history);
 * - errors as Kubernetes `Status` objects (k8s.io/apimachinery metav1.Status: kind, status Failure, reason, code).
 * Every request is recorded with the bearer token it carried, so tests see exactly what helm sent.
 */

export interface KubeRequest {
  method: string;
  path: string;
  bearer?: string;
  status: number;
}

export interface FakeKubeApi {
  url: string;
  caPem: string;
  requests: KubeRequest[];
  /** Deny every access review (a user without a Kubernetes role). */
  forbidden: boolean;
  /** Kubernetes before 1.28 has no authentication.k8s.io/v1 SelfSubjectReview (404). */
  noSelfSubjectReview: boolean;
  stop(): Promise<void>;
}

export async function startFakeKubeApi(options: {
  audienceOf: (token: string) => string | undefined;
  serverApp: string;
  localTokens?: () => string[];
}): Promise<FakeKubeApi> {
  const dir = makeTempDir('kube-api');
  const ca = makeCa(dir, 'aks-stand-in-ca');
  const cert = makeServerCert(dir, ca);
  const api: FakeKubeApi = {
    url: '',
    caPem: ca.certPem,
    requests: [],
    forbidden: false,
    noSelfSubjectReview: false,
    stop: async () => undefined,
  };

  const status = (code: number, reason: string, message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });

  const server = https.createServer(
    { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) },
    (req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://stand-in');
        const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
        const answer = (code: number, body: unknown) => {
          api.requests.push({ method: req.method ?? 'GET', path: url.pathname, bearer, status: code });
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        let user: { username: string; groups: string[] } | undefined;
        if (bearer && options.audienceOf(bearer) === options.serverApp) {
          const claims = JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
            oid?: string;
            sub?: string;
          };
          user = { username: claims.oid ?? claims.sub ?? 'entra-user', groups: ['system:authenticated'] };
        } else if (bearer && (options.localTokens?.() ?? []).includes(bearer)) {
          user = { username: 'clusterUser', groups: ['system:masters', 'system:authenticated'] };
        }
        if (!user) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));

        const method = req.method ?? 'GET';
        if (
          method === 'POST' &&
          url.pathname === '/apis/authentication.k8s.io/v1/selfsubjectreviews' &&
          !api.noSelfSubjectReview
        ) {
          return answer(201, {
            kind: 'SelfSubjectReview',
            apiVersion: 'authentication.k8s.io/v1',
            metadata: { creationTimestamp: null },
            status: { userInfo: user },
          });
        }
        if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
          const body = JSON.parse(text || '{}') as { spec?: { resourceAttributes?: Record<string, string> } };
          if (!body.spec?.resourceAttributes?.verb || !body.spec.resourceAttributes.resource)
            return answer(400, status(400, 'BadRequest', 'spec.resourceAttributes needs verb and resource'));
          const allowed = !api.forbidden;
          return answer(201, {
            kind: 'SelfSubjectAccessReview',
            apiVersion: 'authorization.k8s.io/v1',
            metadata: { creationTimestamp: null },
            spec: body.spec,
            status: { allowed, ...(allowed ? {} : { reason: '' }) },
          });
        }
        if (method === 'GET' && url.pathname === '/version') {
          return answer(200, { major: '1', minor: '33', gitVersion: 'v1.33.2', platform: 'linux/amd64' });
        }
        if (method === 'GET' && url.pathname === '/api')
          return answer(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
        if (method === 'GET' && url.pathname === '/apis')
          return answer(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
        const secrets = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(url.pathname);
        if (method === 'GET' && secrets) {
          if (api.forbidden)
            return answer(
              403,
              status(
                403,
                'Forbidden',
                `secrets is forbidden: User "${user.username}" cannot list resource "secrets" in API group "" in the namespace "${secrets[1]}"`,
              ),
            );
          return answer(200, { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
        }
        return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    removeTempDir(dir);
  };
  return api;
}
