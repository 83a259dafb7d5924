import {
  HttpError,
  childDigests,
  paginate,
  parseBool,
  parseQ,
  qMatches,
  type Ctx,
  type HarborState,
  type Project,
  type Reply,
  type Routes,
} from '../state';
import { ZERO_TIME } from '../../harbor-jobservice';
import type { Permission } from '../../harbor-rbac';
import type { AccessoryRecord } from '../accessories';
import { artifactBlobs, artifactsListing, releaseDeleted } from '../registry-policies';

// Repository and artifact routes (src/server/v2.0/handler/repository.go, artifact.go).

/** The project of the path, after the handler's RequireProjectAccess for `permission` (handler/artifact.go, repository.go, scan.go). */
export function readableProject(s: HarborState, ctx: Ctx, permission: Permission): Project {
  const name = ctx.params.project_name;
  return s.requireProjectAccess(ctx.principal, s.projects.get(name), name, permission);
}

/** repository_name arrives decoded once (a%2Fb); Harbor's handler unescapes it again. */
export function repoName(s: HarborState, ctx: Ctx): string {
  return `${ctx.params.project_name}/${decodeURIComponent(ctx.params.repository_name)}`;
}

async function repositoryJson(s: HarborState, project: Project, name: string): Promise<unknown> {
  const artifacts = await artifactsOf(s, name);
  const t = s.seen(name);
  return {
    id: s.id(s.repoIds, name),
    project_id: project.project_id,
    name,
    description: '',
    artifact_count: artifacts.length,
    pull_count: 0,
    creation_time: t,
    update_time: t,
  };
}

/** Artifacts of a repository as Harbor indexes them: one per manifest digest, with the tags pointing at it. */
/** An artifact as the registry holds it: one manifest digest, the tags pointing at it. */
export interface Artifact {
  digest: string;
  tags: string[];
  mediaType: string;
  size: number;
  manifest: any;
}

export async function artifactsOf(s: HarborState, repository: string): Promise<Artifact[]> {
  const byDigest = new Map<
    string,
    { digest: string; tags: string[]; mediaType: string; size: number; manifest: any }
  >();
  for (const tag of (await s.registryClient.tags(repository)).sort()) {
    const m = await s.registryClient.manifest(repository, tag);
    if (!m) continue;
    const entry = byDigest.get(m.digest);
    if (entry) entry.tags.push(tag);
    else {
      const blobs = [m.json.config, ...(m.json.layers ?? []), ...(m.json.manifests ?? [])].filter(Boolean);
      byDigest.set(m.digest, {
        digest: m.digest,
        tags: [tag],
        mediaType: m.mediaType,
        size: m.raw.length + blobs.reduce((s: number, b: any) => s + (b.size ?? 0), 0),
        manifest: m.json,
      });
    }
  }
  return [...byDigest.values()];
}

export async function findArtifact(
  s: HarborState,
  ctx: Ctx,
  permission: Permission,
): Promise<{ repository: string; artifact: Artifact }> {
  readableProject(s, ctx, permission);
  const repository = repoName(s, ctx);
  const ref = ctx.params.reference;
  const artifact = (await artifactsOf(s, repository)).find((a) => a.digest === ref || a.tags.includes(ref));
  if (!artifact) throw new HttpError(404, 'NOT_FOUND', `artifact ${repository}@${ref} not found`);
  return { repository, artifact };
}

/**
 * Harbor's artifact type, from the processor registered for the artifact's media type (the config's for a manifest):
 * IMAGE for image configs, indexes and manifest lists (src/controller/artifact/processor/image), CHART for a Helm
 * config (processor/chart); otherwise the default processor's rule, the `<type>` of `application/vnd.<x>.<type>.config.
 * <v>+json` upper-cased, or UNKNOWN (processor/default.go GetArtifactType). The CNAB, WASM, SBOM and CNAI processors
 * are not emulated.
 */
export function artifactType(a: Artifact): string {
  if (isIndex(a)) return 'IMAGE';
  const config = String(a.manifest.config?.mediaType ?? '');
  if (
    config === 'application/vnd.oci.image.config.v1+json' ||
    config === 'application/vnd.docker.container.image.v1+json'
  )
    return 'IMAGE';
  if (config === 'application/vnd.cncf.helm.config.v1+json') return 'CHART';
  const match = /^application\/vnd\.[^.]*\.(.*)\.config\.[^.]*\+json$/.exec(config);
  return match ? match[1].toUpperCase() : 'UNKNOWN';
}

