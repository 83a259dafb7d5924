import { createHash } from 'node:crypto';

/** A Helm values tree as parsed from YAML: maps, lists and scalars. */
export type Values = { [key: string]: unknown };

export function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Helm's merge of values files: maps merge key by key, everything else (lists included) is replaced by the later
 * value. Neither input is modified.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isMap(out[key]) && isMap(value) ? mergeValues(out[key] as Values, value) : value;
  }
  return out;
}

/** Sets a value at a path, creating maps on the way (a scalar in the way is replaced, as helm --set does). */
export function setPath(values: Values, path: readonly string[], value: unknown): void {
  let node = values;
  for (const key of path.slice(0, -1)) {
    if (!isMap(node[key])) node[key] = {};
    node = node[key] as Values;
  }
  node[path[path.length - 1]] = value;
}

export function getPath(values: Values, path: readonly string[]): unknown {
  let node: unknown = values;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Every leaf path of a values tree (lists and empty maps count as leaves). */
export function leafPaths(values: Values, prefix: string[] = []): string[][] {
  const paths: string[][] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = [...prefix, key];
    if (isMap(value) && Object.keys(value).length > 0) paths.push(...leafPaths(value, path));
    else paths.push(path);
  }
  return paths;
}

/** A path as a user reads it: `expose.ingress.annotations."cert-manager.io/cluster-issuer"`. */
export function formatPath(path: readonly string[]): string {
  return path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join('.');
}

/**
 * One `--set` style assignment, `a.b[0].c=value`, parsed as helm 3's strvals does for a single assignment: `\.`
 * escapes a dot inside a key, `true`/`false`/`null` and integers without a leading zero become typed values,
 * anything else stays a string. Lists by index are supported; helm's `{a,b}` list literal is not (use values-files).
 */
export function parseSetAssignment(text: string): { path: string[]; value: unknown } | undefined {
  const eq = findUnescaped(text, '=');
  if (eq <= 0) return undefined;
  const keyText = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const path: string[] = [];
  let current = '';
  for (let i = 0; i < keyText.length; i++) {
    const c = keyText[i];
    if (c === '\\' && i + 1 < keyText.length) {
      current += keyText[++i];
    } else if (c === '.') {
      if (current === '') return undefined;
      path.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current === '') return undefined;
  path.push(current);
  return { path, value: typedValue(raw) };
}

function findUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function typedValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (raw === '0') return 0;
  if (/^-?[1-9]\d{0,15}$/.test(raw)) return Number(raw);
  return raw;
}

/** Applies one parsed assignment, honouring `key[n]` list indexes in path segments. */
export function applyAssignment(values: Values, path: readonly string[], value: unknown): void {
  let node: Values | unknown[] = values;
  const steps = path.flatMap((segment) => {
    const m = /^(.*?)((?:\[\d+\])+)$/.exec(segment);
    if (!m) return [segment];
    return [m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))].filter((s) => s !== '');
  });
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const last = i === steps.length - 1;
    const nextIsIndex = !last && typeof steps[i + 1] === 'number';
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[step] = value;
    } else {
      const existing = container[step];
      const fits = nextIsIndex ? Array.isArray(existing) : isMap(existing);
      if (!fits) container[step] = nextIsIndex ? [] : {};
      node = container[step] as Values | unknown[];
    }
  }
}

/** Canonical JSON (sorted keys), so the digest depends on the values, not on the order they were built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** sha256 of the canonical values: lets a pipeline tell whether two deploys used the same settings without the values. */
export function valuesDigest(values: Values): string {
  return `sha256:${createHash('sha256').update(canonicalJson(values)).digest('hex')}`;
}

export interface ValuesChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

/**
 * Leaf-by-leaf difference between two values trees. Values under a secret path are never rendered: the change is
 * reported as `(secret)`.
 */
export function diffValues(before: Values, after: Values, isSecret: (path: string[]) => boolean): ValuesChange[] {
  const changes: ValuesChange[] = [];
  const show = (path: string[], v: unknown) =>
    v === undefined ? undefined : isSecret(path) ? '(secret)' : canonicalJson(v);
  const keys = new Map<string, string[]>();
  for (const p of [...leafPaths(before), ...leafPaths(after)]) keys.set(JSON.stringify(p), p);
  for (const path of [...keys.values()].sort((a, b) => formatPath(a).localeCompare(formatPath(b)))) {
    const a = getPath(before, path);
    const b = getPath(after, path);
    if (canonicalJson(a) === canonicalJson(b)) continue;
    // A leaf on one side may be a subtree on the other; compare only real leaves.
    if (isMap(a) && Object.keys(a).length > 0 && b === undefined) continue;
    if (isMap(b) && Object.keys(b).length > 0 && a === undefined) continue;
    const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    changes.push({ path: formatPath(path), kind, before: show(path, a), after: show(path, b) });
  }
  return changes;
}
