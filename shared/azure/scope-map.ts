/** Repository permissions as ACR scope maps spell them: `repositories/<repo>/<action>`. */
export const SCOPE_MAP_ACTIONS = ['content/read', 'content/write', 'content/delete', 'metadata/read', 'metadata/write'] as const;
export type ScopeMapAction = (typeof SCOPE_MAP_ACTIONS)[number];

/** What `repo` alone grants: pull, push and listing tags, the set a replication endpoint needs. */
export const DEFAULT_ACTIONS: readonly ScopeMapAction[] = ['content/read', 'content/write', 'metadata/read'];

/** ACR repository names (lower case, path segments), with `*` for ACR's wildcard scope maps (`samples/*`). */
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*|\*)(?:\/(?:[a-z0-9]+(?:[._-][a-z0-9]+)*|\*))*$/;

/**
 * Parses `repo: action, action` lines into scope-map actions. Throws `Error` with the offending line; the caller names
 * the input.
 */
export function parseRepositoryLines(lines: string[]): string[] {
  const actions = new Set<string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const repository = (colon < 0 ? line : line.slice(0, colon)).trim();
    if (!REPOSITORY.test(repository)) {
      throw new Error(`'${repository}' is not a repository name (lower-case path segments, * allowed as a wildcard)`);
    }
    const listed = colon < 0 ? [] : line.slice(colon + 1).split(/[,\s]+/).map((a) => a.trim()).filter(Boolean);
    for (const action of listed.length > 0 ? listed : DEFAULT_ACTIONS) {
      const normalised = action.toLowerCase();
      if (!(SCOPE_MAP_ACTIONS as readonly string[]).includes(normalised)) {
        throw new Error(`'${action}' in line '${line.trim()}' is not an action; use ${SCOPE_MAP_ACTIONS.join(', ')}`);
      }
      actions.add(`repositories/${repository}/${normalised}`);
    }
  }
  return [...actions].sort();
}

/** Scope maps compare as sets: ACR may return the actions in any order, and case is not significant. */
export function sameActions(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
}
