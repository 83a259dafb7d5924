import { parse } from 'yaml';
import pinnedValues from './chart/harbor-1.19.2-values.json';
import { formatPath, isMap, leafPaths, type Values } from './values';

export { DEFAULT_CHART_REPO, PINNED_CHART } from './pinned-chart';

/**
 * The default values of the pinned chart (./pinned-chart), shipped in the bundle: goharbor/harbor-helm's values.yaml
 * for this version as JSON (comments dropped, so the bundler inlines it; a test keeps it equal to the reference
 * values.yaml). Other chart versions are validated against `helm show values` of that version instead.
 */
export function pinnedChartValues(): Values {
  return pinnedValues as Values;
}

export function parseChartValues(text: string): Values {
  // helm's YAML is 1.1 (go-yaml through sigs.k8s.io/yaml).
  const doc: unknown = parse(text, { version: '1.1' });
  if (!isMap(doc)) throw new Error('chart values.yaml is not a map');
  return doc;
}

/**
 * Maps whose keys are free-form (annotations, labels, selectors): any key below them is valid even though the chart's
 * values.yaml cannot list it.
 */
const FREE_FORM = new Set([
  'annotations',
  'labels',
  'podAnnotations',
  'podLabels',
  'serviceAnnotations',
  'nodeSelector',
]);

/**
 * The paths of `values` that the chart does not know. A path is known when every segment exists in the chart's
 * values.yaml, or when it goes below a free-form map, an empty map, a list or a null default (the chart documents
 * those with commented examples, e.g. `topologySpreadConstraints:` or `caBundleSecretName`).
 */
export function unknownPaths(values: Values, chart: Values): string[][] {
  return leafPaths(values).filter((path) => !knownPath(path, chart));
}

function knownPath(path: readonly string[], chart: Values): boolean {
  let node: unknown = chart;
  for (const key of path) {
    if (!isMap(node)) return true; // list, scalar placeholder or null: the chart takes whatever shape is given here
    if (!(key in node)) return false;
    if (FREE_FORM.has(key)) return true;
    node = node[key];
    if (node === null || (isMap(node) && Object.keys(node).length === 0)) return true;
  }
  return true;
}

/** The closest known sibling of an unknown path's first unknown segment, for "did you mean" hints. */
export function suggestPath(path: readonly string[], chart: Values): string | undefined {
  let node: unknown = chart;
  const known: string[] = [];
  for (const key of path) {
    if (!isMap(node)) return undefined;
    if (!(key in node)) {
      const best = Object.keys(node)
        .map((k) => ({ k, d: editDistance(k.toLowerCase(), key.toLowerCase()) }))
        .sort((a, b) => a.d - b.d)[0];
      return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? formatPath([...known, best.k]) : undefined;
    }
    known.push(key);
    node = node[key];
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = next;
    }
  }
  return row[b.length];
}
