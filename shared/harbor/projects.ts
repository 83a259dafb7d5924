import { RemoteError } from '../remote-error';
import type { HarborClient } from './client';

export type EnsureResult = 'exists' | 'created';

/** Harbor project names (swagger ProjectReq.project_name; Harbor validates lower-case, digits and . _ - inside). */
const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function isValidProjectName(name: string): boolean {
  return name.length <= 255 && PROJECT_NAME.test(name);
}

/** Whether the project exists (HEAD /projects?project_name=). */
export async function projectExists(client: HarborClient, name: string): Promise<boolean> {
  const res = await client.call('HEAD', '/projects', {
    query: { project_name: name },
    expected: [200, 404],
    what: `check project ${name}`,
  });
  return res.status === 200;
}

/**
 * Makes sure a project exists: HEAD, then POST when missing. Another pipeline creating it in between answers 409,
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
