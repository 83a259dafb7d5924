import { listReferrers, referrersTag } from './artifact';
import { isIndex } from './media-types';
import type { RegistryClient } from './registry-client';

/** cosign's tag layout for what it attaches to `sha256:<hex>`: `sha256-<hex>.sig`, `.att`, `.sbom` (cosign `pkg/oci/remote`). */
export const COSIGN_TAG_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/** How far referrers of referrers are followed (image → SBOM → signature of the SBOM is depth 2). */
export const MAX_REFERRER_DEPTH = 4;
/** Referrers followed per artifact: a runaway graph (a bot attaching on every build) stops here, with a warning. */
export const MAX_REFERRERS = 100;

/** Something attached to an artifact: an OCI 1.1 referrer or a cosign tag-layout accessory. */
export interface Attached {
  digest: string;
  /** The digest it is attached to (its `subject`, or the digest its cosign tag is named after). */
  subject: string;
  /** The cosign tag (`sha256-<hex>.sig`) it is found under; undefined for a referrer found by its subject. */
  tag?: string;
  /** The referrers API's artifactType; for a cosign tag, `cosign .sig`/`.att`/`.sbom`. */
  kind: string;
  /** 1 for what is attached to the artifact itself (or to a child of its index), 2 for what is attached to that, … */
  depth: number;
}

export interface ArtifactGraph {
  digest: string;
  /** The manifests an index lists (empty for an image). */
  children: string[];
  attached: Attached[];
  /** True when MAX_REFERRERS or MAX_REFERRER_DEPTH cut the walk short. */
  truncated: boolean;
}

/** The cosign tag for what is attached to `digest`: `sha256-<hex>.<suffix>`. */
export function cosignTag(digest: string, suffix: (typeof COSIGN_TAG_SUFFIXES)[number]): string {
  return `${referrersTag(digest)}.${suffix}`;
}

/**
 * Walks what is attached to an artifact in one repository: its referrers (the referrers API, or the referrers tag
 * schema's index where the registry has no API) and cosign's `.sig`/`.att`/`.sbom` tags, for the artifact and, for an
 * index, each child it lists; then the same for everything found, breadth first, up to MAX_REFERRER_DEPTH levels and
 * MAX_REFERRERS manifests. A manifest found both ways (Harbor's referrers API also lists `.sig` accessories) is kept
 * once, with its tag, since cosign finds it by that tag.
 */
export async function artifactGraph(
  registry: RegistryClient,
  digest: string,
  limits: { depth?: number; count?: number } = {},
): Promise<ArtifactGraph> {
  const maxDepth = limits.depth ?? MAX_REFERRER_DEPTH;
  const maxCount = limits.count ?? MAX_REFERRERS;
  const manifest = await registry.getManifest(digest);
  const children: string[] = [];
  if (manifest && isIndex(manifest.mediaType)) {
    const index = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: { digest: string }[] };
    for (const child of index.manifests ?? []) children.push(child.digest);
  }
  const found = new Map<string, Attached>();
  let truncated = false;
  let level = [digest, ...children];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > maxDepth) {
      truncated = true;
      break;
    }
    const next: string[] = [];
    for (const subject of level) {
      const tagged = await Promise.all(
        COSIGN_TAG_SUFFIXES.map(async (suffix) => {
          const tag = cosignTag(subject, suffix);
          const at = await registry.manifestDigest(tag);
          return at ? ({ digest: at, subject, tag, kind: `cosign .${suffix}`, depth } satisfies Attached) : undefined;
        }),
      );
      const referrers = (await listReferrers(registry, subject)).map((d): Attached => ({
        digest: d.digest,
        subject,
        kind: d.artifactType ?? d.mediaType,
        depth,
      }));
      for (const attached of [...tagged.filter((t) => t !== undefined), ...referrers]) {
        const known = found.get(attached.digest);
        if (known) {
          if (!known.tag && attached.tag) Object.assign(known, { tag: attached.tag, kind: attached.kind });
          continue;
        }
        if (found.size >= maxCount) {
          truncated = true;
          break;
        }
        found.set(attached.digest, attached);
        next.push(attached.digest);
      }
    }
    level = next;
  }
  return { digest, children, attached: [...found.values()], truncated };
}
