// Harbor's project-level RBAC, written for the emulator from Harbor's tables (never from the product's idea of them):
// a permission is a resource:action pair; roles hold the pairs of src/common/rbac/project/rbac_role.go, every visitor of
// a public project gets src/common/rbac/project/rbac_util.go publicProjectPolicies, and a robot has exactly the pairs it
// was given (src/common/security/robot/context.go), a push implying a pull for a project robot (filterRobotPolicies there).

export type ProjectRole = 'projectAdmin' | 'maintainer' | 'developer' | 'guest' | 'limitedGuest';

/** `resource:action`; the project itself is resource `project` (Harbor's ResourceSelf, src/common/rbac/const.go). */
export type Permission = string;

const pairs = (spec: Record<string, string>): Set<Permission> =>
  new Set(Object.entries(spec).flatMap(([resource, actions]) => actions.split(' ').map((a) => `${resource}:${a}`)));

/** The resources the emulator serves, per role, as in rbac_role.go (other resources of the table are left out). */
export const ROLE_PERMISSIONS: Record<ProjectRole, Set<Permission>> = {
  projectAdmin: pairs({
    project: 'read update delete',
    member: 'create read update delete list',
    metadata: 'create read update delete',
    repository: 'create read update delete list pull push',
    scan: 'create read stop',
    artifact: 'create read delete list',
    'artifact-addition': 'read',
    accessory: 'list',
    tag: 'list create delete',
  }),
  maintainer: pairs({
    project: 'read',
    member: 'read list',
    metadata: 'read',
    repository: 'create read update delete list push pull',
    scan: 'create read stop',
    artifact: 'create read delete list',
    'artifact-addition': 'read',
    accessory: 'list',
    tag: 'list create delete',
  }),
  // A developer may push but not start a scan: scan:read only.
  developer: pairs({
    project: 'read',
    member: 'read list',
    repository: 'create read update list push pull',
    scan: 'read',
    artifact: 'create read list',
    'artifact-addition': 'read',
    accessory: 'list',
    tag: 'list create',
  }),
  guest: pairs({
    project: 'read',
    member: 'read list',
    repository: 'read list pull',
    scan: 'read',
    tag: 'list',
    artifact: 'read list',
    'artifact-addition': 'read',
    accessory: 'list',
  }),
  limitedGuest: pairs({
    project: 'read',
    repository: 'list read pull',
    scan: 'read',
    tag: 'list',
    artifact: 'read list',
    'artifact-addition': 'read',
    accessory: 'list',
  }),
};

/** What anyone, anonymous included, may do in a public project (rbac_util.go publicProjectPolicies). */
export const PUBLIC_PROJECT_PERMISSIONS: Set<Permission> = pairs({
  project: 'read',
  repository: 'list pull',
  scan: 'read',
  tag: 'list',
  artifact: 'read list',
  'artifact-addition': 'read',
  accessory: 'list',
});

/**
 * The system-level pairs registries and replication need (RequireSystemAccess in src/server/v2.0/handler/registry.go and
 * replication.go; stopping an execution is replication:create there).
 */
export const REPLICATION_SYSTEM_PERMISSIONS: Set<Permission> = pairs({
  registry: 'create read update delete list',
  'replication-adapter': 'list',
  'replication-policy': 'create read update delete list',
  replication: 'create read list',
});

/** Harbor's role ids (src/common/const.go: ProjectAdmin 1, Developer 2, Guest 3, Maintainer 4, LimitedGuest 5). */
export const ROLE_IDS: Record<ProjectRole, number> = {
  projectAdmin: 1,
  developer: 2,
  guest: 3,
  maintainer: 4,
  limitedGuest: 5,
};

/**
 * A robot's permissions taken literally; a project robot also gets pull wherever it may push. Only the project level
 * runs filterRobotPolicies; a system robot's project permissions go to the evaluator as given
 * (src/common/security/robot/context.go Can).
 */
export function robotPermissions(granted: Iterable<Permission>, level: 'system' | 'project'): Set<Permission> {
  const out = new Set(granted);
  if (level === 'project' && out.has('repository:push')) out.add('repository:pull');
  return out;
}
