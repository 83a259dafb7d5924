import { artifactGraph, type ArtifactGraph, type Attached } from '../../oci/referrer-graph';
import type { RegistryClient } from '../../oci/registry-client';
import type { ImportItem } from './selection';

/** An import of something attached to a selected artifact: a signature, an SBOM, an attestation, … */
export interface ReferrerImport extends ImportItem {
  /** Index of the selected artifact (in the step's item list) this hangs off. */
  root: number;
  attached: Attached;
}

/**
 * Reads, for each selected artifact, what is attached to it in Harbor (referrers and cosign tags, see artifactGraph),
 * with the same account ACR pulls with — so what is found here is what ACR can import.
 */
export async function sourceGraphs(
  items: ImportItem[],
  registryFor: (repository: string) => RegistryClient,
  limited: <T, R>(items: T[], fn: (item: T) => Promise<R>) => Promise<R[]>,
): Promise<ArtifactGraph[]> {
  return limited(items, (item) => artifactGraph(registryFor(item.repository), item.digest));
}

/**
 * One import per attached manifest, by digest into the artifact's target repository: untagged for a referrer (ACR
 * lists it through its referrers API from its `subject`), under its tag for a cosign `.sig`/`.att`/`.sbom` (cosign
 * finds it only by that tag). Shallow ones first, so a signature of an SBOM follows the SBOM.
 */
export function referrerImports(items: ImportItem[], graphs: ArtifactGraph[]): ReferrerImport[] {
  const imports: ReferrerImport[] = [];
  graphs.forEach((graph, root) => {
    for (const attached of graph.attached) {
      imports.push({
        repository: items[root].repository,
        digest: attached.digest,
        tags: attached.tag ? [attached.tag] : [],
        root,
        attached,
      });
    }
  });
  return imports.sort((a, b) => a.attached.depth - b.attached.depth || a.root - b.root);
}