/**
 * Whether the scanner can scan it: only IMAGE artifacts are offered to a scanner (src/controller/scan/checker.go
 * hasCapability's allowlist). An artifact that is not scannable has no vulnerabilities addition link and no scan
 * overview (src/server/v2.0/handler/assembler/report.go Assemble), and a scan request is 400 (src/controller/scan/
 * base_controller.go Scan).
 */
export function isScannable(a: Artifact): boolean {
  return artifactType(a) === 'IMAGE';
}

function isIndex(a: Artifact): boolean {
  return a.mediaType.includes('index') || a.mediaType.includes('manifest.list');
}

function artifactJson(s: HarborState, ctx: Ctx, project: Project, repository: string, a: Artifact): unknown {
  const q = ctx.url.searchParams;
  const key = `${repository}@${a.digest}`;
  const artifactId = s.id(s.artifactIds, key);
  const repoId = s.id(s.repoIds, repository);
  const pushTime = s.seen(key);
  const index = isIndex(a);
  const scannable = isScannable(a);
  const out: Record<string, unknown> = {
    id: artifactId,
    type: artifactType(a),
    media_type: index ? a.mediaType : (a.manifest.config?.mediaType ?? 'application/vnd.oci.image.config.v1+json'),
    manifest_media_type: a.mediaType,
    project_id: project.project_id,
    repository_id: repoId,
    repository_name: repository,
    digest: a.digest,
    size: a.size,
    push_time: pushTime,
    pull_time: ZERO_TIME,
    extra_attrs: {},
    annotations: a.manifest.annotations ?? {},
    references: index
      ? (a.manifest.manifests ?? []).map((m: any) => ({
          parent_id: artifactId,
          child_id: s.id(s.artifactIds, `${repository}@${m.digest}`),
          child_digest: m.digest,
          platform: m.platform ?? {},
          urls: [],
        }))
      : [],
    // A chart's own addition links (readme, values, dependencies: processor/chart) are not emulated.
    addition_links: scannable
      ? {
          vulnerabilities: {
            href: `${s.basePath}/projects/${project.name}/repositories/${encodeURIComponent(encodeURIComponent(repository.slice(project.name.length + 1)))}/artifacts/${a.digest}/additions/vulnerabilities`,
            absolute: false,
          },
        }
      : {},
  };
  if (parseBool(q.get('with_tag') ?? 'true')) {
    out.tags = a.tags.map((name) => ({
      id: s.id(s.artifactIds, `${key}:${name}`),
      repository_id: repoId,
      artifact_id: artifactId,
      name,
      push_time: pushTime,
      pull_time: ZERO_TIME,
      immutable: false,
    }));
  }
  if (parseBool(q.get('with_label') ?? 'false')) out.labels = [];
  if (parseBool(q.get('with_accessory') ?? 'false')) {
    out.accessories = s.accessories.of(repository, a.digest).map((r) => accessoryJson(s, r, artifactId));
  }
  if (scannable && parseBool(q.get('with_scan_overview') ?? 'false')) {
    const overview = s.scans.overview(
      repository,
      a.digest,
      ctx.req.headers['x-accept-vulnerabilities'] as string | undefined,
      childDigests(a.manifest),
    );
    if (overview) out.scan_overview = overview;
  }
  return out;
}

/** handler/model/accessory.go ToSwagger. */
function accessoryJson(s: HarborState, r: AccessoryRecord, subjectId: number): unknown {
  return {
    id: r.id,
    artifact_id: s.id(s.artifactIds, `${r.repository}@${r.digest}`),
    subject_artifact_id: subjectId,
    subject_artifact_repo: r.repository,
    subject_artifact_digest: r.subjectDigest,
    size: r.size,
    digest: r.digest,
    type: r.type,
    icon: '',
    creation_time: r.created,
  };
}

