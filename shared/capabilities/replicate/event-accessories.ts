import type { HarborClient } from '../../harbor/client';
import { doublestarMatch, matchesEverything } from '../../harbor/filters';
import { listProjectNames, listRepositoryNames } from '../../harbor/projects';
import type { ReplicationPolicy } from '../../harbor/replication';
import { encodeRepository } from '../../harbor/client';
import { cosignTag } from '../../oci/referrer-graph';

/** Repositories read to look for accessories: enough to find them in a typical policy, bounded for a wide one. */
const MAX_REPOSITORIES = 20;

interface Listed {
  digest: string;
  tags?: { name: string }[] | null;
  accessories?: { digest: string; type: string }[] | null;
}

export interface EventAccessories {
  /** Artifacts the policy covers that have accessories (signatures, SBOMs, …), as `repo:tag`. */
  artifacts: string[];
  /** Their accessories' types, e.g. signature.cosign. */
  types: string[];
  /** Accessories whose own push event the tag filter drops (a `.sig` tag or, untagged, the empty tag). */
  dropped: number;
  accessories: number;
  /** True when only the first MAX_REPOSITORIES matching repositories were read. */
  partial: boolean;
}

/**
 * What Harbor v2.15.2 does with accessories under an event_based trigger, so the step can warn: the push event's
 * replication hands the flow the pushed artifact alone (src/controller/event/handler/replication/replication.go
 * handlePushArtifact: digest and its own tags, no accessories), so copy.go never lists what is attached to it; an
 * accessory travels only through its own push event, matched as a plain artifact by its own tag (a cosign
 * `sha256-<hex>.sig`) or, untagged (a referrer), by the empty tag — the parent's tags count only for accessories a
 * manual or scheduled run lists (src/pkg/reg/filter/artifact.go artifactTagFilter, IsAcc/ParentTags;
 * src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts). Reads the artifacts the policy's name and tag filters
 * cover in this Harbor, with their accessories.
 */
export async function eventAccessories(
  harbor: HarborClient,
  policy: ReplicationPolicy,
): Promise<EventAccessories | undefined> {
  const filter = (type: string) => (policy.filters ?? []).find((f) => f.type === type);
  const name = typeof filter('name')?.value === 'string' ? (filter('name')!.value as string) : '';
  const tagFilter = filter('tag');
  const tagPattern = typeof tagFilter?.value === 'string' ? tagFilter.value : '';
  const excludes = tagFilter?.decoration === 'excludes';
  const tagPasses = (tag: string) => matchesEverything(tagPattern) || doublestarMatch(tagPattern, tag) !== excludes;

  const first = name.split('/')[0];
  const projects = name.includes('/') && !/[*?[\]{}!]/.test(first) ? [first] : await listProjectNames(harbor);
  const repositories: string[] = [];
  for (const project of projects) {
    for (const repository of await listRepositoryNames(harbor, project))
      if (matchesEverything(name) || doublestarMatch(name, repository)) repositories.push(repository);
  }
  const read = repositories.sort().slice(0, MAX_REPOSITORIES);
  const found: EventAccessories = {
    artifacts: [],
    types: [],
    dropped: 0,
    accessories: 0,
    partial: repositories.length > read.length,
  };
  for (const repository of read) {
    const slash = repository.indexOf('/');
    const artifacts = await harbor.list<Listed>(
      `/projects/${encodeURIComponent(repository.slice(0, slash))}/repositories/${encodeRepository(repository.slice(slash + 1))}/artifacts`,
      { with_tag: true, with_accessory: true, with_label: false, with_scan_overview: false },
      `list artifacts of ${repository}`,
    );
    for (const artifact of artifacts) {
      const tags = (artifact.tags ?? []).map((t) => t.name).filter(tagPasses);
      const accessories = artifact.accessories ?? [];
      if (tags.length === 0 || accessories.length === 0) continue;
      found.artifacts.push(`${repository}:${tags[0]}`);
      for (const a of accessories) {
        found.accessories++;
        if (!found.types.includes(a.type)) found.types.push(a.type);
        // A cosign signature is pushed under `sha256-<subject hex>.sig`; every other accessory type is untagged.
        const own = a.type === 'signature.cosign' ? cosignTag(artifact.digest, 'sig') : '';
        if (!tagPasses(own)) found.dropped++;
      }
    }
  }
  return found.artifacts.length > 0 ? found : undefined;
}

/** The warning line: what is at stake and what to do. */
export function eventAccessoriesWarning(policyName: string, found: EventAccessories): string {
  const shown = found.artifacts.slice(0, 3).join(', ') + (found.artifacts.length > 3 ? ', …' : '');
  const dropped =
    found.dropped > 0
      ? `; the policy's tag filter drops ${found.dropped} of their ${found.accessories} accessory(ies) on their own push events, so Harbor never replicates those on push`
      : '; each reaches the destination only through its own push event, and none already in Harbor does';
  return `Policy '${policyName}' uses the event_based trigger, and ${found.artifacts.length} artifact(s) it covers have accessories (${found.types.join(', ')}; ${shown})${found.partial ? ` in the first ${MAX_REPOSITORIES} repositories read` : ''}: Harbor replicates each pushed manifest on its own, without what is attached to it${dropped}. Manual and scheduled runs copy accessories with their artifact (this step's run is manual); verify signatures at the destination, or use a scheduled trigger`;
}
