import type { ArtifactGraph } from './referrer-graph';
import { short } from './registry-client';

/** One manifest the destination must hold after a copy: the artifact, a child of its index, or something attached. */
export interface ExpectedManifest {
  repository: string;
  digest: string;
  /** A cosign `.sig`/`.att`/`.sbom` tag, which must point at `digest` (cosign finds the signature by it). */
  tag?: string;
  /** What it is, for the report: `shop/web:1.0`, `child of shop/web:1.0`, `cosign .sig of sha256:…`. */
  what: string;
  /** Attached to the artifact (a referrer or a cosign tag), not the artifact or a child of it. */
  attached?: boolean;
}

export interface MissingManifest extends ExpectedManifest {
  /** `missing`, or what the tag holds instead. */
  why: string;
}

/** How the check reads the destination, with the destination's own credentials. */
export interface DestinationReader {
  hasManifest(repository: string, digest: string): Promise<boolean>;
  tagDigest(repository: string, tag: string): Promise<string | undefined>;
}

/** Lines of missing manifests printed before the step fails; the rest are counted. */
export const MAX_MISSING_LINES = 20;

/** Everything the destination should hold for one copied artifact: itself, its index's children, what is attached. */
export function expectedManifests(
  graph: ArtifactGraph,
  repository: string,
  label: string,
  options: { attached: boolean },
): ExpectedManifest[] {
  const expected: ExpectedManifest[] = [{ repository, digest: graph.digest, what: label }];
  for (const child of graph.children) expected.push({ repository, digest: child, what: `child of ${label}` });
  if (options.attached) {
    for (const a of graph.attached) {
      expected.push({
        repository,
        digest: a.digest,
        ...(a.tag ? { tag: a.tag } : {}),
        attached: true,
        what: `${a.kind} of ${a.subject === graph.digest ? label : short(a.subject)}`,
      });
    }
  }
  return expected;
}

/** Reads every expected manifest back from the destination; returns those it does not hold (or holds elsewhere). */
export async function findMissing(
  expected: ExpectedManifest[],
  reader: DestinationReader,
  limited: <T, R>(items: T[], fn: (item: T) => Promise<R>) => Promise<R[]>,
): Promise<MissingManifest[]> {
  const found = await limited(expected, async (e): Promise<MissingManifest | undefined> => {
    if (e.tag) {
      const held = await reader.tagDigest(e.repository, e.tag);
      if (held === e.digest) return undefined;
      return { ...e, why: held ? `${e.tag} holds ${short(held)}` : 'missing' };
    }
    return (await reader.hasManifest(e.repository, e.digest)) ? undefined : { ...e, why: 'missing' };
  });
  return found.filter((m) => m !== undefined);
}

/** One line per missing manifest: `shop/web@sha256:… (cosign .sig of shop/web:1.0): missing`. */
export function missingLine(m: MissingManifest): string {
  return `${m.repository}${m.tag ? `:${m.tag}` : ''}@${m.digest} (${m.what}): ${m.why}`;
}

/**
 * Logs the check's outcome (`info` is the step's log): all found, or how many are missing with a line for each of the
 * first MAX_MISSING_LINES. Returns true when nothing is missing.
 */
export function logDestinationCheck(
  info: (line: string) => void,
  expected: number,
  missing: MissingManifest[],
  where: string,
): boolean {
  if (missing.length === 0) {
    info(`Destination check: all ${expected} expected manifest(s) are in ${where}`);
    return true;
  }
  info(`Destination check: ${missing.length} of ${expected} expected manifest(s) are not in ${where}:`);
  for (const m of missing.slice(0, MAX_MISSING_LINES)) info(`  ${missingLine(m)}`);
  if (missing.length > MAX_MISSING_LINES) info(`  … and ${missing.length - MAX_MISSING_LINES} more`);
  return false;
}
