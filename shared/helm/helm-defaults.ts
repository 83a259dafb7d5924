// Helm defaults the deploy step's definition shows; kept apart from the installer so the definition loads without it.

/** Where helm's release archives are downloaded from (or a mirror with the same layout). */
export const DEFAULT_HELM_MIRROR = 'https://get.helm.sh';
/**
 * Used when helm is neither on PATH nor pinned by the helm-version input: the Helm 4 release the tests run against
 * (scripts/tools.json). Helm 3 (3.x) stays supported; it gets no updates after February 2027.
 */
export const DEFAULT_HELM_VERSION = '4.3.1';
