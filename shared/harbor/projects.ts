import { RemoteError } from '../remote-error';
import { exactQuery, type HarborClient } from './client';

export type EnsureResult = 'exists' | 'created';

/** Harbor project names (swagger ProjectReq.project_name; Harbor validates lower-case, digits and . _ - inside). */
const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function isValidProjectName(name: string): boolean {
  return name.length <= 255 && PROJECT_NAME.test(name);
}

/**
 * Whether the project exists, as the account sees it: `GET /projects?q=name=<name>` (an exact match). Not HEAD
 * /projects: in OIDC mode Harbor accepts a user's CLI secret only on the token service, /v2/, project creation and a
 * few GETs, listing projects among them (src/server/middleware/security/oidc_cli.go valid); on HEAD the request would
 * run as anonymous and fail with 401.
 */
export async function projectExists(client: HarborClient, name: string): Promise<boolean> {
  const found = await client.list<{ name: string }>(
    '/projects',
    { q: exactQuery('name', name) },
    `check project ${name}`,
  );
  return found.some((p) => p.name === name);
}

/**
 * Makes sure a project exists: look it up, then POST when missing. Another pipeline creating it in between answers 409,
 * which is success too. An existing project is left as it is (its visibility is the owner's choice, not the push's).
 */
export async function ensureProject(
  client: HarborClient,
  name: string,
  options: { public: boolean },
): Promise<EnsureResult> {
  if (await projectExists(client, name)) return 'exists';
  try {
    const res = await client.call('POST', '/projects', {
      json: { project_name: name, metadata: { public: String(options.public) } },
      expected: [201, 409],
      // A POST that timed out may have created the project; the 409 of a retry is handled as success.
      what: `create project ${name}`,
    });
    return res.status === 201 ? 'created' : 'exists';
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'permission') {
      // project_creation_restriction "adminonly" lets only admins create (src/controller/project/controller.go).
      throw error.with({
        advice: `project ${name} does not exist and only admins may create projects when creation is restricted; create the project first`,
      });
    }
    throw error;
  }
}

/** Names of every project the account can see. */
export async function listProjectNames(client: HarborClient): Promise<string[]> {
  return (await client.list<{ name: string }>('/projects', {}, 'list projects')).map((p) => p.name);
}

/** Names (`project/repo`) of every repository of a project. */
export async function listRepositoryNames(client: HarborClient, project: string): Promise<string[]> {
  return (
    await client.list<{ name: string }>(
      `/projects/${encodeURIComponent(project)}/repositories`,
      {},
      `list repositories of project ${project}`,
    )
  ).map((r) => r.name);
}

/**
 * Whether the account can read the project: true, false for a project Harbor says does not exist (404); a private
 * project the account cannot see (403) throws its RemoteError for the caller to word. Only an administrator ever gets
 * the 404, and only from Harbor 2.7: Harbor checks the permission first and grants nothing on a project it cannot
 * find, so anyone else gets the same 403 (401 anonymous) for a missing project as for a private one
 * (src/server/v2.0/handler/base.go HasProjectPermission, handler/project.go GetProject; before 2.7 the permission
 * check refused administrators too, v2.6.0 base.go).
 */
export async function projectReadable(client: HarborClient, project: string): Promise<boolean> {
  try {
    await client.call('GET', `/projects/${encodeURIComponent(project)}`, {
      // A project name of digits alone would be read as a project id without it (src/server/v2.0/handler/util.go
      // parseProjectNameOrID).
      headers: { 'x-is-resource-name': 'true' },
      expected: [200],
      what: `read project ${project}`,
    });
    return true;
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'not-found') return false;
    throw error;
  }
}
