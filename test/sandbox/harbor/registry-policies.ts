import { createHash } from 'node:crypto';
import { doublestarMatch } from '../harbor-doublestar';
import type { HarborState, Reply } from './state';

// Harbor's /v2/ middlewares that refuse a push by rule rather than by role (src/server/registry/route.go, v2.15.2):
// - immutable tags: a manifest PUT that would overwrite a tag matching an immutable rule is 412 PRECONDITION
//   "Failed to process request due to '<repo>:<tag>' configured as immutable." (src/server/middleware/immutable/
//   pushmf.go, error.go); only an existing tag is protected (handlePush lets a new tag through); rules match the
//   repository without its project and the tag, doublestar each (src/pkg/immutable/match/rule/match.go,
//   src/controller/tag/controller.go populateImmutableStatus);
// - project storage quota: a blob upload's commit (put_blob_upload.go) and a manifest PUT (put_manifest.go) request
//   the storage they add to the project — the blob's size, or the manifest's size plus the blobs it references that
//   the project does not hold yet — and an overflow is 403 DENIED with quota.ResourceOverflow's text
//   (src/server/middleware/quota/quota.go RequestMiddleware, src/pkg/quota/errors.go, src/lib/errors/const.go).
// The immutable check runs before the quota check, as route.go orders them.
//
// Harbor gives storage back when an artifact goes, not only at GC (src/server/v2.0/handler/handler.go registers
// quota.RefreshForProjectMiddleware on DeleteArtifact and DeleteRepository, src/server/registry/route.go on the /v2/
// manifest DELETE; a tag's DELETE has none):
// - what a project holds is its project_blob rows; a push associates the manifest and its References() — config and
//   layers, an index's manifests — with the project, and the same list plus the manifest with the artifact's digest
//   in artifact_blob (src/server/middleware/blob/put_manifest.go, src/controller/blob/controller.go
//   AssociateWithArtifact);
// - deleting an artifact deletes its hard-ref accessories and its untagged children not referenced by another
//   artifact with it, and after each one drops the project_blob rows of its artifact_blob blobs that no artifact
//   left in the project, in any repository, still lists (src/controller/artifact/controller.go deleteDeeply,
//   src/pkg/blob/manager.go CleanupAssociationsForProject, src/pkg/blob/dao/dao.go
//   FindBlobsShouldUnassociatedWithProject); a blob no artifact lists, such as an upload never referenced, stays;
// - once the response succeeded, the usage is recomputed as the sum of the project_blob sizes, limit ignored
//   (src/server/middleware/quota/quota.go RefreshMiddleware, src/controller/quota/controller.go Refresh,
//   src/controller/quota/driver/project/project.go CalculateUsage, src/pkg/blob/dao/dao.go SumBlobsSizeByProject).

export interface ImmutableRule {
  /** Doublestar pattern on the repository name without its project, e.g. `**`. */
  repository: string;
  /** Doublestar pattern on the tag, e.g. `v*`. */
  tag: string;
}

export interface ProjectQuota {
  /** Storage hard limit in bytes; -1 is unlimited (Harbor's default). */
  hard: number;
  used: number;
  /** project_blob: the blobs (and manifests) counted against the project, with their sizes. */
  blobs: Map<string, number>;
  /** artifact_blob of the project's artifacts, by `<repository>@<digest>`: the manifest's references and itself. */
  artifacts: Map<string, string[]>;
}

export function quotaOf(s: HarborState, project: string): ProjectQuota {
  let q = s.quotas.get(project);
  if (!q) {
    q = { hard: -1, used: 0, blobs: new Map(), artifacts: new Map() };
    s.quotas.set(project, q);
  }
  return q;
}

/** What a /v2/ request asks of the policies; `commit` records what it added once the registry accepted it. */
export interface PushCheck {
  refusal?: Reply;
  commit?: () => void;
}

interface Descriptor {
  digest: string;
  size?: number;
}

function refusal(status: number, code: string, message: string): Reply {
  return { status, body: { errors: [{ code, message }] } };
}