export const artifactsRoutes = {
  async listRepositories(s: HarborState, ctx: Ctx): Promise<Reply> {
    const project = readableProject(s, ctx, 'repository:list');
    const query = parseQ(ctx.url.searchParams.get('q'));
    let names = (await s.repositoryNames()).filter((r) => r.startsWith(project.name + '/'));
    names = names.filter((n) => qMatches(query.name, n));
    const items = await Promise.all(names.map((n) => repositoryJson(s, project, n)));
    return paginate(ctx, items, (x) => x);
  },

  async getRepository(s: HarborState, ctx: Ctx): Promise<Reply> {
    const project = readableProject(s, ctx, 'repository:read');
    const name = repoName(s, ctx);
    if (!(await s.repositoryNames()).includes(name))
      throw new HttpError(404, 'NOT_FOUND', `repository ${name} not found`);
    return { status: 200, body: await repositoryJson(s, project, name) };
  },

  async listArtifacts(s: HarborState, ctx: Ctx): Promise<Reply> {
    const project = readableProject(s, ctx, 'artifact:list');
    const repository = repoName(s, ctx);
    // The list shows base artifacts only: accessories appear under their subject (controller/artifact, "base" query).
    const artifacts = (await artifactsOf(s, repository)).filter(
      (a) => !s.accessories.isAccessory(repository, a.digest),
    );
    // No 404 for a repository that does not exist: ListArtifacts only filters artifacts by RepositoryName and answers
    // an empty page (src/server/v2.0/handler/artifact.go ListArtifacts).
    // The tags keyword (src/pkg/artifact/dao/dao.go setTagQuery): exact `*` tagged, `nil` untagged, another exact value
    // a tag name, `~v` a tag name containing v (LIKE, case-sensitive); anything else is 400.
    const tags = parseQ(ctx.url.searchParams.get('q')).tags;
    if (tags && tags.kind !== 'exact' && tags.kind !== 'fuzzy')
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'the value of "tags" query can only be fuzzy match value or exact match value',
      );
    const selected = !tags
      ? artifacts
      : tags.kind === 'fuzzy'
        ? artifacts.filter((a) => a.tags.some((t) => t.includes(tags.value)))
        : tags.value === '*'
          ? artifacts.filter((a) => a.tags.length > 0)
          : tags.value === 'nil'
            ? artifacts.filter((a) => a.tags.length === 0)
            : artifacts.filter((a) => a.tags.includes(tags.value));
    return paginate(ctx, selected, (a) => artifactJson(s, ctx, project, repository, a));
  },

  async getArtifact(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'artifact:read');
    return {
      status: 200,
      body: artifactJson(s, ctx, s.projects.get(ctx.params.project_name)!, repository, artifact),
    };
  },

  /** handler/artifact.go ListAccessories: accessory:list in the project, the subject found by tag or digest. */
  async listAccessories(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'accessory:list');
    const subjectId = s.id(s.artifactIds, `${repository}@${artifact.digest}`);
    return paginate(ctx, s.accessories.of(repository, artifact.digest), (r) => accessoryJson(s, r, subjectId));
  },

  async deleteArtifact(s: HarborState, ctx: Ctx): Promise<Reply> {
    const { repository, artifact } = await findArtifact(s, ctx, 'artifact:delete');
    const status = await s.registryClient.deleteManifest(repository, artifact.digest);
    if (status !== 202) throw new HttpError(500, 'UNKNOWN', `registry answered ${status} to the delete`);
    await deleteDeeply(s, repository, artifact.digest);
    return { status: 200 };
  },
} satisfies Routes;

/**
 * What src/controller/artifact/controller.go deleteDeeply does beyond the artifact itself, once its manifest is gone
 * from the registry (by the API's DeleteArtifact or the /v2/ manifest DELETE): its hard-ref accessories go with it
 * (every accessory type is one, src/pkg/accessory/model/*: IsHard), and so do its children that no tag and no other
 * artifact of the repository keep, each with theirs; then the project's storage is given back
 * (../registry-policies.ts releaseDeleted).
 */
export async function deleteDeeply(s: HarborState, repository: string, digest: string): Promise<void> {
  const tagged = new Map((await artifactsOf(s, repository)).map((a) => [a.digest, a]));
  const deleted: string[] = [];
  const keptByOther = (child: string): boolean =>
    artifactsListing(s, repository, child).some((parent) => !deleted.includes(parent)) ||
    [...tagged.values()].some((a) => childDigests(a.manifest).includes(child));
  const visit = async (gone: string): Promise<void> => {
    deleted.push(gone);
    for (const accessory of s.accessories.removeSubject(repository, gone)) {
      await s.registryClient.deleteManifest(repository, accessory.digest);
      await visit(accessory.digest);
    }
    const children = (artifactBlobs(s, repository, gone) ?? []).filter(
      (d) => d !== gone && artifactBlobs(s, repository, d) && !deleted.includes(d),
    );
    for (const child of children) {
      if (tagged.has(child) || keptByOther(child)) continue;
      await s.registryClient.deleteManifest(repository, child);
      await visit(child);
    }
  };
  await visit(digest);
  releaseDeleted(s, repository, deleted);
}
