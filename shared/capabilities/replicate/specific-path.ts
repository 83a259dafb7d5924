/**
 * Whether a replication name filter names exact repositories, and which. Harbor's registry adapters (the native one
 * that azure-acr builds on: src/pkg/reg/adapter/native/adapter.go listRepositories) list the remote `_catalog` unless
 * the filter is such a path; the rule is Harbor's src/pkg/reg/util/pattern.go IsSpecificPath (v2.15.2), written here
 * from its description: every `/` segment is non-empty, holds none of `* ? [ \ ] ^`, and may hold one `{a,b}` group,
 * which expands to one name per alternative. Returns the names, or undefined when Harbor would list the catalog.
 */
export function specificPaths(filter: string): string[] | undefined {
  if (filter === '') return undefined;
  let paths: string[] = [''];
  for (const segment of filter.split('/')) {
    const names = specificSegment(segment);
    if (!names) return undefined;
    paths = paths.flatMap((prefix) => names.map((name) => (prefix ? `${prefix}/${name}` : name)));
  }
  return paths;
}

function specificSegment(segment: string): string[] | undefined {
  if (segment === '' || /[*?[\\\]^]/.test(segment)) return undefined;
  if (!/[{},]/.test(segment)) return [segment];
  const open = segment.indexOf('{');
  const close = segment.lastIndexOf('}');
  // One brace group only, opened before it closes (a comma outside braces is not specific either).
  if (open < 0 || close < open || segment.indexOf('{', open + 1) >= 0) return undefined;
  const prefix = segment.slice(0, open);
  const suffix = segment.slice(close + 1);
  return segment
    .slice(open + 1, close)
    .split(',')
    .map((alternative) => prefix + alternative + suffix);
}
