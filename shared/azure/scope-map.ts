/** Repository permissions as ACR scope maps spell them: `repositories/<repo>/<action>`. */
export const SCOPE_MAP_ACTIONS = [
  'content/read',
  'content/write',
  'content/delete',
  'metadata/read',
  'metadata/write',
] as const;
export type ScopeMapAction = (typeof SCOPE_MAP_ACTIONS)[number];

/** What `repo` alone grants: pull, push and listing tags, the set a replication endpoint needs. */
export const DEFAULT_ACTIONS: readonly ScopeMapAction[] = ['content/read', 'content/write', 'metadata/read'];

/** One path component of a repository name, as the OCI distribution spec's grammar has it (separators `.`, `_`, `__`, `-+`). */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * ACR's limits per scope map (learn.microsoft.com/azure/container-registry/container-registry-skus, "Repositories per
 * scope map" and "Actions per scope map"): checked before anything is sent.
 */
export const MAX_SCOPE_MAP_REPOSITORIES = 500;
export const MAX_SCOPE_MAP_ACTIONS = 500;

/**
 * Why `repository` is not something a scope map accepts, or undefined. ACR's wildcard rules
 * (learn.microsoft.com/azure/container-registry/container-registry-token-based-repository-permissions, "Wildcards"): a
 * bare `*` (every repository), or one `*` as the whole last path segment (`samples/*`); a wildcard mid-path
 * (samples/<*>/teamA), a partial one (`samples/teamA*`) and two of them (a/<*>/b/<*>) are invalid.
 */
export function repositoryProblem(repository: string): string | undefined {
  if (repository === '*') return undefined;
  const segments = repository.split('/');
  for (const [i, segment] of segments.entries()) {
    if (segment === '*' && i === segments.length - 1 && i > 0) continue;
    if (segment.includes('*')) {
      return `'${repository}' has a wildcard ACR does not accept: * may only be the whole last segment (e.g. 'samples/*') or the whole name`;
    }
    if (!COMPONENT.test(segment)) {
      return `'${repository}' is not a repository name (lower-case path segments of letters and digits, separated inside by ., _, __ or -)`;
    }
  }
  return undefined;
}

/**
 * Parses `repo: action, action` lines into scope-map actions. Throws `Error` with the offending line; the caller names
 * the input.
 */
export function parseRepositoryLines(lines: string[]): string[] {
  const actions = new Set<string>();
  const repositories = new Set<string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const repository = (colon < 0 ? line : line.slice(0, colon)).trim();
    const problem = repositoryProblem(repository);
    if (problem) throw new Error(problem);
    repositories.add(repository);
    const listed =
      colon < 0
        ? []
        : line
            .slice(colon + 1)
            .split(/[,\s]+/)
            .map((a) => a.trim())
            .filter(Boolean);
    for (const action of listed.length > 0 ? listed : DEFAULT_ACTIONS) {
      const normalised = action.toLowerCase();
      if (!(SCOPE_MAP_ACTIONS as readonly string[]).includes(normalised)) {
        throw new Error(`'${action}' in line '${line.trim()}' is not an action; use ${SCOPE_MAP_ACTIONS.join(', ')}`);
      }
      actions.add(`repositories/${repository}/${normalised}`);
    }
  }
  if (repositories.size > MAX_SCOPE_MAP_REPOSITORIES) {
    throw new Error(
      `${repositories.size} repositories, but an ACR scope map holds at most ${MAX_SCOPE_MAP_REPOSITORIES}; use a wildcard such as 'team/*' or split the token`,
    );
  }
  if (actions.size > MAX_SCOPE_MAP_ACTIONS) {
    throw new Error(
      `${actions.size} actions, but an ACR scope map holds at most ${MAX_SCOPE_MAP_ACTIONS}; grant fewer actions per repository, use a wildcard such as 'team/*', or split the token`,
    );
  }
  return [...actions].sort();
}

/** Scope maps compare as sets: ACR may return the actions in any order, and case is not significant. */
export function sameActions(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
}
