import { listArtifacts } from '../../harbor/artifacts';
import type { HarborClient } from '../../harbor/client';
import { doublestarMatch, matchesEverything } from '../../harbor/filters';
import type { ReplicationPolicy, ReplicationTask } from '../../harbor/replication';
import { expectedManifests, type DestinationReader, type ExpectedManifest } from '../../oci/destination-check';
import { artifactGraph } from '../../oci/referrer-graph';
import type { RegistryClient } from '../../oci/registry-client';

/** `<repository> [<n> item(s) in total]` (Harbor's task src_resource/dst_resource, copy.go getResourceName). */
function repositoryOf(resource: string | undefined): string | undefined {
  const name = resource?.split(' ')[0];
  return name && name.includes('/') ? name : undefined;
}

/**
 * What a push policy's succeeded tasks should have left in the destination, read from this Harbor: per task, the
 * source repository's tagged artifacts the policy's tag filter keeps (their kept tags must point at the same digest
 * in the task's destination repository), each index's children, and everything attached to each artifact (a manual
 * run copies accessories with their artifact: src/pkg/reg/adapter/harbor/v2/client.go getAccessoryArts). Untagged
 * artifacts are not expected (the check follows tags). Labels are not read: a policy with a label filter is not
 * checked (the caller skips it).
 */
export async function expectedAtDestination(
  harbor: HarborClient,
  policy: ReplicationPolicy,
  tasks: ReplicationTask[],
  sourceRegistry: (repository: string) => RegistryClient,
): Promise<ExpectedManifest[]> {
  const tagFilter = (policy.filters ?? []).find((f) => f.type === 'tag');
  const pattern = typeof tagFilter?.value === 'string' ? tagFilter.value : '';
  const excludes = tagFilter?.decoration === 'excludes';
  const keep = (tag: string) => matchesEverything(pattern) || doublestarMatch(pattern, tag) !== excludes;
  // The resource filter (src/pkg/reg/filter/artifact.go artifactTypeFilter): `image` keeps images only.
  const resource = (policy.filters ?? []).find((f) => f.type === 'resource')?.value;
  const expected: ExpectedManifest[] = [];
  for (const task of tasks) {
    const source = repositoryOf(task.src_resource);
    const destination = repositoryOf(task.dst_resource);
    if (!source || !destination) continue;
    const artifacts = await listArtifacts<{ digest: string; type?: string; tags?: { name: string }[] | null }>(
      harbor,
      source,
    );
    for (const artifact of artifacts) {
      if (resource === 'image' && artifact.type && artifact.type !== 'IMAGE') continue;
      const tags = (artifact.tags ?? []).map((t) => t.name).filter(keep);
      if (tags.length === 0) continue;
      const graph = await artifactGraph(sourceRegistry(source), artifact.digest);
      const label = `${source}:${tags[0]}`;
      expected.push(...expectedManifests(graph, destination, label, { attached: true }));
      for (const tag of tags)
        expected.push({ repository: destination, digest: artifact.digest, tag, what: `${source}:${tag}` });
    }
  }
  return expected;
}

/**
 * The destination read with a registry client per repository (the destination's own credentials). Each client logs
 * in once before its first read: the reads run in parallel, and parallel first requests would each answer a Basic
 * challenge that another one had already answered.
 */
export function registryReader(registryFor: (repository: string) => RegistryClient): DestinationReader {
  const logins = new Map<string, Promise<RegistryClient>>();
  const ready = (repository: string) => {
    let login = logins.get(repository);
    if (!login) {
      const client = registryFor(repository);
      login = client.auth.login().then(() => client);
      logins.set(repository, login);
    }
    return login;
  };
  return {
    hasManifest: async (repository, digest) => (await (await ready(repository)).manifestDigest(digest)) !== undefined,
    tagDigest: async (repository, tag) => (await ready(repository)).manifestDigest(tag),
  };
}
