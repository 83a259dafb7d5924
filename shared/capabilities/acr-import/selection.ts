import { InputError, UserError } from '../../errors';
import { artifactLabel, getArtifact, listArtifacts } from '../../harbor/artifacts';
import type { HarborClient } from '../../harbor/client';
import { listProjectNames, listRepositoryNames, projectReadable } from '../../harbor/projects';
import { RemoteError } from '../../remote-error';
import { checkRepository, checkTag, isDigest } from '../../oci/reference';
import { doublestarMatch, matchesEverything } from '../../harbor/filters';

/** One import: an artifact of a Harbor repository, pinned by digest, and the tags it gets in ACR. */
export interface ImportItem {
  /** Harbor repository with its project, e.g. shop/web. */
  repository: string;
  digest: string;
  /** Tags to create in ACR, sorted; empty for a manifest-only (untagged) import. */
  tags: string[];
}

export interface ImageRef {
  repository: string;
  /** A tag or a sha256 digest. */
  reference: string;
  line: string;
}

/** `project/repo:tag` or `project/repo@sha256:…` per line; the error names the input and the line. */
export function parseImageLines(lines: string[], label: string): ImageRef[] {
  return lines.map((line) => {
    const at = line.indexOf('@');
    const colon = line.lastIndexOf(':');
    let repository: string;
    let reference: string;
    if (at >= 0) {
      repository = line.slice(0, at);
      reference = line.slice(at + 1);
      if (!isDigest(reference))
        throw new InputError(`Input '${label}': '${line}' has no valid digest after @ (sha256: and 64 hex digits)`);
    } else if (colon > line.lastIndexOf('/')) {
      repository = line.slice(0, colon);
      reference = checkTag(line.slice(colon + 1), label);
    } else {
      throw new InputError(
        `Input '${label}': '${line}' needs a tag or a digest, e.g. ${line}:1.0 (imports are explicit; 'latest' is not assumed)`,
      );
    }
    checkRepository(repository, label);
    if (!repository.includes('/'))
      throw new InputError(`Input '${label}': '${line}' needs the Harbor project, e.g. library/${line}`);
    return { repository, reference, line };
  });
}

/** Looks every listed image up in Harbor (so a typo fails before any import) and merges tags of one artifact. */
export async function resolveImages(harbor: HarborClient, refs: ImageRef[], label: string): Promise<ImportItem[]> {
  const items = new Map<string, ImportItem>();
  for (const ref of refs) {
    const slash = ref.repository.indexOf('/');
    const target = {
      project: ref.repository.slice(0, slash),
      repository: ref.repository.slice(slash + 1),
      reference: ref.reference,
    };
    const artifact = await getArtifact(harbor, target).catch((error: unknown) => {
      // Harbor answers 404 for a missing artifact, repository or project alike.
      if (error instanceof RemoteError && error.kind === 'not-found') {
        throw new UserError(
          `'${ref.line}' of input '${label}' is not in Harbor ${harbor.url} (${artifactLabel(target)} not found); nothing was imported`,
        );
      }
      throw error;
    });
    const key = `${ref.repository}@${artifact.digest}`;
    const item = items.get(key) ?? { repository: ref.repository, digest: artifact.digest, tags: [] };
    if (!isDigest(ref.reference) && !item.tags.includes(ref.reference))
      item.tags = [...item.tags, ref.reference].sort();
    items.set(key, item);
  }
  return [...items.values()];
}

export interface FilterSelection {
  items: ImportItem[];
  /** Repositories the name filter matched. */
  repositories: number;
  /** Untagged artifacts in those repositories, which an import by filter leaves out. */
  untagged: number;
}

interface Listed {
  digest: string;
  tags?: { name: string }[] | null;
}

/**
 * name-filter and tag-filter resolved the way a Harbor push policy resolves them: repositories by their full name
 * (project/repo) with doublestar, then the tags of each artifact (tag-match excludes: every other tag). A filter whose
 * first segment is a plain name reads only that project.
 */
export async function resolveFilters(
  harbor: HarborClient,
  filters: { name?: string; tag?: string; tagMatch?: 'matches' | 'excludes' },
  limit: <T, R>(items: T[], fn: (item: T) => Promise<R>) => Promise<R[]>,
): Promise<FilterSelection> {
  const nameFilter = filters.name ?? '';
  const first = nameFilter.split('/')[0];
  let projects: string[];
  if (nameFilter.includes('/') && !/[*?[\]{}!]/.test(first)) {
    projects = (await projectVisible(harbor, first)) ? [first] : [];
  } else {
    projects = await listProjectNames(harbor);
  }
  const repositories = (await limit(projects, (project) => listRepositoryNames(harbor, project)))
    .flat()
    .filter((name) => matchesEverything(nameFilter) || doublestarMatch(nameFilter, name))
    .sort();

  const keepTag = (tag: string) =>
    matchesEverything(filters.tag) || doublestarMatch(filters.tag!, tag) !== (filters.tagMatch === 'excludes');
  let untagged = 0;
  const perRepository = await limit(repositories, async (repository) => {
    const artifacts = await listArtifacts<Listed>(harbor, repository);
    const items: ImportItem[] = [];
    for (const artifact of artifacts) {
      const tags = (artifact.tags ?? []).map((t) => t.name);
      if (tags.length === 0) {
        untagged++;
        continue;
      }
      const kept = tags.filter(keepTag).sort();
      if (kept.length > 0) items.push({ repository, digest: artifact.digest, tags: kept });
    }
    return items;
  });
  return { items: perRepository.flat(), repositories: repositories.length, untagged };
}

async function projectVisible(harbor: HarborClient, project: string): Promise<boolean> {
  try {
    return await projectReadable(harbor, project);
  } catch (error) {
    // Harbor answers 403 for a private project the account cannot see and for a project that does not exist: from
    // 2.7 to anyone but an administrator, before 2.7 to administrators too (src/server/v2.0/handler/base.go
    // HasProjectPermission at v2.15.2 and v2.6.0). Neither is "nothing to import": ACR logs in with this account.
    if (error instanceof RemoteError && error.kind === 'permission') {
      throw new UserError(
        `Harbor account ${harbor.username ?? 'anonymous'} cannot read project '${project}' (403: the project is private to the account or does not exist; Harbor does not say which), so ACR could not pull from it either; check the project in the name filter, or use an account with pull access to the projects the filter selects`,
      );
    }
    throw error;
  }
}
