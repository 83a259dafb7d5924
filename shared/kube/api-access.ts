import { UserError } from '../errors';
import { remoteMessage, type HttpClient } from '../http/client';
import type { Platform } from '../platform';

/** Kubernetes API paths this pack calls itself (helm and kubectl do the rest). */
const SELF_SUBJECT_REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const SELF_SUBJECT_ACCESS_REVIEW = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

export interface TokenCheck {
  /** API server URL from the cluster's kubeconfig. */
  server: string;
  token: string;
  /** Namespace helm will write the release into. */
  namespace: string;
  /** A dry run only reads; a deploy creates the release secret. */
  dryRun: boolean;
  /** Words for the error lines. */
  cluster: string;
  audience: string;
  /** The Kubernetes roles that would grant access, for the advice. */
  roles: string;
}

/**
 * Asks the API server, with the token helm will use, who it is (SelfSubjectReview) and whether it may write helm's
 * release record in the namespace (SelfSubjectAccessReview), so a refused token or a missing Kubernetes role is one
 * clear line before helm starts, decided by status code and the review's `allowed` field.
 * Follows k8s.io/api authentication/v1 SelfSubjectReview (GA in 1.28) and authorization/v1 SelfSubjectAccessReview.
 */
export async function checkTokenAccess(
  platform: Platform,
  http: HttpClient,
  check: TokenCheck,
): Promise<string | undefined> {
  const server = check.server.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${check.token}`, accept: 'application/json' };
  const review = await http.request({
    method: 'POST',
    url: `${server}${SELF_SUBJECT_REVIEW}`,
    headers,
    json: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  if (review.status === 401) {
    throw new UserError(
      `The Kubernetes API server of AKS cluster ${check.cluster} refused the Entra token (401) issued for audience ${check.audience}: the cluster does not accept this token audience or tenant; check the cluster's Entra ID integration (aadProfile) and that the identity's tenant is the cluster's`,
    );
  }
  let user: string | undefined;
  if (review.status === 201 || review.status === 200) {
    const body = review.json<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>();
    user = body.status?.userInfo?.username;
    if (user)
      platform.info(
        `Kubernetes knows the identity as ${user}${body.status?.userInfo?.groups?.length ? ` (groups: ${body.status.userInfo.groups.join(', ')})` : ''}`,
      );
  } else if (review.status !== 404 && review.status !== 403) {
    // 404: a cluster before Kubernetes 1.28; 403: reviews are not allowed to this identity (checked by the access review).
    throw new UserError(
      `The Kubernetes API server of AKS cluster ${check.cluster} answered ${review.status} to a SelfSubjectReview${remoteMessage(review) ? `: ${remoteMessage(review)}` : ''}`,
    );
  }

  const verb = check.dryRun ? 'list' : 'create';
  const access = await http.request({
    method: 'POST',
    url: `${server}${SELF_SUBJECT_ACCESS_REVIEW}`,
    headers,
    json: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: check.namespace, verb, resource: 'secrets' } },
    },
  });
  if (access.status === 401) {
    throw new UserError(
      `The Kubernetes API server of AKS cluster ${check.cluster} refused the Entra token (401) issued for audience ${check.audience}`,
    );
  }
  const allowed =
    access.status === 201 || access.status === 200
      ? access.json<{ status?: { allowed?: boolean } }>().status?.allowed === true
      : false;
  if (!allowed) {
    throw new UserError(
      `${user ?? 'The identity'} may not ${verb} secrets in namespace ${check.namespace} of AKS cluster ${check.cluster} (where helm keeps the release${access.status === 403 ? '; 403' : ''}): grant it ${check.roles}`,
    );
  }
  return user;
}
