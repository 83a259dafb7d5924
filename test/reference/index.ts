import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import manifest from './manifest.json';

// The one way tests, the sandbox, benchmarks and scripts find third-party reference files (specs, schemas, sample
// outputs). They are never committed: manifest.json pins each by upstream URL at a fixed commit and sha256, and a file is
// looked up first in the folder named by REFERENCE_ENV, then in the cache `npm run reference` fills.

export const REFERENCE_ENV = 'HARBOR_PIPELINES_REFERENCE';
export const REFERENCE_COMMAND = 'npm run reference';
/** Under the repository's ignored folders (.gitignore). */
export const REFERENCE_CACHE = resolve(__dirname, '..', '..', '.cache', 'reference');

export interface ReferenceFile {
  path: string;
  url: string;
  sha256: string;
  license: string;
}

export const REFERENCE_FILES: readonly ReferenceFile[] = manifest.files;

function roots(): string[] {
  const fromEnv = process.env[REFERENCE_ENV];
  return fromEnv ? [resolve(fromEnv), REFERENCE_CACHE] : [REFERENCE_CACHE];
}

function entry(relativePath: string): ReferenceFile {
  const found = REFERENCE_FILES.find((f) => f.path === relativePath);
  if (!found)
    throw new Error(
      `'${relativePath}' is not in test/reference/manifest.json: pin it there (URL at a fixed commit + sha256) before using it`,
    );
  return found;
}

/** The one line a user sees when a pinned file is not available. */
export function missingLine(relativePath: string): string {
  return (
    `Reference file '${relativePath}' not found: run \`${REFERENCE_COMMAND}\` (downloads the pinned files into .cache/reference), ` +
    `or set ${REFERENCE_ENV} to a folder that holds them`
  );
}

/** Absolute path of a pinned reference file (path segments relative to the reference root, e.g. 'trivy', 'npm.json'). */
export function referencePath(...parts: string[]): string {
  const relativePath = parts.join('/');
  entry(relativePath);
  for (const root of roots()) {
    const candidate = join(root, relativePath);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(missingLine(relativePath));
}

/** Names of the pinned files directly in one reference folder (e.g. every Trivy golden in 'trivy'). */
export function referenceNames(folder: string): string[] {
  const prefix = `${folder}/`;
  return REFERENCE_FILES.map((f) => f.path)
    .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
    .map((p) => p.slice(prefix.length));
}

export function readReference(...parts: string[]): string {
  return readFileSync(referencePath(...parts), 'utf8');
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Checks every pinned file once (where referencePath would find it, and matching its sha256) and returns the first
 * problem as one line, or undefined when all are there. Hashing all of them takes milliseconds.
 */
export function referenceProblem(searchRoots = roots()): string | undefined {
  for (const file of REFERENCE_FILES) {
    const found = searchRoots.map((root) => join(root, file.path)).find((candidate) => existsSync(candidate));
    if (!found) return missingLine(file.path);
    if (sha256(readFileSync(found)) !== file.sha256) {
      return `Reference file '${file.path}' at ${found} does not match its pinned sha256: run \`${REFERENCE_COMMAND}\` or point ${REFERENCE_ENV} at the pinned files`;
    }
  }
  return undefined;
}
