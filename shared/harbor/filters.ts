import picomatch from 'picomatch';

/**
 * Harbor's filter matching (util.Match is bmatcuk/doublestar): `*` stays inside a path segment, `**` crosses them,
 * `{a,b}` alternates. acr-import resolves name-filter and tag-filter with it so they select what a Harbor policy with
 * the same filters would; the Harbor emulator replicates with it too.
 */
export function doublestarMatch(pattern: string, value: string): boolean {
  // picomatch never matches an empty string; doublestar (like path.Match) lets `*` match it (untagged artifacts).
  if (value === '') return /^\**$/.test(pattern);
  return picomatch.isMatch(value, pattern, { dot: true });
}

/** A filter that selects everything, written the ways Harbor users write it. */
export function matchesEverything(pattern: string | undefined): boolean {
  return pattern === undefined || pattern === '' || /^\*\*?$/.test(pattern);
}
