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
  /** Blobs (and manifests) counted against the project. */
  blobs: Set<string>;
}

export function quotaOf(s: HarborState, project: string): ProjectQuota {
  let q = s.quotas.get(project);
  if (!q) {
    q = { hard: -1, used: 0, blobs: new Set() };
    s.quotas.set(project, q);
  }
  return q;
}

/** What a /v2/ request asks of the policies; `commit` records what it added once the registry accepted it. */
export interface PushCheck {
  refusal?: Reply;
  commit?: () => void;
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
  if (q.blobs.has(digest)) return {};
  let manifest: { config?: { digest: string; size: number }; layers?: Array<{ digest: string; size: number }> } = {};
  try {
    manifest = JSON.parse(body.toString('utf8'));
  } catch {
    // The registry itself answers MANIFEST_INVALID.
  }
  const refs = [manifest.config, ...(manifest.layers ?? [])].filter(
    (d): d is { digest: string; size: number } => !!d?.digest,
  );
  const missing = refs.filter((d) => !q.blobs.has(d.digest));
  const size = body.length + missing.reduce((n, d) => n + (d.size ?? 0), 0);
  return reserve(q, size, [digest, ...missing.map((d) => d.digest)]);
}

/** Blob upload commit: PUT /v2/<project>/<repo>/blobs/uploads/<id>?digest=…, `size` the bytes the upload holds. */
export function checkBlobCommit(s: HarborState, repository: string, digest: string, size: number): PushCheck {
  const q = quotaOf(s, repository.split('/')[0]);
  if (!digest || q.blobs.has(digest)) return {};
  return reserve(q, size, [digest]);
}

/** Refuses what would exceed the project's storage limit; otherwise the commit counts `size` and the new blobs. */
function reserve(q: ProjectQuota, size: number, digests: string[]): PushCheck {
  const over = checkStorage(q, size);
  if (over) return { refusal: over };
  return {
    commit: () => {
      q.used += size;
      for (const d of digests) q.blobs.add(d);
    },
  };
}