/** resource.FormatValue for storage (src/pkg/quota/types): byte sizes in B, KiB, MiB, … with up to 2 decimals. */
function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : Number(v.toFixed(2))} ${units[i]}`;
}

function checkStorage(q: ProjectQuota, size: number): Reply | undefined {
  if (q.hard < 0 || size <= 0 || q.used + size <= q.hard) return undefined;
  return refusal(
    403,
    'DENIED',
    `adding ${formatBytes(size)} of storage resource, which when updated to current usage of ${formatBytes(q.used)} will exceed the configured upper limit of ${formatBytes(q.hard)}.`,
  );
}

/** Manifest PUT: /v2/<project>/<repo>/manifests/<reference>. */
export async function checkManifestPush(
  s: HarborState,
  repository: string,
  reference: string,
  body: Buffer,
): Promise<PushCheck> {
  const [project, ...rest] = repository.split('/');
  const repoName = rest.join('/');
  const isTag = !reference.startsWith('sha256:');
  const rules = s.immutableRules.get(project) ?? [];
  if (isTag && rules.some((r) => doublestarMatch(r.repository, repoName) && doublestarMatch(r.tag, reference))) {
    if (await s.registryClient.manifest(repository, reference)) {
      return {
        refusal: refusal(
          412,
          'PRECONDITION',
          `Failed to process request due to '${repoName}:${reference}' configured as immutable.`,
        ),
      };
    }
  }
  const q = quotaOf(s, project);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  let manifest: {
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
  } = {};
  try {
    manifest = JSON.parse(body.toString('utf8'));
  } catch {
    // The registry itself answers MANIFEST_INVALID.
  }
  const refs = [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])].filter(
    (d): d is Descriptor => !!d?.digest,
  );
  const artifact = (): void => {
    q.artifacts.set(`${repository}@${digest}`, [...refs.map((d) => d.digest), digest]);
  };
  if (q.blobs.has(digest)) return { commit: artifact };
  const missing = refs.filter((d) => !q.blobs.has(d.digest));
  const check = reserve(q, [[digest, body.length], ...missing.map((d): [string, number] => [d.digest, d.size ?? 0])]);
  const commit = check.commit;
  if (!commit) return check;
  return {
    commit: () => {
      commit();
      artifact();
    },
  };
}

/** Blob upload commit: PUT /v2/<project>/<repo>/blobs/uploads/<id>?digest=…, `size` the bytes the upload holds. */
export function checkBlobCommit(s: HarborState, repository: string, digest: string, size: number): PushCheck {
  const q = quotaOf(s, repository.split('/')[0]);
  if (!digest || q.blobs.has(digest)) return {};
  return reserve(q, [[digest, size]]);
}

/** Refuses what would exceed the project's storage limit; otherwise the commit counts the new blobs and their sizes. */
function reserve(q: ProjectQuota, blobs: Array<[digest: string, size: number]>): PushCheck {
  const size = blobs.reduce((n, [, b]) => n + b, 0);
  const over = checkStorage(q, size);
  if (over) return { refusal: over };
  return {
    commit: () => {
      q.used += size;
      for (const [d, b] of blobs) q.blobs.set(d, b);
    },
  };
}

/** The artifact_blob list of `<repository>@<digest>`, if the emulator saw the artifact pushed. */
export function artifactBlobs(s: HarborState, repository: string, digest: string): string[] | undefined {
  return quotaOf(s, repository.split('/')[0]).artifacts.get(`${repository}@${digest}`);
}

/** The artifacts of `repository` whose artifact_blob lists `blob`, other than `blob` itself. */
export function artifactsListing(s: HarborState, repository: string, blob: string): string[] {
  const prefix = `${repository}@`;
  return [...quotaOf(s, repository.split('/')[0]).artifacts]
    .filter(([key, blobs]) => key.startsWith(prefix) && key !== prefix + blob && blobs.includes(blob))
    .map(([key]) => key.slice(prefix.length));
}

/** After `digests` of `repository` were deleted: their blobs no other artifact of the project lists leave it, and the usage is recomputed. */
export function releaseDeleted(s: HarborState, repository: string, digests: string[]): void {
  const q = quotaOf(s, repository.split('/')[0]);
  const released = new Set<string>();
  for (const digest of digests) {
    for (const blob of q.artifacts.get(`${repository}@${digest}`) ?? []) released.add(blob);
    q.artifacts.delete(`${repository}@${digest}`);
  }
  for (const kept of q.artifacts.values()) for (const blob of kept) released.delete(blob);
  for (const blob of released) q.blobs.delete(blob);
  q.used = [...q.blobs.values()].reduce((n, b) => n + b, 0);
}
